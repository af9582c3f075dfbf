"""One real batch: the warm engine's reports equal a fresh kernel's, byte for byte."""

from __future__ import annotations

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
