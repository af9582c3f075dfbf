"""What each chart shows, as data: values, labels in the report's language, alt text, caption.

``revkit.report.charts`` draws a ``blocks.Chart`` from this data alone, so the
drawing code holds no words and no numbers of its own, and an output that
cannot show a picture (or draws natively, like a deck) uses the same data.
Where a chart has nothing to show, a ``blocks.Note`` says so instead.
"""

from __future__ import annotations

import textwrap

from revkit.messages import Messages
from revkit.report import words
from revkit.report.blocks import Chart, Note
from revkit.vocabulary import DIMENSIONS, SURVEY_DIMENSIONS

QUALITY_ATTRIBUTES = ("tracked", "documented", "shared", "automated")
SCOPES = ("salesops", "revops")
PHASES = ("now", "next", "later")


def _status(m: Messages, status: str | None) -> str:
    return m.get(f"status.{status}", str(status))


def radar(r: dict, m: Messages) -> Chart:
    values = [r["scores"][k] for k in DIMENSIONS]
    band = r.get("reference_band", {})
    names = [m(f"dimension.{k}") for k in DIMENSIONS]
    parts = []
    for k, name, v in zip(DIMENSIONS, names, values, strict=True):
        b = band.get(k)
        parts.append(m("chart.radar.part_band", name=name, score=m.score(v), low=m.score(b[0]),
                       high=m.score(b[1])) if b else m("chart.radar.part", name=name,
                                                       score=m.score(v)))
    data = {"names": names, "values": values, "labels": [m.score(v) for v in values],
            "bands": [band.get(k) for k in DIMENSIONS],
            "legend": [m("chart.radar.reference_band"), m("chart.radar.organisation")]}
    return Chart("radar", data, m("chart.radar.alt", parts="; ".join(parts)),
                 m("chart.radar.caption"), "rk-narrow")


def silo_map(r: dict, m: Messages):
    data = r.get("silo_map", {})
    teams = data.get("teams", [])
    matrix = data.get("matrix", [])
    if len(teams) < 2 or not matrix:
        return Note(m("chart.silo_map.single_team"))
    names = [words.team(m, t) for t in teams]
    pairs = [m("chart.silo_map.pair", a=names[i], b=names[j], value=m.integer(matrix[i][j]))
             for i in range(len(teams)) for j in range(i + 1, len(teams))]
    return Chart("silo_map", {"names": names, "matrix": matrix,
                              "colorbar": m("chart.silo_map.colorbar")},
                 m("chart.silo_map.alt", pairs="; ".join(pairs)), m("chart.silo_map.caption"))


def metric_coverage(r: dict, m: Messages):
    every = r.get("metric_quality", [])
    metrics = [x for x in every if x.get("applicable", True)]
    left_out = len(every) - len(metrics)
    metrics = sorted(metrics, key=lambda x: SCOPES.index(x["scope"]) if x.get("scope") in SCOPES
                     else 9)
    if not metrics:
        return Note(m("chart.coverage.none"))
    columns = [textwrap.fill(m(f"quality_attribute.{a}"), 11) for a in QUALITY_ATTRIBUTES]
    columns.append(m("chart.coverage.quality_score"))
    values = [[1.0 if x.get(a) else 0.0 for a in QUALITY_ATTRIBUTES] + [(x.get("score") or 0) / 100]
              for x in metrics]
    notes = [[m("chart.coverage.yes") if x.get(a) else m("chart.coverage.no")
              for a in QUALITY_ATTRIBUTES] + [m.score(x.get("score"))] for x in metrics]
    rows = [m("chart.coverage.row", name=m.name("metric", x["id"]),
              cadence=x.get("cadence") or "none") for x in metrics]
    groups = []
    for scope in SCOPES:
        idx = [i for i, x in enumerate(metrics) if x.get("scope") == scope]
        if idx:
            groups.append({"label": m(f"scope.{scope}"), "first": idx[0], "last": idx[-1]})
    parts = [m("chart.coverage.scope_part", scope=m(f"scope.{s}"),
               tracked=sum(1 for x in xs if x.get("tracked")), count=len(xs),
               shared=sum(1 for x in xs if x.get("shared")))
             for s in SCOPES if (xs := [x for x in metrics if x.get("scope") == s])]
    caption = m("chart.coverage.caption")
    if left_out:
        caption += m("chart.coverage.left_out", count=left_out)
    data = {"columns": columns, "values": values, "notes": notes, "rows": rows,
            "boundary": sum(1 for x in metrics if x.get("scope") == SCOPES[0]), "groups": groups}
    return Chart("metric_coverage", data,
                 " ".join(m("chart.coverage.alt", parts="; ".join(parts)).split()), caption)


