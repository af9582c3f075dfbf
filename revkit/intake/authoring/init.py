"""``revkit init``: write a ready-to-fill intake for a new client.

Everything written here comes from the data contracts and catalogs: column
names, example values and the Excel dropdowns; the instructions and what each
column is for are messages (``intake.*``) in the intake's language. Ids, column
and sheet names and allowed values stay the same in every language.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from revkit import catalog, messages
from revkit.atomic import output_root, write_bytes, write_text
from revkit.errors import UsageError
from revkit.intake import cells, contracts, readers

SLUG_RE = re.compile(contracts.load('profile').columns['slug'].pattern)
BOOLEAN_CHOICES = ["true", "false"]


def check_slug(slug: str) -> str:
    """The slug if it is allowed, else a ``UsageError`` saying what is."""
    if not SLUG_RE.fullmatch(slug):
        raise UsageError(
            f"invalid slug {slug!r}: use lower-case letters, digits and '-', starting with a "
            "letter or digit, at most 63 characters (e.g. acme-analytics)")
    return slug


def write_intake(slug: str, directory: str | Path = ".", excel: bool = False,
                 lang: str | None = None) -> Path:
    """Write ``DIR/SLUG/`` (folder intake) or ``DIR/SLUG.xlsx``, its texts in ``lang``;
    refuse to overwrite."""
    check_slug(slug)
    lang = messages.check_language(lang)
    directory = Path(directory)
    target = directory / (f"{slug}.xlsx" if excel else slug)
    if target.exists():
        raise UsageError(f"{target} already exists; choose another slug or --dir")
    output_root(directory)
    if excel:
        write_bytes(target, workbook_bytes(slug, lang))
    else:
        target.mkdir()
        for name, text in folder_files(slug, lang).items():
            write_text(target / name, text)
    return target


# ---------------------------------------------------------------- folder

def example_value(rule) -> str:
    value = rule.example
    if value is None:
        return ""
    return str(value)


def describe(m, table: str, column: str) -> str:
    """What a contract's column is for, in the language of ``m``."""
    return m(f"intake.column.{table}.{column}")


def profile_yaml(slug: str, lang: str = "en") -> str:
    m = messages.get(lang)
    contract = contracts.load("profile")
    teams = contracts.load("teams")
    lines = [m("intake.profile.header"),
             m("intake.profile.team_ids", ids=", ".join(catalog.team_ids())), ""]
    for name, rule in contract.columns.items():
        value = slug if name == "slug" else ""
        note = m("intake.profile.optional") if not rule.required or rule.nullable else ""
        allowed = m("intake.profile.one_of", values=", ".join(rule.allowed)) if rule.allowed else ""
        lines.append(f"{name}: {value}".rstrip().ljust(40)
                     + f"  # {note}{describe(m, 'profile', name)}{allowed}"
                     + m("intake.profile.example", value=example_value(rule)))
    example = ", ".join(f"{c}: {example_value(r)}" for c, r in teams.columns.items())
    lines += ["teams:".ljust(40) + m("intake.profile.teams"),
              f"  # - {{{example}}}", ""]
    return "\n".join(lines)


def csv_template(table: str) -> str:
    contract = contracts.load(table)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(contract.columns))
    row = [example_value(r) for r in contract.columns.values()]
    row[0] = readers.COMMENT + row[0]
    writer.writerow(row)
    return buf.getvalue()


def folder_files(slug: str, lang: str = "en") -> dict[str, str]:
    files = {"profile.yaml": profile_yaml(slug, lang)}
    for table in ("survey", "systems", "metrics", "handoffs"):
        files[contracts.load(table).file] = csv_template(table)
    files["README.txt"] = readme_text(lang)
    return files


def readme_text(lang: str = "en") -> str:
    m = messages.get(lang)
    title = m("intake.readme.title")
    parts = [title, "=" * len(title),
             *m("intake.readme.intro", booleans=cells.boolean_forms()).splitlines(), ""]
    for table, contract in contracts.all_contracts().items():
        if table == "profile":
            continue
        parts.append(f"{contract.file if table != 'teams' else m('intake.readme.teams_file')}"
                     f" — {m(f'intake.table.{table}')}")
        for name, rule in contract.columns.items():
            parts.append(f"  {name}: {describe(m, table, name)}{_allowed_note(m, rule)}")
        parts.append("")
    parts.append(m("intake.readme.questions"))
    parts += [f"  {q['id']} [{q['dimension']}] {q['text']}"
              for q in catalog.with_texts("questions", lang)]
    parts.append("")
    parts.append(m("intake.readme.metrics"))
    parts += [f"  {x['id']} [{x['scope']}] {x['name']}: {x['formula']}"
              for x in catalog.with_texts("metrics", lang)]
    return "\n".join(parts) + "\n"


def _allowed_note(m, rule) -> str:
    if rule.allowed:
        return m("intake.profile.one_of", values=", ".join(rule.allowed))
    if rule.allowed_from and rule.allowed_from.startswith("catalog:"):
        return m("intake.readme.from_catalog", name=rule.allowed_from.split(":")[1])
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


def workbook_bytes(slug: str, lang: str = "en") -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    m = messages.get(lang)
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
                        m("intake.workbook.described", description=describe(m, "profile", name),
                          example=example_value(rule))])
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
            cell.comment = Comment(m("intake.workbook.comment", description=describe(m, table, name),
                                     example=example_value(rule)), "revkit")
            sheet.column_dimensions[cell.column_letter].width = max(14, len(name) + 4)
            choices = dropdown_choices(rule)
            if choices:
                dv = DataValidation(type="list", formula1=f"={list_range(choices)}",
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle=m("intake.workbook.not_allowed", name=name),
                                    error=m("intake.workbook.pick"))
                sheet.add_data_validation(dv)
                dv.add(f"{cell.column_letter}2:{cell.column_letter}5000")
        sheet.freeze_panes = "A2"

    _write_instructions(info, slug, bold, m)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _write_instructions(sheet, slug: str, bold, m) -> None:
    w = "intake.workbook."
    rows = [
        [m(w + "title", slug=slug)],
        [m(w + "intro", file=f"{slug}.xlsx")],
        [],
        [m(w + "questions"), m(w + "dimension"), m(w + "statement")],
    ]
    headings = [1, len(rows)]
    rows += [[q["id"], q["dimension"], q["text"]] for q in catalog.with_texts("questions", m.lang)]
    rows += [[], [m(w + "metrics"), m(w + "scope"), m(w + "name"), m(w + "formula")]]
    headings.append(len(rows))
    rows += [[x["id"], x["scope"], x["name"], x["formula"]]
             for x in catalog.with_texts("metrics", m.lang)]
    rows += [[], [m(w + "handoffs"), m(w + "from_team"), m(w + "to_team"), m(w + "name")]]
    headings.append(len(rows))
    rows += [[h["id"], h["from_team"], h["to_team"], h["name"]]
             for h in catalog.with_texts("handoffs", m.lang)]
    for row in rows:
        sheet.append(row)
    for number in headings:
        for cell in sheet[number]:
            cell.font = bold
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["C"].width = 100
