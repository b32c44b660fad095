"""One pipeline: every command, the web app and the build make documents through the one engine.

Each test here was written against an observation of the first version, where three code paths
made documents and disagreed: a dry run issued serials, a failing certificate kept its serial,
the --where parsers differed, and an installed wheel had no designs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE, TEST_KEY

DATE = "2026-11-27"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def serials(records: Path) -> list[str]:
    path = records / "register.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT serial FROM serials ORDER BY serial")]


def audit_rows(records: Path) -> int:
    with sqlite3.connect(records / "register.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]


@pytest.fixture
def office(scratch_sample, keyed):
    """A copy of the sample records, the working folder of the test, with a test key."""
    return scratch_sample


# --------------------------------------------------------------------------- dry runs change nothing


def test_dry_run_issues_no_serial_and_creates_no_register(office, run):
    result = run("build", "certificates", "--dry-run", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert not (office / "register.sqlite3").exists(), "a dry run must not even create the register"
    assert "would build out/certificates/MNUMS-HD-" in result.output, "a dry run lists what it would build, by name"
    assert not Path("out/certificates").exists()


def test_dry_run_leaves_the_register_bytes_unchanged(office, run):
    assert run("certificate", "hd-2024-001").exit_code == 0
    before = digest(office / "register.sqlite3")
    rows = audit_rows(office)
    result = run("build", "certificates", "--dry-run", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert digest(office / "register.sqlite3") == before
    assert audit_rows(office) == rows
    assert len(serials(office)) == 1


# --------------------------------------------------------------------------- serials only at write


UNPRINTABLE = "\U0001d11e"  # MUSICAL SYMBOL G CLEF: in no installed font


def _replace_honoree(records: Path, honoree_id: str, column: str, value: str) -> None:
    import csv
    import io

    path = records / "honorees.csv"
    text = path.read_text(encoding="utf-8")
    comments = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO("".join(line for line in text.splitlines(keepends=True) if not line.startswith("#")))))
    for row in rows:
        if row["id"] == honoree_id:
            row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(comments + out.getvalue(), encoding="utf-8")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("affiliation", f"Tokyo {UNPRINTABLE} University", "is in none of the certificate's fonts"),
        ("citation", "For decades of service to medicine and to the people of Mongolia. " * 40, "does not fit on one page"),
    ],
    ids=["unprintable-character", "very-long-citation"],
)
def test_a_certificate_that_fails_in_build_leaves_no_serial(office, run, column, value, expected):
    _replace_honoree(office, "hd-2024-001", column, value)
    result = run("build", "certificates", "--where", "title=HD", "--where", "year=2024", "--jobs", "1")
    assert result.exit_code == 1
    assert expected in result.output
    issued = serials(office)
    assert issued, "the other certificates of the selection are made"
    with sqlite3.connect(office / "register.sqlite3") as db:
        owners = {row[0] for row in db.execute("SELECT honoree_id FROM serials")}
    assert "hd-2024-001" not in owners, "no serial for a certificate that was not written"
    on_disk = {p.stem for p in Path("out/certificates").glob("MNUMS-*.pdf")}
    assert on_disk == set(issued), "every serial has its file, and every file its serial"


def test_serials_are_issued_only_for_the_selection(office, run):
    result = run("build", "certificates", "--where", "country=kz", "--jobs", "1")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(office / "register.sqlite3") as db:
        countries = {row[0] for row in db.execute("SELECT DISTINCT honoree_id FROM serials")}
    from irdocs.records.validate import load_records

    records = load_records(office)
    assert countries == {h.id for h in records.honorees if h.country == "KZ"}


def test_a_failed_certificate_leaves_no_gap_in_the_numbers(office, run):
    """The next build gives the failed honoree the number that was foreseen for it, once it can be printed."""
    _replace_honoree(office, "hd-2024-001", "affiliation", f"Tokyo {UNPRINTABLE} University")
    assert run("build", "certificates", "--where", "year=2024", "--where", "title=HD", "--jobs", "1").exit_code == 1
    _replace_honoree(office, "hd-2024-001", "affiliation", "Tokyo University")
    assert run("build", "certificates", "--where", "year=2024", "--where", "title=HD", "--jobs", "1").exit_code == 0
    numbers = sorted(int(s.rsplit("-", 1)[1]) for s in serials(office) if "-HD-2024-" in s)
    assert numbers == list(range(1, len(numbers) + 1))


# --------------------------------------------------------------------------- one selection language


def _japanese_doctors() -> set[str]:
    from irdocs.records.validate import load_records

    records = load_records(SAMPLE)
    return {h.id for h in records.honorees if h.country == "JP" and h.title == "honorary-doctorate"}


@pytest.mark.parametrize("command", [("build", "certificates", "--jobs", "1"), ("certificate",)], ids=["build", "certificate"])
def test_where_is_case_insensitive_and_knows_title_codes(office, run, command):
    result = run(*command, "--where", "country=jp", "--where", "title=HD")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(office / "register.sqlite3") as db:
        owners = {row[0] for row in db.execute("SELECT honoree_id FROM serials")}
    assert owners == _japanese_doctors()
    assert len(owners) == 12


def test_where_country_selects_in_every_kind(office, run):
    result = run("build", "--where", "country=jp", "--dry-run", "--jobs", "1", "--date", DATE)
    assert result.exit_code == 0, result.output
    assert "would build out/factsheets/countries/jp.pdf" in result.output
    assert "out/factsheets/countries/kr.pdf" not in result.output
    assert "would build out/agreements/" in result.output
    result = run("agreement", "--where", "country=JP", "--date", DATE)
    assert result.exit_code == 0, result.output
    from irdocs.records.validate import load_records

    records = load_records(office)
    japanese = {a.id for a in records.agreements if any(records.partners_by_id[p].country == "JP" for p in a.partners)}
    assert {p.name.removesuffix(".docx") for p in Path("out/agreements").glob("*.docx")} == japanese


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("nonsense=1", "unknown field 'nonsense' (fields: ceremony, country, document, id, title, year)"),
        ("title=XX", "no title 'XX' in the records (one of: honorary-doctorate, honorary-professor, visiting-professor)"),
        ("country=ZZ", "no honoree from the country 'ZZ' in the records"),
        ("year", "write it as FIELD=VALUE"),
    ],
)
@pytest.mark.parametrize("command", ["build", "certificate"])
def test_where_refuses_what_it_does_not_know(office, run, where, message, command):
    args = ("build", "certificates", "--dry-run") if command == "build" else ("certificate",)
    result = run(*args, "--where", where)
    assert result.exit_code == 2
    assert message in result.output
    assert not (office / "register.sqlite3").exists()


# --------------------------------------------------------------------------- one engine, one state


def test_a_single_command_then_build_rebuilds_nothing(office, run):
    assert run("certificate", "hd-2024-001").exit_code == 0
    assert run("agreement", "yonsei-cooperation-1993", "--date", DATE).exit_code == 0
    assert run("factsheet", "country", "JP", "--as-of", DATE).exit_code == 0
    assert run("factsheet", "country", "JP", "--language", "mn", "--as-of", DATE).exit_code == 0  # the build makes both
    result = run("build", "--where", "id=hd-2024-001", "--where", "document=certificate", "--dry-run", "--jobs", "1", "--date", DATE)
    assert result.exit_code == 0 and "0 would be built, 1 up to date" in result.output, result.output
    for args in (
        ("certificates", "--where", "id=hd-2024-001"),
        ("agreements", "--where", "id=yonsei-cooperation-1993"),
        ("factsheets", "--where", "sheet=country", "--where", "country=JP"),
    ):
        result = run("build", *args, "--jobs", "1", "--date", DATE)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("0 built, "), (args, result.output)


def test_a_mongolian_draft_made_by_a_command_survives_a_full_build(office, run):
    assert run("agreement", "yonsei-cooperation-1993", "--language", "mn", "--date", DATE).exit_code == 0
    assert run("build", "agreements", "--jobs", "1", "--date", DATE).exit_code == 0
    assert Path("out/agreements/yonsei-cooperation-1993.mn.docx").is_file()


def test_the_build_deletes_only_its_own_files_inside_the_output_folder(office, run, tmp_path):
    import json

    assert run("build", "agreements", "--jobs", "1", "--date", DATE).exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    state_file = Path("out/.irdocs-state.json")
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["outputs"]["../victim.txt"] = {"kind": "agreements", "sha": "x", "size": 7}
    state["outputs"][str(victim)] = {"kind": "agreements", "sha": "x", "size": 7}
    state_file.write_text(json.dumps(state), encoding="utf-8")
    assert run("build", "agreements", "--jobs", "1", "--date", DATE).exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep me"


# --------------------------------------------------------------------------- the web and the CLI agree


def test_a_web_job_and_the_cli_write_the_same_bytes(tmp_path, keyed, monkeypatch):
    from click.testing import CliRunner

    from irdocs.accounts import Accounts
    from irdocs.cli import main
    from irdocs.web.service import Service

    records = tmp_path / "records"
    shutil.copytree(SAMPLE, records)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27: the drafts' date
    service = Service(records, tmp_path / "web-out", REPO / "templates", Accounts(tmp_path / "users.json"))
    jobs = [
        service.issue_certificates("tester", [], "ceremony-2025-10"),
        service.draft_agreement("tester", "yonsei-cooperation-1993", "en+mn"),
    ]
    for job in jobs:
        assert job.finished.wait(300)
        assert job.state == "done", (job.error, job.failures)
    runner = CliRunner()
    for args in (("certificate", "--ceremony", "ceremony-2025-10"), ("agreement", "yonsei-cooperation-1993", "--language", "en+mn")):
        result = runner.invoke(main, [*args, "--records", str(records), "--out", str(tmp_path / "cli-out")], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    web = {p.relative_to(tmp_path / "web-out"): p.read_bytes() for p in (tmp_path / "web-out").rglob("*.*") if not p.name.startswith(".")}
    cli = {p.relative_to(tmp_path / "cli-out"): p.read_bytes() for p in (tmp_path / "cli-out").rglob("*.*") if not p.name.startswith(".")}
    assert web.keys() == cli.keys() and len(web) > 3
    assert web == cli


# --------------------------------------------------------------------------- the designs ship in the package


def test_the_wheel_installed_outside_the_checkout_makes_every_kind(tmp_path):
    wheels = tmp_path / "wheels"
    source = tmp_path / "source"  # a copy: building writes build/ and *.egg-info/ beside the sources
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(".venv", ".git", "out", "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)], check=True, cwd=tmp_path)
    venv = tmp_path / "venv"
    # The venv sees this environment's packages (WeasyPrint, docxtpl...) but not the checkout: irdocs comes from the wheel.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([sys.executable, "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True, text=True, check=True).stdout.strip()
    (
        Path(subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True, text=True, check=True).stdout.strip())
        / "outer.pth"
    ).write_text(site + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--force-reinstall", *map(str, wheels.glob("*.whl"))], check=True)
    work = tmp_path / "office"
    work.mkdir()
    shutil.copytree(SAMPLE, work / "records")
    env = {k: v for k, v in os.environ.items() if k not in ("IRDOCS_TEMPLATES", "PYTHONPATH")} | {
        "IRDOCS_KEY": TEST_KEY,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    irdocs = [str(python), "-m", "irdocs"]
    where = subprocess.run([*irdocs, "--version"], cwd=work, env=env, capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    located = subprocess.run(
        [str(python), "-c", "import irdocs; print(irdocs.__file__, irdocs.default_templates())"], cwd=work, env=env, capture_output=True, text=True
    )
    assert str(REPO) not in located.stdout, located.stdout
    for args in (
        ("certificate", "hd-2024-001"),
        ("agreement", "yonsei-cooperation-1993", "--date", DATE),
        ("factsheet", "partner", "yonsei-university", "--as-of", DATE),
    ):
        done = subprocess.run([*irdocs, *args], cwd=work, env=env, capture_output=True, text=True)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    made = {p.relative_to(work / "out").as_posix() for p in (work / "out").rglob("*.*") if not p.name.startswith(".")}
    assert "agreements/yonsei-cooperation-1993.docx" in made
    assert "factsheets/partners/yonsei-university.pdf" in made
    assert any(name.startswith("certificates/MNUMS-HD-2024-") for name in made)


def test_a_certificate_issued_before_names_in_their_order_keeps_its_serial(office, run):
    """The register of an office that printed 'Hyunwoo Park' keeps that serial and code when the
    certificate is printed again as 'Park Hyunwoo' (family first for Korea), and the file verifies."""
    import dataclasses
    import functools

    from irdocs.documents.certificates.context import content_of
    from irdocs.documents.certificates.register import Register, register_path
    from irdocs.documents.certificates.verify import make_code
    from irdocs.records.validate import load_records

    records = load_records(office)
    honoree = records.honorees_by_id["hd-2024-001"]
    assert honoree.display_name == f"{honoree.family_name} {honoree.given_name}"
    old = dataclasses.replace(content_of(honoree, records.institution), name=f"{honoree.given_name} {honoree.family_name}")
    with Register(register_path(office)) as register:
        entry, _ = register.issue(records.institution.serial_prefix, old, functools.partial(make_code, TEST_KEY.encode()), "2024-06-30T00:00:00+00:00")
    result = run("certificate", "hd-2024-001")
    assert result.exit_code == 0, result.output
    assert f"({entry.serial}, reprint)" in result.output
    result = run("verify", f"out/certificates/{entry.serial}.pdf")
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- builds of different kinds at once


class _Held:
    """A reporter that holds its build after the first document until told to go on."""

    def __init__(self):
        import threading

        from irdocs.reporter import Reporter

        self.started, self.go = threading.Event(), threading.Event()
        reporter = self

        class Holding(Reporter):
            def done(self, name: str, status: str = "built") -> None:
                reporter.started.set()
                assert reporter.go.wait(120)

        self.reporter = Holding()


def _make(office: Path, kinds: tuple[str, ...], reporter=None, wait: float = 600, where: tuple[str, ...] = (), **named):
    from irdocs import default_templates
    from irdocs.build import make
    from irdocs.documents.document import Settings
    from irdocs.records.validate import load_records_partial

    records, problems = load_records_partial(office)
    return make(records, problems, default_templates(), Path("out"), kinds, Settings(date=_date()), where, named or None, reporter=reporter, wait=wait)


def _date():
    import datetime as dt

    return dt.date.fromisoformat(DATE)


def test_a_certificate_is_made_while_the_fact_sheets_are_being_made(office):
    """Observed: a ceremony job waited 66.5 s behind a colleague's "Make all fact sheets again".
    Builds of different kinds no longer wait for each other; both end in the one state."""
    import threading

    held = _Held()
    sheets: dict = {}
    worker = threading.Thread(target=lambda: sheets.setdefault("result", _make(office, ("factsheets",), held.reporter, where=("sheet=department",))))
    worker.start()
    try:
        assert held.started.wait(120), "the fact sheets' build did not start"
        certificate = _make(office, ("certificates",), wait=5, id=["hd-2024-001"], document="certificate")  # would wait for ever before
        assert certificate.ok and len(certificate.built) == 1
    finally:
        held.go.set()
        worker.join(300)
    assert sheets["result"].ok and sheets["result"].built
    from irdocs.build import load_state

    kinds = {entry["kind"] for entry in load_state(Path("out")).values()}
    assert kinds == {"certificates", "factsheets"}, "each build's outputs are in the one state, neither lost the other's"
    assert not _make(office, ("certificates",), id=["hd-2024-001"]).built, "nothing is made twice"
    assert not _make(office, ("factsheets",), where=("sheet=department",)).built


def test_two_builds_of_the_same_kind_take_turns(office):
    import threading

    from irdocs.errors import ConfigError

    held = _Held()
    worker = threading.Thread(target=lambda: _make(office, ("factsheets",), held.reporter, where=("sheet=department",)))
    worker.start()
    try:
        assert held.started.wait(120)
        with pytest.raises(ConfigError, match="another irdocs command is making fact sheets in this folder"):
            _make(office, ("factsheets",), wait=0.5, where=("sheet=department",))
    finally:
        held.go.set()
        worker.join(300)


def test_a_cancelled_build_keeps_what_it_wrote_and_makes_no_ceremony_file(office):
    """A job cancelled half-way: each certificate written has its serial, no serial lacks its file,
    the ceremony's print file is not made from half its certificates; the next build finishes."""
    import threading

    from irdocs.reporter import Reporter

    cancel = threading.Event()

    class CancelAfterTwo(Reporter):
        count = 0

        def done(self, name: str, status: str = "built") -> None:
            self.count += 1
            if self.count == 2:
                cancel.set()

    from irdocs import default_templates
    from irdocs.build import make
    from irdocs.documents.document import Settings
    from irdocs.records.validate import load_records_partial

    records, problems = load_records_partial(office)
    result = make(
        records,
        problems,
        default_templates(),
        Path("out"),
        ("certificates",),
        Settings(date=DATE),
        named={"ceremony": "ceremony-2025-10"},
        reporter=CancelAfterTwo(),
        cancel=cancel,
    )
    assert result.cancelled
    written = sorted(p.stem for p in Path("out/certificates").glob("MNUMS-*.pdf"))
    assert len(written) == 2
    assert serials(office) == written, "a serial for each file written, and none without its file"
    assert not list(Path("out/certificates").glob("ceremony*.pdf")), "no print file from half a ceremony"
    finished = _make(office, ("certificates",), ceremony="ceremony-2025-10")
    assert finished.ok and not finished.cancelled
    assert len(list(Path("out/certificates").glob("ceremony*.pdf"))) == 1
    assert {p.stem for p in Path("out/certificates").glob("MNUMS-*.pdf")} == set(serials(office))
