"""No traceback, ever: the computer refusing a file is one line naming the path and what to do.

Issue 14, point 6. Each write point of ``import``, ``new partner --from``, ``certificate``, ``build`` and
``register revoke`` meets a real refusal where the machine allows it: a read-only bind mount of the
records (or output) folder and a tiny, full tmpfs, each in a private mount namespace made by
``unshare -rm`` (tests run as root, for whom ``chmod`` stops nothing). Where namespaces are not
available, the same errors are injected in-process (``os.replace``, ``os.fsync``, the register opened
read-only). Every case asserts: exit code 1 or 2, no traceback, the message names the path, and the
records folder and the register are byte for byte what they were (no temporary file left either).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO

READ_ONLY = "the disk or folder is read-only; copy the folder to a place you can write to, or ask for it to be made writable"
FULL = "the disk is full; free some space on the disk, then run the command again"
DENIED = "permission denied; ask for permission to write there, or work on a copy of the folder you own"
IN_USE = "the file is in use by another program; close that program (Excel, LibreOffice, another irdocs command), then run the command again"

NEW_HONOREES = (
    "id,title,family_name,given_name,native_name,country,affiliation,awarded_on,citation,citation_mn\n"
    "hp-2025-101,honorary-professor,Tanaka,Kenichi,田中 健一,JP,Alpha University,2025-06-15,For teaching.,Багшилсныг үнэлж.\n"
)
NEW_PARTNER = "partner:\n  id: gamma-institute\n  name: Gamma Institute\n  kind: research-institute\n  country: DE\n  city: Berlin\n"
TEMPLATES = str(REPO / "templates")


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = "d=$(mktemp -d) && mount --bind -o ro $d $d && ! touch $d/x 2>/dev/null && mount -t tmpfs -o size=16k tmpfs $d"
    try:
        return subprocess.run(["unshare", "-rm", "sh", "-c", probe], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


NAMESPACES = _namespaces_work()
needs_namespaces = pytest.mark.skipif(not NAMESPACES, reason="no private mount namespace here (unshare -rm); the in-process tests cover it")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` (the lock file aside) with its bytes: temporary files left behind show."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".irdocs.lock"}


def assert_one_line(stderr: str, path: str, reason: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"{path}: "), stderr
    assert lines[0].endswith(reason), stderr


def assert_document_failed(result, path: str, reason: str) -> None:
    """The build engine's report: each document that failed, with its one-line reason (build's summary
    is on stdout)."""
    text = result.stderr + result.stdout
    assert "Traceback" not in text, text
    reasons = [line for line in text.splitlines() if reason in line]
    assert reasons, text
    assert all(f"{path}" in line for line in reasons), text


@pytest.fixture
def office(mini, keyed):
    """The tiny records with one certificate issued (so there is a register), and the files to add."""
    from irdocs.cli import main

    base = mini.parent
    result = CliRunner().invoke(main, ["certificate", "hd-2020-001", "--templates", TEMPLATES], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (base / "new.csv").write_text(NEW_HONOREES, encoding="utf-8")
    (base / "partner.yaml").write_text(NEW_PARTNER, encoding="utf-8")
    return base


def in_namespace(base: Path, setup: str, *args: str) -> subprocess.CompletedProcess:
    """``irdocs ARGS`` in a private mount namespace, after the shell ``setup`` (run in ``base``)."""
    script = f'{setup} && exec "$0" -m irdocs "$@"'
    return subprocess.run(["unshare", "-rm", "sh", "-c", script, sys.executable, *args], cwd=base, capture_output=True, text=True, timeout=300, env=os.environ)


def read_only(folder: str) -> str:
    return f"mount --bind -o ro {folder} {folder}"


# --------------------------------------------------------------------------- a read-only records folder

RECORDS_READ_ONLY = [
    pytest.param(["import", "new.csv", "--as", "honorees"], "records", id="import"),
    pytest.param(["new", "partner", "--from", "partner.yaml"], "records", id="new-partner"),
    pytest.param(["register", "revoke", "MNUMS-HD-2020-0001", "--reason", "a typo in the name"], "records/register.sqlite3", id="register-revoke"),
]


@needs_namespaces
@pytest.mark.parametrize(("args", "path"), RECORDS_READ_ONLY)
def test_read_only_records_folder_is_one_line(office, args, path):
    before = snapshot(office / "records")
    result = in_namespace(office, read_only("records"), *args)
    assert result.returncode in (1, 2), result
    assert_one_line(result.stderr, path, READ_ONLY)
    assert snapshot(office / "records") == before


@needs_namespaces
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["certificate", "hp-1985-001", "--templates", TEMPLATES], id="certificate-new-serial"),
        pytest.param(["certificate", "hd-2020-001", "--force", "--templates", TEMPLATES], id="certificate-reprint"),
        pytest.param(["build", "certificates", "--force", "--jobs", "1", "--templates", TEMPLATES], id="build"),
    ],
)
def test_read_only_register_fails_the_certificate_not_the_command(office, args):
    """Observed: ``sqlite3.OperationalError: attempt to write a readonly database`` and a traceback."""
    records, out = snapshot(office / "records"), snapshot(office / "out")
    result = in_namespace(office, read_only("records"), *args)
    assert result.returncode == 1, result
    assert_document_failed(result, "records/register.sqlite3", f"the certificate register cannot be changed: {READ_ONLY}")
    assert snapshot(office / "records") == records
    assert snapshot(office / "out") == out, "no certificate is written without its serial, and the old file stays"


@needs_namespaces
def test_read_only_output_folder_fails_each_document(office):
    before = snapshot(office / "out")
    result = in_namespace(office, read_only("out"), "certificate", "hd-2020-001", "--force", "--templates", TEMPLATES)
    assert result.returncode == 1, result
    assert_document_failed(result, "out", READ_ONLY)
    assert snapshot(office / "out") == before


@needs_namespaces
def test_read_only_records_folder_with_its_lock_file_already_there(office):
    """The lock file left by an earlier command cannot be opened for writing either: same line, at once."""
    (office / "records" / ".irdocs.lock").touch()
    before = snapshot(office / "records")
    result = in_namespace(office, read_only("records"), "import", "new.csv", "--as", "honorees")
    assert result.returncode == 1, result
    assert_one_line(result.stderr, "records", READ_ONLY)
    assert snapshot(office / "records") == before


# --------------------------------------------------------------------------- a full disk


def full_copy(folder: str, size: str = "512k") -> str:
    """``folder`` replaced by a copy on a tiny tmpfs, which is then filled up; once the command is done the
    copy is saved (filler aside) into ``after/`` for the test to compare."""
    return (
        f"cp -a {folder} before && mount -t tmpfs -o size={size} tmpfs {folder} && cp -a before/. {folder}/"
        f" && {{ dd if=/dev/zero of={folder}/.filler bs=4k 2>/dev/null; true; }}"
    )


def in_full_disk(base: Path, folder: str, *args: str) -> subprocess.CompletedProcess:
    script = f'{full_copy(folder)} && "$0" -m irdocs "$@"; rc=$?; rm {folder}/.filler && mkdir after && cp -a {folder}/. after/; exit $rc'
    return subprocess.run(["unshare", "-rm", "sh", "-c", script, sys.executable, *args], cwd=base, capture_output=True, text=True, timeout=300, env=os.environ)


@needs_namespaces
@pytest.mark.parametrize(
    ("args", "path"),
    [
        pytest.param(["import", "new.csv", "--as", "honorees"], "records/honorees.csv", id="import"),
        pytest.param(["new", "partner", "--from", "partner.yaml"], "records/partners.yaml", id="new-partner"),
        pytest.param(["register", "revoke", "MNUMS-HD-2020-0001", "--reason", "a typo in the name"], "records/register.sqlite3", id="register-revoke"),
    ],
)
def test_full_disk_under_the_records_is_one_line(office, args, path):
    """Observed: ``OSError: [Errno 28] No space left on device`` and a traceback."""
    before = snapshot(office / "records")
    result = in_full_disk(office, "records", *args)
    assert result.returncode in (1, 2), result
    assert_one_line(result.stderr, path, FULL)
    assert snapshot(office / "after") == before, "nothing half-written, no temporary file left"


@needs_namespaces
def test_full_disk_under_the_output_folder_stops_build_in_one_line(office):
    """The build's own state file cannot be saved either: the build says so in one line and exits 1."""
    result = in_full_disk(office, "out", "build", "certificates", "--force", "--jobs", "1", "--templates", TEMPLATES)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.splitlines()[-1] == (
        f"out/.irdocs-state.json: cannot be written: {FULL} (the documents listed are written; until this is fixed, the next run makes them again)"
    )
    assert not [name for name in snapshot(office / "after") if name.endswith(".tmp")]


