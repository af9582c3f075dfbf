"""Data contracts: load ``data_contracts/*.yaml`` and turn them into pandera schemas.

The YAML files are the single place the intake rules live. This module parses
raw text cells into typed values (reporting cells that are not of the
contract's type) and builds a lazily-validated pandera schema for the rest:
required cells, ranges, allowed values, patterns and uniqueness.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pandas as pd
import pandera.pandas as pa
import yaml

from revkit import catalog
from revkit.errors import Problem
from revkit.intake import cells
from revkit.paths import CONTRACTS_DIR
from revkit.suggest import allowed_text, suggest  # noqa: F401 - part of this module's API
from revkit.yaml_check import DATA_LOADER

TABLES = ("profile", "teams", "survey", "systems", "metrics", "handoffs")


@dataclass(frozen=True)
class ColumnRule:
    name: str
    type: str = "string"
    required: bool = True
    nullable: bool = False
    allowed: tuple | None = None
    allowed_from: str | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    unique: bool = False
    description: str = ""
    example: object = None

    def choices(self, context: dict[str, list[str]]) -> list[str] | None:
        """Allowed values, resolved against the catalogs and this client's tables."""
        if self.allowed is not None:
            return list(self.allowed)
        if self.allowed_from:
            # None: the referenced table could not be read, so its values are unknown and
            # references to it are not checked (the unreadable table is reported instead)
            values = context.get(self.allowed_from)
            return None if values is None else list(values)
        return None

    def range_text(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{_num(self.min)}..{_num(self.max)}"
        if self.min is not None:
            return f">= {_num(self.min)}"
        return f"<= {_num(self.max)}"


@dataclass(frozen=True)
class Contract:
    table: str
    file: str
    sheet: str
    description: str
    columns: dict[str, ColumnRule]
    unique_together: tuple = ()
    rules: tuple = field(default_factory=tuple)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns.values() if c.required]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


@cache
def load(table: str) -> Contract:
    """The contract of one intake table."""
    with open(CONTRACTS_DIR / f"{table}.yaml", encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=DATA_LOADER)
    columns = {}
    for name, spec in raw["columns"].items():
        spec = dict(spec)
        if "allowed" in spec:
            spec["allowed"] = tuple(spec["allowed"])
        columns[name] = ColumnRule(name=name, **spec)
    return Contract(
        table=raw["table"],
        file=raw["file"],
        sheet=raw["sheet"],
        description=raw.get("description", ""),
        columns=columns,
        unique_together=tuple(tuple(g) for g in raw.get("unique_together", [])),
        rules=tuple(raw.get("rules", [])),
    )


def all_contracts() -> dict[str, Contract]:
    return {t: load(t) for t in TABLES}


def catalog_context() -> dict[str, list[str]]:
    """Allowed-value sets that come from the kit: its catalogs, its report languages (the
    shipped message catalogs) and the encodings intake files may be in."""
    from revkit import messages
    from revkit.intake import formats

    context = {f"catalog:{name}": catalog.ids(name) for name in
               ("teams", "questions", "metrics", "handoffs", "entities")}
    context["kit:languages"] = messages.languages()
    context["kit:encodings"] = formats.encoding_ids()
    return context


def records(frame: pd.DataFrame):
    """``(index, row dict)`` pairs; much faster than ``DataFrame.iterrows``."""
    return zip(frame.index, frame.to_dict("records"), strict=True)


# ---------------------------------------------------------------- cell parsing

def parse_cell(rule: ColumnRule, text: str):
    """Typed value of one non-empty cell, or raise ``cells.CellError`` saying what is allowed."""
    kind = rule.type
    if kind == "string":
        return text
    if kind == "integer":
        return cells.parse_whole(text)
    if kind == "number":
        return cells.parse_number(text)
    if kind == "boolean":
        return cells.parse_boolean(text)
    if kind == "date":
        return cells.parse_date(text)
    if kind == "list":
        return tuple(part.strip() for part in text.split(";") if part.strip())
    raise AssertionError(f"unknown contract type {kind!r}")


def parse_table(contract: Contract, raw: pd.DataFrame, where: dict) -> tuple[pd.DataFrame, list[Problem], set]:
    """Typed copy of ``raw`` (all-text cells, index = row as the user sees it).

    Returns the typed frame, the type problems, and the (row, column) cells that
    failed so later checks do not report them twice.
    """
    problems: list[Problem] = []
    bad_cells: set = set()
    typed = {}
    for name, rule in contract.columns.items():
        if name not in raw.columns:
            continue
        values = []
        for row, text in raw[name].items():
            text = "" if text is None else str(text).strip()
            if text == "":
                values.append(None if rule.type != "list" else ())
                continue
            try:
                values.append(parse_cell(rule, text))
            except cells.CellError as exc:
                message = (f"'{name}' is ambiguous: {exc.reason}" if exc.reason
                           else f"'{name}' must be {exc.wanted}")
                problems.append(Problem(message=message, row=row, column=name, value=text,
                                        allowed=exc.allowed, **where))
                bad_cells.add((row, name))
                values.append(None)
        typed[name] = pd.Series(values, index=raw.index, dtype=object, name=name)
    frame = pd.DataFrame(typed, index=raw.index)
    return frame, problems, bad_cells


# ---------------------------------------------------------------- pandera schema

