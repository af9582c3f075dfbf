"""Metric coverage: which catalog metrics are tracked, and how well.

Each catalog metric applicable to the client gets points 0..100 (nothing
unless tracked; then a base plus points for a documented definition, a
definition shared across teams, automation and cadence). Metrics not listed
in ``metrics.csv`` count as not tracked. Coverage is reported separately for
the SalesOps and RevOps sets and combined with the survey's metrics questions.
"""

from __future__ import annotations

from revkit import catalog
from revkit.intake.model import Client
from revkit.method.calc import mean, r1, weighted
from revkit.method.survey import SurveyView, question_ids, score


def metric_rows(client: Client, method: dict) -> list[dict]:
    """One row per catalog metric: applicability, the client's answers and its points."""
    cfg = method["metric_coverage"]
    given = {r["metric_id"]: r for r in client.metrics.to_dict("records")}
    rows = []
    for m in catalog.metrics():
        row = given.get(m["id"], {})
        tracked = bool(row.get("tracked", False))
        cadence = row.get("cadence") or "none"
        flags = {
            "documented": bool(row.get("definition_documented", False)),
            "shared": bool(row.get("shared_definition", False)),
            "automated": bool(row.get("automated", False)),
        }
        points = 0.0
        if tracked:
            q = cfg["quality_points"]
            points = (cfg["tracked_points"] + q["definition_documented"] * flags["documented"]
                      + q["shared_definition"] * flags["shared"]
                      + q["automated"] * flags["automated"]
                      + cfg["cadence_points"].get(cadence, 0))
        rows.append({
            "id": m["id"], "scope": m["scope"],
            "applicable": catalog.applies(m, client.team_ids, client.profile["revenue_model"],
                                          client.profile["gtm_motion"]),
            "asked": m["id"] in given, "tracked": tracked, **flags,
            "cadence": cadence, "owner_team": row.get("owner_team") if tracked else None,
            "score": float(min(points, 100.0)),
        })
    return rows


def set_score(rows: list[dict], scope: str | None = None) -> float | None:
    """Mean points of the applicable metrics (of one scope, or all)."""
    return mean(r["score"] for r in rows if r["applicable"] and scope in (None, r["scope"]))


def score_coverage(client: Client, method: dict, view: SurveyView, rows: list[dict]) -> dict:
    """Metric coverage score and its sub-scores."""
    subscores = {
        "salesops": r1(set_score(rows, "salesops")),
        "revops": r1(set_score(rows, "revops")),
        "catalog": r1(set_score(rows)),
        "survey": r1(score(view, question_ids("metrics"))),
    }
    return {
        "score": r1(weighted(subscores, method["weights"]["metric_coverage"])),
        "subscores": subscores,
    }
