"""Random valid clients for the property tests, written as real intake folders.

``clients()`` is a hypothesis strategy for a ``ClientSpec``: a profile, its teams and the
four tables, every value inside what ``data_contracts/`` allows and every id from the
shipped catalogs. ``write_client(spec, folder)`` writes ``profile.yaml`` and the four
CSVs the way a spreadsheet would save them: the spec's ``spelling`` picks the separator,
the encoding and byte-order mark, the yes/no words, the date form and the decimal mark
(``data_contracts/formats.yaml``), so the kit reads the files exactly as a client's.
The same spec always gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from hypothesis import strategies as st

from revkit import catalog
from revkit.intake import contracts, readers

TEAM_IDS = catalog.team_ids()
QUESTION_IDS = catalog.ids("questions")
METRIC_IDS = catalog.ids("metrics")
ENTITIES = catalog.ids("entities")
HANDOFFS = catalog.handoffs()
CATEGORIES = list(contracts.load("systems").columns["category"].allowed)
CADENCES = [c for c in contracts.load("metrics").columns["cadence"].allowed if c != "none"]
REVENUE_MODELS = list(contracts.load("profile").columns["revenue_model"].allowed)
MOTIONS = list(contracts.load("profile").columns["gtm_motion"].allowed)
# currencies the methodology converts, and one it does not know (the pattern allows it)
CURRENCIES = ["EUR", "USD", "GBP", "CHF", "JPY", "XYZ"]
COLUMNS = {table: list(contracts.load(table).columns)
           for table in ("survey", "systems", "metrics", "handoffs")}
FILES = {table: contracts.load(table).file for table in COLUMNS}

# free text: letters of several scripts, digits, spaces and punctuation a name may hold
TEXT = st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P", "S"],
                                      exclude_characters="\r\n\x85\u2028\u2029"),
               min_size=1, max_size=24).filter(lambda s: s.strip() != "")
NAME = TEXT.map(str.strip)


@dataclass(frozen=True)
class Spelling:
    """How the files are written: what a spreadsheet in some locale saves."""

    separator: str = ","
    encoding: str = "utf-8"          # a Python codec: utf-8, utf-8-sig (BOM), utf-16 (BOM)
    true_word: str = "true"
    false_word: str = "false"
    dotted_dates: bool = False       # DD.MM.YYYY instead of YYYY-MM-DD
    decimal_comma: bool = False      # 0,5 instead of 0.5
    line_end: str = "\n"


@dataclass(frozen=True)
class ClientSpec:
    """One valid client: the profile, its teams and the rows of the four tables."""

    profile: dict
    teams: tuple            # ((team, headcount, ops_headcount), ...)
    survey: tuple           # ((respondent_id, team, question_id, score or None, comment), ...)
    systems: tuple          # ((name, category, owner, used_by, integrated_with, sot), ...)
    metrics: tuple          # ((metric_id, tracked, owner, documented, shared, automated,
                            #   cadence, source_system), ...)
    handoffs: tuple         # ((handoff_id, defined, documented, sla_hours or None,
                            #   sla_measured, automated, feedback_loop), ...)
    spelling: Spelling = field(default_factory=Spelling)

    @property
    def team_ids(self) -> list[str]:
        return [t for t, _, _ in self.teams]

    def with_rows(self, **tables) -> ClientSpec:
        return replace(self, **{k: tuple(v) for k, v in tables.items()})


def applicable_handoffs(teams) -> list[str]:
    """Handoffs the contract allows in the file: both teams exist (motion aside)."""
    return [h["id"] for h in HANDOFFS if h["from_team"] in teams and h["to_team"] in teams]


# ---------------------------------------------------------------- the strategy

spellings = st.builds(
    Spelling,
    separator=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    true_word=st.sampled_from(["true", "TRUE", "yes", "1", "ja", "WAHR", "да"]),
    false_word=st.sampled_from(["false", "FALSE", "no", "0", "nein", "FALSCH", "нет"]),
    dotted_dates=st.booleans(), decimal_comma=st.booleans(),
    line_end=st.sampled_from(["\n", "\r\n"]))


@st.composite
def clients(draw, plain: bool = False) -> ClientSpec:
    """A random valid client; ``plain`` writes it as UTF-8 with commas and true/false."""
    teams = draw(st.lists(st.sampled_from(TEAM_IDS), min_size=1, max_size=len(TEAM_IDS),
                          unique=True))
    team_rows = []
    for team in teams:
        headcount = draw(st.integers(0, 400))
        team_rows.append((team, headcount, draw(st.integers(0, min(headcount, 20)))))
    share = draw(st.none() | st.floats(0, 1).map(lambda x: round(x, 3)))
    profile = {
        "name": draw(NAME), "slug": draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}",
                                                       fullmatch=True)),
        "industry": draw(st.none() | NAME),
        "employees": draw(st.integers(1, 100_000)),
        "annual_revenue": draw(st.integers(0, 5_000_000_000) | st.floats(0, 1e9).map(
            lambda x: round(x, 2))),
        "currency": draw(st.sampled_from(CURRENCIES)),
        "revenue_model": draw(st.sampled_from(REVENUE_MODELS)),
        "gtm_motion": draw(st.sampled_from(MOTIONS)),
        "assessment_date": draw(st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31))),
        "marketing_sourced_pipeline_share": share,
        "report_language": draw(st.sampled_from([None, "en", "ru"])),
    }

    respondents = draw(st.lists(st.tuples(st.from_regex(r"[a-z]{1,3}[0-9]{1,3}", fullmatch=True),
                                          st.sampled_from(teams)),
                                min_size=1, max_size=10, unique_by=lambda r: r[0]))
    survey = []
    for rid, team in respondents:
        questions = draw(st.lists(st.sampled_from(QUESTION_IDS), min_size=1, max_size=12,
                                  unique=True))
        for question in questions:
            score = draw(st.none() | st.integers(1, 5))
            comment = draw(st.just("") | TEXT)
            survey.append((rid, team, question, score, comment))

    # a system name is the first cell of its row, and a first cell starting with '# ' makes
    # the row a comment (the intake's commented example rows): such names are left out;
    # '#1 CRM' is a name
    names = draw(st.lists(NAME.filter(lambda s: ";" not in s and not readers.is_comment(s)),
                          min_size=1, max_size=7, unique=True))
    systems = []
    for name in names:
        others = [n for n in names if n != name]
        systems.append((
            name, draw(st.sampled_from(CATEGORIES)), draw(st.sampled_from(teams)),
            tuple(draw(st.lists(st.sampled_from(teams), unique=True, max_size=len(teams)))),
            tuple(draw(st.lists(st.sampled_from(others), unique=True, max_size=3)))
            if others else (),
            tuple(draw(st.lists(st.sampled_from(ENTITIES), unique=True, max_size=3)))))

    metrics = []
    for metric in draw(st.lists(st.sampled_from(METRIC_IDS), min_size=1, unique=True)):
        tracked = draw(st.booleans())
        metrics.append((
            metric, tracked, draw(st.none() | st.sampled_from(teams)), draw(st.booleans()),
            draw(st.booleans()), draw(st.booleans()),
            draw(st.sampled_from(CADENCES)) if tracked else "none",
            draw(st.none() | st.sampled_from(names))))

    handoffs = []
    for handoff in draw(st.lists(st.sampled_from(applicable_handoffs(teams) or ["none"]),
                                 unique=True).filter(lambda h: "none" not in h)):
        handoffs.append((handoff, *draw(st.tuples(
            st.booleans(), st.booleans(),
            st.none() | st.integers(0, 720) | st.floats(0, 720).map(lambda x: round(x, 1)),
            st.booleans(), st.booleans(), st.booleans()))))

    spelling = Spelling() if plain else draw(spellings)
    return ClientSpec(profile=profile, teams=tuple(team_rows), survey=tuple(survey),
                      systems=tuple(systems), metrics=tuple(metrics), handoffs=tuple(handoffs),
                      spelling=spelling)


# ---------------------------------------------------------------- writing the folder

def _cell(value, spelling: Spelling) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return spelling.true_word if value else spelling.false_word
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")  # fixed point, as a cell shows it
        return text.replace(".", ",") if spelling.decimal_comma else text
    if isinstance(value, (tuple, list)):
        return ";".join(value)
    return str(value)


def table_rows(spec: ClientSpec, table: str) -> list[list[str]]:
    """The header and the cells of one CSV, as text in the spec's spelling."""
    rows = [list(COLUMNS[table])]
    rows += [[_cell(v, spec.spelling) for v in row] for row in getattr(spec, table)]
    return rows


