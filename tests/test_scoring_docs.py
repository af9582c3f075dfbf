"""docs/methodology.md quotes real numbers: its worked example must match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scoring_helpers import DEMO_SLUGS, demo

from revkit.method.assess import assess

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"


def section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n#", start + len(title))
    return text[start:end if end != -1 else None]


def test_worked_silo_example_matches_helix_cloud():
    result = assess(demo("helix-cloud"))
    table = section("### Silo score of Helix Cloud")
    rows = {m.group(1).strip(): float(m.group(2))
            for m in re.finditer(r"^\| ([a-z ]+) \| ([\d.]+) \|", table, re.M)}
    subs = result["subscores"]["silos"]
    assert rows == {"connections": subs["connections"],
                    "sources of truth": subs["sources_of_truth"],
                    "shared definitions": subs["shared_definitions"],
                    "survey": subs["survey"],
                    "perception alignment": subs["perception_alignment"]}
    assert f"**{result['scores']['silos']}**" in table.replace("41.77 → ", "")
    assert f"gap = {result['survey']['perception_gap']['gap']}" in DOC.read_text()


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_demo_client_table_matches_the_code(slug):
    result = assess(demo(slug))
    table = section("## Demo clients")
    name = result["client"]["name"].split()[0].rstrip(",")
    row = next(line for line in table.splitlines() if line.startswith(f"| {name}"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    scores = result["scores"]
    assert cells[1:4] == [str(scores["silos"]), str(scores["metric_coverage"]),
                          str(scores["process_alignment"])]
    assert cells[4] == f"{scores['overall']} ({result['levels']['overall']})"
    assert cells[6] == str(result["recommendation"]["data_confidence"])
    assert cells[7] == str(result["recommendation"]["robustness"])


def test_worked_complexity_example_matches_helix_cloud():
    rec = assess(demo("helix-cloud"))["recommendation"]
    table = section("### Worked example: Helix Cloud")
    points = {m.group(1).strip(): float(m.group(2)) for m in re.finditer(
        r"^\| ([a-z -]+) \| [^|]+ \| ([\d.]+) \|", table, re.M)}
    factors = {f["id"]: f["contribution"] for f in rec["factors"] if f["group"] == "complexity"}
    names = {"revenue teams besides sales": "other_revenue_teams",
             "revenue model": "revenue_model", "marketing-sourced pipeline":
             "marketing_sourced_share", "go-to-market headcount": "gtm_headcount",
             "annual revenue": "annual_revenue", "revenue systems": "systems",
             "go-to-market motion": "gtm_motion"}
    assert {names[k]: v for k, v in points.items()} == factors
    assert f"**{rec['complexity']}**" in table
    adj = {f["id"]: f["contribution"] for f in rec["factors"] if f["group"] == "adjustment"}
    assert f"friction +{adj['cross_team_friction']}" in table
    assert f"foundations {adj['salesops_foundation']}" in table
    assert f"({rec['robustness']})" in table and f"is {rec['maturity_gap']}" in table
