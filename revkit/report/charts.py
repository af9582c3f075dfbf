"""The report's charts, drawn with seaborn and matplotlib from the view model's chart data.

Each drawing function takes a ``blocks.Chart`` (values and labels already in
the report's language, see ``revkit.report.charts_data``) and returns a
matplotlib ``Figure``; ``png`` turns a figure into bytes (fixed size and dpi,
no timestamp or software metadata, so the same results give the same bytes).
Sizes fit the A4 text width, so 9 pt in the figure is 9 pt on paper.
"""

from __future__ import annotations

import io
import re
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display; also what makes the output reproducible

import matplotlib.patches as mpatches  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from revkit.report.blocks import Chart  # noqa: E402
from revkit.report.model import style  # noqa: E402

WIDTH = 6.7  # inches: the A4 text width (170 mm), so 9 pt in the figure is 9 pt on paper
DPI = 200
PNG_LEVEL = 1  # zlib level of the charts' PNGs: 1 costs a third of the time of 6, for 5 % more bytes
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "revkit",
    "path.simplify": True,
    "text.parse_math": False,  # a "$" in a name is a dollar sign, not TeX
}


MAX_HEIGHT = 8.6  # inches: a chart always fits on one A4 page below its heading


def draw(chart: Chart) -> Figure:
    """The figure of a chart block."""
    with matplotlib.rc_context(STYLE):
        return DRAWERS[chart.chart](chart.data)


def png(fig: Figure) -> bytes:
    """A figure as PNG bytes that depend only on what it shows: opaque RGB on white (no
    alpha channel for the PDF to mask), at the lightest zlib level (the PDF compresses the
    page again), with no software or time metadata."""
    fig.patch.set_facecolor("white")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="PNG", compress_level=PNG_LEVEL,
                              dpi=(DPI, DPI))
    return buf.getvalue()


# Cyrillic letters are wider than Latin ones in the report's fonts: a text with them gets
# fewer characters per line (a Latin text keeps its width, so English charts stay as they were)
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _chars(width: int, text: str, ratio: float = 0.7) -> int:
    """How many characters of ``text`` fit where ``width`` Latin characters do."""
    return round(width * ratio) if _CYRILLIC.search(text) else width


def _figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH, min(height, MAX_HEIGHT)), dpi=DPI, layout="constrained")


def _row_font(rows: int, per_row: float, extra: float, size: float) -> float:
    """A label size that still fits when ``rows`` rows are squeezed into ``MAX_HEIGHT``."""
    natural = per_row * rows + extra
    if natural <= MAX_HEIGHT:
        return size
    return max(7.0, size * (MAX_HEIGHT - extra) / (per_row * rows))


def _status_style(status: str) -> dict:
    return style()["status"].get(status) or style()["status"]["not_applicable"]


def _status_legend(ax, legend, **kwargs) -> None:
    handles = [mpatches.Patch(facecolor=_status_style(s)["colour"], hatch=_status_style(s)["hatch"],
                              edgecolor="white", label=label)
               for s, label in legend]
    ax.legend(handles=handles, frameon=False, **kwargs)


# ---------------------------------------------------------------- charts

