"""SIGKILL at chosen moments of `irdocs new`, `irdocs import` and `irdocs certificate`: nothing is lost or half-written.

``tests/killpoints.py`` runs each command once to count its moments (lines of irdocs' writing
modules, SQL statements, file operations), then once per kill point, killed there with SIGKILL.
The kill points are spread evenly over the run and include every moment that writes (each rename,
each temporary file, each SQL COMMIT). After each kill: the records parse, each record file is the
old one or the new one, the register opens and is consistent (no serial twice, every serial and
every file in the audit log, no gap in the numbering), every certificate file is a whole PDF, and
the same command run again finishes the work.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import MINI_AGREEMENTS, MINI_HONOREES, MINI_PARTNERS, SAMPLE
from tests.records.test_records_concurrency import _rows

HELPER = Path(__file__).with_name("killpoints.py")
SPREAD = 20  # evenly spaced kill points, on top of the moments just before and after each write
WRITES = ("os.rename", "sql COMMIT")  # os.replace is audited as os.rename


def office(base: Path, honorees: str = MINI_HONOREES) -> Path:
    records = base / "records"
    records.mkdir(parents=True)
    for name in ("institution.yaml", "emblem.svg"):
        shutil.copy(SAMPLE / name, records)
    for name, text in (("partners.yaml", MINI_PARTNERS), ("agreements.yaml", MINI_AGREEMENTS), ("honorees.csv", honorees)):
        (records / name).write_text(text, encoding="utf-8")
    return base


def helper(tmp_path: Path, source: Path, args: list[str], points: list[int], lines: bool) -> dict:
    spec = tmp_path / f"spec-{len(points)}.json"
    spec.write_text(json.dumps({"source": str(source), "work": str(tmp_path / "runs"), "args": args, "points": points, "lines": lines}), encoding="utf-8")
    done = subprocess.run([sys.executable, str(HELPER), str(spec)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def kill_everywhere(tmp_path: Path, source: Path, args: list[str], lines: bool = True) -> tuple[Path, dict]:
    """The folder of the complete run, and one run killed at each kill point: {point: outcome}."""
    (tmp_path / "runs").mkdir()
    complete = helper(tmp_path, source, args, [], lines)
    assert complete["exit"] == 0 and not complete["killed"], complete["output"]
    total = complete["count"]
    spread = {max(1, round(total * i / (SPREAD + 1))) for i in range(1, SPREAD + 1)}
    writes = {index for index, what in complete["landmarks"] if what.startswith(WRITES)}
    # A moment is counted before its operation runs: killed there, the operation never happened.
    points = sorted(spread | writes | {total})
    assert len(points) >= 20
    outcomes = {int(point): outcome for point, outcome in helper(tmp_path, source, args, points, lines).items()}
    assert all(outcome["killed"] for outcome in outcomes.values()), "every run is killed before it ends"
    return tmp_path / "runs" / "complete", outcomes


RECORD_FILES = {"institution.yaml", "emblem.svg", "partners.yaml", "agreements.yaml", "honorees.csv", "register.sqlite3"}


def strays(records: Path) -> set[str]:
    """Files in the records folder besides the records, the lock, a killed write's hidden temporary
    file and SQLite's journal of a killed transaction (rolled back when the register is next opened)."""
    names = {p.name for p in records.iterdir()}
    return {n for n in names - RECORD_FILES if n != ".irdocs.lock" and not (n.startswith(".") and n.endswith(".tmp")) and n != "register.sqlite3-journal"}


PROPOSAL = """\
partner:
  id: gamma-institute
  name: Gamma Institute
  kind: research-institute
  country: DE
  city: Berlin
agreement:
  id: gamma-mou-2024
  kind: mou
  title: MoU with Gamma Institute
  partners: [gamma-institute]
  status: draft
  areas: [health]
"""


