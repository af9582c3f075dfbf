"""The one-page brief (the executive summary) and the key findings chapter."""

from __future__ import annotations

from revkit.messages import Messages
from revkit.method import findings as findings_method
from revkit.report import words
from revkit.report.blocks import Bar, Facts, Fig, FindingList, Note, Table, Verdict
from revkit.report.sections.base import ordered_actions, score_fig, section
from revkit.report.sections.progress import brief_lines
from revkit.vocabulary import SCORE_KEYS


def verdict_block(r: dict, m: Messages) -> Verdict:
    from revkit.report.model import style

    rec = r.get("recommendation", {})
    level = r["levels"]["overall"]
    return Verdict(
        verdict=rec.get("verdict"), label=words.verdict_label(m, rec.get("verdict")),
        caption=m("summary.recommendation"), summary=words.verdict_summary(m, r),
        kpis=[(Fig(m.score(r["scores"]["overall"]), "scores.overall"),
               m("summary.overall_score")),
              (m("summary.level", level=level), words.level_name(m, level)),
              (Fig(m(f"robustness.{rec.get('robustness_class')}").capitalize(),
                   "recommendation.robustness_class"), m("summary.robustness")),
              (Fig(m.percent(rec.get("data_confidence")), "recommendation.data_confidence"),
               m("summary.data_confidence"))],
        text=words.verdict_summary(m, r),
        colour=style()["verdict_colours"].get(rec.get("verdict"), "#0072B2"))


def scorecard(r: dict, m: Messages, css: str = "rk-scorecard") -> Table:
    band = r.get("reference_band", {})
    rows = []
    for key in SCORE_KEYS:
        lo_hi = band.get(key) or [None, None]
        rows.append([m(f"dimension.{key}"), score_fig(m, r, f"scores.{key}"),
                     Bar(r["scores"][key], *lo_hi),
                     m("table.level_cell", level=r["levels"][key],
                       name=words.level_name(m, r["levels"][key])),
                     m("format.range", low=m.score(lo_hi[0]), high=m.score(lo_hi[1]))
                     if lo_hi[0] is not None else "–"])
    return Table([m("table.dimension"), m("table.score_100"), "", m("table.level_5"),
                  m("table.reference_band")], rows, frozenset({1}), css)


def finding_items(r: dict, m: Messages, chosen: list[dict], evidence: bool) -> FindingList:
    items = [(f["kind"], words.finding_kind(m, f), words.finding_text(m, f, r),
              words.evidence_line(m, f, r) if evidence else "") for f in chosen]
    return FindingList(items)


def brief(r: dict, m: Messages):
    """Page 2: what a CEO who reads only this page needs to decide."""
    rec = r.get("recommendation", {})
    top = findings_method.summary(r.get("findings", []))
    actions = ordered_actions(r)[:3]
    steps = Table([m("brief.action"), m("brief.owner"), m("brief.start")],
                  [[words.action_title(m, a), words.role(m, a),
                    m("brief.when", quarter=m.quarter(a.get("quarter")), date=m.date(a.get("start")))]
                   for a in actions], css="rk-compact rk-brief-actions")
    facts = Facts([(m("brief.robustness"), words.robustness_sentence(m, rec)),
                   (m("brief.sizing"), words.sizing_text(m, rec.get("sizing")))],
                  m("recommendation.what_would_change"),
                  words.flip_text(m, rec.get("flip"), r.get("client", {}).get("currency", "")))
    blocks = [verdict_block(r, m), facts, _heading(m, "brief.findings"),
              finding_items(r, m, top, evidence=False), _heading(m, "brief.first_steps"), steps,
              _heading(m, "brief.scorecard"), scorecard(r, m, "rk-scorecard rk-compact")]
    progress = brief_lines(r, m)
    if progress:
        blocks += [_heading(m, "brief.progress"), *[Note(line) for line in progress]]
    return section("brief", m, blocks, part="brief", page_break=True, intro=False)


def _heading(m: Messages, key: str):
    from revkit.report.blocks import Heading

    return Heading(m(key))


def key_findings(r: dict, m: Messages):
    found = r.get("findings", [])
    if not found:
        return section("findings", m, [Note(m("findings.none"))])
    return section("findings", m, [finding_items(r, m, found, evidence=True)])
