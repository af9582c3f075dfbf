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
_FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="12"'


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (f'<svg role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" {_FONT}>'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
            + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {extra}>'
            f"{escape(str(text))}</text>")


# the words a chart's text alternative needs; the portfolio passes its language's
ENGLISH = {"no_clients": "no clients", "no_scores": "no scores",
           "level_count": lambda level, count: f"level {level}: {count}",
           "number": lambda value: f"{value:.1f}"}


def bar_chart(title: str, items: list[tuple[str, int]], width: int = 560,
              words: dict = ENGLISH) -> str:
    """Horizontal bars, one per (label, count)."""
    label_w, row_h, top = 200, 28, 8
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
    label_w, row_h, top = 150, 30, 8
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
    legend_y = top + len(rows) * row_h + 6
    for level, name in enumerate(level_names):
        lx = label_w + level * (plot_w / max(len(level_names), 1))
        body.append(f'<rect x="{lx:.1f}" y="{legend_y}" width="12" height="12" '
                    f'fill="{LEVEL_COLOURS[level]}"/>')
        body.append(_text(lx + 16, legend_y + 11, f"{level + 1} {name}"))
    desc = "; ".join(
        f"{label}: " + ", ".join(words["level_count"](lv + 1, n) for lv, n in enumerate(counts))
        for label, counts in rows)
    return _svg(width, legend_y + 22, title, desc, body)


def distribution(title: str, rows: list[tuple[str, list[float], dict[str, float]]],
                 width: int = 560, words: dict = ENGLISH) -> str:
    """Per dimension: every client's score as a dot on 0–100, a box from P25 to P75,
    the median as a line and whiskers from P10 to P90."""
    label_w, row_h, top = 150, 40, 8
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
