"""`revkit run`: the files it writes, and that the report shows exactly results.json.

One real run of a demo client is shared by the module (it starts a kernel);
the hostile-client, determinism and failure scenarios each add one run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from report_helpers import (
    HOSTILE_COMMENT,
    HOSTILE_NAME,
    HOSTILE_SYSTEM,
    copy_client,
    make_hostile,
    pdf_pages,
    squash,
    table_rows,
    visible_text,
)

from revkit import messages
from revkit.cli.commands import cli
from revkit.errors import RunError, ValidationFailed
from revkit.paths import DEMO_BRAND, NOTEBOOKS_DIR
from revkit.report.run import run_client

SLUG = "helix-cloud"
DIMENSIONS = {"silos": "Silos", "metric_coverage": "Metric coverage",
              "process_alignment": "Process alignment", "overall": "Overall"}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """One run of a demo client: its result, HTML, PDF text and results.json."""
    out = tmp_path_factory.mktemp("reports")
    client = copy_client(SLUG, tmp_path_factory.mktemp("clients"))
    result = run_client(client, out)
    folder = out / SLUG
    return {
        "result": result,
        "folder": folder,
        "html": (folder / f"{SLUG}.html").read_text(encoding="utf-8"),
        "pages": pdf_pages(folder / f"{SLUG}.pdf"),
        "results": json.loads((folder / "results.json").read_text(encoding="utf-8")),
        "client": client,
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A run of a client whose name, a comment and a system name are markup.

    The methodology lets comments be quoted, so the comment reaches the report.
    """
    base = tmp_path_factory.mktemp("hostile")
    client = make_hostile(copy_client(SLUG, base))
    methodology = base / "quotes.yaml"
    methodology.write_text('version: "test-quotes"\nsurvey:\n  quote_comments: true\n',
                           encoding="utf-8")
    run_client(client, base / "out", methodology_path=methodology)
    folder = base / "out" / SLUG
    return {"html": (folder / f"{SLUG}.html").read_text(encoding="utf-8"),
            "pages": pdf_pages(folder / f"{SLUG}.pdf")}



def level_name(results: dict, key: str) -> str:
    """The level's name as the report words it (results hold the level only)."""
    return messages.get("en")(f"level.{results['levels'][key]}")


def verdict_label(results: dict) -> str:
    return messages.get("en")(f"verdict.{results['recommendation']['verdict']}.label")

# ---------------------------------------------------------------- files

def test_run_writes_its_files_and_no_temporary_ones(report):
    folder = report["folder"]
    # and the intake it was made from, kept to re-score it later (docs/report.md)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{SLUG}.html", f"{SLUG}.pdf", f"{SLUG}-brief.pdf", f"{SLUG}.ipynb", "results.json",
         "inputs.zip"])
    assert report["result"].slug == SLUG
    assert report["result"].status == "ok"
    assert report["result"].verdict == report["results"]["recommendation"]["verdict"]
    assert report["result"].level == report["results"]["levels"]["overall"]


def test_executed_notebook_has_no_volatile_metadata(report):
    nb = nbformat.read(report["folder"] / f"{SLUG}.ipynb", as_version=4)
    assert "papermill" not in nb.metadata
    assert [c["id"] for c in nb.cells] == [f"cell-{i:03d}" for i in range(1, len(nb.cells) + 1)]
    assert all("execution" not in c.metadata and "papermill" not in c.metadata
               for c in nb.cells)


# ---------------------------------------------------------------- numbers equal results.json

def test_html_scores_table_equals_results(report):
    results, html_text = report["results"], report["html"]
    rows = {row[0]: row for row in table_rows(html_text, "rk-scores")}
    for key, name in DIMENSIONS.items():
        assert rows[name][2] == f"{results['scores'][key]:.1f}"
        assert rows[name][3].startswith(f"{results['levels'][key]} –")
        assert level_name(results, key) in rows[name][3]


def test_html_cover_shows_verdict_level_and_overall_score(report):
    results = report["results"]
    cover = re.search(r'<section class="rk-cover">(.*?)</section>', report["html"], re.S)
    text = visible_text(cover.group(1))
    assert results["client"]["name"] in text
    assert results["client"]["assessment_date"] in text
    assert results["methodology_version"] in text
    assert verdict_label(results) in text
    assert f"Level {results['levels']['overall']} – {level_name(results, 'overall')}" in text
    assert f"{results['scores']['overall']:.1f} / 100" in text
    for key, name in DIMENSIONS.items():
        if key != "overall":
            shown = f"{name} {results['scores'][key]:.1f} Level {results['levels'][key]} – "
            assert shown + level_name(results, key) in text


