"""Random corruptions of valid files, for the property tests.

``corruptions(kinds)`` is a hypothesis strategy for a function ``bytes -> Corrupted``:
it takes the bytes of a valid file and returns the damaged bytes with what was done and,
where a column (or a YAML key) was involved, its name, so a test can check that the
kit's message names it. The same draw always damages the same file the same way.

For CSV files (``csv_corruption``): drop or rename a column, duplicate a header, put a
value of the wrong type in a typed column, truncate, insert random bytes, re-encode in
another code page, swap the separator on some rows. For YAML files
(``yaml_corruption``): drop, rename or duplicate a key, give a value of the wrong type,
truncate, insert bytes, re-encode, break the indentation or the ``key: value`` form.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from hypothesis import strategies as st

# code pages a spreadsheet or an editor may save in, wider than what the kit reads
ENCODINGS = ["cp1252", "latin-1", "cp1251", "koi8_r", "mac_roman", "utf-16-le", "utf-16-be",
             "utf-32", "cp437", "shift_jis", "utf-8"]
SEPARATORS = [",", ";", "\t", "|", " "]
# text that is no value of any typed column (numbers, booleans, dates, ids)
WRONG_VALUES = ["abc", "1.2.3", "yes please", "12e", "--", "∞", "0x1F", "1,2,3", "tru",
                "2026-13-45", "N/A!", "<b>3</b>", "=1+1", "3 points", "ñ", "\u200b5"]
CONTROL_BYTES = st.binary(min_size=1, max_size=8)


@dataclass(frozen=True)
class Corrupted:
    """The damaged bytes, what was done, and the column or key involved (if any)."""

    data: bytes
    kind: str
    column: str | None = None
    detail: str = ""


# ---------------------------------------------------------------- CSV

def _rows(data: bytes, encoding: str, separator: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding)), delimiter=separator))


def _write(rows: list[list[str]], encoding: str, separator: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@st.composite
def csv_corruption(draw, data: bytes, encoding: str, separator: str,
                   typed: dict[str, list[str]]) -> Corrupted:
    """One corruption of a CSV file; ``typed`` maps each typed column to wrong values."""
    rows = _rows(data, encoding, separator)
    header = rows[0]
    kinds = ["drop_column", "rename_column", "duplicate_header", "truncate", "insert_bytes",
             "encoding", "separator", "header_case"]
    typed_here = [c for c in header if c in typed]
    if typed_here and len(rows) > 1:
        kinds.append("wrong_type")
    kind = draw(st.sampled_from(kinds))
    if kind == "drop_column":
        i = draw(st.integers(0, len(header) - 1))
        return Corrupted(_write([r[:i] + r[i + 1:] for r in rows], encoding, separator),
                         kind, header[i])
    if kind in ("rename_column", "header_case"):
        i = draw(st.integers(0, len(header) - 1))
        if kind == "header_case":
            new = draw(st.sampled_from([header[i].upper(), header[i] + "_", " " + header[i] + "x",
                                        header[i].replace("_", " ") + "s"]))
        else:
            new = draw(st.text(st.characters(categories=["L", "N", "P"]), min_size=1,
                               max_size=12))
        if new.strip().lower() == header[i]:
            new = header[i] + "2"
        renamed = [header[:i] + [new] + header[i + 1:]] + rows[1:]
        return Corrupted(_write(renamed, encoding, separator), kind, header[i], new)
    if kind == "duplicate_header":
        i = draw(st.integers(0, len(header) - 1))
        at = draw(st.integers(0, len(header)))
        doubled = [r[:at] + [r[i] if i < len(r) else ""] + r[at:] for r in rows]
        return Corrupted(_write(doubled, encoding, separator), kind, header[i])
    if kind == "wrong_type":
        column = draw(st.sampled_from(typed_here))
        i = header.index(column)
        row = draw(st.integers(1, len(rows) - 1))
        value = draw(st.sampled_from(typed[column]))
        changed = [list(r) for r in rows]
        changed[row][i] = value
        return Corrupted(_write(changed, encoding, separator), kind, column,
                         f"row {row + 1} = {value!r}")
    if kind == "separator":
        other = draw(st.sampled_from([s for s in SEPARATORS if s != separator]))
        which = draw(st.sets(st.integers(0, len(rows) - 1), min_size=1))
        text = data.decode(encoding).splitlines(keepends=True)
        text = [line.replace(separator, other) if n in which else line
                for n, line in enumerate(text)]
        return Corrupted("".join(text).encode(encoding), kind, None, f"{other!r} on {which}")
    return _bytes_corruption(draw, data, encoding, kind)


def _bytes_corruption(draw, data: bytes, encoding: str, kind: str) -> Corrupted:
    if kind == "truncate":
        at = draw(st.integers(0, max(0, len(data) - 1)))
        return Corrupted(data[:at], kind, None, f"at byte {at} of {len(data)}")
    if kind == "insert_bytes":
        at = draw(st.integers(0, len(data)))
        junk = draw(CONTROL_BYTES | st.sampled_from(
            [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b'"', b"\x1b[31m", b"\xc3",
             b"\n\n", b"\x85", b"\xe2\x80\xa8"]))
        return Corrupted(data[:at] + junk + data[at:], kind, None, f"{junk!r} at {at}")
    # re-encode the text in another code page (characters it lacks become '?')
    target = draw(st.sampled_from(ENCODINGS))
    text = data.decode(encoding)
    return Corrupted(text.encode(target, errors="replace"), "encoding", None, target)


# ---------------------------------------------------------------- YAML

KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?P<dash>- )?(?P<key>[A-Za-z_][\w-]*):(?P<rest>.*)$")


def _key_lines(lines: list[str]) -> list[tuple[int, str, int]]:
    """``(line index, key, indent)`` of every block-style key (flow mappings left out)."""
    found = []
    for n, line in enumerate(lines):
        m = KEY_LINE.match(line.rstrip("\n"))
        if m and not m["dash"]:
            found.append((n, m["key"], len(m["indent"])))
    return found


def _wrong(value: str) -> str:
    """A value of another YAML type than ``value``: text for a number or a yes/no, a
    mapping for text."""
    plain = value.split(" #")[0].strip()
    if re.fullmatch(r"-?[0-9][0-9_.eE+-]*|true|false|null|~", plain):
        return "'abc'"
    return "{a: 1}"


@st.composite
def yaml_corruption(draw, data: bytes, keys: list[str] | None = None,
                    typed: dict[str, list[str]] | None = None) -> Corrupted:
    """One corruption of a UTF-8 YAML file in block style.

    ``keys`` (top-level keys) and ``typed`` (wrong values per top-level key) describe an
    intake profile; without them any key at any depth is a target and ``wrong_type``
    gives a scalar a value of another YAML type."""
    text = data.decode("utf-8")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    targets = [(n, k, i) for n, k, i in _key_lines(lines)
               if keys is None or (i == 0 and k in keys)]
    kinds = ["truncate", "insert_bytes", "encoding", "indent", "colon"]
    if targets:
        kinds += ["drop_key", "rename_key", "duplicate_key"]
    scalars = [(n, k, i) for n, k, i in targets
               if (typed is None and KEY_LINE.match(lines[n].rstrip("\n"))["rest"].strip()
                   and KEY_LINE.match(lines[n].rstrip("\n"))["rest"].strip()[0] not in "{[|>")
               or (typed is not None and k in typed)]
    if scalars:
        kinds.append("wrong_type")
    kind = draw(st.sampled_from(kinds))
    if kind in ("truncate", "insert_bytes", "encoding"):
        return _bytes_corruption(draw, data, "utf-8", kind)
    if kind in ("indent", "colon"):
        n = draw(st.integers(0, len(lines) - 1))
        line = lines[n]
        changed = ("   " + line) if kind == "indent" else line.replace(":", " =", 1)
        return Corrupted("".join(lines[:n] + [changed] + lines[n + 1:]).encode("utf-8"),
                         kind, None, f"line {n + 1}")
    if kind == "wrong_type":
        n, key, indent = draw(st.sampled_from(scalars))
        rest = KEY_LINE.match(lines[n].rstrip("\n"))["rest"]
        value = draw(st.sampled_from(typed[key])) if typed is not None else _wrong(rest)
        end = _block_end(lines, n, indent)
        changed = lines[:n] + [f"{' ' * indent}{key}: {value}\n"] + lines[end:]
        return Corrupted("".join(changed).encode("utf-8"), kind, key, value)
    n, key, indent = draw(st.sampled_from(targets))
    end = _block_end(lines, n, indent)
    if kind == "drop_key":
        return Corrupted("".join(lines[:n] + lines[end:]).encode("utf-8"), kind, key)
    if kind == "duplicate_key":
        # the key again, right after its block: the same mapping holds it twice
        return Corrupted("".join(lines[:end] + lines[n:end] + lines[end:]).encode("utf-8"),
                         kind, key)
    new = draw(st.sampled_from([k for k in (key + "s", key.upper(), key.replace("_", "-"),
                                            "x" + key) if k != key]))
    renamed = [lines[n].replace(key, new, 1)]
    return Corrupted("".join(lines[:n] + renamed + lines[n + 1:]).encode("utf-8"), kind, key,
                     new)


def _block_end(lines: list[str], n: int, indent: int = 0) -> int:
    """The line after the block of the key on line ``n`` (its nested lines)."""
    end = n + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and not line.lstrip().startswith("#"):
            depth = len(line) - len(line.lstrip(" "))
            # a list under a key may start at the key's own indent ("- item")
            if depth < indent or (depth == indent and not line.lstrip().startswith("- ")):
                break
        end += 1
    return end
