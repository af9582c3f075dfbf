"""Batch runs where the report pipeline is not the point: a fast stand-in writes the files
(``batch_fakes.fake_run_client``), so these scenarios test the batch itself."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from batch_fakes import calls, fake_run_client

from revkit.batch import fingerprint
from revkit.batch.runner import run_batch
from tests.client_copies import demo_copy as _client


@pytest.fixture
def portfolio(tmp_path):
    root = tmp_path / "clients"
    for i, demo in enumerate(["nordkraft-tools", "helix-cloud", "brightpath-analytics",
                              "nordkraft-tools"]):
        _client(root, f"client-{i}", demo)
    return root


@pytest.fixture(autouse=True)
def stable_kit(monkeypatch):
    """One kit fingerprint per test: files of the kit edited while the suite runs (in a
    working tree) must not look like a new kit version halfway through a scenario."""
    real, memo = fingerprint.kit_fingerprint, {}
    monkeypatch.setattr(fingerprint, "kit_fingerprint",
                        lambda methodology=None, *extra: memo.setdefault(
                            (methodology, *extra), real(methodology, *extra)))


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Make ``revkit.report.run.run_client`` the stand-in, for runs through the CLI (one job)."""
    import revkit.report.run

    monkeypatch.setattr(revkit.report.run, "run_client", fake_run_client)


def _batch(root, out, **kw):
    kw.setdefault("jobs", 1)
    kw.setdefault("formats", ("html",))
    return run_batch(root, out, runner=fake_run_client, engine="fresh", **kw)


def test_parallel_batch_runs_every_client_and_writes_its_summary(portfolio, tmp_path):
    out = tmp_path / "reports"
    summary = _batch(portfolio, out, jobs=2, formats=("html", "pdf"))
    assert [(r.client, r.status) for r in summary.rows] == [
        (f"client-{i}", "ok") for i in range(4)]
    assert not summary.failed
    for i in range(4):
        folder = out / f"client-{i}"
        assert (folder / "results.json").is_file() and (folder / f"client-{i}.pdf").is_file()
        assert (folder / fingerprint.RECORD_NAME).is_file()
    written = json.loads((out / "summary.json").read_text())
    assert written == json.loads(json.dumps(summary.to_dict()))
    assert written["counts"] == {"ok": 4, "skipped": 0, "failed": 0, "invalid": 0}
    assert (out / "index.html").is_file() and (out / "portfolio.csv").is_file()


def test_unchanged_clients_are_skipped_until_an_input_changes(portfolio, tmp_path):
    out = tmp_path / "reports"
    _batch(portfolio, out)
    assert len(calls(out)) == 4
    again = _batch(portfolio, out)
    assert [r.status for r in again.rows] == ["skipped"] * 4
    assert len(calls(out)) == 4                      # nothing ran
    first = json.loads((out / "client-1" / "results.json").read_text())
    row = next(r for r in again.rows if r.client == "client-1")
    assert row.verdict == first["recommendation"]["verdict"]
    assert row.level == first["levels"]["overall"]

    with open(portfolio / "client-2" / "survey.csv", "a") as fh:
        fh.write("br-99,sales,silos_01,5,\n")
    third = _batch(portfolio, out)
    assert calls(out)[4:] == ["client-2"]
    assert {r.client: r.status for r in third.rows}["client-2"] == "ok"

    _batch(portfolio, out, force=True)
    assert len(calls(out)) == 5 + 4


def test_a_missing_output_or_a_new_format_reruns_the_client(portfolio, tmp_path):
    out = tmp_path / "reports"
    _batch(portfolio, out)
    (out / "client-0" / "client-0.html").unlink()
    _batch(portfolio, out)
    assert calls(out)[4:] == ["client-0"]
    _batch(portfolio, out, formats=("html", "pdf"))
    assert len(calls(out)) == 5 + 4


def test_a_failing_client_does_not_stop_the_others(portfolio, tmp_path, run_cli, fake_pipeline):
    _client(portfolio, "broken", name="Broken GmbH FAIL CELL")
    out = tmp_path / "reports"
    result = run_cli("batch", portfolio, "--out", out, "--jobs", "1", "--formats", "html",
                     "--engine", "fresh")
    assert result.exit_code == 1
    summary = json.loads((out / "summary.json").read_text())
    status = {r["client"]: r["status"] for r in summary["clients"]}
    assert status == {"broken": "failed", **{f"client-{i}": "ok" for i in range(4)}}
    failure = next(r for r in summary["clients"] if r["client"] == "broken")
    assert "cell 7" in failure["message"]
    assert "broken" in result.output and "failed" in result.output
    assert not (out / "broken" / fingerprint.RECORD_NAME).exists()
    # the failed client runs again next time; the others are skipped
    run_cli("batch", portfolio, "--out", out, "--jobs", "1", "--formats", "html",
            "--engine", "fresh")
    assert calls(out)[5:] == ["broken"]


