"""Typed values of intake cells: whole numbers and numbers in the forms spreadsheets write
in English, German and Russian, dates, and yes/no words.

What each type accepts comes from ``data_contracts/formats.yaml`` (``types``); a cell
that is not of its column's type raises ``CellError``, which says what the column wants
and what forms are allowed, so the intake problem can name both.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache

from revkit.intake import formats


class CellError(ValueError):
    """A cell is not of its column's type: ``wanted`` (e.g. "a whole number"), ``allowed``
    (the forms accepted) and, where the cell is readable two ways, ``reason``."""

    def __init__(self, wanted: str, allowed: str, reason: str | None = None):
        super().__init__(wanted)
        self.wanted = wanted
        self.allowed = allowed
        self.reason = reason


# ---------------------------------------------------------------- booleans

@cache
def _boolean_words() -> dict[str, bool]:
    spec = formats.cell_type("boolean")
    words = {str(w).casefold(): True for w in spec["true_words"]}
    words.update({str(w).casefold(): False for w in spec["false_words"]})
    return words


def parse_boolean(text: str) -> bool:
    try:
        return _boolean_words()[text.strip().casefold()]
    except KeyError:
        raise CellError("yes or no", boolean_forms()) from None


def boolean_forms() -> str:
    return formats.cell_type("boolean")["shown"]


# ---------------------------------------------------------------- numbers

@cache
def _number_patterns() -> dict[str, re.Pattern]:
    spaces = "[" + "".join(formats.cell_type("number")["group_spaces"]) + "]"
    return {
        "plain": re.compile(r"[+-]?\d+"),
        # one mark, the decimal one: 0,55 · 0.55 · ,5 · 5.
        "one_mark": re.compile(r"[+-]?(?=[.,]?\d)\d*[.,]\d*"),
        # a single ',' before exactly three digits: 1.25 or 1250?
        "ambiguous": re.compile(r"[+-]?[1-9]\d{0,2},\d{3}"),
        "spaced": re.compile(rf"[+-]?\d{{1,3}}(?:{spaces}\d{{3}})+(?:[.,]\d+)?"),
        "dot_groups": re.compile(r"[+-]?\d{1,3}(?:(?:\.\d{3})+,\d+|(?:\.\d{3}){2,})"),
        "comma_groups": re.compile(r"[+-]?\d{1,3}(?:(?:,\d{3})+\.\d+|(?:,\d{3}){2,})"),
        "exponent": re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
        "spaces": re.compile(spaces),
    }


def parse_number(text: str) -> float:
    """A number as spreadsheets write it (``0,55``, ``1 234,5``, ``1.234,5``, ``1234.5``)."""
    number = _number(text)
    if not math.isfinite(number):  # 1e400, or 400 digits: no number the kit can compute with
        raise CellError("a number of a size the kit can compute with", number_forms())
    return number


def _number(text: str) -> float:
    p = _number_patterns()
    t = text.strip()
    if p["plain"].fullmatch(t):
        return float(t)
    if p["one_mark"].fullmatch(t):
        if p["ambiguous"].fullmatch(t):
            whole, _, frac = t.partition(",")
            raise CellError("a number", number_forms(),
                            reason=f"'{t}' may mean {whole}.{frac} or {whole}{frac}; write "
                                   f"{whole}{frac} or {whole},{frac.rstrip('0') or '0'}")
        return float(t.replace(",", "."))
    if p["spaced"].fullmatch(t):
        return float(p["spaces"].sub("", t).replace(",", "."))
    if p["dot_groups"].fullmatch(t):
        return float(t.replace(".", "").replace(",", "."))
    if p["comma_groups"].fullmatch(t) or p["exponent"].fullmatch(t):
        return float(t.replace(",", ""))
    raise CellError("a number", number_forms())


def parse_whole(text: str) -> int:
    try:
        number = parse_number(text)
    except CellError as exc:
        raise CellError("a whole number", whole_forms(), exc.reason) from None
    if not number.is_integer():
        raise CellError("a whole number", whole_forms())
    return int(number)


def number_forms() -> str:
    return formats.cell_type("number")["shown"]


def whole_forms() -> str:
    return formats.cell_type("number")["whole"]


# ---------------------------------------------------------------- dates

@cache
def _date_forms() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(f["pattern"]), f["format"]) for f in formats.cell_type("date")["forms"]]


def parse_date(text: str) -> dt.date:
    t = text.strip()
    for pattern, form in _date_forms():
        if pattern.fullmatch(t):
            try:
                return dt.datetime.strptime(t, form).date()
            except ValueError:
                raise CellError("a real calendar date", date_forms()) from None
    raise CellError("a date", date_forms())


def date_forms() -> str:
    return " or ".join(f["shown"] for f in formats.cell_type("date")["forms"])
