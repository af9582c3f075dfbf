"""Text as the kit takes it in: what a reader cannot see is removed at intake.

Client files, brand files and CRM exports may hold characters that are not text a
reader sees: control characters (BEL, ESC, NUL, the rest of C0 and C1, DEL), format
characters (bidirectional embeddings, overrides and isolates, the marks LRM/RLM/ALM,
zero-width spaces and joiners, the byte-order mark, the soft hyphen), unassigned code
points and noncharacters (U+FFFE), surrogates and private-use characters. A PDF shows
them as boxes; bidi controls reorder what a reader sees next to them (an "invoice"
ending ``\\u202Efdp.exe`` reads as "exe.pdf"). ``clean`` removes every character whose
Unicode general category (``unicodedata.category``) is ``Cc``, ``Cf``, ``Cs``, ``Co``
or ``Cn``, with three exceptions:

- line breaks (LF, CR LF, CR, NEL, U+2028, U+2029) and tabs are spaces — or, where a
  text may run over several lines (``multiline=True``: a survey comment), line breaks
  are ``\\n`` and tabs spaces;
- a zero-width joiner between two pictographs (``👩‍💻``, ``🏳️‍🌈``) is part of the emoji
  and stays;
- nothing else: letters of every script (Cyrillic, CJK, Arabic and Hebrew, which are
  right-to-left by themselves, without any control), combining marks, emoji with
  their variation selectors and skin tones, ``U+FFFD`` and every visible symbol stay
  as they are.

Text that is all printable (almost every cell) is returned as it is, at C speed.
"""

from __future__ import annotations

import unicodedata

REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_ZWJ = "\u200d"


def clean(text: str, multiline: bool = False) -> str:
    """``text`` without control, format, unassigned and private-use characters; line
    breaks become spaces (or ``\\n`` with ``multiline``), tabs spaces."""
    if not isinstance(text, str) or text.isprintable():
        return text
    text = text.replace("\r\n", "\n")
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in _LINE_BREAKS:
            out.append("\n" if multiline else " ")
        elif ch == "\t":
            out.append(" ")
        elif ch == _ZWJ and _pictograph(text, i - 1) and _pictograph(text, i + 1):
            out.append(ch)
        elif unicodedata.category(ch) not in REMOVED_CATEGORIES:
            out.append(ch)
    return "".join(out)


def _pictograph(text: str, i: int) -> bool:
    """Whether ``text[i]`` belongs to an emoji: a symbol (``So``) or, before a joiner, a
    variation selector or skin tone that follows one."""
    if not 0 <= i < len(text):
        return False
    ch = text[i]
    if unicodedata.category(ch) == "So":
        return True
    if ch == "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff":  # VS16, skin tones
        return i > 0 and unicodedata.category(text[i - 1]) == "So"
    return False


def clean_all(value, multiline: bool = False):
    """``clean`` of a text, or of every text (and key) inside lists and mappings."""
    if isinstance(value, str):
        return clean(value, multiline)
    if isinstance(value, dict):
        return {clean_all(k): clean_all(v, multiline) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_all(v, multiline) for v in value]
    return value


# a text a spreadsheet would run as a formula (OWASP's CSV injection rule)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A value for a spreadsheet cell the kit writes: a text that a spreadsheet would
    read as a formula is written with a leading ``'``; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
