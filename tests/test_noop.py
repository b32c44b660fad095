"""A whole `irdocs build` with nothing to do answers without reading the records (irdocs/noop.py),
and only when the engine itself would have found nothing to do."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from irdocs.noop import NOOP_FILE

DATE = "2026-11-27"

#: Runs the CLI in a fresh process and says which heavy libraries the command imported.
_PROBE = """
import json, sys
from irdocs.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    heavy = sorted(m for m in ("pydantic", "weasyprint", "yaml", "rich", "irdocs.records.model", "irdocs.records.validate") if m in sys.modules)
    print("HEAVY=" + json.dumps(heavy))
"""


def probe(*args: str) -> tuple[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=True)
    heavy = next(line for line in done.stdout.splitlines() if line.startswith("HEAVY="))
    return done.stdout, json.loads(heavy.removeprefix("HEAVY="))


@pytest.fixture
def built(mini, keyed, run) -> Path:
    """The mini records built whole: every document up to date afterwards.

    The first build issues serials, so the register changed while it ran and it leaves no record
    (it cannot tell its own serials from another command's); the second, the engine's own no-op, does."""
    result = run("build", "--date", DATE, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert not (mini.parent / "out" / NOOP_FILE).exists()
    result = run("build", "--date", DATE)
    assert result.exit_code == 0 and "0 built," in result.output, result.output
    return mini.parent / "out"


def test_a_noop_build_reads_no_records(built):
    out, heavy = probe("build", "--date", DATE)
    assert "0 built," in out and "up to date, 0 failed, 0 removed." in out, out
    assert heavy == [], f"a no-op build imported {heavy}"


def test_the_noop_count_is_the_engines(built, run):
    engine = run("build", "--date", DATE, "--verbose")  # --verbose lists the documents: the engine answers
    assert engine.exit_code == 0
    counted = next(line for line in engine.output.splitlines() if " up to date, " in line)
    out, heavy = probe("build", "--date", DATE)
    assert counted in out and heavy == []


def test_an_edited_record_is_rebuilt(built, run):
    honorees = built.parent / "records" / "honorees.csv"
    honorees.write_text(honorees.read_text(encoding="utf-8").replace("For teaching.", "For teaching and research."), encoding="utf-8")
    result = run("build", "--date", DATE)
    assert result.exit_code == 0 and "1 built," in result.output, result.output
    out, heavy = probe("build", "--date", DATE)
    assert "0 built," in out and heavy == []


def test_a_deleted_or_changed_output_is_rebuilt(built, run):
    pdf = sorted((built / "certificates").glob("*.pdf"))[0]
    pdf.unlink()
    result = run("build", "--date", DATE)
    assert result.exit_code == 0 and "1 built," in result.output and pdf.is_file(), result.output
    pdf.write_bytes(pdf.read_bytes()[:-10])
    result = run("build", "--date", DATE)
    assert result.exit_code == 0 and "1 built," in result.output, result.output


def test_another_date_or_templates_are_not_a_noop(built, run, tmp_path):
    result = run("build", "--date", "2026-11-28")
    assert result.exit_code == 0 and "0 built," not in result.output, result.output
    import shutil

    from irdocs import default_templates

    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    result = run("build", "--date", "2026-11-28", "--templates", str(templates))
    assert result.exit_code == 0, result.output  # the same designs: all up to date, by the engine
    css = templates / "certificates" / "certificate.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    result = run("build", "--date", "2026-11-28", "--templates", str(templates))
    assert result.exit_code == 0 and "2 built," in result.output, result.output


def test_a_reprint_keeps_the_shortcut_and_a_changed_state_does_not(built, run):
    """`irdocs certificate ID --force` rewrites the file and its state entry the same (same inputs, same
    bytes): still nothing to do. A state that says something else sends the build to the engine."""
    assert run("certificate", "hd-2020-001", "--force").exit_code == 0
    out, heavy = probe("build", "--date", DATE)
    assert "0 built," in out and heavy == []
    state_file = built / ".irdocs-state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    name = sorted(n for n in state["outputs"] if n.startswith("certificates/"))[0]
    state["outputs"][name]["fingerprint"] = "0" * 64  # as if made from other inputs
    state_file.write_text(json.dumps(state), encoding="utf-8")
    out, heavy = probe("build", "--date", DATE)
    assert "1 built," in out and "pydantic" in heavy


def test_a_build_with_a_failure_is_never_a_noop(mini, keyed, run):
    honorees = mini / "honorees.csv"
    honorees.write_text(honorees.read_text(encoding="utf-8").replace("Kim,Minjun", "Kim,Min\u0f00jun"), encoding="utf-8")
    first = run("build", "--date", DATE)
    assert first.exit_code == 1
    assert not (mini.parent / "out" / NOOP_FILE).exists()
    second = run("build", "--date", DATE)
    assert second.exit_code == 1 and "failed: " in second.output


def test_a_dry_run_or_a_selection_leaves_no_record(mini, keyed, run):
    assert run("build", "--date", DATE, "--dry-run").exit_code == 0
    assert not (mini.parent / "out" / NOOP_FILE).exists()
    assert run("build", "certificates", "--date", DATE, "--where", "country=jp").exit_code == 0
    assert not (mini.parent / "out" / NOOP_FILE).exists()


def test_a_revoked_serial_is_seen(built, run):
    """A revocation changes the register's serials: the engine answers (the certificate is no longer printed)."""
    import sqlite3

    with sqlite3.connect(built.parent / "records" / "register.sqlite3") as db:
        serial = db.execute("SELECT serial FROM serials ORDER BY serial").fetchone()[0]
    assert run("register", "revoke", serial, "--reason", "issued in error").exit_code == 0
    out, heavy = probe("build", "--date", DATE)
    assert "pydantic" in heavy and "0 built," in out, out


def test_the_shortcut_takes_the_engines_lock(built):
    """While a build holds the output folder's lock, a no-op build is the engine's (which waits)."""
    from irdocs import build, noop
    from irdocs.write import folder_lock

    assert noop.LOCK_FILE == build.LOCK_FILE and noop.REGISTER_NAME == "register.sqlite3"
    with folder_lock(built / build.LOCK_FILE.format(kind="factsheets"), 1, "busy"):
        done = subprocess.run([sys.executable, "-m", "irdocs", "build", "--date", DATE, "--wait", "0"], capture_output=True, text=True)
    assert done.returncode != 0 and "another irdocs command is making fact sheets" in done.stderr + done.stdout
    out, heavy = probe("build", "--date", DATE)
    assert "0 built," in out and heavy == []
