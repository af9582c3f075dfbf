"""Locale-native intake: separators, decimal commas, DD.MM.YYYY dates, yes/no words in
German and Russian, workbooks holding such text, the profile's report_language and
encoding — and a folder saved as a German or Russian Excel would save it scores exactly
like the original.
"""

from __future__ import annotations

import datetime as dt

import pytest
from locale_helpers import add_comments, localize, set_profile_line

from revkit import messages
from revkit.intake import cells
from revkit.intake.authoring.convert import folder_to_workbook
from revkit.intake.validate import check_client, load_client
from revkit.method.assess import assess_path
from revkit.paths import DEMO_CLIENTS_DIR

# ---------------------------------------------------------------- cells


@pytest.mark.parametrize("text, value", [
    ("0,55", 0.55), ("0.55", 0.55), ("1 234,5", 1234.5), ("1\u00a0234\u00a0567", 1234567.0),
    ("1\u202f234,25", 1234.25), ("1.234,5", 1234.5), ("1.234.567", 1234567.0),
    ("1,234.5", 1234.5), ("7,100,000", 7100000.0), ("-0,125", -0.125), (",5", 0.5),
    ("24", 24.0), ("1e3", 1000.0), ("1,2500", 1.25), ("1250,000", 1250.0), ("0,125", 0.125),
])
def test_numbers_in_every_spreadsheet_form(text, value):
    assert cells.parse_number(text) == value


@pytest.mark.parametrize("text", ["1,250", "12,500", "-250,000"])
def test_a_comma_before_three_digits_is_ambiguous(text):
    with pytest.raises(cells.CellError) as info:
        cells.parse_number(text)
    whole, frac = text.split(",")
    assert f"may mean {whole}.{frac} or {whole}{frac}" in info.value.reason


@pytest.mark.parametrize("text", ["12,5h", "1 23,5", "1.23.4", "nan", "inf", "1,2,3", "--1", "."])
def test_what_is_not_a_number(text):
    with pytest.raises(cells.CellError) as info:
        cells.parse_number(text)
    assert info.value.allowed == cells.number_forms() and "0,55" in info.value.allowed


@pytest.mark.parametrize("text, value", [("3", 3), ("3,0", 3), ("1 234", 1234), ("4.0", 4)])
def test_whole_numbers(text, value):
    assert cells.parse_whole(text) == value


@pytest.mark.parametrize("text, value", [
    ("да", True), ("НЕТ", False), ("Ja", True), ("nein", False), ("WAHR", True),
    ("falsch", False), ("ИСТИНА", True), ("ложь", False), ("yes", True), ("0", False),
])
def test_yes_and_no_in_english_german_and_russian(text, value):
    assert cells.parse_boolean(text) is value


@pytest.mark.parametrize("text, day", [("31.12.2026", dt.date(2026, 12, 31)),
                                       ("1.2.2026", dt.date(2026, 2, 1)),
                                       ("2026-03-16", dt.date(2026, 3, 16))])
def test_dates(text, day):
    assert cells.parse_date(text) == day


# ---------------------------------------------------------------- rejections (CLI)

def _error_line(result, file: str, row: int | None, column: str | None, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip().startswith("error:")]
    where = file + (f", row {row}" if row else "") + (f", column '{column}'" if column else "")
    found = [line for line in lines if where in line and all(n in line for n in needles)]
    assert found, f"no error at {where} with {needles}:\n{result.stderr}"
    return found[0]


def _semicolon_survey(folder, body: str) -> None:
    (folder / "survey.csv").write_text("respondent_id;team;question_id;score;comment\n" + body,
                                       encoding="utf-8")


