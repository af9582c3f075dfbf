"""Which cells of the intake files are typed, and what is no value of theirs: the
targets of the ``wrong_type`` corruption, read from ``data_contracts/``."""

from __future__ import annotations

import re

from corruptions import WRONG_VALUES

from revkit.intake import contracts

TYPED = ("integer", "number", "boolean", "date", "list")


def wrong_values(rule) -> list[str]:
    """Texts that are no value of the column ``rule`` (empty where it is free text)."""
    if rule.type not in TYPED and not (rule.allowed or rule.allowed_from or rule.pattern):
        return []
    return [v for v in WRONG_VALUES
            if not (rule.pattern and re.fullmatch(rule.pattern, v))]


def typed_columns(table: str) -> dict[str, list[str]]:
    out = {}
    for name, rule in contracts.load(table).columns.items():
        values = wrong_values(rule)
        if values:
            out[name] = values
    return out
