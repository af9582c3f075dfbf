"""The kit's YAML files (methodology, CRM mapping) checked by one schema checker:
every problem is a Problem row with the file, the key's line, its key path, the
value, what is allowed and a did-you-mean."""

from __future__ import annotations

import json

import jsonschema
import pytest
from crm_fixtures import write_crm

from revkit import vocabulary, yaml_check
from revkit.errors import KitError, MethodologyError
from revkit.intake.crm import check_crm
from revkit.intake.crm import mapping as crm_mapping
from revkit.method import methodology
from revkit.paths import DEFAULT_METHODOLOGY, DEMO_CLIENTS_DIR

HELIX = DEMO_CLIENTS_DIR / "helix-cloud"


def write(tmp_path, text: str, name: str = "method.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path, text: str) -> list:
    with pytest.raises(MethodologyError) as err:
        methodology.load(write(tmp_path, text))
    assert err.value.exit_code == 2
    return err.value.problems


def rows(problems) -> list[tuple]:
    return [(p.row, p.column, p.suggestion) for p in problems]


# ---------------------------------------------------------------- a methodology file

def test_misspelt_top_level_key_exits_2_naming_key_line_and_near_miss(tmp_path, run_cli):
    path = write(tmp_path, 'version: "acme-1"\n# our thresholds\nrecomendation:\n'
                           "  thresholds: {full_revops_from: 60}\n")
    result = run_cli("score", HELIX, "--methodology", path)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{path}, row 3, column 'recomendation': unknown key" in result.stderr
    assert "did you mean 'recommendation'?" in result.stderr


def test_validate_prints_methodology_problems_as_json_rows(tmp_path, run_cli):
    path = write(tmp_path, 'version: "acme-1"\nweights:\n  overall: {silos: 1}\n'
                           "  silo: {connections: 1}\n")
    result = run_cli("validate", HELIX, "--methodology", path, "--json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["methodology"] == str(path)
    (error,) = report["errors"]
    assert {k: error[k] for k in ("file", "row", "column", "value", "suggestion")} == {
        "file": str(path), "row": 4, "column": "weights.silo", "value": "silo",
        "suggestion": "silos"}
    assert error["allowed"] == "overall, silos, metric_coverage, process_alignment"


def test_validate_with_a_sound_methodology_is_valid(tmp_path, run_cli):
    path = write(tmp_path, 'version: "acme-1"\n')
    result = run_cli("validate", HELIX, "--methodology", path, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["valid"] is True


def test_type_error_is_located(tmp_path):
    (p,) = problems_of(tmp_path, 'version: "x"\nlevels:\n  band_width: wide\n')
    assert (p.row, p.column, p.value, p.message) == (3, "levels.band_width", "wide",
                                                     "must be a number")
    assert p.allowed == "a number above 0 and at most 25"


def test_range_errors_are_located_also_in_lists(tmp_path):
    problems = problems_of(tmp_path, 'version: "x"\nsilos:\n  integration_strength: 120\n'
                                     "recommendation:\n  flip:\n    revenue_multipliers:\n"
                                     "      - 2\n      - 0\n")
    assert [(p.row, p.column, p.value, p.message) for p in problems] == [
        (3, "silos.integration_strength", 120, "out of range"),
        (8, "recommendation.flip.revenue_multipliers", 0, "out of range")]
    assert problems[0].allowed == "points from 0 to 100"


def test_thresholds_out_of_order_are_shown_at_the_key_the_file_gives(tmp_path):
    (p,) = problems_of(tmp_path, 'version: "x"\nrecommendation:\n  thresholds:\n'
                                 "    full_revops_from: 20\n")
    assert (p.row, p.column, p.message) == (4, "recommendation.thresholds.full_revops_from",
                                            "thresholds out of order")
    assert p.allowed == "salesops_only_below <= full_revops_from"


def test_source_ids_and_currency_codes_get_a_did_you_mean(tmp_path):
    problems = problems_of(tmp_path, 'version: "x"\nsizing:\n  salesops:\n'
                                     "    reps_per_ops: {source: pulse_salesops_splt}\n"
                                     "recommendation:\n  fx_to_eur: {usd: 0.9, GBP: 0}\n")
    assert rows(problems) == [
        (4, "sizing.salesops.reps_per_ops.source", "pulse_salesops_split"),
        (6, "recommendation.fx_to_eur.GBP", None),
        (6, "recommendation.fx_to_eur.usd", None)]
    assert problems[2].allowed == "a three-letter currency code such as USD"


def test_every_problem_of_the_file_in_one_pass_ordered_by_line(tmp_path):
    problems = problems_of(tmp_path, "version: 3\nsurvey: {quote_comments: maybe}\n"
                                     "weights: {overal: {silos: 1}}\n"
                                     "reference_bands: {silos: [70, 40]}\n")
    assert [(p.row, p.column) for p in problems] == [
        (1, "version"), (2, "survey.quote_comments"), (3, "weights.overal"),
        (4, "reference_bands.silos")]


def test_missing_version_names_the_key(tmp_path):
    (p,) = problems_of(tmp_path, "survey: {quote_comments: true}\n")
    assert (p.column, p.message) == ("version", "'version' is required")


def test_unknown_keys_deep_down_are_refused(tmp_path):
    (p,) = problems_of(tmp_path, 'version: "x"\nrecommendation:\n  complexity:\n'
                                 "    systems: {points: 10, frm: 3}\n")
    assert rows([p]) == [(4, "recommendation.complexity.systems.frm", "from")]


def test_run_with_a_bad_methodology_exits_2_and_writes_nothing(tmp_path, run_cli):
    path = write(tmp_path, 'version: "x"\nweights: {silo: {}}\n')
    out = tmp_path / "out"
    result = run_cli("run", HELIX, "--out", out, "--methodology", path, "--formats", "html")
    assert result.exit_code == 2
    assert "row 2, column 'weights.silo'" in result.stderr
    assert not out.exists() or not any(out.rglob("*.html"))


# ---------------------------------------------------------------- a CRM mapping

def test_crm_mapping_with_a_misspelt_key_fails_validate_at_its_line(copy_demo, run_cli):
    client = copy_demo("helix-cloud")
    mapping = client / "crm" / "mapping.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace("\nopportunities:", "\nopportunites:")
                       .replace("  columns: {month: Month, amount:", "  colums: {month: Month, amount:"),
                       encoding="utf-8")
    lines = mapping.read_text(encoding="utf-8").splitlines()
    result = run_cli("validate", client, "--json")
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["errors"]
    assert [(e["file"], e["row"], e["column"], e["suggestion"]) for e in errors] == [
        ("crm/mapping.yaml", lines.index("opportunites:") + 1, "opportunites", "opportunities"),
        ("crm/mapping.yaml", lines.index("  colums: {month: Month, amount: Total Spend (USD)}")
         + 1, "spend.colums", "columns")]


@pytest.mark.parametrize("mapping, where", [
    ("preset: generic\nopportunities:\n  file: ../deals.csv\n", (3, "opportunities.file")),
    ("preset: generic\nperiod:\n  start: 2025-03-01\n  end: 2025-01-31\n", (4, "period.end")),
    ("preset: generic\nquota: {start: 2025-01-01, end: 2025-03-31, amount: 0}\n",
     (2, "quota.amount")),
    ("preset: generic\nas_of: 2025-02-30\n", (2, "as_of")),
    ("preset: generic\nleads:\n  keep: Region\n", (3, "leads.keep")),
    ("preset: generic\nleads:\n  date_format: dd.mm.yyyy\n", (3, "leads.date_format")),
    ("preset: generic\nopportunities:\n  stages: {Won: won, Lost: lsot}\n",
     (3, "opportunities.stages.Lost")),
])
def test_crm_mapping_problems_are_located(tmp_path, mapping, where):
    crm, problems = check_crm(write_crm(tmp_path, None, mapping))
    assert crm is None
    assert [(p.row, p.column) for p in problems if p.file == "crm/mapping.yaml"] == [where]


def test_crm_mapping_values_stay_text(tmp_path):
    doc = yaml_check.parse("opportunities:\n  stages: {No: lost, On: open, 2026-01-01: won}\n",
                           "m.yaml", text=True)
    assert doc.data == {"opportunities": {"stages": {"No": "lost", "On": "open",
                                                     "2026-01-01": "won"}}}
    assert doc.validate("crm_mapping").problems == []


# ---------------------------------------------------------------- reading YAML

@pytest.mark.parametrize("content, row, fragment", [
    (b"version: x\nweights: [unclosed\n", 3, "not valid YAML"),
    (b"- just\n- a list\n", 1, "must be a YAML mapping"),
    (b"\xff\xfe\x00binary", None, "not a UTF-8 text file"),
    (b"base: &b {silos: 1}\nweights: {overall: *b}\n", 1, "anchors and aliases"),
    (b"version: x\nname: {a: 1}\nweights: {overall: {silos: *b}}\n", 3, "anchors and aliases"),
    (b"version: 2026-02-30\n", None, "not valid YAML: day is out of range"),
])
def test_unreadable_files_are_problems_too(tmp_path, content, row, fragment):
    path = tmp_path / "m.yaml"
    path.write_bytes(content)
    (p,) = yaml_check.read(path).problems
    assert p.row == row and fragment in p.message


def test_a_key_given_twice_is_a_problem(tmp_path):
    (p,) = problems_of(tmp_path, 'version: "x"\nsurvey:\n  quote_comments: true\n'
                                 "  quote_comments: false\n")
    assert (p.row, p.column) == (4, "survey.quote_comments") and "first on line 3" in p.message


def test_a_missing_methodology_file_is_a_problem_row(tmp_path, run_cli):
    result = run_cli("score", HELIX, "--methodology", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'nope.yaml'}: file not found" in result.stderr


# ---------------------------------------------------------------- the kit's own files

def test_shipped_methodology_and_presets_validate_and_are_complete():
    doc = yaml_check.read(DEFAULT_METHODOLOGY).validate("methodology").require_all("methodology")
    assert doc.problems == []
    for name in crm_mapping.preset_names():
        preset = yaml_check.read(crm_mapping.PRESETS_DIR / f"{name}.yaml", text=True,
                                 aliases=True)
        assert preset.validate("crm_mapping").problems == [], name


@pytest.mark.parametrize("name", ["methodology", "crm_mapping"])
def test_schemas_are_valid_json_schemas(name):
    spec = yaml_check.schema(name)
    jsonschema.validators.validator_for(spec).check_schema(spec)


def test_schemas_agree_with_the_kit_vocabulary_and_canonical_tables():
    defs = yaml_check.schema("methodology")["$defs"]
    assert tuple(defs["verdict"]["enum"]) == vocabulary.VERDICTS
    assert tuple(defs["condition"]["properties"]["revenue_models"]["items"]["enum"]) == \
        vocabulary.REVENUE_MODELS
    crm = yaml_check.schema("crm_mapping")
    canonical = crm_mapping.canonical()
    assert crm["properties"]["preset"]["enum"] == crm_mapping.preset_names()
    assert crm["$defs"]["stages"]["additionalProperties"]["enum"] == canonical["stage_classes"]
    assert crm["$defs"]["sources"]["additionalProperties"]["enum"] == canonical["source_classes"]
    for table, spec in canonical["tables"].items():
        section = crm["properties"][table]["properties"]
        assert list(section["columns"]["properties"]) == list(spec["columns"]), table
        assert {"stages", "sources"} & set(section) == set(spec["value_maps"]), table


@pytest.fixture
def kit_methodology(tmp_path, monkeypatch):
    """The kit's methodology file as a writable copy the loader uses."""
    copy = tmp_path / "kit-methodology.yaml"
    copy.write_text(DEFAULT_METHODOLOGY.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(methodology, "DEFAULT_METHODOLOGY", copy)
    methodology._default.cache_clear()
    yield copy
    methodology._default.cache_clear()


def test_a_broken_shipped_methodology_is_a_bug_in_the_kit(kit_methodology, run_cli, tmp_path):
    text = kit_methodology.read_text(encoding="utf-8")
    kit_methodology.write_text(text.replace("  band_width: 20", "  band_width: wide"),
                               encoding="utf-8")
    with pytest.raises(KitError, match="levels.band_width") as err:
        methodology.load()
    assert err.value.exit_code == 1
    result = run_cli("score", HELIX, "--methodology", write(tmp_path, 'version: "x"\n'))
    assert result.exit_code == 1 and "this is a bug in revkit" in result.stderr


def test_an_incomplete_shipped_methodology_is_a_bug_in_the_kit(kit_methodology):
    text = kit_methodology.read_text(encoding="utf-8")
    kit_methodology.write_text(text.replace("  integration_strength: 60\n", ""),
                               encoding="utf-8")
    with pytest.raises(KitError, match="silos.integration_strength"):
        methodology.load()


def test_a_broken_shipped_preset_is_a_bug_in_the_kit(tmp_path, monkeypatch):
    presets = tmp_path / "presets"
    presets.mkdir()
    (presets / "generic.yaml").write_text("opportunities:\n  colums: {}\n", encoding="utf-8")
    monkeypatch.setattr(crm_mapping, "PRESETS_DIR", presets)
    crm_mapping._preset.cache_clear()
    try:
        with pytest.raises(KitError, match="opportunities.colums"):
            check_crm(write_crm(tmp_path / "client", {}, "preset: generic\n"))
    finally:
        crm_mapping._preset.cache_clear()
