"""Read ``crm/mapping.yaml``, merge it over its preset and check it.

A mapping says which export file holds each canonical table, which export
column feeds each canonical column, how dates are written, and what each
stage and source value means. Presets (``revkit/data/crm_presets``) fill any
part; the client's file overrides them: ``columns`` and ``sources`` are
merged value by value (a column set to ``null`` removes the preset's),
``stages`` is replaced whole because it lists the funnel in order, every
other key is replaced.

The shape is ``revkit/data/schemas/crm_mapping.schema.json`` (checked by
``revkit.yaml_check``, every value read as text); problems point at the line
and key path of the offending key in ``crm/mapping.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

from revkit import yaml_check
from revkit.errors import KitError, Problem
from revkit.paths import DATA_DIR
from revkit.suggest import allowed_text, suggest

CRM_DATA_DIR = DATA_DIR / "crm"
PRESETS_DIR = DATA_DIR / "crm_presets"
MAPPING_FILE = "crm/mapping.yaml"
SCHEMA = "crm_mapping"  # revkit/data/schemas/crm_mapping.schema.json
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def crm_data(name: str):
    """A data file of ``revkit/data/crm`` (``canonical``, ``quality``, ``metrics``, ...)."""
    return yaml_check.load_data(CRM_DATA_DIR / f"{name}.yaml")


def canonical() -> dict:
    """The canonical CRM tables, their columns and the allowed keys (a data file)."""
    return crm_data("canonical")


def quality_rules() -> dict:
    """Data-quality checks and thresholds (a data file)."""
    return crm_data("quality")


def preset_names() -> list[str]:
    """Names of the shipped presets, e.g. ``['generic', 'hubspot', 'salesforce']``."""
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


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
    # canonical columns the client's file names itself: missing from the export, an error;
    # a column only the preset fills is optional (absent where the export lacks it)
    named: frozenset[str] = frozenset()
    # export column -> stage value: one column per stage with the date a deal entered it
    stage_dates: dict[str, str] = field(default_factory=dict)
    stage_dates_named: bool = False  # given by the client's file (missing columns are errors)

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


# ---------------------------------------------------------------- checking one file

def _sections(doc: yaml_check.Document) -> dict:
    """The document's sound parts, typed; its problems are added to ``doc``.

    The schema checks the shape (keys, classes, preset); what it cannot say — real
    dates, a period in order, a quota above 0, a file inside ``crm/`` — is checked here.
    """
    doc.validate(SCHEMA)
    data = doc.data or {}
    out: dict = {"tables": {}}
    if "preset" in data and ("preset",) not in doc.flagged:
        out["preset"] = data["preset"]
    if data.get("period") is not None and not doc.flagged_below(("period",)):
        start, end = (_date(doc, data["period"][k], ("period", k)) for k in ("start", "end"))
        if start and end and start > end:
            doc.problem(("period", "end"), "the period ends before it starts", value=str(end),
                        allowed=f"a date on or after {start}")
        elif start and end:
            out["period"] = (start, end)
    if data.get("as_of") is not None:
        out["as_of"] = _date(doc, data["as_of"], ("as_of",))
    if data.get("quota") is not None and not doc.flagged_below(("quota",)):
        out["quota"] = _quota(doc, data["quota"])
    for table in canonical()["tables"]:
        if table in data and not doc.flagged_below((table,)):
            out["tables"][table] = _table(doc, table, data[table])
    return out


def _date(doc, value, path: tuple) -> dt.date | None:
    text = "" if value is None else str(value).strip()
    if ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    doc.problem(path, f"'{path[-1]}' must be a date", value=value, allowed="YYYY-MM-DD")
    return None


def _quota(doc, part: dict) -> dict | None:
    start, end = (_date(doc, part[k], ("quota", k)) for k in ("start", "end"))
    try:
        amount = float(str(part["amount"]).replace("_", ""))
    except ValueError:
        amount = float("nan")
    if not 0 < amount < float("inf"):
        doc.problem(("quota", "amount"), "'amount' must be a number above 0",
                    value=part["amount"], allowed="e.g. 2500000")
        return None
    if start is None or end is None:
        return None
    return {"start": start, "end": end, "amount": amount}


def _table(doc, table: str, section: dict | None) -> dict | None:
    """A schema-checked table section; ``None`` (``leads: null``) drops the preset's table."""
    if section is None:
        return None
    out = dict(section)
    if "file" in out:
        pure = PurePosixPath(out["file"].replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts:
            doc.problem((table, "file"), "'file' must name a file inside crm/",
                        value=out.pop("file"), allowed="a file name such as opportunities.csv")
        else:
            out["file"] = str(pure)
    if "columns" in out:
        out["columns"] = {name: export.strip() if export else None
                          for name, export in out["columns"].items()}
    for values in ("stages", "sources"):  # export values are compared stripped
        if isinstance(out.get(values), dict):
            out[values] = {value.strip(): meaning for value, meaning in out[values].items()}
    if "keep" in out:
        out["keep"] = tuple(out["keep"])
    if "stage_dates" in out:
        out["stage_dates"] = {column.strip(): stage.strip()
                              for column, stage in out["stage_dates"].items()}
    return out


# ---------------------------------------------------------------- preset + file

@cache
def _preset(name: str) -> dict:
    path = PRESETS_DIR / f"{name}.yaml"
    # the kit's own file: aliases share one list of sources between two tables
    doc = yaml_check.read(path, f"crm_presets/{path.name}", text=True, aliases=True)
    out = _sections(doc)
    if doc.problems:  # a shipped preset is wrong: a bug in the kit, not in the client's input
        raise KitError("; ".join(p.render() for p in doc.sorted_problems()))
    return out


def load_preset(name: str) -> dict:
    """A shipped preset, checked like a client's mapping (``KitError`` if it is broken)."""
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
    doc = yaml_check.read(path, MAPPING_FILE, text=True)
    if doc.data is None:
        return None, doc.problems
    own = _sections(doc)
    problems = doc.sorted_problems()
    spec = canonical()["tables"]
    bad_tables = {p[0] for p in doc.flagged if p and p[0] in spec}
    if any(not p or p[0] not in spec for p in doc.flagged):
        return None, problems  # preset, period, ... wrong: nothing can be read
    base = load_preset(own["preset"]) if own.get("preset") else {"tables": {}}
    tables = {}
    for table in spec:
        uses_stages = "stages" in spec[table]["value_maps"]
        # a stage history reads the opportunities' stages: judged once those are sound
        if table in bad_tables or (uses_stages and "opportunities" in bad_tables):
            continue
        found = len(problems)
        stages = tables["opportunities"].stages if uses_stages and "opportunities" in tables \
            else {}
        merged = _merge_table(table, base["tables"].get(table), own["tables"], doc, problems,
                              stages)
        if merged is not None and len(problems) == found:
            tables[table] = merged
    # tables whose sections are sound are still returned, so that their exports are
    # checked in the same pass; the problems make the whole crm/ folder invalid
    return Mapping(preset=own.get("preset"), tables=tables, period=own.get("period"),
                   as_of=own.get("as_of"), quota=own.get("quota")), problems


def _merge_table(table: str, preset: dict | None, own_tables: dict, doc: yaml_check.Document,
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
    spec = canonical()["tables"][table]
    columns = {**preset.get("columns", {}), **own.get("columns", {})}
    columns = {k: v for k, v in columns.items() if v}
    stage_dates = own.get("stage_dates", preset.get("stage_dates", {}))
    # columns a wide section stands for (stage and date of a stage history) come from it
    by_wide = {c for key, cols in spec.get("wide", {}).items() if key == "stage_dates"
               and stage_dates for c in cols}
    columns = {k: v for k, v in columns.items() if k not in by_wide}
    merged = TableMapping(
        table=table, file=own.get("file", preset.get("file", "")),
        columns=columns,
        date_format=own.get("date_format", preset.get("date_format")),
        stages=own.get("stages", preset.get("stages", default_stages)),
        sources={**preset.get("sources", {}), **own.get("sources", {})},
        keep=own.get("keep", preset.get("keep", ())),
        explicit=explicit,
        named=frozenset(k for k, v in own.get("columns", {}).items() if v),
        stage_dates=stage_dates, stage_dates_named="stage_dates" in own)
    line = doc.line((table,))

    def need(message, key, allowed=None):
        problems.append(Problem(file=MAPPING_FILE, row=line, column=f"{table}.{key}",
                                message=f"{table}: {message}", allowed=allowed))

    if not merged.file:
        need("'file' is required: name the export file inside crm/", "file")
    required = [c for c in spec["required"] if c not in by_wide]
    for name in required:
        if name not in columns:
            need(f"'columns' must map '{name}' to an export column", f"columns.{name}",
                 allowed=", ".join(required))
    for column, stage in stage_dates.items():
        if stage not in merged.stages:
            problems.append(Problem(
                file=MAPPING_FILE, row=doc.line((table, "stage_dates", column)),
                column=f"{table}.stage_dates.{column}", value=stage,
                message=f"{table}: a stage the stages do not list",
                allowed=allowed_text(list(merged.stages)),
                suggestion=suggest(stage, list(merged.stages))))
    if "stage" in columns and not merged.stages:
        need("'stages' is required where a stage column is mapped", "stages",
             allowed="export value: open | won | lost")
    if "source" in columns and not merged.sources:
        need("'sources' is required where a source column is mapped", "sources",
             allowed="export value: " + " | ".join(canonical()["source_classes"]))
    return merged
