"""Every path the kit uses, derived in one place.

From a checkout the resources are the repository's top-level folders; from a
built wheel they are bundled under ``revkit/_resources``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
CATALOG_DIR = DATA_DIR / "catalog"
_BUNDLED = PACKAGE_DIR / "_resources"
_CHECKOUT = PACKAGE_DIR.parent


def _resource(name: str) -> Path:
    bundled = _BUNDLED / name
    return bundled if bundled.is_dir() else _CHECKOUT / name


CONTRACTS_DIR = _resource("data_contracts")
TEMPLATES_DIR = _resource("templates")
NOTEBOOKS_DIR = _resource("notebooks")
DEMO_CLIENTS_DIR = _resource("demo_clients")
DEFAULT_METHODOLOGY = DATA_DIR / "methodology.yaml"
DEMO_BRAND = DATA_DIR / "demo_brand" / "brand.yaml"  # the example brand of `revkit demo`
RESULTS_SCHEMA = DATA_DIR / "results.schema.json"
