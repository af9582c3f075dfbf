"""Content hashes that decide whether a client's reports are still current.

A client's fingerprint covers everything its reports depend on: the bytes of
its input files, the methodology file, the kit's version and files (code,
catalogs, contracts), the report notebook and the templates. Only the standard
library is used, so a batch can decide what to skip before any heavy library
(pandas, matplotlib, nbconvert) is imported.

The fingerprint of a successful run is recorded beside the client's results in
``<out>/<slug>/.revkit-hash``, written last, after every output is complete.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from revkit import atomic, layers, paths, vocabulary

RECORD_NAME = ".revkit-hash"


def _is_input_file(path: Path) -> bool:
    # Hidden files, editor lock files and byte-code are not inputs.
    name = path.name
    return not (name.startswith(vocabulary.LOCK_FILE_PREFIXES) or name.endswith(".pyc")
                or "__pycache__" in path.parts or ".ipynb_checkpoints" in path.parts)


def _files_under(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__pycache__")))
        for name in filenames:
            file = Path(dirpath) / name
            if _is_input_file(file.relative_to(root)):
                found.append(file)
    return sorted(found)


def _digest_tree(h, label: str, root: Path) -> None:
    """Feed every file under ``root`` (relative name and bytes) into ``h``."""
    h.update(f"\0tree {label}\0".encode())
    if not root.exists():
        h.update(b"missing")
        return
    for file in _files_under(root):
        rel = file.name if root.is_file() else file.relative_to(root).as_posix()
        data = file.read_bytes()
        h.update(f"\0{rel}\0{len(data)}\0".encode())
        h.update(data)


def kit_fingerprint(methodology: str | Path | None = None, lang: str | None = None,
                    brand: str = "") -> str:
    """Hash of everything shared by all clients: the kit's version, the methodology file,
    the report language asked for, the brand (its fingerprint: the file and the logo) and
    every kit file a report depends on (``revkit.layers``)."""
    import revkit

    h = hashlib.sha256()
    h.update(f"revkit {revkit.__version__}".encode())
    h.update(f"\0lang {lang or ''}\0brand {brand}".encode())
    _digest_tree(h, "methodology", Path(methodology or paths.DEFAULT_METHODOLOGY))
    for label, file in layers.report_files():
        data = file.read_bytes()
        h.update(f"\0{label}\0{layers.relative_name(label, file)}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def client_fingerprint(source: str | Path, kit: str) -> str:
    """Hash of one client's input (a folder's files or a workbook's bytes) and ``kit``."""
    h = hashlib.sha256()
    h.update(kit.encode())
    _digest_tree(h, "client", Path(source))
    return h.hexdigest()


@dataclass(frozen=True)
class Record:
    """What a successful run left beside a client's results."""

    slug: str
    fingerprint: str
    source: str
    formats: tuple[str, ...]


def write_record(out_root: Path, slug: str, fingerprint: str, source: str | Path,
                 formats: tuple[str, ...]) -> Path:
    """Record a finished run; call only once every output is in place."""
    body = {"slug": slug, "fingerprint": fingerprint, "source": str(source),
            "formats": list(formats)}
    return atomic.write_text(Path(out_root) / slug / RECORD_NAME,
                             json.dumps(body, indent=2, sort_keys=True) + "\n")


def drop_record(out_root: Path, slug: str) -> None:
    """Forget a client's last run (before re-running it, so a failure is never skipped)."""
    try:
        (Path(out_root) / slug / RECORD_NAME).unlink(missing_ok=True)
    except NotADirectoryError:
        pass  # a file where its folder should be: nothing recorded, the run says why


def read_records(out_root: str | Path) -> dict[str, Record]:
    """Every run recorded under ``out_root``, keyed by fingerprint."""
    records: dict[str, Record] = {}
    root = Path(out_root)
    if not root.is_dir():
        return records
    for file in sorted(root.glob(f"*/{RECORD_NAME}")):
        try:
            body = json.loads(file.read_text(encoding="utf-8"))
            record = Record(slug=str(body["slug"]), fingerprint=str(body["fingerprint"]),
                            source=str(body.get("source", "")),
                            formats=tuple(body.get("formats", ())))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # an unreadable record only means the client runs again
        if record.slug == file.parent.name:
            records[record.fingerprint] = record
    return records


def outputs_complete(out_root: str | Path, slug: str, formats: tuple[str, ...]) -> bool:
    """True when results.json and every file of every requested format exist for ``slug``."""
    from revkit.report import writers  # the registry only: nothing heavy

    folder = Path(out_root) / slug
    needed = [folder / "results.json"] + [folder / name for fmt in formats
                                          for name in writers.get(fmt).file_names(slug)]
    return all(p.is_file() for p in needed)
