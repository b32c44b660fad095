"""Helpers for the spreadsheet tests: workbooks as the office's programs write them, and LibreOffice Calc run headless."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from openpyxl import Workbook

#: A valid new honoree, by field.
ROW = {
    "id": "hp-2025-101",
    "title": "honorary-professor",
    "family_name": "Tanaka",
    "given_name": "Kenichi",
    "native_name": "田中 健一",
    "country": "JP",
    "affiliation": "Alpha University",
    "awarded_on": "2025-06-15",
    "citation": "For teaching.",
    "citation_mn": "Багшилсныг үнэлж.",
}
#: A CSV header with the usual fields, in order.
CSV_HEADER = ",".join(ROW)


def workbook(path: Path, header: list, rows: list[list], title: str = "Honorees", before=None, after=None) -> Path:
    """An .xlsx written by openpyxl (a program, not Excel: formulas have no saved value)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    if before:
        before(book, sheet)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if after:
        after(book, sheet)
    book.save(path)
    return path


def row_workbook(path: Path, changes: dict | None = None, header: dict | None = None, **options) -> Path:
    """The valid row as a workbook, with some cells changed and some headers renamed."""
    values = {**ROW, **(changes or {})}
    names = [(header or {}).get(name, name) for name in values]
    return workbook(path, names, [list(values.values())], **options)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def calc_convert(files: list[Path], to: str, out_dir: Path, profile: Path) -> list[Path]:
    """Convert files with a real LibreOffice Calc, headless, in one run: 'xlsx' or 'csv' (UTF-8, comma)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = {"xlsx": "xlsx:Calc Office Open XML", "csv": "csv:Text - txt - csv (StarCalc):44,34,76,1"}[to]
    command = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", target, "--outdir", str(out_dir)]
    if any(f.suffix == ".csv" for f in files):
        command += ["--infilter=CSV:44,34,76,1"]
    subprocess.run([*command, *map(str, files)], check=True, capture_output=True, timeout=240)
    converted = [out_dir / (f.stem + "." + to) for f in files]
    missing = [p for p in converted if not p.is_file()]
    assert not missing, f"LibreOffice did not write {missing}"
    return converted
