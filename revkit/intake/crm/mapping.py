"""Read ``crm/mapping.yaml``, merge it over its preset and check it.

A mapping says which export file holds each canonical table, which export
column feeds each canonical column, how dates are written, and what each
stage and source value means. Presets (``revkit/data/crm_presets``) fill any
part; the client's file overrides them: ``columns`` and ``sources`` are
merged value by value (a column set to ``null`` removes the preset's),
``stages`` is replaced whole because it lists the funnel in order, every
other key is replaced.

Problems point at the line of the offending key in ``crm/mapping.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

import yaml

from revkit.errors import Problem
from revkit.intake.contracts import allowed_text, suggest
from revkit.paths import DATA_DIR

CRM_DATA_DIR = DATA_DIR / "crm"
PRESETS_DIR = DATA_DIR / "crm_presets"
MAPPING_FILE = "crm/mapping.yaml"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def canonical() -> dict:
    """The canonical CRM tables, their columns and the allowed keys (a data file)."""
    return _load_yaml(CRM_DATA_DIR / "canonical.yaml")


@cache
def quality_rules() -> dict:
    """Data-quality checks and thresholds (a data file)."""
    return _load_yaml(CRM_DATA_DIR / "quality.yaml")


def preset_names() -> list[str]:
    """Names of the shipped presets, e.g. ``['generic', 'hubspot', 'salesforce']``."""
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def _load_yaml(path: Path):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class TableMapping:
    """How one canonical table is read from one export file."""

    table: str
    file: str
    columns: dict[str, str]  # canonical column -> export column
    date_format: str | None = None  # strftime; None = ISO (YYYY-MM-DD, time ignored)
    stages: dict[str, str] = field(default_factory=dict)  # export value -> open|won|lost
    sources: dict[str, str] = field(default_factory=dict)  # export value -> source class
    keep: tuple[str, ...] = ()
    explicit: bool = False  # named in the client's file: a missing export is an error

    @property
    def stage_order(self) -> list[str]:
        return list(self.stages)


@dataclass(frozen=True)
class Mapping:
    """A client's merged and checked CRM mapping."""

    preset: str | None
    tables: dict[str, TableMapping]
    period: tuple[dt.date, dt.date] | None = None
    as_of: dt.date | None = None
    quota: dict | None = None  # {"start": date, "end": date, "amount": float}


# ---------------------------------------------------------------- YAML with lines

