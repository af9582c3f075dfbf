"""The kit's pages in a real browser: headless Chromium, offline, in English and Russian.

Every page must open with no request leaving the machine, no failed request, no console
or page error, every image loaded, every inline SVG drawn, every ``#id`` link landing on
its target and every link to a sibling file finding it on disk (browser_helpers).

``make test`` runs the check on a hand-made broken page (so the check is seen to fail)
and on one report and its portfolio. ``make test-browser`` (``--browser``) opens every
page ``revkit demo`` and ``revkit batch`` write, once with ``--lang en`` and once with
``--lang ru``, and saves the first screen of each as
``reports/screenshots/<lang>-<demo|batch>-<page>.png`` with ``browser-check.json``
beside them (what each page loaded and linked). Without Chromium everything here is
skipped (conftest).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from browser_helpers import check_page, find_chromium, launch
from conftest import DEMO_SLUGS

from revkit import messages
from revkit.paths import DEMO_BRAND, DEMO_CLIENTS_DIR

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "reports" / "screenshots"
RECORD = SCREENSHOTS / "browser-check.json"
LANGUAGES = messages.languages()
PORTFOLIO = "index.html"
# what `revkit demo` writes: every demo client, the first one branded, their portfolio;
# and `revkit batch demo_clients --brand <the demo brand>`: every client and the portfolio,
# branded
DEMO_PAGES = [f"{slug}/{slug}.html" for slug in DEMO_SLUGS] \
    + [f"branded/{DEMO_SLUGS[0]}/{DEMO_SLUGS[0]}.html", PORTFOLIO]
BATCH_PAGES = [f"{slug}/{slug}.html" for slug in DEMO_SLUGS] + [PORTFOLIO]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright, find_chromium())
        yield chromium
        chromium.close()


def _assert_clean(check) -> None:
    assert check.problems() == [], "\n".join(check.problems())


def _assert_all_seen(check, page: Path) -> None:
    """The browser saw every image and every ``#id`` link the file holds."""
    html = page.read_text(encoding="utf-8")
    assert check.images == html.count("<img ")
    assert check.anchor_links == html.count('href="#')


# ------------------------------------------------------------ the check itself can fail