def score_bullets(d: dict) -> Figure:
    """Each score as a bar over its kit reference band, with the five level bands behind."""
    names, values = d["names"], d["values"]
    colour = style()["client_colour"]
    fig = _figure(0.42 * len(names) + 0.9)
    ax = fig.add_subplot()
    y = np.arange(len(names))
    for i in range(5):  # the levels, alternately shaded, named along the top
        ax.axvspan(i * 20, (i + 1) * 20, color="#f3f6f9" if i % 2 else "#ffffff", zorder=0)
        # a long name (Russian "Формализованный") goes under its number, smaller where it
        # would still be wider than its band
        label = textwrap.fill(f"{i + 1} {d['levels'][i]}", 13, break_long_words=False)
        longest = max(len(line) for line in label.splitlines())
        ax.text(i * 20 + 10, -0.75, label, ha="center", va="bottom",
                fontsize=7.5 * min(1.0, 13 / longest), color="#5b6573")
    for yi, band in zip(y, d["bands"], strict=True):
        if band:
            ax.barh(yi, band[1] - band[0], left=band[0], height=0.7,
                    color=style()["benchmark_colour"], alpha=0.35, zorder=1,
                    label=d["legend"][0] if yi == 0 else None)
    ax.barh(y, values, height=0.32, color=colour, zorder=2, label=d["legend"][1])
    for yi, v, label in zip(y, values, d["labels"], strict=True):
        ax.text(v + 1.2, yi, label, va="center", fontsize=9, fontweight="bold", color=colour,
                zorder=3)
    ax.set_yticks(y, names)
    ax.set_ylim(len(names) - 0.5, -0.9)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel(d["axis"])
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(loc="outside lower center", ncol=2, frameon=False)
    return fig


def silo_map(d: dict) -> Figure:
    """Team × team connection strength."""
    names = d["names"]
    shown = np.array([[np.nan if v is None else v for v in row] for row in d["matrix"]],
                     dtype=float)
    fig = _figure(0.34 * len(names) + 0.9)
    ax = fig.add_subplot()
    sns.heatmap(shown, ax=ax, cmap=style()["heatmap"], vmin=0, vmax=100, annot=True,
                fmt=".0f", square=False, linewidths=1, linecolor="white",
                mask=np.isnan(shown), xticklabels=names, yticklabels=names,
                cbar_kws={"label": d["colorbar"], "shrink": 0.8})
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    return fig


def metric_coverage(d: dict) -> Figure:
    """One metric set's metrics × quality attributes."""
    rows, columns = d["rows"], d["columns"]
    fig = _figure(0.165 * len(rows) + 0.75)
    ax = fig.add_subplot()
    size = _row_font(len(rows), 0.165, 0.75, 7.0)
    sns.heatmap(np.array(d["values"]), ax=ax, cmap=style()["heatmap"], vmin=0, vmax=1,
                annot=np.array(d["notes"]), fmt="", cbar=False, linewidths=0.8,
                linecolor="white", xticklabels=columns, yticklabels=rows,
                annot_kws={"fontsize": size})
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", rotation=0, length=0, labelsize=7.5)
    ax.tick_params(axis="y", length=0, labelsize=size)
    ax.set_title(d["title"], loc="left", fontweight="bold", fontsize=9, pad=24)
    return fig


def handoff_chain(d: dict) -> Figure:
    """The handoffs along the customer lifecycle, each with its status."""
    boxes = d["boxes"]
    n, per_row = len(boxes), 3
    rows = (n + per_row - 1) // per_row
    fig = Figure(figsize=(WIDTH, min(0.9 * rows + 0.5, MAX_HEIGHT)), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, per_row * 10)
    ax.set_ylim(-rows * 10 - 4, 1)
    ax.axis("off")
    for i, box in enumerate(boxes):
        row, col = divmod(i, per_row)
        if row % 2:  # snake, so the chain reads as one path
            col = per_row - 1 - col
        x, y = col * 10 + 0.4, -row * 10 - 8.5
        look = _status_style(box["status"])
        ax.add_patch(mpatches.FancyBboxPatch(
            (x, y), 8.6, 7.6, boxstyle="round,pad=0,rounding_size=0.8",
            facecolor=look["colour"], edgecolor="black", linewidth=0.6,
            hatch=look["hatch"], alpha=0.9))
        ax.add_patch(mpatches.Rectangle((x + 0.5, y + 0.6), 7.6, 6.4, facecolor="white",
                                        edgecolor="none", alpha=0.92))
        title = textwrap.fill(box["title"], _chars(28, box["title"]))
        teams = f"{textwrap.fill(box['teams'], _chars(30, box['teams']))}\n{box['status_label']}"
        # five lines do not fit the box at the usual size: smaller, and further apart
        crowded = title.count("\n") + teams.count("\n") + 2 > 4
        ax.text(x + 4.3, y + (5.6 if crowded else 5.3), title, ha="center", va="center",
                fontsize=6.4 if crowded else 7.4, fontweight="bold")
        ax.text(x + 4.3, y + (2.2 if crowded else 2.4), teams, ha="center", va="center",
                fontsize=6.3 if crowded else 7.2)
        if i + 1 < n:
            nrow, ncol = divmod(i + 1, per_row)
            if nrow % 2:
                ncol = per_row - 1 - ncol
            if nrow == row:
                x0, x1 = (x + 8.6, ncol * 10 + 0.4) if ncol > col else (x, ncol * 10 + 9.0)
                ax.annotate("", (x1, y + 3.8), (x0, y + 3.8),
                            arrowprops={"arrowstyle": "-|>", "color": "#333333"})
            else:
                ax.annotate("", (x + 4.3, y - 1.9), (x + 4.3, y),
                            arrowprops={"arrowstyle": "-|>", "color": "#333333"})
    _status_legend(ax, d["legend"], loc="lower center", ncol=4, bbox_to_anchor=(0.5, 0.0))
    return fig