@needs_namespaces
def test_full_disk_while_writing_documents(office):
    result = in_full_disk(office, "out", "certificate", "hd-2020-001", "hp-1985-001", "--force", "--templates", TEMPLATES)
    assert result.returncode == 1, result
    assert_document_failed(result, "out/", FULL)
    after = snapshot(office / "after")
    assert not [name for name in after if name.endswith(".tmp")], after
    assert not (office / "after" / "certificates" / "MNUMS-HP-1985-0001.pdf").exists(), "no certificate without room for it"


# --------------------------------------------------------------------------- in-process fault injection


def run(*args: str):
    from irdocs.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def refuse(number: int):
    def fail(*args, **kwargs):
        raise OSError(number, os.strerror(number))

    return fail


@pytest.mark.parametrize(
    ("point", "number", "reason"),
    [
        pytest.param("replace", errno.EROFS, READ_ONLY, id="rename-read-only"),
        pytest.param("replace", errno.EBUSY, IN_USE, id="rename-file-in-use"),
        pytest.param("fsync", errno.ENOSPC, FULL, id="flush-disk-full"),
        pytest.param("fsync", errno.EACCES, DENIED, id="flush-denied"),
    ],
)
@pytest.mark.parametrize(
    ("args", "path"),
    [
        pytest.param(["import", "new.csv", "--as", "honorees"], "records/honorees.csv", id="import"),
        pytest.param(["new", "partner", "--from", "partner.yaml"], "records/partners.yaml", id="new-partner"),
    ],
)
def test_injected_error_while_changing_records(office, monkeypatch, args, path, point, number, reason):
    before = snapshot(office / "records")
    monkeypatch.setattr(os, point, refuse(number))
    result = run(*args)
    monkeypatch.undo()
    assert result.exit_code in (1, 2), result.output
    assert_one_line(result.stderr, path, reason)
    assert snapshot(office / "records") == before


