"""Data-quality findings on CRM exports.

Findings describe the whole export (not only the measured period): they are
about how the CRM is kept. Stale and open are judged as of ``as_of``. The
checks, their texts and thresholds live in ``revkit/data/crm/quality.yaml``.
Each finding is ``{id, table, column, count, share, examples}`` with
``share = count ÷ rows of the table`` and up to a few example ids (or
``row N`` where the table has no id).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from revkit.intake.crm.check import TABLES, CrmData
from revkit.intake.crm.mapping import canonical, quality_rules
from revkit.method.crm.frames import duplicated, lead_links

DECIMALS = 4


def findings(crm: CrmData) -> list[dict]:
    """Every data-quality finding with a count above zero, in a stable order."""
    rules = quality_rules()
    order = list(rules["findings"])
    out: list[dict] = []
    for table in TABLES:
        frame = crm.table(table)
        if frame is None or frame.empty:
            continue
        id_column = canonical()["tables"][table]["id"]
        found: list[tuple[str, str, object]] = []  # (finding id, column, flagged rows)
        for column in rules["empty_checks"].get(table, []):
            if column in frame:
                found.append(("empty_value", column, frame[column].isna()))
        if id_column and id_column in frame:
            found.append(("duplicate_id", id_column, duplicated(frame[id_column])))
        if "amount" in frame:
            found.append(("negative_amount", "amount", frame["amount"] < 0))
        if table == "opportunities":
            found += _opportunity_checks(frame, crm, rules)
        if table == "leads":
            found += _lead_checks(frame, crm)
        for finding_id, column, flags in found:
            flags = np.asarray(pd.Series(flags).fillna(False), dtype=bool)
            count = int(flags.sum())
            if count:
                out.append({
                    "id": finding_id, "table": table, "column": column, "count": count,
                    "share": round(count / len(frame), DECIMALS),
                    "examples": _examples(frame, flags, id_column, rules["examples"]),
                })
    table_order = {t: i for i, t in enumerate(TABLES)}
    return sorted(out, key=lambda f: (table_order[f["table"]], order.index(f["id"]),
                                      f["column"]))


def _opportunity_checks(opps: pd.DataFrame, crm: CrmData, rules: dict) -> list:
    out = []
    has = opps.columns
    if "stage_class" in has and crm.as_of is not None:
        as_of = pd.Timestamp(crm.as_of)
        is_open = opps["stage_class"] == "open"
        overdue = pd.Series(False, index=opps.index)
        if "close_date" in has:
            overdue |= opps["close_date"].isna() | (opps["close_date"] < as_of)
        if "created_date" in has:
            is_open &= ~(opps["created_date"] > as_of)
            too_old = as_of - pd.Timedelta(days=rules["stale_open_days"])
            overdue |= opps["created_date"] < too_old
        column = "close_date" if "close_date" in has else "stage"
        out.append(("stale_open_opportunity", column, is_open & overdue))
    if "close_date" in has and "created_date" in has:
        out.append(("close_before_created", "close_date",
                    opps["close_date"] < opps["created_date"]))
    if "stage_class" in has and "amount" in has:
        won = opps["stage_class"] == "won"
        out.append(("won_without_amount", "amount",
                    won & (opps["amount"].isna() | (opps["amount"] == 0))))
    return out


def _lead_checks(leads: pd.DataFrame, crm: CrmData) -> list:
    out = []
    if "mql_date" in leads and "sql_date" in leads:
        out.append(("sql_before_mql", "sql_date", leads["sql_date"] < leads["mql_date"]))
    opps = crm.opportunities
    if "opportunity_id" in leads and opps is not None and "opportunity_id" in opps:
        links = lead_links(crm)
        unknown = np.zeros(len(leads), dtype=bool)
        unknown[links["lead"].to_numpy()[(links["at"] < 0).to_numpy()]] = True
        out.append(("unknown_opportunity", "opportunity_id", unknown))
    return out


def _examples(frame: pd.DataFrame, flags: np.ndarray, id_column: str | None,
              limit: int) -> list[str]:
    """The first flagged records by row: their ids, or ``row N`` where they have none."""
    positions = np.flatnonzero(flags)
    rows = frame["row"].to_numpy()[positions]
    first = positions[np.argsort(rows, kind="stable")[:limit]]
    numbers = frame["row"].to_numpy()[first]
    if id_column and id_column in frame:
        ids = frame[id_column].iloc[first]
        return [str(i) if pd.notna(i) else f"row {r}"
                for i, r in zip(ids, numbers, strict=True)]
    return [f"row {r}" for r in numbers]
