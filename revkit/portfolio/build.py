"""The portfolio view: every client's results side by side, with percentiles.

Built only from the ``*/results.json`` files under a reports folder, so shards
run on different machines and copied into one folder merge into one
portfolio. Writes ``index.html`` (self-contained: inline CSS and SVG, no
script, no external URL, every client string escaped) and ``portfolio.csv``
(safe to open in a spreadsheet: no cell can start a formula).

Client reports never depend on the portfolio; percentiles live only here.
The standard library and the message catalogs (Babel) only — no pandas, no
matplotlib — so a batch can rebuild it cheaply; words and numbers in the page's
language, the consultancy's brand on it if one is given.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
from html import escape
from pathlib import Path
from urllib.parse import quote

from revkit import atomic, paths
from revkit.portfolio.svg import bar_chart, distribution, stacked_levels
from revkit.text import cell as sheet_cell

DIMENSIONS = ("overall", "silos", "metric_coverage", "process_alignment")
PERCENTILES = (10, 25, 50, 75, 90)
INDEX_NAME = "index.html"
CSV_NAME = "portfolio.csv"
# A spreadsheet treats a cell starting with one of these as a formula (or, for tab
# and carriage return, strips them and then does): such cells get a leading quote.


# ------------------------------------------------------------------ data

_log = logging.getLogger("revkit.portfolio.build")


def load_results(reports_dir: str | Path) -> list[tuple[str, dict]]:
    """``(folder name, results)`` for every readable ``*/results.json``, sorted by folder."""
    found = []
    for file in sorted(Path(reports_dir).glob("*/results.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            # a half-copied shard folder must not stop the portfolio, but it is said
            _log.warning("warning: %s left out of the portfolio: not readable JSON (%s)",
                         file, exc)
            continue
        if isinstance(data, dict) and isinstance(data.get("scores"), dict):
            found.append((file.parent.name, data))
        else:
            _log.warning("warning: %s left out of the portfolio: not a revkit result", file)
    return found


def _number(value) -> float | None:
    if isinstance(value, dict):  # {"score": 42.0, ...} or {"level": 3, "name": ...}
        value = next((value[k] for k in ("score", "level", "value") if k in value), None)
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _labels(m=None) -> tuple[dict[str, str], dict[int, str]]:
    """Verdict labels and level names, from the message catalog of ``m`` (default English)."""
    from revkit import messages
    from revkit.vocabulary import LEVELS, VERDICTS

    m = m or messages.get(messages.DEFAULT_LANGUAGE)
    return ({v: m(f"verdict.{v}.label") for v in VERDICTS},
            {lv: m(f"level.{lv}") for lv in LEVELS})


def portfolio_rows(entries: list[tuple[str, dict]], m=None) -> list[dict]:
    """One flat row per client: identity, verdict, levels, scores and overall percentile
    (verdict labels in the language of ``m``, default English)."""
    verdict_labels, _ = _labels(m)
    rows = []
    for folder, res in entries:
        client = res.get("client") if isinstance(res.get("client"), dict) else {}
        rec = res.get("recommendation") if isinstance(res.get("recommendation"), dict) else {}
        scores = res.get("scores") if isinstance(res.get("scores"), dict) else {}
        levels = res.get("levels") if isinstance(res.get("levels"), dict) else {}
        verdict = rec.get("verdict")
        row = {
            "folder": folder,
            "slug": str(client.get("slug") or folder),
            "name": str(client.get("name") or folder),
            "assessment_date": str(client.get("assessment_date") or ""),
            "verdict": "" if verdict is None else str(verdict),
            "verdict_label": verdict_labels.get(verdict, verdict or ""),
            "confidence": _confidence(rec.get("data_confidence", rec.get("confidence"))),
            "robustness": str(rec.get("robustness_class") or ""),
            "industry": str(client.get("industry") or ""),
            "employees": client.get("employees"),
        }
        for dim in DIMENSIONS:
            level = _number(levels.get(dim))
            row[f"{dim}_level"] = None if level is None else int(level)
            score = _number(scores.get(dim))
            row[f"{dim}_score"] = None if score is None else round(score, 1)
        row["methodology_version"] = str(res.get("methodology_version") or "")
        row["kit_version"] = str(res.get("kit_version") or "")
        rows.append(row)
    overall = [r["overall_score"] for r in rows if r["overall_score"] is not None]
    for row in rows:
        row["overall_percentile"] = percentile_rank(overall, row["overall_score"])
    return rows


def _confidence(value) -> str:
    if isinstance(value, dict):
        value = value.get("label", value.get("level", value.get("value")))
    return "" if value is None else str(value)


def percentiles(values: list[float]) -> dict[str, float]:
    """P10, P25, P50, P75, P90 with linear interpolation between ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return {}
    out = {}
    for p in PERCENTILES:
        pos = (len(ordered) - 1) * p / 100
        low, high = math.floor(pos), math.ceil(pos)
        out[f"p{p}"] = ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
    return out


