"""``revkit init``: write a ready-to-fill intake for a new client.

Everything written here comes from the data contracts and catalogs: column
names, descriptions, example values, and the Excel dropdowns.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from revkit import catalog
from revkit.atomic import output_root, write_bytes, write_text
from revkit.errors import UsageError
from revkit.intake import cells, contracts

SLUG_RE = re.compile(rf"^(?:{contracts.load('profile').columns['slug'].pattern})$")
BOOLEAN_CHOICES = ["true", "false"]


def check_slug(slug: str) -> str:
    """The slug if it is allowed, else a ``UsageError`` saying what is."""
    if not SLUG_RE.match(slug):
        raise UsageError(
            f"invalid slug {slug!r}: use lower-case letters, digits and '-', starting with a "
            "letter or digit, at most 63 characters (e.g. acme-analytics)")
    return slug


def write_intake(slug: str, directory: str | Path = ".", excel: bool = False) -> Path:
    """Write ``DIR/SLUG/`` (folder intake) or ``DIR/SLUG.xlsx``; refuse to overwrite."""
    check_slug(slug)
    directory = Path(directory)
    target = directory / (f"{slug}.xlsx" if excel else slug)
    if target.exists():
        raise UsageError(f"{target} already exists; choose another slug or --dir")
    output_root(directory)
    if excel:
        write_bytes(target, workbook_bytes(slug))
    else:
        target.mkdir()
        for name, text in folder_files(slug).items():
            write_text(target / name, text)
    return target


# ---------------------------------------------------------------- folder

def example_value(rule) -> str:
    value = rule.example
    if value is None:
        return ""
    return str(value)


def profile_yaml(slug: str) -> str:
    contract = contracts.load("profile")
    teams = contracts.load("teams")
    lines = [
        "# Client profile (spec §3). Fill in every value; lines marked optional may stay empty.",
        "# Team ids: " + ", ".join(catalog.team_ids()),
        "",
    ]
    for name, rule in contract.columns.items():
        value = slug if name == "slug" else ""
        note = "optional; " if not rule.required or rule.nullable else ""
        allowed = f" One of: {', '.join(rule.allowed)}." if rule.allowed else ""
        lines.append(f"{name}: {value}".rstrip().ljust(40)
                     + f"  # {note}{rule.description}{allowed} e.g. {example_value(rule)}")
    example = ", ".join(f"{c}: {example_value(r)}" for c, r in teams.columns.items())
    lines += ["teams:                                  # one line per team that exists",
              f"  # - {{{example}}}", ""]
    return "\n".join(lines)


def csv_template(table: str) -> str:
    contract = contracts.load(table)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(contract.columns))
    row = [example_value(r) for r in contract.columns.values()]
    row[0] = "# " + row[0]
    writer.writerow(row)
    return buf.getvalue()


def folder_files(slug: str) -> dict[str, str]:
    files = {"profile.yaml": profile_yaml(slug)}
    for table in ("survey", "systems", "metrics", "handoffs"):
        files[contracts.load(table).file] = csv_template(table)
    files["README.txt"] = readme_text()
    return files


def readme_text() -> str:
    parts = [
        "How to fill this intake",
        "=======================",
        "Fill profile.yaml, then add rows to each CSV below its header (UTF-8, comma-separated;",
        "';' or tab and Windows-1251/1252 files are read too: see encoding: in profile.yaml).",
        "The line starting with '#' in each CSV is an example and is ignored; delete it or keep it.",
        f"Lists are ';'-separated. Booleans: {cells.boolean_forms()}. Then run: revkit validate .",
        "",
    ]
    for table, contract in contracts.all_contracts().items():
        if table == "profile":
            continue
        parts.append(f"{contract.file if table != 'teams' else 'profile.yaml: teams'}"
                     f" — {contract.description}")
        for name, rule in contract.columns.items():
            parts.append(f"  {name}: {rule.description}{_allowed_note(rule)}")
        parts.append("")
    parts.append("Questions (survey.csv question_id):")
    parts += [f"  {q['id']} [{q['dimension']}] {q['text']}" for q in catalog.with_texts("questions")]
    parts.append("")
    parts.append("Metrics (metrics.csv metric_id):")
    parts += [f"  {m['id']} [{m['scope']}] {m['name']}: {m['formula']}"
              for m in catalog.with_texts("metrics")]
    return "\n".join(parts) + "\n"


def _allowed_note(rule) -> str:
    if rule.allowed:
        return f" One of: {', '.join(rule.allowed)}."
    if rule.allowed_from and rule.allowed_from.startswith("catalog:"):
        return f" From `revkit catalog {rule.allowed_from.split(':')[1]}`."
    return ""


# ---------------------------------------------------------------- workbook

def dropdown_choices(rule) -> list[str] | None:
    """Values for an Excel dropdown, or None where the column is free text."""
    if rule.type == "boolean":
        return BOOLEAN_CHOICES
    if rule.type == "list":
        return None  # ';'-lists cannot be a single dropdown choice
    if rule.allowed:
        return list(rule.allowed)
    if rule.allowed_from in ("catalog:teams", "profile:teams"):
        return catalog.team_ids()
    if rule.allowed_from and rule.allowed_from.startswith("kit:"):
        return contracts.catalog_context()[rule.allowed_from]
    if rule.allowed_from and rule.allowed_from.startswith("catalog:"):
        return catalog.ids(rule.allowed_from.split(":")[1])
    return None


def workbook_bytes(slug: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    info = book.active
    info.title = "instructions"
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    list_columns: dict[tuple, str] = {}

    def list_range(values: list[str]) -> str:
        key = tuple(values)
        if key not in list_columns:
            col = len(list_columns) + 1
            letter = lists.cell(row=1, column=col).column_letter
            for i, value in enumerate(values, start=1):
                lists.cell(row=i, column=col, value=value)
            list_columns[key] = f"lists!${letter}$1:${letter}${len(values)}"
        return list_columns[key]

    # profile: key / value / description
    profile = book.create_sheet("profile")
    profile.append(["key", "value", "description"])
    for cell in profile[1]:
        cell.font, cell.fill = bold, header_fill
    for number, (name, rule) in enumerate(contracts.load("profile").columns.items(), start=2):
        profile.append([name, slug if name == "slug" else None,
                        f"{rule.description} e.g. {example_value(rule)}"])
        choices = dropdown_choices(rule)
        if choices:
            dv = DataValidation(type="list", formula1=f"={list_range(choices)}", allow_blank=True)
            profile.add_data_validation(dv)
            dv.add(f"B{number}")
    profile.column_dimensions["A"].width = 34
    profile.column_dimensions["B"].width = 28
    profile.column_dimensions["C"].width = 90

    for table in ("teams", "survey", "systems", "metrics", "handoffs"):
        contract = contracts.load(table)
        sheet = book.create_sheet(contract.sheet)
        sheet.append(list(contract.columns))
        for position, (name, rule) in enumerate(contract.columns.items(), start=1):
            cell = sheet.cell(row=1, column=position)
            cell.font, cell.fill = bold, header_fill
            cell.comment = Comment(f"{rule.description}\ne.g. {example_value(rule)}", "revkit")
            sheet.column_dimensions[cell.column_letter].width = max(14, len(name) + 4)
            choices = dropdown_choices(rule)
            if choices:
                dv = DataValidation(type="list", formula1=f"={list_range(choices)}",
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle=f"{name}: not allowed",
                                    error="Pick a value from the list.")
                sheet.add_data_validation(dv)
                dv.add(f"{cell.column_letter}2:{cell.column_letter}5000")
        sheet.freeze_panes = "A2"

    _write_instructions(info, slug, bold)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _write_instructions(sheet, slug: str, bold) -> None:
    rows = [
        [f"revkit intake for '{slug}'"],
        ["Fill the profile sheet (key/value), one row per team on the teams sheet, then the "
         "survey, systems, metrics and handoffs sheets. Dropdowns list the allowed values. "
         "Lists are ';'-separated. Then run: revkit validate " + f"{slug}.xlsx"],
        [],
        ["Questions", "dimension", "statement (1 strongly disagree .. 5 strongly agree)"],
    ]
    rows += [[q["id"], q["dimension"], q["text"]] for q in catalog.with_texts("questions")]
    rows += [[], ["Metrics", "scope", "name", "formula"]]
    rows += [[m["id"], m["scope"], m["name"], m["formula"]] for m in catalog.with_texts("metrics")]
    rows += [[], ["Handoffs", "from team", "to team", "name"]]
    rows += [[h["id"], h["from_team"], h["to_team"], h["name"]]
             for h in catalog.with_texts("handoffs")]
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        if row and row[0].value in ("Questions", "Metrics", "Handoffs") or row[0].row == 1:
            for cell in row:
                cell.font = bold
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["C"].width = 100
