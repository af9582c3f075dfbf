"""The report's charts, drawn from ``results.json`` with seaborn and matplotlib.

Each chart is a ``views.Block``: an embedded PNG (fixed size and dpi, no
timestamp or software metadata, so the same results give the same bytes)
with an alt text and a caption, readable at A4 print width.
"""

from __future__ import annotations

import base64
import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display; also what makes the output reproducible

import matplotlib.patches as mpatches  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from revkit.report import views  # noqa: E402
from revkit.report.views import Block, esc, labels, score, team_name  # noqa: E402

WIDTH = 6.7  # inches: the A4 text width (170 mm), so 9 pt in the figure is 9 pt on paper
DPI = 200
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
}


MAX_HEIGHT = 9.0  # inches: a chart always fits on one A4 page below its heading


def _figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH, min(height, MAX_HEIGHT)), dpi=DPI, layout="constrained")


def _row_font(rows: int, per_row: float, extra: float, size: float) -> float:
    """A label size that still fits when ``rows`` rows are squeezed into ``MAX_HEIGHT``."""
    natural = per_row * rows + extra
    if natural <= MAX_HEIGHT:
        return size
    return max(5.0, size * (MAX_HEIGHT - extra) / (per_row * rows))


def _block(fig: Figure, alt: str, caption: str, css: str = "") -> Block:
    buf = io.BytesIO()
    # metadata Software=None: no version string, so the bytes depend only on the data
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    markup = (f'<figure class="rk-chart {css}"><img src="data:image/png;base64,{data}" '
              f'alt="{esc(alt)}"/><figcaption>{esc(caption)}</figcaption></figure>')
    return Block(markup, f"[Chart] {caption}\n{alt}")


def _status_style(status: str) -> dict:
    return labels()["status"].get(status) or labels()["status"]["not_applicable"]


def _status_legend(ax, statuses, **kwargs) -> None:
    handles = [mpatches.Patch(facecolor=_status_style(s)["colour"], hatch=_status_style(s)["hatch"],
                              edgecolor="white", label=_status_style(s)["label"])
               for s in statuses]
    ax.legend(handles=handles, frameon=False, **kwargs)


# ---------------------------------------------------------------- charts

def radar(results: dict) -> Block:
    """The three dimensions against the benchmark band."""
    names = labels()["dimensions"]
    keys = [k for k in ("silos", "metric_coverage", "process_alignment")]
    values = [results["scores"][k] for k in keys]
    band = results.get("benchmark_band", {})
    angles = np.linspace(0, 2 * np.pi, len(keys), endpoint=False) + np.pi / 2
    closed = np.append(angles, angles[0])
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH, 2.9), dpi=DPI, layout="constrained")
        ax = fig.add_subplot(projection="polar")
        if all(band.get(k) for k in keys):
            lo = [band[k][0] for k in keys]
            hi = [band[k][1] for k in keys]
            ax.fill_between(closed, np.append(lo, lo[0]), np.append(hi, hi[0]),
                            color=labels()["benchmark_colour"], alpha=0.35, linewidth=0,
                            label="Benchmark band")
        ax.plot(closed, np.append(values, values[0]), color=labels()["client_colour"],
                linewidth=2, marker="o", label="This organisation")
        ax.fill(closed, np.append(values, values[0]), color=labels()["client_colour"], alpha=0.12)
        for angle, value in zip(angles, values, strict=True):
            # the label sits just outside the point, along its own axis
            ax.annotate(score(value), (angle, value), textcoords="offset points",
                        xytext=(14 * np.cos(angle), 10 * np.sin(angle)), ha="center",
                        va="center", fontsize=9, fontweight="bold",
                        color=labels()["client_colour"],
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.8})
        ax.set_xticks(angles, [names[k] for k in keys])
        ax.set_ylim(0, 100)
        ax.set_yticks([20, 40, 60, 80, 100], ["20", "40", "60", "80", "100"], fontsize=7,
                      color="#555555")
        ax.set_rlabel_position(150)  # between two axes, clear of the data labels
        ax.tick_params(axis="x", pad=10)
        ax.legend(loc="upper left", bbox_to_anchor=(1.08, 1.0), frameon=False)
    parts = []
    for k, v in zip(keys, values, strict=True):
        b = band.get(k)
        parts.append(f"{names[k]} {score(v)}" + (f" (benchmark {score(b[0])}–{score(b[1])})"
                                                 if b else ""))
    alt = "Radar chart of the three dimensions, 0 to 100: " + "; ".join(parts) + "."
    return _block(fig, alt, "The three dimensions against the benchmark band (0–100).",
                  "rk-narrow")


