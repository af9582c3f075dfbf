"""Measure catalog metrics from a client's CRM exports.

Each metric is measured only where the given tables and columns allow; one
that cannot be measured is left out rather than reported as zero. Values are
rates as fractions (0..1), durations in days, amounts in the export's
currency, all rounded to 4 decimals. Which dates put a record in the period:

- deals won or lost: the close date (win rate, sales revenue, deal size,
  cycle length, CAC's new customers);
- pipeline created: the opportunity's created date (marketing-sourced share);
- leads: the created date (volume, lead → MQL), the MQL date (MQL → SQL,
  MQL → won), the SQL date (SQL → won);
- spend: the month.

Choices where the catalog leaves room: ``sales_cycle_length`` is the *mean*
of days from created to close over won deals (deals closed before they were
created are left out); ``average_deal_size`` leaves out won deals without a
positive amount (the quality findings count them); ``marketing_sourced_pipeline``
counts pipeline whose source is known (an opportunity without a source takes
its lead's); ``sales_velocity`` counts the deals open as of ``as_of``;
``pipeline_coverage`` needs the mapping's ``quota``; ``stage_conversion``
needs a ``stage_history`` export, because an export of current stages does
not show at which stage a lost deal dropped out.
"""

from __future__ import annotations

import pandas as pd

from revkit import catalog
from revkit.intake.crm.check import CrmData
from revkit.method.crm import quality, retention

DECIMALS = 4


def measure(crm: CrmData | None, metrics_catalog=None) -> dict:
    """``{"metrics": [...], "findings": [...]}`` for ``results.json`` (``measured``).

    ``metrics_catalog`` is a list of catalog entries (default: the shipped
    metric catalog); metrics are listed in its order, each as
    ``{id, value, unit, records, period_start, period_end, benchmark}``.
    A client without CRM data (``crm`` None) has nothing measured.
    """
    if crm is None:
        return {"metrics": [], "findings": []}
    entries = metrics_catalog if metrics_catalog is not None else catalog.metrics()
    values = measure_values(crm)
    metrics = []
    for entry in entries:
        if entry["id"] not in values:
            continue
        value, records, start, end = values[entry["id"]]
        bench = entry.get("benchmark") or {}
        value = int(value) if entry.get("unit") == "count" else round(float(value), DECIMALS)
        metrics.append({
            "id": entry["id"], "value": value,
            "unit": entry.get("unit"), "records": int(records),
            "period_start": start.isoformat() if start else None,
            "period_end": end.isoformat() if end else None,
            "benchmark": {k: bench.get(k) for k in ("low", "high")},
        })
    return {"metrics": metrics, "findings": quality.findings(crm)}


def measure_values(crm: CrmData) -> dict[str, tuple]:
    """``{metric id: (value, records, period_start, period_end)}`` for what is measurable."""
    out: dict[str, tuple] = {}
    if crm.period is None:
        return out
    start, end = crm.period
    span = (pd.Timestamp(start), pd.Timestamp(end))
    if crm.opportunities is not None:
        _deal_metrics(crm, span, out)
        _pipeline_coverage(crm, out)
        _stage_conversion(crm, span, out)
    if crm.leads is not None:
        _lead_metrics(crm, span, out)
    _marketing_sourced(crm, span, out)
    if crm.spend is not None:
        _cac(crm, span, out)
    if crm.revenue is not None:
        out.update(retention.revenue_metrics(crm.revenue, span))
    return {k: (v, n, *(p or (start, end))) for k, (v, n, *p) in out.items()}


def _within(dates: pd.Series, span) -> pd.Series:
    return dates.between(*span) & dates.notna()


def _has(frame, *columns) -> bool:
    return frame is not None and all(c in frame.columns for c in columns)


# ---------------------------------------------------------------- deals

