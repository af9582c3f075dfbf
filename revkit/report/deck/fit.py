"""How much room a text takes on a slide: its lines at a size and width, and their height.

Text boxes are sized from their content rather than left to grow, so nothing overflows
its box and a list that does not fit continues on another slide. Widths are measured
with DejaVu Sans (shipped with matplotlib): the report's own family and a wide one, so
a narrower font that replaces it (a brand's, or a fallback) needs no more lines.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from revkit.report.deck.theme import layout

# a renderer's line breaks differ a little from a measurement: keep a margin
SAFETY = 0.97
POINTS = 72.0


@cache
def _font(bold: bool):
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    # measured at 100 px: widths scale linearly with the size
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), 100)


def width(text: str, size: float, bold: bool = False) -> float:
    """The width in inches of one line of ``text`` at ``size`` points."""
    return _font(bold).getlength(text) / 100 * size / POINTS


def wrap(text: str, size: float, box_width: float, bold: bool = False) -> list[str]:
    """``text`` broken into the lines a box ``box_width`` inches wide shows (its inner
    margins taken off); each ``\\n`` starts a new line."""
    room = (box_width - 2 * layout()["inset"]) * SAFETY
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if width(candidate, size, bold) <= room or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
            while width(line, size, bold) > room and len(line) > 1:  # a word wider than the box
                cut = _longest_prefix(line, size, bold, room)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def _longest_prefix(text: str, size: float, bold: bool, room: float) -> int:
    cut = len(text) - 1
    while cut > 1 and width(text[:cut], size, bold) > room:
        cut -= 1
    return cut


def line_height(size: float) -> float:
    """The height in inches of one line at ``size`` points (the deck's line spacing)."""
    return size * layout()["line_spacing"] / POINTS


def height(text: str, size: float, box_width: float, bold: bool = False) -> float:
    """The height in inches a box ``box_width`` wide needs for ``text`` (with its margins)."""
    return len(wrap(text, size, box_width, bold)) * line_height(size) + 2 * layout()["inset"]


def fits(text: str, size: float, box_width: float, lines: int = 1, bold: bool = False) -> bool:
    return len(wrap(text, size, box_width, bold)) <= lines
