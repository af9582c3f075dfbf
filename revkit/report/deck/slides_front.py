"""The deck's opening: the title, the decision, the scorecard, the key findings."""

from __future__ import annotations

from revkit.report import charts_data, words
from revkit.report.deck import charts, draw, fit
from revkit.report.deck.build import Deck
from revkit.report.deck.charts import Bars, Series
from revkit.report.deck.draw import Cell, Para
from revkit.report.deck.theme import layout
from revkit.report.sections.progress import brief_lines
from revkit.vocabulary import SCORE_KEYS


def title(deck: Deck) -> None:
    """Client, date and verdict; the brand's firm, logo and author where there is one."""
    d, s, t, m, meta = layout()["title_slide"], layout()["size"], deck.theme, deck.m, deck.meta
    slide = deck.blank()
    draw.rect(slide, 0, 0, layout()["slide"]["width"], d["band_height"], t.primary)
    logo = t.logo_png
    room = deck.width - (d["logo"]["width"] + layout()["gap"] if logo else 0)
    if logo:
        _logo(slide, logo, d["logo"], t)
    draw.text(slide, t, deck.left, d["kicker_top"], room,
              [Para(m("report.kicker").upper(), s["kicker"] + 2, bold=True, colour=t.on_primary)])
    size = next((z for z in range(d["client_size"], s["title"] - 1, -2)
                 if len(draw.fit.wrap(meta["client"], z, room, True)) <= 2), s["title"])
    y = d["client_top"]
    y += draw.text(slide, t, deck.left, y, room,
                   [Para(meta["client"], size, bold=True, colour=t.on_primary)])
    lines = [Para(m("deck.title.date", date=meta["assessment_date_text"]), d["date_size"],
                  colour=t.on_primary)]
    if t.firm:
        lines.append(Para(t.firm, d["date_size"], bold=True, colour=t.on_primary, before=0.08))
    draw.text(slide, t, deck.left, max(y + 0.1, d["date_top"]), room, lines)

    verdict = meta.get("verdict")
    y = d["verdict_top"]
    h = draw.text(slide, t, deck.left + 0.3, y, deck.width - 0.3, [
        Para(meta["text"]["cover.recommendation"].upper(), d["verdict_label_size"], bold=True,
             colour=t.muted),
        Para(meta["verdict_label"], d["verdict_size"], bold=True),
        Para(m("deck.title.level", label=meta["text"]["cover.overall_maturity"],
               level=meta["level_text"], score=meta["score_text"]), d["level_size"],
             colour=t.muted, before=0.05)])
    draw.rect(slide, deck.left, y, layout()["decision"]["stripe"], h, t.verdict.get(verdict, t.primary))
    for i, dim in enumerate(meta["dimensions"]):
        draw.text(slide, t, deck.left + 0.3 + i * d["dimension_width"], d["dimensions_top"],
                  d["dimension_width"] - 0.2,
                  [Para(dim["name"].upper(), s["fact_label"], bold=True, colour=t.muted),
                   Para([draw.Run(dim["score"], bold=True), draw.Run(m("deck.separator") + dim["level_text"])],
                        s["fact"])])
    by = [p for p in (m("deck.title.prepared_by", name=t.prepared_by) if t.prepared_by else None,
                      t.confidentiality) if p]
    if by:
        draw.text(slide, t, deck.left, d["prepared_top"], deck.width,
                  [Para(p, s["caption"] + 1, colour=t.muted) for p in by])


def _logo(slide, png: bytes, box: dict, theme) -> None:
    """The brand's logo, right-aligned in ``box``, on a white card: a logo is drawn for
    white paper, and the title band is the primary colour."""
    import io

    from PIL import Image
    from pptx.util import Inches

    with Image.open(io.BytesIO(png)) as img:
        ratio = img.width / img.height
    width = min(box["width"], box["height"] * ratio)
    height = width / ratio
    left, pad = box["left"] + box["width"] - width, box.get("padding", 0.08)
    draw.rect(slide, left - pad, box["top"] - pad, width + 2 * pad, height + 2 * pad,
              theme.paper)
    slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(box["top"]), Inches(width),
                             Inches(height))


