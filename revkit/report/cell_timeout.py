"""How long one cell of the report notebook may run before the client's run fails.

A report's cells take a few seconds; a cell that hangs (a kernel stuck on a lock, a
library waiting on the network) would otherwise hold its worker for ever. The
default is generous; ``--cell-timeout SECONDS`` (``revkit run``, ``revkit batch``)
or the environment variable ``REVKIT_CELL_TIMEOUT`` changes it, 0 turns it off.
Standard library only: a batch reads it before it imports anything heavy.
"""

from __future__ import annotations

import math
import os

from revkit.errors import UsageError

CELL_TIMEOUT_SECONDS = 600.0
CELL_TIMEOUT_ENV = "REVKIT_CELL_TIMEOUT"


def cell_timeout_seconds(value: float | None = None) -> float:
    """The cell timeout to use: ``value``, else ``$REVKIT_CELL_TIMEOUT``, else the default;
    0 means no limit. A negative or unreadable value is a ``UsageError``."""
    where = "--cell-timeout"
    if value is None:
        text = os.environ.get(CELL_TIMEOUT_ENV, "").strip()
        if not text:
            return CELL_TIMEOUT_SECONDS
        where = f"${CELL_TIMEOUT_ENV}"
        try:
            value = float(text)
        except ValueError:
            value = math.nan
    if not (math.isfinite(value) and value >= 0):
        shown = text if where.startswith("$") else value
        raise UsageError(f"{where} takes a number of seconds (0 for no limit), got {shown!r}")
    return float(value)
