"""Roadmap: actions derived from a client's gaps via the templates in ``actions.yaml``.

Each triggered template becomes an action with an owner team the client has,
an impact, an effort, a phase (now / next / later), the gap it closes and the
parameters its text is written from (ids and numbers; the words are messages
``action.<template>.*``). Actions are ordered by phase, then impact, then effort.
"""

from __future__ import annotations

from functools import cache

import yaml

from revkit.method.scoring import Scored
from revkit.paths import DATA_DIR
from revkit.yaml_check import DATA_LOADER

ACTIONS_FILE = DATA_DIR / "actions.yaml"
PHASES = ("now", "next", "later")
IMPACT_RANK = {"high": 0, "medium": 1, "low": 2}
EFFORT_RANK = {"low": 0, "medium": 1, "high": 2}
SALESOPS_TEAMS = {"sales", "finance"}


@cache
def templates() -> dict:
    """The action templates and the phase matrix."""
    with open(ACTIONS_FILE, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=DATA_LOADER)


def build(client, scored: Scored, recommendation: dict, functions: dict,
          completeness: dict) -> list[dict]:
    """The ordered roadmap for a scored client."""
    data = templates()
    actions = []
    for tpl in data["templates"]:
        contexts = _matches(tpl["trigger"], client, scored, recommendation, functions,
                            completeness)
        if "max_actions" in tpl:
            contexts = sorted(contexts, key=lambda c: (c.get("score", 0), c.get("id", "")))
            contexts = contexts[:tpl["max_actions"]]
        for ctx in contexts:
            action = _instantiate(tpl, ctx, client, recommendation["verdict"], data)
            if action is not None:
                actions.append(action)
    actions.sort(key=_rank)
    # a roadmap with everything in Now prioritises nothing
    for action in [a for a in actions if a["phase"] == "now"][data["max_now"]:]:
        action["phase"] = "next"
    actions.sort(key=_rank)
    for i, action in enumerate(actions, start=1):
        action["order"] = i
    return actions


def _rank(action: dict) -> tuple:
    return (PHASES.index(action["phase"]), action["priority"], IMPACT_RANK[action["impact"]],
            EFFORT_RANK[action["effort"]], action["id"])


def _matches(trigger, client, scored, rec, functions, completeness) -> list[dict]:
    """Contexts (placeholder values) for which the trigger fires; empty when it does not."""
    if "subscore" in trigger:
        t = trigger["subscore"]
        value = scored.subscores[t["dimension"]].get(t["name"])
        if value is None or value >= t["below"]:
            return []
        return [{"score": value, **_details(t, scored)}]
    if "perception_gap_above" in trigger:
        gap = scored.silos["perception_gap"]["gap"]
        return [{"score": round(gap, 1)}] if gap is not None and \
            gap > trigger["perception_gap_above"] else []
    if "handoff_status" in trigger:
        return [{"id": h["id"], "handoff": h["id"], "from_team": h["from_team"],
                 "to_team": h["to_team"], "missing_parts": _missing_parts(h)}
                for h in scored.handoffs
                if h["applicable"] and h["status"] in trigger["handoff_status"]]
    if "function_status" in trigger:
        return [{"id": f["id"], "function": f["id"], "score": f["score"]}
                for f in functions["salesops_functions"]
                if f["status"] in trigger["function_status"]]
    if "verdicts" in trigger:
        return [{}] if rec["verdict"] in trigger["verdicts"] else []
    if "overall_from" in trigger:
        overall = scored.scores["overall"]
        return [{"score": overall}] if overall >= trigger["overall_from"] else []
    if "respondent_coverage_below" in trigger:
        wanted = scored.survey.min_respondents
        short = [t for t in sorted(client.team_ids)
                 if scored.survey.respondents_per_team.get(t, 0) < wanted]
        if completeness["respondent_coverage"] < trigger["respondent_coverage_below"] and short:
            return [{"teams": short}]
        return []
    raise ValueError(f"unknown trigger in actions.yaml: {trigger}")


def _details(t: dict, scored: Scored) -> dict:
    """Parameters of sub-score triggers: which metrics, pairs of teams or entities."""
    out = {}
    if t["dimension"] == "metric_coverage":
        out["metrics"] = [m["id"] for m in scored.metrics
                          if m["applicable"] and m["scope"] == t["name"] and m["score"] < 70]
    if t["name"] == "connections":
        teams = scored.silos["silo_map"]["teams"]
        matrix = scored.silos["silo_map"]["matrix"]
        pairs = sorted((matrix[i][j], teams[i], teams[j]) for i in range(len(teams))
                       for j in range(i + 1, len(teams)))
        out["pairs"] = [{"teams": [a, b], "value": v} for v, a, b in pairs[:3]]
    if t["name"] == "sources_of_truth":
        out["entities"] = [{"entity": row["entity"], "status": row["status"],
                            "systems": list(row["systems"])}
                           for row in scored.silos["sources_of_truth"]
                           if row["status"] in ("none", "multiple")]
    return out


def _missing_parts(h: dict) -> list[str]:
    """What an existing handoff lacks, as codes (messages ``action.part.<code>``)."""
    parts = []
    if not h["documented"]:
        parts.append("documentation")
    if h["sla_hours"] is None:
        parts.append("sla")
    elif not h["sla_measured"]:
        parts.append("sla_measurement")
    if not h["automated"]:
        parts.append("automation")
    if not h["feedback_loop"]:
        parts.append("feedback_loop")
    return parts


def _instantiate(tpl: dict, ctx: dict, client, verdict: str, data: dict) -> dict | None:
    track = tpl["track"]
    if track == "handoff":
        track = ("salesops" if {ctx["from_team"], ctx["to_team"]} <= SALESOPS_TEAMS
                 else "revops")
    if track == "revops" and verdict == "salesops_only":
        return None
    phase = tpl.get("phase") or data["phases"][tpl["impact"]][tpl["effort"]]
    if track == "revops" and verdict == "salesops_then_revops" and phase == "now":
        phase = "next"
    params = {k: v for k, v in ctx.items() if k != "id"}
    return {
        "id": tpl["id"] + (f".{ctx['id']}" if "id" in ctx else ""),
        "template": tpl["id"],
        "params": params,
        "owner_team": _owner(tpl["owner"], ctx, client),
        "impact": tpl["impact"],
        "effort": tpl["effort"],
        "phase": phase,
        "track": track,
        "closes": tpl["closes"].format(**ctx),
        "priority": tpl.get("priority", 0),
    }


def _owner(preferences: list[str], ctx: dict, client) -> str:
    teams = set(client.team_ids)
    for pref in preferences:
        team = ctx.get(pref) if pref in ("from_team", "to_team") else pref
        if team in teams:
            return team
    return "sales" if "sales" in teams else sorted(client.team_ids)[0]
