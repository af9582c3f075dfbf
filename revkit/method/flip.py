"""The flip condition: the smallest change in a client's inputs that changes the verdict.

Candidate changes (revenue model, teams added, removed or resized,
marketing-sourced share, revenue) are generated from the client and the
methodology's search settings, each with a cost; single changes are tried
first, then pairs, cheapest first. A candidate counts only when applying it
to the client and re-scoring really gives another verdict.
"""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import combinations

import pandas as pd

from revkit.intake.model import Client
from revkit.method.recommend import (
    adjustments_matter,
    adjustments_sum,
    complexity,
    decide,
    evaluate,
    other_revenue_teams,
    revenue_teams,
    shape_of,
)
from revkit.method.scoring import score_client

MODEL_ORDER = ("transactional", "hybrid", "recurring")


def candidates(client: Client, method: dict) -> list[dict]:
    """Single changes ``{input, from, to, cost}`` the search may try."""
    cfg = method["recommendation"]["flip"]
    cost = cfg["cost"]
    shape = shape_of(client)
    out = []
    model = shape["revenue_model"]
    for other in MODEL_ORDER:
        if other != model:
            steps = abs(MODEL_ORDER.index(other) - MODEL_ORDER.index(model))
            out.append({"input": "revenue_model", "from": model, "to": other,
                        "cost": cost["revenue_model_step"] * steps})
    for team in revenue_teams():
        current = shape["teams"].get(team)
        if current is None:
            if team == "sales":
                continue
            for hc in cfg["added_team_headcounts"]:
                out.append({"input": f"teams.{team}.headcount", "from": None, "to": int(hc),
                            "cost": cost["team_added"]
                            + cost["per_headcount_doubling"] * max(0.0, math.log2(hc / 2))})
            continue
        if team in other_revenue_teams(shape):
            out.append({"input": f"teams.{team}.headcount", "from": current, "to": None,
                        "cost": cost["team_removed"]})
        for mult in cfg["headcount_multipliers"]:
            new = max(1, int(round(current * mult)))
            if new != current:
                out.append({"input": f"teams.{team}.headcount", "from": current, "to": new,
                            "cost": cost["per_headcount_doubling"]
                            * abs(math.log2(new / max(current, 1)))})
    share = shape["marketing_sourced_pipeline_share"]
    step = cfg["share_step"]
    for k in range(int(round(1 / step)) + 1):
        value = round(k * step, 4)
        if share is None or abs(value - share) > 1e-9:
            delta = value - (share or 0.0)
            out.append({"input": "marketing_sourced_pipeline_share", "from": share,
                        "to": value, "cost": cost["per_share_point"] * abs(delta) * 100})
    revenue = shape["annual_revenue"]
    for mult in cfg["revenue_multipliers"]:
        if round(revenue * mult) != revenue:
            out.append({"input": "annual_revenue", "from": revenue, "to": round(revenue * mult),
                        "cost": cost["per_revenue_doubling"] * abs(math.log2(mult))})
    return out


def apply_changes(client: Client, changes: list[dict]) -> Client:
    """A copy of the client with the changes applied (``from`` values are not checked)."""
    profile = dict(client.profile)
    teams = client.teams.copy()
    survey = client.survey
    for change in changes:
        key, new = change["input"], change["to"]
        if key.startswith("teams."):
            team = key.split(".")[1]
            if new is None:
                teams = teams[teams["team"] != team]
                survey = survey[survey["team"] != team]
            elif team in set(teams["team"]):
                teams.loc[teams["team"] == team, "headcount"] = int(new)
            else:
                row = pd.DataFrame([{"team": team, "headcount": int(new), "ops_headcount": 0}])
                teams = pd.concat([teams, row.astype(teams.dtypes.to_dict())],
                                  ignore_index=True)
        else:
            profile[key] = new
    return replace(client, profile=profile, teams=teams.reset_index(drop=True),
                   survey=survey.reset_index(drop=True))


def _apply_to_shape(shape: dict, changes) -> dict:
    shape = {**shape, "teams": dict(shape["teams"])}
    for change in changes:
        key, new = change["input"], change["to"]
        if key.startswith("teams."):
            team = key.split(".")[1]
            if new is None:
                shape["teams"].pop(team, None)
            else:
                shape["teams"][team] = int(new)
        else:
            shape[key] = new
    return shape


def _structure(changes) -> tuple:
    """The part of a change set that alters what is scored (not only complexity)."""
    key = []
    for c in changes:
        if c["input"] == "revenue_model":
            key.append(("revenue_model", c["to"]))
        elif c["input"].startswith("teams.") and (c["from"] is None or c["to"] is None):
            key.append((c["input"], c["to"] is not None))
    return tuple(sorted(key))


def find_flip(client: Client, scored, method: dict) -> dict:
    """``{verdict, changes}``: the cheapest verified change set that flips the verdict
    (``changes`` empty where none of the tried changes does)."""
    cfg = method["recommendation"]["flip"]
    shape = shape_of(client)
    current = evaluate(shape, scored, method)["verdict"]
    singles = candidates(client, method)
    sets = [[c] for c in singles]
    if cfg["max_changes"] >= 2:
        sets += [list(pair) for pair in combinations(singles, 2)
                 if pair[0]["input"] != pair[1]["input"]]
    if cfg["max_changes"] >= 3:
        sets += [list(t) for t in combinations(singles, 3)
                 if len({c["input"] for c in t}) == 3]
    sets.sort(key=lambda s: (round(sum(c["cost"] for c in s), 9), len(s),
                             [(c["input"], str(c["to"])) for c in s]))
    # scores change only with the structure (revenue model, teams present), and the
    # verdict depends on them only between the complexity thresholds: rescore
    # each structure once, and only where it matters
    rescored = {(): scored}
    for changes in sets:
        new_shape = _apply_to_shape(shape, changes)
        value = complexity(new_shape, method)
        key = _structure(changes) if adjustments_matter(new_shape, value, method) else ()
        if key not in rescored:
            structural = [c for c in changes if _structure([c])]
            rescored[key] = score_client(apply_changes(client, structural), method)
        verdict = decide(new_shape, value, adjustments_sum(rescored[key], method), method)
        if verdict != current:
            # verify on the real client, exactly as assess would score it
            changed = apply_changes(client, changes)
            verified = evaluate(shape_of(changed), score_client(changed, method),
                                method)["verdict"]
            if verified != current:
                return _describe(changes, verified)
    # no change among those the kit tries flips the verdict
    return {"verdict": current, "changes": []}


def _describe(changes: list[dict], verdict: str) -> dict:
    return {"verdict": verdict,
            "changes": [{"input": c["input"], "from": c["from"], "to": c["to"]} for c in changes]}