def silo_map(results: dict) -> Block:
    """Team × team connection strength."""
    data = results.get("silo_map", {})
    teams = data.get("teams", [])
    matrix = np.array([[np.nan if v is None else v for v in row]
                       for row in data.get("matrix", [])], dtype=float)
    if len(teams) < 2 or matrix.size == 0:
        text = "With a single team there is no pair of teams to connect, so no silo map."
        return Block(f'<p class="rk-note">{esc(text)}</p>', text)
    shown = matrix
    names = [team_name(t) for t in teams]
    with matplotlib.rc_context(STYLE):
        fig = _figure(0.42 * len(teams) + 1.0)
        ax = fig.add_subplot()
        sns.heatmap(shown, ax=ax, cmap=labels()["heatmap"], vmin=0, vmax=100, annot=True,
                    fmt=".0f", square=False, linewidths=1, linecolor="white",
                    mask=np.isnan(shown),
                    xticklabels=names, yticklabels=names,
                    cbar_kws={"label": "Connection (0 = none, 100 = fully connected)",
                              "shrink": 0.8})
        ax.tick_params(axis="x", rotation=0)
        ax.tick_params(axis="y", rotation=0)
    pairs = []
    for i in range(len(teams)):
        for j in range(i + 1, len(teams)):
            pairs.append(f"{names[i]}–{names[j]} {shown[i, j]:.0f}")
    alt = "Heatmap of how connected each pair of teams is, 0 to 100: " + "; ".join(pairs) + "."
    return _block(fig, alt, "Silo map: how connected each pair of teams is (0–100).")


def metric_coverage(results: dict) -> Block:
    """Metrics × quality attributes, SalesOps set above the RevOps set."""
    attrs = labels()["quality_attributes"]
    scopes = labels()["scopes"]
    every = results.get("metric_quality", [])
    metrics = [m for m in every if m.get("applicable", True)]
    left_out = len(every) - len(metrics)
    order = list(scopes)
    metrics = sorted(metrics, key=lambda m: (order.index(m["scope"]) if m.get("scope") in order
                                             else 9))
    if not metrics:
        return Block('<p class="rk-note">No metrics were assessed.</p>', "No metrics assessed.")
    columns = [textwrap.fill(a, 11) for a in attrs.values()] + ["Quality\nscore"]
    values = np.array([[1.0 if m.get(a) else 0.0 for a in attrs] + [(m.get("score") or 0) / 100]
                       for m in metrics])
    notes = [["yes" if m.get(a) else "no" for a in attrs] + [score(m.get("score"))]
             for m in metrics]
    rows = [f"{m['name']} ({m.get('cadence') or 'none'})" for m in metrics]
    with matplotlib.rc_context(STYLE):
        fig = _figure(0.24 * len(metrics) + 1.3)
        ax = fig.add_subplot()
        sns.heatmap(values, ax=ax, cmap=labels()["heatmap"], vmin=0, vmax=1,
                    annot=np.array(notes), fmt="", cbar=False, linewidths=0.8,
                    linecolor="white", xticklabels=columns, yticklabels=rows,
                    annot_kws={"fontsize": _row_font(len(metrics), 0.24, 1.3, 7.5)})
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", rotation=0, length=0)
        ax.tick_params(axis="y", length=0, labelsize=_row_font(len(metrics), 0.24, 1.3, 7.5))
        # a rule and labels between the SalesOps and the RevOps set
        boundary = sum(1 for m in metrics if m.get("scope") == order[0])
        if 0 < boundary < len(metrics):
            ax.axhline(boundary, color="black", linewidth=1.5)
        for scope in order:
            idx = [i for i, m in enumerate(metrics) if m.get("scope") == scope]
            if idx:
                ax.text(len(columns) + 0.15, (idx[0] + idx[-1] + 1) / 2, scopes[scope],
                        rotation=270, va="center", ha="left", fontsize=9, fontweight="bold")
    tracked = {s: [m for m in metrics if m.get("scope") == s] for s in order}
    parts = [f"{scopes[s]}: {sum(1 for m in ms if m.get('tracked'))} of {len(ms)} tracked, "
             f"{sum(1 for m in ms if m.get('shared'))} with a shared definition"
             for s, ms in tracked.items() if ms]
    alt = ("Heatmap of each metric (rows, with its cadence) against tracked, documented, shared "
           "definition, automated and its quality score. " + "; ".join(parts) + ".")
    caption = "Metric coverage: which metrics are tracked and how well (dark = yes, light = no)."
    if left_out:
        caption += (f" {left_out} catalog metric{'s do' if left_out != 1 else ' does'} not apply "
                    f"to this organisation's teams and {'are' if left_out != 1 else 'is'} "
                    f"left out.")
    return _block(fig, alt, caption)


