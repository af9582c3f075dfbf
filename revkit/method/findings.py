"""Key findings: the ranked observations a client's executives act on, each with its evidence.

Drawn from every source of an assessment — scores and sub-scores, the teams'
survey answers, the systems map, metric definitions, handoffs, CRM
measurements against their benchmarks, data quality, contradictions between
the intake and the exports, and (where the methodology lets them be quoted)
survey comments. Each finding is ``{id, kind, severity, dimension, evidence}``
with evidence records ``{source, ref, value, benchmark}``, at least one of
them a number; only teams, systems and metrics the client has are named.
Rules and severities: ``revkit/data/findings.yaml``.
"""

from __future__ import annotations

from functools import cache

import yaml

from revkit.paths import DATA_DIR
from revkit.vocabulary import DIMENSIONS, POOLED, SURVEY_DIMENSIONS


@cache
def rules() -> dict:
    with open(DATA_DIR / "findings.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _ev(source: str, ref: str, value, benchmark=None) -> dict:
    return {"source": source, "ref": ref, "value": value, "benchmark": benchmark}


# an intake claim's evidence source is the intake file it was read from; profile inputs
# (shares, SLAs stated once) feed the decision score
_INTAKE_SOURCES = {"metrics.csv": "metrics", "survey.csv": "survey", "handoffs.csv": "handoffs",
                   "systems.csv": "systems"}


def _intake_source(ref: str) -> str:
    return _INTAKE_SOURCES.get(ref.split("/", 1)[0], "scores")


def _severity(value: float, table: dict) -> int | None:
    for limit, sev in sorted(table.items()):
        if value < limit:
            return sev
    return None


def build(results: dict, client) -> list[dict]:
    """The ranked findings of an assessed client (``results`` as written to results.json)."""
    r = rules()
    found: list[dict] = []
    found += _dimensions(results, r)
    found += _silos(results, client, r)
    found += _handoffs(results, r)
    found += _no_sla(results, r)
    found += _functions(results, r)
    found += _measured(results, r)
    found += _verdict(results, r)
    order = {k: i for i, k in enumerate(r["kinds"])}
    found.sort(key=lambda f: (-f["severity"], order[f["kind"]], -f.pop("_weight", 0.0), f["id"]))
    _attach_comments(results, found)
    return found


def summary(findings: list[dict]) -> list[dict]:
    """The 3–5 findings that open the executive summary and the brief."""
    cfg = rules()["summary"]
    # what the verdict box beside them already says is not repeated
    findings = [f for f in findings if f["id"].split(".")[0] not in cfg["left_out"]]
    issues = [f for f in findings if f["kind"] != "strength"]
    strengths = [f for f in findings if f["kind"] == "strength"][:cfg["strengths_at_most"]]
    chosen = issues[:cfg["at_most"] - len(strengths)] + strengths
    if len(chosen) < cfg["at_least"]:
        chosen += [f for f in findings if f not in chosen][:cfg["at_least"] - len(chosen)]
    return chosen[:cfg["at_most"]]


# ---------------------------------------------------------------- scores

def _dimensions(results: dict, r: dict) -> list[dict]:
    cfg = r["dimension"]
    out = []
    for dim in DIMENSIONS:
        score = results["scores"][dim]
        band = results.get("reference_band", {}).get(dim)
        ev = [_ev("scores", dim, score, band)]
        if score < cfg["gap_below"]:
            weakest = _weakest_subscore(results, dim)
            if weakest:
                ev.append(_ev("scores", f"{dim}.{weakest[0]}", weakest[1]))
            out.append({"id": f"dimension_gap.{dim}", "kind": "gap", "dimension": dim,
                        "severity": _severity(score, cfg["severity_below"]), "evidence": ev,
                        "_weight": cfg["gap_below"] - score})
        elif score >= cfg["strength_from"]:
            out.append({"id": f"dimension_strength.{dim}", "kind": "strength", "dimension": dim,
                        "severity": cfg["strength_severity"], "evidence": ev, "_weight": score})
    return out


def _weakest_subscore(results: dict, dim: str):
    subs = {k: v for k, v in results["subscores"][dim].items()
            if isinstance(v, (int, float)) and k not in ("salesops", "revops")}
    return min(subs.items(), key=lambda kv: (kv[1], kv[0])) if subs else None


# ---------------------------------------------------------------- silos and systems

def _silos(results: dict, client, r: dict) -> list[dict]:
    out = []
    subs = results["subscores"]["silos"]
    shared = subs.get("shared_definitions")
    metrics = [m for m in results["metric_quality"] if m["applicable"]]
    if shared is not None and shared < r["shared_definitions"]["below"]:
        n = sum(1 for m in metrics if m["tracked"] and m["shared"])
        out.append({"id": "shared_definitions_low", "kind": "gap", "dimension": "silos",
                    "severity": _severity(shared, r["shared_definitions"]["severity_below"]),
                    "evidence": [_ev("metrics", "shared_definitions", shared),
                                 _ev("metrics", "shared_count", n, len(metrics))],
                    "_weight": r["shared_definitions"]["below"] - shared})
    out += _isolated_teams(results, client, r)
    out += _perception(results, r)
    weak = [s for s in results["sources_of_truth"]
            if s["status"] == "none" or (s["status"] == "multiple" and not s["integrated"])]
    if len(weak) >= r["sources_of_truth"]["from_entities"]:
        out.append({"id": "sources_of_truth_split", "kind": "gap", "dimension": "silos",
                    "severity": r["sources_of_truth"]["severity"],
                    "evidence": [_ev("systems", f"source_of_truth.{s['entity']}", s["points"],
                                     s["systems"]) for s in weak]
                    + [_ev("scores", "silos.sources_of_truth", subs.get("sources_of_truth"))],
                    "_weight": len(weak)})
    sheets = [s for s in results["sources_of_truth"] if s.get("spreadsheet")]
    if sheets:
        out.append({"id": "spreadsheet_source_of_truth", "kind": "gap", "dimension": "silos",
                    "severity": r["spreadsheet_source_of_truth"]["severity"],
                    "evidence": [_ev("systems", f"source_of_truth.{s['entity']}", s["points"],
                                     s["systems"]) for s in sheets], "_weight": len(sheets)})
    cfg = r["metrics_untracked"]
    for scope in ("salesops", "revops"):
        if scope == "revops" and results["recommendation"]["verdict"] == "salesops_only":
            continue  # RevOps metrics are no gap where SalesOps is the right model
        items = [m for m in metrics if m["scope"] == scope]
        tracked = sum(1 for m in items if m["tracked"])
        if items and tracked / len(items) < cfg["below_share"][scope]:
            out.append({"id": f"metrics_untracked.{scope}", "kind": "gap",
                        "dimension": "metric_coverage", "severity": cfg["severity"],
                        "evidence": [_ev("metrics", f"{scope}_tracked", tracked, len(items)),
                                     _ev("scores", f"metric_coverage.{scope}",
                                         results["subscores"]["metric_coverage"].get(scope))],
                        "_weight": 1 - tracked / len(items)})
    connections = subs.get("connections")
    teams = results["silo_map"]["teams"]
    if len(teams) > 1 and connections is not None \
            and connections >= r["connections_strength"]["from"]:
        out.append({"id": "connections_strength", "kind": "strength", "dimension": "silos",
                    "severity": r["connections_strength"]["severity"],
                    "evidence": [_ev("scores", "silos.connections", connections)],
                    "_weight": connections})
    return out


def _isolated_teams(results: dict, client, r: dict) -> list[dict]:
    cfg = r["team_isolated"]
    silo = results["silo_map"]
    teams, matrix = silo["teams"], silo["matrix"]
    systems = list(zip(client.systems["system"], client.systems["category"],
                       client.systems["owner_team"], client.systems["used_by"], strict=True))
    out = []
    for i, team in enumerate(teams):
        links = [matrix[i][j] for j in range(len(teams)) if j != i]
        if not links or max(links) > cfg["at_most"]:
            continue
        used = sorted(name for name, _, owner, users in systems if team == owner or
                      team in (users or ()))
        shared = sorted(name for name, cat, owner, users in systems
                        if (team == owner or team in (users or ())) and cat == "spreadsheet"
                        and len({owner, *(users or ())}) > 1)
        out.append({"id": f"team_isolated.{team}", "kind": "risk", "dimension": "silos",
                    "severity": cfg["severity"],
                    "evidence": [_ev("systems", f"silo_map.{team}", max(links)),
                                 _ev("systems", f"used_by.{team}", used),
                                 _ev("systems", f"spreadsheets.{team}", shared)],
                    "_weight": cfg["at_most"] - max(links)})
    return out


def _perception(results: dict, r: dict) -> list[dict]:
    cfg = r["perception_split"]
    groups = [t for t in results["survey"]["teams"] if t["team"] != POOLED
              and t.get("silos") is not None]
    if len(groups) < 2:
        return []
    high = max(groups, key=lambda t: (t["silos"], t["team"]))
    low = min(groups, key=lambda t: (t["silos"], t["team"]))
    spread = round(high["silos"] - low["silos"], 1)
    if spread < cfg["from"]:
        return []
    sev = cfg["severity_wide"] if spread >= cfg["severity_wide_from"] else cfg["severity"]
    gap = results["survey"]["perception_gap"].get("gap")
    ev = [_ev("survey", f"{high['team']}.silos", high["silos"]),
          _ev("survey", f"{low['team']}.silos", low["silos"])]
    if gap is not None:
        ev.append(_ev("survey", "perception_gap", gap))
    return [{"id": f"perception_split.{high['team']}.{low['team']}", "kind": "risk",
             "dimension": "silos", "severity": sev, "evidence": ev, "_weight": spread}]


# ---------------------------------------------------------------- handoffs and functions

def _handoffs(results: dict, r: dict) -> list[dict]:
    cfg = r["handoffs_missing"]
    applicable = [h for h in results["handoffs"] if h["applicable"]]
    missing = [h for h in applicable if h["status"] == "missing"]
    if not missing:
        return []
    cross = any(h["from_team"] != h["to_team"] for h in missing)
    sev = cfg["severity_many"] if len(missing) >= cfg["many_from"] or cross else cfg["severity"]
    return [{"id": "handoffs_missing", "kind": "gap", "dimension": "process_alignment",
             "severity": sev,
             "evidence": [_ev("handoffs", "missing_count", len(missing), len(applicable))]
             + [_ev("handoffs", h["id"], h["score"]) for h in missing],
             "_weight": len(missing)}]


def _no_sla(results: dict, r: dict) -> list[dict]:
    cfg = r["handoffs_without_sla"]
    open_sla = [h for h in results["handoffs"] if h["applicable"] and h["defined"]
                and h["sla_hours"] is None]
    if len(open_sla) < cfg["from_count"]:
        return []
    defined = sum(1 for h in results["handoffs"] if h["applicable"] and h["defined"])
    return [{"id": "handoffs_without_sla", "kind": "gap", "dimension": "process_alignment",
             "severity": cfg["severity"],
             "evidence": [_ev("handoffs", "without_sla_count", len(open_sla), defined)]
             + [_ev("handoffs", h["id"], h["score"]) for h in open_sla],
             "_weight": len(open_sla)}]


def _verdict(results: dict, r: dict) -> list[dict]:
    rec = results["recommendation"]
    if rec.get("robustness_class") != "borderline":
        return []
    reasons = rec.get("robustness_reasons") or []
    return [{"id": "verdict_borderline", "kind": "risk", "dimension": "overall",
             "severity": r["verdict_borderline"]["severity"],
             "evidence": [_ev("scores", "recommendation.robustness", rec["robustness"])]
             + [_ev("scores", f"robustness.{x['id']}", x["value"], x.get("threshold")
                    if x["id"] == "margin" else x.get("input")) for x in reasons],
             "_weight": 1 - rec["robustness"]}]


def _functions(results: dict, r: dict) -> list[dict]:
    missing = [f for f in results["functions"]["salesops_functions"] if f["status"] == "missing"]
    if not missing:
        return []
    return [{"id": "functions_missing", "kind": "gap", "dimension": None,
             "severity": r["functions_missing"]["severity"],
             "evidence": [_ev("scores", f"functions.{f['id']}", f["score"]) for f in missing],
             "_weight": len(missing)}]


# ---------------------------------------------------------------- CRM evidence

def _measured(results: dict, r: dict) -> list[dict]:
    from revkit import catalog

    data = results.get("measured") or {}
    direction = {m["id"]: m.get("direction", "higher") for m in catalog.metrics()}
    values = {m["id"]: m for m in data.get("metrics", [])}
    out = []
    cfg = r["crm_benchmark"]
    for mid, m in values.items():
        bench = m.get("benchmark") or {}
        low, high = bench.get("low"), bench.get("high")
        if low is None or high is None or m.get("value") is None:
            continue
        value, lower_better = m["value"], direction.get(mid) == "lower"
        worse = (value > high) if lower_better else (value < low)
        better = (value < low) if lower_better else (value > high)
        edge = high if lower_better else low
        if worse:
            distance = abs(value - edge) / abs(edge) if edge else 1.0
            out.append({"id": f"crm_below_band.{mid}", "kind": "risk",
                        "dimension": "metric_coverage",
                        "severity": cfg["severity_far"] if distance >= cfg["far_from"]
                        else cfg["severity"],
                        "evidence": [_ev("crm", mid, value, [low, high])], "_weight": distance})
        elif better:
            out.append({"id": f"crm_above_band.{mid}", "kind": "strength",
                        "dimension": "metric_coverage", "severity": cfg["strength_severity"],
                        "evidence": [_ev("crm", mid, value, [low, high])], "_weight": 0.0})
    if "cac" in values and "average_deal_size" in values \
            and values["cac"]["value"] > values["average_deal_size"]["value"]:
        out.append({"id": "cac_above_deal", "kind": "risk", "dimension": "metric_coverage",
                    "severity": r["cac_above_deal"]["severity"],
                    "evidence": [_ev("crm", "cac", values["cac"]["value"]),
                                 _ev("crm", "average_deal_size",
                                     values["average_deal_size"]["value"])],
                    "_weight": values["cac"]["value"] / max(values["average_deal_size"]["value"],
                                                            1.0)})
    dq = r["data_quality"]
    for f in data.get("findings", []):
        if f.get("share") is not None and f["share"] >= dq["from_share"]:
            out.append({"id": f"data_quality.{f['table']}.{f['column']}.{f['id']}",
                        "kind": "risk", "dimension": None,
                        "severity": dq["severity_high"] if f["share"] >= dq["severity_high_from"]
                        else dq["severity"],
                        "evidence": [_ev("crm", f"quality.{f['id']}", f["share"], f["count"]),
                                     _ev("crm", f"{f['table']}.{f['column']}", f["count"])],
                        "_weight": f["share"]})
    for c in data.get("contradictions", []):
        out.append({"id": f"contradiction.{c['id']}", "kind": "contradiction",
                    "dimension": (c.get("effect") or {}).get("dimension"),
                    "severity": r["contradiction"]["severity"],
                    "evidence": [_ev("crm", str(c["measured"].get("metric_id")
                                                or c["measured"].get("finding_id")),
                                     c["measured"].get("value")),
                                 _ev(_intake_source(str(c["intake"].get("ref"))),
                                     str(c["intake"].get("ref")), c["intake"].get("value"))],
                    "_weight": 1.0})
    return out


def _attach_comments(results: dict, found: list[dict]) -> None:
    """Quotable comments join the first finding of their question's dimension (two at most)."""
    comments = results.get("survey", {}).get("comments") or []
    dims = {q: SURVEY_DIMENSIONS.get(q.split("_")[0]) for q in {c["question_id"] for c in comments}}
    seen: set = set()
    for finding in found:
        if finding["kind"] == "strength" or finding["dimension"] in (None, *seen):
            continue
        seen.add(finding["dimension"])
        quotes = [c for c in comments if dims.get(c["question_id"]) == finding["dimension"]][:2]
        finding["evidence"] += [_ev("comments", f"{c['team']}.{c['question_id']}", c["comment"])
                                for c in quotes]
