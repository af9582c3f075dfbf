"""Client workbooks for tests: a macro-enabled one (.xlsm) made from a client folder."""

from __future__ import annotations

import zipfile
from pathlib import Path

from revkit.intake.authoring.convert import folder_to_workbook

_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_SHEET = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def write_xlsm(folder: str | Path, target: str | Path) -> Path:
    """``target`` (.xlsm) holding the tables of the client folder ``folder``.

    The workbook part is declared macro-enabled, as Excel saves an ``.xlsm`` (with no
    macros in it): only the package's content types differ from an ``.xlsx``."""
    target = Path(target)
    plain = folder_to_workbook(folder, target.with_name(target.stem + ".tmp.xlsx"))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                assert _SHEET.encode() in data
                data = data.replace(_SHEET.encode(), _MACRO_SHEET.encode())
            out.writestr(item, data)
    plain.unlink()
    return target
