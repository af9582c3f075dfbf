"""The kit ships whole: resources inside the wheel, a console script, generated docs in sync."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from revkit import __version__
from revkit.intake.authoring.contract_docs import render_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_intake_docs_are_generated_from_the_contracts():
    assert (ROOT / "docs" / "intake.md").read_text(encoding="utf-8") == render_markdown(), \
        "docs/intake.md is stale: run `revkit contracts --format md > docs/intake.md`"


def test_version_and_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "revkit", "--version"], capture_output=True,
                          text=True, check=True)
    assert __version__ in proc.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, capture_output=True)
    return next(out.glob("revkit-*.whl"))


def test_wheel_carries_contracts_templates_notebooks_and_demo_clients(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("data_contracts", "templates", "notebooks", "demo_clients"):
        assert any(n.startswith(f"revkit/_resources/{folder}/") for n in names), folder
    assert "revkit/data/catalog/questions.yaml" in names
    assert {"revkit/data/schemas/methodology.schema.json",
            "revkit/data/schemas/crm_mapping.schema.json"} <= set(names)
    assert any(n.endswith("entry_points.txt") for n in names)


def test_unpacked_wheel_runs_from_another_directory(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = ("import revkit, revkit.paths as p; print(revkit.__file__); print(p.DEMO_CLIENTS_DIR); "
            "print(p.CONTRACTS_DIR)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env,
                          capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    assert all(line.startswith(str(site)) for line in lines), lines
    demo = Path(lines[1]) / "nordkraft-tools"
    proc = subprocess.run([sys.executable, "-m", "revkit", "validate", str(demo)], cwd=elsewhere,
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
