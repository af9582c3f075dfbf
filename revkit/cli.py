"""Command-line interface: each command translates its arguments into one library call.

Errors the kit raises on purpose (``RevkitError``) become a message on stderr
and their exit code (2 for bad input, 1 for a failed run), never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from revkit import __version__
from revkit.errors import RevkitError, ValidationFailed


class _Group(click.Group):
    """Maps the kit's errors to messages and exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            click.echo(exc.summary(), err=True)
            ctx.exit(exc.exit_code)
        except RevkitError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="revkit")
def cli() -> None:
    """revkit — RevOps maturity assessment: validate, score and report a client."""


def main() -> None:
    cli(prog_name="revkit")


# ---------------------------------------------------------------- intake commands

@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def validate(path: Path, as_json: bool) -> None:
    """Check a client folder or workbook; list every problem (exit 2 if invalid)."""
    from revkit.console import print_validation
    from revkit.validate import check_client

    client, problems = check_client(path)
    print_validation(path, client, problems, as_json=as_json)
    if client is None:
        sys.exit(2)


@cli.command()
@click.argument("slug")
@click.option("--excel", is_flag=True, help="Write an Excel workbook instead of a folder.")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=Path("."),
              show_default=True, help="Where to write the intake.")
def init(slug: str, excel: bool, directory: Path) -> None:
    """Write a ready-to-fill intake for a new client."""
    from revkit.init import write_intake

    path = write_intake(slug, directory, excel=excel)
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("name", type=click.Choice(["questions", "metrics", "handoffs", "teams",
                                           "functions", "entities"]))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
def catalog(name: str, fmt: str) -> None:
    """Print a shipped catalog (a questionnaire for consultants, data for scripts)."""
    from revkit import catalog as catalogs

    click.echo(catalogs.render(name, fmt), nl=False)


# ---------------------------------------------------------------- scoring commands


# ---------------------------------------------------------------- report commands


# ---------------------------------------------------------------- batch commands
