"""Executed notebook → self-contained HTML (nbconvert) → print-quality PDF (WeasyPrint).

Code, prompts, the parameter cells and the analysts' markdown are removed by
nbconvert's own preprocessors (``TagRemovePreprocessor``, ``exclude_input``); the
template in ``templates/revkit_report`` adds the cover, the contents and the CSS
for screen and paged media, and loads nothing from the network.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import threading
from functools import cache

import nbformat

from revkit.paths import TEMPLATES_DIR
from revkit.report.model import TEMPLATE_DIR, TEMPLATE_NAME

REMOVED_TAGS = ("parameters", "injected-parameters", "remove-cell")
_PDF_LOCK = threading.Lock()  # SOURCE_DATE_EPOCH is process-wide


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without anything that changes from run to run.

    Cell ids are renumbered, papermill's timings and paths and nbclient's
    timestamps are dropped; outputs and tags stay.
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("papermill", None)
    for i, cell in enumerate(nb.cells, 1):
        cell["id"] = f"cell-{i:03d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb


def annotate(nb: nbformat.NotebookNode, report) -> nbformat.NotebookNode:
    """Stamp the notebook with its title, the cover's facts and the page furniture's words,
    all taken from the view model (``revkit.report.model``)."""
    meta = dict(report.meta)
    nb.metadata["title"] = meta["title"]
    meta["page_css"] = page_css(meta)
    nb.metadata["revkit"] = meta
    return nb


def page_css(meta: dict, header: str = "report.page_header", page: str = "@page") -> str:
    """The running header and footer of the PDF, in the report's language; a brand puts
    its firm in the header, its footer line and its confidentiality line in the footer.

    The texts go into CSS strings with every character that is not a letter, a
    digit or a space escaped, so no text can end the string or the style. A page line
    holds at most ``MARGIN_CHARS`` characters of a client's or a brand's text (cut with
    "…"): a longer one would run over the other page lines."""
    text, brand = meta["text"], meta.get("brand") or {}
    box = "font-size: 8pt; color: #5b6573;"
    right = css_string(f"{_short(brand['firm'])} · {text[header]}" if brand.get("firm")
                       else text[header])
    left = (css_string(_short(brand["footer"])) if brand.get("footer")
            else f"{css_string(text['report.page_footer'])} string(assessed)")
    centre = (f" @bottom-center {{ content: {css_string(_short(brand['confidentiality']))};"
              f" {box} }}" if brand.get("confidentiality") else "")
    client = css_string(_short(meta["client"])) if meta.get("client") else "string(client)"
    return (f"{page} {{"
            f" @top-left {{ content: {client}; {box} }}"
            f" @top-right {{ content: {right}; {box} }}"
            f" @bottom-left {{ content: {left}; {box} }}{centre}"
            f" @bottom-right {{ content: {css_string(text['report.page_number'])} counter(page)"
            f" {css_string(text['report.page_of'])} counter(pages); {box} }} }}"
            + (" " + meta["brand_css"] if meta.get("brand_css") else ""))


MARGIN_CHARS = 60


def _short(value: str) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= MARGIN_CHARS else value[:MARGIN_CHARS - 1].rstrip() + "…"


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string that can hold any text safely."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in value) + '"'


@cache
def _exporter():
    # built once per process: loading the template environment is most of the cost
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVED_TAGS)
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.anchor_link_text = ""
    exporter = HTMLExporter(config=config, template_name=TEMPLATE_NAME,
                            extra_template_basedirs=[str(TEMPLATES_DIR)])
    return exporter


def to_html(nb: nbformat.NotebookNode, report) -> str:
    """The report's HTML for an executed, cleaned and annotated notebook."""
    exporter = _exporter()
    resources = {"metadata": {"name": nb.metadata.get("title", "report")},
                 }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def brief_html(report, density: str = "") -> str:
    """The one-page brief as a document of its own: a header naming the client and the
    brief section as page 2 of the report shows it (``templates/.../blocks/brief.html.j2``)."""
    from markupsafe import Markup

    from revkit.report import html

    css = "\n".join((TEMPLATE_DIR / "static" / name).read_text(encoding="utf-8")
                    for name in ("report.css", "components.css"))
    section = report.section("brief")
    body = html.section(section) if section is not None else ""
    return html.environment().get_template("brief.html.j2").render(
        meta=report.meta, css=Markup(css), density=density,
        page_css=Markup(page_css(report.meta, "brief.page_header", "@page :first")),
        body=Markup(body))


