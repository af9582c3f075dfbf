"""Load and validate a methodology file (weights, thresholds, bands).

The kit's own file, ``revkit/data/methodology.yaml``, is the reference: a
consultancy's file may override any part of it and must give its own
``version``. Every problem is reported in one ``MethodologyError`` naming the
file, the key and what is allowed.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import yaml

from revkit import catalog
from revkit.errors import MethodologyError
from revkit.paths import DEFAULT_METHODOLOGY
from revkit.suggest import suggest
from revkit.vocabulary import REVENUE_MODELS, VERDICTS

# maps whose keys are catalog ids (or currencies) rather than fixed names
_OPEN_MAPS = {
    "metric_coverage.applicability": "metrics",
    "silos.entities": "entities",
    "recommendation.fx_to_eur": "currency",
}
# numbers that may be negative (a pain factor may push either way)
_SIGNED = ("recommendation.pain.",)


def load(path: str | Path | None = None) -> dict:
    """The validated methodology: the kit's default, or ``path`` merged onto it.

    Raises ``MethodologyError`` listing every problem (file, key, what is allowed).
    """
    if path is None:
        return copy.deepcopy(_default())
    path = Path(path)
    data = _read(path)
    merged = copy.deepcopy(_default())
    problems: list[str] = []
    if "version" not in data:
        problems.append(_problem("version", "is required in a custom methodology",
                                 "text, e.g. \"acme-2026.1\"", None))
    _merge(merged, data, "", problems)
    # values that failed their type check were not merged, so the rest can be checked too
    problems += check(merged)
    if problems:
        raise MethodologyError(_render(path, problems))
    return merged


def check(method: dict) -> list[str]:
    """Problems of a complete methodology dict beyond its shape (ranges and order)."""
    problems: list[str] = []

    def need(ok: bool, key: str, message: str, allowed: str, value) -> None:
        if not ok:
            problems.append(_problem(key, message, allowed, value))

    version = method["version"]
    need(isinstance(version, str) and version.strip() != "", "version", "must be text",
         "non-empty text in quotes, e.g. \"2026.1\"", version)
    need(0 < method["levels"]["band_width"] <= 25, "levels.band_width", "out of range",
         "a number above 0 and at most 25", method["levels"]["band_width"])
    for group, weights in method["weights"].items():
        need(sum(weights.values()) > 0, f"weights.{group}", "weights must not all be 0",
             "numbers >= 0 with a positive sum", weights)
    mtr = method["survey"]["min_team_respondents"]
    need(isinstance(mtr, int) and mtr >= 1, "survey.min_team_respondents", "out of range",
         "a whole number >= 1", mtr)
    for key, band in method["benchmark_bands"].items():
        if key == "source":
            continue
        need(len(band) == 2 and 0 <= band[0] <= band[1] <= 100, f"benchmark_bands.{key}",
             "must be [low, high]", "two numbers with 0 <= low <= high <= 100", band)
    silos = method["silos"]
    points = {**{f"silos.shared_system_strength.{k}": v
                 for k, v in silos["shared_system_strength"].items()},
              **{f"silos.source_of_truth.{k}": v for k, v in silos["source_of_truth"].items()},
              "silos.integration_strength": silos["integration_strength"],
              "silos.single_team_connections": silos["single_team_connections"]}
    for key, value in points.items():
        need(value <= 100, key, "out of range", "points from 0 to 100", value)
    total = sum(method["process_alignment"]["handoff_points"].values())
    need(total <= 100, "process_alignment.handoff_points", "points add up to more than 100",
         "points whose sum is at most 100", total)
    status = method["process_alignment"]["status"]
    need(status["partial_from"] <= status["strong_from"] <= 100,
         "process_alignment.status", "thresholds out of order",
         "partial_from <= strong_from <= 100", status)
    funcs = method["functions"]
    need(funcs["partial_from"] <= funcs["in_place_from"] <= 100, "functions",
         "thresholds out of order", "partial_from <= in_place_from <= 100",
         [funcs["partial_from"], funcs["in_place_from"]])
    _check_conditions(method["silos"]["entities"], "silos.entities", need)
    _check_conditions(method["metric_coverage"]["applicability"],
                      "metric_coverage.applicability", need)
    rec = method["recommendation"]
    thr = rec["thresholds"]
    need(thr["salesops_only_below"] <= thr["full_revops_from"], "recommendation.thresholds",
         "thresholds out of order", "salesops_only_below <= full_revops_from", thr)
    for key in ("single_revenue_team_max", "single_revenue_team_transactional"):
        need(rec[key] in VERDICTS, f"recommendation.{key}", "unknown verdict",
             ", ".join(VERDICTS), rec[key])
    for name, spec in rec["complexity"].items():
        if isinstance(spec, dict) and "from" in spec:
            need(spec["from"] < spec["full_at"], f"recommendation.complexity.{name}",
                 "`from` must be below `full_at`", "from < full_at", spec)
    share = rec["complexity"]["marketing_sourced_share"]["full_at"]
    need(0 < share <= 1, "recommendation.complexity.marketing_sourced_share.full_at",
         "out of range", "a fraction above 0 and at most 1", share)
    assumed = rec["complexity"]["marketing_sourced_share"]["assumed_when_missing"]
    need(isinstance(assumed, (int, float)) and 0 <= assumed <= 1,
         "recommendation.complexity.marketing_sourced_share.assumed_when_missing",
         "out of range", "a fraction from 0 to 1", assumed)
    need(set(rec["complexity"]["revenue_model"]) == set(REVENUE_MODELS),
         "recommendation.complexity.revenue_model", "must give points for each revenue model",
         ", ".join(REVENUE_MODELS), sorted(rec["complexity"]["revenue_model"]))
    need(0 <= rec["confidence"]["floor"] < 1, "recommendation.confidence.floor",
         "out of range", "a number from 0 to below 1", rec["confidence"]["floor"])
    need(rec["urgency"]["medium_from"] <= rec["urgency"]["high_from"],
         "recommendation.urgency", "thresholds out of order", "medium_from <= high_from",
         rec["urgency"])
    need(rec["flip"]["max_changes"] in (1, 2, 3), "recommendation.flip.max_changes",
         "out of range", "1, 2 or 3", rec["flip"]["max_changes"])
    flip = rec["flip"]
    for key in ("headcount_multipliers", "revenue_multipliers", "added_team_headcounts"):
        need(all(v > 0 for v in flip[key]), f"recommendation.flip.{key}", "out of range",
             "numbers above 0", flip[key])
    need(0 < flip["share_step"] <= 1, "recommendation.flip.share_step", "out of range",
         "a fraction above 0 and at most 1", flip["share_step"])
    return problems


@cache
def _default() -> dict:
    data = _read(DEFAULT_METHODOLOGY)
    problems = check(data)
    if problems:  # the shipped file is part of the kit: a bug, but say where
        raise MethodologyError(_render(DEFAULT_METHODOLOGY, problems))
    return data


def _read(path: Path) -> dict:
    if not path.is_file():
        raise MethodologyError(f"{path}: methodology file not found")
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = yaml.safe_load(fh)
    except UnicodeDecodeError:
        raise MethodologyError(f"{path}: not a UTF-8 text file") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise MethodologyError(f"{path}: not valid YAML{line}: "
                               f"{getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise MethodologyError(f"{path}: must be a YAML mapping of keys (like the kit's "
                               f"revkit/data/methodology.yaml), got {type(data).__name__}")
    return data


def _merge(base: dict, override: dict, prefix: str, problems: list[str]) -> None:
    """Merge ``override`` into ``base`` in place, checking each value's type against it."""
    for key, value in override.items():
        key_s = str(key)
        path = f"{prefix}{key_s}"
        open_kind = _OPEN_MAPS.get(prefix[:-1])
        if key_s not in base and open_kind is None:
            problems.append(_problem(path, "unknown key" + _did_you_mean(key_s, list(base)),
                                     ", ".join(map(str, base)) or "none", None))
            continue
        if open_kind is not None:
            problem = _check_open_entry(open_kind, key_s, value, path)
            if problem:
                problems.append(problem)
            else:
                base[key_s] = value
            continue
        ref = base[key_s]
        if isinstance(ref, dict):
            if not isinstance(value, dict):
                problems.append(_problem(path, "must be a mapping of keys",
                                         ", ".join(map(str, ref)), value))
            else:
                _merge(ref, value, path + ".", problems)
            continue
        problem = _check_type(ref, value, path)
        if problem:
            problems.append(problem)
        else:
            base[key_s] = value


