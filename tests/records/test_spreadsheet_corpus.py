"""A corpus of real-world spreadsheets, as openpyxl (a program) and LibreOffice Calc write them.

Each case is imported into a small records folder with ``irdocs import``: either the row is added
exactly as the records hold it (code, ISO date), or the exact message is shown and ``records/`` is
left byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl.styles import PatternFill
from spreadsheets import CSV_HEADER, ROW, calc_convert, row_workbook, soffice, workbook

FIELDS = list(ROW)


def line(**changes) -> str:
    """ROW_LINE with some cells changed (in the mini folder's column order)."""
    values = {**ROW, "partner": "", **changes}
    order = ["id", "title", "family_name", "given_name", "native_name", "country", "affiliation", "partner", "awarded_on", "citation", "citation_mn"]
    return ",".join(values[name] for name in order) + "\n"


def csv_file(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def values(**changes) -> list:
    return list({**ROW, **changes}.values())


def _styled_far_away(book, sheet):
    fill = PatternFill("solid", fgColor="FFFF00")
    for column in range(12, 20):  # formatting, no values: Excel's "empty" columns
        sheet.cell(row=1, column=column).fill = fill
    sheet.cell(row=500, column=2).fill = fill  # and an empty formatted row far below


def _notes_first(book, sheet):
    notes = book.create_sheet("Notes", 0)
    notes["A1"] = "Please fill in the Honorees sheet"


def _huge_dimension(path: Path) -> Path:
    """The same workbook, its sheet declaring a million rows and 16,384 columns."""
    data = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            data[info.filename] = archive.read(info)
    sheet = data["xl/worksheets/sheet1.xml"].decode()
    import re

    data["xl/worksheets/sheet1.xml"] = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', sheet).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in data.items():
            archive.writestr(name, content)
    return path


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (101 * 1024 * 1024))
    return path


REFUSED = "1 problem found in the records."

# (id, how the file is made: (folder) -> path, what is expected: OK + the line added, or the exact messages)
CASES = [
    # ---------------------------------------------------------------- openpyxl (a program writes the workbook)
    ("plain-fields", lambda d: row_workbook(d / "new.xlsx"), line()),
    (
        "english-headers",
        lambda d: row_workbook(
            d / "new.xlsx",
            header={
                "id": "ID",
                "family_name": "Family name",
                "given_name": "Given Name",
                "native_name": "Native name",
                "awarded_on": "Awarded on",
                "citation_mn": "Citation (Mongolian)",
            },
        ),
        line(),
    ),
    (
        "mongolian-headers",
        lambda d: row_workbook(
            d / "new.xlsx",
            header={
                "id": "Дугаар",
                "title": "Цол",
                "family_name": "Овог",
                "given_name": "Нэр",
                "country": "Улс",
                "affiliation": "Байгууллага",
                "awarded_on": "Огноо",
                "citation_mn": "Үндэслэл",
            },
        ),
        line(),
    ),
    ("headers-any-case-and-spacing", lambda d: row_workbook(d / "new.xlsx", header={"family_name": " FAMILY-NAME ", "awarded_on": "awarded_on:"}), line()),
    ("country-english-name", lambda d: row_workbook(d / "new.xlsx", {"country": "Japan"}), line()),
    ("country-mongolian-name", lambda d: row_workbook(d / "new.xlsx", {"country": "Япон"}), line()),
    ("country-alpha-3", lambda d: row_workbook(d / "new.xlsx", {"country": "jpn"}), line()),
    (
        "country-uk",
        lambda d: row_workbook(d / "new.xlsx", {"country": "UK"}),
        ["new.xlsx: row 2: honoree hp-2025-101: country: 'UK' is not a country code (did you mean GB (United Kingdom)?)", REFUSED],
    ),
    ("date-cell", lambda d: row_workbook(d / "new.xlsx", {"awarded_on": dt.date(2025, 6, 15)}), line()),
    ("datetime-cell-at-midnight", lambda d: row_workbook(d / "new.xlsx", {"awarded_on": dt.datetime(2025, 6, 15)}), line()),
    (
        "datetime-cell-with-time",
        lambda d: row_workbook(d / "new.xlsx", {"awarded_on": dt.datetime(2025, 6, 15, 14, 30)}),
        [
            "new.xlsx: sheet Honorees, cell H2: '2025-06-15 14:30' has a time of day (the date only: format the cell as a date, e.g. 2025-06-15)",
            REFUSED,
        ],
    ),
    ("date-dots-year-first", lambda d: row_workbook(d / "new.xlsx", {"awarded_on": "2025.06.15"}), line()),
    ("date-dots-day-first", lambda d: row_workbook(d / "new.xlsx", {"awarded_on": "15.06.2025"}), line()),
    ("date-slashes-unambiguous", lambda d: row_workbook(d / "new.xlsx", {"awarded_on": "15/06/2025"}), line()),
    ("date-month-name", lambda d: row_workbook(d / "new.xlsx", {"awarded_on": "June 15, 2025"}), line()),
    (
        "date-slashes-ambiguous",
        lambda d: row_workbook(d / "new.xlsx", {"awarded_on": "03/04/2025"}),
        [
            "new.xlsx: row 2: honoree hp-2025-101: awarded_on: '03/04/2025' can be read two ways: 3 April 2025 (day first) or March 4, 2025 (month first) "
            "(write it as 2025-04-03 or 2025-03-04)",
            REFUSED,
        ],
    ),
    ("year-as-number", lambda d: row_workbook(d / "new.xlsx", {"awarded_on": 2025}), line(awarded_on="2025")),
    (
        "formula-without-saved-value",
        lambda d: row_workbook(d / "new.xlsx", {"native_name": '=CONCATENATE("田中"," ","健一")'}),
        ["new.xlsx: sheet Honorees, cell E2: a formula with no saved value (open and save the file in Excel or LibreOffice Calc first)", REFUSED],
    ),
    (
        "formula-in-required-field",
        lambda d: row_workbook(d / "new.xlsx", {"affiliation": '=UPPER("alpha")'}),
        ["new.xlsx: sheet Honorees, cell G2: a formula with no saved value (open and save the file in Excel or LibreOffice Calc first)", REFUSED],
    ),
    ("formatted-empty-columns-and-rows", lambda d: row_workbook(d / "new.xlsx", after=_styled_far_away), line()),
    ("blank-rows-above-header", lambda d: workbook(d / "new.xlsx", FIELDS, [values()], before=lambda b, s: s.append([]) or s.append([])), line()),
    ("records-sheet-not-first", lambda d: row_workbook(d / "new.xlsx", before=_notes_first), line()),
    (
        "unknown-column",
        lambda d: workbook(d / "new.xlsx", [*FIELDS, "Birthplace"], [[*values(), "Kyoto"]]),
        [
            "new.xlsx: sheet Honorees, cell K1: unknown column 'Birthplace' (columns: "
            + ", ".join(__import__("irdocs.records.model").records.model.Honoree.model_fields)
            + ")",
            REFUSED,
        ],
    ),
    (
        "misspelled-column",
        lambda d: workbook(d / "new.xlsx", [*FIELDS[:-1], "citaton_mn"], [values()]),
        ["new.xlsx: sheet Honorees, cell J1: unknown column 'citaton_mn' (did you mean 'citation_mn'?)", REFUSED],
    ),
    (
        "column-twice",
        lambda d: workbook(d / "new.xlsx", [*FIELDS, "Family name"], [[*values(), "Tanaka"]]),
        ["new.xlsx: sheet Honorees, cell K1: column 'Family name' repeats column C (family_name) (each column once)", REFUSED],
    ),
    (
        "value-under-empty-header",
        lambda d: workbook(d / "new.xlsx", [*FIELDS, None, None], [[*values(), None, "a note"]]),
        ["new.xlsx: sheet Honorees, cell L2: a value in a column whose header is empty: 'a note' (a name for the column, or delete the value)", REFUSED],
    ),
    (
        "single-name",
        lambda d: row_workbook(d / "new.xlsx", {"family_name": None, "given_name": "Sukarno", "country": "ID"}),
        line(family_name="", given_name="Sukarno", country="ID"),
    ),
    (
        "no-name-at-all",
        lambda d: row_workbook(d / "new.xlsx", {"family_name": None, "given_name": None}),
        [
            "new.xlsx: row 2: honoree hp-2025-101: has neither a family name nor a given name "
            "(at least one of family_name and given_name; a person with one name writes it in either)",
            REFUSED,
        ],
    ),
    ("joiner-in-marathi", lambda d: row_workbook(d / "new.xlsx", {"native_name": "आर्\u200dया", "country": "IN"}), line(native_name="आर्\u200dया", country="IN")),
    (
        "joiner-in-latin",
        lambda d: row_workbook(d / "new.xlsx", {"given_name": "Ken\u200dichi"}),
        [
            "new.xlsx: row 2: honoree hp-2025-101: given_name: contains an invisible character U+200D (zero width joiner) at position 4 "
            "(visible text only; retype the text or paste it as plain text)",
            REFUSED,
        ],
    ),
    (
        "boolean-in-text",
        lambda d: row_workbook(d / "new.xlsx", {"affiliation": True}),
        ["new.xlsx: row 2: honoree hp-2025-101: affiliation: 'True' is not text (a single line of text)", REFUSED],
    ),
    (
        "cell-too-long",
        lambda d: row_workbook(d / "new.xlsx", {"citation": "x" * 10_001}),
        ["new.xlsx: sheet Honorees, cell I2: a text of 10,001 characters (at most 10,000 characters in one cell)", REFUSED],
    ),
    (
        "too-many-columns",
        lambda d: workbook(d / "new.xlsx", [*FIELDS, *[None] * 100, "far"], [values()]),
        ["new.xlsx: sheet Honorees, row 1: more than 100 columns (only the columns of the records)", REFUSED],
    ),
    ("huge-declared-size", lambda d: _huge_dimension(row_workbook(d / "new.xlsx")), line()),
    (
        "cell-in-the-last-row",
        lambda d: row_workbook(d / "new.xlsx", after=lambda b, s: s.cell(row=1_048_576, column=16_384, value="x")),
        ["new.xlsx: sheet Honorees has more than 100,000 rows (split the list into several files)", REFUSED],
    ),
    (
        "zip-bomb",
        lambda d: _zip_bomb(row_workbook(d / "new.xlsx")),
        [
            "new.xlsx: the workbook unpacks to 101 MB, more than irdocs reads (100 MB) (a workbook with only the list of records; copy the sheet into a new workbook)",
            REFUSED,
        ],
    ),
    (
        "not-a-workbook",
        lambda d: csv_file(d / "new.xlsx", "id,title\n"),
        ["new.xlsx: cannot open the workbook: it is not an .xlsx file (an .xlsx file saved by Excel or LibreOffice)", REFUSED],
    ),
    (
        "empty-sheet",
        lambda d: workbook(d / "new.xlsx", [], []),
        ["new.xlsx: sheet Honorees is empty (a header row naming the columns, then one row per record)", REFUSED],
    ),
    # ---------------------------------------------------------------- CSV files as Excel saves them
    (
        "csv-excel-semicolons-bom-crlf",
        lambda d: csv_file(d / "new.csv", "\ufeff" + CSV_HEADER.replace(",", ";") + "\r\n" + ";".join(values()) + "\r\n"),
        line(),
    ),
    ("csv-tabs", lambda d: csv_file(d / "new.csv", CSV_HEADER.replace(",", "\t") + "\n" + "\t".join(values()) + "\n"), line()),
    ("csv-sep-line", lambda d: csv_file(d / "new.csv", "sep=;\n" + CSV_HEADER.replace(",", ";") + "\n" + ";".join(values()) + "\n"), line()),
    ("csv-trailing-empty-columns", lambda d: csv_file(d / "new.csv", CSV_HEADER + ",,\n" + ",".join(values()) + ",,\n,,,,,,,,,,,,\n"), line()),
    (
        "csv-quoted-line-break",
        lambda d: csv_file(d / "new.csv", CSV_HEADER + "\n" + ",".join(values(citation='"For teaching,\nand research."'))),
        line(citation='"For teaching,\nand research."'),
    ),
    (
        "csv-utf16",
        lambda d: csv_file(d / "new.csv", CSV_HEADER.replace(",", "\t") + "\n", encoding="utf-16"),
        ["new.csv:1: the file is UTF-16 text (Excel's 'Unicode Text'), not UTF-8 (save it as UTF-8; in Excel choose 'CSV UTF-8 (Comma delimited)')", REFUSED],
    ),
]

# Made by LibreOffice Calc from these sources: (id, source maker, target format, expected)
CALC_CASES = [
    ("calc-csv-to-xlsx-dates", lambda d: csv_file(d / "dates.csv", CSV_HEADER + "\n" + ",".join(values()) + "\n"), "xlsx", line()),
    (
        "calc-formula-with-saved-value",
        lambda d: row_workbook(d / "formula.xlsx", {"native_name": '=CONCATENATE("田中";" ";"健一")'.replace(";", ",")}),
        "xlsx",
        line(),
    ),
    (
        "calc-formula-error",
        lambda d: row_workbook(d / "naerror.xlsx", {"native_name": "=NA()"}),
        "xlsx",
        ["naerror.xlsx: sheet Honorees, cell E2: the formula's result is the error #N/A (correct the formula, or type the value)", REFUSED],
    ),
    (
        "calc-datetime-with-time",
        lambda d: csv_file(d / "timed.csv", CSV_HEADER + "\n" + ",".join(values(awarded_on="2025-06-15 14:30")) + "\n"),
        "xlsx",
        [
            "timed.xlsx: sheet timed, cell H2: '2025-06-15 14:30' has a time of day (the date only: format the cell as a date, e.g. 2025-06-15)",
            REFUSED,
        ],
    ),
    (
        "calc-mongolian-headers-to-csv",
        lambda d: row_workbook(d / "mongol.xlsx", header={"family_name": "Овог", "given_name": "Нэр", "country": "Улс", "awarded_on": "Огноо"}),
        "csv",
        line(),
    ),
    ("calc-xlsx-to-csv-date-cell", lambda d: row_workbook(d / "datecell.xlsx", {"awarded_on": dt.date(2025, 6, 15), "country": "Japan"}), "csv", line()),
]


@pytest.fixture(scope="session")
def calc_made(tmp_path_factory) -> dict[str, Path]:
    """The LibreOffice cases' files, converted by one run of Calc per target format."""
    if soffice() is None:
        pytest.fail("LibreOffice Calc is needed (apt-get install libreoffice-calc-nogui)")
    folder = tmp_path_factory.mktemp("calc")
    sources = {case_id: (make(folder), to) for case_id, make, to, _ in CALC_CASES}
    made: dict[str, Path] = {}
    for to in ("xlsx", "csv"):
        wanted = {case_id: path for case_id, (path, target) in sources.items() if target == to}
        # xlsx -> xlsx needs another folder; csv sources and xlsx sources are converted apart (one input filter each)
        for group in ([p for p in wanted.values() if p.suffix == ".csv"], [p for p in wanted.values() if p.suffix == ".xlsx"]):
            if group:
                converted = calc_convert(group, to, folder / f"out-{to}", folder / "profile")
                for source, result in zip(group, converted, strict=True):
                    case_id = next(k for k, v in wanted.items() if v == source)
                    made[case_id] = result
    return made


def record_files(folder: Path) -> dict[str, bytes]:
    """The record files (not the lock file an import leaves)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def _import_and_check(mini, run, path: Path, expected):
    before = record_files(mini)
    result = run("import", path.name, "--as", "honorees")
    if isinstance(expected, str):
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip() == "Added 1 honoree to records."
        text = (mini / "honorees.csv").read_bytes().decode("utf-8")
        assert text == before["honorees.csv"].decode("utf-8") + expected
        check = run("check")
        assert check.exit_code == 0, check.stderr
    else:
        assert result.exit_code == 1
        assert result.stderr.splitlines() == expected
        assert record_files(mini) == before, "records/ changed on refusal"


@pytest.mark.parametrize(("make", "expected"), [pytest.param(make, expected, id=case_id) for case_id, make, expected in CASES])
def test_spreadsheet_made_by_a_program(mini, run, make, expected):
    started = time.monotonic()
    path = make(mini.parent)
    _import_and_check(mini, run, path, expected)
    assert time.monotonic() - started < 20


@pytest.mark.parametrize(("case_id", "expected"), [pytest.param(case_id, expected, id=case_id) for case_id, _, _, expected in CALC_CASES])
def test_spreadsheet_made_by_libreoffice_calc(mini, run, calc_made, case_id, expected):
    path = shutil.copy(calc_made[case_id], mini.parent / calc_made[case_id].name)
    _import_and_check(mini, run, Path(path), expected)


def test_the_corpus_has_at_least_30_cases():
    assert len(CASES) + len(CALC_CASES) >= 30


def test_row_limit(mini, run, monkeypatch):
    import irdocs.records.spreadsheet

    monkeypatch.setattr(irdocs.records.spreadsheet, "MAX_ROWS", 3)
    path = workbook(mini.parent / "new.xlsx", FIELDS, [values(id=f"hp-2025-10{i}") for i in range(5)])
    before = (mini / "honorees.csv").read_bytes()
    result = run("import", path.name, "--as", "honorees")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["new.xlsx: sheet Honorees has more than 3 rows (split the list into several files)", REFUSED]
    assert (mini / "honorees.csv").read_bytes() == before