def to_pdf(html_text: str, assessment_date: str | None = None) -> bytes:
    """The PDF of the report's HTML (WeasyPrint; A4 and page furniture come from the CSS).

    The document's dates come from the ``dcterms.created``/``modified`` meta tags
    (the assessment date). The embedded font subsets carry a timestamp too;
    fontTools takes it from ``SOURCE_DATE_EPOCH``, set here to the same date, so
    the same inputs give the same PDF bytes. Fonts and the font subsetter are set up
    once per process and shared by its documents (``pdf_engine``).
    """
    return fitted_pdf([html_text], assessment_date)[0]


def fitted_pdf(candidates: list[str], assessment_date: str | None = None,
               pages: int | None = None) -> tuple[bytes, int]:
    """The PDF of the first candidate HTML that lays out in at most ``pages`` pages (the
    last candidate if none does), and that candidate's index."""
    from revkit.report import pdf_engine

    epoch = _epoch(assessment_date)
    with _PDF_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        try:
            for index, html_text in enumerate(candidates):
                document = pdf_engine.render(html_text, str(TEMPLATES_DIR))
                if pages is None or len(document.pages) <= pages or \
                        index == len(candidates) - 1:
                    return document.write_pdf(), index
        finally:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before
    raise AssertionError("no candidate")  # unreachable: candidates is never empty


# the brief's densities, tried in order until it fits one page (report.css .rk-dense-*)
BRIEF_DENSITIES = ("", "rk-dense-1", "rk-dense-2", "rk-dense-3")


def brief_pdf(report, assessment_date: str | None = None) -> tuple[bytes, str]:
    """The one-page brief as a PDF, at the first density that fits one A4 page, and that
    density (the full report's page 2 uses the same)."""
    candidates = [brief_html(report, d) for d in BRIEF_DENSITIES]
    data, index = fitted_pdf(candidates, assessment_date, pages=1)
    return data, BRIEF_DENSITIES[index]


def with_density(html_text: str, density: str) -> str:
    """The report's HTML with the brief set at ``density`` (the body's class)."""
    if not density:
        return html_text
    return html_text.replace('<body class="rk-report">', f'<body class="rk-report {density}">', 1)


def report_pdf(html_text: str, density: str, assessment_date: str | None,
               page_budget: int | None) -> bytes:
    """The report's PDF; one over ``page_budget`` pages is set again in the compact style
    (``.rk-compact-report``: smaller type and spacing, no text below 7 pt) — the layout
    is only done twice for a report that needs it."""
    first = with_density(html_text, density)
    if page_budget is None:
        return to_pdf(first, assessment_date)
    compact = with_density(html_text, f"{density} rk-compact-report".strip())
    return fitted_pdf([first, compact], assessment_date, pages=page_budget)[0]


def _epoch(day: str | None) -> int:
    try:
        date = dt.date.fromisoformat(str(day))
    except ValueError:
        date = dt.date(2000, 1, 1)  # no usable date: still a fixed one
    return int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp())


def warm_up(pdf: bool = True) -> None:
    """Import and initialise nbconvert (and WeasyPrint's shared fonts and font subsetter,
    for a PDF) ahead of use.

    ``revkit run`` calls this in a thread while the kernel executes the notebook, so
    this cost overlaps with the kernel's work; a batch worker's first client does the
    same, and the worker's later clients find everything ready.
    """
    # one conversion of an empty notebook compiles the templates
    _exporter().from_notebook_node(nbformat.v4.new_notebook(), resources={})
    if pdf:
        from revkit.report import pdf_engine

        with _PDF_LOCK:
            pdf_engine.warm_up()
