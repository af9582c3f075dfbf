"""Run many clients: plan (discover → shard → skip → validate) → execute → summarise.

The order matters for speed: which clients are unchanged is decided from
content hashes (standard library only) before pandas, matplotlib or nbconvert
is imported, so an unchanged rerun costs a fraction of a second. Only the
clients that must run are validated and handed, as tasks, to an executor
(``revkit.batch.executors``: the local worker pool by default); its workers keep
their libraries (and, with the warm engine, their kernels) loaded from one
client to the next.

A client's hash record is dropped before it runs and written only after all
its outputs are in place, so an interrupted batch resumes where it stopped and
a failed client is never mistaken for a finished one.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from revkit import atomic
from revkit.batch import stale as stale_reports
from revkit.batch.executors import DEFAULT, Executor, executor_class
from revkit.batch.plan import make_plan
from revkit.batch.summaries import SUMMARY_NAME, summary_name
from revkit.batch.tasks import STATUSES, Outcome, Task
from revkit.report.cell_timeout import cell_timeout_seconds
from revkit.report.writers import DEFAULT_FORMATS, parse_formats

__all__ = ["SUMMARY_NAME", "BatchSummary", "run_batch", "summary_table"]


@dataclass
class BatchSummary:
    """What a batch did, client by client; ``summary.json`` is this, as JSON."""

    rows: list[Outcome]
    out_root: Path
    shard: tuple[int, int] | None = None
    jobs: int = 1
    seconds: float = 0.0
    portfolio: list[Path] = field(default_factory=list)
    executor: str = DEFAULT
    stale: list[stale_reports.StaleReport] = field(default_factory=list)

    @property
    def path(self) -> Path:
        """Where the summary is written: ``summary.json``, or the shard's own file."""
        return self.out_root / summary_name(self.shard)

    @property
    def failed(self) -> bool:
        return any(r.status in ("failed", "invalid") for r in self.rows)

    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.rows) for s in STATUSES}

    def to_dict(self) -> dict:
        return {
            "clients": [r.to_dict() for r in self.rows],
            "counts": self.counts(),
            "failed": self.failed,
            "shard": f"{self.shard[0]}/{self.shard[1]}" if self.shard else None,
            "jobs": self.jobs,
            "executor": self.executor,
            "seconds": round(self.seconds, 2),
            # reports of clients no longer in the input: left out of the portfolio
            "stale": [s.to_dict() for s in self.stale],
        }


# ------------------------------------------------------------------ the batch

