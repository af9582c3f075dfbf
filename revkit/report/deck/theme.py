"""Every colour, font and firm text of the deck, in one place.

``theme(meta)`` builds it from the report's palette (``report.yaml``, through
``revkit.report.model.style``), the deck's layout file (``deck.yaml``) and, where
the view model carries one, a brand (``meta["brand"]``: ``firm``, ``logo``,
``colors: {primary, accent}``, ``font``, ``footer``, ``confidentiality``,
``prepared_by``). Without a brand the deck uses the report's default colours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from revkit.report.model import TEMPLATE_DIR, style


@cache
def layout() -> dict:
    """The deck's geometry and sizes (``templates/revkit_report/deck.yaml``)."""
    with open(TEMPLATE_DIR / "deck.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class Theme:
    primary: str          # headings, the title slide's band, this organisation's marks
    accent: str           # rules and highlights
    font: str
    ink: str
    muted: str
    rule: str
    soft: str
    paper: str
    on_primary: str
    client: str           # this organisation in charts
    benchmark: str        # the kit reference band
    band: str             # the band drawn behind a score (the benchmark, lightened)
    untracked: str
    system: str
    spreadsheet: str
    owner_line: str       # a team owns a system
    user_line: str        # a team uses it
    heatmap: str          # a matplotlib colour map name (the report's)
    status: dict = field(default_factory=dict)
    verdict: dict = field(default_factory=dict)
    factor_group: dict = field(default_factory=dict)
    finding: dict = field(default_factory=dict)
    survey_series: tuple = ()
    firm: str | None = None
    logo: Path | None = None
    logo_png: bytes | None = None     # the logo as a picture a slide can hold (PNG)
    footer: str | None = None
    confidentiality: str | None = None
    prepared_by: str | None = None

    def status_colour(self, status: str | None) -> str:
        return self.status.get(status) or self.status["not_applicable"]

    def heat(self, value: float | None) -> tuple[str, str]:
        """A 0–100 value's cell colour on the report's heatmap scale, and the text colour
        that reads on it."""
        import matplotlib

        if value is None:
            return self.paper, self.muted
        r, g, b, _ = matplotlib.colormaps[self.heatmap](max(0.0, min(1.0, value / 100)))
        fill = "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in (r, g, b)))
        light = 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5
        return fill, self.ink if light else self.on_primary


def theme(meta: dict) -> Theme:
    """The deck's theme for a view model's ``meta`` (its ``brand``, when there is one)."""
    s, d = style(), layout()
    brand = meta.get("brand") or {}
    colours = brand.get("colors") or {}
    c = d["colours"]
    logo = brand.get("logo")
    return Theme(
        primary=colours.get("primary") or s["client_colour"],
        accent=colours.get("accent") or s["client_colour"],
        font=brand.get("font") or d["font"],
        ink=c["ink"], muted=c["muted"], rule=c["rule"], soft=c["soft"], paper=c["paper"],
        on_primary=c["on_primary"], client=colours.get("primary") or s["client_colour"],
        benchmark=s["benchmark_colour"],
        band=mix(s["benchmark_colour"], c["paper"], d["band_strength"]),
        untracked=c["untracked"], heatmap=s["heatmap"],
        system=c["system"], spreadsheet=c["spreadsheet"],
        owner_line=s["impact_colours"]["high"], user_line=s["impact_colours"]["medium"],
        status={k: v["colour"] for k, v in s["status"].items()},
        verdict=dict(s["verdict_colours"]), factor_group=dict(s["factor_group_colours"]),
        finding=dict(s["finding_colours"]),
        survey_series=tuple(c["survey_series"]),
        firm=brand.get("firm"), logo=Path(logo) if logo else None,
        footer=brand.get("footer"),
        confidentiality=brand.get("confidentiality"), prepared_by=brand.get("prepared_by"))


def mix(colour: str, base: str, share: float) -> str:
    """``colour`` laid over ``base`` at ``share`` opacity (as the report's translucent band)."""
    a, b = (tuple(int(x.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)) for x in (colour, base))
    return "#" + "".join(f"{round(p * share + q * (1 - share)):02X}" for p, q in zip(a, b,
                                                                                     strict=True))
