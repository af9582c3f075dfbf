"""The body's evidence chapters: scores, silos and systems, the teams' view, metrics, handoffs."""

from __future__ import annotations

from revkit.messages import Messages
from revkit.report import charts_data, words
from revkit.report.blocks import Badge, Heading, Note, Quotes, Table, Text
from revkit.report.sections.base import score_fig, section, yes
from revkit.vocabulary import POOLED, SCORE_KEYS


def scores(r: dict, m: Messages):
    """The three dimensions against the kit reference band, as a chart and as a table."""
    return section("scores", m, [charts_data.score_bullets(r, m), scores_table(r, m)])


def scores_table(r: dict, m: Messages) -> Table:
    band = r.get("reference_band", {})
    rows = []
    for key in SCORE_KEYS:
        lo_hi = band.get(key)
        rows.append([m(f"dimension.{key}"), m(f"dimension_help.{key}"),
                     score_fig(m, r, f"scores.{key}"),
                     m("table.level_cell", level=r["levels"][key],
                       name=words.level_name(m, r["levels"][key])),
                     m("format.range", low=m.score(lo_hi[0]), high=m.score(lo_hi[1]))
                     if lo_hi else "–"])
    return Table([m("table.dimension"), m("table.what_it_measures"), m("table.score_100"),
                  m("table.level_5"), m("table.reference_band")], rows, frozenset({2}),
                 "rk-compact rk-scores")


def silos(r: dict, m: Messages):
    status = {s: m(f"source_of_truth.{s}") for s in ("single", "multiple", "none")}
    rows = [[m.get(f"entity.{s['entity']}", s["entity"]), ", ".join(s.get("systems") or []) or "–",
             m("source_of_truth.single_spreadsheet") if s.get("spreadsheet")
             else status.get(s.get("status"), s.get("status")),
             yes(m, s.get("integrated")),
             score_fig(m, r, f"sources_of_truth[{s['entity']}].points")]
            for s in r.get("sources_of_truth", [])]
    table = Table([m("table.entity"), m("table.sot_systems"), m("table.owned_by"),
                   m("table.systems_integrated"), m("table.points_100")], rows, frozenset({4}),
                  "rk-compact")
    return section("silos", m, [charts_data.silo_map(r, m), Heading(m("section.silos.systems_title")),
                                Text(m("section.silos.systems_intro")),
                                charts_data.systems_map(r, m),
                                Heading(m("section.silos.sources_title")),
                                Text(m("section.silos.sources_intro")), table])


def survey(r: dict, m: Messages):
    return section("survey", m, [survey_note(r, m), charts_data.survey_by_team(r, m),
                                 comments(r, m)])


def survey_note(r: dict, m: Messages) -> Note:
    data = r.get("survey", {})
    minimum = data.get("min_team_respondents", 3)
    teams = data.get("teams", [])
    shown = [t for t in teams if t.get("respondents", 0) >= minimum and t["team"] != POOLED]
    pooled = r.get("completeness", {}).get("teams_below_min_respondents", []) or [
        t["team"] for t in teams if t.get("respondents", 0) < minimum]
    total = r.get("completeness", {}).get("respondents",
                                          sum(t.get("respondents", 0) for t in teams))
    text = m("survey.respondents", total=total, count=total) + " " + m("survey.shown", count=len(shown),
                                                          minimum=minimum)
    if pooled:
        text += " " + " ".join(m("survey.pooled", teams=m.join(
            [words.team(m, t) for t in pooled])).split())
    gap = data.get("perception_gap")
    if isinstance(gap, dict) and gap.get("gap") is not None:
        text += " " + " ".join(m("survey.gap", gap=m.score(gap["gap"])).split())
    return Note(text)


def comments(r: dict, m: Messages):
    data = r.get("survey", {})
    quotes = data.get("comments", [])
    if quotes:
        return Quotes([(q.get("comment") or "", words.team(m, q["team"]) if q.get("team") else "")
                       for q in quotes])
    count = data.get("comment_count", 0)
    if not count:
        return Note(m("survey.no_comments"))
    return Note(" ".join(m("survey.comments_not_quoted", count=count).split()))


def metrics(r: dict, m: Messages):
    return section("metrics", m, charts_data.metric_coverage(r, m))


def process(r: dict, m: Messages):
    rows = [[h.get("lifecycle_order"), m.name("handoff", h["id"]),
             m("table.team_arrow", source=words.team(m, h["from_team"]),
               target=words.team(m, h["to_team"])),
             Badge(h.get("status"), m(f"status.{h.get('status')}")),
             m("process.sla", hours=m.plain(h["sla_hours"])) if h.get("sla_hours") is not None
             else m("process.no_sla"),
             score_fig(m, r, f"handoffs[{h['id']}].score")]
            for h in sorted(r.get("handoffs", []), key=lambda h: h.get("lifecycle_order", 0))
            if h.get("applicable", True)]
    table = Table([m("table.order"), m("table.handoff"), m("table.from_to"), m("table.status"),
                   m("table.sla"), m("table.score")], rows, frozenset({5}), "rk-compact")
    return section("process", m, [charts_data.handoff_chain(r, m), table])
