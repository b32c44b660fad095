"""The ``irdocs`` command: click only. Parses arguments, calls the library, prints results.

Heavy libraries (pydantic, WeasyPrint, docxtpl) are imported inside the commands that need
them, so ``irdocs --help`` answers at once.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import IrdocsError, UsageError

RECORDS_ENV = "IRDOCS_RECORDS"
TEMPLATES_ENV = "IRDOCS_TEMPLATES"
#: The templates shipped with irdocs (the repository's templates/ folder).
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def templates_option(command):
    """``--templates DIR``: the document designs, defaulting to $IRDOCS_TEMPLATES or irdocs' own."""
    return click.option(
        "--templates",
        "templates_dir",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        envvar=TEMPLATES_ENV,
        default=DEFAULT_TEMPLATES,
        show_default="irdocs' templates",
        help=f"The folder of document templates (or set {TEMPLATES_ENV}).",
    )(command)


def out_option(command):
    return click.option(
        "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default="out", show_default=True, help="Where the documents are written."
    )(command)


def parse_where(values: tuple[str, ...]) -> dict[str, list[str]]:
    """``--where title=honorary-doctorate --where year=2024`` as {'title': [...], 'year': [...]}."""
    where: dict[str, list[str]] = {}
    for value in values:
        key, sep, wanted = value.partition("=")
        if not sep or not key.strip() or not wanted.strip():
            raise UsageError(f"--where '{value}': write it as FIELD=VALUE, e.g. --where country=JP")
        where.setdefault(key.strip(), []).append(wanted.strip())
    return where


def records_option(command):
    """``--records DIR`` on every command, defaulting to $IRDOCS_RECORDS or ./records."""

    @click.option(
        "--records",
        "records_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=RECORDS_ENV,
        default="records",
        show_default=True,
        help=f"The records folder to use (or set {RECORDS_ENV}).",
    )
    @functools.wraps(command)
    def wrapper(*args, records_dir: Path, **kwargs):
        if not records_dir.is_dir():
            raise UsageError(f"records folder '{records_dir}' not found; give the right one with --records DIR, or create one with 'irdocs init {records_dir}'")
        return command(*args, records_dir=records_dir, **kwargs)

    return wrapper


class IrdocsGroup(click.Group):
    """Turns irdocs errors into a message on stderr and the error's exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except IrdocsError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_code)


@click.group(cls=IrdocsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="irdocs")
def main():
    """irdocs: documents of the Department for International Relations from its records.

    \b
    Start here:
      irdocs check            are the records correct?
      irdocs stats            the department's figures
      irdocs init my-records  a new, empty records folder
    """


def _load(records_dir: Path):
    from .validate import load_records

    return load_records(records_dir)


@main.command()
@records_option
def check(records_dir: Path):
    """Check every record file and list all problems at once.

    Exit code 0 when the records are correct, 1 when something must be fixed.

    \b
    Example:
      irdocs check --records records
    """
    records = _load(records_dir)
    click.echo(
        f"{records_dir}: records are correct: {len(records.partners)} partners, {len(records.agreements)} agreements, {len(records.honorees)} honorary titles."
    )


@main.command()
@records_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON for other programs.")
def stats(records_dir: Path, as_json: bool):
    """Show the department's figures, computed from the records.

    \b
    Example:
      irdocs stats
      irdocs stats --json > figures.json
    """
    from .stats import overview

    figures = overview(_load(records_dir))
    if as_json:
        click.echo(json.dumps(figures.as_json(), ensure_ascii=False, indent=2))
        return
    from .present import print_overview

    print_overview(figures)


@main.command(name="import")
@records_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "what", type=click.Choice(["honorees", "partners"]), required=True, help="What the rows are.")
def import_command(records_dir: Path, file: Path, what: str):
    """Add the rows of an Excel sheet (.xlsx) or CSV file to the records.

    Every row is checked first; nothing is added unless all rows are correct.

    \b
    Example:
      irdocs import new-titles-2025.xlsx --as honorees
    """
    from .importer import import_file

    count, _ = import_file(records_dir, file, what)
    click.echo(f"Added {count} {what if count != 1 else what[:-1]} to {records_dir}.")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder: Path):
    """Create a new records folder with commented examples.

    \b
    Example:
      irdocs init my-records
      irdocs check --records my-records
    """
    from .scaffold import init_records

    for path in init_records(folder):
        click.echo(f"created {path}")
    click.echo(f"Next: edit the files, then run: irdocs check --records {folder}")


BUILD_KINDS = ("certificates", "agreements", "factsheets")


@main.command()
@records_option
@templates_option
@out_option
@click.argument("kinds", nargs=-1, type=click.Choice(BUILD_KINDS))
@click.option(
    "--where", "where", multiple=True, metavar="FIELD=VALUE", help="Only documents whose FIELD is VALUE (title, year, country, partner, ceremony, kind...)."
)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Worker processes (default: one per processor core).")
@click.option("--force", is_flag=True, help="Rebuild every document, even those that are up to date.")
@click.option("--dry-run", is_flag=True, help="Only say what would be built or removed.")
@click.option("--verbose", "-v", is_flag=True, help="Also list the documents that are up to date.")
def build(records_dir: Path, templates_dir: Path, out_dir: Path, kinds: tuple[str, ...], where, jobs, force, dry_run, verbose):
    """Write every document the records imply into out/, rebuilding only what changed.

    Without KINDS, builds certificates, agreements and fact sheets. A record with a problem
    fails alone: everything else is built, and the summary names what failed (exit code 1).

    \b
    Examples:
      irdocs build                           everything
      irdocs build certificates --where ceremony=ceremony-2026-10
      irdocs build factsheets --force --jobs 2
    """
    from .build import BuildOptions
    from .build import build as run_build
    from .present import TerminalReporter, print_build_summary
    from .validate import load_records_partial

    selected = parse_where(where)
    records, problems = load_records_partial(records_dir)
    options = BuildOptions(
        records_dir=records_dir,
        templates_dir=templates_dir,
        out_dir=out_dir,
        kinds=kinds or BUILD_KINDS,
        jobs=jobs or os.cpu_count() or 1,
        force=force,
        dry_run=dry_run,
        select=(lambda document: document.matches(selected)) if selected else None,
    )
    result = run_build(records, options, TerminalReporter(verbose=verbose), problems=problems)
    print_build_summary(result, dry_run=dry_run)
    if result.failed:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
