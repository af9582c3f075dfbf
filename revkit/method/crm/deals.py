"""Deal metrics from the opportunities export (and its stage history, leads and spend).

Each function returns ``{metric id: value}`` where a value is
``{"value", "records"[, "period"]}``; a metric it cannot give from the rows in
the period is simply missing (the caller lists it as not measurable, reason
``no_records``).

Choices where the catalog leaves room: ``sales_cycle_length`` is the *mean*
of days from created to close over won deals (deals closed before they were
created are left out); ``average_deal_size`` leaves out won deals without a
positive amount; ``marketing_sourced_pipeline`` counts pipeline whose source
is known (an opportunity without a source takes its earliest lead's);
``sales_velocity`` counts the deals open as of ``as_of``; ``stage_conversion``
needs a stage history, because an export of current stages does not show at
which stage a lost deal dropped out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from revkit.intake.crm.check import CrmData
from revkit.method.crm.frames import has, lead_links, result, within

CLOSED = ["won", "lost"]


def deal_metrics(crm: CrmData, span) -> dict:
    """Win rate, revenue, deal size, cycle length and velocity of the deals closed in the period."""
    opps, out = crm.opportunities, {}
    cols = [c for c in ("stage_class", "close_date", "created_date", "amount") if c in opps]
    closed = opps.loc[opps["stage_class"].isin(CLOSED).to_numpy()
                      & within(opps["close_date"], span).to_numpy(), cols]
    won = closed[(closed["stage_class"] == "won").to_numpy()]
    if len(closed):
        out["win_rate"] = result(len(won) / len(closed), len(closed))
    if "amount" in won and won["amount"].notna().any():
        amounts = won["amount"].dropna()
        out["sales_revenue"] = result(amounts.sum(), len(amounts))
        positive = amounts[amounts > 0]
        if len(positive):
            out["average_deal_size"] = result(positive.mean(), len(positive))
    if "created_date" in won:
        days = (won["close_date"] - won["created_date"]).dt.days.dropna()
        days = days[days >= 0]
        if len(days):
            out["sales_cycle_length"] = result(days.mean(), len(days))
    parts = [out.get(k) for k in ("win_rate", "average_deal_size", "sales_cycle_length")]
    if all(parts) and parts[2]["value"] > 0:
        open_now = open_as_of(crm)
        if open_now is not None and len(open_now):
            velocity = len(open_now) * parts[0]["value"] * parts[1]["value"] / parts[2]["value"]
            out["sales_velocity"] = result(velocity, len(open_now))
    return out


def open_as_of(crm: CrmData) -> pd.DataFrame | None:
    """Opportunities open as of ``as_of`` (created by then, stage still open)."""
    opps = crm.opportunities
    if crm.as_of is None or not has(opps, "stage_class"):
        return None
    is_open = opps["stage_class"] == "open"
    if "created_date" in opps:
        is_open &= ~(opps["created_date"] > pd.Timestamp(crm.as_of))
    return opps[is_open.to_numpy()]


def stage_conversion(crm: CrmData, span) -> dict:
    """Mean over the open stages of: deals that got past the stage ÷ deals that reached it.

    A deal reached every stage up to the furthest one its history (or its
    current stage) shows; a won deal got past every open stage. The cohort is
    the deals created in the period.
    """
    opps, history = crm.opportunities, crm.stage_history
    stages = crm.mapping.tables["opportunities"].stages
    open_stages = [s for s, kind in stages.items() if kind == "open"]
    if len(open_stages) < 2:
        return {}
    position = {s: i for i, s in enumerate(open_stages)}
    position.update({s: len(open_stages) for s, kind in stages.items() if kind == "won"})
    cohort = opps[(within(opps["created_date"], span) & opps["opportunity_id"].notna()).to_numpy()]
    seen = history.assign(at=history["stage"].map(position)).groupby("opportunity_id")["at"].max()
    reach = pd.concat([cohort["stage"].map(position).astype("float64"),
                       cohort["opportunity_id"].map(seen).astype("float64")], axis=1
                      ).max(axis=1).dropna()
    rates = []
    for i in range(len(open_stages)):
        entered = int((reach >= i).sum())
        if entered:
            rates.append((reach >= i + 1).sum() / entered)
    return {"stage_conversion": result(sum(rates) / len(rates), len(reach))} if rates else {}


def marketing_sourced(crm: CrmData, span) -> dict:
    """Amount of pipeline created in the period with a marketing source ÷ with a known one."""
    opps = crm.opportunities
    pipeline = (within(opps["created_date"], span) & opps["amount"].notna()).to_numpy()
    if "source_class" in opps:
        known = opps["source_class"].notna().to_numpy(copy=True)
        marketing = (opps["source_class"] == "marketing").to_numpy(dtype=bool, copy=True)
    else:
        known = np.zeros(len(opps), dtype=bool)
        marketing = known.copy()
    if not known[pipeline].all() and has(opps, "opportunity_id") \
            and has(crm.leads, "opportunity_id", "source_class"):
        lead_known, lead_marketing = _lead_sources(crm, len(opps))
        missing = ~known
        known[missing] = lead_known[missing]
        marketing[missing] = lead_marketing[missing]
    amounts = opps["amount"].to_numpy(dtype="float64")
    counted = pipeline & known
    total = amounts[counted].sum()
    if not counted.any() or total <= 0:
        return {}
    return {"marketing_sourced_pipeline": result(amounts[counted & marketing].sum() / total,
                                                 int(counted.sum()))}


def _lead_sources(crm: CrmData, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per opportunity (by position): whether its earliest lead with a source has one, and
    whether that source is marketing — for opportunities without a source of their own."""
    leads, links = crm.leads, lead_links(crm)
    lead, at = links["lead"].to_numpy(), links["at"].to_numpy()
    sourced = leads["source_class"].notna().to_numpy()[lead] & (at >= 0)
    lead, at = lead[sourced], at[sourced]
    created = leads["created_date"].to_numpy("datetime64[ns]").view("int64")[lead] \
        if "created_date" in leads else np.zeros(len(lead), dtype=np.int64)
    created = np.where(created == np.iinfo(np.int64).min, np.iinfo(np.int64).max, created)
    order = np.lexsort((leads["row"].to_numpy()[lead], created))  # earliest, then first row
    _, first = np.unique(at[order], return_index=True)
    chosen = order[first]
    known, marketing = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
    known[at[chosen]] = True
    marketing[at[chosen]] = (leads["source_class"] == "marketing").to_numpy(dtype=bool)[
        lead[chosen]]
    return known, marketing


