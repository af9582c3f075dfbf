"""Rewrite a client folder as a German or Russian Excel would save it.

``localize`` writes every CSV with another separator and encoding, numbers with a
decimal comma and spaces between thousands, booleans as the words of a language and
the profile's date as DD.MM.YYYY — the same content, so the kit must read it to the
same client. It reads the original with the standard library only, never the kit.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

from revkit.intake import contracts

# how each demo client's files are saved (the rest are UTF-8 and comma-separated)
ORIGINAL_FORMS = {"trekpoint": ("cp1251", ";")}
CSV_TABLES = ("survey", "systems", "metrics", "handoffs")
BOOLEAN_WORDS = {
    "de": [("ja", "nein"), ("WAHR", "FALSCH"), ("Ja", "Nein")],
    "ru": [("да", "нет"), ("ИСТИНА", "ЛОЖЬ"), ("Да", "Нет")],
    "en": [("true", "false")],
}
TRUE_TEXT = {"true", "yes", "1", "y", "да", "ja", "wahr", "истина"}


def read_rows(path: Path, encoding: str, separator: str) -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.reader(fh, delimiter=separator))


def write_rows(path: Path, rows, encoding: str, separator: str) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=separator, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def decimal_comma(text: str, group: str = "\u00a0") -> str:
    """``1234567.5`` → ``1 234 567,5`` (a no-break space between thousands)."""
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + group.join(groups) + ("," + frac if frac else "")


def localize(source: Path, target: Path, *, encoding: str, separator: str, words: str,
             declare: bool, slug: str | None = None) -> Path:
    """A copy of the client folder ``source`` at ``target`` in another locale's forms."""
    shutil.copytree(source, target)
    enc, sep = ORIGINAL_FORMS.get(slug or source.name, ("utf-8", ","))
    choices = BOOLEAN_WORDS[words]
    for table in CSV_TABLES:
        contract = contracts.load(table)
        path = target / contract.file
        rows = read_rows(path, enc, sep)
        header = rows[0]
        types = [contract.columns[c].type if c in contract.columns else "string" for c in header]
        out = [header]
        for number, row in enumerate(rows[1:]):
            cells = []
            for kind, cell in zip(types, row, strict=True):
                if kind == "boolean" and cell:
                    yes, no = choices[number % len(choices)]
                    cell = yes if cell.strip().lower() in TRUE_TEXT else no
                elif kind == "number":
                    cell = decimal_comma(cell.replace(",", "."))
                cells.append(cell)
            out.append(cells)
        write_rows(path, out, encoding, separator)
    profile = (target / "profile.yaml").read_text(encoding="utf-8")
    profile = re.sub(r"^(assessment_date:\s*)(\d{4})-(\d{2})-(\d{2})$", r"\1\4.\3.\2", profile,
                     flags=re.M)
    profile = re.sub(r"^(annual_revenue:\s*)(\d+)$",
                     lambda m: m.group(1) + decimal_comma(m.group(2), " "), profile, flags=re.M)
    profile = re.sub(r"^(marketing_sourced_pipeline_share:\s*)(\d+\.\d+)$",
                     lambda m: m.group(1) + m.group(2).replace(".", ","), profile, flags=re.M)
    profile = re.sub(r"^encoding:.*\n", "", profile, flags=re.M)
    if declare:
        profile += f"encoding: {encoding}\n"
    (target / "profile.yaml").write_bytes(profile.encode(encoding))
    return target


def set_profile_line(folder: Path, key: str, value: str) -> None:
    """Set (or add) ``key: value`` in a folder's UTF-8 profile.yaml."""
    path = folder / "profile.yaml"
    text = path.read_text(encoding="utf-8")
    line = f"{key}: {value}"
    if re.search(rf"^{key}:", text, flags=re.M):
        text = re.sub(rf"^{key}:.*$", line, text, flags=re.M)
    else:
        text += line + "\n"
    path.write_text(text, encoding="utf-8")


def add_comments(folder: Path, comments: dict[tuple[str, str], str]) -> None:
    """Write comments into a UTF-8, comma-separated survey at (respondent, question)."""
    path = folder / "survey.csv"
    rows = read_rows(path, "utf-8", ",")
    found = set()
    for row in rows[1:]:
        key = (row[0], row[2])
        if key in comments:
            row[4] = comments[key]
            found.add(key)
    assert found == set(comments), set(comments) - found
    write_rows(path, rows, "utf-8", ",")
