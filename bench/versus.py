#!/usr/bin/env python3
"""This checkout against an earlier commit, in one run, interleaved (see bench/RESULTS.md).

The machine is shared: figures drift by a factor of two within an hour, so a change is measured
against its baseline in the same run, round by round in turn. The earlier commit's ``irdocs``
and ``templates`` are exported (``git archive``) into a temporary folder and run by the same
Python (``PYTHONPATH``), with the same installed packages:

  noop   a no-op ``irdocs build`` of the sample, before and after, and one naive
         ``irdocs certificate ID`` process (this checkout) as the unit; medians of ROUNDS
  certs  ``irdocs build certificates --jobs 2`` from nothing, before and after (medians), the warm
         CPU milliseconds a certificate (bench/changes.py's loop, best of rounds), and whether the
         two builds' certificates are byte for byte the same

    python bench/versus.py --base 0dce4e1 [--rounds 7] [--only noop|certs]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import changes  # noqa: E402

DATE = "2026-11-27"
KEY = "benchmark-key-not-for-real-certificates-0123456789"


def export(base: str, folder: Path) -> Path:
    """The commit's irdocs and templates in ``folder``, compiled ahead (as `make setup` does)."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", base, "irdocs", "templates"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder / "irdocs")], check=True)
    return folder


def environment(base: Path | None, key: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IRDOCS_")}
    if key:
        env["IRDOCS_KEY"] = KEY
    if base is not None:
        env["PYTHONPATH"] = str(base)
    return env


def copy_records(target: Path) -> Path:
    return Path(shutil.copytree(REPO / "records", target, ignore=shutil.ignore_patterns("register.sqlite3*", ".irdocs*")))


def timed(args: list[str], cwd: Path, base: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "irdocs", *args], cwd=cwd, env=environment(base), check=True, capture_output=True)
    return time.perf_counter() - started


def noop(base: Path, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="irdocs-versus-") as tmp:
        work = Path(tmp)
        copy_records(work / "records")
        timed(["build", "--date", DATE], work)
        timed(["build", "--date", DATE], work)  # the engine's no-op after the serials were issued
        runs: dict[str, list[float]] = {
            "naive certificate (this checkout)": [],
            "--version (this checkout)": [],
            "no-op build, before": [],
            "no-op build, after": [],
        }
        for _ in range(rounds):
            runs["naive certificate (this checkout)"].append(timed(["certificate", "hd-2024-001", "--force"], work))
            runs["--version (this checkout)"].append(timed(["--version"], work))
            runs["no-op build, before"].append(timed(["build", "--date", DATE], work, base))
            runs["no-op build, after"].append(timed(["build", "--date", DATE], work))
    unit = statistics.median(runs["naive certificate (this checkout)"])
    for name, values in runs.items():
        median = statistics.median(values)
        print(f"  {name:34} {median:6.3f} s  {median / unit:5.2f}x   (all: {', '.join(f'{v:.2f}' for v in values)})")


def certificates(base: Path, rounds: int) -> None:
    def build(folder: Path | None, work: Path) -> tuple[float, dict[str, bytes]]:
        records = copy_records(work / "records")
        started = time.perf_counter()
        command = [sys.executable, "-m", "irdocs", "build", "certificates", "--records", str(records), "--out", str(work / "out"), "--jobs", "2"]
        subprocess.run(command, env=environment(folder, key=False), check=True, capture_output=True)
        return time.perf_counter() - started, {p.name: p.read_bytes() for p in (work / "out" / "certificates").glob("*.pdf")}

    def warm(folder: Path | None) -> float:
        with tempfile.TemporaryDirectory(prefix="irdocs-versus-warm-") as tmp:
            records = copy_records(Path(tmp) / "records")
            shutil.copytree(REPO / "templates", Path(tmp) / "templates")
            done = subprocess.run(
                [sys.executable, "-c", changes._WARM, str(records)], env=environment(folder, key=False), capture_output=True, text=True, check=True
            )
        return json.loads(done.stdout)

    seconds: dict[str, list[float]] = {"before": [], "after": []}
    milliseconds: dict[str, list[float]] = {"before": [], "after": []}
    same = True
    with tempfile.TemporaryDirectory(prefix="irdocs-versus-") as tmp:
        for number in range(rounds):
            made = {}
            for name, folder in (("before", base), ("after", None)):
                milliseconds[name].append(warm(folder))
                took, made[name] = build(folder, Path(tmp) / f"{name}-{number}")
                seconds[name].append(took)
            same = same and made["before"] == made["after"]
    for name in seconds:
        print(
            f"  {name:7} cold build {statistics.median(seconds[name]):6.2f} s (all: {', '.join(f'{x:.2f}' for x in seconds[name])}); "
            f"warm {min(milliseconds[name]):.1f} ms (all: {', '.join(f'{x:.1f}' for x in milliseconds[name])})"
        )
    build_ratio = statistics.median(seconds["after"]) / statistics.median(seconds["before"])
    warm_ratio = min(milliseconds["after"]) / min(milliseconds["before"])
    print(f"  after/before: build {build_ratio:.3f}, warm {warm_ratio:.3f}; certificates byte-identical: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the earlier commit (a git revision)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default: 7 for the no-op, 3 for the certificates)")
    parser.add_argument("--only", choices=("noop", "certs"))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="irdocs-base-") as tmp:
        base = export(options.base, Path(tmp))
        if options.only in (None, "noop"):
            print(f"no-op build, {options.base} (before) against this checkout (after):")
            noop(base, options.rounds or 7)
        if options.only in (None, "certs"):
            print(f"certificates, {options.base} (before) against this checkout (after):")
            certificates(base, options.rounds or 3)


if __name__ == "__main__":
    main()
