"""Roadmap: a dated plan of actions derived from a client's gaps (``actions.yaml``).

Each triggered template becomes an action with an owner role the client can
fill, an impact, an effort in person-weeks, the actions it needs first, a KPI
with its baseline and target, the gaps it closes, and a phase: Now (the first
90 days from the assessment date), Next (days 90–180) or Later. The urgency
sets how many actions Now may hold; the verdict places the step to the
recommended function itself. Assessment housekeeping (more respondents) is a
note on the assessment, not an action. Action texts are messages
(``action.<template>.*``) written from the action's parameters.
"""

from __future__ import annotations

import datetime as dt
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
    """The action templates, the phase matrix and the owner roles."""
    with open(ACTIONS_FILE, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=DATA_LOADER)


def build(client, scored: Scored, recommendation: dict, functions: dict,
          measured: dict | None = None) -> list[dict]:
    """The dated, ordered roadmap for a scored client."""
    data = templates()
    actions = []
    for tpl in data["templates"]:
        contexts = _matches(tpl["trigger"], scored, recommendation, functions)
        if "max_actions" in tpl:
            contexts = sorted(contexts, key=lambda c: (c.get("score", 0), c.get("id", "")))
            contexts = contexts[:tpl["max_actions"]]
        for ctx in contexts:
            action = _instantiate(tpl, ctx, client, scored, recommendation, data, measured)
            if action is not None:
                actions.append(action)
    _schedule(actions, data, recommendation["urgency"])
    start = client.profile["assessment_date"]
    for i, action in enumerate(sorted(actions, key=_rank), start=1):
        action["order"] = i
        day = start + dt.timedelta(days=data["phase_days"][action["phase"]])
        action["start"] = day.isoformat()
        action["quarter"] = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return sorted(actions, key=lambda a: a["order"])


def assessment_notes(client, scored: Scored) -> list[dict]:
    """What would make the assessment itself better (not actions for the client's teams)."""
    wanted = scored.survey.min_respondents
    short = [t for t in sorted(client.team_ids)
             if scored.survey.respondents_per_team.get(t, 0) < wanted]
    return [{"id": "survey_more", "teams": short, "min_respondents": wanted}] if short else []


# ---------------------------------------------------------------- triggers

def _matches(trigger, scored, rec, functions) -> list[dict]:
    """Contexts (parameters) for which the trigger fires; empty when it does not."""
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
                 "to_team": h["to_team"], "missing_parts": _missing_parts(h),
                 "score": h["score"]}
                for h in scored.handoffs
                if h["applicable"] and h["status"] in trigger["handoff_status"]]
    if "function_status" in trigger:
        return [{"id": f["id"], "function": f["id"], "score": f["score"]}
                for f in functions["salesops_functions"]
                if f["status"] in trigger["function_status"]]
    if "verdicts" in trigger:
        return [{}] if rec["verdict"] in trigger["verdicts"] else []
    if "sizing_gap" in trigger:
        sizing = rec.get("sizing") or {}
        return [{"score": sizing.get("gap")}] if sizing.get("gap") else []
    if "overall_from" in trigger:
        overall = scored.scores["overall"]
        return [{"score": overall}] if overall >= trigger["overall_from"] else []
    raise KeyError(f"unknown trigger in actions.yaml: {trigger}")


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
                           if row["status"] in ("none", "multiple") or row.get("spreadsheet")]
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


# ---------------------------------------------------------------- one action

def _instantiate(tpl, ctx, client, scored, rec, data, measured) -> dict | None:
    verdict = rec["verdict"]
    track = tpl["track"]
    if track == "handoff":
        track = ("salesops" if {ctx["from_team"], ctx["to_team"]} <= SALESOPS_TEAMS
                 else "revops")
    if track == "revops" and verdict == "salesops_only":
        return None
    phase = tpl.get("phase") or data["phases"][tpl["impact"]][tpl["effort"]]
    if track == "revops" and verdict == "salesops_then_revops" and phase == "now":
        phase = "next"
    role, to_hire = owner_role(tpl["owner"], ctx, client, scored, verdict, data["roles"])
    return {
        "id": tpl["id"] + (f".{ctx['id']}" if "id" in ctx else ""),
        "template": tpl["id"],
        "params": {k: v for k, v in ctx.items() if k != "id"},
        "owner_role": role,
        "owner_to_hire": to_hire,
        "owner_team": _team_of(role, data["roles"]),
        "impact": tpl["impact"],
        "effort": tpl["effort"],
        "effort_weeks": tpl["effort_weeks"],
        "phase": phase,
        "track": track,
        "depends_on": list(tpl.get("depends_on", [])),
        "kpi": _kpi(tpl["kpi"], ctx, scored, rec, measured),
        "closes": [c.format(**ctx) for c in tpl["closes"]],
        "priority": tpl.get("priority", 0),
    }


