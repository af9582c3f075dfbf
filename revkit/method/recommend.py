"""The recommendation: SalesOps only, SalesOps now and RevOps next, or full RevOps.

Complexity (0..100, the sum of the complexity factors' points) decides whether
RevOps is needed: below ``salesops_only_below`` SalesOps is enough, from
``full_revops_from`` full RevOps is needed. Between the two the evidence
decides: cross-team friction (silo and handoff gaps) adds to complexity,
missing SalesOps foundations subtract from it, and the decision score is
compared with ``decision_full_revops_from``. The gaps always set the urgency
and shape the roadmap. Every factor carries its contribution and its evidence
(ids and numbers). How sure the verdict is has two answers: data confidence
(how complete the evidence is) and robustness (how far the decision is from a
threshold, and how much of that rests on unconfirmed self-reported inputs).
"""

from __future__ import annotations

import math
from functools import cache

from revkit import catalog
from revkit.intake.model import Client
from revkit.method import functions as profile_functions
from revkit.method.calc import clamp01, log_ramp, mean, r1, ramp
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
        "gtm_motion": p["gtm_motion"],
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


def revenue_headcount(shape: dict) -> int:
    return sum(h for t, h in shape["teams"].items() if t in revenue_teams())


def team_weights(shape: dict, method: dict) -> dict[str, float]:
    """How fully each revenue team besides sales counts (0..1), relative to the company.

    A team counts fully once it has ``full_team_headcount`` people or
    ``full_team_share`` of the revenue organisation, whichever is more: two
    marketers count fully in a ten-person company, not in a 1,500-person one.
    """
    c = method["recommendation"]["complexity"]["other_revenue_teams"]
    full = max(c["full_team_headcount"], c["full_team_share"] * revenue_headcount(shape))
    return {t: min(1.0, shape["teams"][t] / full) for t in other_revenue_teams(shape)}


def in_eur(shape: dict, method: dict) -> float:
    rate = method["recommendation"]["fx_to_eur"].get(shape["currency"], 1.0)
    return shape["annual_revenue"] * rate


# ---------------------------------------------------------------- complexity

def complexity_points(shape: dict, method: dict) -> dict[str, tuple]:
    """``{factor id: (value, points)}`` of the complexity factors (points >= 0)."""
    cfg = method["recommendation"]["complexity"]
    out = {}
    c = cfg["other_revenue_teams"]
    weights = sorted(team_weights(shape, method).values(), reverse=True)[:c["max_teams"]]
    effective = math.fsum(weights)
    out["other_revenue_teams"] = (round(effective, 2), c["points_per_team"] * effective)
    model = shape["revenue_model"]
    out["revenue_model"] = (model, float(cfg["revenue_model"][model]))
    motion = shape.get("gtm_motion") or "sales_led"
    out["gtm_motion"] = (motion, float(cfg["gtm_motion"][motion]))
    c = cfg["marketing_sourced_share"]
    share = shape["marketing_sourced_pipeline_share"]
    # an unknown share is not evidence of a small one: assume a typical share
    assumed = c["assumed_when_missing"] if share is None else share
    counts = "marketing" in shape["teams"]
    out["marketing_sourced_share"] = (share, c["points"] * clamp01(assumed / c["full_at"])
                                      if counts else 0.0)
    c = cfg["gtm_headcount"]
    headcount = revenue_headcount(shape)
    out["gtm_headcount"] = (headcount, c["points"] * log_ramp(headcount, c["from"], c["full_at"]))
    c = cfg["annual_revenue"]
    out["annual_revenue"] = (shape["annual_revenue"],
                             c["points"] * log_ramp(in_eur(shape, method), c["from"], c["full_at"]))
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
    share = shape["marketing_sourced_pipeline_share"]
    share_cfg = cfg["marketing_sourced_share"]
    teams = cfg["other_revenue_teams"]
    weights = team_weights(shape, method)
    rates = method["recommendation"]["fx_to_eur"]
    evidence = {
        "other_revenue_teams": {
            "teams": [{"team": t, "headcount": shape["teams"][t], "weight": round(w, 2)}
                      for t, w in weights.items()],
            "full_team_headcount": teams["full_team_headcount"],
            "full_team_share": teams["full_team_share"],
            "revenue_headcount": revenue_headcount(shape),
            "points_per_team": teams["points_per_team"]},
        "revenue_model": {"revenue_model": shape["revenue_model"]},
        "gtm_motion": {"gtm_motion": shape.get("gtm_motion") or "sales_led"},
        "marketing_sourced_share": {
            "share": share, "has_marketing": "marketing" in shape["teams"],
            "assumed": share_cfg["assumed_when_missing"] if share is None else None,
            "full_at": share_cfg["full_at"]},
        "gtm_headcount": {"headcount": revenue_headcount(shape),
                          "from": cfg["gtm_headcount"]["from"],
                          "full_at": cfg["gtm_headcount"]["full_at"]},
        "annual_revenue": {"amount": shape["annual_revenue"], "currency": shape["currency"],
                           "rate_known": shape["currency"] in rates,
                           "amount_eur": in_eur(shape, method),
                           "from": cfg["annual_revenue"]["from"],
                           "full_at": cfg["annual_revenue"]["full_at"]},
        "systems": {"count": len(shape["systems"]), "from": cfg["systems"]["from"],
                    "full_at": cfg["systems"]["full_at"]},
    }
    return [{"id": fid, "group": "complexity", "value": value, "contribution": r1(points),
             "evidence": evidence[fid]}
            for fid, (value, points) in complexity_points(shape, method).items()]


