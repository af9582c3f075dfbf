"""Real batches: the warm engine's reports equal a fresh kernel's, byte for byte."""

from __future__ import annotations

import json
import shutil

import yaml

from revkit.batch.runner import run_batch
from revkit.paths import DEMO_CLIENTS_DIR
from revkit.report.run import run_client


def test_parallel_warm_batch_reports_equal_fresh_single_runs(tmp_path):
    clients = tmp_path / "clients"
    for slug in ("brightpath-analytics", "helix-cloud", "nordkraft-tools"):
        shutil.copytree(DEMO_CLIENTS_DIR / slug, clients / slug)
    twin = clients / "nordkraft-twin"          # a fourth client, so workers reuse kernels
    shutil.copytree(DEMO_CLIENTS_DIR / "nordkraft-tools", twin)
    profile = yaml.safe_load((twin / "profile.yaml").read_text())
    profile.update(slug="nordkraft-twin", name="Nordkraft Twin GmbH")
    (twin / "profile.yaml").write_text(yaml.safe_dump(profile, sort_keys=False))

    # two workers, each running two clients at once on its two reused kernels
    summary = run_batch(clients, tmp_path / "batch", jobs=2, formats=("html",), engine="warm")
    assert [(r.client, r.status) for r in summary.rows] == [
        ("brightpath-analytics", "ok"), ("helix-cloud", "ok"), ("nordkraft-tools", "ok"),
        ("nordkraft-twin", "ok")]
    for slug in ("nordkraft-tools", "helix-cloud"):
        fresh = run_client(clients / slug, tmp_path / "single", formats=("html",))
        for name in (f"{slug}.html", "results.json"):
            assert ((tmp_path / "batch" / slug / name).read_bytes()
                    == (fresh.out_dir / name).read_bytes()), name
    assert (tmp_path / "batch" / "index.html").is_file()
    again = run_batch(clients, tmp_path / "batch", jobs=2, formats=("html",))
    assert [r.status for r in again.rows] == ["skipped"] * 4


def test_a_macro_enabled_workbook_client_runs_in_a_batch(tmp_path, run_cli):
    from workbook_helpers import write_xlsm

    clients = tmp_path / "clients"
    clients.mkdir()
    workbook = write_xlsm(DEMO_CLIENTS_DIR / "helix-cloud", clients / "helix-cloud.xlsm")
    done = run_cli("batch", clients, "--out", tmp_path / "batch", "--jobs", "1",
                   "--formats", "html")
    assert done.exit_code == 0, done.output
    rows = json.loads((tmp_path / "batch" / "summary.json").read_text())["clients"]
    assert [(r["client"], r["source"], r["status"]) for r in rows] == [
        ("helix-cloud", "helix-cloud.xlsm", "ok")]
    # revkit run reads the same workbook, and the batch's report is the one it writes
    single = run_cli("run", workbook, "--out", tmp_path / "single", "--formats", "html")
    assert single.exit_code == 0, single.output
    name = "helix-cloud/helix-cloud.html"
    assert (tmp_path / "batch" / name).read_bytes() == (tmp_path / "single" / name).read_bytes()
