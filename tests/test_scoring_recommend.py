"""The recommendation: demo verdicts, archetypes, factors, confidence and the flip condition."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scoring_helpers import (
    DEMO_SLUGS,
    default_method,
    demo,
    with_profile,
    with_table,
)

from revkit import messages
from revkit.method.assess import assess
from revkit.method.flip import apply_changes, find_flip
from revkit.method.recommend import evaluate, shape_of
from revkit.method.scoring import score_client
from revkit.report import words
from revkit.report.results import dump

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scoring"
EXPECTED = {
    "nordkraft-tools": "salesops_only",        # small, transactional, one sales team
    "helix-cloud": "full_revops",              # multi-team, recurring, siloed
    "brightpath-analytics": "salesops_then_revops",  # startup with small marketing and CS
    "trekpoint": "full_revops",                # five teams, recurring, two CRMs apart
}


def verdict(client) -> str:
    method = default_method()
    return evaluate(shape_of(client), score_client(client, method), method)["verdict"]


def all_answers(client, value: float):
    survey = client.survey.copy()
    survey["score"] = value
    return with_table(client, "survey", survey)


def metrics_all(client, value: bool):
    metrics = client.metrics.copy()
    for column in ("tracked", "definition_documented", "shared_definition", "automated"):
        metrics[column] = value
    metrics["cadence"] = "weekly" if value else "none"
    return with_table(client, "metrics", metrics)


def handoffs_all(client, value: bool):
    handoffs = client.handoffs.copy()
    for column in ("defined", "documented", "sla_measured", "automated", "feedback_loop"):
        handoffs[column] = value
    handoffs["sla_hours"] = 24.0 if value else math.nan
    return with_table(client, "handoffs", handoffs)


def disconnected(client):
    """Every system used only by its owner, no integrations, no shared definitions."""
    systems = client.systems.copy()
    systems["used_by"] = [(owner,) for owner in systems["owner_team"]]
    systems["integrated_with"] = [() for _ in range(len(systems))]
    metrics = client.metrics.copy()
    metrics["shared_definition"] = False
    return with_table(with_table(client, "systems", systems), "metrics", metrics)


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_demo_clients_get_the_verdict_of_their_shape(slug):
    result = assess(demo(slug))
    assert result["recommendation"]["verdict"] == EXPECTED[slug]
    # results hold codes; the verdict's words are the report's (messages)
    assert words.verdict_label(messages.get("en"), result["recommendation"]["verdict"])
    assert words.verdict_summary(messages.get("en"), json.loads(dump(result))).count(".") >= 2


@pytest.mark.parametrize("answer", [1.0, 5.0])
def test_small_transactional_sales_only_company_needs_salesops_however_it_scores(answer):
    client = demo("nordkraft-tools")
    for variant in (all_answers(metrics_all(handoffs_all(client, False), False), answer),
                    all_answers(metrics_all(handoffs_all(client, True), True), answer)):
        assert verdict(variant) == "salesops_only"


def test_brightpath_cut_down_to_a_sales_team_and_transactional_is_salesops_only():
    client = demo("brightpath-analytics")
    changes = [{"input": "teams.marketing.headcount", "from": 4, "to": None},
               {"input": "teams.customer_success.headcount", "from": 3, "to": None},
               {"input": "revenue_model", "from": "hybrid", "to": "transactional"}]
    assert verdict(apply_changes(client, changes)) == "salesops_only"


def test_multi_team_recurring_disconnected_company_needs_full_revops():
    assert verdict(disconnected(demo("helix-cloud"))) == "full_revops"
    # a smaller company of the same shape: full marketing and CS teams, recurring revenue
    startup = apply_changes(demo("brightpath-analytics"), [
        {"input": "revenue_model", "from": "hybrid", "to": "recurring"},
        {"input": "teams.marketing.headcount", "from": 4, "to": 10},
        {"input": "teams.customer_success.headcount", "from": 3, "to": 8},
    ])
    assert verdict(disconnected(startup)) == "full_revops"


def test_well_aligned_multi_team_recurring_company_still_gets_full_revops():
    client = demo("helix-cloud")
    aligned = all_answers(metrics_all(handoffs_all(client, True), True), 5.0)
    result = assess(aligned)
    assert result["recommendation"]["verdict"] == "full_revops"
    assert result["levels"]["overall"] >= 4
    assert result["recommendation"]["urgency"] == "low"
    assert any(a["template"] == "sustain_review" for a in result["roadmap"])


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_factors_carry_signed_contributions_and_evidence(slug):
    rec = assess(demo(slug))["recommendation"]
    groups = {f["group"] for f in rec["factors"]}
    assert groups == {"complexity", "adjustment"}
    for factor in rec["factors"]:
        assert factor["evidence"]
        if factor["group"] == "complexity":
            assert factor["contribution"] >= 0
    complexity = sum(f["contribution"] for f in rec["factors"] if f["group"] == "complexity")
    assert rec["complexity"] == pytest.approx(min(100.0, complexity), abs=0.051)


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_applying_the_flip_condition_flips_the_verdict(slug):
    client = demo(slug)
    rec = assess(client)["recommendation"]
    flip = rec["flip"]
    assert flip["changes"], "the search found a flip for every demo client"
    assert flip["verdict"] != rec["verdict"]
    changed = apply_changes(client, flip["changes"])
    assert assess(changed)["recommendation"]["verdict"] == flip["verdict"]
    text = words.flip_text(messages.get("en"), flip, client.profile["currency"])
    assert text.startswith("The verdict would change to")


def flip_candidates(client, method) -> list[dict]:
    """The single changes the flip search may try, built here from docs/methodology.md
    ("Flip condition") and the methodology's ``recommendation.flip``, not by the kit:
    another revenue model; a revenue team added (``added_team_headcounts``) or, besides
    sales, removed; a present revenue team's headcount times each multiplier; the
    marketing-sourced share in steps; revenue times each multiplier. Each change starts
    from the client's own value."""
    cfg = method["recommendation"]["flip"]
    cost = cfg["cost"]
    models = ["transactional", "hybrid", "recurring"]
    profile = client.profile
    teams = dict(zip(client.teams["team"], client.teams["headcount"], strict=True))
    out = [{"input": "revenue_model", "from": profile["revenue_model"], "to": m,
            "cost": cost["revenue_model_step"]
            * abs(models.index(m) - models.index(profile["revenue_model"]))}
           for m in models if m != profile["revenue_model"]]
    for team in ("marketing", "partnerships", "sales", "customer_success"):
        key, now = f"teams.{team}.headcount", teams.get(team)
        if now is None:
            if team != "sales":
                out += [{"input": key, "from": None, "to": hc, "cost": cost["team_added"]
                         + cost["per_headcount_doubling"] * max(0.0, math.log2(hc / 2))}
                        for hc in cfg["added_team_headcounts"]]
            continue
        if team != "sales":
            out.append({"input": key, "from": now, "to": None, "cost": cost["team_removed"]})
        for mult in cfg["headcount_multipliers"]:
            new = max(1, round(now * mult))
            if new != now:
                out.append({"input": key, "from": now, "to": new,
                            "cost": cost["per_headcount_doubling"] * abs(math.log2(new / now))})
    share = profile.get("marketing_sourced_pipeline_share")
    steps = round(1 / cfg["share_step"])
    for k in range(steps + 1):
        value = round(k * cfg["share_step"], 4)
        if share is None or abs(value - share) > 1e-9:
            out.append({"input": "marketing_sourced_pipeline_share", "from": share, "to": value,
                        "cost": cost["per_share_point"] * abs(value - (share or 0.0)) * 100})
    revenue = float(profile["annual_revenue"])
    for mult in cfg["revenue_multipliers"]:
        if round(revenue * mult) != revenue:
            out.append({"input": "annual_revenue", "from": revenue, "to": round(revenue * mult),
                        "cost": cost["per_revenue_doubling"] * abs(math.log2(mult))})
    return out