# ---------------------------------------------------------------- adjustments (evidence)

def adjustment_factors(scored: Scored, method: dict) -> list[dict]:
    """The evidence's two adjustments of the decision between the thresholds.

    Cross-team friction — silo and handoff gaps wider than neutral — adds to
    the case for one RevOps function (never subtracts: good alignment is no
    argument against RevOps). Missing SalesOps foundations — the seven SalesOps
    functions below neutral — subtract: build them first (never adds: strong
    SalesOps is no argument for RevOps).
    """
    key = ("adjustments", id(method))
    if key in scored.cache:  # the flip search asks for the same scores many times
        return scored.cache[key]
    cfg = method["recommendation"]["adjustments"]
    friction = cfg["cross_team_friction"]
    parts = {}
    for dim in ("silos", "process_alignment"):
        gap = r1(100.0 - scored.scores[dim])
        parts[dim] = {"score": scored.scores[dim], "gap": gap,
                      "neutral_gap": friction[dim]["neutral_gap"],
                      "points": r1(max(0.0, friction[dim]["weight"]
                                       * (gap - friction[dim]["neutral_gap"])))}
    push = min(friction["max"], math.fsum(p["points"] for p in parts.values()))
    foundation = cfg["salesops_foundation"]
    functions = profile_functions.profile(scored, method)["salesops_functions"]
    basics = r1(mean(f["score"] for f in functions)) or 0.0
    pull = min(foundation["max"], foundation["weight"] * max(0.0, foundation["neutral"] - basics))
    factors = [
        {"id": "cross_team_friction", "group": "adjustment", "value": r1(push),
         "contribution": r1(push), "evidence": {**parts, "max": friction["max"]}},
        {"id": "salesops_foundation", "group": "adjustment", "value": basics,
         "contribution": r1(-pull),
         "evidence": {"score": basics, "neutral": foundation["neutral"],
                      "missing_functions": [f["id"] for f in functions
                                            if f["status"] == "missing"]}},
    ]
    scored.cache[key] = factors
    return factors


def adjustments_sum(scored: Scored, method: dict) -> float:
    """The summed (rounded) adjustments, as ``evaluate`` uses them."""
    return r1(math.fsum(f["contribution"] for f in adjustment_factors(scored, method)))


