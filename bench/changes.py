#!/usr/bin/env python3
"""Each of irdocs' changes to WeasyPrint measured on its own (see bench/RESULTS.md).

For every change (irdocs/render/speedups/__init__.py), the sample's certificates are made with all changes in
place and with that one turned off by its environment variable, interleaved round by round:
  warm    CPU milliseconds a certificate, one process making 40 certificates after 3 to warm up
          (CPU time, not the clock: the machine is shared, and CPU time varies less); best of rounds
  build   `irdocs build certificates --jobs 2` from nothing, seconds (the clock, from outside)
  size    the certificates' bytes (ceremony files aside): all, and the mean with a CJK name and without
Prints figures; asserts nothing. Usage: python bench/changes.py [--rounds 3] [--switches A,B]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IRDOCS = str(Path(sys.executable).parent / "irdocs")
SWITCHES = {
    "IRDOCS_RETAIN_GLYPH_IDS": "small CJK subsets (fontsubset)",
    "IRDOCS_PARSE_QR_PATHS": "QR path drawn directly (qr)",
    "IRDOCS_DRAW_EVERY_TIME": "frames drawn once (drawings)",
    "IRDOCS_EAGER_STYLES": "pseudo-element styles when asked (lazystyles)",
    "IRDOCS_STYLES_PER_DOCUMENT": "styles shared between documents (sharedstyles)",
    "IRDOCS_LAYOUT_EVERY_TIME": "fixed parts laid out once (fixedboxes)",
    "IRDOCS_PARSE_AS_HTML": "well-formed documents read as XML (htmlparse)",
    "IRDOCS_SUBSET_EVERY_TIME": "a subset asked again kept (fontsubset)",
}

_WARM = """
import json, sys, time
from pathlib import Path
from irdocs.documents.certificates.kind import CertificateMaker
from irdocs.records.validate import load_records
from irdocs.render.speedups import install_all

install_all()
records = load_records(Path(sys.argv[1]))
maker = CertificateMaker(records.institution, records.root, Path(sys.argv[1]).parent / "templates" / "certificates")
honorees = records.honorees[:: max(1, len(records.honorees) // 43)][:43]
for honoree in honorees[:3]:
    maker.pdf(honoree, "MNUMS-HD-2020-0001", "ABCDEFGHJK")
start = time.process_time()
for honoree in honorees[3:]:
    maker.pdf(honoree, "MNUMS-HD-2020-0001", "ABCDEFGHJK")
print(json.dumps((time.process_time() - start) / len(honorees[3:]) * 1000))
"""


def _env(switch: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IRDOCS_")}
    if switch:
        env[switch] = "1"
    return env


def warm_ms(switch: str | None) -> float:
    with tempfile.TemporaryDirectory(prefix="irdocs-warm-") as tmp:  # the warm loop issues no serial; a copy all the same
        records = shutil.copytree(REPO / "records", Path(tmp) / "records", ignore=shutil.ignore_patterns("register.sqlite3", ".irdocs.lock"))
        shutil.copytree(REPO / "templates", Path(tmp) / "templates")
        done = subprocess.run([sys.executable, "-c", _WARM, str(records)], env=_env(switch), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _cjk(text: str) -> bool:
    return any(0x3000 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7AF for c in text)


def build(switch: str | None, work: Path) -> tuple[float, dict[str, float]]:
    """A cold build of the sample's certificates in ``work`` (a copy of the records: its own register)."""
    records = Path(shutil.copytree(REPO / "records", work / "records", ignore=shutil.ignore_patterns("register.sqlite3", ".irdocs.lock")))
    out = work / "out"
    start = time.perf_counter()
    subprocess.run(
        [IRDOCS, "build", "certificates", "--records", str(records), "--out", str(out), "--jobs", "2"], env=_env(switch), capture_output=True, check=True
    )
    seconds = time.perf_counter() - start
    with sqlite3.connect(records / "register.sqlite3") as register:
        native = dict(register.execute("select serial, native_name from serials"))
    sizes = {p.stem: p.stat().st_size for p in (out / "certificates").glob("*.pdf") if p.stem in native}
    with_cjk = [size for serial, size in sizes.items() if _cjk(native[serial])]
    without = [size for serial, size in sizes.items() if not _cjk(native[serial])]
    return seconds, {
        "total_kb": sum(sizes.values()) / 1024,
        "cjk_kb": statistics.mean(with_cjk) / 1024 if with_cjk else 0,
        "latin_kb": statistics.mean(without) / 1024 if without else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--switches", default=",".join(SWITCHES))
    options = parser.parse_args()
    variants: list[str | None] = [None, *[s for s in options.switches.split(",") if s]]
    warm: dict = {v: [] for v in variants}
    builds: dict = {v: [] for v in variants}
    sizes: dict = {}
    with tempfile.TemporaryDirectory(prefix="irdocs-changes-") as tmp:
        for number in range(options.rounds):
            for variant in variants:
                warm[variant].append(warm_ms(variant))
                seconds, sizes[variant] = build(variant, Path(tmp) / f"{variant or 'all'}-{number}")
                builds[variant].append(seconds)
    base_warm, base_build = min(warm[None]), statistics.median(builds[None])
    print(f"{'variant':42} {'warm ms':>8} {'ratio':>6} {'build s':>8} {'ratio':>6} {'all KB':>8} {'CJK KB':>7} {'Latin KB':>8}")
    for variant in variants:
        name = "all changes" if variant is None else f"without {SWITCHES.get(variant, variant)}"
        w, b = min(warm[variant]), statistics.median(builds[variant])
        size = sizes[variant]
        print(
            f"{name:42} {w:8.1f} {w / base_warm:6.2f} {b:8.2f} {b / base_build:6.2f} {size['total_kb']:8.0f} {size['cjk_kb']:7.1f} {size['latin_kb']:8.1f}"
            f"   (warm {', '.join(f'{x:.1f}' for x in warm[variant])}; build {', '.join(f'{x:.2f}' for x in builds[variant])})"
        )


if __name__ == "__main__":
    main()
