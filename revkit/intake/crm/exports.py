"""Read CRM export CSVs through a mapping into canonical, typed frames.

Each canonical frame has the canonical columns the mapping names (dates as
``datetime64``, amounts as floats, texts with NA where empty), a ``row``
column with the row as the user sees it (header = 1), and for stages and
sources both the export value (``stage``, ``source``) and its class
(``stage_class``, ``source_class``). Columns listed under ``keep`` come along
under their export names.

An empty cell is not an error here (the quality checks count it); a
non-empty cell that cannot be read is, as is a mapped column missing from
the export or an export file the mapping names that does not exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

from revkit.errors import Problem
from revkit.intake.contracts import allowed_text, suggest
from revkit.intake.crm.mapping import TableMapping, canonical

ISO_DAY = r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$"
ISO_MONTH = r"^(\d{4}-\d{2})(?:-\d{2})?(?:[T ].*)?$"
EXAMPLE_DAY = dt.date(2026, 3, 16)
TIME_DIRECTIVE = re.compile(r"%[HIMSpfzZXc]")
TRAILING_TIME = (r"[,T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?"
                 r"\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?$")


def read_export(crm_dir: Path, mapping: TableMapping) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The canonical frame of one table (None if its file is absent) and its problems."""
    file = f"crm/{mapping.file}"
    path = crm_dir / mapping.file
    if not path.is_file():
        if not mapping.explicit:
            return None, []  # a preset's default file name: the table is simply not given
        return None, [Problem(file=file, message=f"missing file: crm/mapping.yaml names "
                              f"'{mapping.file}' for {mapping.table}",
                              allowed=allowed_text(sorted(p.name for p in crm_dir.glob("*.csv"))))]
    raw, problems = read_csv(path, file)
    if raw is None:
        return None, problems
    frame, more = to_canonical(raw, mapping, file)
    return frame, problems + more


