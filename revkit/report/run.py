"""The report pipeline for one client: validate → assess → execute the notebook → HTML → PDF.

Everything lands in ``<out_root>/<slug>/``, each file written atomically.
Invalid input raises ``ValidationFailed`` before anything is written. A
failing notebook cell keeps papermill's partial notebook as
``<slug>.failed.ipynb`` and raises ``RunError``; no HTML or PDF is left under
its final name.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from revkit import atomic
from revkit.errors import RevkitError, RunError
from revkit.paths import DEMO_CLIENTS_DIR, NOTEBOOKS_DIR
from revkit.report import history, kept_inputs, kernels
from revkit.report.cell_timeout import CELL_TIMEOUT_ENV, CELL_TIMEOUT_SECONDS, cell_timeout_seconds
from revkit.report.writers import DEFAULT_FORMATS, parse_formats
from revkit.vocabulary import RESULTS_FILE

NOTEBOOK = NOTEBOOKS_DIR / "assessment.ipynb"
FORMATS = DEFAULT_FORMATS
KERNEL = "python3"


@dataclass
class RunResult:
    """What one run produced."""

    slug: str
    client: str
    out_dir: Path
    paths: dict[str, Path] = field(default_factory=dict)
    verdict: str | None = None
    level: int | None = None
    seconds: float = 0.0
    status: str = "ok"


def run_client(path: str | Path, out_root: str | Path = "reports",
               formats: tuple[str, ...] | list[str] | str = FORMATS,
               methodology_path: str | Path | None = None, *,
               kernel_name: str = KERNEL, engine_name: str | None = None,
               engine_kwargs: dict | None = None,
               previous: str | Path | None = None, lang: str | None = None,
               brand=None, cell_timeout: float | None = None) -> RunResult:
    """Write the report of the client at ``path`` to ``out_root/<slug>/``.

    ``lang`` overrides the profile's ``report_language``; ``brand`` is a brand file
    (or a loaded ``revkit.report.brand.Brand``) whose firm, logo and colours the report
    carries. ``cell_timeout`` is how many seconds one notebook cell may run
    (``cell_timeout_seconds``: else ``$REVKIT_CELL_TIMEOUT``, else 600; 0 for no limit).

    ``previous`` is the ``results.json`` of an earlier assessment of the client: the
    result gets its ``comparison`` and the earlier one is kept as
    ``history/<date>.json`` (``revkit.report.history``).

    ``engine_name`` selects a registered papermill engine (e.g. a batch's warm
    kernel) and ``engine_kwargs`` go to it; with ``None`` a kernel is started early
    for this run (``kernels``).
    ``kernel_name`` is the Jupyter kernel. Returns a ``RunResult``; raises
    ``ValidationFailed``/``MethodologyError`` (nothing written) or ``RunError``.
    """
    started = time.perf_counter()
    formats = parse_formats(formats)
    lang = check_language(lang)
    brand = _brand(brand)
    cell_timeout = cell_timeout_seconds(cell_timeout)
    # The kernel boots (and imports the chart libraries) while the kit's own modules
    # load and the input is validated and assessed; invalid input shuts it down
    # before anything is written.
    early = _start_kernel(kernel_name) if engine_name is None else None
    try:
        from revkit.intake.validate import load_client
        from revkit.method.assess import assess
        from revkit.method.methodology import load as load_methodology
        from revkit.report import results as results_file

        client = load_client(path)
        method = load_methodology(methodology_path) if methodology_path else None
        before = history.load_previous(previous, client.slug,
                                       client.profile["assessment_date"]) if previous else None
        results = assess(client, method)
        if lang:
            results["report_language"] = lang
        results["brand"] = brand.firm if brand else None
        if before is not None:
            results["comparison"] = history.comparison(before, results, method)
        atomic.output_root(out_root)
        out_dir = atomic.writable_folder(Path(out_root) / client.slug)
        slug = client.slug
        # temporary files of a run of this client that was killed
        for folder in (out_dir, out_dir / history.HISTORY_DIR):
            atomic.remove_leftovers(folder)
        # the previous run's report goes first: a run that fails or is killed from here on
        # never leaves an old report beside the new results.json
        _remove_reports(out_dir, slug)
        if before is not None:
            history.archive(out_dir, before)  # before the results it may be are replaced
        text = results_file.dump(results)
        results = json.loads(text)  # what the notebook reads: the report shows exactly this
        paths = {"results": atomic.write_text(out_dir / RESULTS_FILE, text),
                 "inputs": kept_inputs.keep(path, out_dir)}
        # nbconvert and WeasyPrint load on the other core while the kernel runs the cells
        warm = threading.Thread(target=_warm_up, args=(formats,), daemon=True)
        warm.start()
        nb = execute(path, out_dir, slug, client.name, methodology_path,
                     kernel_name=kernel_name, engine_name=engine_name,
                     km=early.km if early else None, engine_kwargs=engine_kwargs,
                     cell_timeout=cell_timeout)
    finally:
        if early is not None:
            early.shutdown()
    warm.join()

    try:
        paths.update(write_outputs(out_dir, slug, results, nb, formats, brand))
    except BaseException as exc:
        # a disk that filled up, a rendering bug: no report of this run is left half-made
        _remove_reports(out_dir, slug)
        if isinstance(exc, RevkitError) or not isinstance(exc, Exception):
            raise
        # a rendering bug must still name the client, without a traceback
        raise RunError(f"{client.name} ({slug}): rendering the report failed: "
                       f"{type(exc).__name__}: {exc}", client=slug) from exc
    (out_dir / f"{slug}.failed.ipynb").unlink(missing_ok=True)
    return RunResult(slug=slug, client=client.name, out_dir=out_dir, paths=paths,
                     verdict=results.get("recommendation", {}).get("verdict"),
                     level=results.get("levels", {}).get("overall"),
                     seconds=round(time.perf_counter() - started, 2))


def execute(client_path: str | Path, out_dir: Path, slug: str, client_name: str,
            methodology_path: str | Path | None = None, *, kernel_name: str = KERNEL,
            engine_name: str | None = None, km=None, engine_kwargs: dict | None = None,
            cell_timeout: float | None = CELL_TIMEOUT_SECONDS):
    """Execute the report notebook on ``out_dir/results.json``; returns the executed notebook.

    ``km`` is an already started kernel manager to run on (``kernels.start``);
    without it papermill's engine starts its own kernel. ``engine_kwargs`` go to the
    engine (papermill passes on what it does not know). The working directory of this
    process is left alone: the kernel has its own.

    On a failing cell papermill's partial notebook is kept as
    ``<slug>.failed.ipynb`` and ``RunError`` names the client and the cell. A cell that
    runs longer than ``cell_timeout`` seconds (``None``: no limit), or a kernel that dies,
    is a ``RunError`` naming the client and the cell it was running.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    partial = atomic.temp_path(out_dir / f"{slug}.ipynb", suffix=".ipynb")
    parameters = {
        "client_path": str(Path(client_path).resolve()),
        "output_dir": None,
        "methodology_path": str(Path(methodology_path).resolve()) if methodology_path else None,
        "results_path": str((out_dir / "results.json").resolve()),
    }
    running: dict = {}    # the cell being executed, for a timeout's or a dead kernel's message

    def on_cell_start(cell, cell_index, **_):
        running["source"] = cell.source

    try:
        nb = papermill.execute_notebook(
            str(NOTEBOOK), str(partial), parameters=parameters, kernel_name=kernel_name,
            engine_name=engine_name, progress_bar=False, request_save_on_cell_execute=False,
            extra_arguments=kernels.QUIET, shutdown_kernel="immediate",
            execution_timeout=cell_timeout or None, on_cell_start=on_cell_start,
            **({"km": km} if km is not None else {}), **(engine_kwargs or {}))
    except papermill.PapermillExecutionError as exc:
        _remove_reports(out_dir, slug)
        failed = out_dir / f"{slug}.failed.ipynb"
        os.replace(partial, failed)
        cell = _source_cell(exc.source)
        first_line = (exc.source or "").strip().splitlines()[:1]
        raise RunError(
            f"{client_name} ({slug}): the report notebook failed in cell {cell} "
            f"[{first_line[0] if first_line else ''}]: {exc.ename}: {exc.evalue}; "
            f"partial notebook kept as {failed}", client=slug, cell=cell) from None
    except (CellTimeoutError, DeadKernelError) as exc:
        _remove_reports(out_dir, slug)
        partial.unlink(missing_ok=True)
        where = _cell_named(running.get("source"))
        if isinstance(exc, CellTimeoutError):
            what = (f"{where} ran longer than the cell timeout of {cell_timeout:g} s and was "
                    f"stopped (--cell-timeout or ${CELL_TIMEOUT_ENV} sets it)")
        else:
            what = (f"the notebook's kernel died while it ran {where} (killed, or out of "
                    "memory); run it again")
        raise RunError(f"{client_name} ({slug}): {what}", client=slug,
                       cell=_source_cell(running.get("source"))) from None
    except Exception as exc:  # the kernel could not start, or another failure of the run
        _remove_reports(out_dir, slug)
        partial.unlink(missing_ok=True)
        raise RunError(f"{client_name} ({slug}): the report notebook could not run: "
                       f"{type(exc).__name__}: {exc}", client=slug) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.unlink(missing_ok=True)
    return nb