class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Every scalar stays text (``No``, ``On``, ``2026-01-01`` are export values)."""


_TextLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _lines(node, path=()) -> dict:
    """``{key path: line}`` for every mapping key in a composed YAML tree."""
    out = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = path + (str(key.value),)
            out[here] = key.start_mark.line + 1
            out.update(_lines(value, here))
    return out


def parse_yaml(text: str, file: str) -> tuple[dict | None, dict, list[Problem]]:
    """``(data, lines, problems)`` of a mapping text; data is None when unreadable."""
    loader = _TextLoader(text)
    try:  # one parse gives both the lines (nodes) and the data
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, {}, [Problem(
            file=file, message=f"the file is not valid YAML: {getattr(exc, 'problem', None) or exc}",
            row=mark.line + 1 if mark else None)]
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, {}, [Problem(file=file, row=1, message="the mapping must be a set of "
                                  "'key: value' lines (preset, opportunities, leads, ...)")]
    return data, _lines(node), []


# ---------------------------------------------------------------- checking one file

class _Checker:
    """Checks one mapping document (the client's file or a preset) key by key."""

    def __init__(self, data: dict, lines: dict, file: str):
        self.data, self.lines, self.file = data, lines, file
        self.problems: list[Problem] = []
        self.bad_tables: set[str] = set()  # sections with a problem; the others can be read
        self.bad_top = False  # a problem outside the table sections: nothing can be read
        self.spec = canonical()

    def problem(self, path: tuple, message: str, value=None, allowed=None, choices=None):
        if path and path[0] in self.spec["tables"]:
            self.bad_tables.add(path[0])
        else:
            self.bad_top = True
        self.problems.append(Problem(
            file=self.file, row=self._line(path), column=path[-1] if path else None,
            value=value, message=message, allowed=allowed,
            suggestion=suggest(str(value), choices) if choices and value is not None else None))

    def _line(self, path: tuple) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def unknown_keys(self, mapping: dict, allowed: list[str], path: tuple) -> dict:
        known = {}
        for key, value in mapping.items():
            key = str(key)
            if key in allowed:
                known[key] = value
            else:
                where = ".".join(path) if path else "the top level"
                self.problem(path + (key,), f"unknown key '{key}' in {where}", value=key,
                             allowed=allowed_text(allowed), choices=allowed)
        return known

    def check(self) -> dict:
        """The document's known parts, typed; problems gathered on ``self.problems``."""
        spec = self.spec
        top = self.unknown_keys(self.data, spec["top_keys"], ())
        out: dict = {"tables": {}}
        if "preset" in top:
            name = top["preset"]
            if name not in preset_names():
                self.problem(("preset",), "unknown preset", value=name,
                             allowed=allowed_text(preset_names()), choices=preset_names())
            else:
                out["preset"] = name
        if top.get("period") is not None:
            out["period"] = self.period(top["period"])
        if top.get("as_of") is not None:
            out["as_of"] = self.date(top["as_of"], ("as_of",))
        if top.get("quota") is not None:
            out["quota"] = self.quota(top["quota"])
        for table in spec["tables"]:
            if table in top:
                out["tables"][table] = self.table(table, top[table])
        return out

    def date(self, value, path: tuple) -> dt.date | None:
        text = "" if value is None else str(value).strip()
        if ISO_DATE.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        self.problem(path, f"'{path[-1]}' must be a date", value=value, allowed="YYYY-MM-DD")
        return None

    def section(self, value, path: tuple, keys: list[str]) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, f"'{path[-1]}' must be a set of keys: {', '.join(keys)}",
                         value=value if not isinstance(value, list) else None,
                         allowed=", ".join(keys))
            return None
        return self.unknown_keys(value, keys, path)

    def period(self, value):
        keys = self.spec["period_keys"]
        part = self.section(value, ("period",), keys)
        if part is None:
            return None
        dates = [self.date(part.get(k), ("period", k)) for k in keys]
        if None in dates:
            return None
        if dates[0] > dates[1]:
            self.problem(("period", "end"), "the period ends before it starts", value=str(dates[1]),
                         allowed=f"a date on or after {dates[0]}")
            return None
        return tuple(dates)

    def quota(self, value):
        part = self.section(value, ("quota",), self.spec["quota_keys"])
        if part is None:
            return None
        start = self.date(part.get("start"), ("quota", "start"))
        end = self.date(part.get("end"), ("quota", "end"))
        try:
            amount = float(str(part.get("amount")).replace("_", ""))
            if not amount > 0 or amount == float("inf"):
                raise ValueError
        except ValueError:
            self.problem(("quota", "amount"), "'amount' must be a number above 0",
                         value=part.get("amount"), allowed="e.g. 2500000")
            return None
        if start is None or end is None:
            return None
        return {"start": start, "end": end, "amount": amount}

    def table(self, table: str, value):
        """A table section; ``None`` (``leads: null``) drops the preset's table."""
        if value is None:
            return None
        spec = self.spec["tables"][table]
        allowed = [k for k in self.spec["table_keys"]
                   if k not in ("stages", "sources") or k in spec["value_maps"]]
        part = self.section(value, (table,), allowed)
        if part is None:
            return {}
        out: dict = {}
        if "file" in part:
            file = part["file"]
            pure = PurePosixPath(str(file or "").replace("\\", "/"))
            if not file or pure.is_absolute() or ".." in pure.parts:
                self.problem((table, "file"), "'file' must name a file inside crm/", value=file,
                             allowed="a file name such as opportunities.csv")
            else:
                out["file"] = str(pure)
        if "columns" in part:
            cols = self.section(part["columns"], (table, "columns"), list(spec["columns"]))
            if cols is not None:
                out["columns"] = {}
                for name, export in cols.items():
                    if export is not None and not isinstance(export, str):
                        self.problem((table, "columns", name), f"'{name}' must name one export "
                                     "column", value=str(export), allowed="a column name")
                    else:
                        out["columns"][name] = export.strip() if export else None
        if "date_format" in part:
            fmt = part["date_format"]
            if not isinstance(fmt, str) or "%" not in fmt:
                self.problem((table, "date_format"), "'date_format' must be a strftime pattern",
                             value=fmt, allowed='e.g. "%Y-%m-%d" or "%d.%m.%Y"')
            else:
                out["date_format"] = fmt
        for key, classes in (("stages", "stage_classes"), ("sources", "source_classes")):
            if key in part:
                out[key] = self.value_map(part[key], (table, key), self.spec[classes])
        if "keep" in part:
            keep = part["keep"]
            if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
                self.problem((table, "keep"), "'keep' must be a list of export column names",
                             value=None if isinstance(keep, (dict, list)) else keep,
                             allowed="e.g. [Product, Region]")
            else:
                out["keep"] = tuple(keep)
        return out

    def value_map(self, value, path: tuple, classes: list[str]) -> dict:
        if not isinstance(value, dict) or not value:
            self.problem(path, f"'{path[-1]}' must map each export value to one of "
                         f"{', '.join(classes)}", allowed=", ".join(classes))
            return {}
        out = {}
        for export, kind in value.items():
            if kind not in classes:
                self.problem(path + (str(export),), f"'{export}' is mapped to an unknown class",
                             value=kind, allowed=", ".join(classes), choices=classes)
            else:
                out[str(export)] = kind
        return out


