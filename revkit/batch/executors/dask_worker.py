"""What runs inside a Dask worker: a plugin that keeps the worker's ``WorkerState``, and
the task function the batch submits for each client.

The plugin is registered by ``DaskExecutor.start`` on every worker of the cluster
(and on workers that join later, e.g. one the nanny restarted after it died). It
builds one ``WorkerState`` per worker — the loaded report libraries, one warm
kernel per worker thread, the lock — so consecutive clients on a worker reuse
its kernel exactly as the local pool's workers do, and tears it down with the
worker. Inputs and outputs are files: a task names absolute paths that the worker
must see at the same place (shared storage), and ``run_task`` writes the reports
and their hash record there.

This module imports ``distributed``; only Dask workers and ``DaskExecutor.start``
import it.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path

from distributed import WorkerPlugin, get_worker

from revkit.batch.tasks import Outcome, Task
from revkit.batch.worker import WorkerState, run_task


class WorkerStatePlugin(WorkerPlugin):
    """Keeps one ``WorkerState`` for the lifetime of a Dask worker.

    ``name`` is unique per batch, so two batches sharing a cluster keep apart
    kernels and locks, and one batch unregistering its plugin never stops a kernel
    another batch is using."""

    def __init__(self, name: str, engine: str = "warm", runner=None):
        self.name, self.engine, self.runner = name, engine, runner
        self._state: WorkerState | None = None
        self._made = threading.Lock()

    def __getstate__(self) -> dict:
        # what travels to the workers: the recipe, never a state or a lock
        return {"name": self.name, "engine": self.engine, "runner": self.runner}

    def __setstate__(self, recipe: dict) -> None:
        self.__init__(**recipe)

    def setup(self, worker) -> None:
        # The libraries and the first warm kernel load in one of the worker's task
        # threads, not on its event loop (which must keep answering the scheduler):
        # a kernel belongs to the thread that started it, and that thread runs tasks.
        worker.executors["default"].submit(self._warm_up)

    async def teardown(self, worker) -> None:
        state, self._state = self._state, None
        if state is not None:
            # in a thread with no running event loop, as the kernels' own calls expect
            await asyncio.get_running_loop().run_in_executor(None, state.close)

    def state(self) -> WorkerState:
        """The worker's state, built by the first caller (the warm-up, or a task before it)."""
        with self._made:
            if self._state is None:
                self._state = WorkerState(self.engine, self.runner)
            return self._state

    def _warm_up(self) -> None:
        try:
            self.state().thread_started()
        except Exception:  # noqa: BLE001 — the first task tries again and its row says why
            pass


def run_client(task: Task, plugin_name: str) -> Outcome:
    """One client on this worker, with the state its batch's plugin keeps (the task function)."""
    worker = get_worker()
    plugin = worker.plugins.get(plugin_name)
    if plugin is None:
        raise RuntimeError(f"Dask worker {worker.address} has no {plugin_name!r} plugin")
    missing = [p for p in (task.source, task.out_root) if not Path(p).exists()]
    if missing:
        # not the client's fault: the worker does not see the batch's files
        return Outcome.lost(task, f"Dask worker {worker.address} on {socket.gethostname()} "
                                  f"cannot see {missing[0]}: every worker needs the batch's "
                                  f"client and reports folders at the same paths "
                                  f"(shared storage)")
    return run_task(task, plugin.state())
