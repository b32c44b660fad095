"""The Excel round trip: ``irdocs export`` -> edited and saved by a real LibreOffice Calc -> ``irdocs import --update``."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE
from openpyxl import load_workbook
from spreadsheets import calc_convert, soffice

WHAT = ("honorees", "partners", "agreements")
FILES = {"honorees": "honorees.csv", "partners": "partners.yaml", "agreements": "agreements.yaml"}


@pytest.fixture
def office(tmp_path, monkeypatch) -> Path:
    """A copy of the sample records, the working folder above it."""
    if soffice() is None:
        pytest.fail("LibreOffice Calc is needed (apt-get install libreoffice-calc-nogui)")
    folder = tmp_path / "records"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("register.sqlite3*", ".irdocs*"))
    monkeypatch.chdir(tmp_path)
    return folder


def record_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_export_then_calc_then_import_changes_nothing(office, run, tmp_path):
    for what in WHAT:
        result = run("export", f"{what}.xlsx")
        assert result.exit_code == 0, result.stderr
    before = record_files(office)
    saved = calc_convert([tmp_path / f"{what}.xlsx" for what in WHAT], "xlsx", tmp_path / "calc", tmp_path / "profile")
    as_csv = calc_convert(saved, "csv", tmp_path / "calc-csv", tmp_path / "profile")
    for path in [*saved, *as_csv]:
        result = run("import", str(path), "--update")
        assert result.exit_code == 0, (path, result.stderr)
        assert result.stdout == "No changes: records already has every row of the sheet.\n", (path, result.stdout)
    assert record_files(office) == before


def test_one_edited_cell_is_one_change(office, run, tmp_path):
    assert run("export", "honorees.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "honorees.xlsx")
    sheet = book["Honorees"]
    header = [c.value for c in sheet[1]]
    row = 10
    honoree_id = sheet.cell(row=row, column=1).value
    old = sheet.cell(row=row, column=header.index("affiliation") + 1).value
    sheet.cell(row=row, column=header.index("affiliation") + 1).value = "Kyoto Prefectural University of Medicine"
    book.save(tmp_path / "edited.xlsx")
    # Saved again by Calc, as the office's computer would.
    (saved,) = calc_convert([tmp_path / "edited.xlsx"], "xlsx", tmp_path / "calc", tmp_path / "profile")
    before = record_files(office)
    result = run("import", str(saved), "--update", "--as", "honorees")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"  changed honoree {honoree_id}: affiliation: {old} -> Kyoto Prefectural University of Medicine",
        "Updated 1 honoree, added 0, deleted 0 in records.",
    ]
    after = record_files(office)
    assert {name for name in after if after[name] != before[name]} == {"honorees.csv"}
    lines = changed_lines(before["honorees.csv"], after["honorees.csv"])
    assert len(lines) == 2 and lines[0].startswith(f"-{honoree_id},") and lines[1].startswith(f"+{honoree_id},")
    assert lines[1] == lines[0].replace(old, "Kyoto Prefectural University of Medicine", 1).replace("-", "+", 1)


def test_partners_update_keeps_comments_and_adds_rows(office, run, tmp_path):
    assert run("export", "partners.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "partners.xlsx")
    sheet = book["Partners"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("city") + 1).value = "Seoul (Sinchon)"
    sheet.cell(row=2, column=header.index("former_names") + 1).value = "Yonhi College; Severance Union Medical College"
    new = {"id": "gamma-institute", "name": "Gamma Institute", "kind": "research-institute", "country": "Герман", "city": "Berlin"}
    sheet.append([new.get(name) for name in header])
    book.save(tmp_path / "edited.xlsx")
    (saved,) = calc_convert([tmp_path / "edited.xlsx"], "xlsx", tmp_path / "calc", tmp_path / "profile")
    before = (office / "partners.yaml").read_bytes()
    result = run("import", str(saved), "--update", "--as", "partners")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "  changed partner yonsei-university: former_names: (empty) -> Yonhi College, Severance Union Medical College",
        "  changed partner yonsei-university: city: Seoul -> Seoul (Sinchon)",
        "  new partner gamma-institute",
        "Updated 1 partner, added 1, deleted 0 in records.",
    ]
    after = (office / "partners.yaml").read_bytes()
    assert after.startswith(before[: before.index(b"partners:")]), "the comments at the top are kept"
    lines = changed_lines(before, after)
    assert lines == [
        "-    city: Seoul",
        "+    city: Seoul (Sinchon)",
        "+    former_names:",
        "+      - Yonhi College",
        "+      - Severance Union Medical College",
        "+  - id: gamma-institute",
        "+    name: Gamma Institute",
        "+    kind: research-institute",
        "+    country: DE",
        "+    city: Berlin",
    ]
    check = run("check")
    assert check.exit_code == 0, check.stderr


def test_missing_rows_are_kept_unless_asked(office, run, tmp_path):
    assert run("export", "honorees.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "honorees.xlsx")
    sheet = book["Honorees"]
    gone = sheet.cell(row=2, column=1).value
    sheet.delete_rows(2)
    book.save(tmp_path / "fewer.xlsx")
    before = record_files(office)
    kept = run("import", "fewer.xlsx", "--update", "--as", "honorees")
    assert kept.exit_code == 0, kept.stderr
    assert kept.stdout.splitlines() == [
        f"  not in the sheet, kept (--delete-missing deletes them): {gone}",
        "No changes: records already has every row of the sheet.",
    ]
    assert record_files(office) == before
    deleted = run("import", "fewer.xlsx", "--update", "--delete-missing", "--as", "honorees")
    assert deleted.exit_code == 0, deleted.stderr
    assert deleted.stdout.splitlines() == [f"  deleted honoree {gone}", "Updated 0 honorees, added 0, deleted 1 in records."]
    lines = changed_lines(before["honorees.csv"], (office / "honorees.csv").read_bytes())
    assert len(lines) == 1 and lines[0].startswith(f"-{gone},")


def test_update_with_a_bad_cell_changes_nothing(office, run, tmp_path):
    assert run("export", "honorees.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "honorees.xlsx")
    sheet = book["Honorees"]
    header = [c.value for c in sheet[1]]
    honoree_id = sheet.cell(row=3, column=1).value
    sheet.cell(row=3, column=header.index("awarded_on") + 1).value = "03/04/2025"
    book.save(tmp_path / "bad.xlsx")
    before = record_files(office)
    result = run("import", "bad.xlsx", "--update", "--as", "honorees")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"bad.xlsx: row 3: honoree {honoree_id}: awarded_on: '03/04/2025' can be read two ways: 3 April 2025 (day first) or March 4, 2025 (month first) "
        "(write it as 2025-04-03 or 2025-03-04)",
        "1 problem found in the records.",
    ]
    assert record_files(office) == before


def test_dry_run_shows_and_writes_nothing(office, run, tmp_path):
    assert run("export", "honorees.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "honorees.xlsx")
    sheet = book["Honorees"]
    sheet.cell(row=2, column=3).value = "Yi"
    book.save(tmp_path / "edited.xlsx")
    before = record_files(office)
    result = run("import", "edited.xlsx", "--update", "--dry-run", "--as", "honorees")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Dry run, nothing written: would update 1, add 0, delete 0 honorees."
    assert record_files(office) == before


def test_exported_workbook_is_made_for_editing(office, run, tmp_path):
    result = run("export", "honorees.xlsx")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Wrote 195 honorees to honorees.xlsx.\n"
    first = (tmp_path / "honorees.xlsx").read_bytes()
    assert run("export", "honorees.xlsx").exit_code == 0
    assert (tmp_path / "honorees.xlsx").read_bytes() == first, "the same records give the same bytes"
    book = load_workbook(tmp_path / "honorees.xlsx")
    sheet = book["Honorees"]
    assert book.sheetnames == ["Honorees", "Lists"] and book["Lists"].sheet_state == "hidden"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    header = [c.value for c in sheet[1]]
    dates = [sheet.cell(row=r, column=header.index("awarded_on") + 1).value for r in range(2, sheet.max_row + 1)]
    assert all(isinstance(d, (dt.datetime, int)) for d in dates)
    assert any(isinstance(d, dt.datetime) for d in dates) and any(isinstance(d, int) for d in dates), "full dates are dates, old awards years"
    validated = {str(rule.sqref).split(":")[0].rstrip("0123456789"): rule for rule in sheet.data_validations.dataValidation}
    letters = {name: chr(ord("A") + header.index(name)) for name in ("title", "country", "ceremony")}
    assert {letters[name] for name in letters} <= set(validated)
    titles = validated[letters["title"]].formula1
    column = titles.split("$")[1]
    assert [c.value for c in book["Lists"][column]][1:4] == ["honorary-doctorate", "honorary-professor", "visiting-professor"]


def test_export_refuses_other_formats(office, run):
    result = run("export", "honorees.ods")
    assert result.exit_code == 2
    assert result.stderr.strip() == "honorees.ods: irdocs exports Excel workbooks; give a file name ending in .xlsx"
    unknown = run("export", "list.xlsx")
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == "list.xlsx: say what the rows are with --as honorees, --as partners or --as agreements"


def test_a_text_that_looks_like_a_formula_stays_text(office, run, tmp_path):
    """A citation starting with '=' is exported as text: Calc shows it and computes nothing, and it comes back unchanged."""
    text = (office / "honorees.csv").read_text(encoding="utf-8")
    first = text.splitlines()[2]
    citation = "=1+1 is not arithmetic here"
    (office / "honorees.csv").write_text(text.replace(first, first.replace("In recognition", citation + " In recognition", 1), 1), encoding="utf-8")
    assert run("check").exit_code == 0
    assert run("export", "honorees.xlsx").exit_code == 0
    cell = next(c for c in load_workbook(tmp_path / "honorees.xlsx")["Honorees"][2] if isinstance(c.value, str) and c.value.startswith("=1+1"))
    assert cell.data_type == "s"
    before = record_files(office)
    (saved,) = calc_convert([tmp_path / "honorees.xlsx"], "xlsx", tmp_path / "calc", tmp_path / "profile")
    result = run("import", str(saved), "--update")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "No changes: records already has every row of the sheet.\n"
    assert record_files(office) == before
