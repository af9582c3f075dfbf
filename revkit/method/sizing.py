"""What the recommended function takes: the operations headcount a verdict typically needs.

From published ratios in the methodology file (``sizing``, each with its
source in ``revkit/data/catalog/sources.yaml``): SalesOps scales with the
quota-carrying reps it supports; RevOps with the reps and, at least, with the
company's revenue stage, because it also runs marketing's and customer
success's operations. Quota-carrying reps are the sales team minus its own
operations people. "SalesOps now, RevOps next" is sized for SalesOps now,
with the RevOps range it grows into next.
"""

from __future__ import annotations

import math


def _ratio_range(reps: int, ratio: dict) -> tuple[int, int]:
    if reps <= 0:
        return 0, 0
    return max(1, math.ceil(reps / ratio["high"])), max(1, math.ceil(reps / ratio["low"]))


def _function_size(kind: str, reps: int, revenue_eur: float, method: dict) -> dict:
    cfg = method["sizing"][kind]
    low, high = _ratio_range(reps, cfg["reps_per_ops"])
    basis = [{"ratio_id": f"{kind}.reps_per_ops",
              "value": [cfg["reps_per_ops"]["low"], cfg["reps_per_ops"]["high"]],
              "source": cfg["reps_per_ops"]["source"], "reps": reps, "range": [low, high]}]
    if "revenue_stages" in cfg:
        stage = [s for s in cfg["revenue_stages"] if revenue_eur >= s["from"]][-1]
        basis.append({"ratio_id": f"{kind}.revenue_stage", "value": [stage["min"], stage["max"]],
                      "source": cfg["revenue_stages_source"], "revenue_eur": round(revenue_eur),
                      "range": [stage["min"], stage["max"]]})
        low, high = max(low, stage["min"]), max(high, stage["max"])
    return {"function": kind, "recommended_min": low, "recommended_max": high, "basis": basis}


def sizing(client, verdict: str, revenue_eur: float, method: dict) -> dict:
    """``{function, current_ops_headcount, recommended_min, recommended_max, gap, basis, next}``."""
    teams = {t: (int(h), int(o)) for t, h, o in zip(
        client.teams["team"], client.teams["headcount"], client.teams["ops_headcount"],
        strict=True)}
    sales, sales_ops = teams.get("sales", (0, 0))
    reps = max(0, sales - sales_ops)
    kind = "revops" if verdict == "full_revops" else "salesops"
    # SalesOps counts the people in sales' (and finance's) operations; RevOps all of them
    counted = [t for t in teams if kind == "revops" or t in ("sales", "finance")]
    current = sum(teams[t][1] for t in counted)
    out = {**_function_size(kind, reps, revenue_eur, method), "current_ops_headcount": current}
    out["gap"] = max(0, out["recommended_min"] - current)
    if verdict == "salesops_then_revops":
        grown = _function_size("revops", reps, revenue_eur, method)
        out["next"] = {k: grown[k] for k in ("function", "recommended_min", "recommended_max",
                                             "basis")}
    return out
