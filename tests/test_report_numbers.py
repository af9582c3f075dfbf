"""Every number agrees with every other: each labelled figure of a rendered report equals
the result it names, and a quantity has one name and one value on every page."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

import pytest

from revkit import messages
from revkit.report.run import run_client
from tests.report_helpers import copy_client, pdf_pages, squash, visible_text
from tests.scoring_helpers import DEMO_SLUGS

FIG = re.compile(r'<span class="rk-fig" data-ref="([^"]+)">([^<]*)</span>')
NUMBER = {"en": re.compile(r"[-+−]?\d[\d,]*(?:\.\d+)?"),          # 1,234.5
          "ru": re.compile(r"[-+−]?\d[\d\u00a0\u202f ]*(?:,\d+)?")}  # 1 234,5


@pytest.fixture(scope="module", params=DEMO_SLUGS)
def rendered(request, tmp_path_factory):
    slug = request.param
    out = tmp_path_factory.mktemp("out")
    run_client(copy_client(slug, tmp_path_factory.mktemp("in")), out)
    folder = out / slug
    return {"html": (folder / f"{slug}.html").read_text(encoding="utf-8"),
            "pages": pdf_pages(folder / f"{slug}.pdf"),
            "results": json.loads((folder / "results.json").read_text(encoding="utf-8"))}


def resolve(results: dict, ref: str):
    """``scores.overall``, ``handoffs[renewal].score``: written apart from the kit's own
    lookup, so that a wrong ref in the report cannot agree with itself."""
    value = results
    for part in ref.split("."):
        match = re.fullmatch(r"(\w+)(?:\[([\w.-]+)\])?", part)
        assert match, ref
        value = value[match.group(1)]
        if match.group(2):
            found = [x for x in value if match.group(2) in (x.get("id"), x.get("team"),
                                                             x.get("entity"))]
            assert len(found) == 1, ref
            value = found[0]
    return value


def shown_as(value, text: str, lang: str = "en") -> bool:
    """Does ``text`` (e.g. ``"47.0"``, ``"94 %"``, ``"+12.5"``, ``"0.98×"``; in Russian
    ``"47,0"``) show ``value`` at the precision it is printed with, rounded half up as
    the report rounds?"""
    match = NUMBER[lang].search(text)
    assert match, text
    printed = match.group(0).replace("−", "-")
    if lang == "ru":
        printed = re.sub(r"[\u00a0\u202f ]", "", printed).replace(",", ".")
    else:
        printed = printed.replace(",", "")
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    number = Decimal(str(value)) * (100 if "%" in text else 1)
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded == Decimal(printed)


def test_every_labelled_figure_equals_the_result_it_names(rendered):
    figures = FIG.findall(rendered["html"])
    refs = {ref.split("[")[0].split(".")[0] for ref, _ in figures}
    # figures from every part of the report are labelled
    assert {"scores", "subscores", "handoffs", "functions", "recommendation",
            "sources_of_truth"} <= refs
    assert len(figures) >= 40
    for ref, text in figures:
        value = resolve(rendered["results"], ref)
        text = unescape(text)
        if value is None:
            assert text == "–", (ref, text)      # nothing to show: the dash, never a 0
        elif ref.endswith("robustness_class"):
            lang = rendered["results"]["report_language"]
            assert text.lower() == messages.get(lang)(f"robustness.{value}").lower()
        elif isinstance(value, (int, float)):
            assert shown_as(value, text, rendered["results"]["report_language"]), \
                (ref, value, text)
        else:
            raise AssertionError(f"{ref} names no number: {value!r}")


def test_the_checker_catches_a_figure_that_disagrees():
    assert shown_as(47.04, "47.0") and shown_as(0.9449, "94 %") and shown_as(-3.25, "-3.3")
    assert not shown_as(47.06, "47.0") and not shown_as(0.955, "95.0 %")
    assert shown_as(1234.5, "1\u00a0234,5", "ru") and not shown_as(1234.5, "1\u00a0234,4", "ru")


def test_a_quantity_has_one_value_on_every_page(rendered):
    """The perception gap, the scores and the robustness read the same wherever they appear."""
    r = rendered["results"]
    m = messages.get(r["report_language"])
    text = squash(" ".join(rendered["pages"]) + " " + visible_text(rendered["html"]))
    gap = r["survey"].get("perception_gap") or {}
    if gap.get("gap") is not None:
        name = re.escape(m("evidence_line.perception_gap"))
        shown = re.findall(rf"{name}\b[^0-9)]{{0,80}}?(\d+[.,]\d)", text, re.I)
        assert shown, "the perception gap is never shown"
        assert set(shown) == {m.score(gap["gap"])}
    # no number is called "pain" (the evidence adjusts the decision score; it has its own name)
    assert "Pain" not in text
    if r["report_language"] != "en":
        return
    for key, name in (("silos", "Silos"), ("metric_coverage", "Metric coverage"),
                      ("process_alignment", "Process alignment")):
        score = f"{r['scores'][key]:.1f}"
        for found in re.findall(rf"{name}:? (\d+\.\d) of 100", text):
            assert found == score, (name, found, score)


def test_a_report_fits_its_page_budget(rendered):
    """Cover, brief, body, appendix and glossary in at most 15 pages without CRM exports
    and 18 with them (report.yaml's page_budget), the brief alone on page 2; the compact
    style is the means, not less content: every chapter is still there."""
    from revkit.report import writers

    r, pages = rendered["results"], rendered["pages"]
    budget = writers.page_budget(r)
    assert budget == (18 if r.get("measured") else 15)
    assert len(pages) <= budget
    m = messages.get(r["report_language"])
    assert m("section.brief.title") in pages[1]
    text = squash(" ".join(pages))
    for key in ("findings", "scores", "silos", "metrics", "process", "recommendation",
                "roadmap", "glossary"):
        assert squash(m(f"section.{key}.title")) in text, key
