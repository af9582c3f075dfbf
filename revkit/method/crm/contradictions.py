"""Perception against evidence: where the CRM exports contradict the intake.

Each contradiction is ``{id, rule, intake: {ref, value}, measured: {metric_id |
finding_id, value, ...}, effect: {data_confidence, subscore}}`` (spec §8): both
values, how much it lowers the data confidence (0..1) and which sub-score it
lowers by how many points. The rules, their thresholds and effects are data
(``revkit/data/crm/contradictions.yaml``); ``docs/methodology.md`` writes them up.

``confidence_penalty`` is what the recommendation's data confidence takes off
for them: the sum of the effects, capped.
"""

from __future__ import annotations

import math
from functools import cache

from revkit import catalog
from revkit.intake.crm.mapping import crm_data


@cache
def rules() -> dict:
    """The contradiction rules and their effects (a data file)."""
    return crm_data("contradictions")


def contradictions(client, measured: dict) -> list[dict]:
    """Every contradiction between the validated ``client``'s intake and ``measured``."""
    spec = rules()["rules"]
    found = (_tracked_without_data(client, measured, spec["tracked_without_data"])
             + _reliable_data_claimed(client, measured, spec["reliable_data_claimed"])
             + _sla_exceeded(client, measured, spec["sla_exceeded"])
             + _marketing_share_off(client, measured, spec["marketing_share_off"]))
    order = list(spec)
    return sorted(found, key=lambda c: (order.index(c["rule"]), c["id"]))


def confidence_penalty(measured: dict | None) -> float:
    """How much the contradictions lower the data confidence: their sum, capped (0..cap)."""
    items = (measured or {}).get("contradictions") or []
    total = math.fsum(c["effect"]["data_confidence"] for c in items)
    return round(min(total, rules()["max_data_confidence_penalty"]), 4)


def _record(rule: str, subject: str, intake: dict, measured: dict, effect: dict,
            scope: str | None = None) -> dict:
    subscore = effect.get("subscore")
    if subscore:
        subscore = dict(subscore)
        if subscore["component"] == "scope":
            subscore["component"] = scope
    return {"id": f"{rule}.{subject}", "rule": rule, "intake": intake, "measured": measured,
            "effect": {"data_confidence": effect["data_confidence"], "subscore": subscore}}


def _tracked_without_data(client, measured: dict, rule: dict) -> list[dict]:
    missing = {m["id"]: m for m in measured.get("not_measurable", [])
               if m["reason"] in rule["reasons"]}
    scopes = {m["id"]: m["scope"] for m in catalog.metrics()}
    out = []
    for row in client.metrics.to_dict("records"):
        mid = row["metric_id"]
        if mid in missing and row.get("tracked") and row.get("automated"):
            gap = missing[mid]
            out.append(_record(
                "tracked_without_data", mid,
                {"ref": f"metrics.csv/{mid}/automated", "value": True},
                {"metric_id": mid, "value": None, "reason": gap["reason"],
                 "columns": list(gap["columns"])}, rule["effect"], scopes.get(mid)))
    return out


def _reliable_data_claimed(client, measured: dict, rule: dict) -> list[dict]:
    survey = client.survey
    answers = survey[survey["question_id"].isin(rule["questions"])]["score"].dropna()
    if len(answers) < rule["min_respondents"] or answers.mean() < rule["agree_from"]:
        return []
    claim = {"ref": "survey.csv/" + "+".join(rule["questions"]),
             "value": round(float(answers.mean()), 2), "answers": int(len(answers))}
    out = []
    for f in measured.get("findings", []):
        if f["id"] == rule["finding"] and f["column"] in rule["columns"].get(f["table"], []) \
                and f["share"] >= rule["min_share"]:
            out.append(_record(
                "reliable_data_claimed", f"{f['table']}.{f['column']}", claim,
                {"finding_id": f["id"], "table": f["table"], "column": f["column"],
                 "value": f["share"], "count": f["count"]}, rule["effect"]))
    return out


def _metric(measured: dict, metric_id: str) -> dict | None:
    return next((m for m in measured.get("metrics", []) if m["id"] == metric_id), None)


def _sla_exceeded(client, measured: dict, rule: dict) -> list[dict]:
    metric = _metric(measured, rule["metric"])
    if metric is None:
        return []
    out = []
    for row in client.handoffs.to_dict("records"):
        sla = row.get("sla_hours")
        if row["handoff_id"] not in rule["handoffs"] or sla is None or sla != sla or sla <= 0:
            continue
        if metric["value"] >= rule["min_ratio"] * sla:
            out.append(_record(
                "sla_exceeded", row["handoff_id"],
                {"ref": f"handoffs.csv/{row['handoff_id']}/sla_hours", "value": float(sla)},
                {"metric_id": metric["id"], "value": metric["value"],
                 "records": metric["records"]}, rule["effect"]))
    return out


def _marketing_share_off(client, measured: dict, rule: dict) -> list[dict]:
    claimed = client.profile.get("marketing_sourced_pipeline_share")
    metric = _metric(measured, rule["metric"])
    if claimed is None or metric is None:
        return []
    if abs(float(claimed) - metric["value"]) < rule["min_difference"]:
        return []
    return [_record("marketing_share_off", metric["id"],
                    {"ref": "profile.yaml/marketing_sourced_pipeline_share",
                     "value": float(claimed)},
                    {"metric_id": metric["id"], "value": metric["value"],
                     "records": metric["records"]}, rule["effect"])]
