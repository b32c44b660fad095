"""`irdocs build`: incremental, deterministic, atomic, and a bad record fails alone."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import MINI_AGREEMENTS, MINI_PARTNERS, REPO, SAMPLE, TEST_KEY

KEY = TEST_KEY
DATE = "2026-11-27"
HONOREES = """\
id,title,family_name,given_name,native_name,country,affiliation,partner,awarded_on,ceremony,citation,citation_mn
hd-2020-001,honorary-doctorate,Yamada,Taro,山田 太郎,JP,Alpha University,alpha-university,2020-06-15,ceremony-2020-06,For service.,Гавьяаг үнэлж.
hp-2020-001,honorary-professor,Kim,Minjun,김민준,KR,Beta Hospital,,2020-06-15,ceremony-2020-06,For teaching.,Багшилсныг үнэлж.
vp-1985-001,visiting-professor,Ivanov,Sergei,Иванов Сергей,RU,Gamma Institute,,1985,,For lectures.,Лекц уншсаныг үнэлж.
"""


def make_project(base: Path) -> Path:
    """A small records folder (3 honorees, 2 partners, 1 agreement) and a copy of the templates."""
    records = base / "records"
    records.mkdir(parents=True)
    shutil.copy(SAMPLE / "institution.yaml", records)
    shutil.copy(SAMPLE / "emblem.svg", records)
    (records / "partners.yaml").write_text(MINI_PARTNERS, encoding="utf-8")
    (records / "agreements.yaml").write_text(MINI_AGREEMENTS, encoding="utf-8")
    (records / "honorees.csv").write_text(HONOREES, encoding="utf-8")
    shutil.copytree(REPO / "templates", base / "templates")
    return base


@pytest.fixture
def project(tmp_path, monkeypatch, keyed):
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path)


def build(run, *args: str, out: str = "out"):
    return run("build", "--templates", "templates", "--out", out, "--date", DATE, "--jobs", "1", *args)


def built_names(result) -> set[str]:
    return {line.split("built  ", 1)[1].strip() for line in result.stderr.splitlines() if line.strip().startswith("built  ")}


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


EXPECTED = {
    "certificates/MNUMS-HD-2020-0001.pdf",
    "certificates/MNUMS-HP-2020-0001.pdf",
    "certificates/MNUMS-VP-1985-0001.pdf",
    "certificates/ceremony-2020-06.pdf",
    "agreements/alpha-mou-2020.docx",
    # every fact sheet in English and in Mongolian (issue 15)
    *(
        f"factsheets/{lang}{name}.{ext}"
        for lang in ("", "mn/")
        for name in ("department", "countries/jp", "partners/alpha-university")
        for ext in ("pdf", "docx")
    ),
}


def test_second_build_builds_nothing_and_touch_changes_nothing(project, run):
    first = build(run)
    assert first.exit_code == 0, first.output
    assert built_names(first) == EXPECTED
    assert first.stdout.splitlines()[-1] == f"{len(EXPECTED)} built, 0 up to date, 0 failed, 0 removed."
    second = build(run)
    assert second.exit_code == 0
    assert built_names(second) == set()
    assert second.stdout.splitlines()[-1] == f"0 built, {len(EXPECTED)} up to date, 0 failed, 0 removed."
    for name in ("honorees.csv", "partners.yaml", "agreements.yaml", "institution.yaml"):
        os.utime(project / "records" / name, (time.time() + 60, time.time() + 60))
    touched = build(run)
    assert built_names(touched) == set()


def test_one_changed_honoree_rebuilds_its_certificate_and_ceremony_only(project, run):
    assert build(run).exit_code == 0
    csv = project / "records" / "honorees.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("For service.", "For many years of service."), encoding="utf-8")
    again = build(run)
    assert again.exit_code == 0, again.output
    assert built_names(again) == {"certificates/MNUMS-HD-2020-0001.pdf", "certificates/ceremony-2020-06.pdf"}


def test_a_new_honoree_in_japan_moves_the_figures_of_the_sheets_that_show_them(project, run):
    assert build(run).exit_code == 0
    csv = project / "records" / "honorees.csv"
    csv.write_text(
        csv.read_text(encoding="utf-8")
        + "vp-2021-001,visiting-professor,Sato,Naoko,佐藤 直子,JP,Alpha University,alpha-university,2021,,For lectures.,Лекц.\n",
        encoding="utf-8",
    )
    again = build(run)
    assert built_names(again) == {
        "certificates/MNUMS-VP-2021-0001.pdf",
        *(
            f"factsheets/{lang}{name}.{ext}"
            for lang in ("", "mn/")
            for name in ("department", "countries/jp", "partners/alpha-university")
            for ext in ("pdf", "docx")
        ),
    }


def test_a_changed_template_rebuilds_exactly_the_documents_that_use_it(project, run):
    assert build(run).exit_code == 0
    css = project / "templates" / "certificates" / "honorary-doctorate.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a new comment */\n", encoding="utf-8")
    again = build(run)
    assert built_names(again) == {"certificates/MNUMS-HD-2020-0001.pdf"}
    # the ceremony file is assembled from the certificates: same PDF bytes, so it stays
    clauses = project / "templates" / "agreements" / "clauses.yaml"
    clauses.write_text(clauses.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    assert built_names(build(run)) == {"agreements/alpha-mou-2020.docx"}


def test_outputs_of_removed_records_are_removed_and_reported(project, run):
    assert build(run).exit_code == 0
    csv = project / "records" / "honorees.csv"
    csv.write_text("\n".join(line for line in csv.read_text(encoding="utf-8").splitlines() if not line.startswith("vp-1985-001")) + "\n", encoding="utf-8")
    again = build(run)
    assert again.exit_code == 0
    assert "  removed out/certificates/MNUMS-VP-1985-0001.pdf" in again.stdout.splitlines()
    assert not (project / "out" / "certificates" / "MNUMS-VP-1985-0001.pdf").exists()


def test_dry_run_writes_nothing(project, run):
    result = build(run, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"{len(EXPECTED)} would be built, 0 up to date, 0 failed, 0 would be removed."
    assert not any(p.is_file() for p in (project / "out").rglob("*.pdf"))


def test_a_damaged_state_file_means_a_full_rebuild(project, run):
    assert build(run).exit_code == 0
    (project / "out" / ".irdocs-state.json").write_text("{ not json", encoding="utf-8")
    again = build(run)
    assert again.exit_code == 0
    assert built_names(again) == EXPECTED


def test_where_builds_a_selection(project, run):
    result = build(run, "certificates", "--where", "ceremony=ceremony-2020-06")
    assert result.exit_code == 0
    assert built_names(result) == {"certificates/MNUMS-HD-2020-0001.pdf", "certificates/MNUMS-HP-2020-0001.pdf", "certificates/ceremony-2020-06.pdf"}


def test_one_broken_record_fails_alone(project, run):
    csv = project / "records" / "honorees.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",1985,", ",1985-13-01,"), encoding="utf-8")
    result = build(run)
    assert result.exit_code == 1
    assert built_names(result) == EXPECTED - {"certificates/MNUMS-VP-1985-0001.pdf"}
    lines = result.stdout.splitlines()
    assert f"{len(EXPECTED) - 1} built, 0 up to date, 1 failed, 0 removed." in lines
    assert "  failed: honoree vp-1985-001" in lines
    assert (
        "    records/honorees.csv:4: honoree vp-1985-001: awarded_on: '1985-13-01' is not a date: there is no such day "
        "(a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998)"
    ) in lines


def test_two_builds_of_the_same_inputs_are_byte_identical(project, run):
    assert build(run, out="out-a").exit_code == 0
    assert run("build", "--templates", "templates", "--out", "out-b", "--date", DATE, "--jobs", "2").exit_code == 0
    a, b = files(project / "out-a"), files(project / "out-b")
    assert sorted(a) == sorted(EXPECTED)
    assert a == b, [name for name in a if a[name] != b.get(name)]


def test_a_build_killed_at_any_moment_leaves_whole_files(project):
    """SIGKILL at several moments: every file in out/ still opens, and the next build completes."""
    from docx import Document as Docx
    from pypdf import PdfReader

    env = {**os.environ, "IRDOCS_KEY": KEY, "XDG_CONFIG_HOME": str(project / "config")}
    command = [sys.executable, "-m", "irdocs", "build", "--templates", "templates", "--date", DATE, "--jobs", "2", "--force"]
    interrupted = 0
    for delay in (0.6, 1.1, 1.6, 2.1, 2.6):
        proc = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, as a crash or kill -9 would
        proc.wait()
        interrupted += not finished
        for path in (project / "out").rglob("*"):
            if path.suffix == ".pdf":
                assert len(PdfReader(path).pages) >= 1, path
            elif path.suffix == ".docx":
                assert Docx(str(path)).paragraphs, path
    assert interrupted >= 3, "the kills must land while the build is running"
    final = subprocess.run(command[:-1], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stdout + final.stderr
    assert {name for name in files(project / "out") if not name.endswith(".tmp")} == EXPECTED
    reference = files(project / "out")
    clean = make_project(project / "clean")
    subprocess.run(command[:-1], cwd=clean, env=env, check=True, capture_output=True, timeout=300)
    assert (
        hashlib.sha256(b"".join(reference[n] for n in sorted(EXPECTED))).hexdigest()
        == hashlib.sha256(b"".join(files(clean / "out")[n] for n in sorted(EXPECTED))).hexdigest()
    ), "after the kills, the build ends with the same files as an uninterrupted one"


def test_a_second_build_on_the_same_folder_waits_or_refuses(project, run):
    """Two builds never interleave their writes: the second waits for the lock, or gives up clearly."""
    env = {**os.environ, "IRDOCS_KEY": KEY, "XDG_CONFIG_HOME": str(project / "config")}
    first = subprocess.Popen(
        [sys.executable, "-m", "irdocs", "build", "--templates", "templates", "--date", DATE, "--jobs", "1"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = project / "out" / ".irdocs-build-certificates.lock"
    deadline = time.time() + 30
    from filelock import FileLock, Timeout

    while time.time() < deadline:  # until the first build holds the lock
        try:
            with FileLock(str(lock), timeout=0):
                pass
        except Timeout:
            break
        time.sleep(0.05)
    refused = build(run, "--wait", "0")
    assert refused.exit_code == 2
    assert refused.stderr.strip() == "out: another irdocs command is making agreement drafts in this folder; wait for it to finish, then run the command again"
    waited = build(run)  # waits for the first one, then finds everything up to date
    assert first.wait(timeout=120) == 0, first.stderr
    assert waited.exit_code == 0
    assert waited.stdout.splitlines()[-1] == f"0 built, {len(EXPECTED)} up to date, 0 failed, 0 removed."


def _same_load(a, b) -> None:
    (records_a, problems_a), (records_b, problems_b) = a, b
    assert (records_a.partners, records_a.agreements, records_a.honorees) == (records_b.partners, records_b.agreements, records_b.honorees)
    assert records_a.institution == records_b.institution
    assert [str(p) for p in problems_a] == [str(p) for p in problems_b]


def test_records_read_in_a_helper_process_are_the_same(project):
    """Big records folders are read in a helper process (the build keeps less memory): same records, same problems."""
    from irdocs.records.validate import load_records_partial, read_apart

    csv = project / "records" / "honorees.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",1985,", ",1985-13-01,"), encoding="utf-8")
    here, apart = load_records_partial(project / "records"), read_apart(project / "records")
    assert len(here[0].honorees) == 2 and len(here[1]) == 1
    _same_load(here, apart)


def test_only_big_records_folders_are_read_in_a_helper(project, monkeypatch):
    import threading

    from irdocs.records import validate

    calls: list[Path] = []

    def counted(root, today=None):
        calls.append(root)
        return validate.load_records_partial(root, today)

    monkeypatch.setattr(validate, "read_apart", counted)
    _same_load(validate.load_records_apart(project / "records"), validate.load_records_partial(project / "records"))
    assert calls == [], "a small folder is read in this process"
    monkeypatch.setattr(validate, "LOAD_APART_BYTES", 100)
    validate.load_records_apart(project / "records")
    # a process that runs threads is never forked: it reads the folder itself
    assert calls == ([project / "records"] if threading.active_count() == 1 else [])


_TIDY = r"""
import gc, sys, weakref
from irdocs.build import UNFREEZE_EVERY, Workspace, _tidy