class _Background:
    """Run a function in a thread; ``result()`` joins it and re-raises its error."""

    def __init__(self, fn, *args):
        self._value = self._error = None
        self._thread = threading.Thread(target=self._run, args=(fn, *args), daemon=True)
        self._thread.start()

    def _run(self, fn, *args):
        try:
            self._value = fn(*args)
        except BaseException as exc:  # handed to the caller in result()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def write_outputs(out_dir: Path, slug: str, results: dict, nb,
                  formats: tuple[str, ...], brand=None) -> dict[str, Path]:
    """The executed notebook and every requested format, each file written atomically."""
    import nbformat

    from revkit.report import model, render, writers

    report = model.build(results, brand=brand)
    nb = render.annotate(render.clean_notebook(nb), report)
    rendering = writers.Rendering(slug=slug, results=results, model=report, notebook=nb)
    # the notebook is written while the formats render
    notebook = _Background(atomic.write_text, out_dir / f"{slug}.ipynb",
                           nbformat.writes(nb) + "\n")
    paths = {}
    try:
        for fmt in formats:
            for name, data in writers.get(fmt).write(rendering).items():
                key = fmt if name == f"{slug}.{fmt}" else name
                paths[key] = atomic.write_bytes(out_dir / name, data)
    except BaseException:
        notebook.wait()     # done writing before the caller removes what this run wrote
        raise
    paths["notebook"] = notebook.result()
    return paths


