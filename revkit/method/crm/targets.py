"""Metrics against targets: pipeline coverage, quota attainment and forecast accuracy.

- ``pipeline_coverage``: open pipeline due in the quota window ÷ (quota − won in
  the window so far). With a ``quotas`` table, the window is the one that
  contains ``as_of`` (else the next one), per owner and overall (the owners'
  sums); without it, the mapping's ``quota`` (overall only).
- ``quota_attainment``: per owner, won amount in their quota windows ÷ their
  quotas, over the windows that ended by ``as_of`` and end in the period;
  the value is the mean over those owners (the catalog: averaged over
  quota-carrying reps).
- ``forecast_accuracy``: per forecast period that ended by ``as_of`` and ends
  in the period, 1 − |forecast − won| ÷ won (at least 0), where the forecast is
  the last snapshot taken on or before the period's start (else the first one
  taken in the period); the value is the mean over the periods.
"""

from __future__ import annotations

import pandas as pd

from revkit.intake.crm.check import CrmData
from revkit.method.crm.deals import open_as_of
from revkit.method.crm.frames import result, within


def _won(crm: CrmData, columns: list[str]) -> pd.DataFrame:
    opps = crm.opportunities
    keep = (opps["stage_class"] == "won") & opps["close_date"].notna() & opps["amount"].notna()
    return opps.loc[keep.to_numpy(), columns]


def pipeline_coverage(crm: CrmData, span) -> dict:
    if crm.quotas is not None and "amount" in crm.quotas:
        return _coverage_by_owner(crm)
    quota = crm.mapping.quota
    if not quota or crm.as_of is None:
        return {}
    window = (pd.Timestamp(quota["start"]), pd.Timestamp(quota["end"]))
    due, won = _due_and_won(crm, window, ["amount"])
    remaining = quota["amount"] - won["amount"].sum()
    if remaining <= 0:
        return {}
    return {"pipeline_coverage": result(due["amount"].sum() / remaining, len(due),
                                        (quota["start"], quota["end"]))}


def _due_and_won(crm: CrmData, window, columns: list[str]):
    """Open deals due in the window, and deals won in it by ``as_of``."""
    open_now = open_as_of(crm)
    due = open_now.loc[within(open_now["close_date"], window).to_numpy(), columns]
    won = _won(crm, ["close_date", *columns])
    won = won[within(won["close_date"], (window[0], min(window[1], pd.Timestamp(crm.as_of))))
              .to_numpy()]
    return due, won


def _coverage_by_owner(crm: CrmData) -> dict:
    quotas = crm.quotas.dropna(subset=["owner", "period_start", "period_end", "amount"])
    if crm.as_of is None or not len(quotas) or "owner" not in crm.opportunities:
        return {}
    as_of = pd.Timestamp(crm.as_of)
    current = quotas[(quotas["period_start"] <= as_of) & (quotas["period_end"] >= as_of)]
    if not len(current):
        current = quotas[quotas["period_start"] > as_of]
    if not len(current):
        return {}
    start, end = current.sort_values(["period_start", "period_end"]).iloc[0][
        ["period_start", "period_end"]]
    current = current[(current["period_start"] == start) & (current["period_end"] == end)]
    target = current.groupby("owner")["amount"].sum()
    due, won = _due_and_won(crm, (start, end), ["owner", "amount"])
    pipeline = due.groupby("owner")["amount"].sum().reindex(target.index, fill_value=0.0)
    remaining = target - won.groupby("owner")["amount"].sum().reindex(target.index, fill_value=0.0)
    if remaining.sum() <= 0:
        return {}
    deals = due.groupby("owner").size().reindex(target.index, fill_value=0)
    by_owner = [{"owner": str(o), "value": pipeline[o] / remaining[o], "records": int(deals[o])}
                for o in sorted(target.index) if remaining[o] > 0]
    out = result(pipeline.sum() / remaining.sum(), int(deals.sum()), (start.date(), end.date()))
    return {"pipeline_coverage": {**out, "by_owner": by_owner}}


def quota_attainment(crm: CrmData, span) -> dict:
    quotas = crm.quotas.dropna(subset=["owner", "period_start", "period_end", "amount"])
    as_of = pd.Timestamp(crm.as_of) if crm.as_of else None
    done = quotas[within(quotas["period_end"], span).to_numpy()
                  & (quotas["amount"] > 0).to_numpy()]
    if as_of is not None:
        done = done[(done["period_end"] <= as_of).to_numpy()]
    if not len(done):
        return {}
    won = _won(crm, ["owner", "close_date", "amount"]).dropna(subset=["owner"])
    pairs = done.reset_index(drop=True).reset_index(names="quota").merge(
        won, on="owner", suffixes=("_quota", ""))
    pairs = pairs[pairs["close_date"].between(pairs["period_start"], pairs["period_end"])]
    won_by = pairs.groupby("owner")["amount"].sum()
    target = done.groupby("owner")["amount"].sum()
    attained = (won_by.reindex(target.index, fill_value=0.0) / target)
    by_owner = [{"owner": str(o), "value": float(attained[o]),
                 "records": int((done["owner"] == o).sum())} for o in sorted(target.index)]
    period = (done["period_start"].min().date(), done["period_end"].max().date())
    return {"quota_attainment": {**result(attained.mean(), len(target), period),
                                 "by_owner": by_owner}}


def forecast_accuracy(crm: CrmData, span) -> dict:
    forecasts = crm.forecasts.dropna(subset=["snapshot_date", "period_start", "period_end",
                                             "amount"])
    as_of = pd.Timestamp(crm.as_of) if crm.as_of else None
    keys = ["period_start", "period_end", "snapshot_date"]
    snapshots = forecasts.groupby(keys, as_index=False)["amount"].sum()
    snapshots = snapshots[within(snapshots["period_end"], span).to_numpy()]
    if as_of is not None:
        snapshots = snapshots[(snapshots["period_end"] <= as_of).to_numpy()]
    won = _won(crm, ["close_date", "amount"])
    scores, periods = [], []
    for (start, end), group in snapshots.groupby(["period_start", "period_end"]):
        before = group[group["snapshot_date"] <= start]
        inside = group[group["snapshot_date"].between(start, end)]
        if len(before):
            forecast = before.sort_values("snapshot_date")["amount"].iloc[-1]
        elif len(inside):
            forecast = inside.sort_values("snapshot_date")["amount"].iloc[0]
        else:
            continue
        actual = won.loc[within(won["close_date"], (start, end)).to_numpy(), "amount"].sum()
        if actual > 0:
            scores.append(max(0.0, 1 - abs(forecast - actual) / actual))
            periods.append((start, end))
    if not scores:
        return {}
    period = (min(p[0] for p in periods).date(), max(p[1] for p in periods).date())
    return {"forecast_accuracy": result(sum(scores) / len(scores), len(scores), period)}