def test_html_verdict_banner_matches_results(report):
    results = report["results"]
    verdict = re.search(r'class="rk-verdict-value" data-verdict="([^"]+)">([^<]+)<',
                        report["html"])
    assert verdict.groups() == (results["recommendation"]["verdict"],
                                verdict_label(results))


def test_pdf_cover_page_shows_verdict_and_overall_level(report):
    results = report["results"]
    cover = squash(report["pages"][0])
    assert results["client"]["name"] in cover
    assert verdict_label(results) in cover
    assert f"Level {results['levels']['overall']} – {level_name(results, 'overall')}" in cover
    assert f"{results['scores']['overall']:.1f} / 100" in cover
    assert results["client"]["assessment_date"] in cover
    for key, name in DIMENSIONS.items():
        if key != "overall":
            assert (f"{name.upper()} {results['scores'][key]:.1f} Level {results['levels'][key]}"
                    f" – {level_name(results, key)}") in cover
    assert "Page 1 of" not in cover  # the cover carries no page furniture


def test_pdf_scores_equal_results(report):
    results = report["results"]
    summary = next(squash(p) for p in report["pages"] if "Executive summary" in p
                   and "Dimension" in p)
    summary = summary[summary.index("Kit reference band"):]  # the scores table
    names = list(DIMENSIONS.values())
    for key, name in DIMENSIONS.items():
        # the row of this dimension: from its name to the next dimension's name
        start = summary.index(name + " ")
        following = [summary.index(n + " ", start + 1) for n in names
                     if n != name and summary.find(n + " ", start + 1) > start]
        row = summary[start:min(following) if following else None]
        assert f" {results['scores'][key]:.1f} " in row, (name, row)
        assert f" {results['levels'][key]} – " in row, (name, row)


# ---------------------------------------------------------------- self-contained, no code

def test_html_requests_no_external_url(report):
    html_text = report["html"]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html_text, re.I)
    assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", html_text, re.I)
    assert "<script" not in html_text.lower()
    assert "<link" not in html_text.lower()


def test_images_are_embedded_and_each_has_a_text_alternative(report):
    images = re.findall(r"<img [^>]*>", report["html"])
    assert len(images) >= 7
    for tag in images:
        assert 'src="data:image/png;base64,' in tag
        alt = re.search(r'alt="([^"]*)"', tag)
        assert alt and len(alt.group(1)) > 30


