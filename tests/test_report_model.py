"""Results are codes and numbers; every word a reader sees comes from the message catalogs."""

from __future__ import annotations

import json

import nbformat
import pytest
from scoring_helpers import DEMO_SLUGS

from revkit import messages
from revkit.method.assess import assess_path
from revkit.paths import DEMO_CLIENTS_DIR, NOTEBOOKS_DIR
from revkit.report import model, writers
from revkit.report.results import dump

# where results.json carries text the client wrote (names, comments, system names,
# record ids): the only strings that may be longer than three words
CLIENT_TEXT = {("client", "name"), ("client", "industry"), ("survey", "comments", "comment"),
               ("sources_of_truth", "systems"), ("warnings", "value"),
               ("measured", "findings", "examples"), ("measured", "metrics", "by_owner", "owner")}


def _strings(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)
    elif isinstance(value, str):
        yield path, value


@pytest.fixture(scope="module", params=DEMO_SLUGS)
def results(request):
    return json.loads(dump(assess_path(DEMO_CLIENTS_DIR / request.param)))


def test_results_hold_no_sentences_only_codes_numbers_and_client_text(results):
    long = [(".".join(p), s) for p, s in _strings(results)
            if len(s.split()) > 3 and not any(p[:len(c)] == c or p[-len(c):] == c
                                              for c in CLIENT_TEXT)]
    assert long == []


def test_the_check_finds_a_sentence_where_one_is_put(results):
    r = dict(results, recommendation={**results["recommendation"],
                                      "summary": "Several teams shape revenue, so ..."})
    assert any(len(s.split()) > 3 for p, s in _strings(r) if p == ("recommendation", "summary"))


def test_every_message_key_the_report_uses_exists(results):
    # building the model renders every section: a missing message raises KitError
    report = model.build(results, "en")
    assert [s.id for s in report.sections][:3] == ["brief", "contents", "findings"]
    assert all(s.title and s.blocks for s in report.sections)


def test_the_notebook_shows_the_models_sections_in_the_models_order(results):
    nb = nbformat.read(NOTEBOOKS_DIR / "assessment.ipynb", as_version=4)
    shown = [c.source.split('"')[1] for c in nb.cells
             if c.cell_type == "code" and c.source.startswith("report.section(")]
    # every section of the model, in the model's order (a cell shows nothing where the
    # client has no data for its section)
    assert shown == list(model.SECTION_IDS)
    present = [s.id for s in model.build(results).sections]
    assert present == [s for s in shown if s in present]


def test_analyst_markdown_stays_out_of_the_report():
    nb = nbformat.read(NOTEBOOKS_DIR / "assessment.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert "remove-cell" in cell.metadata.get("tags", [])


# ---------------------------------------------------------------- the catalogs

def test_every_shipped_language_has_every_english_message_with_its_placeholders():
    english = messages.catalog("en")
    for lang in messages.languages():
        other = messages.catalog(lang)
        assert set(other) == set(english), lang
        for key, text in other.items():
            variants = text.values() if isinstance(text, dict) else [text]
            wanted = english[key]
            wanted = set().union(*(messages.placeholders(v) for v in (
                wanted.values() if isinstance(wanted, dict) else [wanted])))
            for variant in variants:
                assert messages.placeholders(variant) <= wanted | {"count"}, (lang, key)


def test_a_message_key_must_be_text(tmp_path, monkeypatch):
    from revkit.errors import KitError

    lang = tmp_path / "xx"
    lang.mkdir()
    (lang / "meta.yaml").write_text("locale: en\n", encoding="utf-8")
    (lang / "a.yaml").write_text("format:\n  yes: x\n", encoding="utf-8")
    monkeypatch.setattr(messages, "MESSAGES_DIR", tmp_path)
    messages.catalog.cache_clear()
    try:
        with pytest.raises(KitError, match="must be quoted text"):
            messages.catalog("xx")
    finally:
        messages.catalog.cache_clear()


def test_plural_forms_follow_the_count():
    m = messages.get("en")
    assert m("function_evidence.survey", count=1, score="3.0") == "survey 3.0/100 on 1 question"
    assert m("function_evidence.survey", count=2, score="3.0") == "survey 3.0/100 on 2 questions"


def test_numbers_round_half_up_as_a_reader_does():
    m = messages.get("en")
    assert (m.number(0.05, 1), m.number(0.25, 1), m.percent(0.0025, 1)) == ("0.1", "0.3", "0.3 %")
    assert m.money(42_000_000, "USD") == "42,000,000 USD"
    assert m.signed(-0.04) == "+0.0" and m.signed(-3.25) == "-3.3"


def test_formats_come_from_the_writer_registry():
    assert writers.names()[:2] == ("html", "pdf")
    assert writers.parse_formats("PDF, html") == ("pdf", "html")
