"""The ``irdocs`` command: click only. Parses arguments, calls the library, prints results.

Heavy libraries (pydantic, WeasyPrint, docxtpl) are imported inside the commands that need
them, so ``irdocs --help`` answers at once.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import sys
from pathlib import Path

import click

from .. import __version__, default_templates
from ..errors import IrdocsError, UsageError, storage_error

RECORDS_ENV = "IRDOCS_RECORDS"
TEMPLATES_ENV = "IRDOCS_TEMPLATES"
#: The templates shipped with irdocs (the repository's templates/ folder).
DEFAULT_TEMPLATES = default_templates()


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
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default="out",
        show_default=True,
        help="Where the documents are written (in its certificates/, agreements/, factsheets/ folders).",
    )(command)


def records_click_option(help_text: str):
    """The ``--records DIR`` option itself (default $IRDOCS_RECORDS or ./records), with its help text."""
    return click.option(
        "--records",
        "records_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=RECORDS_ENV,
        default="records",
        show_default=True,
        help=help_text,
    )


def records_option(command):
    """``--records DIR`` on every command, defaulting to $IRDOCS_RECORDS or ./records."""

    @records_click_option(f"The records folder to use (or set {RECORDS_ENV}).")
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
        except (OSError, sqlite3.OperationalError) as exc:  # the last net: never a traceback
            if isinstance(exc, BrokenPipeError):  # output piped into a program that stopped reading
                sys.exit(1)
            click.echo(str(storage_error(exc, doing="cannot be used")), err=True)
            sys.exit(1)


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


def _load(records_dir: Path, targets=frozenset()):
    """The valid records: a problem that leaves out one of ``targets`` (see ``irdocs.records.partial``) stops
    the command (exit 1, every problem named); any other is printed as a warning."""
    from ..errors import RecordsError
    from ..records.partial import usable
    from ..records.validate import load_records_partial

    records, problems = load_records_partial(records_dir)
    if targets is None and problems:
        raise RecordsError(problems)
    records, others = usable(records, problems, targets or ())
    warn_problems(others)
    return records


def warn_problems(problems) -> None:
    """``warning: FILE:LINE: ...`` on stderr for each problem another command must fix, once per command."""
    from ..records.partial import warning_lines

    context = click.get_current_context(silent=True)
    shown = context.meta.setdefault("irdocs.warned", set()) if context else set()
    fresh = [p for p in problems if str(p) not in shown]
    shown.update(str(p) for p in fresh)
    for line in warning_lines(fresh):
        click.echo(line, err=True)


def warn_after_writing(records_dir: Path) -> None:
    """After a write into the records: the problems left in other files, as warnings."""
    from ..records.validate import load_records_partial

    warn_problems(load_records_partial(records_dir)[1])


@main.command()
@records_option
def check(records_dir: Path):
    """Check every record file and list all problems at once.

    Exit code 0 when the records are correct, 1 when something must be fixed.

    \b
    Example:
      irdocs check --records records
    """
    records = _load(records_dir, targets=None)
    click.echo(
        f"{records_dir}: records are correct: {len(records.partners)} partners, {len(records.agreements)} agreements, {len(records.honorees)} honorary titles."
    )
    from ..documents.certificates.context import mongol_warnings, name_warnings

    for message in [*mongol_warnings(records.institution), *name_warnings(records.honorees)]:
        click.echo(f"warning: {message}", err=True)


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
    from ..records.stats import overview

    figures = overview(_load(records_dir))  # a record with a problem is not counted: a warning names it
    if as_json:
        click.echo(json.dumps(figures.as_json(), ensure_ascii=False, indent=2))
        return
    from .present import print_overview

    print_overview(figures)


@main.command(name="import")
@records_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "what", type=click.Choice(["honorees", "partners", "agreements"]), help="What the rows are (else from the file's name).")
@click.option("--update", is_flag=True, help="Rows whose id exists update that record; new ids are added.")
@click.option("--delete-missing", is_flag=True, help="With --update: delete the records the sheet does not have.")
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
def import_command(records_dir: Path, file: Path, what: str | None, update: bool, delete_missing: bool, dry_run: bool):
    """Add the rows of an Excel sheet (.xlsx) or CSV file to the records.

    Every row is checked first; nothing is written unless all rows are correct. With --update
    (a sheet made by 'irdocs export' and edited), the differences are shown, then applied.

    \b
    Example:
      irdocs import new-titles-2025.xlsx --as honorees
      irdocs import honorees.xlsx --update
    """
    from ..records.importer import import_file
    from .records import show_plan, summary

    plan = import_file(records_dir, file, what, update=update, delete_missing=delete_missing, dry_run=dry_run, show=show_plan if update else None)
    click.echo(summary(plan, records_dir, dry_run))
    warn_after_writing(records_dir)


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
@templates_option
@click.argument("kind", required=False, type=click.Choice(["department", "country", "partner"]))
@click.argument("key", required=False)
@click.option("--all", "build_all", is_flag=True, help="The department, every partner country and every partner organization.")
@click.option(
    "--language",
    type=click.Choice(["en", "mn", "ja", "ko", "zh-Hans", "zh-Hant", "ru"]),  # irdocs.localize.SHEET_LANGUAGES
    default="en",
    show_default=True,
    help="The language of the sheets: en, mn, or for a delegation's country and partner sheets ja, ko, zh-Hans, zh-Hant, ru.",
)
@out_option
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="The date the sheets are made for (default: today): it is printed, and decides what 'expiring within a year' means.",
)
def factsheet(records_dir: Path, templates_dir: Path, kind: str | None, key: str | None, build_all: bool, language: str, out_dir: Path, as_of: str | None):
    """Write fact sheets (PDF and DOCX) from the records.

    \b
    Examples:
      irdocs factsheet department                   out/factsheets/department.pdf and .docx
      irdocs factsheet country JP                   out/factsheets/countries/jp.pdf and .docx
      irdocs factsheet partner yonsei-university    out/factsheets/partners/yonsei-university.pdf and .docx
      irdocs factsheet --all                        all of them
      irdocs factsheet department --language mn     out/factsheets/mn/department.pdf and .docx
    """
    from ..documents.document import Settings

    if build_all == bool(kind):
        raise UsageError("say which fact sheet: 'irdocs factsheet department', 'country CODE', 'partner ID', or '--all'")
    if kind in ("country", "partner") and not key:
        raise UsageError(f"'irdocs factsheet {kind}' needs the {'country code, e.g. JP' if kind == 'country' else 'partner id, e.g. yonsei-university'}")
    if kind == "department" and key:
        raise UsageError(f"'irdocs factsheet department' takes no '{key}'")
    if kind == "department" and language not in ("en", "mn"):
        raise UsageError(
            f"the department's fact sheet is in English and Mongolian only (--language en or mn); '{language}' is for a delegation's country and partner sheets"
        )
    named = {} if build_all else {"sheet": kind, **({kind: key} if key else {})}
    result = make_documents(records_dir, templates_dir, out_dir, ("factsheets",), Settings(language=language, date=_as_of(as_of)), named=named)
    report_documents(result, "file")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder: Path):
    """Create a new records folder with commented examples.

    \b
    Example:
      irdocs init my-records
      irdocs check --records my-records
    """
    from ..records.scaffold import init_records

    for path in init_records(folder):
        click.echo(f"created {path}")
    click.echo(f"Next: edit the files, then run: irdocs check --records {folder}")


BUILD_KINDS = ("certificates", "agreements", "factsheets")
AGREEMENT_LANGUAGES = ("en", "mn", "en+mn")  # irdocs.documents.agreements.kind.LANGUAGE_CHOICES, without importing it here
#: Documents listed one by one up to this many; a bigger batch gets a one-line summary.
LIST_LIMIT = 12


def make_documents(
    records_dir: Path,
    templates_dir: Path,
    out_dir: Path,
    kinds: tuple[str, ...],
    settings,
    where: tuple[str, ...] = (),
    named: dict | None = None,
    jobs: int = 1,
    force: bool = False,
    dry_run: bool = False,
    wait: float = 600,
    reporter=None,
    partial: bool = False,
):
    """Every command's one way to make documents: ``irdocs.build.make`` (the build engine), with
    the records read from ``records_dir``, shown with a progress bar."""
    from ..build import make, start_workers_early
    from ..records.validate import load_records_apart
    from .present import TerminalReporter

    start_workers_early(out_dir, jobs, force, dry_run, selected=bool(where or named))
    records, problems = load_records_apart(records_dir)
    left_out = bool(problems)
    if not partial:  # only the problems of the records asked for are this command's (irdocs.records.partial)
        from ..records.partial import for_documents

        problems, others, named = for_documents(records_dir, records, problems, kinds, where, named)
        warn_problems(others)
    return make(
        records,
        problems,
        templates_dir,
        out_dir,
        kinds,
        settings,
        where=where,
        named=named,
        jobs=jobs,
        force=force,
        dry_run=dry_run,
        wait=wait,
        reporter=reporter or TerminalReporter(),
        partial=True,
        left_out=left_out,
    )


def report_documents(result, noun: str, dry_run: bool = False) -> None:
    """What a command made: each file (up to LIST_LIMIT), then a count; failures on stderr, exit 1."""
    from ..errors import display_path

    made = result.documents
    if len(result.selected) <= LIST_LIMIT:
        fresh = {d.name for d in made}
        for document in result.selected:
            if document.name in fresh:
                click.echo(f"{'would write' if dry_run else 'wrote'} {display_path(result_path(result, document))}{_detail(document)}")
            elif not any(f.name == document.subject for f in result.failed):
                click.echo(f"up to date: {display_path(result_path(result, document))}{_detail(document)}")
    unchanged = len(result.unchanged)
    plural = "s" if len(made) != 1 else ""
    folders = {result_path(result, d).parent for d in result.selected}
    where = f" in {display_path(Path(os.path.commonpath(folders)))}" if folders else ""
    if not made and unchanged and not result.failed:
        click.echo(f"Nothing to make: {unchanged} {'is' if unchanged == 1 else 'are'} already up to date{where}.")
    elif made or not result.failed:
        click.echo(
            f"{len(made)} {noun}{plural}{where}{' would be written' if dry_run else ''}"
            + (f", {unchanged} already up to date" if unchanged else "")
            + (f", {len(result.removed)} removed" if result.removed else "")
            + "."
        )
    for old, aside in result.moved:
        click.echo(f"moved {display_path(old)} to {display_path(aside)}")
    for note in result.notes:
        click.echo(f"note: {note.message}", err=True)
    if not result.selected and not result.failed and not result.notes:
        click.echo("Nothing matches: no document to make.")
    if not result.selected and result.notes and not result.failed:
        sys.exit(1)  # what was asked for cannot be made (a revoked certificate): the note says why
    for failure in result.failed:
        named = failure.name.split()[-1] in failure.message if failure.name else True
        click.echo(failure.message if named else f"{failure.name}: {failure.message}", err=True)
    if result.failed:
        total = len(made) + len(result.failed)
        click.echo(f"{len(result.failed)} of {total} {noun}s could not be made.", err=True)
    report_state(result)
    if result.failed:
        sys.exit(1)


def report_state(result) -> None:
    """When the record of what was built could not be saved (a full disk): one line after each
    document's outcome, and exit 1 (the documents are written; the next run makes them again)."""
    if getattr(result, "state_error", ""):
        click.echo(f"{result.state_error} (the documents listed are written; until this is fixed, the next run makes them again)", err=True)
        sys.exit(1)


