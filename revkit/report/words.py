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
    """Why this verdict, for this organisation, and the sentence on maturity and urgency."""
    rec = results.get("recommendation", {})
    scores, levels = results["scores"], results["levels"]
    weakest = min(DIMENSIONS, key=lambda d: (scores[d], d))
    tail = m("verdict.summary_tail", level=levels["overall"],
             level_name=level_name(m, levels["overall"]), weakest=m(f"dimension_lower.{weakest}"),
             weakest_score=m.score(scores[weakest]), urgency=m(f"urgency.{rec.get('urgency')}"))
    return f"{_one_line(_why(m, results))} {_one_line(tail)}"


def _why(m: Messages, results: dict) -> str:
    rec = results.get("recommendation", {})
    verdict = rec.get("verdict")
    factors = {f["id"]: f for f in rec.get("factors", [])}
    teams_ev = (factors.get("other_revenue_teams") or {}).get("evidence") or {}
    others = [m("verdict.team", team=team(m, t["team"]), headcount=m.integer(t["headcount"]))
              for t in teams_ev.get("teams", [])]
    client_teams = [t["team"] for t in results.get("client", {}).get("teams", [])]
    revenue = [t for t in ("marketing", "partnerships", "sales", "customer_success")
               if t in client_teams]
    share = ((factors.get("marketing_sourced_share") or {}).get("evidence") or {}).get("share")
    fields = {"teams": m.join(others), "complexity": m.score(rec.get("complexity")),
              "decision": m.score(rec.get("decision_score")),
              "all_teams": m.join([team(m, t) for t in revenue]),
              "share": m("verdict.share", share=m.percent_short(share)) if share is not None
              and "marketing" in client_teams else "",
              "model": m("verdict.recurring")
              if results.get("client", {}).get("revenue_model") == "recurring" else ""}
    if verdict == "salesops_only":
        if not others:
            model = results.get("client", {}).get("revenue_model")
            return m("verdict.salesops_only.one_team", transactional=m(
                "verdict.salesops_only.transactional") if model == "transactional" else "")
        return m("verdict.salesops_only.small", **fields)
    if verdict == "salesops_then_revops":
        if not others:
            return m("verdict.salesops_then_revops.single")
        foundation = (factors.get("salesops_foundation") or {}).get("contribution") or 0
        key = "foundations" if rec.get("adjustments_used") and foundation < 0 else "evidence"
        return m(f"verdict.salesops_then_revops.{key}", **fields)
    key = "evidence" if rec.get("adjustments_used") else "complexity"
    return m(f"verdict.full_revops.{key}", **fields)


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
        teams = "; ".join(m("evidence.team_weight", team=team(m, t["team"]), count=t["headcount"],
                            headcount=m.integer(t["headcount"]), weight=m.plain(t["weight"]))
                          for t in e["teams"])
        return m("evidence.other_revenue_teams", teams=teams, full=e["full_team_headcount"],
                 share=m.percent_short(e["full_team_share"]),
                 revenue=m.integer(e["revenue_headcount"]))
    if fid == "revenue_model":
        return m("evidence.revenue_model", model=m(f"revenue_model.{e['revenue_model']}"))
    if fid == "gtm_motion":
        return m("evidence.gtm_motion", motion=m(f"gtm_motion.{e['gtm_motion']}"))
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
        return m("evidence.gtm_headcount", count=e["headcount"], headcount=m.integer(e["headcount"]),
                 start=m.plain(e["from"]), full_at=m.plain(e["full_at"]))
    if fid == "annual_revenue":
        amount = m.money(e["amount"], e["currency"])
        scale = {"start": m.plain(e["from"]), "full_at": m.plain(e["full_at"])}
        if not e.get("rate_known"):
            return m("evidence.revenue_unknown_rate", amount=amount)
        if e["currency"] != "EUR":
            return m("evidence.revenue_in_eur", amount=amount,
                     amount_eur=m.money(e["amount_eur"], "EUR"), **scale)
        return m("evidence.revenue", amount=amount, **scale)
    if fid == "systems":
        return m("evidence.systems", count=e["count"], start=m.plain(e["from"]),
                 full_at=m.plain(e["full_at"]))
    if fid == "cross_team_friction":
        neutral = m.plain(e["silos"]["neutral_gap"])
        if not factor.get("contribution"):
            return m("evidence.friction_none", neutral=neutral)
        return m("evidence.friction", silos_gap=m.score(e["silos"]["gap"]),
                 process_gap=m.score(e["process_alignment"]["gap"]), neutral=neutral)
    if fid == "salesops_foundation":
        fields = {"score": m.score(e["score"]), "neutral": m.plain(e["neutral"])}
        if not factor.get("contribution"):
            return m("evidence.foundation_none", **fields)
        if e.get("missing_functions"):
            return m("evidence.foundation_missing", functions=", ".join(
                m.name("function", f) for f in e["missing_functions"]), **fields)
        return m("evidence.foundation", **fields)
    return ""


