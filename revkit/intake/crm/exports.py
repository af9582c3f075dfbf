"""Read CRM export CSVs through a mapping into canonical, typed frames.

Each canonical frame has the canonical columns the mapping names and the
export holds (dates as ``datetime64``, amounts as floats, texts with NA where
empty), a ``row`` column with the row as the user sees it (header = 1; also
the index), and for stages and sources both the export value (``stage``,
``source``) and its class (``stage_class``, ``source_class``). A ``timed``
date column also comes with its time of day as ``<column>_at``. Columns listed
under ``keep`` come along under their export names.

An empty cell is not an error here (the quality checks count it); a
non-empty cell that cannot be read is, as is a column the client's mapping
names (or a required one) missing from the export, or an export file the
mapping names that does not exist. A column only a preset fills is optional:
where the export lacks it, it is absent from the frame.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from revkit.errors import Problem
from revkit.intake.contracts import allowed_text, suggest
from revkit.intake.crm import cells
from revkit.intake.crm.csvfile import RawExport, read_csv
from revkit.intake.crm.mapping import TableMapping, canonical


def read_exports(crm_dir: Path, tables: dict[str, TableMapping]
                 ) -> tuple[dict[str, pd.DataFrame | None], list[Problem]]:
    """The canonical frame of every mapped table (None where its file is absent).

    Each file is read once, with every column any table takes from it.
    """
    by_file: dict[str, list[TableMapping]] = {}
    for mapping in tables.values():
        by_file.setdefault(mapping.file, []).append(mapping)
    frames: dict[str, pd.DataFrame | None] = {t: None for t in tables}
    problems: list[Problem] = []
    present = {}
    for name, mappings in by_file.items():
        if (crm_dir / name).is_file():
            present[name] = mappings
            continue
        for m in mappings:
            if m.explicit:
                problems.append(Problem(
                    file=f"crm/{name}", message=f"missing file: crm/mapping.yaml names "
                    f"'{name}' for {m.table}", allowed=allowed_text(sorted(
                        p.name for p in crm_dir.glob("*.csv")))))
        # otherwise a preset's default file name: the table is simply not given
    # the files are read side by side: Arrow's kernels release the interpreter lock
    with ThreadPoolExecutor(max_workers=min(len(present), 2) or 1) as pool:
        done = list(pool.map(lambda item: _read_file(crm_dir, *item), present.items()))
    for found, more in done:
        frames.update(found)
        problems += more
    return frames, problems


def _read_file(crm_dir: Path, name: str, mappings: list[TableMapping]
               ) -> tuple[dict[str, pd.DataFrame | None], list[Problem]]:
    """The canonical frames of the tables one export file holds."""
    file = f"crm/{name}"
    wanted = {c for m in mappings for c in [*m.columns.values(), *m.keep, *m.stage_dates]}
    raw, problems = read_csv(crm_dir / name, file, wanted)
    frames = {}
    if raw is not None:
        for m in mappings:
            frames[m.table], more = to_canonical(raw, m, file)
            problems += more
    return frames, problems


def to_canonical(raw: RawExport, mapping: TableMapping, file: str
                 ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Typed canonical columns of one export; problems name the export's columns.

    ``None`` (and no problem) where the table is wide (stage dates) and the export
    has none of the preset's stage-date columns: the table is not given.
    """
    spec = canonical()["tables"][mapping.table]
    types, timed = spec["columns"], set(spec.get("timed", ()))
    problems: list[Problem] = []
    present = set(raw.cells)
    required = set(spec["required"]) - (set(spec.get("wide", {}).get("stage_dates", ()))
                                        if mapping.stage_dates else set())
    wanted = [(name, export, name in mapping.named or name in required)
              for name, export in mapping.columns.items()]
    wanted += [(None, export, True) for export in mapping.keep]
    wanted += [(None, export, mapping.stage_dates_named) for export in mapping.stage_dates]
    for name, export, needed in wanted:
        if export in raw.duplicate_columns:
            problems.append(Problem(
                file=file, row=1, column=export, message=f"the header names '{export}' more "
                "than once, so the mapping cannot tell which one is meant",
                allowed="rename one of them in the export"))
        if export not in present and needed:
            feeds = f" (mapped to '{name}')" if name else (
                " (listed under 'keep')" if export in mapping.keep else " (a stage date)")
            problems.append(Problem(
                file=file, row=1, column=export, message=f"missing column '{export}'{feeds}",
                allowed=allowed_text(raw.header), suggestion=suggest(export, raw.header)))
    found = [n for n, e in mapping.columns.items() if e in present]
    dates_found = [c for c in mapping.stage_dates if c in present]
    if mapping.stage_dates and not dates_found and not mapping.stage_dates_named:
        return None, problems
    if mapping.columns and not found and not dates_found and not problems:
        problems.append(Problem(
            file=file, row=1, message=f"none of the columns the mapping reads for "
            f"{mapping.table} is in the export", allowed=allowed_text(list(mapping.columns.values())),
            suggestion=None))
    out: dict[str, object] = {"row": raw.rows}

    def typed(name: str) -> tuple[dict, list[Problem]]:
        export, part = mapping.columns[name], {}
        return part, _column(part, name, types[name], raw.cells[export], raw.rows, mapping,
                             file, export, name in timed)

    # columns are typed side by side (Arrow's kernels release the interpreter lock) and
    # gathered in the mapping's order
    with ThreadPoolExecutor(max_workers=2) as pool:
        for part, more in pool.map(typed, found):
            out.update(part)
            problems += more
    for export in mapping.keep:
        if export in present and export not in out:
            out[export] = cells.strip(raw.cells[export])[0]
    # copy=False: the frame keeps each column's own array (no stacking into blocks)
    frame = pd.DataFrame({k: (_text(v) if isinstance(v, (pa.Array, pa.ChunkedArray)) else v)
                          for k, v in out.items()}, index=pd.Index(raw.rows), copy=False)
    if mapping.stage_dates:
        frame, more = _unpivot(frame, raw, mapping, dates_found, file)
        problems += more
    return frame, problems