def percentile_rank(values: list[float], value: float | None) -> int | None:
    """Share of the portfolio scoring below ``value`` (ties count half), in percent."""
    if value is None or not values:
        return None
    below = sum(v < value for v in values)
    ties = sum(v == value for v in values)
    return round(100 * (below + 0.5 * ties) / len(values))


# ------------------------------------------------------------------ CSV

CSV_COLUMNS = (["slug", "name", "assessment_date", "verdict", "verdict_label", "confidence"]
               + [f"{d}_{k}" for d in DIMENSIONS for k in ("level", "score")]
               + ["overall_percentile", "methodology_version", "kit_version", "report"])


def safe_cell(value) -> str:
    """A cell's text that no spreadsheet will run as a formula (a client's name such as
    ``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``); numbers stay numbers."""
    return "" if value is None else str(sheet_cell(value))


def render_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in CSV_COLUMNS])
    return buffer.getvalue()


# ------------------------------------------------------------------ HTML

_CSS = """
body{font-family:Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} p.lead{color:#555;margin-top:0}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:1rem 0}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8;position:sticky;top:0} td.n{text-align:right;font-variant-numeric:tabular-nums}
th.n{text-align:right} .wide{overflow-x:auto}
.charts{display:flex;flex-wrap:wrap;gap:2rem} figure{margin:0} figcaption{font-weight:bold;margin-bottom:.3rem}
@media print{th{position:static} .wide{overflow:visible} .charts{display:block}
  figure{break-inside:avoid;margin-bottom:1rem}}
"""


def _title(dim: str, m=None) -> str:
    if m is not None:
        return m(f"dimension.{dim}")
    return dim.replace("_", " ").capitalize()


def _cell(value, numeric: bool = False) -> str:
    text = "—" if value is None or value == "" else escape(str(value))
    return f'<td class="n">{text}</td>' if numeric else f"<td>{text}</td>"


def _thead(labels: list[str], numeric: range | set[int]) -> str:
    """A table's head: the headers of the number columns (``numeric``, by position) are
    right-aligned, as their numbers are."""
    return "<thead><tr>" + "".join(
        f'<th class="n">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
        for i, h in enumerate(labels)) + "</tr></thead>"


def _messages(m):
    from revkit import messages

    return m or messages.get(messages.DEFAULT_LANGUAGE)


def charts(rows: list[dict], m=None) -> list[tuple[str, str]]:
    """The portfolio charts as ``(caption, inline SVG)``: verdicts, levels, score distributions."""
    m = _messages(m)
    verdict_labels, level_names = _labels(m)
    names = [level_names[i] for i in range(1, 6)]
    # the methodology's verdicts in its own order (all of them, even at zero), then any other
    verdicts = {label: 0 for label in verdict_labels.values()}
    for r in rows:
        key = r["verdict_label"] or m("portfolio.charts.no_verdict")
        verdicts[key] = verdicts.get(key, 0) + 1
    level_rows = [(_title(d, m), [sum(r[f"{d}_level"] == lv for r in rows) for lv in range(1, 6)])
                  for d in DIMENSIONS]
    dist_rows = []
    for d in DIMENSIONS:
        values = [r[f"{d}_score"] for r in rows if r[f"{d}_score"] is not None]
        dist_rows.append((_title(d, m), values, percentiles(values)))
    words = {"no_clients": m("portfolio.charts.no_clients"),
             "no_scores": m("portfolio.charts.no_scores"),
             "level_count": lambda level, count: m("portfolio.charts.level_count", level=level,
                                                   count=count),
             "number": lambda value: m.number(value, 1)}
    return [
        (m("portfolio.charts.verdicts"), bar_chart(m("portfolio.charts.verdicts_title"),
                                                   list(verdicts.items()), words=words)),
        (m("portfolio.charts.levels"), stacked_levels(m("portfolio.charts.levels_title"),
                                                      level_rows, names, words=words)),
        (m("portfolio.charts.distributions"), distribution(
            m("portfolio.charts.distributions_title"), dist_rows, words=words)),
    ]


