"""`irdocs import` (all rows or none) and `irdocs init` (a new folder that passes check)."""

import pytest
from openpyxl import Workbook

HEADER = ["id", "title", "family_name", "given_name", "native_name", "country", "affiliation", "awarded_on", "citation", "citation_mn"]
GOOD_ROW = ["hp-2025-101", "honorary-professor", "Tanaka", "Kenichi", "田中 健一", "JP", "Alpha University", "2025-06-15", "For teaching.", "Багшилсныг үнэлж."]


def workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "New titles"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_with_one_bad_row_appends_nothing(mini, run):
    bad = [*GOOD_ROW]
    bad[0], bad[7] = "vp-2025-102", "2025-02-30"
    path = workbook(mini.parent / "new.xlsx", [GOOD_ROW, bad, [*GOOD_ROW[:1]] and ["vp-2025-103", *GOOD_ROW[1:5], "UK", *GOOD_ROW[6:]]])
    before = (mini / "honorees.csv").read_bytes()
    result = run("import", str(path), "--as", "honorees")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "new.xlsx: row 3: honoree vp-2025-102: awarded_on: '2025-02-30' is not a date: there is no such day "
        "(a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998)",
        "new.xlsx: row 4: honoree vp-2025-103: country: 'UK' is not a country code (did you mean GB (United Kingdom)?)",
        "2 problems found in the records.",
    ]
    assert (mini / "honorees.csv").read_bytes() == before


def test_import_of_valid_rows_appends_them(mini, run):
    from datetime import date

    second = ["vp-2025-102", "visiting-professor", "Park", "Jiho", "박지호", "KR", "Beta Hospital", date(2025, 6, 15), "For lectures.", "Лекц уншсаныг үнэлж."]
    path = workbook(mini.parent / "new.xlsx", [GOOD_ROW, second])
    before = (mini / "honorees.csv").read_text(encoding="utf-8")
    result = run("import", str(path), "--as", "honorees")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "Added 2 honorees to records."
    after = (mini / "honorees.csv").read_text(encoding="utf-8")
    assert after.startswith(before)
    from irdocs.records.validate import load_records

    records = load_records(mini)
    assert records.honorees_by_id["vp-2025-102"].native_name == "박지호"
    assert str(records.honorees_by_id["vp-2025-102"].awarded_on) == "2025-06-15"


def test_import_duplicate_of_existing_id_is_refused(mini, run):
    row = [*GOOD_ROW]
    row[0] = "hd-2020-001"
    path = workbook(mini.parent / "dup.xlsx", [row])
    result = run("import", str(path), "--as", "honorees")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "dup.xlsx: row 2: honoree hd-2020-001: id: 'hd-2020-001' is already the id of the honoree at records/honorees.csv:2 "
        "(each id only once; to change the record that has it, import with --update: irdocs import dup.xlsx --update)"
    )


def test_import_partners_from_csv_keeps_comments(mini, run):
    (mini / "partners.yaml").write_text("# our partners\n" + (mini / "partners.yaml").read_text(), encoding="utf-8")
    source = mini.parent / "partners.csv"
    source.write_text(
        "id;name;kind;country;city;representative_name;representative_title\ngamma-institute;Gamma Institute;research-institute;DE;Berlin;Dr. G. Sample;Director\n",
        encoding="utf-8",
    )
    result = run("import", str(source), "--as", "partners")
    assert result.exit_code == 0, result.stderr
    text = (mini / "partners.yaml").read_text(encoding="utf-8")
    assert text.startswith("# our partners\npartners:\n  - id: alpha-university\n")
    from irdocs.records.validate import load_records

    gamma = load_records(mini).partners_by_id["gamma-institute"]
    assert gamma.representative.name == "Dr. G. Sample"


def test_import_unknown_format(mini, run):
    path = mini.parent / "titles.ods"
    path.write_bytes(b"x")
    result = run("import", str(path), "--as", "honorees")
    assert result.exit_code == 2
    assert "irdocs imports .xlsx and .csv files" in result.stderr


def test_init_creates_a_folder_that_passes_check(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    result = run("init", "office-records")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "office-records").iterdir()) == ["agreements.yaml", "honorees.csv", "institution.yaml", "partners.yaml"]
    checked = run("check", "--records", "office-records")
    assert checked.exit_code == 0, checked.stderr
    assert "0 partners, 0 agreements, 0 honorary titles" in checked.stdout


def test_init_refuses_a_folder_with_files(mini, run):
    result = run("init", "records")
    assert result.exit_code == 2
    assert result.stderr.strip() == "records: the folder already exists and is not empty; choose a new folder name"


def test_new_partner_after_init_is_appended(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    run("init", "r")
    (tmp_path / "p.csv").write_text("id,name,kind,country,city\nalpha,Alpha,university,JP,Tokyo\n", encoding="utf-8")
    result = run("import", "p.csv", "--as", "partners", "--records", "r")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "r" / "partners.yaml").read_text(encoding="utf-8")
    assert "partners:\n" in text and "partners: []" not in text
    assert "#   - id: yonsei-university" in text, "the commented example survives"


@pytest.mark.parametrize("env", [True, False])
def test_records_folder_from_environment_or_option(mini, run, monkeypatch, env):
    monkeypatch.chdir(mini.parent.parent)
    if env:
        monkeypatch.setenv("IRDOCS_RECORDS", str(mini))
        result = run("check")
    else:
        result = run("check", "--records", str(mini))
    assert result.exit_code == 0


def test_missing_records_folder_is_a_usage_error(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("records folder 'records' not found; give the right one with --records DIR, or create one with 'irdocs init records'")
