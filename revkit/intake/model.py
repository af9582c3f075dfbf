"""The validated client: one object however the intake came (folder or workbook)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from revkit.errors import Problem

# key columns that give each table a canonical order
SORT_KEYS = {
    "teams": ["team"],
    "survey": ["respondent_id", "question_id"],
    "systems": ["system"],
    "metrics": ["metric_id"],
    "handoffs": ["handoff_id"],
}
TABLE_NAMES = tuple(SORT_KEYS)
# profile keys that describe the intake's files rather than the client
FILE_KEYS = ("encoding",)


@dataclass(frozen=True, eq=False)
class Client:
    """A client's validated intake.

    ``profile`` holds typed values (``assessment_date`` is a date; ``report_language`` and
    ``encoding`` None where the profile leaves them out). Tables are
    pandas frames with the contract's columns: strings (None where empty),
    ``score``/``sla_hours`` as floats (NaN where empty), booleans, integer
    headcounts and ``;``-lists as tuples.
    """

    profile: dict
    teams: pd.DataFrame
    survey: pd.DataFrame
    systems: pd.DataFrame
    metrics: pd.DataFrame
    handoffs: pd.DataFrame
    source: Path | None = None
    warnings: tuple[Problem, ...] = field(default_factory=tuple)
    # the optional crm/ exports (``revkit.intake.crm.CrmData``); not part of equality, since a
    # workbook intake has no crm/ folder
    crm: object | None = None
    # how each file of a folder was read, {file: (encoding id, CSV separator or None)}; not
    # part of equality either: the same client may come in any encoding
    read_as: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.profile["name"]

    @property
    def slug(self) -> str:
        return self.profile["slug"]

    @property
    def report_language(self) -> str:
        """The language the profile asks the report in (``report_language``; default ``en``)."""
        from revkit.messages import DEFAULT_LANGUAGE

        return self.profile.get("report_language") or DEFAULT_LANGUAGE

    @property
    def encoding(self) -> str | None:
        """The encoding the profile declares for the folder's files (``encoding``), if any."""
        return self.profile.get("encoding")

    @property
    def team_ids(self) -> list[str]:
        return list(self.teams["team"])

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def to_dict(self) -> dict:
        """Canonical JSON-able form: same content gives the same dict, whatever row order."""
        # how the files were encoded is not part of the client: a folder saved in cp1251
        # and its UTF-8 copy are the same client
        profile = {k: (v.isoformat() if isinstance(v, dt.date) else v)
                   for k, v in sorted(self.profile.items()) if k not in FILE_KEYS}
        tables = {}
        for name, keys in SORT_KEYS.items():
            frame = self.table(name).sort_values(keys, kind="stable")
            tables[name] = [
                {k: _plain(v) for k, v in record.items()} for record in frame.to_dict("records")
            ]
        return {"profile": profile, **tables}

    def __eq__(self, other) -> bool:
        if not isinstance(other, Client):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # mutable frames inside


def _plain(value):
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
