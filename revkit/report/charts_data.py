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


def score_bullets(r: dict, m: Messages) -> Chart:
    """Each dimension's score as a bar over the kit reference band and the five levels."""
    keys = (*DIMENSIONS, "overall")
    band = r.get("reference_band", {})
    names = [m(f"dimension.{k}") for k in keys]
    values = [r["scores"][k] for k in keys]
    parts = []
    for k, name, v in zip(keys, names, values, strict=True):
        b = band.get(k)
        parts.append(m("chart.bullets.part_band", name=name, score=m.score(v), low=m.score(b[0]),
                       high=m.score(b[1])) if b else m("chart.bullets.part", name=name,
                                                       score=m.score(v)))
    data = {"names": names, "values": values, "labels": [m.score(v) for v in values],
            "bands": [band.get(k) for k in keys],
            "levels": [m(f"level.{n}") for n in range(1, 6)],
            "legend": [m("chart.bullets.reference_band"), m("chart.bullets.organisation")],
            "axis": m("chart.bullets.axis")}
    return Chart("score_bullets", data, m("chart.bullets.alt", parts="; ".join(parts)),
                 m("chart.bullets.caption"))


def silo_map(r: dict, m: Messages):
    data = r.get("silo_map", {})
    teams = data.get("teams", [])
    matrix = data.get("matrix", [])
    if len(teams) < 2 or not matrix:
        return Note(m("chart.silo_map.single_team"))
    names = [words.team(m, t) for t in teams]
    pairs = [m("chart.silo_map.pair", a=names[i], b=names[j], value=m.integer(matrix[i][j]))
             for i in range(len(teams)) for j in range(i + 1, len(teams))]
    return Chart("silo_map", {"names": [textwrap.fill(n, 12) for n in names], "matrix": matrix,
                              "colorbar": m("chart.silo_map.colorbar")},
                 m("chart.silo_map.alt", pairs="; ".join(pairs)), m("chart.silo_map.caption"))


def metric_coverage(r: dict, m: Messages) -> list:
    """One heatmap per metric set (SalesOps, RevOps): smaller charts that fill the pages."""
    every = r.get("metric_quality", [])
    metrics = [x for x in every if x.get("applicable", True)]
    if not metrics:
        return [Note(m("chart.coverage.none"))]
    left_out = len(every) - len(metrics)
    columns = [textwrap.fill(m(f"quality_attribute.{a}"), 11) for a in QUALITY_ATTRIBUTES]
    columns.append(m("chart.coverage.quality_score"))
    # what does not apply is said first, so the charts below can fill their pages
    blocks = [Note(m("chart.coverage.left_out", count=left_out).strip())] if left_out else []
    for scope in SCOPES:
        xs = [x for x in metrics if x.get("scope") == scope]
        if not xs:
            continue
        data = {"columns": columns, "title": m(f"chart.coverage.set.{scope}"),
                "values": [[1.0 if x.get(a) else 0.0 for a in QUALITY_ATTRIBUTES]
                           + [(x.get("score") or 0) / 100] for x in xs],
                "notes": [[m("chart.coverage.yes") if x.get(a) else m("chart.coverage.no")
                           for a in QUALITY_ATTRIBUTES] + [m.score(x.get("score"))] for x in xs],
                "rows": [m("chart.coverage.row", name=m.name("metric", x["id"]),
                           cadence=m(f"cadence.{x.get('cadence') or 'none'}")) for x in xs]}
        part = m("chart.coverage.scope_part", scope=m(f"scope.{scope}"),
                 tracked=sum(1 for x in xs if x.get("tracked")), count=len(xs),
                 shared=sum(1 for x in xs if x.get("shared")))
        blocks.append(Chart("metric_coverage", data,
                            " ".join(m("chart.coverage.alt", parts=part).split()),
                            m("chart.coverage.caption", scope=m(f"scope.{scope}"))))
    return blocks


def systems_map(r: dict, m: Messages):
    """The client's tools: which teams own and use each, what is integrated, what each is the
    source of truth for."""
    systems = r.get("systems") or []
    if not systems:
        return Note(m("chart.systems.none"))
    teams = [t for t in r.get("silo_map", {}).get("teams", [])]
    rows = [{"name": s["system"], "category": m(f"category.{s['category']}"),
             "is_sheet": s["category"] == "spreadsheet", "owner": s["owner_team"],
             "users": [t for t in s["used_by"] if t != s["owner_team"]],
             "integrated": s["integrated_with"],
             "truth": ", ".join(m.get(f"entity.{e}", e) for e in s["source_of_truth_for"])}
            for s in systems]
    data = {"teams": teams, "team_names": [words.team(m, t) for t in teams], "systems": rows,
            "legend": [m("chart.systems.owner"), m("chart.systems.user"),
                       m("chart.systems.integration")],
            "truth_label": m("chart.systems.truth")}
    parts = [m("chart.systems.part", system=s["name"], owner=words.team(m, s["owner"]),
               users=m.join([words.team(m, u) for u in s["users"]], m("format.none")),
               integrated=", ".join(s["integrated"]) or m("format.none"))
             for s in rows]
    return Chart("systems_map", data, m("chart.systems.alt", parts="; ".join(parts)),
                 m("chart.systems.caption"))


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