def robustness_text(m: Messages, rec: dict) -> str:
    """The verdict's robustness in words, with its reasons."""
    parts = []
    for reason in rec.get("robustness_reasons") or []:
        if reason["id"] == "margin":
            key = "robustness.margin" if rec.get("adjustments_used", True) \
                else "robustness.margin_with_evidence"
            parts.append(m(key, value=m.score(reason["value"]),
                           threshold=m.plain(reason["threshold"])))
        elif reason["id"] == "unconfirmed_input":
            parts.append(m("robustness.unconfirmed_input", points=m.score(reason["value"]),
                           input=m(f"robustness.input.{reason['input']}")))
        else:
            parts.append(m(f"robustness.{reason['id']}"))
    return "; ".join(parts)


def sizing_text(m: Messages, sizing: dict | None) -> str:
    """One line: operations people today, and what the recommended function typically takes."""
    if not sizing:
        return ""

    def span(low, high):
        return m("sizing.range_one", low=low) if low == high == 1 else \
            m("sizing.range", low=low, high=high, count=high)

    fields = {"current": m("sizing.people", count=sizing["current_ops_headcount"]),
              "function": m(f"sizing.function.{sizing['function']}"),
              "range": span(sizing["recommended_min"], sizing["recommended_max"])}
    nxt = sizing.get("next")
    if nxt and (nxt["recommended_min"], nxt["recommended_max"]) != \
            (sizing["recommended_min"], sizing["recommended_max"]):
        return m("sizing.line_next", next_range=span(nxt["recommended_min"], nxt["recommended_max"]),
                 **fields)
    return m("sizing.line", **fields)


def role(m: Messages, action: dict) -> str:
    name = m(f"role.{action.get('owner_role')}")
    return m("role.to_hire", role=name) if action.get("owner_to_hire") else name


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
            # the people counted are the new number, or the current one where the team would go
            clauses.append(m(f"flip.{phrase}", team=name, old=old, new=new,
                             count=old if new is None else new))
        elif key == "marketing_sourced_pipeline_share":
            clauses.append(m("flip.share_unknown" if old is None else "flip.share",
                             old=_share(m, old), new=_share(m, new)))
        elif key == "annual_revenue":
            clauses.append(m("flip.annual_revenue", old=m.integer(old), new=m.integer(new),
                             currency=m.currency(currency)))
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
        out["metrics"] = _some(m, [m.name("metric", i) for i in p["metrics"]])
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


def _some(m: Messages, names: list[str], most: int = 4) -> str:
    """At most ``most`` names, then "and N more": an action names what to do first."""
    if len(names) <= most:
        return m.join(names)
    return m.join([*names[:most], m("action.more", count=len(names) - most)])


def closes(m: Messages, value) -> str:
    """``"handoffs.sql_to_opportunity"`` → ``"Handoff: SQL to opportunity"``."""
    if isinstance(value, list):
        return "; ".join(closes(m, v) for v in value)
    if not value:
        return ""
    area, _, item = str(value).partition(".")
    if area == "recommendation":
        return m("action.closes.recommendation", name=verdict_label(m, item))
    if area in ("sizing", "overall"):
        return m(f"action.closes.{area}")
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


# ---------------------------------------------------------------- the plan's KPIs and notes

def kpi_name(m: Messages, metric_id: str) -> str:
    """``subscores.silos.connections`` → "Connections between teams …" (what the KPI measures)."""
    area, _, rest = str(metric_id).partition(".")
    if area == "subscores":
        dim, _, name = rest.partition(".")
        return m.get(f"component.{name}", name)
    if area == "scores":
        return m(f"dimension.{rest}")
    if area == "handoffs":
        return m("kpi.handoff", name=m.name("handoff", rest))
    if area == "functions":
        return m("kpi.function", name=m.name("function", rest))
    if area == "sizing":
        return m("kpi.ops_headcount")
    return m.name("metric", metric_id)


