"""Faults: real processes killed at moments seen on disk, a dead kernel, a hanging cell, a full
disk, an unwritable folder, a dead worker. Each ends in a message naming the client, the other
clients finish, no file under a final name is ever partial, and the next run recovers."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import threading
import time

import nbformat
import psutil
import pytest
from batch_fakes import check_results, fake_run_client, one_kit_fingerprint
from fault_helpers import (
    check_tree,
    client,
    kernels_of,
    kill,
    kill_group,
    leftovers,
    start,
    wait_for,
    workers_of,
)

import revkit.report.run
from revkit import atomic
from revkit.batch import fingerprint
from revkit.batch.runner import run_batch
from revkit.errors import OutputError, RunError, UsageError
from revkit.paths import DEMO_CLIENTS_DIR
from revkit.report.run import NOTEBOOK, run_client

SLUG = "helix-cloud"
REPORT = {f"{SLUG}/{name}" for name in (f"{SLUG}.html", f"{SLUG}.pdf", f"{SLUG}-brief.pdf",
                                        f"{SLUG}.ipynb", "results.json", "inputs.zip")}


@pytest.fixture(autouse=True)
def stable_kit(monkeypatch):
    one_kit_fingerprint(monkeypatch)


def _hanging_notebook(folder, slug: str):
    """The report notebook with one more cell, after the parameters, that never ends for the
    client ``slug`` (a library stuck on a lock, say) and does nothing for the others."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell(
        f"import time\nwhile {slug!r} in str(client_path):\n    time.sleep(1)"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "assessment.ipynb"
    nbformat.write(nb, path)
    return path


class _FullDisk:
    """A file whose writes fail half way with ENOSPC, as on a full disk."""

    def __init__(self, fh):
        self._fh = fh

    def write(self, data):
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


def _fill_disk_on(monkeypatch, marker: str) -> None:
    """Every atomic write whose temporary name holds ``marker`` hits a full disk."""
    real = os.fdopen

    def fdopen(fd, *args, **kwargs):
        fh = real(fd, *args, **kwargs)
        target = os.readlink(f"/proc/self/fd/{fd}")
        return _FullDisk(fh) if marker in os.path.basename(target) else fh

    monkeypatch.setattr(atomic.os, "fdopen", fdopen)


# ------------------------------------------------------------------ revkit run, killed

def test_a_run_killed_while_it_writes_leaves_no_partial_report_and_the_next_run_recovers(
        tmp_path):
    out = tmp_path / "out"
    proc = start("run", DEMO_CLIENTS_DIR / SLUG, "--out", out, "--formats", "html,pdf")
    # the HTML is in place: the PDF and the brief are being rendered and written
    wait_for(lambda: (out / SLUG / f"{SLUG}.html").exists(), what="the HTML", proc=proc)
    kill_group(proc)
    assert proc.returncode == -signal.SIGKILL
    written = set(check_tree(out))          # whatever is there is whole
    assert f"{SLUG}/{SLUG}.html" in written and f"{SLUG}/{SLUG}.pdf" not in written
    assert REPORT - written                 # the run did not finish
    (out / SLUG / f".{SLUG}.pdf.x1.tmp").write_bytes(b"%PDF-1.7 half")  # as a killed writer's

    run_client(DEMO_CLIENTS_DIR / SLUG, out, formats=("html", "pdf"))
    assert set(check_tree(out)) == REPORT
    assert leftovers(out) == []             # the killed run's temporary files are gone


# ------------------------------------------------------------------ revkit batch, killed

