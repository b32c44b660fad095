"""One department key, managed on purpose (issue 19, step 1): never made implicitly, never diverging."""

from __future__ import annotations

import pytest

from irdocs.documents.certificates.register import Register, register_path

OTHER_KEY = "another-computers-key-9876543210-abcdefghijkl"


@pytest.fixture
def office(mini, tmp_path, monkeypatch, run):
    """The mini records with a key made by 'irdocs key init' in a configuration folder of their own."""
    monkeypatch.delenv("IRDOCS_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    result = run("key", "init")
    assert result.exit_code == 0, result.output
    assert "Made the department's verification key in" in result.output
    return mini


def key_file(tmp_path):
    return tmp_path / "config" / "irdocs" / "verification.key"


def test_no_key_file_is_made_implicitly_and_every_command_says_to_import_it(office, tmp_path, run):
    """Issue 19: a missing key file was re-created without a word by any command, even 'irdocs verify'."""
    assert run("certificate", "hd-2020-001").exit_code == 0
    with Register(register_path(office)) as reg:
        entry = reg.entries()[0]
    key_file(tmp_path).unlink()
    for command in (("certificate", "hd-2020-001"), ("build",), ("verify", entry.serial, entry.code), ("verify", f"out/certificates/{entry.serial}.pdf")):
        result = run(*command)
        assert result.exit_code != 0, command
        assert "there is no department key on this computer" in result.stderr and "irdocs key import FILE" in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.output
        assert not key_file(tmp_path).exists(), command
    with Register(register_path(office)) as reg:
        assert [e.serial for e in reg.entries()] == [entry.serial]


def test_another_users_key_is_refused_and_issues_nothing(office, tmp_path, run, monkeypatch):
    """Issue 19: 'HOME=$(mktemp -d) irdocs certificate ...' issued a serial under a new key."""
    assert run("certificate", "hd-2020-001").exit_code == 0
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "other-user"))
    monkeypatch.setenv("IRDOCS_KEY", OTHER_KEY)
    result = run("certificate", "hp-1985-001")
    assert result.exit_code == 2
    assert "is not the department's key, fingerprint" in result.stderr and "irdocs key import FILE" in result.stderr
    with Register(register_path(office)) as reg:
        assert len(reg.entries()) == 1
    monkeypatch.delenv("IRDOCS_KEY")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert run("certificate", "hp-1985-001").exit_code == 0  # the department's key goes on


@pytest.mark.parametrize("value", ["a", "x" * 31, "a" * 40])
def test_a_short_or_repetitive_key_in_the_environment_is_refused(office, run, monkeypatch, value):
    """Issue 19: IRDOCS_KEY=a was accepted (and such a key is found from one certificate in a second)."""
    monkeypatch.setenv("IRDOCS_KEY", value)
    result = run("certificate", "hd-2020-001")
    assert result.exit_code == 2 and result.stderr.startswith("IRDOCS_KEY: the verification key is")
    assert not register_path(office).exists() or not Register(register_path(office)).entries()


def test_key_show_export_import_to_a_second_computer(office, tmp_path, run, monkeypatch):
    from irdocs.documents.certificates.keys import fingerprint

    made = key_file(tmp_path).read_bytes().strip()
    shown = run("key", "show")
    assert shown.exit_code == 0 and fingerprint(made) in shown.output and made.decode() not in shown.output
    assert run("key", "init").exit_code == 2  # never replaced
    export = tmp_path / "usb" / "department.key"
    export.parent.mkdir()
    assert run("key", "export", str(export)).exit_code == 0
    assert (export.stat().st_mode & 0o777) == 0o600 and export.read_bytes().strip() == made
    assert run("certificate", "hd-2020-001").exit_code == 0
    # The second computer: no key, then the department's one.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "second"))
    assert "irdocs key import" in run("verify", "MNUMS-HD-2020-0001", "x").stderr
    imported = run("key", "import", str(export))
    assert imported.exit_code == 0, imported.output
    assert (tmp_path / "second" / "irdocs" / "verification.key").read_bytes().strip() == made
    with Register(register_path(office)) as reg:
        entry = reg.entries()[0]
        assert reg.key_fingerprint() == fingerprint(made)
    assert run("verify", entry.serial, entry.code).exit_code == 0
    # Another key cannot be imported over the register's.
    wrong = tmp_path / "wrong.key"
    wrong.write_text(OTHER_KEY + "\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "third"))
    refused = run("key", "import", str(wrong))
    assert refused.exit_code == 2 and "not the department's key" in refused.stderr
    assert not (tmp_path / "third" / "irdocs" / "verification.key").exists()


def test_a_short_key_file_is_refused(office, tmp_path, run):
    key_file(tmp_path).write_text("short\n")
    result = run("certificate", "hd-2020-001")
    assert result.exit_code == 2 and "the verification key is too short (5 bytes, at least 32)" in result.stderr


def test_serve_refuses_to_start_without_the_key(office, tmp_path, run):
    key_file(tmp_path).unlink()
    result = run("serve", "--port", "0")
    assert result.exit_code == 2 and "irdocs key import FILE" in result.stderr
    assert not key_file(tmp_path).exists()
