"""What a batch will do, decided before anything runs: discover → shard → skip → validate.

``make_plan`` finds the clients, keeps the requested shard and skips every client
whose reports are current, from content hashes alone: only the standard library
is used up to here, so an unchanged rerun never imports pandas. ``Plan.validate``
then checks the clients that must run (this needs pandas) and turns each valid
one into a ``Task`` for an executor; the rest become rows of the summary at once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from revkit import vocabulary
from revkit.batch import fingerprint
from revkit.batch.tasks import Outcome, Task, verdict_and_level
from revkit.errors import UsageError

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True, order=True)
class ClientSource:
    """One client found under the batch folder: a folder with a profile, or a workbook."""

    key: str    # path relative to the batch folder, POSIX style: stable across machines
    path: Path

    @property
    def label(self) -> str:
        """A name for the client before its profile is read (folder name or workbook stem)."""
        return self.path.stem if self.path.is_file() else self.path.name


def discover_clients(root: str | Path, exclude: tuple[str | Path, ...] = ()) -> list[ClientSource]:
    """Every client folder (one holding the profile file) and workbook under ``root``,
    sorted by relative path. Folders in ``exclude`` (e.g. the reports folder) and
    hidden folders are not searched; a client folder is not searched further."""
    root = Path(root)
    if not root.exists():
        raise UsageError(f"{root}: no such folder")
    if root.is_file():
        return [ClientSource(root.name, root)] if vocabulary.is_workbook(root.name) else []
    if (root / vocabulary.PROFILE_FILE).is_file():
        return [ClientSource(".", root)]
    skip = {Path(p).resolve() for p in exclude}
    found: list[ClientSource] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            sub = here / name
            if name.startswith((".", "__")) or sub.resolve() in skip:
                continue
            if (sub / vocabulary.PROFILE_FILE).is_file():
                found.append(ClientSource(sub.relative_to(root).as_posix(), sub))
            else:
                keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if vocabulary.is_workbook(name):
                file = here / name
                found.append(ClientSource(file.relative_to(root).as_posix(), file))
    return sorted(found)


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """``"i/n"`` → ``(i, n)`` with 1 ≤ i ≤ n; ``None`` stays ``None``."""
    if text is None:
        return None
    match = _SHARD.match(text)
    if not match:
        raise UsageError(f"--shard must look like I/N (e.g. 2/4), got {text!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise UsageError(f"--shard {text}: I must be between 1 and N (N ≥ 1)")
    return index, count


def select_shard(clients: list[ClientSource], index: int, count: int) -> list[ClientSource]:
    """Shard ``index`` of ``count`` (1-based): every ``count``-th client in sorted order.

    Sorting by the relative path makes the split the same on every machine; the
    shards of 1..count cover every client exactly once and differ in size by at most one.
    """
    ordered = sorted(clients)
    return [c for i, c in enumerate(ordered) if i % count == index - 1]


@dataclass(frozen=True)
class Candidate:
    """A client that must run (its hash has no current record), not yet validated."""

    source: ClientSource
    fingerprint: str


@dataclass
class Plan:
    """A batch's decisions: rows already settled and the tasks to hand to an executor."""

    out_root: Path
    formats: tuple[str, ...]
    methodology: str | None
    total: int                                                 # clients in this batch (shard)
    keys: list[str] = field(default_factory=list)              # every client found, all shards
    pending: list[Candidate] = field(default_factory=list)     # to validate
    decided: list[Outcome] = field(default_factory=list)       # skipped, invalid, slug clashes
    tasks: list[Task] = field(default_factory=list)            # valid, largest input first
    taken: dict[str, str] = field(default_factory=dict)        # slug → source key
    lang: str | None = None                                    # --lang, for every task
    brand: str | None = None                                   # the brand file, for every task
    cell_timeout: float | None = None                          # --cell-timeout, for every task

    def validate(self, echo: Callable[[str], None] = lambda message: None) -> list[Task]:
        """Check every pending client before any of them runs; an invalid one (or a second
        client with a taken slug) becomes a summary row at once and is ``echo``-ed."""
        if not self.pending:
            return self.tasks
        from revkit.intake.validate import check_client  # imports pandas: only when something runs
        from revkit.report import history

        for candidate in self.pending:
            source = candidate.source
            try:
                client, problems = check_client(source.path)
            except Exception as exc:  # an unreadable input is that client's problem only
                client, problems = None, []
                reason = f"cannot be read: {type(exc).__name__}: {exc}"
            else:
                errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
                reason = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found"
            if client is None:
                self.decided.append(Outcome(source.label, source.key, status="invalid",
                                            message=reason))
                echo(f"invalid: {source.key}: {reason}")
                for p in problems:
                    if getattr(p, "severity", "error") == "error":
                        echo(f"  - {p.render()}")
                continue
            slug = client.slug
            if slug in self.taken:
                message = f"slug '{slug}' is also used by {self.taken[slug]}"
                self.decided.append(Outcome(slug, source.key, status="failed", message=message))
                echo(f"failed: {source.key}: {message}")
                continue
            self.taken[slug] = source.key
            # the earlier assessment in the client's report folder, read before it is replaced
            previous = history.previous_for(self.out_root / slug,
                                            client.profile["assessment_date"].isoformat())
            self.tasks.append(Task(str(source.path), source.key, slug, candidate.fingerprint,
                                   str(self.out_root), self.formats, self.methodology,
                                   str(previous) if previous else None, self.lang, self.brand,
                                   self.cell_timeout))
        self.pending = []
        # Largest inputs first: the long runs start early and short ones fill the end,
        # so no worker idles while another finishes a big client.
        self.tasks.sort(key=lambda t: (-_input_size(Path(t.source)), t.key))
        return self.tasks


def make_plan(root: Path, out_root: Path, formats: tuple[str, ...], *,
              methodology: str | None = None, shard: tuple[int, int] | None = None,
              force: bool = False, lang: str | None = None, brand: str | None = None,
              brand_fingerprint: str = "") -> Plan:
    """Find the clients under ``root`` (shard ``(i, n)`` of them) and skip every one whose
    reports under ``out_root`` are current. ``root``, ``out_root``, ``methodology`` and
    ``brand`` are absolute, so the tasks made from them run anywhere; a report is current
    only for the same ``lang`` and brand (``brand_fingerprint``). Standard library only."""
    sources = discover_clients(root, exclude=(out_root,))
    if not sources:
        kinds = ", ".join(vocabulary.WORKBOOK_SUFFIXES)
        raise UsageError(f"{root}: no client found (a client is a folder with "
                         f"{vocabulary.PROFILE_FILE} or a workbook: {kinds})")
    keys = [source.key for source in sources]
    if shard:
        sources = select_shard(sources, *shard)
    plan = Plan(out_root, formats, methodology, total=len(sources), keys=keys, lang=lang,
                brand=brand)
    kit = fingerprint.kit_fingerprint(methodology, lang, brand_fingerprint)
    records = fingerprint.read_records(out_root)
    for source in sources:
        digest = fingerprint.client_fingerprint(source.path, kit)
        record = records.get(digest)
        if (not force and record is not None
                and fingerprint.outputs_complete(out_root, record.slug, formats)):
            verdict, level = verdict_and_level(_read_results(out_root, record.slug))
            plan.decided.append(Outcome(record.slug, source.key, verdict, level, 0.0, "skipped"))
            plan.taken.setdefault(record.slug, source.key)
        else:
            plan.pending.append(Candidate(source, digest))
    return plan


def _read_results(out_root: Path, slug: str) -> dict:
    try:
        return json.loads((out_root / slug / vocabulary.RESULTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _input_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
