"""What every section builder shares: the section shell, yes/no cells, labelled figures."""

from __future__ import annotations

from revkit.messages import Messages
from revkit.report.blocks import Fig, Section, Text


def section(sid: str, m: Messages, blocks: list, *, part: str = "body",
            page_break: bool = False, intro: bool = True) -> Section:
    """A section titled ``section.<sid>.title`` that opens with ``section.<sid>.intro``."""
    head = [Text(m(f"section.{sid}.intro"))] if intro and m.has(f"section.{sid}.intro") else []
    return Section(sid, m(f"section.{sid}.title"), [*head, *blocks], page_break=page_break,
                   part=part, lang=m.lang)


def yes(m: Messages, value) -> str:
    return {True: m("format.yes"), False: m("format.no")}.get(value, "–")


ITEM_KEYS = ("id", "team", "entity")  # what names an item of a list in a figure's ref


def lookup(results: dict, ref: str):
    """The value a figure's ref names: ``scores.overall``, ``handoffs[renewal].score``
    (the list item whose ``id``, ``team`` or ``entity`` is ``renewal``); ``None`` if absent."""
    value = results
    for part in ref.split("."):
        key, _, item = part.partition("[")
        value = value.get(key) if isinstance(value, dict) else None
        if item:
            item = item.rstrip("]")
            value = next((x for x in value or [] if isinstance(x, dict) and any(
                x.get(k) == item for k in ITEM_KEYS)), None)
    return value


def score_fig(m: Messages, results: dict, ref: str) -> Fig:
    """A score from ``results`` (``scores.overall``, ``subscores.silos.connections``) as a Fig."""
    return Fig(m.score(lookup(results, ref)), ref)


def ordered_actions(r: dict) -> list[dict]:
    """The roadmap's actions, phase by phase (now, next, later), in their order."""
    order = ("now", "next", "later")
    return sorted(r.get("roadmap", []),
                  key=lambda a: (order.index(a["phase"]) if a.get("phase") in order else 9,
                                 a.get("order", 0)))
