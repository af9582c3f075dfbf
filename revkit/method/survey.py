"""Survey figures: dimension scores per reporting group and the perception gap.

A *reporting group* is a team with at least ``min_team_respondents``
respondents; respondents of smaller teams are pooled into the group
``pooled``, so that no figure can be traced back to one person. Every group
counts equally in a dimension's score, so one large team cannot outvote the
others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

from revkit import catalog
from revkit.intake.model import Client
from revkit.method.calc import answer_points, mean, r1
from revkit.vocabulary import POOLED, SURVEY_DIMENSIONS

SCALE = (1, 2, 3, 4, 5)


@dataclass
class SurveyView:
    """The survey's answers grouped for scoring; built once per client."""

    min_respondents: int
    respondents_per_team: dict[str, int]
    group_of_team: dict[str, str]
    # answers[group][question_id] -> sorted list of answered scores
    answers: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    answered: int = 0
    rows: int = 0
    comments: list[dict] = field(default_factory=list)
    # the question bank's questions that apply to the client (teams, motion)
    questions: tuple[str, ...] = ()

    @property
    def groups(self) -> list[str]:
        return sorted(self.answers)

    def group_respondents(self, group: str) -> int:
        return sum(n for t, n in self.respondents_per_team.items()
                   if self.group_of_team[t] == group)

    def reportable(self) -> list[str]:
        """Groups whose figures may be shown (pooled only with enough respondents)."""
        return [g for g in self.groups if self.group_respondents(g) >= self.min_respondents]


def build(client: Client, min_respondents: int) -> SurveyView:
    """Group a client's survey answers by reporting group."""
    survey = client.survey
    per_team: dict[str, int] = {}
    for team, _resp in set(zip(survey["team"], survey["respondent_id"], strict=True)):
        per_team[team] = per_team.get(team, 0) + 1
    group_of_team = {t: (t if n >= min_respondents else POOLED) for t, n in per_team.items()}
    view = SurveyView(min_respondents, dict(sorted(per_team.items())), group_of_team,
                      questions=applicable_questions(client))
    asked = set(view.questions)
    for team, qid, score, comment in zip(survey["team"], survey["question_id"], survey["score"],
                                         survey["comment"], strict=True):
        if qid not in asked:  # a question for another kind of company (e.g. partners) is not scored
            continue
        view.rows += 1
        group = group_of_team[team]
        if score is not None and not (isinstance(score, float) and math.isnan(score)):
            view.answered += 1
            view.answers.setdefault(group, {}).setdefault(qid, []).append(float(score))
        else:
            view.answers.setdefault(group, {})
        if isinstance(comment, str) and comment.strip():
            view.comments.append({"team": group, "question_id": qid, "comment": comment.strip()})
    for by_q in view.answers.values():
        for values in by_q.values():
            values.sort()
    view.comments.sort(key=lambda c: (c["team"], c["question_id"], c["comment"]))
    return view


def applicable_questions(client: Client) -> tuple[str, ...]:
    """The question bank's questions that apply to the client (its teams and motion)."""
    p = client.profile
    return tuple(q["id"] for q in catalog.questions()
                 if catalog.applies(q, client.team_ids, p["revenue_model"], p["gtm_motion"]))


def question_ids(dimension: str) -> list[str]:
    return [q["id"] for q in catalog.questions() if q["dimension"] == dimension]


def group_score(view: SurveyView, group: str, qids) -> float | None:
    """Mean points of all of a group's answers to the given questions."""
    by_q = view.answers.get(group, {})
    return mean(answer_points(a) for q in qids for a in by_q.get(q, []))


def score(view: SurveyView, qids) -> float | None:
    """Points 0..100 for a set of questions: the mean over groups of each group's mean.

    Groups with at least ``min_respondents`` respondents count equally; a
    smaller pooled group counts in proportion to its respondents, so one
    person cannot weigh as much as a whole team. Group means are rounded to
    one decimal first, as the report shows them.
    """
    parts = []
    for group in view.groups:
        value = r1(group_score(view, group, qids))
        if value is not None:
            parts.append((value, min(view.group_respondents(group), view.min_respondents)))
    total = math.fsum(w for _, w in parts)
    return math.fsum(v * w for v, w in parts) / total if total else None


def team_table(view: SurveyView) -> list[dict]:
    """Per reportable group: respondents and points per dimension."""
    rows = []
    for group in view.reportable():
        row = {"team": group, "respondents": view.group_respondents(group)}
        for dim in SURVEY_DIMENSIONS:
            row[dim] = group_score(view, group, question_ids(dim))
        rows.append(row)
    return rows


def distance(a: list[float], b: list[float]) -> float:
    """Earth mover's distance between two answer distributions, in scale points (0..4).

    It is the sum over k = 1..4 of |share of a answering <= k - share of b
    answering <= k|: how many scale points, on average, one team's answers
    would have to move to match the other's. Raising every answer by one step
    (capped at 5) can never increase it.
    """
    total = []
    for k in SCALE[:-1]:
        fa = sum(1 for x in a if x <= k) / len(a)
        fb = sum(1 for x in b if x <= k) / len(b)
        total.append(abs(fa - fb))
    return math.fsum(total)


def perception_gap(view: SurveyView, dimension: str = "silos") -> dict:
    """How far apart the reportable groups answer the dimension's questions.

    ``gap`` is the mean distance over questions and pairs of groups, as
    points 0..100 (4 scale points = 100); None with fewer than two groups.
    """
    groups = view.reportable()
    pair_values: dict[tuple[str, str], list[float]] = {}
    by_question = []
    for qid in question_ids(dimension):
        dists = []
        for g1, g2 in combinations(groups, 2):
            a = view.answers.get(g1, {}).get(qid)
            b = view.answers.get(g2, {}).get(qid)
            if a and b:
                d = distance(a, b) / 4.0 * 100.0
                dists.append(d)
                pair_values.setdefault((g1, g2), []).append(d)
        if dists:
            by_question.append({"question_id": qid, "gap": mean(dists)})
    gap = mean(row["gap"] for row in by_question)
    return {
        "dimension": dimension,
        "groups": groups,
        "gap": gap,
        "by_question": by_question,
        "by_pair": [{"teams": list(pair), "gap": mean(vals)}
                    for pair, vals in sorted(pair_values.items())],
    }
