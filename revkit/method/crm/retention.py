"""Revenue-based metrics from recurring revenue by account and month.

The window is the last 12 months the table holds within the period: the
latest month E and the month S twelve months before it. Customers are the
accounts with revenue in S. Without both S and E in the data (less than 13
months) these metrics are not measured, because a shorter window would
overstate retention. Amounts are in the revenue table's unit (for MRR:
per month).

- net_revenue_retention: their revenue in E ÷ their revenue in S;
- gross_revenue_retention: the same with each account capped at its S revenue;
- churn_rate: share of them with no revenue in E;
- expansion_revenue: the sum of their increases from S to E;
- revenue_growth: (all revenue in E − all revenue in S) ÷ all revenue in S.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from revkit.method.crm.frames import result

WINDOW_MONTHS = 12


METRICS = ("net_revenue_retention", "gross_revenue_retention", "churn_rate",
           "expansion_revenue", "revenue_growth")


def revenue_metrics(crm, span) -> dict:
    """``{metric id: result}``; the reason code instead where the window is too short."""
    revenue = crm.revenue
    rows = revenue.dropna(subset=["month", "account_id", "amount"])
    rows = rows[rows["month"].between(span[0].to_period("M").start_time, span[1])]
    if rows.empty:
        return {}
    last = rows["month"].max()
    first = last - pd.DateOffset(months=WINDOW_MONTHS)
    if rows["month"].min() > first:
        return dict.fromkeys(METRICS, "window_too_short")
    by_account = rows.groupby(["account_id", "month"])["amount"].sum()
    at_start = by_account.xs(first, level="month") if first in by_account.index.get_level_values(
        "month") else pd.Series(dtype="float64")
    at_end = by_account.xs(last, level="month")
    base = at_start[at_start > 0]
    if base.empty:
        return {}
    later = at_end.reindex(base.index).fillna(0.0)
    start_total = base.sum()
    window = (first.date(), (last + pd.offsets.MonthEnd(0)).date())
    out = {
        "net_revenue_retention": result(later.sum() / start_total, len(base), window),
        "gross_revenue_retention": result(np.minimum(later, base).sum() / start_total, len(base),
                                          window),
        "churn_rate": result((later <= 0).mean(), len(base), window),
        "expansion_revenue": result((later - base).clip(lower=0).sum(), len(base), window),
    }
    before, now = at_start.sum(), at_end.sum()
    if before > 0:
        out["revenue_growth"] = result((now - before) / before, len(at_start) + len(at_end),
                                       window)
    return out