def test_a_batch_killed_mid_run_resumes_with_only_the_rest_and_every_report_whole(tmp_path):
    clients, out = tmp_path / "clients", tmp_path / "reports"
    client(clients, "first", "helix-cloud")   # the larger input (its CRM export) runs first
    client(clients, "second")
    proc = start("batch", clients, "--out", out, "--jobs", "1", "--formats", "html,pdf")
    # "first" is recorded as done and "second" is executing its notebook
    wait_for(lambda: (out / "first" / fingerprint.RECORD_NAME).exists()
             and (out / "second" / "results.json").exists(), what="the second client", proc=proc)
    kill_group(proc)
    check_tree(out)
    assert [r.slug for r in fingerprint.read_records(out).values()] == ["first"]
    assert not (out / "second" / "second.pdf").exists()
    for half in (out / ".index.html.x1.tmp", out / "second" / ".second.pdf.x2.tmp"):
        half.write_text("as a killed writer leaves it")   # wherever the kill may land

    resumed = run_batch(clients, out, jobs=1, formats=("html", "pdf"))
    assert [(r.client, r.status) for r in resumed.rows] == [("first", "skipped"),
                                                            ("second", "ok")]
    written = set(check_tree(out))          # real PDFs read by pypdf, results by the schema
    for slug in ("first", "second"):
        assert {f"{slug}/{slug}.pdf", f"{slug}/{slug}-brief.pdf", f"{slug}/{slug}.html",
                f"{slug}/results.json", f"{slug}/{fingerprint.RECORD_NAME}"} <= written
    assert leftovers(out) == []
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"] == {"ok": 1, "skipped": 1, "failed": 0, "invalid": 0}


# ------------------------------------------------------------------ faults in one batch

def test_each_fault_fails_its_own_client_by_name_and_the_others_finish(
        tmp_path, monkeypatch, run_cli):
    clients, out = tmp_path / "clients", tmp_path / "reports"
    # largest input first: the order the batch runs them in
    for i, slug in enumerate(["blocked", "doomed", "after-death", "full", "stuck",
                              "after-hang"]):
        client(clients, slug, pad=1000 - 100 * i)
    out.mkdir()
    (out / "blocked").write_text("a file where the client's folder must go")
    _fill_disk_on(monkeypatch, ".full.html.")
    monkeypatch.setattr(revkit.report.run, "NOTEBOOK", _hanging_notebook(tmp_path / "nb", "stuck"))
    killed = []

    def kill_the_kernel_of_doomed():      # once its notebook runs, its kernel is killed
        wait_for(lambda: (out / "doomed" / "results.json").exists(), what="doomed's run")
        wait_for(lambda: kernels_of(os.getpid()), what="doomed's kernel")
        killed.extend(kernels_of(os.getpid()))
        kill(killed, reap=False)          # their parent, the batch, must see them die

    killer = threading.Thread(target=kill_the_kernel_of_doomed, daemon=True)
    killer.start()
    result = run_cli("batch", clients, "--out", out, "--jobs", "1", "--formats", "html",
                     "--cell-timeout", "3")
    killer.join(5)
    assert killed and not any(p.is_running() for p in killed)
    assert result.exit_code == 1, result.output          # docs/batch.md: a client failed
    rows = {r["client"]: r for r in json.loads((out / "summary.json").read_text())["clients"]}
    assert {slug: r["status"] for slug, r in rows.items()} == {
        "blocked": "failed", "doomed": "failed", "after-death": "ok", "full": "failed",
        "stuck": "failed", "after-hang": "ok"}
    assert "is a file, not a folder" in rows["blocked"]["message"]
    assert "Client doomed (doomed)" in rows["doomed"]["message"]
    assert "died" in rows["doomed"]["message"]
    assert rows["full"]["message"] == (f"cannot write {out / 'full' / 'full.html'}: "
                                       "No space left on device")
    assert rows["stuck"]["message"] == (
        "Client stuck (stuck): cell 3 [import time] ran longer than the cell timeout of 3 s "
        "and was stopped (--cell-timeout or $REVKIT_CELL_TIMEOUT sets it)")
    for slug in ("blocked", "doomed", "full", "stuck"):     # said at once, by name
        assert f"failed: {slug}: " in result.stderr
    # nothing partial anywhere, no report beside a failure, the others complete
    names = set(check_tree(out))
    assert leftovers(out) == []
    for slug in ("doomed", "full", "stuck"):
        assert f"{slug}/{slug}.html" not in names and not (out / slug / ".revkit-hash").exists()
    for slug in ("after-death", "after-hang"):
        assert {f"{slug}/{slug}.html", f"{slug}/.revkit-hash"} <= names
    assert kernels_of(os.getpid()) == []                 # no kernel left running


