"""A papermill engine that runs a notebook on a pre-warmed kernel handed to it.

A fresh kernel spends about two seconds of CPU starting and importing pandas,
matplotlib and seaborn before a report's first cell runs. A batch worker instead
keeps a ``WarmKernel`` that imported those libraries once
(``revkit.batch.warm_state.warm_up``) and, before each client, is reset to the
state a fresh kernel would have (``revkit.batch.warm_state.reset``): empty
namespace, execution count 1, no figure, default settings, empty caches.
Execution itself is papermill's own client, so outputs, failure handling and
the executed notebook are the same as with the default engine.

The engine holds no state of its own. Whoever runs a notebook passes the kernel
and, optionally, a lock to give up while the kernel executes through papermill's
engine keyword arguments::

    papermill.execute_notebook(..., engine_name=ENGINE_NAME,
                               warm_kernel=kernel, work_lock=lock)

(``revkit.batch.worker`` does that; ``register()`` makes the name known to papermill).
A dead kernel, or one whose kit modules changed since it imported them, is
replaced before the next notebook.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

from revkit.batch.warm_state import ENGINE_NAME
from revkit.errors import KernelError, KitError

_POLL_SECONDS = 1.0


class WarmKernel:
    """One long-lived kernel and its client, reset between notebooks.

    Use it from one thread only: ``run_sync`` ties its calls to that thread's event loop."""

    def __init__(self, kernel_name: str = "python3", startup_timeout: float = 60):
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.km: AsyncKernelManager | None = None
        self.kc = None
        self.clients_run = 0
        self.kit_stamp: tuple = ()

    def start(self, warm: bool = True) -> None:
        try:
            run_sync(self._start)(warm)
        except KernelError:
            raise
        except Exception as exc:  # no such kernel, a timeout, a crash during the warm-up
            self.kill()
            raise KernelError(f"the warm kernel could not start: {type(exc).__name__}: "
                              f"{exc}") from exc

    async def _start(self, warm: bool) -> None:
        self.kit_stamp = kit_stamp()
        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        # The kernel's own stderr only carries start-up notices; a notebook's output
        # reaches the executed notebook through the kernel's messages, not this stream.
        # It starts in the notebooks' folder, not wherever the batch was started: its
        # first sys.path entry is that folder, and a `revkit/` package there (another
        # checkout, say) would otherwise be imported instead of this kit.
        from revkit.paths import NOTEBOOKS_DIR

        await self.km.start_kernel(stderr=subprocess.DEVNULL, cwd=str(NOTEBOOKS_DIR))
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=self.startup_timeout)
        self.kc.allow_stdin = False
        if warm:
            # Not silent: IPython's matplotlib integration only hooks into visible runs.
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
        """Stop the kernel's process without a word to it (from any thread)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        try:
            if self.kc is not None:
                self.kc.stop_channels()
        except Exception:  # made on another thread's event loop: its sockets go with it
            pass
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
        waited = 0.0
        while True:
            try:
                # in short waits, so that a kernel that dies is noticed within a second
                reply = await self.kc.get_shell_msg(timeout=_POLL_SECONDS)
            except queue.Empty:
                waited += _POLL_SECONDS
                if not await self.km.is_alive():
                    raise KernelError("the warm kernel died while it was being reset") from None
                if waited >= self.startup_timeout:
                    raise KernelError(f"the warm kernel did not answer within "
                                      f"{self.startup_timeout:g} s") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelError(f"the warm kernel could not be reset: {content.get('ename')}: "
                              f"{content.get('evalue')}")


def kit_stamp() -> tuple:
    """Path, size and modification time of every kit file a report depends on
    (``revkit.layers``): cheap to compare."""
    from revkit import layers

    return tuple((str(f), st.st_size, st.st_mtime_ns) for _, f in layers.report_files()
                 for st in [f.stat()])


class WarmEngine(Engine):
    """papermill engine: papermill's nbclient execution on a reused, reset kernel."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None,
                                 warm_kernel: WarmKernel | None = None, work_lock=None,
                                 **kwargs):
        # ours, popped here: nbclient's client must not see them
        if warm_kernel is None:
            raise KitError(f"papermill engine {ENGINE_NAME!r} needs warm_kernel=")
        # The kernel works in the notebook's own folder, as a fresh kernel started by
        # Jupyter (or revkit run's early kernel) does; no process-wide chdir is needed.
        cwd = os.path.dirname(os.path.abspath(kwargs["input_path"]))
        # While the kernel executes, another thread of this worker may do its own work.
        if work_lock is not None:
            work_lock.release()
        try:
            warm_kernel.reset(cwd)
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client = PapermillNotebookClient(nb_man, km=warm_kernel.km, **final_kwargs)
            client.kc = warm_kernel.kc  # reuse the open channels; the client then leaves them open
            try:
                return client.execute()
            except BaseException:
                # A failing cell is recorded in the notebook, not raised here: what is
                # raised is a cell that timed out (the kernel is still busy with it), a
                # dead kernel, an interruption. The kernel is not reused either way.
                warm_kernel.kill()
                raise
            finally:
                warm_kernel.clients_run += 1
        finally:
            if work_lock is not None:
                work_lock.acquire()


def register() -> None:
    """Make the engine known to papermill (in this process) as ``revkit-warm``."""
    papermill_engines.register(ENGINE_NAME, WarmEngine)