def factors(d: dict) -> Figure:
    """Each recommendation factor's signed contribution."""
    values = d["values"]
    colours = style()["factor_group_colours"]
    fig = _figure(0.24 * len(values) + 1.0)
    ax = fig.add_subplot()
    y = np.arange(len(values))
    ax.barh(y, values, color=[colours[g] for g in d["groups"]])
    ax.set_yticks(y, d["names"])
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    # one scale for every client, so a small factor never looks dominant
    low, high = style()["factor_axis"]
    span = high - low
    ax.set_xlim(low, high)
    for yi, v, label in zip(y, values, d["labels"], strict=True):
        ax.text(v + (span * 0.01 if v >= 0 else -span * 0.01), yi, label,
                va="center", ha="left" if v >= 0 else "right", fontsize=8)
    ax.set_xlabel(d["axis"])
    fig.legend(handles=[mpatches.Patch(color=colours[g], label=label) for g, label in d["legend"]],
               frameon=False, loc="outside lower center", ncol=len(d["legend"]))
    return fig


def profile(d: dict) -> Figure:
    """The SalesOps functions and RevOps benefits, each in place / partial / missing."""
    panels = d["panels"]
    fig = _figure(0.22 * sum(len(p["items"]) for p in panels) + 1.3)
    axes = fig.subplots(2, 1, height_ratios=[max(len(p["items"]), 1) for p in panels],
                        sharex=True)
    for ax, panel in zip(axes, panels, strict=True):
        y = np.arange(len(panel["items"]))
        for yi, item in zip(y, panel["items"], strict=True):
            look = _status_style(item["status"])
            ax.barh(yi, item["score"], color=look["colour"], hatch=look["hatch"],
                    edgecolor="white")
            ax.text(item["score"] + 1.5, yi, item["label"], va="center", fontsize=8)
        ax.set_yticks(y, [i["name"] for i in panel["items"]])
        ax.invert_yaxis()
        ax.set_xlim(0, 118)
        ax.set_title(panel["title"], loc="left", fontweight="bold")
    axes[-1].set_xlabel(d["axis"])
    axes[-1].set_xticks([0, 20, 40, 60, 80, 100])
    _status_legend(fig, d["legend"], loc="outside lower center", ncol=3)
    return fig


