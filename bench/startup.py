"""How fast irdocs answers when there is little to do, as ratios to one naive certificate process.

Measured in one run, interleaved (machines drift 25% within an hour), medians of ROUNDS:

- naive: ``irdocs certificate ID --force``, one process that starts, reads the records and renders
  one certificate (the baseline);
- ``irdocs --version``;
- a no-op ``irdocs build`` on a folder whose documents are all up to date.

    python bench/startup.py            # prints the figures
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IRDOCS = Path(sys.executable).with_name("irdocs")
ROUNDS = 7
DATE = "2026-11-27"


def timed(args: list[str], cwd: Path, env: dict) -> float:
    started = time.perf_counter()
    subprocess.run([str(IRDOCS), *args], cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    env = {**os.environ, "IRDOCS_KEY": "benchmark-key-not-for-real-certificates-0123456789"}
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        shutil.copytree(REPO / "records", work / "records", ignore=shutil.ignore_patterns("register.sqlite3*", ".irdocs.lock"))
        subprocess.run([str(IRDOCS), "build", "--date", DATE], cwd=work, env=env, check=True, capture_output=True)
        runs: dict[str, list[float]] = {"naive certificate": [], "--version": [], "no-op build": []}
        for _ in range(ROUNDS):
            runs["naive certificate"].append(timed(["certificate", "hd-2024-001", "--force"], work, env))
            runs["--version"].append(timed(["--version"], work, env))
            runs["no-op build"].append(timed(["build", "--date", DATE], work, env))
    base = statistics.median(runs["naive certificate"])
    print(f"medians of {ROUNDS} interleaved rounds (all figures in seconds; ratio to one naive 'irdocs certificate ID' process)")
    for name, values in runs.items():
        median = statistics.median(values)
        print(f"  {name:<18} {median:6.3f} s   {median / base:5.2f}x   (all: {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