def result_path(result, document) -> Path:
    """Where the document is (or would be) in the output folder."""
    return result.out_dir / document.name


def _detail(document) -> str:
    """': hd-2024-001 (MNUMS-HD-2024-0001, new serial)' for a certificate; '' for other documents."""
    payload = document.payload
    if document.kind == "certificates" and document.after:
        return f": {len(document.after)} certificates of {document.context['ceremony']}, ready to print"
    if document.kind == "certificates":
        return f": {payload.honoree.id} ({payload.serial}, {'new serial' if payload.new else 'reprint'})"
    return ""


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
@click.option("--dry-run", is_flag=True, help="Only say what would be built or removed: nothing is written, no serial is issued.")
@click.option("--verbose", "-v", is_flag=True, help="Also list the documents that are up to date.")
@click.option("--date", "on", metavar="YYYY-MM-DD", help="The date printed on agreement drafts and fact sheets (default: today, or $SOURCE_DATE_EPOCH).")
@click.option(
    "--wait",
    type=click.FloatRange(0),
    default=600,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another build writing into the same folder.",
)
def build(records_dir: Path, templates_dir: Path, out_dir: Path, kinds: tuple[str, ...], where, jobs, force, dry_run, verbose, on, wait):
    """Write every document the records imply into out/, rebuilding only what changed.

    Without KINDS, builds certificates, agreements and fact sheets. A record with a problem
    fails alone: everything else is built, and the summary names what failed (exit code 1).

    \b
    Examples:
      irdocs build                           everything
      irdocs build certificates --where ceremony=ceremony-2026-10
      irdocs build certificates --where country=jp --where title=HD --dry-run
      irdocs build factsheets --force --jobs 2
    """
    from .. import noop

    kinds = kinds or BUILD_KINDS
    whole = not where and not dry_run
    if whole:
        # a whole build with nothing to do answers without reading the records (irdocs/noop.py)
        current, key = (None, None) if force or verbose else noop.up_to_date(records_dir, templates_dir, out_dir, kinds, on)
        if current is not None:
            click.echo(f"0 built, {current} up to date, 0 failed, 0 removed.")
            return
        noop.expect(key or noop.inputs_key(records_dir, templates_dir, out_dir, kinds, on), records_dir, templates_dir, out_dir, kinds, on)
    from ..documents.agreements.kind import default_draft_date
    from ..documents.document import Settings
    from .present import TerminalReporter, print_build_summary

    result = make_documents(
        records_dir,
        templates_dir,
        out_dir,
        kinds,
        Settings(date=default_draft_date(on)),
        where=where,
        jobs=jobs or os.cpu_count() or 1,
        force=force,
        dry_run=dry_run,
        wait=wait,
        reporter=TerminalReporter(verbose=verbose),
        partial=True,
    )
    print_build_summary(result, dry_run=dry_run)
    report_state(result)
    if result.failed:
        sys.exit(1)


