"""Hostile content: every payload of the corpus in every free-text field stays text in
every output (HTML report, PDF, brief PDF, deck, portfolio), control/bidi/zero-width
characters are removed at intake, and nothing a client wrote becomes a formula.

One report run (all formats) of a copy of helix-cloud with the whole corpus planted
(``tests/hostile_helpers.py``) in a client folder whose own name is hostile, read back.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import hostile_helpers as hostile
import nbformat
import pytest
import yaml
from lxml import html as lxml_html

from revkit import text as kit_text

PAYLOADS = hostile.payloads()
TEXTS = [p["text"] for p in PAYLOADS]
# a client folder name that is a string literal, a template and a line break at once
FOLDER_NAME = "cl\"ient' \\ {{ x }} ${y} %s\nnext"
SLUG = "hostile"
REMOVED = {"Cc", "Cf", "Cs", "Co", "Cn"}
# what an HTML payload would need to act: none of these may reach any element
ACTIVE_MARKERS = ("alert(", "evil.example", "javascript:", "expression(", "data:text/html")
# attributes a browser loads, runs or styles from (a text attribute such as <meta content>
# may hold a payload as its text)
ACTIVE_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "style", "background",
                     "poster", "data", "xlink:href", "http-equiv")


# ---------------------------------------------------------------- clean()

def test_clean_removes_every_control_and_format_character():
    """Every code point of the general categories Cc and Cf (not a hand list) is
    removed or, for line breaks and tabs, made a space."""
    checked = 0
    for code in range(0x110000):
        ch = chr(code)
        if unicodedata.category(ch) in ("Cc", "Cf"):
            out = kit_text.clean(f"a{ch}b")
            assert out in ("ab", "a b"), (hex(code), out)
            checked += 1
    assert checked > 200  # 65 controls and the format characters of every script


@pytest.mark.parametrize("text, expected", [
    ("bell\a esc\x1b[31m", "bell esc[31m"),
    ("nul\0byte", "nulbyte"),
    ("del\x7f c1\x85x\x9b", "del c1 x"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ("a\u2066b\u2067c\u2068d\u2069e\u200ef\u200fg\u061ch", "abcdefgh"),
    ("ze\u200bro\u200cwi\u200ddth\u2060sp\ufefface", "zerowidthspace"),
    ("tab\there", "tab here"),
    ("one\r\ntwo\rthree\u2028four", "one two three four"),
])
def test_clean_removes_what_a_reader_cannot_see(text, expected):
    assert kit_text.clean(text) == expected


def test_clean_keeps_line_breaks_of_multiline_text():
    assert kit_text.clean("one\r\ntwo\rthree\u2029\tfour", multiline=True) == \
        "one\ntwo\nthree\n four"


@pytest.mark.parametrize("text", [
    "Ёлка «Рога и копыта»", "Müller & Söhne GmbH, Straße", "株式会社テスト 测试公司 한국어",
    "שלום עולם 42", "مرحبا بالعالم ١٢٣", "📈🚀 👩\u200d💻 🇩🇪 ❤️ 🏳️\u200d🌈 👍🏽",
    "Z\u0337\u0322a\u0334 e\u0301", "Ωμέγα", "A\u00a0B", "replacement \ufffd",
])
def test_clean_keeps_legitimate_text(text):
    assert kit_text.clean(text) == text


def test_a_spreadsheet_cell_never_starts_a_formula():
    for start in kit_text.FORMULA_STARTS:
        assert kit_text.cell(start + "1+1") == "'" + start + "1+1"
    assert kit_text.cell("Acme") == "Acme"
    assert kit_text.cell(-3.5) == -3.5 and kit_text.cell(0) == 0  # numbers stay numbers


# ---------------------------------------------------------------- one hostile run

def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    from click.testing import CliRunner

    from revkit.cli.commands import cli

    root = tmp_path_factory.mktemp("hostile")
    client = hostile.plant(root / FOLDER_NAME, TEXTS, slug=SLUG)
    methodology = hostile.quoting_methodology(root)
    brand = hostile.brand_files(root / "brand", TEXTS)[0]
    out = root / "out"
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(client), "--out", str(out), "--formats",
                                 "html,pdf,pptx", "--methodology", str(methodology),
                                 "--brand", str(brand)])
    assert result.exit_code == 0, result.output[-3000:]
    portfolio = runner.invoke(cli, ["portfolio", str(out)])
    assert portfolio.exit_code == 0, portfolio.output[-2000:]
    return {"root": root, "client": client, "out": out, "dir": out / SLUG,
            "brand": yaml.safe_load(brand.read_text(encoding="utf-8"))}


def _check_html(path: Path) -> str:
    """The document's text; fails where an element or attribute of a payload exists."""
    doc = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in ("script", "iframe", "object", "embed", "foreignObject"), \
            f"{path.name}: a <{element.tag}> element"
        if element.tag == "meta":
            assert "http-equiv" not in element.attrib, f"{path.name}: {element.attrib}"
        for attr, value in element.attrib.items():
            assert not attr.lower().startswith("on"), f"{path.name}: <{element.tag} {attr}>"
            assert attr != "autofocus", f"{path.name}: <{element.tag} {attr}>"
            assert attr not in ACTIVE_ATTRIBUTES or not any(m in value for m in ACTIVE_MARKERS), \
                f"{path.name}: <{element.tag} {attr}={value[:80]!r}>"
        if element.tag == "style":
            assert not any(m in (element.text or "") for m in ACTIVE_MARKERS), path.name
    return doc.text_content()


