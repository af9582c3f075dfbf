"""Time `revkit run` against the naive chain a user would otherwise type.

Naive chain, three processes:
    papermill notebooks/assessment.ipynb OUT.ipynb -p client_path CLIENT
    jupyter nbconvert --to html --no-input OUT.ipynb
    weasyprint OUT.html OUT.pdf

Both sides run as fresh processes from the command line, several times each;
the script prints every timing, the medians and the ratio, for HTML+PDF and
for HTML only.

    .venv/bin/python benchmarks/bench_run.py [--client demo_clients/helix-cloud] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "assessment.ipynb"


def _timed(commands: list[list[str]]) -> float:
    started = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def naive(client: Path, work: Path, pdf: bool) -> list[list[str]]:
    executed = work / "naive.ipynb"
    commands = [
        [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-p", "client_path",
         str(client), "--no-progress-bar"],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
    ]
    if pdf:
        commands.append([str(BIN / "weasyprint"), str(work / "naive.html"),
                         str(work / "naive.pdf")])
    return commands


def revkit(client: Path, work: Path, pdf: bool) -> list[list[str]]:
    return [[str(BIN / "revkit"), "run", str(client), "--out", str(work / "reports"),
             "--formats", "html,pdf" if pdf else "html"]]


def measure(build, client: Path, runs: int, pdf: bool) -> list[float]:
    times = []
    for _ in range(runs):
        work = Path(tempfile.mkdtemp(prefix="revkit-bench-"))
        try:
            times.append(_timed(build(client, work, pdf)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", type=Path, default=ROOT / "demo_clients" / "helix-cloud")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    client = args.client.resolve()

    # one untimed round of each, so both sides start with warm file caches
    measure(naive, client, 1, True)
    measure(revkit, client, 1, True)
    print(f"client: {client.name}, {args.runs} runs each (seconds)")
    for label, pdf in (("HTML+PDF", True), ("HTML only", False)):
        chain, ours = [], []
        for _ in range(args.runs):  # alternate, so a change in machine load hits both sides
            chain += measure(naive, client, 1, pdf)
            ours += measure(revkit, client, 1, pdf)
        ratio = statistics.median(chain) / statistics.median(ours)
        print(f"\n{label}")
        print(f"  naive chain : median {statistics.median(chain):6.2f}   "
              + " ".join(f"{t:.2f}" for t in chain))
        print(f"  revkit run  : median {statistics.median(ours):6.2f}   "
              + " ".join(f"{t:.2f}" for t in ours))
        print(f"  speed-up    : {ratio:.2f}x" + ("  (target ≥ 2x)" if pdf else ""))


if __name__ == "__main__":
    main()
