"""The batch summary files: one per batch, one per shard, and their merge.

A batch writes ``summary.json``; a shard ``i/n`` writes ``summary-<i>-of-<n>.json``
instead, so the shards of a CI matrix copied into one folder keep every shard's
summary side by side. ``merge_shard_summaries`` (run by ``revkit portfolio``) then
writes ``summary.json`` with every shard's rows, counts and stale reports, and says
which shards of ``n`` are missing — unless a batch wrote ``summary.json`` after the
newest shard summary (a later batch over every client): then that one stands.
Standard library only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from revkit import atomic

SUMMARY_NAME = "summary.json"
_SHARD_FILE = re.compile(r"^summary-(\d+)-of-(\d+)\.json$")


def summary_name(shard: tuple[int, int] | None) -> str:
    """The summary file of a batch, or of shard ``(i, n)``."""
    return f"summary-{shard[0]}-of-{shard[1]}.json" if shard else SUMMARY_NAME


def shard_summaries(folder: Path) -> dict[tuple[int, int], dict]:
    """Every readable shard summary in ``folder``, by ``(i, n)``."""
    found = {}
    for file in sorted(Path(folder).glob("summary-*-of-*.json")):
        match = _SHARD_FILE.match(file.name)
        try:
            body = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if match and isinstance(body, dict):
            found[(int(match.group(1)), int(match.group(2)))] = body
    return found


def merge_shard_summaries(folder: str | Path) -> Path | None:
    """Write ``folder/summary.json`` from the shard summaries in it (``None`` when there
    are none): all rows, the counts, ``failed``, the shards present and missing."""
    folder = Path(folder)
    shards = shard_summaries(folder)
    if not shards:
        return None
    target = folder / SUMMARY_NAME
    newest = max(f.stat().st_mtime_ns for f in folder.glob("summary-*-of-*.json"))
    if target.is_file() and target.stat().st_mtime_ns > newest:
        return None   # a batch over every client ran after these shards
    rows, stale, counts = [], {}, {}
    for body in shards.values():
        rows += body.get("clients", [])
        for report in body.get("stale", []):
            stale.setdefault(report.get("client"), report)
        for status, n in (body.get("counts") or {}).items():
            counts[status] = counts.get(status, 0) + n
    counts_of = {n for _, n in shards}
    missing = [f"{i}/{n}" for n in sorted(counts_of) for i in range(1, n + 1) if (i, n) not in shards]
    merged = {
        "clients": sorted(rows, key=lambda r: (str(r.get("client")), str(r.get("source")))),
        "counts": counts,
        "failed": any(b.get("failed") for b in shards.values()) or bool(missing),
        "shards": [f"{i}/{n}" for i, n in sorted(shards)],
        "missing_shards": missing,
        "stale": [stale[k] for k in sorted(stale, key=str)],
    }
    return atomic.write_text(target, json.dumps(merged, indent=2, ensure_ascii=False) + "\n")


def left_out(folder: str | Path) -> dict[str, str]:
    """Stale reports that ``folder/summary.json`` names and that are still there (slug →
    why), so a portfolio rebuilt by ``revkit portfolio`` leaves out what the batch did."""
    folder = Path(folder)
    try:
        body = json.loads((folder / SUMMARY_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    reports = body.get("stale", []) if isinstance(body, dict) else []
    return {str(r["client"]): str(r.get("reason", "")) for r in reports
            if isinstance(r, dict) and r.get("client") and not r.get("pruned")
            and (folder / str(r["client"])).is_dir()}