@main.command()
@records_option
@templates_option
@out_option
@click.argument("ids", nargs=-1)
@click.option("--where", "where", multiple=True, metavar="FIELD=VALUE", help="Select by title, year, country or ceremony (repeatable).")
@click.option("--ceremony", metavar="NAME", help="All certificates of a ceremony, plus one PDF of them all for printing.")
@click.option("--all", "everyone", is_flag=True, help="Every honoree in the records.")
@click.option("--force", is_flag=True, help="Make the files again even if they are up to date (they keep their serials).")
def certificate(
    records_dir: Path, templates_dir: Path, out_dir: Path, ids: tuple[str, ...], where: tuple[str, ...], ceremony: str | None, everyone: bool, force: bool
):
    """Make honorary title certificates (PDF) in OUT/certificates/.

    Each certificate gets a serial from the register (records/register.sqlite3) when its file is
    written; printing it again keeps its serial. With --ceremony, the ceremony's certificates are
    also written into one print-ready PDF, in the order of the ids given, or else of the records.

    \b
    Examples:
      irdocs certificate hd-2024-001 hp-2024-002
      irdocs certificate --where title=HD --where year=2024
      irdocs certificate --ceremony ceremony-2026-10
      irdocs certificate --all
    """
    from ..documents.document import Settings

    if not (ids or where or ceremony or everyone):
        raise UsageError("name the certificates to make: honoree ids, --where FIELD=VALUE, --ceremony NAME or --all")
    if ceremony:  # the ceremony's certificates; the ids given, all of them its own, come first in its print file
        from ..records.partial import ceremony_targets

        members = {i for _, i in ceremony_targets(records_dir, ceremony)}  # as honorees.csv has them, valid or not
        outside = [i for i in dict.fromkeys(ids) if i not in members]
        if outside:
            raise UsageError(f"{', '.join(outside)}: not in ceremony {ceremony}")
        named = {"ceremony": ceremony}
    else:
        named = {"id": ids, "document": "certificate"} if ids else {}
    settings = Settings(ceremony_order=tuple(dict.fromkeys(ids)))
    result = make_documents(records_dir, templates_dir, out_dir, ("certificates",), settings, where=where, named=named, force=force)
    if ceremony and result.failed and not any(d.after for d in result.selected):
        click.echo(f"The print file of {ceremony} is made once every certificate of it can be.", err=True)
    report_documents(result, "certificate")


