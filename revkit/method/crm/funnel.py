"""Funnel metrics from the leads export: volume, conversions and the response time.

Which dates put a lead in the period: the created date (volume, lead → MQL),
the MQL date (MQL → SQL, MQL → won), the SQL date (SQL → won), and for the
response time the moment it became an MQL (or was created, where it has no
MQL date). A lead reached won when one of its opportunity ids (``;``-separated)
is a won opportunity of the export.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from revkit.intake.crm.check import CrmData
from revkit.method.crm.frames import has, lead_links, result, split_ids, within

HOUR = pd.Timedelta(hours=1)


def lead_metrics(crm: CrmData, span) -> dict:
    leads, out = crm.leads, {}
    if "created_date" in leads:
        created = within(leads["created_date"], span).to_numpy()
        if created.any():
            out["lead_volume"] = result(int(created.sum()), int(created.sum()))
            if "mql_date" in leads:
                out["lead_to_mql_conversion"] = result(
                    leads.loc[created, "mql_date"].notna().mean(), int(created.sum()))
    reached = _reaches_won(crm)
    if "mql_date" in leads:
        mqls = within(leads["mql_date"], span).to_numpy()
        if mqls.any():
            if "sql_date" in leads:
                out["mql_to_sql_conversion"] = result(
                    leads.loc[mqls, "sql_date"].notna().mean(), int(mqls.sum()))
            if reached is not None:
                out["mql_to_won_conversion"] = result(reached[mqls].mean(), int(mqls.sum()))
    if "sql_date" in leads and reached is not None:
        sqls = within(leads["sql_date"], span).to_numpy()
        if sqls.any():
            out["sql_to_won_conversion"] = result(reached[sqls].mean(), int(sqls.sum()))
    return out


def _reaches_won(crm: CrmData) -> pd.Series | None:
    """Per lead: whether one of its opportunities was won (None without the columns)."""
    opps, leads = crm.opportunities, crm.leads
    if not has(opps, "opportunity_id", "stage_class") or "opportunity_id" not in leads:
        return None
    links = lead_links(crm)
    won = (opps["stage_class"] == "won").to_numpy(dtype=bool)
    linked = links["at"].to_numpy()
    hit = linked >= 0
    hit[hit] = won[linked[hit]]
    out = np.zeros(len(leads), dtype=bool)
    out[links["lead"].to_numpy()[hit]] = True
    return out


def lead_response_time(crm: CrmData, span) -> dict:
    """Median hours from a lead's MQL moment (or creation) to its first activity after it.

    Leads that became MQLs (or were created) in the period count; a lead without
    an activity at or after that moment has no response yet and is left out.
    """
    leads, acts = crm.leads, crm.activities
    start = _moment(leads, "mql_date")
    if "created_date" in leads:
        created = _moment(leads, "created_date")
        start = created if start is None else start.fillna(created)
    start = start[within(start.dt.normalize(), span).to_numpy() & leads["lead_id"].notna()
                  .to_numpy()]
    if not len(start):
        return {}
    starts = pd.DataFrame({"record_id": leads.loc[start.index, "lead_id"].astype("str")
                           .to_numpy(), "start": start.to_numpy()}).drop_duplicates("record_id")
    touched = acts.loc[acts["date"].notna().to_numpy(), ["record_id"]]
    ids = split_ids(touched["record_id"])
    touches = pd.DataFrame({"record_id": ids.to_numpy(),
                            "at": _moment(acts, "date").loc[ids.index].to_numpy()})
    joined = touches.merge(starts, on="record_id")
    joined = joined[(joined["at"] >= joined["start"]).to_numpy()]
    if not len(joined):
        return {}
    first = joined.groupby("record_id").agg(at=("at", "min"), start=("start", "first"))
    hours = (first["at"] - first["start"]) / HOUR
    return {"lead_response_time": result(hours.median(), len(hours))}


def _moment(frame: pd.DataFrame, column: str) -> pd.Series | None:
    """The column with its time of day where the export gives one."""
    if column not in frame:
        return None
    return frame[f"{column}_at"] if f"{column}_at" in frame else frame[column]
