"""Progress since the last assessment: the comparison of two results of one client.

Helix Cloud is assessed twice: as shipped (2026-03-16) and half a year later with
the three missing handoffs defined, the renewal handoff documented and every silo
question answered a step higher (``progress_helpers.improve``).
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from progress_helpers import DEFINED, LATER, improve

from revkit.method.assess import assess_path
from revkit.method.compare import compare
from revkit.paths import DEMO_CLIENTS_DIR, RESULTS_SCHEMA
from revkit.report import history, kept_inputs
from revkit.report.results import dump
from revkit.vocabulary import SCORE_KEYS


def _assess(folder: Path, methodology: Path | None = None) -> dict:
    return json.loads(dump(assess_path(folder, methodology)))


@pytest.fixture(scope="module")
def clients(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("clients")
    before = shutil.copytree(DEMO_CLIENTS_DIR / "helix-cloud", base / "before" / "helix-cloud")
    after = improve(shutil.copytree(before, base / "after" / "helix-cloud"))
    return {"before": before, "after": after, "base": base}


@pytest.fixture(scope="module")
def pair(clients) -> tuple[dict, dict]:
    return _assess(clients["before"]), _assess(clients["after"])


@pytest.fixture(scope="module")
def comparison(pair) -> dict:
    before, after = pair
    return compare(after, before)


def _by_hand(before: float, after: float) -> float:
    # the difference of the two printed one-decimal figures, exactly
    return float(Decimal(str(after)) - Decimal(str(before)))


# ---------------------------------------------------------------- scores and levels

def test_each_change_is_the_difference_of_the_published_scores(pair, comparison):
    before, after = pair
    assert comparison["previous_date"] == "2026-03-16" == before["client"]["assessment_date"]
    assert after["client"]["assessment_date"] == LATER
    for key in SCORE_KEYS:
        b, a = before["scores"][key], after["scores"][key]
        assert comparison["scores"][key] == {"before": b, "after": a, "delta": _by_hand(b, a)}
        assert comparison["levels"][key] == {"before": before["levels"][key],
                                             "after": after["levels"][key]}


def test_the_improved_inputs_raise_what_they_feed(comparison):
    scores, levels = comparison["scores"], comparison["levels"]
    assert scores["process_alignment"]["delta"] > 10       # three handoffs defined in full
    assert scores["silos"]["delta"] > 0                    # silo answers a step higher
    assert scores["metric_coverage"]["delta"] == 0.0       # metrics untouched
    assert scores["overall"]["delta"] > 0
    assert levels["process_alignment"] == {"before": 2, "after": 3}


def test_same_methodology_is_one_scale(comparison, pair):
    assert comparison["same_scale"] is True and comparison["rescored"] is False
    assert comparison["previous_methodology_version"] == pair[0]["methodology_version"]


# ---------------------------------------------------------------- roadmap actions

def test_the_handoffs_now_defined_close_their_actions(comparison):
    status = {a["id"]: a["status"] for a in comparison["actions"]}
    for handoff in DEFINED:
        assert status[f"handoff_define.{handoff}"] == "closed"


def test_a_weak_handoff_that_improved_progresses_and_an_untouched_one_stays_open(comparison):
    actions = {a["id"]: a for a in comparison["actions"]}
    renewal = actions["handoff_strengthen.renewal"]
    assert renewal["status"] == "progressing"
    assert renewal["kpi"]["before"] < renewal["kpi"]["after"] < renewal["kpi"]["target"]
    assert actions["handoff_strengthen.quote_to_cash"]["status"] == "open"


def test_every_previous_action_gets_the_status_the_rule_gives(pair, comparison):
    before, after = pair
    now = {a["id"]: a for a in after["roadmap"]}

    def gap(action):
        return abs(action["kpi"]["target"] - action["kpi"]["baseline"])

    expected = []
    for old in sorted(before["roadmap"], key=lambda a: a["order"]):
        new = now.get(old["id"])
        expected.append((old["id"], "closed" if new is None
                         else "progressing" if gap(new) < gap(old) else "open"))
    assert [(a["id"], a["status"]) for a in comparison["actions"]] == expected


def test_a_closed_action_shows_where_its_measure_stands_now(pair, comparison):
    after = pair[1]
    action = next(a for a in comparison["actions"]
                  if a["id"] == "handoff_define.won_to_onboarding")
    score = next(h["score"] for h in after["handoffs"] if h["id"] == "won_to_onboarding")
    assert action["kpi"] == {"metric_id": "handoffs.won_to_onboarding", "unit": "points",
                             "before": 0.0, "after": score, "target": 80.0}
    # its title is written from the previous action's template and parameters
    assert action["template"] == "handoff_define"
    assert action["params"]["handoff"] == "won_to_onboarding"


# ---------------------------------------------------------------- findings

def _with_findings(results: dict, *found: tuple[str, str]) -> dict:
    return {**results, "findings": [{"id": i, "kind": k, "severity": 3, "dimension": None,
                                     "evidence": []} for i, k in found]}


def test_findings_are_matched_by_id(pair):
    before = _with_findings(pair[0], ("gap.a", "gap"), ("risk.b", "risk"),
                            ("strength.s1", "strength"))
    after = _with_findings(pair[1], ("risk.b", "risk"), ("contradiction.c", "contradiction"),
                           ("strength.s2", "strength"))
    assert compare(after, before)["findings"] == {
        "resolved": ["gap.a"], "new": ["contradiction.c"], "strengths_gained": ["strength.s2"],
        "strengths_lost": ["strength.s1"], "compared": True}


def test_a_result_without_findings_lists_none_and_says_so(pair):
    after = _with_findings(pair[1], ("gap.a", "gap"))
    before = {k: v for k, v in pair[0].items() if k != "findings"}  # an older result
    found = compare(after, before)["findings"]
    assert found["resolved"] == [] and found["compared"] is False
    assert found["new"] == ["gap.a"]


# ---------------------------------------------------------------- the result

def test_the_comparison_is_codes_and_numbers_and_fits_the_schema(pair, comparison):
    text = json.dumps(comparison, allow_nan=False)
    strings = [v for v in _strings(json.loads(text))]
    assert all(len(s.split()) <= 3 for s in strings)   # ids, dates, versions: no sentences
    validator = Draft202012Validator(json.loads(RESULTS_SCHEMA.read_text(encoding="utf-8")))
    errors = [e.message for e in validator.iter_errors({**pair[1], "comparison": comparison})]
    assert errors == []
    assert compare(pair[1], pair[0]) == comparison      # deterministic


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


# ---------------------------------------------------------------- methodology versions

@pytest.fixture(scope="module")
def older_method(clients) -> Path:
    """An earlier methodology: another version and other overall weights."""
    path = clients["base"] / "older.yaml"
    path.write_text('version: "2025.4"\nweights:\n  overall:\n    silos: 1\n'
                    '    metric_coverage: 1\n    process_alignment: 2\n', encoding="utf-8")
    return path


def _previous(results: dict, inputs: bytes | None) -> history.Previous:
    data = dump(results).encode("utf-8")
    return history.Previous(Path("old/results.json"), data, results, inputs)


def test_another_methodology_with_kept_inputs_is_rescored_on_one_scale(clients, pair,
                                                                     older_method):
    published = _assess(clients["before"], older_method)
    assert published["methodology_version"] == "2025.4"
    assert published["scores"]["overall"] != pair[0]["scores"]["overall"]
    previous = _previous(published, kept_inputs.pack(clients["before"]))
    found = history.comparison(previous, pair[1])
    assert found["same_scale"] is True and found["rescored"] is True
    assert found["previous_methodology_version"] == "2025.4"
    # "before" is the kept intake scored with the current methodology
    assert {k: v["before"] for k, v in found["scores"].items()} == pair[0]["scores"]


def test_another_methodology_without_kept_inputs_says_the_scales_differ(clients, pair,
                                                                      older_method):
    published = _assess(clients["before"], older_method)
    found = history.comparison(_previous(published, None), pair[1])
    assert found["same_scale"] is False and found["rescored"] is False
    assert {k: v["before"] for k, v in found["scores"].items()} == published["scores"]


def test_kept_inputs_of_another_assessment_are_not_used(clients, pair, older_method):
    published = _assess(clients["before"], older_method)
    wrong = kept_inputs.pack(clients["after"])        # a later intake: another date
    found = history.comparison(_previous(published, wrong), pair[1])
    assert found["same_scale"] is False and found["rescored"] is False


def test_a_kept_workbook_is_rescored_like_the_workbook(clients, tmp_path):
    from workbook_helpers import write_xlsm

    workbook = write_xlsm(clients["before"], tmp_path / "helix-cloud.xlsm")
    data = kept_inputs.pack(workbook)
    direct = _assess(workbook)
    assert kept_inputs.rescore(data, direct) == direct


def test_kept_inputs_are_the_input_files_in_stable_bytes(clients, tmp_path):
    folder = shutil.copytree(clients["before"], tmp_path / "helix-cloud")
    (folder / "~$survey.xlsx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"finder")
    data = kept_inputs.pack(folder)
    assert data == kept_inputs.pack(clients["before"])
    import zipfile
    from io import BytesIO

    names = zipfile.ZipFile(BytesIO(data)).namelist()
    assert "helix-cloud/profile.yaml" in names and "helix-cloud/crm/mapping.yaml" in names
    assert not any("~$" in n or ".DS_Store" in n for n in names)


def test_a_previous_file_with_odd_items_is_invalid_not_a_crash(pair, tmp_path):
    from revkit.errors import InvalidFile

    broken = {**pair[0], "client": {**pair[0]["client"], "assessment_date": "2025-01-02"},
              "roadmap": ["handoff_define.expansion"], "levels": "high"}
    path = tmp_path / "results.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        history.load_previous(path, "helix-cloud", LATER)
    text = caught.value.summary()
    assert str(path) in text and "'roadmap': not a list of items with an id" in text
    assert "'levels.overall': missing or not a level" in text
    # a KPI that is not one makes the action open, not an error
    odd = {**pair[0], "roadmap": [{**a, "kpi": "n/a"} for a in pair[0]["roadmap"]]}
    assert {a["status"] for a in compare(pair[1], odd)["actions"]} <= {"closed", "open"}
