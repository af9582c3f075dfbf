"""The recommendation: SalesOps only, SalesOps now and RevOps next, or full RevOps.

Complexity (0..100, the sum of the complexity factors' points) decides whether
RevOps is needed; pain (the dimension gaps) tips the verdict only between the
two complexity thresholds and sets the urgency. Every factor carries its
signed contribution and the evidence behind it.
"""

from __future__ import annotations

import math
from functools import cache

from revkit import catalog
from revkit.intake.model import Client
from revkit.method import functions as profile_functions
from revkit.method.calc import clamp01, mean, r1, ramp
from revkit.method.scoring import Scored
from revkit.vocabulary import VERDICTS

# ---------------------------------------------------------------- the client's shape

def shape_of(client: Client) -> dict:
    """The inputs complexity is computed from (small, so the flip search can vary them)."""
    p = client.profile
    teams = zip(client.teams["team"], client.teams["headcount"], strict=True)
    systems = zip(client.systems["system"], client.systems["category"], strict=True)
    return {
        "teams": {t: int(h) for t, h in teams},
        "revenue_model": p["revenue_model"],
        "marketing_sourced_pipeline_share": p.get("marketing_sourced_pipeline_share"),
        "annual_revenue": float(p["annual_revenue"]),
        "currency": p["currency"],
        "systems": sorted(s for s, c in systems if c != "spreadsheet"),
    }


@cache
def revenue_teams() -> tuple[str, ...]:
    """Catalog teams that bring in revenue (marketing, partnerships, sales, customer success)."""
    return tuple(t["id"] for t in catalog.teams() if t["revenue_team"])


def other_revenue_teams(shape: dict) -> list[str]:
    return [t for t in revenue_teams() if t != "sales" and t in shape["teams"]]


def single_revenue_team(shape: dict) -> bool:
    """True where sales is the only revenue team (no marketing, customer success, partners)."""
    return not other_revenue_teams(shape)


# ---------------------------------------------------------------- factors

def complexity_points(shape: dict, method: dict) -> dict[str, tuple]:
    """``{factor id: (value, points)}`` of the complexity factors (points >= 0)."""
    cfg = method["recommendation"]["complexity"]
    out = {}
    c = cfg["other_revenue_teams"]
    effective = min(c["max_teams"], math.fsum(
        min(1.0, shape["teams"][t] / c["full_team_headcount"])
        for t in other_revenue_teams(shape)))
    out["other_revenue_teams"] = (round(effective, 2), c["points_per_team"] * effective)
    model = shape["revenue_model"]
    out["revenue_model"] = (model, float(cfg["revenue_model"][model]))
    c = cfg["marketing_sourced_share"]
    share = shape["marketing_sourced_pipeline_share"]
    # an unknown share is not evidence of a small one: assume a typical share
    assumed = c["assumed_when_missing"] if share is None else share
    counts = "marketing" in shape["teams"]
    out["marketing_sourced_share"] = (share, c["points"] * clamp01(assumed / c["full_at"])
                                      if counts else 0.0)
    c = cfg["gtm_headcount"]
    headcount = sum(h for t, h in shape["teams"].items() if t in revenue_teams())
    out["gtm_headcount"] = (headcount, c["points"] * ramp(headcount, c["from"], c["full_at"]))
    c = cfg["annual_revenue"]
    out["annual_revenue"] = (shape["annual_revenue"],
                             c["points"] * ramp(_in_eur(shape, method), c["from"], c["full_at"]))
    c = cfg["systems"]
    n = len(shape["systems"])
    out["systems"] = (n, c["points"] * ramp(n, c["from"], c["full_at"]))
    return out


def complexity(shape: dict, method: dict) -> float:
    """Complexity 0..100: the sum of the rounded factor points (as published)."""
    points = complexity_points(shape, method)
    return r1(min(100.0, math.fsum(r1(p) for _, p in points.values())))


def complexity_factors(shape: dict, method: dict) -> list[dict]:
    """Complexity factors with their points (all >= 0) and the evidence records behind them."""
    cfg = method["recommendation"]["complexity"]
    others = other_revenue_teams(shape)
    share = shape["marketing_sourced_pipeline_share"]
    share_cfg = cfg["marketing_sourced_share"]
    headcount = sum(h for t, h in shape["teams"].items() if t in revenue_teams())
    rates = method["recommendation"]["fx_to_eur"]
    evidence = {
        "other_revenue_teams": {
            "teams": [{"team": t, "headcount": shape["teams"][t]} for t in others],
            "full_team_headcount": cfg["other_revenue_teams"]["full_team_headcount"]},
        "revenue_model": {"revenue_model": shape["revenue_model"]},
        "marketing_sourced_share": {
            "share": share, "has_marketing": "marketing" in shape["teams"],
            "assumed": share_cfg["assumed_when_missing"] if share is None else None,
            "full_at": share_cfg["full_at"]},
        "gtm_headcount": {"headcount": headcount, "from": cfg["gtm_headcount"]["from"],
                          "full_at": cfg["gtm_headcount"]["full_at"]},
        "annual_revenue": {"amount": shape["annual_revenue"], "currency": shape["currency"],
                           "rate_known": shape["currency"] in rates,
                           "amount_eur": _in_eur(shape, method)},
        "systems": {"count": len(shape["systems"]), "from": cfg["systems"]["from"],
                    "full_at": cfg["systems"]["full_at"]},
    }
    return [{"id": fid, "group": "complexity", "value": value, "contribution": r1(points),
             "evidence": evidence[fid]}
            for fid, (value, points) in complexity_points(shape, method).items()]


