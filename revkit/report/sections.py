"""The report's sections, in order: each a function of the results and the messages.

Every figure is taken from ``results.json`` and formatted through the
language's ``Messages``; every sentence comes from the message catalogs
(``section.<id>.*`` and the shared words of ``revkit.report.words``).
Charts are returned as data (``blocks.Chart``) that ``revkit.report.charts`` draws.
"""

from __future__ import annotations

from revkit.messages import Messages
from revkit.report import charts_data, words
from revkit.report.blocks import (
    Badge,
    Bullets,
    Facts,
    Heading,
    Note,
    Quotes,
    Section,
    Table,
    Text,
    Titled,
    Verdict,
)
from revkit.vocabulary import DIMENSIONS, POOLED, SCORE_KEYS


def _section(sid: str, m: Messages, blocks: list, page_break: bool = True) -> Section:
    return Section(sid, m(f"section.{sid}.title"),
                   [Text(m(f"section.{sid}.intro")), *blocks], page_break)


def _yes(m: Messages, value) -> str:
    return {True: m("format.yes"), False: m("format.no")}.get(value, "–")


# ---------------------------------------------------------------- summary and scores

def summary(r: dict, m: Messages) -> Section:
    rec, client = r.get("recommendation", {}), r.get("client", {})
    verdict = words.verdict_label(m, rec.get("verdict"))
    level = r["levels"]["overall"]
    name = words.level_name(m, level)
    from revkit.report.model import style

    banner = Verdict(
        verdict=rec.get("verdict"), label=verdict, caption=m("summary.recommendation"),
        summary=words.verdict_summary(m, r),
        kpis=[(m.score(r["scores"]["overall"]), m("summary.overall_score")),
              (m("summary.level", level=level), name),
              (m.percent(rec.get("confidence")), m("summary.confidence"))],
        text=" ".join(m("summary.text", client=client.get("name", ""), verdict=verdict,
                        score=m.score(r["scores"]["overall"]), level=level, level_name=name,
                        confidence=m.percent(rec.get("confidence"))).split()),
        colour=style()["verdict_colours"].get(rec.get("verdict"), "#0072B2"))
    return _section("summary", m, [banner, charts_data.radar(r, m), scores_table(r, m)])


def scores_table(r: dict, m: Messages) -> Table:
    band = r.get("benchmark_band", {})
    rows = []
    for key in SCORE_KEYS:
        lo_hi = band.get(key)
        rows.append([m(f"dimension.{key}"), m(f"dimension_help.{key}"), m.score(r["scores"][key]),
                     m("table.level_cell", level=r["levels"][key],
                       name=words.level_name(m, r["levels"][key])),
                     m("format.range", low=m.score(lo_hi[0]), high=m.score(lo_hi[1]))
                     if lo_hi else "–"])
    return Table([m("table.dimension"), m("table.what_it_measures"), m("table.score_100"),
                  m("table.level_5"), m("table.benchmark_band")], rows, frozenset({2}),
                 "rk-scores")


def scores(r: dict, m: Messages) -> Section:
    rows = []
    subs = r.get("subscores", {})
    for dimension in [d for d in DIMENSIONS if d in subs]:
        for key, value in subs[dimension].items():
            if isinstance(value, (dict, list)):
                continue
            rows.append([m(f"dimension.{dimension}"),
                         m.get(f"component.{key}", key.replace("_", " ").capitalize()),
                         m.score(value)])
    table = Table([m("table.dimension"), m("table.component"), m("table.score_100")], rows,
                  frozenset({2}), "rk-compact rk-subscores")
    return _section("scores", m, [table])


# ---------------------------------------------------------------- silos

def silos(r: dict, m: Messages) -> Section:
    status = {s: m(f"source_of_truth.{s}") for s in ("single", "multiple", "none")}
    rows = [[m.get(f"entity.{s['entity']}", s["entity"]), ", ".join(s.get("systems") or []) or "–",
             status.get(s.get("status"), s.get("status")), _yes(m, s.get("integrated")),
             m.score(s.get("points"))]
            for s in r.get("sources_of_truth", [])]
    table = Table([m("table.entity"), m("table.sot_systems"), m("table.owned_by"),
                   m("table.systems_integrated"), m("table.points_100")], rows, frozenset({4}))
    return _section("silos", m, [charts_data.silo_map(r, m), Heading(m("section.silos.sources_title")),
                                 Text(m("section.silos.sources_intro")), table])