def cac(crm: CrmData, span) -> dict:
    """Spend in the period ÷ new customers won in it."""
    spend = crm.spend
    month_span = (span[0].to_period("M").start_time, span[1])
    rows = spend[within(spend["month"], month_span).to_numpy()]
    new = _new_customers(crm, span)
    if len(rows) and rows["amount"].notna().any() and new:
        return {"cac": result(rows["amount"].sum() / new, len(rows))}
    return {}


def _new_customers(crm: CrmData, span) -> int:
    """Customers whose first won deal closed in the period.

    Where a revenue table is given, an account that already paid before that
    deal's month is an existing customer, not a new one.
    """
    opps = crm.opportunities
    cols = [c for c in ("close_date", "account_id") if c in opps]
    won = opps.loc[((opps["stage_class"] == "won") & opps["close_date"].notna()).to_numpy(), cols]
    if "account_id" not in won or won["account_id"].isna().all():
        return int(within(won["close_date"], span).sum())
    first = won.dropna(subset=["account_id"]).groupby("account_id")["close_date"].min()
    first = first[within(first, span)]
    revenue = crm.revenue
    if has(revenue, "month", "account_id", "amount") and len(first):
        paying = revenue[revenue["amount"] > 0].groupby("account_id")["month"].min()
        earlier = paying.reindex(first.index) < first.dt.to_period("M").dt.start_time
        first = first[~earlier.fillna(False).astype(bool)]
    return len(first)
