"""The deck (`--formats pptx`): slides a consultant presents, native charts whose numbers are
results.json, no slide for data the client did not give, the same bytes for the same inputs.

The demo clients and the shapes a consultant judges are assessed once per module; each deck
is built from its results and view model as the writer builds it. One real `revkit run`
checks that the format reaches the client's report folder.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from revkit import catalog, messages
from revkit.method import findings as findings_method
from revkit.method.assess import assess_path
from revkit.paths import DEMO_CLIENTS_DIR
from revkit.report import deck, model, words, writers
from revkit.report.deck import fit
from revkit.report.deck.theme import layout
from revkit.report.results import dump
from revkit.report.sections.base import ordered_actions
from tests.report_helpers import copy_client
from tests.scoring_helpers import DEMO_SLUGS
from tests.shape_fixtures import SHAPES, write_shape

M = messages.get("en")
INCH = 914400


def _deck(results: dict, lang: str = "en") -> dict:
    # in English, whatever the client's report language, so one set of words checks all;
    # the Russian deck has its own test below
    view = model.build(results, lang)
    data = deck.build(view, results)
    return {"results": results, "model": view, "bytes": data,
            "prs": Presentation(io.BytesIO(data))}


@pytest.fixture(scope="module")
def demos():
    return {slug: _deck(json.loads(dump(assess_path(DEMO_CLIENTS_DIR / slug))))
            for slug in DEMO_SLUGS}


@pytest.fixture(scope="module")
def every_deck(demos, tmp_path_factory):
    """The demo decks and the decks of the shapes a consultant judges (a start-up, a
    product-led and a channel-led company, an enterprise with partners, an aligned one)."""
    root = tmp_path_factory.mktemp("shapes")
    out = dict(demos)
    for name in SHAPES:
        out[name] = _deck(json.loads(dump(assess_path(write_shape(name, root / name)))))
    return out


# ---------------------------------------------------------------- reading a deck

def charts(prs) -> dict:
    """Every chart of the deck by its id (the shape's name after ``revkit:``)."""
    found = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                found[shape.name.removeprefix("revkit:")] = shape.chart
    return found


def series(chart) -> dict:
    """``{series name: {category: value}}`` over every plot of the chart."""
    out = {}
    for plot in chart.plots:
        for s in plot.series:
            out[s.name] = dict(zip(plot.categories, s.values, strict=True))
    return out


def labels(chart, name: str) -> dict:
    """The data label shown beside each point of a series, by category."""
    for plot in chart.plots:
        for s in plot.series:
            if s.name == name:
                return {c: s.points[i].data_label.text_frame.text
                        for i, c in enumerate(plot.categories)
                        if s.points[i].data_label.has_text_frame}
    raise KeyError(name)


def slide_texts(slide) -> list[str]:
    """Every text a reader sees on a slide: boxes, table cells, chart categories, series
    names and data labels."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            for plot in shape.chart.plots:
                out += [str(c) for c in plot.categories]
                for s in plot.series:
                    out.append(s.name)
                    out += [p.data_label.text_frame.text for p in
                            (s.points[i] for i in range(len(s.values)))
                            if p.data_label.has_text_frame]
    return out


def titles(prs) -> list[str]:
    """Each content slide's title (the second text box; the first is its part)."""
    out = []
    for slide in list(prs.slides)[1:]:
        boxes = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text]
        out.append(boxes[1].text_frame.text)
    return out


def named(prs, prefix: str) -> list:
    return [shape for slide in prs.slides for shape in slide.shapes
            if shape.name.startswith(prefix)]


# ---------------------------------------------------------------- what a consultant presents

@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_a_demo_deck_has_8_to_12_slides(demos, slug):
    assert 8 <= len(demos[slug]["prs"].slides) <= 12


def test_the_slides_are_the_story_in_order(demos):
    shown = titles(demos["helix-cloud"]["prs"])
    rec = demos["helix-cloud"]["results"]["recommendation"]
    assert shown == [
        M("deck.decision.title", verdict=M(f"verdict.{rec['verdict']}.label")),
        M("section.scores.title"), M("section.findings.title"), M("deck.silos.title"),
        M("section.silos.systems_title"), M("section.metrics.title"), M("section.crm.title"),
        M("section.process.title"), M("section.roadmap.title"), M("deck.next_steps.title"),
        M("deck.appendix.title")]