@pytest.mark.parametrize("args", [["build", "certificates"], ["certificate", "hd-2020-001", "hp-1985-001"]], ids=["build", "certificate"])
def test_state_file_not_saved_keeps_each_documents_outcome(office, monkeypatch, args):
    """The disk fills up just when the build's state is saved: every document's outcome is still
    reported, then one line about the state file (the build ended in that one line before)."""
    import irdocs.build

    monkeypatch.setattr(irdocs.build, "save_state", lambda out_dir, state, kinds=None: refuse(errno.ENOSPC)(out_dir / irdocs.build.STATE_FILE))
    result = run(*args, "--force", "--jobs", "1", "--templates", TEMPLATES) if args[0] == "build" else run(*args, "--force", "--templates", TEMPLATES)
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    if args[0] == "build":
        assert "2 built, 0 up to date, 0 failed, 0 removed." in result.stdout
    else:
        assert "MNUMS-HD-2020-0001.pdf" in result.stdout and "MNUMS-HP-1985-0001.pdf" in result.stdout
    assert result.stderr.splitlines()[-1].startswith("out/.irdocs-state.json: cannot be written: ")
    assert result.stderr.splitlines()[-1].endswith("(the documents listed are written; until this is fixed, the next run makes them again)")
    assert (office / "out" / "certificates" / "MNUMS-HP-1985-0001.pdf").read_bytes().rstrip().endswith(b"%%EOF")


