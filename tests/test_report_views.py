"""Views, charts, the notebook as stored and atomic writes — without starting a kernel."""

from __future__ import annotations

import ast
import base64
import copy
import json
import os
import re

import nbformat
import pytest
from markupsafe import escape as html_escape

from revkit import atomic, messages
from revkit.errors import OutputError
from revkit.method.assess import assess_path
from revkit.paths import DEMO_CLIENTS_DIR, NOTEBOOKS_DIR
from revkit.report import charts, html, model, sections
from revkit.report.blocks import Section, Table
from revkit.report.results import dump
from revkit.report.writers import parse_formats

HOSTILE = "<script>alert(1)</script>"


def _model(results):
    return model.build(json.loads(dump(results)))


def section(results, section_id):
    """``(html, text)`` of one section of the report of ``results``."""
    sec = _model(results).section(section_id)
    return html.section(sec), html.text(sec)


def chart(results, section_id, name):
    """The chart block ``name`` of a section, with its embedded HTML."""
    sec = _model(results).section(section_id)
    block = next(b for b in sec.blocks if getattr(b, "chart", None) == name)
    return block, html.section(Section("x", "x", [block]))


@pytest.fixture(scope="module")
def results():
    return json.loads(dump(assess_path(DEMO_CLIENTS_DIR / "helix-cloud")))


@pytest.fixture
def hostile_results(results):
    """Every place client text reaches the report: its name, systems, comments, warnings."""
    r = copy.deepcopy(results)
    r["client"]["name"] = HOSTILE
    r["client"]["industry"] = HOSTILE
    r["sources_of_truth"][0]["systems"] = [HOSTILE]
    r["survey"]["quote_comments"] = True
    r["survey"]["comments"] = [{"team": "sales", "question_id": "silos_01", "comment": HOSTILE}]
    r["roadmap"] = [dict(a, params={**a.get("params", {}), "entities": [
        {"entity": "account", "status": "multiple", "systems": [HOSTILE]}]})
        for a in r["roadmap"]]
    r["warnings"] = [{"code": "self_integration", "severity": "warning", "file": "systems.csv",
                      "sheet": None, "row": 2, "column": "integrated_with", "value": HOSTILE,
                      "allowed": None, "suggestion": None, "fields": {}}]
    return r


# ---------------------------------------------------------------- escaping

@pytest.mark.parametrize("section_id", ["silos", "survey", "roadmap", "completeness",
                                        "about"])
def test_every_section_escapes_client_strings(hostile_results, section_id):
    markup, _ = section(hostile_results, section_id)
    assert HOSTILE not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup


def test_chart_alt_text_and_caption_are_escaped(results):
    block, _ = chart(results, "silos", "silo_map")
    block.alt, block.caption = HOSTILE, HOSTILE
    markup = html.section(Section("x", "x", [block]))
    assert HOSTILE not in markup
    assert markup.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2


def test_table_has_a_header_row_and_escapes_cells():
    markup = html.section(Section("x", "x", [Table(["A & B", "C"], [["<i>x</i>", 1]])]))
    assert "<thead><tr><th>A &amp; B</th><th>C</th></tr></thead>" in markup
    assert "&lt;i&gt;x&lt;/i&gt;" in markup


def test_narrative_markdown_is_converted_after_escaping():
    out = str(html.markdown("**bold** <b>x</b> and *it*\n\n- one\n- two"))
    assert "<strong>bold</strong> &lt;b&gt;x&lt;/b&gt; and <em>it</em>" in out
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in out


# ---------------------------------------------------------------- charts

CHARTS = [("scores", "score_bullets"), ("silos", "silo_map"), ("silos", "systems_map"),
          ("metrics", "metric_coverage"), ("process", "handoff_chain"),
          ("recommendation", "factors"), ("functions", "profile"), ("survey", "survey_by_team")]


@pytest.mark.parametrize("section_id,name", CHARTS)
def test_chart_is_an_embedded_png_with_alt_text_and_stable_bytes(results, section_id, name):
    block, first = chart(results, section_id, name)
    _, second = chart(results, section_id, name)
    assert first == second
    data = re.search(r'src="data:image/png;base64,([^"]+)"', first)
    png = base64.b64decode(data.group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"Software" not in png and b"Creation Time" not in png
    assert len(block.alt) > 40
    assert html_escape(block.alt) in first


def test_score_chart_alt_text_gives_every_score_and_band(results):
    alt = chart(results, "scores", "score_bullets")[0].alt
    for key in ("silos", "metric_coverage", "process_alignment"):
        assert f"{results['scores'][key]:.1f}" in alt
        lo, hi = results["reference_band"][key]
        assert f"{lo:.1f}–{hi:.1f}" in alt


def test_survey_figure_shows_only_teams_with_enough_respondents(results):
    r = copy.deepcopy(results)
    minimum = r["survey"]["min_team_respondents"]
    r["survey"]["teams"] = [
        {"team": "sales", "respondents": minimum, "silos": 50.0, "metrics": 40.0,
         "process": 30.0},
        {"team": "marketing", "respondents": minimum - 1, "silos": 10.0, "metrics": 20.0,
         "process": 30.0},
    ]
    alt = chart(r, "survey", "survey_by_team")[0].alt
    assert "Sales" in alt and "Marketing" not in alt
    r["survey"]["teams"][0]["respondents"] = minimum - 1
    markup, text = section(r, "survey")
    assert "<img" not in markup and "No team had" in text


def test_survey_note_names_the_pooled_teams(results):
    note = sections.survey_note(results, messages.get("en")).text
    for team in results["completeness"]["teams_below_min_respondents"]:
        assert messages.get("en").team(team) in note
    # pooled respondents count in the total, as in results.json
    assert note.startswith(f"{results['completeness']['respondents']} people answered")


def test_comments_are_not_quoted_unless_the_methodology_allows(results):
    r = copy.deepcopy(results)
    r["survey"].pop("comments", None)
    r["survey"]["quote_comments"] = False
    assert "<blockquote>" not in section(r, "survey")[0]
    r["survey"]["quote_comments"] = True
    r["survey"]["comments"] = [{"team": "sales", "question_id": "silos_01", "comment": "Hi"}]
    assert "<blockquote><p>Hi</p><cite>Sales</cite></blockquote>" in section(r, "survey")[0]


# ---------------------------------------------------------------- the notebook as stored

def _notebook():
    return nbformat.read(NOTEBOOKS_DIR / "assessment.ipynb", as_version=4)


def test_notebook_is_stored_without_outputs():
    for cell in _notebook().cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_cells_are_thin():
    nb = _notebook()
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    assert sum("parameters" in t for t in tags) == 1
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                         ast.Lambda, ast.For, ast.While, ast.If))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        assert len(calls) <= 2, cell.source


