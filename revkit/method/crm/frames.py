"""Column operations the measurement repeats, fast on millions of rows.

pandas' text columns (Arrow-backed) hash and split slowly through Python for
``isin``, ``duplicated`` and ``str.split``; these helpers do the same work in
Arrow's compute kernels, and split ``;``-separated ids only where a cell holds
more than one.
"""

from __future__ import annotations

import threading
import weakref

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
    """Dates in the closed span (NaT is not: it compares false)."""
    return dates.between(*span)


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


def lead_links(crm) -> pd.DataFrame:
    """Each (lead, opportunity id) pair of the leads export: ``lead`` the lead's position in
    the leads frame, ``id``, and ``at`` the opportunity's position in the opportunities
    frame (its first row; -1 where it is not there).

    Computed once per export (the measurement and the quality checks both ask, from
    two threads) and kept only as long as the export itself.
    """
    with _LOCK:
        if crm not in _LINKS:
            ids = split_ids(crm.leads["opportunity_id"].reset_index(drop=True))
            known = crm.opportunities["opportunity_id"]
            position = np.zeros(0, dtype=np.int64)
            if len(ids):
                # hash the leads' few distinct ids, not the whole opportunities export
                linked = pa.array(ids.astype("str"))
                distinct = pc.unique(linked)
                in_opps = pc.index_in(pa.array(known.astype("str")), value_set=distinct)
                in_opps = pc.fill_null(in_opps, -1).to_numpy(zero_copy_only=False)
                first = np.full(len(distinct), -1, dtype=np.int64)
                hits = np.flatnonzero(in_opps >= 0)[::-1]  # the first row of an id wins
                first[in_opps[hits]] = hits
                position = first[pc.index_in(linked, value_set=distinct)
                                 .to_numpy(zero_copy_only=False)]
            _LINKS[crm] = pd.DataFrame({"lead": ids.index.to_numpy(), "id": ids.to_numpy(),
                                        "at": position})
        return _LINKS[crm]


_LOCK = threading.Lock()
_LINKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