def owner_role(preferences: list[str], ctx: dict, client, scored, verdict: str,
               roles: dict) -> tuple[str, bool]:
    """The first role the client can fill, and whether it must be hired first."""
    teams = dict(zip(client.teams["team"], client.teams["ops_headcount"], strict=True))
    level = scored.levels["overall"]
    for pref in preferences:
        if pref in ("from_team", "to_team"):
            team = ctx.get(pref)
            if team in teams:
                names = roles["team_roles"][team]
                return (names["ops"], False) if teams[team] else (names["lead"], False)
            continue
        if pref == "revops_lead":
            if verdict == "full_revops":
                return pref, level < roles["revops_lead_in_place_from_level"]
            continue
        if pref == "ceo":
            return pref, False
        for team, names in roles["team_roles"].items():
            if pref == names["ops"] and teams.get(team):
                return pref, False
            if pref == names["lead"] and team in teams:
                return pref, False
    return "head_of_sales" if "sales" in teams else "ceo", False


def _team_of(role: str, roles: dict) -> str | None:
    for team, names in roles["team_roles"].items():
        if role in names.values():
            return team
    return None


def _kpi(spec: dict, ctx: dict, scored: Scored, rec: dict, measured: dict | None) -> dict:
    """What the action moves: ``{metric_id, baseline, target, unit, source}``."""
    kind = spec["kind"]
    if kind == "handoff":
        hid = ctx["id"]
        return {"metric_id": f"handoffs.{hid}", "baseline": ctx.get("score") or 0.0,
                "target": float(spec["target"]), "unit": "points", "source": "assessed"}
    if kind == "function":
        return {"metric_id": f"functions.{ctx['id']}", "baseline": ctx.get("score") or 0.0,
                "target": float(spec["target"]), "unit": "points", "source": "assessed"}
    if kind == "subscore":
        dim, name = spec["id"].split(".")
        return {"metric_id": f"subscores.{spec['id']}", "baseline": scored.subscores[dim].get(name),
                "target": float(spec["target"]), "unit": "points", "source": "assessed"}
    if kind == "score":
        return {"metric_id": f"scores.{spec['id']}", "baseline": scored.scores[spec["id"]],
                "target": float(max(spec["target"], scored.scores[spec["id"]])), "unit": "points",
                "source": "assessed"}
    sizing = rec.get("sizing") or {}
    return {"metric_id": "sizing.ops_headcount", "baseline": sizing.get("current_ops_headcount"),
            "target": sizing.get("recommended_min"), "unit": "people", "source": "claimed"}


# ---------------------------------------------------------------- the plan

def _rank(action: dict) -> tuple:
    return (PHASES.index(action["phase"]), action["priority"], IMPACT_RANK[action["impact"]],
            EFFORT_RANK[action["effort"]], action["id"])


def _schedule(actions: list[dict], data: dict, urgency: str) -> None:
    """Dependencies first, then 1..max_now actions in Now (by urgency)."""
    present = {a["template"] for a in actions}
    for a in actions:
        a["depends_on"] = sorted({b["id"] for b in actions if b["template"] in a["depends_on"]
                                  and b["template"] in present})
    by_id = {a["id"]: a for a in actions}
    actions.sort(key=_rank)
    limit = data["max_now"][urgency]
    for a in [a for a in actions if a["phase"] == "now"][limit:]:
        a["phase"] = "next"
    if actions and not any(a["phase"] == "now" for a in actions):
        first = min(actions, key=lambda a: (a["priority"], IMPACT_RANK[a["impact"]],
                                            EFFORT_RANK[a["effort"]], a["id"]))
        first["phase"] = "now"
    # an action never starts before what it needs (a few passes settle chains)
    for _ in range(len(PHASES)):
        for a in actions:
            need = max((PHASES.index(by_id[d]["phase"]) for d in a["depends_on"]), default=0)
            if PHASES.index(a["phase"]) < need:
                a["phase"] = PHASES[need]
    if actions and not any(a["phase"] == "now" for a in actions):
        min(actions, key=_rank)["phase"] = "now"
