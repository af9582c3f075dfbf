"""Atomic file writes: no partial file is ever visible under its final name.

Each write goes to a temporary file in the target's own folder (so the final
``os.replace`` is a rename on one file system) and is renamed into place only
once it is complete and flushed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from revkit.errors import OutputError, UsageError


def output_root(folder: str | Path) -> Path:
    """The output folder a user named (``--out``, ``--dir``), created if missing.

    A folder that cannot be written to is the user's input being wrong
    (``UsageError``, exit 2), found before any work is done.
    """
    return _writable(folder, UsageError)


def writable_folder(folder: str | Path) -> Path:
    """``folder``, created if missing, while output is written; ``OutputError`` if it cannot be."""
    return _writable(folder, OutputError)


def _writable(folder: str | Path, error: type) -> Path:
    folder = Path(folder)
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            raise error(f"cannot write to {folder}: {part} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".revkit-probe.", delete=True)
        probe.close()
    except OSError as exc:
        raise error(f"cannot write to {folder}: {exc.strerror or exc}; choose a folder "
                    "you can write to") from None
    return folder


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    path = Path(path)
    writable_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; a report should be readable like any other file
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically; returns the path."""
    return write_bytes(path, text.encode("utf-8"))


def temp_path(path: str | Path, suffix: str = "") -> Path:
    """A fresh, unused file name beside ``path`` for a writer that needs a path, not bytes
    (``suffix`` after the ``.tmp`` mark, e.g. ``.ipynb`` for a writer that wants one).

    The caller renames it into place with ``os.replace`` (or deletes it).
    """
    path = Path(path)
    writable_folder(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{suffix}", dir=path.parent)
    os.close(fd)
    return Path(tmp)


# what a process killed mid-write leaves: the temporary names above, and the folder probe
_LEFTOVERS = (".*.tmp", ".*.tmp.*", ".revkit-probe.*")


def remove_leftovers(folder: str | Path, before: float | None = None) -> list[Path]:
    """Delete the temporary files a killed writer left in ``folder`` (never a final name);
    returns them. Call it where no other writer is at work in the folder, or give
    ``before`` (a ``time.time()``): then only files last written before it go."""
    removed = []
    for pattern in _LEFTOVERS:
        for leftover in Path(folder).glob(pattern):
            try:
                if leftover.is_file() and (before is None or leftover.stat().st_mtime < before):
                    leftover.unlink()
                    removed.append(leftover)
            except FileNotFoundError:
                pass  # renamed into place or removed meanwhile
    return removed
