"""Shared fixtures: demo clients copied into a temporary folder, a CLI runner; the
hypothesis profile (``property_profiles``)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from property_profiles import load as load_hypothesis_profile

from revkit.cli.commands import cli
from revkit.paths import DEMO_CLIENTS_DIR

DEMO_SLUGS = sorted(p.name for p in DEMO_CLIENTS_DIR.iterdir() if (p / "profile.yaml").is_file())


def pytest_addoption(parser):
    parser.addoption("--long", action="store_true", default=False,
                     help="also run the long property runs (marked 'long'; make test-long)")
    parser.addoption("--browser", action="store_true", default=False,
                     help="also run the full real-browser check (marked 'browser(full=True)'; "
                          "make test-browser)")


def pytest_configure(config):
    config.addinivalue_line("markers", "long: a long property run, only with --long")
    config.addinivalue_line(
        "markers", "browser: opens pages in headless Chromium, skipped when none is found; "
                   "browser(full=True): every demo page in every language, only with --browser")
    config.addinivalue_line("markers", "properties: hypothesis property tests (bounded in "
                            "make test, thousands of examples in make test-long)")
    # hypothesis: seeded and bounded for make test, thousands of examples with --long
    load_hypothesis_profile(config.getoption("--long"),
                            config.getoption("hypothesis_profile", default=None))


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--long"):
        skip = pytest.mark.skip(reason="a long run: give --long (make test-long)")
        for item in items:
            if "long" in item.keywords:
                item.add_marker(skip)
    _skip_browser_checks(config, [item for item in items if item.get_closest_marker("browser")])


def _skip_browser_checks(config, items) -> None:
    """No Chromium: every browser test is skipped, saying how to get one. Without
    --browser: the full check (about two minutes) is left to ``make test-browser``."""
    if not items:
        return
    from browser_helpers import find_chromium

    missing = None
    if importlib.util.find_spec("playwright") is None:
        missing = "Playwright is not installed: pip install -e '.[dev]'"
    elif find_chromium() is None:
        missing = ("no Chromium found (chromium on PATH or $REVKIT_CHROMIUM): make "
                   "test-browser installs Debian's chromium and runs the browser check")
    if missing:
        skip = pytest.mark.skip(reason=missing)
        for item in items:
            item.add_marker(skip)
        return
    if config.getoption("--browser"):
        return
    skip = pytest.mark.skip(reason="the full browser check (every demo report and portfolio, "
                                   "en and ru): make test-browser")
    for item in items:
        if item.get_closest_marker("browser").kwargs.get("full"):
            item.add_marker(skip)


@pytest.fixture
def copy_demo(tmp_path):
    """``copy_demo(slug)`` → a writable copy of a demo client folder."""

    def _copy(slug: str = "helix-cloud") -> Path:
        target = tmp_path / slug
        shutil.copytree(DEMO_CLIENTS_DIR / slug, target)
        return target

    return _copy


@pytest.fixture
def run_cli():
    """``run_cli(*args)`` → click result; fails the test on an unexpected exception."""

    def _run(*args):
        result = CliRunner().invoke(cli, [str(a) for a in args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return _run