def _deal_metrics(crm: CrmData, span, out: dict) -> None:
    opps = crm.opportunities
    if not _has(opps, "stage_class", "close_date"):
        return
    closed = opps[opps["stage_class"].isin(["won", "lost"]) & _within(opps["close_date"], span)]
    won = closed[closed["stage_class"] == "won"]
    if len(closed):
        out["win_rate"] = (len(won) / len(closed), len(closed))
    if "amount" in won and len(won):
        amounts = won["amount"].dropna()
        out["sales_revenue"] = (amounts.sum(), len(amounts))
        positive = amounts[amounts > 0]
        if len(positive):
            out["average_deal_size"] = (positive.mean(), len(positive))
    if "created_date" in won:
        days = (won["close_date"] - won["created_date"]).dt.days.dropna()
        days = days[days >= 0]
        if len(days):
            out["sales_cycle_length"] = (days.mean(), len(days))
    needed = ("win_rate", "average_deal_size", "sales_cycle_length")
    if all(k in out for k in needed) and out["sales_cycle_length"][0] > 0:
        open_now = _open_as_of(crm)
        if open_now is not None:
            velocity = (len(open_now) * out["win_rate"][0] * out["average_deal_size"][0]
                        / out["sales_cycle_length"][0])
            out["sales_velocity"] = (velocity, len(open_now))


def _open_as_of(crm: CrmData) -> pd.DataFrame | None:
    """Opportunities open as of ``as_of`` (created by then, stage still open)."""
    opps = crm.opportunities
    if crm.as_of is None or not _has(opps, "stage_class"):
        return None
    is_open = opps["stage_class"] == "open"
    if "created_date" in opps:
        is_open &= ~(opps["created_date"] > pd.Timestamp(crm.as_of))
    return opps[is_open]


def _pipeline_coverage(crm: CrmData, out: dict) -> None:
    quota = crm.mapping.quota
    opps = crm.opportunities
    if not quota or not _has(opps, "stage_class", "close_date", "amount"):
        return
    window = (pd.Timestamp(quota["start"]), pd.Timestamp(quota["end"]))
    open_now = _open_as_of(crm)
    expected = open_now[_within(open_now["close_date"], window)]
    already = opps[(opps["stage_class"] == "won") & _within(opps["close_date"], window)
                   & ~(opps["close_date"] > pd.Timestamp(crm.as_of))]
    remaining = quota["amount"] - already["amount"].sum()
    if remaining > 0:
        out["pipeline_coverage"] = (expected["amount"].sum() / remaining, len(expected),
                                    quota["start"], quota["end"])


def _stage_conversion(crm: CrmData, span, out: dict) -> None:
    """Mean over the open stages of: deals that got past the stage ÷ deals that reached it.

    A deal reached every stage up to the furthest one its history (or its
    current stage) shows; a won deal got past every open stage. The cohort is
    the deals created in the period.
    """
    opps, history = crm.opportunities, crm.stage_history
    if history is None or not _has(opps, "opportunity_id", "stage", "created_date"):
        return
    stages = crm.mapping.tables["opportunities"].stages
    open_stages = [s for s, kind in stages.items() if kind == "open"]
    if len(open_stages) < 2:
        return
    position = {s: i for i, s in enumerate(open_stages)}
    position.update({s: len(open_stages) for s, kind in stages.items() if kind == "won"})
    cohort = opps[_within(opps["created_date"], span) & opps["opportunity_id"].notna()]
    seen = history.assign(at=history["stage"].map(position)).groupby("opportunity_id")["at"].max()
    reach = pd.concat([cohort["stage"].map(position),
                       cohort["opportunity_id"].map(seen)], axis=1).max(axis=1).dropna()
    rates = []
    for i in range(len(open_stages)):
        entered = int((reach >= i).sum())
        if entered:
            rates.append((reach >= i + 1).sum() / entered)
    if rates:
        out["stage_conversion"] = (sum(rates) / len(rates), len(reach))


# ---------------------------------------------------------------- leads and funnel

def _won_ids(crm: CrmData) -> set | None:
    opps = crm.opportunities
    if not _has(opps, "opportunity_id", "stage_class"):
        return None
    return set(opps.loc[opps["stage_class"] == "won", "opportunity_id"].dropna())


