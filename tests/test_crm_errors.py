"""Every kind of bad CRM input is a Problem naming the crm file, row and column."""

from __future__ import annotations

from crm_fixtures import LEADS, OPPORTUNITIES, TINY, write_crm

from revkit.intake.crm import check_crm


def problems_of(folder, mapping="preset: generic\n", files=None):
    crm, problems = check_crm(write_crm(folder, files, mapping))
    errors = [p for p in problems if p.severity == "error"]
    assert crm is None and errors
    return errors


def with_opportunities(text):
    return {**TINY, "opportunities.csv": text}


def test_unknown_stage_names_row_column_and_a_near_miss(tmp_path):
    bad = OPPORTUNITIES.replace("O3,A3,ann,2025-02-01,2025-03-01,lost", "O3,A3,ann,2025-02-01,"
                                "2025-03-01,Lost")
    (p,) = problems_of(tmp_path, files=with_opportunities(bad))
    assert (p.file, p.row, p.column, p.value) == ("crm/opportunities.csv", 4, "stage", "Lost")
    assert p.suggestion == "lost" and "open" in p.allowed and "won" in p.allowed


def test_unknown_source_names_the_allowed_values(tmp_path):
    bad = LEADS.replace("L4,2025-02-01,marketing", "L4,2025-02-01,marketting")
    (p,) = problems_of(tmp_path, files={**TINY, "leads.csv": bad})
    assert (p.file, p.row, p.column) == ("crm/leads.csv", 5, "source")
    assert p.suggestion == "marketing"


def test_unparseable_date_is_an_error(tmp_path):
    bad = OPPORTUNITIES.replace("2025-01-20", "2025-13-45")
    (p,) = problems_of(tmp_path, files=with_opportunities(bad))
    assert (p.file, p.row, p.column, p.value) == ("crm/opportunities.csv", 3, "created_date",
                                                  "2025-13-45")
    assert "YYYY-MM-DD" in p.allowed


def test_date_in_the_wrong_format_names_the_expected_format(tmp_path):
    mapping = "preset: generic\nopportunities:\n  date_format: '%d.%m.%Y'\n"
    problems = problems_of(tmp_path, mapping)
    assert {p.column for p in problems} == {"created_date", "close_date"}
    assert "16.03.2026" in problems[0].allowed


def test_bad_amount_is_an_error(tmp_path):
    bad = OPPORTUNITIES.replace(",won,3000,", ",won,3k,")
    (p,) = problems_of(tmp_path, files=with_opportunities(bad))
    assert (p.file, p.row, p.column, p.value) == ("crm/opportunities.csv", 3, "amount", "3k")


def test_missing_mapped_column_is_reported_on_the_header_row(tmp_path):
    mapping = "preset: generic\nopportunities:\n  columns: {owner: Opportunity Owner}\n"
    (p,) = problems_of(tmp_path, mapping)
    assert (p.file, p.row, p.column) == ("crm/opportunities.csv", 1, "Opportunity Owner")
    assert "owner" in p.allowed


def test_missing_file_named_in_the_mapping(tmp_path):
    mapping = "preset: generic\nleads:\n  file: hubspot_contacts.csv\n"
    (p,) = problems_of(tmp_path, mapping)
    assert p.file == "crm/hubspot_contacts.csv" and "missing file" in p.message
    assert "leads.csv" in p.allowed


def test_preset_file_names_are_optional_tables(tmp_path):
    crm, problems = check_crm(write_crm(tmp_path, {"opportunities.csv": OPPORTUNITIES}))
    assert problems == [] and crm.leads is None and crm.spend is None
    assert len(crm.opportunities) == 6


def test_bad_mapping_yaml_gives_the_line(tmp_path):
    (p,) = problems_of(tmp_path, "preset: generic\nopportunities:\n  columns: {owner: [\n")
    # the flow list opened on line 3 is still open where the file ends, on line 4
    assert (p.file, p.row) == ("crm/mapping.yaml", 4) and "YAML" in p.message


def test_unknown_preset_suggests_the_near_miss(tmp_path):
    (p,) = problems_of(tmp_path, "# exports from our CRM\npreset: salesfroce\n")
    assert (p.file, p.row, p.column, p.value) == ("crm/mapping.yaml", 2, "preset", "salesfroce")
    assert p.suggestion == "salesforce" and "hubspot" in p.allowed


def test_unknown_keys_and_classes_in_the_mapping(tmp_path):
    mapping = """\
        preset: generic
        opportunites:
          file: opportunities.csv
        leads:
          columns:
            mql_dte: mql_date
          sources:
            marketing: marketting
        """
    problems = problems_of(tmp_path, mapping)
    found = {(p.row, p.column, p.suggestion) for p in problems}
    assert found == {(2, "opportunites", "opportunities"), (6, "leads.columns.mql_dte", "mql_date"),
                     (8, "leads.sources.marketing", "marketing")}
    assert all(p.file == "crm/mapping.yaml" for p in problems)