def test_html_contains_no_code_and_no_prompts(report):
    html_text = report["html"]
    notebook = nbformat.read(NOTEBOOKS_DIR / "assessment.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                if line.strip() and not line.startswith("#"):
                    assert line.strip() not in html_text, line
    body = html_text.split("</head>", 1)[1]
    for marker in ("jp-CodeMirrorEditor", "jp-InputArea-editor", 'class="highlight',
                   "In&nbsp;[", "In [", "Out[", "<pre"):
        assert marker not in body, marker
    assert "results_path" not in html_text and "client_path" not in html_text


def test_title_comes_from_the_client_name(report):
    title = re.search(r"<title>(.*?)</title>", report["html"]).group(1)
    assert title.startswith(report["results"]["client"]["name"].replace("&", "&amp;"))


# ---------------------------------------------------------------- PDF form

def test_pdf_is_a4_with_page_x_of_y_and_running_header(report):
    from pypdf import PdfReader

    reader = PdfReader(report["folder"] / f"{SLUG}.pdf")
    n = len(reader.pages)
    assert n >= 5
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1
    for i in (1, n - 1):
        assert f"Page {i + 1} of {n}" in report["pages"][i]
        assert report["results"]["client"]["name"] in report["pages"][i]


def test_pdf_dates_come_from_the_assessment_date(report):
    from pypdf import PdfReader

    meta = PdfReader(report["folder"] / f"{SLUG}.pdf").metadata
    day = report["results"]["client"]["assessment_date"].replace("-", "")
    assert meta["/CreationDate"].startswith(f"D:{day}")
    assert meta["/ModDate"].startswith(f"D:{day}")


# ---------------------------------------------------------------- the one-page brief

def test_the_brief_is_one_page_and_the_same_as_page_two_of_the_report(report):
    brief = pdf_pages(report["folder"] / f"{SLUG}-brief.pdf")
    assert len(brief) == 1
    page2 = squash(report["pages"][1])
    assert "Executive summary" in page2 and "Executive summary" in brief[0]
    # page 2 of the report is the brief and nothing else: the same words, in order
    body = squash(brief[0]).split("Executive summary", 1)[1].split(
        report["results"]["client"]["name"])[0]
    assert len(body) > 500 and body.strip() in page2


def test_the_brief_says_what_a_ceo_needs_to_decide(report):
    r = report["results"]
    text = squash(pdf_pages(report["folder"] / f"{SLUG}-brief.pdf")[0])
    rec = r["recommendation"]
    assert verdict_label(r) in text
    assert messages.get("en")(f"robustness.{rec['robustness_class']}").capitalize() in text
    for heading in ("Key findings", "First steps", "Scorecard", "What it takes"):
        assert heading in text
    first = sorted(r["roadmap"], key=lambda a: (a["start"], a.get("order", 0)))[:3]
    for action in first:
        assert action["start"] in text
    for key in ("silos", "metric_coverage", "process_alignment", "overall"):
        assert f"{r['scores'][key]:.1f}" in text
    assert f"{rec['sizing']['recommended_min']}" in text


# ---------------------------------------------------------------- escaping

def test_hostile_strings_are_text_in_html(hostile):
    html_text = hostile["html"]
    for raw in (HOSTILE_NAME, "<img src=x", "<b>Evil</b>"):
        assert raw not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert "&lt;img src=x onerror=alert(2)&gt;" in html_text
    assert "&lt;b&gt;Evil&lt;/b&gt; CRM" in html_text
    assert "<script" not in html_text.lower()
    text = visible_text(html_text)
    assert HOSTILE_NAME in text and HOSTILE_COMMENT in text and HOSTILE_SYSTEM in text


def test_hostile_name_prints_as_text_in_pdf(hostile):
    assert HOSTILE_NAME in squash(hostile["pages"][0])
    assert HOSTILE_NAME in hostile["pages"][2]  # the running header


# ---------------------------------------------------------------- determinism

def test_two_runs_give_byte_identical_html_and_pdf(report, tmp_path):
    # the second run lets papermill start its own kernel instead of the early one
    run_client(report["client"], tmp_path, engine_name="nbclient")
    again = tmp_path / SLUG
    assert (again / f"{SLUG}.html").read_bytes() == (
        report["folder"] / f"{SLUG}.html").read_bytes()
    assert (again / f"{SLUG}.pdf").read_bytes() == (report["folder"] / f"{SLUG}.pdf").read_bytes()
    assert (again / f"{SLUG}-brief.pdf").read_bytes() == (
        report["folder"] / f"{SLUG}-brief.pdf").read_bytes()
    assert (again / "results.json").read_bytes() == (
        report["folder"] / "results.json").read_bytes()


# ---------------------------------------------------------------- failures

def test_failing_cell_keeps_partial_notebook_and_writes_no_report(tmp_path, monkeypatch):
    import revkit.method.assess

    real = revkit.method.assess.assess

    def broken(client, methodology=None):
        results = real(client, methodology)
        del results["scores"]  # the summary cell reads it in the kernel
        return results

    monkeypatch.setattr(revkit.method.assess, "assess", broken)
    client = copy_client(SLUG, tmp_path / "in")
    folder = tmp_path / "out" / SLUG
    folder.mkdir(parents=True)
    (folder / f"{SLUG}.html").write_text("stale", encoding="utf-8")  # from an earlier run
    with pytest.raises(RunError) as caught:
        run_client(client, tmp_path / "out")
    message = str(caught.value)
    assert "Helix Cloud, Inc." in message and "cell" in message and "KeyError" in message
    # cell 3 of notebooks/assessment.ipynb builds the report's view model from results.json
    assert caught.value.client == SLUG and caught.value.cell == 3
    assert "failed in cell 3 [from revkit.report import notebook]" in message
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{SLUG}.failed.ipynb", "inputs.zip", "results.json"]
    failed = nbformat.read(folder / f"{SLUG}.failed.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" for c in failed.cells if c.cell_type == "code"
               for o in c.outputs)


def test_cli_run_failing_cell_exits_1_with_a_message(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import revkit.report.run

    def failing(*args, **kwargs):
        raise RunError("Helix Cloud, Inc. (helix-cloud): the report notebook failed in cell 5",
                       client=SLUG, cell=5)

    monkeypatch.setattr(revkit.report.run, "run_client", failing)
    outcome = CliRunner().invoke(cli, ["run", str(tmp_path), "--out", str(tmp_path / "o")])
    assert outcome.exit_code == 1
    assert "failed in cell 5" in outcome.output
    assert "Traceback" not in outcome.output


def test_invalid_client_exits_2_and_writes_nothing(tmp_path):
    from click.testing import CliRunner

    client = copy_client(SLUG, tmp_path / "in")
    profile = client / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "employees: 320", "employees: -5"), encoding="utf-8")
    out = tmp_path / "out"
    outcome = CliRunner().invoke(cli, ["run", str(client), "--out", str(out)])
    assert outcome.exit_code == 2
    assert "employees" in outcome.output
    assert not out.exists()
    with pytest.raises(ValidationFailed):
        run_client(client, out)
    assert not out.exists()


