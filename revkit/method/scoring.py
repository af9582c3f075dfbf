"""The three dimension scores, the overall score and the maturity levels.

Every published number is rounded to one decimal, and each aggregate is
computed from the rounded numbers below it, so a consultant recomputing a
score by hand from the report gets exactly the published figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from revkit.intake.model import Client
from revkit.method import survey as survey_stats
from revkit.method.alignment import handoff_rows, score_alignment
from revkit.method.calc import level, r1, weighted
from revkit.method.coverage import metric_rows, score_coverage
from revkit.method.silos import score_silos
from revkit.vocabulary import DIMENSIONS, SCORE_KEYS  # noqa: F401 - re-exported


@dataclass
class Scored:
    """Everything the scores are made of, for the recommendation and the report."""

    scores: dict
    levels: dict
    subscores: dict
    silos: dict
    metrics: list[dict]
    handoffs: list[dict]
    survey: survey_stats.SurveyView
    cache: dict = field(default_factory=dict)  # derived figures, computed once


def score_client(client: Client, method: dict) -> Scored:
    """Score a validated client with a validated methodology."""
    view = survey_stats.build(client, method["survey"]["min_team_respondents"])
    metrics = metric_rows(client, method)
    handoffs = handoff_rows(client, method)
    silos = score_silos(client, method, view, metrics)
    coverage = score_coverage(client, method, view, metrics)
    alignment = score_alignment(client, method, view, handoffs)
    scores = {
        "silos": _or_zero(silos["score"]),
        "metric_coverage": _or_zero(coverage["score"]),
        "process_alignment": _or_zero(alignment["score"]),
    }
    scores["overall"] = r1(weighted(scores, method["weights"]["overall"]))
    width = method["levels"]["band_width"]
    return Scored(
        scores=scores,
        levels={k: level(v, width) for k, v in scores.items()},
        subscores={"silos": silos["subscores"], "metric_coverage": coverage["subscores"],
                   "process_alignment": alignment["subscores"]},
        silos=silos, metrics=metrics, handoffs=handoffs, survey=view,
    )


def _or_zero(value: float | None) -> float:
    # a dimension with no evidence at all scores 0: nothing shows it is in place
    return 0.0 if value is None else value


def with_evidence(scored: Scored, contradictions: list[dict], method: dict) -> Scored:
    """The scores after the CRM exports' contradictions lower the sub-scores they name
    (``effect.subscore``: dimension, component, points; never below 0); each dimension,
    the overall score and the levels are then recomputed from the rounded parts, as
    ``score_client`` does. Without such a contradiction ``scored`` is returned as is."""
    cuts = [c["effect"]["subscore"] for c in contradictions
            if (c.get("effect") or {}).get("subscore")]
    if not cuts:
        return scored
    subscores = {dim: dict(parts) for dim, parts in scored.subscores.items()}
    for cut in cuts:
        parts = subscores.get(cut["dimension"], {})
        if isinstance(parts.get(cut["component"]), (int, float)):
            parts[cut["component"]] = r1(max(0.0, parts[cut["component"]] - cut["points"]))
    scores = {dim: _or_zero(r1(weighted({k: v for k, v in subscores[dim].items()
                                         if not isinstance(v, (dict, list))},
                                        method["weights"][dim])))
              for dim in DIMENSIONS}
    scores["overall"] = r1(weighted(scores, method["weights"]["overall"]))
    width = method["levels"]["band_width"]
    return Scored(scores=scores, levels={k: level(v, width) for k, v in scores.items()},
                  subscores=subscores, silos=scored.silos, metrics=scored.metrics,
                  handoffs=scored.handoffs, survey=scored.survey)