def test_missing_mapping_is_an_error(tmp_path):
    (tmp_path / "crm").mkdir()
    crm, problems = check_crm(tmp_path)
    assert crm is None and problems[0].file == "crm/mapping.yaml"


def test_every_problem_is_reported_in_one_pass(tmp_path):
    bad = OPPORTUNITIES.replace(",won,3000,", ",won,3k,").replace("2025-01-10", "10/01/2025")
    leads = LEADS.replace("L4,2025-02-01,marketing", "L4,2025-02-01,web")
    problems = problems_of(tmp_path, files={**TINY, "opportunities.csv": bad, "leads.csv": leads})
    assert {(p.file, p.row, p.column) for p in problems} == {
        ("crm/opportunities.csv", 2, "created_date"), ("crm/opportunities.csv", 3, "amount"),
        ("crm/leads.csv", 5, "source")}


def test_empty_dates_and_sources_are_findings_not_errors(tmp_path):
    crm, problems = check_crm(write_crm(tmp_path))  # O6 has no source, L6 no created date
    assert problems == []
    assert crm.opportunities["source"].isna().sum() == 1
    assert crm.leads["created_date"].isna().sum() == 1


def test_one_export_column_feeds_two_canonical_columns(tmp_path):
    leads = "Id,Created,Origin\nL1,2025-01-02,marketing\nL2,2025-01-40,marketing\n"
    mapping = """\
        leads:
          file: leads.csv
          columns: {lead_id: Id, created_date: Created, mql_date: Created, source: Origin}
          sources: {marketing: marketing}
        """
    problems = problems_of(tmp_path, mapping, {"leads.csv": leads})
    assert [(p.row, p.column) for p in problems] == [(3, "Created")]  # reported once
    good = leads.replace("2025-01-40", "2025-01-03")
    crm, problems = check_crm(write_crm(tmp_path / "ok", {"leads.csv": good}, mapping))
    assert problems == []
    assert list(crm.leads["mql_date"]) == list(crm.leads["created_date"])


def test_a_column_that_is_wrong_throughout_reads_as_one_problem(tmp_path):
    many = OPPORTUNITIES + "".join(f"Z{i},A1,bob,2025-01-{i:02d},2025-02-01,won,10,Marketing\n"
                                   for i in range(1, 20))
    (p,) = problems_of(tmp_path, files=with_opportunities(many))
    assert (p.row, p.column, p.value, p.suggestion) == (8, "source", "Marketing", "marketing")
    assert "19 cells" in p.message


def test_semicolon_export_and_empty_trailing_columns_are_read(tmp_path):
    text = OPPORTUNITIES.replace(",", ";").replace("\n", ";;\n")  # as a German Excel saves it
    crm, problems = check_crm(write_crm(tmp_path, {"opportunities.csv": text}))
    assert problems == []
    assert list(crm.opportunities["amount"]) == [1000, 3000, 500, 2000, 4000, 1500]


def test_a_repeated_header_is_a_problem_only_where_mapped(tmp_path):
    lines = OPPORTUNITIES.splitlines()
    text = "\n".join([lines[0] + ",owner"] + [line + ",x" for line in lines[1:]]) + "\n"
    (p,) = problems_of(tmp_path, files={"opportunities.csv": text})
    assert (p.file, p.row, p.column) == ("crm/opportunities.csv", 1, "owner")
    mapping = "preset: generic\nopportunities: {columns: {owner: null}}\n"
    crm, problems = check_crm(write_crm(tmp_path / "unmapped", {"opportunities.csv": text},
                                        mapping))
    assert problems == [] and "owner" not in crm.opportunities


def test_a_row_with_too_many_cells(tmp_path):
    bad = OPPORTUNITIES.replace("O3,A3,ann", "O3,A3,ann,extra")
    (p,) = problems_of(tmp_path, files=with_opportunities(bad))
    assert (p.file, p.row) == ("crm/opportunities.csv", 4) and "cells" in p.message


def test_a_broken_table_section_does_not_hide_problems_in_other_exports(tmp_path):
    bad = OPPORTUNITIES.replace(",won,3000,", ",won,3k,")
    mapping = "preset: generic\nleads:\n  columns: {mql_dte: mql_date}\n"
    problems = problems_of(tmp_path, mapping, with_opportunities(bad))
    assert {(p.file, p.row, p.column) for p in problems} == {
        ("crm/mapping.yaml", 3, "leads.columns.mql_dte"), ("crm/opportunities.csv", 3, "amount")}


def test_a_mapping_without_exports_warns_and_measures_nothing(tmp_path):
    crm, problems = check_crm(write_crm(tmp_path, {}, "preset: hubspot\n"))
    assert crm is not None and crm.tables == {}
    (p,) = problems
    assert p.severity == "warning" and "deals.csv" in p.allowed
