"""A papermill engine that reuses one pre-warmed kernel per worker process.

A fresh kernel spends about two seconds of CPU starting and importing pandas,
matplotlib and seaborn before a report's first cell runs. In a batch each
worker process instead starts one kernel, imports those libraries once
(``revkit.batch.warm_state.warm_up``) and, before each client, resets it to the
state a fresh kernel would have (``revkit.batch.warm_state.reset``): empty
namespace, execution count 1, no figure, default settings, empty caches.
Execution itself is papermill's own client, so outputs, failure handling and
the executed notebook are the same as with the default engine.

``install()`` registers the engine with papermill as ``revkit-warm``;
``revkit.report.run.run_client(..., engine_name="revkit-warm")`` then uses it. A dead
kernel is replaced before the next client.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

from revkit.batch.warm_state import ENGINE_NAME  # noqa: F401  (re-exported: the engine's name)

# one kernel per thread and kernel name: a worker may run a client in each of its threads
_KERNELS: dict[tuple[int, str], WarmKernel] = {}
_FINALIZER = None
_WAIT_LOCK: threading.Lock | None = None


class KernelResetError(RuntimeError):
    """The reused kernel could not be brought back to a clean state."""


class WarmKernel:
    """One long-lived kernel and its client, reset between notebooks."""

    def __init__(self, kernel_name: str = "python3", startup_timeout: float = 60):
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.km: AsyncKernelManager | None = None
        self.kc = None
        self.clients_run = 0
        self.kit_stamp: tuple = ()

    # -- life cycle (run_sync keeps every call on this thread's one event loop)
    def start(self, warm: bool = True) -> None:
        run_sync(self._start)(warm)

    async def _start(self, warm: bool) -> None:
        self.kit_stamp = kit_stamp()
        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        # The kernel's own stderr only carries start-up notices; a notebook's output
        # reaches the executed notebook through the kernel's messages, not this stream.
        await self.km.start_kernel(stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=self.startup_timeout)
        self.kc.allow_stdin = False
        if warm:
            # Not silent: IPython's matplotlib integration only hooks into visible runs.
            from revkit.paths import NOTEBOOKS_DIR

            notebooks = sorted(str(p) for p in NOTEBOOKS_DIR.glob("*.ipynb"))
            await self._run("import revkit.batch.warm_state as _w; "
                            f"_w.warm_up({json.dumps(notebooks)}); del _w", silent=False)

    def alive(self) -> bool:
        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        if self.km is None:
            return
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            self.km = self.kc = None

    def kill(self) -> None:
        """Stop the kernel's process without a word to it."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        self.km = self.kc = None

    def reset(self, cwd: str) -> None:
        """Bring the kernel back to a fresh kernel's state, working in ``cwd``."""
        # A kernel whose kit modules were edited since it imported them would run the
        # new notebook against old code: start a new one, as for a dead kernel.
        if not self.alive() or self.kit_stamp != kit_stamp():
            self.shutdown()
            self.start()
        run_sync(self._run)(f"import revkit.batch.warm_state as _w; _w.reset({json.dumps(cwd)})")

    async def _run(self, code: str, silent: bool = True) -> None:
        # no history: the notebook's execution count is not advanced
        msg_id = self.kc.execute(code, silent=silent, store_history=False)
        while True:
            reply = await self.kc.get_shell_msg(timeout=self.startup_timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelResetError(f"{content.get('ename')}: {content.get('evalue')}")


def kit_stamp() -> tuple:
    """Path, size and modification time of every kit file a report depends on
    (``revkit.layers``): cheap to compare."""
    from revkit import layers

    return tuple((str(f), st.st_size, st.st_mtime_ns) for _, f in layers.report_files()
                 for st in [f.stat()])


def kernel_for(kernel_name: str = "python3", startup_timeout: float = 60) -> WarmKernel:
    """This thread's warm kernel for ``kernel_name``, started on first use."""
    key = (threading.get_ident(), kernel_name)
    kernel = _KERNELS.get(key)
    if kernel is None:
        kernel = WarmKernel(kernel_name, startup_timeout)
        kernel.start()
        _KERNELS[key] = kernel
    return kernel


def start_thread_kernel() -> None:
    """Start this thread's kernel now, so its warm-up overlaps other work."""
    kernel_for()


def shutdown_thread() -> None:
    """Stop this thread's warm kernels."""
    me = threading.get_ident()
    for key in [k for k in _KERNELS if k[0] == me]:
        _KERNELS.pop(key).shutdown()


def shutdown_all() -> None:
    """Stop every warm kernel of this process."""
    while _KERNELS:
        kernel = _KERNELS.popitem()[1]
        try:
            kernel.shutdown()
        except Exception:  # made on another thread's event loop: stop its process instead
            kernel.kill()


def release_while_executing(lock: threading.Lock | None) -> None:
    """While a notebook executes, give up ``lock`` (held by the calling thread), so another
    thread of this worker can do its own work meanwhile (see ``revkit.batch.pool``)."""
    global _WAIT_LOCK
    _WAIT_LOCK = lock


class WarmEngine(Engine):
    """papermill engine: papermill's nbclient execution on a reused, reset kernel."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 **kwargs):
        # papermill has already changed into the notebook's working directory (its cwd=)
        cwd = os.getcwd()
        lock = _WAIT_LOCK
        if lock is not None:
            lock.release()
        try:
            return cls._execute(nb_man, kernel_name, cwd, log_output, stdout_file,
                                stderr_file, start_timeout, execution_timeout, **kwargs)
        finally:
            if lock is not None:
                lock.acquire()

    @classmethod
    def _execute(cls, nb_man, kernel_name, cwd, log_output, stdout_file, stderr_file,
                 start_timeout, execution_timeout, **kwargs):
        kernel = kernel_for(kernel_name or "python3", start_timeout)
        kernel.reset(cwd)
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
            log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
        client = PapermillNotebookClient(nb_man, km=kernel.km, **final_kwargs)
        client.kc = kernel.kc  # reuse the open channels; the client then leaves them open
        try:
            return client.execute()
        finally:
            kernel.clients_run += 1


def install(start: bool = True, kernel_name: str = "python3") -> None:
    """Register the engine with papermill as ``revkit-warm`` in this process; optionally
    start its kernel now, so the imports overlap with other work."""
    global _FINALIZER
    papermill_engines.register(ENGINE_NAME, WarmEngine)
    if _FINALIZER is None:
        # multiprocessing workers leave through os._exit, which skips atexit: a Finalize
        # still runs, so the kernels stop with their worker (and are waited for).
        import atexit
        from multiprocessing.util import Finalize

        _FINALIZER = Finalize(None, shutdown_all, exitpriority=10)
        atexit.register(shutdown_all)
    if start:
        kernel_for(kernel_name)