def percentile_table(rows: list[dict], m=None) -> list[dict]:
    """Per dimension: the number of clients with a score and P10..P90 of their scores."""
    table = []
    for d in DIMENSIONS:
        values = [r[f"{d}_score"] for r in rows if r[f"{d}_score"] is not None]
        pct = percentiles(values)
        table.append({"dimension": _title(d, m), "clients": len(values),
                      **{f"P{p}": round(pct[f"p{p}"], 1) if pct else None for p in PERCENTILES}})
    return table


def render_index(rows: list[dict], with_report: set[str] = frozenset(),
                 left_out: dict[str, str] | None = None, m=None, brand=None) -> str:
    """The self-contained portfolio page for ``rows`` in the language of ``m`` (default
    English), with the consultancy's ``brand`` if any; links to reports in ``with_report``;
    names the report folders in ``left_out`` (folder → why) that it does not show."""
    m = _messages(m)

    def num(value, decimals=1):
        return None if value is None else m.number(value, decimals)

    pct_table = ["<tr>" + _cell(row["dimension"]) + _cell(m.integer(row["clients"]), True)
                 + "".join(_cell(num(row[f"P{p}"]), True) for p in PERCENTILES) + "</tr>"
                 for row in percentile_table(rows, m)]
    t = "portfolio.table."
    head = ([m(t + "client"), m(t + "verdict"), m(t + "robustness"), m(t + "confidence")]
            + [m(t + "level", dimension=_title(d, m)) for d in DIMENSIONS]
            + [m(t + "score", dimension=_title(d, m)) for d in DIMENSIONS]
            + [m(t + "percentile"), m(t + "assessed")])
    body = []
    for r in rows:
        name = escape(r["name"])
        if r["folder"] in with_report:
            href = escape(f"{quote(r['folder'])}/{quote(r['folder'])}.html")
            name = f'<a href="{href}">{name}</a>'
        robust = m.get(f"robustness.{r['robustness']}", r["robustness"]) if r["robustness"] else ""
        confidence = _fraction(r["confidence"])
        body.append("<tr><td>" + name + "</td>" + _cell(r["verdict_label"]) + _cell(robust)
                    + _cell(None if confidence is None else m.percent(confidence), True)
                    + "".join(_cell(r[f"{d}_level"], True) for d in DIMENSIONS)
                    + "".join(_cell(num(r[f"{d}_score"]), True) for d in DIMENSIONS)
                    + _cell(r["overall_percentile"], True)
                    + _cell(m.date(r["assessment_date"]) if r["assessment_date"] else "") + "</tr>")
    methods = sorted({r["methodology_version"] for r in rows if r["methodology_version"]})
    lead = [m("portfolio.lead", count=len(rows))]
    if methods:
        lead.append(m("portfolio.methodology", versions=", ".join(methods)))
    title = m("portfolio.title")
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{escape(m.lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape((brand.firm + ' · ') if brand else '')}{escape(title)}</title>",
        f"<style>{_CSS}{_brand_css(brand)}</style></head><body>",
        *_brand_header(brand, m),
        f"<h1>{escape(title)}</h1>",
        '<p class="lead">' + " · ".join(escape(x) for x in lead)
        + f' · <a href="portfolio.csv">{escape(m("portfolio.csv"))}</a></p>',
        '<section class="charts">',
        *(f"<figure><figcaption>{escape(c)}</figcaption>{svg}</figure>"
          for c, svg in charts(rows, m)),
        "</section>",
        f"<h2>{escape(m('portfolio.percentiles'))}</h2>",
        "<table>" + _thead([m("portfolio.dimension"), m("portfolio.clients")]
                           + [f"P{p}" for p in PERCENTILES], range(1, 2 + len(PERCENTILES)))
        + "<tbody>", *pct_table, "</tbody></table>",
        *_peer_section(rows, m),
        f"<h2>{escape(m('portfolio.clients'))}</h2>",
        # a column per level and per score: on a narrow screen (or in a wordier language)
        # the table scrolls in its own box, not the page
        '<div class="wide"><table>' + _thead(head, range(3, len(head) - 1)) + "<tbody>",
        *body, "</tbody></table></div>",
        *_left_out_note(left_out or {}, m),
        f"<p>{escape(' '.join(m('portfolio.note').split()))}</p>",
        *_brand_footer(brand),
        "</body></html>", ""])


