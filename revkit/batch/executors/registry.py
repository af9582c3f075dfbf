"""The executors ``revkit batch --executor NAME`` can use, by name.

An entry is the executor's class, or ``"module:Class"`` for one whose module is
imported only when that name is asked for: looking ``local`` up, or importing
this package, never imports an optional engine (Dask), so an unchanged rerun
stays cheap and a kit without the extra still works. An executor module itself
imports its engine's libraries only in ``start()``.
"""

from __future__ import annotations

import importlib

from revkit.batch.executors.base import Executor
from revkit.batch.executors.local import LocalExecutor
from revkit.errors import UsageError

EXECUTORS: dict[str, type[Executor] | str] = {
    LocalExecutor.name: LocalExecutor,
    "dask": "revkit.batch.executors.dask_executor:DaskExecutor",
}
DEFAULT = LocalExecutor.name


def register_executor(cls: type[Executor]) -> type[Executor]:
    """Make ``cls`` available under ``cls.name`` (usable as a class decorator)."""
    if not cls.name:
        raise TypeError(f"{cls.__name__} needs a name")
    EXECUTORS[cls.name] = cls
    return cls


def executor_class(name: str) -> type[Executor]:
    """The executor registered as ``name``; an unknown name is a usage error naming them all."""
    try:
        entry = EXECUTORS[name]
    except KeyError:
        raise UsageError(f"--executor must be one of {', '.join(sorted(EXECUTORS))}, "
                         f"got {name!r}") from None
    if isinstance(entry, str):
        module, _, attr = entry.partition(":")
        entry = EXECUTORS[name] = getattr(importlib.import_module(module), attr)
    return entry
