"""A stand-in for ``revkit.report.run.run_client`` in batch tests where the report pipeline
is not the point: it writes the files a real run writes, quickly — a real, schema-checked
``results.json`` and a placeholder for each report file.

Importable by the batch's worker processes (pytest puts ``tests/`` on sys.path and
spawned workers inherit it). A client whose name contains ``FAIL CELL`` fails like
a notebook cell would;
one whose name contains ``CRASH WORKER`` kills its worker process; one whose name
contains ``CRASH ONCE`` kills it the first time only (it leaves a marker file beside
the reports, so the run that retries it succeeds).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from revkit import atomic
from revkit.errors import RunError
from revkit.paths import RESULTS_SCHEMA
from revkit.report import results as results_file

CALLS = ".fake-calls"


@dataclass
class FakeResult:
    slug: str
    paths: dict
    verdict: str
    level: int
    seconds: float
    status: str = "ok"


def fake_run_client(path, out_root, formats=("html", "pdf"), methodology_path=None, **_options):
    from revkit.intake.validate import load_client

    path, out_root = Path(path), Path(out_root)
    client = load_client(path)          # folders and workbooks alike
    slug, name = client.slug, str(client.name)
    with open(out_root / CALLS, "a", encoding="utf-8") as log:
        log.write(slug + "\n")
    marker = out_root / f".crashed-once-{slug}"
    if "CRASH ONCE" in name and not marker.exists():
        marker.touch()
        os._exit(3)  # this worker dies; the task is retried elsewhere
    if "CRASH WORKER" in name:
        os._exit(3)  # the worker process dies mid-run, as when killed
    if "FAIL CELL" in name:
        raise RunError(f"{slug}: cell 7 failed: ZeroDivisionError", client=slug, cell=7)
    # the real assessment (fast: no notebook, no rendering), checked against the schema, so
    # what the batch reads back (verdicts, levels, the portfolio) is what a real run writes
    from revkit.method.assess import assess
    from revkit.method.methodology import load as load_methodology

    results = json.loads(results_file.dump(
        assess(client, load_methodology(methodology_path) if methodology_path else None)))
    check_results(results)
    verdict = results["recommendation"]["verdict"]
    level = results["levels"]["overall"]
    folder = out_root / slug
    atomic.write_text(folder / "results.json", results_file.dump(results))
    from revkit.report import writers

    written = {}
    for fmt in formats:
        for file in writers.get(fmt).file_names(slug):   # e.g. the PDF and the brief
            written[file] = atomic.write_text(folder / file, f"{fmt} report for {name}")
    return FakeResult(slug, written, verdict, level, 0.01)


@cache
def _results_validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(RESULTS_SCHEMA.read_text(encoding="utf-8")))


def check_results(results: dict) -> None:
    """Raise if ``results`` breaks the results schema (what every results.json must meet)."""
    errors = sorted(_results_validator().iter_errors(results), key=lambda e: list(e.path))
    if errors:
        raise AssertionError("results.json breaks the results schema: " + "; ".join(
            f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in errors[:5]))


def calls(out_root) -> list[str]:
    """Slugs the fake was asked to run, in order."""
    file = Path(out_root) / CALLS
    return file.read_text(encoding="utf-8").split() if file.exists() else []


def _refuse_to_load():
    raise ImportError("no module named 'revkit' (a worker without the kit)")


class UnloadableRunner:
    """A runner that cannot be unpickled where it is sent: a worker without revkit, say."""

    def __reduce__(self):
        return (_refuse_to_load, ())

    def __call__(self, *args, **kwargs):  # pragma: no cover — never reaches a worker
        raise AssertionError("unreachable")


def one_kit_fingerprint(monkeypatch) -> None:
    """One kit fingerprint per test (files edited in a working tree meanwhile don't count)."""
    from revkit.batch import fingerprint

    real, memo = fingerprint.kit_fingerprint, {}
    monkeypatch.setattr(fingerprint, "kit_fingerprint",
                        lambda methodology=None, *extra: memo.setdefault(
                            (methodology, *extra), real(methodology, *extra)))