def test_new_agreement_killed_at_any_moment_leaves_records_whole(tmp_path):
    from irdocs.records.validate import load_records

    source = office(tmp_path / "source")
    (source / "proposal.yaml").write_text(PROPOSAL, encoding="utf-8")
    args = ["new", "agreement", "--from", "proposal.yaml"]
    complete, outcomes = kill_everywhere(tmp_path, source, args)
    final = complete / "records"
    old = {name: (source / "records" / name).read_bytes() for name in ("partners.yaml", "agreements.yaml")}
    new = {name: (final / name).read_bytes() for name in old}
    seen = set()
    for point, outcome in outcomes.items():
        folder = Path(outcome["folder"])
        now = {name: (folder / "records" / name).read_bytes() for name in old}
        state = tuple("new" if now[name] == new[name] else "old" if now[name] == old[name] else "damaged" for name in old)
        assert state in {("old", "old"), ("new", "old"), ("new", "new")}, (point, state)  # never an agreement without its partner
        seen.add(state)
        records = load_records(folder / "records")  # parses and validates
        assert not strays(folder / "records")
        assert ("gamma-mou-2024" in records.agreements_by_id) == (state[1] == "new")
        again = Path(outcome["again"])
        if state == ("old", "old"):
            assert outcome["again_exit"] == 0, outcome["again_output"]
            assert {name: (again / "records" / name).read_bytes() for name in old} == new
        else:
            assert outcome["again_exit"] == 1  # the officer is told what is already there
            assert "'gamma-institute' is already the id of the partner at records/partners.yaml:" in outcome["again_output"]
    assert {("old", "old"), ("new", "old"), ("new", "new")} <= seen, "kill points before, between and after the two renames"


def test_import_killed_at_chosen_moments_leaves_records_whole(tmp_path):
    from irdocs.records.validate import load_records

    source = office(tmp_path / "source")
    (source / "new.csv").write_text(_rows(300, 12), encoding="utf-8")
    args = ["import", "new.csv", "--as", "honorees"]
    complete, outcomes = kill_everywhere(tmp_path, source, args)
    old = (source / "records" / "honorees.csv").read_bytes()
    new = (complete / "records" / "honorees.csv").read_bytes()
    for point, outcome in outcomes.items():
        folder = Path(outcome["folder"])
        now = (folder / "records" / "honorees.csv").read_bytes()
        assert now in (old, new), point
        assert not strays(folder / "records")
        assert len(load_records(folder / "records").honorees) == (2 if now == old else 14)
        if now == old:
            assert outcome["again_exit"] == 0, outcome["again_output"]
            assert (Path(outcome["again"]) / "records" / "honorees.csv").read_bytes() == new


# --------------------------------------------------------------------------- the register

HONOREES = MINI_HONOREES + (
    "vp-2024-001,visiting-professor,Schmidt,Anna,,DE,Some University,,2024-05-02,For lectures.,Лекц уншсаныг үнэлж.\n"
    "vp-2024-002,visiting-professor,Dubois,Marie,,FR,Some University,,2024-05-03,For lectures.,Лекц уншсаныг үнэлж.\n"
)


def check_register(records: Path) -> dict[str, str]:
    """The register's promises; returns honoree -> issued serial."""
    from irdocs.documents.certificates.register import Register, register_path

    path = register_path(records)
    if not path.exists():
        return {}
    with Register(path, create=False) as register:  # opens (SQLite rolls back a killed transaction here)
        db = register.db
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        twice = db.execute("SELECT honoree_id FROM serials WHERE status = 'issued' GROUP BY honoree_id HAVING COUNT(*) > 1").fetchall()
        assert not twice, "an honoree has two serials"
        for kind_code, year, sequences in db.execute("SELECT kind_code, year, GROUP_CONCAT(sequence) FROM serials GROUP BY kind_code, year"):
            numbers = sorted(int(n) for n in sequences.split(","))
            assert numbers == list(range(1, len(numbers) + 1)), f"a gap in the {kind_code} {year} serials: {numbers}"
        audit = {(row["action"], row["serial"], row["detail"]) for row in register.audit()}
        issued = {}
        for entry in register.entries():
            assert ("issue", entry.serial, "") in audit, f"{entry.serial} is not in the audit log"
            issued[entry.honoree_id] = entry.serial
            for sha in register.files(entry.serial):
                assert ("file", entry.serial, sha) in audit, f"the file {sha} of {entry.serial} is not in the audit log"
        actions = db.execute("SELECT COUNT(*) FROM audit WHERE action = 'issue'").fetchone()[0]
        assert actions == len(issued), "an audit entry for a serial that is not in the register"
    return issued


