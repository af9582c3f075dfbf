"""Measured metrics and data-quality findings, checked against hand computations.

The numbers in the comments are worked out by hand from ``crm_fixtures``.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from crm_fixtures import write_crm

from revkit import catalog
from revkit.intake.crm import check_crm
from revkit.method.crm import measure
from revkit.paths import DEMO_CLIENTS_DIR


def measured(folder, mapping="preset: generic\n", files=None):
    crm, problems = check_crm(write_crm(folder, files, mapping))
    assert crm is not None, [p.render() for p in problems]
    result = measure(crm)
    return crm, {m["id"]: m for m in result["metrics"]}, result["findings"]


def finding(findings, fid, table, column):
    hits = [f for f in findings if (f["id"], f["table"], f["column"]) == (fid, table, column)]
    return hits[0] if hits else None


def test_no_crm_folder_is_nothing(tmp_path):
    assert check_crm(tmp_path) == (None, [])


def test_defaults_period_and_as_of_from_the_event_dates(tmp_path):
    crm, _, _ = measured(tmp_path)
    # latest event: O4 lost on 2025-03-31 (O5's expected close 2025-06-30 is not an event);
    # earliest: the revenue month 2024-01
    assert crm.as_of == dt.date(2025, 3, 31)
    assert crm.period == (dt.date(2024, 1, 1), dt.date(2025, 3, 31))
    assert list(crm.opportunities["stage_class"]) == ["won", "won", "lost", "lost", "open", "open"]
    assert crm.opportunities["amount"].sum() == 12000


def test_deal_metrics_match_a_hand_computation(tmp_path):
    _, m, _ = measured(tmp_path)
    assert m["win_rate"]["value"] == 0.5  # O1, O2 won; O3, O4 lost
    assert m["win_rate"]["records"] == 4
    assert m["sales_revenue"]["value"] == 4000
    assert m["average_deal_size"]["value"] == 2000
    assert m["sales_cycle_length"]["value"] == 45  # mean of 30 (O1) and 60 (O2) days
    # 2 open (O5, O6) x 0.5 x 2000 / 45 days
    assert m["sales_velocity"]["value"] == pytest.approx(44.4444)
    # marketing O1 1000 + O3 500 + O5 4000 of 12000 (O6 takes 'sales' from its lead L5)
    assert m["marketing_sourced_pipeline"]["value"] == 0.4583
    assert m["cac"]["value"] == 3000  # spend 6000 / new customers A1, A2
    assert m["win_rate"]["unit"] == "fraction" and m["sales_cycle_length"]["unit"] == "days"
    assert m["win_rate"]["benchmark"] == {
        k: catalog.by_id("metrics")["win_rate"]["benchmark"][k] for k in ("low", "high")}
    assert m["win_rate"]["period_start"] == "2024-01-01"
    assert "pipeline_coverage" not in m  # no quota in the mapping
    assert "stage_conversion" not in m  # a snapshot export has no stage history


def test_funnel_metrics_match_a_hand_computation(tmp_path):
    _, m, _ = measured(tmp_path)
    assert m["lead_volume"]["value"] == 5  # L6 has no created date
    assert m["lead_to_mql_conversion"]["value"] == 0.8  # L1, L2, L3, L5 of 5
    assert m["mql_to_sql_conversion"]["value"] == 0.75  # L1, L2, L5 of 4 MQLs
    assert m["mql_to_won_conversion"]["value"] == 0.25  # only L1's O1 was won
    assert m["sql_to_won_conversion"]["value"] == 0.3333
    assert m["sql_to_won_conversion"]["records"] == 3


def test_revenue_metrics_match_a_hand_computation(tmp_path):
    _, m, _ = measured(tmp_path)
    # 2024-01: A 100, B 200, C 100 (400); 2025-01: A 150, B 150, C gone, D new 300
    assert m["net_revenue_retention"]["value"] == 0.75  # (150 + 150) / 400
    assert m["gross_revenue_retention"]["value"] == 0.625  # (100 + 150) / 400
    assert m["churn_rate"]["value"] == 0.3333  # C of A, B, C
    assert m["expansion_revenue"]["value"] == 50
    assert m["revenue_growth"]["value"] == 0.5  # 600 vs 400
    assert (m["churn_rate"]["period_start"], m["churn_rate"]["period_end"]) == \
        ("2024-01-01", "2025-01-31")


def test_revenue_metrics_need_twelve_months(tmp_path):
    short = "month,account_id,amount\n2024-06,A,100\n2025-01,A,150\n"
    _, m, _ = measured(tmp_path, files={"revenue.csv": short})
    assert not {"net_revenue_retention", "churn_rate", "revenue_growth"} & set(m)


def test_findings_count_empty_cells_and_stale_deals(tmp_path):
    _, _, findings = measured(tmp_path)
    empty_source = finding(findings, "empty_value", "opportunities", "source")
    assert (empty_source["count"], empty_source["share"], empty_source["examples"]) == \
        (1, 0.1667, ["O6"])
    # O6: expected close 2025-03-20 passed as of 2025-03-31; O5 is young and due in June
    stale = finding(findings, "stale_open_opportunity", "opportunities", "close_date")
    assert stale["examples"] == ["O6"]
    assert finding(findings, "empty_value", "leads", "created_date")["examples"] == ["L6"]
    # empty MQL/SQL dates are a normal funnel state, not a finding
    assert finding(findings, "empty_value", "leads", "mql_date") is None


def test_quality_checks_each_kind(tmp_path):
    opps = ("opportunity_id,created_date,close_date,stage,amount\n"
            "X1,2025-02-01,2025-01-01,won,0\n"  # closed before created, won without amount
            "X1,2025-01-01,2025-01-05,lost,-5\n")  # duplicate id, negative amount
    leads = ("lead_id,created_date,mql_date,sql_date,opportunity_id\n"
             "L1,2025-01-01,2025-01-10,2025-01-05,X9\n")  # SQL before MQL, unknown opportunity
    mapping = ("preset: generic\n"  # these exports lack some columns: unmap them
               "opportunities: {columns: {account_id: null, owner: null, source: null}}\n"
               "leads: {columns: {source: null}}\n")
    _, _, findings = measured(tmp_path, mapping, {"opportunities.csv": opps, "leads.csv": leads})
    got = {(f["id"], f["table"], f["column"], f["count"]) for f in findings}
    assert {("close_before_created", "opportunities", "close_date", 1),
            ("won_without_amount", "opportunities", "amount", 1),
            ("duplicate_id", "opportunities", "opportunity_id", 1),
            ("negative_amount", "opportunities", "amount", 1),
            ("sql_before_mql", "leads", "sql_date", 1),
            ("unknown_opportunity", "leads", "opportunity_id", 1)} <= got


def test_period_limits_what_is_measured(tmp_path):
    mapping = "preset: generic\nperiod: {start: 2025-03-01, end: 2025-03-31}\n"
    crm, m, _ = measured(tmp_path, mapping)
    assert crm.period == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert m["win_rate"]["value"] == 0.3333  # closed in March: O2 won, O3 and O4 lost
    assert m["sales_revenue"]["value"] == 3000
    assert m["cac"]["value"] == 3000  # March spend 3000 / A2, first won in March
    assert "lead_volume" not in m  # no lead was created in March
    assert "net_revenue_retention" not in m
    assert m["win_rate"]["period_start"] == "2025-03-01"


def test_as_of_judges_open_and_stale(tmp_path):
    crm, m, findings = measured(tmp_path / "june", "preset: generic\nas_of: 2025-06-01\n")
    # O5 (created 2025-03-01) is now older than 90 days: both open deals are stale
    stale = finding(findings, "stale_open_opportunity", "opportunities", "close_date")
    assert stale["examples"] == ["O5", "O6"]
    crm, m, findings = measured(tmp_path / "feb", "preset: generic\nas_of: 2025-02-20\n")
    # O5 did not exist yet: one deal open, velocity 1 x 0.5 x 2000 / 45
    assert m["sales_velocity"]["value"] == pytest.approx(22.2222)
    assert m["sales_velocity"]["records"] == 1


def test_pipeline_coverage_with_a_quota(tmp_path):
    mapping = "preset: generic\nquota: {start: 2025-04-01, end: 2025-06-30, amount: 2000}\n"
    _, m, _ = measured(tmp_path, mapping)
    assert m["pipeline_coverage"]["value"] == 2.0  # O5 4000 due in Q2 / 2000 still to win
    assert m["pipeline_coverage"]["period_start"] == "2025-04-01"


def test_helix_demo_loads_and_measures_quickly_and_deterministically():
    catalog.metrics()  # the catalogs load once per process; time only the CRM work
    started = time.perf_counter()
    crm, problems = check_crm(DEMO_CLIENTS_DIR / "helix-cloud")
    result = measure(crm)
    elapsed = time.perf_counter() - started
    assert [p for p in problems if p.severity == "error"] == []
    assert sum(len(f) for f in crm.tables.values()) > 3000
    assert elapsed < 1.0, f"reading and measuring took {elapsed:.2f}s"
    ids = [m["id"] for m in result["metrics"]]
    assert ids == [i for i in catalog.ids("metrics") if i in ids]  # catalog order
    assert {"win_rate", "stage_conversion", "average_deal_size", "sales_cycle_length", "sales_revenue",
            "pipeline_coverage", "sales_velocity", "lead_volume", "lead_to_mql_conversion",
            "mql_to_sql_conversion", "sql_to_won_conversion", "mql_to_won_conversion",
            "marketing_sourced_pipeline", "cac", "net_revenue_retention",
            "gross_revenue_retention", "churn_rate", "expansion_revenue",
            "revenue_growth"} <= set(ids)
    for m in result["metrics"]:
        if m["unit"] == "fraction":
            assert 0 <= m["value"] <= 1, m
    kinds = {(f["id"], f["table"], f["column"]) for f in result["findings"]}
    assert ("empty_value", "opportunities", "source") in kinds
    assert ("empty_value", "leads", "created_date") in kinds
    assert measure(check_crm(DEMO_CLIENTS_DIR / "helix-cloud")[0]) == result
    assert json.loads(json.dumps(result, allow_nan=False)) == result


STAGED = {
    "opportunities.csv": "opportunity_id,created_date,close_date,stage,amount\n"
                         "D1,2025-01-01,2025-02-01,Won,100\nD2,2025-01-02,2025-02-01,Lost,100\n"
                         "D3,2025-01-03,2025-03-01,Demo,100\nD4,2025-01-04,2025-02-01,Lost,100\n",
    "stage_history.csv": "opportunity_id,stage,date\n"
                         "D1,Discovery,2025-01-01\nD1,Demo,2025-01-10\nD1,Won,2025-02-01\n"
                         "D2,Discovery,2025-01-02\nD2,Demo,2025-01-15\nD2,Lost,2025-02-01\n"
                         "D3,Discovery,2025-01-03\nD3,Demo,2025-01-20\n"
                         "D4,Discovery,2025-01-04\nD4,Lost,2025-02-01\n",
}
STAGED_MAPPING = """\
    preset: generic
    opportunities:
      columns: {account_id: null, owner: null, source: null}
      stages: {Discovery: open, Demo: open, Proposal: open, Won: won, Lost: lost}
    """


def test_stage_conversion_from_a_stage_history(tmp_path):
    _, m, _ = measured(tmp_path, STAGED_MAPPING, STAGED)
    # furthest stage: D1 won (past all), D2 Demo (lost after it), D3 Demo (open), D4 Discovery
    # Discovery 3 of 4 got past, Demo 1 of 3, Proposal 1 of 1: mean of 0.75, 0.3333, 1
    assert m["stage_conversion"]["value"] == 0.6944
    assert m["stage_conversion"]["records"] == 4


def test_stage_history_values_are_checked_against_the_stages(tmp_path):
    files = {**STAGED, "stage_history.csv": STAGED["stage_history.csv"] + "D4,Demoo,2025-01-09\n"}
    crm, problems = check_crm(write_crm(tmp_path, files, STAGED_MAPPING))
    assert crm is None
    assert [(p.file, p.row, p.column, p.suggestion) for p in problems] == [
        ("crm/stage_history.csv", 12, "stage", "Demo")]
