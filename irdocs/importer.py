"""``irdocs import``: rows from an Excel workbook (or a CSV file) become new records.

Every row is checked with the same rules as ``irdocs check``; the rows are appended only
when all of them are valid, otherwise each bad row is reported by its row number.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .append import add_records
from .errors import Location, Problem, RecordsError, UsageError
from .load import RawRecord, parse_csv_text, read_text
from .model import Records

IMPORT_KINDS = {"honorees": "honoree", "partners": "partner"}
#: Flat spreadsheet columns that become nested fields.
NESTED_COLUMNS = {"representative_name": ("representative", "name"), "representative_title": ("representative", "title")}


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _nest(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in NESTED_COLUMNS:
            group, field = NESTED_COLUMNS[name]
            out.setdefault(group, {})[field] = value
        else:
            out[name] = value
    return out


def read_xlsx(path: Path, kind: str) -> list[RawRecord]:
    """The first sheet's rows (header in the first non-empty row) as records located by row number."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise RecordsError([Problem(Location(str(path)), f"cannot open the workbook: {exc}", expected="an .xlsx file saved by Excel or LibreOffice")]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header: list[str] | None = None
        records: list[RawRecord] = []
        problems: list[Problem] = []
        for number, row in enumerate(rows, start=1):
            cells = list(row)
            if header is None:
                if any(c not in (None, "") for c in cells):
                    header = [str(c).strip() if c is not None else "" for c in cells]
                continue
            values = {name: _cell_value(c) for name, c in zip(header, cells, strict=False) if name and _cell_value(c) is not None}
            if not values:
                continue
            records.append(RawRecord(kind, _nest(values), Location(str(path), number, unit="row")))
        if header is None:
            problems.append(Problem(Location(str(path)), "the first sheet is empty", expected="a header row naming the columns, then one row per record"))
        if problems:
            raise RecordsError(problems)
        return records
    finally:
        workbook.close()


def read_import_csv(path: Path, kind: str) -> list[RawRecord]:
    text, problem = read_text(path)
    if problem:
        raise RecordsError([problem])
    result = parse_csv_text(text, path, kind)
    if result.problems:
        raise RecordsError(result.problems)
    for record in result.records:
        record.values = _nest(record.values)
    return result.records


def import_file(root: Path, path: Path, what: str, today: dt.date | None = None) -> tuple[int, Records]:
    """Append the rows of ``path`` as ``what`` (honorees or partners); all rows or none."""
    path = Path(path)
    if what not in IMPORT_KINDS:
        raise UsageError(f"cannot import '{what}': choose one of {', '.join(IMPORT_KINDS)}")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    kind = IMPORT_KINDS[what]
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        new = read_xlsx(path, kind)
    elif suffix in (".csv", ".txt"):
        new = read_import_csv(path, kind)
    else:
        raise UsageError(f"{path}: irdocs imports .xlsx and .csv files (save the sheet as 'Excel Workbook (.xlsx)')")
    if not new:
        raise RecordsError([Problem(Location(str(path)), "no rows to import", expected="one row per record under the header")])
    records = add_records(root, kind, new, today)
    return len(new), records
