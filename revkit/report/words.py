"""The words for a result's codes: verdicts, factor evidence, flip conditions, actions, warnings.

``results.json`` holds ids, numbers and evidence records; every sentence a
reader sees is written here from those records and the message catalogs of
the report's language (``revkit.messages``). The report, the brief, the deck
and the terminal summary all use these functions, so a finding reads the same
wherever it appears.
"""

from __future__ import annotations

from revkit.messages import Messages
from revkit.vocabulary import DIMENSIONS, POOLED


def team(m: Messages, team_id: str) -> str:
    return m("team_pooled") if team_id == POOLED else m.team(team_id)


def level_name(m: Messages, level) -> str:
    return m.get(f"level.{level}", str(level))


def verdict_label(m: Messages, verdict: str | None) -> str:
    return m.get(f"verdict.{verdict}.label", str(verdict))


def verdict_summary(m: Messages, results: dict) -> str:
    """The verdict's summary and the sentence on maturity, weakest area and urgency."""
    rec = results.get("recommendation", {})
    scores, levels = results["scores"], results["levels"]
    weakest = min(DIMENSIONS, key=lambda d: (scores[d], d))
    tail = m("verdict.summary_tail", level=levels["overall"],
             level_name=level_name(m, levels["overall"]), weakest=m(f"dimension_lower.{weakest}"),
             weakest_score=m.score(scores[weakest]), urgency=m(f"urgency.{rec.get('urgency')}"))
    summary = m(f"verdict.{rec.get('verdict')}.summary")
    return f"{_one_line(summary)} {_one_line(tail)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- recommendation factors

def factor_label(m: Messages, factor: dict) -> str:
    return m.get(f"factor.{factor.get('id')}", str(factor.get("id")))


def factor_evidence(m: Messages, factor: dict, currency: str = "") -> str:
    """The evidence behind one factor, in words."""
    e = factor.get("evidence") or {}
    fid = factor.get("id")
    if fid == "other_revenue_teams":
        if not e.get("teams"):
            return m("evidence.sales_only")
        teams = "; ".join(m("evidence.team_people", team=team(m, t["team"]),
                            headcount=m.integer(t["headcount"])) for t in e["teams"])
        return m("evidence.other_revenue_teams", teams=teams, full=e["full_team_headcount"])
    if fid == "revenue_model":
        return m("evidence.revenue_model", model=m(f"revenue_model.{e['revenue_model']}"))
    if fid == "marketing_sourced_share":
        if e.get("share") is None:
            if e.get("has_marketing"):
                return _one_line(m("evidence.share_assumed", assumed=m.percent_short(e["assumed"])))
            return m("evidence.share_not_given")
        if not e.get("has_marketing"):
            return m("evidence.share_no_marketing", share=m.percent_short(e["share"]))
        return m("evidence.share", share=m.percent_short(e["share"]),
                 full_at=m.percent_short(e["full_at"]))
    if fid == "gtm_headcount":
        return m("evidence.gtm_headcount", headcount=m.integer(e["headcount"]),
                 start=m.plain(e["from"]), full_at=m.plain(e["full_at"]))
    if fid == "annual_revenue":
        amount = m.money(e["amount"], e["currency"])
        if not e.get("rate_known"):
            return m("evidence.revenue_unknown_rate", amount=amount)
        if e["currency"] != "EUR":
            return m("evidence.revenue_in_eur", amount=amount,
                     amount_eur=m.money(e["amount_eur"], "EUR"))
        return m("evidence.revenue", amount=amount)
    if fid == "systems":
        return m("evidence.systems", count=m.integer(e["count"]), start=m.plain(e["from"]),
                 full_at=m.plain(e["full_at"]))
    if fid in ("silos", "process_alignment", "salesops_basics"):
        if fid == "salesops_basics" and e.get("missing_functions"):
            base = m("evidence.salesops_basics_missing", score=m.score(e["score"]),
                     functions=", ".join(m.name("function", f) for f in e["missing_functions"]))
        else:
            base = m(f"evidence.{fid}", score=m.score(e["score"]))
        return m("evidence.pain_gap", evidence=base, gap=m.score(e["gap"]),
                 neutral=m.plain(e["neutral_gap"]))
    return ""


# ---------------------------------------------------------------- the flip condition

