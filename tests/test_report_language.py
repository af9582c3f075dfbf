"""Reports in Russian: every word from the Russian catalogs, Russian plural forms,
dates and numbers; the English report as it was."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DEMO_SLUGS

from revkit import catalog, messages
from revkit.method.assess import assess_path
from revkit.paths import DEMO_CLIENTS_DIR
from revkit.report import html, model, words
from revkit.report.results import dump

# Words of four or more Latin letters a Russian report may still show, and why:
# the kit's and the methodology's own names, acronyms Russian practice keeps, and the
# proper names and titles of the benchmark sources (cited as published).
KEPT = {"SalesOps", "RevOps", "revkit", "SaaS"}
SOURCE_TITLES = (
    "The Bridge Group", "SaaS AE Metrics & Compensation", "Forrester/SiriusDecisions",
    "Demand Waterfall", "Gartner", "KeyBanc Capital Markets", "OpenView", "Product Benchmarks",
    "Oldroyd, McElheran, Elkington", "The Short Life of Online Sales Leads",
    "Harvard Business Review", "The RevOps Report", "RevOps team structure guide",
    "Pulse RevOps", "When sales ops outgrows a single contributor",
)
# files of the kit and of the intake the report names (the appendix, a contradicted claim)
PATHS = ("docs/methodology.md", "handoffs.csv", "metrics.csv", "survey.csv", "systems.csv",
         "profile.yaml")
LATIN_WORD = re.compile(r"[A-Za-z]{4,}")


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {slug: json.loads(dump(assess_path(DEMO_CLIENTS_DIR / slug))) for slug in DEMO_SLUGS}


def client_text(r: dict) -> list[str]:
    """What the client gave, shown as given: names, industry, systems, comments, the
    tables, columns and record ids of its CRM exports, and the places and values its
    intake warnings name."""
    c = r.get("client", {})
    out = [c.get("name", ""), c.get("industry", "") or ""]
    out += [s["system"] for s in r.get("systems", [])]
    out += [q.get("comment") or "" for q in r.get("survey", {}).get("comments", [])]
    for f in (r.get("measured") or {}).get("findings", []):
        out += [f.get("table", ""), f.get("column", ""), *map(str, f.get("examples", []))]
    # the canonical CRM columns a metric would need (ids, as the mapping file writes them)
    for x in (r.get("measured") or {}).get("not_measurable", []):
        out += list(x.get("columns") or [])
    # an intake warning names the file, the column and the values as the client wrote them
    for w in r.get("warnings", []):
        out += [w.get("file") or "", *(f"'{v}'" for v in [w.get("column") or "",
                                                          *_strings(w.get("fields"))] if v)]
    return [t for t in out if t]


def _strings(value, skip=()):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in skip:
                yield from _strings(v, skip)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v, skip)


# chart data that are ids, not words (systems_map: team ids beside "team_names")
CHART_IDS = {"teams", "owner", "users", "status", "groups", "is_sheet"}
META_IDS = {"lang", "slug", "verdict", "assessment_date", "methodology_version", "kit_version"}


def rendered_text(report: model.ReportModel) -> str:
    """Every text of a report: the cover, each section's text, and what its charts,
    verdict banner and legends show."""
    parts = list(_strings(report.meta, META_IDS))
    for sec in report.sections:
        parts.append(html.text(sec))
        for block in sec.blocks:
            if block.kind == "chart":
                data = dict(block.data)
                legend = data.pop("legend", [])
                parts += list(_strings(data, CHART_IDS))
                parts += [x[1] if isinstance(x, (list, tuple)) else x for x in legend]
                parts += [block.alt, block.caption]
            elif block.kind == "verdict":
                parts += [block.label, block.caption, *map(str, _strings(block.kpis))]
    return "\n".join(parts)


def english_left(text: str, r: dict) -> set[str]:
    """Latin words of four or more letters that are none of the kept names, source
    titles or client-provided texts: English template text."""
    for given in sorted([*client_text(r), *SOURCE_TITLES, *PATHS], key=len, reverse=True):
        # as a whole: a client's column "team" must not hide an English "team" elsewhere
        text = re.sub(rf"(?<![A-Za-z]){re.escape(given)}(?![A-Za-z])", " ", text)
    return {w for w in LATIN_WORD.findall(text) if w not in KEPT}


@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_a_russian_report_has_no_english_template_text(results, slug):
    r = results[slug]
    text = rendered_text(model.build(r, "ru"))
    assert english_left(text, r) == set()
    assert "[Диаграмма]" in text and "Рекомендация" in text


def test_the_check_finds_an_english_message(results, monkeypatch):
    r = results["helix-cloud"]
    english = messages.Messages("ru")
    english._catalog = {**english._catalog,
                        "section.scores.title": messages.catalog("en")["section.scores.title"]}
    monkeypatch.setattr(messages, "get", lambda lang="en": english)
    assert english_left(rendered_text(model.build(r, "ru")), r) == {"Scores", "maturity"}


def test_the_comparison_with_a_previous_assessment_is_russian_too(results):
    from revkit.method.compare import compare

    r = results["helix-cloud"]
    before = {**r, "client": {**r["client"], "assessment_date": "2025-09-15"}}
    report = model.build({**r, "comparison": compare(r, before)}, "ru")
    section = report.section("progress")
    assert section is not None and section.title == "С прошлой оценки"
    assert english_left(html.text(section), r) == set()
    assert "(от 15 сентября 2025 г.)" in html.text(section)


# ---------------------------------------------------------------- plural forms

@pytest.mark.parametrize(("count", "weeks", "respondents"), [
    (1, "1 человеко-неделя", "(1 респондент)"),
    (2, "2 человеко-недели", "(2 респондента)"),
    (5, "5 человеко-недель", "(5 респондентов)"),
    (21, "21 человеко-неделя", "(21 респондент)"),
    (1.5, "1,5 человеко-недели", "(1,5 респондента)"),
])
def test_russian_plural_forms_follow_the_number(count, weeks, respondents):
    m = messages.get("ru")
    assert m("table.weeks", count=count) == weeks
    assert m("chart.survey.respondents", count=count) == respondents


@pytest.mark.parametrize(("count", "text"), [
    (1, "1 система"), (2, "2 системы"), (5, "5 систем"), (21, "21 система")])
def test_a_russian_message_counts_where_the_english_one_does_not(count, text):
    # English: "{count} systems besides spreadsheets" is one text; Russian needs the forms
    assert isinstance(messages.catalog("en")["evidence.systems"], str)
    factor = {"id": "systems", "evidence": {"count": count, "from": 3, "full_at": 15}}
    assert words.factor_evidence(messages.get("ru"), factor).startswith(text + " помимо")


@pytest.mark.parametrize(("headcount", "text"), [
    (1, "(сейчас в ней 1 человек)"), (3, "(сейчас в ней 3 человека)"),
    (14, "(сейчас в ней 14 человек)"), (21, "(сейчас в ней 21 человек)")])
def test_people_agree_with_their_number_in_the_flip_condition(headcount, text):
    flip = {"verdict": "salesops_only", "changes": [
        {"input": "teams.marketing", "from": headcount, "to": None}]}
    sentence = words.flip_text(messages.get("ru"), flip, "EUR")
    assert sentence == ("Вердикт сменился бы на «Только SalesOps», если бы в компании не было "
                        f"отдельной команды «Маркетинг» {text}.")


# ---------------------------------------------------------------- dates and numbers

def test_dates_numbers_and_amounts_in_russian_form(results):
    m = messages.get("ru")
    assert m.date("2026-03-16") == "16 марта 2026 г."
    assert m.date("2026-03-16", short=True) == "16.03.2026"
    assert m.score(38.94) == "38,9"
    assert m.percent(0.94) == "94\u00a0%"
    assert m.money(42_000_000, "USD") == "42\u00a0000\u00a0000\u00a0$"
    assert m.money(42_000_000, "RUB") == "42\u00a0000\u00a0000\u00a0₽"
    assert m.quarter("2026-Q2") == "2 кв. 2026"
    report = model.build(results["helix-cloud"], "ru")
    assert report.meta["assessment_date_text"] == "16 марта 2026 г."
    overall = f"{results['helix-cloud']['scores']['overall']:.1f}".replace(".", ",")
    assert report.meta["overall_score"] == overall
    about = html.text(report.section("about"))
    assert "42\u00a0000\u00a0000\u00a0$" in about and "16 марта 2026 г." in about


def test_the_english_report_keeps_its_forms(results):
    m = messages.get("en")
    assert (m.date("2026-03-16"), m.score(38.94), m.percent(0.94)) == ("2026-03-16", "38.9", "94 %")
    assert m.money(42_000_000, "USD") == "42,000,000 USD"
    assert m.quarter("2026-Q2") == "2026-Q2"
    assert m("table.weeks", count=1) == "1 person-week"
    text = rendered_text(model.build(results["helix-cloud"], "en"))
    assert not re.search("[а-яА-ЯёЁ]", text)
    assert "[Chart] " in text and "Assessment date" in text


# ---------------------------------------------------------------- questionnaire and intake

def test_the_questionnaire_prints_in_russian(run_cli):
    result = run_cli("catalog", "questions", "--lang", "ru", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("id,dimension,")  # column names and ids stay as they are
    assert len(lines) == len(catalog.questions()) + 1
    assert all(re.search("[а-яё]", line) for line in lines[1:])
    assert "Маркетинг, продажи и успех клиентов" in result.output
    assert run_cli("catalog", "questions", "--lang", "xx").exit_code == 2


def test_a_russian_workbook_keeps_ids_and_column_names(tmp_path, run_cli):
    import openpyxl

    assert run_cli("init", "acme", "--excel", "--lang", "ru", "--dir", tmp_path).exit_code == 0
    assert run_cli("init", "acme", "--excel", "--dir", tmp_path / "en").exit_code == 0
    ru = openpyxl.load_workbook(tmp_path / "acme.xlsx")
    en = openpyxl.load_workbook(tmp_path / "en" / "acme.xlsx")
    assert ru.sheetnames == en.sheetnames
    for name in ru.sheetnames:
        assert [c.value for c in ru[name][1]] == [c.value for c in en[name][1]] or \
            name in ("instructions", "lists")
    instructions = [row for row in ru["instructions"].iter_rows(values_only=True)]
    assert instructions[0][0] == "Анкета revkit для 'acme'"
    assert ("silos_01", "silos") == instructions[4][:2]
    assert instructions[4][2].startswith("Маркетинг, продажи и успех клиентов")
    assert ru["survey"]["A1"].comment.text.startswith("Анонимный идентификатор респондента")


def test_the_intake_descriptions_follow_the_data_contracts():
    # the English texts of intake.column/intake.table are the contracts' descriptions;
    # a changed contract must be changed (and translated) in the catalogs too
    from revkit.intake import contracts

    m = messages.catalog("en")
    for table, contract in contracts.all_contracts().items():
        assert m[f"intake.table.{table}"] == contract.description, table
        for name, rule in contract.columns.items():
            assert m[f"intake.column.{table}.{name}"] == rule.description, (table, name)
