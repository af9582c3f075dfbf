"""The evidence: silos and what the teams say, the systems map, metric coverage, handoffs."""

from __future__ import annotations

import math

from pptx.enum.shapes import MSO_SHAPE

from revkit.report import charts_data, words
from revkit.report.deck import charts, draw
from revkit.report.deck.build import Deck
from revkit.report.deck.charts import Bars, Series
from revkit.report.deck.draw import Cell, Para, Run
from revkit.report.deck.theme import layout
from revkit.report.sections.structure import survey_note


def silos(deck: Deck) -> None:
    """The silo map (a table coloured as the report's heatmap: PowerPoint has no heatmap
    chart) and the survey scores of each team with enough respondents."""
    r, m, t = deck.results, deck.m, deck.theme
    s, d, gap = layout()["size"], layout()["silos"], layout()["gap"]
    data = r.get("silo_map", {})
    teams, matrix = data.get("teams", []), data.get("matrix", [])
    slide = deck.slide(m("deck.silos.title"), "evidence")
    x, width = deck.left, d["left_width"]
    y = deck.top + draw.text(slide, t, x, deck.top, width,
                             [Para(m("deck.silos.map_title"), s["body"], bold=True)])
    if len(teams) >= 2 and matrix:
        names = [words.team(m, team) for team in teams]
        cell = (width - d["first_column"]) / len(teams)
        widths = [d["first_column"], *[cell] * len(teams)]
        size = d["header_size"]
        # a name that does not fit its column on whole words is set upright
        room = cell - 2 * layout()["table"]["cell_margin"] + 2 * layout()["inset"]
        upright = any(len(draw.fit.wrap(word, size, room, True)) > 1 for n in names
                      for word in n.split())
        header = [Cell(""), *[Cell(n, bold=True, colour=t.muted, align="left" if upright
                                   else "center", size=size, vertical=upright) for n in names]]
        rows = [[Cell(names[i], bold=True)] + [_heat(deck, v) for v in row]
                for i, row in enumerate(matrix)]
        y += draw.table(slide, t, x, y, widths, rows, s["table"], header=header,
                        name="revkit:silo_map", row_min=d["row_height"])
        draw.text(slide, t, x, y + 0.05, width,
                  [Para(m("deck.silos.map_caption"), s["caption"], colour=t.muted)])
    else:
        draw.text(slide, t, x, y, width, [Para(m("chart.silo_map.single_team"), s["body"])])
    survey(deck, slide, x + width + gap, deck.width - width - gap)


def _heat(deck: Deck, value) -> Cell:
    fill, colour = deck.theme.heat(value)
    return Cell(deck.m.integer(value) if value is not None else "–", bold=value is not None,
                colour=colour, fill=fill if value is not None else deck.theme.soft,
                align="center")


def survey(deck: Deck, slide, x: float, width: float) -> None:
    r, m, t, s = deck.results, deck.m, deck.theme, layout()["size"]
    data = r.get("survey", {})
    minimum = data.get("min_team_respondents", 3)
    shown = [team for team in data.get("teams", []) if team.get("respondents", 0) >= minimum]
    y = deck.top + draw.text(slide, t, x, deck.top, width,
                             [Para(m("deck.silos.survey_title"), s["body"], bold=True)])
    note = [Para(survey_note(r, m).text, s["caption"], colour=t.muted)]
    if not shown:
        draw.text(slide, t, x, y, width, [Para(m("chart.survey.none", minimum=minimum), s["body"])]
                  + note)
        return
    below = draw.paras_height(note, width)
    block = charts_data.survey_by_team(r, m)
    categories = [f"{words.team(m, team['team'])}\n"
                  f"{m('deck.silos.respondents', count=team['respondents'])}" for team in shown]
    # a bar's label only where the bars are wide enough to keep the labels apart
    gap = layout()["silos"]["survey_gap"]
    bar = width * 0.85 / (len(shown) * (len(block.data["series"]) + gap / 100))
    labelled = bar >= layout()["silos"]["label_bar"]
    series = [Series(sd["name"], sd["values"], labels=sd["labels"] if labelled else None,
                     colour=colour)
              for sd, colour in zip(block.data["series"], t.survey_series, strict=False)]
    height = deck.room - (y - deck.top) - below
    charts.bars(slide, t, (x, y, width, height),
                Bars("survey", categories, series, horizontal=False, gap=gap, legend=True,
                     number_format="0", axis_labels=True))
    draw.text(slide, t, x, y + height, width, note)