def flip_text(m: Messages, flip: dict | None, currency: str) -> str:
    """The smallest change that would change the verdict, as one sentence."""
    flip = flip or {}
    changes = flip.get("changes") or []
    if not changes:
        return _one_line(m("flip.none"))
    clauses = []
    for c in changes:
        key, old, new = c["input"], c["from"], c["to"]
        if key.startswith("teams."):
            name = m.team(key.split(".")[1])
            if old is None:
                phrase = "team_added"
            elif new is None:
                phrase = "team_removed"
            else:
                phrase = "headcount_up" if new > old else "headcount_down"
            clauses.append(m(f"flip.{phrase}", team=name, old=old, new=new))
        elif key == "marketing_sourced_pipeline_share":
            clauses.append(m("flip.share_unknown" if old is None else "flip.share",
                             old=_share(m, old), new=_share(m, new)))
        elif key == "annual_revenue":
            clauses.append(m("flip.annual_revenue", old=m.integer(old), new=m.integer(new),
                             currency=currency))
        else:
            clauses.append(m("flip.revenue_model", old=m(f"revenue_model.{old}"),
                             new=m(f"revenue_model.{new}")))
    return m("flip.sentence", verdict=verdict_label(m, flip.get("verdict")),
             conditions=m("flip.and").join(clauses))


def _share(m: Messages, value) -> str:
    return m("flip.unknown") if value is None else m.percent_short(value)


# ---------------------------------------------------------------- functions and benefits

def function_evidence(m: Messages, item: dict) -> str:
    counts, parts = item.get("counts") or {}, item.get("parts") or {}
    out = []
    if parts.get("survey") is not None:
        out.append(m("function_evidence.survey", count=counts["questions"],
                     score=m.score(parts["survey"])))
    if counts.get("metrics"):
        out.append(m("function_evidence.metrics", count=counts["metrics"],
                     tracked=counts["metrics_tracked"], score=m.score(parts["metrics"])))
    if counts.get("handoffs"):
        out.append(m("function_evidence.handoffs", count=counts["handoffs"],
                     score=m.score(parts["handoffs"])))
    return m("function_evidence.separator").join(out) or m("function_evidence.none")


# ---------------------------------------------------------------- roadmap actions

def action_title(m: Messages, action: dict) -> str:
    return _one_line(m(f"action.{action['template']}.title", **_action_fields(m, action)))


def action_description(m: Messages, action: dict) -> str:
    return _one_line(m(f"action.{action['template']}.description", **_action_fields(m, action)))


def _action_fields(m: Messages, action: dict) -> dict:
    p = action.get("params") or {}
    out = {}
    if "metrics" in p:
        out["metrics"] = m.join([m.name("metric", i) for i in p["metrics"]])
    if "pairs" in p:
        out["pairs"] = m.join([m("action.pair", a=m.team(x["teams"][0]), b=m.team(x["teams"][1]),
                                 value=m.integer(x["value"])) for x in p["pairs"]])
    if "entities" in p:
        weak = [m("action.no_source_of_truth" if e["status"] == "none" else "action.claimed_by",
                  entity=m.get(f"entity.{e['entity']}", e["entity"]),
                  systems=", ".join(e["systems"])) for e in p["entities"]]
        text = m("action.entities_separator").join(weak)
        out["entities"] = (text[:1].upper() + text[1:]) if text else m("action.core_records")
    if "handoff" in p:
        out["handoff"] = m.name("handoff", p["handoff"])
    if "missing_parts" in p:
        out["missing_parts"] = m.join([m(f"action.part.{x}") for x in p["missing_parts"]],
                                      m("action.nothing_essential"))
    if "function" in p:
        out["function"] = m.name("function", p["function"])
    if "teams" in p:
        out["teams"] = ", ".join(m.team(t) for t in p["teams"])
    if "score" in p:
        out["score"] = m.score(p["score"])
    return out