def test_cli_run_passes_its_options_to_run_client(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import revkit.report.run

    seen = {}

    def fake(path, out, formats, methodology, previous=None, lang=None, brand=None,
             cell_timeout=None):
        seen.update(path=path, out=out, formats=formats, methodology=methodology,
                    previous=previous, lang=lang, brand=brand, cell_timeout=cell_timeout)
        return revkit.report.run.RunResult(slug="x", client="X", out_dir=out / "x", verdict="v",
                                    level=3)

    monkeypatch.setattr(revkit.report.run, "run_client", fake)
    outcome = CliRunner().invoke(cli, ["run", "client-dir", "--out", str(tmp_path),
                                       "--formats", "pdf", "--methodology", "m.yaml",
                                       "--previous", "old/results.json", "--lang", "en",
                                       "--brand", str(DEMO_BRAND), "--cell-timeout", "90"])
    assert outcome.exit_code == 0, outcome.output
    brand = seen.pop("brand")
    assert brand.firm == "Northwind Advisory" and brand.source == str(DEMO_BRAND)
    assert seen == {"path": Path("client-dir"), "out": tmp_path, "formats": "pdf",
                    "methodology": Path("m.yaml"), "previous": Path("old/results.json"),
                    "lang": "en", "cell_timeout": 90.0}


def test_contents_links_land_on_the_section_headings(report):
    html_text = report["html"]
    toc = re.search(r'<nav class="rk-toc">(.*?)</nav>', html_text, re.S).group(1)
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert len(targets) >= 8
    for target in targets:
        assert f'id="{target}"' in html_text, target


def test_no_survey_figure_for_teams_below_the_minimum(report):
    results = report["results"]
    small = results["completeness"]["teams_below_min_respondents"]
    assert small, "the demo client should have a small team"
    alt = next(a for a in re.findall(r'alt="([^"]*)"', report["html"])
               if a.startswith("Survey score per team"))
    for team in small:
        assert messages.get("en").team(team) not in alt


def test_html_only_run_writes_no_pdf_and_the_same_html(report, tmp_path):
    result = run_client(report["client"], tmp_path, formats="html")
    folder = tmp_path / SLUG
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{SLUG}.html", f"{SLUG}.ipynb", "results.json", "inputs.zip"])
    assert set(result.paths) == {"html", "notebook", "results", "inputs"}
    assert (folder / f"{SLUG}.html").read_bytes() == (
        report["folder"] / f"{SLUG}.html").read_bytes()


def test_a_missing_kernel_is_a_run_error_naming_it(tmp_path):
    client = copy_client(SLUG, tmp_path / "in")
    with pytest.raises(RunError) as caught:
        run_client(client, tmp_path / "out", kernel_name="no-such-kernel")
    assert "no-such-kernel" in str(caught.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("slug", ["nordkraft-tools", "brightpath-analytics"])
def test_every_demo_report_shows_its_own_results(slug, tmp_path):
    client = copy_client(slug, tmp_path / "in")
    result = run_client(client, tmp_path / "out", formats="html")
    html_text = (tmp_path / "out" / slug / f"{slug}.html").read_text(encoding="utf-8")
    results = json.loads((tmp_path / "out" / slug / "results.json").read_text(encoding="utf-8"))
    assert result.verdict == results["recommendation"]["verdict"]
    rows = {row[0]: row for row in table_rows(html_text, "rk-scores")}
    for key, name in DIMENSIONS.items():
        assert rows[name][2] == f"{results['scores'][key]:.1f}"
        assert rows[name][3].startswith(f"{results['levels'][key]} –")
    cover = visible_text(re.search(r'<section class="rk-cover">(.*?)</section>', html_text,
                                   re.S).group(1))
    assert verdict_label(results) in cover
    assert f"Level {results['levels']['overall']} – {level_name(results, 'overall')}" in cover
    assert "<script" not in html_text.lower()
