"""Metrics from the optional tables (activities, quotas, forecasts, HubSpot stage dates) and
the metrics the exports do not allow, each checked against a hand computation."""

from __future__ import annotations

import datetime as dt

import pytest
from crm_fixtures import FULL, TINY, write_crm

from revkit.intake.crm import check_crm
from revkit.method.crm import measure

AS_OF = "preset: generic\nas_of: 2025-04-01\n"


def measured(folder, files=None, mapping=AS_OF):
    crm, problems = check_crm(write_crm(folder, FULL if files is None else files, mapping))
    assert crm is not None, [p.render() for p in problems]
    result = measure(crm)
    return crm, {m["id"]: m for m in result["metrics"]}, \
        {m["id"]: m for m in result["not_measurable"]}


def test_lead_response_time_is_the_median_of_hours_to_the_first_touch(tmp_path):
    crm, m, _ = measured(tmp_path)
    assert crm.leads["mql_date_at"].iloc[0] == dt.datetime(2025, 1, 5, 10)
    # L1: MQL 01-05 10:00, the 09:00 email came before it, the call at 14:00: 4 h
    # L2: MQL 01-06 12:00, first call 01-07 12:00: 24 h
    # L3: no MQL date, created 01-04 14:00, call 16:00: 2 h   -> median of 2, 4, 24 = 4
    assert m["lead_response_time"]["value"] == 4.0
    assert m["lead_response_time"]["records"] == 3
    assert m["lead_response_time"]["unit"] == "hours"


def test_quota_attainment_per_owner_and_overall(tmp_path):
    _, m, _ = measured(tmp_path)
    # quarters ended by as_of 2025-04-01: Q1 only. ann won O1 1000 of 2000 = 0.5,
    # bob won O2 3000 of 2000 = 1.5; the mean over the two reps = 1.0
    qa = m["quota_attainment"]
    assert qa["value"] == 1.0 and qa["records"] == 2
    assert qa["by_owner"] == [{"owner": "ann", "value": 0.5, "records": 1},
                              {"owner": "bob", "value": 1.5, "records": 1}]
    assert (qa["period_start"], qa["period_end"]) == ("2025-01-01", "2025-03-31")


def test_pipeline_coverage_per_owner_from_the_quotas(tmp_path):
    _, m, _ = measured(tmp_path)
    # the window holding as_of 2025-04-01 is Q2: ann quota 4000, nothing won yet, open O5
    # 4000 due 06-30 -> 1.0; bob quota 2000, no open deal due in Q2 (O6 was due 03-20) -> 0.0;
    # overall 4000 / (4000 + 2000) = 0.6667
    pc = m["pipeline_coverage"]
    assert pc["value"] == 0.6667 and pc["records"] == 1
    assert [(o["owner"], o["value"]) for o in pc["by_owner"]] == [("ann", 1.0), ("bob", 0.0)]
    assert (pc["period_start"], pc["period_end"]) == ("2025-04-01", "2025-06-30")


def test_forecast_accuracy_takes_the_forecast_committed_at_the_start(tmp_path):
    _, m, _ = measured(tmp_path)
    # Q1: last snapshot on or before 01-01 is 12-28 (5000); won in Q1: O1 1000 + O2 3000 = 4000
    #     -> 1 - |5000 - 4000| / 4000 = 0.75 (the 02-01 snapshot came too late)
    # Feb: no snapshot before 02-01, the first in it (02-10) says 800; won: O1 1000 -> 0.8
    assert m["forecast_accuracy"]["value"] == pytest.approx(0.775)
    assert m["forecast_accuracy"]["records"] == 2


