"""Measured from the CRM exports: only for a client that gave them."""

from __future__ import annotations

from revkit.messages import Messages
from revkit.report import words
from revkit.report.blocks import Fig, Table
from revkit.report.sections.base import section


def catalog_source(m: Messages, metric_id: str) -> str:
    """The source beside a metric's benchmark range (its name and edition), or a dash."""
    from revkit import catalog

    source = (catalog.by_id("metrics").get(metric_id, {}).get("benchmark") or {}).get("source")
    return catalog.source_text(m, source) if source else "–"


def crm(r: dict, m: Messages):
    data = r.get("measured") or {}
    found, findings = data.get("metrics", []), data.get("findings", [])
    if not data:
        return None  # no section for data the client did not give
    currency = r.get("client", {}).get("currency", "")
    rows = []
    for x in found:
        bench = x.get("benchmark") or {}
        band = words.measure_range(m, bench.get("low"), bench.get("high"), x.get("unit"),
                                   currency)
        period = (m("format.period", start=_day(m, x.get("period_start")),
                    end=_day(m, x.get("period_end")))
                  if x.get("period_start") or x.get("period_end") else "–")
        rows.append([m.name("metric", x["id"]),
                     Fig(words.measure_value(m, x.get("value"), x.get("unit"), currency),
                         f"measured.metrics[{x['id']}].value"),
                     band, catalog_source(m, x["id"]), m.integer(x.get("records", 0)), period])
    blocks = [Table([m(f"table.{c}") for c in ("metric", "measured", "benchmark", "source",
                                               "records", "period")], rows, frozenset({1, 4}),
                    "rk-compact rk-measured")] if rows else []
    if findings:
        frows = [[m.get(f"quality.{f.get('id')}", str(f.get("id"))),
                  m("crm.finding", table=f.get("table", ""), column=f.get("column", "")),
                  m.integer(f.get("count", 0)), m.percent(f.get("share"), 1)] for f in findings]
        blocks.append(Table([m(f"table.{c}") for c in ("finding", "where", "records", "share")],
                            frows, frozenset({2, 3}), "rk-compact",
                            caption=m("table.quality_caption")))
    contradictions = [list(words.contradiction_texts(m, c))
                      for c in data.get("contradictions", [])]
    if contradictions:
        blocks.append(Table([m(f"table.{c}") for c in ("contradiction", "intake_says",
                                                       "exports_show", "effect")],
                            contradictions, css="rk-compact",
                            caption=m("crm.contradictions_caption")))
    return section("crm", m, blocks)


def _day(m: Messages, iso: str | None) -> str:
    return m.date(iso, short=True) if iso else m("table.unknown_date")


def crm_detail(r: dict, m: Messages):
    """Appendix: per-owner values, the metrics the exports do not allow and why, and the
    record ids behind each data-quality finding."""
    data = r.get("measured") or {}
    currency = r.get("client", {}).get("currency", "")
    blocks = []
    owners = [[m.name("metric", x["id"]), o.get("owner", ""),
               words.measure_value(m, o.get("value"), x.get("unit"), currency),
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
    findings = data.get("findings", [])
    if findings:
        rows = [[m.get(f"quality.{f.get('id')}", str(f.get("id"))),
                 m("crm.finding", table=f.get("table", ""), column=f.get("column", "")),
                 ", ".join(str(e) for e in f.get("examples", [])[:3])] for f in findings]
        blocks.append(Table([m("table.finding"), m("table.where"), m("table.examples")], rows,
                            css="rk-compact", caption=m("crm.examples_caption")))
    if not blocks:
        return None
    return section("crm_detail", m, blocks, part="appendix")
