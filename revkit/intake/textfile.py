"""Read an intake text file as whatever spreadsheet saved it: its encoding and, for a CSV,
its separator.

Encodings, in this order (``data_contracts/formats.yaml`` lists them):

1. a byte-order mark names the encoding (UTF-8, or UTF-16 as Excel's "Unicode text");
2. bytes that are valid UTF-8 are UTF-8 — text in an 8-bit encoding with any letter
   beyond ASCII practically never is (a Cyrillic or German letter in Windows-1251/1252
   is a byte that UTF-8 only allows as part of a sequence such text does not form);
3. otherwise the encoding ``profile.yaml`` declares (``encoding:``), unless its reading
   is implausible where another's is not — then the declaration is wrong, and said so;
4. otherwise the one 8-bit encoding whose reading is plausible, where only one is; a file
   that two encodings read plausibly as different text is an error that asks for
   ``encoding:``, never a guess.

A reading is implausible when a word in it could not have been written: in a Cyrillic
reading, a word mixing Latin and Cyrillic letters (German ``für`` read as Windows-1251 is
``fьr``); in a Latin reading, a word of two or more letters none of which is ASCII
(Russian ``данные`` read as Windows-1252 is ``äàííûå``).

The separator of a CSV (``,``, ``;`` or tab) is the one that splits the header line into
the most column names of the file's contract; a first line ``sep=;`` names it outright.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from revkit.errors import Problem
from revkit.intake import formats

BOMS = ((b"\xef\xbb\xbf", "utf-8", "utf-8"), (b"\xff\xfe", "utf-16", "utf-16-le"),
        (b"\xfe\xff", "utf-16", "utf-16-be"))
SNIFF_BYTES = 4096
_WORD = re.compile(r"[^\W\d_]+")
_SEP_LINE = re.compile(r"sep=(.)\r?\n?", re.IGNORECASE)
_YAML_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:")

# locate(text before a byte) -> (row, column) of that byte as the user sees the file
Locator = Callable[[str], tuple[int | None, str | None]]


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # an encoding id of formats.yaml


def _binary_or_utf16(head: bytes) -> bool:
    """Whether NUL bytes say the file is binary or UTF-16 without its byte-order mark
    (about every other byte of UTF-16 text is NUL). A stray NUL in UTF-8 text is a
    control character like any other, removed at intake (``revkit.text.clean``)."""
    nul = head.count(b"\x00")
    if not nul:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the sniff's end
            return True
    return nul * 8 > len(head)


def decode(data: bytes, where: dict, declared: str | None, locate: Locator) -> Decoded | Problem:
    """The text of a file's bytes, or the problem that says why it cannot be read for sure."""
    for bom, encoding, codec in BOMS:
        if data.startswith(bom):
            return _strict(data, len(bom), codec, encoding, where, locate)
    if _binary_or_utf16(data[:SNIFF_BYTES]):
        if declared == "utf-16":
            return _strict(data, 0, "utf-16-le", "utf-16", where, locate)
        return Problem(message="the file holds NUL bytes: it is binary, or UTF-16 without a "
                               "byte-order mark", **where,
                       allowed="a text file: UTF-8, or UTF-16 with a byte-order mark (Excel's "
                               "'Unicode text')")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    before = data[:first_bad].decode("utf-8")
    legacy = formats.legacy_encodings()
    readings = {e: _reading(data, e) for e in legacy}
    if declared in legacy and readings[declared] is not None \
            and _plausible(readings[declared], legacy[declared]):
        return Decoded(readings[declared], declared)  # as declared, and it reads as written
    plausible = {e: text for e, text in readings.items()
                 if text is not None and _plausible(text, legacy[e])}
    if declared in legacy:
        others = [e for e, t in plausible.items() if e != declared and t != readings[declared]]
        if others:
            row, column = locate(before)
            return Problem(
                message=f"the file reads as {formats.label(others[0])} text, not as the "
                        f"{formats.label(declared)} that profile.yaml declares "
                        f"(encoding: {declared})", row=row, column=column,
                value=_bytes_at(data, first_bad), **where,
                allowed=f"set encoding: {others[0]} in profile.yaml, or save the file as "
                        "'CSV UTF-8'")
        return _strict(data, 0, declared, declared, where, locate)
    if declared is not None:  # utf-8 or utf-16 declared, and the bytes are neither
        return _not_text(data, first_bad, before, declared, where, locate)
    if len(set(plausible.values())) == 1:
        encoding = sorted(plausible)[0]
        return Decoded(plausible[encoding], encoding)
    row, column = locate(before)
    candidates = " or ".join(f"encoding: {e} ({formats.label(e)})" for e in legacy)
    return Problem(
        message="the file is not UTF-8, and which encoding it is cannot be told for sure",
        row=row, column=column, value=_bytes_at(data, first_bad), **where,
        allowed=f"UTF-8 (save as 'CSV UTF-8'), UTF-16 with a byte-order mark, or a line in "
                f"profile.yaml naming the encoding: {candidates}")


