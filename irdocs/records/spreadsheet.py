"""Reading a sheet of records from an Excel workbook (.xlsx) or a CSV file, as Excel and LibreOffice write them.

Cells become the text the records hold: a date cell is a date (a time of day on it is refused), a
whole number is an id or a year, a formula gives its saved value (a formula without one is refused,
naming the cell), headers are matched by ``columns``. A hostile workbook cannot make the reading
long: it is read in openpyxl's read-only (streaming) mode, within the limits below, each a clear error.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, RecordsError
from .columns import field_of
from .load import RawRecord, parse_csv_text, read_text

#: Limits of what an import reads (a sheet of the office's records is far below each).
MAX_ROWS = 100_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 10_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: Flat spreadsheet columns that become nested fields.
NESTED_COLUMNS = {"representative_name": ("representative", "name"), "representative_title": ("representative", "title")}
#: Columns holding a list: ids separated by ',' or ';', names (which may hold commas) by ';' or line breaks.
LIST_COLUMNS = {"partners": ",;", "areas": ",;", "former_names": ";\n"}
#: What a cell shows when its formula failed.
ERROR_VALUES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "Err:502", "Err:504", "Err:508", "Err:522"}
OPEN_AND_SAVE = "open and save the file in Excel or LibreOffice Calc first"


@dataclass
class Sheet:
    """The records of one sheet, and the fields its header names (for updating only those)."""

    records: list[RawRecord]
    columns: list[str]


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _split(field: str, text: str) -> list[str]:
    separators = LIST_COLUMNS[field]
    for separator in separators[1:]:
        text = text.replace(separator, separators[0])
    return [part.strip() for part in text.split(separators[0]) if part.strip()]


def shape(values: dict[str, Any]) -> dict[str, Any]:
    """Flat cells as record fields: 'representative_name' -> representative.name, lists split."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in NESTED_COLUMNS:
            group, field = NESTED_COLUMNS[name]
            out.setdefault(group, {})[field] = value
        elif name in LIST_COLUMNS and isinstance(value, str):
            out[name] = _split(name, value)
        else:
            out[name] = value
    return out


def _check_zip(path: Path) -> None:
    """Refuse a workbook that would unpack to more than MAX_UNPACKED_BYTES (a zip bomb) before reading it."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RecordsError(
            [Problem(Location(str(path)), "cannot open the workbook: it is not an .xlsx file", expected="an .xlsx file saved by Excel or LibreOffice")]
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise RecordsError(
            [
                Problem(
                    Location(str(path)),
                    f"the workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than irdocs reads ({MAX_UNPACKED_BYTES // 1024 // 1024} MB)",
                    expected="a workbook with only the list of records; copy the sheet into a new workbook",
                )
            ]
        )


def _pick_sheet(workbook, kind: str):
    """The sheet named after the records ('Honorees'), else the first visible one."""
    wanted = {kind + "s", kind}
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() in wanted:
            return sheet
    visible = [sheet for sheet in workbook.worksheets if getattr(sheet, "sheet_state", "visible") == "visible"]
    return (visible or workbook.worksheets)[0]


class _Cells:
    """Turns one sheet's cells into record values, collecting a Problem per bad cell."""

    def __init__(self, path: Path, sheet: str):
        self.path, self.sheet = path, sheet
        self.problems: list[Problem] = []

    def problem(self, row: int, column: int, message: str, expected: str = "") -> None:
        where = f"sheet {self.sheet}, cell {column_letter(column)}{row}: "
        self.problems.append(Problem(Location(str(self.path)), where + message, expected=expected))

    def value(self, row: int, column: int, value: Any, formula: Any) -> Any:
        if value is None:
            if isinstance(formula, str) and formula.startswith("="):
                self.problem(row, column, "a formula with no saved value", OPEN_AND_SAVE)
            return None
        if isinstance(value, dt.datetime):
            if value.time() != dt.time():
                self.problem(row, column, f"'{value:%Y-%m-%d %H:%M}' has a time of day", f"the date only: format the cell as a date, e.g. {value:%Y-%m-%d}")
                return None
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dt.time):
            self.problem(row, column, f"'{value:%H:%M}' is a time of day", "a date or a text")
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (int, float)):
            return str(value)
        text = str(value)
        if len(text) > MAX_CELL_CHARS:
            self.problem(row, column, f"a text of {len(text):,} characters", f"at most {MAX_CELL_CHARS:,} characters in one cell")
            return None
        text = text.strip()
        if text in ERROR_VALUES:
            self.problem(row, column, f"the formula's result is the error {text}", "correct the formula, or type the value")
            return None
        return text or None


