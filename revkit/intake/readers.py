"""Read a client's raw tables from a folder or an Excel workbook.

Every cell comes back as text with the row number the user sees (the header
is row 1 in a CSV or a sheet; YAML values carry their line). Typing and rule
checks happen later, in ``revkit.intake.validate``. Unreadable input becomes
problems, never an exception.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from revkit import catalog, limits, yaml_check
from revkit.errors import Problem
from revkit.intake import contracts, formats, textfile
from revkit.text import clean
from revkit.vocabulary import WORKBOOK_SUFFIXES

TABLE_TABLES = ("survey", "systems", "metrics", "handoffs")
MULTILINE_COLUMNS = frozenset({"comment"})  # free text that may run over several lines
_KINDS = " or ".join(WORKBOOK_SUFFIXES)  # ".xlsx or .xlsm", for messages


@dataclass
class RawTable:
    """All-text cells of one table, indexed by the row the user sees."""

    table: str
    frame: pd.DataFrame
    where: dict
    header_row: int = 1
    # where a row index does not map 1:1 to a user row (wide survey), these remap it
    row_of: dict = field(default_factory=dict)
    column_of: dict = field(default_factory=dict)
    # how a CSV was read: an encoding id of formats.yaml and the separator
    encoding: str | None = None
    separator: str | None = None

    def locate(self, problem: Problem) -> Problem:
        if problem.row is None or problem.row not in self.row_of:
            return problem
        key = (problem.row, problem.column)
        from dataclasses import replace
        return replace(problem, row=self.row_of[problem.row],
                       column=self.column_of.get(key, problem.column))


@dataclass
class RawClient:
    source: Path
    kind: str  # "folder" | "workbook"
    profile: dict = field(default_factory=dict)
    profile_lines: dict = field(default_factory=dict)
    profile_where: dict = field(default_factory=dict)
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # the encoding profile.yaml declares for the folder's files (an id of formats.yaml)
    encoding: str | None = None
    # how each file of a folder was read: {file: (encoding id, CSV separator or None)}
    read_as: dict = field(default_factory=dict)



COMMENT = "# "  # how ``revkit init`` marks its example rows


def is_comment(first_cell: str) -> bool:
    """A row whose first cell starts with ``# `` (or is ``#``) is a comment, as the example
    rows ``revkit init`` writes; a value such as ``#1 CRM`` is data."""
    cell = first_cell.lstrip()
    return cell == COMMENT.strip() or cell.startswith(COMMENT)

def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def read_client(path: str | Path) -> RawClient:
    """Raw tables of a client folder or workbook, with every read problem found."""
    path = Path(path)
    if is_workbook(path) and path.is_file():
        return _read_workbook(path)
    raw = RawClient(source=path, kind="folder")
    if not path.exists():
        raw.problems.append(Problem(file=str(path), message="no such client folder or workbook"))
        return raw
    if path.is_file():
        raw.problems.append(Problem(
            file=str(path), message=f"a client is a folder or an Excel workbook ({_KINDS})",
            value=path.suffix or path.name,
            allowed=f"a folder with profile.yaml and CSVs, or {_KINDS}"))
        return raw
    _read_profile_yaml(path / "profile.yaml", raw)
    for table in TABLE_TABLES:
        contract = contracts.load(table)
        file = path / contract.file
        where = {"file": contract.file}
        if not file.is_file():
            raw.problems.append(Problem(message=_missing(file, contract.file), **where))
            continue
        table_or_problem = _read_csv(file, table, where, raw.encoding)
        if isinstance(table_or_problem, Problem):
            raw.problems.append(table_or_problem)
        else:
            raw.tables[table] = table_or_problem
            raw.read_as[contract.file] = (table_or_problem.encoding, table_or_problem.separator)
    return raw


# ---------------------------------------------------------------- folder

def _missing(file: Path, name: str) -> str:
    if file.is_dir():
        return f"{name} is a folder; the client folder needs a file of that name"
    return f"missing file: the client folder needs {name}"


def canonical_header(header: list[str], table: str) -> list[str]:
    """Header names, with 'Respondent ID' or 'CADENCE' read as the contract's column name."""
    known = {re.sub(r"[\s\-]+", "_", c.lower()): c for c in contracts.load(table).columns}
    out = []
    for name in header:
        name = name.strip()
        out.append(known.get(re.sub(r"[\s\-]+", "_", name.lower()), name))
    return out


