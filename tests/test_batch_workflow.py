"""The CI workflow splits the portfolio into shards and merges them with `revkit portfolio`;
the clients folder is an input of the workflow, and every shard's summary survives."""

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
    assert 'revkit batch "$CLIENTS"' in run
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


def test_the_clients_folder_is_an_input_of_the_workflow_with_a_default():
    workflow = _workflow()
    on = workflow[True] if True in workflow else workflow["on"]   # YAML 1.1 reads `on` as True
    for trigger in ("workflow_dispatch", "workflow_call"):
        clients = on[trigger]["inputs"]["clients"]
        assert clients["default"] == "clients" and clients["type"] == "string"
    assert workflow["env"]["CLIENTS"] == "${{ inputs.clients || 'clients' }}"
    # the folder reaches the shell as a variable, never as text pasted into the command
    assert "inputs.clients" not in _runs(workflow["jobs"]["shard"])


def test_each_shard_writes_its_own_summary_and_the_merge_keeps_them_all(tmp_path, run_cli):
    import json
    import shutil

    from batch_fakes import fake_run_client

    from revkit.batch.runner import run_batch
    from revkit.paths import DEMO_CLIENTS_DIR

    clients = tmp_path / "clients"
    for slug in ("nordkraft-tools", "helix-cloud", "brightpath-analytics"):
        shutil.copytree(DEMO_CLIENTS_DIR / slug, clients / slug)
    merged = tmp_path / "reports"     # what download-artifact with merge-multiple makes
    for i in (1, 2):
        run_batch(clients, tmp_path / f"shard-{i}", jobs=1, shard=(i, 2), formats=("html",),
                  runner=fake_run_client, engine="fresh")
        assert (tmp_path / f"shard-{i}" / f"summary-{i}-of-2.json").is_file()
        assert not (tmp_path / f"shard-{i}" / "summary.json").exists()
        shutil.copytree(tmp_path / f"shard-{i}", merged, dirs_exist_ok=True)
    assert sorted(p.name for p in merged.glob("summary*.json")) == [
        "summary-1-of-2.json", "summary-2-of-2.json"]
    result = run_cli("portfolio", merged)
    assert result.exit_code == 0, result.output
    summary = json.loads((merged / "summary.json").read_text())
    assert [r["client"] for r in summary["clients"]] == [
        "brightpath-analytics", "helix-cloud", "nordkraft-tools"]
    assert summary["counts"]["ok"] == 3 and summary["failed"] is False
    assert summary["shards"] == ["1/2", "2/2"] and summary["missing_shards"] == []


def test_a_missing_shard_summary_is_named_and_fails_the_merged_summary(tmp_path, run_cli):
    import json

    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "summary-1-of-3.json").write_text(json.dumps(
        {"clients": [{"client": "a", "source": "a", "status": "ok"}], "counts": {"ok": 1},
         "failed": False, "stale": []}))
    (reports / "summary-3-of-3.json").write_text(json.dumps(
        {"clients": [{"client": "c", "source": "c", "status": "failed"}],
         "counts": {"failed": 1}, "failed": True, "stale": []}))
    assert run_cli("portfolio", reports).exit_code == 0
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["missing_shards"] == ["2/3"] and summary["failed"] is True
    assert summary["counts"] == {"ok": 1, "failed": 1}
