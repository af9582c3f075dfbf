"""The hostile corpus and clients made of it: every payload in every free-text field.

``tests/fixtures/hostile/payloads.yaml`` is data (a list of payloads); ``plant`` writes
them into a copy of the demo client helix-cloud (which has CRM exports), ``brand_files``
into brand files. ``shown(text)`` is what a payload must look like in an output: the
kit removes control, bidi and zero-width characters at intake
(``revkit.text.clean``) and keeps everything else as text.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import yaml

from revkit import text as kit_text
from revkit.paths import DEFAULT_METHODOLOGY, DEMO_CLIENTS_DIR

CORPUS = Path(__file__).parent / "fixtures" / "hostile" / "payloads.yaml"
DEMO = "helix-cloud"
# the free-text fields ``plant`` fills, as the report's docs name them
FIELDS = ("profile.name", "profile.industry", "profile: unknown key", "systems.system",
          "systems: referenced system (integrated_with, metrics.source_system)",
          "systems: unknown column header", "survey.comment", "survey.respondent_id",
          "crm: opportunity owner", "crm: account id", "crm: lead source value",
          "crm: stage value", "crm: kept column value")
BRAND_FIELDS = ("firm", "footer", "confidentiality", "prepared_by")


def payloads() -> list[dict]:
    with open(CORPUS, encoding="utf-8") as fh:
        return yaml.safe_load(fh)["payloads"]


def shown(text: str) -> str:
    """A payload as the outputs show it: cleaned at intake, surrounding spaces gone."""
    return kit_text.clean(text).strip()


def quoting_methodology(folder: Path) -> Path:
    """The shipped methodology with survey comments quoted in the report (so they show)."""
    method = yaml.safe_load(DEFAULT_METHODOLOGY.read_text(encoding="utf-8"))
    method["version"] = "2026.2-quotes"
    method["survey"]["quote_comments"] = True
    path = folder / "methodology-quotes.yaml"
    path.write_text(yaml.safe_dump(method, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO(newline="")
    # every cell quoted: a bare CR inside a value is a line break to every CSV reader
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def _tagged(texts: list[str], tag: str) -> list[str]:
    """Unique cells that still start with each payload (a formula must stay in front)."""
    return [f"{t} {tag}{i}" for i, t in enumerate(texts)] if len(texts) > 1 else list(texts)


def plant(target: Path, texts: list[str], slug: str = "hostile") -> Path:
    """A copy of the demo client at ``target`` with ``texts`` in every free-text field.

    One text per row where a field has rows (systems, comments, owners, sources); the
    single fields (name, industry) hold all of them, joined by spaces."""
    shutil.copytree(DEMO_CLIENTS_DIR / DEMO, target)
    joined = " ".join(texts)
    listable = [t for t in texts if ";" not in t]          # ';' separates a list's items
    referenced = (listable or ["Referenced system"])[0] + " (referenced)"

    profile = yaml.safe_load((target / "profile.yaml").read_text(encoding="utf-8"))
    profile.update(name=joined, slug=slug, industry=joined)
    profile[" ".join(texts[:1]) + " key"] = "an unknown key's value"
    (target / "profile.yaml").write_text(
        yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")

    systems = _read_csv(target / "systems.csv")
    systems[0].append(texts[0] + " column")                 # an unknown column's header
    for row in systems[1:]:
        row.append(texts[-1])
        row[:] = [cell.replace("Outreach", referenced) for cell in row]
    for name in _tagged(texts, "S"):
        systems.append([name, "other", "sales", "sales", "", "", texts[0]])
    _write_csv(target / "systems.csv", systems)
    metrics = _read_csv(target / "metrics.csv")
    column = metrics[0].index("source_system")
    metrics[1][column] = referenced
    _write_csv(target / "metrics.csv", metrics)

    survey = _read_csv(target / "survey.csv")
    comment, respondent = survey[0].index("comment"), survey[0].index("respondent_id")
    first = survey[1][respondent]
    for i, row in enumerate(survey[1:]):
        if i < len(texts):
            row[comment] = texts[i]
        if row[respondent] == first:
            row[respondent] = texts[0] + " r"
    _write_csv(target / "survey.csv", survey)

    _plant_crm(target / "crm", texts)
    return target


def _plant_crm(crm: Path, texts: list[str]) -> None:
    opportunities = _read_csv(crm / "sfdc_opportunities.csv")
    header = opportunities[0]
    owner, account = header.index("Opportunity Owner"), header.index("Account ID")
    source, region = header.index("Lead Source"), header.index("Region")
    stage = header.index("Stage")
    sources = _tagged(texts, "L")
    records = [row for row in opportunities[1:] if len(row) == len(header)]  # not the footer
    for i, row in enumerate(records):
        row[owner] = texts[i % len(texts)]
        row[region] = texts[(i + 1) % len(texts)]
        if i < len(texts):
            row[account] = texts[i] + f" A{i}"
            row[source] = sources[i]
    hostile_stage = texts[0] + " stage"
    for row in records[:2]:
        row[stage] = hostile_stage
    _write_csv(crm / "sfdc_opportunities.csv", opportunities)
    mapping = yaml.safe_load((crm / "mapping.yaml").read_text(encoding="utf-8"))
    mapping["opportunities"]["sources"].update({s: "marketing" for s in sources})
    mapping["opportunities"]["stages"] = {**_preset_stages(), hostile_stage: "open"}
    (crm / "mapping.yaml").write_text(
        yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _preset_stages() -> dict:
    from revkit.intake.crm.mapping import load_preset

    return dict(load_preset("salesforce")["tables"]["opportunities"]["stages"])


def brand_files(folder: Path, texts: list[str]) -> list[Path]:
    """Brand files (with the demo logo) that together carry every text in every brand
    field: the firm is at most 200 characters, so the texts are spread over several."""
    from revkit.paths import DEMO_BRAND

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEMO_BRAND.parent / "northwind.svg", folder / "northwind.svg")
    base = yaml.safe_load(DEMO_BRAND.read_text(encoding="utf-8"))
    files = []
    for i, chunk in enumerate(_chunks(texts, 190)):
        data = {**base, **{key: chunk for key in BRAND_FIELDS}}
        path = folder / f"brand-{i}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        files.append(path)
    return files


def _chunks(texts: list[str], limit: int) -> list[str]:
    """The texts joined into one-line pieces of at most ``limit`` characters each."""
    out, current = [], ""
    for t in texts:
        t = t[:limit]
        if current and len(current) + 1 + len(t) > limit:
            out.append(current)
            current = ""
        current = f"{current} {t}" if current else t
    return out + ([current] if current else [])