def handoff_chain(results: dict) -> Block:
    """The handoffs along the customer lifecycle, each with its status."""
    handoffs = sorted([h for h in results.get("handoffs", []) if h.get("applicable", True)],
                      key=lambda h: h.get("lifecycle_order", 0))
    if not handoffs:
        return Block('<p class="rk-note">No handoff applies to this organisation’s teams.</p>',
                     "No applicable handoffs.")
    n = len(handoffs)
    per_row = 3
    rows = (n + per_row - 1) // per_row
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH, min(1.05 * rows + 0.6, MAX_HEIGHT)), dpi=DPI)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, per_row * 10)
        ax.set_ylim(-rows * 10 - 4, 1)
        ax.axis("off")
        for i, h in enumerate(handoffs):
            row, col = divmod(i, per_row)
            if row % 2:  # snake, so the chain reads as one path
                col = per_row - 1 - col
            x, y = col * 10 + 0.4, -row * 10 - 8.5
            style = _status_style(h.get("status"))
            ax.add_patch(mpatches.FancyBboxPatch(
                (x, y), 8.6, 7.6, boxstyle="round,pad=0,rounding_size=0.8",
                facecolor=style["colour"], edgecolor="black", linewidth=0.6,
                hatch=style["hatch"], alpha=0.9))
            ax.add_patch(mpatches.Rectangle((x + 0.5, y + 0.6), 7.6, 6.4, facecolor="white",
                                            edgecolor="none", alpha=0.92))
            title = textwrap.fill(f"{h.get('lifecycle_order', i + 1)}. {h['name']}", 28)
            ax.text(x + 4.3, y + 5.3, title, ha="center", va="center", fontsize=7.6,
                    fontweight="bold")
            teams = textwrap.fill(f"{team_name(h['from_team'])} → {team_name(h['to_team'])}", 30)
            ax.text(x + 4.3, y + 2.4, f"{teams}\n{style['label']}", ha="center", va="center",
                    fontsize=7.2)
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
        statuses = [s for s in ("strong", "partial", "weak", "missing")]
        _status_legend(ax, statuses, loc="lower center", ncol=4, bbox_to_anchor=(0.5, 0.0))
    alt = "Handoffs in lifecycle order: " + "; ".join(
        f"{h['name']} ({team_name(h['from_team'])} to {team_name(h['to_team'])}): "
        f"{views.status_label(h.get('status'))}" for h in handoffs) + "."
    return _block(fig, alt, "Handoffs along the customer lifecycle, with their status.")


