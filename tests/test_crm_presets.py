"""The shipped presets read tiny exports in each CRM's own format."""

from __future__ import annotations

import datetime as dt

from crm_fixtures import write_crm

from revkit.intake.crm import check_crm
from revkit.intake.crm.mapping import load_preset, preset_names
from revkit.method.crm import measure

SF_HEADER = ",".join(f'"{c}"' for c in (
    "Opportunity ID", "Opportunity Name", "Account ID", "Opportunity Owner", "Created Date",
    "Close Date", "Stage", "Amount", "Lead Source"))
SALESFORCE_OPPORTUNITIES = SF_HEADER + """
"0061x00000AAA01","Acme","0011x00000BBB01","Maya Chen","1/6/2026","2/5/2026",\
"Closed Won","12000.00","Web"
"0061x00000AAA02","Globex","0011x00000BBB02","Tom Reed","1/20/2026","3/2/2026",\
"Closed Lost","8000.00","Partner Referral"
"0061x00000AAA03","Initech","0011x00000BBB03","Maya Chen","2/11/2026","4/30/2026",\
"Negotiation/Review","20000.00",""

"Confidential Information - Do Not Distribute"
"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."
"""

HUBSPOT_DEALS = """\
Record ID,Deal Name,Associated Company IDs,Deal owner,Create Date,Close Date,Deal Stage,Amount,Original Source
9001,Acme,501,Maya Chen,2026-01-06 09:12,2026-02-05 16:40,closedwon,12000,Organic Search
9002,Globex,502,Tom Reed,2026-01-20 11:00,2026-03-02 10:05,closedlost,8000,Offline Sources
9003,Initech,503,Maya Chen,2026-02-11 14:30,,contractsent,20000,Paid Search
"""

HUBSPOT_CONTACTS = """\
Record ID,Create Date,Original Source,Became a Marketing Qualified Lead Date,\
Became a Sales Qualified Lead Date,Associated Deal IDs
71,2025-12-01 08:00,Organic Search,2025-12-03 10:00,2025-12-10 12:00,9001
72,2025-12-02 08:00,Paid Search,2025-12-04 10:00,,
"""


def test_every_shipped_preset_is_a_valid_mapping():
    assert preset_names() == ["generic", "hubspot", "salesforce"]
    for name in preset_names():
        assert "opportunities" in load_preset(name)["tables"]


def test_salesforce_preset_reads_a_report_export(tmp_path):
    mapping = "preset: salesforce\n"
    crm, problems = check_crm(write_crm(tmp_path, {"opportunities.csv": SALESFORCE_OPPORTUNITIES},
                                        mapping))
    assert problems == []
    opps = crm.opportunities
    assert list(opps["row"]) == [2, 3, 4]  # the footer lines are not rows
    assert opps["created_date"].iloc[0].date() == dt.date(2026, 1, 6)
    assert list(opps["stage_class"]) == ["won", "lost", "open"]
    assert list(opps["source_class"].fillna("-")) == ["marketing", "partner", "-"]
    assert crm.as_of == dt.date(2026, 3, 2)
    metrics = {m["id"]: m["value"] for m in measure(crm)["metrics"]}
    assert metrics["win_rate"] == 0.5 and metrics["sales_cycle_length"] == 30


def test_salesforce_preset_rejects_iso_dates_with_the_expected_format(tmp_path):
    export = SALESFORCE_OPPORTUNITIES.replace('"1/6/2026"', '"2026-01-06"')
    crm, problems = check_crm(write_crm(tmp_path, {"opportunities.csv": export},
                                        "preset: salesforce\n"))
    assert crm is None
    assert [(p.row, p.column) for p in problems] == [(2, "Created Date")]
    assert "%m/%d/%Y" in problems[0].allowed


def test_hubspot_preset_reads_deals_and_contacts(tmp_path):
    crm, problems = check_crm(write_crm(
        tmp_path, {"deals.csv": HUBSPOT_DEALS, "contacts.csv": HUBSPOT_CONTACTS},
        "preset: hubspot\n"))
    assert problems == []
    assert list(crm.opportunities["stage_class"]) == ["won", "lost", "open"]
    assert list(crm.opportunities["source_class"]) == ["marketing", "other", "marketing"]
    assert crm.opportunities["close_date"].iloc[0].date() == dt.date(2026, 2, 5)
    assert list(crm.leads["opportunity_id"].fillna("")) == ["9001", ""]
    metrics = {m["id"]: m["value"] for m in measure(crm)["metrics"]}
    assert metrics["mql_to_won_conversion"] == 0.5  # contact 71 -> deal 9001 won
    assert metrics["marketing_sourced_pipeline"] == 0.8  # 12000 + 20000 of 40000


def test_mapping_file_overrides_the_preset(tmp_path):
    export = SALESFORCE_OPPORTUNITIES.replace("Opportunity Owner", "Owner Full Name") \
        .replace('"Web"', '"Webinar"')
    mapping = """\
        preset: salesforce
        opportunities:
          file: report.csv
          columns: {owner: Owner Full Name, account_id: null}
          sources: {Webinar: marketing}
        """
    crm, problems = check_crm(write_crm(tmp_path, {"report.csv": export}, mapping))
    assert problems == []
    assert "account_id" not in crm.opportunities
    assert crm.opportunities["owner"].iloc[1] == "Tom Reed"
    assert crm.opportunities["source_class"].iloc[0] == "marketing"
    # the preset's own sources are still there
    assert crm.opportunities["source_class"].iloc[1] == "partner"


def test_salesforce_stage_history_reads_report_timestamps(tmp_path):
    history = ('"Opportunity ID","Stage","Last Modified"\n'
               '"0061x00000AAA01","Prospecting","1/6/2026, 9:15 AM"\n'
               '"0061x00000AAA01","Closed Won","2/5/2026, 5:30 PM"\n'
               '"0061x00000AAA03","Negotiation/Review","2/20/2026, 11:02 AM"\n')
    crm, problems = check_crm(write_crm(
        tmp_path, {"opportunities.csv": SALESFORCE_OPPORTUNITIES,
                   "opportunity_history.csv": history}, "preset: salesforce\n"))
    assert problems == []
    assert [d.date() for d in crm.stage_history["date"]] == [
        dt.date(2026, 1, 6), dt.date(2026, 2, 5), dt.date(2026, 2, 20)]
    assert list(crm.stage_history["stage_class"]) == ["open", "won", "open"]
