"""A client's earlier assessments: read one, keep it as history, compare the new one with it.

A client's report folder holds, besides the reports::

    results.json                  this assessment
    inputs.zip                    the intake it was made from (``kept_inputs``)
    history/<date>.json           each earlier assessment, by its assessment date
    history/<date>.inputs.zip     the intake that earlier assessment was made from

Only an earlier assessment date is a previous assessment: a rerun of the same date
(unchanged, or a correction) replaces the result and adds nothing to the history.
When the methodology versions differ, the earlier intake, where it was kept, is
assessed again with the current methodology so that both are on one scale;
otherwise the comparison says that the scales differ.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from revkit import atomic
from revkit.errors import InvalidFile, Problem, UsageError
from revkit.report import kept_inputs
from revkit.vocabulary import RESULTS_FILE, SCORE_KEYS

HISTORY_DIR = "history"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Previous:
    """An earlier assessment of the client: its file as read and the intake kept beside it."""

    path: Path
    data: bytes                  # kept in history byte for byte
    results: dict
    inputs: bytes | None = None  # the earlier intake (inputs.zip), where it was kept

    @property
    def date(self) -> str:
        return self.results["client"]["assessment_date"]


# ---------------------------------------------------------------- reading a previous result

def load_previous(path: str | Path, slug: str, assessment_date: dt.date | str) -> Previous:
    """The earlier assessment in ``path`` (a ``results.json``) of the client ``slug``.

    Raises ``UsageError`` when the file is missing, belongs to another client or is not
    earlier than ``assessment_date``, and ``InvalidFile`` when it is not a revkit
    result (exit 2 both).
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"--previous {path}: no such file (give the results.json of an "
                         "earlier assessment)")
    previous = _read(path)
    current, before = str(assessment_date), previous.date
    their_slug = previous.results["client"].get("slug")
    if their_slug not in (None, slug):
        raise UsageError(f"--previous {path}: it is the assessment of '{their_slug}', "
                         f"not of '{slug}'")
    if before == current:
        raise UsageError(f"--previous {path}: that assessment is dated {before}, the same day "
                         "as this one; only an earlier assessment can be a previous one (a "
                         "rerun of the same date replaces the result and is not compared "
                         "with it)")
    if before > current:
        raise UsageError(f"--previous {path}: that assessment is dated {before}, later than "
                         f"this one ({current}); only an earlier assessment can be a "
                         "previous one")
    return previous


def _read(path: Path) -> Previous:
    def invalid(message: str, key: str | None = None, allowed: str | None = None):
        return InvalidFile(str(path), [Problem(file=str(path), message=message, column=key,
                                               allowed=allowed)])

    try:
        data = path.read_bytes()
        results = json.loads(data.decode("utf-8-sig"))
    except OSError as exc:
        raise UsageError(f"--previous {path}: cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise invalid("not a text file in UTF-8; give the results.json of an earlier "
                      "assessment") from None
    except ValueError as exc:
        raise invalid(f"not valid JSON ({exc}); give the results.json of an earlier "
                      "assessment") from None
    if not isinstance(results, dict) or not {"client", "scores",
                                             "methodology_version"} & set(results):
        raise invalid("not a revkit results.json (no client, scores or methodology "
                      "version); give the results.json of an earlier assessment")
    problems = [Problem(file=str(path), message=message, column=key, allowed=allowed)
                for key, message, allowed in _shape_problems(results)]
    if problems:
        raise InvalidFile(str(path), problems)
    return Previous(path, data, _normalised(results), kept_inputs.read_for(path))


def _shape_problems(results: dict):
    """What a revkit result must hold to be compared with: (key, message, allowed)."""
    date = _dict(results.get("client")).get("assessment_date")
    if not isinstance(date, str) or not _DATE.match(date) or not _is_date(date):
        yield "client.assessment_date", "missing or not a date", "a date YYYY-MM-DD"
    if not isinstance(results.get("methodology_version"), str):
        yield "methodology_version", "missing", "the methodology version it was scored with"
    for key in SCORE_KEYS:
        score = _dict(results.get("scores")).get(key)
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            yield f"scores.{key}", "missing or not a number", "a score 0–100"
        if _level(results, key) is None:
            yield f"levels.{key}", "missing or not a level", "a level 1–5"
    for key in ("roadmap", "findings"):
        items = results.get(key, [])
        if not isinstance(items, list) or not all(
                isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
            yield key, "not a list of items with an id", f"the {key} of a revkit result"


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _level(results: dict, key: str) -> int | None:
    # older results stored a level as {level, name}
    value = _dict(results.get("levels")).get(key)
    if isinstance(value, dict):
        value = value.get("level")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _normalised(results: dict) -> dict:
    return {**results, "levels": {k: _level(results, k) for k in SCORE_KEYS}}


def previous_for(out_dir: str | Path, assessment_date: str) -> Path | None:
    """The earlier assessment a batch compares a client with, or None.

    The ``results.json`` about to be replaced when it is earlier; else the latest
    history entry before ``assessment_date``, so that rerunning the same date (a
    correction, ``--force``) compares as its first run did. Unreadable files are
    passed over: in a batch they only mean no comparison.
    """
    out_dir = Path(out_dir)
    current = out_dir / RESULTS_FILE
    date = _date_in(current)
    if date is not None and date < assessment_date:
        return current
    folder = out_dir / HISTORY_DIR
    entries = sorted(folder.glob("*.json")) if folder.is_dir() else []
    earlier = [p for p in entries if p.stem < assessment_date and _date_in(p) == p.stem]
    return earlier[-1] if earlier else None


def _date_in(path: Path) -> str | None:
    try:
        date = json.loads(path.read_text(encoding="utf-8"))["client"]["assessment_date"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return date if isinstance(date, str) and _DATE.match(date) else None


# ---------------------------------------------------------------- comparing

def comparison(previous: Previous, current: dict, methodology: dict | None = None) -> dict:
    """``results["comparison"]`` of ``current`` with ``previous``, on one scale where it can be.

    When the methodology versions differ and the earlier intake was kept, it is
    assessed again with ``methodology`` (the current one) and compared on that scale.
    """
    from revkit.method.compare import compare

    if previous.results.get("methodology_version") != current.get("methodology_version"):
        rescored = kept_inputs.rescore(previous.inputs, previous.results, methodology)
        if rescored is not None:
            return compare(current, rescored,
                           published_version=previous.results["methodology_version"])
    return compare(current, previous.results)


# ---------------------------------------------------------------- keeping history

def archive(out_dir: str | Path, previous: Previous) -> Path:
    """Keep ``previous`` as ``history/<date>.json`` (and its intake beside it)."""
    folder = Path(out_dir) / HISTORY_DIR
    target = folder / f"{previous.date}.json"
    inputs = kept_inputs.path_for(target)
    if _same_file(previous.path, target):
        return target  # already history (a rerun compares with it again)
    atomic.write_bytes(target, previous.data)
    if previous.inputs is not None:
        atomic.write_bytes(inputs, previous.inputs)
    else:
        inputs.unlink(missing_ok=True)  # a zip left by another result of that date
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
