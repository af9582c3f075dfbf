"""Run many clients: discover → shard → skip unchanged → validate → run in parallel → summarise.

The order matters for speed: which clients are unchanged is decided from
content hashes (standard library only) before pandas, matplotlib or nbconvert
is imported, so an unchanged rerun costs a fraction of a second. Only the
clients that must run are validated and handed to worker processes
(``revkit.batch.pool``); each worker keeps its libraries (and, with the warm engine,
its kernels) loaded from one client to the next.

A client's hash record is dropped before it runs and written only after all
its outputs are in place, so an interrupted batch resumes where it stopped and
a failed client is never mistaken for a finished one.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from revkit import atomic, vocabulary
from revkit.batch import fingerprint
from revkit.batch.plan import ClientSource, discover_clients, select_shard
from revkit.batch.pool import WorkerPool
from revkit.batch.warm_state import ENGINE_NAME
from revkit.errors import UsageError

FORMATS = ("html", "pdf")
SUMMARY_NAME = "summary.json"
STATUSES = ("ok", "skipped", "failed", "invalid")
ENGINES = ("warm", "fresh")


@dataclass
class Outcome:
    """One row of the batch summary."""

    client: str            # the slug (or the file name when the input could not be read)
    source: str            # path relative to the batch folder
    verdict: str | None = None
    level: int | None = None
    seconds: float = 0.0
    status: str = "ok"     # ok | skipped | failed | invalid
    message: str = ""


@dataclass
class BatchSummary:
    """What a batch did, client by client; ``summary.json`` is this, as JSON."""

    rows: list[Outcome]
    out_root: Path
    shard: tuple[int, int] | None = None
    jobs: int = 1
    seconds: float = 0.0
    portfolio: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(r.status in ("failed", "invalid") for r in self.rows)

    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.rows) for s in STATUSES}

    def to_dict(self) -> dict:
        return {
            "clients": [asdict(r) for r in self.rows],
            "counts": self.counts(),
            "failed": self.failed,
            "shard": f"{self.shard[0]}/{self.shard[1]}" if self.shard else None,
            "jobs": self.jobs,
            "seconds": round(self.seconds, 2),
        }


@dataclass(frozen=True)
class _Task:
    source: ClientSource
    slug: str
    fingerprint: str
    out_root: str
    formats: tuple[str, ...]
    methodology: str | None
    engine_name: str | None = None


# ------------------------------------------------------------------ planning

def parse_formats(text: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """``"html,pdf"`` → ``("html", "pdf")``; unknown formats are a usage error."""
    items = text.split(",") if isinstance(text, str) else list(text)
    chosen = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--formats takes html and/or pdf separated by commas, got {text!r}")
    return chosen


def _read_results(out_root: Path, slug: str) -> dict:
    try:
        return json.loads((out_root / slug / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _level(value) -> int | None:
    """The overall level whether results.json stores it as a number or as {level, name}."""
    if isinstance(value, dict):
        value = value.get("level", value.get("value"))
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def verdict_and_level(results: dict) -> tuple[str | None, int | None]:
    """The verdict and the overall level recorded in a results.json document."""
    rec = results.get("recommendation") or {}
    verdict = rec.get("verdict") if isinstance(rec, dict) else None
    levels = results.get("levels") or {}
    level = _level(levels.get("overall")) if isinstance(levels, dict) else None
    return verdict, level


# ------------------------------------------------------------------ workers

_RUNNER: Callable | None = None


def _init_worker(engine: str, runner: Callable | None) -> None:
    """Load the heavy libraries once per worker (and start a warm kernel if asked)."""
    global _RUNNER
    _RUNNER = runner
    _prepare(engine, runner, in_pool=True)


def _thread_start() -> None:
    from revkit.batch import warm_engine

    warm_engine.start_thread_kernel()


def _thread_stop() -> None:
    from revkit.batch import warm_engine

    warm_engine.shutdown_thread()


def _prepare(engine: str, runner: Callable | None, in_pool: bool = False) -> None:
    if engine == "warm" and runner is None:
        from revkit.batch import pool, warm_engine

        # In a pool each thread starts its own kernel (_thread_start) and gives up the
        # worker's lock while that kernel executes; here one kernel serves every client.
        warm_engine.install(start=not in_pool)
        if in_pool:
            warm_engine.release_while_executing(pool.WORK_LOCK)
    if runner is None:
        import revkit.report.run  # noqa: F401  (imports papermill, nbconvert, WeasyPrint once)


def _run_task(task: _Task, runner: Callable | None = None) -> Outcome:
    """Run one client; never raises for the client's own failure, the outcome says what happened."""
    from revkit.errors import RevkitError, ValidationFailed

    out_root = Path(task.out_root)
    started = time.perf_counter()
    row = Outcome(client=task.slug, source=task.source.key)
    fingerprint.drop_record(out_root, task.slug)
    try:
        runner = runner or _RUNNER
        if runner is None:
            from revkit.report.run import run_client as runner
        kwargs = {"formats": task.formats}
        if task.methodology:
            kwargs["methodology_path"] = task.methodology
        if task.engine_name:
            kwargs["engine_name"] = task.engine_name
        result = runner(task.source.path, out_root, **kwargs)
        row.client = getattr(result, "slug", None) or task.slug
        row.verdict = getattr(result, "verdict", None)
        row.level = _level(getattr(result, "level", None))
        if not fingerprint.outputs_complete(out_root, row.client, task.formats):
            raise RuntimeError("the run finished but its outputs are incomplete")
        fingerprint.write_record(out_root, row.client, task.fingerprint, task.source.key,
                                 task.formats)
    except ValidationFailed as exc:
        row.status, row.message = "invalid", exc.summary().splitlines()[0]
    except RevkitError as exc:
        row.status, row.message = "failed", str(exc).strip().splitlines()[0]
    except Exception as exc:  # a bug in one client's run must not stop the others
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({last[0].filename}:{last[0].lineno})" if last else ""
        row.status, row.message = "failed", f"{type(exc).__name__}: {exc}{where}"
    row.seconds = round(time.perf_counter() - started, 2)
    return row