def test_the_title_slide_names_client_date_and_verdict(demos):
    for d in demos.values():
        text = " ".join(slide_texts(d["prs"].slides[0]))
        client = d["results"]["client"]
        assert client["name"] in text
        assert str(client["assessment_date"]) in text
        assert M(f"verdict.{d['results']['recommendation']['verdict']}.label") in text


def test_a_russian_client_gets_a_russian_deck(demos):
    r = demos["trekpoint"]["results"]
    assert r["report_language"] == "ru"
    ru = messages.get("ru")
    d = _deck(r, None)            # the result's own language
    title = " ".join(slide_texts(d["prs"].slides[0]))
    assert ru("deck.title.date", date=ru.date(r["client"]["assessment_date"])) in title
    assert ru(f"verdict.{r['recommendation']['verdict']}.label") in title
    every = " ".join(t for slide in d["prs"].slides for t in slide_texts(slide))
    for english in ("Recommendation", "Next steps", "Appendix", "What would change"):
        assert english not in every
    assert ru("deck.next_steps.title") in every


def test_the_decision_slide_says_how_robust_how_sure_and_what_would_change_it(demos):
    for d in demos.values():
        r = d["results"]
        rec = r["recommendation"]
        text = " ".join(slide_texts(d["prs"].slides[1]))
        assert words.verdict_summary(M, r) in text
        assert words.robustness_sentence(M, rec) in text
        assert M.percent(rec["data_confidence"]) in text
        assert words.flip_text(M, rec.get("flip"), r["client"]["currency"]) in text


def test_no_slide_for_data_the_client_did_not_give(demos):
    crm = M("section.crm.title")
    for slug, d in demos.items():
        given = bool((d["results"].get("measured") or {}).get("metrics"))
        assert (crm in titles(d["prs"])) == given, slug
    assert crm in titles(demos["helix-cloud"]["prs"])
    for slug in ("brightpath-analytics", "nordkraft-tools"):
        assert not any(M("section.crm.title") in t for t in titles(demos[slug]["prs"]))


def test_no_slide_is_empty(every_deck):
    body_top = layout()["body"]["top"] * INCH
    for name, d in every_deck.items():
        for number, slide in enumerate(list(d["prs"].slides)[1:], 2):
            body = [s for s in slide.shapes if s.top >= body_top - 1 and
                    s.top < layout()["foot"]["top"] * INCH]
            assert body, (name, number)


# names of records and metrics that begin with a team's name
NOT_TEAMS = sorted({M(k) for k in messages.catalog("en") if k.startswith("entity.")}
                   | {M.name("metric", x["id"]) for x in catalog.metrics()}, key=len, reverse=True)


def test_no_team_the_client_does_not_have_is_named(every_deck):
    for name, d in every_deck.items():
        r = d["results"]
        teams = {t["team"] for t in r["client"]["teams"]}
        absent = [t for t in catalog.team_ids() if t not in teams]
        # the flip condition names the team whose arrival would change the verdict
        flip = words.flip_text(M, r["recommendation"].get("flip"), r["client"]["currency"])
        for number, slide in enumerate(d["prs"].slides, 1):
            text = " ".join(slide_texts(slide)).replace(flip, "")
            for other in NOT_TEAMS:  # "Support ticket" is a record, not the team
                text = text.replace(other, "")
            for team in absent:
                # "Marketing-sourced pipeline" is a factor, not the team
                assert not re.search(rf"\b{re.escape(M.team(team))}\b(?!-)", text), \
                    (name, number, team)


# ---------------------------------------------------------------- charts: native, the results' numbers

CHART_IDS = {"scores", "factors", "profile.salesops_functions", "profile.revops_benefits",
             "survey", "metrics.salesops", "metrics.revops"}


def test_every_chart_is_a_native_chart_and_nothing_is_a_picture(every_deck):
    for name, d in every_deck.items():
        found = charts(d["prs"])
        want = set(CHART_IDS)
        if not any(t.get("respondents", 0) >= d["results"]["survey"]["min_team_respondents"]
                   for t in d["results"]["survey"]["teams"]):
            want.discard("survey")
        assert want <= set(found), (name, want - set(found))
        for slide in d["prs"].slides:
            for shape in slide.shapes:
                assert shape.shape_type != MSO_SHAPE_TYPE.PICTURE, (name, shape.name)


