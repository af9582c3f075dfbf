"""A batch worker: the state it keeps from one client to the next, and how it runs a task.

Any executor runs tasks the same way: it makes one ``WorkerState`` per worker
(a process of the local pool, or a worker of another engine) and calls
``run_task(task, state)`` for each client, from one or more threads. Nothing
lives in module globals, so the state of one worker is exactly this object.

With the warm engine each thread of a worker has its own warm kernel, and the
worker's ``work_lock`` lets only one thread at a time do the worker's own Python
work (assess, HTML, PDF): a thread gives the lock up only while its kernel
executes (the warm engine does that), so two clients per worker overlap their
waits, never the kit's own code.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from revkit.batch import fingerprint
from revkit.batch.tasks import Outcome, Task, as_level

ENGINES = ("warm", "fresh")


def uses_warm_kernels(engine: str, runner: Callable | None) -> bool:
    """Whether a worker keeps warm kernels: the warm engine with the real report pipeline."""
    return engine == "warm" and runner is None


class WorkerState:
    """What one worker keeps between clients: its libraries, its warm kernels, its lock.

    ``runner`` replaces ``revkit.report.run.run_client`` (tests pass a fake; it must be
    importable where the worker runs). Building the state loads the heavy libraries.
    """

    def __init__(self, engine: str = "warm", runner: Callable | None = None):
        self.engine, self.runner = engine, runner
        self.warm = uses_warm_kernels(engine, runner)
        self.work_lock = threading.Lock()
        self._kernels: dict[int, object] = {}    # thread id → that thread's WarmKernel
        if runner is None:
            import revkit.report.run  # noqa: F401  (imports papermill, nbconvert, WeasyPrint once)
        if self.warm:
            from revkit.batch import warm_engine

            warm_engine.register()

    # -- the warm kernels, one per thread (a kernel is used from the thread that made it)
    def kernel(self):
        """This thread's warm kernel, started on first use."""
        me = threading.get_ident()
        kernel = self._kernels.get(me)
        if kernel is None:
            from revkit.batch.warm_engine import WarmKernel

            kernel = WarmKernel()
            kernel.start()
            self._kernels[me] = kernel
        return kernel

    def thread_started(self) -> None:
        """Called by each thread before its first task: its kernel warms up meanwhile."""
        if self.warm:
            from revkit.errors import KernelError

            try:
                self.kernel()
            except KernelError:
                pass  # the thread's first task tries again, and its row says why it failed

    def thread_stopped(self) -> None:
        """Called by each thread after its last task."""
        kernel = self._kernels.pop(threading.get_ident(), None)
        if kernel is not None:
            kernel.shutdown()

    def close(self) -> None:
        """Stop every kernel left (from any thread)."""
        while self._kernels:
            kernel = self._kernels.popitem()[1]
            try:
                kernel.shutdown()
            except Exception:  # made on another thread's event loop: stop its process instead
                kernel.kill()

    def run_options(self) -> dict:
        """What this worker adds to ``run_client``'s arguments: the engine and its kwargs."""
        if not self.warm:
            return {}
        from revkit.batch.warm_engine import ENGINE_NAME

        return {"engine_name": ENGINE_NAME,
                "engine_kwargs": {"warm_kernel": self.kernel(), "work_lock": self.work_lock}}


def run_task(task: Task, state: WorkerState) -> Outcome:
    """Run one client; never raises for the client's own failure, the outcome says what
    happened. The client's hash is recorded only once all its outputs are in place."""
    from revkit.errors import RevkitError, ValidationFailed

    with state.work_lock:
        out_root = Path(task.out_root)
        started = time.perf_counter()
        row = Outcome(client=task.slug, source=task.key)
        try:
            fingerprint.drop_record(out_root, task.slug)
            runner = state.runner
            if runner is None:
                from revkit.report.run import run_client as runner
            kwargs = {"formats": task.formats}
            if task.methodology:
                kwargs["methodology_path"] = task.methodology
            if task.previous:
                kwargs["previous"] = task.previous
            if task.lang:
                kwargs["lang"] = task.lang
            if task.brand:
                kwargs["brand"] = task.brand
            if task.cell_timeout is not None:
                kwargs["cell_timeout"] = task.cell_timeout
            kwargs.update(state.run_options())
            result = runner(Path(task.source), out_root, **kwargs)
            row.client = getattr(result, "slug", None) or task.slug
            row.verdict = getattr(result, "verdict", None)
            row.level = as_level(getattr(result, "level", None))
            if not fingerprint.outputs_complete(out_root, row.client, task.formats):
                raise RuntimeError("the run finished but its outputs are incomplete")
            fingerprint.write_record(out_root, row.client, task.fingerprint, task.key,
                                     task.formats)
        except ValidationFailed as exc:
            row.status, row.message = "invalid", exc.summary().splitlines()[0]
        except RevkitError as exc:
            row.status, row.message = "failed", str(exc).strip().splitlines()[0]
        except Exception as exc:  # a bug in one client's run must not stop the others
            last = traceback.extract_tb(exc.__traceback__)[-1:]
            where = f" ({last[0].filename}:{last[0].lineno})" if last else ""
            row.status, row.message = "failed", f"{type(exc).__name__}: {exc}{where}"
        row.seconds = round(time.perf_counter() - started, 2)
        return row