def _fraction(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and 0 <= number <= 1 else None


def _brand_css(brand) -> str:
    if brand is None:
        return ""
    primary = brand.primary or "#222222"
    accent = brand.accent or primary
    css = (f"h1,h2{{color:{primary}}} h2{{border-bottom:2px solid {accent};padding-bottom:.2rem}}"
           f".brand{{display:flex;align-items:center;gap:1rem;background:{primary};color:#fff;"
           "padding:.6rem 1rem;margin-bottom:1rem}.brand img{background:#fff;padding:4px;"
           "max-height:40px;max-width:200px}.brand .firm{font-weight:bold}"
           ".brand .conf{margin-left:auto;font-size:.85rem}"
           "footer{color:#555;font-size:.85rem;border-top:1px solid #ddd;margin-top:2rem;"
           "padding-top:.5rem}")
    if brand.font:
        name = brand.font.replace("\\", "").replace('"', "")
        css += f'body{{font-family:"{name}","DejaVu Sans",Helvetica,Arial,sans-serif}}'
    return css


def _brand_header(brand, m) -> list[str]:
    if brand is None:
        return []
    logo = (f'<img src="{escape(brand.logo_uri)}" alt="{escape(brand.firm)}">'
            if brand.logo_uri else "")
    by = (f" · {escape(m('portfolio.prepared_by', name=brand.prepared_by))}"
          if brand.prepared_by else "")
    conf = (f'<span class="conf">{escape(brand.confidentiality)}</span>'
            if brand.confidentiality else "")
    return [f'<header class="brand">{logo}<span class="firm">{escape(brand.firm)}</span>'
            f"<span>{by}</span>{conf}</header>"]


def _brand_footer(brand) -> list[str]:
    if brand is None or not brand.footer:
        return []
    return [f"<footer>{escape(brand.footer)}</footer>"]


def _peer_section(rows: list[dict], m=None) -> list[str]:
    """Peer bands by industry and by size (P25–P75 of each score), with how many peers."""
    from revkit.portfolio.peers import MIN_PEERS, peer_bands

    m = _messages(m)
    head = [m("portfolio.peers.column"), m("portfolio.clients")] + [_title(d, m)
                                                                    for d in DIMENSIONS]
    body = []
    for band in peer_bands(rows):
        label = m(f"portfolio.peers.{'industry' if band['kind'] == 'industry' else 'size'}",
                  group=band["group"])
        cells = [_cell(label), _cell(band["clients"], True)]
        for d in DIMENSIONS:
            b = (band["bands"] or {}).get(d)
            cells.append(_cell(m("format.range", low=m.number(b[0], 1), high=m.number(b[1], 1))
                               if b else m("portfolio.peers.too_few", count=MIN_PEERS), True))
        body.append("<tr>" + "".join(cells) + "</tr>")
    return [f"<h2>{escape(m('portfolio.peers.heading'))}</h2>",
            f"<p>{escape(' '.join(m('portfolio.peers.intro', count=MIN_PEERS).split()))}</p>",
            "<table>" + _thead(head, range(1, len(head))) + "<tbody>", *body,
            "</tbody></table>"]


def _left_out_note(left_out: dict[str, str], m=None) -> list[str]:
    if not left_out:
        return []
    m = _messages(m)
    items = "".join(f"<li>{escape(folder)}: {escape(why)}</li>"
                    for folder, why in sorted(left_out.items()))
    return [f"<h2>{escape(m('portfolio.left_out.heading'))}</h2>"
            f"<p>{escape(m('portfolio.left_out.text', count=len(left_out)))}</p><ul>{items}</ul>"]


# ------------------------------------------------------------------ build

def build_portfolio(reports_dir: str | Path, leave_out: dict[str, str] | None = None,
                    lang: str | None = None, brand=None) -> list[Path]:
    """Rebuild ``index.html`` and ``portfolio.csv`` in ``reports_dir`` from its results,
    without the report folders in ``leave_out`` (folder → why; a batch's stale reports),
    which the page lists instead. ``lang`` is the page's language (default: the clients'
    report language where they all share one, else English); ``brand`` a loaded brand."""
    from revkit import messages

    reports_dir = Path(reports_dir)
    leave_out = leave_out or {}
    entries = [(folder, res) for folder, res in load_results(reports_dir)
               if folder not in leave_out]
    shared = {res.get("report_language") for _, res in entries}
    if lang is None and len(shared) == 1 and next(iter(shared)) in messages.languages():
        lang = next(iter(shared))
    m = messages.get(lang or messages.DEFAULT_LANGUAGE)
    rows = portfolio_rows(entries, m)
    with_report = {folder for folder, _ in entries
                   if (reports_dir / folder / f"{folder}.html").is_file()}
    for row in rows:
        row["report"] = f"{row['folder']}/{row['folder']}.html" if row["folder"] in with_report else ""
    return [atomic.write_text(reports_dir / INDEX_NAME,
                              render_index(rows, with_report, leave_out, m, brand)),
            atomic.write_text(reports_dir / CSV_NAME, render_csv(rows))]


# ------------------------------------------------------------------ for the notebook

def demo_entries() -> list[tuple[str, dict]]:
    """Results of the demo clients, assessed now: a portfolio to look at before any batch."""
    from revkit.method.assess import assess_path
    from revkit.report.results import dump

    return [(p.name, json.loads(dump(assess_path(p))))
            for p in sorted(paths.DEMO_CLIENTS_DIR.iterdir()) if (p / "profile.yaml").is_file()]


def notebook_rows(reports_dir: str | Path) -> tuple[list[dict], str]:
    """The portfolio rows for ``reports_dir`` and a sentence saying where they come from;
    the demo clients when the folder holds no results yet."""
    entries = load_results(reports_dir) if Path(reports_dir).is_dir() else []
    if entries:
        from revkit.batch.summaries import left_out  # what the last batch left out

        stale = left_out(reports_dir)
        entries = [(folder, res) for folder, res in entries if folder not in stale]
    if entries:
        return portfolio_rows(entries), f"{len(entries)} clients from {reports_dir}."
    return (portfolio_rows(demo_entries()),
            f"No results.json under {reports_dir!s} yet (run `revkit batch` first): "
            "showing the demo clients, assessed now.")


def frame(rows: list[dict]):
    """``rows`` as a pandas DataFrame, one client per row, in CSV column order."""
    import pandas as pd

    columns = [c for c in CSV_COLUMNS if c != "report"]
    return pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)


def percentile_frame(rows: list[dict]):
    """``percentile_table(rows)`` as a pandas DataFrame indexed by dimension."""
    import pandas as pd

    return pd.DataFrame(percentile_table(rows)).set_index("dimension")


def charts_html(rows: list[dict]):
    """The portfolio charts for display in a notebook."""
    from IPython.display import HTML

    return HTML("".join(f"<figure><figcaption><b>{escape(t)}</b></figcaption>{svg}</figure>"
                        for t, svg in charts(rows)))
