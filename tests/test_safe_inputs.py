"""Inputs that try to reach outside their place: YAML tags that would run code, paths
that climb out of their folder, and inputs larger than the limits of
``revkit/data/limits.yaml`` (set small here through ``REVKIT_LIMIT_<NAME>``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from revkit import limits
from revkit.errors import InvalidFile, UsageError
from revkit.paths import DEFAULT_METHODOLOGY, DEMO_BRAND

EVIL = '!!python/object/apply:os.system ["touch {marker}"]'


def _edit_yaml(path: Path, **values) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(values)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _brand(folder: Path, **values) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEMO_BRAND.parent / "northwind.svg", folder / "northwind.svg")
    path = folder / "brand.yaml"
    shutil.copy(DEMO_BRAND, path)
    _edit_yaml(path, **values)
    return path


def _problems(exc: InvalidFile) -> str:
    return "\n".join(p.render() for p in exc.problems)


# ---------------------------------------------------------------- YAML tags

def _tagged(text: str, key: str, marker: Path) -> str:
    """``text`` (a YAML file) with the value of the top-level ``key`` replaced by a tag."""
    lines = [f"{key}: {EVIL.format(marker=marker)}" if line.startswith(f"{key}:") else line
             for line in text.splitlines()]
    assert lines != text.splitlines(), key
    return "\n".join(lines) + "\n"


def test_a_python_tag_in_profile_yaml_is_refused(copy_demo, run_cli, tmp_path):
    client, marker = copy_demo(), tmp_path / "ran"
    profile = client / "profile.yaml"
    profile.write_text(_tagged(profile.read_text(encoding="utf-8"), "name", marker),
                       encoding="utf-8")
    result = run_cli("validate", client)
    assert result.exit_code == 2
    assert "profile.yaml, row" in result.output
    assert "the tag !!python/object/apply:os.system is not allowed" in result.output
    assert not marker.exists()


def test_a_python_tag_in_a_crm_mapping_is_refused(copy_demo, run_cli, tmp_path):
    client, marker = copy_demo(), tmp_path / "ran"
    mapping = client / "crm" / "mapping.yaml"
    mapping.write_text(_tagged(mapping.read_text(encoding="utf-8"), "preset", marker),
                       encoding="utf-8")
    result = run_cli("validate", client)
    assert result.exit_code == 2
    assert "crm/mapping.yaml, row 4: not valid YAML: the tag !!python/object/apply" \
        in result.output
    assert not marker.exists()


def test_a_python_tag_in_a_methodology_file_is_refused(copy_demo, run_cli, tmp_path):
    marker, path = tmp_path / "ran", tmp_path / "methodology.yaml"
    path.write_text(_tagged(DEFAULT_METHODOLOGY.read_text(encoding="utf-8"), "version",
                            marker), encoding="utf-8")
    result = run_cli("validate", copy_demo(), "--methodology", path)
    assert result.exit_code == 2
    assert "methodology.yaml, row" in result.output and "is not allowed" in result.output
    assert not marker.exists()


def test_a_python_tag_in_a_brand_file_is_refused(tmp_path):
    from revkit.report import brand

    marker, path = tmp_path / "ran", _brand(tmp_path / "b")
    path.write_text(_tagged(path.read_text(encoding="utf-8"), "firm", marker), encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        brand.load(path)
    assert caught.value.exit_code == 2
    assert "brand.yaml, row 1: not valid YAML: the tag !!python/object/apply:os.system is " \
        "not allowed" in _problems(caught.value)
    assert not marker.exists()


def test_no_yaml_reader_of_the_kit_can_construct_objects():
    """Every YAML read in revkit/ goes through a safe loader (no yaml.load with the full or
    unsafe loader, no unsafe_load)."""
    import re

    root = Path(__file__).resolve().parent.parent / "revkit"
    safe = ("DATA_LOADER", "_TextLoader", "_Loader", "yaml.SafeLoader", "yaml.CSafeLoader")
    found = []
    for path in root.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(root)}:{n}"
            if re.search(r"yaml\.(unsafe_load|full_load|load_all|unsafe_load_all)\(", line):
                found.append(where)
            for call in re.findall(r"yaml\.load\(([^)]*)\)", line):
                loader = re.search(r"Loader=([\w.]+)", call)
                if not loader or loader.group(1) not in safe:
                    found.append(where)
    assert found == []


# ---------------------------------------------------------------- paths

@pytest.mark.parametrize("slug", ["../escape", "a/b", "..", "/etc", "Acme"])
def test_a_slug_that_is_not_a_folder_name_is_refused(copy_demo, run_cli, slug):
    client = copy_demo()
    _edit_yaml(client / "profile.yaml", slug=slug)
    result = run_cli("validate", client)
    assert result.exit_code == 2
    assert "profile.yaml, row 2, column 'slug'" in result.output
    assert "Lower-case letters, digits and '-'" in result.output


@pytest.mark.parametrize("slug", ["../escape", "acme\n", "a\\b", "a/b"])
def test_init_refuses_a_slug_that_is_not_a_folder_name(run_cli, tmp_path, slug):
    result = run_cli("init", slug, "--dir", tmp_path)
    assert result.exit_code == 2 and "invalid slug" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..\\..\\x.csv",
                                  "sub/../../x.csv"])
def test_a_mapping_file_outside_crm_is_refused(copy_demo, run_cli, name):
    client = copy_demo()
    mapping = client / "crm" / "mapping.yaml"
    data = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    data["opportunities"]["file"] = name
    mapping.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("validate", client)
    assert result.exit_code == 2
    assert "crm/mapping.yaml, row" in result.output
    assert "column 'opportunities.file': 'file' must name a file inside crm/" in result.output
    assert "allowed: a file name such as opportunities.csv" in result.output


@pytest.mark.parametrize("logo", ["../northwind.svg", "/etc/passwd", "C:\\logo.svg",
                                  "sub/../../northwind.svg", "link.svg"])
def test_a_logo_outside_the_brand_folder_is_refused(tmp_path, logo):
    from revkit.report import brand

    shutil.copy(DEMO_BRAND.parent / "northwind.svg", tmp_path / "northwind.svg")
    path = _brand(tmp_path / "brand", logo=logo)
    (path.parent / "link.svg").symlink_to(tmp_path / "northwind.svg")  # points outside
    with pytest.raises(InvalidFile) as caught:
        brand.load(path)
    text = _problems(caught.value)
    assert "column 'logo': the logo must be a file beside the brand file" in text
    assert "allowed: a relative file name without '..', e.g. logo.svg" in text


def test_a_logo_in_a_folder_below_the_brand_file_is_taken(tmp_path):
    from revkit.report import brand

    path = _brand(tmp_path, logo="art/northwind.svg")
    (tmp_path / "art").mkdir()
    shutil.copy(DEMO_BRAND.parent / "northwind.svg", tmp_path / "art" / "northwind.svg")
    assert brand.load(path).logo_kind == "svg"


def test_sheet_names_are_never_paths(tmp_path, copy_demo):
    """A workbook's sheets are looked up by the contract's names: a sheet named like a
    path or holding control characters is never opened or written anywhere."""
    import openpyxl

    from revkit.intake.authoring.convert import folder_to_workbook
    from revkit.intake.validate import load_client

    book_path = folder_to_workbook(copy_demo(), tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(book_path)
    for name in ("..", "%2e%2e", "con", "a\u202eb"):
        book.create_sheet(name).append(["=1+1", "../../etc/passwd"])
    book.save(book_path)
    before = sorted(tmp_path.rglob("*"))
    assert load_client(book_path).slug == "helix-cloud"
    assert sorted(tmp_path.rglob("*")) == before


# ---------------------------------------------------------------- size limits

def test_limits_are_data_and_the_crm_limit_is_generous():
    assert set(limits.defaults()) == {
        "intake_file_bytes", "workbook_bytes", "table_rows", "cell_chars",
        "yaml_file_bytes", "logo_bytes", "crm_export_bytes"}
    # CRM exports run to millions of rows (benchmarks/bench_crm.py writes ~1 GB)
    assert limits.get("crm_export_bytes") >= 10 * 10**9


def test_a_limit_set_in_the_environment_wins(monkeypatch):
    monkeypatch.setenv("REVKIT_LIMIT_TABLE_ROWS", "1_000")
    assert limits.get("table_rows") == 1000
    monkeypatch.setenv("REVKIT_LIMIT_TABLE_ROWS", "-5")
    with pytest.raises(UsageError, match="REVKIT_LIMIT_TABLE_ROWS='-5': allowed: a whole"):
        limits.get("table_rows")


def test_a_bad_limit_is_a_usage_error_of_the_command(copy_demo, run_cli, monkeypatch):
    monkeypatch.setenv("REVKIT_LIMIT_CELL_CHARS", "many")
    result = run_cli("validate", copy_demo())
    assert result.exit_code == 2 and "REVKIT_LIMIT_CELL_CHARS='many'" in result.output


def test_an_intake_file_over_the_limit_is_refused_before_it_is_read(copy_demo, run_cli):
    """A 60 MB survey.csv (sparse: nothing is written) against the default 50 MB."""
    client = copy_demo()
    with open(client / "survey.csv", "r+b") as fh:
        fh.truncate(60_000_000)
    result = run_cli("validate", client)
    assert result.exit_code == 2
    assert ("survey.csv: the file is 60,000,000 bytes, too large to be an intake file; "
            "allowed: at most 50,000,000 bytes (set REVKIT_LIMIT_INTAKE_FILE_BYTES to change "
            "it)") in result.output


def test_a_small_file_limit_refuses_each_file(copy_demo, run_cli, monkeypatch):
    monkeypatch.setenv("REVKIT_LIMIT_INTAKE_FILE_BYTES", "500")
    result = run_cli("validate", copy_demo())
    assert result.exit_code == 2
    # profile.yaml has 532 bytes, systems.csv 801, handoffs.csv 482
    for name in ("profile.yaml", "survey.csv", "systems.csv", "metrics.csv"):
        assert f"{name}: the file is" in result.output, name
    assert "handoffs.csv" not in result.output
    assert "at most 500 bytes" in result.output


def test_a_table_over_the_row_limit_is_refused(copy_demo, run_cli, monkeypatch):
    monkeypatch.setenv("REVKIT_LIMIT_TABLE_ROWS", "100")
    result = run_cli("validate", copy_demo())
    assert result.exit_code == 2
    assert "survey.csv: more than 100 rows; allowed: at most 100 rows" in result.output
    assert "systems.csv" not in result.output  # 11 rows: within the limit


def test_a_workbook_sheet_over_the_row_limit_stops_at_the_limit(copy_demo, run_cli,
                                                                 monkeypatch, tmp_path):
    from revkit.intake import readers
    from revkit.intake.authoring.convert import folder_to_workbook

    book = folder_to_workbook(copy_demo(), tmp_path / "c.xlsx")
    monkeypatch.setenv("REVKIT_LIMIT_TABLE_ROWS", "100")
    read = []
    original = readers._as_text
    monkeypatch.setattr(readers, "_as_text", lambda v: (read.append(v), original(v))[1])
    result = run_cli("validate", book)
    assert result.exit_code == 2
    assert "c.xlsx [sheet survey]: more than 100 rows; allowed: at most 100 rows" \
        in result.output
    assert len(read) < 6 * 110 * 6  # no sheet was read past its 101st row


def test_a_workbook_over_the_size_limit_is_refused(copy_demo, run_cli, monkeypatch, tmp_path):
    from revkit.intake.authoring.convert import folder_to_workbook

    book = folder_to_workbook(copy_demo(), tmp_path / "c.xlsx")
    monkeypatch.setenv("REVKIT_LIMIT_WORKBOOK_BYTES", "2000")
    result = run_cli("validate", book)
    assert result.exit_code == 2
    assert "c.xlsx: the file is" in result.output and "at most 2,000 bytes" in result.output


def test_a_cell_over_the_character_limit_names_row_and_column(copy_demo, run_cli,
                                                               monkeypatch):
    client = copy_demo()
    survey = client / "survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + "x" * 80
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _edit_yaml(client / "profile.yaml", industry="y" * 90)
    monkeypatch.setenv("REVKIT_LIMIT_CELL_CHARS", "60")
    result = run_cli("validate", client)
    assert result.exit_code == 2
    assert ("survey.csv, row 4, column 'comment': the cell holds 80 characters; allowed: at "
            "most 60 characters (set REVKIT_LIMIT_CELL_CHARS to change it)") in result.output
    assert "profile.yaml, row 3, column 'industry': the value holds 90 characters" \
        in result.output


def test_a_yaml_file_over_the_limit_is_refused(copy_demo, run_cli, monkeypatch):
    monkeypatch.setenv("REVKIT_LIMIT_YAML_FILE_BYTES", "500")
    result = run_cli("validate", copy_demo(), "--methodology", DEFAULT_METHODOLOGY)
    assert result.exit_code == 2
    assert "too large for a YAML file of settings; allowed: at most 500 bytes" \
        in result.output
    assert "crm/mapping.yaml: the file is" in result.output  # the client's mapping too


def test_a_logo_over_the_limit_is_refused(monkeypatch, tmp_path):
    from revkit.report import brand

    path = _brand(tmp_path)
    monkeypatch.setenv("REVKIT_LIMIT_LOGO_BYTES", "100")
    with pytest.raises(InvalidFile) as caught:
        brand.load(path)
    size = (tmp_path / "northwind.svg").stat().st_size
    assert f"column 'logo': the logo is {size:,} bytes (got 'northwind.svg'); allowed: an " \
        "SVG or PNG of at most 100 bytes" in _problems(caught.value)


def test_a_crm_export_over_the_limit_is_refused(copy_demo, run_cli, monkeypatch):
    monkeypatch.setenv("REVKIT_LIMIT_CRM_EXPORT_BYTES", "50000")
    result = run_cli("validate", copy_demo())
    assert result.exit_code == 2
    assert "crm/sfdc_leads.csv: the export is" in result.output
    assert "allowed: at most 50,000 bytes (set REVKIT_LIMIT_CRM_EXPORT_BYTES" in result.output
    assert "crm/sm_spend.csv" not in result.output  # a small export is read


def test_a_cell_beyond_what_csv_reads_is_a_cell_over_the_limit(copy_demo, run_cli):
    client = copy_demo()
    survey = client / "survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + "x" * 200_000  # a 200 KB comment
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", client)
    assert result.exit_code == 2
    assert ("survey.csv: a cell holds more than 131,072 characters; allowed: at most 20,000 "
            "characters") in result.output
