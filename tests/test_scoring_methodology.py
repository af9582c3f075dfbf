"""Methodology files: validation messages, overrides, and their effect on results."""

from __future__ import annotations

import json

import pytest
import yaml
from scoring_helpers import demo

from revkit.errors import MethodologyError
from revkit.method import methodology
from revkit.method.assess import assess, assess_path
from revkit.paths import DEFAULT_METHODOLOGY, DEMO_CLIENTS_DIR


def write(tmp_path, text: str):
    path = tmp_path / "method.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_methodology_is_valid_and_versioned():
    method = methodology.load()
    assert method["version"]
    assert methodology.load(DEFAULT_METHODOLOGY)["version"] == method["version"]
    assert methodology.check(method) == []


@pytest.mark.parametrize("text, key, allowed", [
    ("version: x\nweights: {overall: {silos: -1}}\n", "weights.overall.silos", ">= 0"),
    ("version: x\nweights: {overall: {silos: high}}\n", "weights.overall.silos", "a number"),
    ("version: x\nweights: {overall: {culture: 1}}\n", "weights.overall.culture",
     "silos, metric_coverage, process_alignment"),
    ("version: x\nweights: {overal: {silos: 1}}\n", "weights.overal", "did you mean 'overall'"),
    ("version: x\nsurvey: {min_team_respondents: 0}\n", "survey.min_team_respondents",
     "whole number >= 1"),
    ("version: x\nsurvey: {quote_comments: maybe}\n", "survey.quote_comments", "true or false"),
    ("version: x\nreference_bands: {silos: [70, 40]}\n", "reference_bands.silos",
     "low <= high"),
    ("version: x\nsizing: {revops: {reps_per_ops: {source: revops_report_team_structur}}}\n",
     "sizing.revops.reps_per_ops.source", "did you mean 'revops_report_team_structure'"),
    ("version: x\nrecommendation: {complexity: {gtm_motion: {sales_lead: 1}}}\n",
     "recommendation.complexity.gtm_motion.sales_lead", "did you mean 'sales_led'"),
    ("version: x\nrecommendation: {thresholds: {salesops_only_below: 80}}\n",
     "recommendation.thresholds.salesops_only_below", "salesops_only_below <= full_revops_from"),
    ("version: x\nrecommendation: {single_revenue_team_max: revops}\n",
     "recommendation.single_revenue_team_max", "full_revops"),
    ("version: x\nrecommendation: {flip: {revenue_multipliers: [0, 2]}}\n",
     "recommendation.flip.revenue_multipliers", "above 0"),
    ("version: x\nsilos: {integration_strength: 120}\n", "silos.integration_strength",
     "from 0 to 100"),
    ("version: x\nprocess_alignment: {handoff_points: {defined: 60}}\n",
     "process_alignment.handoff_points.defined", "at most 100"),
    ("version: 3\n", "version", "text"),
    ("weights: {overall: {silos: 1}}\n", "version", "text"),
])
def test_bad_methodology_names_file_key_and_what_is_allowed(tmp_path, text, key, allowed):
    path = write(tmp_path, text)
    with pytest.raises(MethodologyError) as err:
        methodology.load(path)
    assert str(path) in str(err.value)
    # each problem is a row naming the key path; the text says what is allowed
    assert [p.render() for p in err.value.problems if p.column == key and allowed in p.render()]
    assert err.value.exit_code == 2


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, "version: x\nweights: {overall: {silos: -1, culture: 2}}\n"
                           "survey: {min_team_respondents: 0}\n")
    with pytest.raises(MethodologyError) as err:
        methodology.load(path)
    assert "3 problems" in str(err.value)


@pytest.mark.parametrize("content, fragment", [
    (b"version: [unclosed\n", "not valid YAML"),
    (b"- just\n- a list\n", "must be a YAML mapping"),
    (b"\xff\xfe\x00binary", "not a UTF-8 text file"),
])
def test_unreadable_methodology_files(tmp_path, content, fragment):
    path = tmp_path / "method.yaml"
    path.write_bytes(content)
    with pytest.raises(MethodologyError, match=fragment):
        methodology.load(path)


