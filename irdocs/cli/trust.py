"""The commands that keep certificates checkable: ``irdocs key ...``, ``irdocs register audit``,
``irdocs backup`` and ``irdocs restore``. Registered on the main group by the last line of cli.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import RECORDS_ENV, main, records_click_option, records_option, register


def optional_records(command):
    """``--records DIR``, used only when the folder exists (a key can be made before any record)."""
    return records_click_option(f"The records folder whose register must match the key (or set {RECORDS_ENV}); skipped when it does not exist.")(command)


@main.group()
def key():
    """The department's verification key: init (once), show, export, import.

    Every computer that issues or checks certificates needs the same key. Make it once on the
    office's first computer with 'irdocs key init', then copy it to the others with 'irdocs key
    export FILE' there and 'irdocs key import FILE' here. No other command ever makes a key.
    """


@key.command(name="init")
@optional_records
def key_init(records_dir: Path):
    """Make the department's key (once, on the office's first computer).

    \b
    Example:
      irdocs key init
    """
    from ..documents.certificates.keys import check_register, fingerprint, init_key

    path, made = init_key()
    if records_dir.is_dir():
        check_register(records_dir, made)
    click.echo(f"Made the department's verification key in {path} (fingerprint {fingerprint(made)}).")
    click.echo(
        "Keep a copy with the backups (irdocs backup) and copy it to the office's other computers: irdocs key export FILE, then irdocs key import FILE there."
    )


@key.command(name="show")
@optional_records
def key_show(records_dir: Path):
    """Show this computer's key fingerprint (never the key) and whether the register agrees.

    \b
    Example:
      irdocs key show
    """
    import os

    from ..documents.certificates.keys import KEY_ENV, fingerprint, key_path, read_key
    from ..documents.certificates.register import Register, register_path

    mine = fingerprint(read_key())
    source = KEY_ENV if os.environ.get(KEY_ENV, "").strip() else str(key_path())
    click.echo(f"key fingerprint: {mine} (from {source})")
    if records_dir.is_dir() and register_path(records_dir).exists():
        with Register(register_path(records_dir), create=False) as reg:
            stored = reg.key_fingerprint()
        if stored is None:
            click.echo("register: no fingerprint stored yet (it is stored when a command uses the key)")
        elif stored == mine:
            click.echo(f"register: issued under this key ({register_path(records_dir)})")
        else:
            click.echo(f"register: issued under ANOTHER key, fingerprint {stored}; get that key and run: irdocs key import FILE", err=True)
            sys.exit(1)


@key.command(name="export")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def key_export(target: Path):
    """Copy this computer's key into a new file (readable by you only), for another office computer.

    \b
    Example:
      irdocs key export /media/usb/mnums-verification.key
    """
    from ..documents.certificates.keys import export_key, fingerprint

    exported = export_key(target)
    click.echo(f"Wrote the key to {target} (fingerprint {fingerprint(exported)}). Keep it as private as the department's stamp.")


@key.command(name="import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@optional_records
def key_import(source: Path, records_dir: Path):
    """Install the department's key from a file made by 'irdocs key export'.

    \b
    Example:
      irdocs key import /media/usb/mnums-verification.key
    """
    from ..documents.certificates.keys import fingerprint, import_key

    path, installed = import_key(source, records_dir if records_dir.is_dir() else None)
    click.echo(f"This computer's key is now in {path} (fingerprint {fingerprint(installed)}).")


@register.command(name="audit")
@records_option
def register_audit(records_dir: Path):
    """Check that the register is as irdocs wrote it: the audit chain, every serial, every file.

    Exit code 0 when intact; 1 with the first broken row named otherwise.

    \b
    Example:
      irdocs register audit
    """
    from ..documents.certificates.register import Register, register_path

    with Register(register_path(records_dir), create=False) as reg:
        problems = reg.audit_problems()
        rows, serials = reg.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0], len(reg.entries())
        head = reg.db.execute("SELECT row_hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    if problems:
        for _, message in problems:
            click.echo(f"register altered: {message}", err=True)
        click.echo("Restore records/register.sqlite3 from a backup (irdocs restore), then run this again.", err=True)
        sys.exit(1)
    click.echo(f"The register is intact: {serials} serials, {rows} audit rows, last hash {(head[0] if head else '')[:16]}.")


def _passphrase(passphrase_file: Path | None, confirm: bool) -> str:
    """The backup's passphrase: the first line of ``passphrase_file``, or asked for (twice when making one)."""
    from ..errors import UsageError

    if passphrase_file is not None:
        try:
            return passphrase_file.read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError):
            raise UsageError(f"{passphrase_file}: cannot read the passphrase from its first line") from None
    return click.prompt("Passphrase for the key in the backup", hide_input=True, confirmation_prompt="Type it again" if confirm else False)


passphrase_option = click.option(
    "--passphrase-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Read the passphrase from this file's first line (for the nightly job).",
)


@main.command()
@records_option
@passphrase_option
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup(records_dir: Path, passphrase_file: Path | None, target: Path):
    """Write the records, the register, the accounts and the key (encrypted with a passphrase) into one file.

    \b
    Examples:
      irdocs backup /media/usb/irdocs-2026-11-30.irdocs-backup
      irdocs backup --passphrase-file ~/.config/irdocs/backup-passphrase backups/nightly.irdocs-backup
    """
    from ..backup import make_backup

    manifest = make_backup(records_dir, target, _passphrase(passphrase_file, confirm=True))
    click.echo(f"Wrote {target}: {len(manifest['files'])} files, key fingerprint {manifest['key_fingerprint']} (the key is encrypted with the passphrase).")


@main.command()
@optional_records
@passphrase_option
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def restore(records_dir: Path, passphrase_file: Path | None, source: Path):
    """Bring back an office from a backup: records, register, accounts and key, into an empty folder.

    \b
    Example (on a new computer):
      irdocs restore /media/usb/irdocs-2026-11-30.irdocs-backup --records records
    """
    from ..backup import restore_backup

    manifest = restore_backup(source, records_dir, _passphrase(passphrase_file, confirm=False))
    click.echo(
        f"Restored {len(manifest['files'])} files into {records_dir}; this computer's key is the department's (fingerprint {manifest['key_fingerprint']})."
    )
