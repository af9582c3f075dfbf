"""The default executor: spawned worker processes on this machine (``revkit.batch.pool``).

Each worker process makes one ``WorkerState`` and, with the warm engine, runs
two clients at a time on two warm kernels: while one client's notebook
executes, the other's HTML and PDF render. With one worker, the tasks run in
this process instead, without the cost of a second interpreter.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from revkit.batch.executors.base import Executor
from revkit.batch.pool import WorkerPool
from revkit.batch.tasks import Outcome, Task
from revkit.batch.worker import WorkerState, run_task, uses_warm_kernels

# Two clients per warm worker: one renders while the other's kernel executes.
CLIENTS_PER_WARM_WORKER = 2
# A client whose worker process dies runs once more on its replacement, then fails.
RETRIES_OF_A_LOST_CLIENT = 1


class LocalExecutor(Executor):
    """Worker processes on this machine, one client per kernel, two per warm worker."""

    name = "local"

    def __init__(self, **options):
        super().__init__(**options)
        self._pool: WorkerPool | None = None
        self._state: WorkerState | None = None   # the one-worker case, in this process

    def start(self, workers: int) -> None:
        if workers < 2:
            return  # nothing to run, or one worker: run() works here
        warm = uses_warm_kernels(self.engine, self.runner)
        self._pool = WorkerPool(workers, CLIENTS_PER_WARM_WORKER if warm else 1, run_task,
                                make_state=partial(WorkerState, self.engine, self.runner),
                                retries=RETRIES_OF_A_LOST_CLIENT)

    def run(self, tasks: Sequence[Task]) -> Iterator[tuple[Task, Outcome]]:
        if not tasks:
            return
        if self._pool is None:
            if self._state is None:
                self._state = WorkerState(self.engine, self.runner)
            for task in tasks:
                yield task, run_task(task, self._state)
            return
        for task, outcome in self._pool.run(list(tasks), Outcome.lost, Outcome.retried):
            if isinstance(outcome, BaseException):  # a bug outside the client's run
                outcome = Outcome.lost(task, f"{type(outcome).__name__}: {outcome}")
            yield task, outcome

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._state is not None:
            self._state.close()

    def terminate(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
        if self._state is not None:
            self._state.close()
