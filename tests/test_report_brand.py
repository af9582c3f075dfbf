"""The consultancy's brand: checked once, shown on the cover, the page furniture and the brief."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from revkit.cli.commands import cli
from revkit.errors import InvalidFile
from revkit.paths import DEMO_BRAND
from revkit.report import brand as brands
from revkit.report.run import run_client
from tests.report_helpers import copy_client, pdf_pages, squash, visible_text

SLUG = "nordkraft-tools"
HOSTILE_FIRM = "<script>alert('firm')</script> & Partners"


def write_brand(folder, text: str, logo: bytes | None = None, logo_name: str = "logo.svg"):
    folder.mkdir(parents=True, exist_ok=True)
    if logo is not None:
        (folder / logo_name).write_bytes(logo)
    path = folder / "brand.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path) -> list:
    with pytest.raises(InvalidFile) as info:
        brands.load(path)
    return info.value.problems


# ---------------------------------------------------------------- the checks

def test_the_shipped_example_brand_passes_its_own_checks():
    brand = brands.load(DEMO_BRAND)
    assert brand.firm == "Northwind Advisory" and brand.logo_kind == "svg"
    assert brands.contrast(brand.primary, "#FFFFFF") >= brands.MIN_CONTRAST


def test_contrast_is_the_wcag_ratio():
    assert round(brands.contrast("#000000", "#FFFFFF"), 2) == 21.0
    assert round(brands.contrast("#777777", "#FFFFFF"), 2) == 4.48
    assert brands.contrast("#0B3C5D", "#FFFFFF") > 11


def test_a_light_primary_colour_is_refused_with_its_ratio(tmp_path):
    path = write_brand(tmp_path, 'firm: X\ncolors: {primary: "#D9A441"}\n')
    (problem,) = problems(path)
    assert problem.column == "colors.primary" and problem.row == 2
    assert "#D9A441" in problem.message and "2.2" in problem.message and "4.5" in problem.allowed


def test_every_problem_is_listed_at_once_with_its_line(tmp_path):
    path = write_brand(tmp_path, 'colors:\n  primary: blue\nfont: No Such Font 42\n'
                       'footr: x\nlogo: missing.svg\n')
    found = {(p.column, p.row) for p in problems(path)}
    assert any(c == "firm" for c, _ in found)          # required, so no line of its own
    assert ("colors.primary", 2) in found and ("font", 3) in found
    assert ("footr", 4) in found and ("logo", 5) in found
    footr = next(p for p in problems(path) if p.column == "footr")
    assert footr.suggestion == "footer"


@pytest.mark.parametrize("svg,reason", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handlers"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
     b'<image x:href="https://example.com/a.png"/></svg>', "href"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x/y)"/></svg>',
     "url()"),
    (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "DOCTYPE"),
    (b"GIF89a....", "neither a PNG nor"),
])
def test_a_logo_is_a_picture_not_a_program(tmp_path, svg, reason):
    path = write_brand(tmp_path, "firm: X\nlogo: logo.svg\n", svg)
    (problem,) = problems(path)
    assert problem.column == "logo" and reason in problem.message


def test_a_png_logo_and_a_safe_svg_are_accepted(tmp_path):
    png = (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    assert brands.load(write_brand(tmp_path / "a", "firm: X\nlogo: l.png\n", png,
                                   "l.png")).logo_kind == "png"
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs>'
           b'<rect fill="url(#g)" width="10" height="10"/></svg>')
    assert brands.load(write_brand(tmp_path / "b", "firm: X\nlogo: logo.svg\n",
                                   svg)).logo_kind == "svg"


def test_the_fingerprint_follows_the_file_and_the_logo(tmp_path):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    path = write_brand(tmp_path, "firm: X\nlogo: logo.svg\n", svg)
    first = brands.load(path).fingerprint()
    assert brands.load(path).fingerprint() == first
    (tmp_path / "logo.svg").write_bytes(svg.replace(b'"1"', b'"2"'))
    assert brands.load(path).fingerprint() != first


# ---------------------------------------------------------------- on the report

@pytest.fixture(scope="module")
def branded(tmp_path_factory):
    base = tmp_path_factory.mktemp("branded")
    folder = base / "brand"
    shutil.copytree(DEMO_BRAND.parent, folder)
    text = (folder / "brand.yaml").read_text(encoding="utf-8")
    (folder / "brand.yaml").write_text(text.replace("firm: Northwind Advisory",
                                                    f'firm: "{HOSTILE_FIRM}"'), encoding="utf-8")
    client = copy_client(SLUG, base / "in")
    run_client(client, base / "out", brand=folder / "brand.yaml")
    out = base / "out" / SLUG
    return {"html": (out / f"{SLUG}.html").read_text(encoding="utf-8"),
            "pages": pdf_pages(out / f"{SLUG}.pdf"),
            "brief": pdf_pages(out / f"{SLUG}-brief.pdf"),
            "results": (out / "results.json").read_text(encoding="utf-8")}


def test_the_brand_is_on_the_cover_in_the_header_and_footer_and_on_the_brief(branded):
    cover, later = squash(branded["pages"][0]), squash(branded["pages"][3])
    assert HOSTILE_FIRM in cover and "Prepared by Anna Keller" in cover
    assert "Confidential — prepared for the client's management" in cover
    assert f"{HOSTILE_FIRM} · RevOps maturity assessment" in later
    assert "Northwind Advisory · Zürich" in later          # the footer line
    assert "Confidential" in later
    assert len(branded["brief"]) == 1 and HOSTILE_FIRM in squash(branded["brief"][0])
    assert json.loads(branded["results"])["brand"] == HOSTILE_FIRM


def test_brand_text_is_text_and_the_logo_is_embedded(branded):
    html = branded["html"]
    assert "<script>alert('firm')" not in html
    assert "&lt;script&gt;alert(" in html
    assert HOSTILE_FIRM in visible_text(html)
    assert re.search(r'<img [^>]*class="rk-brand-logo" src="data:image/svg\+xml;base64,', html)
    assert "--heading: #0B3C5D" in html and "--accent: #D9A441" in html
    assert "<script" not in html.lower()


def test_without_a_brand_the_report_carries_none(tmp_path, monkeypatch):
    monkeypatch.delenv(brands.ENV, raising=False)
    run_client(copy_client(SLUG, tmp_path / "in"), tmp_path / "out", formats="html")
    html = (tmp_path / "out" / SLUG / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "rk-brand" not in html.split("</style>")[-1] and "Prepared by" not in html
    assert '"brand": null' in (tmp_path / "out" / SLUG / "results.json").read_text()


def test_the_cli_takes_the_brand_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(brands.ENV, str(DEMO_BRAND))
    result = CliRunner().invoke(cli, ["run", str(copy_client(SLUG, tmp_path / "in")),
                                      "--out", str(tmp_path / "out"), "--formats", "html"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / SLUG / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "Northwind Advisory" in visible_text(html)


def test_a_bad_brand_stops_the_run_before_anything_is_written(tmp_path):
    path = write_brand(tmp_path / "b", 'firm: X\ncolors: {primary: "#FFFF00"}\n')
    result = CliRunner().invoke(cli, ["run", str(copy_client(SLUG, tmp_path / "in")),
                                      "--out", str(tmp_path / "out"), "--brand", str(path)])
    assert result.exit_code == 2
    assert "colors.primary" in result.output and "#FFFF00" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_deck_title_slide_carries_the_logo_firm_and_colours():
    import io

    from pptx import Presentation

    from revkit.method.assess import assess_path
    from revkit.report import deck, model
    from revkit.report.results import dump

    brand = brands.load(DEMO_BRAND)
    r = json.loads(dump(assess_path(copy_client(SLUG, Path(tempfile.mkdtemp())))))
    data = deck.build(model.build(r, brand=brand), r)
    assert data == deck.build(model.build(r, brand=brand), r)     # the same bytes
    title = Presentation(io.BytesIO(data)).slides[0]
    pictures = [s for s in title.shapes if s.shape_type == 13]   # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    text = " ".join(s.text_frame.text for s in title.shapes if s.has_text_frame)
    assert "Northwind Advisory" in text and "Prepared by Anna Keller" in text
    fills = {str(s.fill.fore_color.rgb) for s in title.shapes
             if s.shape_type == 1 and s.fill.type == 1}              # auto shapes, solid fills
    assert "0B3C5D" in fills
    assert brand.logo_png()[:8] == brands.PNG_MAGIC
