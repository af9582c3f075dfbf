"""The portfolio view: every client's results side by side, with percentiles.

Built only from the ``*/results.json`` files under a reports folder, so shards
run on different machines and copied into one folder merge into one
portfolio. Writes ``index.html`` (self-contained: inline CSS and SVG, no
script, no external URL, every client string escaped) and ``portfolio.csv``
(safe to open in a spreadsheet: no cell can start a formula).

Client reports never depend on the portfolio; percentiles live only here.
Standard library only, so a batch can rebuild it cheaply.
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

DIMENSIONS = ("overall", "silos", "metric_coverage", "process_alignment")
PERCENTILES = (10, 25, 50, 75, 90)
INDEX_NAME = "index.html"
CSV_NAME = "portfolio.csv"
# A spreadsheet treats a cell starting with one of these as a formula (or, for tab
# and carriage return, strips them and then does): such cells get a leading quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def _labels() -> tuple[dict[str, str], dict[int, str]]:
    """Verdict labels and level names, from the message catalog."""
    from revkit import messages
    from revkit.vocabulary import LEVELS, VERDICTS

    m = messages.get("en")
    return ({v: m(f"verdict.{v}.label") for v in VERDICTS},
            {lv: m(f"level.{lv}") for lv in LEVELS})


def portfolio_rows(entries: list[tuple[str, dict]]) -> list[dict]:
    """One flat row per client: identity, verdict, levels, scores and overall percentile."""
    verdict_labels, _ = _labels()
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
    """A cell's text that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


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
.charts{display:flex;flex-wrap:wrap;gap:2rem} figure{margin:0} figcaption{font-weight:bold;margin-bottom:.3rem}
@media print{th{position:static} .charts{display:block} figure{break-inside:avoid;margin-bottom:1rem}}
"""


def _title(dim: str) -> str:
    return dim.replace("_", " ").capitalize()


def _cell(value, numeric: bool = False) -> str:
    text = "—" if value is None or value == "" else escape(str(value))
    return f'<td class="n">{text}</td>' if numeric else f"<td>{text}</td>"


def charts(rows: list[dict]) -> list[tuple[str, str]]:
    """The portfolio charts as ``(caption, inline SVG)``: verdicts, levels, score distributions."""
    verdict_labels, level_names = _labels()
    names = [level_names.get(i, f"Level {i}") for i in range(1, 6)]
    # the methodology's verdicts in its own order (all of them, even at zero), then any other
    verdicts = {label: 0 for label in verdict_labels.values()}
    for r in rows:
        key = r["verdict_label"] or "no verdict"
        verdicts[key] = verdicts.get(key, 0) + 1
    level_rows = [(_title(d), [sum(r[f"{d}_level"] == lv for r in rows) for lv in range(1, 6)])
                  for d in DIMENSIONS]
    dist_rows = []
    for d in DIMENSIONS:
        values = [r[f"{d}_score"] for r in rows if r[f"{d}_score"] is not None]
        dist_rows.append((_title(d), values, percentiles(values)))
    return [
        ("Verdicts", bar_chart("Clients per verdict", list(verdicts.items()))),
        ("Maturity levels", stacked_levels("Clients per maturity level", level_rows, names)),
        ("Score distributions", distribution(
            "Scores per dimension: dots are clients, box P25–P75, line median, whiskers P10–P90",
            dist_rows)),
    ]


def percentile_table(rows: list[dict]) -> list[dict]:
    """Per dimension: the number of clients with a score and P10..P90 of their scores."""
    table = []
    for d in DIMENSIONS:
        values = [r[f"{d}_score"] for r in rows if r[f"{d}_score"] is not None]
        pct = percentiles(values)
        table.append({"dimension": _title(d), "clients": len(values),
                      **{f"P{p}": round(pct[f"p{p}"], 1) if pct else None for p in PERCENTILES}})
    return table


def render_index(rows: list[dict], with_report: set[str] = frozenset(),
                 left_out: dict[str, str] | None = None) -> str:
    """The self-contained portfolio page for ``rows``; links to reports in ``with_report``;
    names the report folders in ``left_out`` (folder → why) that it does not show."""
    pct_table = ["<tr>" + "".join(_cell(v, i > 0) for i, v in enumerate(row.values())) + "</tr>"
                 for row in percentile_table(rows)]

    head = ["Client", "Verdict", "Confidence"] + [f"{_title(d)} level" for d in DIMENSIONS] + [
        f"{_title(d)} score" for d in DIMENSIONS] + ["Overall percentile", "Assessed"]
    body = []
    for r in rows:
        name = escape(r["name"])
        if r["folder"] in with_report:
            href = escape(f"{quote(r['folder'])}/{quote(r['folder'])}.html")
            name = f'<a href="{href}">{name}</a>'
        body.append("<tr><td>" + name + "</td>" + _cell(r["verdict_label"]) + _cell(r["confidence"])
                    + "".join(_cell(r[f"{d}_level"], True) for d in DIMENSIONS)
                    + "".join(_cell(r[f"{d}_score"], True) for d in DIMENSIONS)
                    + _cell(r["overall_percentile"], True) + _cell(r["assessment_date"]) + "</tr>")
    methods = sorted({r["methodology_version"] for r in rows if r["methodology_version"]})
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>revkit portfolio</title>", f"<style>{_CSS}</style></head><body>",
        "<h1>RevOps maturity portfolio</h1>",
        f'<p class="lead">{len(rows)} client{"s" if len(rows) != 1 else ""}'
        + (f" · methodology {escape(', '.join(methods))}" if methods else "")
        + ' · <a href="portfolio.csv">portfolio.csv</a></p>',
        '<section class="charts">',
        *(f"<figure><figcaption>{escape(t)}</figcaption>{svg}</figure>"
          for t, svg in charts(rows)),
        "</section>",
        "<h2>Percentiles</h2>",
        "<table><thead><tr><th>Dimension</th><th>Clients</th>"
        + "".join(f"<th>P{p}</th>" for p in PERCENTILES) + "</tr></thead><tbody>",
        *pct_table, "</tbody></table>",
        *_peer_section(rows),
        "<h2>Clients</h2>",
        "<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>",
        *body, "</tbody></table>",
        *_left_out_note(left_out or {}),
        "<p>Percentiles compare each client with this portfolio only; a client's own report "
        "does not depend on them.</p>",
        "</body></html>", ""])


def _peer_section(rows: list[dict]) -> list[str]:
    """Peer bands by industry and by size (P25–P75 of each score), with how many peers."""
    from revkit.portfolio.peers import MIN_PEERS, peer_bands

    head = ["Peers", "Clients"] + [_title(d) for d in DIMENSIONS]
    body = []
    for band in peer_bands(rows):
        label = ("Industry: " if band["kind"] == "industry" else "Employees: ") + band["group"]
        cells = [_cell(label), _cell(band["clients"], True)]
        for d in DIMENSIONS:
            b = (band["bands"] or {}).get(d)
            cells.append(_cell(f"{b[0]}–{b[1]}" if b else f"fewer than {MIN_PEERS} peers", True))
        body.append("<tr>" + "".join(cells) + "</tr>")
    return ["<h2>Peer bands</h2>",
            f"<p>The middle half (P25–P75) of the scores of comparable clients in this "
            f"portfolio, by industry and by company size; a band needs at least {MIN_PEERS} "
            "clients. The reports' reference bands are set by the methodology; these are "
            "measured.</p>",
            "<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head)
            + "</tr></thead><tbody>", *body, "</tbody></table>"]


def _left_out_note(left_out: dict[str, str]) -> list[str]:
    if not left_out:
        return []
    items = "".join(f"<li>{escape(folder)}: {escape(why)}</li>"
                    for folder, why in sorted(left_out.items()))
    return [f"<h2>Left out</h2><p>{len(left_out)} report folder"
            f"{'s' if len(left_out) != 1 else ''} of clients no longer in the batch's input "
            f"(<code>revkit batch --prune</code> removes them):</p><ul>{items}</ul>"]


# ------------------------------------------------------------------ build

def build_portfolio(reports_dir: str | Path, leave_out: dict[str, str] | None = None) -> list[Path]:
    """Rebuild ``index.html`` and ``portfolio.csv`` in ``reports_dir`` from its results,
    without the report folders in ``leave_out`` (folder → why; a batch's stale reports),
    which the page lists instead."""
    reports_dir = Path(reports_dir)
    leave_out = leave_out or {}
    entries = [(folder, res) for folder, res in load_results(reports_dir)
               if folder not in leave_out]
    rows = portfolio_rows(entries)
    with_report = {folder for folder, _ in entries
                   if (reports_dir / folder / f"{folder}.html").is_file()}
    for row in rows:
        row["report"] = f"{row['folder']}/{row['folder']}.html" if row["folder"] in with_report else ""
    return [atomic.write_text(reports_dir / INDEX_NAME, render_index(rows, with_report, leave_out)),
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