# ---------------------------------------------------------------- verdict

def decide(shape: dict, complexity: float, adjustments: float, method: dict) -> str:
    """The verdict from complexity, the evidence's adjustments and the client's shape."""
    rec = method["recommendation"]
    thr = rec["thresholds"]
    single = single_revenue_team(shape)
    if single and shape["revenue_model"] == "transactional":
        return rec["single_revenue_team_transactional"]
    if complexity < thr["salesops_only_below"]:
        verdict = "salesops_only"
    elif complexity >= thr["full_revops_from"]:
        verdict = "full_revops"
    elif complexity + adjustments >= thr["decision_full_revops_from"]:
        verdict = "full_revops"
    else:
        verdict = "salesops_then_revops"
    if single:
        cap = rec["single_revenue_team_max"]
        verdict = VERDICTS[min(VERDICTS.index(verdict), VERDICTS.index(cap))]
    return verdict


def adjustments_matter(shape: dict, value: float, method: dict) -> bool:
    """Whether the verdict of a shape of complexity ``value`` depends on the evidence at all."""
    thr = method["recommendation"]["thresholds"]
    if single_revenue_team(shape) and shape["revenue_model"] == "transactional":
        return False
    return thr["salesops_only_below"] <= value < thr["full_revops_from"]


def evaluate(shape: dict, scored: Scored, method: dict) -> dict:
    """Verdict, complexity, adjustments and factors for a shape and its scores."""
    value = complexity(shape, method)
    adj = adjustments_sum(scored, method)
    used = adjustments_matter(shape, value, method)
    return {"verdict": decide(shape, value, adj, method), "complexity": value,
            "adjustments": adj if used else 0.0, "adjustments_used": used,
            "adjustments_raw": adj,
            "factors": complexity_factors(shape, method) + adjustment_factors(scored, method)}


def margin(shape: dict, value: float, adj: float, method: dict) -> tuple[float, float | None]:
    """``(points, threshold)``: how far the decision may move before the verdict changes.

    Two things can move: complexity (with the evidence's adjustments as they
    stand, which count only between the thresholds) and, inside that band,
    the adjustments themselves. The margin is the smallest such move that
    changes the verdict, and the threshold it crosses; ``(None, None)`` for a
    verdict the company's shape fixes.
    """
    thr = method["recommendation"]["thresholds"]
    verdict = decide(shape, value, adj, method)
    best: tuple[float, float | None] = (math.inf, None)
    # complexity moving: to each threshold, and to where the decision score meets its own
    for point, threshold in ((thr["salesops_only_below"], thr["salesops_only_below"]),
                             (thr["full_revops_from"], thr["full_revops_from"]),
                             (thr["decision_full_revops_from"] - adj,
                              thr["decision_full_revops_from"])):
        for side in (point - 0.05, point):
            if decide(shape, side, adj, method) != verdict:
                best = min(best, (abs(value - side), threshold))
    # the evidence moving, complexity fixed
    if thr["salesops_only_below"] <= value < thr["full_revops_from"]:
        target = thr["decision_full_revops_from"]
        for side in (target - 0.05, target):
            if decide(shape, value, side - value, method) != verdict:
                best = min(best, (abs(value + adj - side), target))
    return (r1(best[0]), best[1]) if best[1] is not None else (None, None)