def _key(change) -> tuple:
    return change["input"], str(change["from"]), str(change["to"])


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_flip_is_the_cheapest_change_that_flips(slug):
    from itertools import combinations

    client = demo(slug)
    method = default_method()
    scored = score_client(client, method)
    flip = find_flip(client, scored, method)
    current = evaluate(shape_of(client), scored, method)["verdict"]
    singles = flip_candidates(client, method)
    cost = {_key(c): c["cost"] for c in singles}
    # the proposal is made of candidate changes, each from the client's own value (a
    # change "from" a value the client does not have, or to one no candidate reaches,
    # is not a flip of this client)
    assert flip["changes"] and all(_key(c) in cost for c in flip["changes"]), flip
    assert len({c["input"] for c in flip["changes"]}) == len(flip["changes"])
    changed = apply_changes(client, flip["changes"])
    assert evaluate(shape_of(changed), score_client(changed, method),
                    method)["verdict"] == flip["verdict"] != current
    found = sum(cost[_key(c)] for c in flip["changes"])
    # brute force: every single change and every pair of changes to two inputs that is
    # strictly cheaper than the flip found must leave the verdict as it is
    sets = [[c] for c in singles] + [list(p) for p in combinations(singles, 2)
                                     if p[0]["input"] != p[1]["input"]]
    cheaper = [s for s in sets if sum(c["cost"] for c in s) < found - 1e-9]
    assert cheaper  # the check looks at something
    for changes in cheaper:
        changed = apply_changes(client, changes)
        assert evaluate(shape_of(changed), score_client(changed, method),
                        method)["verdict"] == current, changes


