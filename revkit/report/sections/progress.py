"""The report's "Since the last assessment" section and the brief's progress lines.

Both render ``results["comparison"]`` (``revkit.method.compare``) and nothing else:
every word is a message ``progress.*`` (``messages/<lang>/progress.yaml``), every
number goes through the language's ``Messages``. Without a comparison there is no
section and no line.
"""

from __future__ import annotations

from revkit.messages import Messages
from revkit.report import words
from revkit.report.blocks import Badge, Heading, Note, Section, Table, Text
from revkit.vocabulary import SCORE_KEYS

SECTION_ID = "progress"
STATUS_ORDER = ("closed", "progressing", "open")
# the report's badge colours: closed reads like "in place", still open like "missing"
BADGE = {"closed": "in_place", "progressing": "partial", "open": "missing"}


def progress(results: dict, m: Messages) -> Section | None:
    """The section comparing this assessment with the previous one, or None without one."""
    c = results.get("comparison")
    if not c:
        return None
    blocks = [Text(m("progress.intro", date=m.date(c["previous_date"]))),
              Note(scale_text(results, m)), scores_table(c, m),
              Heading(m("progress.actions.heading")), *action_blocks(results, m)]
    blocks += findings_blocks(results, m)
    return Section(SECTION_ID, m("progress.title"), blocks, lang=m.lang)


def scale_text(results: dict, m: Messages) -> str:
    """Whether the two assessments' figures are on one scale, in plain words."""
    c = results["comparison"]
    kind = "rescored" if c.get("rescored") else "same" if c.get("same_scale") else "differs"
    return _one_line(m(f"progress.scale.{kind}", version=results.get("methodology_version", ""),
                       previous_version=c.get("previous_methodology_version") or "–"))


def arrow(m: Messages, delta) -> str:
    """▲, ▼ or ▶: the direction of a change of a score."""
    direction = "same" if not delta else "up" if delta > 0 else "down"
    return m(f"progress.arrow.{direction}")


def delta_text(m: Messages, delta) -> str:
    """``▲ +6.5``, ``▼ -3.0`` or ``▶ 0.0``."""
    if delta is None:
        return "–"
    return m("progress.delta", arrow=arrow(m, delta), delta=_signed(m, delta))


def _signed(m: Messages, delta) -> str:
    # an unchanged score reads 0.0, not +0.0
    return m.signed(delta) if delta else m.score(0)


def scores_table(c: dict, m: Messages) -> Table:
    """Each score before and now, its change and the change of its level."""
    rows = []
    for key in SCORE_KEYS:
        score, level = c["scores"][key], c["levels"][key]
        rows.append([m(f"dimension.{key}"), m.score(score["before"]), m.score(score["after"]),
                     delta_text(m, score["delta"]),
                     level_change(m, level["before"], level["after"])])
    change = "change" if c.get("same_scale") else "change_other_scale"
    columns = [m("progress.table.dimension"),
               m("progress.table.before", date=m.date(c["previous_date"])),
               m("progress.table.after"), m(f"progress.table.{change}"),
               m("progress.table.level")]
    return Table(columns, rows, frozenset({1, 2, 3}), "rk-compact rk-progress")


def level_change(m: Messages, before, after) -> str:
    if before == after:
        return m("progress.level.same", level=after, name=words.level_name(m, after))
    return m("progress.level.changed", before=before, after=after,
             before_name=words.level_name(m, before), after_name=words.level_name(m, after))


def action_blocks(results: dict, m: Messages) -> list:
    """How far the previous roadmap got: a count by status, what moved, what is still open.

    Closed and progressing actions are the news and get a row with their measure; the
    still open ones are named in one paragraph, as the roadmap above details them."""
    c = results["comparison"]
    listed = sorted(c.get("actions") or [], key=lambda a: STATUS_ORDER.index(a["status"]))
    if not listed:
        return [Note(m("progress.actions.none"))]
    counts = {s: sum(a["status"] == s for a in listed) for s in STATUS_ORDER}
    blocks = [Text(m("progress.actions.summary", count=len(listed),
                     **{s: m.integer(n) for s, n in counts.items()}))]
    rows = [[Badge(BADGE[a["status"]], m(f"progress.status.{a['status']}")),
             title(m, a), kpi_change(m, a.get("kpi"))]
            for a in listed if a["status"] != "open"]
    if rows:
        blocks.append(Table([m("progress.table.status"), m("progress.table.action"),
                             m("progress.table.kpi")], rows,
                            css="rk-compact rk-progress-actions"))
    still = [title(m, a) for a in listed if a["status"] == "open"]
    if still:
        blocks.append(Text(m("progress.actions.still_open", count=len(still),
                             actions=m("progress.actions.separator").join(still))))
    seen = {a["id"] for a in listed}
    added = sum(a["id"] not in seen for a in results.get("roadmap") or [])
    if added:
        blocks.append(Note(m("progress.actions.new", count=added)))
    return blocks


def title(m: Messages, action: dict) -> str:
    """The action's title; its id where the kit no longer has its template (an action of
    an assessment made with an earlier kit)."""
    if m.has(f"action.{action.get('template')}.title"):
        return words.action_title(m, action)
    return str(action.get("id", "")).replace("_", " ")


def kpi_change(m: Messages, kpi: dict | None) -> str:
    """"Handoff Won to onboarding: 0.0 → 55.0 (target 80.0)"."""
    if not kpi or not kpi.get("metric_id"):
        return "–"
    shown = m.integer if kpi.get("unit") == "people" else m.score
    return m("progress.kpi", name=words.kpi_name(m, kpi["metric_id"]),
             before=shown(kpi.get("before")), after=shown(kpi.get("after")),
             target=shown(kpi.get("target")))


def findings_blocks(results: dict, m: Messages) -> list:
    """Findings resolved and new (counts); nothing where neither side lists findings."""
    f = results["comparison"].get("findings") or {}
    if not f.get("compared"):
        return [Note(m("progress.findings.not_compared"))] if "findings" in results else []
    parts = [m(f"progress.findings.{k}", count=len(f.get(k) or []))
             for k in ("resolved", "new", "strengths_gained", "strengths_lost")
             if f.get(k) or k in ("resolved", "new")]
    blocks = [Heading(m("progress.findings.heading")),
              Text(m("progress.findings.text", items=m.join(parts)))]
    rows = [[m(f"progress.findings.kind.{k}"), "; ".join(words.finding_title(m, i) for i in ids)]
            for k in ("resolved", "new", "strengths_gained", "strengths_lost")
            if (ids := f.get(k))]
    if rows:
        blocks.append(Table([m("progress.findings.change"), m("progress.findings.which")], rows,
                            css="rk-compact rk-progress-findings"))
    return blocks


def brief_lines(results: dict, m: Messages) -> list[str]:
    """One line per score for the one-page brief (``▲ Silos: 41.8 → 48.3 (+6.5)``)."""
    c = results.get("comparison")
    if not c:
        return []
    lines = []
    for key in SCORE_KEYS:
        score, level = c["scores"][key], c["levels"][key]
        line = m("progress.brief.line", arrow=arrow(m, score["delta"]),
                 dimension=m(f"dimension.{key}"), before=m.score(score["before"]),
                 after=m.score(score["after"]), delta=_signed(m, score["delta"]))
        if level["before"] != level["after"]:
            line = m("progress.brief.level", line=line, before=level["before"],
                     after=level["after"])
        if not c.get("same_scale"):
            line = m("progress.brief.other_scale", line=line)
        lines.append(line)
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())
