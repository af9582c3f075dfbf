"""The report's "Since the last assessment" section and the brief's progress lines."""

from __future__ import annotations

import json
import shutil

import pytest
from progress_helpers import improve

from revkit import messages
from revkit.method.assess import assess_path
from revkit.method.compare import compare
from revkit.paths import DEMO_CLIENTS_DIR
from revkit.report import html, words
from revkit.report.blocks import Table
from revkit.report.results import dump
from revkit.report.sections import progress
from revkit.vocabulary import SCORE_KEYS


@pytest.fixture(scope="module")
def m():
    return messages.get("en")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    base = tmp_path_factory.mktemp("clients")
    before = shutil.copytree(DEMO_CLIENTS_DIR / "helix-cloud", base / "a" / "helix-cloud")
    after = improve(shutil.copytree(before, base / "b" / "helix-cloud"))
    return (json.loads(dump(assess_path(before))), json.loads(dump(assess_path(after))))


@pytest.fixture(scope="module")
def results(pair):
    before, after = pair
    return {**after, "comparison": compare(after, before)}


def _tables(section) -> list[Table]:
    return [b for b in section.blocks if isinstance(b, Table)]


def test_no_comparison_no_section_and_no_brief_lines(pair, m):
    assert progress.progress(pair[1], m) is None
    assert progress.brief_lines(pair[1], m) == []


def test_the_scores_table_shows_before_now_the_arrowed_change_and_the_level(results, m):
    section = progress.progress(results, m)
    assert section.id == "progress" and section.title == "Since the last assessment"
    scores = _tables(section)[0]
    assert scores.columns[1] == "Before (2026-03-16)"
    c = results["comparison"]
    for row, key in zip(scores.rows, SCORE_KEYS, strict=True):
        change = c["scores"][key]
        arrow = "▲" if change["delta"] > 0 else "▼" if change["delta"] < 0 else "▶"
        assert row[:4] == [m(f"dimension.{key}"), m.score(change["before"]),
                           m.score(change["after"]),
                           f"{arrow} {m.signed(change['delta']) if change['delta'] else '0.0'}"]
    process = scores.rows[SCORE_KEYS.index("process_alignment")]
    assert process[4] == "2 → 3 (Siloed → Defined)"
    assert scores.rows[SCORE_KEYS.index("metric_coverage")][3:] == [
        "▶ 0.0", "3 (Defined), unchanged"]


def test_actions_are_named_by_their_titles_with_their_status(results, pair, m):
    section = progress.progress(results, m)
    actions = _tables(section)[1]
    by_title = {str(row[1]): (str(row[0]), row[2]) for row in actions.rows}
    before = {a["id"]: a for a in pair[0]["roadmap"]}
    closed = words.action_title(m, before["handoff_define.won_to_onboarding"])
    assert by_title[closed][0] == "Closed"
    assert by_title[closed][1].startswith("Handoff Won deal to onboarding: 0.0 → ")
    renewal = words.action_title(m, before["handoff_strengthen.renewal"])
    assert by_title[renewal] == ("Progressing",
                                 "Handoff Renewal: 25.0 → 45.0 (target 80.0)")
    # the news in the table, closed first; the still open ones named in one paragraph
    order = [str(row[0]) for row in actions.rows]
    assert order == sorted(order, key=["Closed", "Progressing"].index)
    listed = results["comparison"]["actions"]
    counts = {s: sum(a["status"] == s for a in listed) for s in ("closed", "progressing", "open")}
    assert len(actions.rows) == counts["closed"] + counts["progressing"]
    text = html.text(section)
    assert (f"{counts['closed']} closed, {counts['progressing']} progressing, "
            f"{counts['open']} still open") in text
    still = [words.action_title(m, before[a["id"]]) for a in listed if a["status"] == "open"]
    assert f"Still open ({counts['open']}): " + "; ".join(still) + "." in text
    assert words.action_title(m, before["handoff_strengthen.quote_to_cash"]) in still


def test_one_scale_is_said_and_the_findings_resolved_and_new_are_named(results, m):
    section = progress.progress(results, m)
    text = html.text(section)
    assert "Both assessments were scored with methodology 2026.2" in text
    f = results["comparison"]["findings"]
    assert f["compared"] and f["resolved"]
    assert m("progress.findings.resolved", count=len(f["resolved"])) in text
    table = {row[0]: row[1] for row in _tables(section)[-1].rows}
    assert table["Resolved"] == "; ".join(words.finding_title(m, i) for i in f["resolved"])
    # the improved Helix defines its missing handoffs and lifts process alignment
    assert table["Resolved"] == "Process alignment below the reference band; Handoffs not defined"


def test_no_findings_line_where_no_result_lists_findings(results, m):
    old = {k: v for k, v in results.items() if k != "findings"}
    old["comparison"] = {**results["comparison"], "findings": {"compared": False}}
    text = html.text(progress.progress(old, m))
    assert "Findings" not in text


def test_other_scales_are_said_plainly_and_flag_the_changes(results, m):
    other = {**results, "comparison": {**results["comparison"], "same_scale": False,
                                       "previous_methodology_version": "2025.4"}}
    section = progress.progress(other, m)
    text = html.text(section)
    assert "The scales differ" in text and "2025.4" in text
    assert _tables(section)[0].columns[3] == "Change (scales differ)"
    assert all(line.endswith("— scales differ") for line in progress.brief_lines(other, m))
    rescored = {**other, "comparison": {**other["comparison"], "same_scale": True,
                                        "rescored": True}}
    assert "was scored again with methodology 2026.2" in html.text(
        progress.progress(rescored, m))


def test_findings_resolved_and_new_are_counted(results, m):
    found = {"resolved": ["gap.a", "gap.b"], "new": ["risk.c"], "strengths_gained": [],
             "strengths_lost": ["strength.d"], "compared": True}
    text = html.text(progress.progress(
        {**results, "findings": [], "comparison": {**results["comparison"],
                                                   "findings": found}}, m))
    assert "2 findings resolved, 1 new finding and 1 strength lost." in text
    older = {**results, "findings": [], "comparison": {
        **results["comparison"], "findings": {**found, "compared": False}}}
    assert "did not list findings" in html.text(progress.progress(older, m))


def test_brief_has_one_line_per_score_with_its_arrow(results, m):
    lines = progress.brief_lines(results, m)
    c = results["comparison"]["scores"]
    assert len(lines) == len(SCORE_KEYS)
    assert lines[SCORE_KEYS.index("metric_coverage")] == "▶ Metric coverage: 47.0 → 47.0 (0.0)"
    process = c["process_alignment"]
    assert lines[SCORE_KEYS.index("process_alignment")] == (
        f"▲ Process alignment: {m.score(process['before'])} → {m.score(process['after'])} "
        f"({m.signed(process['delta'])}), level 2 → 3")


def test_text_from_a_previous_result_is_escaped(results, m):
    # a --previous file is the user's: an id it holds reaches the report as text, never markup
    c = results["comparison"]
    hostile = [{**a, "params": {**a["params"], "handoff": "<script>alert(1)</script>"}}
               if a["template"] == "handoff_define" else a for a in c["actions"]]
    out = html.section(progress.progress({**results, "comparison": {**c, "actions": hostile}},
                                         m))
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_an_action_whose_template_the_kit_no_longer_has_is_named_by_its_id(results, m):
    c = results["comparison"]
    retired = [{**c["actions"][0], "id": "retired_step.x", "template": "retired_step",
                "status": "closed"}]
    section = progress.progress({**results, "comparison": {**c, "actions": retired}}, m)
    assert str(_tables(section)[1].rows[0][1]) == "retired step.x"
