"""Profile `revkit run` on one client and print where its time goes, stage by stage.

    .venv/bin/python benchmarks/profile_run.py [--client demo_clients/helix-cloud] [--rounds 3]

Each round runs the whole report pipeline in this process under cProfile (the
notebook executes in its own kernel process: its time shows here as the wait in
`execute`; the warm-up thread that overlaps it is not profiled) and prints the
cumulative seconds of the stages that matter for speed; the table keeps each stage's
best round, which damps other load on the machine.
`--save FILE` keeps the last round's profile for `python -m pstats FILE`.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, file suffix, function name): cumulative time of that function
STAGES = [
    ("run_client (all)", "revkit/report/run.py", "run_client"),
    ("notebook execution (kernel wait)", "revkit/report/run.py", "execute"),
    ("write_outputs (HTML + PDF + notebook)", "revkit/report/run.py", "write_outputs"),
    ("  to_html (nbconvert)", "revkit/report/render.py", "to_html"),
    ("  to_pdf (WeasyPrint)", "revkit/report/render.py", "to_pdf"),
    ("    parse HTML", "weasyprint/__init__.py", "__init__"),
    ("    layout", "weasyprint/document.py", "_render"),
    ("    font subsetting", "weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
    ("    images (re-encoded PNG)", "weasyprint/images.py", "get_x_object"),
]


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    out = {}
    for label, suffix, name in STAGES:
        out[label] = sum(v[3] for k, v in stats.stats.items()
                         if k[0].endswith(suffix) and k[2] == name)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", type=Path, default=ROOT / "demo_clients" / "helix-cloud")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--save", type=Path, default=None)
    args = parser.parse_args()

    from revkit.report.run import run_client

    best: dict[str, float] = {}
    for _ in range(args.rounds):
        out = Path(tempfile.mkdtemp(prefix="revkit-profile-"))
        profile = cProfile.Profile()
        try:
            profile.enable()
            run_client(args.client.resolve(), out)
            profile.disable()
        finally:
            shutil.rmtree(out, ignore_errors=True)
        times = stage_times(pstats.Stats(profile))
        best = {k: min(v, best.get(k, v)) for k, v in times.items()}
        if args.save:
            profile.dump_stats(args.save)
    try:
        from revkit.report import pdf_engine

        subsetter = pdf_engine.subsetter()
    except ImportError:
        subsetter = "fonttools (no pdf_engine)"
    print(f"client {args.client.name}; best of {args.rounds} rounds under cProfile (seconds); "
          f"font subsetter: {subsetter}")
    for label, seconds in best.items():
        print(f"  {label:40} {seconds:6.2f}")


if __name__ == "__main__":
    sys.exit(main())
