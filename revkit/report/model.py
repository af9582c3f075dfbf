"""The view model: ``results.json`` + a language → everything a report output needs.

``build(results, lang)`` returns a ``ReportModel``: the cover's facts (``meta``)
and the sections in report order, each a list of blocks (``revkit.report.blocks``)
whose texts are already in the report's language. Writers and the notebook
only render it, so a number can never differ between the JSON, the notebook,
the HTML and the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import yaml

from revkit import messages
from revkit.messages import Messages
from revkit.paths import TEMPLATES_DIR
from revkit.report import sections
from revkit.report.blocks import Contents, Section
from revkit.report.words import level_name, verdict_label, verdict_summary
from revkit.vocabulary import DIMENSIONS
from revkit.yaml_check import DATA_LOADER

TEMPLATE_NAME = "revkit_report"
TEMPLATE_DIR = TEMPLATES_DIR / TEMPLATE_NAME


@cache
def style() -> dict:
    """The report's colours and hatches (``templates/revkit_report/report.yaml``)."""
    with open(TEMPLATE_DIR / "report.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=DATA_LOADER)


@dataclass
class ReportModel:
    """What every output of one client's report shows."""

    lang: str
    meta: dict
    sections: list[Section] = field(default_factory=list)
    messages: Messages | None = None
    brand: object = None       # the revkit.report.brand.Brand the outputs carry, or None

    def section(self, section_id: str) -> Section | None:
        """The section of this id; ``None`` where the client has no data for it."""
        if section_id not in SECTION_IDS:
            raise KeyError(section_id)
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def contents(self) -> list[dict]:
        """The table of contents: every listed section's title and anchor."""
        return [{"title": s.title, "id": s.anchor, "part": s.part} for s in self.sections
                if s.in_contents and s.part != "brief"]


# the contents follow the one-page brief
SECTION_IDS = (sections.ORDER[0][0], "contents", *(sid for sid, _ in sections.ORDER[1:]))


def build(results: dict, lang: str | None = None, brand=None) -> ReportModel:
    """The view model of one client's results in language ``lang`` (default: the result's
    ``report_language``), with the consultancy's ``brand`` (``revkit.report.brand``) or none."""
    m = messages.get(lang or results.get("report_language") or messages.DEFAULT_LANGUAGE)
    built = [s for s in (builder(results, m) for _, builder in sections.ORDER) if s is not None]
    model = ReportModel(lang=m.lang, meta=cover(results, m, brand), messages=m, sections=built,
                        brand=brand)
    # the contents follow the brief, listing every chapter after it
    toc = Section("contents", m("report.contents"),
                  [Contents(m("report.contents"), [(c["id"], c["title"]) for c in model.contents])],
                  page_break=True, in_contents=False, lang=m.lang)
    model.sections.insert(1 if built and built[0].part == "brief" else 0, toc)
    return model


def cover(results: dict, m: Messages, brand=None) -> dict:
    """The cover's facts and the document's metadata, all taken from ``results`` (and the
    page furniture's lines from the ``brand``, if any)."""
    from revkit.report import brand as brands
    from revkit.report.render import css_string

    client = results.get("client", {})
    firm = brand.firm if brand else None
    prepared = (m("cover.prepared_by_firm", name=brand.prepared_by, firm=firm)
                if brand and brand.prepared_by else firm)
    rec = results.get("recommendation", {})
    levels, scores = results["levels"], results["scores"]
    name = client.get("name", "")
    return {
        "lang": m.lang,
        "title": m("report.title", client=name),
        "client": name,
        "slug": client.get("slug", ""),
        "industry": client.get("industry", ""),
        "assessment_date": str(client.get("assessment_date", "")),
        "assessment_date_text": m.date(client.get("assessment_date")),
        "methodology_version": str(results.get("methodology_version", "")),
        "kit_version": str(results.get("kit_version", "")),
        "verdict": rec.get("verdict"),
        "verdict_label": verdict_label(m, rec.get("verdict")),
        "summary": verdict_summary(m, results),
        "overall_score": m.score(scores["overall"]),
        "overall_level": levels["overall"],
        "overall_level_name": level_name(m, levels["overall"]),
        "dimensions": [{"name": m(f"dimension.{d}"), "score": m.score(scores[d]),
                        "level_text": m("cover.level", level=levels[d],
                                        name=level_name(m, levels[d]))}
                       for d in DIMENSIONS if d in scores],
        "text": {key: m(f"{key}") for key in (
            "report.kicker", "report.contents", "report.page_header", "report.page_footer",
            "report.page_number", "report.page_of", "cover.recommendation",
            "cover.overall_maturity", "cover.overall_score", "cover.assessment_date",
            "cover.methodology_version", "cover.prepared_with", "cover.prepared_by",
            "brief.page_header")},
        "level_text": m("cover.level", level=levels["overall"],
                        name=level_name(m, levels["overall"])),
        "score_text": m("cover.score_of", score=m.score(scores["overall"])),
        "kit_text": m("cover.kit", version=results.get("kit_version", "")),
        "author": prepared or m("report.author", version=results.get("kit_version", "")),
        "brand": brand.meta() if brand else None,
        "brand_css": brands.css(brand, css_string),
        "prepared_by_text": prepared,
        "brief_title": m("brief.title", client=name),
        "brief_meta": m("brief.meta", version=results.get("methodology_version", ""),
                        kit=results.get("kit_version", "")),
        "description": m("report.description", client=name),
    }