def test_missing_methodology_file(tmp_path):
    with pytest.raises(MethodologyError, match="not found"):
        methodology.load(tmp_path / "nope.yaml")


def test_partial_override_keeps_the_rest_and_stamps_its_version(tmp_path):
    path = write(tmp_path, "version: acme-1\nweights:\n  overall: {silos: 1, metric_coverage: 0,"
                           " process_alignment: 0}\n")
    result = assess_path(DEMO_CLIENTS_DIR / "helix-cloud", path)
    assert result["methodology_version"] == "acme-1"
    assert result["scores"]["overall"] == result["scores"]["silos"]
    default = assess(demo("helix-cloud"))
    assert result["subscores"] == default["subscores"]


def test_min_team_respondents_pools_small_teams(tmp_path):
    default = assess(demo("helix-cloud"))
    assert {row["team"] for row in default["survey"]["teams"]} == {
        "customer_success", "marketing", "sales", "pooled"}  # finance 2 + support 2 pooled
    path = write(tmp_path, "version: strict\nsurvey: {min_team_respondents: 5}\n")
    strict = assess_path(DEMO_CLIENTS_DIR / "helix-cloud", path)
    assert [row["team"] for row in strict["survey"]["teams"]] == ["pooled", "sales"]
    for row in strict["survey"]["teams"]:
        assert row["respondents"] >= 5


def test_single_respondent_team_is_never_shown_alone():
    result = assess(demo("brightpath-analytics"))  # customer success: one respondent
    teams = {row["team"] for row in result["survey"]["teams"]}
    assert "customer_success" not in teams and "pooled" not in teams
    assert result["completeness"]["respondents_per_team"]["customer_success"] == 1


def test_comments_only_when_the_methodology_allows(tmp_path):
    assert "comments" not in assess(demo("helix-cloud"))["survey"]
    path = write(tmp_path, "version: quotes\nsurvey: {quote_comments: true}\n")
    result = assess_path(DEMO_CLIENTS_DIR / "helix-cloud", path)
    comments = result["survey"]["comments"]
    assert comments and all(c["team"] in {"customer_success", "marketing", "sales", "pooled"}
                            for c in comments)


def test_thresholds_from_the_file_change_the_verdict(tmp_path):
    path = write(tmp_path, "version: t\nrecommendation:\n  thresholds: {salesops_only_below: 50,"
                           " full_revops_from: 90}\n")
    result = assess_path(DEMO_CLIENTS_DIR / "brightpath-analytics", path)
    assert result["recommendation"]["verdict"] == "salesops_only"


def test_cli_score_with_bad_methodology_exits_2_with_key(run_cli, tmp_path):
    path = write(tmp_path, yaml.safe_dump({"version": "x", "levels": {"band_width": "wide"}}))
    result = run_cli("score", DEMO_CLIENTS_DIR / "helix-cloud", "--methodology", path)
    assert result.exit_code == 2
    assert "levels.band_width" in result.stderr and "a number" in result.stderr
    assert result.stdout == ""


def test_cli_score_with_custom_methodology(run_cli, tmp_path):
    path = write(tmp_path, "version: acme-2\n")
    result = run_cli("score", DEMO_CLIENTS_DIR / "helix-cloud", "--json", "--methodology", path)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["methodology_version"] == "acme-2"


def test_comments_of_a_group_too_small_to_publish_are_unattributed(tmp_path):
    # BrightPath's one customer success respondent left a comment
    path = write(tmp_path, "version: quotes\nsurvey: {quote_comments: true}\n")
    result = assess_path(DEMO_CLIENTS_DIR / "brightpath-analytics", path)
    published = {row["team"] for row in result["survey"]["teams"]}
    comments = result["survey"]["comments"]
    assert {c["team"] for c in comments} == {"marketing", "unattributed"}
    assert "pooled" not in published and "customer_success" not in published
