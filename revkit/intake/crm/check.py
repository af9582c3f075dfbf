"""Check a client's optional ``crm/`` folder and build ``CrmData``.

Order: read and merge the mapping → read each export it names → settle the
period and the ``as_of`` date. Every problem of every file is gathered before
the result is returned, like the rest of the intake.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from revkit.errors import Problem, warning
from revkit.intake.crm.exports import read_exports
from revkit.intake.crm.mapping import MAPPING_FILE, Mapping, canonical, read_mapping

TABLES = tuple(canonical()["tables"])


@dataclass(frozen=True, eq=False)
class CrmData:
    """A client's CRM exports as canonical frames (None where a table is not given).

    Beyond the four tables of the spec (all optional): ``stage_history`` lists the
    stages each opportunity entered (stage-to-stage conversion needs it),
    ``activities`` the touches on leads and deals (lead response time),
    ``quotas`` each owner's quota per period (attainment, coverage per owner) and
    ``forecasts`` the forecast snapshots (forecast accuracy).

    ``period`` is what measurement covers: the mapping's ``period`` or, where it
    sets none, the span of the exports' event dates. ``as_of`` judges which
    opportunities are open and stale: the mapping's ``as_of`` or the latest
    event date (created, MQL and SQL dates, close dates of closed deals,
    months of spend and revenue, stage-history dates — not the expected close
    dates of open deals, which lie in the future).
    """

    opportunities: pd.DataFrame | None
    leads: pd.DataFrame | None
    spend: pd.DataFrame | None
    revenue: pd.DataFrame | None
    period: tuple[dt.date, dt.date] | None
    as_of: dt.date | None
    mapping: Mapping
    stage_history: pd.DataFrame | None = None
    activities: pd.DataFrame | None = None
    quotas: pd.DataFrame | None = None
    forecasts: pd.DataFrame | None = None

    @property
    def period_given(self) -> bool:
        """Whether the mapping set the period (otherwise it is the whole export)."""
        return self.mapping.period is not None

    def table(self, name: str) -> pd.DataFrame | None:
        return getattr(self, name)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The given tables by name, in canonical order."""
        return {t: self.table(t) for t in TABLES if self.table(t) is not None}


def check_crm(client_folder: Path, teams: list[str] | None = None
              ) -> tuple[CrmData | None, list[Problem]]:
    """``(crm data or None, problems)`` for the ``crm/`` folder of a client.

    ``(None, [])`` when the client has no ``crm/`` folder. ``teams`` (the
    profile's team ids) is accepted so callers can pass the client context;
    the exports do not refer to teams today.
    """
    crm_dir = Path(client_folder) / "crm"
    if not crm_dir.is_dir():
        return None, []
    mapping, problems = read_mapping(crm_dir)
    if mapping is None:
        return None, sorted(problems, key=_order)
    frames: dict[str, pd.DataFrame | None] = {t: None for t in TABLES}
    read, more = read_exports(crm_dir, mapping.tables)
    frames.update(read)
    problems += more
    problems = sorted(_dedupe(problems), key=_order)
    if any(p.severity == "error" for p in problems):
        return None, problems
    if all(f is None for f in frames.values()):
        named = ", ".join(f"{t.table}: {t.file}" for t in mapping.tables.values())
        problems.append(warning("crm_exports_missing" if named else "crm_mapping_empty", {},
                                file=MAPPING_FILE, allowed=named or None))
    events = _event_dates(frames)
    as_of = mapping.as_of or (max(events) if events else None)
    period = mapping.period or ((min(events), max(events)) if events else None)
    return CrmData(period=period, as_of=as_of, mapping=mapping, **frames), problems


def _event_dates(frames: dict) -> list[dt.date]:
    """The earliest and latest date of something that happened, per table."""
    series = []
    opps = frames["opportunities"]
    if opps is not None:
        if "created_date" in opps:
            series.append(opps["created_date"])
        if "close_date" in opps and "stage_class" in opps:
            series.append(opps["close_date"].where(opps["stage_class"].isin(["won", "lost"])))
    leads = frames["leads"]
    if leads is not None:
        series += [leads[c] for c in ("created_date", "mql_date", "sql_date") if c in leads]
    for table in ("spend", "revenue"):
        if frames[table] is not None and "month" in frames[table]:
            series.append(frames[table]["month"])
    for table, column in (("stage_history", "date"), ("activities", "date"),
                          ("forecasts", "snapshot_date")):
        frame = frames.get(table)
        if frame is not None and column in frame:
            series.append(frame[column])
    dates = []
    for s in series:
        first, last = s.min(), s.max()  # NaT is skipped; all NaT gives NaT
        if pd.notna(first):
            dates += [first.date(), last.date()]
    return dates


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """One export column feeding two canonical columns must not report a cell twice."""
    seen, out = set(), []
    for p in problems:
        key = (p.file, p.row, p.column, p.value if p.value is None else str(p.value), p.severity,
               p.allowed)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _order(p: Problem):
    return (p.severity != "error", p.file != MAPPING_FILE, p.file,
            p.row if p.row is not None else -1, p.column or "")
