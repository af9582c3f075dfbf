"""Progress: a live bar on a terminal whichever executor runs the clients; none in a log."""

from __future__ import annotations

import pytest
from batch_fakes import fake_run_client

from revkit.batch.runner import run_batch
from tests.client_copies import demo_copies as _clients


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_a_terminal_shows_a_live_bar_for_either_executor(executor, tmp_path, monkeypatch, capsys):
    if executor == "dask":
        pytest.importorskip("distributed", reason="Dask is not installed (pip install 'revkit[dask]')")
    # what rich sees on a real terminal
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    monkeypatch.setenv("COLUMNS", "100")
    summary = run_batch(_clients(tmp_path / "clients"), tmp_path / "reports", jobs=2,
                        executor=executor, formats=("html",), runner=fake_run_client,
                        engine="fresh", progress=True)
    assert [r.status for r in summary.rows] == ["ok"] * 3
    bar = capsys.readouterr().err
    assert "clients" in bar and "3/3" in bar and "━" in bar


def test_a_log_gets_no_bar(tmp_path, run_cli, monkeypatch):
    import revkit.report.run

    monkeypatch.setattr(revkit.report.run, "run_client", fake_run_client)
    result = run_cli("batch", _clients(tmp_path / "clients", 2), "--out", tmp_path / "reports",
                     "--jobs", "1", "--formats", "html", "--engine", "fresh")
    assert result.exit_code == 0, result.output
    assert "━" not in result.stderr and "2/2" not in result.stderr
