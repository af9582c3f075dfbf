"""Measure catalog metrics from a client's CRM exports.

A metric is measured only where its inputs are there: what each needs is data
(``revkit/data/crm/metrics.yaml``). One whose table or column is absent, or
whose column is empty on every row, is *not measurable* — listed with the
reason code and the columns in ``not_measurable``, never reported as zero; so
is one with nothing to measure in the period (``no_records``). Values are
rates as fractions (0..1), durations in days (the response time in hours),
amounts in the export's currency, all rounded to 4 decimals.

The metrics themselves: ``deals`` (win rate, revenue, deal size, cycle,
velocity, stage conversion, marketing-sourced pipeline, CAC), ``funnel``
(lead volume, conversions, response time), ``targets`` (pipeline coverage,
quota attainment, forecast accuracy) and ``retention`` (the revenue metrics).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pandas as pd

from revkit import catalog
from revkit.intake.crm.check import CrmData
from revkit.intake.crm.mapping import crm_data
from revkit.method.crm import deals, funnel, quality, retention, targets

DECIMALS = 4
# each function gives the metrics listed with it; it runs where one of them has its inputs
MEASURES = (
    (deals.deal_metrics, ("win_rate", "sales_revenue", "average_deal_size",
                          "sales_cycle_length", "sales_velocity")),
    (targets.pipeline_coverage, ("pipeline_coverage",)),
    (targets.quota_attainment, ("quota_attainment",)),
    (deals.stage_conversion, ("stage_conversion",)),
    (targets.forecast_accuracy, ("forecast_accuracy",)),
    (funnel.lead_metrics, ("lead_volume", "lead_to_mql_conversion", "mql_to_sql_conversion",
                           "mql_to_won_conversion", "sql_to_won_conversion")),
    (funnel.lead_response_time, ("lead_response_time",)),
    (deals.marketing_sourced, ("marketing_sourced_pipeline",)),
    (deals.cac, ("cac",)),
    (retention.revenue_metrics, retention.METRICS),
)


@cache
def inputs() -> dict:
    """What each measured metric needs, the reason codes and the metrics exports cannot give."""
    return crm_data("metrics")


def measure(crm: CrmData | None, metrics_catalog=None) -> dict:
    """``{"metrics", "not_measurable", "findings"}`` for ``results.json`` (``measured``).

    ``metrics_catalog`` is a list of catalog entries (default: the shipped
    metric catalog); metrics are listed in its order, each measured one as
    ``{id, value, unit, records, period_start, period_end, benchmark}`` (and
    ``by_owner`` where a value is also given per owner), each other one as
    ``{id, reason, columns}``. A client without CRM data (``crm`` None) has
    nothing measured.
    """
    if crm is None:
        return {"metrics": [], "not_measurable": [], "findings": []}
    entries = metrics_catalog if metrics_catalog is not None else catalog.metrics()
    # the findings are counted beside the metrics, the metrics side by side: much of both
    # runs in Arrow's and NumPy's kernels, which release the interpreter lock
    with ThreadPoolExecutor(max_workers=2) as pool:
        findings = pool.submit(quality.findings, crm)
        values, missing = measure_values(crm, pool)
        findings = findings.result()
    metrics, not_measurable = [], []
    for entry in entries:
        mid = entry["id"]
        if mid not in values:
            reason, columns = missing.get(mid, ("not_from_exports", []))
            not_measurable.append({"id": mid, "reason": reason, "columns": columns})
            continue
        found = values[mid]
        start, end = found.get("period") or crm.period
        bench = entry.get("benchmark") or {}
        item = {
            "id": mid, "value": _number(found["value"], entry.get("unit")),
            "unit": entry.get("unit"), "records": int(found["records"]),
            "period_start": start.isoformat() if start else None,
            "period_end": end.isoformat() if end else None,
            "benchmark": {k: bench.get(k) for k in ("low", "high")},
        }
        if "by_owner" in found:
            item["by_owner"] = [{**o, "value": _number(o["value"], entry.get("unit"))}
                                for o in found["by_owner"]]
        metrics.append(item)
    return {"metrics": metrics, "not_measurable": not_measurable, "findings": findings}


def _number(value, unit):
    return int(value) if unit == "count" else round(float(value), DECIMALS)


def measure_values(crm: CrmData, pool: ThreadPoolExecutor | None = None
                   ) -> tuple[dict[str, dict], dict[str, tuple[str, list]]]:
    """``({metric id: result}, {metric id: (reason, columns)})`` for the metrics exports give.

    With a ``pool`` the measuring functions run on it, side by side.
    """
    needs = inputs()["metrics"]
    values: dict[str, dict] = {}
    missing: dict[str, tuple[str, list]] = {}
    state = _States(crm)
    jobs = []
    for function, metric_ids in MEASURES:
        ready = []
        for mid in metric_ids:
            failed = state.failures(needs.get(mid, []))
            if failed:
                missing[mid] = failed
            else:
                ready.append(mid)
        if ready:
            run = (lambda f=function: f(crm, _span(crm))) if crm.period else dict
            jobs.append((ready, pool.submit(run) if pool else run))
    for ready, job in jobs:  # gathered in the order of MEASURES, however they ran
        found = job.result() if pool else job()
        for mid in ready:
            value = found.get(mid)
            if isinstance(value, str):
                missing[mid] = (value, [])
            elif value is None or pd.isna(value["value"]):
                missing[mid] = ("no_records", [])
            else:
                values[mid] = value
    for mid in inputs()["not_from_exports"]:
        missing.setdefault(mid, ("not_from_exports", []))
    return values, missing


def _span(crm: CrmData):
    start, end = crm.period
    return pd.Timestamp(start), pd.Timestamp(end)


class _States:
    """Whether each input (``table.column``) is there, asked once per column."""

    def __init__(self, crm: CrmData):
        self.crm = crm
        self.cache: dict[str, str | None] = {}

    def reason(self, column: str) -> str | None:
        if column not in self.cache:
            self.cache[column] = self._reason(column)
        return self.cache[column]

    def _reason(self, column: str) -> str | None:
        table, name = column.split(".", 1)
        if table == "mapping":
            return None if getattr(self.crm.mapping, name, None) else "table_absent"
        frame = self.crm.table(table)
        if frame is None:
            return "table_absent"
        if name not in frame:
            return "column_absent"
        return "column_empty" if not frame[name].notna().any() else None

    def failures(self, needs: list) -> tuple[str, list] | None:
        """``(the first failing input's reason, the failing columns)``, or None when every
        input is there (for a choice of inputs, one of them)."""
        failed = []
        for item in needs:
            options = item if isinstance(item, list) else [item]
            reasons = [(self.reason(c), c) for c in options]
            if all(r for r, _ in reasons):
                failed += reasons
        if not failed:
            return None
        return failed[0][0], [c for _, c in failed]