def test_the_scorecard_chart_holds_the_scores_and_reference_bands(every_deck):
    for d in every_deck.values():
        r = d["results"]
        chart = charts(d["prs"])["scores"]
        data = series(chart)
        keys = ("silos", "metric_coverage", "process_alignment", "overall")
        names = [M(f"dimension.{k}") for k in keys]
        assert data[M("chart.bullets.organisation")] == {n: r["scores"][k]
                                                         for n, k in zip(names, keys, strict=True)}
        band = r["reference_band"]
        assert data[M("deck.scorecard.band")] == {
            n: (band[k][1] if k in band else None) for n, k in zip(names, keys, strict=True)}
        assert data[M("deck.scorecard.band_low")] == {
            n: (band[k][0] if k in band else None) for n, k in zip(names, keys, strict=True)}
        assert labels(chart, M("chart.bullets.organisation")) == {
            n: M.score(r["scores"][k]) for n, k in zip(names, keys, strict=True)}
        # the score is a line series drawn as marks over the bar plot of the band
        assert [type(p).__name__ for p in chart.plots] == ["BarPlot", "LinePlot"]


def test_the_factor_chart_holds_each_contribution(every_deck):
    for name, d in every_deck.items():
        factors = d["results"]["recommendation"]["factors"]
        chart = charts(d["prs"])["factors"]
        (values,) = series(chart).values()
        assert values == {M(f"factor.{f['id']}"): f["contribution"] for f in factors}, name
        (shown,) = [labels(chart, s) for s in series(chart)]
        assert shown == {M(f"factor.{f['id']}"): M.signed(f["contribution"]) for f in factors}
        # the largest contribution is drawn on top (a bar chart's last category)
        top = max(factors, key=lambda f: abs(f["contribution"]))
        assert chart.plots[0].categories[-1] == M(f"factor.{top['id']}")


def test_the_profile_charts_hold_each_function_and_benefit_score(every_deck):
    for name, d in every_deck.items():
        found = charts(d["prs"])
        for kind, item in (("salesops_functions", "function"), ("revops_benefits", "benefit")):
            (values,) = series(found[f"profile.{kind}"]).values()
            assert values == {M.name(item, f["id"]): f["score"]
                              for f in d["results"]["functions"][kind]}, (name, kind)


def test_the_survey_chart_holds_each_shown_teams_scores(every_deck):
    for name, d in every_deck.items():
        survey = d["results"]["survey"]
        shown = [t for t in survey["teams"] if t["respondents"] >= survey["min_team_respondents"]]
        if not shown:
            continue
        data = series(charts(d["prs"])["survey"])
        for dim in ("silos", "metrics", "process"):
            values = list(data[M(f"survey_dimension.{dim}")].values())
            assert values == [t[dim] for t in shown], (name, dim)
        categories = list(data[M("survey_dimension.silos")])
        for team, category in zip(shown, categories, strict=True):
            assert category.startswith(words.team(M, team["team"]))


def test_the_metric_charts_hold_each_metrics_quality_score(every_deck):
    for name, d in every_deck.items():
        quality = [x for x in d["results"]["metric_quality"] if x.get("applicable", True)]
        found = charts(d["prs"])
        for scope in ("salesops", "revops"):
            xs = [x for x in quality if x["scope"] == scope]
            (values,) = series(found[f"metrics.{scope}"]).values()
            assert values == {M.name("metric", x["id"]): x["score"] for x in xs}, (name, scope)
            (shown,) = [labels(found[f"metrics.{scope}"], s)
                        for s in series(found[f"metrics.{scope}"])]
            assert shown == {M.name("metric", x["id"]): M.score(x["score"]) if x["tracked"]
                             else M("deck.metrics.untracked") for x in xs}


def test_the_silo_map_shows_the_results_matrix(every_deck):
    for name, d in every_deck.items():
        silo = d["results"]["silo_map"]
        (table,) = named(d["prs"], "revkit:silo_map")
        cells = [[c.text for c in row.cells] for row in table.table.rows]
        assert [c.replace("\n", " ") for c in cells[0][1:]] == \
            [words.team(M, t) for t in silo["teams"]]
        for row, values in zip(cells[1:], silo["matrix"], strict=True):
            assert row[1:] == [M.integer(v) if v is not None else "–" for v in values], name


