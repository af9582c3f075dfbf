"""The consultancy's brand: firm, logo, colours, font and page lines, checked once.

``load(path)`` reads ``brand.yaml`` with the kit's YAML checker (schema
``revkit/data/schemas/brand.schema.json``) and adds what a schema cannot say:
the logo is an SVG or PNG file beside the brand file, and an SVG carries no
script, event handler or outside reference; white text on the primary colour
reaches the contrast of 4.5:1 that WCAG asks for body text; the font is
installed. Every problem is listed at once (``InvalidFile``, exit 2).

A brand is text and one picture: the reports show every value as text
(escaped by the templates) and embed the logo as a ``data:`` URI, so nothing is
fetched. ``fingerprint`` covers the file and the logo, so a batch re-renders
its clients when the brand changes. Without a brand the reports look as they
always did.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

from revkit import limits, yaml_check
from revkit.errors import InvalidFile

SCHEMA = "brand"
ENV = "REVKIT_BRAND"
MIN_CONTRAST = 4.5          # white on the primary colour (WCAG 2.x, normal text)
FALLBACK_FONT = "DejaVu Sans"  # the report's own font; covers Latin, Greek and Cyrillic
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# what an SVG logo may not hold: it is a picture, not a program or a window onto the web
_SVG_FORBIDDEN = ("script", "foreignobject", "iframe", "object", "embed", "audio", "video")


@dataclass(frozen=True)
class Brand:
    firm: str
    source: str = ""
    logo: bytes | None = None
    logo_kind: str | None = None       # "svg" | "png"
    logo_name: str | None = None
    primary: str | None = None
    accent: str | None = None
    font: str | None = None
    footer: str | None = None
    confidentiality: str | None = None
    prepared_by: str | None = None
    logo_path: str | None = field(default=None, compare=False)

    @property
    def logo_uri(self) -> str | None:
        if self.logo is None:
            return None
        mime = "image/svg+xml" if self.logo_kind == "svg" else "image/png"
        return f"data:{mime};base64,{base64.b64encode(self.logo).decode('ascii')}"

    def logo_png(self, height: int = 240) -> bytes | None:
        """The logo as PNG bytes, for a format that cannot hold SVG (a deck): a PNG as
        given, an SVG drawn at ``height`` pixels (cairosvg; None where cairo is missing)."""
        if self.logo is None or self.logo_kind == "png":
            return self.logo
        try:
            import cairosvg
        except (ImportError, OSError):  # no libcairo on this machine: the firm's name shows
            return None
        return cairosvg.svg2png(bytestring=self.logo, output_height=height, unsafe=False)

    def fingerprint(self) -> str:
        """The brand as a hash: its values and the logo's bytes."""
        data = {k: getattr(self, k) for k in ("firm", "logo_kind", "primary", "accent", "font",
                                              "footer", "confidentiality", "prepared_by")}
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8"))
        digest.update(self.logo or b"")
        return digest.hexdigest()

    def meta(self) -> dict:
        """What the report's view model carries for its templates and writers."""
        return {"firm": self.firm, "logo": self.logo_path, "logo_uri": self.logo_uri,
                "logo_kind": self.logo_kind,
                "colors": {"primary": self.primary, "accent": self.accent},
                "font": self.font, "footer": self.footer,
                "confidentiality": self.confidentiality, "prepared_by": self.prepared_by}


def resolve(path: str | Path | None) -> Path | None:
    """The brand file to use: ``--brand`` if given, else ``$REVKIT_BRAND``, else none."""
    if path:
        return Path(path)
    env = os.environ.get(ENV, "").strip()
    return Path(env) if env else None


def load_optional(path: str | Path | None) -> Brand | None:
    """``load`` of the brand ``resolve`` finds, or ``None`` without one."""
    found = resolve(path)
    return load(found) if found is not None else None


