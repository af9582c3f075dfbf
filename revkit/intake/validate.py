"""Validate a client's intake in one pass and build the ``Client``.

Order: read every table (``readers``) → reshape a wide survey → type every
cell and check it against its contract (``contracts``) → cross-table rules →
warnings. All problems are gathered before anything is raised.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pandas as pd

from revkit import catalog
from revkit.errors import Problem, ValidationFailed, warning
from revkit.intake import contracts
from revkit.intake.contracts import records
from revkit.intake.model import Client
from revkit.intake.readers import RawClient, RawTable, read_client

SLUG_PATTERN = contracts.load("profile").columns["slug"].pattern
WIDE_SURVEY_EXTRA = ("comment",)
# columns form tools add to a wide export; they carry no answers
FORM_TOOL_COLUMNS = ("timestamp", "submitted_at", "start_time", "end_time", "email", "name")


def load_client(path: str | Path) -> Client:
    """The validated client at ``path`` (folder or workbook); raises ``ValidationFailed``."""
    client, problems = check_client(path)
    if client is None:
        raise ValidationFailed(source=str(path), problems=problems)
    return client


def check_client(path: str | Path) -> tuple[Client | None, list[Problem]]:
    """``(client or None, every problem and warning)`` for the intake at ``path``."""
    raw = read_client(path)
    problems = list(raw.problems)
    context = contracts.catalog_context()

    profile, teams = _check_profile(raw, context, problems)
    # an unknown team id is reported once, on the profile; other tables may still use it
    context["profile:teams"] = _referable_teams(teams)

    typed: dict[str, pd.DataFrame] = {}
    if "survey" in raw.tables:
        raw.tables["survey"] = _reshape_wide_survey(raw.tables["survey"])
    # systems first: other tables refer to its names
    for table in ("systems", "survey", "metrics", "handoffs"):
        if table not in raw.tables:
            continue
        if table == "systems":  # systems refer to each other by name
            names = raw.tables["systems"].frame.get("system", pd.Series(dtype=object))
            context["systems:system"] = [str(s).strip() for s in names if str(s).strip()] or None
        # missing handoffs count as not defined (a warning), so an empty list is allowed
        frame = _check_table(raw.tables[table], context, problems,
                             allow_empty=table == "handoffs")
        if frame is not None:
            typed[table] = frame

    if context["profile:teams"]:
        _cross_table_rules(typed, set(context["profile:teams"]), raw, problems)
    crm = None
    if raw.kind == "folder" and Path(path).is_dir():
        from revkit.intake.crm import check_crm

        crm, crm_problems = check_crm(Path(path), context["profile:teams"] or [])
        problems += crm_problems
    problems = sorted(_dedupe(problems), key=_order)
    if any(p.severity == "error" for p in problems) or profile is None or teams is None \
            or len(typed) < 4:
        return None, problems
    client = Client(
        profile=profile, teams=_finish(teams, "teams"),
        survey=_finish(typed["survey"], "survey"), systems=_finish(typed["systems"], "systems"),
        metrics=_finish(typed["metrics"], "metrics"),
        handoffs=_finish(typed["handoffs"], "handoffs"),
        source=Path(path), warnings=tuple(problems), crm=crm, read_as=dict(raw.read_as))
    return client, problems


# ---------------------------------------------------------------- profile

def _check_profile(raw: RawClient, context, problems):
    if not raw.profile_where:
        return None, None
    contract = contracts.load("profile")
    where = raw.profile_where
    lines = raw.profile_lines
    values = dict(raw.profile)
    known = set(contract.columns) | {"teams"}
    for key in values:
        if key not in known:
            problems.append(warning("unknown_profile_key", {"key": key}, row=lines.get(key),
                                    column=key, suggestion=contracts.suggest(key, sorted(known)),
                                    **where))
    header = RawTable(table="profile", frame=pd.DataFrame(
        [{k: values.get(k, "") for k in contract.columns if k in values}], index=[0],
        dtype=object), where=where)
    missing = [c for c in contract.required_columns if c not in values]
    for name in missing:
        problems.append(Problem(message=f"'{name}' is required: add a line '{name}: ...'",
                                column=name, **where))
    frame = _check_table(header, context, [], allow_empty=False, problems_out=problems,
                         line_of=lines)
    teams = None
    if "teams" in raw.tables:
        teams = _check_table(raw.tables["teams"], context, problems, allow_empty=False)
        if teams is not None and teams.empty:
            teams = None
    if frame is None or missing or frame.empty:
        return None, teams
    record = frame.iloc[0].to_dict()
    profile = {name: record.get(name) for name in contract.columns}
    return profile, teams


def _referable_teams(teams: pd.DataFrame | None) -> list[str] | None:
    """Team ids other tables may refer to; None where the teams could not be read.

    A misspelt team id in the profile is reported there once; the other tables
    are checked against the id it most likely means, so one typo is one error.
    """
    if teams is None:
        return None
    known = catalog.team_ids()
    ids = []
    for team in teams["team"].dropna():
        ids.append(team if team in known else (contracts.suggest(team, known) or team))
    return ids or None


# ---------------------------------------------------------------- tables

def _check_table(rt: RawTable, context, problems, allow_empty: bool,
                 problems_out=None, line_of=None) -> pd.DataFrame | None:
    """Typed frame of one raw table, adding its problems; None if it cannot be typed."""
    out = problems_out if problems_out is not None else problems
    contract = contracts.load(rt.table)
    where = rt.where
    local: list[Problem] = []
    columns = list(rt.frame.columns)
    for name in contract.required_columns:
        if name not in columns:
            local.append(Problem(
                message=f"missing column '{name}'", row=rt.header_row, column=name,
                allowed=", ".join(contract.columns),
                suggestion=contracts.suggest(name, [c for c in columns if c not in contract.columns]),
                **where))
    for name in columns:
        if name not in contract.columns and rt.table != "profile":
            local.append(warning(
                "unknown_column", {"name": name}, row=rt.header_row, column=name,
                suggestion=contracts.suggest(name, list(contract.columns)), **where))
    if rt.frame.empty and not allow_empty:
        local.append(Problem(message="the list is empty" if where["file"].endswith(".yaml")
                             else "the table has a header but no data rows",
                             row=rt.header_row, column=columns[0] if columns else None, **where))
    typed, type_problems, bad = contracts.parse_table(contract, rt.frame, where)
    local += type_problems
    local += contracts.check_table(contract, typed, context, where, bad)
    if line_of is not None:  # profile: one row, each key on its own line
        local = [replace(p, row=line_of.get(p.column, p.row) if p.row == 0 else p.row)
                 for p in local]
    out.extend(rt.locate(p) for p in local)
    for name, rule in contract.columns.items():
        if name not in typed.columns:
            typed[name] = pd.Series([() if rule.type == "list" else None] * len(typed),
                                    index=typed.index, dtype=object)
    return typed[list(contract.columns)]


def _reshape_wide_survey(rt: RawTable) -> RawTable:
    """Form-tool layout (one row per respondent, a column per question) → one row per answer."""
    columns = list(rt.frame.columns)
    if "question_id" in columns or "score" in columns or not {"respondent_id", "team"} <= set(columns):
        return rt
    skipped = [c for c in columns if c.strip().lower() in FORM_TOOL_COLUMNS]
    questions = [c for c in columns
                 if c not in ("respondent_id", "team", *WIDE_SURVEY_EXTRA, *skipped)]
    answers, row_of, cell_of = [], {}, {}
    for row, record in records(rt.frame):
        for position, question in enumerate(questions):
            idx = len(answers)
            answers.append({
                "respondent_id": record["respondent_id"], "team": record["team"],
                "question_id": question, "score": record[question],
                "comment": record.get("comment", "") if position == 0 else "",
            })
            row_of[idx] = row
            cell_of[(idx, "score")] = (row, question)
            cell_of[(idx, "question_id")] = (rt.header_row, question)
    frame = pd.DataFrame(answers, columns=["respondent_id", "team", "question_id", "score",
                                           "comment"], dtype=object)
    return _WideTable(table="survey", frame=frame, where=rt.where, header_row=rt.header_row,
                      row_of=row_of, column_of=cell_of)


class _WideTable(RawTable):
    def locate(self, problem: Problem) -> Problem:
        if problem.row is None or problem.row not in self.row_of:
            return problem
        cell = self.column_of.get((problem.row, problem.column))
        if cell:
            return replace(problem, row=cell[0], column=cell[1])
        return replace(problem, row=self.row_of[problem.row])


# ---------------------------------------------------------------- cross-table rules

def _cross_table_rules(typed, teams: set[str], raw: RawClient, problems: list[Problem]) -> None:
    # what applies to the client (handoffs, metrics) depends on its motion and revenue model;
    # an unreadable value is reported on the profile and does not narrow anything here
    motion = str(raw.profile.get("gtm_motion", "")).strip() or None
    model = str(raw.profile.get("revenue_model", "")).strip() or None
    def where(table):
        return raw.tables[table].where

    def row(table, idx):
        return raw.tables[table].row_of.get(idx, idx)

    if "survey" in typed:
        survey = typed["survey"]
        first_team: dict = {}
        for idx, rec in records(survey):
            rid, team = rec["respondent_id"], rec["team"]
            if rid is None or team is None:
                continue
            if rid in first_team and first_team[rid][0] != team:
                problems.append(Problem(
                    message=f"respondent '{rid}' already answered as team "
                            f"'{first_team[rid][0]}' (row {first_team[rid][1]}); "
                            "one team per respondent", row=row("survey", idx), column="team",
                    value=team, allowed=first_team[rid][0], **where("survey")))
            first_team.setdefault(rid, (team, row("survey", idx)))
        per_team = Counter(team for team, _ in first_team.values())
        for team in sorted(teams):
            n = per_team.get(team, 0)
            if n == 0:
                problems.append(warning("team_without_respondents", {"team": team},
                                        column="team", **where("survey")))
            elif n == 1:
                problems.append(warning("team_single_respondent", {"team": team},
                                        column="team", **where("survey")))

    if "handoffs" in typed:
        by_id = catalog.by_id("handoffs")
        present = set()
        for idx, rec in records(typed["handoffs"]):
            hid = rec["handoff_id"]
            if hid not in by_id:
                continue
            present.add(hid)
            h = by_id[hid]
            absent = [t for t in (h["from_team"], h["to_team"]) if t not in teams]
            if absent:
                problems.append(Problem(
                    message=f"handoff '{hid}' is between {h['from_team']} and {h['to_team']}, "
                            f"but the profile has no team {' or '.join(sorted(set(absent)))}",
                    row=row("handoffs", idx), column="handoff_id", value=hid,
                    allowed=", ".join(x["id"] for x in catalog.applicable_handoffs(teams, motion)),
                    **where("handoffs")))
            elif not catalog.applies(h, teams, motion=motion):
                problems.append(warning("handoff_not_for_motion", {"handoff": hid,
                                                                   "motion": motion},
                                        row=row("handoffs", idx), column="handoff_id",
                                        value=hid, **where("handoffs")))
        for h in catalog.applicable_handoffs(teams, motion):
            if h["id"] not in present:
                problems.append(warning("handoff_missing", {"handoff": h["id"]},
                                        column="handoff_id", **where("handoffs")))

    if "systems" in typed:
        for idx, rec in records(typed["systems"]):
            if rec["system"] and rec["system"] in (rec["integrated_with"] or ()):
                problems.append(warning("self_integration", {}, row=row("systems", idx),
                                        column="integrated_with", value=rec["system"],
                                        **where("systems")))

    if "metrics" in typed:
        listed = set(typed["metrics"]["metric_id"].dropna())
        # only metrics that apply count as not tracked when left out (the rest are not asked)
        missing = [m["id"] for m in catalog.metrics() if m["id"] not in listed
                   and catalog.applies(m, teams, model, motion)]
        if missing:
            problems.append(warning("metrics_not_asked", {"metrics": missing},
                                    column="metric_id", **where("metrics")))
        for idx, rec in records(typed["metrics"]):
            if rec["tracked"] and not rec["owner_team"]:
                problems.append(warning("tracked_without_owner", {"metric": rec["metric_id"]},
                                        row=row("metrics", idx), column="owner_team",
                                        **where("metrics")))


FILE_ORDER = {name: i for i, name in enumerate(
    ["profile.yaml", "survey.csv", "systems.csv", "metrics.csv", "handoffs.csv",
     "crm/mapping.yaml"])}
SHEET_ORDER = {name: i for i, name in enumerate(
    ["profile", "teams", "survey", "systems", "metrics", "handoffs"])}


def _order(p: Problem):
    return (p.severity != "error", FILE_ORDER.get(p.file, len(FILE_ORDER)), p.file,
            SHEET_ORDER.get(p.sheet or "", -1), p.row if p.row is not None else -1, p.column or "")


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.file, p.sheet, p.row, p.column, p.message, str(p.value), p.severity)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# ---------------------------------------------------------------- final frames

FLOAT_COLUMNS = {"score", "sla_hours"}


def _finish(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    contract = contracts.load(table)
    out = {}
    for name, rule in contract.columns.items():
        values = list(frame[name])
        if name in FLOAT_COLUMNS or rule.type == "number":
            out[name] = pd.Series([float("nan") if v is None else float(v) for v in values],
                                  dtype="float64")
        elif rule.type == "integer":
            # the only optional integer (ops_headcount) counts as 0 where not given
            out[name] = pd.Series([0 if v is None else v for v in values], dtype="int64")
        elif rule.type == "boolean":
            out[name] = pd.Series([bool(v) for v in values], dtype=bool)
        else:
            out[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(out)
