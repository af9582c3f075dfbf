"""Which clients a batch runs: discovery, shards and the content hashes that skip unchanged ones."""

from __future__ import annotations

import shutil

import pytest

import revkit
from revkit import paths
from revkit.batch import fingerprint
from revkit.batch.plan import discover_clients, parse_shard, select_shard
from revkit.errors import UsageError


def _portfolio_of(tmp_path, n):
    """``n`` client folders, a workbook and some things that are not clients."""
    root = tmp_path / "clients"
    for i in range(n):
        folder = root / ("east" if i % 2 else "west") / f"client-{i:02d}"
        folder.mkdir(parents=True)
        (folder / "profile.yaml").write_text(f"slug: client-{i:02d}\n")
        (folder / "crm").mkdir()
        (folder / "crm" / "profile.yaml").write_text("not a nested client\n")
    (root / "acme.xlsx").write_bytes(b"PK")
    (root / "~$acme.xlsx").write_bytes(b"lock")
    (root / "east" / "macro-co.xlsm").parent.mkdir(parents=True, exist_ok=True)
    (root / "east" / "macro-co.xlsm").write_bytes(b"PK")
    (root / "east" / "~$macro-co.xlsm").write_bytes(b"lock")
    (root / "east" / "notes.xls").write_bytes(b"old format, not a client")
    (root / "notes").mkdir()
    (root / "notes" / "readme.txt").write_text("no client here")
    (root / ".hidden" / "x").mkdir(parents=True)
    (root / ".hidden" / "x" / "profile.yaml").write_text("slug: x\n")
    return root


def test_discovery_finds_folders_and_workbooks_once(tmp_path):
    root = _portfolio_of(tmp_path, 5)
    keys = [c.key for c in discover_clients(root)]
    assert keys == ["acme.xlsx", "east/client-01", "east/client-03", "east/macro-co.xlsm",
                    "west/client-00", "west/client-02", "west/client-04"]


def test_discovery_skips_the_reports_folder(tmp_path):
    root = _portfolio_of(tmp_path, 2)
    out = root / "reports"
    (out / "client-00").mkdir(parents=True)
    (out / "client-00" / "profile.yaml").write_text("slug: client-00\n")
    assert all(not c.key.startswith("reports") for c in discover_clients(root, exclude=(out,)))
    assert any(c.key.startswith("reports") for c in discover_clients(root))


def test_a_single_workbook_is_its_own_portfolio(tmp_path):
    for name in ("Acme.XLSM", "acme.xlsx"):
        (tmp_path / name).write_bytes(b"PK")
        assert [c.key for c in discover_clients(tmp_path / name)] == [name]
    (tmp_path / "~$acme.xlsx").write_bytes(b"lock")
    assert discover_clients(tmp_path / "~$acme.xlsx") == []


def test_a_single_client_folder_is_its_own_portfolio():
    clients = discover_clients(paths.DEMO_CLIENTS_DIR / "helix-cloud")
    assert [c.label for c in clients] == ["helix-cloud"]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 13])
def test_shards_cover_every_client_once_and_are_balanced(tmp_path, count):
    clients = discover_clients(_portfolio_of(tmp_path, 11))
    shards = [select_shard(clients, i, count) for i in range(1, count + 1)]
    keys = [c.key for shard in shards for c in shard]
    assert sorted(keys) == sorted(c.key for c in clients)
    assert len(keys) == len(set(keys))
    sizes = [len(s) for s in shards]
    assert max(sizes) - min(sizes) <= 1


def test_shards_do_not_depend_on_discovery_order(tmp_path):
    clients = discover_clients(_portfolio_of(tmp_path, 9))
    assert select_shard(clients, 2, 3) == select_shard(list(reversed(clients)), 2, 3)


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "3", "-1/2"])
def test_bad_shard_is_a_usage_error(text):
    with pytest.raises(UsageError):
        parse_shard(text)


def test_shard_parses():
    assert parse_shard(" 2/5 ") == (2, 5)
    assert parse_shard(None) is None


# ------------------------------------------------------------------ content hashes

