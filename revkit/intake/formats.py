"""The intake's file and cell formats, read once from ``data_contracts/formats.yaml``.

Separators, encodings (with the names a profile may give them), the words a
boolean cell accepts and the forms of numbers and dates are data: the readers
and the cell parser ask this module, and the intake reference lists them.
"""

from __future__ import annotations

from functools import cache

import yaml

from revkit.paths import CONTRACTS_DIR


@cache
def formats() -> dict:
    with open(CONTRACTS_DIR / "formats.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def separators() -> dict[str, str]:
    """``{separator: its name}`` in the order they are tried."""
    return dict(formats()["files"]["separators"])


def encodings() -> dict[str, dict]:
    """``{encoding id: {label, names, script?}}`` of the encodings intake files may use."""
    return dict(formats()["files"]["encodings"])


def encoding_ids() -> list[str]:
    return list(encodings())


def resolve_encoding(text: str | None) -> str | None:
    """The encoding id a profile's ``encoding:`` names (any case, any listed name), else None."""
    if text is None:
        return None
    wanted = str(text).strip().lower().replace("_", "-")
    for encoding, spec in encodings().items():
        if wanted == encoding or wanted in spec["names"]:
            return encoding
    return None


def legacy_encodings() -> dict[str, str]:
    """``{encoding id: script}`` of the 8-bit encodings that detection chooses between."""
    return {e: spec["script"] for e, spec in encodings().items() if "script" in spec}


def label(encoding: str) -> str:
    return encodings()[encoding]["label"]


def cell_type(kind: str) -> dict:
    """What a cell of ``kind`` (``boolean``, ``number``, ``date``) accepts."""
    return formats()["types"][kind]