def read_csv(path: Path, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """All-text cells indexed by the user's row number (header = row 1)."""
    data = path.read_bytes()
    if not data.strip():
        return None, [Problem(file=file, message="the file is empty",
                              allowed="a CSV export with a header row")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(file=file, row=line, message="the file is not UTF-8 text "
                              "(export or save it as 'CSV UTF-8')", allowed="UTF-8 text")]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        return None, [Problem(file=file, message=f"the file is not valid CSV: {exc}")]
    header = [h.strip() for h in rows[0]]
    records, index, ragged, after_blank = [], [], [], False
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            after_blank = True
            continue
        if after_blank and len(row) == 1 and len(header) > 1:
            continue  # report footer (Salesforce adds a confidentiality line and a copyright)
        if len(row) != len(header):
            ragged.append((number, len(row)))
            continue
        records.append(row)
        index.append(number)
    problems = _ragged_rows(ragged, len(header), file)
    frame = pd.DataFrame(records, columns=header, index=index, dtype=object)
    # spreadsheet tools leave unnamed empty columns at the right; they carry nothing
    unnamed = [i for i, name in enumerate(header)
               if name == "" and not frame.iloc[:, i].astype("str").str.strip().any()]
    frame = frame.iloc[:, [i for i in range(len(header)) if i not in unnamed]]
    # a report may repeat a label (two objects' "Created Date"); only a mapped one is a problem
    frame.attrs["duplicate_columns"] = sorted(set(frame.columns[frame.columns.duplicated()]))
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return frame, problems


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab a spreadsheet in some locales writes instead."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _ragged_rows(ragged: list, width: int, file: str) -> list[Problem]:
    limit = canonical()["cell_problems_per_column"]
    message = "row has {} cells but the header has {} (a comma inside a value needs quotes)"
    if len(ragged) > limit:
        rows = ", ".join(str(r) for r, _ in ragged[:limit])
        return [Problem(file=file, row=ragged[0][0], message=message.format(ragged[0][1], width)
                        + f" — {len(ragged)} rows ({rows}, …)")]
    return [Problem(file=file, row=row, message=message.format(n, width)) for row, n in ragged]


def to_canonical(raw: pd.DataFrame, mapping: TableMapping, file: str
                 ) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed canonical columns of one export; problems name the export's columns."""
    types = canonical()["tables"][mapping.table]["columns"]
    header = list(raw.columns)
    problems: list[Problem] = []
    wanted = [(name, export) for name, export in mapping.columns.items()]
    wanted += [(None, export) for export in mapping.keep]
    duplicated = set(raw.attrs.get("duplicate_columns", ()))
    for name, export in wanted:
        if export in duplicated:
            problems.append(Problem(
                file=file, row=1, column=export, message=f"the header names '{export}' more "
                "than once, so the mapping cannot tell which one is meant",
                allowed="rename one of them in the export"))
        if export not in raw.columns:
            feeds = f" (mapped to '{name}')" if name else " (listed under 'keep')"
            problems.append(Problem(
                file=file, row=1, column=export, message=f"missing column '{export}'{feeds}",
                allowed=allowed_text(header), suggestion=suggest(export, header)))
    out = pd.DataFrame(index=raw.index)
    out["row"] = raw.index.astype("int64")
    for name, export in mapping.columns.items():
        if export not in raw.columns:
            continue
        text = raw[export].astype("str").str.strip()
        empty = text == ""
        kind = types[name]
        if kind == "text":
            out[name] = text.where(~empty)
        elif kind in ("date", "month"):
            values = _dates(text, mapping.date_format, month=kind == "month")
            bad = ~empty & values.isna()
            problems += _bad_cells(text[bad], file, export, f"'{name}' must be "
                                   f"{'a month' if kind == 'month' else 'a date'}",
                                   _date_allowed(mapping.date_format, kind == "month"))
            out[name] = values
        elif kind == "amount":
            values = pd.to_numeric(text.where(~empty), errors="coerce")
            values = values.where(values.abs() != float("inf"))
            bad = ~empty & values.isna()
            problems += _bad_cells(text[bad], file, export, f"'{name}' must be a number",
                                   "a number with '.' for decimals and no thousands separator")
            out[name] = values.astype("float64")
        else:  # stage or source: an export value mapped to a class
            classes = mapping.stages if kind == "stage" else mapping.sources
            known = text.isin(list(classes))
            bad = ~empty & ~known
            choices = list(classes)
            problems += _bad_cells(
                text[bad], file, export, f"'{name}' has a value crm/mapping.yaml does not list "
                f"under '{kind}s'", allowed_text(choices), choices)
            out[name] = text.where(known)
            out[f"{name}_class"] = text.map(classes).where(known)
    for export in mapping.keep:
        if export in raw.columns and export not in out.columns:
            out[export] = raw[export].astype("str").str.strip()
    if "stage" in out:
        order = {value: i for i, value in enumerate(mapping.stage_order)}
        out["stage_order"] = out["stage"].map(order).astype("Float64")
    return out, problems


def _dates(text: pd.Series, fmt: str | None, month: bool) -> pd.Series:
    """Parsed dates (month columns: the month's first day); NaT where not readable."""
    if fmt is None:
        part = text.str.extract(ISO_MONTH if month else ISO_DAY, expand=False)
        if month:
            part = part + "-01"
        values = pd.to_datetime(part, format="%Y-%m-%d", errors="coerce")
    else:
        values = pd.to_datetime(text.where(text != ""), format=fmt, errors="coerce")
        if not TIME_DIRECTIVE.search(fmt):
            # reports write a timestamp where the format names a day: read its date part
            timed = values.isna() & text.str.contains(TRAILING_TIME, regex=True)
            if timed.any():
                values[timed] = pd.to_datetime(text[timed].str.replace(
                    TRAILING_TIME, "", regex=True), format=fmt, errors="coerce")
        if month:
            values = values.dt.to_period("M").dt.start_time
    return values.astype("datetime64[ns]").dt.normalize()


def _date_allowed(fmt: str | None, month: bool) -> str:
    if fmt is None:
        return "YYYY-MM (or a date in it)" if month else "a date as YYYY-MM-DD"
    return f"dates written as {fmt!r}, e.g. {EXAMPLE_DAY.strftime(fmt)} (the mapping's date_format)"


def _bad_cells(bad: pd.Series, file: str, column: str, message: str, allowed: str,
               choices: list | None = None) -> list[Problem]:
    """One problem per unreadable cell, or one for the column when many cells are wrong."""
    limit = canonical()["cell_problems_per_column"]
    if len(bad) > limit:
        rows = ", ".join(str(r) for r in bad.index[:limit])
        first = bad.iloc[0]
        return [Problem(file=file, row=int(bad.index[0]), column=column, value=first,
                        message=f"{message} — {len(bad)} cells (rows {rows}, …)", allowed=allowed,
                        suggestion=suggest(first, choices) if choices else None)]
    return [Problem(file=file, row=int(row), column=column, value=value, message=message,
                    allowed=allowed, suggestion=suggest(value, choices) if choices else None)
            for row, value in bad.items()]