# ---------------------------------------------------------------- metrics and process

def metrics(r: dict, m: Messages) -> Section:
    return _section("metrics", m, [charts_data.metric_coverage(r, m)])


def process(r: dict, m: Messages) -> Section:
    rows = [[h.get("lifecycle_order"), m.name("handoff", h["id"]),
             m("table.team_arrow", source=words.team(m, h["from_team"]),
               target=words.team(m, h["to_team"])),
             Badge(h.get("status"), m(f"status.{h.get('status')}")), m.score(h.get("score"))]
            for h in sorted(r.get("handoffs", []), key=lambda h: h.get("lifecycle_order", 0))
            if h.get("applicable", True)]
    table = Table([m("table.order"), m("table.handoff"), m("table.from_to"), m("table.status"),
                   m("table.score")], rows, frozenset({4}))
    return _section("process", m, [charts_data.handoff_chain(r, m), table])


# ---------------------------------------------------------------- survey

def survey(r: dict, m: Messages) -> Section:
    return _section("survey", m, [survey_note(r, m), charts_data.survey_by_team(r, m),
                                  comments(r, m)])


def survey_note(r: dict, m: Messages) -> Note:
    data = r.get("survey", {})
    minimum = data.get("min_team_respondents", 3)
    teams = data.get("teams", [])
    shown = [t for t in teams if t.get("respondents", 0) >= minimum and t["team"] != POOLED]
    pooled = r.get("completeness", {}).get("teams_below_min_respondents", []) or [
        t["team"] for t in teams if t.get("respondents", 0) < minimum]
    # every respondent counts, pooled ones too (completeness.respondents)
    total = r.get("completeness", {}).get("respondents",
                                          sum(t.get("respondents", 0) for t in teams))
    text = m("survey.respondents", total=total) + " " + m("survey.shown", count=len(shown),
                                                          minimum=minimum)
    if pooled:
        text += " " + " ".join(m("survey.pooled", teams=", ".join(
            words.team(m, t) for t in pooled)).split())
    gap = data.get("perception_gap")
    if isinstance(gap, dict) and gap.get("gap") is not None:
        dim = m(f"survey_dimension.{gap.get('dimension')}")
        text += " " + " ".join(m("survey.gap", dimension=dim.lower(),
                                 gap=m.score(gap["gap"])).split())
    return Note(text)


def comments(r: dict, m: Messages):
    quotes = r.get("survey", {}).get("comments", [])
    if not quotes:
        key = "survey.no_comments" if r.get("survey", {}).get("quote_comments") \
            else "survey.comments_not_quoted"
        return Note(" ".join(m(key).split()))
    return Quotes([(q.get("comment") or "", words.team(m, q["team"]) if q.get("team") else "")
                   for q in quotes])


# ---------------------------------------------------------------- recommendation

def recommendation(r: dict, m: Messages) -> Section:
    rec = r.get("recommendation", {})
    currency = r.get("client", {}).get("currency", "")
    facts = [(m("recommendation.verdict"), words.verdict_label(m, rec.get("verdict"))),
             (m("recommendation.confidence"), m.percent(rec.get("confidence")))]
    if rec.get("complexity") is not None:
        facts.append((m("recommendation.complexity"), m.score(rec["complexity"])))
    if rec.get("pain") is not None:
        facts.append((m("recommendation.pain"), m.score(rec["pain"])))
    if rec.get("urgency"):
        facts.append((m("recommendation.urgency"), m(f"urgency.{rec['urgency']}").capitalize()))
    box = Facts(facts, m("recommendation.what_would_change"),
                words.flip_text(m, rec.get("flip"), currency))
    factors = sorted(rec.get("factors", []), key=lambda f: -abs(f.get("contribution") or 0))
    rows = [[words.factor_label(m, f), m(f"factor_group.{f.get('group')}"),
             m.signed(f.get("contribution")), words.factor_evidence(m, f, currency)]
            for f in factors]
    table = Table([m("table.factor"), m("table.kind"), m("table.contribution"),
                   m("table.evidence")], rows, frozenset({2}), "rk-factors")
    return _section("recommendation", m, [box, charts_data.factors(r, m), table])


