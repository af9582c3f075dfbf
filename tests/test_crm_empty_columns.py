"""Any canonical column may be empty on every row, absent, or blank after stripping: valid
data, never a crash; the metrics that need it are not measurable, with the reason."""

from __future__ import annotations

import csv
import io
import json

import pytest
from crm_fixtures import FULL, write_crm

from revkit import messages
from revkit.intake.crm import check_crm
from revkit.intake.crm.mapping import canonical
from revkit.method.crm import measure
from revkit.method.crm.measure import inputs
from revkit.report.sections import crm as crm_sections

FILES = {"opportunities": "opportunities.csv", "leads": "leads.csv", "spend": "spend.csv",
         "revenue": "revenue.csv", "stage_history": "stage_history.csv",
         "activities": "activities.csv", "quotas": "quotas.csv", "forecasts": "forecasts.csv"}
CASES = [(t, c) for t, spec in canonical()["tables"].items() for c in spec["columns"]]


def _rewrite(text: str, column: str, state: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    at = rows[0].index(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i, row in enumerate(rows):
        if state == "absent":
            row = row[:at] + row[at + 1:]
        elif i:
            row[at] = "" if state == "empty" else "   "
        writer.writerow(row)
    return out.getvalue()


@pytest.mark.parametrize("state", ["empty", "absent", "blank"])
@pytest.mark.parametrize("table, column", CASES)
def test_a_column_in_any_state_is_measured_around(tmp_path, table, column, state):
    files = {**FULL, FILES[table]: _rewrite(FULL[FILES[table]], column, state)}
    crm, problems = check_crm(write_crm(tmp_path, files, "preset: generic\nas_of: 2025-04-01\n"))
    required = column in canonical()["tables"][table]["required"]
    if state == "absent" and required:  # a required column missing is the user's error
        assert crm is None and [p.column for p in problems] == [column]
        return
    assert crm is not None, [p.render() for p in problems]
    result = measure(crm)
    json.dumps(result, allow_nan=False)
    measured = {m["id"] for m in result["metrics"]}
    missing = {m["id"]: m for m in result["not_measurable"]}
    needed = f"{table}.{column}"
    for mid, needs in inputs()["metrics"].items():
        if needed in needs:  # needed without an alternative
            assert mid not in measured, mid
            reason = "column_absent" if state == "absent" else "column_empty"
            assert missing[mid]["reason"] == reason and needed in missing[mid]["columns"], mid
    # the report's section renders whatever is there
    shown = {"measured": {**result, "contradictions": []}, "client": {}}
    assert crm_sections.crm(shown, messages.get("en")) is not None
    crm_sections.crm_detail(shown, messages.get("en"))