def decision(deck: Deck) -> None:
    """The verdict, why, how robust, how sure, what would change it — and its factors."""
    r, m, t = deck.results, deck.m, deck.theme
    s, d, gap = layout()["size"], layout()["decision"], layout()["gap"]
    rec = r.get("recommendation", {})
    slide = deck.slide(m("deck.decision.title", verdict=words.verdict_label(m, rec.get("verdict"))),
                       "decision")
    x, y, width = deck.left, deck.top, d["left_width"]
    inner = d["stripe"] + 0.15
    facts = [(m("brief.robustness"), words.robustness_sentence(m, rec)),
             (m("brief.data_confidence"),
              m("deck.decision.confidence", value=m.percent(rec.get("data_confidence")))),
             (m("deck.decision.what_would_change"),
              words.flip_text(m, rec.get("flip"), r.get("client", {}).get("currency", "")))]

    def column(size: float) -> list[list[Para]]:
        return [[Para(deck.meta["summary"], size + 1)]] + [
            [Para(label.upper(), s["fact_label"], bold=True, colour=t.muted), Para(value, size)]
            for label, value in facts]

    size = _largest(lambda z: sum(draw.paras_height(p, width - inner) + d["fact_gap"]
                                  for p in column(z)), d["summary_size"], deck.room)
    for i, paras in enumerate(column(size)):
        h = draw.text(slide, t, x + inner, y, width - inner, paras)
        if i == 0:
            draw.rect(slide, x, y, d["stripe"], h, t.verdict.get(rec.get("verdict"), t.primary))
            y += h + gap
        else:
            y += h + d["fact_gap"]
    factors(deck, slide, x + width + gap, deck.width - width - gap)


def _largest(height_at, start: float, room: float) -> float:
    """The largest text size from ``start`` down to the minimum at which ``height_at`` fits."""
    smallest = layout()["size"]["min"]
    size = start
    while size > smallest and height_at(size) > room:
        size -= 1
    return size


def factors(deck: Deck, slide, x: float, width: float) -> None:
    """Each factor's contribution on the report's fixed scale, coloured by its kind."""
    r, m, t, s = deck.results, deck.m, deck.theme, layout()["size"]
    items = sorted(r.get("recommendation", {}).get("factors", []),
                   key=lambda f: -abs(f.get("contribution") or 0))
    if not items:
        return
    head = draw.text(slide, t, x, deck.top, width,
                     [Para(m("deck.decision.factors"), s["body"], bold=True)])
    caption = [Para(m("deck.decision.factors_axis"), s["caption"], colour=t.muted)]
    key_h = draw.fit.line_height(s["caption"]) + 2 * layout()["inset"]
    below = draw.paras_height(caption, width) + key_h
    low, high = charts_data_scale()
    groups = [f.get("group") if f.get("group") in t.factor_group else "other" for f in items]
    kinds = list(dict.fromkeys(groups))
    chart = Bars("factors", [words.factor_label(m, f) for f in items],
                 [Series(m("table.contribution"), [float(f.get("contribution") or 0) for f in items],
                         labels=[m.signed(f.get("contribution") or 0) for f in items],
                         colours=[t.factor_group[g] for g in groups])],
                 scale=(low, high), unit=8, gap=40)
    height = deck.room - head - below
    charts.bars(slide, t, (x, deck.top + head, width, height), chart)
    y = deck.top + head + height
    y += draw.legend(slide, t, x, y, [(m(f"factor_group.{g}"), t.factor_group[g]) for g in kinds],
                     s["caption"])
    draw.text(slide, t, x, y, width, caption)


def charts_data_scale() -> tuple[float, float]:
    from revkit.report.model import style

    low, high = style()["factor_axis"]
    return low, high


def scorecard(deck: Deck) -> None:
    """The three dimensions and the overall score against the kit reference band, the
    level of each, and the SalesOps functions and RevOps benefits."""
    r, m, t = deck.results, deck.m, deck.theme
    s, d, gap = layout()["size"], layout()["scorecard"], layout()["gap"]
    slide = deck.slide(m("section.scores.title"), "decision")
    x, width = deck.left, d["left_width"]
    bullets = charts_data.score_bullets(r, m).data
    head = draw.text(slide, t, x, deck.top, width,
                     [Para(m("deck.scorecard.chart_title"), s["body"], bold=True)])
    caption = [Para(m("deck.scorecard.caption"), s["caption"], colour=t.muted)]
    band = r.get("reference_band", {})
    rows = [[m(f"dimension.{k}"), Cell(m.score(r["scores"][k]), align="right"),
             m("table.level_cell", level=r["levels"][k], name=words.level_name(m, r["levels"][k])),
             m("format.range", low=m.score(band[k][0]), high=m.score(band[k][1]))
             if band.get(k) else "–"] for k in SCORE_KEYS]
    header = [m("table.dimension"), m("table.score_100"), m("table.level_5"),
              m("table.reference_band")]
    widths = draw.column_widths(width, d["table_shares"], rows, s["table"], header)
    progress = [Para(line, s["caption"]) for line in brief_lines(r, m)]
    table_h = sum(draw.row_height(row, widths, s["table"]) for row in [header, *rows])
    below = draw.paras_height(caption, width) + d["table_gap"] + table_h + \
        (draw.paras_height(progress, width) if progress else 0)
    chart_h = min(d["chart_height"], deck.room - head - below)
    y = deck.top + head
    charts.bullets(slide, t, (x, y, width, chart_h), "scores", bullets["names"],
                   bullets["values"], bullets["labels"], bullets["bands"],
                   (m("deck.scorecard.band"), m("deck.scorecard.band_low"),
                    bullets["legend"][1]))
    y += chart_h
    y += draw.text(slide, t, x, y, width, caption) + d["table_gap"]
    y += draw.table(slide, t, x, y, widths, rows, s["table"], header=header, name="revkit:scorecard")
    if progress:
        draw.text(slide, t, x, y, width, progress)
    profile(deck, slide, x + width + gap, deck.width - width - gap)