# ---------------------------------------------------------------- functions and roadmap

def functions(r: dict, m: Messages) -> Section:
    profile = r.get("functions", {})
    rows = []
    for kind, item_kind, title in (("salesops_functions", "function", "table.salesops_function"),
                                   ("revops_benefits", "benefit", "table.revops_benefit")):
        for f in profile.get(kind, []):
            rows.append([m.name(item_kind, f["id"]), m(title),
                         Badge(f.get("status"), m(f"status.{f.get('status')}")),
                         m.score(f.get("score")), words.function_evidence(m, f)])
    table = Table([m("table.function_or_benefit"), m("table.kind"), m("table.status"),
                   m("table.score"), m("table.evidence")], rows, frozenset({3}), "rk-compact")
    return _section("functions", m, [charts_data.profile(r, m), table])


def ordered_actions(r: dict) -> list[dict]:
    """The roadmap's actions, phase by phase (now, next, later), in their order."""
    order = ("now", "next", "later")
    return sorted(r.get("roadmap", []),
                  key=lambda a: (order.index(a["phase"]) if a.get("phase") in order else 9,
                                 a.get("order", 0)))


def roadmap(r: dict, m: Messages) -> Section:
    rows = [[m(f"phase.{a['phase']}"),
             Titled(words.action_title(m, a), words.action_description(m, a)),
             words.team(m, a.get("owner_team", "")), m(f"impact.{a['impact']}"),
             m(f"impact.{a['effort']}"), words.closes(m, a.get("closes"))]
            for a in ordered_actions(r)]
    table = Table([m(f"table.{c}") for c in ("phase", "action", "owner", "impact", "effort",
                                             "closes")], rows, css="rk-roadmap")
    return _section("roadmap", m, [charts_data.roadmap(r, m), table])


# ---------------------------------------------------------------- CRM, completeness, about

def crm(r: dict, m: Messages) -> Section:
    data = r.get("measured") or {}
    found, findings = data.get("metrics", []), data.get("findings", [])
    if not data:
        return _section("crm", m, [Note(" ".join(m("crm.none").split()))])
    currency = r.get("client", {}).get("currency", "")
    rows = []
    for x in found:
        bench = x.get("benchmark") or {}
        low, high = bench.get("low"), bench.get("high")
        band = (f"{measure_value(m, low, x.get('unit'), currency)} – "
                f"{measure_value(m, high, x.get('unit'), currency)}"
                if low is not None and high is not None else "–")
        period = (m("format.period", start=x.get("period_start") or m("table.unknown_date"),
                    end=x.get("period_end") or m("table.unknown_date"))
                  if x.get("period_start") or x.get("period_end") else "–")
        rows.append([m.name("metric", x["id"]), measure_value(m, x.get("value"), x.get("unit"),
                                                              currency),
                     band, m.integer(x.get("records", 0)), period])
    blocks = [Table([m(f"table.{c}") for c in ("metric", "measured", "benchmark", "records",
                                               "period")], rows, frozenset({1, 3}),
                    "rk-compact rk-measured")] if rows else []
    if findings:
        frows = [[m.get(f"finding.{f.get('id')}", str(f.get("id"))),
                  m("crm.finding", table=f.get("table", ""), column=f.get("column", "")),
                  m.integer(f.get("count", 0)), m.percent(f.get("share"), 1),
                  ", ".join(str(e) for e in f.get("examples", [])[:3])] for f in findings]
        blocks.append(Table([m(f"table.{c}") for c in ("finding", "where", "records", "share",
                                                       "examples")], frows, frozenset({2, 3}),
                            "rk-compact", caption=m("table.quality_caption")))
    blocks += crm_evidence(data, m, currency)
    return _section("crm", m, blocks)


