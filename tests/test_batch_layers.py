"""Which edits re-run a batch's clients and restart its warm kernels: derived from the layout.

Everything that reads, scores or renders a client (``intake/``, ``method/``,
``report/`` at any depth but the authoring helpers, the top-level modules, data,
contracts, templates, the report notebook) changes both the batch fingerprint
and the warm kernels' stamp; the command line, batches, the portfolio and the
authoring helpers change neither. Checked on a writable copy of the kit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from revkit import layers, paths
from revkit.batch import fingerprint, warm_engine

KIT = paths.PACKAGE_DIR.parent
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")

# (file under the copy, a file that does not exist yet is created)
RERUNS_NOTHING = [
    "revkit/cli/commands.py",
    "revkit/cli/new_command.py",
    "revkit/batch/runner.py",
    "revkit/batch/executors/local.py",
    "revkit/batch/executors/extra.py",
    "revkit/portfolio/build.py",
    "revkit/intake/authoring/init.py",
    "revkit/intake/authoring/convert.py",
    "revkit/intake/authoring/contract_docs.py",
    "notebooks/portfolio.ipynb",
]
RERUNS_EVERY_CLIENT = [
    "revkit/intake/readers.py",
    "revkit/intake/contracts.py",
    "revkit/intake/crm/exports.py",
    "revkit/method/scoring.py",
    "revkit/method/crm/measure.py",
    "revkit/report/views.py",
    "revkit/report/sub/extra.py",        # a new module in a new sub-package
    "revkit/errors.py",                  # top-level: shared by every stage
    "revkit/data/catalog/metrics.yaml",
    "revkit/data/methodology.yaml",
    "data_contracts/survey.yaml",
    "templates/revkit_report/index.html.j2",
    "notebooks/assessment.ipynb",
]


@pytest.fixture
def kit(tmp_path, monkeypatch):
    """A writable copy of the package and its resources, which ``revkit.paths`` points at."""
    root = tmp_path / "kit"
    shutil.copytree(paths.PACKAGE_DIR, root / "revkit", ignore=_JUNK)
    for name, attr in (("data_contracts", "CONTRACTS_DIR"), ("templates", "TEMPLATES_DIR"),
                       ("notebooks", "NOTEBOOKS_DIR")):
        shutil.copytree(getattr(paths, attr), root / name, ignore=_JUNK)
        monkeypatch.setattr(paths, attr, root / name)
    package = root / "revkit"
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    monkeypatch.setattr(paths, "DATA_DIR", package / "data")
    monkeypatch.setattr(paths, "CATALOG_DIR", package / "data" / "catalog")
    monkeypatch.setattr(paths, "DEFAULT_METHODOLOGY", package / "data" / "methodology.yaml")
    return root


def _touch(file: Path) -> None:
    """Edit ``file`` (or create it): a new size is what both the hash and the stamp see."""
    existed = file.exists()
    file.parent.mkdir(parents=True, exist_ok=True)
    with open(file, "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n" if existed else '"""A new module."""\n')


def _state():
    return fingerprint.kit_fingerprint(), warm_engine.kit_stamp()


def test_the_copy_stands_for_the_kit(kit):
    files = [f for _, f in layers.report_files()]
    assert files and all(kit in f.parents for f in files)
    assert not any((KIT / "revkit") in f.parents for f in files)


@pytest.mark.parametrize("name", RERUNS_NOTHING)
def test_an_edit_outside_the_report_layers_reruns_nothing(kit, name):
    before = _state()
    _touch(kit / name)
    after = _state()
    assert after[0] == before[0], "the batch fingerprint changed"
    assert after[1] == before[1], "the warm kernels' stamp changed"


@pytest.mark.parametrize("name", RERUNS_EVERY_CLIENT)
def test_an_edit_to_what_makes_a_report_reruns_every_client(kit, name):
    before = _state()
    _touch(kit / name)
    after = _state()
    assert after[0] != before[0], "the batch fingerprint did not change"
    assert after[1] != before[1], "the warm kernels' stamp did not change"


def test_warm_kernels_preload_report_modules_at_any_depth_and_nothing_else(kit):
    _touch(kit / "revkit" / "report" / "sub" / "extra.py")
    names = layers.report_module_names()
    assert "revkit.report.sub.extra" in names
    assert {"revkit.intake.readers", "revkit.intake.crm.exports", "revkit.method.scoring",
            "revkit.report.model", "revkit.errors"} <= set(names)
    assert not [n for n in names if n.startswith(("revkit.cli", "revkit.batch",
                                                  "revkit.portfolio",
                                                  "revkit.intake.authoring"))]
