"""Officers adding records at the same moment, with `irdocs new` and `irdocs import`: no addition is lost.

`irdocs new` adds partners and agreements (there is no `irdocs new honoree`: honorees come in by
`irdocs import`); both commands change partners.yaml. Four processes start together: a proposal
with a new partner and its agreement, a single new partner, a spreadsheet of partners and one of
honorees. The test holds the records lock until each of the four has tried to take it (each
leaves a mark then), so all four are waiting for it at the same moment when it is let go.
"""

from __future__ import annotations

import subprocess
import sys
import time

from tests.records.test_records_concurrency import _rows
from tests.test_crash_safety import PROPOSAL

#: irdocs, started so that it leaves a mark (a file) the moment it first tries the records lock.
QUEUED = """
import sys
from pathlib import Path

mark = Path(sys.argv.pop(1))

def tell(event, args):
    if event == "open" and str(args[0]).endswith(".irdocs.lock") and not mark.exists():
        mark.touch()

sys.addaudithook(tell)
from irdocs.cli import main

main(prog_name="irdocs")
"""

PARTNER = "id: delta-hospital\nname: Delta Hospital\nkind: hospital\ncountry: TR\ncity: Ankara\n"


def partner_rows(count: int) -> str:
    rows = [f"epsilon-{n},Epsilon University {n},university,FR,Lyon" for n in range(count)]
    return "id,name,kind,country,city\n" + "\n".join(rows) + "\n"


def test_new_and_import_at_the_same_moment_lose_nothing(mini):
    from irdocs.records.validate import load_records
    from irdocs.write import records_lock

    base = mini.parent
    (base / "proposal.yaml").write_text(PROPOSAL, encoding="utf-8")
    (base / "partner.yaml").write_text(PARTNER, encoding="utf-8")
    (base / "partners.csv").write_text(partner_rows(10), encoding="utf-8")
    (base / "honorees.csv").write_text(_rows(100, 10), encoding="utf-8")
    commands = [
        ["new", "agreement", "--from", "proposal.yaml"],
        ["new", "partner", "--from", "partner.yaml"],
        ["import", "partners.csv", "--as", "partners"],
        ["import", "honorees.csv", "--as", "honorees"],
    ]
    marks = [base / f"queued-{n}" for n in range(len(commands))]
    with records_lock(mini):  # nobody writes until all four wait for the lock at the same time
        procs = [
            subprocess.Popen([sys.executable, "-c", QUEUED, str(mark), *command], cwd=base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for mark, command in zip(marks, commands, strict=True)
        ]
        deadline = time.monotonic() + 120
        while not all(mark.exists() for mark in marks):
            assert all(proc.poll() is None for proc in procs), "a command ended before it reached the lock"
            assert time.monotonic() < deadline, "the commands never reached the records lock"
            time.sleep(0.02)
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0, 0], outputs
    records = load_records(mini)
    assert {"gamma-institute", "delta-hospital", *(f"epsilon-{n}" for n in range(10))} <= set(records.partners_by_id)
    assert len(records.partners) == 2 + 12
    assert "gamma-mou-2024" in records.agreements_by_id
    assert {f"vp-2024-{n:03d}" for n in range(100, 110)} <= set(records.honorees_by_id)
    assert len(records.honorees) == 2 + 10
