"""What crosses the seam between a batch and its executor: a ``Task`` in, an ``Outcome`` out.

Both are plain data — strings, numbers and tuples — so they pickle into a worker
process and serialise as JSON for an executor whose workers run elsewhere. A task
names its paths absolutely: it must not depend on the working directory (or any
other state) of the process that planned it. Standard library only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# A summary row's status: ran, unchanged, the run failed, the intake has errors.
STATUSES = ("ok", "skipped", "failed", "invalid")


@dataclass(frozen=True)
class Task:
    """One client to run, with everything a worker needs to run it and record it."""

    source: str                  # absolute path of the client folder or workbook
    key: str                     # its path relative to the batch folder (the summary's source)
    slug: str                    # from its profile: names the report folder
    fingerprint: str             # recorded once every output is in place (fingerprint.py)
    out_root: str                # absolute path of the reports root
    formats: tuple[str, ...]     # e.g. ("html", "pdf")
    methodology: str | None = None   # absolute path of a methodology file, or the shipped one
    previous: str | None = None      # absolute path of an earlier results.json to compare with
    lang: str | None = None          # the report language (--lang), or the profile's
    brand: str | None = None         # absolute path of the brand file, or none
    cell_timeout: float | None = None    # seconds a notebook cell may run (0: no limit)

    def to_dict(self) -> dict:
        """The task as JSON-able data (``from_dict`` reverses it)."""
        data = asdict(self)
        data["formats"] = list(self.formats)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Task:
        return cls(**{**data, "formats": tuple(data["formats"])})


@dataclass
class Outcome:
    """One row of the batch summary."""

    client: str            # the slug (or the file name when the input could not be read)
    source: str            # path relative to the batch folder
    verdict: str | None = None
    level: int | None = None
    seconds: float = 0.0
    status: str = "ok"     # one of STATUSES
    message: str = ""

    @classmethod
    def lost(cls, task: Task, reason: str) -> Outcome:
        """The row of a task that never reported back (its worker died, say)."""
        return cls(task.slug, task.key, status="failed", message=reason)

    @staticmethod
    def retried(outcome: Outcome, reason: str) -> Outcome:
        """``outcome`` of a task that ran again because ``reason`` stopped its first try."""
        if isinstance(outcome, Outcome):
            note = f"ran again: {reason}"
            outcome.message = f"{outcome.message}; {note}" if outcome.message else note
        return outcome

    def to_dict(self) -> dict:
        return asdict(self)


def as_level(value) -> int | None:
    """The overall level whether results.json stores it as a number or as {level, name}."""
    if isinstance(value, dict):
        value = value.get("level", value.get("value"))
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def verdict_and_level(results: dict) -> tuple[str | None, int | None]:
    """The verdict and the overall level recorded in a results.json document."""
    rec = results.get("recommendation") or {}
    verdict = rec.get("verdict") if isinstance(rec, dict) else None
    levels = results.get("levels") or {}
    level = as_level(levels.get("overall")) if isinstance(levels, dict) else None
    return verdict, level
