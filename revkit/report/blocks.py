"""The pieces a report section is made of, as plain data.

The view model (``revkit.report.model``) builds these from ``results.json`` in
the report's language; writers turn them into a format (HTML through the
Jinja2 templates of ``revkit.report.html``; later a deck). Nothing here knows
about HTML or about where a number came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Badge:
    """A status shown as a coloured label (``in_place``, ``missing`` …)."""

    status: str
    label: str

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Titled:
    """A cell with a bold title over a text (a roadmap action)."""

    title: str
    text: str

    def __str__(self) -> str:
        return f"{self.title}: {self.text}"


@dataclass
class Table:
    columns: list[str]
    rows: list[list]
    numeric: frozenset[int] = frozenset()
    css: str = ""
    caption: str | None = None
    kind: str = "table"


@dataclass
class Text:
    """Narrative in the kit's small Markdown (paragraphs, ``- `` lists, bold, italic)."""

    markdown: str
    kind: str = "text"


@dataclass
class Note:
    """One plain sentence or paragraph, muted."""

    text: str
    kind: str = "note"


@dataclass
class Heading:
    text: str
    kind: str = "heading"


@dataclass
class Chart:
    """A chart: ``chart`` names the drawing function, ``data`` is what it draws."""

    chart: str
    data: dict
    alt: str
    caption: str
    css: str = ""
    kind: str = "chart"


@dataclass
class Verdict:
    """The verdict banner with its key figures."""

    verdict: str
    label: str
    caption: str
    summary: str
    kpis: list[tuple[str, str]]
    text: str
    colour: str
    kind: str = "verdict"


@dataclass
class Facts:
    items: list[tuple[str, str]]
    callout_label: str
    callout: str
    kind: str = "facts"


@dataclass
class Quotes:
    items: list[tuple[str, str]]  # (quote, who)
    kind: str = "quotes"


@dataclass
class Bullets:
    items: list[str]
    css: str = ""
    kind: str = "bullets"


@dataclass
class Section:
    """One chapter of the report: an id, a heading, its narrative and blocks."""

    id: str
    title: str
    blocks: list = field(default_factory=list)
    page_break: bool = True

    @property
    def anchor(self) -> str:
        return f"rk-{self.id}"
