"""Which clients a batch handles: discovery under a folder and stable shards.

Only the standard library is used: a batch decides what to run before it
imports anything heavy.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from revkit import vocabulary
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