def factors(results: dict) -> Block:
    """Each recommendation factor's signed contribution."""
    rec = results.get("recommendation", {})
    items = sorted(rec.get("factors", []), key=lambda f: -abs(f.get("contribution") or 0))
    if not items:
        return Block('<p class="rk-note">No factors were reported.</p>', "No factors.")
    groups = labels()["factor_groups"]
    names = [textwrap.shorten(str(f.get("label", f.get("id"))), 42) for f in items]
    values = [float(f.get("contribution") or 0) for f in items]
    colours = [groups.get(f.get("group"), groups["other"])["colour"] for f in items]
    with matplotlib.rc_context(STYLE):
        fig = _figure(0.3 * len(items) + 1.2)
        ax = fig.add_subplot()
        y = np.arange(len(items))
        ax.barh(y, values, color=colours)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.8)
        span = max(abs(v) for v in values) or 1
        ax.set_xlim(min(0, min(values)) - span * 0.25, max(0, max(values)) + span * 0.25)
        for yi, v in zip(y, values, strict=True):
            ax.text(v + (span * 0.02 if v >= 0 else -span * 0.02), yi, f"{v:+.1f}",
                    va="center", ha="left" if v >= 0 else "right", fontsize=8)
        ax.set_xlabel("Points towards RevOps (negative: towards SalesOps first)")
        present = []
        for f in items:
            g = f.get("group") if f.get("group") in groups else "other"
            if g not in present:
                present.append(g)
        fig.legend(handles=[mpatches.Patch(color=groups[g]["colour"], label=groups[g]["label"])
                            for g in present], frameon=False, loc="outside lower center",
                   ncol=len(present))
    alt = "Bar chart of the factors behind the recommendation: " + "; ".join(
        f"{f.get('label', f.get('id'))} {float(f.get('contribution') or 0):+.1f}"
        for f in items) + "."
    return _block(fig, alt, "What drives the recommendation: each factor's contribution.")


def profile(results: dict) -> Block:
    """The SalesOps functions and RevOps benefits, each in place / partial / missing."""
    data = results.get("functions", {})
    panels = [("SalesOps functions", data.get("salesops_functions", [])),
              ("RevOps benefits", data.get("revops_benefits", []))]
    with matplotlib.rc_context(STYLE):
        height = 0.27 * sum(len(p) for _, p in panels) + 1.6
        fig = _figure(height)
        axes = fig.subplots(2, 1, height_ratios=[max(len(p), 1) for _, p in panels], sharex=True)
        for ax, (title, items) in zip(axes, panels, strict=True):
            y = np.arange(len(items))
            for yi, f in zip(y, items, strict=True):
                style = _status_style(f.get("status"))
                ax.barh(yi, f.get("score") or 0, color=style["colour"], hatch=style["hatch"],
                        edgecolor="white")
                ax.text((f.get("score") or 0) + 1.5, yi,
                        f"{score(f.get('score'))} · {style['label']}", va="center", fontsize=8)
            ax.set_yticks(y, [f["name"] for f in items])
            ax.invert_yaxis()
            ax.set_xlim(0, 118)
            ax.set_title(title, loc="left", fontweight="bold")
        axes[-1].set_xlabel("Score (0–100)")
        axes[-1].set_xticks([0, 20, 40, 60, 80, 100])
        _status_legend(fig, ["in_place", "partial", "missing"], loc="outside lower center",
                       ncol=3)
    alt = "; ".join(f"{title}: " + ", ".join(
        f"{f['name']} {views.status_label(f.get('status'))}" for f in items)
        for title, items in panels) + "."
    return _block(fig, alt, "SalesOps functions and RevOps benefits: in place, partial or "
                            "missing.")


