"""The CSV reader: rows numbered as the user sees them whichever way the file is read."""

from __future__ import annotations

import pytest
from crm_fixtures import OPPORTUNITIES, write_crm

from revkit.intake.crm import check_crm
from revkit.intake.crm.csvfile import read_csv

WANTED = {"opportunity_id", "amount", "stage"}


def _read(tmp_path, text: str, wanted=WANTED):
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode("utf-8"))
    return read_csv(path, "crm/x.csv", wanted)


@pytest.mark.parametrize("text, rows", [
    (OPPORTUNITIES, [2, 3, 4, 5, 6, 7]),
    (OPPORTUNITIES.replace("\n", "\r\n"), [2, 3, 4, 5, 6, 7]),
    # a blank line inside the data still counts as a row the user sees
    (OPPORTUNITIES.replace("\nO3,", "\n\nO3,"), [2, 3, 5, 6, 7, 8]),
    # a line break inside a quoted value
    (OPPORTUNITIES.replace("O2,A2,bob", 'O2,A2,"bob\nsmith"'), [2, 3, 4, 5, 6, 7]),
    # a row of delimiters only is no record; its number is kept
    (OPPORTUNITIES.replace("\nO3,", "\n,,,,,,,\nO3,"), [2, 3, 5, 6, 7, 8]),
    # a report footer after a blank line
    (OPPORTUNITIES + '\n"Confidential Information - Do Not Distribute"\n"Copyright, 2026"\n',
     [2, 3, 4, 5, 6, 7]),
    ("\ufeff" + OPPORTUNITIES, [2, 3, 4, 5, 6, 7]),
])
def test_rows_are_numbered_as_the_user_sees_them(tmp_path, text, rows):
    raw, problems = _read(tmp_path, text)
    assert problems == []
    assert list(raw.rows) == rows
    assert set(raw.cells) == WANTED
    assert raw.cells["opportunity_id"].to_pylist() == ["O1", "O2", "O3", "O4", "O5", "O6"]


def test_a_ragged_row_is_located(tmp_path):
    raw, problems = _read(tmp_path, OPPORTUNITIES.replace("O4,A4,bob", "O4,A4,bob,x"))
    assert [(p.row, "cells" in p.message) for p in problems] == [(5, True)]


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(OPPORTUNITIES.encode() + "O7,Zürich,ann,,,open,1,\n".encode("cp1252"))
    raw, problems = read_csv(path, "crm/x.csv", WANTED)
    assert raw is None and problems[0].row == 8 and "UTF-8" in problems[0].message


def test_bad_cells_in_a_long_export_are_located_exactly(tmp_path):
    lines = [OPPORTUNITIES.splitlines()[0]]
    lines += [f"X{i},A,ann,2025-01-01,2025-02-01,won,{i},marketing" for i in range(30000)]
    lines[12346] = lines[12346].replace(",won,", ",wn,")
    lines[25001] = lines[25001].replace(",2025-02-01,", ",2025-02-31,")
    crm, problems = check_crm(write_crm(tmp_path, {"opportunities.csv": "\n".join(lines) + "\n"}))
    assert crm is None
    assert [(p.row, p.column, p.value, p.suggestion) for p in problems] == [
        (12347, "stage", "wn", "won"), (25002, "close_date", "2025-02-31", None)]
