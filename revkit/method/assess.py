"""Assess a client: scores, levels, recommendation, profile and roadmap as one dict.

The dict is the ``results.json`` of a client (spec §4, schema in
``revkit/data/results.schema.json``): JSON-able, deterministic (no
timestamps, floats rounded, lists sorted), and the same whatever the row order
of the client's tables.
"""

from __future__ import annotations

import math
from pathlib import Path

from revkit import __version__
from revkit.intake.model import Client
from revkit.intake.validate import load_client
from revkit.messages import DEFAULT_LANGUAGE
from revkit.method import findings, roadmap
from revkit.method import functions as profile_functions
from revkit.method import methodology as methodology_file
from revkit.method.calc import r1
from revkit.method.flip import find_flip
from revkit.method.recommend import in_eur, recommend, shape_of
from revkit.method.scoring import Scored, score_client, with_evidence
from revkit.method.sizing import sizing
from revkit.method.survey import team_table
from revkit.vocabulary import DIMENSIONS, UNATTRIBUTED


def assess(client: Client, methodology: dict | str | Path | None = None) -> dict:
    """The full assessment of a validated client (the ``results.json`` dict)."""
    method = _method(methodology)
    scored = score_client(client, method)
    completeness = completeness_of(client, scored, method)
    crm = getattr(client, "crm", None)  # the optional crm/ exports, where the intake has them
    measured, penalty = None, 0.0
    if crm is not None:
        from revkit.method.crm import confidence_penalty, contradictions, measure

        measured = measure(crm)
        # perception against evidence: what the exports contradict lowers the data
        # confidence and, where the rule says so, the sub-score the claim fed
        measured["contradictions"] = contradictions(client, measured)
        scored = with_evidence(scored, measured["contradictions"], method)
        penalty = confidence_penalty(measured)
    rec = recommend(client, scored, method, completeness, confirmed=_confirmed(measured),
                    penalty=penalty)
    rec["flip"] = find_flip(client, scored, method)
    rec["sizing"] = sizing(client, rec["verdict"], in_eur(shape_of(client), method), method)
    functions = profile_functions.profile(scored, method)
    results = {
        "kit_version": __version__,
        "methodology_version": method["version"],
        # the language the report is shown in and the consultancy it is branded for: the
        # only words of the result; `revkit run --lang/--brand` set them for its run
        "report_language": client.profile.get("report_language") or DEFAULT_LANGUAGE,
        "brand": None,
        "client": _client(client),
        "scores": dict(scored.scores),
        "levels": dict(scored.levels),
        "subscores": scored.subscores,
        "reference_band": {d: [float(v) for v in method["reference_bands"][d]]
                           for d in DIMENSIONS},
        "silo_map": scored.silos["silo_map"],
        "systems": _systems(client),
        "sources_of_truth": [{k: row[k] for k in ("entity", "systems", "status", "integrated",
                                                  "spreadsheet", "points")}
                             for row in scored.silos["sources_of_truth"]],
        "metric_quality": [_metric(m) for m in scored.metrics],
        "handoffs": [{k: v for k, v in h.items()} for h in scored.handoffs],
        "survey": _survey(scored, method),
        "recommendation": rec,
        "functions": functions,
        "roadmap": roadmap.build(client, scored, rec, functions, measured),
        "assessment_notes": roadmap.assessment_notes(client, scored),
        "completeness": completeness,
        "warnings": [p.to_record() for p in client.warnings],
    }
    if measured is not None:
        results["measured"] = measured
    results["findings"] = findings.build(results, client)
    return results


def _confirmed(measured: dict | None) -> set[str]:
    """Self-reported inputs that the CRM exports measure (and so confirm or correct)."""
    ids = {m["id"] for m in (measured or {}).get("metrics", [])}
    return {"marketing_sourced_pipeline_share"} if "marketing_sourced_pipeline" in ids else set()


def assess_path(path: str | Path, methodology_path: str | Path | None = None) -> dict:
    """Load and validate the client at ``path`` (and the methodology file), then assess.

    Raises ``ValidationFailed`` for an invalid client and ``MethodologyError``
    for an invalid methodology file (both exit code 2 on the command line).
    """
    method = methodology_file.load(methodology_path)
    return assess(load_client(path), method)


def _method(methodology) -> dict:
    if methodology is None or isinstance(methodology, (str, Path)):
        return methodology_file.load(methodology)
    return methodology


