#!/usr/bin/env python3
"""Peak memory of a cold build, this checkout against an earlier commit, interleaved (bench/RESULTS.md).

Each round builds the sample's documents of KINDS (all by default) from nothing with ``--jobs 2``,
once with the earlier commit's ``irdocs`` and ``templates`` (exported as ``bench/versus.py`` does)
and once with this checkout, and samples the build's process tree every 100 ms as ``bench/run.py``
does: the peak of the summed RSS (which counts memory the workers share once per process) and of
the summed PSS (which divides it among them), and the build's seconds.

    python bench/memory.py --base 3c82742 [--rounds 2] [certificates|agreements|factsheets ...]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import run  # noqa: E402
import versus  # noqa: E402


def cold_build(tree: Path, kinds: list[str], work: Path) -> tuple[float, float, float]:
    """Seconds, peak RSS and peak PSS (MB) of one cold build of the sample with ``tree``'s irdocs."""
    records = Path(shutil.copytree(REPO / "records", work / "records", ignore=shutil.ignore_patterns("register.sqlite3*", ".irdocs*")))
    env = {**versus.environment(tree if tree != REPO else None), "TERM": "dumb"}
    command = [sys.executable, "-m", "irdocs", "build", *kinds, "--records", str(records), "--templates", str(tree / "templates")]
    command += ["--out", str(work / "out"), "--jobs", "2", "--date", versus.DATE]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    meter = run.PeakRSS(process.pid)
    process.wait()
    peak = meter.stop()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    return time.perf_counter() - started, peak / 2**20, meter.peak_pss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the earlier commit")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("kinds", nargs="*")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="irdocs-memory-") as tmp:
        (Path(tmp) / "base").mkdir()
        base = versus.export(options.base, Path(tmp) / "base")
        for round_number in range(options.rounds):
            for name, tree in ((options.base, base), ("this checkout", REPO)):
                work = Path(tempfile.mkdtemp(dir=tmp))
                seconds, rss, pss = cold_build(tree, options.kinds, work)
                print(
                    f"round {round_number + 1}, {name}: {' '.join(options.kinds) or 'all kinds'}: {seconds:.2f} s, peak RSS {rss:.0f} MB, PSS {pss:.0f} MB",
                    flush=True,
                )


if __name__ == "__main__":
    main()