@main.group()
def register():
    """The certificate register: list, export, revoke and reissue serials.

    The register is the file register.sqlite3 in the records folder. Back it up with the records.
    """


@register.command(name="list")
@records_option
def register_list(records_dir: Path):
    """List every serial with its status.

    \b
    Example:
      irdocs register list
    """
    from rich.console import Console
    from rich.table import Table

    from ..documents.certificates.register import Register, register_path

    with Register(register_path(records_dir), create=False) as reg:
        entries = reg.entries()
    table = Table("Serial", "Honoree", "Name", "Awarded", "Status", "Note", title=f"{len(entries)} serials")
    for e in entries:
        note = f"replaced by {e.replaced_by}" if e.replaced_by else (f"replaces {e.replaces}" if e.replaces else "")
        note = "; ".join(p for p in (e.reason if e.status != "issued" else "", note) if p)
        table.add_row(e.serial, e.honoree_id, e.name, e.awarded_on, e.status, note)
    Console(width=200 if not sys.stdout.isatty() else None).print(table)


@register.command(name="export")
@records_option
@click.option("--csv", "as_csv", is_flag=True, default=True, help="CSV (UTF-8, the only format).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of the screen.")
def register_export(records_dir: Path, as_csv: bool, output: Path | None):
    """Export the register as CSV, for audits and Excel.

    \b
    Example:
      irdocs register export --csv --output register.csv
    """
    from ..documents.certificates.register import Register, register_path
    from ..write import atomic_write_private

    with Register(register_path(records_dir), create=False) as reg:
        text = reg.export_csv()
    if output:
        atomic_write_private(output, text.encode("utf-8-sig"))  # readable by its owner only, as the register
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