def _text(values) -> pd.api.extensions.ExtensionArray:
    """A pandas text column (``str``, NA where empty) over the Arrow cells, without copying."""
    return values.to_pandas().array


def _column(out: dict, name: str, kind: str, column: pa.Array, rows: np.ndarray,
            mapping: TableMapping, file: str, export: str, timed: bool) -> list[Problem]:
    """Type one canonical column into ``out``; the problems of its unreadable cells."""
    if kind == "text":
        out[name] = cells.blank_to_null(pc.utf8_trim_whitespace(column))
        return []
    if kind in ("date", "month"):
        days, at, bad = cells.dates(column, mapping.date_format, kind == "month", timed)
        out[name] = days
        if at is not None:
            out[f"{name}_at"] = at
        return cells.bad_cells(column, bad, rows, file, export, f"'{name}' must be "
                               f"{'a month' if kind == 'month' else 'a date'}",
                               cells.date_allowed(mapping.date_format, kind == "month"))
    if kind == "amount":
        out[name], bad = cells.amounts(column)
        return cells.bad_cells(column, bad, rows, file, export, f"'{name}' must be a number",
                               "a number with '.' for decimals and no thousands separator")
    # stage or source: an export value mapped to a class
    classes = mapping.stages if kind == "stage" else mapping.sources
    order = {v: float(i) for i, v in enumerate(mapping.stage_order)} if kind == "stage" else None
    value, klass, bad, position = cells.classes(column, classes, order)
    out[name], out[f"{name}_class"] = value, klass
    if position is not None:
        out[f"{name}_order"] = pd.array(position, dtype="Float64")
    choices = list(classes)
    return cells.bad_cells(column, bad, rows, file, export, f"'{name}' has a value "
                           f"crm/mapping.yaml does not list under '{kind}s'",
                           allowed_text(choices), choices)


def _unpivot(frame: pd.DataFrame, raw: RawExport, mapping: TableMapping, columns: list[str],
             file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """One history row per stage-date cell that holds a date (HubSpot's wide columns)."""
    problems: list[Problem] = []
    parts = []
    order = {value: float(i) for i, value in enumerate(mapping.stage_order)}
    for export in columns:
        days, _at, bad = cells.dates(raw.cells[export], mapping.date_format)
        problems += cells.bad_cells(raw.cells[export], bad, raw.rows, file, export,
                                    "a stage date must be a date",
                                    cells.date_allowed(mapping.date_format, False))
        entered = ~np.isnat(days)
        stage = mapping.stage_dates[export]
        part = frame.loc[entered, [c for c in frame.columns if c not in ("stage", "date")]].copy()
        part["stage"] = pd.array([stage] * len(part), dtype="str")
        part["stage_class"] = pd.array([mapping.stages.get(stage)] * len(part), dtype="str")
        part["stage_order"] = pd.array([order.get(stage)] * len(part), dtype="Float64")
        part["date"] = days[entered]
        parts.append(part)
    history = pd.concat(parts) if parts else frame.iloc[:0]
    return history.sort_values(["row", "stage_order"], kind="stable"), problems