# ---------------------------------------------------------------- the words are the report's

def test_the_key_findings_slide_says_what_the_brief_says(every_deck):
    for name, d in every_deck.items():
        r = d["results"]
        top = findings_method.summary(r["findings"])
        wanted = [words.finding_text(M, f, r) for f in top]
        shown = [s.text_frame.text for s in named(d["prs"], "revkit:finding.")]
        assert shown == wanted, name
        brief = next(b for b in d["model"].section("brief").blocks if b.kind == "findings")
        assert shown == [text for _, _, text, _ in brief.items]


def test_next_steps_are_the_first_three_actions_with_owners_and_dates(demos):
    for d in demos.values():
        r = d["results"]
        steps = [s.text_frame.text for s in named(d["prs"], "revkit:step.")]
        actions = ordered_actions(r)[:3]
        assert len(steps) == len(actions)
        for text, a in zip(steps, actions, strict=True):
            assert words.action_title(M, a) in text
            assert words.role(M, a) in text
            assert M.date(a["start"]) in text and a["quarter"] in text


def test_the_roadmap_lists_every_action_under_its_quarter(every_deck):
    for name, d in every_deck.items():
        r = d["results"]
        rows = [[c.text for c in row.cells] for table in named(d["prs"], "revkit:roadmap")
                for row in list(table.table.rows)[1:]]
        listed = [row[0] for row in rows if row[1]]
        assert listed == [words.action_title(M, a) for a in ordered_actions(r)], name
        quarters = {row[0] for row in rows if not row[1]}
        assert {a["quarter"] for a in r["roadmap"]} == {q.split(" · ")[1] for q in quarters}


def test_sizing_says_what_the_function_takes(demos):
    for d in demos.values():
        sizing = d["results"]["recommendation"]["sizing"]
        text = " ".join(" ".join(slide_texts(s)) for s in d["prs"].slides)
        assert words.sizing_text(M, sizing) in text
        (today,) = [s for s in named(d["prs"], "revkit:sizing.0")]
        assert today.text_frame.paragraphs[0].text == M.integer(sizing["current_ops_headcount"])


def test_the_deck_speaks_only_the_catalogs_words():
    """Every deck.* message is used by the deck's code (none left over, none missing)."""
    from pathlib import Path

    source = " ".join(p.read_text(encoding="utf-8")
                      for p in Path(deck.__file__).parent.glob("*.py"))
    keys = [k for k in messages.catalog("en") if k.startswith("deck.")]
    for key in keys:
        head = key.rsplit(".", 1)[0] if key.startswith(("deck.part.", "deck.process.part.",
                                                        "deck.crm.", "deck.sizing.basis."))\
            else key
        assert head in source or key in source, key


# ---------------------------------------------------------------- layout: readable, nothing overflows

def _xml_parts(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xml") and (name.startswith("ppt/slides/slide")
                                          or name.startswith("ppt/charts/")):
                yield name, z.read(name).decode("utf-8")


def test_no_text_is_smaller_than_10_pt(every_deck):
    for name, d in every_deck.items():
        for part, xml in _xml_parts(d["bytes"]):
            sizes = [int(s) for s in re.findall(r'\bsz="(\d+)"', xml)]
            assert sizes, (name, part)
            assert min(sizes) >= 1000, (name, part, min(sizes))


def test_every_shape_stays_on_its_slide_and_out_of_the_footer(every_deck):
    width, height = layout()["slide"]["width"] * INCH, layout()["slide"]["height"] * INCH
    foot, bottom = layout()["foot"]["top"] * INCH, layout()["body"]["bottom"] * INCH
    slack = 0.02 * INCH
    for name, d in every_deck.items():
        for number, slide in enumerate(d["prs"].slides, 1):
            for shape in slide.shapes:
                assert shape.left >= 0 and shape.top >= 0, (name, number, shape.name)
                assert shape.left + shape.width <= width + slack, (name, number, shape.name)
                assert shape.top + shape.height <= height + slack, (name, number, shape.name)
                if number > 1 and shape.top < foot:
                    assert shape.top + shape.height <= bottom + slack, (name, number, shape.name)