DOT = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"  # 1×1
BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>broken</title>
<link rel="stylesheet" href="https://cdn.example.com/style.css">
<style>.bg { background-image: url("missing-background.png"); width: 10px; height: 10px }</style>
</head><body>
<h1 id="top">Top</h1>
<a href="#top">fine</a> <a href="#nowhere">dangling</a> <a href="#">empty</a>
<a href="sibling.html">sibling</a> <a href="sibling.html#there">sibling anchor</a>
<a href="sibling.html#gone">sibling lost anchor</a> <a href="absent.csv">absent</a>
<a href="https://example.com/source">an external source</a>
<img alt="fine" src="{dot}">
<img alt="missing" src="missing.png">
<div class="bg"></div>
<svg width="20" height="20"><rect width="20" height="20"/></svg>
<svg width="20" height="20" aria-label="nothing drawn"></svg>
<svg width="20" height="20"><image href="missing.svg" width="20" height="20"/></svg>
<svg width="200" height="40" aria-label="crowded"><text x="150" y="15">runs off the edge</text>
<text x="0" y="35">one label</text><text x="10" y="35">another label</text></svg>
<div style="width: 2000px">too wide</div>
<script>console.error("boom");</script>
<script>throw new Error("bang");</script>
</body></html>
""".replace("{dot}", DOT)


def test_the_check_records_every_kind_of_problem(browser, tmp_path):
    (tmp_path / "sibling.html").write_text('<p id="there">here</p>', encoding="utf-8")
    page = tmp_path / "broken.html"
    page.write_text(BROKEN_PAGE, encoding="utf-8")

    check = check_page(browser, page)

    assert check.blocked_requests == ["https://cdn.example.com/style.css"]
    assert sorted(request.split(" ")[0] for request in check.failed_requests) == [
        (tmp_path / name).as_uri()
        for name in ("missing-background.png", "missing.png", "missing.svg")]
    assert "boom" in " ".join(check.console_errors)
    assert any("bang" in error for error in check.page_errors)
    assert [b.split(" ")[0] for b in check.broken_images] == ["img", "svg", "css"]
    assert check.empty_svgs == ["'nothing drawn'"]
    assert check.clipped_texts == ["runs off the edge (in crowded)"]
    assert check.overlapping_texts == ["one label / another label (in crowded)"]
    assert check.sideways_scroll == ["728 px wider than a 1280 px window"]  # 8 px margin + 2000
    assert check.missing_anchors == ["#nowhere ('dangling')", "# ('empty')"]
    assert check.missing_files == [
        "sibling.html#gone: no id 'gone' in sibling.html",
        f"absent.csv → {tmp_path / 'absent.csv'}"]
    assert (check.images, check.svgs, check.anchor_links, check.file_links) == (4, 4, 3, 4)
    assert check.external_links == ["https://example.com/source"]


def test_a_clean_page_has_no_problems(browser, tmp_path):
    page = tmp_path / "clean.html"
    page.write_text('<!DOCTYPE html><html lang="en"><title>clean</title><h1 id="a">A</h1>'
                    f'<a href="#a">up</a><img alt="dot" src="{DOT}"></html>', encoding="utf-8")
    shot = tmp_path / "clean.png"

    check = check_page(browser, page, screenshot=shot)

    _assert_clean(check)
    assert (check.images, check.anchor_links, check.title) == (1, 1, "clean")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------ one report, in make test

def test_a_report_and_its_portfolio_open_clean(browser, tmp_path):
    from revkit.portfolio.build import build_portfolio
    from revkit.report.run import run_client

    run_client(DEMO_CLIENTS_DIR / "helix-cloud", tmp_path, "html")
    # in Russian, whose longer labels once ran off the portfolio's charts and page
    build_portfolio(tmp_path, lang="ru")

    report = check_page(browser, tmp_path / "helix-cloud" / "helix-cloud.html")
    portfolio = check_page(browser, tmp_path / PORTFOLIO)

    _assert_clean(report)
    _assert_clean(portfolio)
    _assert_all_seen(report, tmp_path / "helix-cloud" / "helix-cloud.html")
    assert report.images == 9 and report.anchor_links == 17  # its charts, its contents
    assert portfolio.svgs == 3 and portfolio.file_links == 2  # the report and portfolio.csv


# ------------------------------------------------------------ every page, make test-browser

@pytest.fixture(scope="session")
def written(tmp_path_factory):
    """``written(lang, kind)`` → the folder ``revkit demo`` or ``revkit batch`` wrote with
    ``--lang lang`` (made once per session)."""
    from revkit.batch.runner import run_batch
    from revkit.portfolio.build import build_portfolio
    from revkit.report.run import run_demo

    folders: dict[tuple[str, str], Path] = {}

    def _written(lang: str, kind: str) -> Path:
        if (lang, kind) not in folders:
            out = tmp_path_factory.mktemp(f"{lang}-{kind}")
            if kind == "demo":
                run_demo(out, "html", lang=lang)
                build_portfolio(out)  # as `revkit demo` does after the reports
            else:
                summary = run_batch(DEMO_CLIENTS_DIR, out, jobs=2, formats=("html",),
                                    lang=lang, brand=DEMO_BRAND)
                assert not summary.failed
            folders[lang, kind] = out
        return folders[lang, kind]

    return _written


@pytest.fixture(scope="session")
def record():
    """Every page's check, written to ``reports/screenshots/browser-check.json`` at the end."""
    checks: dict[str, dict] = {}
    yield checks
    if checks:
        RECORD.write_text(json.dumps(dict(sorted(checks.items())), ensure_ascii=False,
                                     indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def screenshots():
    """A fresh ``reports/screenshots/``, so every file in it comes from this run."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


def _screenshot_name(lang: str, kind: str, page: str) -> str:
    stem = "portfolio" if page == PORTFOLIO else page.rsplit("/", 1)[0].replace("/", "-")
    return f"{lang}-{kind}-{stem}.png"


@pytest.mark.browser(full=True)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind, page", [("demo", p) for p in DEMO_PAGES]
                         + [("batch", p) for p in BATCH_PAGES])
def test_every_page_opens_clean(browser, written, record, screenshots, lang, kind, page):
    folder = written(lang, kind)
    name = _screenshot_name(lang, kind, page)

    check = check_page(browser, folder / page, name=f"{lang}/{kind}/{page}",
                       screenshot=screenshots / name)
    record[check.page] = check.record()

    _assert_clean(check)
    assert check.lang == lang
    assert (screenshots / name).stat().st_size > 10_000  # a drawn screen, not a blank one
    if page == PORTFOLIO:
        # the charts, the link to portfolio.csv and one to every client's report
        assert check.svgs == 3 and check.file_links == len(DEMO_SLUGS) + 1
    else:
        assert check.images >= 9 and check.anchor_links >= 15  # its charts, its contents
    _assert_all_seen(check, folder / page)
