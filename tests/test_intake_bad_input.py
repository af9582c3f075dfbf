"""Every kind of bad input exits 2 with a message naming file, column and row — no traceback.

Each case mutates a copy of a valid demo client in one way.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set a CSV cell; ``row`` counts as the user sees it (header = 1)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def write_rows(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def read_rows(path: Path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def drop_column(path: Path, column: str) -> None:
    rows = read_rows(path)
    i = rows[0].index(column)
    write_rows(path, [r[:i] + r[i + 1:] for r in rows])


def duplicate_row(path: Path, row: int) -> None:
    rows = read_rows(path)
    rows.append(rows[row - 1])
    write_rows(path, rows)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (id, demo client, mutation, file, column, row or None, extra text expected in the message)
CASES = [
    ("missing-file", "nordkraft-tools", lambda d: (d / "survey.csv").unlink(),
     "survey.csv", None, None, "missing file"),
    ("empty-file", "nordkraft-tools", lambda d: (d / "systems.csv").write_text(""),
     "systems.csv", None, None, "empty"),
    ("header-only", "nordkraft-tools",
     lambda d: write_rows(d / "survey.csv", read_rows(d / "survey.csv")[:1]),
     "survey.csv", "respondent_id", 1, "no data rows"),
    ("missing-column", "nordkraft-tools", lambda d: drop_column(d / "metrics.csv", "cadence"),
     "metrics.csv", "cadence", 1, "missing column"),
    ("wrong-type-employees", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "employees: 35", "employees: lots"),
     "profile.yaml", "employees", 4, "whole number"),
    ("score-out-of-range", "nordkraft-tools", lambda d: set_cell(d / "survey.csv", 3, "score", "7"),
     "survey.csv", "score", 3, "1..5"),
    ("score-not-integer", "nordkraft-tools",
     lambda d: set_cell(d / "survey.csv", 4, "score", "3.5"),
     "survey.csv", "score", 4, "whole number"),
    ("unknown-question-near-miss", "nordkraft-tools",
     lambda d: set_cell(d / "survey.csv", 2, "question_id", "silos_1"),
     "survey.csv", "question_id", 2, "did you mean 'silos_01'"),
    ("unknown-team-in-survey", "nordkraft-tools",
     lambda d: [set_cell(d / "survey.csv", r, "team", "slaes") for r in range(2, 32)],
     "survey.csv", "team", 2, "did you mean 'sales'"),
    ("team-not-in-profile", "nordkraft-tools",
     lambda d: set_cell(d / "systems.csv", 2, "owner_team", "marketing"),
     "systems.csv", "owner_team", 2, "allowed: sales, finance"),
    ("used-by-unknown-team", "nordkraft-tools",
     lambda d: set_cell(d / "systems.csv", 3, "used_by", "sales;support"),
     "systems.csv", "used_by", 3, "'support'"),
    ("duplicate-metric", "nordkraft-tools", lambda d: duplicate_row(d / "metrics.csv", 2),
     "metrics.csv", "metric_id", 16, "must be unique"),
    ("duplicate-system", "nordkraft-tools", lambda d: duplicate_row(d / "systems.csv", 2),
     "systems.csv", "system", 6, "must be unique"),
    ("duplicate-answer", "nordkraft-tools", lambda d: duplicate_row(d / "survey.csv", 2),
     "survey.csv", "question_id", 205, "duplicate"),   # the pair's second row (appended)
    ("dangling-integration", "helix-cloud",
     lambda d: set_cell(d / "systems.csv", 3, "integrated_with", "Salesforce Sales Clod"),
     "systems.csv", "integrated_with", 3, "did you mean 'Salesforce Sales Cloud'"),
    ("dangling-source-system", "nordkraft-tools",
     lambda d: set_cell(d / "metrics.csv", 2, "source_system", "SAP"),
     "metrics.csv", "source_system", 2, "not allowed"),
    ("handoff-teams-absent", "nordkraft-tools",
     lambda d: write_rows(d / "handoffs.csv", read_rows(d / "handoffs.csv")
                          + [["mql_to_sql", "true", "true", "", "false", "false", "false"]]),
     "handoffs.csv", "handoff_id", 4, "no team marketing"),
    ("bad-yaml", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "currency: EUR", "currency: [EUR"),
     "profile.yaml", None, 7, "not valid YAML"),
    ("slug-path-traversal", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "slug: nordkraft-tools", "slug: ../../etc"),
     "profile.yaml", "slug", 2, "wrong form"),
    ("slug-uppercase", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "slug: nordkraft-tools", "slug: Nordkraft"),
     "profile.yaml", "slug", 2, "wrong form"),
    ("bad-date", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "2026-02-10", "2026-13-45"),
     "profile.yaml", "assessment_date", 9, "date"),
    ("date-wrong-format", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "2026-02-10", "02/10/2026"),
     "profile.yaml", "assessment_date", 9, "allowed: YYYY-MM-DD or DD.MM.YYYY"),
    ("date-dotted-not-a-day", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "2026-02-10", "31.02.2026"),
     "profile.yaml", "assessment_date", 9, "real calendar date"),
    ("share-above-one", "helix-cloud",
     lambda d: replace_in(d / "profile.yaml", "marketing_sourced_pipeline_share: 0.4",
                          "marketing_sourced_pipeline_share: 1.5"),
     "profile.yaml", "marketing_sourced_pipeline_share", 16, "0..1"),
    ("bad-boolean", "nordkraft-tools", lambda d: set_cell(d / "metrics.csv", 2, "automated", "maybe"),
     "metrics.csv", "automated", 2, "allowed: true/false, yes/no, 1/0, ja/nein, да/нет"),
    ("bad-cadence", "nordkraft-tools", lambda d: set_cell(d / "metrics.csv", 2, "cadence", "monthy"),
     "metrics.csv", "cadence", 2, "did you mean 'monthly'"),
    ("bad-category-case", "nordkraft-tools", lambda d: set_cell(d / "systems.csv", 2, "category", "CRM"),
     "systems.csv", "category", 2, "did you mean 'crm'"),
    ("bad-revenue-model", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "revenue_model: transactional", "revenue_model: subscription"),
     "profile.yaml", "revenue_model", 7, "recurring, transactional, hybrid"),
    ("binary-file", "nordkraft-tools",
     lambda d: (d / "survey.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
     "survey.csv", None, None, "binary"),
    ("undecidable-8-bit-file", "nordkraft-tools",
     # a lone 'è' reads as Italian in Windows-1252 and as the Cyrillic 'и' in Windows-1251
     lambda d: (d / "survey.csv").write_bytes(
         (d / "survey.csv").read_bytes().replace(b"nk-01,sales,silos_01,4,",
                                                 "nk-01,sales,silos_01,4,è lento".encode("cp1252"))),
     "survey.csv", "comment", 2, "profile.yaml naming the encoding: encoding: cp1251"),
    ("teams-missing", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "teams:\n", "staff:\n"),
     "profile.yaml", "teams", None, "'teams' is required"),
    ("unknown-team-id-in-profile", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "{team: finance,", "{team: finanse,"),
     "profile.yaml", "team", 12, "did you mean 'finance'"),
    ("respondent-in-two-teams", "nordkraft-tools",
     lambda d: set_cell(d / "survey.csv", 3, "team", "finance"),
     "survey.csv", "team", 3, "one team per respondent"),
    ("negative-headcount", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "headcount: 14,", "headcount: -3,"),
     "profile.yaml", "headcount", 11, "out of range"),
    ("ops-above-headcount", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "headcount: 3, ops_headcount: 0",
                          "headcount: 3, ops_headcount: 5"),
     "profile.yaml", "ops_headcount", 12, "cannot exceed"),
    ("ragged-row", "nordkraft-tools",
     lambda d: (d / "handoffs.csv").write_text(
         (d / "handoffs.csv").read_text() + "quote_to_cash,true\n"),
     "handoffs.csv", None, 4, "cells"),
    ("untracked-with-cadence", "nordkraft-tools",
     lambda d: set_cell(d / "metrics.csv", 3, "cadence", "weekly"),
     "metrics.csv", "cadence", 3, "not tracked"),
    ("unknown-entity", "nordkraft-tools",
     lambda d: set_cell(d / "systems.csv", 2, "source_of_truth_for", "account;deal"),
     "systems.csv", "source_of_truth_for", 2, "'deal'"),
    ("unknown-handoff", "nordkraft-tools",
     lambda d: set_cell(d / "handoffs.csv", 2, "handoff_id", "sql_to_oportunity"),
     "handoffs.csv", "handoff_id", 2, "did you mean 'sql_to_opportunity'"),
    ("negative-revenue", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "annual_revenue: 6200000", "annual_revenue: -1"),
     "profile.yaml", "annual_revenue", 5, ">= 0"),
    ("profile-not-mapping", "nordkraft-tools",
     lambda d: (d / "profile.yaml").write_text("- just\n- a list\n"),
     "profile.yaml", None, 1, "mapping"),
    ("missing-required-key", "nordkraft-tools",
     lambda d: replace_in(d / "profile.yaml", "currency: EUR\n", ""),
     "profile.yaml", "currency", None, "required"),
    ("crm-unknown-stage", "helix-cloud",
     lambda d: set_cell(d / "crm" / "sfdc_opportunities.csv", 2, "Stage", "Closed Wonn"),
     "crm/sfdc_opportunities.csv", "Stage", 2, "did you mean 'Closed Won'"),
    ("crm-bad-date", "helix-cloud",
     lambda d: set_cell(d / "crm" / "sfdc_opportunities.csv", 3, "Created Date", "13/45/2025"),
     "crm/sfdc_opportunities.csv", "Created Date", 3, "13/45/2025"),
    ("crm-unknown-preset", "helix-cloud",
     lambda d: replace_in(d / "crm" / "mapping.yaml", "preset: salesforce", "preset: salesforse"),
     "crm/mapping.yaml", "preset", 4, "did you mean 'salesforce'"),
    ("empty-required-cell", "nordkraft-tools",
     lambda d: set_cell(d / "survey.csv", 5, "respondent_id", ""),
     "survey.csv", "respondent_id", 5, "required"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_naming_file_column_row(case, copy_demo, run_cli):
    _, demo, mutate, file, column, row, expected = case
    client = copy_demo(demo)
    mutate(client)
    result = run_cli("validate", client)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.strip().startswith("error:")]
    matching = [e for e in errors if file in e and expected in e]
    assert matching, f"no error names {file} with {expected!r}:\n{result.stderr}"
    if column:
        matching = [e for e in matching if f"column '{column}'" in e]
        assert matching, f"no error names column {column!r}:\n{result.stderr}"
    if row is not None:
        assert any(f"row {row}," in e or f"row {row}:" in e for e in matching), result.stderr
    else:       # a problem of the whole file or of a missing key: no row is claimed
        assert any(", row " not in e for e in matching), result.stderr
    assert "Traceback" not in result.output


def test_at_least_25_distinct_cases():
    assert len({c[0] for c in CASES}) >= 25


def test_every_problem_is_reported_in_one_pass(copy_demo, run_cli):
    client = copy_demo("nordkraft-tools")
    set_cell(client / "survey.csv", 3, "score", "9")
    set_cell(client / "metrics.csv", 2, "cadence", "hourly")
    replace_in(client / "profile.yaml", "currency: EUR", "currency: euro")
    result = run_cli("validate", client)
    assert result.exit_code == 2
    for needle in ("survey.csv, row 3, column 'score'", "metrics.csv, row 2, column 'cadence'",
                   "profile.yaml, row 6, column 'currency'"):
        assert needle in result.stderr


def test_workbook_missing_sheet(tmp_path, run_cli):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "profile"
    path = tmp_path / "client.xlsx"
    book.save(path)
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert "client.xlsx [sheet survey]" in result.stderr and "missing sheet" in result.stderr


def test_damaged_workbook(tmp_path, run_cli):
    path = tmp_path / "client.xlsx"
    path.write_bytes(b"not a zip file at all")
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert "client.xlsx" in result.stderr and "cannot open the workbook" in result.stderr


def test_a_plain_file_is_not_a_client(tmp_path, run_cli):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    result = run_cli("validate", path)
    assert result.exit_code == 2 and "notes.txt" in result.stderr


def test_missing_path(tmp_path, run_cli):
    result = run_cli("validate", tmp_path / "nowhere")
    assert result.exit_code == 2 and "no such client folder" in result.stderr


def test_real_process_shows_no_traceback(copy_demo):
    client = copy_demo("nordkraft-tools")
    (client / "profile.yaml").write_text("name: [unclosed\n")
    proc = subprocess.run([sys.executable, "-m", "revkit", "validate", str(client)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "profile.yaml" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize("mutate, only_file", [
    (lambda d: replace_in(d / "profile.yaml", "currency: EUR", "currency: [EUR"), "profile.yaml"),
    (lambda d: (d / "profile.yaml").unlink(), "profile.yaml"),
    (lambda d: write_rows(d / "systems.csv", read_rows(d / "systems.csv")[:1]), "systems.csv"),
    (lambda d: (d / "systems.csv").write_text(""), "systems.csv"),
    (lambda d: replace_in(d / "profile.yaml", "{team: finance,", "{team: finanse,"), "profile.yaml"),
], ids=["bad-yaml", "no-profile", "header-only-systems", "empty-systems", "misspelt-team"])
def test_one_root_cause_gives_one_error_not_follow_on_errors(mutate, only_file, copy_demo):
    from revkit.intake.validate import check_client

    client = copy_demo("nordkraft-tools")
    mutate(client)
    _, problems = check_client(client)
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].file == only_file, [p.render() for p in errors]


def test_yaml_aliases_are_refused(copy_demo, run_cli):
    client = copy_demo("nordkraft-tools")
    replace_in(client / "profile.yaml", "  - {team: sales,", "  - &s {team: sales,")
    (client / "profile.yaml").write_text((client / "profile.yaml").read_text() + "  - *s\n")
    result = run_cli("validate", client)
    assert result.exit_code == 2 and "aliases" in result.stderr


def test_a_folder_where_a_file_belongs(copy_demo, run_cli):
    client = copy_demo("nordkraft-tools")
    (client / "survey.csv").unlink()
    (client / "survey.csv").mkdir()
    result = run_cli("validate", client)
    assert result.exit_code == 2 and "survey.csv is a folder" in result.stderr


def test_a_large_survey_validates(copy_demo):
    from revkit.intake.validate import check_client

    client = copy_demo("nordkraft-tools")
    rows = read_rows(client / "survey.csv")
    questions = sorted({r[2] for r in rows[1:]})
    body = [[f"x{n}", "sales", q, str(1 + n % 5), ""] for n in range(400) for q in questions]
    write_rows(client / "survey.csv", [rows[0], *body])
    found, problems = check_client(client)
    assert found is not None and len(found.survey) == len(body)
