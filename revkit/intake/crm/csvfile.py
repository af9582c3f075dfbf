"""Read one CSV export as text cells, numbered by the row the user sees (header = row 1).

Exports run to millions of rows, so the common case is read by pyarrow's CSV
reader: only the columns the mapping uses, every cell as text, no Python loop
over rows. A file the fast reader cannot take as a plain grid — a row with too
many or too few cells, a blank line inside the data, a line break inside a
value — is read again with Python's ``csv`` module, which numbers every row
exactly and reports the ragged ones. A report footer (a blank line, then
single-cell lines such as Salesforce's confidentiality note) is left out
either way, and rows whose cells are all empty are skipped (their numbers are
kept for the rows after them).
"""

from __future__ import annotations

import csv
import io
import mmap
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from revkit import limits
from revkit.errors import Problem
from revkit.intake.crm.mapping import canonical
from revkit.text import clean

if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
    # Arrow's default allocator (mimalloc) gives pages back to the system so eagerly that
    # reading a few million rows spends about a second in the kernel; the C library's
    # allocator does not (an ARROW_DEFAULT_MEMORY_POOL the user sets is kept)
    pa.set_memory_pool(pa.system_memory_pool())

HEAD_BYTES = 1 << 16  # enough for a header line and a delimiter guess
TAIL_BYTES = 1 << 16  # where a report footer is looked for


@dataclass
class RawExport:
    """The text cells of the wanted columns, with the user's row number of each row."""

    header: list[str]  # the export's column names, stripped, in file order
    cells: dict[str, pa.ChunkedArray]  # export column -> text (empty cells as "")
    rows: np.ndarray  # int64: the row as the user sees it (header = 1)
    duplicate_columns: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


def read_csv(path: Path, file: str, wanted: set[str]) -> tuple[RawExport | None, list[Problem]]:
    """The export at ``path`` (``file`` names it in problems) with the ``wanted`` columns;
    every text cleaned as the intake cleans text (``revkit.text.clean``)."""
    size = path.stat().st_size
    if limits.too_large("crm_export_bytes", size):
        return None, [Problem(file=file, message=f"the export is {size:,} bytes",
                              allowed=limits.describe("crm_export_bytes"))]
    export, problems = _read_export(path, file, wanted)
    return (_cleaned(export) if export is not None else None), problems


def _cleaned(export: RawExport) -> RawExport:
    """The export with its cells as a reader sees them (its header is cleaned as it is
    read): a column with no unprintable cell (the usual case, found by Arrow at C speed)
    is kept as it is."""
    cells = {}
    for name, column in export.cells.items():
        bad = pc.and_(pc.invert(pc.utf8_is_printable(column)), pc.not_equal(column, ""))
        if pc.any(bad).as_py():
            column = pa.chunked_array([pa.array([clean(v) for v in column.to_pylist()],
                                                pa.string())])
        cells[name] = column
    return RawExport(export.header, cells, export.rows, export.duplicate_columns)


def _read_export(path: Path, file: str, wanted: set[str]
                 ) -> tuple[RawExport | None, list[Problem]]:
    with open(path, "rb") as fh:
        if not fh.read(HEAD_BYTES).strip() and path.stat().st_size <= HEAD_BYTES:
            return None, [Problem(file=file, message="the file is empty",
                                  allowed="a CSV export with a header row")]
        # not closed by hand: Arrow's buffers over it may outlive this call; it is unmapped
        # once the last of them is gone
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    problem = _utf8_problem(data, file)
    if problem:
        return None, [problem]
    return _read(data, file, wanted)