def test_an_invalid_client_is_reported_at_once_and_counts_as_failed(portfolio, tmp_path,
                                                                    run_cli, fake_pipeline):
    bad = _client(portfolio, "bad-input")
    (bad / "handoffs.csv").write_text("handoff_id,defined\nnot_a_handoff,maybe\n")
    out = tmp_path / "reports"
    result = run_cli("batch", portfolio, "--out", out, "--jobs", "1", "--formats", "html",
                     "--engine", "fresh")
    assert result.exit_code == 1
    assert "invalid: bad-input" in result.output
    assert "not_a_handoff" in result.output          # the problems themselves are listed
    rows = {r["client"]: r for r in json.loads((out / "summary.json").read_text())["clients"]}
    assert rows["bad-input"]["status"] == "invalid"
    assert all(rows[f"client-{i}"]["status"] == "ok" for i in range(4))
    assert "bad-input" not in calls(out)             # never handed to the pipeline


def test_two_clients_with_one_slug_do_not_overwrite_each_other(portfolio, tmp_path):
    twin = _client(tmp_path / "elsewhere", "client-1")
    shutil.move(twin, portfolio / "zz-twin")
    summary = _batch(portfolio, tmp_path / "reports")
    twins = [r for r in summary.rows if r.client == "client-1"]
    assert sorted(r.status for r in twins) == ["failed", "ok"]
    assert summary.failed


def test_shards_run_disjoint_parts_and_the_cli_checks_the_shard(portfolio, tmp_path, run_cli):
    ran = []
    for i in (1, 2, 3):
        summary = _batch(portfolio, tmp_path / f"shard-{i}", shard=(i, 3))
        ran += [r.client for r in summary.rows]
    assert sorted(ran) == [f"client-{i}" for i in range(4)]
    result = run_cli("batch", portfolio, "--shard", "4/3", "--out", tmp_path / "x")
    assert result.exit_code == 2 and "--shard" in result.output


def test_summary_table_shows_exactly_the_summary_rows(portfolio, tmp_path):
    from rich.console import Console

    from revkit.batch.runner import summary_table

    _client(portfolio, "broken", name="<b>[red]FAIL CELL[/red]</b>")
    summary = _batch(portfolio, tmp_path / "reports")
    console = Console(width=250, record=True, file=open("/dev/null", "w"))
    console.print(summary_table(summary))
    text = console.export_text()
    for row in summary.to_dict()["clients"]:
        line = next(line for line in text.splitlines() if f" {row['client']} " in line)
        for value in (row["source"], row["verdict"] or "—", row["status"], f"{row['seconds']:.2f}"):
            assert str(value) in line
    assert "cell 7" in text


def test_an_unchanged_rerun_imports_no_heavy_library(portfolio, tmp_path):
    out = tmp_path / "reports"
    _batch(portfolio, out)
    probe = (
        "import sys\n"
        "from revkit.cli.commands import cli\n"
        f"code = cli.main(['batch', {str(portfolio)!r}, '--out', {str(out)!r}, '--formats', "
        "'html'], standalone_mode=False)\n"
        "heavy = {'pandas', 'numpy', 'matplotlib', 'nbconvert', 'papermill', 'weasyprint'}\n"
        "print('HEAVY', sorted(heavy & set(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
    assert json.loads((out / "summary.json").read_text())["counts"]["skipped"] == 4


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_workbook_clients_run_and_skip_like_folders(portfolio, tmp_path, suffix):
    from workbook_helpers import write_xlsm

    from revkit.intake.authoring.convert import folder_to_workbook

    write = write_xlsm if suffix == ".xlsm" else folder_to_workbook
    source = _client(tmp_path / "src", "sheet-co", "helix-cloud")
    workbook = write(source, portfolio / f"sheet-co{suffix}")
    (portfolio / f"~$sheet-co{suffix}").write_bytes(b"lock file of an open workbook")
    out = tmp_path / "reports"
    first = _batch(portfolio, out)
    row = next(r for r in first.rows if r.source == f"sheet-co{suffix}")
    assert (row.client, row.status) == ("sheet-co", "ok")
    assert len(first.rows) == 5                       # the lock file is no client
    assert (out / "sheet-co" / "results.json").is_file()
    assert {r.status for r in _batch(portfolio, out).rows} == {"skipped"}
    with open(source / "survey.csv", "a") as fh:
        fh.write("hc-99,sales,silos_01,5,\n")
    write(source, workbook)
    third = _batch(portfolio, out)
    assert calls(out)[5:] == ["sheet-co"]
    assert next(r for r in third.rows if r.source == f"sheet-co{suffix}").status == "ok"


def test_another_methodology_reruns_every_client(portfolio, tmp_path):
    from revkit.paths import DEFAULT_METHODOLOGY

    out = tmp_path / "reports"
    _batch(portfolio, out)
    ours = tmp_path / "ours.yaml"
    ours.write_text(DEFAULT_METHODOLOGY.read_text() + "\n# our weights\n")
    summary = _batch(portfolio, out, methodology=ours)
    assert [r.status for r in summary.rows] == ["ok"] * 4
    assert [r.status for r in _batch(portfolio, out, methodology=ours).rows] == ["skipped"] * 4
    assert len(calls(out)) == 8


def test_a_batch_of_only_invalid_clients_ends_at_once(tmp_path):
    root = tmp_path / "clients"
    for slug in ("bad-1", "bad-2"):
        (_client(root, slug) / "survey.csv").write_text("respondent_id\nx\n")
    summary = _batch(root, tmp_path / "reports", jobs=2)
    assert [r.status for r in summary.rows] == ["invalid", "invalid"]
    assert summary.seconds < 20      # the idle workers are stopped, not waited out
