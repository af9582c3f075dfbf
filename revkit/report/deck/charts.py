"""Native, editable PowerPoint charts: the values are the results' own numbers.

Each chart stores the raw values of ``results.json`` in its data (and its embedded
workbook, so "Edit data" shows them); the labels beside the bars are the report's
texts (``m.score``, ``m.percent`` …), written as the points' data labels. A chart's
shape is named ``revkit:<id>`` so a test or a script can find it.

The scorecard is a bar chart and a line chart on one plot: the kit reference band is
a bar from 0 to its top with a paper-coloured bar from 0 to its bottom drawn over it
(so the band's two edges are the results' two numbers), and the score is a line
series drawn only as a wide mark. PowerPoint has no chart type for a band with a
narrower bar inside it that every program renders alike; this one does.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
from pptx.oxml.ns import qn
from pptx.util import Inches

from revkit.report.deck.draw import rgb, style_font
from revkit.report.deck.theme import Theme, layout

NAME_PREFIX = "revkit:"


class _TextWorkbook(CategoryWorkbookWriter):
    """The chart's embedded workbook with every label written as text: XlsxWriter would
    write a label such as ``=HYPERLINK(...)`` (a system or a source name) as a formula
    and a web address as a link."""

    @property
    def xlsx_blob(self):
        from xlsxwriter import Workbook

        buffer = io.BytesIO()
        book = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                 "strings_to_urls": False})
        self._populate_worksheet(book, book.add_worksheet())
        book.close()
        return buffer.getvalue()


class _ChartData(CategoryChartData):
    @property
    def _workbook_writer(self):
        return _TextWorkbook(self)


@dataclass
class Series:
    name: str
    values: list                       # raw numbers (None: no value)
    labels: list[str] | None = None    # the text shown beside each point
    colour: str | None = None
    colours: list[str] | None = None   # one per point, where points differ


@dataclass
class Bars:
    """A bar chart: categories, series and how it is drawn."""

    id: str
    categories: list[str]
    series: list[Series]
    horizontal: bool = True
    scale: tuple[float, float] = (0, 100)
    unit: float = 20
    gap: int = 60
    legend: bool = False
    axis_labels: bool = True       # False: the labels beside the bars say it all
    number_format: str = "0.0"
    size: float = field(default_factory=lambda: layout()["size"]["chart"])


def bars(slide, theme: Theme, box: tuple[float, float, float, float], chart: Bars):
    """Draw ``chart`` in ``box`` (left, top, width, height in inches); returns the chart.

    A horizontal chart draws its first category at the bottom: its data is stored bottom
    up (the last category first), so it reads top down in the given order."""
    if chart.horizontal:
        chart = _bottom_up(chart)
    data = _ChartData(number_format=chart.number_format)
    data.categories = chart.categories
    for s in chart.series:
        data.add_series(s.name, s.values)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(kind, *(Inches(v) for v in box), data)
    frame.name = NAME_PREFIX + chart.id
    c = frame.chart
    _frame(c, theme, chart.size, chart.legend)
    plot = c.plots[0]
    plot.gap_width = chart.gap
    plot.overlap = 0
    plot.vary_by_categories = False
    for s, ser in zip(chart.series, plot.series, strict=True):
        ser.invert_if_negative = False
        _fill(ser.format, s.colour or theme.client)
        for i, colour in enumerate(s.colours or []):
            _fill(ser.points[i].format, colour)
        if s.labels:
            _labels(ser, s.labels, theme, chart.size)
    _axes(c, theme, chart)
    if not chart.horizontal:
        _fit_category_words(c, theme, chart.categories, box[2], chart.size)
    return c


def _bottom_up(chart: Bars) -> Bars:
    def back(items):
        return None if items is None else list(reversed(items))

    return replace(chart, categories=back(chart.categories),
                   series=[replace(s, values=back(s.values), labels=back(s.labels),
                                   colours=back(s.colours)) for s in chart.series])


def bullets(slide, theme: Theme, box, chart_id: str, names: list[str], scores: list[float],
            labels: list[str], bands: list, series_names: tuple[str, str, str]):
    """Scores against their reference bands: ``bands[i]`` is ``[low, high]`` or ``None``."""
    d = layout()["scorecard"]
    data = _ChartData(number_format="0.0")
    data.categories = names
    data.add_series(series_names[0], [b[1] if b else None for b in bands])
    data.add_series(series_names[1], [b[0] if b else None for b in bands])
    data.add_series(series_names[2], scores)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, *(Inches(v) for v in box), data)
    frame.name = NAME_PREFIX + chart_id
    c = frame.chart
    size = layout()["size"]["chart"]
    _frame(c, theme, size, legend=False)
    plot = c.plots[0]
    plot.overlap = 100
    plot.gap_width = d["band_gap_width"]
    high, low, score = plot.series
    _fill(high.format, theme.band)
    _fill(low.format, theme.paper)
    _fill(score.format, theme.client)
    _as_marks(c, score, theme.client, d["score_marker"])
    _labels(score, labels, theme, size, position=XL_LABEL_POSITION.ABOVE, bold=True,
            colour=theme.client)
    _axes(c, theme, Bars(chart_id, names, [], horizontal=False))
    _fit_category_words(c, theme, names, box[2], size)
    return c


# ---------------------------------------------------------------- the pieces

def _frame(c, theme: Theme, size: float, legend: bool) -> None:
    style_font(c.font, theme, size, colour=theme.ink)
    c.has_title = False
    c.has_legend = legend
    if legend:
        from pptx.enum.chart import XL_LEGEND_POSITION

        c.legend.position = XL_LEGEND_POSITION.TOP
        c.legend.include_in_layout = False
        style_font(c.legend.font, theme, size, colour=theme.ink)


def _fill(fmt, colour: str) -> None:
    fmt.fill.solid()
    fmt.fill.fore_color.rgb = rgb(colour)
    fmt.line.fill.background()


def _labels(ser, labels: list[str], theme: Theme, size: float, *, position=None,
            bold: bool = False, colour: str | None = None) -> None:
    for i, label in enumerate(labels):
        if label is None or label == "":
            continue
        dl = ser.points[i].data_label
        dl.has_text_frame = True
        dl.text_frame.text = label
        for para in dl.text_frame.paragraphs:
            for run in para.runs:
                style_font(run.font, theme, size, bold, colour or theme.ink)
        dl.position = position or XL_LABEL_POSITION.OUTSIDE_END
        # one line: a label wrapped by the program reads as two numbers
        dl._dLbl.find(qn("c:tx")).find(qn("c:rich")).find(qn("a:bodyPr")).set("wrap", "none")


def _axes(c, theme: Theme, chart: Bars) -> None:
    cat, val = c.category_axis, c.value_axis
    val.minimum_scale, val.maximum_scale = chart.scale
    val.major_unit = chart.unit
    val.has_major_gridlines = False
    val.tick_labels.number_format = "0"
    val.tick_labels.number_format_is_linked = False
    cat.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    for axis in (cat, val):
        style_font(axis.tick_labels.font, theme, chart.size, colour=theme.ink)
        axis.format.line.color.rgb = rgb(theme.rule)
    cat.has_major_gridlines = False
    _every_label_level(cat)
    if not chart.axis_labels:
        val.visible = False


def _fit_category_words(c, theme: Theme, names: list[str], width: float, size: float) -> None:
    """A column chart's category labels set small enough that the longest word fits its
    column (a program breaks a word wider than its column in the middle)."""
    from revkit.report.deck import fit

    room = width / max(1, len(names)) * layout()["category_room"]
    longest = max(fit.width(w, size) for name in names for w in name.split())
    if longest > room:
        style_font(c.category_axis.tick_labels.font, theme, max(layout()["size"]["min"],
                                                                 size * room / longest),
                   colour=theme.ink)


def _every_label_level(cat) -> None:
    """Every category's label, horizontal (wrapped where long): a program left to itself
    turns long labels (the Russian dimension names) on their side or skips every other."""
    body = cat._element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    body.set("rot", "0")
    body.set("vert", "horz")
    skip = cat._element.find(qn("c:tickLblSkip"))
    if skip is None:
        skip = etree.Element(qn("c:tickLblSkip"))
        after = cat._element.find(qn("c:lblOffset"))
        if after is not None:
            after.addnext(skip)
        else:
            cat._element.find(qn("c:noMultiLvlLbl")).addprevious(skip)
    skip.set("val", "1")


def _as_marks(c, ser, colour: str, size: int) -> None:
    """Move ``ser`` out of the bar plot into a line plot on the same axes, drawn as marks."""
    area = c._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    bar = area.find(qn("c:barChart"))
    element = ser._element
    bar.remove(element)
    line = etree.Element(qn("c:lineChart"))
    etree.SubElement(line, qn("c:grouping")).set("val", "standard")
    etree.SubElement(line, qn("c:varyColors")).set("val", "0")
    line.append(element)
    sp = element.find(qn("c:spPr"))
    for child in list(sp):
        sp.remove(child)
    etree.SubElement(etree.SubElement(sp, qn("a:ln")), qn("a:noFill"))
    marker = etree.Element(qn("c:marker"))
    etree.SubElement(marker, qn("c:symbol")).set("val", "dash")
    etree.SubElement(marker, qn("c:size")).set("val", str(size))
    msp = etree.SubElement(marker, qn("c:spPr"))
    _solid(msp, colour)
    _solid(etree.SubElement(msp, qn("a:ln")), colour)
    sp.addnext(marker)
    for tag in ("c:invertIfNegative",):  # bar-only elements a line series must not carry
        for extra in element.findall(qn(tag)):
            element.remove(extra)
    etree.SubElement(line, qn("c:marker")).set("val", "1")
    for ax in bar.findall(qn("c:axId")):
        etree.SubElement(line, qn("c:axId")).set("val", ax.get("val"))
    bar.addnext(line)


def _solid(parent, colour: str) -> None:
    fill = etree.SubElement(parent, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", colour.lstrip("#").upper())

