"""``irdocs export``: the records as an Excel workbook the office edits and imports again with ``--update``.

One sheet of records (header row frozen and filtered, dates as date cells, lists of allowed values on
the columns that have them) and a hidden sheet 'Lists' holding those values. The columns are the record
fields, so ``irdocs import FILE --update`` reads the sheet back exactly; the bytes are the same for the
same records (fixed timestamps inside the file).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from .model import AGREEMENT_KINDS, AREAS, PARTNER_KINDS, STATUSES, TITLE_KINDS, PartialDate, Records

#: what -> (sheet title, columns)
SHEETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "honorees": (
        "Honorees",
        (
            "id",
            "title",
            "family_name",
            "given_name",
            "name_order",
            "native_name",
            "name_mn",
            "country",
            "affiliation",
            "partner",
            "awarded_on",
            "ceremony",
            "citation",
            "citation_mn",
        ),
    ),
    "partners": (
        "Partners",
        (
            "id",
            "name",
            "native_name",
            "name_mn",
            "former_names",
            "kind",
            "country",
            "city",
            "address",
            "website",
            "representative_name",
            "representative_title",
            "sample",
        ),
    ),
    "agreements": (
        "Agreements",
        ("id", "kind", "title", "title_mn", "partners", "status", "signed_on", "valid_until", "duration_years", "areas", "highlight", "highlight_mn", "renews"),
    ),
}
#: Column widths (characters); others 16.
WIDTHS = {"id": 28, "title": 30, "affiliation": 36, "name": 36, "citation": 60, "citation_mn": 60, "address": 40, "highlight": 50, "highlight_mn": 50}
#: Columns whose cells wrap (long texts).
WRAPPED = {"citation", "citation_mn", "address", "highlight", "highlight_mn"}
#: Fixed time stamps inside the file, so that the same records give the same bytes.
FIXED_TIME = dt.datetime(2000, 1, 1)


def _cell_value(record: Any, column: str) -> Any:
    if column in ("representative_name", "representative_title"):
        person = record.representative
        return None if person is None else getattr(person, column.split("_", 1)[1])
    value = getattr(record, column)
    if isinstance(value, PartialDate):
        return value.as_date() if value.is_full else value.year
    if isinstance(value, tuple):
        return ("; " if column == "former_names" else ", ").join(value) or None
    if column == "sample":
        return True if value else None
    return value


def _lists(records: Records, what: str) -> dict[str, list[str]]:
    """Column -> its allowed values, for the data validation lists."""
    countries = sorted({"MN", *(p.country for p in records.partners), *(h.country for h in records.honorees)})
    import pycountry

    countries += sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in countries)
    if what == "honorees":
        ceremonies = sorted({h.ceremony for h in records.honorees if h.ceremony})
        return {
            "title": list(TITLE_KINDS),
            "name_order": ["given-first", "family-first"],
            "country": countries,
            "partner": sorted(records.partners_by_id),
            "ceremony": ceremonies,
        }
    if what == "partners":
        return {"kind": list(PARTNER_KINDS), "country": countries}
    return {"kind": list(AGREEMENT_KINDS), "status": list(STATUSES), "areas": list(AREAS)}


def workbook_bytes(records: Records, what: str) -> tuple[bytes, int]:
    """The workbook of ``what`` (honorees, partners, agreements) and the number of records in it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    title, columns = SHEETS[what]
    rows = {"honorees": records.honorees, "partners": records.partners, "agreements": records.agreements}[what]
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for index, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 16)
    for number, record in enumerate(rows, 2):
        for index, column in enumerate(columns, 1):
            value = _cell_value(record, column)
            if value is None:
                continue
            cell = sheet.cell(row=number, column=index, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = "0"
            if column in WRAPPED:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    last = max(len(rows) + 1, 2)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    lists = book.create_sheet("Lists")
    lists.sheet_state = "hidden"
    room = last + 1000  # rows the office may add below the records
    for index, (column, values) in enumerate(_lists(records, what).items(), 1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=column)
        for number, value in enumerate(values, 2):
            lists.cell(row=number, column=index, value=value)
        if column not in columns or not values:
            continue
        target = get_column_letter(columns.index(column) + 1)
        # A country may also be typed as its name, a new ceremony or a second area: a warning, not a refusal.
        strict = column in ("title", "kind", "status", "name_order")
        rule = DataValidation(
            type="list",
            formula1=f"Lists!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            errorStyle="stop" if strict else "warning",
            showErrorMessage=True,
            error="Choose a value from the list.",
        )
        rule.add(f"{target}2:{target}{room}")
        sheet.add_data_validation(rule)
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = "irdocs"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue()), len(rows)


def _fixed_zip_times(data: bytes) -> bytes:
    """The same archive with every member's time stamp fixed, and the workbook's 'modified' date
    (openpyxl writes the current time in both, whatever the properties say)."""
    import re

    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            member = source.read(info)
            if info.filename == "docProps/core.xml":
                member = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", member)
            target.writestr(fixed, member)
    return out.getvalue()


def export_workbook(records: Records, what: str, path: Path) -> int:
    """Write the workbook to ``path`` (atomically); the number of records written."""
    from ..errors import UsageError
    from ..write import atomic_write

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{path}: irdocs exports Excel workbooks; give a file name ending in .xlsx")
    data, count = workbook_bytes(records, what)
    atomic_write(path, data)
    return count
