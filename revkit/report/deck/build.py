"""One client's deck: the slides in order, each from the results and the view model.

``build(model, results)`` returns the ``.pptx`` bytes. Each slide function adds its
slide(s) to a ``Deck`` — or none where the client gave no data for it (no CRM
exports, no findings) — so a deck never has an empty slide. Words come from the view
model's messages, numbers from ``results.json`` through the report's formats.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pptx import Presentation
from pptx.util import Inches

from revkit.messages import Messages
from revkit.report.deck import draw, fit, package
from revkit.report.deck.draw import Para
from revkit.report.deck.theme import Theme, layout, theme


@dataclass
class Deck:
    """The presentation being built and what its slides are made from."""

    prs: object
    theme: Theme
    m: Messages
    results: dict
    model: object            # revkit.report.model.ReportModel

    @property
    def meta(self) -> dict:
        return self.model.meta

    @property
    def left(self) -> float:
        return layout()["margin"]["left"]

    @property
    def width(self) -> float:
        d = layout()
        return d["slide"]["width"] - d["margin"]["left"] - d["margin"]["right"]

    @property
    def top(self) -> float:
        return layout()["body"]["top"]

    @property
    def bottom(self) -> float:
        return layout()["body"]["bottom"]

    @property
    def room(self) -> float:
        """The height of a content slide's body."""
        return self.bottom - self.top

    def blank(self):
        return self.prs.slides.add_slide(self.prs.slide_layouts[BLANK])

    def title_size(self, title: str) -> float:
        """The title's size: the layout's, smaller for a title that would take two lines
        (and run into the rule under it), down to ``size.title_least``."""
        s = layout()["size"]
        size = s["title"]
        while size > s["title_least"] and len(fit.wrap(title, size, self.width, True)) > 1:
            size -= 1
        return size

    def slide(self, title: str, part: str):
        """A content slide with its part (a kicker) and title."""
        slide = self.blank()
        h, s, t = layout()["head"], layout()["size"], self.theme
        draw.text(slide, t, self.left, h["kicker_top"], self.width,
                  [Para(self.m(f"deck.part.{part}").upper(), s["kicker"], bold=True,
                        colour=t.primary)], height=h["kicker_height"])
        draw.text(slide, t, self.left, h["title_top"], self.width,
                  [Para(title, self.title_size(title), bold=True)], height=h["title_height"],
                  anchor="middle")
        draw.rect(slide, self.left, h["rule_top"], self.width, 0.03, t.accent)
        return slide


BLANK = 6  # the blank layout of python-pptx's default template


def build(model, results: dict) -> bytes:
    """The deck of one client's report, as the bytes of a ``.pptx`` file."""
    from revkit.report.deck import slides_evidence, slides_front, slides_plan

    d = layout()
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(d["slide"]["width"]), Inches(d["slide"]["height"])
    look = theme(model.meta)
    brand = getattr(model, "brand", None)
    if brand is not None:  # a slide holds no SVG: the logo as a PNG
        look = replace(look, logo_png=brand.logo_png())
    elif look.logo is not None and look.logo.suffix.lower() == ".png":
        look = replace(look, logo_png=look.logo.read_bytes())
    deck = Deck(prs, look, model.messages, results, model)
    for add in (slides_front.title, slides_front.decision, slides_front.scorecard,
                slides_front.findings, slides_evidence.silos, slides_evidence.systems,
                slides_evidence.metrics, slides_plan.crm, slides_evidence.handoffs,
                slides_plan.roadmap, slides_plan.next_steps, slides_plan.appendix):
        add(deck)
    footers(deck)
    m, meta = deck.m, model.meta
    package.set_properties(prs, title=meta["title"], author=meta["author"],
                           subject=m("deck.subject"), description=meta["description"],
                           language=meta["lang"],
                           when=package.moment(meta["assessment_date"]))
    return package.to_bytes(prs, package.moment(meta["assessment_date"]))


def footers(deck: Deck) -> None:
    """The footer line of every slide but the title: the client and date (or the brand's
    footer), the confidentiality line where a brand has one, the slide's number."""
    f, s, t, m = layout()["foot"], layout()["size"]["footer"], deck.theme, deck.m
    left = t.footer or m("deck.footer", client=deck.meta["client"],
                         title=m("report.kicker"), date=deck.meta["assessment_date_text"])
    number_width = f["number_width"]
    for number, slide in enumerate(deck.prs.slides, 1):
        if number == 1:
            continue
        third = (deck.width - number_width) / 2
        draw.text(slide, t, deck.left, f["top"], third, [Para(left, s, colour=t.muted)],
                  height=f["height"])
        if t.confidentiality:
            draw.text(slide, t, deck.left + third, f["top"], third,
                      [Para(t.confidentiality, s, colour=t.muted, align="center")],
                      height=f["height"])
        draw.text(slide, t, deck.left + deck.width - number_width, f["top"], number_width,
                  [Para(str(number), s, colour=t.muted, align="right")], height=f["height"])
