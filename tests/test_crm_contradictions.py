"""Perception against evidence: each rule fires where the exports contradict the intake."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import yaml
from crm_fixtures import FULL, write_crm

from revkit import messages
from revkit.intake.crm import check_crm
from revkit.method.assess import assess_path
from revkit.method.crm import confidence_penalty, contradictions, measure
from revkit.method.crm.contradictions import rules
from revkit.report import words
from revkit.report.results import dump


def _client(metrics=(), survey=(), handoffs=(), share=None):
    return SimpleNamespace(
        metrics=pd.DataFrame(list(metrics), columns=["metric_id", "tracked", "automated"]),
        survey=pd.DataFrame(list(survey), columns=["respondent_id", "question_id", "score"]),
        handoffs=pd.DataFrame(list(handoffs), columns=["handoff_id", "sla_hours"]),
        profile={"marketing_sourced_pipeline_share": share})


def _measured(tmp_path, files):
    crm, problems = check_crm(write_crm(tmp_path, files, "preset: generic\nas_of: 2025-04-01\n"))
    assert crm is not None, [p.render() for p in problems]
    return measure(crm)


def test_a_tracked_automated_metric_without_data_in_the_exports(tmp_path):
    leads = FULL["leads.csv"].replace(",2025-01-08,", ",,").replace(",2025-01-15,", ",,")
    measured = _measured(tmp_path, {**FULL, "leads.csv": leads})  # every SQL date empty
    client = _client(metrics=[("mql_to_sql_conversion", True, True),
                              ("cac_payback", True, True),  # not from exports: no claim on them
                              ("win_rate", True, True)])  # measured: nothing to contradict
    (c,) = contradictions(client, measured)
    assert c["id"] == "tracked_without_data.mql_to_sql_conversion"
    assert c["intake"] == {"ref": "metrics.csv/mql_to_sql_conversion/automated", "value": True}
    assert c["measured"]["metric_id"] == "mql_to_sql_conversion"
    assert (c["measured"]["reason"], c["measured"]["columns"]) == ("column_empty",
                                                                   ["leads.sql_date"])
    assert c["effect"] == {"data_confidence": 0.05, "subscore": {
        "dimension": "metric_coverage", "component": "revops", "points": 2.0}}


def test_no_claim_on_a_table_the_exports_do_not_cover(tmp_path):
    files = {k: v for k, v in FULL.items() if k != "activities.csv"}
    client = _client(metrics=[("lead_response_time", True, True)])
    assert contradictions(client, _measured(tmp_path, files)) == []


def test_reliable_crm_data_claimed_over_many_empty_account_ids(tmp_path):
    opps = FULL["opportunities.csv"].replace(",A1,", ",,").replace(",A2,", ",,")  # 3 of 6
    measured = _measured(tmp_path, {**FULL, "opportunities.csv": opps})
    agree = [("r1", "metrics_10", 5.0), ("r2", "metrics_10", 4.0), ("r3", "metrics_01", 1.0)]
    (c,) = contradictions(_client(survey=agree), measured)
    assert c["id"] == "reliable_data_claimed.opportunities.account_id"
    assert c["intake"] == {"ref": "survey.csv/metrics_10", "value": 4.5, "answers": 2}
    assert (c["measured"]["finding_id"], c["measured"]["value"]) == ("empty_value", 0.5)
    assert c["effect"]["subscore"]["component"] == "survey"
    # the same exports with a doubtful survey contradict nothing
    doubt = [("r1", "metrics_10", 3.0), ("r2", "metrics_10", 4.0)]
    assert contradictions(_client(survey=doubt), measured) == []


def test_a_handoff_sla_far_below_the_measured_response_time(tmp_path):
    measured = _measured(tmp_path, FULL)  # median response 4 hours
    (c,) = contradictions(_client(handoffs=[("mql_to_sql", 1.0), ("quote_to_cash", 1.0)]),
                          measured)
    assert c["id"] == "sla_exceeded.mql_to_sql"
    assert (c["intake"]["value"], c["measured"]["value"]) == (1.0, 4.0)
    assert contradictions(_client(handoffs=[("mql_to_sql", 2.0)]), measured) != []
    assert contradictions(_client(handoffs=[("mql_to_sql", 3.0)]), measured) == []  # 4 < 2 x 3


def test_a_claimed_marketing_share_far_from_the_measured_one(tmp_path):
    # marketing O1 1000 + O3 500 + O5 4000 of 10500 with a known source (O6 has none) = 0.5238
    measured = _measured(tmp_path, FULL)
    (c,) = contradictions(_client(share=0.2), measured)
    assert c["intake"] == {"ref": "profile.yaml/marketing_sourced_pipeline_share", "value": 0.2}
    assert c["measured"]["value"] == 0.5238 and c["effect"]["subscore"] is None
    assert contradictions(_client(share=0.4), measured) == []


def test_confidence_penalty_sums_the_effects_up_to_the_cap():
    items = [{"effect": {"data_confidence": 0.1}}] * 5
    assert confidence_penalty({"contradictions": items[:2]}) == 0.2
    assert confidence_penalty({"contradictions": items}) == rules()["max_data_confidence_penalty"]
    assert confidence_penalty(None) == 0.0


def test_a_contradiction_appears_in_the_result_and_the_report(copy_demo):
    client = copy_demo("helix-cloud")
    profile = client / "profile.yaml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["marketing_sourced_pipeline_share"] = 0.1  # the exports measure about 0.48
    profile.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    results = json.loads(dump(assess_path(client)))
    found = {c["id"]: c for c in results["measured"]["contradictions"]}
    # the demo's own: its 48-hour SLA for leads against a median first touch of about 124 hours
    assert found["sla_exceeded.mql_to_sql"]["measured"]["value"] == 123.85
    c = found["marketing_share_off.marketing_sourced_pipeline"]
    assert (c["intake"]["value"], c["measured"]["value"]) == (0.1, 0.4844)
    assert confidence_penalty(results["measured"]) == 0.1
    name, claim, evidence, effect = words.contradiction_texts(messages.get("en"), c)
    assert "10 %" in claim and "48.4 %" in evidence and "5 %" in effect
