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
    for table in ("teams", "survey", "systems", "metrics", "handoffs"):
        sheet = book.create_sheet(contracts.load(table).sheet)
        frame = raw.tables[table].frame
        sheet.append(list(frame.columns))
        for record in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in record])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # free text such as '=SUM(...)' stays text
    buf = io.BytesIO()
    book.save(buf)
    return write_bytes(target, buf.getvalue())


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