# ------------------------------------------------------------------ a dead worker process

def test_a_killed_worker_s_clients_are_run_again_by_its_replacement(tmp_path):
    clients, out = tmp_path / "clients", tmp_path / "reports"
    client(clients, "one")
    client(clients, "two", "helix-cloud")
    killed: list[psutil.Process] = []

    def kill_every_worker_once_a_client_runs():
        wait_for(lambda: list(out.glob("*/results.json")), what="a client's run")
        killed.extend(workers_of(os.getpid()))
        kernels = [k for w in killed for k in kernels_of(w.pid)]
        kill(killed, reap=False)            # the pool is their parent: it sees them die
        kill(kernels)

    killer = threading.Thread(target=kill_every_worker_once_a_client_runs, daemon=True)
    killer.start()
    summary = run_batch(clients, out, jobs=2, formats=("html",), engine="fresh")
    killer.join(5)
    assert len(killed) == 2            # both workers died: only their replacements were left
    assert not any(w.is_running() for w in killed)
    assert [(r.client, r.status) for r in summary.rows] == [("one", "ok"), ("two", "ok")]
    rerun = [r for r in summary.rows if r.message]
    assert rerun and all(r.message == "ran again: its worker process stopped (killed by "
                                      "SIGKILL)" for r in rerun)
    names = set(check_tree(out))
    assert {"one/one.html", "two/two.html", "one/.revkit-hash", "two/.revkit-hash"} <= names
    assert leftovers(out) == []


def test_a_client_that_kills_each_of_its_workers_fails_by_name_and_the_others_finish(tmp_path):
    clients, out = tmp_path / "clients", tmp_path / "reports"
    client(clients, "steady")
    client(clients, "doomed").joinpath("profile.yaml").write_text(
        (clients / "doomed" / "profile.yaml").read_text().replace(
            "Client doomed", "Doomed CRASH WORKER AG"))
    client(clients, "shaky").joinpath("profile.yaml").write_text(
        (clients / "shaky" / "profile.yaml").read_text().replace(
            "Client shaky", "Shaky CRASH ONCE AG"))
    summary = run_batch(clients, out, jobs=2, formats=("html",), engine="fresh",
                        runner=fake_run_client)
    rows = {r.client: r for r in summary.rows}
    assert {slug: r.status for slug, r in rows.items()} == {
        "doomed": "failed", "shaky": "ok", "steady": "ok"}
    assert rows["doomed"].message == "its worker process stopped (exit code 3) on each of 2 tries"
    assert rows["shaky"].message == "ran again: its worker process stopped (exit code 3)"
    assert summary.failed


# ------------------------------------------------------------------ revkit run's own faults

def test_a_hanging_cell_in_a_run_times_out_naming_the_client_and_the_cell(tmp_path, monkeypatch):
    monkeypatch.setattr(revkit.report.run, "NOTEBOOK",
                        _hanging_notebook(tmp_path / "nb", SLUG))
    with pytest.raises(RunError) as caught:
        run_client(DEMO_CLIENTS_DIR / SLUG, tmp_path / "out", formats=("html",), cell_timeout=2)
    assert str(caught.value) == (
        "Helix Cloud, Inc. (helix-cloud): cell 3 [import time] ran longer than the cell timeout "
        "of 2 s and was stopped (--cell-timeout or $REVKIT_CELL_TIMEOUT sets it)")
    assert (caught.value.client, caught.value.cell) == (SLUG, 3)
    assert set(check_tree(tmp_path / "out")) == {f"{SLUG}/results.json", f"{SLUG}/inputs.zip"}
    assert leftovers(tmp_path / "out") == [] and kernels_of(os.getpid()) == []


