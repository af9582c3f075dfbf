"""Helpers for the report tests: hostile client copies and reading HTML/PDF output."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import yaml

from revkit.paths import DEMO_CLIENTS_DIR

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_COMMENT = "<img src=x onerror=alert(2)> & \"quoted\""
HOSTILE_SYSTEM = "<b>Evil</b> CRM"


def copy_client(slug: str, target: Path) -> Path:
    """A writable copy of a demo client folder at ``target/slug``."""
    folder = target / slug
    shutil.copytree(DEMO_CLIENTS_DIR / slug, folder)
    return folder


def make_hostile(folder: Path) -> Path:
    """Put markup into the client's name, a survey comment and a system name."""
    profile = folder / "profile.yaml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["name"] = HOSTILE_NAME
    profile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                       encoding="utf-8")
    survey = folder / "survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1].split(",")
    assert header.split(",")[-1] == "comment"
    first[-1] = '"' + HOSTILE_COMMENT.replace('"', '""') + '"'
    lines[1] = ",".join(first)
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the system appears by name in systems.csv and in metrics.csv (source_system)
    old = "Salesforce Sales Cloud"
    for name in ("systems.csv", "metrics.csv"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, HOSTILE_SYSTEM),
                        encoding="utf-8")
    return folder


class TextOf(HTMLParser):
    """The visible text of an HTML document (scripts and styles left out)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html_text: str) -> str:
    parser = TextOf()
    parser.feed(html_text)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def table_rows(html_text: str, css_class: str) -> list[list[str]]:
    """The body rows (cell texts) of the first table with ``css_class``."""
    match = re.search(rf'<table class="rk-table (?:[\w-]+ )*{css_class}(?: [\w-]+)*">(.*?)</table>',
                      html_text, re.S)
    assert match, f"no table {css_class}"
    body = match.group(1).split("<tbody>", 1)[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        rows.append([visible_text(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                      row, re.S)])
    return rows


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)
