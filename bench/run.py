#!/usr/bin/env python3
"""Benchmark of `irdocs build`: prints figures, asserts nothing (see bench/RESULTS.md).

For the sample records and synthetic sets scaled to 10x and 50x (partners, agreements and
honorees copied under new ids), it measures, each in a fresh output folder:
  cold       full build from nothing (seconds, documents per second, peak RSS of the process tree)
  no-op      the same build again (nothing changed)
  honoree    after changing one honoree's citation
  template   after changing one certificate design
and, on the sample, the certificates alone (three cold builds, the median); the same certificates
made by the Typst peer (bench/peer.py: a native typesetter, one design, in the same number of
processes), interleaved with them, and irdocs' time as a ratio to Typst's; and the naive
baseline: one `irdocs certificate ID` process per honoree, timed on 20 honorees and extrapolated
to all, as a ratio to the certificates' build.

Usage: python bench/run.py [--scales 1,10,50] [--jobs N] [--large-kinds certificates,agreements]
       python bench/run.py --certificates-only

Scales above 10 build only --large-kinds (a full 50x build is 31,000 files, most of them partner
fact sheets: about 45 minutes on two cores); the figures say which kinds each line covers.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from synthetic import scaled_records  # noqa: E402

IRDOCS = [str(Path(sys.executable).parent / "irdocs")]


def _pss(pid: int) -> int:
    """Proportional set size from smaps_rollup (cheap; psutil's full smaps walk slowed the build down)."""
    with open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


class PeakRSS:
    """Samples the summed RSS of a process and all its children every 100 ms (and their PSS:
    RSS counts memory the forked workers share once per process, PSS divides it among them)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.peak_pss, self._stop = pid, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = pss = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                        pss += _pss(proc.pid)
                    except (psutil.NoSuchProcess, OSError):
                        pass
            except psutil.NoSuchProcess:
                break
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, pss)
            time.sleep(0.1)  # sampling more often costs the build itself CPU on a 2-core machine

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run(args: list[str], cwd: Path, memory: bool = False) -> tuple[float, tuple[int, int], str]:
    """Seconds, peak (RSS, PSS) in bytes (with ``memory``, else zeros) and output of one command.

    Only the cold builds' memory is reported, so only they are sampled: reading every process's
    memory ten times a second takes CPU from the build on a two-core machine.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "TERM": "dumb"})
    meter = PeakRSS(proc.pid) if memory else None
    output, _ = proc.communicate()
    seconds = time.perf_counter() - start
    peak = (meter.stop(), meter.peak_pss) if meter is not None else (0, 0)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{output[-3000:]}")
    return seconds, peak, output


def summary_counts(output: str) -> str:
    for line in reversed(output.splitlines()):
        if " built," in line or "would be built" in line:
            return line.strip()
    return "?"


DATE = "2026-11-27"


