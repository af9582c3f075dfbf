"""Convert a client folder into the equivalent Excel workbook (same tables, same columns).

Consultants who collect answers in a folder can hand the client a workbook, and
the tests use it to check that both forms load to equal clients.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from revkit.atomic import write_bytes
from revkit.errors import ValidationFailed
from revkit.intake import contracts
from revkit.intake.readers import read_client
from revkit.text import FORMULA_STARTS


def folder_to_workbook(folder: str | Path, target: str | Path) -> Path:
    """Write ``target`` (.xlsx) holding the tables of the client folder ``folder``."""
    from openpyxl import Workbook

    raw = read_client(folder)
    errors = [p for p in raw.problems if p.severity == "error"]
    if errors:
        raise ValidationFailed(source=str(folder), problems=errors)
    book = Workbook()
    profile = book.active
    profile.title = "profile"
    profile.append(["key", "value"])
    for key, value in raw.profile.items():
        profile.append([key, _cell(value)])
        _as_text(profile[profile.max_row])
    for table in ("teams", "survey", "systems", "metrics", "handoffs"):
        sheet = book.create_sheet(contracts.load(table).sheet)
        frame = raw.tables[table].frame
        sheet.append(list(frame.columns))
        _as_text(sheet[1])  # a column the client added is named by the client
        for record in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in record])
            _as_text(sheet[sheet.max_row])
    buf = io.BytesIO()
    book.save(buf)
    return write_bytes(target, buf.getvalue())


def _as_text(cells) -> None:
    """Free text such as '=SUM(...)' or '+1' stays text: a string cell with Excel's quote
    prefix (the value itself is unchanged, so the workbook reads back equal)."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True


def _cell(text):
    """Numbers, booleans and dates as Excel would hold them; the rest as text."""
    if text is None or text == "":
        return None
    text = str(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        pass
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