def roadmap(results: dict) -> Block:
    """Every action in order, placed in its phase (now, next, later) and coloured by impact."""
    phases = labels()["phases"]
    order = list(phases)
    actions = views.ordered_actions(results)
    if not actions:
        return Block('<p class="rk-note">No actions were generated.</p>', "No actions.")
    impact_colour = labels()["impact_colours"]
    with matplotlib.rc_context(STYLE):
        fig = _figure(0.24 * len(actions) + 1.1)
        ax = fig.add_subplot()
        y = np.arange(len(actions))
        for yi, a in enumerate(actions):
            col = order.index(a["phase"]) if a.get("phase") in order else len(order) - 1
            ax.barh(yi, 0.9, left=col + 0.05, height=0.72,
                    color=impact_colour.get(a.get("impact"), "#DDDDDD"), edgecolor="#333333",
                    linewidth=0.4)
            ax.text(col + 0.5, yi, team_name(a.get("owner_team", "")), ha="center",
                    va="center", fontsize=_row_font(len(actions), 0.24, 1.1, 6.8),
                    color="white" if a.get("impact") == "high" else "black")
        ax.set_yticks(y, [textwrap.shorten(str(a.get("title", "")), 58, placeholder="…")
                          for a in actions], fontsize=_row_font(len(actions), 0.24, 1.1, 7.5))
        ax.invert_yaxis()
        ax.set_xlim(0, len(order))
        ax.set_xticks([i + 0.5 for i in range(len(order))], [phases[p] for p in order])
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", length=0, labelsize=9.5)
        for i in range(1, len(order)):
            ax.axvline(i, color="#BBBBBB", linewidth=0.8)
        ax.spines[["top", "right", "bottom"]].set_visible(False)
        fig.legend(handles=[mpatches.Patch(color=c, label=f"Impact {k}")
                            for k, c in impact_colour.items()],
                  loc="outside lower center", ncol=3, frameon=False)
    alt = "Roadmap: " + "; ".join(
        f"{phases[p]}: " + (", ".join(str(a.get("title")) for a in actions
                                      if a.get("phase") == p) or "nothing")
        for p in order) + "."
    return _block(fig, alt, "Roadmap: each action in its phase, with its owner team; the "
                            "colour shows its impact.")


def survey_by_team(results: dict) -> Block:
    """Survey score per team and dimension (0–100), only for teams with enough respondents.

    Teams below the minimum appear only inside the pooled group, so no answer
    can be traced back to a person.
    """
    survey = results.get("survey", {})
    minimum = survey.get("min_team_respondents", 3)
    teams = [t for t in survey.get("teams", []) if t.get("respondents", 0) >= minimum]
    dims = labels()["survey_dimensions"]
    if not teams:
        text = f"No team had {minimum} or more respondents, so no figures per team are shown."
        return Block(f'<p class="rk-note">{esc(text)}</p>', text)
    palette = sns.color_palette("colorblind", len(dims))
    with matplotlib.rc_context(STYLE):
        fig = _figure(3.0)
        ax = fig.add_subplot()
        width = 0.8 / len(dims)
        x = np.arange(len(teams))
        for i, (key, name) in enumerate(dims.items()):
            vals = [t.get(key) for t in teams]
            pos = x - 0.4 + width * (i + 0.5)
            bars = ax.bar(pos, [v or 0 for v in vals], width, color=palette[i], label=name)
            for bar, v in zip(bars, vals, strict=True):
                ax.text(bar.get_x() + bar.get_width() / 2, (v or 0) + 1.5,
                        "–" if v is None else f"{v:.0f}", ha="center", va="bottom", fontsize=7)
        ax.set_xticks(x, [f"{textwrap.fill(team_name(t['team']), 16)}\n"
                          f"({t['respondents']} respondents)" for t in teams])
        ax.set_ylim(0, 110)
        ax.set_yticks([0, 20, 40, 60, 80, 100])
        ax.set_ylabel("Survey score (0–100)")
        ax.legend(ncol=len(dims), frameon=False, loc="upper center", bbox_to_anchor=(0.5, 1.12))
    alt = "Survey score per team, 0 to 100: " + "; ".join(
        f"{team_name(t['team'])}: " + ", ".join(
            f"{name} {'–' if t.get(key) is None else format(t.get(key), '.0f')}"
            for key, name in dims.items()) for t in teams) + "."
    return _block(fig, alt, f"Survey scores per team (0–100; only teams with at least {minimum} "
                            f"respondents; smaller teams are pooled).")
