"""The deck's drawing primitives: text boxes sized from their text, rectangles, tables.

Every text gets the theme's font and an explicit size, colour and line spacing, so a
slide looks the same in any presentation program; sizes never go below the layout's
``size.min``. Heights are measured (``revkit.report.deck.fit``) before a box is placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from revkit.errors import KitError
from revkit.report.deck import fit
from revkit.report.deck.theme import Theme, layout

ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


@dataclass
class Run:
    text: str
    bold: bool = False
    colour: str | None = None


@dataclass
class Para:
    """A paragraph: its runs (or one text), size in points, and the space above it (inches)."""

    runs: list[Run] | str
    size: float
    bold: bool = False
    colour: str | None = None
    align: str = "left"
    before: float = 0.0
    parts: list[Run] = field(init=False)

    def __post_init__(self) -> None:
        if self.size < layout()["size"]["min"]:
            raise KitError(f"deck text set at {self.size} pt, below the layout's minimum")
        self.parts = [Run(self.runs, self.bold, self.colour)] if isinstance(self.runs, str) \
            else list(self.runs)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.parts)

    def height(self, width: float) -> float:
        bold = self.bold or any(r.bold for r in self.parts)  # measured bold: never too short
        return self.before + len(fit.wrap(self.text, self.size, width, bold)) * \
            fit.line_height(self.size)


def paras_height(paras: list[Para], width: float) -> float:
    """The height a text box ``width`` inches wide needs for ``paras``."""
    return sum(p.height(width) for p in paras) + 2 * layout()["inset"]


def text(slide, theme: Theme, left: float, top: float, width: float, paras: list[Para], *,
         height: float | None = None, fill: str | None = None, anchor: str = "top",
         name: str | None = None) -> float:
    """A text box at ``left, top`` (inches) with ``paras``; returns its height. ``height``
    may give more room than the text needs (never less)."""
    need = paras_height(paras, width)
    h = max(need, height or 0.0)
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(h))
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    inset = Inches(layout()["inset"])
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = inset
    frame.vertical_anchor = ANCHOR[anchor]
    fill_paragraphs(frame, theme, paras)
    if fill:
        box.fill.solid()
        box.fill.fore_color.rgb = rgb(fill)
    return h


def fill_paragraphs(frame, theme: Theme, paras: list[Para]) -> None:
    for i, p in enumerate(paras):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = ALIGN[p.align]
        para.line_spacing = Pt(p.size * layout()["line_spacing"])
        para.space_before = Pt(p.before * fit.POINTS)
        para.space_after = Pt(0)
        for r in p.parts:
            run = para.add_run()
            run.text = r.text
            style_font(run.font, theme, p.size, r.bold or p.bold, r.colour or p.colour or theme.ink)


def style_font(font, theme: Theme, size: float, bold: bool = False, colour: str | None = None):
    font.name = theme.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = rgb(colour or theme.ink)


def rect(slide, left: float, top: float, width: float, height: float, colour: str, *,
         shape=MSO_SHAPE.RECTANGLE, line: str | None = None, dash: bool = False):
    """A filled shape without text (a band, a stripe, a card's background)."""
    box = slide.shapes.add_shape(shape, Inches(left), Inches(top), Inches(width), Inches(height))
    box.fill.solid()
    box.fill.fore_color.rgb = rgb(colour)
    if line:
        box.line.color.rgb = rgb(line)
        box.line.width = Pt(0.75)
    else:
        box.line.fill.background()
    # the shape's theme style would add a shadow in some programs: its look is all explicit
    style = box._element.find(qn("p:style"))
    if style is not None:
        box._element.remove(style)
    return box


def line(slide, x0: float, y0: float, x1: float, y1: float, colour: str, width_pt: float,
         dash: bool = False):
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.enum.shapes import MSO_CONNECTOR

    connector = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Inches(x0), Inches(y0),
                                           Inches(x1), Inches(y1))
    connector.line.color.rgb = rgb(colour)
    connector.line.width = Pt(width_pt)
    if dash:
        connector.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    style = connector._element.find(qn("p:style"))
    if style is not None:
        connector._element.remove(style)
    return connector


def legend(slide, theme: Theme, x: float, y: float, items: list[tuple], size: float) -> float:
    """A row of keys: ``(label, colour)`` draws a square, ``(label, colour, width_pt, dash)``
    a line. Returns the row's height."""
    h = fit.line_height(size) + 2 * layout()["inset"]
    for item in items:
        label, colour = item[0], item[1]
        if len(item) > 2:
            line(slide, x, y + h / 2, x + 0.5, y + h / 2, colour, item[2], dash=item[3])
            key = 0.55
        else:
            rect(slide, x, y + h / 2 - 0.07, 0.14, 0.14, colour)
            key = 0.2
        label_w = fit.width(label, size) / fit.SAFETY + 2 * layout()["inset"] + 0.05
        text(slide, theme, x + key, y, label_w, [Para(label, size, colour=theme.muted)])
        x += key + label_w + 0.3
    return h


# ---------------------------------------------------------------- tables

@dataclass
class Cell:
    text: str
    bold: bool = False
    colour: str | None = None
    fill: str | None = None
    align: str = "left"
    size: float | None = None       # the table's size where not given
    vertical: bool = False          # set bottom to top (a narrow column's heading)


@dataclass
class Span:
    """A row of one cell across the whole table (a group's heading: a roadmap quarter)."""

    cell: Cell


def _cell(value) -> Cell:
    return value if isinstance(value, Cell) else Cell(str(value))