# ---------------------------------------------------------------- preset + file

@cache
def _preset(name: str) -> dict:
    path = PRESETS_DIR / f"{name}.yaml"
    data, lines, problems = parse_yaml(path.read_text(encoding="utf-8"), path.name)
    checker = _Checker(data, lines, path.name)
    out = checker.check()
    problems += checker.problems
    if problems:  # a shipped preset is wrong: a bug in the kit, not in the client's input
        raise ValueError("; ".join(p.render() for p in problems))
    return out


def load_preset(name: str) -> dict:
    """A shipped preset, checked like a client's mapping (raises on a broken preset)."""
    return _preset(name)


def read_mapping(crm_dir: Path) -> tuple[Mapping | None, list[Problem]]:
    """The merged mapping of a client's ``crm/`` folder and the mapping's problems.

    The mapping is None when a problem outside the table sections (preset,
    period, ...) leaves nothing to read; otherwise it holds the sound tables.
    """
    path = crm_dir / "mapping.yaml"
    if not path.is_file():
        return None, [Problem(file=MAPPING_FILE, message="missing file: a crm/ folder needs "
                              "mapping.yaml (at least 'preset: generic')",
                              allowed=allowed_text(preset_names()))]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(file=MAPPING_FILE, message="the file is not UTF-8 text",
                              allowed="UTF-8 text")]
    data, lines, problems = parse_yaml(text, MAPPING_FILE)
    if data is None:
        return None, problems
    checker = _Checker(data, lines, MAPPING_FILE)
    own = checker.check()
    problems = checker.problems
    if checker.bad_top:
        return None, problems
    base = load_preset(own["preset"]) if own.get("preset") else {"tables": {}}
    tables = {}
    for table in canonical()["tables"]:
        found = len(problems)
        uses_stages = "stages" in canonical()["tables"][table]["value_maps"]
        stages = tables["opportunities"].stages if uses_stages and "opportunities" in tables \
            else {}
        merged = _merge_table(table, base["tables"].get(table), own["tables"], lines, problems,
                              stages)
        if merged is not None and len(problems) == found and table not in checker.bad_tables:
            tables[table] = merged
    # tables whose sections are sound are still returned, so that their exports are
    # checked in the same pass; the problems make the whole crm/ folder invalid
    return Mapping(preset=own.get("preset"), tables=tables, period=own.get("period"),
                   as_of=own.get("as_of"), quota=own.get("quota")), problems


def _merge_table(table: str, preset: dict | None, own_tables: dict, lines: dict,
                 problems: list[Problem], default_stages: dict) -> TableMapping | None:
    """One table's preset and file sections merged; ``default_stages`` are the
    opportunities' stages, which a stage history uses unless it lists its own."""
    explicit = table in own_tables
    own = own_tables.get(table)
    if explicit and own is None:
        return None  # `table: null` drops the preset's table
    if preset is None and own is None:
        return None
    preset, own = preset or {}, own or {}
    columns = {**preset.get("columns", {}), **own.get("columns", {})}
    columns = {k: v for k, v in columns.items() if v}
    merged = TableMapping(
        table=table, file=own.get("file", preset.get("file", "")),
        columns=columns,
        date_format=own.get("date_format", preset.get("date_format")),
        stages=own.get("stages", preset.get("stages", default_stages)),
        sources={**preset.get("sources", {}), **own.get("sources", {})},
        keep=own.get("keep", preset.get("keep", ())),
        explicit=explicit)
    spec = canonical()["tables"][table]
    line = lines.get((table,))

    def need(message, column=None, allowed=None):
        problems.append(Problem(file=MAPPING_FILE, row=line, column=column or table,
                                message=f"{table}: {message}", allowed=allowed))

    if not merged.file:
        need("'file' is required: name the export file inside crm/", "file")
    for name in spec["required"]:
        if name not in columns:
            need(f"'columns' must map '{name}' to an export column", name,
                 allowed=", ".join(spec["required"]))
    if "stage" in columns and not merged.stages:
        need("'stages' is required where a stage column is mapped", "stages",
             allowed="export value: open | won | lost")
    if "source" in columns and not merged.sources:
        need("'sources' is required where a source column is mapped", "sources",
             allowed="export value: " + " | ".join(canonical()["source_classes"]))
    return merged