# ---------------------------------------------------------------- the systems map

def systems(deck: Deck) -> None:
    """The client's tools drawn as shapes: each team's line to the tools it owns (solid) and
    uses (dashed); what each tool is the source of truth for and is integrated with."""
    r, m = deck.results, deck.m
    rows = r.get("systems") or []
    if not rows:
        return
    d = layout()["systems"]
    teams = list(r.get("silo_map", {}).get("teams", []))
    # grouped by the owning team, in the teams' order: fewer lines cross
    rows = sorted(rows, key=lambda x: (teams.index(x["owner_team"]) if x["owner_team"] in teams
                                       else len(teams), x["system"].lower()))
    x_sys = deck.left + d["team_width"] + d["link_gap"]
    w_sys = deck.left + deck.width - x_sys
    boxes = [(row, _system_paras(deck, row)) for row in rows]
    legend = d["legend_height"]
    room = deck.room - legend
    pages, page, used = [], [], 0.0
    for row, paras in boxes:
        h = draw.paras_height(paras, w_sys)
        if page and used + h + d["box_gap"] > room:
            pages.append(page)
            page, used = [], 0.0
        page.append((row, paras, h))
        used += h + d["box_gap"]
    pages.append(page)
    for number, page in enumerate(pages):
        title = m("section.silos.systems_title")
        slide = deck.slide(title if number == 0 else m("deck.continued", title=title), "evidence")
        _system_page(deck, slide, page, teams, x_sys, w_sys, room)


def _system_paras(deck: Deck, row: dict) -> list[Para]:
    m, t, d = deck.m, deck.theme, layout()["systems"]
    parts = []
    if row.get("source_of_truth_for"):
        parts.append(m("deck.systems.truth", entities=m.join(
            [m.get(f"entity.{e}", e) for e in row["source_of_truth_for"]])))
    if row.get("integrated_with"):
        parts.append(m("deck.systems.integrated", systems=", ".join(row["integrated_with"])))
    head = Para([Run(row["system"], bold=True), Run(m("deck.separator")),
                 Run(m(f"category.{row['category']}"), colour=t.muted)], d["name_size"])
    return [head] + ([Para(m("deck.separator").join(parts).strip(), d["detail_size"],
                           colour=t.muted)] if parts else [])


def _system_page(deck: Deck, slide, page: list, teams: list[str], x_sys: float, w_sys: float,
                 room: float) -> None:
    m, t, d = deck.m, deck.theme, layout()["systems"]
    used = sum(h for _, _, h in page) + d["box_gap"] * (len(page) - 1)
    spare = max(0.0, room - used) / max(len(page) - 1, 1)
    step = min(spare, d["spread"]) + d["box_gap"]  # spread out, but not so far apart
    y, placed = deck.top, []
    for row, paras, h in page:
        placed.append((row, paras, y, h))
        y += h + step
    shown = [team for team in teams if any(team == row["owner_team"] or team in row["used_by"]
                                           for row, *_ in placed)]
    team_h = layout()["size"]["body"] * 2 * layout()["line_spacing"] / 72 + 0.1
    span_top = deck.top
    span_bottom = max(y - step, span_top + len(shown) * (team_h + d["box_gap"]))
    slot = (span_bottom - span_top) / max(len(shown), 1)
    middle = {team: span_top + slot * (i + 0.5) for i, team in enumerate(shown)}
    right = deck.left + d["team_width"]
    for row, _, top, h in placed:  # lines first, so the boxes sit on top of them
        for team in shown:
            if team == row["owner_team"]:
                draw.line(slide, right, middle[team], x_sys, top + h / 2, t.owner_line,
                          d["owner_line"])
            elif team in row["used_by"]:
                draw.line(slide, right, middle[team], x_sys, top + h / 2, t.user_line,
                          d["user_line"], dash=True)
    for team in shown:
        draw.text(slide, t, deck.left, middle[team] - team_h / 2, d["team_width"],
                  [Para(words.team(m, team), layout()["size"]["body"], bold=True)],
                  height=team_h, fill=t.soft, anchor="middle", name=f"revkit:team.{team}")
    for row, paras, top, h in placed:
        fill = t.spreadsheet if row["category"] == "spreadsheet" else t.system
        draw.text(slide, t, x_sys, top, w_sys, paras, height=h, fill=fill, anchor="middle",
                  name=f"revkit:system.{row['system']}")
    _legend(deck, slide, deck.top + room + 0.05)


