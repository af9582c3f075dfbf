"""Render the data contracts as Markdown (``docs/intake.md`` is this output)."""

from __future__ import annotations

from revkit.intake import cells, contracts, formats


def _allowed(rule) -> str:
    if rule.allowed:
        return ", ".join(f"`{v}`" for v in rule.allowed)
    if rule.allowed_from == "kit:languages":
        return "a report language the kit ships (a folder of `revkit/data/messages/`)"
    if rule.allowed_from == "kit:encodings":
        return ", ".join(f"`{e}`" for e in formats.encoding_ids())
    if rule.allowed_from:
        source, name = rule.allowed_from.split(":")
        if source == "catalog":
            return f"`revkit catalog {name}`" if name != "entities" else "`revkit catalog entities`"
        if source == "profile":
            return "a team of the profile"
        return "a `system` of systems.csv"
    if rule.min is not None or rule.max is not None:
        return rule.range_text()
    if rule.pattern:
        return f"pattern `{rule.pattern}`"
    return "any text" if rule.type == "string" else ""


def render_markdown() -> str:
    """The intake reference for consultants, built only from ``data_contracts/``."""
    out = [
        "# Client intake reference",
        "",
        "Generated from `data_contracts/` by `revkit contracts --format md`; do not edit by hand.",
        "A client is a folder (`profile.yaml` and four CSV files) or an Excel workbook with one",
        "sheet per table (`profile` as key/value rows, teams on a `teams` sheet). Lists inside a",
        "cell are `;`-separated. `survey.csv` may also use the wide layout of form tools:",
        "`respondent_id, team`, then one column per question id.",
        "",
        *_formats_section(),
    ]
    for table, contract in contracts.all_contracts().items():
        where = contract.file if table != "teams" else "profile.yaml (`teams:` list)"
        out += [f"## {table} — {where}; sheet `{contract.sheet}`", "", contract.description.strip(),
                "", "| column | type | required | empty allowed | allowed | unique | meaning |",
                "|---|---|---|---|---|---|---|"]
        for name, rule in contract.columns.items():
            out.append(
                f"| `{name}` | {rule.type} | {'yes' if rule.required else 'no'} | "
                f"{'yes' if rule.nullable else 'no'} | {_allowed(rule)} | "
                f"{'yes' if rule.unique else ''} | {rule.description} |")
        for group in contract.unique_together:
            out.append(f"\nEach ({', '.join(group)}) appears at most once.")
        for rule in contract.rules:
            out.append(f"\nRule: {rule['message']}.")
        out.append("")
    return "\n".join(out)


def _formats_section() -> list[str]:
    """How files may be saved and what text each cell type accepts (``formats.yaml``)."""
    separators = ", ".join("tab" if s == "\t" else f"`{s}`" for s in formats.separators())
    encodings = formats.encodings()
    legacy = [e for e in encodings if "script" in encodings[e]]
    boolean = formats.cell_type("boolean")
    return [
        "## Files as spreadsheets save them",
        "",
        f"- **Separator**: {separators}, told apart per file by the header line (the one that",
        "  splits it into the contract's column names); a first line `sep=;` names it outright.",
        "  A value holding the separator (a `;`-list in a `;`-separated file) is quoted, as",
        "  Excel does.",
        "- **Encoding**: " + "; ".join(spec["label"] for spec in encodings.values()) + ".",
        "  A byte-order mark names the encoding; a file that is valid UTF-8 is UTF-8; any other",
        "  file is read in the encoding `profile.yaml` declares (`encoding: "
        + "`, `encoding: ".join(legacy) + "`),",
        "  or, without a declaration, in the one of " + " and ".join(f"`{e}`" for e in legacy),
        "  whose reading is plausible (Cyrillic read as Western text, or German read as",
        "  Cyrillic, shows in its words). A file both read plausibly but differently is an",
        "  error asking for `encoding:` — never a guess. A declaration the text contradicts is",
        "  an error too. A workbook needs none.",
        "- **Numbers** (`number` and `integer` columns): the decimal mark is `,` or `.`",
        "  (`0,55`, `0.55`); thousands may be grouped by spaces (`1 234,5`, also no-break",
        "  spaces), by `.` before a decimal `,` (`1.234,5`) or by `,` before a decimal `.`",
        "  (`1,234.5`). A single `.` is the decimal point; a single `,` before exactly three",
        "  digits (`1,250`: 1.25 or 1250?) is refused as ambiguous, and so is a number too",
        "  large to compute with (`1e400`).",
        f"- **Dates** (`date` columns): {cells.date_forms()}.",
        "- **Booleans** (`boolean` columns, any case): "
        + ", ".join(f"`{w}`" for w in boolean["true_words"]) + " for yes; "
        + ", ".join(f"`{w}`" for w in boolean["false_words"]) + " for no.",
        "- **Report language**: `report_language:` in `profile.yaml` (default `en`).",
        "- **Headers and keys**: a column named twice in a header (also as `Team` and `team`)",
        "  and a key given twice in `profile.yaml` or one of its teams are errors naming it —",
        "  which of the two to read would be a guess. `profile.yaml` values are read as",
        "  written and checked like cells: `No`, `0x1F` or `1:20` stay that text (plain YAML",
        "  would read false, 31 and 80).",
        "",
    ]
