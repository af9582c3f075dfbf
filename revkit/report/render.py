"""Executed notebook → self-contained HTML (nbconvert) → print-quality PDF (WeasyPrint).

Code, prompts and the parameter cells are removed by nbconvert's own
preprocessors (``TagRemovePreprocessor``, ``exclude_input``); the template in
``templates/revkit_report`` adds the cover, the contents and the CSS for screen
and paged media, and loads nothing from the network.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import os
import re
import threading
from functools import cache

import nbformat

from revkit.paths import TEMPLATES_DIR
from revkit.report.views import TEMPLATE_NAME, labels, score

REMOVED_TAGS = ("parameters", "injected-parameters", "remove-cell")
_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)
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


def annotate(nb: nbformat.NotebookNode, results: dict) -> nbformat.NotebookNode:
    """Stamp the notebook with its title and the cover's facts, all taken from ``results``."""
    client = results.get("client", {})
    rec = results.get("recommendation", {})
    verdict = rec.get("verdict")
    nb.metadata["title"] = f"{client.get('name', '')} — RevOps maturity assessment"
    nb.metadata["revkit"] = {
        "client": client.get("name", ""),
        "slug": client.get("slug", ""),
        "industry": client.get("industry", ""),
        "assessment_date": str(client.get("assessment_date", "")),
        "methodology_version": str(results.get("methodology_version", "")),
        "kit_version": str(results.get("kit_version", "")),
        "verdict": verdict,
        "verdict_label": rec.get("label")
        or labels()["verdicts"].get(verdict, {}).get("label", verdict),
        "summary": rec.get("summary", ""),
        "overall_score": score(results["scores"]["overall"]),
        "overall_level": results["levels"]["overall"],
        "overall_level_name": results.get("level_names", {}).get("overall", ""),
        "dimensions": [
            {"name": name, "score": score(results["scores"][key]),
             "level": results["levels"][key],
             "level_name": results.get("level_names", {}).get(key, "")}
            for key, name in labels()["dimensions"].items()
            if key != "overall" and key in results["scores"]],
    }
    return nb


def contents(nb: nbformat.NotebookNode) -> list[dict]:
    """The table of contents: every ``## `` heading of the markdown cells that stay in the report.

    Ids are computed the way nbconvert anchors its headings, so the links land.
    """
    from nbconvert.filters.strings import add_anchor

    toc = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or set(cell.metadata.get("tags", ())) & set(REMOVED_TAGS):
            continue
        for title in _HEADING.findall(cell.source):
            anchored = add_anchor(f"<h2>{html.escape(title)}</h2>")
            found = re.search(r'id="([^"]*)"', anchored)
            toc.append({"title": title, "id": html.unescape(found.group(1)) if found else ""})
    return toc


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


def to_html(nb: nbformat.NotebookNode) -> str:
    """The report's HTML for an executed, cleaned and annotated notebook."""
    exporter = _exporter()
    resources = {"metadata": {"name": nb.metadata.get("title", "report")},
                 "revkit_toc": contents(nb)}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def to_pdf(html_text: str, assessment_date: str | None = None) -> bytes:
    """The PDF of the report's HTML (WeasyPrint; A4 and page furniture come from the CSS).

    The document's dates come from the ``dcterms.created``/``modified`` meta tags
    (the assessment date). The embedded font subsets carry a timestamp too;
    fontTools takes it from ``SOURCE_DATE_EPOCH``, set here to the same date, so
    the same inputs give the same PDF bytes.
    """
    from weasyprint import HTML

    epoch = _epoch(assessment_date)
    with _PDF_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        try:
            return HTML(string=html_text, base_url=str(TEMPLATES_DIR)).write_pdf()
        finally:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def _epoch(day: str | None) -> int:
    try:
        date = dt.date.fromisoformat(str(day))
    except ValueError:
        date = dt.date(2000, 1, 1)  # no usable date: still a fixed one
    return int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp())


def warm_up(pdf: bool = True) -> None:
    """Import and initialise nbconvert (and WeasyPrint's fonts, for a PDF) ahead of use.

    ``revkit run`` calls this in a thread while the kernel executes the
    notebook, so this cost overlaps with the kernel's work.
    """
    # one conversion of an empty notebook compiles the templates
    _exporter().from_notebook_node(nbformat.v4.new_notebook(), resources={"revkit_toc": []})
    if pdf:
        from weasyprint import HTML

        HTML(string="<p>revkit</p>").render()
