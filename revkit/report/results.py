"""``results.json``: the one artifact of an assessment, read and written in one way.

Stable key order and formatting, so equal results give equal bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from revkit.vocabulary import RESULTS_FILE


def dump(results: dict) -> str:
    """``results.json`` text: stable key order and formatting."""
    return json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load(client_path: str | Path | None = None, results_path: str | Path | None = None,
         methodology_path: str | Path | None = None,
         output_dir: str | Path | None = None) -> dict:
    """The assessment results: read from ``results_path`` when given, else assessed now.

    When assessed here and ``output_dir`` is given, ``results.json`` is also
    written there, so a notebook run by hand leaves the same artifact as
    ``revkit run``.
    """
    if results_path:
        return read(results_path)
    from revkit.method.assess import assess_path

    results = json.loads(dump(assess_path(client_path, methodology_path)))
    if output_dir:
        from revkit.atomic import write_text

        write_text(Path(output_dir) / RESULTS_FILE, dump(results))
    return results