def _strict(data: bytes, skip: int, codec: str, encoding: str, where: dict,
            locate: Locator) -> Decoded | Problem:
    body = data[skip:]
    try:
        return Decoded(body.decode(codec), encoding)
    except UnicodeDecodeError as exc:
        before = body[:exc.start].decode(codec)
        return _not_text(data, skip + exc.start, before, encoding, where, locate)


def _not_text(data: bytes, offset: int, before: str, encoding: str, where: dict,
              locate: Locator) -> Problem:
    row, column = locate(before)
    return Problem(message=f"byte {offset} of the file is not {formats.label(encoding)} text",
                   row=row, column=column, value=_bytes_at(data, offset), **where,
                   allowed=f"{formats.label(encoding)} text, or the file's encoding named in "
                           f"profile.yaml (encoding: {', '.join(formats.encoding_ids())})")


def _reading(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None  # a byte the encoding has no character for


def _plausible(text: str, script: str) -> bool:
    """Whether a reading of 8-bit text in an encoding of ``script`` could have been written."""
    seen: set[str] = set()
    for line in text.splitlines():
        if line.isascii():
            continue
        for word in _WORD.findall(line):
            if word in seen or word.isascii():
                continue
            seen.add(word)
            ascii_letters = sum(1 for ch in word if ch.isascii())
            if script == "latin" and ascii_letters == 0 and len(word) >= 2:
                return False  # Cyrillic read as Latin: 'данные' -> 'äàííûå'
            if script != "latin" and ascii_letters:
                return False  # Latin read as Cyrillic: 'für' -> 'fьr'
    return True


def _bytes_at(data: bytes, offset: int) -> str:
    return data[offset:offset + 4].hex(" ")


# ---------------------------------------------------------------- locating a byte

def csv_locator(header: Callable[[list[str]], list[str]]) -> Locator:
    """Row and column (as its header names it) of the byte after ``text`` in a CSV file."""

    def locate(text: str):
        first = text.split("\n", 1)[0]
        declared = _SEP_LINE.fullmatch(first.strip() + "\n")
        sep = declared.group(1) if declared else max(formats.separators(), key=first.count)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        if not rows or text.endswith(("\n", "\r")):
            row, index = len(rows) + 1, 0
        else:
            row, index = len(rows), len(rows[-1]) - 1
        header_row = 2 if declared else 1
        names = header(rows[header_row - 1]) if len(rows) >= header_row else []
        return row, (names[index] if row > header_row and index < len(names) else None)

    return locate


def yaml_locate(text: str) -> tuple[int, str | None]:
    """Line and key of the byte after ``text`` in a YAML file."""
    keys = _YAML_KEY.findall(text.rsplit("\n", 1)[-1])
    return text.count("\n") + 1, (keys[-1] if keys else None)


# ---------------------------------------------------------------- separators

@dataclass(frozen=True)
class Separated:
    separator: str
    skip_lines: int  # a `sep=` line before the header


def find_separator(text: str, known: set[str], canonical: Callable[[list[str]], list[str]],
                   where: dict) -> Separated | Problem:
    """The separator that splits the header into the most of the ``known`` column names."""
    allowed = formats.separators()
    declared = _SEP_LINE.match(text)
    if declared:
        if declared.group(1) in allowed:
            return Separated(declared.group(1), 1)
        return Problem(message="the first line names a separator the kit does not read",
                       row=1, column=None, value=declared.group(0).strip(), **where,
                       allowed=_separator_names(allowed))
    splits = {}
    for sep in allowed:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=sep), [])
        names = canonical(header)
        splits[sep] = (sum(1 for n in names if n in known), tuple(names))
    if len({names for _, names in splits.values()}) == 1:
        return Separated(next(iter(allowed)), 0)  # one column, or no separator at all
    best = max(score for score, _ in splits.values())
    winners = [sep for sep, (score, _) in splits.items() if score == best]
    if best > 0 and len(winners) == 1:
        return Separated(winners[0], 0)
    first_sep = next(iter(allowed))
    header = list(splits[first_sep][1])
    unknown = next((n for n in header if n not in known), header[0] if header else None)
    return Problem(
        message="cannot tell the separator: no single one of "
                f"{_separator_names(allowed)} splits the header into the column names",
        row=1, column=unknown, value=text.split("\n", 1)[0].strip()[:120], **where,
        allowed=f"the column names ({', '.join(sorted(known)[:8])}"
                f"{', …' if len(known) > 8 else ''}) separated by {_separator_names(allowed)}")


def separator_name(separator: str) -> str:
    return formats.separators().get(separator, repr(separator))


def _separator_names(allowed: dict) -> str:
    names = [f"'{s}'" if s != "\t" else "tab" for s in allowed]
    return ", ".join(names[:-1]) + " or " + names[-1]
