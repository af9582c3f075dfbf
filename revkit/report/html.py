"""Report sections as HTML: Jinja2 templates with autoescape, charts embedded as PNG.

The templates live beside the report template
(``templates/revkit_report/blocks/``). Autoescape is on, so every text —
whoever wrote it — reaches the page as text. The kit's own narrative is a
small Markdown (paragraphs, ``- `` lists, ``**bold**``, ``*italic*``),
converted here after escaping, so it cannot carry markup either.
"""

from __future__ import annotations

import base64
import re
from functools import cache

from markupsafe import Markup, escape

from revkit.report.blocks import Badge, Bar, Fig, Section, Titled
from revkit.report.model import TEMPLATE_DIR

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", re.S)


def markdown(text: str) -> Markup:
    """The kit's narrative Markdown as HTML: paragraphs, lists, bold, italic."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = para.split("\n")
        if lines[0].startswith("- "):
            items, current = [], []
            for line in lines:
                if line.startswith("- ") and current:
                    items.append(" ".join(current))
                    current = []
                current.append(line[2:] if line.startswith("- ") else line.strip())
            items.append(" ".join(current))
            out.append("<ul>\n" + "\n".join(f"<li>{_inline(i)}</li>" for i in items) + "\n</ul>")
        else:
            out.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return Markup("\n".join(out))


def _inline(text: str) -> str:
    html = str(escape(text))
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


@cache
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR / "blocks")), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=False)
    env.filters["markdown"] = markdown
    env.tests["badge"] = lambda value: isinstance(value, Badge)
    env.tests["fig"] = lambda value: isinstance(value, Fig)
    env.tests["bar"] = lambda value: isinstance(value, Bar)
    env.tests["titled"] = lambda value: isinstance(value, Titled)
    return env


def image_uri(chart) -> str:
    """A chart as an embedded PNG (``data:`` URI)."""
    from revkit.report import charts

    data = base64.b64encode(charts.png(charts.draw(chart))).decode("ascii")
    return f"data:image/png;base64,{data}"


def section(sec: Section, image=image_uri) -> str:
    """One section as an HTML fragment."""
    return environment().get_template("section.html.j2").render(section=sec, image=image)


def text(sec: Section) -> str:
    """The plain-text form of a section (what a notebook shows without HTML, and alt texts)."""
    from revkit import messages

    m = messages.get(sec.lang)
    parts = [sec.title]
    for b in sec.blocks:
        if b.kind == "text":
            parts.append(re.sub(r"\*\*?|^- ", "", b.markdown, flags=re.M))
        elif b.kind in ("note", "heading"):
            parts.append(b.text)
        elif b.kind == "table":
            rows = [" | ".join(map(str, b.columns))]
            rows += [" | ".join("" if c is None else str(c) for c in row) for row in b.rows]
            parts.append("\n".join(rows))
        elif b.kind == "chart":
            parts.append(m("chart.text", caption=b.caption, alt=b.alt))
        elif b.kind == "verdict":
            parts.append(b.text)
        elif b.kind == "facts":
            parts.append("; ".join(f"{k}: {v}" for k, v in b.items) + f". {b.callout_label}"
                         f"{b.callout}")
        elif b.kind == "quotes":
            parts.append("\n".join(f"“{q}” ({who})" if who else f"“{q}”" for q, who in b.items))
        elif b.kind == "bullets":
            parts.append("\n".join(b.items))
        elif b.kind == "findings":
            parts.append("\n".join(f"{label}: {text}" + (f" ({evidence})" if evidence else "")
                                   for _, label, text, evidence in b.items))
        elif b.kind == "definitions":
            parts.append("\n".join(f"{term}: {text}" + (f" ({note})" if note else "")
                                   for term, text, note in b.items))
        elif b.kind == "contents":
            parts.append("\n".join(title for _, title in b.items))
    return "\n\n".join(parts)