def read_xlsx(path: Path, kind: str) -> Sheet:
    """The records of a workbook's sheet (header in the first non-empty row), located by row number."""
    from openpyxl import load_workbook

    path = Path(path)
    _check_zip(path)
    try:
        values_book = load_workbook(path, read_only=True, data_only=True)
        formulas_book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise RecordsError([Problem(Location(str(path)), f"cannot open the workbook: {exc}", expected="an .xlsx file saved by Excel or LibreOffice")]) from None
    try:
        sheet = _pick_sheet(values_book, kind)
        formulas = formulas_book[sheet.title]
        # The rows as stored, not as the sheet's declared size says (a sheet may declare a million rows).
        sheet.reset_dimensions()
        formulas.reset_dimensions()
        return _read_rows(path, kind, sheet.title, sheet.iter_rows(values_only=True), formulas.iter_rows(values_only=True))
    finally:
        values_book.close()
        formulas_book.close()


def _read_rows(path: Path, kind: str, title: str, rows, formula_rows) -> Sheet:
    cells = _Cells(path, title)
    header: list[str] | None = None
    records: list[RawRecord] = []
    for number, (row, formula_row) in enumerate(zip(rows, formula_rows, strict=False), start=1):
        if number > MAX_ROWS:
            raise RecordsError([Problem(Location(str(path)), f"sheet {title} has more than {MAX_ROWS:,} rows", expected="split the list into several files")])
        if len(row) > MAX_COLUMNS and any(c not in (None, "") for c in row[MAX_COLUMNS:]):
            raise RecordsError(
                [Problem(Location(str(path)), f"sheet {title}, row {number}: more than {MAX_COLUMNS} columns", expected="only the columns of the records")]
            )
        row, formula_row = row[:MAX_COLUMNS], (formula_row or ())[:MAX_COLUMNS]
        values = [cells.value(number, i + 1, v, formula_row[i] if i < len(formula_row) else None) for i, v in enumerate(row)]
        if header is None:
            if any(v not in (None, "") for v in values):
                header = _header(cells, number, values, kind)
            continue
        fields: dict[str, Any] = {}
        for index, value in enumerate(values):
            if value is None:
                continue
            name = header[index] if index < len(header) else ""
            if not name:
                cells.problem(number, index + 1, f"a value in a column whose header is empty: {value!r}"[:120], "a name for the column, or delete the value")
                continue
            if name != "-":
                fields[name] = value
        if fields:
            records.append(RawRecord(kind, shape(fields), Location(str(path), number, unit="row")))
    if header is None:
        cells.problems.append(Problem(Location(str(path)), f"sheet {title} is empty", expected="a header row naming the columns, then one row per record"))
    if cells.problems:
        raise RecordsError(cells.problems)
    return Sheet(records, [h for h in (header or []) if h and h != "-"])


def _header(cells: _Cells, number: int, values: list[Any], kind: str) -> list[str]:
    """The fields the header names ('-' for a column of no field, reported once)."""
    from .model import MODELS
    from .validate import did_you_mean

    known = [*MODELS[kind].model_fields, *(NESTED_COLUMNS if kind == "partner" else ())]
    header: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        if value in (None, ""):
            header.append("")
            continue
        name = field_of(kind, str(value))
        if name not in known:
            guess = did_you_mean(str(value), known)
            cells.problem(number, index + 1, f"unknown column '{value}'", f"did you mean '{guess}'?" if guess else "columns: " + ", ".join(known))
            header.append("-")
            continue
        if name in seen:
            cells.problem(number, index + 1, f"column '{value}' repeats column {column_letter(seen[name] + 1)} ({name})", "each column once")
        seen.setdefault(name, index)
        header.append(name)
    return header


def read_csv(path: Path, kind: str) -> Sheet:
    text, problem = read_text(path)
    if problem:
        raise RecordsError([problem])
    from .model import MODELS
    from .validate import did_you_mean

    result = parse_csv_text(text, path, kind)
    known = [*MODELS[kind].model_fields, *(NESTED_COLUMNS if kind == "partner" else ())]
    for column in result.header or []:
        if column not in known:
            guess = did_you_mean(column, known)
            expected = f"did you mean '{guess}'?" if guess else "columns: " + ", ".join(known)
            result.problems.append(Problem(result.header_location, f"unknown column '{column}'", expected=expected))
    if result.problems:
        raise RecordsError(result.problems)
    for record in result.records:
        record.values = shape(record.values)
        record.last_line = None  # a row of the imported file, not of the records
    return Sheet(result.records, result.header or [])


def read_sheet(path: Path, kind: str) -> Sheet:
    """The records of an .xlsx or .csv file (the caller checked the suffix)."""
    return read_xlsx(path, kind) if Path(path).suffix.lower() in (".xlsx", ".xlsm") else read_csv(path, kind)
