"""Which of the kit's files a client's report depends on, derived from the package layout.

A report is made by the stages under ``intake/``, ``method/`` and ``report/``
(at any depth) and the top-level modules they share, from the data files,
contracts, templates and the report notebook. The other packages — the
command line (``cli/``), batches (``batch/``), the portfolio (``portfolio/``) —
and the authoring helpers (``intake/authoring/``: blank intakes, conversion,
contract docs) never change a report.

Two consumers ask the same question here, so they can never disagree:
a batch's fingerprint (changing a report file re-runs every client) and the
warm kernel's stamp (changing report code restarts the kernel). Standard
library only: a batch decides what to skip before it imports anything heavy.
"""

from __future__ import annotations

import os
from pathlib import Path

from revkit import paths

REPORT_STAGES = ("intake", "method", "report")
# sub-packages of the report stages that only author intakes or docs
NOT_REPORT = ("intake/authoring",)
REPORT_NOTEBOOK = "assessment.ipynb"


def _visible(names: list[str]) -> list[str]:
    return sorted(n for n in names if not n.startswith((".", "__pycache__", "~$")))


def _files(root: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    if root.is_file():
        return [root]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = _visible(dirnames)
        for name in _visible(filenames):
            if name.endswith(".pyc") or (suffixes and not name.endswith(suffixes)):
                continue
            found.append(Path(dirpath) / name)
    return sorted(found)


def is_report_module(relative: str) -> bool:
    """Whether a module path relative to the package (``method/silos.py``) makes reports."""
    rel = relative.replace(os.sep, "/")
    if "/" not in rel:
        return rel.endswith(".py")  # a top-level module shared by every stage
    if any(rel == p or rel.startswith(p + "/") for p in NOT_REPORT):
        return False
    return rel.split("/", 1)[0] in REPORT_STAGES


def report_modules() -> list[Path]:
    """The kit's Python files that read, score or render a client."""
    root = paths.PACKAGE_DIR
    return [f for f in _files(root, (".py",))
            if "data" not in f.relative_to(root).parts[:1]
            and "_resources" not in f.relative_to(root).parts[:1]
            and is_report_module(f.relative_to(root).as_posix())]


def report_module_names() -> list[str]:
    """Dotted names of ``report_modules()`` (``revkit.method.silos``), packages included."""
    names = []
    for f in report_modules():
        parts = f.relative_to(paths.PACKAGE_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and parts[-1] != "__main__":
            names.append(".".join(("revkit", *parts)))
    return names


def report_data() -> list[tuple[str, Path]]:
    """``(label, root)`` of the data a report depends on besides code."""
    return [("data", paths.DATA_DIR), ("contracts", paths.CONTRACTS_DIR),
            ("templates", paths.TEMPLATES_DIR),
            ("notebook", paths.NOTEBOOKS_DIR / REPORT_NOTEBOOK)]


def report_files() -> list[tuple[str, Path]]:
    """Every file a client's report depends on, as ``(label, path)``, in a stable order."""
    out = [("package", f) for f in report_modules()]
    for label, root in report_data():
        out += [(label, f) for f in _files(root)] if root.exists() else []
    return out


def relative_name(label: str, path: Path) -> str:
    """A path's name relative to its root, as a fingerprint records it."""
    roots = {"package": paths.PACKAGE_DIR, **dict(report_data())}
    root = roots[label]
    return path.name if root.is_file() else path.relative_to(root).as_posix()
