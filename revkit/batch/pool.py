"""Worker processes that each run a few clients at once, overlapping kernel and render work.

A client's run alternates between two kinds of work: the worker's own Python
(assess, HTML, PDF) and waiting while its kernel executes the notebook. One
client per worker leaves a CPU idle during each wait. Here every worker runs
``threads`` clients at a time, and a per-worker lock (``WORK_LOCK``) lets only
one of them do the worker's Python work at any moment: a thread gives the lock
up only while its kernel executes (``revkit.batch.warm_engine`` does that), so
another thread renders meanwhile. The kit's own code therefore never runs in
two threads at once; only the waits overlap.

Tasks are handed out one at a time from a shared queue, so the workers stay
balanced; a worker that dies is replaced and its running clients are reported
as failed.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterator

WORK_LOCK = threading.Lock()
_POLL_SECONDS = 0.5


def _worker_main(tasks, results, threads: int, initializer, initargs, run, thread_hooks) -> None:
    """A worker process: initialise once, then ``threads`` threads take tasks in turn.

    ``thread_hooks`` is ``(start, stop)``: functions each thread calls before its first
    task and after its last (e.g. to start and stop the thread's own kernel)."""
    home = os.getcwd()
    if initializer is not None:
        initializer(*initargs)
    start, stop = thread_hooks

    def serve() -> None:
        if start is not None:
            start()
        try:
            _serve()
        finally:
            if stop is not None:
                stop()

    def _serve() -> None:
        while True:
            item = tasks.get()
            if item is None:
                return
            index, task = item
            results.put(("start", index, os.getpid()))
            with WORK_LOCK:
                os.chdir(home)  # a library may have changed it for another client
                try:
                    outcome = run(task)
                except BaseException as exc:  # run() reports failures itself; this is a bug
                    outcome = exc
            results.put(("done", index, outcome))

    workers = [threading.Thread(target=serve, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


class WorkerPool:
    """``processes`` spawned workers, each running ``threads`` tasks at a time."""

    def __init__(self, processes: int, threads: int, run: Callable, initializer=None,
                 initargs: tuple = (), thread_hooks: tuple = (None, None)):
        self._ctx = multiprocessing.get_context("spawn")
        self._tasks = self._ctx.Queue()
        self._results = self._ctx.Queue()
        self._args = (self._tasks, self._results, threads, initializer, initargs, run,
                      thread_hooks)
        self._procs: list = []
        self._processes, self._threads = processes, threads
        for _ in range(processes):
            self._spawn()

    def _spawn(self) -> None:
        proc = self._ctx.Process(target=_worker_main, args=self._args, daemon=True)
        proc.start()
        self._procs.append(proc)

    def run(self, tasks: list, on_lost: Callable[[object, str], object]) -> Iterator:
        """Yield ``(task, outcome)`` as each task finishes; ``on_lost(task, reason)`` makes
        the outcome of a task whose worker died."""
        for item in enumerate(tasks):
            self._tasks.put(item)
        self._put_sentinels(len(self._procs))
        running: dict[int, int] = {}   # task index → worker pid
        pending = set(range(len(tasks)))
        respawns = 0
        while pending:
            try:
                kind, index, payload = self._results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                dead = [p for p in self._procs if p.exitcode is not None]
                for proc in dead:
                    self._procs.remove(proc)
                    reason = f"its worker process stopped (exit code {proc.exitcode})"
                    for i in [i for i, pid in running.items() if pid == proc.pid]:
                        running.pop(i)
                        pending.discard(i)
                        yield tasks[i], on_lost(tasks[i], reason)
                waiting = pending - set(running)
                if waiting and len(self._procs) < self._processes:
                    respawns += 1
                    if respawns > 3 * self._processes:   # workers die at start: give up
                        for i in sorted(waiting):
                            pending.discard(i)
                            yield tasks[i], on_lost(tasks[i], "no worker process could start")
                        continue
                    self._spawn()
                    self._put_sentinels(1)
                continue
            if kind == "start":
                running[index] = payload
            elif index in pending:
                running.pop(index, None)
                pending.discard(index)
                yield tasks[index], payload

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
