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


AGREEMENT_LANGUAGES = ("en", "mn", "en+mn")  # irdocs.agreements.LANGUAGE_CHOICES, without importing it here
#: Drafts listed one by one up to this many; a bigger batch gets a one-line summary.
LIST_LIMIT = 12


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
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="out",
    show_default=True,
    help="Where to write: the drafts go to OUT/agreements/.",
)
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="IRDOCS_TEMPLATES",
    help="Use another templates folder (or set IRDOCS_TEMPLATES).",
)
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
    import time

    from .agreements import Drafter, default_draft_date, select_agreements
    from .build import run_jobs

    records = _load(records_dir)
    chosen = select_agreements(records, ids, where, everything)
    if not chosen:
        click.echo("No agreement matches: nothing to draft.")
        return
    drafter = Drafter(records, templates_dir, default_draft_date(draft_date))
    started = time.perf_counter()
    result = run_jobs(drafter.jobs(chosen, out_dir, language, renewal), label="agreement drafts")
    seconds = time.perf_counter() - started
    if len(result.built) <= LIST_LIMIT:
        for path in result.built:
            click.echo(f"wrote {path}")
    if result.built:
        count = len(result.built)
        kind = ("renewal draft" if renewal else "draft") + ("s" if count != 1 else "")
        click.echo(f"{count} {kind} in {out_dir / 'agreements'} ({seconds:.1f} s, {seconds / len(chosen):.3f} s each).")
    if pdf and result.built:
        from .office import convert_to_pdf

        started = time.perf_counter()
        made = convert_to_pdf(result.built)
        click.echo(f"{len(made)} PDF copies made by LibreOffice ({time.perf_counter() - started:.1f} s).")
    for failure in result.failed:
        click.echo(f"{failure.name}: {failure.message}", err=True)
    if result.failed:
        click.echo(f"{len(result.failed)} of {len(chosen)} drafts could not be made.", err=True)
        sys.exit(1)


@main.command()
@records_option
@click.option("--within", "days", type=click.IntRange(0, 3650), default=180, show_default=True, help="How many days ahead to look.")
@click.option("--today", "on", metavar="YYYY-MM-DD", help="Count from this day instead of today.")
def renewals(records_dir, days, on):
    """List active agreements that end soon, or that have ended but are still marked active.

    \b
    Example:
      irdocs renewals --within 180
      irdocs agreement yonsei-cooperation-1993 --renewal
    """
    import datetime as dt

    from .agreements import parse_date
    from .localize import format_date
    from .stats import expiring

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
    from .entry import add_new, entry_yaml
    from .load import AGREEMENTS_FILE, PARTNERS_FILE

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
    from .load import AGREEMENTS_FILE, PARTNERS_FILE

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

    from .entry import add_new, read_proposal

    new_records = read_proposal(proposal, kind)
    add_new(records_dir, new_records, dt.date.today())
    for each_kind, added in new_records.items():
        _added(records_dir, each_kind, [r.record_id for r in added])
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
    from .agreements import Drafter, default_draft_date
    from .write import atomic_write

    records = _load(records_dir)
    for job in Drafter(records, None, default_draft_date(draft_date)).jobs([records.agreements_by_id[values["id"]]], Path("out")):
        atomic_write(job.target, job.make())
        click.echo(f"wrote {job.target}")


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