def profile(deck: Deck, slide, x: float, width: float) -> None:
    """The SalesOps functions and RevOps benefits, each bar coloured by its status."""
    m, t, s = deck.m, deck.theme, layout()["size"]
    panels = charts_data.profile(deck.results, m).data["panels"]
    panels = [p for p in panels if p["items"]]
    if not panels:
        return
    head = draw.text(slide, t, x, deck.top, width,
                     [Para(m("deck.scorecard.profile_title"), s["body"], bold=True)])
    titles = [[Para(p["title"], s["table"], bold=True, colour=t.muted)] for p in panels]
    gaps = layout()["scorecard"]["profile_gap"] * (len(panels) - 1)
    room = deck.room - head - gaps - sum(draw.paras_height(p, width) for p in titles)
    # each panel's height in proportion to its label lines (a label takes about half the
    # chart's width), so a panel of long two-line names gets the room they need
    lines = [sum(len(fit.wrap(i["name"], layout()["size"]["chart"], width / 2)) for i in p["items"])
             for p in panels]
    y = deck.top + head
    for panel, kind, title_paras, used in zip(panels, ("salesops_functions", "revops_benefits"),
                                              titles, lines, strict=False):
        y += draw.text(slide, t, x, y, width, title_paras)
        h = room * used / sum(lines)
        items = panel["items"]
        charts.bars(slide, t, (x, y, width, h), Bars(
            f"profile.{kind}", [i["name"] for i in items],
            [Series(m("table.score"), [i["score"] for i in items], labels=[i["label"] for i in items],
                    colours=[t.status_colour(i["status"]) for i in items])],
            scale=(0, 140), gap=40, axis_labels=False))
        y += h + layout()["scorecard"]["profile_gap"]


def findings(deck: Deck) -> None:
    """The 3–5 key findings of the brief, in the brief's words."""
    items = brief_findings(deck.model)
    if not items:
        return
    m, t, s, f = deck.m, deck.theme, layout()["size"], layout()["findings"]
    most = items[:f["most"]]
    width = deck.width - f["tag_width"]

    def height_at(size: float) -> float:
        return sum(draw.paras_height([Para(text, size)], width) + f["gap"] for _, _, text, _ in most)

    size = _largest(height_at, f["size"], deck.room)
    size = max(size, f["smallest"])
    pages, page, used = [], [], 0.0
    for item in most:  # at the smallest size a list that still does not fit continues
        h = draw.paras_height([Para(item[2], size)], width) + f["gap"]
        if page and used + h > deck.room:
            pages.append(page)
            page, used = [], 0.0
        page.append(item)
        used += h
    pages.append(page)
    for number, page in enumerate(pages):
        title = m("section.findings.title")
        slide = deck.slide(title if number == 0 else m("deck.continued", title=title),
                           "decision")
        y = deck.top
        for kind, label, text, _ in page:
            h = draw.text(slide, t, deck.left + f["tag_width"], y, width, [Para(text, size)],
                          name=f"revkit:finding.{kind}")
            draw.rect(slide, deck.left, y, layout()["decision"]["stripe"], h, t.finding.get(kind, t.muted))
            draw.text(slide, t, deck.left + 0.25, y, f["tag_width"] - 0.3,
                      [Para(label.upper(), s["tag"], bold=True, colour=t.muted)])
            y += h + f["gap"]


def brief_findings(model) -> list[tuple[str, str, str, str]]:
    """The key findings exactly as the one-page brief lists them."""
    brief = model.section("brief")
    for block in brief.blocks if brief else []:
        if block.kind == "findings":
            return list(block.items)
    return []
