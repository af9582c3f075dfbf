"""What the report notebook shows: results as escaped HTML blocks and tables.

``results.json`` is the artifact; these functions only render it, so a number
can never differ between the JSON, the notebook, the HTML and the PDF. Every
string that may come from a client's files goes through ``html.escape``.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

import yaml

from revkit.paths import TEMPLATES_DIR

TEMPLATE_NAME = "revkit_report"
TEMPLATE_DIR = TEMPLATES_DIR / TEMPLATE_NAME


@cache
def labels() -> dict:
    """The report's labels and colours (``templates/revkit_report/report.yaml``)."""
    with open(TEMPLATE_DIR / "report.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class Block:
    """A piece of report HTML that Jupyter displays; ``repr`` is its plain-text form."""

    def __init__(self, html_text: str, text: str):
        self.html = html_text
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def stylesheet() -> Block:
    """The CSS of the views' blocks, for a notebook opened in Jupyter (the report has its own)."""
    css = (TEMPLATE_DIR / "static" / "components.css").read_text(encoding="utf-8")
    return Block(f"<style>{css}</style>", "")


# ---------------------------------------------------------------- loading

def load_results(client_path: str | Path | None = None, results_path: str | Path | None = None,
                 methodology_path: str | Path | None = None,
                 output_dir: str | Path | None = None) -> dict:
    """The assessment results: read from ``results_path`` when given, else assessed now.

    When assessed here and ``output_dir`` is given, ``results.json`` is also
    written there, so a notebook run by hand leaves the same artifact as
    ``revkit run``.
    """
    if results_path:
        return json.loads(Path(results_path).read_text(encoding="utf-8"))
    from revkit.method.assess import assess_path

    results = assess_path(client_path, methodology_path)
    if output_dir:
        from revkit.atomic import write_text

        write_text(Path(output_dir) / "results.json", dump_results(results))
    return results


def dump_results(results: dict) -> str:
    """``results.json`` text: stable key order and formatting, so equal results give equal bytes."""
    return json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- formatting

def esc(value) -> str:
    """Any value as escaped HTML text."""
    return html.escape("" if value is None else str(value), quote=True)


def score(value) -> str:
    """A 0–100 score as shown everywhere in the report (one decimal)."""
    return "–" if value is None else f"{float(value):.1f}"


def percent(value) -> str:
    """A 0–1 share as a whole percentage."""
    return "–" if value is None else f"{float(value) * 100:.0f} %"


def team_name(team_id: str) -> str:
    from revkit import catalog

    if team_id == "pooled":
        return labels()["pooled_team"]
    entry = catalog.by_id("teams").get(team_id)
    return entry["name"] if entry else str(team_id)


def status_label(status: str | None) -> str:
    entry = labels()["status"].get(status or "")
    return entry["label"] if entry else str(status)


def verdict_label(recommendation: dict) -> str:
    verdict = recommendation.get("verdict")
    return recommendation.get("label") or labels()["verdicts"].get(verdict, {}).get("label", verdict)


def table(columns: list[str], rows: list[list], caption: str | None = None,
          numeric: set[int] = frozenset(), css: str = "") -> Block:
    """An escaped HTML table with a real ``<thead>`` (repeated on every PDF page it spans).

    Cells are escaped unless they are ``Block`` instances (already safe HTML).
    """
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            content = cell.html if isinstance(cell, Block) else esc(cell)
            cls = ' class="num"' if i in numeric else ""
            cells.append(f"<td{cls}>{content}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    markup = (f'<table class="rk-table {css}">{cap}<thead><tr>{head}</tr></thead>'
              f'<tbody>{"".join(body)}</tbody></table>')
    text_rows = [" | ".join(map(str, columns))] + [
        " | ".join(c.text if isinstance(c, Block) else str(c) for c in row) for row in rows]
    return Block(markup, "\n".join(text_rows))


def badge(status: str | None) -> Block:
    label = status_label(status)
    return Block(f'<span class="rk-badge rk-{esc(status)}">{esc(label)}</span>', label)


def _join(*blocks: Block) -> Block:
    return Block("".join(b.html for b in blocks), "\n\n".join(b.text for b in blocks))


# ---------------------------------------------------------------- sections

def summary(results: dict) -> Block:
    """The verdict banner and the headline numbers (executive summary)."""
    rec = results.get("recommendation", {})
    client = results.get("client", {})
    verdict = verdict_label(rec)
    overall = results["scores"]["overall"]
    level = results["levels"]["overall"]
    level_name = results.get("level_names", {}).get("overall", "")
    colour = labels()["verdicts"].get(rec.get("verdict"), {}).get("colour", "#0072B2")
    banner = (
        f'<div class="rk-verdict" style="border-color:{esc(colour)}">'
        f'<div class="rk-verdict-label">Recommendation</div>'
        f'<div class="rk-verdict-value" data-verdict="{esc(rec.get("verdict"))}">{esc(verdict)}</div>'
        f'<p class="rk-verdict-summary">{esc(rec.get("summary", ""))}</p>'
        f'<div class="rk-kpis">'
        f'<div class="rk-kpi"><span class="rk-kpi-value">{score(overall)}</span>'
        f'<span class="rk-kpi-label">overall score of 100</span></div>'
        f'<div class="rk-kpi"><span class="rk-kpi-value">Level {esc(level)}</span>'
        f'<span class="rk-kpi-label">{esc(level_name)}</span></div>'
        f'<div class="rk-kpi"><span class="rk-kpi-value">{percent(rec.get("confidence"))}</span>'
        f'<span class="rk-kpi-label">confidence</span></div>'
        f"</div></div>")
    text = (f"Recommendation for {client.get('name', '')}: {verdict}. Overall score "
            f"{score(overall)} of 100, level {level} ({level_name}); confidence "
            f"{percent(rec.get('confidence'))}.")
    return Block(banner, text)


def scores_table(results: dict) -> Block:
    """Score, level and benchmark band per dimension."""
    names = labels()["dimensions"]
    helps = labels()["dimension_help"]
    band = results.get("benchmark_band", {})
    rows = []
    for key, name in names.items():
        lo_hi = band.get(key)
        rows.append([name, helps.get(key, ""), score(results["scores"][key]),
                     f"{results['levels'][key]} – {results.get('level_names', {}).get(key, '')}",
                     f"{score(lo_hi[0])}–{score(lo_hi[1])}" if lo_hi else "–"])
    return table(["Dimension", "What it measures", "Score (0–100)", "Level (1–5)",
                  "Benchmark band"], rows, numeric={2}, css="rk-scores")


def subscores(results: dict) -> Block:
    """The components behind each dimension's score, in one table."""
    names = labels()["dimensions"]
    components = labels()["components"]
    rows = []
    subs = results.get("subscores", {})
    for dimension in [d for d in names if d in subs] + [d for d in subs if d not in names]:
        for key, value in subs[dimension].items():
            if isinstance(value, (dict, list)):
                continue
            rows.append([names.get(dimension, dimension),
                         components.get(key, key.replace("_", " ").capitalize()), _fmt(value)])
    return table(["Dimension", "Component", "Score (0–100)"], rows, numeric={2},
                 css="rk-compact rk-subscores")


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return score(value)
    return "–" if value is None else str(value)


def sources_of_truth(results: dict) -> Block:
    """One row per core entity: which systems claim to be its source of truth."""
    from revkit import catalog

    names = {e["id"]: e["name"] for e in catalog.entities()}
    status = labels()["sources_of_truth"]
    rows = [[names.get(s["entity"], s["entity"]), ", ".join(s.get("systems") or []) or "–",
             status.get(s.get("status"), s.get("status")),
             {True: "yes", False: "no"}.get(s.get("integrated"), "–"), score(s.get("points"))]
            for s in results.get("sources_of_truth", [])]
    return table(["Entity", "Systems that hold it as the source of truth", "Owned by",
                  "Systems integrated", "Points (0–100)"], rows, numeric={4})


def metrics_table(results: dict) -> Block:
    """The metric catalog as the client tracks it."""
    yes = {True: "yes", False: "no", None: "–"}
    scopes = labels()["scopes"]
    rows = [[m["name"], scopes.get(m.get("scope"), m.get("scope")), yes[m.get("tracked")],
             yes[m.get("documented")], yes[m.get("shared")], yes[m.get("automated")],
             m.get("cadence") or "–", score(m.get("score"))]
            for m in results.get("metric_quality", [])]
    return table(["Metric", "Set", "Tracked", "Documented", "Shared", "Automated", "Cadence",
                  "Quality"], rows, numeric={7}, css="rk-compact")


def handoffs_table(results: dict) -> Block:
    """The applicable handoffs in lifecycle order with their status."""
    rows = [[h.get("lifecycle_order"), h["name"],
             f"{team_name(h['from_team'])} → {team_name(h['to_team'])}", badge(h.get("status")),
             score(h.get("score"))]
            for h in sorted(results.get("handoffs", []), key=lambda h: h.get("lifecycle_order", 0))
            if h.get("applicable", True)]
    return table(["#", "Handoff", "From → to", "Status", "Score"], rows, numeric={4})


def survey_note(results: dict) -> Block:
    """Who answered the survey, and which teams are pooled to protect respondents."""
    survey = results.get("survey", {})
    minimum = survey.get("min_team_respondents", 3)
    teams = survey.get("teams", [])
    shown = [t for t in teams if t.get("respondents", 0) >= minimum and t["team"] != "pooled"]
    pooled = [{"team": team} for team in
              results.get("completeness", {}).get("teams_below_min_respondents", [])] or [
        t for t in teams if t.get("respondents", 0) < minimum]
    # every respondent counts, pooled ones too (results.json: completeness.respondents)
    total = results.get("completeness", {}).get("respondents",
                                                sum(t.get("respondents", 0) for t in teams))
    text = (f"{total} people answered the survey. Figures per team are shown for "
            f"{len(shown)} team{'s' if len(shown) != 1 else ''} with at least {minimum} "
            f"respondents.")
    if pooled:
        text += (" " + ", ".join(team_name(t["team"]) for t in pooled)
                 + " had fewer respondents; their answers are pooled and count in the "
                   "organisation-wide scores, so no answer can be traced back to a person.")
    gap = survey.get("perception_gap")
    if isinstance(gap, dict) and gap.get("gap") is not None:
        dim = labels()["survey_dimensions"].get(gap.get("dimension"), gap.get("dimension"))
        text += (f" The perception gap on {str(dim).lower()} — how far the teams' average "
                 f"answers lie apart — is {_fmt(gap['gap'])} points on a 0–100 scale.")
    elif isinstance(gap, (int, float)):
        text += f" The perception gap between the teams is {_fmt(gap)} points."
    return Block(f'<p class="rk-note">{esc(text)}</p>', text)


def comments(results: dict) -> Block:
    """Survey comments as quotes (only those the methodology allows to be quoted)."""
    quotes = results.get("survey", {}).get("comments", [])
    if not quotes:
        text = ("Free-text comments are not quoted in this report, as the methodology sets; "
                "they were read as part of the assessment.")
        if results.get("survey", {}).get("quote_comments"):
            text = "No respondent left a comment."
        return Block(f'<p class="rk-note">{esc(text)}</p>', text)
    items, texts = [], []
    for q in quotes:
        body = (q.get("comment") or q.get("text") or "") if isinstance(q, dict) else str(q)
        who = team_name(q["team"]) if isinstance(q, dict) and q.get("team") else ""
        cite = f"<cite>{esc(who)}</cite>" if who else ""
        items.append(f"<blockquote><p>{esc(body)}</p>{cite}</blockquote>")
        texts.append(f"“{body}” ({who})" if who else f"“{body}”")
    return Block(f'<div class="rk-quotes">{"".join(items)}</div>', "\n".join(texts))


def recommendation(results: dict) -> Block:
    """The verdict with its confidence, complexity, pain and urgency, and what would change it."""
    rec = results.get("recommendation", {})
    flip = rec.get("flip") or {}
    facts = [
        ("Recommendation", verdict_label(rec)),
        ("Confidence", percent(rec.get("confidence"))),
    ]
    if rec.get("complexity") is not None:
        facts.append(("Complexity", score(rec.get("complexity"))))
    if rec.get("pain") is not None:
        facts.append(("Pain", score(rec.get("pain"))))
    if rec.get("urgency"):
        facts.append(("Urgency", str(rec["urgency"]).capitalize()))
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    flip_text = flip.get("text") or "No single change in the inputs would change this verdict."
    head = Block(
        f'<dl class="rk-facts">{dl}</dl>'
        f'<div class="rk-callout"><strong>What would change the verdict: </strong>'
        f"{esc(flip_text)}</div>",
        "; ".join(f"{k}: {v}" for k, v in facts) + f". What would change it: {flip_text}")
    return head


def factors_table(results: dict) -> Block:
    """Each factor of the recommendation with its contribution and the evidence for it."""
    groups = labels()["factor_groups"]
    factors = sorted(results.get("recommendation", {}).get("factors", []),
                     key=lambda f: -abs(f.get("contribution") or 0))
    rows = [[f.get("label", f.get("id")), groups.get(f.get("group"), {}).get("label",
                                                                          f.get("group")),
             _signed(f.get("contribution")), f.get("evidence", "")] for f in factors]
    return table(["Factor", "Kind", "Contribution", "Evidence"], rows, numeric={2},
                 css="rk-factors")


def _signed(value) -> str:
    if value is None:
        return "–"
    return f"{float(value):+.1f}"


def functions_table(results: dict) -> Block:
    """SalesOps functions and RevOps benefits with their status and evidence."""
    profile = results.get("functions", {})
    rows = []
    for kind, title in (("salesops_functions", "SalesOps function"),
                        ("revops_benefits", "RevOps benefit")):
        for f in profile.get(kind, []):
            rows.append([f["name"], title, badge(f.get("status")), score(f.get("score")),
                         f.get("evidence", "")])
    return table(["Function or benefit", "Kind", "Status", "Score", "Evidence"], rows,
                 numeric={3}, css="rk-compact")


def ordered_actions(results: dict) -> list[dict]:
    """The roadmap's actions, phase by phase (now, next, later), in their order."""
    order = list(labels()["phases"])
    return sorted(results.get("roadmap", []),
                  key=lambda a: (order.index(a["phase"]) if a.get("phase") in order else 9,
                                 a.get("order", 0)))


def roadmap_table(results: dict) -> Block:
    """The roadmap's actions in order, grouped by phase."""
    phases = labels()["phases"]
    actions = ordered_actions(results)
    rows = [[phases.get(a.get("phase"), a.get("phase")),
             Block(f"<strong>{esc(a['title'])}</strong><br/>{esc(a.get('description', ''))}",
                   f"{a['title']}: {a.get('description', '')}"),
             team_name(a.get("owner_team", "")), a.get("impact", ""), a.get("effort", ""),
             _closes(a.get("closes"))] for a in actions]
    return table(["Phase", "Action", "Owner", "Impact", "Effort", "Closes"], rows,
                 css="rk-roadmap")


def _closes(value) -> str:
    """``"handoffs.sql_to_opportunity"`` → ``"Handoff: SQL to opportunity"`` (catalog names)."""
    from revkit import catalog

    if isinstance(value, list):
        return "; ".join(_closes(v) for v in value)
    if not value:
        return ""
    area, _, item = str(value).partition(".")
    names = {"handoffs": ("Handoff", "handoffs"), "metrics": ("Metric", "metrics")}
    if area in names and item:
        title, kind = names[area]
        entry = catalog.by_id(kind).get(item)
        return f"{title}: {entry['name'] if entry else item.replace('_', ' ')}"
    if area == "functions" and item:
        groups = catalog.functions()
        entry = {f["id"]: f for f in groups["salesops_functions"] + groups["revops_benefits"]}
        return f"Function: {entry[item]['name'] if item in entry else item.replace('_', ' ')}"
    area_name = labels()["dimensions"].get(area) or area.replace("_", " ").capitalize()
    return f"{area_name}: {item.replace('_', ' ')}" if item else area_name


def completeness(results: dict) -> Block:
    """How complete the intake was, and every validation warning."""
    comp = results.get("completeness", {})
    rows = []
    names = labels()["completeness"]
    for key, value in comp.items():
        name = names.get(key, key.replace("_", " ").capitalize())
        if isinstance(value, bool) or value is None:
            rows.append([name, _fmt(value)])
        elif isinstance(value, float):
            rows.append([name, percent(value)])  # shares are fractions 0..1
        elif isinstance(value, int):
            rows.append([name, str(value)])
        elif isinstance(value, list):
            rows.append([name, ", ".join(team_name(v) for v in value) or "none"])
        elif isinstance(value, dict):
            rows.append([name, ", ".join(f"{team_name(k)} {v}" for k, v in value.items())])
    parts = [table(["Measure", "Value"], rows, css="rk-compact")]
    warnings = results.get("warnings", [])
    if warnings:
        items = "".join(f"<li>{esc(w.get('text', w) if isinstance(w, dict) else w)}</li>"
                        for w in warnings)
        parts.append(Block(f'<ul class="rk-warnings">{items}</ul>',
                           "\n".join(str(w.get("text", w) if isinstance(w, dict) else w)
                                     for w in warnings)))
    else:
        parts.append(Block('<p class="rk-note">The intake passed validation without warnings.</p>',
                           "No validation warnings."))
    return _join(*parts)


def about(results: dict) -> Block:
    """Client profile, methodology and kit version: what this report is based on."""
    c = results.get("client", {})
    revenue = c.get("annual_revenue")
    rows = [
        ["Client", c.get("name", "")],
        ["Industry", c.get("industry", "")],
        ["Employees", c.get("employees", "")],
        ["Annual revenue", f"{revenue:,.0f} {c.get('currency', '')}" if revenue else "–"],
        ["Revenue model", str(c.get("revenue_model", "")).replace("_", " ")],
        ["Go-to-market motion", str(c.get("gtm_motion", "")).replace("_", " ")],
        ["Teams", ", ".join(f"{team_name(t['team'])} ({t.get('headcount', '?')})"
                            for t in c.get("teams", []))],
        ["Assessment date", c.get("assessment_date", "")],
        ["Methodology version", results.get("methodology_version", "")],
        ["revkit version", results.get("kit_version", "")],
    ]
    return table(["", ""], rows, css="rk-about")


def measured(results: dict) -> Block:
    """Metrics measured from the client's CRM exports, and the data-quality findings."""
    data = results.get("measured") or {}
    metrics, findings = data.get("metrics", []), data.get("findings", [])
    if not metrics and not findings:
        text = ("No CRM exports were provided, so nothing was measured from raw data; the "
                "figures in this report come from the intake and the survey.")
        return Block(f'<p class="rk-note">{esc(text)}</p>', text)
    from revkit import catalog

    names = {m["id"]: m["name"] for m in catalog.metrics()}
    currency = results.get("client", {}).get("currency", "")
    rows = []
    for m in metrics:
        bench = m.get("benchmark") or {}
        low, high = bench.get("low"), bench.get("high")
        band = (f"{measure_value(low, m.get('unit'), currency)} – "
                f"{measure_value(high, m.get('unit'), currency)}"
                if low is not None and high is not None else "–")
        period = (f"{m.get('period_start') or '?'} – {m.get('period_end') or '?'}"
                  if m.get("period_start") or m.get("period_end") else "–")
        rows.append([names.get(m["id"], m["id"]), measure_value(m.get("value"), m.get("unit"),
                                                                currency),
                     band, f"{m.get('records', 0):,}", period])
    parts = [table(["Metric", "Measured", "Benchmark", "Records", "Period"], rows,
                   numeric={1, 3}, css="rk-compact rk-measured")] if rows else []
    if findings:
        frows = [[str(f.get("id", "")).replace("_", " ").capitalize(),
                  f"{f.get('table', '')}.{f.get('column', '')}", f"{f.get('count', 0):,}",
                  percent_1(f.get("share")), ", ".join(str(e) for e in f.get("examples", [])[:3])]
                 for f in findings]
        parts.append(table(["Data-quality finding", "Where", "Records", "Share", "Examples"],
                           frows, numeric={2, 3}, caption="Data quality of the exports",
                           css="rk-compact"))
    return _join(*parts)


def percent_1(value) -> str:
    """A 0–1 share as a percentage with one decimal."""
    return "–" if value is None else f"{float(value) * 100:.1f} %"


def measure_value(value, unit: str | None, currency: str = "") -> str:
    """A measured value in its unit: fractions as percentages, amounts with the currency."""
    if value is None:
        return "–"
    value = float(value)
    if unit == "fraction":
        return percent_1(value)
    if unit == "currency":
        return f"{value:,.0f} {currency}".strip()
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "ratio":
        return f"{value:.2f}×"
    return f"{value:,.1f} {unit}" if unit else f"{value:,.1f}"