@pytest.fixture
def kit_copy(tmp_path, monkeypatch):
    """The kit's notebook, template and methodology folders as writable copies."""
    notebooks = tmp_path / "kit" / "notebooks"
    templates = tmp_path / "kit" / "templates"
    notebooks.mkdir(parents=True)
    (notebooks / "assessment.ipynb").write_text('{"cells": []}')
    (notebooks / "portfolio.ipynb").write_text('{"cells": []}')
    (templates / "revkit").mkdir(parents=True)
    (templates / "revkit" / "index.html.j2").write_text("{% extends 'lab' %}")
    methodology = tmp_path / "kit" / "methodology.yaml"
    shutil.copy(paths.DEFAULT_METHODOLOGY, methodology)
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", notebooks)
    monkeypatch.setattr(paths, "TEMPLATES_DIR", templates)
    monkeypatch.setattr(paths, "DEFAULT_METHODOLOGY", methodology)
    return tmp_path / "kit"


def _hash(client):
    return fingerprint.client_fingerprint(client, fingerprint.kit_fingerprint())


def test_hash_is_stable_and_ignores_hidden_files(copy_demo, kit_copy):
    client = copy_demo("helix-cloud")
    before = _hash(client)
    (client / ".DS_Store").write_bytes(b"finder")
    (client / "~$lock").write_bytes(b"x")
    assert _hash(client) == before


@pytest.mark.parametrize("change", ["input", "new input file", "methodology", "kit version",
                                    "notebook", "template"])
def test_each_hashed_input_invalidates(copy_demo, kit_copy, monkeypatch, change):
    client = copy_demo("helix-cloud")
    before = _hash(client)
    if change == "input":
        with open(client / "survey.csv", "a") as fh:
            fh.write("hc-99,sales,silos_01,5,\n")
    elif change == "new input file":
        (client / "crm").mkdir(exist_ok=True)
        (client / "crm" / "spend.csv").write_text("month,amount\n2026-01,1000\n")
    elif change == "methodology":
        with open(kit_copy / "methodology.yaml", "a") as fh:
            fh.write("# tuned\n")
    elif change == "kit version":
        monkeypatch.setattr(revkit, "__version__", "99.0.0")
    elif change == "notebook":
        (kit_copy / "notebooks" / "assessment.ipynb").write_text('{"cells": [1]}')
    elif change == "template":
        (kit_copy / "templates" / "revkit" / "index.html.j2").write_text("{# new #}")
    assert _hash(client) != before


def test_portfolio_notebook_does_not_invalidate_client_reports(copy_demo, kit_copy):
    client = copy_demo("helix-cloud")
    before = _hash(client)
    (kit_copy / "notebooks" / "portfolio.ipynb").write_text('{"cells": [2]}')
    assert _hash(client) == before


def test_a_custom_methodology_file_changes_the_hash(copy_demo, kit_copy, tmp_path):
    client = copy_demo("helix-cloud")
    custom = tmp_path / "ours.yaml"
    custom.write_text(paths.DEFAULT_METHODOLOGY.read_text() + "\n# ours\n")
    assert (fingerprint.client_fingerprint(client, fingerprint.kit_fingerprint(custom))
            != _hash(client))


def test_records_round_trip_and_ignore_garbage(tmp_path):
    fingerprint.write_record(tmp_path, "acme", "abc123", "clients/acme", ("html",))
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / fingerprint.RECORD_NAME).write_text("{not json")
    (tmp_path / "moved").mkdir()   # a record copied under another slug's folder is not trusted
    fingerprint.write_record(tmp_path, "moved", "def456", "x", ("html",))
    (tmp_path / "moved" / fingerprint.RECORD_NAME).rename(tmp_path / "moved" / "tmp")
    (tmp_path / "acme" / fingerprint.RECORD_NAME).replace(tmp_path / "moved" / fingerprint.RECORD_NAME)
    fingerprint.write_record(tmp_path, "acme", "abc123", "clients/acme", ("html",))
    records = fingerprint.read_records(tmp_path)
    assert list(records) == ["abc123"]
    assert records["abc123"].slug == "acme"
