"""Portfolio charts as inline SVG: no image files, no scripts, no external URL.

Pure standard library, so a batch can rebuild the portfolio without loading
matplotlib. Every chart carries a <title>/<desc> text alternative and every
label is escaped. Colours are the Okabe-Ito colour-blind-safe palette.
"""

from __future__ import annotations

from html import escape

# Okabe & Ito (2008), distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
# Levels 1 (Ad hoc) .. 5 (Optimized): Okabe-Ito hues from vermillion to blue, in order.
LEVEL_COLOURS = ("#d55e00", "#e69f00", "#f0e442", "#56b4e9", "#0072b2")
FONT_SIZE = 12
_FONT = f'font-family="Helvetica, Arial, sans-serif" font-size="{FONT_SIZE}"'
# Widths of characters in em, generous enough for DejaVu Sans, the widest of the fonts a
# reader's "Helvetica, Arial, sans-serif" falls back to (Helvetica and Arial are narrower):
# without font metrics, a label's room is computed from its text with these.
_EM = {"narrow": 0.36, "wide": 0.95, "upper": 0.74, "other": 0.64}
_NARROW_CHARS = frozenset(" .,:;'!|()[]-–/ijlrtfI«»")
_WIDE_CHARS = frozenset("MWmwЖМШЩЮжмшщю—")
SWATCH, LEGEND_GAP, LEGEND_LINE = 12, 12, 18


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (f'<svg role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" {_FONT}>'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
            + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {extra}>'
            f"{escape(str(text))}</text>")


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An upper estimate of the width of ``text`` in pixels at ``size``."""
    def em(c: str) -> float:
        if c in _NARROW_CHARS:
            return _EM["narrow"]
        if c in _WIDE_CHARS:
            return _EM["wide"]
        return _EM["upper"] if c.isupper() else _EM["other"]

    return size * sum(em(c) for c in str(text))


def _label_width(labels, least: float, width: int) -> float:
    """Room for the longest label right-aligned before the plot (at most half the chart)."""
    return min(max([least] + [text_width(label) + 14 for label in labels]), width / 2)


def _legend(items: list[tuple[str, str]], x0: float, y0: float,
            width: int) -> tuple[list[str], float]:
    """Swatches and their labels in a row under the plot (from ``x0``), or from the chart's
    left edge where that keeps them on one line, else wrapped at the chart's right edge;
    the SVG and the bottom of the legend."""
    rooms = [SWATCH + 4 + text_width(label) for _, label in items]
    one_line = sum(rooms) + LEGEND_GAP * (len(rooms) - 1)
    if x0 + one_line > width - 4 and 8 + one_line <= width - 4:
        x0 = 8
    body, x, y = [], x0, y0
    for (colour, label), room in zip(items, rooms, strict=True):
        if x > x0 and x + room > width - 4:
            x, y = x0, y + LEGEND_LINE
        body.append(f'<rect x="{x:.1f}" y="{y}" width="{SWATCH}" height="{SWATCH}" '
                    f'fill="{colour}"/>')
        body.append(_text(x + SWATCH + 4, y + 11, label))
        x += room + LEGEND_GAP
    return body, y + LEGEND_LINE


# the words a chart's text alternative needs; the portfolio passes its language's
ENGLISH = {"no_clients": "no clients", "no_scores": "no scores",
           "level_count": lambda level, count: f"level {level}: {count}",
           "number": lambda value: f"{value:.1f}"}


def bar_chart(title: str, items: list[tuple[str, int]], width: int = 560,
              words: dict = ENGLISH) -> str:
    """Horizontal bars, one per (label, count)."""
    row_h, top = 28, 8
    label_w = _label_width([label for label, _ in items], 200, width)
    peak = max([n for _, n in items] + [1])
    scale = (width - label_w - 50) / peak
    body = []
    for i, (label, n) in enumerate(items):
        y = top + i * row_h
        body.append(_text(label_w - 8, y + 17, label, "end"))
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{max(n * scale, 1):.1f}" '
                    f'height="{row_h - 10}" fill="{PALETTE[i % len(PALETTE)]}"/>')
        body.append(_text(label_w + n * scale + 6, y + 17, str(n)))
    desc = "; ".join(f"{label}: {n}" for label, n in items) or words["no_clients"]
    return _svg(width, top * 2 + row_h * max(len(items), 1), title, desc, body)


def stacked_levels(title: str, rows: list[tuple[str, list[int]]], level_names: list[str],
                   width: int = 560, words: dict = ENGLISH) -> str:
    """One horizontal bar per dimension, split by the count of clients at each level."""
    row_h, top = 30, 8
    label_w = _label_width([label for label, _ in rows], 150, width)
    plot_w = width - label_w - 20
    body = []
    for i, (label, counts) in enumerate(rows):
        y = top + i * row_h
        total = sum(counts) or 1
        body.append(_text(label_w - 8, y + 19, label, "end"))
        x = float(label_w)
        for level, n in enumerate(counts):
            if not n:
                continue
            w = n / total * plot_w
            body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
                        f'fill="{LEVEL_COLOURS[level]}" stroke="#fff"/>')
            colour = "#fff" if level in (0, 4) else "#000"
            body.append(_text(x + w / 2, y + 19, str(n), "middle", f'fill="{colour}"'))
            x += w
    legend, bottom = _legend([(LEVEL_COLOURS[level], f"{level + 1} {name}")
                              for level, name in enumerate(level_names)],
                             label_w, top + len(rows) * row_h + 6, width)
    body += legend
    desc = "; ".join(
        f"{label}: " + ", ".join(words["level_count"](lv + 1, n) for lv, n in enumerate(counts))
        for label, counts in rows)
    return _svg(width, bottom + 4, title, desc, body)


def distribution(title: str, rows: list[tuple[str, list[float], dict[str, float]]],
                 width: int = 560, words: dict = ENGLISH) -> str:
    """Per dimension: every client's score as a dot on 0–100, a box from P25 to P75,
    the median as a line and whiskers from P10 to P90."""
    row_h, top = 40, 8
    label_w = _label_width([label for label, _, _ in rows], 150, width)
    plot_w = width - label_w - 20

    def sx(v: float) -> float:
        return label_w + max(0.0, min(100.0, v)) / 100 * plot_w

    body = []
    for tick in range(0, 101, 20):
        x = sx(tick)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" '
                    f'y2="{top + len(rows) * row_h}" stroke="#ddd"/>')
        body.append(_text(x, top + len(rows) * row_h + 14, str(tick), "middle"))
    for i, (label, values, pct) in enumerate(rows):
        mid = top + i * row_h + row_h / 2
        body.append(_text(label_w - 8, mid + 4, label, "end"))
        if not values:
            continue
        body.append(f'<line x1="{sx(pct["p10"]):.1f}" y1="{mid}" x2="{sx(pct["p90"]):.1f}" '
                    f'y2="{mid}" stroke="#555"/>')
        body.append(f'<rect x="{sx(pct["p25"]):.1f}" y="{mid - 10}" '
                    f'width="{max(sx(pct["p75"]) - sx(pct["p25"]), 1):.1f}" height="20" '
                    f'fill="{PALETTE[4]}" fill-opacity="0.45" stroke="{PALETTE[0]}"/>')
        body.append(f'<line x1="{sx(pct["p50"]):.1f}" y1="{mid - 12}" x2="{sx(pct["p50"]):.1f}" '
                    f'y2="{mid + 12}" stroke="{PALETTE[0]}" stroke-width="3"/>')
        for j, v in enumerate(sorted(values)):
            # A fixed vertical offset per rank keeps tied scores visible and the chart deterministic.
            dy = ((j % 5) - 2) * 3
            body.append(f'<circle cx="{sx(v):.1f}" cy="{mid + dy}" r="3" fill="{PALETTE[5]}" '
                        f'fill-opacity="0.8"/>')
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{k.upper()} {words['number'](v)}" for k, v in pct.items())
        for label, values, pct in rows if values) or words["no_scores"]
    return _svg(width, top + len(rows) * row_h + 24, title, desc, body)