def test_injected_disk_full_while_writing_a_certificate(office, monkeypatch):
    records, out = snapshot(office / "records"), snapshot(office / "out")
    monkeypatch.setattr(os, "fsync", refuse(errno.ENOSPC))
    result = run("certificate", "hp-1985-001", "--templates", TEMPLATES)
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert_document_failed(result, "out/", FULL)
    assert snapshot(office / "records") == records, "no serial is issued for a certificate that was not written"
    assert snapshot(office / "out") == out


@pytest.fixture
def read_only_register(monkeypatch):
    """The register opened by SQLite read-only, as it is on a read-only disk: its writes fail for real."""
    import irdocs.documents.certificates.register

    connect = sqlite3.connect

    def read_only_connect(database, *args, **kwargs):
        if str(database).endswith("register.sqlite3"):
            kwargs["uri"] = True
            database = f"{Path(database).resolve().as_uri()}?mode=ro"
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(irdocs.documents.certificates.register.sqlite3, "connect", read_only_connect)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["certificate", "hd-2020-001", "--force", "--templates", TEMPLATES], id="certificate-reprint"),
        pytest.param(["build", "certificates", "--jobs", "1", "--templates", TEMPLATES], id="build"),
    ],
)
def test_injected_read_only_register_while_issuing(office, read_only_register, args):
    records, out = snapshot(office / "records"), snapshot(office / "out")
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert_document_failed(result, "records/register.sqlite3", "the certificate register cannot")
    assert snapshot(office / "records") == records
    assert snapshot(office / "out") == out


def test_injected_read_only_register_while_revoking(office, read_only_register):
    before = snapshot(office / "records")
    result = run("register", "revoke", "MNUMS-HD-2020-0001", "--reason", "a typo in the name")
    assert result.exit_code == 1, result.output
    assert_one_line(result.stderr, "records/register.sqlite3", READ_ONLY)
    assert snapshot(office / "records") == before


def test_missing_output_folder_parent_is_one_line(office):
    """``--out`` below a file (not a folder): named, not a traceback."""
    (office / "a-file").write_text("x", encoding="utf-8")
    result = run("certificate", "hd-2020-001", "--out", "a-file/out", "--templates", TEMPLATES)
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("a-file/out"), result.stderr


def test_last_net_turns_any_escaping_os_error_into_one_line(mini, monkeypatch):
    import irdocs.records.validate

    def locked(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(mini / "partners.yaml"))

    monkeypatch.setattr(irdocs.records.validate, "load_records_partial", locked)
    result = run("check")
    assert result.exit_code == 1
    assert_one_line(result.stderr, "records/partners.yaml", DENIED)


def test_last_net_without_a_file_says_only_what_the_computer_said(mini, monkeypatch):
    import irdocs.records.validate

    def taken(*args, **kwargs):
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(irdocs.records.validate, "load_records_partial", taken)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == "irdocs: the computer refused: Address already in use\n"


def test_records_lock_held_by_another_command_is_still_busy_not_refused(mini, monkeypatch):
    """filelock's Timeout is an OSError (TimeoutError): it stays the 'busy' message, exit 2."""
    import irdocs.write
    from irdocs.write import records_lock

    (mini.parent / "new.csv").write_text(NEW_HONOREES, encoding="utf-8")
    monkeypatch.setattr(irdocs.write, "LOCK_TIMEOUT", 0.0)
    monkeypatch.setattr(irdocs.write.records_lock, "__defaults__", (0.0,))
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(mini)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run("import", "new.csv", "--as", "honorees")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2, result.output
    assert result.stderr == "records: another irdocs command is changing these records; try again when it has finished\n"
    assert records_lock is irdocs.write.records_lock


HOLD_LOCK = """
import sys, time
from pathlib import Path
from irdocs.write import records_lock
with records_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""
