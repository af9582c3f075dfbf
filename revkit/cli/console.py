"""Plain-text views for the terminal: validation results and client summaries."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from revkit.errors import Problem, render_grouped
from revkit.intake.model import Client


def summarize(client: Client) -> list[str]:
    """A few lines that say what a client's intake holds."""
    p = client.profile
    survey = client.survey
    respondents = survey.drop_duplicates("respondent_id")
    per_team = respondents.groupby("team").size().to_dict()
    answered = survey["score"].notna().mean() if len(survey) else 0.0
    tracked = int(client.metrics["tracked"].sum())
    defined = int(client.handoffs["defined"].sum())
    return [
        f"{p['name']} ({p['slug']}) — {p.get('industry') or 'industry not given'}, "
        f"{p['employees']} employees, {p['annual_revenue']:,.0f} {p['currency']}, "
        f"{p['revenue_model']} revenue, {p['gtm_motion']}",
        "  teams: " + ", ".join(f"{t} ({h})" for t, h in zip(client.teams["team"],
                                                            client.teams["headcount"], strict=True)),
        f"  survey: {len(respondents)} respondents ("
        + ", ".join(f"{t} {n}" for t, n in sorted(per_team.items()))
        + f"), {len(survey)} answers, {answered:.0%} with a score",
        f"  systems: {len(client.systems)}; metrics tracked: {tracked} of {len(client.metrics)}; "
        f"handoffs defined: {defined} of {len(client.handoffs)}",
    ] + _files_line(client) + _crm_line(client)


def _files_line(client: Client) -> list[str]:
    """How the files were read, where it is not UTF-8 and commas (the consultant checks it)."""
    from revkit.intake import formats, textfile

    read = [f"{file} {formats.label(encoding)}"
            + (f", {textfile.separator_name(sep)}-separated" if sep else "")
            for file, (encoding, sep) in client.read_as.items()
            if encoding != "utf-8" or sep not in (None, ",")]
    return ["  read as: " + "; ".join(read)] if read else []


def _crm_line(client: Client) -> list[str]:
    crm = client.crm
    if crm is None:
        return []
    tables = [f"{name} {len(frame)}" for name, frame in crm.tables.items()]
    return ["  crm exports: " + (", ".join(tables) or "none") + " rows"]


def print_validation(path: Path, client: Client | None, problems: list[Problem],
                     as_json: bool = False,
                     methodology: tuple[Path, list[Problem]] | None = None) -> None:
    """The intake's problems (and a methodology file's, checked with it) as text or JSON."""
    extra = methodology[1] if methodology else []
    errors = [p for p in problems + extra if p.severity == "error"]
    warnings = [p for p in problems + extra if p.severity != "error"]
    if as_json:
        report = {"path": str(path), "valid": client is not None and not errors}
        if methodology:
            report["methodology"] = str(methodology[0])
        click.echo(json.dumps({
            **report,
            "errors": [p.to_dict() for p in errors],
            "warnings": [p.to_dict() for p in warnings],
        }, ensure_ascii=False, indent=2))
        return
    if client is not None:
        click.echo(f"{path}: valid")
        for line in summarize(client):
            click.echo(line)
    _print_problems(path, client is not None, [p for p in problems if p.severity == "error"])
    if methodology:
        if extra:
            _print_problems(methodology[0], False, extra)
        else:
            click.echo(f"{methodology[0]}: valid methodology")
    for text in render_grouped(warnings):
        click.echo(f"  warning: {text}", err=True)
    sys.stderr.flush()


def score_summary(results: dict, lang: str = "en") -> list[str]:
    """A few readable lines of a result, for the terminal."""
    from revkit import messages
    from revkit.report import words
    from revkit.vocabulary import SCORE_KEYS

    m = messages.get(lang)
    rec, c = results["recommendation"], results["client"]
    lines = [m("cli.header", client=c["name"], slug=c["slug"],
               version=results["methodology_version"]),
             m("cli.verdict", verdict=words.verdict_label(m, rec["verdict"]),
               robustness=m(f"robustness.{rec['robustness_class']}"),
               confidence=m.percent_short(rec["data_confidence"]),
               complexity=m.score(rec["complexity"]), gap=m.score(rec["maturity_gap"]),
               urgency=m(f"urgency.{rec['urgency']}")),
             f"  {words.verdict_summary(m, results)}", m("cli.scores")]
    for key in SCORE_KEYS:
        lines.append(m("cli.score_line", dimension=key, score=m.score(results["scores"][key]),
                       level=results["levels"][key],
                       level_name=words.level_name(m, results["levels"][key])))
    lines.append(m("cli.factors"))
    for f in rec["factors"]:
        lines.append(m("cli.factor_line", contribution=m.signed(f["contribution"]),
                       label=words.factor_label(m, f),
                       evidence=words.factor_evidence(m, f, c["currency"])))
    lines.append(m("cli.flip", text=words.flip_text(m, rec["flip"], c["currency"])))
    lines.append(m("cli.sizing", text=words.sizing_text(m, rec.get("sizing"))))
    for kind, item, key in (("salesops_functions", "function", "cli.functions"),
                            ("revops_benefits", "benefit", "cli.benefits")):
        groups = []
        for status in ("in_place", "partial", "missing"):
            names = [m.name(item, f["id"]) for f in results["functions"][kind]
                     if f["status"] == status]
            if names:
                groups.append(m("cli.status_group", status=m(f"status.{status}").lower(),
                                names=", ".join(names)))
        lines.append(m(key, groups="; ".join(groups)))
    lines.append(m("cli.roadmap"))
    for a in results["roadmap"]:
        lines.append(m("cli.action_line", order=a["order"], phase=m(f"phase.{a['phase']}"),
                       quarter=m.quarter(a["quarter"]), title=words.action_title(m, a),
                       owner=words.role(m, a), impact=m(f"impact.{a['impact']}"),
                       weeks=m("table.weeks", count=a["effort_weeks"])))
    if results.get("assessment_notes"):
        lines.append(m("cli.notes"))
        lines += [m("cli.note_line", text=words.note_text(m, n))
                  for n in results["assessment_notes"]]
    comp = results["completeness"]
    lines.append(m("cli.completeness", overall=m.percent_short(comp["overall"]),
                   respondents=comp["respondents"],
                   rate=m.percent_short(comp["survey_answer_rate"])))
    return lines


def _print_problems(path: Path, valid: bool, errors: list[Problem]) -> None:
    if valid:
        return
    click.echo(f"{path}: invalid — {len(errors)} problem{'s' if len(errors) != 1 else ''}",
               err=True)
    for text in render_grouped(errors):
        click.echo(f"  error: {text}", err=True)