def measure(records: Path, work: Path, jobs: int, kinds: list[str]) -> dict:
    out = work / "out"
    templates = work / "templates"
    shutil.copytree(REPO / "templates", templates, dirs_exist_ok=True)
    base = [*IRDOCS, "build", *kinds, "--records", str(records), "--templates", str(templates), "--out", str(out), "--jobs", str(jobs), "--date", DATE]
    cold_s, cold_rss, cold_out = run(base, work, memory=True)
    documents = sum(1 for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    noop_s, _, noop_out = run(base, work)
    # one honoree changes (its citation): its certificate, its ceremony PDF and nothing else
    csv_path = records / "honorees.csv"
    text = csv_path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    last = len(lines) - 1
    lines[last] = lines[last].replace("For lectures", "For many lectures", 1).replace("In recognition", "In grateful recognition", 1)
    csv_path.write_text("".join(lines), encoding="utf-8")
    honoree_s, _, honoree_out = run(base, work)
    csv_path.write_text(text, encoding="utf-8")
    run(base, work)
    # one template changes
    template_s, template_out = None, ""
    design = templates / "certificates" / "honorary-doctorate.css"  # one design: the honorary doctorates only
    if design.is_file():
        design.write_text(design.read_text(encoding="utf-8") + "\n/* benchmark edit */\n", encoding="utf-8")
        template_s, _, template_out = run(base, work)
    return {
        "documents": documents,
        "cold_s": cold_s,
        "cold_rate": documents / cold_s,
        "cold_rss_mb": cold_rss[0] / 2**20,
        "cold_pss_mb": cold_rss[1] / 2**20,
        "cold": summary_counts(cold_out),
        "noop_s": noop_s,
        "noop": summary_counts(noop_out),
        "honoree_s": honoree_s,
        "honoree": summary_counts(honoree_out),
        "template_s": template_s,
        "template": summary_counts(template_out),
    }


def naive_baseline(records: Path, work: Path, sample: int = 20) -> tuple[float, int]:
    """Seconds per certificate when each is made by its own `irdocs certificate` process."""
    sys.path.insert(0, str(REPO))
    from irdocs.records.validate import load_records

    honorees = load_records(records).honorees
    ids = [h.id for h in honorees[:: max(1, len(honorees) // sample)]][:sample]
    out = work / "naive-out"
    start = time.perf_counter()
    for honoree_id in ids:
        subprocess.run([*IRDOCS, "certificate", honoree_id, "--records", str(records), "--out", str(out)], cwd=work, check=True, capture_output=True)
    return (time.perf_counter() - start) / len(ids), len(honorees)


def certificates_cold(records: Path, work: Path, jobs: int, runs: int = 3) -> tuple[list[float], int, list[float], int]:
    """Cold builds of the certificates alone, each into a new folder, and the same certificates made
    by the Typst peer (bench/peer.py, one process started from here as the build is), interleaved
    round by round: (irdocs' seconds of each run, its PDFs, Typst's seconds of each run, its PDFs).
    Timings on a shared machine vary by 10 to 20% from minute to minute, so the figures use the
    median of three runs (and print all three)."""
    times, count, peer_times, peer_count = [], 0, [], 0
    for number in range(runs):
        out = work / f"certificates-only-{number}"
        seconds, _, _ = run([*IRDOCS, "build", "certificates", "--records", str(records), "--out", str(out), "--jobs", str(jobs)], work)
        times.append(seconds)
        count = sum(1 for _ in (out / "certificates").glob("*.pdf"))
        if PEER is not None:
            seconds, _, output = run([sys.executable, str(PEER), str(records), str(work / f"typst-{number}"), str(jobs)], work)
            peer_times.append(seconds)
            peer_count = int(output.split()[-1])
    return times, count, peer_times, peer_count


def _peer() -> Path | None:
    """bench/peer.py if the Typst peer can run here (the dev dependency ``typst`` is installed)."""
    try:
        import typst  # noqa: F401
    except ImportError:
        return None
    return REPO / "bench" / "peer.py"


PEER = _peer()


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def certificates_report(records: Path, work: Path, jobs: int, baseline: bool) -> None:
    """The certificates alone, the Typst peer and the naive baseline, in one run."""
    times, count, peer_times, peer_count = certificates_cold(records, work, jobs)
    seconds = median(times)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"  certificates    {seconds:7.2f} s  {count / seconds:6.1f} PDFs/s   ({count} certificates and ceremony files, cold, alone; median of {runs} s)")
    if peer_times:
        peer = median(peer_times)
        print(
            f"  Typst peer      {peer:7.2f} s  {peer_count / peer:6.1f} PDFs/s   ({peer_count} certificates, one design, PDF/A-3u, {jobs} processes; "
            f"median of {', '.join(f'{t:.2f}' for t in peer_times)} s)"
        )
        print(f"  irdocs / Typst  {seconds / peer:7.2f}x Typst's time for the certificates (target: at most 3x)")
    else:
        print("  Typst peer      not measured (pip install typst, a dev dependency)")
    if baseline:
        per_certificate, honorees = naive_baseline(records, work)
        naive_total = per_certificate * honorees
        print(
            f"  naive baseline  {per_certificate:7.2f} s per certificate (one `irdocs certificate` process each, 20 sampled) -> {naive_total:.1f} s for {honorees}"
        )
        print(f"  build vs naive  {naive_total / seconds:7.1f}x faster for the certificates")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,50")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--large-kinds", default="certificates,agreements")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--certificates-only", action="store_true", help="only the sample's certificates, the Typst peer and the naive baseline")
    options = parser.parse_args()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    print(f"machine: {platform.platform()}; {cpu}; {os.cpu_count()} cores; {psutil.virtual_memory().total / 2**30:.0f} GiB; Python {platform.python_version()}")
    print(f"jobs={options.jobs}\n")
    if options.certificates_only:
        with tempfile.TemporaryDirectory(prefix="irdocs-bench-certificates-") as tmp:
            work = Path(tmp)
            records = Path(shutil.copytree(REPO / "records", work / "records"))
            print("[1x] certificates")
            certificates_report(records, work, options.jobs, not options.no_baseline)
        return
    for scale in [int(s) for s in options.scales.split(",")]:
        kinds = ["certificates", "agreements", "factsheets"] if scale <= 10 else [k for k in options.large_kinds.split(",") if k]
        with tempfile.TemporaryDirectory(prefix=f"irdocs-bench-{scale}x-") as tmp:
            work = Path(tmp)
            records = scaled_records(REPO / "records", work / "records", scale) if scale > 1 else Path(shutil.copytree(REPO / "records", work / "records"))
            r = measure(records, work, options.jobs, kinds)
            print(f"[{scale}x] {r['documents']} documents ({', '.join(kinds)})")
            print(
                f"  cold build      {r['cold_s']:7.2f} s  {r['cold_rate']:6.1f} documents/s  peak RSS {r['cold_rss_mb']:.0f} MB (PSS {r['cold_pss_mb']:.0f} MB)   ({r['cold']})"
            )
            print(f"  no-op rebuild   {r['noop_s']:7.2f} s   ({r['noop']})")
            print(f"  one honoree     {r['honoree_s']:7.2f} s   ({r['honoree']})")
            if r["template_s"] is not None:
                print(f"  one template    {r['template_s']:7.2f} s   ({r['template']})")
            if scale == 1:
                certificates_report(records, work, options.jobs, not options.no_baseline)
            print()


if __name__ == "__main__":
    main()