def robustness(shape: dict, result: dict, method: dict, confirmed: set[str]) -> dict:
    """0..1 from the margin and how much of the decision rests on unconfirmed inputs."""
    cfg = method["recommendation"]["robustness"]
    # the evidence's adjustments as they would count if complexity moved into the band
    points, threshold = margin(shape, result["complexity"], result["adjustments_raw"], method)
    if points is None:  # the shape alone decides (e.g. one transactional sales team)
        return {"value": 1.0, "class": "robust",
                "reasons": [{"id": "shape_decides", "value": None}]}
    factors = {f["id"]: f for f in result["factors"]}
    unconfirmed = []
    share = factors["marketing_sourced_share"]
    if share["contribution"] and "marketing_sourced_pipeline_share" not in confirmed:
        unconfirmed.append({"input": "marketing_sourced_pipeline_share",
                            "points": share["contribution"]})
    if result["adjustments_used"]:
        for fid in ("cross_team_friction", "salesops_foundation"):
            if factors[fid]["contribution"]:
                unconfirmed.append({"input": fid, "points": abs(factors[fid]["contribution"])})
    resting = math.fsum(u["points"] for u in unconfirmed)
    reliance = resting / (resting + points) if resting else 0.0
    value = round(min(1.0, points / cfg["full_margin"]) * (1 - cfg["reliance_weight"] * reliance), 2)
    cls = ("robust" if value >= cfg["robust_from"] else
           "sensitive" if value >= cfg["sensitive_from"] else "borderline")
    reasons = [{"id": "margin", "value": points, "threshold": threshold}]
    reasons += [{"id": "unconfirmed_input", "value": u["points"], "input": u["input"]}
                for u in unconfirmed]
    return {"value": value, "class": cls, "reasons": reasons}


def data_confidence(completeness: dict, method: dict, penalty: float = 0.0) -> float:
    """0..1: falls with missing answers, few respondents per team, missing rows, and
    contradictions between the intake and the CRM exports (``penalty``)."""
    cfg = method["recommendation"]["data_confidence"]
    total = math.fsum(cfg["weights"].values())
    filled = math.fsum(cfg["weights"][k] * completeness[k] for k in cfg["weights"]) / total
    return round(max(0.0, cfg["floor"] + (1 - cfg["floor"]) * filled - penalty), 2)


def urgency(scored: Scored, method: dict) -> tuple[float, str, list[dict]]:
    """``(gap to maturity, urgency, the dimension gaps behind it)``: what makes acting urgent."""
    cfg = method["recommendation"]["urgency"]
    gap = r1(100.0 - scored.scores["overall"])
    level = ("high" if gap >= cfg["high_from"] else "medium" if gap >= cfg["medium_from"]
             else "low")
    gaps = [{"id": d, "gap": r1(100.0 - scored.scores[d])}
            for d in ("silos", "metric_coverage", "process_alignment")]
    return gap, level, sorted(gaps, key=lambda g: (-g["gap"], g["id"]))


def recommend(client: Client, scored: Scored, method: dict, completeness: dict,
              confirmed: set[str] = frozenset(), penalty: float = 0.0) -> dict:
    """The recommendation without its flip condition (see ``revkit.method.flip``).

    ``confirmed`` names the self-reported inputs a CRM export confirms;
    ``penalty`` lowers data confidence for contradictions with the exports.
    """
    rec = method["recommendation"]
    shape = shape_of(client)
    result = evaluate(shape, scored, method)
    gap, level, gaps = urgency(scored, method)
    confidence = data_confidence(completeness, method, penalty)
    robust = robustness(shape, result, method, set(confirmed))
    return {
        "verdict": result["verdict"],
        "data_confidence": confidence,
        "confidence": confidence,  # alias of data_confidence for one methodology version
        "robustness": robust["value"],
        "robustness_class": robust["class"],
        "robustness_reasons": robust["reasons"],
        "complexity": result["complexity"],
        "adjustments": result["adjustments"],
        "adjustments_used": result["adjustments_used"],
        "decision_score": r1(result["complexity"] + result["adjustments"]),
        "maturity_gap": gap,
        "urgency": level,
        "urgency_gaps": gaps,
        "thresholds": {k: float(v) for k, v in sorted(rec["thresholds"].items())},
        "factors": sorted(result["factors"],
                          key=lambda f: (f["group"] != "complexity", -abs(f["contribution"]),
                                         f["id"])),
    }