def load(path: str | Path) -> Brand:
    """The checked brand of ``path``; ``InvalidFile`` lists every problem."""
    path = Path(path)
    doc = yaml_check.read(path, str(path), text=True).validate(SCHEMA)
    data = doc.data or {}
    colors = data.get("colors") if isinstance(data.get("colors"), dict) else {}
    logo = _logo(doc, path, data.get("logo")) if not doc.flagged_below("logo") else None
    primary = colors.get("primary") if not doc.flagged_below("colors.primary") else None
    if primary:
        ratio = contrast(primary, "#FFFFFF")
        if ratio < MIN_CONTRAST:
            doc.problem("colors.primary", f"white text on {primary} reaches a contrast of only "
                        f"{ratio:.2f}:1", value=primary,
                        allowed=f"a colour that white text reaches at least {MIN_CONTRAST}:1 "
                        "on (a darker one, e.g. \"#0B3C5D\", 11.3:1)")
    font = data.get("font") if not doc.flagged_below("font") else None
    if font and font.casefold() not in installed_fonts():
        doc.problem("font", "this font is not installed on this machine", value=font,
                    allowed=f"an installed family (e.g. {FALLBACK_FONT}); install the font or "
                    "leave the key out to use the report's own", choices=sorted(
                        installed_fonts().values()))
    if doc.problems:
        raise InvalidFile(str(path), doc.sorted_problems())
    return Brand(firm=data["firm"], source=str(path), logo=logo[0] if logo else None,
                 logo_kind=logo[1] if logo else None, logo_name=data.get("logo"),
                 logo_path=str(logo[2]) if logo else None,
                 primary=primary, accent=colors.get("accent"), font=font,
                 footer=data.get("footer"), confidentiality=data.get("confidentiality"),
                 prepared_by=data.get("prepared_by"))


def _logo(doc, path: Path, name: str | None):
    if not name:
        return None
    pure = PurePosixPath(name.replace("\\", "/"))
    file = path.parent / name
    if pure.is_absolute() or ".." in pure.parts or re.match(r"[A-Za-z]:", name) \
            or not file.resolve().is_relative_to(path.parent.resolve()):
        doc.problem("logo", "the logo must be a file beside the brand file (or in a folder "
                    "below it)", value=name,
                    allowed="a relative file name without '..', e.g. logo.svg")
        return None
    try:
        size = file.stat().st_size
        if limits.too_large("logo_bytes", size):
            doc.problem("logo", f"the logo is {size:,} bytes", value=name,
                        allowed=f"an SVG or PNG of {limits.describe('logo_bytes')}")
            return None
        data = file.read_bytes()
    except FileNotFoundError:
        doc.problem("logo", f"no such file beside the brand file ({file})", value=name,
                    allowed="an SVG or PNG file, relative to the brand file")
        return None
    except OSError as exc:
        doc.problem("logo", f"the logo cannot be read ({exc.strerror or exc})", value=name)
        return None
    if data.startswith(PNG_MAGIC):
        return data, "png", file
    reason = svg_problem(data)
    if reason is None:
        return data, "svg", file
    doc.problem("logo", reason, value=name, allowed="an SVG or PNG picture")
    return None


def svg_problem(data: bytes) -> str | None:
    """Why ``data`` is not an SVG picture the reports can embed, or ``None`` if it is."""
    import xml.etree.ElementTree as ET

    head = data[:2048].lstrip().lower()
    if b"<!entity" in data.lower() or b"<!doctype" in head:
        return "an SVG logo may not declare a DOCTYPE or entities"
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return "neither a PNG nor a well-formed SVG file"
    if _local(root.tag) != "svg":
        return "neither a PNG nor an SVG file (the root element is not <svg>)"
    for element in root.iter():
        tag = _local(element.tag).lower()
        if tag in _SVG_FORBIDDEN:
            return f"an SVG logo may not contain <{tag}>"
        for key, value in element.attrib.items():
            attr = _local(key).lower()
            if attr.startswith("on"):
                return f"an SVG logo may not carry event handlers ({attr})"
            if attr == "href" and not value.strip().startswith("#"):
                return "an SVG logo may not refer to other files or addresses (href)"
            if "url(" in value and not re.fullmatch(r"\s*url\(\s*#[^)]*\)\s*", value):
                return "an SVG logo may not refer to other files or addresses (url())"
        if tag == "style" and re.search(r"@import|url\(\s*['\"]?(?!#)", element.text or ""):
            return "an SVG logo's style may not load other files"
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2.x contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@cache
def installed_fonts() -> dict[str, str]:
    """The font families installed on this machine (casefolded name → name), as
    matplotlib's font manager finds them (the same directories fontconfig reads)."""
    from matplotlib import font_manager

    return {f.name.casefold(): f.name for f in font_manager.fontManager.ttflist}


def css(brand: Brand | None, css_string) -> str:
    """The brand's overrides of the report's CSS variables and font (empty without one)."""
    if brand is None:
        return ""
    rules = []
    if brand.primary:
        rules.append(f"--heading: {brand.primary}; --accent-text: {brand.primary}; "
                     f"--brand-primary: {brand.primary};")
    if brand.accent:
        rules.append(f"--accent: {brand.accent};")
    out = f":root {{ {' '.join(rules)} }}" if rules else ""
    if brand.font:
        out += (f" html {{ font-family: {css_string(brand.font)}, "
                f"{css_string(FALLBACK_FONT)}, sans-serif; }}")
    return out
