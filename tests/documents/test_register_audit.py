"""A tamper-evident register (issue 19, step 4): the audit rows form a hash chain; 'irdocs register
audit' names the first broken row; a register changed behind irdocs' back is 'register altered',
neither a wrong key nor an altered certificate; its files are private."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from irdocs.documents.certificates.register import Register, register_path


@pytest.fixture
def issued(mini, keyed, run):
    """Two certificates of the mini records, the second revoked: (the records, [entries])."""
    assert run("certificate", "hd-2020-001").exit_code == 0
    assert run("certificate", "hp-1985-001").exit_code == 0
    with Register(register_path(mini)) as reg:
        entries = reg.entries()
    assert run("register", "revoke", entries[1].serial, "--reason", "awarded in error").exit_code == 0
    return mini, entries


def tamper(records, *statements: str) -> None:
    """What anyone with the sqlite3 program can do to the file."""
    db = sqlite3.connect(str(register_path(records)), isolation_level=None)
    for statement in statements:
        db.execute(statement)
    db.close()


def test_an_intact_register_passes_the_audit(issued, run):
    result = run("register", "audit")
    assert result.exit_code == 0 and result.output.startswith("The register is intact: 2 serials, ")


def test_one_update_cannot_un_revoke_a_certificate(issued, run):
    """Issue 19: one UPDATE in SQLite un-revoked a certificate with no trace."""
    records, entries = issued
    revoked = entries[1]
    tamper(records, f"UPDATE serials SET status = 'issued', reason = '' WHERE serial = '{revoked.serial}'")
    result = run("verify", revoked.serial, revoked.code)
    assert result.exit_code == 1
    assert result.output.startswith(f"register-altered: {revoked.serial}: the register was altered behind irdocs' back")
    audit = run("register", "audit")
    assert audit.exit_code == 1
    assert f"register altered: serial {revoked.serial}: its row differs from what audit row" in audit.stderr
    # The other certificate is still vouched for.
    assert run("verify", entries[0].serial, entries[0].code).exit_code == 0


def test_a_tampered_name_is_register_altered_not_a_wrong_key(issued, run):
    """Issue 19: a tampered name was reported as a wrong key."""
    records, entries = issued
    tamper(records, f"UPDATE serials SET name = 'Mallory Forger' WHERE serial = '{entries[0].serial}'")
    result = run("verify", entries[0].serial, entries[0].code)
    assert result.exit_code == 1 and result.output.startswith(f"register-altered: {entries[0].serial}:")
    assert "key" not in result.output.split("(", 1)[0]


def test_dropping_the_triggers_and_rewriting_the_log_is_found(issued, run):
    """Issue 19: the audit triggers can be dropped; then the chain names the first row changed."""
    records, entries = issued
    drop = ("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete")
    tamper(records, *drop, f"UPDATE audit SET detail = 'nothing to see' WHERE action = 'revoke' AND serial = '{entries[1].serial}'")
    audit = run("register", "audit")
    assert audit.exit_code == 1 and "audit row" in audit.stderr and "(revoke " in audit.stderr and "its content was changed" in audit.stderr
    assert run("verify", entries[0].serial, entries[0].code).output.startswith("register-altered:")


def test_deleting_an_audit_row_is_found(issued, run):
    records, _ = issued
    tamper(records, "DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE id = (SELECT MIN(id) FROM audit WHERE action = 'file')")
    audit = run("register", "audit")
    assert audit.exit_code == 1 and "does not follow the row before it" in audit.stderr


def test_a_serial_slipped_in_without_an_audit_row_is_found(issued, run):
    records, _ = issued
    tamper(
        records,
        "INSERT INTO serials SELECT 'MNUMS-HD-2020-0099', 'x', kind, kind_code, year, 99, name, native_name, awarded_on, code, content_hash,"
        " 'issued', '', NULL, NULL, issued_at, changed_at FROM serials LIMIT 1",
    )
    audit = run("register", "audit")
    assert audit.exit_code == 1 and "serial MNUMS-HD-2020-0099: it has no audit row" in audit.stderr


def test_the_register_and_its_export_are_private(issued, run, tmp_path):
    """Issue 19: the register database and its CSV export were created world-readable."""
    records, _ = issued
    assert stat.S_IMODE(register_path(records).stat().st_mode) == 0o600
    assert run("register", "export", "--output", str(tmp_path / "register.csv")).exit_code == 0
    assert stat.S_IMODE((tmp_path / "register.csv").stat().st_mode) == 0o600
