"""Helpers for the scoring tests: demo clients loaded once, and ways to vary them.

Variants are built with ``dataclasses.replace`` and DataFrame copies, so the
loaded demo clients are never modified.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd

from revkit.intake.validate import load_client
from revkit.method import methodology
from revkit.paths import DEMO_CLIENTS_DIR

DEMO_SLUGS = sorted(p.name for p in DEMO_CLIENTS_DIR.iterdir() if (p / "profile.yaml").is_file())


@cache
def demo(slug: str):
    return load_client(DEMO_CLIENTS_DIR / slug)


@cache
def default_method() -> dict:
    return methodology.load()


def with_table(client, name: str, frame: pd.DataFrame):
    return replace(client, **{name: frame.reset_index(drop=True)})


def with_profile(client, **changes):
    return replace(client, profile={**client.profile, **changes})


def raise_question(client, question_id: str):
    """Every answer to one question one step higher, capped at 5 (all teams alike)."""
    survey = client.survey.copy()
    mask = survey["question_id"] == question_id
    survey.loc[mask, "score"] = np.minimum(survey.loc[mask, "score"] + 1, 5)
    return with_table(client, "survey", survey)


def set_metric(client, metric_id: str, **flags):
    """Set flags on a metric's row, adding the row (not tracked) if the client lacks it."""
    metrics = client.metrics.copy()
    if metric_id not in set(metrics["metric_id"]):
        row = {"metric_id": metric_id, "tracked": False, "owner_team": None,
               "definition_documented": False, "shared_definition": False, "automated": False,
               "cadence": "none", "source_system": None}
        metrics = pd.concat([metrics, pd.DataFrame([row]).astype(metrics.dtypes.to_dict())],
                            ignore_index=True)
    for key, value in flags.items():
        metrics.loc[metrics["metric_id"] == metric_id, key] = value
    if flags.get("tracked"):
        row = metrics["metric_id"] == metric_id
        if (metrics.loc[row, "cadence"] == "none").all():
            metrics.loc[row, "cadence"] = "monthly"
    return with_table(client, "metrics", metrics)


def set_handoff(client, handoff_id: str, **values):
    """Set values on a handoff's row, adding the row (nothing in place) if missing."""
    handoffs = client.handoffs.copy()
    if handoff_id not in set(handoffs["handoff_id"]):
        row = {"handoff_id": handoff_id, "defined": False, "documented": False,
               "sla_hours": float("nan"), "sla_measured": False, "automated": False,
               "feedback_loop": False}
        handoffs = pd.concat([handoffs, pd.DataFrame([row]).astype(handoffs.dtypes.to_dict())],
                             ignore_index=True)
    for key, value in values.items():
        handoffs.loc[handoffs["handoff_id"] == handoff_id, key] = value
    return with_table(client, "handoffs", handoffs)


def add_integration(client, system: str, other: str):
    systems = client.systems.copy()
    systems["integrated_with"] = [
        tuple(sorted(set(partners) | {other})) if name == system else partners
        for name, partners in zip(systems["system"], systems["integrated_with"], strict=True)]
    return with_table(client, "systems", systems)


def shuffled(client, seed: int):
    """The same client with the rows of every table (and every ;-list) in another order."""
    rng = np.random.default_rng(seed)
    out = client
    for name in ("teams", "survey", "systems", "metrics", "handoffs"):
        frame = client.table(name)
        frame = frame.iloc[rng.permutation(len(frame))].copy()
        for column in ("used_by", "integrated_with", "source_of_truth_for"):
            if column in frame:
                frame[column] = [tuple(str(x) for x in rng.permutation(list(v))) if v else v
                                 for v in frame[column]]
        out = with_table(out, name, frame)
    return out


def without_results_noise(results: dict) -> dict:
    """A result without the validation warnings (their row numbers follow the file order)."""
    return {k: v for k, v in results.items() if k != "warnings"}
