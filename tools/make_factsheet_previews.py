"""Write the PNG previews of fact sheets in docs/previews/ (page 1 of each, 50 dpi; the department's
first two pages, and its Word version as LibreOffice prints it): every kind in every language.

    .venv/bin/python tools/make_factsheet_previews.py

Needs poppler (pdftoppm) and LibreOffice (soffice), which `make setup` installs.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from irdocs.documents.factsheets.kind import FactsheetBatch, Sheet  # noqa: E402
from irdocs.localize import SHEET_LANGUAGES  # noqa: E402
from irdocs.records.validate import load_records  # noqa: E402
from irdocs.render.libreoffice import convert_to_pdf  # noqa: E402

OUT = REPO / "docs" / "previews"
AS_OF = dt.date(2026, 11, 27)
#: the country each language's preview shows (a delegation reads its own country's sheet)
COUNTRY = {"en": "JP", "mn": "JP", "ja": "JP", "ko": "KR", "zh-Hans": "CN", "zh-Hant": "TW", "ru": "RU"}
PARTNER = "tianjin-university-of-tcm"


def png(pdf: Path, name: str, pages: int = 1) -> None:
    for page in range(1, pages + 1):
        suffix = f"-{page}" if pages > 1 else ""
        target = OUT / f"{name}{suffix}"
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(target)], check=True)
        print(f"wrote {target.relative_to(REPO)}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    records = load_records(REPO / "records", today=AS_OF)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        for language in SHEET_LANGUAGES:
            batch = FactsheetBatch(records, language, AS_OF)
            try:
                sheets = [("country", Sheet("country", COUNTRY[language])), ("partner", Sheet("partner", PARTNER))]
                if language in ("en", "mn"):
                    sheets.insert(0, ("department", Sheet("department")))
                for kind, sheet in sheets:
                    pdf = folder / f"{kind}-{language}.pdf"
                    pdf.write_bytes(batch.pdf_bytes(sheet))
                    png(pdf, f"factsheet-{kind}-{language}", pages=2 if kind == "department" else 1)
                    if kind == "department" and language == "en":
                        docx = folder / "department-docx.docx"
                        docx.write_bytes(batch.docx_bytes(sheet))
                        (converted,) = convert_to_pdf([docx], folder / "converted")
                        png(converted, "factsheet-department-docx")
            finally:
                batch.close()
    for old in (
        "factsheet-department-1.png",
        "factsheet-department-2.png",
        "factsheet-department-mn.png",
        "factsheet-country-jp.png",
        "factsheet-partner-tianjin.png",
    ):
        (OUT / old).unlink(missing_ok=True)
    shutil.rmtree(OUT / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
