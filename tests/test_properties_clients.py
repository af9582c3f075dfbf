"""Properties over random valid clients, written as real intake folders and read as a
client's files are read (``client_strategies``): the kit never fails on them, every
score stays in bounds, improvements never lower a score and row order never matters.

Budgets (examples per test) are in ``property_profiles``: small and seeded in
``make test``, large in ``make test-long``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from client_strategies import (
    METRIC_IDS,
    applicable_handoffs,
    clients,
    shuffled,
    write_client,
)
from hypothesis import assume, given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from property_profiles import examples

from revkit.intake.validate import check_client, load_client
from revkit.method import methodology
from revkit.method.assess import assess
from revkit.method.scoring import score_client
from revkit.paths import RESULTS_SCHEMA
from revkit.report import html, model
from revkit.report.results import dump
from revkit.vocabulary import SCORE_KEYS

METHOD = methodology.load()
SCHEMA = Draft202012Validator(json.loads(RESULTS_SCHEMA.read_text(encoding="utf-8")))
QUESTION_DIMENSION = {"silos": "silos", "metrics": "metric_coverage",
                      "process": "process_alignment"}
CADENCE_ORDER = ["adhoc", "quarterly", "monthly", "weekly", "daily", "realtime"]

pytestmark = pytest.mark.properties


def loaded(spec, folder: Path):
    """The client the kit reads from ``spec`` written to ``folder``; a valid spec
    must load with no error at all."""
    client, problems = check_client(write_client(spec, folder))
    errors = [p.render() for p in problems if p.severity == "error"]
    assert client is not None and not errors, errors
    return client


def results_of(client) -> dict:
    """``results.json`` as written (JSON round trip: what the report reads)."""
    return json.loads(dump(assess(client)))


def assert_in_bounds(results: dict) -> None:
    band = METHOD["levels"]["band_width"]
    for key in SCORE_KEYS:
        score = results["scores"][key]
        assert 0 <= score <= 100, (key, score)
        assert results["levels"][key] == min(5, int(score // band) + 1)
    for dimension, parts in results["subscores"].items():
        for name, value in parts.items():
            assert value is None or 0 <= value <= 100, (dimension, name, value)
    for row in results["silo_map"]["matrix"]:
        assert all(v is None or 0 <= v <= 100 for v in row)
    for metric in results["metric_quality"]:
        assert 0 <= metric["score"] <= 100
        assert metric["tracked"] or metric["score"] == 0
    rec = results["recommendation"]
    assert 0 <= rec["complexity"] <= 100
    assert 0 <= rec["confidence"] <= 1
    assert 0 <= rec["robustness"] <= 1
    assert 0 <= results["completeness"]["overall"] <= 1


# ---------------------------------------------------------------- never crashes

@examples("clients")
@given(clients())
def test_a_random_valid_client_loads_scores_and_builds_its_report_model(spec):
    with tempfile.TemporaryDirectory() as tmp:
        client = loaded(spec, Path(tmp) / "client")
    results = results_of(client)
    errors = sorted(SCHEMA.iter_errors(results), key=str)
    assert not errors, [e.message for e in errors[:3]]
    assert_in_bounds(results)
    assert results["client"]["name"] == spec.profile["name"]
    # the view model in both shipped languages, and every section's HTML (charts as
    # placeholders here; drawn for real in the rendered test below)
    for lang in ("en", "ru"):
        report = model.build(results, lang)
        assert report.sections
        for section in report.sections:
            html.section(section, image=lambda chart: "data:image/png;base64,")


@examples("rendered")
@given(clients())
def test_a_random_valid_client_renders_its_sections_with_real_charts(spec):
    with tempfile.TemporaryDirectory() as tmp:
        client = loaded(spec, Path(tmp) / "client")
    report = model.build(results_of(client), spec.profile["report_language"])
    pages = [html.section(section) for section in report.sections]
    assert any("data:image/png;base64," in page for page in pages)


@pytest.mark.long
@examples("run")
@given(clients(plain=True))
def test_a_random_valid_client_runs_through_revkit_run(spec):
    from click.testing import CliRunner

    from revkit.cli.commands import cli

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_client(spec, Path(tmp) / "client")
        out = Path(tmp) / "reports"
        result = CliRunner().invoke(cli, ["run", str(folder), "--out", str(out),
                                          "--formats", "html,pdf,pptx"])
        assert result.exit_code == 0, result.output
        slug = spec.profile["slug"]
        assert {p.name for p in (out / slug).iterdir()} >= {
            "results.json", f"{slug}.html", f"{slug}.pdf", f"{slug}.pptx"}


# ---------------------------------------------------------------- order never matters

@examples("clients")
@given(clients(), st.integers(0, 2**32 - 1))
def test_the_order_of_rows_and_of_listed_values_never_changes_a_result(spec, seed):
    with tempfile.TemporaryDirectory() as tmp:
        first = loaded(spec, Path(tmp) / "a")
        again = loaded(shuffled(spec, seed), Path(tmp) / "b")
    one, two = results_of(first), results_of(again)
    # warnings name rows, whose numbers follow the file order; everything else is equal
    one.pop("warnings"), two.pop("warnings")
    assert json.dumps(two, sort_keys=True) == json.dumps(one, sort_keys=True)


# ---------------------------------------------------------------- improvements never lower

def scores_of(spec, folder: Path) -> dict:
    return score_client(loaded(spec, folder), METHOD).scores


def assert_not_lower(spec, better, keys, what: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        before = scores_of(spec, Path(tmp) / "before")
        after = scores_of(better, Path(tmp) / "after")
    for key in keys:
        assert after[key] >= before[key], f"{what}: {key} fell {before[key]} -> {after[key]}"


METRIC_CHANGES = ["tracked", "documented", "shared", "automated", "cadence"]


@examples("monotonic")
@given(clients(plain=True), st.sampled_from(METRIC_IDS), st.sampled_from(METRIC_CHANGES))
def test_tracking_or_improving_a_metric_never_lowers_a_score(spec, metric_id, change):
    rows = {row[0]: list(row) for row in spec.metrics}
    # metric_id, tracked, owner, documented, shared, automated, cadence, source_system
    row = rows.get(metric_id, [metric_id, False, None, False, False, False, "none", None])
    position = {"tracked": 1, "documented": 3, "shared": 4, "automated": 5}
    if change == "cadence":
        assume(row[1] and row[6] != CADENCE_ORDER[-1])
        row[6] = CADENCE_ORDER[CADENCE_ORDER.index(row[6]) + 1]
    else:
        assume(not row[position[change]])
        row[position[change]] = True
        if change == "tracked":
            row[6] = "adhoc"   # the slowest cadence: tracking alone must still not lower
    rows[metric_id] = row
    better = spec.with_rows(metrics=[tuple(r) for r in rows.values()])
    assert_not_lower(spec, better, SCORE_KEYS, f"{metric_id} {change}")


@examples("monotonic")
@given(clients(plain=True), st.data())
def test_raising_every_answer_to_a_question_never_lowers_its_dimension(spec, data):
    from revkit import catalog

    answered = sorted({q for _, _, q, score, _ in spec.survey if score is not None and score < 5})
    assume(answered)
    question = data.draw(st.sampled_from(answered))
    raised = [(r, t, q, min(5, s + 1) if q == question and s is not None else s, c)
              for r, t, q, s, c in spec.survey]
    dimension = QUESTION_DIMENSION[next(q["dimension"] for q in catalog.questions()
                                        if q["id"] == question)]
    assert_not_lower(spec, spec.with_rows(survey=raised), [dimension, "overall"],
                     f"{question} one step up")


HANDOFF_CHANGES = {"defined": 1, "documented": 2, "sla": 3, "sla_measured": 4,
                   "automated": 5, "feedback_loop": 6}


@examples("monotonic")
@given(clients(plain=True), st.data(), st.sampled_from(sorted(HANDOFF_CHANGES)))
def test_defining_or_improving_a_handoff_never_lowers_a_score(spec, data, change):
    possible = applicable_handoffs(spec.team_ids)
    assume(possible)
    handoff = data.draw(st.sampled_from(possible))
    rows = {row[0]: list(row) for row in spec.handoffs}
    row = rows.get(handoff, [handoff, False, False, None, False, False, False])
    where = HANDOFF_CHANGES[change]
    if change == "sla":
        assume(row[3] is None)
        row[3] = data.draw(st.integers(0, 720))
    else:
        assume(not row[where])
        row[where] = True
    rows[handoff] = row
    better = spec.with_rows(handoffs=[tuple(r) for r in rows.values()])
    assert_not_lower(spec, better, SCORE_KEYS, f"{handoff} {change}")


@examples("monotonic")
@given(clients(plain=True), st.data())
def test_adding_an_integration_or_a_user_never_lowers_a_score(spec, data):
    names = [s[0] for s in spec.systems]
    index = data.draw(st.integers(0, len(names) - 1))
    systems = [list(s) for s in spec.systems]
    # name, category, owner, used_by, integrated_with, source_of_truth_for
    if data.draw(st.booleans()) and len(names) > 1:
        other = data.draw(st.sampled_from([n for n in names if n != names[index]]))
        assume(other not in systems[index][4])
        systems[index][4] = (*systems[index][4], other)
        what = f"{names[index]} integrated with {other}"
    else:
        team = data.draw(st.sampled_from(spec.team_ids))
        assume(team not in systems[index][3])
        systems[index][3] = (*systems[index][3], team)
        what = f"{team} uses {names[index]}"
    assert_not_lower(spec, spec.with_rows(systems=[tuple(s) for s in systems]), SCORE_KEYS,
                     what)


def test_a_generated_client_is_what_the_files_say():
    # the writer and the reader agree on one hand-checked client in a locale spelling
    from client_strategies import ClientSpec, Spelling

    spec = ClientSpec(
        profile={"name": "Añil & Söhne", "slug": "anil", "industry": None, "employees": 40,
                 "annual_revenue": 1234567.5, "currency": "EUR",
                 "revenue_model": "recurring", "gtm_motion": "sales_led",
                 "assessment_date": __import__("datetime").date(2026, 3, 1),
                 "marketing_sourced_pipeline_share": 0.25, "report_language": None},
        teams=(("sales", 10, 1), ("marketing", 4, 0)),
        survey=(("r1", "sales", "silos_01", 4, "gut; sehr"), ("r1", "sales", "silos_02", None, "")),
        systems=(("CRM", "crm", "sales", ("marketing",), (), ("account",)),),
        metrics=(("win_rate", True, "sales", True, False, True, "monthly", "CRM"),),
        handoffs=(("mql_to_sql", True, False, 24.5, True, False, False),),
        spelling=Spelling(separator=";", encoding="utf-16", true_word="ja", false_word="nein",
                          dotted_dates=True, decimal_comma=True, line_end="\r\n"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_client(spec, Path(tmp) / "anil")
        assert (folder / "handoffs.csv").read_bytes().decode("utf-16").splitlines()[1] == \
            "mql_to_sql;ja;nein;24,5;ja;nein;nein"
        client = load_client(folder)
    assert client.profile["annual_revenue"] == 1234567.5
    assert str(client.profile["assessment_date"]) == "2026-03-01"
    assert client.handoffs["sla_hours"].tolist() == [24.5]
    assert client.survey["comment"].tolist()[0] == "gut; sehr"
    assert client.systems["used_by"].tolist() == [("marketing",)]
