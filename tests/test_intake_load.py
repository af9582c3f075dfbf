"""Loading valid intakes: folders, workbooks, wide surveys, encodings, value forms."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pytest
from conftest import DEMO_SLUGS

from revkit import catalog
from revkit.intake.authoring.convert import folder_to_workbook
from revkit.intake.validate import check_client, load_client


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_demo_clients_are_valid(slug, copy_demo):
    client, problems = check_client(copy_demo(slug))
    assert client is not None, [p.render() for p in problems]
    assert client.slug == slug
    assert 5 <= client.survey["respondent_id"].nunique() <= 20


def test_at_least_three_demo_shapes():
    assert len(DEMO_SLUGS) >= 3


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_folder_and_workbook_load_to_equal_clients(slug, copy_demo, tmp_path):
    folder = copy_demo(slug)
    book = folder_to_workbook(folder, tmp_path / f"{slug}.xlsx")
    from_folder, from_book = load_client(folder), load_client(book)
    assert from_folder == from_book
    assert from_folder.to_dict() == from_book.to_dict()


def test_equality_sees_a_changed_answer(copy_demo, tmp_path):
    folder = copy_demo("nordkraft-tools")
    before = load_client(folder)
    text = (folder / "survey.csv").read_text()
    (folder / "survey.csv").write_text(text.replace("nk-01,sales,silos_01,4,",
                                                    "nk-01,sales,silos_01,5,"))
    assert load_client(folder) != before


def test_typed_values(copy_demo):
    client = load_client(copy_demo("helix-cloud"))
    assert isinstance(client.profile["assessment_date"], dt.date)
    assert client.survey["score"].dtype == "float64"
    assert client.metrics["tracked"].dtype == bool
    assert all(isinstance(v, tuple) for v in client.systems["used_by"])
    assert set(client.teams["team"]) <= set(catalog.team_ids())


def test_bom_boolean_words_and_list_spacing(copy_demo):
    folder = copy_demo("nordkraft-tools")
    metrics = (folder / "metrics.csv").read_text(encoding="utf-8")
    metrics = metrics.replace(",true,", ",YES,").replace(",false,", ",No,")
    (folder / "metrics.csv").write_bytes(b"\xef\xbb\xbf" + metrics.encode("utf-8"))
    systems = (folder / "systems.csv").read_text().replace("sales;finance", " sales ; finance ;")
    (folder / "systems.csv").write_text(systems)
    client = load_client(folder)
    assert client.metrics["tracked"].any() and not client.metrics["tracked"].all()
    assert ("sales", "finance") in set(client.systems["used_by"])


def test_a_name_starting_with_a_hash_is_data_and_a_hash_and_space_a_comment(copy_demo):
    """``# `` starts the example rows ``revkit init`` writes; ``#1 CRM`` is a system."""
    folder = copy_demo("nordkraft-tools")
    systems = (folder / "systems.csv").read_text()
    systems += "#1 CRM,crm,sales,sales,,\n"
    systems += "# Example System,crm,sales,sales,,\n#,crm,sales,sales,,\n"
    (folder / "systems.csv").write_text(systems)
    names = set(load_client(folder).systems["system"])
    assert "#1 CRM" in names
    assert not any(n.startswith("# ") or n == "#" for n in names)