@register.command(name="revoke")
@records_option
@click.argument("serial")
@click.option("--reason", required=True, help="Why the certificate is revoked (kept in the register).")
def register_revoke(records_dir: Path, serial: str, reason: str):
    """Revoke a certificate: it no longer verifies.

    \b
    Example:
      irdocs register revoke MNUMS-HD-2024-0001 --reason "awarded in error"
    """
    from ..documents.certificates.actions import revoke

    entry = revoke(records_dir, serial, reason)
    click.echo(f"{entry.serial} ({entry.honoree_id}) is revoked: {entry.reason}")


@register.command(name="reissue")
@records_option
@templates_option
@out_option
@click.argument("serial")
@click.option("--reason", default="", help="Why it is reissued (default: the revocation's reason, or 'reissued').")
def register_reissue(records_dir: Path, templates_dir: Path, out_dir: Path, serial: str, reason: str):
    """Give a certificate a new serial, from the record as it is now; the old serial is superseded.

    \b
    Example (after correcting a misspelt name in honorees.csv):
      irdocs register reissue MNUMS-HD-2024-0001 --reason "name corrected"
    """
    from ..documents.certificates.actions import reissue_steps, reissue_target
    from ..documents.certificates.register import Register, register_path
    from ..errors import display_path

    with Register(register_path(records_dir), create=False) as reg:  # whose certificate: its problems are this command's own
        entry = reg.get(serial.strip().upper())
    records = _load(records_dir, {("honoree", entry.honoree_id)} if entry else frozenset())
    old = reissue_target(records, records_dir, serial)
    (settings, named), *ceremony = reissue_steps(records, old, reason)
    result = make_documents(records_dir, templates_dir, out_dir, ("certificates",), settings, named=named)
    for document in result.documents:
        click.echo(f"{old.serial} is superseded by {document.payload.serial}; wrote {display_path(result_path(result, document))}")
    if not result.documents:
        report_documents(result, "certificate")
    for settings, named in ceremony:
        again = make_documents(records_dir, templates_dir, out_dir, ("certificates",), settings, named=named)
        for document in again.documents:
            click.echo(f"wrote {display_path(result_path(again, document))}: the print file of {named['ceremony']}, with the new certificate")


@main.command(name="verify")
@records_option
@click.argument("what")
@click.argument("code", required=False)
def verify_command(records_dir: Path, what: str, code: str | None):
    """Check a certificate: valid, revoked, altered or unknown.

    WHAT is a serial followed by its code, a certificate PDF, or the address read from its QR
    code. Exit code 0 when valid, 1 otherwise.

    \b
    Examples:
      irdocs verify MNUMS-HD-2024-0001 K7QX2M4PZA
      irdocs verify out/certificates/MNUMS-HD-2024-0001.pdf
    """
    from ..documents.certificates.register import Register, register_path
    from ..documents.certificates.verify import load_key, parse_verification_url, verify, verify_pdf

    with Register(register_path(records_dir), create=False) as reg:
        key = load_key(records_dir)
        if what.lower().startswith(("http://", "https://")):
            verdict = verify(reg, key, *parse_verification_url(what))
        elif what.lower().endswith(".pdf") or Path(what).is_file():
            if not Path(what).is_file():
                raise UsageError(f"{what}: no such file")
            verdict = verify_pdf(reg, key, Path(what))
        else:
            if not code:
                raise UsageError("give the serial and the code printed on the certificate: irdocs verify SERIAL CODE")
            verdict = verify(reg, key, what, code)
    click.echo(str(verdict))
    if not verdict.ok:
        sys.exit(1)


