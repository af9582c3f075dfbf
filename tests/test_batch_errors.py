"""Batch and portfolio refuse bad arguments up front, with exit 2 and a clear message."""

from __future__ import annotations

import logging

from revkit.portfolio.build import load_results


def test_bad_methodology_is_one_error_before_any_client_runs(tmp_path, copy_demo, run_cli):
    clients = tmp_path / "clients"
    clients.mkdir()
    copy_demo("nordkraft-tools").rename(clients / "nordkraft-tools")
    method = tmp_path / "m.yaml"
    method.write_text("version: x1\nweigths: {}\n")
    out = tmp_path / "out"
    result = run_cli("batch", clients, "--out", out, "--methodology", method, "--formats", "html")
    assert result.exit_code == 2
    assert "weigths" in result.stderr and "did you mean" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_no_client_found_is_an_error(tmp_path, run_cli):
    (tmp_path / "empty").mkdir()
    result = run_cli("batch", tmp_path / "empty", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "no client found" in result.stderr


def test_output_root_that_is_a_file(tmp_path, copy_demo, run_cli):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run_cli("run", copy_demo("nordkraft-tools"), "--out", blocker)
    assert result.exit_code == 2 and "is a file, not a folder" in result.stderr


def test_portfolio_names_unreadable_results(tmp_path, caplog):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "results.json").write_text("{truncated")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "results.json").write_text("[]")
    with caplog.at_level(logging.WARNING):
        assert load_results(tmp_path) == []
    text = caplog.text
    assert "a/results.json" in text and "b/results.json" in text
