"""How large an input the kit takes: ``revkit/data/limits.yaml``, each value
overridable for a run by the environment variable ``REVKIT_LIMIT_<NAME>``.

The environment is the one mechanism: it reaches every process of a run (the kernel
that executes a notebook, a batch's workers) without a flag threaded through each.
"""

from __future__ import annotations

import os
from functools import cache

from revkit.errors import KitError, UsageError
from revkit.paths import DATA_DIR
from revkit.yaml_check import load_data

FILE = DATA_DIR / "limits.yaml"
ENV_PREFIX = "REVKIT_LIMIT_"


@cache
def defaults() -> dict[str, int]:
    data = load_data(FILE)["limits"]
    if not all(isinstance(v, int) and v > 0 for v in data.values()):
        raise KitError(f"{FILE}: every limit must be a whole number above 0")
    return data


def get(name: str) -> int:
    """The limit ``name`` (a key of limits.yaml), as the environment sets it or by default."""
    if name not in defaults():
        raise KitError(f"unknown limit {name!r}; limits.yaml has {', '.join(defaults())}")
    variable = ENV_PREFIX + name.upper()
    raw = os.environ.get(variable, "").strip().replace("_", "")
    if not raw:
        return defaults()[name]
    if not raw.isdigit() or int(raw) <= 0:
        raise UsageError(f"{variable}={os.environ[variable]!r}: allowed: a whole number above 0")
    return int(raw)


def too_large(name: str, size: int) -> bool:
    return size > get(name)


def describe(name: str) -> str:
    """The limit in words for a message: 'at most 50,000,000 bytes (REVKIT_LIMIT_...)'."""
    unit = {"bytes": "bytes", "rows": "rows", "chars": "characters"}[name.rsplit("_", 1)[-1]]
    return f"at most {get(name):,} {unit} (set {ENV_PREFIX}{name.upper()} to change it)"