def test_hubspot_date_entered_columns_make_a_stage_history(tmp_path):
    header = ("Record ID,Deal Stage,Create Date,Close Date,Amount,"
              '"Date entered ""Appointment Scheduled (Sales Pipeline)""",'
              '"Date entered ""Qualified To Buy (Sales Pipeline)""",'
              '"Date entered ""Presentation Scheduled (Sales Pipeline)""",'
              '"Date entered ""Decision Maker Bought-In (Sales Pipeline)""",'
              '"Date entered ""Contract Sent (Sales Pipeline)""",'
              '"Date entered ""Closed Won (Sales Pipeline)""",'
              '"Date entered ""Closed Lost (Sales Pipeline)"""')
    deals = header + "\n" + "\n".join([
        "9001,closedwon,2026-01-06 09:12,2026-02-05,100,2026-01-06 09:12,2026-01-10,,,,2026-02-05,",
        "9002,closedlost,2026-01-20,2026-03-02,100,2026-01-20,,,,,,2026-03-02",
        "9003,contractsent,2026-02-11,,100,2026-02-11,2026-02-12,2026-02-13,2026-02-14,"
        "2026-02-15,,"]) + "\n"
    crm, problems = check_crm(write_crm(tmp_path, {"deals.csv": deals}, "preset: hubspot\n"))
    assert problems == []
    history = crm.stage_history
    assert len(history) == 3 + 2 + 5
    assert list(history.loc[history["opportunity_id"] == "9002", "stage"]) == [
        "appointmentscheduled", "closedlost"]
    assert set(history["row"]) == {2, 3, 4}
    # furthest stage: 9001 won (past all 5 open stages), 9002 the first, 9003 the fifth;
    # got past / reached per open stage: 2/3, 2/2, 2/2, 2/2, 1/2 -> mean 0.8333
    m = {x["id"]: x for x in measure(crm)["metrics"]}
    assert m["stage_conversion"]["value"] == 0.8333


def test_a_metric_without_its_inputs_is_not_measurable_with_the_reason(tmp_path):
    files = {"opportunities.csv": TINY["opportunities.csv"], "leads.csv": TINY["leads.csv"]
             .replace(",2025-01-08,O1", ",,O1").replace(",2025-01-15,O3", ",,O3")
             .replace(",2025-02-12,O6", ",,O6")}
    _, m, missing = measured(tmp_path, files, "preset: generic\n")
    # every SQL date is empty: not measured, and never 0
    assert "mql_to_sql_conversion" not in m
    assert missing["mql_to_sql_conversion"] == {"id": "mql_to_sql_conversion",
                                                "reason": "column_empty",
                                                "columns": ["leads.sql_date"]}
    assert missing["lead_response_time"]["reason"] == "table_absent"
    assert missing["quota_attainment"]["columns"][-1] == "quotas.amount"
    assert missing["cac_payback"]["reason"] == "not_from_exports"
    assert missing["pipeline_coverage"] == {
        "id": "pipeline_coverage", "reason": "table_absent",
        "columns": ["quotas.amount", "mapping.quota"]}
    assert m["mql_to_won_conversion"]["value"] == 0.25  # the MQL date is still there


def test_an_optional_preset_column_the_export_lacks_is_absent_not_an_error(tmp_path):
    opps = "\n".join(",".join(line.split(",")[:7]) for line in
                     TINY["opportunities.csv"].splitlines()) + "\n"  # no source column
    crm, problems = check_crm(write_crm(tmp_path, {"opportunities.csv": opps}))
    assert problems == [] and "source" not in crm.opportunities
    result = measure(crm)
    missing = {m["id"]: m for m in result["not_measurable"]}
    assert missing["marketing_sourced_pipeline"]["reason"] == "column_absent"
    assert missing["marketing_sourced_pipeline"]["columns"] == [
        "opportunities.source", "leads.source"]
    assert {m["id"] for m in result["metrics"]} >= {"win_rate", "sales_cycle_length"}


def test_a_column_the_mapping_names_must_be_in_the_export(tmp_path):
    opps = TINY["opportunities.csv"].replace(",source\n", ",origin\n", 1)
    mapping = "preset: generic\nopportunities: {columns: {source: lead_source}}\n"
    crm, problems = check_crm(write_crm(tmp_path, {"opportunities.csv": opps}, mapping))
    assert crm is None
    assert [(p.row, p.column) for p in problems] == [(1, "lead_source")]