def kpi_text(m: Messages, kpi: dict | None) -> str:
    """"Metric dictionary shared: 8.0 → 60.0 points (assessed)"."""
    if not kpi:
        return "–"
    unit = kpi.get("unit")
    def value(v):
        if v is None:
            return "–"
        return m.integer(v) if unit == "people" else m.score(v)
    return m("kpi.text", name=kpi_name(m, kpi["metric_id"]), baseline=value(kpi.get("baseline")),
             target=value(kpi.get("target")), unit=m(f"kpi.unit.{unit}"),
             source=m(f"kpi.source.{kpi.get('source')}"))


def note_text(m: Messages, note: dict) -> str:
    """A note on the assessment itself (not an action for the client's teams)."""
    if note["id"] == "survey_more":
        return m("note.survey_more", teams=m.join([team(m, t) for t in note["teams"]]),
                 minimum=note["min_respondents"])
    return m.get(f"note.{note['id']}", note["id"])


# ---------------------------------------------------------------- measured values and findings

def measure_value(m: Messages, value, unit: str | None, currency: str = "") -> str:
    """A measured value in its unit: fractions as percentages, amounts with the currency."""
    if value is None:
        return "–"
    if unit == "fraction":
        return m.percent(value, 1)
    if unit == "currency":
        return m.money(value, currency).strip()
    if unit == "count":
        return m.integer(value)
    if unit == "ratio":
        return m("crm.ratio", value=m.number(value, 2))
    if unit:
        return m("crm.unit", value=m.number(value, 1), unit=m.get(f"crm.unit_name.{unit}", unit))
    return m.number(value, 1)


def measure_range(m: Messages, low, high, unit: str | None, currency: str = "") -> str:
    """A benchmark range as a reader writes it: "20–50 %", "3–4×", "30–120 days"."""
    if low is None or high is None:
        return "–"
    if unit == "fraction":
        return m("format.percent", value=m("format.range", low=m.plain(round(low * 100, 1)),
                                           high=m.plain(round(high * 100, 1))))
    if unit == "ratio":
        return m("crm.ratio", value=m("format.range", low=m.plain(low), high=m.plain(high)))
    if unit == "currency":
        return m("format.money", amount=m("format.range", low=m.integer(low), high=m.integer(high)),
                 currency=m.currency(currency))
    text = m("format.range", low=m.plain(low), high=m.plain(high))
    return m("crm.unit", value=text, unit=m.get(f"crm.unit_name.{unit}", unit)) if unit else text


def _unit(metric_id: str) -> str | None:
    from revkit import catalog

    return catalog.by_id("metrics").get(metric_id, {}).get("unit")


def finding_kind(m: Messages, finding: dict) -> str:
    return m(f"finding.kind.{finding['kind']}")


def finding_title(m: Messages, finding_id: str) -> str:
    """A finding named in a few words from its id alone (``team_isolated.marketing`` →
    "Marketing cut off from the other teams")."""
    rule, _, rest = finding_id.partition(".")
    parts = rest.split(".") if rest else []
    if not m.has(f"finding_title.{rule}"):
        return m("finding_title.other", item=finding_id)
    item, other = "", ""
    if rule.startswith("dimension_"):
        item = m.get(f"dimension.{rest}", rest)
    elif rule in ("team_isolated", "perception_split"):
        item = team(m, parts[0])
        other = team(m, parts[1]) if len(parts) > 1 else ""
    elif rule == "metrics_untracked":
        item = m.get(f"scope.{rest}", rest)
    elif rule.startswith("crm_"):
        item = m.name("metric", rest) if m.has(f"metric.{rest}.name") else rest
    elif rule == "data_quality":
        item = ".".join(parts[:2])
    return m(f"finding_title.{rule}", item=item, other=other)


