"""Key findings: drawn from every source, ranked, numeric, specific to the client."""

from __future__ import annotations

import json
import re

import pytest

from revkit import catalog, messages
from revkit.method import findings as findings_method
from revkit.method.assess import assess_path
from revkit.paths import DEMO_CLIENTS_DIR
from revkit.report import html, model, words
from revkit.report.results import dump
from tests.scoring_helpers import DEMO_SLUGS
from tests.shape_fixtures import SHAPES, write_shape

M = messages.get("en")


def _results(folder):
    return json.loads(dump(assess_path(folder)))


@pytest.fixture(scope="module")
def every_client(tmp_path_factory):
    """The demo clients and the shapes a consultant judges, assessed."""
    out = {slug: _results(DEMO_CLIENTS_DIR / slug) for slug in DEMO_SLUGS}
    root = tmp_path_factory.mktemp("shapes")
    for name in SHAPES:
        out[name] = _results(write_shape(name, root / name))
    return out


def _numbers(finding):
    return [e["value"] for e in finding["evidence"]
            if isinstance(e["value"], (int, float)) and not isinstance(e["value"], bool)]


def test_findings_are_ranked_by_severity_and_each_has_a_number(every_client):
    for name, r in every_client.items():
        found = r["findings"]
        assert len(found) >= 3, name
        severities = [f["severity"] for f in found]
        assert severities == sorted(severities, reverse=True), name
        for f in found:
            assert f["kind"] in ("strength", "gap", "risk", "contradiction")
            assert _numbers(f), (name, f["id"])


def test_the_summary_opens_with_three_to_five_findings_each_with_its_number(every_client):
    for name, r in every_client.items():
        top = findings_method.summary(r["findings"])
        assert 3 <= len(top) <= 5, name
        texts = [words.finding_text(M, f, r) for f in top]
        assert len(set(texts)) == len(texts), name     # never the same sentence twice
        for text in texts:
            assert re.search(r"\d", text), (name, text)
        brief = html.text(model.build(r, "en").section("brief"))
        for text in texts:
            assert " ".join(text.split()) in " ".join(brief.split()), (name, text)


def test_the_brief_speaks_the_report_language(every_client):
    r = every_client["trekpoint"]
    assert r["report_language"] == "ru"
    ru = messages.get("ru")
    brief = " ".join(html.text(model.build(r).section("brief")).split())
    for f in findings_method.summary(r["findings"]):
        assert " ".join(words.finding_text(ru, f, r).split()) in brief


def test_no_team_or_system_the_client_does_not_have_is_named(every_client):
    for name, r in every_client.items():
        teams = {t["team"] for t in r["client"]["teams"]}
        absent = [t for t in catalog.team_ids() if t not in teams]
        assert absent or name == "enterprise_partners"
        text = " ".join(words.finding_text(M, f, r) + " " + words.evidence_line(M, f, r)
                        for f in r["findings"])
        for team in absent:
            assert M.team(team) not in text, (name, team)
        systems = {s["system"] for s in r["systems"]}
        for f in r["findings"]:
            for e in f["evidence"]:
                if e["source"] == "systems" and isinstance(e["value"], list):
                    assert set(e["value"]) <= systems, (name, f["id"])


def test_helix_findings_name_what_a_ceo_would_act_on():
    r = _results(DEMO_CLIENTS_DIR / "helix-cloud")
    ids = [f["id"] for f in r["findings"]]
    for wanted in ("perception_split.sales.customer_success", "team_isolated.marketing",
                   "cac_above_deal", "crm_below_band.net_revenue_retention",
                   "crm_below_band.pipeline_coverage", "shared_definitions_low"):
        assert wanted in ids
    text = {f["id"]: words.finding_text(M, f, r) for f in r["findings"]}
    assert "70.4" in text["perception_split.sales.customer_success"]
    assert "18.8" in text["perception_split.sales.customer_success"]
    assert "Google Sheets" in text["team_isolated.marketing"]
    assert "88,193 USD" in text["cac_above_deal"] and "47,825 USD" in text["cac_above_deal"]
    assert "0.98×" in text["crm_below_band.net_revenue_retention"]
    assert "8 %" in text["shared_definitions_low"]


def test_a_finding_goes_when_its_cause_is_fixed(tmp_path):
    import shutil

    folder = tmp_path / "helix"
    shutil.copytree(DEMO_CLIENTS_DIR / "helix-cloud", folder)
    before = {f["id"] for f in _results(folder)["findings"]}
    assert "team_isolated.marketing" in before
    systems = (folder / "systems.csv").read_text(encoding="utf-8").splitlines()
    fixed = [line.replace("HubSpot Marketing Hub,marketing_automation,marketing,marketing,,",
                          "HubSpot Marketing Hub,marketing_automation,marketing,"
                          "marketing;sales,Salesforce Sales Cloud,")
             for line in systems]
    assert fixed != systems, "the demo's systems.csv changed: update this test"
    (folder / "systems.csv").write_text("\n".join(fixed) + "\n", encoding="utf-8")
    after = {f["id"] for f in _results(folder)["findings"]}
    assert "team_isolated.marketing" not in after


def test_a_weak_dimension_gives_a_gap_and_a_strong_one_a_strength(every_client):
    rules = findings_method.rules()["dimension"]
    for name, r in every_client.items():
        ids = {f["id"] for f in r["findings"]}
        for dim in ("silos", "metric_coverage", "process_alignment"):
            score = r["scores"][dim]
            assert (f"dimension_gap.{dim}" in ids) == (score < rules["gap_below"]), (name, dim)
            assert (f"dimension_strength.{dim}" in ids) == (score >= rules["strength_from"]), \
                (name, dim)


def test_without_crm_exports_no_finding_rests_on_crm(every_client):
    for name, r in every_client.items():
        if r.get("measured"):
            continue
        assert not any(e["source"] == "crm" for f in r["findings"] for e in f["evidence"]), name


def test_measured_values_outside_their_band_become_findings():
    r = _results(DEMO_CLIENTS_DIR / "helix-cloud")
    nrr = next(x for x in r["measured"]["metrics"] if x["id"] == "net_revenue_retention")
    low, high = nrr["benchmark"]["low"], nrr["benchmark"]["high"]
    assert nrr["value"] < low
    finding = next(f for f in r["findings"] if f["id"] == "crm_below_band.net_revenue_retention")
    assert finding["evidence"][0]["value"] == nrr["value"]
    assert finding["evidence"][0]["benchmark"] == [low, high]
    inside = {f["id"] for f in findings_method._measured(
        {**r, "measured": {**r["measured"], "metrics": [
            dict(x, value=(low + high) / 2) if x["id"] == "net_revenue_retention" else x
            for x in r["measured"]["metrics"]]}}, findings_method.rules())}
    assert "crm_below_band.net_revenue_retention" not in inside
    assert "crm_below_band.pipeline_coverage" in inside