def test_the_flip_search_tries_exactly_the_documented_candidates():
    from revkit.method.flip import candidates

    method = default_method()
    for slug in DEMO_SLUGS:
        client = demo(slug)
        ours = sorted((*_key(c), round(c["cost"], 9)) for c in flip_candidates(client, method))
        kits = sorted((*_key(c), round(c["cost"], 9)) for c in candidates(client, method))
        assert kits == ours, slug


def test_single_change_and_paired_flips_are_both_checked():
    # the brute force above covers both shapes of a flip among the demo clients
    sizes = {len(assess(demo(s))["recommendation"]["flip"]["changes"]) for s in DEMO_SLUGS}
    assert sizes == {1, 2}


def test_flip_on_archetype_variants_also_flips():
    variants = [disconnected(demo("helix-cloud")),
                all_answers(demo("nordkraft-tools"), 1.0),
                with_profile(demo("brightpath-analytics"), revenue_model="recurring")]
    for client in variants:
        rec = assess(client)["recommendation"]
        assert rec["flip"]["changes"]
        changed = apply_changes(client, rec["flip"]["changes"])
        assert assess(changed)["recommendation"]["verdict"] == rec["flip"]["verdict"] \
            != rec["verdict"]


def test_confidence_falls_with_missing_answers():
    client = demo("helix-cloud")
    base = assess(client)["recommendation"]["confidence"]
    survey = client.survey.copy()
    rng = np.random.default_rng(7)
    survey.loc[rng.random(len(survey)) < 0.4, "score"] = math.nan
    fewer = assess(with_table(client, "survey", survey))["recommendation"]["confidence"]
    assert fewer < base


def test_confidence_falls_with_fewer_respondents_per_team():
    client = demo("helix-cloud")
    base = assess(client)
    survey = client.survey
    drop = sorted(survey.loc[survey["team"] == "sales", "respondent_id"].unique())[:5]
    thinner = assess(with_table(client, "survey", survey[~survey["respondent_id"].isin(drop)]))
    assert thinner["completeness"]["respondents_per_team"]["sales"] == \
        base["completeness"]["respondents_per_team"]["sales"] - 5
    assert thinner["recommendation"]["confidence"] < base["recommendation"]["confidence"]


