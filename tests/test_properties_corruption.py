"""Random corruptions of valid intake files end in exit 2 with a message naming the file
(and the column or key where one is involved) — or, where the damage leaves a valid file,
in a valid result. Never a traceback, never exit 1.

Each example writes a random valid client (``client_strategies``), damages one of its
files (``corruptions``) and runs ``revkit score --json`` on it in-process.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from client_strategies import FILES, ClientSpec, Spelling, clients, write_client
from corruption_targets import typed_columns
from corruptions import Corrupted, csv_corruption, yaml_corruption
from hypothesis import example, given
from hypothesis import strategies as st
from property_profiles import examples

from revkit.cli.commands import cli
from revkit.intake import contracts

PROFILE = contracts.load("profile")
PROFILE_KEYS = [*PROFILE.columns, "teams"]
PROFILE_TYPED = {**typed_columns("profile"),
                 "teams": ["abc", "[1, 2]", "{team: sales}", "3", "[]"]}
TYPED = {table: typed_columns(table) for table in FILES}
REQUIRED = {"profile.yaml": {*PROFILE.required_columns, "teams"},
            **{FILES[t]: set(contracts.load(t).required_columns) for t in FILES}}
INTAKE_FILES = {"profile.yaml", *FILES.values()}
# files other files refer to: damage there may surface as a wrong reference elsewhere
REFERRED = {"profile.yaml", FILES["systems"]}

# the corruption must be refused, naming the column (or key) involved
REFUSED = {"duplicate_header", "duplicate_key", "wrong_type"}
# refused, naming the column, where the column is required; optional ones may pass
NAMED_IF_REQUIRED = {"drop_column", "rename_column", "drop_key", "rename_key"}

pytestmark = pytest.mark.properties


def score(folder: Path):
    result = CliRunner().invoke(cli, ["score", str(folder), "--json"])
    assert "Traceback" not in result.output + result.stderr
    return result


def check_outcome(result, file: str, damage: Corrupted) -> None:
    """What any corruption must end in: a valid result, or exit 2 naming what is wrong."""
    stderr = result.stderr
    assert result.exit_code in (0, 2), f"exit {result.exit_code}: {stderr[-800:]}"
    column = damage.column
    required = column in REQUIRED[file]
    if damage.kind in REFUSED or (damage.kind in NAMED_IF_REQUIRED and required):
        assert result.exit_code == 2, f"{damage} was accepted"
    if result.exit_code == 0:
        results = json.loads(result.stdout)
        assert all(0 <= results["scores"][k] <= 100 for k in results["scores"])
        if damage.kind in ("rename_column", "rename_key"):
            # an optional column under an unknown name is ignored, with a warning naming it
            assert damage.detail.strip() in stderr or not damage.detail.strip(), stderr
        return
    if damage.kind in REFUSED or damage.kind in NAMED_IF_REQUIRED or \
            damage.kind == "header_case":
        assert f"{file}," in stderr or f"{file}:" in stderr, stderr
        assert f"'{column}'" in stderr, f"{column!r} not named: {stderr}"
    elif file in REFERRED or damage.kind == "encoding":
        # the damage may change a name other files refer to: they report it
        assert any(f"{name}," in stderr or f"{name}:" in stderr for name in INTAKE_FILES), \
            stderr
    else:
        assert f"{file}," in stderr or f"{file}:" in stderr, stderr


# two corruptions the property found: a header naming a column twice (a traceback from
# pandas) and a profile key given twice (YAML silently kept the second)
SMALL = ClientSpec(
    profile={"name": "Small", "slug": "small", "industry": None, "employees": 5,
             "annual_revenue": 100000, "currency": "EUR", "revenue_model": "recurring",
             "gtm_motion": "sales_led", "assessment_date": __import__("datetime").date(2026, 1, 5),
             "marketing_sourced_pipeline_share": None, "report_language": None},
    teams=(("sales", 3, 0),), survey=(("r1", "sales", "silos_01", 3, ""),),
    systems=(("CRM", "crm", "sales", (), (), ()),),
    metrics=(("win_rate", True, "sales", False, False, False, "monthly", None),),
    handoffs=(), spelling=Spelling())


@examples("corruptions")
@given(clients(), st.sampled_from(["profile.yaml", *FILES.values()]), st.data())
@example(SMALL, "survey.csv", Corrupted(
    b"respondent_id,team,question_id,score,comment,team\nr1,sales,silos_01,3,,sales\n",
    "duplicate_header", "team")).via("discovered failure")
@example(SMALL, "profile.yaml", Corrupted(
    b"name: Small\nslug: small\nemployees: 5\nannual_revenue: 100000\ncurrency: EUR\n"
    b"revenue_model: recurring\ngtm_motion: sales_led\nassessment_date: 2026-01-05\n"
    b"teams:\n- {team: sales, headcount: 3, ops_headcount: 0}\nemployees: 50\n",
    "duplicate_key", "employees")).via("discovered failure")
def test_a_corrupted_intake_file_ends_in_exit_2_naming_file_and_column(spec, file, data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_client(spec, Path(tmp) / "client")
        path = folder / file
        if isinstance(data, Corrupted):          # an explicit example
            damage = data
        elif file == "profile.yaml":
            damage = data.draw(yaml_corruption(path.read_bytes(), PROFILE_KEYS, PROFILE_TYPED))
        else:
            table = next(t for t, f in FILES.items() if f == file)
            damage = data.draw(csv_corruption(path.read_bytes(), spec.spelling.encoding,
                                              spec.spelling.separator, TYPED[table]))
        path.write_bytes(damage.data)
        check_outcome(score(folder), file, damage)


@pytest.mark.parametrize("text", [
    "respondent_id,team,question_id,score,comment,Team\nr1,sales,silos_01,3,,sales\n",
    "respondent_id,team,question_id,score,score\nr1,sales,silos_01,3,4\n"])
def test_a_header_naming_a_column_twice_is_refused_naming_it(tmp_path, text):
    folder = write_client(SMALL, tmp_path / "small")
    (folder / "survey.csv").write_text(text, encoding="utf-8")
    result = score(folder)
    assert result.exit_code == 2
    twice = "team" if "Team" in text else "score"
    assert f"survey.csv, row 1, column '{twice}': the column '{twice}' is in the header " \
           f"twice" in result.stderr


def test_a_profile_key_given_twice_is_refused_naming_it_and_both_lines(tmp_path):
    folder = write_client(SMALL, tmp_path / "small")
    path = folder / "profile.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "currency: USD\n", encoding="utf-8")
    result = score(folder)
    assert result.exit_code == 2
    last = len(path.read_text(encoding="utf-8").splitlines())
    assert f"profile.yaml, row {last}, column 'currency': 'currency' is given twice (first on " \
           f"line 5)" in result.stderr