def _remove_reports(out_dir: Path, slug: str) -> None:
    """Every report file of a previous run (the formats, the notebook), before a new one."""
    from revkit.report import writers

    for name in [*writers.file_names(slug), f"{slug}.ipynb"]:
        (out_dir / name).unlink(missing_ok=True)


def check_language(lang: str | None) -> str | None:
    """``lang`` if it is a shipped report language (or ``None``); else a ``UsageError``."""
    from revkit import messages
    from revkit.errors import UsageError

    if lang is None or lang in messages.languages():
        return lang
    raise UsageError(f"--lang takes one of {', '.join(messages.languages())}, got {lang!r}")


def _brand(brand):
    from revkit.report import brand as brands

    if brand is None or isinstance(brand, brands.Brand):
        return brand
    return brands.load(brand)


def _cell_named(source: str | None) -> str:
    """``cell 4 [first line]``, as a failed cell is named in a message."""
    cell = _source_cell(source)
    lines = (source or "").strip().splitlines()[:1]
    return f"cell {cell} [{lines[0] if lines else ''}]" if cell else "a cell"


def _source_cell(source: str | None) -> int | None:
    """The 1-based number of the notebook cell (as stored) with this source."""
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    for i, cell in enumerate(nb.cells, 1):
        if cell.source == source:
            return i
    return None


def _start_kernel(kernel_name: str) -> kernels.EarlyKernel:
    try:
        return kernels.start(kernel_name)
    except Exception as exc:  # e.g. no such kernel in this environment
        raise RunError(f"cannot start the Jupyter kernel {kernel_name!r}: {exc} (install it into "
                       f"this environment with: python -m ipykernel install --sys-prefix)"
                       ) from exc


def _warm_up(formats: tuple[str, ...]) -> None:
    from revkit.report import render, writers

    render.warm_up(pdf=any("pdf" in writers.get(f).warm for f in formats))


def run_demo(out_root: str | Path = "reports",
             formats: tuple[str, ...] | list[str] | str = FORMATS, lang: str | None = None,
             brand=None) -> list[RunResult]:
    """Run every demo client shipped with the kit; returns their results in name order.

    ``lang`` and ``brand`` apply to every client; without a brand, the demo also writes one
    branded report (the shipped example brand on the first client) to
    ``out_root/branded/``."""
    from revkit.paths import DEMO_BRAND

    brand = _brand(brand)
    folders = sorted(p for p in DEMO_CLIENTS_DIR.iterdir() if p.is_dir())
    results = [run_client(folder, out_root, formats, lang=lang, brand=brand)
               for folder in folders]
    if brand is None and folders:
        results.append(run_client(folders[0], Path(out_root) / "branded", formats, lang=lang,
                                  brand=DEMO_BRAND))
    return results
