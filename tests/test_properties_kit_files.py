"""Random corruptions of the other files a consultant hands the kit — CRM exports and
their mapping, a methodology file, a brand file and its logo — end in exit 2 with a
message naming the file (and the column or key involved), or leave a file the kit
reads; never a traceback, never exit 1.
"""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from client_strategies import write_client
from corruptions import Corrupted, csv_corruption, yaml_corruption
from crm_fixtures import FULL
from hypothesis import example, given
from hypothesis import strategies as st
from property_profiles import examples
from test_properties_corruption import SMALL

from revkit.cli.commands import cli
from revkit.errors import InputError
from revkit.paths import DATA_DIR
from revkit.report import brand

# the demo's CRM exports in the generic preset's shape, every column named in the mapping,
# so that each column of every export is one the mapping reads
CRM_COLUMNS = {
    "opportunities": ["opportunity_id", "account_id", "owner", "created_date", "close_date",
                      "stage", "amount", "source"],
    "leads": ["lead_id", "created_date", "source", "mql_date", "sql_date", "opportunity_id"],
    "spend": ["month", "amount"], "revenue": ["month", "account_id", "amount"],
    "activities": ["record_id", "date", "type"],
    "quotas": ["owner", "period_start", "period_end", "amount"],
    "forecasts": ["snapshot_date", "period_start", "period_end", "amount"],
    "stage_history": ["opportunity_id", "stage", "date"],
}
MAPPING = "preset: generic\n" + "".join(
    f"{table}:\n  file: {table}.csv\n  columns:\n"
    + "".join(f"    {c}: {c}\n" for c in columns)
    for table, columns in CRM_COLUMNS.items()) + textwrap.dedent("""\
    quota:
      start: 2025-04-01
      end: 2025-06-30
      amount: 5000
    """)
# columns whose cells the reader types: a date, a month or an amount
CRM_TYPED = {c: ["abc", "2025-13-45", "1.2.3", "12e", "31/31/2025", "--"]
             for c in ("created_date", "close_date", "amount", "mql_date", "sql_date",
                       "month", "date", "period_start", "period_end", "snapshot_date")}
CRM_TYPED["stage"] = CRM_TYPED["source"] = ["abc", "Won!", "n/a"]
METHODOLOGY = (DATA_DIR / "methodology.yaml").read_text(encoding="utf-8").replace(
    'version: "2026.2"', 'version: "acme-1"')
BRAND = textwrap.dedent("""\
    firm: Northwind Advisory
    logo: northwind.svg
    colors:
      primary: "#0B3C5D"
      accent: "#D9A441"
    font: DejaVu Sans
    footer: Northwind Advisory · Zürich
    confidentiality: Confidential
    prepared_by: Anna Keller
    """)
LOGO = (DATA_DIR / "demo_brand" / "northwind.svg").read_bytes()

# the damage must be refused, naming the key or column
REFUSED = {"duplicate_key", "wrong_type", "duplicate_header"}

pytestmark = pytest.mark.properties


def named(stderr: str, file: str, column: str | None) -> bool:
    return file in stderr and (column is None or f"{column}'" in stderr or
                               f".{column}" in stderr)


def check(exit_code: int, stderr: str, file: str, damage: Corrupted,
          refused=REFUSED) -> None:
    assert "Traceback" not in stderr
    assert exit_code in (0, 2), f"exit {exit_code} for {damage}: {stderr[-800:]}"
    if damage.kind in refused:
        assert exit_code == 2, f"{damage} was accepted"
    if exit_code == 2:
        column = damage.column if damage.kind in refused else None
        assert named(stderr, file, column), f"{file} / {column!r} not named: {stderr[-800:]}"


def invoke(*args) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stderr + (str(result.exception) if result.exit_code not in
                                              (0, 1, 2) else "")