def duplicate_header(header: list[str], row: int, where: dict) -> Problem | None:
    """A column named twice in a header row (after reading 'Team' as 'team'): which one
    would be read is a guess, so the file is refused, naming the column."""
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name and name in seen:
            return Problem(message=f"the column '{name}' is in the header twice (columns "
                           f"{seen[name]} and {position}); keep one", row=row, column=name,
                           allowed="each column once", **where)
        seen.setdefault(name, position)
    return None


def _empty(data: bytes, where: dict) -> Problem | None:
    if not data.strip():
        return Problem(message="the file is empty", **where)
    return None


def _known_names(table: str) -> set[str]:
    """Header names a file of ``table`` may have (the wide survey's are question ids)."""
    names = set(contracts.load(table).columns)
    if table == "survey":
        names |= set(catalog.ids("questions"))
    return names


def _too_large(file: Path, limit: str, where: dict) -> Problem | None:
    """A problem if ``file`` is larger than the limit ``limit``, before it is read."""
    size = file.stat().st_size
    if limits.too_large(limit, size):
        return Problem(message=f"the file is {size:,} bytes, too large to be an intake file",
                       allowed=limits.describe(limit), **where)
    return None


def _too_many_rows(count: int, where: dict) -> Problem | None:
    if limits.too_large("table_rows", count):
        return Problem(message=f"more than {limits.get('table_rows'):,} rows",
                       allowed=limits.describe("table_rows"), **where)
    return None


def clean_cells(row: list[str], header: list[str], number: int, where: dict,
                problems: list[Problem]) -> list[str]:
    """A row's cells as text a reader sees (``revkit.text.clean``); a cell longer than
    the limit ``cell_chars`` is a problem (and kept out of the intake)."""
    limit = limits.get("cell_chars")
    out = []
    for i, cell in enumerate(row):
        column = header[i] if i < len(header) else None
        if len(cell) > limit:
            problems.append(Problem(message=f"the cell holds {len(cell):,} characters",
                                    allowed=limits.describe("cell_chars"), row=number,
                                    column=column, **where))
            cell = ""
        out.append(clean(cell, multiline=column in MULTILINE_COLUMNS))
    return out


def _read_csv(file: Path, table: str, where: dict, declared: str | None) -> RawTable | Problem:
    problem = _too_large(file, "intake_file_bytes", where)
    if problem:
        return problem
    data = file.read_bytes()
    header = lambda names: canonical_header(names, table)  # noqa: E731
    decoded = _empty(data, where) or textfile.decode(data, where, declared,
                                                     textfile.csv_locator(header))
    if isinstance(decoded, Problem):
        return decoded
    text = decoded.text
    found = textfile.find_separator(text, _known_names(table), header, where)
    if isinstance(found, Problem):
        return found
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=found.separator))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # csv's own limit, 131,072
            return Problem(message="a cell holds more than 131,072 characters",
                           allowed=limits.describe("cell_chars"), **where)
        return Problem(message=f"the file is not valid CSV: {exc}", **where)
    problem = _too_many_rows(len(rows), where)
    if problem:
        return problem
    header_row = 1 + found.skip_lines
    too_long: list[Problem] = []
    header = canonical_header(clean_cells(rows[found.skip_lines], [], header_row, where,
                                          too_long), table)
    doubled = duplicate_header(header, header_row, where)
    if doubled is not None:
        return doubled
    records, index = [], []
    for number, row in enumerate(rows[header_row:], start=header_row + 1):
        if not any(cell.strip() for cell in row) or is_comment(row[0]):
            continue  # blank line, or a commented example row
        if len(row) != len(header):
            return Problem(message=f"row has {len(row)} cells but the header has {len(header)} "
                           f"(a {textfile.separator_name(found.separator)} inside a value "
                           "needs quotes)", row=number, **where)
        records.append(clean_cells(row, header, number, where, too_long))
        index.append(number)
    if too_long:
        return too_long[0]
    frame = pd.DataFrame(records, columns=header, index=index, dtype=object)
    return RawTable(table=table, frame=frame, where=where, header_row=header_row,
                    encoding=decoded.encoding, separator=found.separator)


_ENCODING_LINE = re.compile(rb"^encoding[ \t]*:[ \t]*[\"']?([A-Za-z0-9_-]+)", re.MULTILINE)