def _payload_elements() -> set[tuple[str, str]]:
    """(tag, attribute) pairs the payloads would create if parsed as HTML."""
    found = set()
    for text in TEXTS:
        fragment = lxml_html.fragment_fromstring(hostile.shown(text), create_parent="div")
        for element in fragment.iter():
            if isinstance(element.tag, str) and element.tag != "div":
                found |= {(element.tag, a) for a in element.attrib} or {(element.tag, "")}
    return found


def _missing(text: str, payloads=PAYLOADS) -> list[str]:
    flat = _norm(text)
    return [p["id"] for p in payloads if _norm(hostile.shown(p["text"])) not in flat]


def _unseen(text: str) -> set[str]:
    return {f"U+{ord(c):04X}" for c in text
            if unicodedata.category(c) in REMOVED and c not in "\n\t\u200d"}


def test_the_payloads_create_elements_the_check_would_see():
    # the corpus would make scripts, handlers and frames if it were parsed as markup
    pairs = _payload_elements()
    assert {("script", ""), ("img", "onerror"), ("svg", "onload"), ("iframe", "src"),
            ("meta", "http-equiv")} <= pairs


def test_html_report_shows_every_payload_as_text(hostile_run):
    text = _check_html(hostile_run["dir"] / f"{SLUG}.html")
    assert _missing(text) == []
    assert _unseen(text) == set()
    brand = hostile_run["brand"]
    for key in hostile.BRAND_FIELDS:
        assert _norm(hostile.shown(brand[key])) in _norm(text), key


def _with_alt_texts(path: Path) -> str:
    """A page's text and its images' alt texts (a chart names the systems it draws)."""
    doc = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    return doc.text_content() + " ".join(e.get("alt", "") for e in doc.iter("img"))


def test_every_field_reaches_the_html_report(hostile_run):
    """Not only the name (which holds every payload): each system name, the systems'
    unknown column (named in a warning), a system that metrics and integrations refer
    to. (CRM stages, owners and sources are read, cleaned and counted; the report shows
    only what they measure.)"""
    text = _norm(_with_alt_texts(hostile_run["dir"] / f"{SLUG}.html"))
    systems = [hostile.shown(name) for name in hostile._tagged(TEXTS, "S")]
    assert [s for s in systems if _norm(s) not in text] == []
    for planted in (TEXTS[0] + " column", TEXTS[0] + " (referenced)"):
        assert _norm(hostile.shown(planted)) in text, planted


def test_portfolio_shows_every_payload_as_text(hostile_run):
    text = _check_html(hostile_run["out"] / "index.html")
    assert _missing(text) == [] and _unseen(text) == set()


