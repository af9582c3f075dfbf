"""The deck's file: its document properties and a zip that depends only on what it shows.

python-pptx stamps the save time on every zip entry, and each chart's embedded workbook
(written by XlsxWriter) carries its creation time in ``docProps/core.xml``. Both are
set here to the assessment date, and the package is re-zipped with fixed entry
times in python-pptx's own entry order, so the same results give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

CORE = "docProps/core.xml"
_W3CDTF = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def moment(day: str | None) -> dt.datetime:
    """Midnight UTC of the assessment date (a fixed day where there is none)."""
    try:
        date = dt.date.fromisoformat(str(day))
    except ValueError:
        date = dt.date(2000, 1, 1)
    return dt.datetime(date.year, date.month, date.day)


PROPERTY_CHARS = 255  # what a document property holds (python-pptx refuses a longer one)


def _property(text: str) -> str:
    """``text`` cut to a document property's length (a client's name may be longer)."""
    return text if len(text) <= PROPERTY_CHARS else text[:PROPERTY_CHARS - 1] + "…"


def set_properties(prs, *, title: str, author: str, subject: str, description: str,
                   language: str, when: dt.datetime) -> None:
    """The deck's document properties: every field a save could otherwise fill with now."""
    props = prs.core_properties
    props.title = _property(title)
    props.author = _property(author)
    props.last_modified_by = _property(author)
    props.subject = _property(subject)
    props.comments = _property(description)
    props.language = language
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1


def to_bytes(prs, when: dt.datetime) -> bytes:
    """The saved deck, re-zipped with every entry (and every embedded workbook) at ``when``."""
    raw = io.BytesIO()
    prs.save(raw)
    return _rezip(raw.getvalue(), when)


def _rezip(data: bytes, when: dt.datetime) -> bytes:
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            blob = source.read(entry.filename)
            if entry.filename.endswith(".xlsx"):
                blob = _rezip(blob, when)
            elif entry.filename == CORE:
                blob = _dated(blob, when)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, blob)
    return out.getvalue()


def _dated(core_xml: bytes, when: dt.datetime) -> bytes:
    """A core.xml (the deck's or a workbook's) with its created and modified dates at ``when``."""
    text = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return _W3CDTF.sub(lambda match: match.group(1) + text + match.group(3), core_xml)
