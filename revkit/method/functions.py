"""Function and benefit profile: each SalesOps function and RevOps benefit rated.

A function (or benefit) is rated from what the catalogs tag with it: the
survey questions (points over reporting groups), the applicable metrics
(their points) and the applicable handoffs (their points). The rating is the
weighted mean of the parts it has; thresholds give in place / partial / missing.
"""

from __future__ import annotations

from functools import cache

from revkit import catalog
from revkit.method.calc import mean, r1, weighted
from revkit.method.scoring import Scored
from revkit.method.survey import score


@cache
def tagged(catalog_name: str, tag_key: str, item_id: str) -> frozenset[str]:
    """Ids of the catalog entries tagged with a function or benefit."""
    items = getattr(catalog, catalog_name)()
    return frozenset(i["id"] for i in items if item_id in i.get(tag_key, []))


def _rate(tag_key: str, item_id: str, scored: Scored, method: dict) -> dict:
    cfg = method["functions"]
    qids = sorted(tagged("questions", tag_key, item_id))
    metric_ids = tagged("metrics", tag_key, item_id)
    handoff_ids = tagged("handoffs", tag_key, item_id)
    metrics = [m for m in scored.metrics if m["applicable"] and m["id"] in metric_ids]
    handoffs = [h for h in scored.handoffs if h["applicable"] and h["id"] in handoff_ids]
    parts = {
        "survey": r1(score(scored.survey, qids)) if qids else None,
        "metrics": r1(mean(m["score"] for m in metrics)),
        "handoffs": r1(mean(h["score"] for h in handoffs)),
    }
    value = r1(weighted(parts, cfg["weights"]))
    if value is None:
        status = "missing"
    elif value >= cfg["in_place_from"]:
        status = "in_place"
    elif value >= cfg["partial_from"]:
        status = "partial"
    else:
        status = "missing"
    # the evidence outranks the opinion: most tagged metrics tracked means the function
    # exists at least in part, whatever the survey says
    tracked = sum(1 for m in metrics if m["tracked"])
    documented = sum(1 for m in metrics if m["tracked"] and m["documented"])
    if status == "missing" and metrics and tracked / len(metrics) >= cfg["evidence_partial_share"]:
        status = "partial"
    counts = {"questions": len(qids) if parts["survey"] is not None else 0,
              "metrics": len(metrics), "metrics_tracked": sum(1 for m in metrics if m["tracked"]),
              "metrics_documented": documented,
              "handoffs": len(handoffs)}
    return {"score": value if value is not None else 0.0, "status": status, "parts": parts,
            "counts": counts}


def profile(scored: Scored, method: dict) -> dict:
    """``{salesops_functions: [...], revops_benefits: [...]}`` in catalog order."""
    out = {}
    for kind, tag_key in (("salesops_functions", "functions"), ("revops_benefits", "benefits")):
        out[kind] = [{"id": item["id"], **_rate(tag_key, item["id"], scored, method)}
                     for item in catalog.functions()[kind]]
    return out
