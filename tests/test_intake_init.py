"""``revkit init`` writes intakes that validate once filled with their example rows."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from revkit.intake import contracts
from revkit.intake.authoring.init import dropdown_choices
from revkit.intake.validate import check_client


def fill_folder(folder):
    """Fill every profile value and uncomment every CSV example row, as a user would."""
    lines = []
    for line in (folder / "profile.yaml").read_text().splitlines():
        m = re.match(r"^(\w+):\s*(\S*)\s+#.*e\.g\. (.*)$", line)
        if m and m.group(1) != "teams":
            value = m.group(2) or m.group(3).strip()
            line = f"{m.group(1)}: {value}"
        elif line.startswith("  # - {"):
            line = line.replace("  # - {", "  - {")
        lines.append(line)
    (folder / "profile.yaml").write_text("\n".join(lines) + "\n")
    for csv_file in folder.glob("*.csv"):
        text = csv_file.read_text()
        csv_file.write_text(text.replace("\n# ", "\n"))


def test_folder_intake_validates_once_filled(tmp_path, run_cli):
    result = run_cli("init", "acme-analytics", "--dir", tmp_path)
    assert result.exit_code == 0
    folder = tmp_path / "acme-analytics"
    assert {p.name for p in folder.iterdir()} >= {"profile.yaml", "survey.csv", "systems.csv",
                                                   "metrics.csv", "handoffs.csv"}
    # as written, the intake is not yet valid: values are missing
    assert run_cli("validate", folder).exit_code == 2
    fill_folder(folder)
    client, problems = check_client(folder)
    assert client is not None, [p.render() for p in problems]
    assert client.slug == "acme-analytics"


def test_workbook_intake_has_dropdowns_and_validates_once_filled(tmp_path, run_cli):
    assert run_cli("init", "acme", "--excel", "--dir", tmp_path).exit_code == 0
    path = tmp_path / "acme.xlsx"
    book = load_workbook(path)
    assert {"instructions", "profile", "teams", "survey", "systems", "metrics",
            "handoffs"} <= set(book.sheetnames)
    # every enumerated column carries a dropdown
    for table in ("teams", "survey", "systems", "metrics", "handoffs"):
        contract = contracts.load(table)
        sheet = book[contract.sheet]
        validated = {str(rng).split(":")[0].rstrip("0123456789")
                     for dv in sheet.data_validations.dataValidation for rng in dv.sqref.ranges}
        for position, (name, rule) in enumerate(contract.columns.items(), start=1):
            letter = sheet.cell(row=1, column=position).column_letter
            assert (letter in validated) == (dropdown_choices(rule) is not None), (table, name)
    instructions = [c.value for row in book["instructions"].iter_rows() for c in row if c.value]
    assert "silos_01" in instructions and "win_rate" in instructions
    # fill with the contracts' examples
    profile = book["profile"]
    for row in profile.iter_rows(min_row=2):
        key = row[0].value
        if row[1].value is None:
            row[1].value = contracts.load("profile").columns[key].example
    for table in ("teams", "survey", "systems", "metrics", "handoffs"):
        contract = contracts.load(table)
        book[contract.sheet].append([r.example for r in contract.columns.values()])
    book.save(path)
    client, problems = check_client(path)
    assert client is not None, [p.render() for p in problems]


@pytest.mark.parametrize("slug", ["../evil", "Acme", "-acme", "a" * 64, "acme/x", ""])
def test_init_rejects_bad_slugs(slug, tmp_path, run_cli):
    result = run_cli("init", "--dir", tmp_path, "--", slug)
    assert result.exit_code == 2
    assert "invalid slug" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_never_overwrites(tmp_path, run_cli):
    assert run_cli("init", "acme", "--dir", tmp_path).exit_code == 0
    (tmp_path / "acme" / "survey.csv").write_text("mine")
    result = run_cli("init", "acme", "--dir", tmp_path)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (tmp_path / "acme" / "survey.csv").read_text() == "mine"


def test_init_into_a_file_is_a_clear_error(tmp_path, run_cli):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run_cli("init", "acme", "--dir", blocker)
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.stderr
