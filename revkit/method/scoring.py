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
