"""Render the data contracts as Markdown (``docs/intake.md`` is this output)."""

from __future__ import annotations

from revkit.intake import contracts


def _allowed(rule) -> str:
    if rule.allowed:
        return ", ".join(f"`{v}`" for v in rule.allowed)
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
        "A client is a folder (`profile.yaml` and four CSV files, UTF-8, with or without BOM) or",
        "an Excel workbook with one sheet per table (`profile` as key/value rows, teams on a",
        "`teams` sheet). Booleans: true/false/yes/no/1/0 (any case). Lists: `;`-separated.",
        "`survey.csv` may also use the wide layout of form tools: `respondent_id, team`, then",
        "one column per question id.",
        "",
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