def finding_text(m: Messages, finding: dict, results: dict) -> str:
    """One finding in specific words, with the numbers of its evidence."""
    rule, _, rest = finding["id"].partition(".")
    ev = {e["ref"]: e for e in finding["evidence"]}
    currency = results.get("client", {}).get("currency", "")
    key = f"finding.{rule}"
    if rule in ("dimension_gap", "dimension_strength"):
        e = ev[rest]
        fields = {"dimension": m(f"dimension.{rest}"), "score": m.score(e["value"]),
                  "low": m.score(e["benchmark"][0]), "high": m.score(e["benchmark"][1])}
        weakest = [x for x in finding["evidence"] if x["ref"].startswith(f"{rest}.")]
        if rule == "dimension_gap" and weakest:
            part = weakest[0]["ref"].split(".", 1)[1]
            return m(f"{key}.text_part", part=m(f"component.{part}"),
                     value=m.score(weakest[0]["value"]), **fields)
        return m(f"{key}.text", **fields)
    if rule == "shared_definitions_low":
        share, count = ev["shared_definitions"], ev["shared_count"]
        return m(f"{key}.text", share=m.percent(share["value"] / 100), count=count["value"],
                 total=count["benchmark"])
    if rule == "team_isolated":
        sheets = ev[f"spreadsheets.{rest}"]["value"]
        others = [s for s in ev[f"used_by.{rest}"]["value"] if s not in sheets]
        fields = {"team": team(m, rest), "value": m.integer(ev[f"silo_map.{rest}"]["value"]),
                  "systems": ", ".join(others) or m("format.none")}
        if sheets:
            return m(f"{key}.spreadsheet", sheets=", ".join(sheets), **fields)
        return m(f"{key}.text", **fields)
    if rule == "perception_split":
        a, b = rest.split(".")
        gap = ev.get("perception_gap")
        return m(f"{key}.text", a=team(m, a), b=team(m, b), va=m.score(ev[f"{a}.silos"]["value"]),
                 vb=m.score(ev[f"{b}.silos"]["value"]),
                 gap=m.score(gap["value"]) if gap else "–")
    if rule in ("sources_of_truth_split", "spreadsheet_source_of_truth"):
        items = [x for x in finding["evidence"] if x["ref"].startswith("source_of_truth.")]
        listed = [m(f"finding.sources_of_truth_split.{'none' if not x['benchmark'] else 'copies'}",
                    entity=m.get(f"entity.{x['ref'].split('.', 1)[1]}", x["ref"]),
                    systems=", ".join(x["benchmark"] or []))
                  for x in items]
        systems = sorted({s for x in items for s in (x["benchmark"] or [])})
        return m(f"{key}.text", count=len(items), items=m.join(listed),
                 entities=m.join([m.get(f"entity.{x['ref'].split('.', 1)[1]}", x["ref"])
                                  for x in items]), systems=", ".join(systems),
                 points=m.score(min(x["value"] for x in items)))
    if rule == "metrics_untracked":
        e = ev[f"{rest}_tracked"]
        return m(f"{key}.text", tracked=e["value"], count=e["benchmark"],
                 scope=m(f"scope.{rest}"),
                 score=m.score(ev[f"metric_coverage.{rest}"]["value"]))
    if rule in ("handoffs_missing", "handoffs_without_sla"):
        count = next(x for x in finding["evidence"] if x["ref"].endswith("_count"))
        names = [m.name("handoff", x["ref"]) for x in finding["evidence"]
                 if not x["ref"].endswith("_count")]
        return m(f"{key}.text", count=count["value"], total=count["benchmark"],
                 names=m.join(names))
    if rule == "functions_missing":
        names = [m("finding.functions_missing.item",
                   name=m.name("function", x["ref"].partition(".")[2]),
                   score=m.score(x["value"])) for x in finding["evidence"]]
        return m(f"{key}.text", count=len(names), names=m.join(names))
    if rule in ("crm_below_band", "crm_above_band"):
        e = ev[rest]
        unit = _unit(rest)
        return m(f"{key}.text", metric=m.name("metric", rest),
                 value=measure_value(m, e["value"], unit, currency),
                 band=measure_range(m, *e["benchmark"], unit, currency))
    if rule == "cac_above_deal":
        cac, deal = ev["cac"]["value"], ev["average_deal_size"]["value"]
        return m(f"{key}.text", cac=m.money(cac, currency), deal=m.money(deal, currency),
                 ratio=m.number(cac / deal if deal else 0, 1))
    if rule == "data_quality":
        table, column, qid = rest.split(".")
        share = next(x for x in finding["evidence"] if x["ref"].startswith("quality."))
        return m(f"{key}.text", share=m.percent(share["value"], 1), count=share["benchmark"],
                 problem=m.get(f"quality.{qid}", qid), table=table, column=column)
    if rule == "connections_strength":
        return m(f"{key}.text", score=m.score(ev["silos.connections"]["value"]))
    if rule == "verdict_borderline":
        return m(f"{key}.text", reason=robustness_text(m, results["recommendation"]))
    if rule == "contradiction":
        record = next((c for c in (results.get("measured") or {}).get("contradictions", [])
                       if c.get("id") == rest), None)
        if record is not None:
            name, claim, evidence, _ = contradiction_texts(m, record)
            return m(f"{key}.text", name=name, claim=claim, evidence=evidence)
        return finding_title(m, finding["id"])
    return m.get(f"{key}.text", finding["id"])


