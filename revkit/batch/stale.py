"""Reports whose client is no longer in the batch's input, and removing them (``--prune``).

A batch knows a report folder is its own from the hash record a successful run
left in it (``fingerprint.RECORD_NAME``: the slug and the client's path under the
batch folder). A recorded report is *stale* when that path is no longer among the
clients found under the batch folder (a client removed or renamed), or when the
client at that path now has another slug — and no current client uses the slug.
Folders without a record (a ``revkit run`` report, a failed client, anything a
user put there) are never judged stale and never removed.

Stale reports are left out of the portfolio and listed in the summary; with
``--prune`` their folders are deleted. Standard library only.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from revkit import vocabulary
from revkit.batch import fingerprint


@dataclass(frozen=True)
class StaleReport:
    """A recorded report of a client that is no longer in the input."""

    client: str     # the slug: names the folder under the reports root
    source: str     # where the client was, under the batch folder
    reason: str
    pruned: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def find_stale(out_root: Path, keys: Iterable[str], slugs: Mapping[str, str]) -> list[StaleReport]:
    """The recorded reports under ``out_root`` whose client is gone.

    ``keys`` are the paths of every client under the batch folder (all shards);
    ``slugs`` maps the paths of the clients this batch knows the slug of (those it ran
    or skipped) to that slug."""
    keys, taken = set(keys), set(slugs.values())
    stale = []
    for record in sorted(fingerprint.read_records(out_root).values(), key=lambda r: r.slug):
        if record.slug in taken:
            continue  # a current client's report, whatever path it was recorded from
        if record.source not in keys:
            reason = f"no client at {record.source} any more"
        elif record.source in slugs:
            reason = f"the client at {record.source} is now {slugs[record.source]}"
        else:
            continue  # that client's slug is unknown here (invalid, or in another shard)
        stale.append(StaleReport(record.slug, record.source, reason))
    return stale


def prune(out_root: Path, stale: Iterable[StaleReport]) -> list[StaleReport]:
    """Delete the folder of each stale report that still carries its record; the rest
    is left as it is. Returns the reports with ``pruned`` set for those removed."""
    out_root = Path(out_root)
    done = []
    for report in stale:
        folder = out_root / report.client
        removable = (folder.is_dir() and not folder.is_symlink()
                     and folder.parent.resolve() == out_root.resolve()
                     and (folder / fingerprint.RECORD_NAME).is_file()
                     # never a client's own input, whatever else happened
                     and not (folder / vocabulary.PROFILE_FILE).exists())
        if removable:
            shutil.rmtree(folder)
        done.append(StaleReport(report.client, report.source, report.reason, removable))
    return done
