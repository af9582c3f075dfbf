"""The executors ``revkit batch --executor NAME`` can use, by name.

An executor module imports its engine's libraries only when it starts, so
looking a name up here stays cheap (an unchanged rerun imports nothing heavy).
"""

from __future__ import annotations

from revkit.batch.executors.base import Executor
from revkit.batch.executors.local import LocalExecutor
from revkit.errors import UsageError

EXECUTORS: dict[str, type[Executor]] = {LocalExecutor.name: LocalExecutor}
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
        return EXECUTORS[name]
    except KeyError:
        raise UsageError(f"--executor must be one of {', '.join(sorted(EXECUTORS))}, "
                         f"got {name!r}") from None
