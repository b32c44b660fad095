"""Seconds per certificate in one batch of 20 (sample records, a throw-away register and key).

.venv/bin/python tools/bench_certificates.py [COUNT]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(count: int = 20) -> None:
    os.environ["IRDOCS_KEY"] = "benchmark-key-not-for-real-certificates"
    started = time.perf_counter()
    from irdocs import default_templates
    from irdocs.build import make
    from irdocs.documents.document import Settings
    from irdocs.records.validate import load_records

    with tempfile.TemporaryDirectory() as temp:
        records_dir = Path(temp) / "records"
        shutil.copytree(REPO / "records", records_dir, ignore=shutil.ignore_patterns("register.sqlite3*", ".irdocs.lock"))
        records = load_records(records_dir)
        honorees = list(records.honorees[-count:])
        loaded = time.perf_counter()
        out = Path(temp) / "out"

        def certificates(ids: list[str]) -> None:
            make(records, [], default_templates(), out, ("certificates",), Settings(), named={"id": ids, "document": "certificate"}, jobs=1)

        certificates([honorees[0].id])
        first = time.perf_counter()
        certificates([h.id for h in honorees[1:]])
        done = time.perf_counter()
    print(f"imports and records: {loaded - started:.2f} s; first certificate: {first - loaded:.2f} s")
    print(f"next {count - 1}: {(done - first) / (count - 1):.3f} s per certificate; whole batch of {count}: {(done - loaded) / count:.3f} s per certificate")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