def test_complexity_counts_marketing_share_only_with_a_marketing_team():
    client = with_profile(demo("nordkraft-tools"), marketing_sourced_pipeline_share=0.6)
    rec = assess(client)["recommendation"]
    share = next(f for f in rec["factors"] if f["id"] == "marketing_sourced_share")
    assert share["contribution"] == 0
    assert share["evidence"]["has_marketing"] is False and share["evidence"]["share"] == 0.6
    assert "no marketing team" in words.factor_evidence(messages.get("en"), share)


def test_an_unknown_marketing_share_is_assumed_typical_not_zero():
    client = with_profile(demo("helix-cloud"), marketing_sourced_pipeline_share=None)
    rec = assess(client)["recommendation"]
    share = next(f for f in rec["factors"] if f["id"] == "marketing_sourced_share")
    assumed = default_method()["recommendation"]["complexity"]["marketing_sourced_share"]
    full = assumed["points"] * assumed["assumed_when_missing"] / assumed["full_at"]
    assert share["contribution"] == pytest.approx(full, abs=0.05) and share["value"] is None
    assert share["evidence"]["assumed"] == assumed["assumed_when_missing"]
    assert rec["verdict"] == "full_revops"


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_good_alignment_never_argues_against_revops(slug):
    client = demo(slug)
    aligned = all_answers(metrics_all(handoffs_all(client, True), True), 5.0)
    for result in (assess(client), assess(aligned)):
        adj = {f["id"]: f["contribution"] for f in result["recommendation"]["factors"]
               if f["group"] == "adjustment"}
        # friction only ever pushes towards RevOps, missing foundations only away from it
        assert adj["cross_team_friction"] >= 0 and adj["salesops_foundation"] <= 0
    adj = {f["id"]: f["contribution"] for f in assess(aligned)["recommendation"]["factors"]
           if f["group"] == "adjustment"}
    assert adj == {"cross_team_friction": 0.0, "salesops_foundation": 0.0}


def test_one_person_spreadsheet_company_fixture():
    from revkit.intake.validate import load_client
    client = load_client(FIXTURES / "solo-sales")
    result = assess(client)
    assert result["recommendation"]["verdict"] == "salesops_only"
    assert result["subscores"]["silos"]["connections"] == 100.0  # no pair to be siloed
    assert result["subscores"]["silos"]["shared_definitions"] is None
    assert result["survey"]["teams"] == []  # two respondents: nothing published per team
    assert result["recommendation"]["confidence"] < 0.8
    changed = apply_changes(client, result["recommendation"]["flip"]["changes"])
    assert assess(changed)["recommendation"]["verdict"] == result["recommendation"]["flip"][
        "verdict"] != "salesops_only"


def test_between_the_thresholds_weak_salesops_basics_mean_salesops_first():
    # helix with a hybrid revenue model: complexity between the decision threshold and the
    # full-RevOps threshold, so the evidence decides
    mid = apply_changes(demo("helix-cloud"), [
        {"input": "revenue_model", "from": "recurring", "to": "hybrid"}])
    method = default_method()
    thresholds = method["recommendation"]["thresholds"]
    weak = metrics_all(handoffs_all(all_answers(mid, 1.0), False), False)
    strong = metrics_all(handoffs_all(all_answers(mid, 5.0), True), True)
    results = {name: assess(c)["recommendation"] for name, c in
               (("weak", weak), ("strong", strong))}
    for rec in results.values():  # same shape, so the same complexity, in between
        assert thresholds["decision_full_revops_from"] <= rec["complexity"] < \
            thresholds["full_revops_from"]
    assert results["weak"]["verdict"] == "salesops_then_revops"
    assert results["strong"]["verdict"] == "full_revops"
    basics = next(f for f in results["weak"]["factors"] if f["id"] == "salesops_foundation")
    assert basics["contribution"] < 0
