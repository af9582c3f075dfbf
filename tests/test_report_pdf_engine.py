"""The PDF engine's per-process set-up: fonts shared by every document of a worker and
HarfBuzz subsetting change how fast a PDF is made, never its bytes or its text."""

from __future__ import annotations

import subprocess
import sys

import pytest

from revkit.report import pdf_engine, render

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="dcterms.created" content="2026-03-16"><meta name="dcterms.modified" content="2026-03-16">
<style>@page {{ size: A4; margin: 2cm }} body {{ font-family: "DejaVu Sans", sans-serif }}</style>
</head><body><h1>{title}</h1><p>Regular, <b>bold</b> and <i>italic</i> text: Zürich · 38.9 / 100
— «quoted» ≥ 4.5:1</p><table><tr><th>Dimension</th><th>Score</th></tr>
<tr><td>Silos</td><td>41.8</td></tr></table></body></html>"""

# A fresh process prints `first`, or prints `other` and then `first`: the bytes of
# `first` must not depend on what the process printed before.
PROBE = """
import hashlib, sys
sys.path.insert(0, {tests!r})
from test_report_pdf_engine import PAGE
from revkit.report import pdf_engine, render
{setup}
if {after_other}:
    render.to_pdf(PAGE.format(title="Another client, other glyphs: Ωmega qxz"), "2026-01-01")
pdf = render.to_pdf(PAGE.format(title="Helix Cloud, Inc."), "2026-03-16")
print(pdf_engine.subsetter(), hashlib.sha256(pdf).hexdigest())
"""


def _print_in_a_fresh_process(after_other: bool, setup: str = "") -> tuple[str, str]:
    from pathlib import Path

    code = PROBE.format(tests=str(Path(__file__).parent), after_other=after_other, setup=setup)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    subsetter, digest = done.stdout.split()
    return subsetter, digest


def _embedded_fonts(file) -> int:
    """How many fonts of the first page are embedded (a FontFile2 stream)."""
    from pypdf import PdfReader

    fonts = PdfReader(file).pages[0]["/Resources"]["/Font"].values()
    return sum("/FontFile2" in font.get_object()["/DescendantFonts"][0].get_object()
               ["/FontDescriptor"].get_object() for font in fonts)


def test_a_worker_that_printed_other_reports_prints_the_same_bytes_as_a_fresh_process():
    alone = _print_in_a_fresh_process(after_other=False)
    after = _print_in_a_fresh_process(after_other=True)
    assert alone == after


def test_fonts_are_subset_by_harfbuzz_when_the_stack_has_it():
    # the dev extra installs uharfbuzz; a system libharfbuzz-subset is used first when present
    assert pdf_engine.subsetter() in ("harfbuzz", "uharfbuzz")


def test_harfbuzz_and_fonttools_subsets_print_the_same_text_with_embedded_fonts(tmp_path):
    from pypdf import PdfReader

    if pdf_engine.subsetter() != "uharfbuzz":
        pytest.skip("WeasyPrint uses the system's HarfBuzz-Subset here; nothing is replaced")
    html = PAGE.format(title="Helix Cloud, Inc.")
    harfbuzz = tmp_path / "harfbuzz.pdf"
    harfbuzz.write_bytes(render.to_pdf(html, "2026-03-16"))
    fonttools = tmp_path / "fonttools.pdf"
    code = ("import sys; sys.modules['uharfbuzz'] = None\n"   # as if it were not installed
            "from pathlib import Path\n"
            "from revkit.report import pdf_engine, render\n"
            "assert pdf_engine.subsetter() == 'fonttools'\n"
            f"Path({str(fonttools)!r}).write_bytes(render.to_pdf({html!r}, '2026-03-16'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    texts = [[page.extract_text() for page in PdfReader(f).pages] for f in (harfbuzz, fonttools)]
    assert texts[0] == texts[1] and "Zürich" in texts[0][0] and "bold" in texts[0][0]
    for file in (harfbuzz, fonttools):
        assert _embedded_fonts(file) == 3     # regular, bold, italic: each embedded as a subset
    # a subset, not the whole font: DejaVu Sans alone is over 700 kB
    assert harfbuzz.stat().st_size < 200_000


def test_a_font_harfbuzz_cannot_subset_falls_back_to_fonttools(monkeypatch, tmp_path):
    if pdf_engine.subsetter() != "uharfbuzz":
        pytest.skip("WeasyPrint uses the system's HarfBuzz-Subset here; nothing is replaced")

    def broken(*args):
        raise ValueError("no")

    monkeypatch.setattr(pdf_engine, "_harfbuzz_subset", broken)
    pdf = tmp_path / "fallback.pdf"
    pdf.write_bytes(render.to_pdf(PAGE.format(title="Fallback"), "2026-03-16"))
    assert _embedded_fonts(pdf) == 3


def test_a_document_with_its_own_fonts_gets_its_own_font_configuration():
    shared = pdf_engine.font_config("<p>plain</p>")
    assert pdf_engine.font_config("<p>again</p>") is shared
    assert pdf_engine.font_config("<style>@font-face { font-family: X }</style>") is not shared