class Node:
    pass

def cycle():
    a, b = Node(), Node()
    a.other, b.other = b, a
    return a

gc.disable()  # only _tidy collects here
workspace = Workspace(None, ".", ".", ".")

# a document's tree, left behind as objects that refer to each other: gone before the next document
left = weakref.ref(cycle())
_tidy(workspace, True, False)
assert left() is None, "a worker keeps the last document's garbage"
assert gc.get_freeze_count() > 0, "a worker does not freeze what it keeps"

# something kept for a while (frozen), then dropped: looked at again within UNFREEZE_EVERY documents
kept = [cycle()]
dropped = weakref.ref(kept[0])
_tidy(workspace, True, False)
kept.clear()
for _ in range(UNFREEZE_EVERY):
    _tidy(workspace, True, False)
assert dropped() is None, "what a worker dropped after it was frozen stays for good"

# this process (--jobs 1, the web app) never freezes: it lives longer than a build
gc.unfreeze()
here = Workspace(None, ".", ".", ".")
for _ in range(30):
    _tidy(here, False, True)
    _tidy(here, False, False)
assert gc.get_freeze_count() == 0
print("ok")
"""


def test_a_worker_frees_each_documents_leftovers_and_never_keeps_dropped_objects_for_good():
    """A fact-sheet worker peaked at 188 MB: each document's tree waited for the collector's own
    schedule (bench/RESULTS.md). A worker now collects before each document, freezing what it keeps."""
    done = subprocess.run([sys.executable, "-c", _TIDY], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
