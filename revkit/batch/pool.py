"""Spawned worker processes that each run a few tasks at once, each worker with its own state.

A client's run alternates between two kinds of work: the worker's own Python
(assess, HTML, PDF) and waiting while its kernel executes the notebook. One
client per worker leaves a CPU idle during each wait, so every worker runs
``threads`` tasks at a time. What the threads share — the loaded libraries, the
warm kernels, the lock that keeps the kit's own code to one thread at a time —
is one state object per worker, made by ``make_state()`` in the worker and
handed to every ``run(task, state)`` call (``revkit.batch.worker``). The pool
itself knows nothing of reports.

Tasks are handed out one at a time from a shared queue, so the workers stay
balanced; a worker that dies is replaced and each task it was running is put
back on the queue, up to ``retries`` times (running a task again is safe), then
reported as lost.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator

_POLL_SECONDS = 0.5
_TAKE_POLL_SECONDS = 0.05


def _worker_main(tasks, results, threads: int, make_state: Callable, run: Callable) -> None:
    """A worker process: make its state once, then ``threads`` threads take tasks in turn.

    The state's ``thread_started()`` and ``thread_stopped()`` are called by each thread
    before its first task and after its last (e.g. to start and stop the thread's own
    kernel); its ``close()`` when the worker is done."""
    state = make_state()
    try:
        _serve_in_threads(tasks, results, threads, state, run)
    finally:
        state.close()


def _serve_in_threads(tasks, results, threads: int, state, run: Callable) -> None:
    def serve() -> None:
        state.thread_started()
        try:
            _serve()
        finally:
            state.thread_stopped()

    def _serve() -> None:
        while True:
            item = _take(tasks)
            if item is None:
                return
            index, task = item
            results.put(("start", index, os.getpid()))
            try:
                outcome = run(task, state)
            except BaseException as exc:  # run() reports failures itself; this is a bug
                outcome = exc
            results.put(("done", index, outcome))

    workers = [threading.Thread(target=serve, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def _take(tasks):
    """The next task, waiting for one without holding the queue's lock while it waits: a
    worker killed while it waits would otherwise keep the lock, and every other worker
    (its replacement too) would wait for ever."""
    while True:
        try:
            return tasks.get_nowait()
        except queue.Empty:
            time.sleep(_TAKE_POLL_SECONDS)


class WorkerPool:
    """``processes`` spawned workers, each running ``threads`` tasks at a time.

    ``make_state`` and ``run`` must be picklable (module-level functions, classes or
    ``functools.partial`` of them): they travel to the workers."""

    def __init__(self, processes: int, threads: int, run: Callable, make_state: Callable,
                 retries: int = 1):
        self._ctx = multiprocessing.get_context("spawn")
        self._tasks = self._ctx.Queue()
        self._results = self._ctx.Queue()
        self._args = (self._tasks, self._results, threads, make_state, run)
        self._procs: list = []
        self._processes, self._threads, self._retries = processes, threads, retries
        for _ in range(processes):
            self._spawn()

    def _spawn(self) -> None:
        proc = self._ctx.Process(target=_worker_main, args=self._args, daemon=True)
        proc.start()
        self._procs.append(proc)

    def run(self, tasks: list, on_lost: Callable[[object, str], object],
            on_retried: Callable[[object, str], object] | None = None) -> Iterator:
        """Yield ``(task, outcome)`` as each task finishes; ``on_lost(task, reason)`` makes
        the outcome of a task whose worker died on each of its tries, and
        ``on_retried(outcome, reason)`` notes on the outcome of a task that finished on a
        later try why it ran again. An exception that escaped ``run`` is yielded as the
        outcome."""
        for item in enumerate(tasks):
            self._tasks.put(item)
        # no end-of-queue marks yet: a task put back after its worker died must not
        # queue behind them; close() puts them once every task is done
        running: dict[int, int] = {}   # task index → worker pid
        lost: dict[int, list[str]] = {}  # task index → why each earlier try stopped
        pending = set(range(len(tasks)))
        respawns = 0
        while pending:
            try:
                kind, index, payload = self._results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                dead = [p for p in self._procs if p.exitcode is not None or _vanished(p.pid)]
                for proc in dead:
                    self._procs.remove(proc)
                    reason = f"its worker process stopped ({_exit_reason(proc.exitcode)})"
                    for i in [i for i, pid in running.items() if pid == proc.pid]:
                        running.pop(i)
                        lost.setdefault(i, []).append(reason)
                        if len(lost[i]) <= self._retries:
                            self._tasks.put((i, tasks[i]))    # a replacement runs it again
                            continue
                        pending.discard(i)
                        tries = len(lost[i])
                        yield tasks[i], on_lost(tasks[i], f"{reason} on each of {tries} tries"
                                                if tries > 1 else reason)
                waiting = pending - set(running)
                if waiting and len(self._procs) < self._processes:
                    respawns += 1
                    if respawns > 3 * self._processes + self._retries * len(tasks):
                        for i in sorted(waiting):    # workers die at start: give up
                            pending.discard(i)
                            yield tasks[i], on_lost(tasks[i], "no worker process could start")
                        continue
                    self._spawn()
                continue
            if kind == "start":
                running[index] = payload
            elif index in pending:
                running.pop(index, None)
                pending.discard(index)
                if index in lost and on_retried is not None:
                    payload = on_retried(payload, lost[index][-1])
                yield tasks[index], payload

    def worker_pids(self) -> list[int]:
        """The process ids of the workers now running."""
        return [proc.pid for proc in self._procs if proc.exitcode is None]

    def _put_sentinels(self, processes: int) -> None:
        for _ in range(processes * self._threads):
            self._tasks.put(None)

    def close(self, timeout: float = 30) -> None:
        """Wait for the workers to finish (they stop at the end of the queue)."""
        self._put_sentinels(len(self._procs))  # also when run() was never called
        for proc in self._procs:
            proc.join(timeout)
        self.terminate()

    def terminate(self) -> None:
        """Stop every worker now (an interrupted batch)."""
        for proc in self._procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self._procs:
            proc.join(5)
        self._tasks.cancel_join_thread()
        self._results.cancel_join_thread()


def _vanished(pid: int) -> bool:
    """Whether no process ``pid`` is left (one reaped by someone else has no exit code)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _exit_reason(exitcode: int | None) -> str:
    """``exit code 3`` or ``killed by SIGKILL``, from a process's exit code."""
    if exitcode is None:
        return "it is gone"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"