def test_every_text_box_is_as_tall_as_its_text(every_deck):
    inset = layout()["inset"]
    for name, d in every_deck.items():
        for number, slide in enumerate(d["prs"].slides, 1):
            for shape in slide.shapes:
                if not shape.has_text_frame or not shape.text_frame.text:
                    continue
                width = Emu(shape.width).inches
                need = 2 * inset
                for para in shape.text_frame.paragraphs:
                    runs = para.runs
                    if not runs:
                        continue
                    size = max(r.font.size.pt for r in runs)
                    bold = any(r.font.bold for r in runs)
                    before = para.space_before.pt / 72 if para.space_before else 0.0
                    need += before + len(fit.wrap(para.text, size, width, bold)) * \
                        fit.line_height(size)
                assert need <= Emu(shape.height).inches + 0.01, (name, number, shape.name)


def test_a_long_roadmap_continues_on_more_slides_at_a_readable_size(demos):
    r = copy.deepcopy(demos["helix-cloud"]["results"])
    r["roadmap"] = [dict(a, id=f"{a['id']}-{i}", order=a.get("order", 0) * 3 + i,
                         depends_on=[f"{x}-{i}" for x in a.get("depends_on", [])])
                    for a in r["roadmap"] for i in range(3)]
    d = _deck(r)
    roadmap = [t for t in titles(d["prs"]) if t.startswith(M("section.roadmap.title"))]
    assert len(roadmap) >= 3
    assert roadmap[1] == M("deck.continued", title=M("section.roadmap.title"))
    rows = [row for table in named(d["prs"], "revkit:roadmap")
            for row in list(table.table.rows)[1:] if row.cells[1].text]
    assert len(rows) == len(r["roadmap"])
    for part, xml in _xml_parts(d["bytes"]):
        assert min(int(s) for s in re.findall(r'\bsz="(\d+)"', xml)) >= 1000, part


# ---------------------------------------------------------------- the brand hook

