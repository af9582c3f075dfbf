"""The warm engine: a kernel handed to papermill, reset so that nothing leaks between clients."""

from __future__ import annotations

import nbformat
import papermill
import psutil
import pytest
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook

from revkit.batch import warm_engine
from revkit.errors import KernelError, KitError, RunError

POLLUTE = [
    "import os, random, sys, warnings\n"
    "import matplotlib as mpl, matplotlib.pyplot as plt, numpy as np, pandas as pd\n"
    "import seaborn as sns\n"
    "from revkit import catalog",
    "LEAK = 42\n"
    "fig = plt.figure()\n"
    "sns.set_theme(style='darkgrid', palette='dark')\n"
    "mpl.rcParams['lines.linewidth'] = 9\n"
    "pd.set_option('display.max_rows', 3)\n"
    "np.random.seed(1); random.seed(1); np.seterr(all='raise')\n"
    "warnings.simplefilter('error')\n"
    "os.environ['REVKIT_LEAK'] = '1'\n"
    "sys.path.append('/leak')\n"
    "os.chdir('/')\n"
    "catalog.questions()\n"
    "assert catalog._load.cache_info().currsize > 0",
]

CHECK = [
    "import os, random, sys, warnings\n"
    "import matplotlib as mpl, matplotlib.pyplot as plt, numpy as np, pandas as pd\n"
    "from revkit import catalog\n"
    "from revkit.batch import warm_state",
    "leaks = []\n"
    "if 'LEAK' in globals(): leaks.append('global')\n"
    "if plt.get_fignums(): leaks.append('open figure')\n"
    "for key in ('lines.linewidth', 'axes.facecolor', 'axes.prop_cycle', 'axes.grid'):\n"
    "    if mpl.rcParams[key] != mpl.rcParamsDefault[key]: leaks.append(key)\n"
    "if pd.get_option('display.max_rows') != 60: leaks.append('pandas option')\n"
    "if np.random.random() == np.random.RandomState(1).random_sample(): leaks.append('np seed')\n"
    "if np.geterr()['divide'] != 'warn': leaks.append('np errors')\n"
    "if ('error', None, Warning, None, 0) in warnings.filters: leaks.append('warnings')\n"
    "if 'REVKIT_LEAK' in os.environ: leaks.append('environment')\n"
    "if '/leak' in sys.path: leaks.append('sys.path')\n"
    "if os.getcwd() != EXPECTED_CWD: leaks.append('cwd ' + os.getcwd())\n"
    "if catalog._load.cache_info().currsize: leaks.append('cache')\n"
    "assert not leaks, leaks",
]


def _notebook(path, cells):
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                              "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def warm():
    warm_engine.register()
    kernel = warm_engine.WarmKernel("python3")
    kernel.start()
    yield kernel
    kernel.shutdown()


def _pid(kernel) -> int:
    """The kernel's process, as its provisioner launched it; checked to be running."""
    process = kernel.km.provisioner.process
    assert process.pid == kernel.km.provisioner.pid and process.poll() is None
    assert psutil.Process(process.pid).status() != psutil.STATUS_ZOMBIE
    return process.pid


def _run(nb, out, cwd, kernel, **engine_kwargs):
    # no cwd=: the engine puts the kernel in the notebook's folder, this process stays put
    return papermill.execute_notebook(
        str(nb), str(out), engine_name=warm_engine.ENGINE_NAME, kernel_name="python3",
        parameters={"EXPECTED_CWD": str(cwd)}, progress_bar=False, warm_kernel=kernel,
        **engine_kwargs)


def test_nothing_leaks_from_one_client_to_the_next(warm, tmp_path):
    polluter = _notebook(tmp_path / "pollute.ipynb", POLLUTE)
    checker = _notebook(tmp_path / "check.ipynb", CHECK)
    before = _pid(warm)
    _run(polluter, tmp_path / "p.out.ipynb", tmp_path, warm)
    done = _run(checker, tmp_path / "c.out.ipynb", tmp_path, warm)   # raises if a leak is found
    # the same kernel process ran both, and the second notebook started counting at 1 again
    assert _pid(warm) == before
    counts = [c.execution_count for c in done.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))


