"""WeasyPrint, set up once per process and reused for every report it prints.

Two costs of a PDF do not depend on the client, and a batch worker (or ``revkit
run``'s warm-up thread) pays them once here instead of once per document:

- **Fonts.** ``FontConfiguration()`` loads fontconfig's configuration and makes a
  new Pango font map, which then opens, measures and caches every font a report
  uses. One configuration is shared by the documents of a process; a document
  with its own ``@font-face`` rules gets a private one, so no font it declares
  can ever be seen by another client's report.
- **Font subsetting.** WeasyPrint subsets the embedded fonts with the system's
  HarfBuzz-Subset library when it finds one (``libharfbuzz-subset0`` on Debian),
  and otherwise with fontTools in pure Python — a third of its time per PDF.
  Without the system library, the same HarfBuzz subsetter runs from the
  ``uharfbuzz`` wheel (same calls and flags as WeasyPrint's own); without either,
  fontTools as before. ``subsetter()`` says which one this process uses.

Images are not cached across documents: a report's images are its charts, inline
``data:`` URLs unique to each client, so a shared cache would never hit and would
only grow in a long-lived worker.

Callers hold ``render._PDF_LOCK``; nothing here is used from two threads at once.
"""

from __future__ import annotations

from functools import cache

_font_config = None
_warmed = False

# WeasyPrint's own HarfBuzz subsetting drops these tables (weasyprint/pdf/fonts.py)
_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
                   b"LTSH", b"PCLT", b"SVG ")


def write_pdf(html_text: str, base_url: str) -> bytes:
    """The PDF of ``html_text`` with this process's shared fonts and subsetter."""
    return render(html_text, base_url).write_pdf()


def render(html_text: str, base_url: str):
    """The laid-out WeasyPrint document of ``html_text`` (its ``pages``; ``write_pdf()``),
    with this process's shared fonts and subsetter."""
    from weasyprint import HTML

    subsetter()
    return HTML(string=html_text, base_url=base_url).render(font_config=font_config(html_text))


def font_config(html_text: str = ""):
    """The process's shared ``FontConfiguration``, or a private one for a document that
    declares fonts of its own (``@font-face``)."""
    global _font_config
    from weasyprint.text.fonts import FontConfiguration

    if "@font-face" in html_text:
        return FontConfiguration()
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


@cache
def subsetter() -> str:
    """Which font subsetter WeasyPrint uses in this process: ``harfbuzz`` (the system
    library), ``uharfbuzz`` (installed here) or ``fonttools``."""
    from weasyprint.pdf import fonts
    from weasyprint.text import ffi

    if ffi.harfbuzz_subset is not None and ffi.harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz"
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return "fonttools"
    fallback = fonts.Font.subset

    def subset(font, to_unicode, hinting):
        if not to_unicode:
            return
        try:
            font.file_content = _harfbuzz_subset(font.file_content, font.index, to_unicode,
                                                 hinting, bool(font.missing))
        except Exception:  # noqa: BLE001 — a font HarfBuzz cannot subset: fontTools tries
            fallback(font, to_unicode, hinting)

    fonts.Font.subset = subset
    return "uharfbuzz"


def _harfbuzz_subset(data: bytes, index: int, glyphs, hinting: bool, notdef: bool) -> bytes:
    """``data`` (a font file) keeping only ``glyphs``, as WeasyPrint's HarfBuzz path does:
    first with the glyph ids retained, then without the empty glyphs after the last one."""
    import uharfbuzz as hb

    flags = hb.SubsetFlags
    drop = [int.from_bytes(tag, "big") for tag in _DROPPED_TABLES]
    outline = flags.NOTDEF_OUTLINE if notdef else flags(0)

    keep_ids = hb.SubsetInput()
    keep_ids.glyph_set.update(sorted(glyphs))
    keep_ids.drop_table_tag_set.update(drop)
    keep_ids.flags = (flags.RETAIN_GIDS | flags.PASSTHROUGH_UNRECOGNIZED
                      | flags.DESUBROUTINIZE | outline)
    face = hb.subset(hb.Face(hb.Blob(data), index), keep_ids)

    trim = hb.SubsetInput()
    trim.glyph_set.update(range(max(glyphs) + 1))
    trim.drop_table_tag_set.update(drop)
    trim.flags = (flags.PASSTHROUGH_UNRECOGNIZED | flags.DESUBROUTINIZE | outline
                  | (flags(0) if hinting else flags.NO_HINTING))
    face = hb.subset(face, trim)
    result = face.blob.data if face is not None else b""
    if not result:
        raise ValueError("HarfBuzz returned an empty font")
    return result


def warm_up() -> None:
    """Load WeasyPrint, the shared fonts (regular, bold, italic, as the report uses them)
    and the subsetter, ahead of the first report; once per process."""
    global _warmed
    from revkit.paths import TEMPLATES_DIR

    if _warmed:
        return
    _warmed = True
    write_pdf('<p style="font-family: \'DejaVu Sans\', sans-serif">revkit <b>revkit</b> '
              "<i>revkit</i></p>", str(TEMPLATES_DIR))
