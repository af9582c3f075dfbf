"""Time reading a large survey: UTF-8 and commas against Windows-1251 and ';' (declared and
told apart), and UTF-16 with tabs.

    .venv/bin/python benchmarks/bench_intake.py [--respondents 2000] [--runs 5]

Builds the Russian demo client (demo_clients/trekpoint) with a survey of N respondents
× 30 questions (a Russian comment on every tenth answer), saves it in each form, and
prints the median of ``runs`` timings of ``check_client`` (read, type, check) and of
the read alone (``read_client``) for each.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from revkit.intake.readers import read_client
from revkit.intake.validate import check_client
from revkit.paths import DEMO_CLIENTS_DIR

TEAMS = ("sales", "marketing", "customer_success", "support", "finance")
QUESTIONS = [f"{d}_{i:02d}" for d in ("silos", "metrics", "process") for i in range(1, 11)]
COMMENT = "Карточка клиента в Битрикс24 и сделка в amoCRM живут отдельно, синхронизации нет."
FORMS = {  # name: (encoding, separator, declare encoding: in profile.yaml)
    "utf-8 ,": ("utf-8", ",", False),
    "cp1251 ; declared": ("cp1251", ";", True),
    "cp1251 ; told apart": ("cp1251", ";", False),
    "utf-16 tab": ("utf-16", "\t", False),
}


def survey_rows(respondents: int) -> list[list[str]]:
    rows = [["respondent_id", "team", "question_id", "score", "comment"]]
    for r in range(respondents):
        for q, question in enumerate(QUESTIONS):
            n = r * len(QUESTIONS) + q
            rows.append([f"x{r:05d}", TEAMS[r % len(TEAMS)], question, str(1 + n % 5),
                         COMMENT if n % 10 == 0 else ""])
    return rows


def write_client(root: Path, name: str, rows, encoding: str, separator: str, declare: bool) -> Path:
    folder = root / name.replace(" ", "_").replace(",", "comma").replace(";", "semicolon")
    shutil.copytree(DEMO_CLIENTS_DIR / "trekpoint", folder)
    profile = (folder / "profile.yaml").read_text(encoding="utf-8")
    # English so that the run needs no Russian messages; the language is not read here
    profile = profile.replace("report_language: ru\n", "report_language: en\n")
    profile = profile.replace("encoding: cp1251\n", f"encoding: {encoding}\n" if declare else "")
    (folder / "profile.yaml").write_text(profile, encoding="utf-8")
    for table in ("systems", "metrics", "handoffs"):  # the demo's files, in the same form
        with open(folder / f"{table}.csv", encoding="cp1251", newline="") as fh:
            table_rows = list(csv.reader(fh, delimiter=";"))
        _write(folder / f"{table}.csv", table_rows, encoding, separator)
    _write(folder / "survey.csv", rows, encoding, separator)
    return folder


def _write(path: Path, rows, encoding: str, separator: str) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=separator, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = survey_rows(args.respondents)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"survey: {len(rows) - 1} answers, {args.respondents} respondents; "
              f"median of {args.runs} runs")
        print(f"{'form':<22}{'file MB':>9}{'read s':>9}{'validate s':>12}")
        for name, (encoding, separator, declare) in FORMS.items():
            folder = write_client(Path(tmp), name, rows, encoding, separator, declare)
            client, problems = check_client(folder)
            assert client is not None, [p.render() for p in problems if p.severity == "error"]
            assert client.read_as["survey.csv"] == (encoding, separator)
            size = (folder / "survey.csv").stat().st_size / 1e6
            read = median_seconds(lambda f=folder: read_client(f), args.runs)
            full = median_seconds(lambda f=folder: check_client(f), args.runs)
            print(f"{name:<22}{size:>9.1f}{read:>9.3f}{full:>12.3f}")


if __name__ == "__main__":
    main()
