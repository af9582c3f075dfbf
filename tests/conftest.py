"""Shared fixtures: demo clients copied into a temporary folder, a CLI runner; the
hypothesis profile (``property_profiles``)."""

from __future__ import annotations

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


def pytest_configure(config):
    config.addinivalue_line("markers", "long: a long property run, only with --long")
    config.addinivalue_line("markers", "properties: hypothesis property tests (bounded in "
                            "make test, thousands of examples in make test-long)")
    # hypothesis: seeded and bounded for make test, thousands of examples with --long
    load_hypothesis_profile(config.getoption("--long"),
                            config.getoption("hypothesis_profile", default=None))


def pytest_collection_modifyitems(config, items):
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="a long run: give --long (make test-long)")
    for item in items:
        if "long" in item.keywords:
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
