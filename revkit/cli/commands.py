"""Command-line interface: each command translates its arguments into one library call.

Errors the kit raises on purpose (``RevkitError``) become a message on stderr
and their exit code (2 for bad input, 1 for a failed run), never a traceback.
Anything else is a defect of the kit: one line saying so, with the detail, exit 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from revkit import __version__
from revkit.errors import InvalidFile, KitError, RevkitError
from revkit.messages import DEFAULT_LANGUAGE, languages

# --lang: the shipped message catalogs (revkit/data/messages/<lang>/)
LANG = click.Choice(languages())


class _Group(click.Group):
    """Maps the kit's errors to messages and exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InvalidFile as exc:
            click.echo(exc.summary(), err=True)
            ctx.exit(exc.exit_code)
        except RevkitError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # a defect of the kit: say so, without a traceback
            error = KitError(_where(exc))
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)


def _where(exc: BaseException) -> str:
    """``Type: message (file:line)`` of an unexpected exception, for the bug report."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if "revkit" in f.filename] or frames
    where = f" ({Path(inside[-1].filename).name}:{inside[-1].lineno})" if inside else ""
    return f"{type(exc).__name__}: {exc}{where}"


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
@click.option("--methodology", type=click.Path(path_type=Path), default=None,
              help="Also check this methodology file.")
def validate(path: Path, as_json: bool, methodology: Path | None) -> None:
    """Check a client folder or workbook (and a methodology file); list every problem
    (exit 2 if any is invalid)."""
    from revkit.cli.console import print_validation
    from revkit.intake.validate import check_client

    client, problems = check_client(path)
    method = None
    if methodology:
        from revkit.method.methodology import file_problems

        method = (methodology, file_problems(methodology))
    print_validation(path, client, problems, as_json=as_json, methodology=method)
    if client is None or (method and method[1]):
        sys.exit(2)


@cli.command()
@click.argument("slug")
@click.option("--excel", is_flag=True, help="Write an Excel workbook instead of a folder.")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=Path("."),
              show_default=True, help="Where to write the intake.")
@click.option("--lang", type=LANG, default=DEFAULT_LANGUAGE, show_default=True,
              help="Language of the instructions, descriptions and questions (ids, column "
                   "and sheet names stay the same).")
def init(slug: str, excel: bool, directory: Path, lang: str) -> None:
    """Write a ready-to-fill intake for a new client."""
    from revkit.intake.authoring.init import write_intake

    path = write_intake(slug, directory, excel=excel, lang=lang)
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("name", type=click.Choice(["questions", "metrics", "handoffs", "teams",
                                           "functions", "entities"]))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
@click.option("--lang", type=LANG, default=DEFAULT_LANGUAGE, show_default=True,
              help="Language of the names, texts and questions (ids stay the same).")
def catalog(name: str, fmt: str, lang: str) -> None:
    """Print a shipped catalog (a questionnaire for consultants, data for scripts)."""
    from revkit import catalog as catalogs

    click.echo(catalogs.render(name, fmt, lang), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md",
              show_default=True)
def contracts(fmt: str) -> None:
    """Print the intake contracts (columns, types, allowed values)."""
    if fmt == "md":
        from revkit.intake.authoring.contract_docs import render_markdown

        click.echo(render_markdown(), nl=False)
    else:
        import dataclasses
        import json

        from revkit.intake import contracts as contract_module

        data = {t: dataclasses.asdict(c) for t, c in contract_module.all_contracts().items()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


# ---------------------------------------------------------------- scoring commands

@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print the full result (results.json) as JSON; nothing else on stdout.")
@click.option("--methodology", type=click.Path(path_type=Path), default=None,
              help="A methodology file to score with instead of the shipped one.")
def score(path: Path, as_json: bool, methodology: Path | None) -> None:
    """Score a client: scores, levels, verdict, factors, flip condition and roadmap."""
    import json

    from revkit.cli.console import score_summary
    from revkit.method.assess import assess_path

    results = assess_path(path, methodology)
    from revkit import messages
    from revkit.report.words import problem_text

    for warning in results["warnings"]:
        click.echo(f"warning: {problem_text(messages.get('en'), warning)}", err=True)
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        click.echo("\n".join(score_summary(results)))


# ---------------------------------------------------------------- report commands

def _languages() -> list[str]:
    from revkit import messages

    return messages.languages()


LANG_OPTION = click.option(
    "--lang", type=click.Choice(_languages()), default=None,
    help="The report's language (default: the profile's report_language, else en).")
CELL_TIMEOUT_OPTION = click.option(
    "--cell-timeout", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
    help="How long one notebook cell may run before the client's run fails (default: "
         "$REVKIT_CELL_TIMEOUT, else 600; 0: no limit).")
BRAND_OPTION = click.option(
    "--brand", type=click.Path(path_type=Path), default=None,
    help="A brand.yaml: the consultancy's name, logo, colours and page lines "
         "(default: $REVKIT_BRAND; see docs/brand.md).")


def brand_path(path: Path | None) -> Path | None:
    """--brand, else $REVKIT_BRAND, else none (a batch checks it once, up front)."""
    from revkit.report.brand import resolve

    return resolve(path)


def _brand(path: Path | None):
    """The brand to use: --brand, else $REVKIT_BRAND, else none (checked here, once)."""
    from revkit.report.brand import load_optional

    return load_optional(path)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports"),
              show_default=True, help="Reports root; files go to OUT/<slug>/.")
@click.option("--formats", default="html,pdf", show_default=True,
              help="Report formats, comma-separated (html, pdf, pptx).")
@click.option("--methodology", type=click.Path(path_type=Path), default=None,
              help="A methodology file to score with instead of the shipped one.")
@click.option("--previous", type=click.Path(path_type=Path), default=None,
              help="results.json of an earlier assessment of this client: the report shows "
                   "the progress since, and the earlier result is kept in history/.")
@LANG_OPTION
@BRAND_OPTION
@CELL_TIMEOUT_OPTION
def run(path: Path, out: Path, formats: str, methodology: Path | None,
        previous: Path | None, lang: str | None, brand: Path | None,
        cell_timeout: float | None) -> None:
    """Validate, score and write the HTML/PDF report of one client."""
    from revkit.report.run import run_client

    result = run_client(path, out, formats, methodology, previous=previous, lang=lang,
                        brand=_brand(brand), cell_timeout=cell_timeout)
    click.echo(f"{result.slug}: {result.verdict}, level {result.level} → {result.out_dir} "
               f"({result.seconds:.1f} s)")


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports"),
              show_default=True, help="Reports root; files go to OUT/<slug>/.")
@click.option("--formats", default="html,pdf", show_default=True,
              help="Comma-separated: html, pdf, pptx.")
@LANG_OPTION
@BRAND_OPTION
def demo(out: Path, formats: str, lang: str | None, brand: Path | None) -> None:
    """Write the reports of every demo client, and their portfolio view."""
    from revkit.portfolio.build import build_portfolio
    from revkit.report.run import run_demo

    for result in run_demo(out, formats, lang=lang, brand=_brand(brand)):
        click.echo(f"{result.slug}: {result.verdict}, level {result.level} → {result.out_dir} "
                   f"({result.seconds:.1f} s)")
    for path in build_portfolio(out):
        click.echo(f"wrote {path}")


# ---------------------------------------------------------------- batch commands

@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@click.option("--shard", default=None, metavar="I/N",
              help="Run only shard I of N (1-based), e.g. for a CI matrix.")
@click.option("--force", is_flag=True, help="Re-run clients whose inputs are unchanged.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("reports"),
              show_default=True, help="Reports root; each client goes to OUT/<slug>/.")
@click.option("--formats", default="html,pdf", show_default=True,
              help="Report formats, comma-separated (html, pdf, pptx).")
@click.option("--methodology", type=click.Path(path_type=Path), default=None,
              help="Methodology file (default: the shipped one).")
@click.option("--engine", type=click.Choice(["warm", "fresh"]), default="warm",
              show_default=True,
              help="warm: each worker reuses one kernel, reset between clients; "
                   "fresh: a new kernel per client.")
@LANG_OPTION
@BRAND_OPTION
@click.option("--executor", default="local", show_default=True,
              help="Where the clients run (see docs/batch.md): local (worker processes on "
                   "this machine) or dask (a Dask cluster; pip install 'revkit[dask]').")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="With --executor dask: the scheduler of a running cluster (without it, a "
                   "local cluster of --jobs workers).")
@click.option("--prune", is_flag=True,
              help="Delete the report folders of clients no longer under DIRECTORY (only "
                   "folders a batch recorded).")
@CELL_TIMEOUT_OPTION
def batch(directory: Path, jobs: int | None, shard: str | None, force: bool, out: Path,
          formats: str, methodology: Path | None, engine: str, lang: str | None,
          brand: Path | None, executor: str, scheduler: str | None, prune: bool,
          cell_timeout: float | None) -> None:
    """Run every client under DIRECTORY in parallel; skip unchanged ones; exit 1 if any fails."""
    from rich.console import Console

    from revkit.batch.plan import parse_shard
    from revkit.batch.runner import run_batch, summary_table
    from revkit.errors import UsageError
    from revkit.report.writers import parse_formats

    if scheduler and executor != "dask":
        raise UsageError(f"--scheduler is for --executor dask (got --executor {executor})")
    console = Console(stderr=True)
    try:
        summary = run_batch(directory, out, jobs=jobs, shard=parse_shard(shard), force=force,
                            formats=parse_formats(formats), methodology=methodology,
                            engine=engine, executor=executor,
                            executor_options={"scheduler": scheduler} if scheduler else None,
                            progress=console.is_terminal, prune=prune, lang=lang,
                            brand=brand_path(brand), cell_timeout=cell_timeout,
                            echo=lambda message: click.echo(message, err=True))
    except KeyboardInterrupt:
        click.echo("batch interrupted: finished clients are kept; run the same command "
                   "again to continue where it stopped", err=True)
        sys.exit(130)
    # a log or CI capture gets full-width rows, not a table wrapped at 80 columns
    Console(width=None if sys.stdout.isatty() else 160).print(summary_table(summary))
    for report in summary.stale:
        click.echo(f"{'pruned' if report.pruned else 'left out of the portfolio'}: "
                   f"{out / report.client} ({report.reason})")
    if any(not r.pruned for r in summary.stale):
        click.echo("  (revkit batch --prune removes the report folders of clients no longer "
                   "in the input)")
    click.echo(f"summary: {out / summary.path.name}; portfolio: {out / 'index.html'}")
    if summary.failed:
        sys.exit(1)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@LANG_OPTION
@BRAND_OPTION
def portfolio(directory: Path, lang: str | None, brand: Path | None) -> None:
    """Rebuild DIRECTORY/index.html and portfolio.csv from every */results.json in it; merge
    the shards' summary-I-of-N.json files into summary.json."""
    from revkit.batch.summaries import left_out, merge_shard_summaries
    from revkit.portfolio.build import build_portfolio

    merged = merge_shard_summaries(directory)
    if merged is not None:
        click.echo(f"wrote {merged}")
    for path in build_portfolio(directory, leave_out=left_out(directory), lang=lang,
                                brand=_brand(brand)):
        click.echo(f"wrote {path}")