def csv_bytes(rows: list[list[str]], spelling: Spelling) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=spelling.separator, lineterminator=spelling.line_end,
               quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue().encode(spelling.encoding)


def profile_text(spec: ClientSpec) -> str:
    p = dict(spec.profile)
    date = p["assessment_date"]
    p["assessment_date"] = date.strftime("%d.%m.%Y") if spec.spelling.dotted_dates \
        else date.isoformat()
    p = {k: v for k, v in p.items() if v is not None}
    p["teams"] = [{"team": t, "headcount": h, "ops_headcount": o} for t, h, o in spec.teams]
    return yaml.safe_dump(p, sort_keys=False, allow_unicode=True)


def write_client(spec: ClientSpec, folder: Path) -> Path:
    """Write ``spec`` as the client folder ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    # profile.yaml in UTF-8: YAML files take no other encoding
    (folder / "profile.yaml").write_text(profile_text(spec), encoding="utf-8")
    for table in COLUMNS:
        (folder / FILES[table]).write_bytes(csv_bytes(table_rows(spec, table), spec.spelling))
    return folder


def shuffled(spec: ClientSpec, seed: int) -> ClientSpec:
    """The same client with the rows of every table (and the teams) in another order,
    and the values of every ;-list cell too."""
    rng = random.Random(seed)

    def mixed(rows):
        rows = list(rows)
        rng.shuffle(rows)
        return rows

    systems = [(name, category, owner, *(tuple(mixed(v)) for v in lists))
               for name, category, owner, *lists in spec.systems]
    return spec.with_rows(teams=mixed(spec.teams), survey=mixed(spec.survey),
                          systems=mixed(systems), metrics=mixed(spec.metrics),
                          handoffs=mixed(spec.handoffs))
