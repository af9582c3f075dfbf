"""Reports of clients no longer in the input: left out of the portfolio and listed as such;
``revkit batch --prune`` removes them, and never a folder a batch did not record."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
import yaml
from batch_fakes import fake_run_client, one_kit_fingerprint

from revkit.batch import fingerprint, stale
from revkit.batch.runner import run_batch
from revkit.paths import DEMO_CLIENTS_DIR


def _client(root, key, slug=None, demo="nordkraft-tools"):
    folder = root / key
    shutil.copytree(DEMO_CLIENTS_DIR / demo, folder)
    profile = yaml.safe_load((folder / "profile.yaml").read_text())
    profile.update(slug=slug or folder.name, name=f"Client {slug or folder.name}")
    (folder / "profile.yaml").write_text(yaml.safe_dump(profile, sort_keys=False))
    return folder


def _batch(clients, out, **kw):
    return run_batch(clients, out, jobs=1, formats=("html",), runner=fake_run_client,
                     engine="fresh", **kw)


def _portfolio_slugs(out):
    return [r["slug"] for r in csv.DictReader(io.StringIO((out / "portfolio.csv").read_text()))]


@pytest.fixture(autouse=True)
def stable_kit(monkeypatch):
    one_kit_fingerprint(monkeypatch)


@pytest.fixture
def gone(tmp_path):
    """Three clients ran; then one of them left the clients folder."""
    clients, out = tmp_path / "clients", tmp_path / "reports"
    for slug in ("acme", "beta", "gamma"):
        _client(clients, slug)
    _batch(clients, out)
    shutil.rmtree(clients / "gamma")
    return clients, out


def test_a_removed_clients_report_is_left_out_of_the_portfolio_and_listed(gone):
    clients, out = gone
    summary = _batch(clients, out)
    assert [(r.client, r.status) for r in summary.rows] == [("acme", "skipped"), ("beta", "skipped")]
    assert [(s.client, s.source, s.pruned) for s in summary.stale] == [("gamma", "gamma", False)]
    written = json.loads((out / "summary.json").read_text())
    assert written["stale"] == [{"client": "gamma", "source": "gamma",
                                 "reason": "no client at gamma any more", "pruned": False}]
    assert _portfolio_slugs(out) == ["acme", "beta"]
    index = (out / "index.html").read_text()
    assert "Left out" in index and "gamma" in index and "2 clients" in index
    assert (out / "gamma" / "results.json").is_file()     # kept until --prune


def test_revkit_portfolio_leaves_out_what_the_batch_left_out(gone, run_cli):
    clients, out = gone
    _batch(clients, out)
    assert run_cli("portfolio", out).exit_code == 0
    assert _portfolio_slugs(out) == ["acme", "beta"]


def test_prune_removes_only_recorded_reports_of_clients_that_are_gone(gone, run_cli, monkeypatch):
    import revkit.report.run

    clients, out = gone
    manual = out / "by-hand"                      # e.g. written by `revkit run`: no record
    manual.mkdir()
    (manual / "results.json").write_text((out / "acme" / "results.json").read_text())
    (out / "notes").mkdir()
    (out / "notes" / "todo.txt").write_text("not a report")
    monkeypatch.setattr(revkit.report.run, "run_client", fake_run_client)
    result = run_cli("batch", clients, "--out", out, "--jobs", "1", "--formats", "html",
                     "--engine", "fresh", "--prune")
    assert result.exit_code == 0, result.output
    assert f"pruned: {out / 'gamma'}" in result.output
    assert not (out / "gamma").exists()
    assert (out / "acme").is_dir() and (out / "beta").is_dir()
    assert (manual / "results.json").is_file() and (out / "notes" / "todo.txt").is_file()
    written = json.loads((out / "summary.json").read_text())
    assert [(s["client"], s["pruned"]) for s in written["stale"]] == [("gamma", True)]
    assert "gamma" not in _portfolio_slugs(out)


def test_a_client_whose_slug_changed_leaves_its_old_report_stale(tmp_path):
    clients, out = tmp_path / "clients", tmp_path / "reports"
    _client(clients, "acme", slug="acme")
    _batch(clients, out)
    profile = yaml.safe_load((clients / "acme" / "profile.yaml").read_text())
    profile["slug"] = "acme-group"
    (clients / "acme" / "profile.yaml").write_text(yaml.safe_dump(profile, sort_keys=False))
    summary = _batch(clients, out)
    assert [s.client for s in summary.stale] == ["acme"]
    assert "now acme-group" in summary.stale[0].reason
    assert _portfolio_slugs(out) == ["acme-group"]


def test_a_client_moved_to_another_folder_keeps_its_report(tmp_path):
    clients, out = tmp_path / "clients", tmp_path / "reports"
    _client(clients, "acme")
    _batch(clients, out)
    (clients / "archive").mkdir()
    shutil.move(clients / "acme", clients / "archive" / "acme")   # same slug, same content
    summary = _batch(clients, out)
    assert summary.stale == [] and _portfolio_slugs(out) == ["acme"]


def test_a_shard_does_not_judge_the_clients_of_other_shards(tmp_path):
    clients, out = tmp_path / "clients", tmp_path / "reports"
    for slug in ("acme", "beta"):
        _client(clients, slug)
    _batch(clients, out)                          # both ran once, unsharded
    summary = _batch(clients, out, shard=(1, 2))  # acme only: beta is in shard 2
    assert summary.stale == []
    assert (out / "summary-1-of-2.json").is_file()


def test_prune_never_removes_a_folder_holding_a_client_input(tmp_path):
    out = tmp_path / "reports"
    folder = _client(out, "acme")                     # a client's own input, in reports/
    fingerprint.write_record(out, "acme", "f" * 64, "acme", ("html",))
    (done,) = stale.prune(out, [stale.StaleReport("acme", "acme", "gone")])
    assert not done.pruned and (folder / "profile.yaml").is_file()
