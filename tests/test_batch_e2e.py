"""One real batch: the warm engine's reports equal a fresh kernel's, byte for byte."""

from __future__ import annotations

import shutil

import pytest

from revkit import warm_engine
from revkit.batch import run_batch
from revkit.paths import DEMO_CLIENTS_DIR
from revkit.run import run_client


@pytest.fixture
def stop_warm_kernels():
    yield
    warm_engine.shutdown_all()


def test_warm_batch_reports_equal_fresh_single_runs(tmp_path, stop_warm_kernels):
    clients = tmp_path / "clients"
    for slug in ("helix-cloud", "nordkraft-tools"):
        shutil.copytree(DEMO_CLIENTS_DIR / slug, clients / slug)
    # one job: both clients go through the same warm kernel, one after the other
    summary = run_batch(clients, tmp_path / "batch", jobs=1, formats=("html",), engine="warm")
    assert [(r.client, r.status) for r in summary.rows] == [("helix-cloud", "ok"),
                                                            ("nordkraft-tools", "ok")]
    fresh = run_client(clients / "nordkraft-tools", tmp_path / "single", formats=("html",))
    for name in ("nordkraft-tools.html", "results.json"):
        assert ((tmp_path / "batch" / "nordkraft-tools" / name).read_bytes()
                == (fresh.out_dir / name).read_bytes()), name
    assert (tmp_path / "batch" / "index.html").is_file()
    again = run_batch(clients, tmp_path / "batch", jobs=1, formats=("html",))
    assert [r.status for r in again.rows] == ["skipped", "skipped"]
