"""Several officers change the records at once, or a command is killed mid-way: no record is lost or half-written."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import MINI_HONOREES

IRDOCS = [sys.executable, "-m", "irdocs"]


def _rows(start: int, count: int) -> str:
    header = MINI_HONOREES.splitlines()[0]
    rows = [
        f"vp-2024-{n:03d},visiting-professor,Family{n},Given,,DE,Some University,,2024-05-0{1 + n % 9},For lectures.,Лекц уншсаныг үнэлж."
        for n in range(start, start + count)
    ]
    return header + "\n" + "\n".join(rows) + "\n"


def test_two_imports_at_once_lose_neither(mini):
    (mini.parent / "a.csv").write_text(_rows(100, 30), encoding="utf-8")
    (mini.parent / "b.csv").write_text(_rows(200, 30), encoding="utf-8")
    procs = [
        subprocess.Popen([*IRDOCS, "import", name, "--as", "honorees"], cwd=mini.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for name in ("a.csv", "b.csv")
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    from irdocs.records.validate import load_records

    ids = set(load_records(mini).honorees_by_id)
    assert {f"vp-2024-{n:03d}" for n in [*range(100, 130), *range(200, 230)]} <= ids
    assert len(ids) == 62


@pytest.mark.parametrize("delay_ms", [50 * i for i in range(20)])
def test_import_killed_at_any_moment_leaves_records_whole(mini, delay_ms):
    """SIGKILL at 20 moments of an import: honorees.csv is the old file or the old file plus every new row."""
    (mini.parent / "new.csv").write_text(_rows(300, 40), encoding="utf-8")
    before = (mini / "honorees.csv").read_bytes()
    proc = subprocess.Popen([*IRDOCS, "import", "new.csv", "--as", "honorees"], cwd=mini.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay_ms / 1000)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    after = (mini / "honorees.csv").read_bytes()
    from irdocs.records.validate import load_records

    records = load_records(mini)  # parses: no half-written file
    assert after == before or (after.startswith(before) and len(records.honorees) == 42)
    leftovers = [p.name for p in mini.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 1  # a killed writer may leave its temporary file, never a damaged record file