# ------------------------------------------------------------------ the batch

def run_batch(root: str | Path, out_root: str | Path = "reports", *, jobs: int | None = None,
              shard: tuple[int, int] | None = None, force: bool = False,
              formats: tuple[str, ...] = FORMATS, methodology: str | Path | None = None,
              engine: str = "warm", progress: bool = False,
              echo: Callable[[str], None] | None = None,
              runner: Callable | None = None, write_portfolio: bool = True) -> BatchSummary:
    """Run every client under ``root`` (or shard ``(i, n)`` of them) into ``out_root``.

    ``runner`` replaces ``revkit.report.run.run_client`` (it must be importable by worker
    processes); ``echo`` receives messages that should be shown at once (invalid
    clients, failures). Writes ``summary.json`` and the portfolio; never raises
    for a single client's failure.
    """
    started = time.perf_counter()
    # absolute: worker threads must not depend on the working directory
    root, out_root = Path(root).absolute(), Path(out_root).absolute()
    echo = echo or (lambda message: None)
    if engine not in ENGINES:
        raise UsageError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    formats = parse_formats(formats)
    jobs = max(1, jobs or os.cpu_count() or 1)
    methodology = str(Path(methodology).resolve()) if methodology else None
    if methodology:
        # check it once, up front: a bad file is one clear error (exit 2), not a failure
        # per client; this needs only YAML, so nothing heavy is imported yet
        from revkit.method.methodology import load as load_methodology

        load_methodology(methodology)

    sources = discover_clients(root, exclude=(out_root,))
    if not sources:
        kinds = ", ".join(vocabulary.WORKBOOK_SUFFIXES)
        raise UsageError(f"{root}: no client found (a client is a folder with "
                         f"{vocabulary.PROFILE_FILE} or a workbook: {kinds})")
    if shard:
        sources = select_shard(sources, *shard)

    # Decide what to skip from hashes alone: nothing heavy is imported yet.
    kit = fingerprint.kit_fingerprint(methodology)
    records = fingerprint.read_records(out_root)
    rows: list[Outcome] = []
    pending: list[tuple[ClientSource, str]] = []
    taken: dict[str, str] = {}          # slug → source key, to catch two clients with one slug
    for source in sources:
        digest = fingerprint.client_fingerprint(source.path, kit)
        record = records.get(digest)
        if (not force and record is not None
                and fingerprint.outputs_complete(out_root, record.slug, formats)):
            verdict, level = verdict_and_level(_read_results(out_root, record.slug))
            rows.append(Outcome(record.slug, source.key, verdict, level, 0.0, "skipped"))
            taken.setdefault(record.slug, source.key)
        else:
            pending.append((source, digest))

    atomic.output_root(out_root)
    engine_name = ENGINE_NAME if engine == "warm" and runner is None else None
    previous = _terminate_as_interrupt()
    # Workers start (and warm up) first, so their start-up overlaps with validation.
    pool = _start_pool(min(jobs, len(pending)), engine, runner)
    try:
        tasks = _validate(pending, out_root, formats, methodology, rows, taken, echo)
        # Largest inputs first: the long runs start early and short ones fill the end,
        # so no worker idles while another finishes a big client.
        tasks = sorted((replace(t, engine_name=engine_name) for t in tasks),
                       key=lambda t: (-_input_size(t.source.path), t.source.key))
        rows.extend(_execute(tasks, pool, engine, runner, progress, len(sources), len(rows),
                             echo))
    except BaseException:
        # Interrupted: stop the workers now; finished clients keep their records.
        if pool is not None:
            pool.terminate()
        raise
    finally:
        _restore_signal(previous)
    if pool is not None:
        pool.close()
    rows.sort(key=lambda r: (r.client, r.source))

    summary = BatchSummary(rows, out_root, shard, jobs, time.perf_counter() - started)
    if write_portfolio:
        from revkit.portfolio import build as portfolio

        summary.portfolio = portfolio.build_portfolio(out_root)
    summary.seconds = time.perf_counter() - started
    atomic.write_text(out_root / SUMMARY_NAME,
                      json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return summary


def _input_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _validate(pending, out_root, formats, methodology, rows, taken, echo) -> list[_Task]:
    """Validate every client that must run, before any of them starts; report invalid ones."""
    if not pending:
        return []
    from revkit.intake.validate import check_client  # imports pandas: only when something runs

    tasks = []
    for source, digest in pending:
        try:
            client, problems = check_client(source.path)
        except Exception as exc:  # an unreadable input is that client's problem only
            client, problems = None, []
            reason = f"cannot be read: {type(exc).__name__}: {exc}"
        else:
            errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
            reason = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found"
        if client is None:
            rows.append(Outcome(source.label, source.key, status="invalid", message=reason))
            echo(f"invalid: {source.key}: {reason}")
            for p in problems:
                if getattr(p, "severity", "error") == "error":
                    echo(f"  - {p.render()}")
            continue
        slug = client.slug
        if slug in taken:
            message = f"slug '{slug}' is also used by {taken[slug]}"
            rows.append(Outcome(slug, source.key, status="failed", message=message))
            echo(f"failed: {source.key}: {message}")
            continue
        taken[slug] = source.key
        tasks.append(_Task(source, slug, digest, str(out_root), formats, methodology))
    return tasks


def _start_pool(workers: int, engine: str, runner) -> WorkerPool | None:
    """``workers`` processes, started now (``None`` for one: that runs in this process).

    With the warm engine each worker runs two clients at a time, so one renders
    while the other's kernel executes (see ``revkit.batch.pool``)."""
    if workers < 2:
        return None
    warm = engine == "warm" and runner is None
    return WorkerPool(workers, 2 if warm else 1, _run_task, initializer=_init_worker,
                      initargs=(engine, runner),
                      thread_hooks=(_thread_start, _thread_stop) if warm else (None, None))


def _execute(tasks: list[_Task], pool: WorkerPool | None, engine: str, runner,
             progress: bool, total: int, done: int, echo) -> list[Outcome]:
    """Run ``tasks`` in the pool's workers (or here, without a pool); never stops at a
    failing client."""
    if not tasks:
        return []
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.text import Text

    bar = Progress(TextColumn("clients"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("{task.description}"),
                   console=Console(stderr=True), disable=not progress, transient=False)
    outcomes: list[Outcome] = []

    def finished(row: Outcome) -> None:
        outcomes.append(row)
        bar.update(task_id, advance=1, description=row.client)
        if row.status != "ok":
            message = f"{row.status}: {row.client}: {row.message}"
            # above a live progress bar, print through its console so the bar stays intact
            if progress:
                bar.console.print(Text(message))
            else:
                echo(message)

    with bar:
        task_id = bar.add_task("", total=total, completed=done)
        if pool is None:
            # One worker: run here, without the cost of a second interpreter.
            _prepare(engine, runner)
            for task in tasks:
                finished(_run_task(task, runner))
            return outcomes
        def lost(task: _Task, reason: str) -> Outcome:
            return Outcome(task.slug, task.source.key, status="failed", message=reason)

        for task, outcome in pool.run(tasks, lost):
            if isinstance(outcome, BaseException):  # a bug outside the client's run
                outcome = lost(task, f"{type(outcome).__name__}: {outcome}")
            finished(outcome)
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
