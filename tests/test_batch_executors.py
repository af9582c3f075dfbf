"""The executor seam: a batch hands plain tasks to a registered executor and summarises
what comes back; the local pool is one executor among those that could be registered."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest
from batch_fakes import calls, fake_run_client

from revkit.batch import executors
from revkit.batch.executors import EXECUTORS, Executor, LocalExecutor, executor_class
from revkit.batch.runner import run_batch
from revkit.batch.tasks import Task
from revkit.batch.worker import WorkerState, run_task
from revkit.errors import UsageError
from tests.client_copies import demo_copies as _clients


class ByWireExecutor(Executor):
    """Runs each task as a worker elsewhere would: it arrives as JSON, in another order."""

    name = "by-wire"

    def __init__(self, **options):
        super().__init__(**options)
        self.received: list[dict] = []
        self.started_with = self.state = None
        self.closed = self.terminated = False

    def start(self, workers):
        self.started_with = workers

    def run(self, tasks):
        self.state = WorkerState(self.engine, self.runner)
        for task in reversed(tasks):
            wire = json.loads(json.dumps(task.to_dict()))
            self.received.append(wire)
            yield task, run_task(Task.from_dict(wire), self.state)

    def close(self):
        self.closed = True

    def terminate(self):
        self.terminated = True


def test_the_registry_names_the_local_pool_as_the_default_and_dask_by_reference():
    assert set(EXECUTORS) == {"local", "dask"} and EXECUTORS["local"] is LocalExecutor
    assert executors.DEFAULT == "local" and executor_class("local") is LocalExecutor


def test_importing_the_executors_or_looking_up_dask_imports_no_dask():
    probe = ("import sys\n"
             "import revkit.batch.executors as e\n"
             "import revkit.batch.runner\n"
             "assert e.executor_class('dask').name == 'dask'\n"
             "print('DASK', sorted(m for m in ('dask', 'distributed') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "DASK []" in done.stdout


def test_without_dask_the_dask_executor_says_how_to_install_it(tmp_path, run_cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)         # as if it were not installed
    monkeypatch.setitem(sys.modules, "distributed", None)
    _clients(tmp_path / "clients", 1)
    result = run_cli("batch", tmp_path / "clients", "--executor", "dask",
                     "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "pip install 'revkit[dask]'" in result.stderr and "Traceback" not in result.output


def test_a_scheduler_without_the_dask_executor_is_a_usage_error(tmp_path, run_cli):
    _clients(tmp_path / "clients", 1)
    result = run_cli("batch", tmp_path / "clients", "--scheduler", "tcp://127.0.0.1:8786",
                     "--out", tmp_path / "out")
    assert result.exit_code == 2 and "--executor dask" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_executor_is_a_usage_error_naming_the_registered_ones(tmp_path, run_cli):
    with pytest.raises(UsageError, match="dask, local"):
        executor_class("spark")
    _clients(tmp_path / "clients", 1)
    result = run_cli("batch", tmp_path / "clients", "--executor", "nope",
                     "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "--executor" in result.stderr and "local" in result.stderr and "nope" in result.stderr
    assert "dask" in result.stderr
    assert not (tmp_path / "out").exists()


def test_executor_local_on_the_command_line(tmp_path, run_cli, monkeypatch):
    import revkit.report.run

    monkeypatch.setattr(revkit.report.run, "run_client", fake_run_client)
    _clients(tmp_path / "clients", 2)
    result = run_cli("batch", tmp_path / "clients", "--executor", "local", "--jobs", "1",
                     "--formats", "html", "--out", tmp_path / "out", "--engine", "fresh")
    assert result.exit_code == 0, result.output
    assert sorted(calls(tmp_path / "out")) == ["client-0", "client-1"]


def test_a_registered_executor_gets_plain_tasks_and_its_outcomes_make_the_summary(
        tmp_path, monkeypatch):
    monkeypatch.setitem(EXECUTORS, ByWireExecutor.name, ByWireExecutor)
    monkeypatch.delenv("REVKIT_CELL_TIMEOUT", raising=False)
    clients = _clients(tmp_path / "clients")
    monkeypatch.chdir(tmp_path)         # relative arguments: tasks must still stand alone
    wire = ByWireExecutor(engine="fresh", runner=fake_run_client)
    summary = run_batch("clients", "reports", executor=wire, jobs=4, formats=("html",))
    assert [(r.client, r.status) for r in summary.rows] == [
        (f"client-{i}", "ok") for i in range(3)]
    assert wire.started_with == 3 and wire.closed and not wire.terminated
    for sent in wire.received:
        assert set(sent) == {"source", "key", "slug", "fingerprint", "out_root", "formats",
                             "methodology", "previous", "lang", "brand", "cell_timeout"}
        assert sent["cell_timeout"] == 600.0      # decided by the batch, the same everywhere
        assert sent["source"].startswith(str(clients)) and sent["out_root"] == str(
            tmp_path / "reports")
    # what a worker elsewhere records is what the next batch skips on
    again = run_batch(clients, tmp_path / "reports", executor="by-wire", formats=("html",),
                      runner=fake_run_client, engine="fresh")
    assert [r.status for r in again.rows] == ["skipped"] * 3


def test_an_interrupted_executor_is_terminated(tmp_path):
    def interrupted(path, out_root, **kw):
        raise KeyboardInterrupt

    wire = ByWireExecutor(engine="fresh", runner=interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_batch(_clients(tmp_path / "clients", 1), tmp_path / "reports", executor=wire)
    assert wire.terminated and not wire.closed


def test_a_task_pickles_and_round_trips_through_json():
    task = Task("/data/clients/acme", "acme", "acme", "f" * 64, "/data/reports",
                ("html", "pdf"), None)
    assert pickle.loads(pickle.dumps(task)) == task
    assert Task.from_dict(json.loads(json.dumps(task.to_dict()))) == task


def test_an_unknown_engine_is_a_usage_error():
    with pytest.raises(UsageError, match="warm, fresh"):
        LocalExecutor(engine="tepid")


def test_a_kernel_that_cannot_be_reset_fails_its_client_by_name(tmp_path, monkeypatch):
    # A real run on the warm engine whose kernel stops answering: the client's row says so.
    from revkit.batch import warm_engine
    from revkit.errors import KernelError

    def hung(self, cwd):
        raise KernelError("the warm kernel did not answer within 60 s")

    monkeypatch.setattr(warm_engine.WarmKernel, "start", lambda self, warm=True: None)
    monkeypatch.setattr(warm_engine.WarmKernel, "reset", hung)
    summary = run_batch(_clients(tmp_path / "clients", 1), tmp_path / "reports", jobs=1,
                        formats=("html",), engine="warm", write_portfolio=False)
    (row,) = summary.rows
    assert (row.client, row.status) == ("client-0", "failed")
    assert "Client 0 (client-0)" in row.message and "did not answer" in row.message