def closes(m: Messages, value) -> str:
    """``"handoffs.sql_to_opportunity"`` → ``"Handoff: SQL to opportunity"``."""
    if isinstance(value, list):
        return "; ".join(closes(m, v) for v in value)
    if not value:
        return ""
    area, _, item = str(value).partition(".")
    kinds = {"handoffs": "handoff", "metrics": "metric", "functions": "function"}
    if area in kinds and item:
        kind = kinds[area]
        if kind == "function" and not m.has(f"function.{item}.name"):
            kind = "benefit"
        return m(f"action.closes.{area}", name=m.name(kind, item))
    area_name = m.get(f"dimension.{area}") or area.replace("_", " ").capitalize()
    return m("action.closes.area", area=area_name, item=item.replace("_", " ")) if item \
        else area_name


# ---------------------------------------------------------------- intake warnings

def problem_text(m: Messages, record: dict) -> str:
    """A warning kept in results, worded like the intake check words it."""
    where = m("problem.sheet", file=record["file"], sheet=record["sheet"]) if record.get("sheet") \
        else record["file"]
    parts = [where]
    if record.get("row") is not None:
        parts.append(m("problem.row", row=record["row"]))
    if record.get("column"):
        parts.append(m("problem.column", column=record["column"]))
    fields = {k: ", ".join(map(str, v)) if isinstance(v, list) else v
              for k, v in (record.get("fields") or {}).items()}
    fields.update({f"{k}_count": len(v) for k, v in (record.get("fields") or {}).items()
                   if isinstance(v, list)})
    message = _one_line(m.get(f"warning.{record.get('code')}", record.get("code"), **fields))
    text = m("problem.text", location=m("problem.separator").join(parts), message=message)
    if record.get("value") not in (None, ""):
        text += m("problem.got", value=repr(record["value"]))
    if record.get("allowed"):
        text += m("problem.allowed", allowed=record["allowed"])
    if record.get("suggestion"):
        text += m("problem.suggestion", suggestion=record["suggestion"])
    return text


# ---------------------------------------------------------------- CRM evidence

def reason_text(m: Messages, reason: str | None) -> str:
    """Why a metric is not measurable from the exports."""
    return m.get(f"crm.reason.{reason}", str(reason))


def contradiction_texts(m: Messages, c: dict) -> tuple[str, str, str, str]:
    """A contradiction's name, the intake's claim, the exports' evidence and its effect."""
    rule, intake, measured = c.get("rule"), c.get("intake") or {}, c.get("measured") or {}
    key = f"contradiction.{rule}"
    if rule == "tracked_without_data":
        mid = measured.get("metric_id", "")
        claim = m(f"{key}.claim", metric=m.name("metric", mid))
        evidence = m(f"{key}.evidence", reason=reason_text(m, measured.get("reason")),
                     columns=", ".join(measured.get("columns") or []))
    elif rule == "reliable_data_claimed":
        claim = m(f"{key}.claim", value=m.number(intake.get("value"), 1),
                  answers=m.integer(intake.get("answers", 0)))
        evidence = m(f"{key}.evidence", share=m.percent(measured.get("value"), 1),
                     table=measured.get("table", ""), column=measured.get("column", ""),
                     records=m.integer(measured.get("count", 0)))
    elif rule == "sla_exceeded":
        handoff = str(intake.get("ref", "")).split("/")[1:2] or [""]
        claim = m(f"{key}.claim", handoff=m.name("handoff", handoff[0]),
                  sla=m.plain(intake.get("value")))
        evidence = m(f"{key}.evidence", hours=m.number(measured.get("value"), 1),
                     records=m.integer(measured.get("records", 0)))
    elif rule == "marketing_share_off":
        claim = m(f"{key}.claim", share=m.percent(intake.get("value")))
        evidence = m(f"{key}.evidence", measured=m.percent(measured.get("value"), 1),
                     records=m.integer(measured.get("records", 0)))
    else:
        claim, evidence = str(intake.get("ref", "")), str(measured.get("value", ""))
    effect = c.get("effect") or {}
    sub = effect.get("subscore")
    confidence = m.percent(effect.get("data_confidence"))
    if sub:
        text = m("crm.effect_subscore", confidence=confidence,
                 dimension=m.get(f"dimension.{sub.get('dimension')}", str(sub.get("dimension"))),
                 component=m.get(f"component.{sub.get('component')}", str(sub.get("component"))),
                 points=m.number(sub.get("points"), 1))
    else:
        text = m("crm.effect", confidence=confidence)
    return m.get(f"{key}.name", str(rule)), claim, evidence, text
