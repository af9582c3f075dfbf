"""The methodology's 2026.2 rules, each on a small variant of a demo client."""

from __future__ import annotations

import json
import re

import pytest
from scoring_helpers import DEMO_SLUGS, add_integration, default_method, demo, with_table

from revkit import messages
from revkit.method.assess import assess
from revkit.report import words
from revkit.report.results import dump

EN = messages.get("en")


def _systems(client, rows):
    systems = client.systems.copy()
    for name, changes in rows.items():
        for key, value in changes.items():
            systems.loc[systems["system"] == name, key] = [value]
    return with_table(client, "systems", systems)


def test_a_spreadsheet_as_the_single_source_of_truth_scores_below_a_system_of_record():
    result = assess(demo("brightpath-analytics"))  # customer: Google Sheets only
    rows = {r["entity"]: r for r in result["sources_of_truth"]}
    points = default_method()["silos"]["source_of_truth"]
    assert rows["customer"]["spreadsheet"] is True
    assert rows["customer"]["points"] == points["single_spreadsheet"] < points["single"]
    assert rows["lead"]["points"] == points["single"]  # HubSpot Marketing Hub, a system


def test_an_integration_through_a_spreadsheet_counts_less_than_system_to_system():
    base = demo("nordkraft-tools")
    names = dict(zip(base.systems["category"], base.systems["system"], strict=True))
    # finance's billing system integrated with sales' spreadsheet, or with sales' CRM
    via_sheet = add_integration(base, names["billing"], names["spreadsheet"])
    via_crm = add_integration(base, names["billing"], names["crm"])
    cfg = default_method()["silos"]
    matrix = {k: assess(c)["silo_map"] for k, c in (("sheet", via_sheet), ("crm", via_crm))}
    pair = {k: max(v["matrix"][0][1], v["matrix"][1][0]) for k, v in matrix.items()}
    assert pair["sheet"] <= max(cfg["spreadsheet_integration_strength"],
                                cfg["shared_system_strength"]["spreadsheet"],
                                cfg["shared_system_strength"]["billing"])
    assert pair["crm"] >= pair["sheet"]


def test_sizing_gives_todays_ops_headcount_the_range_and_its_source():
    sizing = assess(demo("helix-cloud"))["recommendation"]["sizing"]
    # 45 in sales, 2 of them ops: 43 quota-carrying reps; 1 RevOps person per 20-30 reps
    # gives 2-3, and a $42M (€38.6M) company's revenue stage also 2-3
    assert (sizing["function"], sizing["recommended_min"], sizing["recommended_max"]) == \
        ("revops", 2, 3)
    assert sizing["current_ops_headcount"] == 3 and sizing["gap"] == 0
    assert {b["source"] for b in sizing["basis"]} == {"revops_report_team_structure"}
    assert words.sizing_text(EN, sizing) == (
        "3 people in operations today; a RevOps function for this size is typically "
        "2–3 people.")


def test_a_sales_team_without_an_ops_person_gets_an_action_to_staff_salesops():
    result = assess(demo("nordkraft-tools"))
    assert result["recommendation"]["sizing"]["gap"] == 1
    action = next(a for a in result["roadmap"] if a["template"] == "salesops_function")
    assert action["phase"] == "now" and action["kpi"]["target"] == 1


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_a_function_with_most_of_its_metrics_tracked_is_never_missing(slug):
    result = assess(demo(slug))
    for kind in ("salesops_functions", "revops_benefits"):
        for item in result["functions"][kind]:
            counts = item["counts"]
            if counts["metrics"] and counts["metrics_tracked"] / counts["metrics"] >= 0.5:
                assert item["status"] != "missing", item


def test_helix_sales_analytics_with_12_of_15_metrics_tracked_is_partial():
    item = next(f for f in assess(demo("helix-cloud"))["functions"]["salesops_functions"]
                if f["id"] == "sales_analytics")
    assert (item["counts"]["metrics_tracked"], item["counts"]["metrics"]) == (12, 15)
    assert item["status"] == "partial"


def test_teams_with_enough_respondents_is_the_share_that_qualifies():
    comp = assess(demo("brightpath-analytics"))["completeness"]
    # sales 6, marketing 3, customer success 1: two of three teams reach 3 respondents
    assert comp["teams_with_enough_respondents"] == pytest.approx(2 / 3, abs=0.001)
    assert comp["respondent_coverage"] == pytest.approx((1 + 1 + 1 / 3) / 3, abs=0.001)


def test_metrics_that_do_not_apply_are_left_out_not_counted_as_not_tracked():
    client = demo("nordkraft-tools")
    result = assess(client)
    applicable = [m for m in result["metric_quality"] if m["applicable"]]
    assert not any(m["id"] == "mql_to_sql_conversion" for m in applicable)
    # the warning lists only metrics that apply and were not asked: here none
    assert not [w for w in client.warnings if w.code == "metrics_not_asked"]


def test_housekeeping_is_a_note_on_the_assessment_not_an_action():
    result = assess(demo("brightpath-analytics"))
    assert result["assessment_notes"] == [
        {"id": "survey_more", "teams": ["customer_success"], "min_respondents": 3}]
    assert not any("survey" in a["template"] for a in result["roadmap"])


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_action_texts_never_show_raw_ids(slug):
    results = json.loads(dump(assess(demo(slug))))
    for action in results["roadmap"]:
        text = " ".join([words.action_title(EN, action), words.action_description(EN, action),
                         words.closes(EN, action["closes"]), words.role(EN, action),
                         words.kpi_text(EN, action["kpi"])])
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text


def test_borderline_brightpath_says_which_self_reported_input_it_rests_on():
    rec = assess(demo("brightpath-analytics"))["recommendation"]
    assert rec["robustness_class"] == "borderline"
    unconfirmed = {r["input"]: r["value"] for r in rec["robustness_reasons"]
                   if r["id"] == "unconfirmed_input"}
    margin = next(r for r in rec["robustness_reasons"] if r["id"] == "margin")
    # the 10 points of the self-reported 55 % share outweigh the margin to the threshold
    assert unconfirmed["marketing_sourced_pipeline_share"] == 10.0 > margin["value"]
    assert rec["confidence"] == rec["data_confidence"]  # the alias of one version


def test_pain_is_the_gap_to_maturity_and_it_sets_the_urgency():
    rec = assess(demo("helix-cloud"))["recommendation"]
    result = assess(demo("helix-cloud"))
    assert rec["maturity_gap"] == pytest.approx(100 - result["scores"]["overall"], abs=0.05)
    assert rec["urgency"] == "high"
    now = [a for a in result["roadmap"] if a["phase"] == "now"]
    assert len(now) == 5  # high urgency: the most actions Now may hold
