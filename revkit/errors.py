"""One root exception, with subclasses that carry where a problem is.

The CLI maps each kind to an exit code and never shows a traceback for them:
the user's input (``InputError``) exits 2; a failed run, a failed write and a
defect in the kit itself (``KitError``) exit 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem found in a client's input, located as the user sees it."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    allowed: str | None = None
    suggestion: str | None = None
    sheet: str | None = None
    severity: str = "error"  # "error" | "warning"
    # a warning kept in results.json is stored as its code and fields (no sentence);
    # the report words it from the messages ``warning.<code>``
    code: str | None = None
    fields: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts[0] = f"{self.file} [sheet {self.sheet}]"
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def render(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.value is not None and self.value != "":
            text += f" (got {self.value!r})"
        if self.allowed:
            text += f"; allowed: {self.allowed}"
        if self.suggestion:
            text += f"; did you mean '{self.suggestion}'?"
        return text

    def to_dict(self) -> dict:
        data = {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "message": self.message,
            "allowed": self.allowed,
            "suggestion": self.suggestion,
            "text": self.render(),
        }
        return data

    def to_record(self) -> dict:
        """The language-neutral form kept in ``results.json``: a code, its fields, the place."""
        return {"code": self.code or "problem", "severity": self.severity, "file": self.file,
                "sheet": self.sheet, "row": self.row, "column": self.column,
                "value": None if self.value is None else str(self.value),
                "allowed": self.allowed, "suggestion": self.suggestion,
                "fields": dict(self.fields)}


def warning(code: str, fields: dict, **where) -> Problem:
    """A warning worded from the English message ``warning.<code>`` (for the terminal),
    kept in results as its code and fields."""
    from revkit import messages

    text = messages.get("en")(f"warning.{code}", **_worded(fields))
    return Problem(message=text, severity="warning", code=code, fields=fields, **where)


def _worded(fields: dict) -> dict:
    # lists of ids read as "a, b, c" in a warning, with their count
    out = {k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in fields.items()}
    out.update({f"{k}_count": len(v) for k, v in fields.items() if isinstance(v, list)})
    return out


class RevkitError(Exception):
    """Root of every error the kit raises on purpose; ``exit_code`` is the CLI's."""

    exit_code = 1


class InputError(RevkitError):
    """The user's input is wrong; the message says where and what is allowed.

    Input is everything the user hands the kit: a client's intake, a methodology
    or brand file, the command's arguments (a ``--out`` that names a file)."""

    exit_code = 2


@dataclass
class InvalidFile(InputError):
    """A file (or a client's intake) the user gave has errors; all of them are listed."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def summary(self) -> str:
        n = len(self.errors)
        lines = [f"{self.source}: invalid — {n} problem{'s' if n != 1 else ''}"]
        lines += [f"  error: {text}" for text in render_grouped(self.errors)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


class ValidationFailed(InvalidFile):
    """A client's intake has one or more errors (all of them are listed)."""


class MethodologyError(InvalidFile):
    """A methodology file the user gave is missing, unreadable or breaks its schema;
    ``problems`` locate each one by line and key path."""


class UsageError(InputError):
    """A command was called with arguments it cannot use."""


class OutputError(RevkitError):
    """Writing the output failed (a full disk, a permission lost mid-run); names the path."""


class RunError(RevkitError):
    """A report run failed after its input was validated."""

    def __init__(self, message: str, client: str | None = None, cell: int | None = None):
        super().__init__(message)
        self.client = client
        self.cell = cell


class KernelError(RunError):
    """A report kernel could not be started, reset or kept alive."""


class KitError(RevkitError):
    """A defect in the kit's own shipped data or code, not in the user's input."""

    def __init__(self, detail: str):
        super().__init__(f"this is a bug in revkit, not in your input: {detail}")
        self.detail = detail


def render_grouped(problems: list[Problem], shown_rows: int = 8) -> list[str]:
    """One line per distinct problem; the same problem on many rows is listed once.

    A value that is wrong on 30 rows of a survey reads as one line naming the
    first row and the others, not as 30 lines.
    """
    groups: dict = {}
    for p in problems:
        key = (p.file, p.sheet, p.column, p.message, str(p.value), p.allowed, p.suggestion,
               p.severity)
        groups.setdefault(key, []).append(p)
    lines = []
    for group in groups.values():
        text = group[0].render()
        others = [p.row for p in group[1:] if p.row is not None]
        if others:
            listed = ", ".join(str(r) for r in others[:shown_rows])
            more = f", … {len(others) - shown_rows} more" if len(others) > shown_rows else ""
            text += f" [same in {len(others)} more row{'s' if len(others) != 1 else ''}: " \
                    f"{listed}{more}]"
        lines.append(text)
    return lines
