"""`revkit run --previous` and `revkit batch`: a second assessment compared with the first.

Real runs (HTML only, to keep them short): Helix Cloud as shipped, then the same
client half a year later with improved inputs (``progress_helpers.improve``).
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from progress_helpers import LATER, improve

from revkit.batch.runner import run_batch
from revkit.batch.tasks import Task
from revkit.paths import DEMO_CLIENTS_DIR
from revkit.report import history
from revkit.vocabulary import SCORE_KEYS

SLUG = "helix-cloud"
FIRST = "2026-03-16"


@pytest.fixture(scope="module")
def second(tmp_path_factory):
    """``revkit run`` of the first assessment, then of the second with ``--previous``."""
    from click.testing import CliRunner

    from revkit.cli.commands import cli

    base = tmp_path_factory.mktemp("progress")
    before = shutil.copytree(DEMO_CLIENTS_DIR / SLUG, base / "before" / SLUG)
    after = improve(shutil.copytree(before, base / "after" / SLUG))
    out = base / "reports"
    folder = out / SLUG

    def run(*args):
        return CliRunner().invoke(cli, ["run", *map(str, args), "--out", str(out),
                                        "--formats", "html"])

    first = run(before)
    assert first.exit_code == 0, first.output
    old = {"results": (folder / "results.json").read_bytes(),
           "inputs": (folder / "inputs.zip").read_bytes()}
    done = run(after, "--previous", folder / "results.json")
    assert done.exit_code == 0, done.output
    return {"run": run, "before": before, "after": after, "out": out, "folder": folder,
            "old": old, "base": base,
            "results": json.loads((folder / "results.json").read_text(encoding="utf-8"))}


def test_the_second_run_shows_the_right_changes(second):
    old = json.loads(second["old"]["results"])
    c = second["results"]["comparison"]
    assert c["previous_date"] == FIRST and second["results"]["client"]["assessment_date"] == LATER
    assert c["same_scale"] is True
    for key in SCORE_KEYS:
        before, after = old["scores"][key], second["results"]["scores"][key]
        delta = float(Decimal(str(after)) - Decimal(str(before)))
        assert c["scores"][key] == {"before": before, "after": after, "delta": delta}
    status = {a["id"]: a["status"] for a in c["actions"]}
    assert [status[f"handoff_define.{h}"] for h in
            ("won_to_onboarding", "churn_escalation", "expansion")] == ["closed"] * 3
    assert status["handoff_strengthen.renewal"] == "progressing"
    assert status["handoff_strengthen.quote_to_cash"] == "open"


def test_the_first_result_and_its_intake_are_kept_as_history(second):
    folder = second["folder"]
    assert sorted(p.name for p in (folder / "history").iterdir()) == [
        f"{FIRST}.inputs.zip", f"{FIRST}.json"]
    assert (folder / "history" / f"{FIRST}.json").read_bytes() == second["old"]["results"]
    assert (folder / "history" / f"{FIRST}.inputs.zip").read_bytes() == second["old"]["inputs"]
    assert (folder / f"{SLUG}.html").is_file()
    assert "comparison" in json.loads((folder / "results.json").read_text(encoding="utf-8"))


def test_the_same_date_is_refused_and_nothing_changes(second):
    folder = second["folder"]
    kept = (folder / "results.json").read_bytes()
    refused = second["run"](second["after"], "--previous", folder / "results.json")
    assert refused.exit_code == 2
    assert f"dated {LATER}, the same day as this one" in refused.output
    assert str(folder / "results.json") in refused.output
    assert (folder / "results.json").read_bytes() == kept


def test_a_later_previous_is_refused(second):
    refused = second["run"](second["before"], "--previous", second["folder"] / "results.json")
    assert refused.exit_code == 2
    assert f"dated {LATER}, later than this one ({FIRST})" in refused.output


@pytest.mark.parametrize("content, says", [
    ('{"client": {"slug": "helix-cloud"', "not valid JSON"),
    ('[1, 2]', "not a revkit results.json"),
    ('{"client": {"slug": "helix-cloud", "assessment_date": "2026-02-30"}, "scores": {}}',
     "'client.assessment_date': missing or not a date"),
])
def test_a_broken_previous_file_is_exit_2_naming_it(second, content, says):
    broken = second["base"] / "broken.json"
    broken.write_text(content, encoding="utf-8")
    refused = second["run"](second["after"], "--previous", broken)
    assert refused.exit_code == 2
    assert str(broken) in refused.output and says in refused.output
    assert "Traceback" not in refused.output


def test_a_missing_previous_file_or_another_clients_is_refused(second):
    missing = second["run"](second["after"], "--previous", second["base"] / "nope.json")
    assert missing.exit_code == 2 and "no such file" in missing.output
    other = second["base"] / "other.json"
    data = json.loads(second["old"]["results"])
    data["client"]["slug"] = "nordkraft-tools"
    other.write_text(json.dumps(data), encoding="utf-8")
    refused = second["run"](second["after"], "--previous", other)
    assert refused.exit_code == 2 and "'nordkraft-tools', not of 'helix-cloud'" in refused.output


# ---------------------------------------------------------------- batch

def test_batch_keeps_the_previous_result_as_history_and_compares(tmp_path):
    clients, out = tmp_path / "clients", tmp_path / "reports"
    client = shutil.copytree(DEMO_CLIENTS_DIR / SLUG, clients / SLUG)
    folder = out / SLUG

    def batch(**options):
        summary = run_batch(clients, out, jobs=1, formats=("html",), write_portfolio=False,
                            **options)
        return [r.status for r in summary.rows]

    assert batch() == ["ok"]
    first = (folder / "results.json").read_bytes()
    assert "comparison" not in json.loads(first) and not (folder / "history").exists()

    improve(client)
    assert batch() == ["ok"]
    assert (folder / "history" / f"{FIRST}.json").read_bytes() == first
    second = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert second["comparison"]["previous_date"] == FIRST
    assert second["comparison"]["scores"]["overall"]["delta"] > 0
    kept = sorted(p.name for p in (folder / "history").iterdir())
    assert kept == [f"{FIRST}.inputs.zip", f"{FIRST}.json"]

    # unchanged: skipped, the history does not make it run again
    assert batch() == ["skipped"]
    # the same date again (--force, or a correction) is no previous: it compares with the
    # history as the first run of that date did, and adds nothing to the history
    text = (folder / "results.json").read_bytes()
    assert batch(force=True) == ["ok"]
    assert (folder / "results.json").read_bytes() == text
    assert sorted(p.name for p in (folder / "history").iterdir()) == kept


def test_the_previous_a_batch_picks(tmp_path):
    folder = tmp_path / SLUG

    def result(path, date):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"client": {"slug": SLUG, "assessment_date": date}}),
                        encoding="utf-8")

    assert history.previous_for(folder, LATER) is None
    result(folder / "results.json", FIRST)
    assert history.previous_for(folder, LATER) == folder / "results.json"
    assert history.previous_for(folder, FIRST) is None          # the same date: no previous
    result(folder / "history" / "2025-09-01.json", "2025-09-01")
    result(folder / "history" / "2025-12-01.json", "2025-12-01")
    result(folder / "history" / "2026-06-01.json", "2026-06-01")
    # a rerun of the first date compares with the latest earlier history entry
    assert history.previous_for(folder, FIRST) == folder / "history" / "2025-12-01.json"
    (folder / "results.json").write_text("{broken", encoding="utf-8")
    assert history.previous_for(folder, "2025-12-15") == folder / "history" / "2025-12-01.json"
    task = Task("/c", "c", SLUG, "f", "/out", ("html",), None, str(folder / "results.json"))
    assert Task.from_dict(task.to_dict()) == task