def crm_evidence(data: dict, m: Messages, currency: str = "") -> list:
    """Per-owner values, the metrics the exports do not allow, and the contradictions."""
    blocks = []
    owners = [[m.name("metric", x["id"]), o.get("owner", ""),
               measure_value(m, o.get("value"), x.get("unit"), currency),
               m.integer(o.get("records", 0))]
              for x in data.get("metrics", []) for o in x.get("by_owner", [])]
    if owners:
        blocks.append(Table([m(f"table.{c}") for c in ("metric", "owner", "measured", "records")],
                            owners, frozenset({2, 3}), "rk-compact",
                            caption=m("crm.by_owner_caption")))
    missing = [[m.name("metric", x["id"]), words.reason_text(m, x.get("reason")),
                ", ".join(x.get("columns") or []) or "–"]
               for x in data.get("not_measurable", [])]
    if missing:
        blocks.append(Table([m(f"table.{c}") for c in ("metric", "reason", "inputs")], missing,
                            css="rk-compact", caption=m("crm.not_measurable_caption")))
    contradictions = [list(words.contradiction_texts(m, c))
                      for c in data.get("contradictions", [])]
    if contradictions:
        blocks.append(Table([m(f"table.{c}") for c in ("contradiction", "intake_says",
                                                       "exports_show", "effect")],
                            contradictions, css="rk-compact",
                            caption=m("crm.contradictions_caption")))
    return blocks


def measure_value(m: Messages, value, unit: str | None, currency: str = "") -> str:
    """A measured value in its unit: fractions as percentages, amounts with the currency."""
    if value is None:
        return "–"
    if unit == "fraction":
        return m.percent(value, 1)
    if unit == "currency":
        return m.money(value, currency).strip()
    if unit == "count":
        return m.integer(value)
    if unit == "ratio":
        return m("crm.ratio", value=m.number(value, 2))
    if unit:
        return m("crm.unit", value=m.number(value, 1), unit=m.get(f"crm.unit_name.{unit}", unit))
    return m.number(value, 1)


def completeness(r: dict, m: Messages) -> Section:
    rows = []
    for key, value in r.get("completeness", {}).items():
        name = m.get(f"completeness.{key}", key.replace("_", " ").capitalize())
        if isinstance(value, bool) or value is None:
            rows.append([name, _yes(m, value)])
        elif isinstance(value, float):
            rows.append([name, m.percent(value)])  # shares are fractions 0..1
        elif isinstance(value, int):
            rows.append([name, str(value)])
        elif isinstance(value, list):
            rows.append([name, ", ".join(words.team(m, v) for v in value) or m("format.none")])
        elif isinstance(value, dict):
            rows.append([name, ", ".join(m("completeness.team_count", team=words.team(m, k),
                                           count=v) for k, v in value.items())])
    blocks = [Table([m("table.measure"), m("table.value")], rows, css="rk-compact")]
    warnings = r.get("warnings", [])
    if warnings:
        blocks.append(Bullets([words.problem_text(m, w) for w in warnings], "rk-warnings"))
    else:
        blocks.append(Note(m("completeness.no_warnings")))
    return _section("completeness", m, blocks)


def about(r: dict, m: Messages) -> Section:
    c = r.get("client", {})
    revenue = c.get("annual_revenue")
    rows = [
        [m("about.client"), c.get("name", "")],
        [m("about.industry"), c.get("industry", "")],
        [m("about.employees"), c.get("employees", "")],
        [m("about.annual_revenue"), m.money(revenue, c.get("currency", "")) if revenue else "–"],
        [m("about.revenue_model"), m.get(f"revenue_model.{c.get('revenue_model')}", "")],
        [m("about.gtm_motion"), m.get(f"gtm_motion.{c.get('gtm_motion')}", "")],
        [m("about.teams"), ", ".join(m("about.team_headcount", team=words.team(m, t["team"]),
                                       headcount=t.get("headcount", "?"))
                                     for t in c.get("teams", []))],
        [m("about.assessment_date"), c.get("assessment_date", "")],
        [m("about.methodology_version"), r.get("methodology_version", "")],
        [m("about.kit_version"), r.get("kit_version", "")],
    ]
    return _section("about", m, [Table(["", ""], rows, css="rk-about")], page_break=False)


ORDER = (summary, scores, silos, metrics, process, survey, recommendation, functions, roadmap,
         crm, completeness, about)
