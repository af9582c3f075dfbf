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


@dataclass(frozen=True)
class Fig:
    """A labelled figure: the text shown and the result it shows (``ref``, a dotted path
    into results.json), so a test can check every labelled number against the result."""

    text: str
    ref: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Bar:
    """A 0–100 score drawn as a bar against its reference band (a table cell)."""

    value: float
    low: float | None = None
    high: float | None = None

    def __str__(self) -> str:
        return ""


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
class FindingList:
    """Findings as a list: ``(kind, kind label, sentence, evidence line)`` each."""

    items: list[tuple[str, str, str, str]]
    css: str = ""
    kind: str = "findings"


@dataclass
class Definitions:
    """Terms and what they mean, set in columns: ``(term, text, note)`` each."""

    items: list[tuple[str, str, str]]
    css: str = ""
    kind: str = "definitions"


@dataclass
class Contents:
    title: str
    items: list[tuple[str, str]]  # (anchor, title)
    kind: str = "contents"


@dataclass
class Section:
    """One chapter of the report: an id, a heading, its narrative and blocks.

    ``part`` is where it stands: the one-page ``brief`` after the cover, the
    ``body`` or the ``appendix``; ``page_break`` starts it on a new page.
    """

    id: str
    title: str
    blocks: list = field(default_factory=list)
    page_break: bool = False
    part: str = "body"
    in_contents: bool = True
    lang: str = "en"  # the language its texts are in (its plain-text form names a chart in it)

    @property
    def anchor(self) -> str:
        return f"rk-{self.id}"