def schema(contract: Contract, context: dict[str, list[str]]) -> pa.DataFrameSchema:
    """A pandera schema for a typed table, allowed sets resolved from ``context``."""
    columns = {}
    for name, rule in contract.columns.items():
        checks = []
        choices = rule.choices(context)
        if choices is not None and rule.type == "list":
            allowed = frozenset(choices)
            checks.append(pa.Check(
                lambda s, allowed=allowed: s.map(lambda v: all(x in allowed for x in v)),
                name="list_allowed", error="list_allowed"))
        elif choices is not None:
            checks.append(pa.Check.isin(choices, name="allowed", error="allowed"))
        if rule.min is not None:
            checks.append(pa.Check.ge(rule.min, name="min", error="range"))
        if rule.max is not None:
            checks.append(pa.Check.le(rule.max, name="max", error="range"))
        if rule.pattern:
            checks.append(pa.Check.str_matches(
                rf"^(?:{rule.pattern})\Z", name="pattern", error="pattern"))
        columns[name] = pa.Column(
            dtype=None, checks=checks, nullable=rule.nullable or rule.type == "list",
            unique=rule.unique, required=False, coerce=False)
    return pa.DataFrameSchema(
        columns, unique=[list(g) for g in contract.unique_together] or None,
        name=contract.table)


def check_table(contract: Contract, typed: pd.DataFrame, context: dict[str, list[str]],
                where: dict, skip: set) -> list[Problem]:
    """Every contract violation of a typed table, as problems located by row and column."""
    try:
        schema(contract, context).validate(typed, lazy=True)
        cases = None
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems: list[Problem] = []
    if cases is not None:
        seen = set()
        for case in cases.to_dict("records"):
            for problem in _render_case(contract, typed, case, context, where, skip):
                key = (problem.row, problem.column, problem.message)
                if key not in seen:
                    seen.add(key)
                    problems.append(problem)
    problems += _row_rules(contract, typed, where, skip)
    return problems


def _render_case(contract, typed, case, context, where, skip):
    column = case.get("column")
    check = str(case.get("check") or "")
    row = case.get("index")
    row = None if row is None or pd.isna(row) else int(row)
    value = case.get("failure_case")
    if check == "multiple_fields_uniqueness" or (column is None and "unique" in check):
        yield from _duplicate_groups(contract, typed, where)
        return
    if column not in contract.columns:
        return
    if (row, column) in skip:
        return
    rule = contract.columns[column]
    choices = rule.choices(context)
    if check == "not_nullable":
        yield Problem(message=f"'{column}' is required: the cell is empty", row=row,
                      column=column, **where)
    elif check == "field_uniqueness":
        first = typed.index[typed[column] == value]
        if len(first) and first[0] != row:  # report the repeats, not the first occurrence
            yield Problem(message=f"'{column}' must be unique: {value!r} is already in row "
                          f"{first[0]}", row=row, column=column, value=value, **where)
    elif check == "allowed":
        yield Problem(message=f"'{column}' has a value that is not allowed", row=row,
                      column=column, value=value, allowed=allowed_text(choices),
                      suggestion=suggest(value, choices), **where)
    elif check == "list_allowed":
        items = typed.at[row, column] if row in typed.index else ()
        allowed = set(choices)
        for item in items:
            if item not in allowed:
                yield Problem(message=f"'{column}' lists a value that is not allowed", row=row,
                              column=column, value=item, allowed=allowed_text(choices),
                              suggestion=suggest(item, choices), **where)
    elif check == "range":
        yield Problem(message=f"'{column}' is out of range", row=row, column=column,
                      value=_plain(value), allowed=rule.range_text(), **where)
    elif check == "pattern":
        yield Problem(message=f"'{column}' has the wrong form", row=row, column=column,
                      value=value, allowed=rule.description or rule.pattern, **where)
    else:
        yield Problem(message=f"'{column}' fails check {check}", row=row, column=column,
                      value=value, **where)


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _duplicate_groups(contract, typed, where):
    for group in contract.unique_together:
        cols = [c for c in group if c in typed.columns]
        if len(cols) != len(group):
            continue
        dupes = typed[typed.duplicated(cols, keep="first")]
        for row, record in records(dupes):
            value = ", ".join(f"{c}={record[c]}" for c in cols)
            yield Problem(message=f"duplicate row: the pair ({', '.join(cols)}) appears more "
                          "than once", row=int(row), column=cols[-1], value=value, **where)


def _row_rules(contract, typed, where, skip):
    problems = []
    for rule in contract.rules:
        if "when" in rule:
            (col, expected), = rule["when"].items()
            (req_col, req_value), = rule["require"].items()
            if col not in typed or req_col not in typed:
                continue
            for row, record in records(typed):
                if (row, req_col) in skip or record[col] is None or record[req_col] is None:
                    continue
                if record[col] == expected and record[req_col] != req_value:
                    problems.append(Problem(message=rule["message"], row=row, column=req_col,
                                            value=record[req_col], allowed=str(req_value),
                                            **where))
        elif "when_greater" in rule:
            small, big = rule["when_greater"]
            if small not in typed or big not in typed:
                continue
            for row, record in records(typed):
                a, b = record[small], record[big]
                if a is not None and b is not None and a > b:
                    problems.append(Problem(message=rule["message"], row=row, column=small,
                                            value=a, **where))
    return problems