def test_an_ambiguous_number_names_both_readings(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    text = (folder / "handoffs.csv").read_text().replace("quote_to_cash,true,true,48,",
                                                         'quote_to_cash,true,true,"1,250",')
    (folder / "handoffs.csv").write_text(text)
    line = _error_line(run_cli("validate", folder), "handoffs.csv", 3, "sla_hours",
                       "may mean 1.250 or 1250", "allowed: a number, decimals after ','")
    assert "got '1,250'" in line


def test_a_number_in_no_known_form(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    text = (folder / "handoffs.csv").read_text().replace("quote_to_cash,true,true,48,",
                                                         "quote_to_cash,true,true,48h,")
    (folder / "handoffs.csv").write_text(text)
    _error_line(run_cli("validate", folder), "handoffs.csv", 3, "sla_hours", "must be a number",
                "allowed: a number, decimals after ',' or '.' (0,55; 1 234,5; 1234.5)")


def test_a_decimal_comma_where_a_whole_number_belongs(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    _semicolon_survey(folder, "nk-01;sales;silos_01;3,5;\n")
    _error_line(run_cli("validate", folder), "survey.csv", 2, "score", "must be a whole number",
                "allowed: a whole number (1 234 or 1234)")


def test_a_separator_that_cannot_be_told(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    (folder / "survey.csv").write_text("respondent_id;team,question_id;score,comment\n"
                                       "nk-01;sales,silos_01;4,\n")
    line = _error_line(run_cli("validate", folder), "survey.csv", 1, "respondent_id;team",
                       "cannot tell the separator", "allowed: the column names (")
    assert "separated by ',', ';' or tab" in line


def test_a_separator_line_the_kit_does_not_read(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    (folder / "survey.csv").write_text("sep=|\nrespondent_id|team|question_id|score|comment\n")
    _error_line(run_cli("validate", folder), "survey.csv", 1, None,
                "names a separator the kit does not read", "allowed: ',', ';' or tab")


def test_a_ragged_semicolon_row_says_to_quote(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    _semicolon_survey(folder, "nk-01;sales;silos_01;4;\nnk-01;sales;silos_02;4;a;b\n")
    _error_line(run_cli("validate", folder), "survey.csv", 3, None,
                "a semicolon inside a value needs quotes")


def test_an_unknown_report_language_names_the_shipped_ones(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    set_profile_line(folder, "report_language", "de")
    line = _error_line(run_cli("validate", folder), "profile.yaml", 13, "report_language",
                       "not allowed", "got 'de'")
    assert line.endswith("allowed: " + ", ".join(messages.languages()))


def test_an_unknown_encoding_names_the_allowed_ones(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    set_profile_line(folder, "encoding", "cp1250")
    line = _error_line(run_cli("validate", folder), "profile.yaml", 13, "encoding",
                       "not allowed", "got 'cp1250'")
    assert "allowed: utf-8, utf-16, cp1251, cp1252" in line and "did you mean 'cp1252'" in line


def test_a_wrong_encoding_declaration_names_the_right_one(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    add_comments(folder, {("nk-01", "silos_01"): "Übergabe läuft über Slack"})
    text = (folder / "survey.csv").read_text(encoding="utf-8")
    (folder / "survey.csv").write_bytes(text.encode("cp1252"))
    set_profile_line(folder, "encoding", "cp1251")
    _error_line(run_cli("validate", folder), "survey.csv", 2, "comment",
                "reads as Windows-1252 (Western European) text, not as the Windows-1251",
                "allowed: set encoding: cp1252 in profile.yaml")


# ---------------------------------------------------------------- the profile's new keys

def test_report_language_defaults_to_english_and_encoding_to_none(copy_demo):
    client = load_client(copy_demo("nordkraft-tools"))
    assert client.report_language == "en" and client.encoding is None


def test_report_language_is_one_of_the_shipped_catalogs(copy_demo, monkeypatch):
    folder = copy_demo("nordkraft-tools")
    set_profile_line(folder, "report_language", "xx")
    assert check_client(folder)[0] is None
    # the allowed languages are the message catalogs the kit ships, read when checked
    shipped = messages.languages()
    monkeypatch.setattr(messages, "languages", lambda: [*shipped, "xx"])
    assert load_client(folder).report_language == "xx"


def test_an_encoding_by_another_name(copy_demo):
    folder = copy_demo("nordkraft-tools")
    set_profile_line(folder, "encoding", "Windows-1252")
    client = load_client(folder)
    assert client.encoding == "cp1252"
    assert "encoding" not in client.to_dict()["profile"]  # the files' form, not the client


# ---------------------------------------------------------------- separators and workbooks

@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_wide_survey_with_another_separator(separator, copy_demo):
    folder = copy_demo("nordkraft-tools")
    (folder / "survey.csv").write_text(separator.join(["respondent_id", "team", "silos_01",
                                                       "process_01"]) + "\n"
                                       + separator.join(["r1", "sales", "4", "3"]) + "\n"
                                       + separator.join(["r2", "finance", "2", ""]) + "\n")
    client = load_client(folder)
    assert len(client.survey) == 4 and client.read_as["survey.csv"][1] == separator


def test_a_separator_line_names_the_separator_and_rows_stay_as_seen(copy_demo, run_cli):
    folder = copy_demo("nordkraft-tools")
    (folder / "survey.csv").write_text("sep=;\nrespondent_id;team;question_id;score;comment\n"
                                       "nk-01;sales;silos_01;4;\nnk-01;sales;silos_02;9;\n")
    _error_line(run_cli("validate", folder), "survey.csv", 4, "score", "out of range")


def test_a_workbook_of_locale_text_reads_like_the_original(copy_demo, tmp_path):
    original = copy_demo("helix-cloud")
    german = localize(original, tmp_path / "de" / "helix-cloud", encoding="utf-8",
                      separator=";", words="de", declare=False)
    book = folder_to_workbook(german, tmp_path / "helix-cloud.xlsx")
    from openpyxl import load_workbook

    profile = {r[0]: r[1] for r in load_workbook(book)["profile"].iter_rows(values_only=True)}
    # the cells hold the German text, not numbers and dates
    assert profile["marketing_sourced_pipeline_share"] == "0,4"
    assert profile["assessment_date"] == "16.03.2026" and profile["annual_revenue"] == "42 000 000"
    assert load_client(book) == load_client(original)


def test_validate_says_how_files_were_read(copy_demo, tmp_path, run_cli):
    folder = localize(copy_demo("nordkraft-tools"), tmp_path / "de" / "nordkraft-tools",
                      encoding="cp1252", separator=";", words="de", declare=True)
    result = run_cli("validate", folder)
    assert result.exit_code == 0, result.output
    assert ("read as: survey.csv UTF-8, semicolon-separated; systems.csv UTF-8, semicolon"
            in result.stdout)


# ---------------------------------------------------------------- equivalence

def _as_english(folder):
    # the report's language has no bearing on how the files are read; English is shipped
    set_profile_line(folder, "report_language", "en")
    return folder


GERMAN_COMMENTS = {("nk-01", "silos_01"): "Übergabe läuft über Slack – keine Checkliste.",
                   ("nk-06", "process_08"): "Größere Rabatte fallen erst bei der Prüfung auf."}
BRIGHTPATH_COMMENTS = {("bp-01", "silos_01"): "Für die Prognose gibt es keine gemeinsame Definition.",
                       ("bp-10", "process_02"): "Rückmeldungen vom Support erreichen uns nie."}

EQUIVALENT = [
    # slug, comments added to both, target encoding, separator, words, declared
    ("helix-cloud", None, "utf-16", "\t", "de", False),
    ("nordkraft-tools", GERMAN_COMMENTS, "cp1252", ";", "de", False),
    ("brightpath-analytics", BRIGHTPATH_COMMENTS, "cp1252", ";", "de", True),
    ("trekpoint", None, "utf-8", ",", "en", False),
    ("trekpoint", None, "utf-16", "\t", "ru", False),
]


@pytest.mark.parametrize("slug, comments, encoding, separator, words, declare", EQUIVALENT,
                         ids=[f"{e[0]}-{e[2]}" for e in EQUIVALENT])
def test_a_locale_native_folder_scores_exactly_like_the_original(
        slug, comments, encoding, separator, words, declare, copy_demo, tmp_path):
    original = copy_demo(slug)
    if slug == "trekpoint":
        _as_english(original)
    if comments:
        add_comments(original, comments)
    native = localize(original, tmp_path / "native" / slug, encoding=encoding,
                      separator=separator, words=words, declare=declare, slug=slug)
    before, after = load_client(original), load_client(native)
    assert after.read_as["survey.csv"] == (encoding, separator)
    assert after == before
    assert assess_path(native) == assess_path(original)


def test_the_russian_demo_without_its_declaration_is_told_apart(copy_demo):
    # its Windows-1251 files are read as Cyrillic even when profile.yaml does not say so
    folder = _as_english(copy_demo("trekpoint"))
    declared = load_client(folder)
    text = (folder / "profile.yaml").read_text(encoding="utf-8")
    (folder / "profile.yaml").write_text(text.replace("encoding: cp1251\n", ""), encoding="utf-8")
    told = load_client(folder)
    assert told.encoding is None and told.read_as["survey.csv"] == ("cp1251", ";")
    assert told == declared
    assert "Битрикс24" in set(told.systems["system"])


def test_the_russian_demo_declares_its_language_and_encoding():
    text = (DEMO_CLIENTS_DIR / "trekpoint" / "profile.yaml").read_text(encoding="utf-8")
    assert "report_language: ru\n" in text and "encoding: cp1251\n" in text
    survey = (DEMO_CLIENTS_DIR / "trekpoint" / "survey.csv").read_bytes()
    assert survey.startswith(b"respondent_id;team;question_id;score;comment")
    survey.decode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        survey.decode("utf-8")
