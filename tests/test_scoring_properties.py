"""Properties of the scores: bounds, determinism, order independence, monotonicity."""

from __future__ import annotations

import json
import math
from itertools import combinations

import numpy as np
import pytest
from scoring_helpers import (
    DEMO_SLUGS,
    add_integration,
    default_method,
    demo,
    raise_question,
    set_handoff,
    set_metric,
    shuffled,
    with_table,
    without_results_noise,
)

from revkit import catalog
from revkit.method.assess import assess
from revkit.method.scoring import score_client
from revkit.method.survey import distance
from revkit.vocabulary import SCORE_KEYS as KEYS

QUESTION_DIMENSION = {"silos": "silos", "metrics": "metric_coverage",
                      "process": "process_alignment"}


def scores(client) -> dict:
    return score_client(client, default_method()).scores


def assert_not_lower(before: dict, after: dict, keys, what: str) -> None:
    for key in keys:
        assert after[key] >= before[key], f"{what}: {key} fell {before[key]} -> {after[key]}"


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_scores_are_within_bounds_and_levels_match_bands(slug):
    result = assess(demo(slug))
    for key in KEYS:
        assert 0 <= result["scores"][key] <= 100
        assert result["levels"][key] == min(5, int(result["scores"][key] // 20) + 1)
    for group in result["subscores"].values():
        for value in group.values():
            assert value is None or 0 <= value <= 100
    for row in result["silo_map"]["matrix"]:
        assert all(v is None or 0 <= v <= 100 for v in row)
    for metric in result["metric_quality"]:
        assert 0 <= metric["score"] <= 100
        assert metric["tracked"] or metric["score"] == 0
    assert 0 <= result["recommendation"]["confidence"] <= 1
    assert 0 <= result["completeness"]["overall"] <= 1


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_two_runs_give_the_same_result_to_the_last_digit(slug):
    first = json.dumps(assess(demo(slug)), sort_keys=True)
    second = json.dumps(assess(demo(slug)), sort_keys=True)
    assert first == second
    assert "NaN" not in first and "Infinity" not in first


@pytest.mark.parametrize("slug", DEMO_SLUGS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffling_rows_of_every_table_changes_nothing(slug, seed):
    original = without_results_noise(assess(demo(slug)))
    again = without_results_noise(assess(shuffled(demo(slug), seed)))
    assert json.dumps(again, sort_keys=True) == json.dumps(original, sort_keys=True)


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_raising_all_answers_to_one_question_never_lowers_a_score(slug):
    client = demo(slug)
    before = score_client(client, default_method())
    for question in catalog.questions():
        after = score_client(raise_question(client, question["id"]), default_method())
        dimension = QUESTION_DIMENSION[question["dimension"]]
        assert_not_lower(before.scores, after.scores, [dimension, "overall"], question["id"])
        gap_before = before.silos["perception_gap"]["gap"]
        gap_after = after.silos["perception_gap"]["gap"]
        if gap_before is not None:
            assert gap_after <= gap_before + 1e-9, f"{question['id']} widened the gap"


def test_a_raise_where_the_higher_team_gains_more_does_not_widen_the_gap():
    # sales answers 5,5,1,1 (mean 3; half capped), marketing 3,4,3,4 (mean 3.5):
    # a mean-based gap would widen from 0.5 to 1.0 after the raise; ours must not
    sales, marketing = [1.0, 1.0, 5.0, 5.0], [3.0, 3.0, 4.0, 4.0]
    raised = [[min(5.0, a + 1) for a in team] for team in (sales, marketing)]
    assert distance(*raised) <= distance(sales, marketing)
    assert distance([3.0], [3.0]) == 0
    assert distance([1.0], [5.0]) == 4


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_improving_any_metric_never_lowers_a_score(slug):
    client = demo(slug)
    before = scores(client)
    for metric_id in catalog.ids("metrics"):
        for flag in ("tracked", "definition_documented", "shared_definition", "automated"):
            after = scores(set_metric(client, metric_id, **{flag: True}))
            assert_not_lower(before, after, KEYS, f"{metric_id}.{flag}")


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_tracking_a_metric_raises_coverage_where_it_applies(slug):
    client = demo(slug)
    result = assess(client)
    untracked = [m["id"] for m in result["metric_quality"] if m["applicable"]
                 and not m["tracked"]]
    assert untracked, "every demo client leaves some applicable metric untracked"
    after = scores(set_metric(client, untracked[0], tracked=True))
    assert after["metric_coverage"] > result["scores"]["metric_coverage"]


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_adding_any_integration_never_lowers_a_score(slug):
    client = demo(slug)
    before = scores(client)
    names = sorted(client.systems["system"])
    for a, b in combinations(names, 2):
        after = scores(add_integration(client, a, b))
        assert_not_lower(before, after, KEYS, f"integration {a} - {b}")


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_improving_any_handoff_never_lowers_a_score(slug):
    client = demo(slug)
    before = scores(client)
    for handoff in catalog.applicable_handoffs(client.team_ids):
        for change in ({"sla_hours": 24.0}, {"sla_measured": True}, {"defined": True},
                       {"documented": True}, {"automated": True}, {"feedback_loop": True}):
            after = scores(set_handoff(client, handoff["id"], **change))
            assert_not_lower(before, after, KEYS, f"{handoff['id']} {change}")


def test_setting_an_sla_raises_alignment():
    client = demo("helix-cloud")
    before = scores(client)
    after = scores(set_handoff(client, "renewal", sla_hours=48.0))
    assert after["process_alignment"] > before["process_alignment"]


def test_shared_system_connects_teams_in_the_silo_map():
    client = demo("helix-cloud")
    systems = client.systems.copy()
    # HubSpot Marketing Hub used by sales too: marketing-sales link becomes a shared system
    systems["used_by"] = [tuple(sorted(set(u) | {"sales"})) if s == "HubSpot Marketing Hub"
                          else u for s, u in zip(systems["system"], systems["used_by"],
                                                 strict=True)]
    before = assess(client)
    after = assess(with_table(client, "systems", systems))
    teams = after["silo_map"]["teams"]
    i, j = teams.index("marketing"), teams.index("sales")
    assert before["silo_map"]["matrix"][i][j] == 25.0  # only a shared spreadsheet
    assert after["silo_map"]["matrix"][i][j] == 90.0   # marketing automation shared
    assert after["scores"]["silos"] > before["scores"]["silos"]


def test_unanswered_survey_gives_a_score_from_the_other_evidence():
    client = demo("brightpath-analytics")
    survey = client.survey.copy()
    survey["score"] = math.nan
    result = assess(with_table(client, "survey", survey))
    assert result["subscores"]["silos"]["survey"] is None
    assert 0 <= result["scores"]["silos"] <= 100
    assert result["completeness"]["survey_answer_rate"] == 0


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_a_more_frequent_cadence_never_lowers_a_score(slug):
    order = ["adhoc", "quarterly", "monthly", "weekly", "daily", "realtime"]
    client = demo(slug)
    before = scores(client)
    for metric_id, tracked, cadence in zip(client.metrics["metric_id"], client.metrics["tracked"],
                                           client.metrics["cadence"], strict=True):
        if tracked and cadence in order[:-1]:
            faster = order[order.index(cadence) + 1]
            after = scores(set_metric(client, metric_id, cadence=faster))
            assert_not_lower(before, after, KEYS, f"{metric_id} {cadence}->{faster}")


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_a_team_starting_to_use_a_system_never_lowers_a_score(slug):
    client = demo(slug)
    before = scores(client)
    for system in client.systems["system"]:
        for team in client.team_ids:
            systems = client.systems.copy()
            systems["used_by"] = [tuple(sorted(set(u) | {team})) if s == system else u
                                  for s, u in zip(systems["system"], systems["used_by"],
                                                  strict=True)]
            after = scores(with_table(client, "systems", systems))
            assert_not_lower(before, after, KEYS, f"{team} uses {system}")


def _random_improvement(client, rng):
    """One improving change, picked at random among the kinds the methodology rewards."""
    kind = rng.integers(6)
    if kind == 0:
        question = rng.choice(catalog.ids("questions"))
        return raise_question(client, str(question)), f"raise {question}"
    if kind == 1:
        metric = str(rng.choice(catalog.ids("metrics")))
        flag = str(rng.choice(["tracked", "definition_documented", "shared_definition",
                               "automated"]))
        return set_metric(client, metric, **{flag: True}), f"{metric}.{flag}"
    if kind == 2 and len(client.systems) > 1:
        a, b = rng.choice(sorted(client.systems["system"]), 2, replace=False)
        return add_integration(client, str(a), str(b)), f"integrate {a} - {b}"
    handoffs = catalog.applicable_handoffs(client.team_ids)
    if kind == 3 and handoffs:
        handoff = handoffs[rng.integers(len(handoffs))]["id"]
        change = [{"sla_hours": 8.0}, {"sla_measured": True}, {"defined": True},
                  {"documented": True}, {"automated": True},
                  {"feedback_loop": True}][rng.integers(6)]
        return set_handoff(client, handoff, **change), f"{handoff} {change}"
    if kind == 4 and len(client.systems):
        system = str(rng.choice(sorted(client.systems["system"])))
        team = str(rng.choice(sorted(client.team_ids)))
        systems = client.systems.copy()
        systems["used_by"] = [tuple(sorted(set(u) | {team})) if s == system else u
                              for s, u in zip(systems["system"], systems["used_by"],
                                              strict=True)]
        return with_table(client, "systems", systems), f"{team} uses {system}"
    return raise_question(client, "process_01"), "raise process_01"


@pytest.mark.parametrize("slug", DEMO_SLUGS)
@pytest.mark.parametrize("seed", [11, 12])
def test_a_random_sequence_of_improvements_never_lowers_a_score(slug, seed):
    rng = np.random.default_rng(seed)
    client = demo(slug)
    before = scores(client)
    for _ in range(40):
        client, what = _random_improvement(client, rng)
        after = scores(client)
        assert_not_lower(before, after, KEYS, what)
        before = after
