"""Render one sample certificate of each design to docs/previews/certificate-<kind>.png (60 dpi).

Run after changing a design:  .venv/bin/python tools/make_certificate_previews.py
Uses a throw-away copy of the sample records (its own register) and a preview key, so the
department's register and key are never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = {"honorary-doctorate": "hd-2024-001", "honorary-professor": "hp-2025-003", "visiting-professor": "vp-2025-001"}


def main() -> None:
    os.environ["IRDOCS_KEY"] = "preview-key-not-for-real-certificates"
    from irdocs import default_templates
    from irdocs.build import make
    from irdocs.documents.document import Settings
    from irdocs.records.validate import load_records

    target = REPO / "docs" / "previews"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        records_dir = Path(temp) / "records"
        shutil.copytree(REPO / "records", records_dir, ignore=shutil.ignore_patterns("register.sqlite3*", ".irdocs.lock"))
        records = load_records(records_dir)
        out = Path(temp) / "out"
        result = make(records, [], default_templates(), out, ("certificates",), Settings(), named={"id": list(SAMPLES.values()), "document": "certificate"})
        paths = {d.tags["id"]: out / d.name for d in result.selected}
        for kind, honoree_id in SAMPLES.items():
            png = target / f"certificate-{kind}"
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(paths[honoree_id]), str(png)], check=True)
            print(f"wrote {png}.png")


if __name__ == "__main__":
    main()
