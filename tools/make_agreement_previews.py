"""Write the PNG previews of agreement drafts shown in the README (page 1 of each, 60 dpi).

    .venv/bin/python tools/make_agreement_previews.py

Needs LibreOffice (soffice) and poppler (pdftoppm), which `make setup` installs.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from irdocs.documents.agreements.kind import Drafter  # noqa: E402
from irdocs.records.validate import load_records  # noqa: E402
from irdocs.render.libreoffice import convert_to_pdf  # noqa: E402

OUT = REPO / "docs" / "previews"
DATE = dt.date(2026, 11, 27)
#: preview name -> (agreement id, language)
PREVIEWS = {
    "agreement-mou": ("hoshigaoka-medical-university-1996", "en"),
    "agreement-joint-programme": ("tianjin-acupuncturist-2014", "en"),
    "agreement-multi-party": ("human-medicine-2plus4-2021", "en"),
    "agreement-en-mn": ("yonsei-cooperation-1993", "en+mn"),
    "agreement-mn": ("hoshigaoka-medical-university-1996", "mn"),
}


def main() -> None:
    records = load_records(REPO / "records", today=DATE)
    drafter = Drafter(records, draft_date=DATE)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for name, (agreement_id, language) in PREVIEWS.items():
            path = Path(folder) / f"{name}.docx"
            path.write_bytes(drafter.render(records.agreements_by_id[agreement_id], language))
            files.append(path)
        for pdf in convert_to_pdf(files):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(OUT / pdf.stem)], check=True)
            print(f"wrote {(OUT / pdf.stem).relative_to(REPO)}.png")


if __name__ == "__main__":
    main()