def systems_map(d: dict) -> Figure:
    """Teams on the left, systems on the right: who owns and uses each tool, which tools are
    integrated with each other, and what each is the source of truth for."""
    teams, systems = d["teams"], d["systems"]
    n = max(len(teams), len(systems))
    fig = Figure(figsize=(WIDTH, min(0.3 * n + 0.7, MAX_HEIGHT)), dpi=DPI)
    ax = fig.add_axes((0, 0.08, 1, 0.92))
    ax.set_xlim(-0.6, 10)
    ax.set_ylim(n - 0.4, -0.6)
    ax.axis("off")
    ty = {t: i * (n - 1) / max(len(teams) - 1, 1) for i, t in enumerate(teams)}
    sy = {s["name"]: i * (n - 1) / max(len(systems) - 1, 1) for i, s in enumerate(systems)}
    colours = style()["impact_colours"]
    for team, name in zip(teams, d["team_names"], strict=True):
        ax.text(1.55, ty[team], textwrap.fill(name, 14), ha="right", va="center", fontsize=8.5,
                fontweight="bold")
    for s in systems:
        y = sy[s["name"]]
        box = "#fff4e0" if s["is_sheet"] else "#eef4fa"
        ax.text(6.2, y, s["name"], ha="left", va="center", fontsize=8,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": box, "edgecolor": "#5b6573",
                      "linewidth": 0.5})
        detail = s["category"] + (f" · {d['truth_label']} {s['truth']}" if s["truth"] else "")
        ax.text(6.2, y + 0.36, textwrap.shorten(detail, _chars(62, detail, 0.75), placeholder="…"), ha="left",
                va="center", fontsize=7, color="#5b6573")
        if s["owner"] in ty:
            ax.plot([1.7, 6.1], [ty[s["owner"]], y], color=colours["high"], linewidth=1.6,
                    zorder=2)
        for user in s["users"]:
            if user in ty:
                ax.plot([1.7, 6.1], [ty[user], y], color=colours["medium"], linewidth=0.8,
                        linestyle=(0, (3, 2)), zorder=1)
    done = set()
    for s in systems:
        for other in s["integrated"]:
            pair = tuple(sorted((s["name"], other)))
            if other in sy and pair not in done:
                done.add(pair)
                y0, y1 = sy[pair[0]], sy[pair[1]]
                ax.annotate("", (6.05, y1), (6.05, y0), arrowprops={
                    "arrowstyle": "-", "color": "#009E73", "linewidth": 1.1,
                    "connectionstyle": f"arc3,rad={0.35 if y1 > y0 else -0.35}"})
    handles = [mpatches.Patch(color=colours["high"], label=d["legend"][0]),
               mpatches.Patch(color=colours["medium"], label=d["legend"][1]),
               mpatches.Patch(color="#009E73", label=d["legend"][2])]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    return fig


def survey_by_team(d: dict) -> Figure:
    """Survey score per team and dimension (0–100), only for teams with enough respondents."""
    series = d["series"]
    palette = sns.color_palette("colorblind", len(series))
    fig = _figure(2.4)
    ax = fig.add_subplot()
    width = 0.8 / len(series)
    x = np.arange(len(d["teams"]))
    for i, s in enumerate(series):
        pos = x - 0.4 + width * (i + 0.5)
        bars = ax.bar(pos, [v or 0 for v in s["values"]], width, color=palette[i], label=s["name"])
        for bar, v, label in zip(bars, s["values"], s["labels"], strict=True):
            ax.text(bar.get_x() + bar.get_width() / 2, (v or 0) + 1.5, label, ha="center",
                    va="bottom", fontsize=7)
    ax.set_xticks(x, d["teams"])
    ax.set_ylim(0, 110)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.set_ylabel(d["axis"])
    ax.legend(ncol=len(series), frameon=False, loc="upper center", bbox_to_anchor=(0.5, 1.12))
    return fig


DRAWERS = {"score_bullets": score_bullets, "silo_map": silo_map,
           "systems_map": systems_map, "metric_coverage": metric_coverage,
           "handoff_chain": handoff_chain, "factors": factors, "profile": profile,
           "survey_by_team": survey_by_team}