def test_the_cell_timeout_comes_from_the_option_else_the_environment(monkeypatch, run_cli,
                                                                     tmp_path):
    from revkit.report.cell_timeout import CELL_TIMEOUT_SECONDS, cell_timeout_seconds

    monkeypatch.delenv("REVKIT_CELL_TIMEOUT", raising=False)
    assert cell_timeout_seconds() == CELL_TIMEOUT_SECONDS == 600
    monkeypatch.setenv("REVKIT_CELL_TIMEOUT", "45")
    assert (cell_timeout_seconds(), cell_timeout_seconds(5), cell_timeout_seconds(0)) == (45, 5, 0)
    for bad in ("soon", "-1", "inf"):
        monkeypatch.setenv("REVKIT_CELL_TIMEOUT", bad)
        with pytest.raises(UsageError, match=rf"\$REVKIT_CELL_TIMEOUT takes a number of "
                                             rf"seconds \(0 for no limit\), got '{bad}'"):
            cell_timeout_seconds()
        result = run_cli("run", DEMO_CLIENTS_DIR / SLUG, "--out", tmp_path / "out")
        assert result.exit_code == 2 and "REVKIT_CELL_TIMEOUT" in result.stderr
        assert "Traceback" not in result.output and not (tmp_path / "out").exists()
    result = run_cli("batch", DEMO_CLIENTS_DIR, "--out", tmp_path / "b", "--cell-timeout", "-2")
    assert result.exit_code == 2 and "--cell-timeout" in result.output


def test_a_full_disk_in_a_run_names_the_file_and_leaves_nothing_half_written(
        tmp_path, monkeypatch, run_cli):
    _fill_disk_on(monkeypatch, ".results.json.")
    out = tmp_path / "out"
    result = run_cli("run", DEMO_CLIENTS_DIR / SLUG, "--out", out, "--formats", "html")
    assert result.exit_code == 1
    assert result.stderr == (f"error: cannot write {out / SLUG / 'results.json'}: "
                             "No space left on device\n")
    assert check_tree(out) == [] and leftovers(out) == []
    assert kernels_of(os.getpid()) == []                 # its early kernel was stopped


def test_an_output_folder_that_cannot_be_written_is_refused_before_any_work(
        tmp_path, monkeypatch, run_cli):
    # running as root, a folder's mode does not stop a write: refuse it where the kit probes
    out = tmp_path / "locked"
    out.mkdir()
    real = atomic.tempfile.NamedTemporaryFile

    def refuse(*args, **kwargs):
        if kwargs.get("dir") is not None and str(kwargs["dir"]).startswith(str(out)):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real(*args, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "NamedTemporaryFile", refuse)
    for command in (["run", DEMO_CLIENTS_DIR / SLUG], ["batch", DEMO_CLIENTS_DIR]):
        result = run_cli(*command, "--out", out, "--formats", "html")
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"error: cannot write to {out}: Permission denied; choose a "
                                 "folder you can write to\n")
        assert list(out.iterdir()) == []
    with pytest.raises(OutputError, match="Permission denied"):
        atomic.write_text(out / "x" / "results.json", "{}")


def test_the_batch_fakes_write_results_the_schema_accepts(tmp_path):
    # the stand-in's results.json meets the schema a real run's does; the old stand-in's
    # (a word for a confidence, no assessment date) is refused by the same check
    fake_run_client(DEMO_CLIENTS_DIR / SLUG, tmp_path, formats=("html",))
    check_results(json.loads((tmp_path / SLUG / "results.json").read_text()))
    with pytest.raises(AssertionError, match="confidence"):
        check_results({**json.loads((tmp_path / SLUG / "results.json").read_text()),
                       "recommendation": {"verdict": "full_revops", "confidence": "high"}})
    with pytest.raises(AssertionError, match="assessment_date"):
        results = json.loads((tmp_path / SLUG / "results.json").read_text())
        del results["client"]["assessment_date"]
        check_results(results)


# ------------------------------------------------------------------ long: many moments

