"""Backup and restore, end to end (issue 19, step 5): 'irdocs backup' then 'irdocs restore' into a new
folder on a computer without the key, and every certificate of the sample verifies there."""

from __future__ import annotations

import shutil
import stat
import tarfile

import pytest

from irdocs.documents.certificates.register import Register, register_path
from tests.conftest import SAMPLE

PASSPHRASE = "the long passphrase of the office"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The sample office with every certificate issued, and its backup."""
    from click.testing import CliRunner

    from irdocs.cli import main

    base = tmp_path_factory.mktemp("office")
    records = base / "records"
    shutil.copytree(SAMPLE, records, ignore=shutil.ignore_patterns(".irdocs.lock", "register.sqlite3*"))
    (base / "passphrase").write_text(PASSPHRASE + "\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(base)
        patch.delenv("IRDOCS_KEY", raising=False)
        patch.setenv("XDG_CONFIG_HOME", str(base / "config"))
        patch.setenv("IRDOCS_USERS", str(base / "config" / "irdocs" / "users.json"))

        def run(*args, input=None):
            return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

        assert run("key", "init").exit_code == 0
        assert run("user", "add", "anna", "--password-stdin", input="correct horse battery\n").exit_code == 0
        made = run("certificate", "--all")
        assert made.exit_code == 0, made.output
        assert run("register", "revoke", "MNUMS-HD-2024-0001", "--reason", "awarded in error").exit_code == 0
        result = run("backup", "--passphrase-file", "passphrase", "office.irdocs-backup")
        assert result.exit_code == 0, result.output
    return base


def test_the_backup_is_private_and_holds_no_key_in_clear(office):
    archive = office / "office.irdocs-backup"
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    key = (office / "config" / "irdocs" / "verification.key").read_bytes().strip()
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        contents = b"".join(opened.extractfile(m).read() for m in opened if m.isfile())
    assert {"irdocs-backup.json", "records/honorees.csv", "records/register.sqlite3", "config/users.json", "config/verification.key.enc"} <= set(names)
    assert key not in contents and "verification.key" not in " ".join(n for n in names if not n.endswith(".enc"))


def test_restore_on_a_new_computer_verifies_every_certificate(office, tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IRDOCS_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "new-computer"))
    monkeypatch.setenv("IRDOCS_USERS", str(tmp_path / "new-computer" / "irdocs" / "users.json"))
    archive = office / "office.irdocs-backup"
    (tmp_path / "wrong").write_text("not the passphrase at all\n")
    refused = run("restore", str(archive), "--records", "restored", "--passphrase-file", "wrong")
    assert refused.exit_code == 2 and "the passphrase is not the one this backup was made with" in refused.stderr
    assert not (tmp_path / "restored").exists() and not (tmp_path / "new-computer").exists()

    result = run("restore", str(archive), "--records", "restored", "--passphrase-file", str(office / "passphrase"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new-computer" / "irdocs" / "verification.key").read_bytes() == (office / "config" / "irdocs" / "verification.key").read_bytes()
    assert (tmp_path / "new-computer" / "irdocs" / "users.json").is_file()
    assert run("register", "audit", "--records", "restored").exit_code == 0
    pdfs = sorted((office / "out" / "certificates").glob("MNUMS-*.pdf"))
    assert len(pdfs) == 195
    for pdf in pdfs:
        verdict = run("verify", "--records", "restored", str(pdf))
        if pdf.stem == "MNUMS-HD-2024-0001":
            assert verdict.exit_code == 1 and verdict.output.startswith("revoked:")
        else:
            assert verdict.exit_code == 0 and verdict.output.startswith(f"valid: {pdf.stem}:"), verdict.output
    with Register(register_path(tmp_path / "restored")) as reg:
        assert len(reg.entries()) == 195
    again = run("restore", str(archive), "--records", "restored", "--passphrase-file", str(office / "passphrase"))
    assert again.exit_code == 2 and "the folder is not empty" in again.stderr


def test_a_damaged_backup_restores_nothing(office, tmp_path, monkeypatch, run):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    damaged = tmp_path / "damaged.irdocs-backup"
    data = bytearray((office / "office.irdocs-backup").read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    result = run("restore", str(damaged), "--records", str(tmp_path / "restored"), "--passphrase-file", str(office / "passphrase"))
    assert result.exit_code == 2 and "nothing was restored" in result.stderr
    assert not (tmp_path / "restored").exists() and not (tmp_path / "config").exists()
