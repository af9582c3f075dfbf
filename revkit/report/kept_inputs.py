"""The intake an assessment was made from, kept beside its result so it can be re-scored.

Every run writes ``inputs.zip`` beside ``results.json``: a client folder's input
files (under the folder's name) or the workbook. When a later assessment is scored
with another methodology version, the earlier intake is assessed again with the
current one, so the comparison is on one scale. The zip holds the raw intake —
survey answers by respondent included — so a report folder is shared as its HTML and
PDF, not as a whole.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

from revkit import atomic, vocabulary
from revkit.vocabulary import RESULTS_FILE

INPUTS_FILE = "inputs.zip"
# fixed entry times and modes: the same intake always gives the same bytes
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODE = 0o644 << 16


def path_for(result_file: str | Path) -> Path:
    """Where the intake of a result file is kept: ``inputs.zip`` beside ``results.json``,
    ``<date>.inputs.zip`` beside ``history/<date>.json``."""
    result_file = Path(result_file)
    if result_file.name == RESULTS_FILE:
        return result_file.with_name(INPUTS_FILE)
    return result_file.with_name(f"{result_file.stem}.{INPUTS_FILE}")


def read_for(result_file: str | Path) -> bytes | None:
    """The kept intake of a result file, or None where none was kept."""
    try:
        return path_for(result_file).read_bytes()
    except OSError:
        return None


def keep(source: str | Path, out_dir: str | Path) -> Path:
    """Write the client's intake at ``source`` as ``out_dir/inputs.zip`` (atomically)."""
    return atomic.write_bytes(Path(out_dir) / INPUTS_FILE, pack(source))


def pack(source: str | Path) -> bytes:
    """The intake at ``source`` (a folder or a workbook) as zip bytes."""
    source = Path(source)
    if source.is_file():
        files = [(source.name, source)]
    else:
        files = [(f"{source.name}/{f.relative_to(source).as_posix()}", f)
                 for f in sorted(source.rglob("*")) if f.is_file() and _is_input(f, source)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, file in files:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = _MODE
            zf.writestr(info, file.read_bytes())
    return buffer.getvalue()


def _is_input(file: Path, root: Path) -> bool:
    # the files a batch's fingerprint counts as input: no hidden or lock files, no byte-code
    parts = file.relative_to(root).parts
    return not any(p.startswith(vocabulary.LOCK_FILE_PREFIXES) or p == "__pycache__"
                   for p in parts) and not file.name.endswith(".pyc")


def unpack(data: bytes, folder: Path) -> Path:
    """Extract kept inputs into ``folder``; returns the client folder or workbook in it."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        if not names or any(n.startswith("/") or ".." in Path(n).parts for n in names):
            raise ValueError("the kept inputs are empty or name files outside their folder")
        tops = {Path(n).parts[0] for n in names}
        if len(tops) != 1:
            raise ValueError("the kept inputs hold more than one client")
        zf.extractall(folder)
    return folder / tops.pop()


def rescore(data: bytes | None, published: dict, methodology: dict | None = None) -> dict | None:
    """The kept intake ``data`` assessed again with ``methodology`` (None: the shipped one).

    ``published`` is the result that intake was kept with; None when nothing was kept,
    the intake cannot be assessed any more, or it is not the intake of ``published``.
    """
    if data is None:
        return None
    from revkit.intake.validate import load_client
    from revkit.method.assess import assess
    from revkit.report.results import dump

    try:
        with tempfile.TemporaryDirectory(prefix="revkit-rescore-") as tmp:
            client = load_client(unpack(data, Path(tmp)))
            results = json.loads(dump(assess(client, methodology)))
    # an intake the current kit no longer reads cannot be re-scored; the comparison then
    # says plainly that the scales differ rather than failing this client's run
    except Exception:  # noqa: BLE001
        return None
    same = ("slug", "assessment_date")
    if any(results["client"].get(k) != published.get("client", {}).get(k) for k in same):
        return None
    return results
