"""The portfolio view: merge of shard folders, escaping, spreadsheet safety, percentiles."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import numpy as np
import pytest
from batch_fakes import fake_run_client

from revkit.batch.runner import run_batch
from revkit.paths import DEMO_CLIENTS_DIR
from revkit.portfolio import build as portfolio


def _results(folder, slug, name, overall=50.0, verdict="full_revops", report=True):
    folder = folder / slug
    folder.mkdir(parents=True)
    scores = {"silos": overall - 10, "metric_coverage": overall, "process_alignment": overall + 5,
              "overall": overall}
    levels = {k: min(int(v // 20) + 1, 5) for k, v in scores.items()}
    (folder / "results.json").write_text(json.dumps({
        "client": {"name": name, "slug": slug, "assessment_date": "2026-03-16"},
        "scores": scores, "levels": levels,
        "recommendation": {"verdict": verdict, "confidence": 0.8},
        "methodology_version": "2026.1", "kit_version": "0.1.0"}))
    if report:
        (folder / f"{slug}.html").write_text("<html></html>")


def test_two_shard_folders_merge_into_one_portfolio(tmp_path, run_cli):
    clients = tmp_path / "clients"
    for slug in ("nordkraft-tools", "helix-cloud", "brightpath-analytics"):
        shutil.copytree(DEMO_CLIENTS_DIR / slug, clients / slug)
    for i in (1, 2):
        run_batch(clients, tmp_path / f"shard-{i}", jobs=1, shard=(i, 2), formats=("html",),
                  runner=fake_run_client, engine="fresh")
    merged = tmp_path / "merged"
    for i in (1, 2):
        shutil.copytree(tmp_path / f"shard-{i}", merged, dirs_exist_ok=True)
    result = run_cli("portfolio", merged)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((merged / "portfolio.csv").read_text())))
    assert [r["slug"] for r in rows] == ["brightpath-analytics", "helix-cloud", "nordkraft-tools"]
    index = (merged / "index.html").read_text()
    for slug in ("brightpath-analytics", "helix-cloud", "nordkraft-tools"):
        assert f'href="{slug}/{slug}.html"' in index
    assert "3 clients" in index


@pytest.mark.parametrize("hostile", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)",
                                     "\t=1", "\r=1"])
def test_no_csv_cell_can_start_a_formula(tmp_path, hostile):
    _results(tmp_path, "acme", hostile)
    portfolio.build_portfolio(tmp_path)
    text = (tmp_path / "portfolio.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert rows[1][1] == "'" + hostile


def test_client_strings_are_escaped_and_the_page_is_self_contained(tmp_path):
    _results(tmp_path, "evil", '<script>alert(1)</script> & "co"')
    _results(tmp_path, "plain", "Plain Ltd", report=False)
    index = portfolio.build_portfolio(tmp_path)[0].read_text()
    assert "<script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert not re.search(r"https?://|src=|<link|@import", index)
    assert 'href="evil/evil.html"' in index
    assert 'href="plain/' not in index      # no report beside its results: no dead link


def test_percentiles_match_numpy_and_ranks_are_relative_to_the_portfolio(tmp_path):
    values = [12.0, 35.5, 40.0, 41.0, 77.0, 90.0, 18.0]
    pct = portfolio.percentiles(values)
    for p in portfolio.PERCENTILES:
        assert pct[f"p{p}"] == pytest.approx(np.percentile(values, p))
    for i, v in enumerate(values):
        _results(tmp_path, f"c{i}", f"Client {i}", overall=v)
    rows = list(csv.DictReader(io.StringIO(
        portfolio.build_portfolio(tmp_path)[1].read_text())))
    rank = {r["overall_score"]: int(r["overall_percentile"]) for r in rows}
    assert rank["12.0"] < rank["41.0"] < rank["90.0"]
    assert rank["40.0"] == 50                              # the median client


def test_a_damaged_results_file_does_not_stop_the_portfolio(tmp_path):
    _results(tmp_path, "good", "Good Co")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "results.json").write_text('{"client": {"na')
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "results.json").write_text('{"scores": {"overall": "n/a"}, "levels": []}')
    index = portfolio.build_portfolio(tmp_path)[0].read_text()
    assert "Good Co" in index and "2 clients" in index


def test_portfolio_is_deterministic(tmp_path):
    for i, v in enumerate([20.0, 55.0, 61.0]):
        _results(tmp_path, f"c{i}", f"Client {i}", overall=v, verdict=["salesops_only",
                                                                       "full_revops"][i % 2])
    first = [p.read_bytes() for p in portfolio.build_portfolio(tmp_path)]
    assert [p.read_bytes() for p in portfolio.build_portfolio(tmp_path)] == first


def test_peer_bands_say_how_many_clients_they_rest_on():
    from revkit.portfolio.peers import peer_bands

    rows = [{"industry": "SaaS", "employees": e, "overall_score": s, "silos_score": s,
             "metric_coverage_score": s, "process_alignment_score": s}
            for e, s in ((40, 20.0), (45, 40.0), (30, 60.0), (300, 80.0))]
    bands = {(b["kind"], b["group"]): b for b in peer_bands(rows)}
    saas = bands[("industry", "SaaS")]
    # four clients: P25 and P75 of 20, 40, 60, 80 interpolate to 35 and 65
    assert saas["clients"] == 4 and saas["bands"]["overall"] == [35.0, 65.0]
    small = bands[("size", "1–49")]
    assert small["clients"] == 3 and small["bands"]["overall"] == [30.0, 50.0]
    assert bands[("size", "250–999")]["bands"] is None  # one client is no band