def evidence_line(m: Messages, finding: dict, results: dict) -> str:
    """The finding's evidence, compactly: where each number comes from, and its benchmark."""
    currency = results.get("client", {}).get("currency", "")
    parts = []
    for e in finding["evidence"]:
        if e["source"] == "comments":
            parts.append(m("evidence_line.comment", team=team(m, e["ref"].split(".")[0]),
                           text=e["value"]))
            continue
        if not isinstance(e["value"], (int, float)) or isinstance(e["value"], bool):
            continue
        name, value = _evidence_name(m, e), e["value"]
        unit = _unit(e["ref"]) if e["source"] == "crm" else None
        bench = e.get("benchmark")
        if unit:
            shown = measure_value(m, value, unit, currency)
        elif e["source"] in ("scores", "handoffs") and isinstance(value, float):
            shown = m.score(value)
        else:
            shown = m.plain(round(value, 2))
        if isinstance(bench, int) and not isinstance(bench, bool) and isinstance(value, int):
            shown = m("evidence_line.of", value=shown, total=m.integer(bench))
        text = m("evidence_line.item", source=m(f"evidence_line.source.{e['source']}"),
                 name=name, value=shown)
        if isinstance(bench, list) and len(bench) == 2 and all(
                isinstance(b, (int, float)) for b in bench):
            key = "evidence_line.reference_band" if e["source"] == "scores" else "evidence_line.band"
            text += m(key, band=measure_range(m, *bench, unit, currency)
                      if unit else m("format.range", low=m.plain(bench[0]), high=m.plain(bench[1])))
        parts.append(text)
    return m("evidence_line.separator").join(parts)


def _evidence_name(m: Messages, e: dict) -> str:
    ref, source = e["ref"], e["source"]
    if "/" in ref:  # an intake claim: file/row id/column, e.g. handoffs.csv/mql_to_sql/sla_hours
        file, _, rest = ref.partition("/")
        item, _, column = rest.partition("/")
        if file == "handoffs.csv":
            return m("evidence_line.intake_sla", name=m.name("handoff", item))
        if file == "metrics.csv":
            return m.name("metric", item)
        return m("evidence_line.intake", file=file)
    head, _, rest = ref.partition(".")
    if source == "scores":
        if head == "functions":
            return m.name("function", rest)
        if head == "recommendation":
            return m(f"evidence_line.recommendation.{rest}")
        if head == "robustness":
            return m(f"evidence_line.robustness_{rest}")
        if rest:
            return m.get(f"component.{rest}", rest)
        return m(f"dimension.{head}")
    if source == "survey":
        if ref == "perception_gap":
            return m("evidence_line.perception_gap")
        return m("evidence_line.team_silos", team=team(m, head))
    if source == "systems":
        if head == "silo_map":
            return m("evidence_line.best_link", team=team(m, rest))
        if head == "source_of_truth":
            return m.get(f"entity.{rest}", rest)
        return ref
    if source == "metrics":
        return m(f"evidence_line.metrics.{ref}")
    if source == "handoffs":
        return m("evidence_line.handoffs_missing") if ref.endswith("_count") \
            else m.name("handoff", ref)
    if source == "crm":
        if head == "quality":
            return m.get(f"quality.{rest}", rest)
        if "." in ref:
            return ref
        return m.name("metric", ref)
    return ref


def robustness_sentence(m: Messages, rec: dict) -> str:
    """"Robust: the decision score is 13.4 points from the threshold of 45."""
    return m("robustness.sentence", word=m(f"robustness.{rec.get('robustness_class')}")
             .capitalize(), reasons=robustness_text(m, rec))


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