@main.command()
@records_option
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--where", multiple=True, metavar="KEY=VALUE", help="Only agreements with partner=ID, kind=KIND or status=STATUS (repeat to combine).")
@click.option("--all", "everything", is_flag=True, help="Draft every agreement in the records.")
@click.option(
    "--language", type=click.Choice(AGREEMENT_LANGUAGES), default="en", show_default=True, help="en, mn, or en+mn (English and Mongolian side by side)."
)
@click.option("--renewal", is_flag=True, help="Draft the renewal of the agreement instead of the agreement itself.")
@click.option("--date", "draft_date", metavar="YYYY-MM-DD", help="The draft date in the header (default: today, or $SOURCE_DATE_EPOCH).")
@click.option("--pdf", is_flag=True, help="Also make PDF copies with LibreOffice (all in one call).")
@out_option
@templates_option
def agreement(records_dir, ids, where, everything, language, renewal, draft_date, pdf, out_dir, templates_dir):
    """Write Word drafts of agreements, ready to edit and send: OUT/agreements/ID.docx.

    \b
    Examples:
      irdocs agreement hankuk-university-2022
      irdocs agreement --where partner=yonsei-university --language en+mn
      irdocs agreement --where kind=mou --where status=active --pdf
      irdocs agreement yonsei-cooperation-1993 --renewal
      irdocs agreement --all --date 2026-11-27
    """
    from ..documents.agreements.kind import default_draft_date
    from ..documents.document import Settings

    if not (ids or where or everything):
        raise UsageError("name the agreements to draft (e.g. irdocs agreement yonsei-cooperation-1993), or use --where partner=ID, or --all")
    settings = Settings(language=language, renewal=renewal, date=default_draft_date(draft_date))
    result = make_documents(records_dir, templates_dir, out_dir, ("agreements",), settings, where=where, named={"id": ids or None})
    if pdf and result.documents:
        import time

        from ..render.libreoffice import convert_to_pdf

        started = time.perf_counter()
        made = convert_to_pdf([result_path(result, d) for d in result.documents])
        click.echo(f"{len(made)} PDF copies made by LibreOffice ({time.perf_counter() - started:.1f} s).")
    report_documents(result, "renewal draft" if renewal else "draft")


@main.command()
@records_option
@click.option("--within", "days", type=click.IntRange(0, 3650), default=180, show_default=True, help="How many days ahead to look.")
@click.option("--today", "on", metavar="YYYY-MM-DD", help="Count from this day instead of today.")
@click.option("--email", is_flag=True, help="Also send the list by e-mail, in Mongolian and English (set up in mail.toml; nothing is sent when none is due).")
def renewals(records_dir, days, on, email):
    """List active agreements that end soon, or that have ended but are still marked active.

    With --email the list goes to the office by e-mail, through its own mail server. It is off
    until mail.toml in irdocs' configuration folder (or the file named by IRDOCS_MAIL) says:
    host, port (587), starttls (true), from, to (a list), and ca_file for a server with the
    office's own certificate; a sign-in comes from IRDOCS_SMTP_USER and IRDOCS_SMTP_PASSWORD.

    \b
    Example:
      irdocs renewals --within 180
      irdocs agreement yonsei-cooperation-1993 --renewal
      irdocs renewals --within 90 --email      # e.g. every Monday from cron
    """
    import datetime as dt

    from ..documents.agreements.kind import parse_date
    from ..localize import format_date
    from ..records.stats import expiring

    today = parse_date(on, "--today") if on else dt.date.today()
    records = _load(records_dir)
    found = expiring(records, days, today)
    ending = [(a, end) for a, end in found if end >= today]
    ended = [(a, end) for a, end in found if end < today]

    def partners(agreement) -> str:
        return ", ".join(records.partners_by_id[p].name for p in agreement.partners)

    limit = today + dt.timedelta(days=days)
    if ending:
        click.echo(f"Ending by {format_date(limit)} ({days} days from {format_date(today)}):")
        for agreement, end in ending:
            click.echo(f"  {end.isoformat()}  in {(end - today).days:>3} days   {agreement.id}   {partners(agreement)}")
    else:
        click.echo(f"No active agreement ends by {format_date(limit)} ({days} days from {format_date(today)}).")
    if ended:
        click.echo("Ended, but still marked active (renew them, or set 'status: expired' in agreements.yaml):")
        for agreement, end in ended:
            click.echo(f"  {end.isoformat()}  {(today - end).days:>4} days ago   {agreement.id}   {partners(agreement)}   ({agreement.location})")
    if found:
        click.echo("Draft a renewal with: irdocs agreement ID --renewal")
    if email:
        from ..mail import load_settings, renewals_digest, send

        settings = load_settings()
        message = renewals_digest(records, days, today, settings.sender, settings.recipients)
        if message is None:
            click.echo("Nothing to renew: no e-mail sent.")
        else:
            send(message, settings)
            click.echo(f"Sent the renewals digest ({len(found)} agreement{'s' if len(found) != 1 else ''}) to {', '.join(settings.recipients)}.")


@main.group()
def new():
    """Add a new partner or agreement by answering questions (or from a proposal file).

    \b
    Examples:
      irdocs new partner
      irdocs new agreement
      irdocs new agreement --from proposal.yaml
    """


def _confirm_and_add(records_dir: Path, additions: dict, today) -> bool:
    """Show what will be added, ask, and add it; False if the officer said no."""
    from ..records.entry import add_new, entry_yaml
    from ..records.load import AGREEMENTS_FILE, PARTNERS_FILE

    click.echo("")
    for kind, file_name in (("partner", PARTNERS_FILE), ("agreement", AGREEMENTS_FILE)):
        for values in additions.get(kind, []):
            click.echo(f"To be added to {records_dir / file_name}:")
            click.echo(entry_yaml(kind, values).rstrip())
    if not click.confirm("Add it?", default=True):
        click.echo("Nothing was added.")
        return False
    add_new(records_dir, additions, today)
    return True


