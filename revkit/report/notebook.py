"""What the report notebook's cells call: load the results, show one section at a time.

The notebook stays thin: one cell loads the view model, then one cell per
section shows it. The HTML each cell shows is exactly what the report's HTML
holds for that section (``revkit.report.html``).
"""

from __future__ import annotations

from pathlib import Path

from revkit.report import charts, html, model  # noqa: F401 - charts: loaded with the notebook
from revkit.report import results as results_file


class Shown:
    """HTML that Jupyter displays; ``repr`` is its plain-text form."""

    def __init__(self, html_text: str, text: str):
        self.html = html_text
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


class Report:
    """One client's report in one language, section by section."""

    def __init__(self, results: dict, lang: str | None = None):
        self.results = results
        self.model = model.build(results, lang or results.get("report_language") or "en")

    def section(self, section_id: str) -> Shown | None:
        """One section as the report shows it (nothing where the client has no data for it)."""
        sec = self.model.section(section_id)
        return None if sec is None else Shown(html.section(sec), html.text(sec))


def load(client_path: str | Path | None = None, results_path: str | Path | None = None,
         methodology_path: str | Path | None = None, output_dir: str | Path | None = None,
         lang: str | None = None) -> Report:
    """The report of a client: its ``results.json`` when given, else assessed now."""
    return Report(results_file.load(client_path, results_path, methodology_path, output_dir),
                  lang)


def stylesheet() -> Shown:
    """The CSS of the report's blocks, for a notebook opened in Jupyter (the report has its own)."""
    css = (model.TEMPLATE_DIR / "static" / "components.css").read_text(encoding="utf-8")
    return Shown(f"<style>{css}</style>", "")