def completeness_of(client: Client, scored: Scored, method: dict) -> dict:
    """How complete the client's evidence is (each part 0..1)."""
    view = scored.survey
    wanted = method["survey"]["min_team_respondents"]
    per_team = {t: view.respondents_per_team.get(t, 0) for t in sorted(client.team_ids)}
    respondents = sum(view.respondents_per_team.values())
    bank = len(view.questions)
    answer_rate = view.answered / (respondents * bank) if respondents else 0.0
    coverage = (math.fsum(min(1.0, n / wanted) for n in per_team.values()) / len(per_team)
                if per_team else 0.0)
    applicable = [m for m in scored.metrics if m["applicable"]]
    metrics_asked = (sum(1 for m in applicable if m["asked"]) / len(applicable)
                     if applicable else 1.0)
    app_h = [h for h in scored.handoffs if h["applicable"]]
    handoffs_given = sum(1 for h in app_h if h["given"]) / len(app_h) if app_h else 1.0
    profile = 0.0 if ("marketing" in client.team_ids
                      and client.profile.get("marketing_sourced_pipeline_share") is None) else 1.0
    parts = {"survey_answer_rate": answer_rate, "respondent_coverage": coverage,
             "metrics_asked": metrics_asked, "handoffs_given": handoffs_given,
             "profile": profile}
    weights = method["recommendation"]["data_confidence"]["weights"]
    overall = math.fsum(weights[k] * parts[k] for k in weights) / math.fsum(weights.values())
    return {
        "overall": round(overall, 3),
        **{k: round(v, 3) for k, v in parts.items()},
        "respondents": respondents,
        "respondents_per_team": per_team,
        "answers": view.rows,
        "answered": view.answered,
        "questions_in_bank": bank,
        "min_team_respondents": wanted,
        "teams_below_min_respondents": [t for t, n in per_team.items() if n < wanted],
        # the share of teams that reach the minimum (respondent_coverage gives partial credit)
        "teams_with_enough_respondents": round(
            sum(1 for n in per_team.values() if n >= wanted) / len(per_team), 3)
        if per_team else 0.0,
    }


def _client(client: Client) -> dict:
    p = client.profile
    teams = sorted(zip(client.teams["team"], client.teams["headcount"],
                       client.teams["ops_headcount"], strict=True))
    return {
        "name": p["name"], "slug": p["slug"], "industry": p.get("industry"),
        "employees": int(p["employees"]), "annual_revenue": float(p["annual_revenue"]),
        "currency": p["currency"], "revenue_model": p["revenue_model"],
        "gtm_motion": p["gtm_motion"], "assessment_date": p["assessment_date"].isoformat(),
        "marketing_sourced_pipeline_share": p.get("marketing_sourced_pipeline_share"),
        "teams": [{"team": t, "headcount": int(h),
                   "ops_headcount": int(o)} for t, h, o in teams],
    }


def _systems(client: Client) -> list[dict]:
    """The tech stack as given (names are the client's), sorted by name."""
    rows = client.systems.sort_values("system", kind="stable").to_dict("records")
    return [{"system": s["system"], "category": s["category"], "owner_team": s["owner_team"],
             "used_by": sorted(s["used_by"] or ()), "integrated_with": sorted(s["integrated_with"] or ()),
             "source_of_truth_for": sorted(s["source_of_truth_for"] or ())} for s in rows]


def _metric(m: dict) -> dict:
    keys = ("id", "scope", "applicable", "asked", "tracked", "documented", "shared",
            "automated", "cadence", "owner_team", "score")
    return {k: m[k] for k in keys}


def _survey(scored: Scored, method: dict) -> dict:
    view = scored.survey
    gap = scored.silos["perception_gap"]
    out = {
        "min_team_respondents": view.min_respondents,
        "teams": [{k: (r1(v) if isinstance(v, float) else v) for k, v in row.items()}
                  for row in team_table(view)],
        "perception_gap": {
            "dimension": gap["dimension"],
            "groups": gap["groups"],
            "gap": r1(gap["gap"]),
            "by_pair": [{"teams": p["teams"], "gap": r1(p["gap"])} for p in gap["by_pair"]],
            "by_question": [{"question_id": q["question_id"], "gap": r1(q["gap"])}
                            for q in gap["by_question"]],
        },
        "quote_comments": bool(method["survey"]["quote_comments"]),
        "comment_count": len(view.comments),
    }
    if method["survey"]["quote_comments"]:
        # a comment from a group too small to publish would point at its author
        shown = set(view.reportable())
        out["comments"] = sorted(
            ({**c, "team": c["team"] if c["team"] in shown else UNATTRIBUTED}
             for c in view.comments),
            key=lambda c: (c["team"], c["question_id"], c["comment"]))
    return out