def _added(records_dir: Path, kind: str, ids: list[str]) -> None:
    from ..records.load import AGREEMENTS_FILE, PARTNERS_FILE

    file_name = PARTNERS_FILE if kind == "partner" else AGREEMENTS_FILE
    for record_id in ids:
        click.echo(f"Added {kind} {record_id} to {records_dir / file_name}.")


from_option = click.option("--from", "proposal", type=click.Path(dir_okay=False, path_type=Path), help="Take the answers from a YAML file instead of asking.")


@new.command(name="partner")
@records_option
@from_option
def new_partner(records_dir: Path, proposal: Path | None):
    """Add a partner organization: asks for each field, checks every answer, shows the result, then adds it.

    \b
    Example:
      irdocs new partner
      irdocs new partner --from partner.yaml
    """
    import datetime as dt

    if proposal is not None:
        _add_proposal(records_dir, proposal, "partner")
        return
    from .prompts import ask_partner

    values = ask_partner(_load(records_dir), set())
    if _confirm_and_add(records_dir, {"partner": [values]}, dt.date.today()):
        _added(records_dir, "partner", [values["id"]])
        click.echo(f"Next: irdocs new agreement (with partner {values['id']})")


def _add_proposal(records_dir: Path, proposal: Path, kind: str) -> list[str]:
    """Add the records of a proposal file (no questions); the ids of the new records of ``kind``."""
    import datetime as dt

    from ..records.entry import add_new, read_proposal

    new_records = read_proposal(proposal, kind)
    add_new(records_dir, new_records, dt.date.today())
    for each_kind, added in new_records.items():
        _added(records_dir, each_kind, [r.record_id for r in added])
    warn_after_writing(records_dir)
    return [r.record_id for r in new_records[kind]]


@new.command(name="agreement")
@records_option
@from_option
@click.option("--date", "draft_date", metavar="YYYY-MM-DD", help="The draft date, if a draft is written at the end (default: today).")
def new_agreement(records_dir: Path, proposal: Path | None, draft_date: str | None):
    """Add an agreement (and a new partner, if needed): asks for each field, checks every answer, then adds it.

    At the end it offers to write the Word draft at once.

    \b
    Example:
      irdocs new agreement
      irdocs new agreement --from proposal.yaml
    """
    import datetime as dt

    if proposal is not None:
        ids = _add_proposal(records_dir, proposal, "agreement")
        click.echo(f"Draft it with: irdocs agreement {' '.join(ids)}")
        return
    from .prompts import ask_agreement

    values, partners = ask_agreement(_load(records_dir), dt.date.today())
    if not _confirm_and_add(records_dir, {"partner": partners, "agreement": [values]}, dt.date.today()):
        return
    _added(records_dir, "partner", [p["id"] for p in partners])
    _added(records_dir, "agreement", [values["id"]])
    if not click.confirm("Write its Word draft now?", default=True):
        click.echo(f"Draft it later with: irdocs agreement {values['id']}")
        return
    from ..documents.agreements.kind import default_draft_date
    from ..documents.document import Settings

    result = make_documents(
        records_dir, DEFAULT_TEMPLATES, Path("out"), ("agreements",), Settings(date=default_draft_date(draft_date)), named={"id": [values["id"]]}
    )
    report_documents(result, "draft")


# --------------------------------------------------------------------------- the web app


def is_loopback(host: str) -> bool:
    """Whether an address to listen on reaches only this computer (127.0.0.1, ::1, localhost)."""
    import ipaddress

    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@main.command()
