"""The appendix: how the scores are built, the full function profile, metric
definitions, data completeness and warnings, the assessment's facts, a glossary."""

from __future__ import annotations

from revkit import catalog
from revkit.messages import Messages
from revkit.report import words
from revkit.report.blocks import Badge, Bullets, Definitions, Note, Table
from revkit.report.sections.base import score_fig, section, yes
from revkit.vocabulary import DIMENSIONS


def components(r: dict, m: Messages):
    rows = []
    for dim in DIMENSIONS:
        for key, value in r.get("subscores", {}).get(dim, {}).items():
            if isinstance(value, (dict, list)):
                continue
            rows.append([m(f"dimension.{dim}"),
                         m.get(f"component.{key}", key.replace("_", " ").capitalize()),
                         score_fig(m, r, f"subscores.{dim}.{key}")])
    table = Table([m("table.dimension"), m("table.component"), m("table.score_100")], rows,
                  frozenset({2}), "rk-compact rk-subscores")
    return section("components", m, [table], part="appendix")


def function_table(r: dict, m: Messages):
    profile = r.get("functions", {})
    rows = []
    for kind, item_kind, title in (("salesops_functions", "function", "table.salesops_function"),
                                   ("revops_benefits", "benefit", "table.revops_benefit")):
        for f in profile.get(kind, []):
            rows.append([m.name(item_kind, f["id"]), m(title),
                         Badge(f.get("status"), m(f"status.{f.get('status')}")),
                         score_fig(m, r, f"functions.{kind}[{f['id']}].score"),
                         words.function_evidence(m, f)])
    return section("function_table", m, [Table(
        [m("table.function_or_benefit"), m("table.kind"), m("table.status"), m("table.score"),
         m("table.evidence")], rows, frozenset({3}), "rk-compact")], part="appendix")


def definitions(r: dict, m: Messages):
    """The applicable catalog metrics: how each is computed, its benchmark and its source."""
    from revkit.report.sections.crm import catalog_source

    currency = r.get("client", {}).get("currency", "")
    applicable = {x["id"] for x in r.get("metric_quality", []) if x.get("applicable", True)}
    items = []
    for metric in catalog.metrics():
        if metric["id"] not in applicable:
            continue
        bench = metric.get("benchmark") or {}
        note = ""
        if bench.get("low") is not None:
            note = m("definitions.benchmark", band=words.measure_range(
                m, bench["low"], bench["high"], metric.get("unit"), currency),
                source=catalog_source(m, metric["id"]))
        items.append((m.name("metric", metric["id"]), m(f"metric.{metric['id']}.formula"), note))
    return section("definitions", m, [Definitions(items, "rk-columns rk-columns-3")], part="appendix")


def completeness(r: dict, m: Messages):
    rows = []
    for key, value in r.get("completeness", {}).items():
        name = m.get(f"completeness.{key}", key.replace("_", " ").capitalize())
        if isinstance(value, bool) or value is None:
            rows.append([name, yes(m, value)])
        elif isinstance(value, float):
            rows.append([name, m.percent(value)])  # shares are fractions 0..1
        elif isinstance(value, int):
            rows.append([name, str(value)])
        elif isinstance(value, list):
            rows.append([name, m.join([words.team(m, v) for v in value], m("format.none"))])
        elif isinstance(value, dict):
            rows.append([name, ", ".join(m("completeness.team_count", team=words.team(m, k),
                                           count=v) for k, v in value.items())])
    blocks = [Table([m("table.measure"), m("table.value")] * 2, pairs(rows),
                    css="rk-compact rk-pairs")]
    warnings = r.get("warnings", [])
    if warnings:
        blocks.append(Bullets([words.problem_text(m, w) for w in warnings], "rk-warnings"))
    else:
        blocks.append(Note(m("completeness.no_warnings")))
    measured = r.get("measured") or {}
    if not measured.get("metrics") and not measured.get("findings"):
        blocks.append(Note(" ".join(m("crm.none").split())))
    return section("completeness", m, blocks, part="appendix")


def pairs(rows: list[list]) -> list[list]:
    """Two ``[name, value]`` rows side by side per table row: the appendix stays short."""
    return [rows[i] + (rows[i + 1] if i + 1 < len(rows) else ["", ""])
            for i in range(0, len(rows), 2)]


def about(r: dict, m: Messages):
    c = r.get("client", {})
    revenue = c.get("annual_revenue")
    rows = [
        [m("about.client"), c.get("name", "")],
        [m("about.industry"), c.get("industry", "") or "–"],
        [m("about.employees"), m.integer(c["employees"]) if c.get("employees") else "–"],
        [m("about.annual_revenue"), m.money(revenue, c.get("currency", "")) if revenue else "–"],
        [m("about.revenue_model"), m.get(f"revenue_model.{c.get('revenue_model')}", "")],
        [m("about.gtm_motion"), m.get(f"gtm_motion.{c.get('gtm_motion')}", "")],
        [m("about.teams"), ", ".join(m("about.team_headcount", team=words.team(m, t["team"]),
                                       headcount=t.get("headcount", "?"))
                                     for t in c.get("teams", []))],
        [m("about.assessment_date"), m.date(c.get("assessment_date"))],
        [m("about.methodology_version"), r.get("methodology_version", "")],
        [m("about.kit_version"), r.get("kit_version", "")],
    ]
    return section("about", m, [Table(["", "", "", ""], pairs(rows), css="rk-about rk-compact")],
                   part="appendix")


def glossary(r: dict, m: Messages):
    """The terms the report uses, with what each means here."""
    terms = [(m(f"glossary.{key}.term"), m(f"glossary.{key}.text"), "")
             for key in m("glossary.order").split()]
    return section("glossary", m, [Definitions(sorted(terms, key=lambda t: t[0].lower()),
                                               "rk-columns rk-columns-3")], part="appendix")
