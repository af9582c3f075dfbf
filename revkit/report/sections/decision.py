"""The recommendation, the SalesOps functions and RevOps benefits, and the roadmap."""

from __future__ import annotations

from revkit.messages import Messages
from revkit.report import charts_data, words
from revkit.report.blocks import Facts, Fig, Note, Table, Titled
from revkit.report.sections.base import ordered_actions, section


def recommendation(r: dict, m: Messages):
    rec = r.get("recommendation", {})
    currency = r.get("client", {}).get("currency", "")
    facts = [(m("recommendation.verdict"), words.verdict_label(m, rec.get("verdict"))),
             (m("recommendation.robustness"),
              Fig(m("recommendation.robustness_value",
                    word=m(f"robustness.{rec.get('robustness_class')}"),
                    value=m.number(rec.get("robustness"), 2)), "recommendation.robustness")),
             (m("recommendation.robustness_why"), words.robustness_text(m, rec)),
             (m("recommendation.data_confidence"),
              Fig(m.percent(rec.get("data_confidence")), "recommendation.data_confidence")),
             (m("recommendation.complexity"),
              Fig(m.score(rec.get("complexity")), "recommendation.complexity"))]
    if rec.get("adjustments_used"):
        facts.append((m("recommendation.decision_score"),
                      Fig(m.score(rec.get("decision_score")), "recommendation.decision_score")))
    facts += [(m("recommendation.maturity_gap"),
               Fig(m.score(rec.get("maturity_gap")), "recommendation.maturity_gap")),
              (m("recommendation.urgency"), m(f"urgency.{rec.get('urgency')}").capitalize()),
              (m("recommendation.sizing"), words.sizing_text(m, rec.get("sizing")))]
    box = Facts(facts, m("recommendation.what_would_change"),
                words.flip_text(m, rec.get("flip"), currency))
    factors = sorted(rec.get("factors", []), key=lambda f: (f.get("group") != "complexity",
                                                            -abs(f.get("contribution") or 0)))
    rows = [[words.factor_label(m, f), m(f"factor_group.{f.get('group')}"),
             Fig(m.signed(f.get("contribution")), f"recommendation.factors[{f['id']}].contribution"),
             m("evidence.not_used", evidence=words.factor_evidence(m, f, currency))
             if f.get("group") == "adjustment" and not rec.get("adjustments_used")
             else words.factor_evidence(m, f, currency)]
            for f in factors]
    table = Table([m("table.factor"), m("table.kind"), m("table.contribution"),
                   m("table.evidence")], rows, frozenset({2}), "rk-factors rk-compact")
    return section("recommendation", m, [box, charts_data.factors(r, m), table])


def functions(r: dict, m: Messages):
    return section("functions", m, [charts_data.profile(r, m)])


def roadmap(r: dict, m: Messages):
    actions = ordered_actions(r)
    titles = {a["id"]: words.action_title(m, a) for a in actions}
    rows = [[m("table.when", phase=m(f"phase.{a['phase']}"), quarter=m.quarter(a.get("quarter"))),
             Titled(words.action_title(m, a), words.action_description(m, a)
                    + (" " + m("table.needs_first", actions="; ".join(
                        titles[d] for d in a["depends_on"])) if a.get("depends_on") else "")),
             words.role(m, a), words.kpi_text(m, a.get("kpi")),
             m("table.weeks", count=a.get("effort_weeks"))]
            for a in actions]
    table = Table([m(f"table.{c}") for c in ("phase", "action", "owner", "kpi", "effort")],
                  rows, css="rk-roadmap rk-compact")
    notes = [Note(words.note_text(m, n)) for n in r.get("assessment_notes", [])]
    return section("roadmap", m, [table, *notes])