def test_the_leak_check_fails_without_the_reset(warm, tmp_path, monkeypatch):
    # Proves the check above can fail: skip the reset and the polluted state shows.
    polluter = _notebook(tmp_path / "pollute.ipynb", POLLUTE)
    checker = _notebook(tmp_path / "check.ipynb", CHECK)
    _run(polluter, tmp_path / "p.out.ipynb", tmp_path, warm)
    monkeypatch.setattr(warm_engine.WarmKernel, "reset", lambda self, cwd: None)
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        _run(checker, tmp_path / "c.out.ipynb", tmp_path, warm)
    for leak in ("global", "open figure", "lines.linewidth", "axes.prop_cycle", "pandas option",
                 "np seed", "np errors", "warnings", "environment", "sys.path", "cwd", "cache"):
        assert leak in failure.value.evalue


def test_a_dead_kernel_is_replaced_before_the_next_client(warm, tmp_path):
    crash = _notebook(tmp_path / "crash.ipynb", ["import os; os._exit(1)"])
    checker = _notebook(tmp_path / "check.ipynb", CHECK)
    warm.reset(str(tmp_path))               # alive, whatever the tests before did
    died = _pid(warm)
    with pytest.raises(DeadKernelError):
        _run(crash, tmp_path / "x.out.ipynb", tmp_path, warm)
    assert not psutil.pid_exists(died) or psutil.Process(died).status() == psutil.STATUS_ZOMBIE
    _run(checker, tmp_path / "c.out.ipynb", tmp_path, warm)
    assert _pid(warm) != died                # a new kernel process ran the next notebook


def test_an_edited_kit_module_gets_a_new_kernel(warm, tmp_path, monkeypatch):
    checker = _notebook(tmp_path / "check.ipynb", CHECK)
    _run(checker, tmp_path / "c1.out.ipynb", tmp_path, warm)
    started = _pid(warm)
    monkeypatch.setattr(warm_engine, "kit_stamp", lambda: ("edited",))
    _run(checker, tmp_path / "c2.out.ipynb", tmp_path, warm)
    restarted = _pid(warm)
    assert restarted != started and not psutil.pid_exists(started)
    _run(checker, tmp_path / "c3.out.ipynb", tmp_path, warm)      # unchanged since: kernel kept
    assert _pid(warm) == restarted


class _RecordingLock:
    """Stands in for a worker's lock; records what the engine does with it."""

    def __init__(self):
        self.calls = []

    def release(self):
        self.calls.append("release")

    def acquire(self):
        self.calls.append("acquire")


def test_the_lock_is_given_up_only_while_the_kernel_executes(warm, tmp_path):
    lock = _RecordingLock()
    checker = _notebook(tmp_path / "check.ipynb", CHECK)
    _run(checker, tmp_path / "c.out.ipynb", tmp_path, warm, work_lock=lock)
    assert lock.calls == ["release", "acquire"]
    crash = _notebook(tmp_path / "crash.ipynb", ["import os; os._exit(1)"])
    with pytest.raises(DeadKernelError):
        _run(crash, tmp_path / "x.out.ipynb", tmp_path, warm, work_lock=lock)
    assert lock.calls[2:] == ["release", "acquire"]       # taken back on failure too


def test_the_engine_needs_its_kernel_passed(tmp_path):
    warm_engine.register()
    checker = _notebook(tmp_path / "check.ipynb", CHECK)
    with pytest.raises(KitError, match="warm_kernel"):
        papermill.execute_notebook(str(checker), str(tmp_path / "out.ipynb"),
                                   engine_name=warm_engine.ENGINE_NAME, progress_bar=False)


def test_a_kernel_that_cannot_be_reset_is_a_kernel_error(warm, tmp_path):
    warm.reset(str(tmp_path))               # alive again, whatever the tests before did
    with pytest.raises(KernelError) as failure:
        run_sync(warm._run)("raise ValueError('stuck')")
    assert "stuck" in str(failure.value) and isinstance(failure.value, RunError)


def test_a_revkit_folder_where_the_batch_was_started_does_not_shadow_the_kit(tmp_path,
                                                                            monkeypatch):
    # e.g. `revkit batch` run from inside another checkout: the kernel must still import
    # the kit this batch runs, not the `revkit/` package of the folder it was started in
    shadow = tmp_path / "revkit"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise ImportError('the folder revkit was started in')\n")
    monkeypatch.chdir(tmp_path)
    kernel = warm_engine.WarmKernel("python3")
    try:
        kernel.start()                       # its warm-up imports revkit
        notebook = _notebook(tmp_path / "where.ipynb",
                             ["import revkit, pathlib\n"
                              "assert 'the folder' not in open(revkit.__file__).read()"])
        _run(notebook, tmp_path / "out.ipynb", tmp_path, kernel)
    finally:
        kernel.shutdown()