def _utf8_problem(data: mmap.mmap, file: str) -> Problem | None:
    """A problem naming the first line that is not UTF-8, if any (validated by Arrow)."""
    buffer = pa.py_buffer(data)
    offsets = pa.py_buffer(np.array([0, len(buffer)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, buffer]).validate(full=True)
        return None
    except pa.ArrowInvalid:
        pass
    try:
        bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Problem(file=file, row=line, message="the file is not UTF-8 text (export or "
                       "save it as 'CSV UTF-8')", allowed="UTF-8 text")
    return None


def _read(data: mmap.mmap, file: str, wanted: set[str]) -> tuple[RawExport | None, list[Problem]]:
    start = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    head = data[start:start + HEAD_BYTES].decode("utf-8", errors="ignore")
    delimiter = _delimiter(head)
    header = [clean(h).strip() for h in next(csv.reader(io.StringIO(head, newline=""),
                                                        delimiter=delimiter), [])]
    first_line_end = data.find(b"\n", start)
    if first_line_end < 0 or len(header) == 0:  # a header and nothing else
        return RawExport(header, {c: pa.chunked_array([], pa.string()) for c in header
                                  if c in wanted},
                         np.zeros(0, dtype=np.int64)), []
    end = _body_end(data, first_line_end, delimiter, len(header))
    names, duplicates = _unique_names(header)
    include = [n for n, h in zip(names, header, strict=True) if h in wanted and n == h]
    ragged: list = []
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[:end]),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1,
                                            block_size=1 << 22),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter,
                                              invalid_row_handler=lambda row: (
                                                  ragged.append(row), "skip")[1]),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in include}, include_columns=include,
                strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=False))
    except pa.ArrowInvalid:
        return _read_slowly(data, file, wanted, delimiter)
    # one line per row, or a blank line (which the reader skips) or a line break inside a
    # value shifted the rows: then only the exact reader numbers them right
    body = np.frombuffer(data, dtype=np.uint8, count=end - first_line_end, offset=first_line_end)
    step = 1 << 22  # counted in slices that stay in the cache
    lines = sum(int(np.count_nonzero(body[i:i + step] == 10)) for i in range(0, len(body), step))
    lines -= 1 if body[-1] == 10 else 0
    if ragged or lines != table.num_rows:
        return _read_slowly(data, file, wanted, delimiter)
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    cells = {n: table[n] for n in include}
    blank = None  # a row none of whose wanted cells holds anything is not a record
    for column in cells.values():
        empty = pc.equal(column, "")
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():  # a column filled on every row: no blank row
            blank = None
            break
    if blank is not None:
        keep = pc.invert(blank)
        cells = {n: c.filter(keep) for n, c in cells.items()}
        rows = rows[keep.to_numpy(zero_copy_only=False)]
    return RawExport(header, cells, rows, duplicates), []


def _unique_names(header: list[str]) -> tuple[list[str], list[str]]:
    """Names for the reader (a repeated or empty label gets a private one) and the repeats."""
    seen: dict[str, int] = {}
    names, duplicates = [], []
    for i, name in enumerate(header):
        if name and name not in seen:
            seen[name] = i
            names.append(name)
        else:
            if name and name not in duplicates:
                duplicates.append(name)
            names.append(f"\x00{i}")
    return names, sorted(duplicates)


def _body_end(data: mmap.mmap, after: int, delimiter: str, width: int) -> int:
    """Where the data ends: before a trailing report footer (a blank line, then lines of
    one cell each) and trailing blank lines."""
    end = len(data)
    tail_start = max(after + 1, end - TAIL_BYTES)
    lines = data[tail_start:end].split(b"\n")
    offsets, position = [], tail_start
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    cut = end  # the earliest blank line after which every line is blank or one cell
    for i in range(len(lines) - 1, 0 if tail_start > after + 1 else -1, -1):
        text = lines[i].rstrip(b"\r").decode("utf-8", errors="ignore")
        if not text.strip():
            cut = offsets[i]
            continue
        if width > 1 and _cells(text, delimiter) == 1:
            continue
        break
    return cut


def _cells(line: str, delimiter: str) -> int:
    """How many cells one line of the tail holds (a stray carriage return inside it is
    read as the line break it is, as the exact reader does)."""
    try:
        return len(next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), []))
    except csv.Error:  # an unclosed quote: not a footer line
        return 0


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab a spreadsheet in some locales writes instead."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


# ---------------------------------------------------------------- the exact reader

def _read_slowly(data: mmap.mmap, file: str, wanted: set[str], delimiter: str
                 ) -> tuple[RawExport | None, list[Problem]]:
    """Every record with Python's ``csv``: exact rows for files that are not a plain grid."""
    text = bytes(data).decode("utf-8-sig")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        return None, [Problem(file=file, message=f"the file is not valid CSV: {exc}")]
    header = [clean(h).strip() for h in records[0]]
    kept, numbers, ragged, after_blank = [], [], [], False
    for number, row in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in row):
            after_blank = True
            continue
        if after_blank and len(row) == 1 and len(header) > 1:
            continue  # report footer (Salesforce adds a confidentiality line and a copyright)
        if len(row) != len(header):
            ragged.append((number, len(row)))
            continue
        kept.append(row)
        numbers.append(number)
    names, duplicates = _unique_names(header)
    cells = {n: pa.chunked_array([pa.array([row[i] for row in kept], pa.string())])
             for i, n in enumerate(names) if n in wanted}
    return (RawExport(header, cells, np.array(numbers, dtype=np.int64), duplicates),
            _ragged_rows(ragged, len(header), file))


def _ragged_rows(ragged: list, width: int, file: str) -> list[Problem]:
    limit = canonical()["cell_problems_per_column"]
    message = "row has {} cells but the header has {} (a comma inside a value needs quotes)"
    if len(ragged) > limit:
        rows = ", ".join(str(r) for r, _ in ragged[:limit])
        return [Problem(file=file, row=ragged[0][0], message=message.format(ragged[0][1], width)
                        + f" — {len(ragged)} rows ({rows}, …)")]
    return [Problem(file=file, row=row, message=message.format(n, width)) for row, n in ragged]
