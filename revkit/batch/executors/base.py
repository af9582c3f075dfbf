"""The interface every batch executor implements.

A batch plans its tasks (``revkit.batch.plan``) and hands them to an executor,
which runs them somewhere — worker processes on this machine, workers of a
distributed engine — and reports each task's ``Outcome`` as it finishes. The
batch does everything else: skipping, validation, the summary, the portfolio.

An executor's workers run each task with ``revkit.batch.worker.run_task(task,
state)`` on a ``WorkerState`` they keep for their lifetime, so the report
pipeline, the warm kernels and the hash records behave the same on every
executor. A task carries absolute paths and plain data only (it pickles and is
JSON-able, ``Task.to_dict``): its worker may be another process or machine that
shares only the files.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import ClassVar

from revkit.batch.tasks import Outcome, Task
from revkit.batch.worker import ENGINES
from revkit.errors import UsageError


class Executor(ABC):
    """Runs a batch's tasks: ``start`` → ``run`` → ``close`` (or ``terminate`` when stopped).

    ``engine`` is ``warm`` (workers reuse a kernel, reset between clients) or ``fresh``;
    ``runner`` replaces the report pipeline (tests pass a fake). Options particular to
    one executor (a scheduler's address, say) are keyword arguments of its own class.
    Used as a context manager, it closes on success and terminates on any exception.
    """

    name: ClassVar[str] = ""

    def __init__(self, *, engine: str = "warm", runner: Callable | None = None):
        if engine not in ENGINES:
            raise UsageError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
        self.engine, self.runner = engine, runner

    @abstractmethod
    def start(self, workers: int) -> None:
        """Get up to ``workers`` workers ready now (0: nothing will run), so their start-up
        (libraries, warm kernels) overlaps the batch's validation of its clients."""

    @abstractmethod
    def run(self, tasks: Sequence[Task]) -> Iterator[tuple[Task, Outcome]]:
        """Run ``tasks``, yielding each with its outcome as it finishes, in any order.

        Never raises for a client's own failure: a client that fails, or whose worker
        is lost, yields an outcome with status ``failed`` that names the reason."""

    @abstractmethod
    def close(self) -> None:
        """Release the workers after the last task; waits for them to stop."""

    @abstractmethod
    def terminate(self) -> None:
        """Stop every worker now (an interrupted batch); finished clients keep their records."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()
