"""Load and validate a methodology file (weights, thresholds, bands, ratios).

The kit's own file, ``revkit/data/methodology.yaml``, is the reference: a
consultancy's file may override any part of it and must give its own
``version``. Its shape is ``revkit/data/schemas/methodology.schema.json``;
the checks across keys (order of thresholds, sums, catalog ids) are here.
Every problem is a ``Problem`` row at the key's line, all of them in one
``MethodologyError``; a problem in the kit's own file is a ``KitError``.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

from revkit import catalog, yaml_check
from revkit.errors import KitError, MethodologyError, Problem
from revkit.paths import DEFAULT_METHODOLOGY
from revkit.suggest import allowed_text

SCHEMA = "methodology"
# maps whose keys are catalog ids (or currencies): an entry replaces the kit's whole
OPEN_MAPS = {("recommendation", "fx_to_eur"): None}


def load(path: str | Path | None = None) -> dict:
    """The validated methodology: the kit's default, or ``path`` merged onto it.

    Raises ``MethodologyError`` (an ``InvalidFile``) with every problem of the file.
    """
    if path is None:
        return copy.deepcopy(_default())
    doc = yaml_check.read(path, str(path)).validate(SCHEMA)
    merged = copy.deepcopy(_default())
    if doc.data is not None:
        # values with a problem keep the kit's value, so the checks across keys still run
        _merge(merged, doc.data, doc, ())
        check(merged, doc)
    if doc.problems:
        raise MethodologyError(str(path), doc.sorted_problems())
    return merged


def file_problems(path: str | Path) -> list[Problem]:
    """The problem rows of a methodology file, ``[]`` if it is sound (as ``load`` checks it)."""
    try:
        load(path)
    except MethodologyError as exc:
        return exc.problems
    return []


def check(method: dict, doc: yaml_check.Document | None = None) -> list[Problem]:
    """Problems of a complete methodology beyond its schema (order, sums, catalog ids).

    ``doc`` is the file the values came from: problems are added to it, at its lines.
    """
    doc = doc or yaml_check.Document("methodology")
    found = len(doc.problems)

    def need(ok: bool, paths, message: str, allowed: str, value) -> None:
        if not ok:
            paths = [paths] if isinstance(paths, str) else paths
            doc.problem(doc.given(*paths), message, value=value, allowed=allowed)

    for group, weights in method["weights"].items():
        need(sum(weights.values()) > 0, f"weights.{group}", "weights must not all be 0",
             "numbers >= 0 with a positive sum", weights)
    for key, band in method["reference_bands"].items():
        need(band[0] <= band[1], f"reference_bands.{key}", "must be [low, high]",
             "two numbers with 0 <= low <= high <= 100", band)
    points = method["process_alignment"]["handoff_points"]
    need(sum(points.values()) <= 100,
         [f"process_alignment.handoff_points.{k}" for k in points],
         "points add up to more than 100", "points whose sum is at most 100", sum(points.values()))
    _order(need, method, "process_alignment.status", "partial_from", "strong_from")
    _order(need, method, "functions", "partial_from", "in_place_from")
    _order(need, method, "recommendation.thresholds", "salesops_only_below", "full_revops_from")
    _order(need, method, "recommendation.urgency", "medium_from", "high_from")
    for name, spec in method["recommendation"]["complexity"].items():
        if "from" in spec:
            prefix = f"recommendation.complexity.{name}"
            need(spec["from"] < spec["full_at"], [f"{prefix}.from", f"{prefix}.full_at"],
                 "`from` must be below `full_at`", "from < full_at", spec)
    _order(need, method, "recommendation.robustness", "sensitive_from", "robust_from")
    sources = set(catalog.ids("sources"))
    for team, sizing in method["sizing"].items():
        ratio = sizing["reps_per_ops"]
        need(ratio["low"] <= ratio["high"], [f"sizing.{team}.reps_per_ops.low",
                                             f"sizing.{team}.reps_per_ops.high"],
             "thresholds out of order", "low <= high", ratio)
        for key in ("reps_per_ops.source", "revenue_stages_source"):
            source = _get(sizing, tuple(key.split("."))) if key.split(".")[0] in sizing else None
            if source is not None and source not in sources:
                doc.problem(doc.given(f"sizing.{team}.{key}"), "unknown source", value=source,
                            allowed=allowed_text(sorted(sources)), choices=sorted(sources))
    return doc.problems[found:]


def _order(need, method: dict, prefix: str, low: str, high: str) -> None:
    """``low`` <= ``high`` under ``prefix``, shown at whichever of the two the file gives."""
    part = _get(method, tuple(prefix.split(".")))
    need(part[low] <= part[high], [f"{prefix}.{low}", f"{prefix}.{high}"],
         "thresholds out of order", f"{low} <= {high}", {low: part[low], high: part[high]})


@cache
def _default() -> dict:
    doc = yaml_check.read(DEFAULT_METHODOLOGY).validate(SCHEMA).require_all(SCHEMA)
    if not doc.problems:  # the checks across keys need every key in place
        check(doc.data, doc)
    if doc.problems:  # the shipped file is part of the kit: a bug, but say where
        raise KitError("; ".join(p.render() for p in doc.sorted_problems()))
    return doc.data


def _merge(base: dict, override: dict, doc, path: tuple) -> None:
    """Merge ``override`` into ``base`` in place, leaving out values with a problem."""
    for key, value in override.items():
        here = path + (key,)
        if here in doc.flagged:
            continue
        if isinstance(value, dict) and isinstance(base.get(key), dict) \
                and path not in OPEN_MAPS:
            _merge(base[key], value, doc, here)
        elif not doc.flagged_below(here):
            base[key] = value


def _get(data: dict, path: tuple):
    for key in path:
        data = data[key]
    return data
