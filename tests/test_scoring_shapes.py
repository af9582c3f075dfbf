"""Organisation shapes get the verdict a seasoned consultant gives, with every part of it."""

from __future__ import annotations

import pytest
from scoring_helpers import DEMO_SLUGS, demo
from shape_fixtures import SHAPES, write_shape

from revkit.intake.validate import load_client
from revkit.method.assess import assess

EXPECTED = {
    "startup": "salesops_only",                  # two marketers beside four sellers, €1.2M
    "product_led": "full_revops",                # usage data joins marketing, sales and CS
    "channel_led": "salesops_then_revops",       # partners beside a small direct team
    "enterprise_partners": "full_revops",        # 2,500 people, four revenue teams
    "aligned_complex": "full_revops",            # complex and already aligned: sustain it
}


@pytest.fixture(scope="module")
def shaped(tmp_path_factory):
    root = tmp_path_factory.mktemp("shapes")
    return {name: assess(load_client(write_shape(name, root / name))) for name in SHAPES}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shape_gets_the_consultants_verdict(shaped, name):
    assert shaped[name]["recommendation"]["verdict"] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(SHAPES) + DEMO_SLUGS)
def test_every_result_carries_confidence_robustness_sizing_and_a_dated_plan(shaped, name):
    result = shaped[name] if name in shaped else assess(demo(name))
    rec = result["recommendation"]
    assert 0 <= rec["data_confidence"] <= 1 and 0 <= rec["robustness"] <= 1
    assert rec["robustness_class"] in ("robust", "sensitive", "borderline")
    assert rec["robustness_reasons"]
    sizing = rec["sizing"]
    assert sizing["recommended_min"] <= sizing["recommended_max"]
    assert all(b["source"] for b in sizing["basis"])
    roadmap = result["roadmap"]
    now = [a for a in roadmap if a["phase"] == "now"]
    assert 1 <= len(now) <= 5
    ids = {a["id"] for a in roadmap}
    order = {a["id"]: ("now", "next", "later").index(a["phase"]) for a in roadmap}
    for action in roadmap:
        assert action["owner_role"] and action["quarter"] and action["effort_weeks"] > 0
        assert action["kpi"]["target"] is not None
        assert set(action["depends_on"]) <= ids
        # an action never starts before what it needs
        assert all(order[d] <= order[action["id"]] for d in action["depends_on"])


def test_scale_keeps_counting_beyond_a_mid_size_company(shaped):
    factors = {f["id"]: f for f in shaped["enterprise_partners"]["recommendation"]["factors"]}
    helix = {f["id"]: f for f in assess(demo("helix-cloud"))["recommendation"]["factors"]}
    # 590 people in revenue teams count more than 75, €600M more than $42M
    assert factors["gtm_headcount"]["contribution"] > helix["gtm_headcount"]["contribution"]
    assert factors["annual_revenue"]["contribution"] > helix["annual_revenue"]["contribution"]


def test_team_size_counts_relative_to_the_company(shaped):
    teams = {t["team"]: t for t in next(
        f for f in shaped["startup"]["recommendation"]["factors"]
        if f["id"] == "other_revenue_teams")["evidence"]["teams"]}
    # two marketers count in part (a team counts fully from 6 people or 10 % of revenue teams)
    assert 0 < teams["marketing"]["weight"] < 1


def test_an_aligned_complex_company_keeps_full_revops_and_sustains_it(shaped):
    result = shaped["aligned_complex"]
    assert result["levels"]["overall"] >= 4
    templates = {a["template"]: a for a in result["roadmap"]}
    assert "sustain_review" in templates
    # the RevOps function is in effect in place: its lead is not one to hire
    assert templates["revops_function"]["owner_to_hire"] is False


def test_the_step_to_the_function_sits_where_the_verdict_puts_it(shaped):
    full = {a["template"]: a for a in shaped["enterprise_partners"]["roadmap"]}
    assert full["revops_function"]["phase"] == "now"
    assert full["revops_function"]["owner_role"] == "revops_lead"
    later = {a["template"]: a for a in shaped["channel_led"]["roadmap"]}
    assert later["revops_plan"]["phase"] == "next"


def test_product_led_metrics_and_handoffs_count_for_product_led_motions(shaped):
    result = shaped["product_led"]
    applicable = {m["id"] for m in result["metric_quality"] if m["applicable"]}
    assert {"pql_volume", "activation_rate", "free_to_paid_conversion"} <= applicable
    assert "mql_to_sql_conversion" not in applicable  # no MQL funnel in a product-led motion
    handoffs = {h["id"] for h in result["handoffs"] if h["applicable"]}
    assert {"signup_to_activation", "pql_to_sales_assist"} <= handoffs
    assert "mql_to_sql" not in handoffs


def test_partner_handoffs_and_metrics_count_with_a_partnerships_team(shaped):
    result = shaped["channel_led"]
    assert {"partner_sourced_pipeline", "partner_win_rate"} <= {
        m["id"] for m in result["metric_quality"] if m["applicable"]}
    assert "partner_deal_registration" in {h["id"] for h in result["handoffs"]
                                           if h["applicable"]}
    assert not {"partner_sourced_pipeline"} & {m["id"] for m in assess(demo("helix-cloud"))[
        "metric_quality"] if m["applicable"]}
