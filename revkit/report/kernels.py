"""A report kernel started early, so its start-up overlaps the parent's own work.

A fresh kernel spends about a second starting and importing matplotlib,
seaborn and pandas before the report's first cell can run. ``revkit run``
starts one with ``start()`` while it validates and assesses the client, and
hands it to papermill (``km=``). The libraries are imported at kernel start-up
(IPython ``exec_lines``, outside the execution count and with the user
namespace left empty), so the executed notebook is the same as with a kernel
papermill starts itself.
"""

from __future__ import annotations

from jupyter_core.utils import run_sync

from revkit.paths import NOTEBOOKS_DIR

# the kernel's own start-up notices are not for the report's reader; errors still show
QUIET = ["--IPKernelApp.log_level=ERROR"]
# what the report notebook imports first; done while the parent validates
PRELOAD = ["--IPKernelApp.exec_lines=import revkit.report.charts, revkit.report.notebook",
           "--IPKernelApp.exec_lines=del revkit"]


class EarlyKernel:
    """A started kernel; pass ``.km`` to papermill, and ``shutdown()`` when done."""

    def __init__(self, kernel_name: str = "python3"):
        from jupyter_client.manager import AsyncKernelManager

        self.km = AsyncKernelManager(kernel_name=kernel_name)
        # returns once the process is launched; it boots while the caller works. It
        # runs in the notebook's own folder, as in Jupyter, not wherever revkit was called.
        run_sync(self.km.start_kernel)(extra_arguments=QUIET + PRELOAD,
                                       cwd=str(NOTEBOOKS_DIR))

    def shutdown(self) -> None:
        if self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)


def start(kernel_name: str = "python3") -> EarlyKernel:
    """A kernel for one report, starting now."""
    return EarlyKernel(kernel_name)