def _header(values: list, theme: Theme | None = None) -> list[Cell]:
    return [v if isinstance(v, Cell) else Cell(str(v), bold=True,
                                               colour=theme.muted if theme else None)
            for v in values]


def _cell_height(c: Cell, width: float, size: float) -> float:
    t = layout()["table"]
    size = c.size or size
    if c.vertical:
        return fit.width(c.text, size, c.bold) / fit.SAFETY + 2 * t["cell_margin"]
    room = width - 2 * t["cell_margin"] + 2 * layout()["inset"]
    return len(fit.wrap(c.text, size, room, c.bold)) * fit.line_height(size)


def column_widths(total: float, shares: list[float], rows: list, size: float,
                  header: list | None = None) -> list[float]:
    """``total`` inches shared in proportion to ``shares``, each column widened to its
    longest word where it has to be (so no word is broken in the middle, as "Формализованн-
    ый" would be), the room taken from the columns with some to spare."""
    t = layout()["table"]
    every = ([_header(header)] if header else []) + [list(map(_cell, r)) for r in rows
                                                      if not isinstance(r, Span)]
    need = [0.0] * len(shares)
    for cells in every:
        for j, c in enumerate(cells):
            if c.vertical or not c.text.strip():
                continue
            longest = max(fit.width(w, c.size or size, c.bold) for w in c.text.split())
            need[j] = max(need[j], longest / fit.SAFETY + 2 * t["cell_margin"])
    base = [total * share / sum(shares) for share in shares]
    short = sum(max(0.0, n - b) for n, b in zip(need, base, strict=True))
    spare = [max(0.0, b - n) for n, b in zip(need, base, strict=True)]
    if short == 0:
        return base
    if short > sum(spare):  # not every word fits: widths in proportion to what they need
        return [total * n / sum(need) for n in need]
    return [max(b, n) - s * short / sum(spare) for b, n, s in zip(base, need, spare, strict=True)]


def row_height(cells, widths: list[float], size: float) -> float:
    """The height of a table row (a list of cells, or a ``Span``) whose cells wrap in their
    columns."""
    t = layout()["table"]
    if isinstance(cells, Span):
        need = _cell_height(cells.cell, sum(widths), size)
    else:
        need = max(_cell_height(c, w, size) for c, w in zip(map(_cell, cells), widths, strict=True))
    # a rendered row is a little taller than its lines and margins
    return need + 2 * t["cell_margin_y"] + t["row_extra"]


def pages(rows: list, widths: list[float], size: float, room: float,
          header: list | None = None) -> list[list]:
    """``rows`` split into the runs that fit ``room`` inches below the header. A ``Span``
    never ends a run, and a run that starts inside a group repeats the group's ``Span``."""
    head = row_height(_header(header), widths, size) if header else 0.0
    out, page, used, group = [], [], head, None
    for row in rows:
        h = row_height(row, widths, size)
        if page and used + h > room:
            if isinstance(page[-1], Span):
                carried = [page.pop()]
            else:
                carried = [group] if group is not None and not isinstance(row, Span) else []
            out.append(page)
            page, used = carried, head + sum(row_height(r, widths, size) for r in carried)
        if isinstance(row, Span):
            group = row
        page.append(row)
        used += h
    out.append(page)
    return [p for p in out if p]


def table(slide, theme: Theme, left: float, top: float, widths: list[float], rows: list,
          size: float, *, header: list | None = None, name: str | None = None,
          row_min: float = 0.0) -> float:
    """A native table; cells are texts or ``Cell``s, a row may be a ``Span``; body rows are
    at least ``row_min`` inches high. Returns its height."""
    t = layout()["table"]
    head = _header(header, theme) if header else None
    every = ([head] if head else []) + [r if isinstance(r, Span) else list(map(_cell, r))
                                        for r in rows]
    heights = [row_height(r, widths, size) for r in every]
    heights = [h if head and i == 0 else max(h, row_min) for i, h in enumerate(heights)]
    frame = slide.shapes.add_table(len(every), len(widths), Inches(left), Inches(top),
                                   Inches(sum(widths)), Inches(sum(heights)))
    if name:
        frame.name = name
    grid = frame.table
    grid.first_row = bool(head)
    grid.horz_banding = False
    for j, w in enumerate(widths):
        grid.columns[j].width = Inches(w)
    for i, (cells, h) in enumerate(zip(every, heights, strict=True)):
        grid.rows[i].height = Inches(h)
        span = isinstance(cells, Span)
        for j, c in enumerate([cells.cell] + [Cell("")] * (len(widths) - 1) if span else cells):
            cell = grid.cell(i, j)
            cell.margin_left = cell.margin_right = Inches(t["cell_margin"])
            cell.margin_top = cell.margin_bottom = Inches(t["cell_margin_y"])
            cell.vertical_anchor = MSO_ANCHOR.BOTTOM if c.vertical else MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(c.fill or (getattr(theme, t["header_fill"])
                                                      if head and i == 0 else theme.paper))
            if c.text:
                _write(cell, theme, c, size)
        if span and len(widths) > 1:
            grid.cell(i, 0).merge(grid.cell(i, len(widths) - 1))
    return sum(heights)


def _write(cell, theme: Theme, c: Cell, size: float) -> None:
    frame = cell.text_frame
    frame.word_wrap = True
    if c.vertical:
        cell._tc.get_or_add_tcPr().set("vert", "vert270")
    size = c.size or size
    for k, text in enumerate(c.text.split("\n")):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        para.alignment = ALIGN[c.align]
        para.line_spacing = Pt(size * layout()["line_spacing"])
        run = para.add_run()
        run.text = text
        style_font(run.font, theme, size, c.bold, c.colour)
