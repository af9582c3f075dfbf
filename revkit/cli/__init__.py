"""The ``revkit`` command line."""

from revkit.cli.commands import cli, main

__all__ = ["cli", "main"]
