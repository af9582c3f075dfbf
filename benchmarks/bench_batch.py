"""Benchmark: `revkit batch` against the naive chain, client after client, on 12 clients.

    .venv/bin/python benchmarks/bench_batch.py [--clients 12] [--jobs 2] [--rounds 1]
                                               [--executor local|dask|both]

Measures, on the same generated clients (benchmarks/make_clients.py):
  1. the naive chain a user would otherwise type, one client after another:
       papermill notebooks/assessment.ipynb OUT.ipynb -p client_path CLIENT -p output_dir DIR
       jupyter nbconvert --to html --no-input OUT.ipynb
       weasyprint OUT.html OUT.pdf
  2. `revkit batch CLIENTS --jobs N` (HTML + PDF) into an empty reports folder, on the
     local pool, on a Dask LocalCluster of N workers (`--executor dask`), or both side
     by side in each round (`--executor both`);
  3. the same command again with nothing changed (every client skipped);
  4. for reference, `revkit batch --engine fresh` (a new kernel per client).
Prints wall time, the ratios the issue asks for, CPU-seconds per client (every
process and kernel involved, from getrusage of waited-for children) and the peak
memory per worker (a worker process plus its kernels, sampled with psutil).
On a machine shared with other work, ``--rounds 3`` keeps the best of three.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOK = REPO / "notebooks" / "assessment.ipynb"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_clients import make_clients  # noqa: E402


class PeakMemory:
    """Samples the memory of each direct child of ``root`` (a worker) with its descendants."""

    def __init__(self, root_pid: int, interval: float = 0.1):
        self.root = psutil.Process(root_pid)
        self.interval = interval
        self.peaks: dict[int, float] = {}
        self.main_peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                self.main_peak = max(self.main_peak, self.root.memory_info().rss)
                for child in self.root.children():
                    if "spawn_main" not in " ".join(child.cmdline()):
                        continue  # multiprocessing's resource tracker, not a worker
                    total = child.memory_info().rss + sum(
                        g.memory_info().rss for g in child.children(recursive=True))
                    self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), total)
            except psutil.Error:
                pass
            self._stop.wait(self.interval)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(commands: list[list[str]], sample: bool = False) -> tuple[float, float, PeakMemory | None]:
    """Run ``commands`` one after another; wall seconds, CPU seconds, memory sampler."""
    cpu0, t0, peaks = _children_cpu(), time.perf_counter(), None
    for cmd in commands:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if sample:
            with PeakMemory(proc.pid) as peaks:
                _, err = proc.communicate()
        else:
            _, err = proc.communicate()
        if proc.returncode not in (0,):
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return time.perf_counter() - t0, _children_cpu() - cpu0, peaks


def naive_chain(clients: list[Path], work: Path) -> tuple[float, float]:
    commands = []
    for client in clients:
        out = work / client.name
        out.mkdir(parents=True)
        executed = out / f"{client.name}.ipynb"
        commands += [
            [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-p", "client_path",
             str(client), "-p", "output_dir", str(out), "--no-progress-bar"],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            [str(BIN / "weasyprint"), str(out / f"{client.name}.html"),
             str(out / f"{client.name}.pdf")],
        ]
    wall, cpu, _ = _timed(commands)
    return wall, cpu


def batch(clients_dir: Path, out: Path, jobs: int, *extra: str, executor: str = "local"):
    cmd = [str(BIN / "revkit"), "batch", str(clients_dir), "--out", str(out), "--jobs",
           str(jobs), "--executor", executor, *extra]
    return _timed([cmd], sample=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternate naive chain and batch this many times; the best "
                             "(lowest) wall time of each counts, which damps other load")
    parser.add_argument("--executor", choices=("local", "dask", "both"), default="local",
                        help="the batch's executor; both: local and dask side by side")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-fresh", action="store_true")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="revkit-bench-"))
    try:
        clients_dir = work / "clients"
        clients = make_clients(clients_dir, args.clients)
        n = len(clients)
        print(f"{n} clients, {os.cpu_count()} CPUs, jobs={args.jobs}, "
              f"load average before {os.getloadavg()[0]:.2f}")
        # warm the file cache and byte-code once, outside the measurements
        _timed([[str(BIN / "revkit"), "--help"], [str(BIN / "papermill"), "--help"]])

        executors = ("local", "dask") if args.executor == "both" else (args.executor,)
        naive, first, rerun = None, dict.fromkeys(executors), dict.fromkeys(executors)
        best = lambda old, new: new if old is None or new[0] < old[0] else old  # noqa: E731
        for r in range(args.rounds):
            if not args.skip_naive:
                shutil.rmtree(work / "naive", ignore_errors=True)
                got = naive_chain(clients, work / "naive")
                print(f"[{r + 1}] naive chain          {got[0]:7.1f} s wall  "
                      f"{got[1] / n:5.2f} CPU-s/client")
                naive = best(naive, got)
            for ex in executors:
                out = work / f"reports-{ex}"
                shutil.rmtree(out, ignore_errors=True)
                got = batch(clients_dir, out, args.jobs, executor=ex)
                print(f"[{r + 1}] batch {ex:5} (warm)   {got[0]:7.1f} s wall  "
                      f"{got[1] / n:5.2f} CPU-s/client")
                first[ex] = best(first[ex], got)
                got = batch(clients_dir, out, args.jobs, executor=ex)
                print(f"[{r + 1}] unchanged rerun {ex:5} {got[0]:7.2f} s wall  "
                      f"{got[1]:5.2f} CPU-s in all")
                rerun[ex] = best(rerun[ex], got)
        if not args.skip_fresh:
            fresh = batch(clients_dir, work / "reports-fresh", args.jobs, "--engine", "fresh")
            print(f"    revkit batch (fresh) {fresh[0]:7.1f} s wall  "
                  f"{fresh[1] / n:5.2f} CPU-s/client")

        for ex in executors:
            peaks = first[ex][2]
            if peaks is not None and peaks.peaks:
                per_worker = ", ".join(f"{v / 2**20:.0f}" for v in sorted(peaks.peaks.values()))
                print(f"{ex}: peak memory per worker (process + its kernels): {per_worker} MiB; "
                      f"main process {peaks.main_peak / 2**20:.0f} MiB (target ≤ 1024 MiB "
                      f"per worker)")
        print(f"load average after {os.getloadavg()[0]:.2f}")
        for ex in executors:
            if naive:
                print(f"{ex}: batch vs naive chain: {naive[0] / first[ex][0]:.1f}x faster "
                      f"(target ≥ 5x); CPU per client {naive[1] / first[ex][1]:.1f}x less")
            print(f"{ex}: rerun vs first run:   {first[ex][0] / rerun[ex][0]:.1f}x faster "
                  f"(target ≥ 50x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
