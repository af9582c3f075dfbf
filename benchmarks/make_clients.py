"""Write N distinct, valid clients by varying the demo clients deterministically.

    python benchmarks/make_clients.py OUT_DIR [--count 12]

Client k is demo client ``k % 3`` (the three whose files are UTF-8 with commas; the
Russian demo client's are Windows-1251 with semicolons) with its own slug and name, team headcounts
and revenue scaled, a different marketing-sourced share, and survey scores
shifted up or down by a fixed pattern, so every client scores differently.
The same arguments always give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEMOS = REPO / "demo_clients"
SHIFTS = (-1, 0, 1, 0, -1, 1, 0, 0, 1, -1, 0)  # applied to survey answers in a rotating pattern


def _vary_survey(text: str, k: int) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    score_col = rows[0].index("score")
    for i, row in enumerate(rows[1:]):
        if row[score_col].strip():
            shift = SHIFTS[(i * 7 + k * 3) % len(SHIFTS)] * (1 if k % 2 else -1)
            row[score_col] = str(min(5, max(1, int(float(row[score_col])) + shift)))
        writer.writerow(row)
    return out.getvalue()


def make_clients(target: str | Path, count: int = 12) -> list[Path]:
    """Write ``count`` client folders under ``target``; returns their paths."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    demos = sorted(p for p in DEMOS.iterdir() if (p / "profile.yaml").is_file()
                   and "encoding" not in yaml.safe_load((p / "profile.yaml").read_text("utf-8")))
    made = []
    for k in range(count):
        demo = demos[k % len(demos)]
        round_ = k // len(demos) + 1
        slug = f"{demo.name}-v{round_:02d}"
        folder = target / slug
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(demo, folder)
        profile = yaml.safe_load((demo / "profile.yaml").read_text(encoding="utf-8"))
        scale = 0.6 + 0.25 * round_
        profile["slug"] = slug
        profile["name"] = f"{profile['name']} (variant {round_})"
        profile["annual_revenue"] = int(profile["annual_revenue"] * scale)
        profile["employees"] = max(5, int(profile["employees"] * scale))
        for team in profile["teams"]:
            team["headcount"] = max(1, int(team["headcount"] * scale))
        if profile.get("marketing_sourced_pipeline_share") is not None:
            share = profile["marketing_sourced_pipeline_share"] + 0.08 * (round_ - 2)
            profile["marketing_sourced_pipeline_share"] = round(min(0.9, max(0.05, share)), 2)
        (folder / "profile.yaml").write_text(
            yaml.safe_dump(profile, sort_keys=False, allow_unicode=True), encoding="utf-8")
        survey = folder / "survey.csv"
        survey.write_text(_vary_survey(survey.read_text(encoding="utf-8"), k), encoding="utf-8")
        made.append(folder)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=12)
    args = parser.parse_args(argv)
    for path in make_clients(args.out, args.count):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
