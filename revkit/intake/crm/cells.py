"""Type one export column, vectorised: dates, amounts, stage and source values.

A column of a million cells holds few distinct dates, stages or sources, so
these are parsed once per distinct value (with pandas' exact parsers) and
spread back to the rows. Every function returns the typed values and a
boolean mask of the non-empty cells that could not be read; only those are
turned into problems, by ``bad_cells``.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from revkit.errors import Problem
from revkit.intake.crm.mapping import canonical
from revkit.suggest import suggest

ISO_DAY = r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$"
ISO_MONTH = r"^(\d{4}-\d{2})(?:-\d{2})?(?:[T ].*)?$"
EXAMPLE_DAY = dt.date(2026, 3, 16)
TIME_DIRECTIVE = re.compile(r"%[HIMSpfzZXc]")
TRAILING_TIME = (r"[,T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?"
                 r"\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?$")
# the time of day after a date: 14:05, 14:05:09, 2:05 PM (a zone after it is ignored)
TIME_OF_DAY = r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp])?"


def strip(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
    """Cells without surrounding blanks, and the mask of empty ones."""
    text = pc.utf8_trim_whitespace(column)
    return text, pc.equal(text, "").to_numpy(zero_copy_only=False)


def blank_to_null(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """Empty cells as nulls, without copying the text: only the validity bitmap is new."""
    chunks = []
    for chunk in text.chunks:
        filled = pc.not_equal(chunk, "")
        if chunk.null_count or filled.offset or chunk.offset:  # not the layout the reader gives
            chunks.append(pc.if_else(filled, chunk, pa.scalar(None, pa.string())))
            continue
        _, offsets, data = chunk.buffers()
        chunks.append(pa.Array.from_buffers(pa.string(), len(chunk),
                                            [filled.buffers()[1], offsets, data],
                                            offset=chunk.offset))
    return pa.chunked_array(chunks, pa.string())


def _distinct(column: pa.ChunkedArray) -> tuple[pd.Series, np.ndarray]:
    """The distinct values, stripped (a pandas text series), and each cell's position
    among them: a few thousand distinct dates or stages stand for millions of cells."""
    values = pc.unique(column)
    codes = pc.index_in(column, value_set=values).to_numpy(zero_copy_only=False)
    return pd.Series(values.to_pandas(), dtype="str").str.strip(), codes


def dates(column: pa.ChunkedArray, fmt: str | None, month: bool = False, timed: bool = False
          ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """``(days, moments or None, bad)``: datetime64 days (NaT where empty or unreadable),
    the full timestamps where ``timed``, and the unreadable cells."""
    values, codes = _distinct(column)
    moments = parse_dates(values, fmt, month, timed)
    days = moments.dt.normalize()
    bad_value = (values != "").to_numpy() & days.isna().to_numpy()
    day_cells = days.to_numpy(dtype="datetime64[ns]")[codes]
    at = None
    if timed:  # an export without times of day gives the days themselves
        at = day_cells if (moments.isna() | (moments == days)).all() else \
            moments.to_numpy(dtype="datetime64[ns]")[codes]
    return day_cells, at, bad_value[codes]


def parse_dates(text: pd.Series, fmt: str | None, month: bool, timed: bool = False
                ) -> pd.Series:
    """Parsed dates (month columns: the month's first day); NaT where not readable.

    Without ``timed`` the time of day is dropped; with it, a time written after the
    date (``2026-03-16 14:05``, ``3/16/2026, 2:05 PM``) is kept.
    """
    if fmt is None:
        part = text.str.extract(ISO_MONTH if month else ISO_DAY, expand=False)
        if month:
            part = part + "-01"
        values = pd.to_datetime(part, format="%Y-%m-%d", errors="coerce")
        has_time = not month
    else:
        values = pd.to_datetime(text.where(text != ""), format=fmt, errors="coerce")
        has_time = not TIME_DIRECTIVE.search(fmt)
        if has_time:
            # reports write a timestamp where the format names a day: read its date part
            timed_cells = values.isna() & text.str.contains(TRAILING_TIME, regex=True)
            if timed_cells.any():
                values[timed_cells] = pd.to_datetime(text[timed_cells].str.replace(
                    TRAILING_TIME, "", regex=True), format=fmt, errors="coerce")
        if month:
            values = values.dt.to_period("M").dt.start_time
    values = values.astype("datetime64[ns]")
    if not timed:
        return values.dt.normalize()
    if has_time:  # the date part was read alone: add the time of day written after it
        values = values + _time_of_day(text)
    return values


def _time_of_day(text: pd.Series) -> pd.Series:
    parts = text.str.extract(r"\d[,T ]+" + TIME_OF_DAY + r"\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?$",
                             expand=True)
    hours = pd.to_numeric(parts[0], errors="coerce").fillna(0)
    half = parts[3].str.lower()
    hours = hours.where(half.isna(), hours % 12 + (half == "p").astype(float) * 12)
    minutes = pd.to_numeric(parts[1], errors="coerce").fillna(0)
    seconds = pd.to_numeric(parts[2], errors="coerce").fillna(0)
    return pd.to_timedelta(hours * 3600 + minutes * 60 + seconds, unit="s")


def date_allowed(fmt: str | None, month: bool) -> str:
    if fmt is None:
        return "YYYY-MM (or a date in it)" if month else "a date as YYYY-MM-DD"
    return f"dates written as {fmt!r}, e.g. {EXAMPLE_DAY.strftime(fmt)} (the mapping's date_format)"


def amounts(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """``(float64 values, bad)``: NaN where empty or not a finite number."""
    text, empty = strip(column)
    filled = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    try:
        values = pc.cast(filled, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a cell Arrow cannot read
        values = pd.to_numeric(pd.Series(filled.to_pandas(), dtype="str"),
                               errors="coerce").to_numpy(dtype="float64")
    values = np.where(np.isinf(values), np.nan, values)
    return values, ~empty & np.isnan(values)


def classes(column: pa.ChunkedArray, mapping: dict[str, str],
            order: dict[str, float] | None = None) -> tuple:
    """``(value, class, bad, position)`` of a stage or source column through ``mapping``:
    the value where listed, its class, the unlisted non-empty cells and (with
    ``order``) each value's position in it."""
    distinct, codes = _distinct(column)
    values = distinct.tolist()
    listed = np.array([v in mapping for v in values], dtype=bool)
    bad = (~listed & (distinct != "").to_numpy())[codes]
    picks = pa.array(codes)
    if all(v in mapping for v in values if v):  # every value listed: the cells are the values
        value_of = blank_to_null(pc.utf8_trim_whitespace(column))
    else:
        value_of = pa.array([v if v in mapping else None for v in values],
                            pa.string()).take(picks)
    class_of = pa.array([mapping.get(v) for v in values], pa.string()).take(picks)
    position = None
    if order is not None:
        position = np.array([order.get(v, np.nan) for v in values], dtype="float64")[codes]
    return value_of, class_of, bad, position


def bad_cells(text: pa.ChunkedArray, bad: np.ndarray, rows: np.ndarray, file: str, column: str,
              message: str, allowed: str, choices: list | None = None) -> list[Problem]:
    """One problem per unreadable cell, or one for the column when many cells are wrong."""
    where = np.flatnonzero(bad)
    if not len(where):
        return []
    limit = canonical()["cell_problems_per_column"]
    shown = where[: limit + 1]
    values = [v.strip() for v in text.take(pa.array(shown)).to_pylist()]
    numbers = [int(r) for r in rows[shown]]
    if len(where) > limit:
        listed = ", ".join(str(r) for r in numbers[:limit])
        first = values[0]
        return [Problem(file=file, row=numbers[0], column=column, value=first,
                        message=f"{message} — {len(where)} cells (rows {listed}, …)",
                        allowed=allowed, suggestion=suggest(first, choices) if choices else None)]
    return [Problem(file=file, row=row, column=column, value=value, message=message,
                    allowed=allowed, suggestion=suggest(value, choices) if choices else None)
            for row, value in zip(numbers, values, strict=True)]
