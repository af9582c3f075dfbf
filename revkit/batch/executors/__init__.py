"""Where a batch's clients run: an ``Executor`` interface and a registry of them by name."""

from revkit.batch.executors.base import Executor
from revkit.batch.executors.local import LocalExecutor
from revkit.batch.executors.registry import DEFAULT, EXECUTORS, executor_class, register_executor

__all__ = ["DEFAULT", "EXECUTORS", "Executor", "LocalExecutor", "executor_class",
           "register_executor"]