def handoff_chain(r: dict, m: Messages):
    handoffs = sorted([h for h in r.get("handoffs", []) if h.get("applicable", True)],
                      key=lambda h: h.get("lifecycle_order", 0))
    if not handoffs:
        return Note(m("chart.handoffs.none"))
    boxes = [{"title": m("chart.handoffs.box", order=h.get("lifecycle_order", i + 1),
                         name=m.name("handoff", h["id"])),
              "teams": m("table.team_arrow", source=words.team(m, h["from_team"]),
                         target=words.team(m, h["to_team"])),
              "status": h.get("status"), "status_label": _status(m, h.get("status"))}
             for i, h in enumerate(handoffs)]
    legend = [(s, _status(m, s)) for s in ("strong", "partial", "weak", "missing")]
    parts = [m("chart.handoffs.part", name=m.name("handoff", h["id"]),
               source=words.team(m, h["from_team"]), target=words.team(m, h["to_team"]),
               status=_status(m, h.get("status"))) for h in handoffs]
    return Chart("handoff_chain", {"boxes": boxes, "legend": legend},
                 m("chart.handoffs.alt", parts="; ".join(parts)), m("chart.handoffs.caption"))


def factors(r: dict, m: Messages):
    items = sorted(r.get("recommendation", {}).get("factors", []),
                   key=lambda f: -abs(f.get("contribution") or 0))
    if not items:
        return Note(m("chart.factors.none"))
    groups = []
    for f in items:
        g = f.get("group") if f.get("group") in ("complexity", "adjustment") else "other"
        if g not in groups:
            groups.append(g)
    data = {"names": [textwrap.shorten(words.factor_label(m, f), 42) for f in items],
            "values": [float(f.get("contribution") or 0) for f in items],
            "labels": [m.signed(f.get("contribution") or 0) for f in items],
            "groups": [f.get("group") if f.get("group") in ("complexity", "adjustment") else "other"
                       for f in items],
            "legend": [(g, m(f"factor_group.{g}")) for g in groups],
            "axis": m("chart.factors.axis")}
    parts = [m("chart.factors.part", label=words.factor_label(m, f),
               value=m.signed(f.get("contribution") or 0)) for f in items]
    return Chart("factors", data, m("chart.factors.alt", parts="; ".join(parts)),
                 m("chart.factors.caption"))


def profile(r: dict, m: Messages) -> Chart:
    data = r.get("functions", {})
    panels = []
    for key, kind, title in (("salesops_functions", "function", "chart.profile.salesops"),
                             ("revops_benefits", "benefit", "chart.profile.revops")):
        panels.append({"title": m(title), "items": [
            {"name": m.name(kind, f["id"]), "score": f.get("score") or 0,
             "status": f.get("status"),
             "label": m("chart.profile.bar", score=m.score(f.get("score")),
                        status=_status(m, f.get("status")))} for f in data.get(key, [])]})
    alt = "; ".join(m("chart.profile.panel", title=p["title"], items=", ".join(
        m("chart.profile.item", name=i["name"], status=_status(m, i["status"]))
        for i in p["items"])) for p in panels) + "."
    legend = [(s, _status(m, s)) for s in ("in_place", "partial", "missing")]
    return Chart("profile", {"panels": panels, "legend": legend, "axis": m("chart.profile.axis")},
                 alt, m("chart.profile.caption"))


def roadmap(r: dict, m: Messages):
    from revkit.report.sections import ordered_actions

    actions = ordered_actions(r)
    if not actions:
        return Note(m("chart.roadmap.none"))
    rows = [{"label": textwrap.shorten(words.action_title(m, a), 58, placeholder="…"),
             "phase": PHASES.index(a["phase"]) if a.get("phase") in PHASES else len(PHASES) - 1,
             "owner": textwrap.shorten(words.role(m, a), 30, placeholder="…"),
             "impact": a.get("impact")}
            for a in actions]
    data = {"rows": rows, "phases": [m(f"phase.{p}") for p in PHASES],
            "legend": [(k, m("chart.roadmap.impact", impact=m(f"impact.{k}")))
                       for k in ("high", "medium", "low")]}
    alt = m("chart.roadmap.alt", phases="; ".join(
        m("chart.roadmap.phase", phase=m(f"phase.{p}"),
          actions=", ".join(words.action_title(m, a) for a in actions if a.get("phase") == p)
          or m("chart.roadmap.nothing")) for p in PHASES))
    return Chart("roadmap", data, alt, m("chart.roadmap.caption"))


def survey_by_team(r: dict, m: Messages):
    survey = r.get("survey", {})
    minimum = survey.get("min_team_respondents", 3)
    teams = [t for t in survey.get("teams", []) if t.get("respondents", 0) >= minimum]
    if not teams:
        return Note(m("chart.survey.none", minimum=minimum))
    dims = [(k, m(f"survey_dimension.{k}")) for k in SURVEY_DIMENSIONS]
    data = {"teams": [f"{textwrap.fill(words.team(m, t['team']), 16)}\n"
                      + m("chart.survey.respondents", count=t["respondents"]) for t in teams],
            "series": [{"name": name, "values": [t.get(k) for t in teams],
                        "labels": ["–" if t.get(k) is None else m.integer(t[k]) for t in teams]}
                       for k, name in dims],
            "axis": m("chart.survey.axis")}
    alt = m("chart.survey.alt", teams="; ".join(
        m("chart.survey.team", team=words.team(m, t["team"]), scores=", ".join(
            m("chart.survey.score", name=name,
              value="–" if t.get(k) is None else m.integer(t[k])) for k, name in dims))
        for t in teams))
    return Chart("survey_by_team", data, alt, " ".join(m("chart.survey.caption",
                                                         minimum=minimum).split()))