def test_wide_survey_layout_is_reshaped(copy_demo, tmp_path):
    folder = copy_demo("brightpath-analytics")
    long = load_client(folder)
    rows = list(csv.DictReader(open(folder / "survey.csv", encoding="utf-8")))
    questions = [q["id"] for q in catalog.questions()]
    by_resp: dict = {}
    for r in rows:
        by_resp.setdefault((r["respondent_id"], r["team"]), {})[r["question_id"]] = r["score"]
    with open(folder / "survey.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["respondent_id", "team", *questions])
        for (rid, team), answers in by_resp.items():
            writer.writerow([rid, team, *[answers.get(q, "") for q in questions]])
    wide = load_client(folder)
    answered = lambda c: c.survey.dropna(subset=["score"])[["respondent_id", "question_id", "score"]]  # noqa: E731
    left = answered(long).sort_values(["respondent_id", "question_id"]).reset_index(drop=True)
    right = answered(wide).sort_values(["respondent_id", "question_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)


def test_wide_survey_errors_point_at_the_cell(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    (folder / "survey.csv").write_text(
        "respondent_id,team,silos_01,silos_2x\n"
        "r1,sales,4,3\n"
        "r2,sales,9,2\n")
    result = run_cli("validate", folder)
    assert result.exit_code == 2
    assert "survey.csv, row 3, column 'silos_01'" in result.stderr  # the score 9
    assert "survey.csv, row 1, column 'silos_2x'" in result.stderr  # the unknown question


def test_free_text_accepts_anything(copy_demo):
    folder = copy_demo("nordkraft-tools")
    text = (folder / "profile.yaml").read_text()
    text = text.replace("name: Nordkraft Werkzeughandel GmbH",
                        "name: \"<script>alert(1)</script> & 'Сибирь' =SUM(A1)\"")
    (folder / "profile.yaml").write_text(text)
    client = load_client(folder)
    assert client.name.startswith("<script>")


def test_warnings_do_not_block(copy_demo, run_cli):
    result = run_cli("validate", copy_demo("brightpath-analytics"))
    assert result.exit_code == 0
    assert "single respondent" in result.stderr


def test_validate_json_output(copy_demo, run_cli):
    result = run_cli("validate", copy_demo("nordkraft-tools"), "--json")
    data = json.loads(result.stdout)
    assert data["valid"] is True and data["errors"] == []


@pytest.mark.parametrize("name", ["questions", "metrics", "handoffs"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_catalog_command(name, fmt, run_cli):
    result = run_cli("catalog", name, "--format", fmt)
    assert result.exit_code == 0
    required = {"questions": {"id", "dimension", "text"}, "metrics": {"id", "name", "scope"},
                "handoffs": {"id", "from_team", "to_team"}}[name]
    if fmt == "json":
        rows = json.loads(result.stdout)
        assert isinstance(rows, list) and rows
    else:
        rows = list(csv.DictReader(result.stdout.splitlines()))
    assert all(required <= set(r) for r in rows)


def test_catalog_contents_follow_the_spec():
    dims = pd.Series([q["dimension"] for q in catalog.questions()]).value_counts()
    assert set(dims.index) == {"silos", "metrics", "process"} and dims.min() >= 8
    metric_ids = set(catalog.ids("metrics"))
    for required in ("sales_revenue", "pipeline_coverage", "win_rate", "sales_cycle_length",
                     "quota_attainment", "stage_conversion", "forecast_accuracy",
                     "average_deal_size", "sales_velocity", "lead_volume", "cac", "ltv_to_cac",
                     "net_revenue_retention", "churn_rate", "revenue_growth"):
        assert required in metric_ids
    assert {m["scope"] for m in catalog.metrics()} == {"salesops", "revops"}
    tags = [t for item in catalog.questions() + catalog.metrics()
            for t in item.get("functions", []) + item.get("benefits", [])]
    for group in catalog.functions().values():
        for item in group:
            assert item["id"] in tags, f"{item['id']} is tagged by no question or metric"


def test_missing_handoffs_are_warnings_not_errors(copy_demo, run_cli):
    folder = copy_demo("helix-cloud")
    header = (folder / "handoffs.csv").read_text().splitlines()[0]
    (folder / "handoffs.csv").write_text(header + "\n")
    result = run_cli("validate", folder)
    assert result.exit_code == 0, result.stderr
    assert "applicable handoff 'mql_to_sql' is missing" in result.stderr


def test_form_tool_timestamp_column_is_ignored(copy_demo):
    folder = copy_demo("nordkraft-tools")
    (folder / "survey.csv").write_text(
        "Timestamp,respondent_id,team,silos_01,process_01\n"
        "2026-01-02 10:00,r1,sales,4,3\n"
        "2026-01-02 11:00,r2,sales,2,\n"
        "2026-01-02 12:00,r3,finance,5,5\n")
    client = load_client(folder)
    assert len(client.survey) == 6 and client.survey["score"].isna().sum() == 1


def test_header_case_and_spaces_are_forgiven(copy_demo):
    folder = copy_demo("nordkraft-tools")
    reference = load_client(folder)
    text = (folder / "metrics.csv").read_text()
    header, rest = text.split("\n", 1)
    header = header.replace("metric_id", "Metric ID").replace("cadence", "Cadence")
    (folder / "metrics.csv").write_text(header + "\n" + rest)
    assert load_client(folder) == reference


def test_ops_headcount_is_optional_and_counts_as_zero(copy_demo):
    folder = copy_demo("nordkraft-tools")
    text = (folder / "profile.yaml").read_text()
    text = text.replace("{team: sales, headcount: 14, ops_headcount: 0}", "{team: sales, headcount: 14}")
    text = text.replace("{team: finance, headcount: 3, ops_headcount: 0}",
                        "{team: finance, headcount: 3, ops_headcount: }")
    (folder / "profile.yaml").write_text(text)
    client = load_client(folder)
    assert list(client.teams["ops_headcount"]) == [0, 0]
    from revkit.method.assess import assess

    assert assess(client)["client"]["teams"][0]["ops_headcount"] == 0