def _legend(deck: Deck, slide, y: float) -> None:
    m, t, d = deck.m, deck.theme, layout()["systems"]
    draw.legend(slide, t, deck.left, y, [
        (m("chart.systems.owner"), t.owner_line, d["owner_line"], False),
        (m("chart.systems.user"), t.user_line, d["user_line"], True)], layout()["size"]["caption"])


# ---------------------------------------------------------------- metric coverage

def metrics(deck: Deck) -> None:
    """Each metric's quality score, one chart per metric set (SalesOps, RevOps)."""
    r, m, t = deck.results, deck.m, deck.theme
    s, gap = layout()["size"], layout()["metrics"]["chart_gap"]
    every = r.get("metric_quality", [])
    applicable = [x for x in every if x.get("applicable", True)]
    scopes = [sc for sc in charts_data.SCOPES if any(x.get("scope") == sc for x in applicable)]
    if not scopes:
        return
    slide = deck.slide(m("section.metrics.title"), "evidence")
    foot = [Para(m("deck.metrics.axis"), s["caption"], colour=t.muted)]
    left_out = len(every) - len(applicable)
    if left_out:
        foot.append(Para(m("chart.coverage.left_out", count=left_out).strip(), s["caption"],
                         colour=t.muted))
    below = draw.paras_height(foot, deck.width)
    width = (deck.width - gap * (len(scopes) - 1)) / len(scopes)
    for i, scope in enumerate(scopes):
        xs = [x for x in applicable if x.get("scope") == scope]
        x0 = deck.left + i * (width + gap)
        score = r.get("subscores", {}).get("metric_coverage", {}).get(scope)
        head = draw.text(slide, t, x0, deck.top, width, [
            Para(m("deck.metrics.heading", set=m(f"chart.coverage.set.{scope}"),
                   score=m.score(score)), s["body"], bold=True),
            Para(m("chart.coverage.scope_part", scope=m(f"scope.{scope}"),
                   tracked=sum(1 for x in xs if x.get("tracked")), count=len(xs),
                   shared=sum(1 for x in xs if x.get("shared"))), s["caption"], colour=t.muted)])
        labels = [m.score(x.get("score")) if x.get("tracked") else m("deck.metrics.untracked")
                  for x in xs]
        colours = [t.client if x.get("tracked") else t.untracked for x in xs]
        bar_room = len(xs) * layout()["metrics"]["bar_max"] + layout()["metrics"]["chart_extra"]
        charts.bars(slide, t, (x0, deck.top + head, width,
                               min(deck.room - head - below, bar_room)), Bars(
            f"metrics.{scope}", [m.name("metric", x["id"]) for x in xs],
            [Series(m("table.quality"), [x.get("score") for x in xs], labels=labels,
                    colours=colours)], scale=(0, 130), gap=35, axis_labels=False))
    draw.text(slide, t, deck.left, deck.bottom - below, deck.width, foot)


# ---------------------------------------------------------------- handoffs