def _lead_reaches_won(leads: pd.DataFrame, won: set) -> pd.Series:
    """Per lead: whether one of its opportunity ids (``;``-separated) was won."""
    ids = leads["opportunity_id"].str.split(";").explode().str.strip()
    return ids.isin(won).groupby(level=0).any().reindex(leads.index, fill_value=False)


def _lead_metrics(crm: CrmData, span, out: dict) -> None:
    leads = crm.leads
    if "created_date" in leads:
        created = leads[_within(leads["created_date"], span)]
        if len(created):
            out["lead_volume"] = (len(created), len(created))
            if "mql_date" in leads:
                out["lead_to_mql_conversion"] = (created["mql_date"].notna().mean(), len(created))
    won = _won_ids(crm)
    reached = _lead_reaches_won(leads, won) if won is not None and "opportunity_id" in leads \
        else None
    if "mql_date" in leads:
        mqls = _within(leads["mql_date"], span)
        if mqls.any():
            if "sql_date" in leads:
                out["mql_to_sql_conversion"] = (leads.loc[mqls, "sql_date"].notna().mean(),
                                                int(mqls.sum()))
            if reached is not None:
                out["mql_to_won_conversion"] = (reached[mqls].mean(), int(mqls.sum()))
    if "sql_date" in leads and reached is not None:
        sqls = _within(leads["sql_date"], span)
        if sqls.any():
            out["sql_to_won_conversion"] = (reached[sqls].mean(), int(sqls.sum()))


def _marketing_sourced(crm: CrmData, span, out: dict) -> None:
    opps = crm.opportunities
    if not _has(opps, "created_date", "amount"):
        return
    source = opps["source_class"] if "source_class" in opps else pd.Series(
        pd.NA, index=opps.index, dtype="str")
    leads = crm.leads
    if _has(opps, "opportunity_id") and _has(leads, "opportunity_id", "source_class"):
        # an opportunity without a source of its own takes the source of its earliest lead
        order = ["created_date", "row"] if "created_date" in leads else ["row"]
        linked = leads.sort_values(order)
        linked = linked.assign(opportunity_id=linked["opportunity_id"].str.split(";")) \
            .explode("opportunity_id")
        linked["opportunity_id"] = linked["opportunity_id"].str.strip()
        first = linked.dropna(subset=["source_class"]).drop_duplicates("opportunity_id")
        by_opp = first.set_index("opportunity_id")["source_class"]
        source = source.fillna(opps["opportunity_id"].map(by_opp))
    pipeline = opps[_within(opps["created_date"], span) & opps["amount"].notna()
                    & source.notna()]
    total = pipeline["amount"].sum()
    if len(pipeline) and total > 0:
        marketing = pipeline.loc[source[pipeline.index] == "marketing", "amount"].sum()
        out["marketing_sourced_pipeline"] = (marketing / total, len(pipeline))


# ---------------------------------------------------------------- spend

def _cac(crm: CrmData, span, out: dict) -> None:
    spend = crm.spend
    month_span = (span[0].to_period("M").start_time, span[1])
    rows = spend[_within(spend["month"], month_span)]
    new = _new_customers(crm, span)
    if len(rows) and new:
        out["cac"] = (rows["amount"].sum() / new, len(rows))


def _new_customers(crm: CrmData, span) -> int:
    """Customers whose first won deal closed in the period.

    Where a revenue table is given, an account that already paid before that
    deal's month is an existing customer, not a new one.
    """
    opps = crm.opportunities
    if not _has(opps, "stage_class", "close_date"):
        return 0
    won = opps[(opps["stage_class"] == "won") & opps["close_date"].notna()]
    if "account_id" not in won or won["account_id"].isna().all():
        return int(_within(won["close_date"], span).sum())
    first = won.dropna(subset=["account_id"]).groupby("account_id")["close_date"].min()
    first = first[_within(first, span)]
    revenue = crm.revenue
    if revenue is not None and len(first):
        paying = revenue[revenue["amount"] > 0].groupby("account_id")["month"].min()
        earlier = paying.reindex(first.index) < first.dt.to_period("M").dt.start_time
        first = first[~earlier.fillna(False).astype(bool)]
    return len(first)