def _check_type(ref, value, path: str) -> str | None:
    signed = path.startswith(_SIGNED)
    if isinstance(ref, bool):
        if not isinstance(value, bool):
            return _problem(path, "must be true or false", "true, false", value)
    elif isinstance(ref, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _problem(path, "must be a number", "a number", value)
        if isinstance(ref, int) and path.endswith("min_team_respondents") \
                and not isinstance(value, int):
            return _problem(path, "must be a whole number", "a whole number >= 1", value)
        if value < 0 and not signed:
            return _problem(path, "must not be negative", "a number >= 0", value)
    elif isinstance(ref, str):
        if not isinstance(value, str):
            return _problem(path, "must be text", "text (quote it if it looks like a number)",
                            value)
    elif isinstance(ref, list):
        if not isinstance(value, list) or not value:
            return _problem(path, "must be a non-empty list", "a list like "
                            + str(ref), value)
        numeric = all(isinstance(v, (int, float)) for v in ref)
        if numeric and not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                               and v >= 0 for v in value):
            return _problem(path, "must be a list of numbers >= 0", "numbers >= 0", value)
    return None


def _check_open_entry(kind: str, key: str, value, path: str) -> str | None:
    if kind in ("metrics", "entities"):
        known = catalog.ids(kind)
        if key not in known:
            return _problem(path, f"unknown {kind[:-1].replace('entitie', 'entity')} id"
                            + _did_you_mean(key, known), ", ".join(known), key)
        if not isinstance(value, dict):
            return _problem(path, "must be a mapping", "teams_any: [...], revenue_models: [...]",
                            value)
        return None
    if not (isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0):
        return _problem(path, "must be a positive number", "a rate above 0", value)
    return None