#: A plain design: the register and the files are under test here, not the look (each run is short).
PLAIN_DESIGN = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ document_title }}</title></head>
<body><p>{{ name.latin }}</p><p>{{ name.native }}</p><p>{{ title_en }} · {{ title_mn }}</p><p>{{ serial }} {{ code }}</p></body></html>
"""


def plain_templates(folder: Path) -> None:
    from irdocs.records.model import TITLE_KINDS

    designs = folder / "tpl" / "certificates"
    designs.mkdir(parents=True)
    (designs / "certificate.css").write_text(
        '@page { size: A4 landscape; margin: 20mm; }\nbody { font-family: "Noto Serif", "Noto Serif CJK JP", "Noto Serif CJK KR"; }\n', encoding="utf-8"
    )
    for kind in TITLE_KINDS:
        (designs / f"{kind}.html").write_text(PLAIN_DESIGN, encoding="utf-8")
        (designs / f"{kind}.css").write_text("", encoding="utf-8")


def unrecorded_files(folder: Path, issued: dict[str, str]) -> list[str]:
    """Check every certificate file (a whole one-page PDF, named by a serial of the register);
    the names of those whose SHA-256 the register does not hold."""
    import hashlib

    from irdocs.documents.certificates.register import Register, register_path

    recorded: set[str] = set()
    if issued:
        with Register(register_path(folder / "records"), create=False) as register:
            recorded = {sha for serial in issued.values() for sha in register.files(serial)}
    unrecorded = []
    for pdf in sorted((folder / "out" / "certificates").glob("*.pdf")):
        assert len(PdfReader(str(pdf)).pages) == 1, f"{pdf.name} is not a whole certificate"
        assert pdf.stem in issued.values(), f"{pdf.name} has no serial in the register"
        if hashlib.sha256(pdf.read_bytes()).hexdigest() not in recorded:
            unrecorded.append(pdf.name)
    return unrecorded


def test_certificates_killed_at_any_moment_keep_the_register_consistent(tmp_path, keyed):
    source = office(tmp_path / "source", HONOREES)
    plain_templates(source)
    args = ["certificate", "--all", "--templates", "tpl"]
    complete, outcomes = kill_everywhere(tmp_path, source, args, lines=False)
    final = check_register(complete / "records")
    assert len(final) == 4
    seen = set()
    for point, outcome in outcomes.items():
        folder = Path(outcome["folder"])
        assert not strays(folder / "records")
        issued = check_register(folder / "records")
        assert issued.items() <= final.items(), "serials are given in the same order as in a complete run"
        unrecorded = unrecorded_files(folder, issued)
        assert unrecorded == [], "a certificate file appears only once its serial and its hash are in the register"
        written = len(list((folder / "out" / "certificates").glob("*.pdf")))
        seen.add("serial without its file yet" if written < len(issued) else "consistent")
        again = Path(outcome["again"])
        assert outcome["again_exit"] == 0, (point, outcome["again_output"])
        assert check_register(again / "records") == final, "run again, the serials are those of a complete run"
        assert sorted(p.name for p in (again / "out" / "certificates").glob("*.pdf")) == sorted(f"{s}.pdf" for s in final.values())
        assert unrecorded_files(again, final) == [], "run again, every file is in the register and its audit log"
    assert seen == {"serial without its file yet", "consistent"}, "the kill points reach each window"
