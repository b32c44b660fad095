#!/usr/bin/env python3
"""Load check of the public verification page: prints figures, asserts that every answer is right.

Starts `irdocs serve` (waitress) on a free loopback port over a scratch copy of the sample
records, issues certificates in its register (some then revoked), and sends 200 verification
requests at once from a local client (threads; valid, revoked, altered and unknown ones mixed).
Every answer is checked: status code and verdict. The rate limit is raised for this run with
--verify-limit; a second run with the default limit (30 a minute per address) shows the limiter
answering 429 to the rest. Only 127.0.0.1 is ever contacted; the run is bounded in count and time.

Usage: python bench/web_load.py [--requests 200] [--clients 50] [--threads 8] [--results bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
KEY = "bench-key-0123456789-0123456789-0123456789"
EXPECTED = {
    "valid": (200, "This certificate is valid"),
    "revoked": (200, "This certificate was revoked"),
    "altered": (200, "does not match the register"),
    "unknown": (404, "Unknown certificate"),
}
SECTION = "## Web service"


def issue_certificates(records: Path, count: int, revoke: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Serials and codes issued in the register as a certificate batch issues them (no PDFs needed to verify)."""
    from irdocs.documents.certificates.context import content_of
    from irdocs.documents.certificates.register import Register, register_path
    from irdocs.documents.certificates.verify import make_code
    from irdocs.records.validate import load_records

    loaded = load_records(records)
    issued = []
    with Register(register_path(records)) as register:
        for honoree in loaded.honorees[:count]:
            entry, _ = register.issue(
                loaded.institution.serial_prefix,
                content_of(honoree, loaded.institution),
                functools.partial(make_code, KEY.encode()),
                "2026-01-01T00:00:00+00:00",
            )
            issued.append((entry.serial, entry.code))
        for serial, _ in issued[:revoke]:
            register.revoke(serial, "bench", "2026-01-02T00:00:00+00:00")
    return issued[revoke:], issued[:revoke]


def start_server(records: Path, env: dict, threads: int, verify_limit: int | None) -> tuple[subprocess.Popen, str]:
    args = [sys.executable, "-m", "irdocs", "serve", "--port", "0", "--threads", str(threads), "--records", str(records), "--out", str(records.parent / "out")]
    if verify_limit:
        args += ["--verify-limit", str(verify_limit)]
    process = subprocess.Popen(args, env=env, cwd=records.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not match:
        process.kill()
        raise SystemExit(f"irdocs serve did not start: {line}")
    threading.Thread(target=process.stdout.read, daemon=True).start()  # keep its output pipe drained
    return process, f"http://127.0.0.1:{match.group(1)}"


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def fetch(url: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            status, body = response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode("utf-8")
    return status, body, time.perf_counter() - started


def plan(base: str, valid, revoked, total: int) -> list[tuple[str, str]]:
    """(url, expected verdict): mostly valid, with revoked, altered and unknown ones mixed in."""
    requests = []
    for index in range(total):
        kind = ("valid",) * 7 + ("revoked", "altered", "unknown")
        kind = kind[index % len(kind)]
        if kind == "valid":
            serial, code = valid[index % len(valid)]
        elif kind == "revoked":
            serial, code = revoked[index % len(revoked)]
        elif kind == "altered":
            serial, code = valid[index % len(valid)]
            code = ("A" if code[0] != "A" else "B") + code[1:]
        else:
            serial, code = f"MNUMS-HD-2024-{9000 + index:04d}", "ABCDEFGHIJ"
        requests.append((f"{base}/verify?serial={serial}&code={code}", kind))
    return requests


def run(requests: list[tuple[str, str]], clients: int) -> tuple[list[tuple[int, str, float, str]], float]:
    barrier = threading.Barrier(min(clients, len(requests)))

    def one(item):
        url, kind = item
        try:
            barrier.wait(timeout=30)  # the first wave leaves together
        except threading.BrokenBarrierError:
            pass
        status, body, seconds = fetch(url)
        return status, body, seconds, kind

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, requests))
    return results, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def write_section(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"(?ms)^{re.escape(SECTION)}\n.*?(?=^## |\Z)")
    new = pattern.sub(lambda _: text, old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50, help="client threads sending at once")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (irdocs serve --threads)")
    parser.add_argument("--results", type=Path, help="write the figures into this file's '## Web service' section")
    options = parser.parse_args()
    if not 1 <= options.requests <= 5000 or not 1 <= options.clients <= 200:
        raise SystemExit("--requests 1..5000 and --clients 1..200 keep the run bounded")

    scratch = Path(tempfile.mkdtemp(prefix="irdocs-web-load-"))
    try:
        records = scratch / "records"
        shutil.copytree(REPO / "records", records, ignore=shutil.ignore_patterns(".irdocs.lock", "register.sqlite3*"))
        env = {**os.environ, "IRDOCS_KEY": KEY, "XDG_CONFIG_HOME": str(scratch / "config"), "IRDOCS_USERS": str(scratch / "config" / "users.json")}
        os.environ.update(IRDOCS_KEY=KEY)
        valid, revoked = issue_certificates(records, 40, 8)

        process, base = start_server(records, env, options.threads, verify_limit=10**9)
        try:
            fetch(f"{base}/verify?serial={valid[0][0]}&code={valid[0][1]}")  # warm: records read, register opened
            server = psutil.Process(process.pid)
            results, wall = run(plan(base, valid, revoked, options.requests), options.clients)
            rss = server.memory_info().rss / 2**20
        finally:
            stop(process)
        wrong = [(status, kind) for status, body, _, kind in results if (status, True) != (EXPECTED[kind][0], EXPECTED[kind][1] in body)]
        latencies = [seconds * 1000 for _, _, seconds, _ in results]
        counts = {kind: sum(1 for *_, k in results if k == kind) for kind in EXPECTED}

        limited_process, limited_base = start_server(records, env, options.threads, verify_limit=None)
        try:
            limited, _ = run(plan(limited_base, valid, revoked, options.requests), options.clients)
        finally:
            stop(limited_process)
        answered = sum(1 for status, *_ in limited if status != 429)
        refused = sum(1 for status, *_ in limited if status == 429)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    lines = [
        f"{len(results)} verification requests, {options.clients} client threads at once, waitress with {options.threads} threads, "
        f"on {platform.machine()} with {os.cpu_count()} cores (Python {platform.python_version()})",
        "mix: " + ", ".join(f"{counts[k]} {k}" for k in EXPECTED),
        f"answered correctly: {len(results) - len(wrong)} of {len(results)}" + (f"; WRONG: {wrong[:5]}" if wrong else ""),
        f"wall time {wall:.2f} s, {len(results) / wall:.0f} requests/s",
        f"latency ms: p50 {percentile(latencies, 50):.0f}, p90 {percentile(latencies, 90):.0f}, p99 {percentile(latencies, 99):.0f}, "
        f"max {max(latencies):.0f} (mean {statistics.mean(latencies):.0f})",
        f"server memory (RSS) after the run: {rss:.0f} MiB",
        f"with the default limit (30 a minute per address): {answered} answered, {refused} refused with 429",
    ]
    for line in lines:
        print(line)
    if options.results:
        body = "\n".join(f"- {line}" for line in lines)
        write_section(
            options.results,
            f"{SECTION}\n\n`python bench/web_load.py` (the load check of `irdocs serve`: the public verification page under "
            f"{options.requests} requests at once from one local client; every answer's status and verdict checked):\n\n{body}\n\n",
        )
    if wrong:
        raise SystemExit(f"{len(wrong)} answers were wrong")


if __name__ == "__main__":
    main()
