"""Valid client folders made from a demo client, for tests that need several clients."""

from __future__ import annotations

import shutil

import yaml

from revkit.paths import DEMO_CLIENTS_DIR


def demo_copy(root, slug, demo="nordkraft-tools", name=None):
    """A valid client folder ``root/slug`` made from a demo client."""
    folder = root / slug
    shutil.copytree(DEMO_CLIENTS_DIR / demo, folder)
    profile = yaml.safe_load((folder / "profile.yaml").read_text())
    profile.update(slug=slug, name=name or f"Client {slug}")
    (folder / "profile.yaml").write_text(yaml.safe_dump(profile, sort_keys=False))
    return folder


def demo_copies(root, count=3):
    """``count`` copies of nordkraft-tools, ``client-0`` …, in ``root``; returns ``root``."""
    for i in range(count):
        demo_copy(root, f"client-{i}", name=f"Client {i}")
    return root
