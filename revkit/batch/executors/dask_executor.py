"""The ``dask`` executor: a batch's clients run on the workers of a Dask cluster.

``revkit batch DIR --executor dask --scheduler tcp://HOST:8786`` uses a running
cluster; without ``--scheduler`` a ``LocalCluster`` of ``--jobs`` worker
processes (one thread each) starts on this machine and stops with the batch.

Inputs and outputs travel as files, not through the scheduler: a ``Task`` names
the client folder and the reports root by absolute path, and every worker must
see them at the same paths (a shared file system). Only the task and its
``Outcome`` — a few hundred bytes — cross the network.

Each worker keeps a ``WorkerState`` (warm kernels, libraries, the lock) in a
worker plugin (``dask_worker``). A task whose worker dies is run again on another
worker: the scheduler reschedules it up to its ``allowed-failures`` limit, which
is safe because a client's hash record is written only after all its outputs.

Dask is an optional extra (``pip install 'revkit[dask]'``); this module imports
it only in ``start()``, so looking the executor up costs nothing.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import uuid
from collections.abc import Iterator, Sequence

from revkit.batch.executors.base import Executor
from revkit.batch.tasks import Outcome, Task
from revkit.errors import UsageError

INSTALL_HINT = "pip install 'revkit[dask]'"


def _dask_installed() -> bool:
    try:
        return all(importlib.util.find_spec(m) is not None for m in ("dask", "distributed"))
    except (ImportError, ValueError):  # a module set to None in sys.modules, say
        return False


class DaskExecutor(Executor):
    """Clients as tasks on a Dask cluster: an existing one (``scheduler``) or a local one.

    ``allowed_failures`` is how many times a task may lose its worker before it counts
    as failed (on a ``LocalCluster``; an existing scheduler applies its own
    ``distributed.scheduler.allowed-failures``, 3 by default); ``retries`` re-runs a
    task that raised (a bug outside the client's run, which run_task never raises for).
    """

    name = "dask"
    connect_timeout = 10.0    # seconds to reach an existing scheduler

    def __init__(self, *, scheduler: str | None = None, allowed_failures: int = 2,
                 retries: int = 1, **options):
        super().__init__(**options)
        if not _dask_installed():
            raise UsageError(f"--executor dask needs Dask: {INSTALL_HINT}")
        self.scheduler, self.allowed_failures, self.retries = scheduler, allowed_failures, retries
        self.plugin_name = f"revkit-{uuid.uuid4().hex[:12]}"
        self._client = self._cluster = None
        self._futures: list = []

    # ------------------------------------------------------------ lifecycle
    def start(self, workers: int) -> None:
        if workers < 1:
            return  # nothing will run: no cluster to start or reach
        try:
            import distributed
        except ImportError as exc:
            raise UsageError(f"--executor dask needs Dask ({exc}): {INSTALL_HINT}") from None
        from revkit.batch.executors.dask_worker import WorkerStatePlugin

        if self.scheduler:
            self._client = self._connect(distributed)
        else:
            self._cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=":0", silence_logs=logging.ERROR,
                scheduler_kwargs={"allowed_failures": self.allowed_failures})
            self._client = distributed.Client(self._cluster)
        plugin = WorkerStatePlugin(self.plugin_name, self.engine, self.runner)
        try:
            self._client.register_plugin(plugin, name=self.plugin_name)
        except Exception as exc:  # e.g. a worker without revkit cannot unpickle the plugin
            where = self.scheduler or "the local cluster"
            raise UsageError(f"the Dask workers of {where} cannot load revkit's worker plugin "
                             f"({type(exc).__name__}: {exc}); every worker needs the same "
                             f"revkit installed") from None

    def _connect(self, distributed):
        address = self.scheduler
        try:
            return distributed.Client(address, timeout=self.connect_timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UsageError(f"cannot reach the Dask scheduler at {address} within "
                             f"{self.connect_timeout:g} s ({detail}); is `dask scheduler` "
                             f"running there, and is the address tcp://HOST:PORT?") from None

    def run(self, tasks: Sequence[Task]) -> Iterator[tuple[Task, Outcome]]:
        if not tasks:
            return
        from distributed import as_completed

        from revkit.batch.executors.dask_worker import run_client

        by_key = {}
        for task in tasks:   # in plan order (largest first): Dask starts them in that order
            future = self._client.submit(run_client, task, self.plugin_name, pure=False,
                                         retries=self.retries,
                                         key=f"revkit-{task.slug}-{uuid.uuid4().hex[:8]}")
            by_key[future.key] = task
            self._futures.append(future)
        for future in as_completed(self._futures):
            task = by_key[future.key]
            yield task, self._outcome(task, future)
        self._futures = []

    def _outcome(self, task: Task, future) -> Outcome:
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker:
            return Outcome.lost(task, f"its Dask worker died on each of "
                                      f"{self.allowed_failures + 1} tries")
        # a bug, a lost scheduler, a task cancelled by someone else: this client's row.
        # Dask's cancellation derives from asyncio.CancelledError, not from Exception.
        except (Exception, asyncio.CancelledError) as exc:  # noqa: BLE001
            return Outcome.lost(task, f"Dask: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        self._shutdown(cancel=False)

    def terminate(self) -> None:
        self._shutdown(cancel=True)

    def _shutdown(self, cancel: bool) -> None:
        client, cluster, self._client, self._cluster = self._client, self._cluster, None, None
        try:
            if client is not None:
                if cancel and self._futures:
                    client.cancel(self._futures, force=True)
                if cluster is None:
                    # leave an existing cluster as found: this batch's kernels stop
                    client.unregister_worker_plugin(self.plugin_name)
                client.close()
        finally:
            self._futures = []
            if cluster is not None:
                cluster.close()
