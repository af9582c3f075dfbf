"""Progress since the last assessment: two results of one client → ``results["comparison"]``.

Language-neutral like the rest of ``results.json``: ids, numbers, dates. The
rules, also in ``docs/report.md``:

- every score's change is ``after − before`` of the published (rounded) figures,
  rounded once more like every score, so a reader who subtracts the two printed
  numbers gets the printed change;
- each action of the previous roadmap is ``closed`` when no gap triggers it any
  more, ``progressing`` when it is still there and its KPI's baseline is closer
  to its target than it was, else ``open``;
- a finding is matched by its id: gaps, risks and contradictions that are gone are
  ``resolved``, those that appeared are ``new``; strengths gained and lost are
  listed apart, because a strength that disappears is not a problem solved;
- ``same_scale`` says whether both were scored with one methodology version
  (``rescored``: the previous inputs were re-assessed with the current one).
"""

from __future__ import annotations

from revkit.method.calc import r1
from revkit.vocabulary import SCORE_KEYS

STATUSES = ("closed", "progressing", "open")
STRENGTH = "strength"


def compare(current: dict, previous: dict, *, published_version: str | None = None) -> dict:
    """The ``comparison`` of ``current`` with an earlier assessment ``previous``.

    ``published_version`` is the methodology version the previous assessment was
    published with when ``previous`` is its kept inputs re-assessed with the current
    methodology (then both are on one scale and ``rescored`` is true).
    """
    rescored = published_version is not None
    version = published_version if rescored else previous.get("methodology_version")
    return {
        "previous_date": previous["client"]["assessment_date"],
        "previous_methodology_version": version,
        "same_scale": previous.get("methodology_version") == current.get("methodology_version"),
        "rescored": rescored,
        "scores": {d: _change(previous["scores"].get(d), current["scores"].get(d))
                   for d in SCORE_KEYS},
        "levels": {d: {"before": previous["levels"].get(d), "after": current["levels"].get(d)}
                   for d in SCORE_KEYS},
        "actions": actions(current, previous),
        "findings": findings(current, previous),
    }


def _change(before, after) -> dict:
    delta = r1(after - before) if before is not None and after is not None else None
    return {"before": before, "after": after, "delta": delta}


# ---------------------------------------------------------------- roadmap actions

def actions(current: dict, previous: dict) -> list[dict]:
    """Each action of the previous roadmap, in its order, with its status now."""
    now = {a["id"]: a for a in current.get("roadmap") or []}
    out = []
    for old in sorted(previous.get("roadmap") or [], key=lambda a: (a.get("order", 0), a["id"])):
        new = now.get(old["id"])
        kpi_before, kpi_now = _kpi(old), _kpi(new)
        metric_id = kpi_before.get("metric_id")
        after = kpi_now.get("baseline") if new else metric_value(current, metric_id)
        shown = new or old  # its title is written from the current action where there is one
        out.append({
            "id": old["id"],
            "status": status(old, new),
            "template": shown.get("template"),
            "params": shown.get("params") or {},
            "kpi": {"metric_id": metric_id, "unit": kpi_before.get("unit"),
                    "before": kpi_before.get("baseline"), "after": after,
                    "target": kpi_now.get("target", kpi_before.get("target"))},
        })
    return out


def status(old: dict, new: dict | None) -> str:
    """``closed``, ``progressing`` or ``open`` for one action of the previous roadmap."""
    if new is None:
        return "closed"
    before, now = _distance(_kpi(old)), _distance(_kpi(new))
    return "progressing" if before is not None and now is not None and now < before else "open"


def _kpi(action: dict | None) -> dict:
    kpi = (action or {}).get("kpi")
    return kpi if isinstance(kpi, dict) else {}  # an earlier result is the user's file


def _distance(kpi: dict) -> float | None:
    """How far a KPI's baseline is from its target (None without both)."""
    values = (kpi.get("baseline"), kpi.get("target"))
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return None
    return abs(float(values[1]) - float(values[0]))


def metric_value(results: dict, metric_id: str | None):
    """The current value of a KPI's metric (``handoffs.renewal``, ``subscores.silos.x`` …).

    A closed action is no longer in the roadmap, so its KPI has no new baseline there;
    the value is read from where the assessment publishes it. None where it has none.
    """
    area, _, rest = str(metric_id or "").partition(".")
    if area == "scores":
        return (results.get("scores") or {}).get(rest)
    if area == "subscores":
        dim, _, name = rest.partition(".")
        value = ((results.get("subscores") or {}).get(dim) or {}).get(name)
        return value if isinstance(value, (int, float)) else None
    if area == "handoffs":
        return next((h.get("score") for h in results.get("handoffs") or []
                     if h.get("id") == rest), None)
    if area == "functions":
        profile = results.get("functions") or {}
        items = (profile.get("salesops_functions") or []) + (profile.get("revops_benefits") or [])
        return next((f.get("score") for f in items if f.get("id") == rest), None)
    if area == "sizing":
        sizing = (results.get("recommendation") or {}).get("sizing") or {}
        return sizing.get("current_ops_headcount")
    return None


# ---------------------------------------------------------------- findings

def findings(current: dict, previous: dict) -> dict:
    """Findings resolved and new by id (a result without ``findings`` lists none)."""
    before = {f["id"]: f for f in previous.get("findings") or []}
    after = {f["id"]: f for f in current.get("findings") or []}

    def ids(side: dict, others: dict, strengths: bool) -> list[str]:
        return sorted(i for i, f in side.items()
                      if i not in others and (f.get("kind") == STRENGTH) == strengths)

    return {
        "resolved": ids(before, after, False),
        "new": ids(after, before, False),
        "strengths_gained": ids(after, before, True),
        "strengths_lost": ids(before, after, True),
        # an older result never listed findings: its "none" is not evidence of none
        "compared": "findings" in previous and "findings" in current,
    }
