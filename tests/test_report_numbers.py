"""Every number agrees with every other: each labelled figure of a rendered report equals
the result it names, and a quantity has one name and one value on every page."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

import pytest

from revkit.report.run import run_client
from tests.report_helpers import copy_client, pdf_pages, squash, visible_text
from tests.scoring_helpers import DEMO_SLUGS

FIG = re.compile(r'<span class="rk-fig" data-ref="([^"]+)">([^<]*)</span>')
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")


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


def shown_as(value, text: str) -> bool:
    """Does ``text`` (e.g. ``"47.0"``, ``"94 %"``, ``"+12.5"``, ``"0.98×"``) show ``value``
    at the precision it is printed with, rounded half up as the report rounds?"""
    match = NUMBER.search(text)
    assert match, text
    printed = match.group(0).replace(",", "")
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
            assert text.lower() == value
        elif isinstance(value, (int, float)):
            assert shown_as(value, text), (ref, value, text)
        else:
            raise AssertionError(f"{ref} names no number: {value!r}")


def test_the_checker_catches_a_figure_that_disagrees():
    assert shown_as(47.04, "47.0") and shown_as(0.9449, "94 %") and shown_as(-3.25, "-3.3")
    assert not shown_as(47.06, "47.0") and not shown_as(0.955, "95.0 %")


def test_a_quantity_has_one_value_on_every_page(rendered):
    """The perception gap, the scores and the robustness read the same wherever they appear."""
    r = rendered["results"]
    text = squash(" ".join(rendered["pages"]) + " " + visible_text(rendered["html"]))
    gap = r["survey"].get("perception_gap") or {}
    if gap.get("gap") is not None:
        shown = re.findall(r"perception gap\b[^0-9)]{0,80}?(\d+\.\d)", text)
        assert shown, "the perception gap is never shown"
        assert set(shown) == {f"{Decimal(str(gap['gap'])).quantize(Decimal('0.1'), ROUND_HALF_UP)}"}
    # no number is called "pain" (the evidence adjusts the decision score; it has its own name)
    assert "Pain" not in text
    for key, name in (("silos", "Silos"), ("metric_coverage", "Metric coverage"),
                      ("process_alignment", "Process alignment")):
        score = f"{r['scores'][key]:.1f}"
        for found in re.findall(rf"{name}:? (\d+\.\d) of 100", text):
            assert found == score, (name, found, score)
