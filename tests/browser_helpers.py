"""A real browser on the kit's pages: headless Chromium driven by Playwright, offline.

``find_chromium()`` finds the system's Chromium (Debian's package ``chromium``; Playwright
cannot download its own build here). ``check_page(browser, path)`` opens one HTML file
with every request that is not ``file:`` or ``data:`` blocked, and returns a
``PageCheck``: blocked and failed requests, console errors, page errors, images that did
not load, inline SVGs that draw nothing or whose texts are cut off at their edge or lie on
top of each other, a page wider than the window, ``#id`` links with no target, and links to
sibling files that are not on disk. A clean page has all of these empty.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

# the first screen a reader sees on a laptop
VIEWPORT = {"width": 1280, "height": 800}
# what a self-contained page may load: itself and what it embeds
ALLOWED_SCHEMES = ("file", "data", "about", "blob")
# schemes a link may point to without anything being fetched when the page opens
EXTERNAL_LINK_SCHEMES = ("http", "https", "mailto", "tel")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# What the page holds, measured in the page itself once it has loaded.
_INSPECT = """async () => {
  const loads = (src) => new Promise((resolve) => {
    const probe = new Image();
    probe.onload = () => resolve(probe.naturalWidth > 0);
    probe.onerror = () => resolve(false);
    probe.src = src;
  });
  const short = (s) => s.length > 80 ? s.slice(0, 77) + '...' : s;
  const images = [];
  for (const img of document.images) {
    if (!img.complete) await new Promise((r) => { img.onload = img.onerror = r; });
    images.push({what: 'img', src: short(img.currentSrc || img.src), alt: img.alt,
                 ok: img.complete && img.naturalWidth > 0});
  }
  for (const image of document.querySelectorAll('svg image')) {
    const src = image.getAttribute('href') || image.getAttribute('xlink:href') || '';
    images.push({what: 'svg image', src: short(src), alt: '', ok: !!src && await loads(src)});
  }
  for (const el of document.querySelectorAll('*')) {
    const bg = getComputedStyle(el).backgroundImage;
    for (const m of bg.matchAll(/url\\("?([^")]+)"?\\)/g)) {
      images.push({what: 'css background', src: short(m[1]), alt: '', ok: await loads(m[1])});
    }
  }
  // an inline SVG that is shown must draw something: a size and at least one shape
  const svgs = [], clipped = [], overlapping = [];
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.parentElement && svg.parentElement.closest('svg')) continue;
    const box = svg.getBoundingClientRect();
    const shown = getComputedStyle(svg).display !== 'none' && svg.getClientRects().length > 0;
    const drawn = svg.querySelector('rect,path,circle,line,polyline,polygon,text,ellipse,image,use');
    const label = short(svg.getAttribute('aria-label') || svg.querySelector('title')?.textContent || '');
    svgs.push({label, shown, ok: !shown || (box.width > 0 && box.height > 0 && !!drawn)});
    if (!shown) continue;
    // every text inside the drawing, none on top of another
    const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim())
      .map((t) => ({text: short(t.textContent.trim()), r: t.getBoundingClientRect()}));
    for (const t of texts) {
      if (t.r.left < box.left - 1 || t.r.right > box.right + 1 || t.r.top < box.top - 1
          || t.r.bottom > box.bottom + 1) clipped.push(`${t.text} (in ${label})`);
    }
    texts.forEach((a, i) => texts.slice(i + 1).forEach((b) => {
      const across = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const down = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (across > 1 && down > 1) overlapping.push(`${a.text} / ${b.text} (in ${label})`);
    }));
  }
  const ids = new Set([...document.querySelectorAll('[id]')].map((el) => el.id));
  for (const a of document.querySelectorAll('a[name]')) ids.add(a.name);
  const links = [...document.querySelectorAll('a[href], area[href]')].map((a) => ({
    href: a.getAttribute('href'), text: short(a.textContent.trim())}));
  // a page wider than the window makes the reader scroll sideways
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  return {title: document.title, lang: document.documentElement.lang, images, svgs,
          clipped, overlapping, overflow, ids: [...ids], links};
}"""


@dataclass
class PageCheck:
    """What one page did in the browser; ``problems()`` is empty for a clean page."""

    page: str
    title: str = ""
    lang: str = ""
    blocked_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    empty_svgs: list[str] = field(default_factory=list)
    clipped_texts: list[str] = field(default_factory=list)
    overlapping_texts: list[str] = field(default_factory=list)
    sideways_scroll: list[str] = field(default_factory=list)
    missing_anchors: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    images: int = 0
    svgs: int = 0
    anchor_links: int = 0
    file_links: int = 0
    external_links: list[str] = field(default_factory=list)
    screenshot: str = ""

    PROBLEMS = ("blocked_requests", "failed_requests", "console_errors", "page_errors",
                "broken_images", "empty_svgs", "clipped_texts", "overlapping_texts",
                "sideways_scroll", "missing_anchors", "missing_files")

    def problems(self) -> list[str]:
        """One line per problem: ``<page>: <kind>: <what>``."""
        return [f"{self.page}: {kind.replace('_', ' ')}: {item}"
                for kind in self.PROBLEMS for item in getattr(self, kind)]

    def record(self) -> dict:
        """The check as plain data (for ``browser-check.json``)."""
        return asdict(self)


def find_chromium() -> str | None:
    """The Chromium to drive: ``$REVKIT_CHROMIUM``, else the first of ``CHROMIUM_NAMES``
    on ``PATH``; ``None`` when there is none."""
    configured = os.environ.get("REVKIT_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def launch(playwright, executable: str):
    """Headless Chromium at ``executable``. ``--no-sandbox``: the tests run as root in a
    container, where Chromium's sandbox cannot start."""
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=["--no-sandbox", "--disable-gpu"])