def small_client(folder: Path, crm: bool = False) -> Path:
    write_client(SMALL, folder)
    if crm:
        (folder / "crm").mkdir()
        for name, text in FULL.items():
            (folder / "crm" / name).write_text(text, encoding="utf-8")
        (folder / "crm" / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    return folder


def test_the_base_files_are_valid(tmp_path):
    # every corruption below starts from files the kit accepts as they are
    folder = small_client(tmp_path / "small", crm=True)
    (tmp_path / "acme.yaml").write_text(METHODOLOGY, encoding="utf-8")
    code, stderr = invoke("validate", folder, "--methodology", tmp_path / "acme.yaml")
    assert code == 0, stderr
    (tmp_path / "brand.yaml").write_text(BRAND, encoding="utf-8")
    (tmp_path / "northwind.svg").write_bytes(LOGO)
    assert brand.load(tmp_path / "brand.yaml").firm == "Northwind Advisory"
    measured = invoke("score", folder, "--json")
    assert measured[0] == 0 and '"measured"' in CliRunner().invoke(
        cli, ["score", str(folder), "--json"]).stdout


# ---------------------------------------------------------------- CRM exports and mapping

@examples("crm")
@given(st.sampled_from(sorted([*FULL, "mapping.yaml"])), st.data())
@example("leads.csv", Corrupted(  # found by this test: a traceback from the footer check
    FULL["leads.csv"].replace("partner", "partn\rer").encode("utf-8"), "insert_bytes"))
def test_a_corrupted_crm_export_or_mapping_ends_in_exit_2_naming_it(file, data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = small_client(Path(tmp) / "small", crm=True)
        path = folder / "crm" / file
        if isinstance(data, Corrupted):
            damage = data
        elif file == "mapping.yaml":
            damage = data.draw(yaml_corruption(path.read_bytes()))
        else:
            damage = data.draw(csv_corruption(path.read_bytes(), "utf-8", ",", CRM_TYPED))
        path.write_bytes(damage.data)
        # every column of an export is named by the mapping: losing one is an error
        refused = REFUSED | ({"drop_column", "rename_column"} if file != "mapping.yaml"
                             else set())
        code, stderr = invoke("score", folder, "--json")
        if file == "mapping.yaml" and damage.kind not in refused and code == 2 and \
                "crm/mapping.yaml" not in stderr:
            # a damaged mapping that still reads names other columns: the exports lack them
            assert "crm/" in stderr and "Traceback" not in stderr, stderr
            return
        check(code, stderr, file, damage, refused)


# ---------------------------------------------------------------- methodology

@examples("methodology")
@given(st.data())
def test_a_corrupted_methodology_file_ends_in_exit_2_naming_it(data):
    damage = data.draw(yaml_corruption(METHODOLOGY.encode("utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        folder = small_client(Path(tmp) / "small")
        path = Path(tmp) / "acme.yaml"
        path.write_bytes(damage.data)
        code, stderr = invoke("score", folder, "--methodology", path, "--json")
        check(code, stderr, "acme.yaml", damage)


# ---------------------------------------------------------------- brand and logo

def load_brand(path: Path) -> tuple[int, str]:
    """``brand.load`` as the commands call it: 0, or the exit code and text of its error."""
    try:
        brand.load(path)
    except InputError as exc:
        return exc.exit_code, str(exc)
    return 0, ""


@examples("brand")
@given(st.booleans(), st.data())
@example(False, Corrupted(BRAND.replace("colors:", "colors:\n  primary: '#000000'")
                          .encode("utf-8"), "duplicate_key", "primary")).via("a colour twice")
def test_a_corrupted_brand_file_or_logo_ends_in_exit_2_naming_it(logo, data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "brand.yaml"
        path.write_text(BRAND, encoding="utf-8")
        (Path(tmp) / "northwind.svg").write_bytes(LOGO)
        target = Path(tmp) / "northwind.svg" if logo else path
        if isinstance(data, Corrupted):
            damage = data
        elif logo:
            damage = data.draw(_logo_corruption(LOGO))
        else:
            damage = data.draw(yaml_corruption(BRAND.encode("utf-8")))
        target.write_bytes(damage.data)
        code, stderr = load_brand(path)
        # the logo's problems are the brand file's, at its key 'logo'
        check(code, stderr, "brand.yaml", damage, REFUSED | {"markup"})
        if logo and code == 2:
            assert "'logo'" in stderr, stderr


@st.composite
def _logo_corruption(draw, data: bytes) -> Corrupted:
    from corruptions import _bytes_corruption

    kind = draw(st.sampled_from(["truncate", "insert_bytes", "encoding", "markup"]))
    # markup: active content or a reference to another file, which the kit refuses
    if kind != "markup":
        return _bytes_corruption(draw, data, "utf-8", kind)
    text = data.decode("utf-8")
    junk = draw(st.sampled_from(['<script>alert(1)</script>', '<image href="x.png"/>',
                                 '<foreignObject/>', '<rect onload="x()"/>',
                                 '<!DOCTYPE svg [<!ENTITY x "y">]>']))
    at = text.index(">") + 1
    return Corrupted((text[:at] + junk + text[at:]).encode("utf-8"), "markup", "logo", junk)


def test_a_logo_with_active_content_is_refused(tmp_path):
    (tmp_path / "brand.yaml").write_text(BRAND, encoding="utf-8")
    text = LOGO.decode("utf-8")
    at = text.index(">") + 1
    (tmp_path / "northwind.svg").write_text(text[:at] + "<script>x()</script>" + text[at:],
                                            encoding="utf-8")
    code, message = load_brand(tmp_path / "brand.yaml")
    assert code == 2 and "logo" in message


def test_the_yaml_corruption_keeps_track_of_nested_keys():
    # the strategy's own arithmetic: a nested key's block ends where its siblings start
    from corruptions import _block_end, _key_lines

    lines = BRAND.splitlines(keepends=True)
    keys = {k: (n, i) for n, k, i in _key_lines(lines)}
    assert keys["primary"] == (3, 2) and keys["colors"] == (2, 0)
    assert _block_end(lines, 2, 0) == 5
    assert _block_end(lines, 3, 2) == 4
    assert yaml.safe_load(BRAND)["colors"]["accent"] == "#D9A441"