def _declared_encoding(data: bytes) -> str | None:
    """The ``encoding:`` of a profile's bytes, read before the profile itself can be decoded."""
    found = _ENCODING_LINE.search(data)
    return found.group(1).decode("ascii") if found else None


class _TextLoader(yaml.SafeLoader):
    """Safe loader that leaves every value as the text written (only an empty value is
    null): the contract parses and checks it. YAML 1.1 would read ``No`` as false,
    ``0x1F`` as 31 and ``1:20`` as 80, which is not what a reader of the file sees."""


_TextLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_profile_yaml(file: Path, raw: RawClient) -> None:
    where = {"file": "profile.yaml"}
    if not file.is_file():
        raw.problems.append(Problem(message=_missing(file, "profile.yaml"), **where))
        return
    problem = _too_large(file, "intake_file_bytes", where)
    if problem:
        raw.problems.append(problem)
        return
    data = file.read_bytes()
    raw.encoding = formats.resolve_encoding(_declared_encoding(data))
    decoded = _empty(data, where) or textfile.decode(data, where, raw.encoding,
                                                     textfile.yaml_locate)
    if isinstance(decoded, Problem):
        raw.problems.append(decoded)
        return
    text = decoded.text
    raw.read_as["profile.yaml"] = (decoded.encoding, None)
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=_TextLoader)):
            # an alias repeats an entry (e.g. a team) where the user sees only one line
            raw.problems.append(Problem(
                message="YAML anchors and aliases (&name / *name) are not allowed; write each "
                        "value out", **where))
            return
        node = yaml.compose(text, Loader=_TextLoader)
        data = yaml.load(text, Loader=_TextLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raw.problems.append(Problem(
            message=f"the file is not valid YAML: {yaml_check.yaml_reason(exc)}",
            row=mark.line + 1 if mark else None, **where))
        return
    if not isinstance(data, dict):
        raw.problems.append(Problem(message="profile.yaml must be a mapping of key: value lines",
                                    row=1, **where))
        return
    twice = _keys_given_twice(node, where)
    if twice:
        raw.problems += twice
        return
    raw.profile_where = where  # readable: its values are checked against the contract
    lines = {}
    team_lines = []
    for key_node, value_node in node.value:
        lines[key_node.value] = key_node.start_mark.line + 1
        if key_node.value == "teams" and isinstance(value_node, yaml.SequenceNode):
            team_lines = [item.start_mark.line + 1 for item in value_node.value]
    lines = {clean(str(k)): line for k, line in lines.items()}
    raw.profile = {clean(str(k)): _text(v) for k, v in data.items() if k != "teams"}
    long_values = [k for k, v in raw.profile.items() if limits.too_large("cell_chars", len(v))]
    for key in long_values:
        raw.problems.append(Problem(
            message=f"the value holds {len(raw.profile[key]):,} characters",
            allowed=limits.describe("cell_chars"), row=lines.get(key), column=key, **where))
        raw.profile[key] = ""
    if raw.encoding:  # 'Windows-1251' is cp1251: the contract checks the id
        raw.profile["encoding"] = raw.encoding
    raw.profile_lines = lines
    teams = data.get("teams")
    team_where = {"file": "profile.yaml"}
    if teams is None:
        raw.problems.append(Problem(message="'teams' is required: list the teams that exist",
                                    row=lines.get("teams"), column="teams", **where))
        return
    if not isinstance(teams, list) or not all(isinstance(t, dict) for t in teams):
        raw.problems.append(Problem(
            message="'teams' must be a list of {team, headcount, ops_headcount}",
            row=lines.get("teams"), column="teams", **where))
        return
    columns = list(contracts.load("teams").columns)
    teams = [{clean(str(k)): v for k, v in t.items()} for t in teams]
    for t in teams:
        columns += [k for k in t if k not in columns]
    frame = pd.DataFrame([{c: _text(t.get(c)) for c in columns} for t in teams],
                         index=team_lines or range(2, len(teams) + 2), dtype=object)
    # a key absent from every team is a missing column
    present = {k for t in teams for k in t}
    frame = frame[[c for c in columns if c in present]]
    raw.tables["teams"] = RawTable(table="teams", frame=frame, where=team_where,
                                   header_row=lines.get("teams", 1))


def _keys_given_twice(node, where: dict) -> list[Problem]:
    """A key given twice in the profile or in one of its teams (YAML would silently keep
    the second value)."""
    mappings = [node] + [item for key, value in node.value if key.value == "teams"
                         and isinstance(value, yaml.SequenceNode)
                         for item in value.value if isinstance(item, yaml.MappingNode)]
    problems = []
    for mapping in mappings:
        first: dict = {}
        for key, _ in mapping.value:
            line = key.start_mark.line + 1
            if key.value in first:
                problems.append(Problem(
                    message=f"'{key.value}' is given twice (first on line {first[key.value]}); "
                            "give each key once", row=line, column=str(key.value), **where))
            first.setdefault(key.value, line)
    return problems


def _text(value) -> str:
    """A cell value as the text the user wrote, as a reader sees it (``text.clean``)."""
    return clean(_as_text(value))


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        return str(value)
    return str(value)


# ---------------------------------------------------------------- workbook

def _read_workbook(path: Path) -> RawClient:
    import openpyxl

    raw = RawClient(source=path, kind="workbook")
    file = path.name
    problem = _too_large(path, "workbook_bytes", {"file": file})
    if problem:
        raw.problems.append(problem)
        return raw
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raw.problems.append(Problem(file=file, message=f"cannot open the workbook ({exc.__class__.__name__})",
                                    allowed=f"an {_KINDS} file saved by Excel or LibreOffice"))
        return raw
    try:
        sheets = {name.strip().lower(): book[name] for name in book.sheetnames}
        _read_profile_sheet(sheets, raw, file)
        for table in ("teams", *TABLE_TABLES):
            contract = contracts.load(table)
            where = {"file": file, "sheet": contract.sheet}
            if contract.sheet not in sheets:
                raw.problems.append(Problem(message=f"missing sheet: the workbook needs a "
                                            f"'{contract.sheet}' sheet", **where))
                continue
            result = _sheet_table(sheets[contract.sheet], table, where)
            if isinstance(result, Problem):
                raw.problems.append(result)
            else:
                raw.tables[table] = result
    finally:
        book.close()
    return raw


class _TooManyRows(Exception):
    pass


def _sheet_rows(sheet, where: dict, problems: list[Problem]):
    """The sheet's rows as cleaned text, read one by one: a sheet with more rows than
    ``table_rows`` stops at the first row over the limit."""
    limit = limits.get("table_rows")
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > limit:
            raise _TooManyRows
        cells = [_as_text(v).strip() if v is not None else "" for v in row]
        yield number, clean_cells(cells, [], number, where, problems)


def _sheet_table(sheet, table: str, where: dict) -> RawTable | Problem:
    too_long: list[Problem] = []
    try:
        rows = [(n, r) for n, r in _sheet_rows(sheet, where, too_long) if any(r)]
    except _TooManyRows:
        return _too_many_rows(limits.get("table_rows") + 1, where)
    if too_long:
        return too_long[0]
    if not rows:
        return Problem(message="the sheet is empty", **where)
    header_number, header = rows[0]
    while header and header[-1] == "":
        header.pop()
    header = canonical_header(header, table)
    doubled = duplicate_header(header, header_number, where)
    if doubled is not None:
        return doubled
    records, index = [], []
    for number, row in rows[1:]:
        if is_comment(row[0]):
            continue  # a commented example row
        row = (row + [""] * len(header))[: len(header)]
        records.append(row)
        index.append(number)
    frame = pd.DataFrame(records, columns=header, index=index, dtype=object)
    return RawTable(table=table, frame=frame, where=where, header_row=header_number)


def _read_profile_sheet(sheets, raw: RawClient, file: str) -> None:
    where = {"file": file, "sheet": "profile"}
    raw.profile_where = where
    if "profile" not in sheets:
        raw.problems.append(Problem(message="missing sheet: the workbook needs a 'profile' sheet "
                                    "with key and value columns", **where))
        return
    too_long: list[Problem] = []
    try:
        rows = list(_sheet_rows(sheets["profile"], where, too_long))
    except _TooManyRows:
        rows = []
        raw.problems.append(_too_many_rows(limits.get("table_rows") + 1, where))
    raw.problems.extend(too_long)
    for number, row in rows:
        if len(row) < 1 or not row[0] or row[0].lower() == "key":
            continue
        key = row[0]
        raw.profile[key] = row[1] if len(row) > 1 else ""
        raw.profile_lines[key] = number
