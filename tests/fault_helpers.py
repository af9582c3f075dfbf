"""Helpers for the fault tests: real processes killed at moments seen on disk, and checks
that every file under its final name is complete."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import psutil
import yaml
from batch_fakes import check_results
from pypdf import PdfReader

from revkit.paths import DEMO_CLIENTS_DIR

REVKIT = [sys.executable, "-m", "revkit"]


def client(root: Path, slug: str, demo: str = "nordkraft-tools", pad: int = 0) -> Path:
    """A valid client ``root/slug`` made from a demo client; ``pad`` bytes of comment make
    its input larger (a batch runs the largest input first)."""
    folder = root / slug
    shutil.copytree(DEMO_CLIENTS_DIR / demo, folder)
    profile = yaml.safe_load((folder / "profile.yaml").read_text())
    profile.update(slug=slug, name=f"Client {slug}")
    text = yaml.safe_dump(profile, sort_keys=False, allow_unicode=True)
    (folder / "profile.yaml").write_text(text + "#" * pad + "\n", encoding="utf-8")
    return folder


def start(*args, env: dict | None = None) -> subprocess.Popen:
    """``revkit ARGS`` in a process group of its own (so the whole group can be killed)."""
    return subprocess.Popen([*REVKIT, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, **(env or {})})


def wait_for(condition, timeout: float = 120, what: str = "", proc=None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the process ended (exit {proc.returncode}) before {what}: "
                                 f"{proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process, its workers and whatever else is in its group, now; then the
    kernels it started (each in a session of its own, as Jupyter starts them)."""
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    kill(family)


def kill(processes, reap: bool = True) -> None:
    """SIGKILL each process; ``reap=False`` leaves waiting for them to their parent (a
    pool that must see its worker's exit code)."""
    for p in processes:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    if reap:
        psutil.wait_procs(list(processes), timeout=10)


def kernels_of(pid: int) -> list[psutil.Process]:
    """The Jupyter kernels under process ``pid``."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [p for p in children if _cmdline_has(p, "ipykernel")]


def workers_of(pid: int) -> list[psutil.Process]:
    """The spawned worker processes of a local pool started by process ``pid``."""
    return [p for p in psutil.Process(pid).children()
            if _cmdline_has(p, "spawn_main") and not _cmdline_has(p, "resource_tracker")]


def _cmdline_has(process: psutil.Process, word: str) -> bool:
    try:
        return any(word in part for part in process.cmdline())
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return False


# ------------------------------------------------------------------ what is on disk

def leftovers(folder: Path) -> list[str]:
    """Temporary files (hidden, ``.tmp``) anywhere under ``folder``."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob(".*")
                  if p.is_file() and (".tmp" in p.name or p.name.startswith(".revkit-probe")))


def check_complete(path: Path) -> None:
    """Raise unless the file under this final name is whole: a PDF that pypdf reads page by
    page, results that meet the schema, HTML that ends, a notebook nbformat validates."""
    name = path.name
    if name.startswith("."):
        if name == ".revkit-hash":
            json.loads(path.read_text(encoding="utf-8"))
        return
    if path.suffix == ".pdf":
        reader = PdfReader(path, strict=True)
        assert len(reader.pages) >= 1, path
        for page in reader.pages:
            page.extract_text()
    elif name == "results.json" or path.parent.name == "history" and path.suffix == ".json":
        check_results(json.loads(path.read_text(encoding="utf-8")))
    elif path.suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix == ".html":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
    elif path.suffix == ".ipynb":
        nbformat.validate(nbformat.read(path, as_version=4))
    elif path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
    elif path.suffix == ".csv":
        path.read_text(encoding="utf-8")


def check_tree(folder: Path) -> list[str]:
    """Check every file under ``folder`` (see ``check_complete``); returns the final names."""
    names = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            check_complete(path)
            names.append(path.relative_to(folder).as_posix())
    return names