def _check_conditions(conditions: dict, prefix: str, need) -> None:
    teams = catalog.team_ids()
    for key, cond in conditions.items():
        if not isinstance(cond, dict):
            need(False, f"{prefix}.{key}", "must be a mapping",
                 "teams_any: [...], revenue_models: [...]", cond)
            continue
        for name, values in cond.items():
            path = f"{prefix}.{key}.{name}"
            if name == "teams_any":
                need(isinstance(values, list) and all(v in teams for v in values), path,
                     "unknown team", ", ".join(teams), values)
            elif name == "revenue_models":
                need(isinstance(values, list) and all(v in REVENUE_MODELS for v in values),
                     path, "unknown revenue model", ", ".join(REVENUE_MODELS), values)
            else:
                need(False, path, "unknown condition", "teams_any, revenue_models", name)


def applies(condition: dict, teams, revenue_model: str) -> bool:
    """Whether a ``{teams_any, revenue_models}`` condition holds for a client."""
    if "teams_any" in condition and not set(condition["teams_any"]) & set(teams):
        return False
    if "revenue_models" in condition and revenue_model not in condition["revenue_models"]:
        return False
    return True


def _did_you_mean(name: str, choices: list[str]) -> str:
    close = suggest(name, [str(c) for c in choices])
    return f" (did you mean '{close}'?)" if close else ""


def _problem(key: str, message: str, allowed: str, value) -> str:
    text = f"key '{key}': {message}"
    if value is not None:
        text += f" (got {value!r})"
    return f"{text}; allowed: {allowed}"


def _render(path: Path, problems: list[str]) -> str:
    n = len(problems)
    lines = [f"{path}: invalid methodology, {n} problem{'s' if n != 1 else ''}"]
    lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)
