"""The Dask executor: a batch on a Dask cluster writes what the local pool writes, byte for
byte, and a client whose worker dies is run again on another worker and completes."""

from __future__ import annotations

import json
import shutil

import pytest
from batch_fakes import UnloadableRunner, calls, fake_run_client

from revkit.batch.runner import run_batch
from revkit.paths import DEMO_CLIENTS_DIR

distributed = pytest.importorskip(
    "distributed", reason="Dask is not installed (pip install 'revkit[dask]'; the dev extra has it)")

from revkit.batch.executors.dask_executor import DaskExecutor  # noqa: E402
from tests.client_copies import demo_copy as _client  # noqa: E402


def _files(folder, out_root):
    """Every file of a client's report folder; the executed notebook names its reports
    folder (the injected ``results_path``), so that path is set aside."""
    return {p.relative_to(folder).as_posix():
            p.read_bytes().replace(str(out_root).encode(), b"OUT")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_local_cluster_writes_the_reports_of_the_local_pool_byte_for_byte(tmp_path):
    clients = tmp_path / "clients"
    for slug in ("helix-cloud", "nordkraft-tools"):
        shutil.copytree(DEMO_CLIENTS_DIR / slug, clients / slug)
    _client(clients, "nordkraft-twin", name="Nordkraft Twin GmbH")  # a worker reuses its kernel

    pool = run_batch(clients, tmp_path / "pool", jobs=2, write_portfolio=False)
    dask = run_batch(clients, tmp_path / "dask", jobs=2, executor="dask")
    assert [(r.client, r.status) for r in dask.rows] == [(r.client, r.status) for r in pool.rows]
    assert [r.status for r in dask.rows] == ["ok"] * 3, [r.message for r in dask.rows]
    assert [(r.verdict, r.level) for r in dask.rows] == [(r.verdict, r.level) for r in pool.rows]
    for slug in ("helix-cloud", "nordkraft-tools", "nordkraft-twin"):
        by_pool = _files(tmp_path / "pool" / slug, tmp_path / "pool")
        by_dask = _files(tmp_path / "dask" / slug, tmp_path / "dask")
        assert {f"{slug}.html", f"{slug}.pdf", "results.json", ".revkit-hash"} <= set(by_dask)
        for name in (f"{slug}.html", f"{slug}.pdf", "results.json"):   # no path in these
            assert ((tmp_path / "dask" / slug / name).read_bytes()
                    == (tmp_path / "pool" / slug / name).read_bytes()), name
        assert by_dask == by_pool, slug
    assert (tmp_path / "dask" / "index.html").is_file()
    # what the cluster recorded is what the next batch skips on: no cluster is started
    again = run_batch(clients, tmp_path / "dask", jobs=2, executor="dask")
    assert [r.status for r in again.rows] == ["skipped"] * 3


def test_a_client_whose_worker_dies_is_retried_on_another_worker_and_completes(tmp_path):
    clients = tmp_path / "clients"
    _client(clients, "steady")
    _client(clients, "shaky", name="Shaky CRASH ONCE AG")
    out = tmp_path / "reports"
    executor = DaskExecutor(engine="fresh", runner=fake_run_client)
    summary = run_batch(clients, out, jobs=2, executor=executor, formats=("html",))
    assert [(r.client, r.status) for r in summary.rows] == [("shaky", "ok"), ("steady", "ok")]
    assert calls(out).count("shaky") == 2          # the first try died with its worker
    assert (out / "shaky" / ".revkit-hash").is_file()
    written = json.loads((out / "summary.json").read_text())
    assert written["counts"]["ok"] == 2 and written["failed"] is False


def test_a_client_that_kills_every_worker_fails_by_name_and_the_others_finish(tmp_path):
    clients = tmp_path / "clients"
    _client(clients, "steady")
    _client(clients, "doomed", name="Doomed CRASH WORKER AG")
    executor = DaskExecutor(engine="fresh", runner=fake_run_client, allowed_failures=1)
    summary = run_batch(clients, tmp_path / "reports", jobs=2, executor=executor,
                        formats=("html",))
    rows = {r.client: r for r in summary.rows}
    assert rows["steady"].status == "ok"
    assert rows["doomed"].status == "failed" and "worker died" in rows["doomed"].message
    assert summary.failed


def test_a_batch_runs_on_an_existing_scheduler_and_leaves_the_cluster_as_it_found_it(tmp_path):
    clients = tmp_path / "clients"
    for i in range(3):
        _client(clients, f"client-{i}")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        executor = DaskExecutor(scheduler=cluster.scheduler_address, engine="fresh",
                                runner=fake_run_client)
        summary = run_batch(clients, tmp_path / "reports", jobs=2, executor=executor,
                            formats=("html",))
        assert [r.status for r in summary.rows] == ["ok"] * 3
        plugins = client.run(lambda dask_worker: sorted(dask_worker.plugins))
        assert all(not any(n.startswith("revkit-") for n in names) for names in plugins.values())


def test_an_unreachable_scheduler_is_a_usage_error_naming_the_address(tmp_path, run_cli,
                                                                      monkeypatch):
    import socket

    with socket.socket() as probe:       # a port on this machine that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(DaskExecutor, "connect_timeout", 1.0)
    _client(tmp_path / "clients", "client-0")
    address = f"tcp://127.0.0.1:{port}"
    result = run_cli("batch", tmp_path / "clients", "--executor", "dask", "--scheduler", address,
                     "--out", tmp_path / "reports")
    assert result.exit_code == 2
    assert address in result.stderr and "Dask scheduler" in result.stderr
    assert "Traceback" not in result.output


def test_workers_that_cannot_load_the_kit_are_a_usage_error(tmp_path):
    from revkit.errors import UsageError

    _client(tmp_path / "clients", "client-0")
    executor = DaskExecutor(engine="fresh", runner=UnloadableRunner())
    with pytest.raises(UsageError, match="same revkit installed"):
        run_batch(tmp_path / "clients", tmp_path / "reports", jobs=1, executor=executor,
                  formats=("html",))