def test_a_brand_sets_colours_font_and_firm_texts(demos, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 80), "#0B3C5D").save(logo)
    d = demos["nordkraft-tools"]
    view = model.build(d["results"])
    view.meta["brand"] = {"firm": "Northwind Advisory", "logo": str(logo),
                          "colors": {"primary": "#0B3C5D", "accent": "#D9A441"},
                          "font": "Liberation Sans", "footer": "Northwind Advisory · Zürich",
                          "confidentiality": "Confidential — prepared for the client's management",
                          "prepared_by": "Anna Keller"}
    prs = Presentation(io.BytesIO(deck.build(view, d["results"])))
    title = " ".join(slide_texts(prs.slides[0]))
    assert "Northwind Advisory" in title and M("deck.title.prepared_by", name="Anna Keller") in title
    band = prs.slides[0].shapes[0]
    assert str(band.fill.fore_color.rgb) == "0B3C5D"
    pictures = [s for s in prs.slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    for slide in list(prs.slides)[1:]:
        text = slide_texts(slide)
        assert "Northwind Advisory · Zürich" in text
        assert "Confidential — prepared for the client's management" in text
    fonts = {r.font.name for slide in prs.slides for shape in slide.shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs for r in p.runs}
    assert fonts == {"Liberation Sans"}


def test_without_a_brand_the_deck_uses_the_reports_colours(demos):
    from revkit.report.model import style

    band = demos["nordkraft-tools"]["prs"].slides[0].shapes[0]
    assert "#" + str(band.fill.fore_color.rgb) == style()["client_colour"].upper()


# ---------------------------------------------------------------- the file: deterministic

def test_the_same_results_give_the_same_bytes(demos):
    for d in demos.values():
        again = deck.build(model.build(d["results"], "en"), d["results"])
        assert again == d["bytes"]
    r = demos["trekpoint"]["results"]
    assert deck.build(model.build(r), r) == deck.build(model.build(r), r)   # in Russian too


def test_the_file_is_dated_by_the_assessment_not_the_clock(demos):
    d = demos["helix-cloud"]
    day = tuple(int(x) for x in str(d["results"]["client"]["assessment_date"]).split("-"))
    with zipfile.ZipFile(io.BytesIO(d["bytes"])) as z:
        assert {i.date_time for i in z.infolist()} == {day + (0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
        workbooks = [n for n in z.namelist() if n.endswith(".xlsx")]
        assert len(workbooks) == len(charts(d["prs"]))
        for name in workbooks:
            with zipfile.ZipFile(io.BytesIO(z.read(name))) as book:
                core = book.read("docProps/core.xml").decode()
                assert re.findall(r"<dcterms:\w+[^>]*>([^<]*)<", core) == \
                    ["{:04d}-{:02d}-{:02d}T00:00:00Z".format(*day)] * 2
    props = d["prs"].core_properties
    assert props.created.date().isoformat() == d["results"]["client"]["assessment_date"]
    assert props.modified == props.created
    assert props.title == d["model"].meta["title"]
    assert props.author == d["model"].meta["author"]


# ---------------------------------------------------------------- the writer and the run

def test_pptx_is_a_registered_format_and_not_a_default():
    assert "pptx" in writers.names()
    assert writers.parse_formats("html,pdf,pptx") == ("html", "pdf", "pptx")
    assert writers.DEFAULT_FORMATS == ("html", "pdf")


def test_revkit_run_with_pptx_writes_the_deck_of_its_results(run_cli, tmp_path):
    slug = "nordkraft-tools"
    client = copy_client(slug, tmp_path / "in")
    result = run_cli("run", client, "--out", tmp_path / "out", "--formats", "html,pdf,pptx")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / slug
    for name in (f"{slug}.html", f"{slug}.pdf", f"{slug}-brief.pdf", f"{slug}.pptx"):
        assert (folder / name).is_file(), name
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert (folder / f"{slug}.pptx").read_bytes() == deck.build(model.build(results), results)


def test_no_word_of_a_russian_table_or_column_chart_is_broken_in_the_middle(demos):
    """Russian words are long ("Формализованный", "Согласованность"): every table column
    is at least as wide as its longest word, and a column chart's category labels stay
    horizontal, each shown, small enough for their longest word to fit its column."""
    prs = _deck(demos["trekpoint"]["results"], None)["prs"]
    margin = layout()["table"]["cell_margin"]
    tables = [s for slide in prs.slides for s in slide.shapes if s.has_table]
    assert tables
    for shape in tables:
        columns = [c.width / INCH for c in shape.table.columns]
        for row in shape.table.rows:
            for j, cell in enumerate(row.cells):
                if cell.is_spanned or cell._tc.get_or_add_tcPr().get("vert"):
                    continue  # a heading set upright needs no width for its words
                room = sum(columns[j:j + cell.span_width])
                for para in cell.text_frame.paragraphs:
                    size = max((r.font.size.pt for r in para.runs if r.font.size), default=0)
                    for word in para.text.split():
                        bold = any(r.font.bold for r in para.runs)
                        need = fit.width(word, size, bold) / fit.SAFETY + 2 * margin
                        assert need <= room + 1e-6, (shape.name, word, room)
    chart = charts(prs)["scores"]
    axis = chart.category_axis._element
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    body = axis.find("c:txPr/a:bodyPr", ns)
    assert body.get("rot") == "0" and body.get("vert") == "horz"
    assert axis.find("c:tickLblSkip", ns).get("val") == "1"
    size = chart.category_axis.tick_labels.font.size.pt
    frame = next(s for slide in prs.slides for s in slide.shapes if s.name == "revkit:scores")
    room = frame.width / INCH / len(list(chart.plots[0].categories)) * layout()["category_room"]
    assert size >= layout()["size"]["min"]
    for name in chart.plots[0].categories:
        for word in str(name).split():
            assert fit.width(word, size) <= room + 1e-6, word
    # a long title ("Согласованность процессов: передачи между командами") is set smaller,
    # on one line, instead of running into the rule under it
    width = layout()["slide"]["width"] - layout()["margin"]["left"] - layout()["margin"]["right"]
    titles = 0
    for slide in list(prs.slides)[1:]:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.top / INCH == pytest.approx(layout()["head"]["title_top"]):
                run = shape.text_frame.paragraphs[0].runs[0]
                assert len(fit.wrap(shape.text_frame.text, run.font.size.pt, width, True)) == 1
                titles += 1
    assert titles == len(prs.slides) - 1
