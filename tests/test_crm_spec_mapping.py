"""A public data set's shape mapped exactly as spec §3's example mapping says, measured and
compared with an independent computation (plain Python over the same rows)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics

from crm_fixtures import write_crm

from revkit.intake.crm import check_crm
from revkit.method.crm import measure

# spec §3, the mapping's shape, as written there
SPEC_MAPPING = """\
preset: generic                  # salesforce | hubspot | generic
opportunities:
  file: sales_pipeline.csv       # relative to crm/
  columns:                       # canonical name: export column (omit what the export lacks)
    opportunity_id: opportunity_id
    account_id: account
    owner: sales_agent
    created_date: engage_date
    close_date: close_date
    stage: deal_stage
    amount: close_value
  date_format: "%Y-%m-%d"        # strftime; optional where ISO
  stages:                        # export value: open | won | lost, in funnel order
    Prospecting: open
    Engaging: open
    Won: won
    Lost: lost
  keep: [product]                # extra columns kept for data-quality checks
leads:
  file: leads.csv
  columns: {lead_id: id, created_date: first_contact_date, source: origin, opportunity_id: deal_id}
  date_format: "%d-%m-%Y"
  sources: {organic_search: marketing, paid_search: marketing, referral: partner, unknown: other}
"""

# the columns of the Maven "CRM sales opportunities" sales_pipeline.csv, rows made by hand in
# its style: open deals have no close date or value, prospects no engage date or account
SALES_PIPELINE = """\
opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054
Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514
EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Won,2016-10-25,2017-03-07,50
MV1LWRNH,Moses Frase,GTX Basic,Codehow,Won,2016-10-25,2017-03-09,588
PE84CX4O,Zane Levy,GTX Basic,Hatfan,Won,2016-10-25,2017-03-02,517
ZNBS69V1,Anna Snelling,MG Special,Ron-tech,Won,2016-10-29,2017-03-01,49
9ME3374G,Vicki Laflamme,GTX Plus Basic,J-Texon,Lost,2016-10-30,2017-03-02,0
7GN8Q4LL,Markita Hansen,GTX Basic,Cheers,Lost,2016-11-01,2017-03-18,0
OLK9LKZB,Niesha Huffines,GTX Plus Basic,Zumgoity,Engaging,2016-11-01,,
HAXMC4IX,James Ascencio,MG Advanced,,Prospecting,,,
"""

LEADS = """\
id,first_contact_date,origin,deal_id
P1,15-10-2016,organic_search,1C1I7A6R
P2,18-10-2016,paid_search,Z063OYW0
P3,20-10-2016,referral,9ME3374G
P4,21-10-2016,unknown,
P5,02-11-2016,organic_search,
"""


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def _day(text):
    return dt.date.fromisoformat(text) if text else None


def test_the_spec_example_mapping_validates_on_an_export_with_exactly_its_columns(tmp_path):
    crm, problems = check_crm(write_crm(
        tmp_path, {"sales_pipeline.csv": SALES_PIPELINE, "leads.csv": LEADS}, SPEC_MAPPING))
    assert problems == [], [p.render() for p in problems]
    assert "source" not in crm.opportunities  # the preset's column the export lacks: absent
    assert {"mql_date", "sql_date"} & set(crm.leads) == set()
    assert list(crm.opportunities["product"])[:2] == ["GTX Plus Basic", "GTXPro"]


def test_measured_figures_match_an_independent_computation(tmp_path):
    crm, _ = check_crm(write_crm(
        tmp_path, {"sales_pipeline.csv": SALES_PIPELINE, "leads.csv": LEADS}, SPEC_MAPPING))
    result = measure(crm)
    m = {x["id"]: x for x in result["metrics"]}
    rows = _rows(SALES_PIPELINE)
    won = [r for r in rows if r["deal_stage"] == "Won"]
    lost = [r for r in rows if r["deal_stage"] == "Lost"]
    assert m["win_rate"]["value"] == round(len(won) / (len(won) + len(lost)), 4)
    assert m["sales_revenue"]["value"] == sum(float(r["close_value"]) for r in won)
    assert m["average_deal_size"]["value"] == round(
        statistics.mean(float(r["close_value"]) for r in won), 4)
    cycle = statistics.mean((_day(r["close_date"]) - _day(r["engage_date"])).days for r in won)
    assert m["sales_cycle_length"]["value"] == round(cycle, 4)
    assert m["lead_volume"]["value"] == len(_rows(LEADS))
    # no source column on the deals: each takes its lead's (two marketing, one partner at 0)
    linked = {r["deal_id"]: r["origin"] for r in _rows(LEADS) if r["deal_id"]}
    amounts = {r["opportunity_id"]: float(r["close_value"]) for r in rows
               if r["opportunity_id"] in linked}
    marketing = sum(a for o, a in amounts.items()
                    if linked[o] in ("organic_search", "paid_search"))
    assert m["marketing_sourced_pipeline"]["value"] == round(marketing / sum(amounts.values()), 4)
    # findings: counted by hand from the rows
    findings = {(f["id"], f["column"]): f["count"] for f in result["findings"]
                if f["table"] == "opportunities"}
    assert findings[("empty_value", "account_id")] == sum(1 for r in rows if not r["account"])
    assert findings[("empty_value", "close_date")] == sum(1 for r in rows if not r["close_date"])
    assert findings[("stale_open_opportunity", "close_date")] == 2
    missing = {x["id"]: x["reason"] for x in result["not_measurable"]}
    assert missing["mql_to_sql_conversion"] == "column_absent"