@pytest.mark.long
def test_runs_killed_at_random_moments_never_leave_a_partial_file(tmp_path):
    rng = random.Random(13)
    out = tmp_path / "out"
    for _ in range(6):
        proc = start("run", DEMO_CLIENTS_DIR / SLUG, "--out", out, "--formats", "html,pdf,pptx")
        wait_for(lambda: out.exists(), what="the output folder", proc=proc)
        try:
            proc.wait(rng.uniform(0.0, 9.0))
        except Exception:  # still running: the moment to kill it
            kill_group(proc)
        check_tree(out)
    done = start("run", DEMO_CLIENTS_DIR / SLUG, "--out", out, "--formats", "html,pdf,pptx")
    assert done.wait(180) == 0, done.stderr.read()
    assert set(check_tree(out)) == REPORT | {f"{SLUG}/{SLUG}.pptx"}
    assert leftovers(out) == []


@pytest.mark.long
@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_batches_interrupted_at_random_moments_resume_to_whole_reports(tmp_path, how):
    rng = random.Random(14)
    clients, out = tmp_path / "clients", tmp_path / "reports"
    for i, demo in enumerate(["nordkraft-tools", "helix-cloud", "brightpath-analytics"]):
        client(clients, f"client-{i}", demo)
    args = ("batch", clients, "--out", out, "--jobs", "2", "--formats", "html,pdf")
    for _ in range(3):
        started = time.time()
        proc = start(*args)
        # a client of this batch is running (or the batch found nothing left to do); a
        # Ctrl-C while Python itself still starts up is Python's, not the kit's
        wait_for(lambda proc=proc, started=started: proc.poll() is not None or any(
            p.stat().st_mtime > started for p in out.glob("*/results.json")),
            what="a client's run")
        try:
            proc.wait(rng.uniform(0.0, 6.0))
        except Exception:
            if how == "SIGKILL":
                kill_group(proc)
            else:
                family = psutil.Process(proc.pid).children(recursive=True)
                proc.send_signal(signal.SIGINT)
                code, err = proc.wait(60), proc.stderr.read()
                assert (code, "batch interrupted" in err) == (130, True), err
                psutil.wait_procs(family, timeout=15)
        check_tree(out)
    before = {r.slug for r in fingerprint.read_records(out).values()}
    resumed = run_batch(clients, out, jobs=2, formats=("html", "pdf"))
    assert {r.client: r.status for r in resumed.rows} == {
        f"client-{i}": "skipped" if f"client-{i}" in before else "ok" for i in range(3)}
    names = set(check_tree(out))
    for i in range(3):
        assert {f"client-{i}/client-{i}.pdf", f"client-{i}/client-{i}-brief.pdf"} <= names
    assert leftovers(out) == []


@pytest.mark.long
def test_a_killed_dask_worker_s_client_is_run_again_and_completes(tmp_path):
    pytest.importorskip("distributed")
    clients, out = tmp_path / "clients", tmp_path / "reports"
    client(clients, "one")
    client(clients, "two", "helix-cloud")
    killed: list[psutil.Process] = []

    def running():      # a Dask worker process (under this process) whose client runs
        return [w for w in workers_of(os.getpid()) if kernels_of(w.pid)]

    def kill_a_worker_running_a_client():
        wait_for(lambda: list(out.glob("*/results.json")) and running(), what="a client's run")
        worker = running()[0]
        killed.append(worker)
        kernels = kernels_of(worker.pid)
        kill([worker], reap=False)
        kill(kernels)

    killer = threading.Thread(target=kill_a_worker_running_a_client, daemon=True)
    killer.start()
    summary = run_batch(clients, out, jobs=2, formats=("html",), executor="dask",
                        engine="fresh")
    killer.join(5)
    assert killed and not killed[0].is_running()
    assert [(r.client, r.status) for r in summary.rows] == [("one", "ok"), ("two", "ok")]
    assert {"one/one.html", "two/two.html"} <= set(check_tree(out))
    assert leftovers(out) == []
