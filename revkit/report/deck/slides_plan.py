"""The plan and the back: CRM measurements, the roadmap by quarter, the next steps and what
the function takes, the appendix of factors."""

from __future__ import annotations

from revkit import catalog
from revkit.report import words
from revkit.report.deck import draw
from revkit.report.deck.build import Deck
from revkit.report.deck.draw import Cell, Para, Span
from revkit.report.deck.theme import layout
from revkit.report.sections.base import ordered_actions


def _paged_table(deck: Deck, title: str, part: str, header: list, rows: list,
                 widths: list[float], size: float, *, name: str,
                 foot: list[Para] | None = None) -> None:
    """A table on as many slides as it needs, its header repeated, ``foot`` under it on the
    last. ``size`` is the smallest text size: a table that fits one slide at a larger one
    (up to the layout's ``size.table_most``) is set larger. ``widths`` are the columns'
    starting widths; a column is widened to its longest word (``draw.column_widths``)."""
    t = deck.theme
    foot = foot or []
    foot_h = draw.paras_height(foot, deck.width) + 0.1 if foot else 0.0
    shares = widths
    for larger in range(layout()["size"]["table_most"], int(size), -1):
        widths = draw.column_widths(sum(shares), shares, rows, larger, header)
        if len(draw.pages(rows, widths, larger, deck.room - foot_h, header)) == 1:
            size = larger
            break
    widths = draw.column_widths(sum(shares), shares, rows, size, header)
    runs = draw.pages(rows, widths, size, deck.room - foot_h, header)
    for number, run in enumerate(runs):
        slide = deck.slide(title if number == 0 else deck.m("deck.continued", title=title), part)
        h = draw.table(slide, t, deck.left, deck.top, widths, run, size, header=header,
                       name=f"{name}.{number}" if number else name)
        if foot and number == len(runs) - 1:
            draw.text(slide, t, deck.left, deck.top + h + 0.1, deck.width, foot)


def crm(deck: Deck) -> None:
    """What the CRM exports measured, against the benchmarks; only for a client that gave them."""
    r, m, t = deck.results, deck.m, deck.theme
    measured = r.get("measured") or {}
    found, quality = measured.get("metrics", []), measured.get("findings", [])
    if not found and not quality:
        return
    currency = r.get("client", {}).get("currency", "")
    rows = []
    for x in found:
        bench = x.get("benchmark") or {}
        low, high = bench.get("low"), bench.get("high")
        where = "no_band" if low is None or high is None or x.get("value") is None else \
            "below" if x["value"] < low else "above" if x["value"] > high else "within"
        rows.append([m.name("metric", x["id"]),
                     Cell(words.measure_value(m, x.get("value"), x.get("unit"), currency),
                          bold=where in ("below", "above"), align="right"),
                     words.measure_range(m, low, high, x.get("unit"), currency),
                     Cell(m(f"deck.crm.{where}"), bold=where in ("below", "above")),
                     Cell(m.integer(x.get("records", 0)), align="right")])
    header = [m("table.metric"), m("table.measured"), m("table.benchmark"), m("deck.crm.versus"),
              m("table.records")]
    foot = [Para(m("deck.crm.quality", count=len(quality)), layout()["size"]["caption"],
                 colour=t.muted)]
    _paged_table(deck, m("section.crm.title"), "evidence", header, rows, layout()["crm"]["columns"],
                 layout()["crm"]["table_size"], name="revkit:crm", foot=foot)


def roadmap(deck: Deck) -> None:
    """Every action by quarter: a heading row per quarter (phase, quarter, start), then what
    each action is, who owns it and the effort."""
    r, m, t = deck.results, deck.m, deck.theme
    actions = ordered_actions(r)
    if not actions:
        return
    rows, heading = [], None
    for a in actions:
        when = m("deck.roadmap.quarter", phase=m(f"phase.{a['phase']}"),
                 quarter=a.get("quarter", ""), date=m.date(a.get("start")))
        if when != heading:
            rows.append(Span(Cell(when, bold=True, colour=t.primary, fill=t.soft)))
            heading = when
        rows.append([words.action_title(m, a), words.role(m, a),
                     m("table.weeks", count=a.get("effort_weeks"))])
    header = [m(f"table.{c}") for c in ("action", "owner", "effort")]
    d = layout()["roadmap"]
    _paged_table(deck, m("section.roadmap.title"), "plan", header, rows, d["columns"],
                 d["table_size"], name="revkit:roadmap")


def next_steps(deck: Deck) -> None:
    """The first three actions with owners and dates (as on the brief), and what the function
    takes: the people in operations today and the typical range."""
    r, m, t = deck.results, deck.m, deck.theme
    d, gap = layout()["next_steps"], layout()["gap"]
    actions = ordered_actions(r)[:3]
    sizing = r.get("recommendation", {}).get("sizing")
    if not actions and not sizing:
        return
    slide = deck.slide(m("deck.next_steps.title"), "plan")
    y = deck.top
    if actions:
        width = (deck.width - gap * (len(actions) - 1)) / len(actions)
        cards = [_card(deck, i, a, width) for i, a in enumerate(actions)]
        h = max(d["card_height"], *(draw.paras_height(c, width - 0.2) + 0.25 for c in cards))
        for i, card in enumerate(cards):
            x = deck.left + i * (width + gap)
            draw.rect(slide, x, y, width, h, t.soft)
            draw.rect(slide, x, y, width, 0.06, t.primary)
            draw.text(slide, t, x + 0.1, y + 0.1, width - 0.2, card, name=f"revkit:step.{i + 1}")
        y += h + d["sizing_top_gap"]
    if sizing:
        _sizing(deck, slide, y, sizing)


