"""The report's output formats, as a registry: ``--formats`` lists what is registered here.

A writer turns one client's ``Rendering`` — its results, the view model and
the executed notebook, with the HTML made once and shared — into the bytes of
one or more files. ``run`` and ``batch`` never name a format: they ask this
registry. A new format is one ``register`` call (see ``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from revkit.errors import UsageError


@dataclass
class Rendering:
    """What the writers of one client share; the HTML is built on first use, once."""

    slug: str
    results: dict
    model: object              # revkit.report.model.ReportModel
    notebook: object           # the executed, cleaned and annotated notebook

    @cached_property
    def html(self) -> str:
        from revkit.report import render

        return render.to_html(self.notebook, self.model)


@dataclass(frozen=True)
class Writer:
    name: str
    write: Callable[[Rendering], dict[str, bytes]]  # file name -> bytes
    description: str = ""
    # the engine a writer warms up while the notebook executes (a speed hint)
    warm: tuple[str, ...] = field(default_factory=tuple)
    # what it writes besides <slug>.<name>, as suffixes of the slug (e.g. "-brief.pdf")
    extra_files: tuple[str, ...] = field(default_factory=tuple)

    def file_names(self, slug: str) -> tuple[str, ...]:
        return (f"{slug}.{self.name}", *(f"{slug}{suffix}" for suffix in self.extra_files))


_REGISTRY: dict[str, Writer] = {}


def register(writer: Writer) -> Writer:
    _REGISTRY[writer.name] = writer
    return writer


def names() -> tuple[str, ...]:
    """The registered formats, in registration order."""
    return tuple(_REGISTRY)


def get(name: str) -> Writer:
    return _REGISTRY[name]


def file_names(slug: str) -> tuple[str, ...]:
    """Every file a registered writer can write for the client ``slug``."""
    return tuple(name for writer in _REGISTRY.values() for name in writer.file_names(slug))


DEFAULT_FORMATS = ("html", "pdf")


def parse_formats(text: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """``"html,pdf"`` → ``("html", "pdf")``; a ``UsageError`` names the registered formats."""
    items = text.split(",") if isinstance(text, str) else list(text)
    formats = tuple(dict.fromkeys(f.strip().lower() for f in items if f.strip()))
    unknown = [f for f in formats if f not in _REGISTRY]
    if unknown or not formats:
        raise UsageError(f"--formats takes a comma-separated subset of {','.join(names())}, "
                         f"got {text!r}")
    return formats


# ---------------------------------------------------------------- the shipped writers

def _html(r: Rendering) -> dict[str, bytes]:
    return {f"{r.slug}.html": r.html.encode("utf-8")}


def _pdf(r: Rendering) -> dict[str, bytes]:
    from revkit.report import render

    date = r.results.get("client", {}).get("assessment_date")
    # the one-page brief is written whenever the PDF is, at the density that fits one
    # page; page 2 of the report uses the same density
    brief, density = render.brief_pdf(r.model, date)
    return {f"{r.slug}.pdf": render.report_pdf(r.html, density, date, page_budget(r.results)),
            f"{r.slug}-brief.pdf": brief}


def page_budget(results: dict) -> int | None:
    """The most pages a report should take (``report.yaml`` ``page_budget``): one for a
    client without CRM exports; none where the exports add their chapter and appendix."""
    from revkit.report.model import style

    budget = style().get("page_budget") or {}
    return budget.get("with_crm") if results.get("measured") else budget.get("without_crm")


def _pptx(r: Rendering) -> dict[str, bytes]:
    from revkit.report import deck

    return {f"{r.slug}.pptx": deck.build(r.model, r.results)}


register(Writer("html", _html, "one self-contained HTML file"))
register(Writer("pdf", _pdf, "A4 print PDF (WeasyPrint) and the one-page brief <slug>-brief.pdf",
                warm=("pdf",), extra_files=("-brief.pdf",)))
register(Writer("pptx", _pptx, "an editable PowerPoint deck with native charts"))