def check_page(browser, path: Path, *, name: str | None = None,
               screenshot: Path | None = None) -> PageCheck:
    """Open ``path`` offline in ``browser`` and check it (see the module docstring);
    with ``screenshot``, save the first screen there as PNG."""
    path = Path(path).resolve()
    result = PageCheck(page=name or path.name)
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1,
                                  java_script_enabled=True)
    page = context.new_page()

    def route(route_):
        url = route_.request.url
        if urlsplit(url).scheme in ALLOWED_SCHEMES:
            route_.continue_()
        else:
            _once(result.blocked_requests, url)
            route_.abort("blockedbyclient")

    def failed(request):
        if request.url not in result.blocked_requests:
            _once(result.failed_requests, f"{request.url} ({request.failure})")

    def console(message):
        if message.type == "error":
            where = message.location
            _once(result.console_errors,
                  f"{message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})")

    page.route("**/*", route)
    page.on("requestfailed", failed)
    page.on("console", console)
    page.on("pageerror", lambda error: _once(result.page_errors, str(error)))
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        found = page.evaluate(_INSPECT)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(screenshot), full_page=False, animations="disabled")
            result.screenshot = screenshot.name
    finally:
        context.close()
    result.title, result.lang = found["title"], found["lang"]
    result.images, result.svgs = len(found["images"]), len(found["svgs"])
    result.broken_images = [f"{i['what']} {i['src']!r} (alt {i['alt']!r})"
                            for i in found["images"] if not i["ok"]]
    result.empty_svgs = [repr(s["label"]) for s in found["svgs"] if not s["ok"]]
    result.clipped_texts, result.overlapping_texts = found["clipped"], found["overlapping"]
    if found["overflow"] > 0:
        result.sideways_scroll = [f"{found['overflow']} px wider than a "
                                  f"{VIEWPORT['width']} px window"]
    _check_links(result, path, found["links"], set(found["ids"]))
    return result


def _once(found: list[str], item: str) -> None:
    """Record ``item`` once: the image probes of ``_INSPECT`` ask again for what failed."""
    if item not in found:
        found.append(item)


def _check_links(result: PageCheck, path: Path, links: list[dict], ids: set[str]) -> None:
    """``#id`` links need their target on the page; relative links need their file on
    disk (and, into another HTML file, the ``#id`` there)."""
    for link in links:
        href = link["href"]
        parts = urlsplit(href)
        if parts.scheme in EXTERNAL_LINK_SCHEMES:
            result.external_links.append(href)
        elif parts.scheme == "data":
            continue
        elif not parts.scheme and not parts.netloc and not parts.path:
            result.anchor_links += 1
            target = unquote(parts.fragment)
            if not target or target not in ids:
                result.missing_anchors.append(f"{href} ({link['text']!r})")
        elif parts.scheme in ("", "file") and not parts.netloc:
            result.file_links += 1
            target = (path.parent / unquote(parts.path)).resolve() if not parts.scheme \
                else Path(unquote(parts.path))
            if not target.is_file():
                result.missing_files.append(f"{href} → {target}")
            elif parts.fragment and target.suffix == ".html" and \
                    f'id="{unquote(parts.fragment)}"' not in target.read_text(encoding="utf-8"):
                result.missing_files.append(f"{href}: no id {parts.fragment!r} in {target.name}")
        else:
            result.missing_files.append(f"{href} (a link the kit does not write)")