def run_batch(root: str | Path, out_root: str | Path = "reports", *, jobs: int | None = None,
              shard: tuple[int, int] | None = None, force: bool = False,
              formats: tuple[str, ...] = DEFAULT_FORMATS, methodology: str | Path | None = None,
              engine: str = "warm", executor: str | Executor = DEFAULT,
              executor_options: dict | None = None, progress: bool = False,
              echo: Callable[[str], None] | None = None, prune: bool = False,
              runner: Callable | None = None, write_portfolio: bool = True,
              lang: str | None = None, brand: str | Path | None = None,
              cell_timeout: float | None = None) -> BatchSummary:
    """Run every client under ``root`` (or shard ``(i, n)`` of them) into ``out_root``.

    ``executor`` is a registered executor's name (``revkit.batch.executors``), made with
    ``executor_options`` (e.g. a Dask scheduler's address), or an ``Executor`` (which
    then has its own ``engine``, ``runner`` and options). ``runner``
    replaces ``revkit.report.run.run_client`` (it must be importable by the workers);
    ``echo`` receives messages that should be shown at once (invalid clients,
    failures). Reports of clients no longer under ``root`` are left out of the
    portfolio and listed in the summary; ``prune`` deletes them (``batch.stale``).
    ``lang`` and ``brand`` (a brand file) apply to every client and its portfolio;
    ``cell_timeout`` (seconds a notebook cell may run, else ``$REVKIT_CELL_TIMEOUT``, else
    the default) to every client, decided here, so every worker uses the same.
    Writes ``summary.json`` (``summary-I-of-N.json`` for a shard) and the portfolio;
    never raises for a single client's failure.
    """
    started = time.perf_counter()
    # absolute: tasks must not depend on the working directory of this process
    root, out_root = Path(root).absolute(), Path(out_root).absolute()
    echo = echo or (lambda message: None)
    if isinstance(executor, str):
        executor = executor_class(executor)(engine=engine, runner=runner,
                                            **(executor_options or {}))
    formats = parse_formats(formats)
    cell_timeout = cell_timeout_seconds(cell_timeout)
    jobs = max(1, jobs or os.cpu_count() or 1)
    methodology = str(Path(methodology).resolve()) if methodology else None
    if methodology:
        # check it once, up front: a bad file is one clear error (exit 2, its problem rows),
        # not a failure per client; this needs only YAML and jsonschema, nothing heavy
        from revkit.method.methodology import load as load_methodology

        load_methodology(methodology)
    loaded_brand = None
    if brand:
        # checked once, like the methodology; its fingerprint is part of every client's
        from revkit.report.brand import load as load_brand

        brand = str(Path(brand).resolve())
        loaded_brand = load_brand(brand)

    # Decide what to skip from hashes alone: nothing heavy is imported yet.
    plan = make_plan(root, out_root, formats, methodology=methodology, shard=shard, force=force,
                     lang=lang, brand=brand,
                     brand_fingerprint=loaded_brand.fingerprint() if loaded_brand else "")
    plan.cell_timeout = cell_timeout
    atomic.output_root(out_root)
    # what a killed batch left half-written beside the portfolio (each client's own folder
    # is cleaned by its run); a batch writing here at the same time keeps its files
    atomic.remove_leftovers(out_root, before=time.time())
    previous = _terminate_as_interrupt()
    try:
        # Workers start (and warm up) first, so their start-up overlaps with validation.
        executor.start(min(jobs, len(plan.pending)))
        tasks = plan.validate(echo)
        ran = _execute(executor, tasks, progress, plan.total, len(plan.decided), echo)
    except BaseException:
        # Interrupted: stop the workers now; finished clients keep their records.
        executor.terminate()
        raise
    finally:
        _restore_signal(previous)
    executor.close()
    rows = sorted(plan.decided + ran, key=lambda r: (r.client, r.source))

    summary = BatchSummary(rows, out_root, shard, jobs, time.perf_counter() - started,
                           executor=executor.name)
    # judged after the run: the records of the clients that just ran are in place
    summary.stale = stale_reports.find_stale(
        out_root, plan.keys, {key: slug for slug, key in plan.taken.items()})
    if prune:
        summary.stale = stale_reports.prune(out_root, summary.stale)
    if write_portfolio:
        from revkit.portfolio import build as portfolio

        summary.portfolio = portfolio.build_portfolio(
            out_root, leave_out={s.client: s.reason for s in summary.stale if not s.pruned},
            lang=lang, brand=loaded_brand)
    summary.seconds = time.perf_counter() - started
    atomic.write_text(summary.path,
                      json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return summary


def _execute(executor: Executor, tasks: list[Task], progress: bool, total: int, done: int,
             echo) -> list[Outcome]:
    """Run ``tasks`` on ``executor`` with a progress bar; never stops at a failing client."""
    if not tasks:
        return []
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.text import Text

    bar = Progress(TextColumn("clients"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("{task.description}"),
                   console=Console(stderr=True), disable=not progress, transient=False)
    outcomes: list[Outcome] = []
    with bar:
        bar_id = bar.add_task("", total=total, completed=done)
        for _task, row in executor.run(tasks):
            outcomes.append(row)
            bar.update(bar_id, advance=1, description=row.client)
            if row.status != "ok":
                message = f"{row.status}: {row.client}: {row.message}"
                # above a live progress bar, print through its console so the bar stays intact
                if progress:
                    bar.console.print(Text(message))
                else:
                    echo(message)
    return outcomes


def _terminate_as_interrupt():
    """Treat SIGTERM (a CI job cancelled, ``kill``) like Ctrl-C, so workers are stopped."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def _restore_signal(previous) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


# ------------------------------------------------------------------ the summary table

def summary_table(summary: BatchSummary):
    """A rich table with exactly the rows and fields of ``summary.json``."""
    from rich.table import Table
    from rich.text import Text

    counts = summary.counts()
    caption = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no clients found"
    table = Table(title="revkit batch", caption=f"{caption} — {summary.seconds:.1f} s")
    for name, justify in (("client", "left"), ("source", "left"), ("verdict", "left"),
                          ("level", "right"), ("time (s)", "right"), ("status", "left"),
                          ("message", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    style = {"ok": "green", "skipped": "dim", "failed": "red", "invalid": "red"}
    for r in summary.rows:
        # Text(), not markup: client names and messages are shown as they are.
        table.add_row(Text(r.client), Text(r.source), Text(r.verdict or "—"),
                      "—" if r.level is None else str(r.level), f"{r.seconds:.2f}",
                      Text(r.status, style=style[r.status]), Text(r.message))
    return table