def _pdf_text(path: Path) -> str:
    """The PDF's body text (the page lines left out: they repeat the client's name, cut)
    by pypdf; where pypdf cannot decode WeasyPrint's two-byte font encodings (used for
    a font with more than 256 glyphs in use, as here), by poppler's pdftotext."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    if not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        return text
    if shutil.which("pdftotext") is None:
        pytest.skip("pypdf cannot decode this PDF's fonts and pdftotext is not installed")
    width, height = (round(float(v)) for v in reader.pages[0].mediabox.upper_right)
    top, bottom = round(20 / 25.4 * 72), round(18 / 25.4 * 72)  # the page margins (mm)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-x", "0", "-y", str(top), "-W",
                           str(width), "-H", str(height - top - bottom), str(path), "-"],
                          check=True, capture_output=True, text=True).stdout
    # pdftotext marks right-to-left runs and ends each page with a form feed
    return re.sub("[\u202a-\u202e]", "", text).replace("\f", "\n")


def _pdf_payloads():
    """A payload as text extraction sees it: a joiner and variation selector are part of
    the drawing, and right-to-left words are laid out right to left: word by word."""
    out = []
    for p in PAYLOADS:
        shown = re.sub("[\u200d\ufe0f]", "", hostile.shown(p["text"]))
        words = shown.split() if p["kind"] == "rtl" else [shown]
        out += [{"id": p["id"], "text": w} for w in words]
    return out


def _pdf_missing(text: str) -> list[str]:
    # a line may end at a hyphen, which text extraction takes for a word broken in two
    return _missing(text.replace("-", ""), [{**p, "text": p["text"].replace("-", "")}
                                            for p in _pdf_payloads()])


def test_pdf_report_shows_every_payload_as_text(hostile_run):
    text = _pdf_text(hostile_run["dir"] / f"{SLUG}.pdf")
    assert _pdf_missing(text) == []
    assert _unseen(text) == set()


def test_brief_pdf_shows_the_client_name_as_text(hostile_run):
    text = _pdf_text(hostile_run["dir"] / f"{SLUG}-brief.pdf")
    # the brief's header is the client name, which holds every payload
    assert _pdf_missing(text) == []
    assert _unseen(text) == set()


def _deck_texts(prs) -> list[str]:
    texts = []

    def walk(shapes):
        for shape in shapes:
            if shape.shape_type == 6:  # a group
                walk(shape.shapes)
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
            if getattr(shape, "has_chart", False) and shape.has_chart:
                plot = shape.chart.plots[0]
                texts.extend([str(c) for c in plot.categories] + [s.name for s in plot.series])

    for slide in prs.slides:
        walk(slide.shapes)
    return texts


def test_deck_shows_every_payload_as_text(hostile_run):
    from pptx import Presentation

    prs = Presentation(hostile_run["dir"] / f"{SLUG}.pptx")
    text = "\n".join(_deck_texts(prs))
    assert _missing(text) == [] and _unseen(text) == set()
    assert len(prs.core_properties.title) <= 255


def _formula_cells(xlsx: bytes) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [f"{sheet.title}!{c.coordinate}={c.value!r}" for sheet in book
            for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_deck_chart_workbooks_hold_no_formula(hostile_run):
    with zipfile.ZipFile(hostile_run["dir"] / f"{SLUG}.pptx") as deck:
        books = [n for n in deck.namelist() if n.endswith(".xlsx")]
        assert books
        assert [f for n in books for f in _formula_cells(deck.read(n))] == []


def test_a_chart_label_that_looks_like_a_formula_stays_text():
    from pptx import Presentation

    from revkit.report.deck import charts, theme

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    labels = ["=HYPERLINK(\"https://evil.example\",\"x\")", "{=1+1}", "https://evil.example"]
    chart = charts.bars(slide, theme.theme({}), (0, 0, 6, 4), charts.Bars(
        "t", labels, [charts.Series("=cmd|' /C calc'!A0", [1, 2, 3])], horizontal=False))
    assert [str(c) for c in chart.plots[0].categories] == labels
    blob = chart.part.chart_workbook.xlsx_part.blob
    assert _formula_cells(blob) == []
    import openpyxl
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    assert [sheet.cell(row=i, column=1).value for i in (2, 3, 4)] == labels
    assert sheet.cell(row=1, column=2).value == "=cmd|' /C calc'!A0"
    assert not sheet.cell(row=4, column=1).hyperlink


def test_notebook_parameters_are_data(hostile_run):
    """The hostile folder name reaches the notebook as the string it is."""
    nb = nbformat.read(hostile_run["dir"] / f"{SLUG}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    values = {}
    for node in ast.parse(cell.source).body:
        assert isinstance(node, ast.Assign), ast.dump(node)  # nothing but assignments
        values[node.targets[0].id] = ast.literal_eval(node.value)
    assert values["client_path"] == str(hostile_run["client"].resolve())
    assert FOLDER_NAME in values["client_path"]


def test_results_keep_the_cleaned_texts(hostile_run):
    import json

    results = json.loads((hostile_run["dir"] / "results.json").read_text(encoding="utf-8"))
    name = results["client"]["name"]
    assert name == hostile.shown(" ".join(TEXTS)) and not _unseen(name)


# ---------------------------------------------------------------- spreadsheets the kit writes

def test_portfolio_csv_cells_never_start_a_formula(hostile_run):
    import csv

    from revkit.portfolio.build import CSV_COLUMNS, render_csv

    rows = [{c: None for c in CSV_COLUMNS} | {"slug": "a", "name": t, "overall_score": -1.5}
            for t in ("=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "Acme")]
    cells = list(csv.reader(io.StringIO(render_csv(rows), newline="")))
    names = [r[CSV_COLUMNS.index("name")] for r in cells[1:]]
    assert names == ["'=HYPERLINK(\"x\")", "'+1", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1", "Acme"]
    written = (hostile_run["out"] / "portfolio.csv").read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(written, newline="")):
        for cell in row:
            assert not cell.startswith(kit_text.FORMULA_STARTS) or cell.lstrip("-").replace(
                ".", "", 1).isdigit(), cell


def test_a_converted_workbook_holds_client_text_as_text(tmp_path):
    import openpyxl

    from revkit.intake.authoring.convert import folder_to_workbook
    from revkit.intake.readers import read_client

    formulas = [p["text"] for p in PAYLOADS if p["kind"] == "formula"]
    client = hostile.plant(tmp_path / "c", formulas, slug="formulas")
    shutil.rmtree(client / "crm")
    book_path = folder_to_workbook(client, tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(book_path)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(kit_text.FORMULA_STARTS)]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert _formula_cells(book_path.read_bytes()) == []
    assert read_client(book_path).profile["name"] == read_client(client).profile["name"]


# ---------------------------------------------------------------- brand files

def test_every_payload_in_every_brand_field_loads_as_text(tmp_path):
    from revkit.report import brand as brands

    files = hostile.brand_files(tmp_path, TEXTS)
    seen = ""
    for path in files:
        given = yaml.safe_load(path.read_text(encoding="utf-8"))
        loaded = brands.load(path)
        for key in hostile.BRAND_FIELDS:
            assert getattr(loaded, key) == kit_text.clean(given[key]), (path.name, key)
            assert not _unseen(getattr(loaded, key))
        seen += loaded.firm + " "
    # a firm holds at most 200 characters: the helper cuts a longer payload at 190
    assert [p["id"] for p in PAYLOADS if _norm(hostile.shown(p["text"][:190])) not in
            _norm(seen)] == []



# ---------------------------------------------------------------- CRM exports

def test_crm_export_cells_and_headers_are_cleaned_as_read(tmp_path):
    import csv

    from revkit.intake.crm.csvfile import read_csv

    client = hostile.plant(tmp_path / "c", TEXTS)
    path = client / "crm" / "sfdc_opportunities.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh) if len(r) == 11]
    header = rows[0]
    # a header with a control character and a zero-width space reads as its clean name
    rows[0] = [header[0], "Opportunity\u200b Name\a", *header[2:]]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    wanted = {"Opportunity Owner", "Account ID", "Lead Source", "Stage", "Region",
              "Opportunity Name"}
    export, problems = read_csv(path, "crm/sfdc_opportunities.csv", wanted)
    assert problems == []
    assert export.header[1] == "Opportunity Name"
    column = header.index("Opportunity Owner")
    assert export.cells["Opportunity Owner"].to_pylist() == [
        kit_text.clean(r[column]) for r in rows[1:]]
    for name in wanted:
        assert not _unseen("".join(export.cells[name].to_pylist())), name