def handoffs(deck: Deck) -> None:
    """The applicable handoffs in lifecycle order, each a box in its status colour."""
    r, m, t = deck.results, deck.m, deck.theme
    d, s = layout()["handoffs"], layout()["size"]
    items = sorted([h for h in r.get("handoffs", []) if h.get("applicable", True)],
                   key=lambda h: h.get("lifecycle_order", 0))
    if not items:
        return
    per_row = min(d["per_row"], len(items))
    box_w = (deck.width - d["arrow"] * (per_row - 1)) / per_row
    inner = box_w - d["stripe"] - 0.1
    paras = [_handoff_paras(deck, h, i) for i, h in enumerate(items)]
    box_h = max(d["box_height"], *(draw.paras_height(p, inner) for p in paras))
    sub = r.get("subscores", {}).get("process_alignment", {})
    intro = [Para(m("deck.process.scores", score=m.score(r["scores"].get("process_alignment")),
                    handoffs=m.score(sub.get("handoffs")), survey=m.score(sub.get("survey"))),
                  s["body"])]
    intro_h = draw.paras_height(intro, deck.width) + layout()["gap"]
    per_page = max(1, int((deck.room - intro_h + d["row_gap"]) // (box_h + d["row_gap"])))
    rows = [list(range(i, min(i + per_row, len(items)))) for i in range(0, len(items), per_row)]
    if len(rows) <= per_page:  # one slide: the boxes grow into its room, up to a limit
        box_h = max(box_h, min(d["box_max"], (deck.room - intro_h) / len(rows) - d["row_gap"]))
    for number in range(math.ceil(len(rows) / per_page)):
        title = m("section.process.title")
        slide = deck.slide(title if number == 0 else m("deck.continued", title=title), "evidence")
        draw.text(slide, t, deck.left, deck.top, deck.width, intro)
        y = deck.top + intro_h
        for row in rows[number * per_page:(number + 1) * per_page]:
            for col, i in enumerate(row):
                x = deck.left + col * (box_w + d["arrow"])
                _handoff_box(deck, slide, items[i], paras[i], x, y, box_w, box_h)
                if col + 1 < len(row):
                    arrow = draw.rect(slide, x + box_w + 0.07, y + box_h / 2 - 0.1,
                                      d["arrow"] - 0.14, 0.2, t.muted, shape=MSO_SHAPE.RIGHT_ARROW)
                    arrow.name = "revkit:arrow"
            y += box_h + d["row_gap"]


# what a handoff needs beyond being defined (deck.process.part.*)
HANDOFF_PARTS = ("documented", "sla", "sla_measured", "automated", "feedback_loop")


def _handoff_paras(deck: Deck, h: dict, i: int) -> list[Para]:
    m, t, d = deck.m, deck.theme, layout()["handoffs"]
    sla = m("deck.process.sla", hours=m.plain(h["sla_hours"])) if h.get("sla_hours") is not None \
        else m("process.no_sla")
    has = {**{flag: bool(h.get(flag)) for flag in ("documented", "sla_measured", "automated",
                                                   "feedback_loop")},
           "sla": h.get("sla_hours") is not None}
    missing = [m(f"deck.process.part.{part}") for part in HANDOFF_PARTS if not has[part]]
    return [Para(m("chart.handoffs.box", order=i + 1,
                   name=m.name("handoff", h["id"])), d["title_size"], bold=True),
            Para(m("table.team_arrow", source=words.team(m, h["from_team"]),
                   target=words.team(m, h["to_team"])), d["text_size"], before=0.04),
            Para(m("deck.process.status_line", status=m(f"status.{h.get('status')}"),
                   score=m.score(h.get("score")), sla=sla), d["text_size"], colour=t.muted,
                 before=0.04),
            Para(m("deck.process.missing", parts=m.join(missing)) if missing
                 else m("deck.process.complete"), d["detail_size"], colour=t.muted, before=0.02)]


def _handoff_box(deck: Deck, slide, h: dict, paras: list[Para], x: float, y: float, w: float,
                 box_h: float) -> None:
    t, d = deck.theme, layout()["handoffs"]
    draw.rect(slide, x, y, w, box_h, t.soft)
    draw.rect(slide, x, y, d["stripe"], box_h, t.status_colour(h.get("status")))
    draw.text(slide, t, x + d["stripe"] + 0.05, y, w - d["stripe"] - 0.1, paras, height=box_h,
              anchor="middle", name=f"revkit:handoff.{h['id']}")
