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


def _as_of(value: str | None):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of: '{value}' is not a date (a date as YYYY-MM-DD, e.g. 2025-06-30)") from None


@main.command()
@records_option
@click.argument("kind", required=False, type=click.Choice(["department", "country", "partner"]))
@click.argument("key", required=False)
@click.option("--all", "build_all", is_flag=True, help="The department, every partner country and every partner organization.")
@click.option("--language", type=click.Choice(["en", "mn"]), default="en", show_default=True, help="The language of the sheets.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="out",
    show_default=True,
    help="Output folder (sheets go into its factsheets/ folder).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="The date the sheets are made for (default: today): it is printed, and decides what 'expiring within a year' means.",
)
def factsheet(records_dir: Path, kind: str | None, key: str | None, build_all: bool, language: str, out_dir: Path, as_of: str | None):
    """Write fact sheets (PDF and DOCX) from the records.

    \b
    Examples:
      irdocs factsheet department                   out/factsheets/department.pdf and .docx
      irdocs factsheet country JP                   out/factsheets/countries/jp.pdf and .docx
      irdocs factsheet partner yonsei-university    out/factsheets/partners/yonsei-university.pdf and .docx
      irdocs factsheet --all                        all of them
      irdocs factsheet department --language mn     out/factsheets/mn/department.pdf and .docx
    """
    import time

    from .factsheets import all_sheets, build_factsheets, find_sheet
    from .present import TerminalReporter

    if build_all == bool(kind):
        raise UsageError("say which fact sheet: 'irdocs factsheet department', 'country CODE', 'partner ID', or '--all'")
    if kind in ("country", "partner") and not key:
        raise UsageError(f"'irdocs factsheet {kind}' needs the {'country code, e.g. JP' if kind == 'country' else 'partner id, e.g. yonsei-university'}")
    if kind == "department" and key:
        raise UsageError(f"'irdocs factsheet department' takes no '{key}'")
    records = _load(records_dir)
    sheets = all_sheets(records) if build_all else [find_sheet(records, kind, key or "")]
    started = time.perf_counter()
    result = build_factsheets(records, sheets, out_dir, language, _as_of(as_of), TerminalReporter())
    seconds = time.perf_counter() - started
    written = len(result.built)
    folder = out_dir / "factsheets" / ("" if language == "en" else language)
    click.echo(
        f"Wrote {written} file{'s' if written != 1 else ''} ({len(sheets)} fact sheet{'s' if len(sheets) != 1 else ''}, PDF and DOCX) to {str(folder).rstrip('/')} "
        f"in {seconds:.1f} s ({seconds / len(sheets):.2f} s per sheet)."
    )
    if not result.ok:  # the reporter has named each failure with its message
        click.echo(f"{len(result.failed)} file{'s' if len(result.failed) != 1 else ''} could not be made.", err=True)
        sys.exit(1)


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


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
