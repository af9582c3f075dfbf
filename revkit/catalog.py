"""The kit's catalogs (teams, metrics, handoffs, questions, functions, entities).

They are data files under ``revkit/data/catalog``; this module only loads them
once and offers lookups.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache

import yaml

from revkit.paths import CATALOG_DIR
from revkit.yaml_check import DATA_LOADER

CATALOG_NAMES = ("questions", "metrics", "handoffs", "teams", "entities", "functions",
                 "sources")


@cache
def _load(name: str):
    with open(CATALOG_DIR / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=DATA_LOADER)


def teams() -> list[dict]:
    return _load("teams")


def team_ids() -> list[str]:
    return [t["id"] for t in teams()]


def questions() -> list[dict]:
    return _load("questions")


def metrics() -> list[dict]:
    return _load("metrics")


def handoffs() -> list[dict]:
    return _load("handoffs")


def entities() -> list[dict]:
    return _load("entities")


def functions() -> dict[str, list[dict]]:
    """``{"salesops_functions": [...], "revops_benefits": [...]}``."""
    return _load("functions")


def by_id(name: str) -> dict[str, dict]:
    """A catalog as ``{id: entry}``, e.g. ``by_id("metrics")["win_rate"]``."""
    return {item["id"]: item for item in _load(name)}


def ids(name: str) -> list[str]:
    return [item["id"] for item in _load(name)]


def applies(item: dict, teams, revenue_model: str | None = None, motion: str | None = None) -> bool:
    """Whether a catalog entry counts for a client: its ``applies`` condition
    (``teams_any``, ``revenue_models``, ``motions``) holds; no condition: always.
    A condition on what is unknown (``None``) is taken to hold."""
    cond = item.get("applies") or {}
    if "teams_any" in cond and not set(cond["teams_any"]) & set(teams):
        return False
    if revenue_model and "revenue_models" in cond and revenue_model not in cond["revenue_models"]:
        return False
    if motion and "motions" in cond and motion not in cond["motions"]:
        return False
    return True


def applicable_handoffs(team_set, motion: str | None = None) -> list[dict]:
    """Handoffs whose two teams both exist in ``team_set`` (and that fit the motion)."""
    present = set(team_set)
    return [h for h in handoffs() if h["from_team"] in present and h["to_team"] in present
            and applies(h, present, motion=motion)]


def sources() -> list[dict]:
    return _load("sources")


# which texts of each catalog's entries the message catalogs hold (revkit.messages)
_TEXTS = {"questions": ("question", {"text": ""}),
          "metrics": ("metric", {"name": ".name", "formula": ".formula",
                                 "description": ".description"}),
          "handoffs": ("handoff", {"name": ".name", "description": ".description"}),
          "teams": ("team", {"name": ""}), "entities": ("entity", {"name": ""})}


def with_texts(name: str, lang: str = "en") -> list[dict]:
    """A catalog's entries with their display texts in ``lang`` (what ``revkit catalog`` prints)."""
    from revkit import messages

    m = messages.get(lang)
    if name == "functions":
        return [{"kind": kind, **item, "name": m(f"{prefix}.{item['id']}.name"),
                 "description": m(f"{prefix}.{item['id']}.description")}
                for kind, prefix in (("salesops_functions", "function"),
                                     ("revops_benefits", "benefit"))
                for item in functions()[kind]]
    prefix, fields = _TEXTS[name]
    rows = []
    for item in _load(name):
        row = dict(item)
        for field, suffix in fields.items():
            row[field] = m(f"{prefix}.{item['id']}{suffix}")
        if name == "metrics":
            source = item["benchmark"].get("source")
            row["benchmark"] = {**item["benchmark"],
                                "source_name": source_text(m, source) if source else None,
                                "note": m(f"metric.{item['id']}.benchmark_note")}
        rows.append(row)
    return rows


def source_text(m, source_id: str, version: str = "") -> str:
    """A source's name and edition in the language of ``m``: what the report prints beside a range."""
    entry = by_id("sources")[source_id]
    edition = m(f"source.{source_id}.edition", year=entry.get("edition") or "", version=version)
    return f"{m(f'source.{source_id}.name')} ({edition})"


def render(name: str, fmt: str, lang: str = "en") -> str:
    """A catalog as JSON (array of objects) or CSV (lists joined with ';'), texts in ``lang``."""
    rows = with_texts(name, lang)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    flat = [_flatten(row) for row in rows]
    columns: list[str] = []
    for row in flat:
        columns += [k for k in row if k not in columns]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return buf.getvalue()


def _flatten(row: dict, prefix: str = "") -> dict:
    out: dict = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}_"))
        elif isinstance(value, list):
            out[name] = ";".join(str(v) for v in value)
        else:
            out[name] = "" if value is None else value
    return out
