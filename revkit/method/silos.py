"""Silo score: how connected the client's teams are.

Four kinds of evidence: the team x team connection matrix (shared or
integrated systems), one source of truth per core entity, metrics with a
shared definition, and the survey's silo questions with the perception gap
between teams. Each is a sub-score 0..100; the silo score is their weighted
mean (weights in the methodology file).
"""

from __future__ import annotations

from itertools import combinations

from revkit import catalog
from revkit.intake.model import Client
from revkit.method.calc import mean, r1, weighted
from revkit.method.survey import SurveyView, perception_gap, question_ids, score


def ordered_teams(client: Client) -> list[str]:
    """The client's teams in customer-lifecycle order (the catalog's)."""
    order = {t["id"]: t["lifecycle_order"] for t in catalog.teams()}
    return sorted(client.team_ids, key=lambda t: (order.get(t, 99), t))


def _touches(client: Client) -> dict[str, set[str]]:
    """system -> the client's teams that own or use it."""
    teams = set(client.team_ids)
    out = {}
    for system, owner, used_by in zip(client.systems["system"], client.systems["owner_team"],
                                      client.systems["used_by"], strict=True):
        out[system] = ({owner} | set(used_by or ())) & teams
    return out


def _integrations(client: Client) -> set[frozenset]:
    """Unordered pairs of systems integrated with each other (either side may list it)."""
    names = set(client.systems["system"])
    pairs = set()
    listed = zip(client.systems["system"], client.systems["integrated_with"], strict=True)
    for system, partners in listed:
        for other in partners or ():
            if other in names and other != system:
                pairs.add(frozenset((system, other)))
    return pairs


def connection_matrix(client: Client, method: dict) -> dict:
    """``{teams, matrix}``: strength 0..100 of the best link between each pair of teams."""
    cfg = method["silos"]
    teams = ordered_teams(client)
    touches = _touches(client)
    category = dict(zip(client.systems["system"], client.systems["category"], strict=True))
    integrations = _integrations(client)
    n = len(teams)
    matrix: list[list[float | None]] = [[None] * n for _ in range(n)]
    for i, j in combinations(range(n), 2):
        a, b = teams[i], teams[j]
        best = 0.0
        for system, users in touches.items():
            if a in users and b in users:
                best = max(best, float(cfg["shared_system_strength"].get(category[system], 0)))
        for pair in integrations:
            s1, s2 = sorted(pair)
            if (a in touches[s1] and b in touches[s2]) or (b in touches[s1] and a in touches[s2]):
                # an integration through a spreadsheet moves data by hand: it counts less
                via_sheet = "spreadsheet" in (category[s1], category[s2])
                best = max(best, float(cfg["spreadsheet_integration_strength" if via_sheet
                                           else "integration_strength"]))
        matrix[i][j] = matrix[j][i] = best
    return {"teams": teams, "matrix": matrix}


def handoff_pairs(client: Client) -> set[frozenset]:
    """Pairs of different teams joined by an applicable handoff."""
    return {frozenset((h["from_team"], h["to_team"]))
            for h in catalog.applicable_handoffs(client.team_ids, client.profile["gtm_motion"])
            if h["from_team"] != h["to_team"]}


def connections_score(silo_map: dict, client: Client, method: dict) -> float:
    """Weighted mean strength over pairs of teams (handoff pairs weigh more)."""
    cfg = method["silos"]
    teams = silo_map["teams"]
    if len(teams) < 2:
        return float(cfg["single_team_connections"])
    linked = handoff_pairs(client)
    values, weights = [], []
    for i, j in combinations(range(len(teams)), 2):
        w = cfg["handoff_pair_weight"] if frozenset((teams[i], teams[j])) in linked else 1
        values.append(silo_map["matrix"][i][j] * w)
        weights.append(w)
    return sum(values) / sum(weights)


def sources_of_truth(client: Client, method: dict) -> list[dict]:
    """Per applicable core entity: the systems claiming to be its source of truth."""
    cfg = method["silos"]
    integrations = _integrations(client)
    rows = []
    category = dict(zip(client.systems["system"], client.systems["category"], strict=True))
    for item in catalog.entities():
        entity = item["id"]
        if not catalog.applies(item, client.team_ids, client.profile["revenue_model"],
                               client.profile["gtm_motion"]):
            continue
        systems = sorted(s for s, claims in zip(client.systems["system"],
                                                client.systems["source_of_truth_for"], strict=True)
                         if entity in (claims or ()))
        if not systems:
            status, key = "none", "none"
        elif len(systems) == 1:
            # one spreadsheet is one place, but not a system of record
            status = "single"
            key = "single_spreadsheet" if category[systems[0]] == "spreadsheet" else "single"
        else:
            status = "multiple"
            linked = all(frozenset(p) in integrations for p in combinations(systems, 2))
            key = "multiple_integrated" if linked else "multiple"
        rows.append({"entity": entity, "systems": systems, "status": status,
                     "integrated": key == "multiple_integrated",
                     "spreadsheet": key == "single_spreadsheet",
                     "points": float(cfg["source_of_truth"][key])})
    return rows


def shared_definitions_score(metric_rows: list[dict]) -> float | None:
    """Share (0..100) of applicable metrics tracked with a definition shared across teams."""
    applicable = [m for m in metric_rows if m["applicable"]]
    if not applicable:
        return None
    return 100.0 * sum(1 for m in applicable if m["tracked"] and m["shared"]) / len(applicable)


def score_silos(client: Client, method: dict, view: SurveyView, metric_rows: list[dict]) -> dict:
    """Silo score, its sub-scores and the evidence tables behind them."""
    silo_map = connection_matrix(client, method)
    sot = sources_of_truth(client, method)
    gap = perception_gap(view, "silos")
    subscores = {
        "connections": r1(connections_score(silo_map, client, method)),
        "sources_of_truth": r1(mean(row["points"] for row in sot)),
        # with one team there is nobody to share a definition with
        "shared_definitions": r1(shared_definitions_score(metric_rows))
        if len(silo_map["teams"]) > 1 else None,
        "survey": r1(score(view, question_ids("silos"))),
        # from the published (rounded) gap, so the report's figures add up by hand
        "perception_alignment": None if gap["gap"] is None else r1(
            max(0.0, 100.0 - method["silos"]["perception_gap_scale"] * r1(gap["gap"]))),
    }
    return {
        "score": r1(weighted(subscores, method["weights"]["silos"])),
        "subscores": subscores,
        "silo_map": silo_map,
        "sources_of_truth": sot,
        "perception_gap": gap,
    }
