"""``irdocs import``: rows from an Excel workbook (or a CSV file) become records.

Every row is checked with the same rules as ``irdocs check``; nothing is written unless all of
them are valid, otherwise each bad row is reported by its row number. Without ``update`` the rows
are new records; with it, a row whose id exists updates that record (only the columns the sheet
has), a row with a new id is added, and records missing from the sheet are kept unless
``delete_missing`` is given. ``plan_import`` says what would change; ``import_file`` does it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, RecordsError, UsageError
from .load import RawRecord
from .model import Records

IMPORT_KINDS = {"honorees": "honoree", "partners": "partner", "agreements": "agreement"}
#: Words in a file name that say what its rows are (English and Mongolian).
NAME_HINTS = {
    "honoree": "honorees",
    "title": "honorees",
    "цол": "honorees",
    "partner": "partners",
    "түнш": "partners",
    "agreement": "agreements",
    "гэрээ": "agreements",
}


@dataclass(frozen=True)
class Change:
    """One field of one record that the import changes."""

    record_id: str
    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.record_id}: {self.field}: {self.old or '(empty)'} -> {self.new or '(empty)'}"


@dataclass
class ImportPlan:
    """What an import does: records added, fields changed, records the sheet does not have."""

    what: str
    kind: str
    added: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    written: bool = False
    records: Records | None = None
    #: problems of other records files: left out, not this import's to fix
    warnings: list[Problem] = field(default_factory=list)

    @property
    def updated(self) -> list[str]:
        return list(dict.fromkeys(change.record_id for change in self.changes))


def what_of(path: Path, what: str | None) -> str:
    """honorees, partners or agreements: as given, or from the file's name ('honorees-2026.xlsx')."""
    if what:
        if what not in IMPORT_KINDS:
            raise UsageError(f"cannot import '{what}': choose one of {', '.join(IMPORT_KINDS)}")
        return what
    name = Path(path).stem.lower()
    found = {plural for hint, plural in NAME_HINTS.items() if hint in name}
    if len(found) == 1:
        return found.pop()
    raise UsageError(f"{path.name}: say what the rows are with --as honorees, --as partners or --as agreements")


def _shown(value: Any) -> str:
    if value is None or value == () or value == []:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value)
    if hasattr(value, "model_dump"):
        return ", ".join(f"{k}: {v}" for k, v in value.model_dump(mode="json", exclude_defaults=True).items())
    return str(value)


def _merged(existing: RawRecord, new: RawRecord, columns: list[str]) -> RawRecord:
    """The existing record with the sheet's columns replaced by the sheet's cells (an empty cell empties the field)."""
    from .spreadsheet import NESTED_COLUMNS

    values = {k: (dict(v) if isinstance(v, dict) else v) for k, v in existing.values.items()}
    for column in columns:
        if column in NESTED_COLUMNS:
            group, part = NESTED_COLUMNS[column]
            cell = new.values.get(group, {}).get(part)
            target = values.setdefault(group, {}) if isinstance(values.get(group, {}), dict) else {}
            if cell is None:
                target.pop(part, None)
            else:
                target[part] = cell
            if not target:
                values.pop(group, None)
            continue
        if column in new.values:
            values[column] = new.values[column]
        else:
            values.pop(column, None)
    return RawRecord(existing.kind, values, new.location, last_line=existing.last_line)


def _fields(columns: list[str]) -> list[str]:
    from .spreadsheet import NESTED_COLUMNS

    return list(dict.fromkeys(NESTED_COLUMNS[c][0] if c in NESTED_COLUMNS else c for c in columns))


def import_file(
    root: Path,
    path: Path,
    what: str | None = None,
    today: dt.date | None = None,
    *,
    update: bool = False,
    delete_missing: bool = False,
    dry_run: bool = False,
    show=None,
) -> ImportPlan:
    """Import the rows of ``path``; ``show(plan)`` is called with the differences before anything is written."""
    from ..write import records_lock
    from .append import TARGETS, update_records
    from .load import load_folder
    from .partial import validate_for_write
    from .spreadsheet import read_sheet

    path, root = Path(path), Path(root)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise UsageError(f"{path}: irdocs imports .xlsx and .csv files (save the sheet as 'Excel Workbook (.xlsx)')")
    if delete_missing and not update:
        raise UsageError("--delete-missing goes with --update")
    what = what_of(path, what)
    kind = IMPORT_KINDS[what]
    sheet = read_sheet(path, kind)
    if not sheet.records:
        raise RecordsError([Problem(Location(str(path)), "no rows to import", expected="one row per record under the header")])
    plan = ImportPlan(what, kind)
    if not update:
        from .append import add_records

        try:
            plan.records = add_records(root, kind, sheet.records, today)
        except RecordsError as exc:
            raise RecordsError([_with_update_hint(problem, path) for problem in exc.problems]) from None
        plan.added, plan.written = [r.record_id for r in sheet.records], True
        return plan
    with records_lock(root):
        loaded = load_folder(root)
        existing = {r.record_id: r for r in loaded[kind].records}
        seen = {r.record_id for r in sheet.records}
        changed = [_merged(existing[r.record_id], r, sheet.columns) for r in sheet.records if r.record_id in existing]
        added = [r for r in sheet.records if r.record_id not in existing]
        by_id = {r.record_id: r for r in changed}
        plan.missing = [rid for rid in existing if rid not in seen]
        kept = [by_id.get(r.record_id, r) for r in loaded[kind].records if not (delete_missing and r.record_id not in seen)]
        loaded[kind].records[:] = kept + added
        if delete_missing:
            plan.deleted = plan.missing
        # refused when the file to be written, or a row of the sheet, has a problem; others are warnings
        records, plan.warnings = validate_for_write(loaded, root, today, [TARGETS[kind][0]], [(kind, r.record_id) for r in sheet.records])
        plan.records = records
        plan.added = [r.record_id for r in added]
        before = _validated(load_folder(root), root, today, kind)
        after = _by_id(records, kind)
        fields = _fields(sheet.columns)
        for raw in changed:
            old, new = before.get(raw.record_id), after[raw.record_id]
            for name in fields:
                was = getattr(old, name) if old is not None else existing[raw.record_id].values.get(name)
                if was != getattr(new, name):
                    plan.changes.append(Change(raw.record_id, name, _shown(was), _shown(getattr(new, name))))
        if show is not None:
            show(plan)
        if dry_run or not (plan.added or plan.changes or plan.deleted):
            return plan
        changed_now = [raw for raw in changed if raw.record_id in plan.updated]
        update_records(root, kind, records, changed_now, _changed_fields(plan), added, plan.deleted)
        plan.written = True
    return plan


def _with_update_hint(problem: Problem, path: Path) -> Problem:
    """A row whose id the records have already: say how to change that record instead."""
    if problem.field != "id" or "is already the id of the" not in problem.message or problem.location.file != str(path):
        return problem
    from dataclasses import replace

    return replace(problem, expected=f"each id only once; to change the record that has it, import with --update: irdocs import {path.name} --update")


def _changed_fields(plan: ImportPlan) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for change in plan.changes:
        out.setdefault(change.record_id, set()).add(change.field)
    return out


def _by_id(records: Records, kind: str) -> dict[str, Any]:
    return {"honoree": records.honorees_by_id, "partner": records.partners_by_id, "agreement": records.agreements_by_id}[kind]


def _validated(loaded, root: Path, today: dt.date | None, kind: str) -> dict[str, Any]:
    from .validate import validate

    records, _ = validate(loaded, root, today, partial=True)
    return _by_id(records, kind)