@records_option
@templates_option
@out_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on. Another than 127.0.0.1 needs an account (irdocs user add).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port (0: any free port, printed at start).")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="Requests answered at the same time.")
@click.option("--verify-limit", type=click.IntRange(1, 10**9), default=30, show_default=True, help="Certificate lookups per minute allowed from one address.")
@click.option("--behind-proxy", is_flag=True, help="Behind a reverse proxy (HTTPS): trust its X-Forwarded-For, -Proto and -Host headers.")
@click.option("--proxy-address", default="127.0.0.1", show_default=True, help="With --behind-proxy: the proxy's address (headers from others are dropped).")
def serve(records_dir: Path, templates_dir: Path, out_dir: Path, host: str, port: int, threads: int, verify_limit: int, behind_proxy: bool, proxy_address: str):
    """Serve the office's web pages and the public certificate verification page.

    Open the printed address in a browser and sign in with an account made by 'irdocs user add'.
    The verification page is /verify: the address the certificates' QR codes open
    ('verification_url' in institution.yaml).

    \b
    Examples:
      irdocs serve                                  on this computer only: http://127.0.0.1:8000/
      irdocs serve --host 0.0.0.0 --behind-proxy    for other computers, behind an HTTPS server
    """
    from ..accounts import Accounts
    from ..errors import ConfigError

    accounts = Accounts(records_dir=records_dir)
    local = is_loopback(host)
    if not local and not accounts.names():
        raise ConfigError(
            f"refusing to listen on {host}: other computers could reach the office pages, and there is no account yet. "
            f"Add one first with: irdocs user add NAME (or listen on 127.0.0.1)"
        )
    import waitress

    from ..web import create_app, server_options

    app = create_app(records_dir, out_dir, templates_dir, accounts=accounts, secure_cookies=not local or behind_proxy, verify_limit=verify_limit)
    server = waitress.create_server(app, host=host, port=port, threads=threads, ident="irdocs", **server_options(behind_proxy, proxy_address))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"irdocs is serving {records_dir} on http://{shown}:{server.effective_port}/ (verification: /verify). Stop with Ctrl+C.")
    if not accounts.names():
        click.echo("No account yet: add one with 'irdocs user add NAME' to sign in.")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@main.group()
def user():
    """Accounts for the web pages (irdocs serve): add, list, remove.

    Passwords are kept only as salted hashes, in users.json in your configuration folder (or the
    file named by IRDOCS_USERS), never in the records folder.
    """


@user.command(name="add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input (for scripts).")
@click.option("--replace", is_flag=True, help="Give an existing account a new password.")
@click.option(
    "--role",
    type=click.Choice(["administrator", "director", "officer", "viewer"], case_sensitive=False),
    default=None,
    help="What the account may do (default: officer; the first account: administrator; with --replace: kept).",
)
def user_add(name: str, password_stdin: bool, replace: bool, role: str | None):
    """Add an account: asks for the password twice.

    Roles: an administrator may do everything and manage the accounts; a director also issues,
    revokes and reissues certificates; an officer changes the records and makes drafts and fact
    sheets; a viewer only reads.

    \b
    Examples:
      irdocs user add enkhjargal
      irdocs user add bat --role director
      printf '%s\\n' "$PASSWORD" | irdocs user add enkhjargal --password-stdin
    """
    from ..accounts import Accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password (at least 10 characters)", hide_input=True, confirmation_prompt="Type it again")
    accounts = Accounts()
    account = accounts.add(name.lower(), password, replace=replace, role=role)
    click.echo(f"{'Changed the password of' if replace else 'Added the account'} '{account.name}' ({account.role}) in {accounts.path}.")


@user.command(name="role")
@click.argument("name")
@click.argument("role", type=click.Choice(["administrator", "director", "officer", "viewer"], case_sensitive=False))
def user_role(name: str, role: str):
    """Give an account another role (its sessions end: it signs in again).

    \b
    Example:
      irdocs user role bat director
    """
    from ..accounts import Accounts

    account = Accounts().set_role(name.lower(), role)
    click.echo(f"'{account.name}' is now {account.role}.")


@user.command(name="disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Let a disabled account sign in again.")
def user_disable(name: str, enable: bool):
    """Stop an account signing in, keeping it (or, with --enable, let it sign in again).

    \b
    Examples:
      irdocs user disable bat
      irdocs user disable bat --enable
    """
    from ..accounts import Accounts

    account = Accounts().set_disabled(name.lower(), not enable)
    click.echo(f"'{account.name}' {'can sign in again' if enable else 'can no longer sign in'}.")


@user.command(name="list")
def user_list():
    """List the accounts.

    \b
    Example:
      irdocs user list
    """
    from ..accounts import Accounts

    accounts = Accounts()
    found = accounts.load()
    lines = [f"{name}\t{a.role}{' (disabled)' if a.disabled else ''}" for name, a in sorted(found.items())]
    click.echo("\n".join(lines) if lines else f"No account yet ({accounts.path}). Add one with: irdocs user add NAME")


@user.command(name="remove")
@click.argument("name")
def user_remove(name: str):
    """Remove an account: it can no longer sign in.

    \b
    Example:
      irdocs user remove enkhjargal
    """
    from ..accounts import Accounts

    accounts = Accounts()
    accounts.remove(name.lower())
    click.echo(f"Removed the account '{name.lower()}'.")


from . import records as records_cli  # noqa: E402, F401  (irdocs export; irdocs key, register audit, backup, restore)
from . import trust as cli_trust  # noqa: E402, F401  (irdocs export; irdocs key, register audit, backup, restore)

if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