def _in_eur(shape: dict, method: dict) -> float:
    rate = method["recommendation"]["fx_to_eur"].get(shape["currency"], 1.0)
    return shape["annual_revenue"] * rate


def pain_factors(scored: Scored, method: dict) -> list[dict]:
    """Pain factors: signed contributions, positive towards RevOps.

    Silos and broken handoffs between teams are what RevOps removes; weak
    SalesOps basics (the mean score of the seven SalesOps functions) argue
    for fixing SalesOps first.
    """
    key = ("pain_factors", id(method))
    if key in scored.cache:  # the flip search asks for the same scores many times
        return scored.cache[key]
    cfg = method["recommendation"]["pain"]
    functions = profile_functions.profile(scored, method)["salesops_functions"]
    basics = r1(mean(f["score"] for f in functions)) or 0.0
    values = {
        "silos": scored.scores["silos"],
        "process_alignment": scored.scores["process_alignment"],
        "salesops_basics": basics,
    }
    missing = [f["id"] for f in functions if f["status"] == "missing"]
    factors = []
    for fid in ("silos", "process_alignment", "salesops_basics"):
        gap = 100.0 - values[fid]
        contribution = cfg[fid]["weight"] * (gap - cfg[fid]["neutral_gap"])
        if cfg[fid].get("only_towards_revops"):
            # good alignment is no argument against RevOps (domain.md): only a gap wider
            # than neutral counts, and only towards RevOps
            contribution = max(0.0, contribution)
        evidence = {"score": values[fid], "gap": r1(gap), "neutral_gap": cfg[fid]["neutral_gap"]}
        if fid == "salesops_basics":
            evidence["missing_functions"] = missing
        factors.append({"id": fid, "group": "pain", "value": r1(gap),
                        "contribution": r1(contribution), "evidence": evidence})
    scored.cache[key] = factors
    return factors


# ---------------------------------------------------------------- verdict

def decide(shape: dict, complexity: float, pain_sum: float, method: dict) -> str:
    """The verdict from complexity, the pain contributions and the client's shape."""
    rec = method["recommendation"]
    thr = rec["thresholds"]
    single = single_revenue_team(shape)
    if single and shape["revenue_model"] == "transactional":
        return rec["single_revenue_team_transactional"]
    if complexity < thr["salesops_only_below"]:
        verdict = "salesops_only"
    elif complexity >= thr["full_revops_from"]:
        verdict = "full_revops"
    elif complexity + pain_sum >= thr["decision_full_revops_from"]:
        verdict = "full_revops"
    else:
        verdict = "salesops_then_revops"
    if single:
        cap = rec["single_revenue_team_max"]
        verdict = VERDICTS[min(VERDICTS.index(verdict), VERDICTS.index(cap))]
    return verdict


def evaluate(shape: dict, scored: Scored, method: dict) -> dict:
    """Verdict, complexity, pain contributions and factors for a shape and its scores."""
    cf = complexity_factors(shape, method)
    pf = pain_factors(scored, method)
    value = complexity(shape, method)
    pains = pain_sum(scored, method)
    return {"verdict": decide(shape, value, pains, method), "complexity": value,
            "pain_sum": pains, "factors": cf + pf}


def pain_sum(scored: Scored, method: dict) -> float:
    """The summed (rounded) pain contributions, as ``evaluate`` uses them."""
    return r1(math.fsum(f["contribution"] for f in pain_factors(scored, method)))


def pain_matters(shape: dict, value: float, method: dict) -> bool:
    """Whether the verdict of a shape of complexity ``value`` depends on the pain at all."""
    thr = method["recommendation"]["thresholds"]
    if single_revenue_team(shape) and shape["revenue_model"] == "transactional":
        return False
    return thr["salesops_only_below"] <= value < thr["full_revops_from"]


def confidence(completeness: dict, method: dict) -> float:
    """0..1: falls with missing answers, few respondents per team and missing tables' rows."""
    cfg = method["recommendation"]["confidence"]
    parts = {k: completeness[k] for k in cfg["weights"]}
    total = math.fsum(cfg["weights"].values())
    filled = math.fsum(cfg["weights"][k] * parts[k] for k in parts) / total
    return round(cfg["floor"] + (1 - cfg["floor"]) * filled, 2)


def recommend(client: Client, scored: Scored, method: dict, completeness: dict) -> dict:
    """The recommendation without its flip condition (see ``revkit.method.flip``)."""
    rec = method["recommendation"]
    result = evaluate(shape_of(client), scored, method)
    verdict = result["verdict"]
    pain = r1(100.0 - scored.scores["overall"])
    urgency = ("high" if pain >= rec["urgency"]["high_from"]
               else "medium" if pain >= rec["urgency"]["medium_from"] else "low")
    thr = rec["thresholds"]
    return {
        "verdict": verdict,
        "confidence": confidence(completeness, method),
        "complexity": result["complexity"],
        "pain": pain,
        "urgency": urgency,
        "decision_score": r1(result["complexity"] + result["pain_sum"]),
        "thresholds": {k: float(v) for k, v in sorted(thr.items())},
        "factors": sorted(result["factors"],
                          key=lambda f: (f["group"] != "complexity", -abs(f["contribution"]),
                                         f["id"])),
    }
