"""A tiny CRM export written in the tests, small enough to compute by hand."""

from __future__ import annotations

import textwrap
from pathlib import Path

OPPORTUNITIES = """\
opportunity_id,account_id,owner,created_date,close_date,stage,amount,source
O1,A1,ann,2025-01-10,2025-02-09,won,1000,marketing
O2,A2,bob,2025-01-20,2025-03-21,won,3000,sales
O3,A3,ann,2025-02-01,2025-03-01,lost,500,marketing
O4,A4,bob,2025-02-15,2025-03-31,lost,2000,partner
O5,A5,ann,2025-03-01,2025-06-30,open,4000,marketing
O6,A1,bob,2024-11-01,2025-03-20,open,1500,
"""

LEADS = """\
lead_id,created_date,source,mql_date,sql_date,opportunity_id
L1,2025-01-02,marketing,2025-01-05,2025-01-08,O1
L2,2025-01-03,marketing,2025-01-06,2025-01-15,O3
L3,2025-01-04,partner,2025-01-10,,
L4,2025-02-01,marketing,,,
L5,2025-02-02,sales,2025-02-10,2025-02-12,O6
L6,,marketing,,,
"""

SPEND = """\
month,amount
2025-01,1000
2025-02,2000
2025-03,3000
"""

REVENUE = """\
month,account_id,amount
2024-01,A,100
2024-01,B,200
2024-01,C,100
2025-01,A,150
2025-01,B,150
2025-01,D,300
"""

TINY = {"opportunities.csv": OPPORTUNITIES, "leads.csv": LEADS, "spend.csv": SPEND,
        "revenue.csv": REVENUE}


def write_crm(folder: Path, files: dict[str, str] | None = None, mapping: str = "preset: generic\n"
              ) -> Path:
    """A client folder whose ``crm/`` holds ``files`` and ``mapping.yaml``; returns the folder."""
    crm = folder / "crm"
    crm.mkdir(parents=True, exist_ok=True)
    for name, text in (TINY if files is None else files).items():
        (crm / name).write_text(text, encoding="utf-8")
    (crm / "mapping.yaml").write_text(textwrap.dedent(mapping), encoding="utf-8")
    return folder


# the optional tables, in the generic preset's shape (see test_crm_new_metrics for the arithmetic)
ACTIVITIES = """\
record_id,date,type
L1,2025-01-05 09:00,email
L1,2025-01-05 14:00,call
L2,2025-01-07 12:00,call
L2,2025-01-08 12:00,email
L3,2025-01-04 16:00,call
"""

TIMED_LEADS = """\
lead_id,created_date,source,mql_date,sql_date,opportunity_id
L1,2025-01-02 09:00,marketing,2025-01-05 10:00,2025-01-08,O1
L2,2025-01-03 08:00,marketing,2025-01-06 12:00,2025-01-15,O3
L3,2025-01-04 14:00,partner,,,
"""

QUOTAS = """\
owner,period_start,period_end,amount
ann,2025-01-01,2025-03-31,2000
bob,2025-01-01,2025-03-31,2000
ann,2025-04-01,2025-06-30,4000
bob,2025-04-01,2025-06-30,2000
"""

FORECASTS = """\
snapshot_date,period_start,period_end,amount
2024-12-20,2025-01-01,2025-03-31,3000
2024-12-28,2025-01-01,2025-03-31,5000
2025-02-01,2025-01-01,2025-03-31,4500
2025-02-10,2025-02-01,2025-02-28,800
"""

STAGE_HISTORY = """\
opportunity_id,stage,date
O1,open,2025-01-10
O1,won,2025-02-09
O3,open,2025-02-01
O3,lost,2025-03-01
"""

FULL = {**TINY, "leads.csv": TIMED_LEADS, "activities.csv": ACTIVITIES, "quotas.csv": QUOTAS,
        "forecasts.csv": FORECASTS, "stage_history.csv": STAGE_HISTORY}
