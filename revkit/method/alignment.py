"""Process alignment: the lifecycle handoffs and the survey's process questions.

A handoff applies where both its teams exist. Each applicable handoff gets
points 0..100 for being defined, documented, having an SLA, measuring it,
being automated and having a feedback loop; an applicable handoff missing
from ``handoffs.csv`` counts as not defined.
"""

from __future__ import annotations

import math

from revkit import catalog
from revkit.intake.model import Client
from revkit.method.calc import mean, r1, weighted
from revkit.method.survey import SurveyView, question_ids, score


def _status(defined: bool, points: float, cfg: dict) -> str:
    if not defined:
        return "missing"
    if points >= cfg["strong_from"]:
        return "strong"
    if points >= cfg["partial_from"]:
        return "partial"
    return "weak"


def handoff_rows(client: Client, method: dict) -> list[dict]:
    """One row per catalog handoff, in lifecycle order, with status and points."""
    cfg = method["process_alignment"]
    pts = cfg["handoff_points"]
    given = {r["handoff_id"]: r for r in client.handoffs.to_dict("records")}
    applicable = {h["id"] for h in catalog.applicable_handoffs(client.team_ids,
                                                               client.profile["gtm_motion"])}
    rows = []
    for h in sorted(catalog.handoffs(), key=lambda h: (h["lifecycle_order"], h["id"])):
        row = given.get(h["id"], {}) if h["id"] in applicable else {}
        sla = row.get("sla_hours")
        sla = None if sla is None or (isinstance(sla, float) and math.isnan(sla)) else float(sla)
        flags = {k: bool(row.get(k, False)) for k in
                 ("defined", "documented", "sla_measured", "automated", "feedback_loop")}
        points = (pts["defined"] * flags["defined"] + pts["documented"] * flags["documented"]
                  + pts["sla_set"] * (sla is not None)
                  + pts["sla_measured"] * (sla is not None and flags["sla_measured"])
                  + pts["automated"] * flags["automated"]
                  + pts["feedback_loop"] * flags["feedback_loop"])
        is_app = h["id"] in applicable
        rows.append({
            "id": h["id"], "from_team": h["from_team"],
            "to_team": h["to_team"], "lifecycle_order": h["lifecycle_order"],
            "applicable": is_app, "given": h["id"] in given,
            "status": _status(flags["defined"], points, cfg["status"]) if is_app else "missing",
            "score": float(points) if is_app else None,
            "defined": flags["defined"], "documented": flags["documented"], "sla_hours": sla,
            "sla_measured": flags["sla_measured"], "automated": flags["automated"],
            "feedback_loop": flags["feedback_loop"],
        })
    return rows


def score_alignment(client: Client, method: dict, view: SurveyView, rows: list[dict]) -> dict:
    """Process alignment score and its sub-scores."""
    subscores = {
        "handoffs": r1(mean(r["score"] for r in rows if r["applicable"])),
        "survey": r1(score(view, question_ids("process"))),
    }
    return {
        "score": r1(weighted(subscores, method["weights"]["process_alignment"])),
        "subscores": subscores,
    }