def test_parameters_cell_defaults_to_a_demo_client():
    source = next(c.source for c in _notebook().cells
                  if "parameters" in c.metadata.get("tags", []))
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102 - the notebook's own parameter cell
    assert os.path.isdir(namespace["client_path"])
    assert namespace["results_path"] is None and namespace["methodology_path"] is None


# ---------------------------------------------------------------- small pieces

def test_parse_formats():
    assert parse_formats("html,pdf") == ("html", "pdf")
    assert parse_formats(" PDF ") == ("pdf",)
    from revkit.errors import UsageError

    with pytest.raises(UsageError):
        parse_formats("html,docx")
    with pytest.raises(UsageError):
        parse_formats("")


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "r" / "report.html"
    atomic.write_text(target, "first")
    atomic.write_text(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    atomic.write_text(target, "old")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    # a failed write is an OutputError naming the file (exit 1), not a bare OSError
    with pytest.raises(OutputError, match="report.html: disk full") as err:
        atomic.write_text(target, "new")
    assert err.value.exit_code == 1
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_measured_metrics_show_their_values_in_their_units(results):
    r = copy.deepcopy(results)
    r["measured"] = {
        "metrics": [
            {"id": "win_rate", "value": 0.239, "unit": "fraction", "records": 431,
             "period_start": "2025-02-01", "period_end": "2026-03-13",
             "benchmark": {"low": 0.15, "high": 0.3, "source": "x"}},
            {"id": "average_deal_size", "value": 47824.5, "unit": "currency", "records": 102,
             "period_start": None, "period_end": None,
             "benchmark": {"low": None, "high": None, "source": "x"}},
        ],
        "findings": [{"id": "empty_value", "table": "leads", "column": "source", "count": 5,
                      "share": 0.0031, "examples": [HOSTILE]}],
    }
    markup, text = section(r, "crm")
    # the source (name and edition) stands beside each benchmark range
    assert ("Win rate | 23.9 % | 15–30 % | The Bridge Group, SaaS AE Metrics & "
            "Compensation report (2020 edition) | 431 | 2025-02-01 – 2026-03-13") in text
    assert f"Average deal size | 47,825 {r['client']['currency']} | – | – | 102 | –" in text
    assert "leads.source | 5 | 0.3 %" in text
    assert HOSTILE not in markup


def test_without_crm_exports_the_report_says_nothing_was_measured(results):
    r = copy.deepcopy(results)
    r.pop("measured", None)
    assert _model(r).section("crm") is None
    assert "No CRM exports" in section(r, "completeness")[1]
    assert "No CRM exports" not in section(results, "completeness")[1]


def test_template_loads_no_script_even_for_widgets_math_and_javascript():
    from revkit.report import render

    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    code = nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data={"application/javascript": "alert(1)", "text/plain": "x"})])
    nb.cells = [nbformat.v4.new_markdown_cell("## Maths $x^2$ and ```mermaid```"), code]
    html_text = render.to_html(nb, model.build(json.loads(dump(assess_path(
        DEMO_CLIENTS_DIR / "helix-cloud")))))
    assert "<script" not in html_text.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html_text, re.I)
    assert "alert(1)" not in html_text


def test_long_charts_still_fit_on_one_page(results):
    import struct

    r = copy.deepcopy(results)
    r["metric_quality"] = r["metric_quality"] * 3
    r["handoffs"] = r["handoffs"] * 8
    for section_id, name in (("metrics", "metric_coverage"), ("process", "handoff_chain")):
        html_text = chart(r, section_id, name)[1]
        png = base64.b64decode(re.search(r"base64,([^\"]+)", html_text).group(1))
        width, height = struct.unpack(">II", png[16:24])
        assert height <= charts.MAX_HEIGHT * charts.DPI + 1
        assert width == round(charts.WIDTH * charts.DPI)


def test_survey_note_counts_a_small_pooled_group():
    # brightpath: one customer-success respondent, too few to show even as a pooled group
    r = assess_path(DEMO_CLIENTS_DIR / "brightpath-analytics")
    assert not any(t["team"] == "customer_success" for t in r["survey"]["teams"])
    note = sections.survey_note(json.loads(dump(r)), messages.get("en")).text
    assert note.startswith(f"{r['completeness']['respondents']} people")
