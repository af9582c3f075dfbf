"""The CI workflow splits the portfolio into shards and merges them with `revkit portfolio`."""

from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "assess.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_matrix_covers_shards_one_to_n_with_the_batch_command():
    shard = _workflow()["jobs"]["shard"]
    shards = shard["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and len(shards) >= 2
    assert shard["strategy"]["fail-fast"] is False
    run = _runs(shard)
    assert "revkit batch clients/" in run
    assert "--shard ${{ matrix.shard }}/${{ strategy.job-total }}" in run
    uploads = [s for s in shard["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["if"] == "always()"
    assert "${{ matrix.shard }}" in uploads[0]["with"]["name"]


def test_final_job_merges_every_shard_into_one_portfolio():
    merge = _workflow()["jobs"]["portfolio"]
    assert merge["needs"] == "shard" and merge["if"] == "always()"
    download = next(s for s in merge["steps"]
                    if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"]["pattern"] == "reports-shard-*"
    assert download["with"]["merge-multiple"] is True
    assert "revkit portfolio reports/" in _runs(merge)
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in merge["steps"])
