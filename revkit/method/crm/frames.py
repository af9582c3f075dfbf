"""Column operations the measurement repeats, fast on millions of rows.

pandas' text columns (Arrow-backed) hash and split slowly through Python for
``isin``, ``duplicated`` and ``str.split``; these helpers do the same work in
Arrow's compute kernels, and split ``;``-separated ids only where a cell holds
more than one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def result(value, records, period=None) -> dict:
    """One measured value: ``{"value", "records"[, "period": (start, end)]}``."""
    out = {"value": value, "records": int(records)}
    if period:
        out["period"] = period
    return out


def has(frame: pd.DataFrame | None, *columns: str) -> bool:
    return frame is not None and all(c in frame.columns for c in columns)


def within(dates: pd.Series, span) -> pd.Series:
    """Dates in the closed span (NaT is not)."""
    return dates.between(*span) & dates.notna()


def member(values: pd.Series, pool) -> np.ndarray:
    """Per value: whether it is one of ``pool`` (an iterable or a text series); NA is not."""
    pool = pool.dropna() if isinstance(pool, pd.Series) else pd.Series(list(pool), dtype="str")
    if not len(values) or not len(pool):
        return np.zeros(len(values), dtype=bool)
    found = pc.is_in(pa.array(values.astype("str")), value_set=pa.array(pool.astype("str")),
                     skip_nulls=True)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def duplicated(values: pd.Series) -> np.ndarray:
    """Per value: whether an earlier row holds the same (non-empty) value."""
    out = np.zeros(len(values), dtype=bool)
    filled = np.flatnonzero(values.notna().to_numpy())
    if len(filled) < 2:
        return out
    texts = pa.array(values.iloc[filled].astype("str"))
    order = pc.sort_indices(texts).to_numpy()  # stable: equal values keep their row order
    ordered = texts.take(pa.array(order))
    same = pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))
    out[filled[order[1:][same.to_numpy(zero_copy_only=False)]]] = True
    return out


def split_ids(ids: pd.Series) -> pd.Series:
    """The non-empty ids of each row (index kept): ``a;b`` gives two entries."""
    ids = ids.dropna()
    if not len(ids):
        return ids.astype("str")
    several = ids.str.contains(";", regex=False).to_numpy(dtype=bool)
    if not several.any():
        return ids.astype("str")
    parts = ids[several].str.split(";").explode().str.strip()
    return pd.concat([ids[~several], parts[parts.notna() & (parts != "")]]).astype("str")


def any_member(ids: pd.Series, pool, index: pd.Index) -> pd.Series:
    """Per row of ``index``: whether one of its ids (``;``-separated) is in ``pool``."""
    split = split_ids(ids)
    hit = pd.Series(member(split, pool), index=split.index)
    hit = hit[hit.to_numpy()]
    out = pd.Series(False, index=index)
    if len(hit):
        out[index.isin(hit.index.unique())] = True
    return out
