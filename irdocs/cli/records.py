"""The records' spreadsheet commands: ``irdocs export``, and how ``irdocs import`` shows its changes.

Registered on the main group by ``cli`` (one import line at its end); click only, as ``cli``.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import main, records_option


def show_plan(plan) -> None:
    """The differences an ``import --update`` makes, printed before they are written."""
    for change in plan.changes:
        click.echo(f"  changed {plan.kind} {change}")
    for record_id in plan.added:
        click.echo(f"  new {plan.kind} {record_id}")
    for record_id in plan.deleted:
        click.echo(f"  deleted {plan.kind} {record_id}")
    kept = [rid for rid in plan.missing if rid not in plan.deleted]
    if kept:
        shown = ", ".join(kept[:10]) + (f" and {len(kept) - 10} more" if len(kept) > 10 else "")
        click.echo(f"  not in the sheet, kept (--delete-missing deletes them): {shown}")


def _count(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def summary(plan, records_dir: Path, dry_run: bool = False) -> str:
    """The last line of an import: what was (or, with --dry-run, would be) written."""
    if not (plan.added or plan.changes or plan.deleted):
        return f"No changes: {records_dir} already has every row of the sheet."
    if dry_run:
        return f"Dry run, nothing written: would update {len(plan.updated)}, add {len(plan.added)}, delete {len(plan.deleted)} {plan.what}."
    if plan.changes or plan.deleted or plan.missing:
        return f"Updated {_count(len(plan.updated), plan.kind)}, added {len(plan.added)}, deleted {len(plan.deleted)} in {records_dir}."
    added = len(plan.added)
    return f"Added {added} {plan.what if added != 1 else plan.what[:-1]} to {records_dir}."


@main.command(name="export")
@records_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "what", type=click.Choice(["honorees", "partners", "agreements"]), help="Which records (else from the file's name).")
def export_command(records_dir: Path, file: Path, what: str | None):
    """Write the records as an Excel workbook to edit and import again.

    The header row is frozen, dates are dates, and title, country, kind and
    similar columns offer their allowed values as a list. Edit it in Excel or
    LibreOffice Calc, then: irdocs import FILE --update

    \b
    Example:
      irdocs export honorees.xlsx
      irdocs import honorees.xlsx --update
    """
    from ..records.export import export_workbook
    from ..records.importer import IMPORT_KINDS, what_of
    from . import _load

    what = what_of(file, what)
    # every row of the kind, or none: a workbook without a left-out row, imported again with
    # --delete-missing, would delete it; problems of the other files are warnings
    count = export_workbook(_load(records_dir, {(IMPORT_KINDS[what], None)}), what, file)
    click.echo(f"Wrote {_count(count, what[:-1])} to {file}.")