def _card(deck: Deck, i: int, a: dict, width: float) -> list[Para]:
    m, t, d, s = deck.m, deck.theme, layout()["next_steps"], layout()["size"]
    label = s["fact_label"]
    return [Para(str(i + 1), d["number_size"], bold=True, colour=t.primary),
            Para(words.action_title(m, a), d["title_size"], bold=True, before=0.05),
            Para(m("deck.next_steps.owner").upper(), label, bold=True, colour=t.muted, before=0.12),
            Para(words.role(m, a), d["text_size"]),
            Para(m("deck.next_steps.start").upper(), label, bold=True, colour=t.muted, before=0.08),
            Para(m("brief.when", quarter=a.get("quarter", ""), date=m.date(a.get("start"))),
                 d["text_size"]),
            Para(m("deck.next_steps.kpi").upper(), label, bold=True, colour=t.muted, before=0.08),
            Para(words.kpi_text(m, a.get("kpi")), d["text_size"])]


def _sizing(deck: Deck, slide, y: float, sizing: dict) -> None:
    m, t, d, s = deck.m, deck.theme, layout()["next_steps"], layout()["size"]
    y += draw.text(slide, t, deck.left, y, deck.width,
                   [Para(m("brief.sizing"), s["body"], bold=True),
                    Para(words.sizing_text(m, sizing), s["body"], before=0.04)]) + 0.1
    tiles = [(m.integer(sizing["current_ops_headcount"]), m("deck.sizing.today")),
             (_span(m, sizing), m("deck.sizing.typical",
                                  function=m(f"sizing.function.{sizing['function']}")))]
    nxt = sizing.get("next")
    if nxt and (nxt["recommended_min"], nxt["recommended_max"]) != \
            (sizing["recommended_min"], sizing["recommended_max"]):
        tiles.append((_span(m, nxt), m("deck.sizing.next",
                                       function=m(f"sizing.function.{nxt['function']}"))))
    x = deck.left
    basis = [Para(_basis(m, b), s["caption"], colour=t.muted) for b in sizing.get("basis", [])]
    for i, (value, label) in enumerate(tiles):
        draw.text(slide, t, x, y, d["tile_width"],
                  [Para(value, d["tile_value_size"], bold=True, colour=t.primary),
                   Para(label, s["caption"] + 1, colour=t.muted)], name=f"revkit:sizing.{i}")
        x += d["tile_width"] + layout()["gap"]
    if basis:
        draw.text(slide, t, x, y, deck.left + deck.width - x, basis)


def _span(m, sizing: dict) -> str:
    low, high = sizing["recommended_min"], sizing["recommended_max"]
    return m.integer(low) if low == high else m("format.range", low=m.integer(low),
                                                high=m.integer(high))


def _basis(m, basis: dict) -> str:
    kind = basis["ratio_id"].split(".", 1)[-1]
    value = basis.get("value") or [None, None]
    source = catalog.source_text(m, basis["source"]) if basis.get("source") in \
        catalog.by_id("sources") else basis.get("source", "")
    return m.get(f"deck.sizing.basis.{kind}", kind, low=m.integer(value[0]),
                 high=m.integer(value[1]), reps=m.integer(basis.get("reps")), source=source)


def appendix(deck: Deck) -> None:
    """The factors behind the recommendation with their evidence, and where the rest is."""
    r, m, t = deck.results, deck.m, deck.theme
    rec = r.get("recommendation", {})
    currency = r.get("client", {}).get("currency", "")
    factors = sorted(rec.get("factors", []), key=lambda f: (f.get("group") != "complexity",
                                                            -abs(f.get("contribution") or 0)))
    rows = [[words.factor_label(m, f), m(f"factor_group.{f.get('group')}"),
             Cell(m.signed(f.get("contribution")), align="right"),
             m("evidence.not_used", evidence=words.factor_evidence(m, f, currency))
             if f.get("group") == "adjustment" and not rec.get("adjustments_used")
             else words.factor_evidence(m, f, currency)] for f in factors]
    header = [m("table.factor"), m("table.kind"), m("table.contribution"), m("table.evidence")]
    size = layout()["appendix"]["table_size"]
    foot = [Para(m("deck.appendix.pointer"), layout()["size"]["caption"] + 1),
            Para(m("deck.appendix.meta", methodology=r.get("methodology_version", ""),
                   kit=r.get("kit_version", ""), confidence=m.percent(rec.get("data_confidence"))),
                 layout()["size"]["caption"], colour=t.muted, before=0.05)]
    _paged_table(deck, m("deck.appendix.title"), "appendix", header, rows,
                 layout()["appendix"]["columns"], size, name="revkit:factors", foot=foot)
