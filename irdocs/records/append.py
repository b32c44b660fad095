"""Adding records to a records folder: checked together with what is there, then written atomically.

Nothing is written unless every new record is valid *and* the folder stays valid with them
(unique ids, references that resolve).  Existing text, comments and formatting are kept: new
entries are appended to the end of the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import RecordsError
from ..write import atomic_write_many, records_lock
from .load import AGREEMENTS_FILE, HONOREES_FILE, PARTNERS_FILE, RawRecord, load_folder, read_text, sniff_delimiter
from .model import Records
from .partial import validate_for_write

#: ids and vocabulary words (partners, areas): written as a one-line list
SLUG_LIKE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: kind -> (file, top-level key of the YAML list or None for CSV)
TARGETS = {"partner": (PARTNERS_FILE, "partners"), "agreement": (AGREEMENTS_FILE, "agreements"), "honoree": (HONOREES_FILE, None)}


def _yaml_scalar_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _yaml_scalar_safe(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, (list, tuple)):
        items = [_yaml_scalar_safe(v) for v in value]
        if items and all(isinstance(v, str) and SLUG_LIKE.match(v) for v in items):
            from ruamel.yaml.comments import CommentedSeq

            flow = CommentedSeq(items)  # a list of ids stays on one line, as in the sample files: [a, b]
            flow.fa.set_flow_style()
            return flow
        return items
    return value


def yaml_entries(key: str, entries: list[dict]) -> str:
    """New list entries as YAML text indented like the sample files (two spaces, '- ' items)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump({key: [_yaml_scalar_safe(e) for e in entries]}, out)
    text = out.getvalue()
    return text.split("\n", 1)[1]  # drop the "key:" line: the file has it already


def _appended_yaml(path: Path, key: str, entries: list[dict]) -> bytes:
    text, problem = read_text(path)
    if problem:
        raise RecordsError([problem])
    if text.strip() and not text.endswith("\n"):
        text += "\n"
    body = yaml_entries(key, entries)
    lines = text.rstrip("\n").splitlines()
    # An empty list written as "partners: []" must become a block list.
    if lines and lines[-1].strip() in (f"{key}: []", f"{key}: [ ]"):
        lines[-1] = f"{key}:"
        text = "\n".join(lines) + "\n"
    elif not any(line.startswith(f"{key}:") for line in lines):
        text += f"{key}:\n"
    return (text + "\n" + body).encode("utf-8")


@dataclass
class _CsvFile:
    """A records CSV file as lines, with what is needed to write rows the way it has them."""

    bom: bool
    lines: list[str]  # with their line ends
    header_index: int
    header: list[str]  # record fields, in the file's order
    delimiter: str
    newline: str

    @classmethod
    def read(cls, path: Path, kind: str = "honoree") -> _CsvFile:
        from .columns import field_of

        raw = path.read_bytes()
        text, problem = read_text(path)
        if problem:
            raise RecordsError([problem])
        lines = text.splitlines(keepends=True)
        index = next(i for i, line in enumerate(lines) if line.strip(" \t\r\n,;") and not line.lstrip().startswith("#") and not line.startswith("sep="))
        delimiter = sniff_delimiter(lines[index])
        header = [field_of(kind, name) if name.strip() else "" for name in next(csv.reader([lines[index]], delimiter=delimiter))]
        newline = "\r\n" if "\r\n" in text else "\n"
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        return cls(raw.startswith(b"\xef\xbb\xbf"), lines, index, header, delimiter, newline)

    def add_columns(self, fields: set[str]) -> None:
        """New columns at the end of the header (rows without them stay as they are: shorter rows are read as empty cells)."""
        for name in sorted(fields - set(self.header)):
            line = self.lines[self.header_index]
            body = line.rstrip("\r\n")
            self.lines[self.header_index] = body + self.delimiter + name + line[len(body) :]
            self.header.append(name)

    def row(self, values: dict[str, Any]) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=self.delimiter, lineterminator=self.newline).writerow([_cell(values.get(name)) for name in self.header])
        return out.getvalue()

    def data(self) -> bytes:
        return (("\ufeff" if self.bom else "") + "".join(self.lines)).encode("utf-8")


def _appended_csv(path: Path, rows: list[dict]) -> bytes:
    table = _CsvFile.read(path)
    table.add_columns({name for row in rows for name in row})
    table.lines.extend(table.row(row) for row in rows)
    return table.data()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def stored(value: Any) -> Any:
    """A validated field's value as a records file writes it: 'Japan' was read as JP, '10.12.2026' as 2026-12-10."""
    from pydantic import BaseModel

    from .model import PartialDate

    if isinstance(value, PartialDate):
        return value.as_date() if value.is_full else value.year
    if isinstance(value, BaseModel):
        return {k: stored(v) for k, v in value if v not in (None, (), "")}
    if isinstance(value, dict):
        return {k: stored(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [stored(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def stored_values(record: Any, names) -> dict[str, Any]:
    """The fields ``names`` of a validated record, as written to its file (empty ones left out)."""
    values = {}
    for name in names:
        value = getattr(record, name, None)
        if value not in (None, "", (), [], {}):
            values[name] = stored(value)
    return values


def _validated_by_id(records: Records, kind: str) -> dict[str, Any]:
    return {"honoree": records.honorees_by_id, "partner": records.partners_by_id, "agreement": records.agreements_by_id}[kind]


def update_records(
    root: Path, kind: str, records: Records, changed: list[RawRecord], fields: dict[str, set[str]], added: list[RawRecord], deleted: list[str]
) -> None:
    """Write changed, added and deleted records of one kind (already validated, under the records lock).

    A CSV file changes only on the lines of the rows that change (every other byte stays); a YAML
    file is edited with ruamel.yaml's round trip, which keeps its comments and layout.
    """
    by_id = _validated_by_id(records, kind)
    file_name, key = TARGETS[kind]
    path = Path(root) / file_name
    data = _updated_yaml(path, key, by_id, fields, added, set(deleted)) if key else _updated_csv(path, by_id, changed, fields, added, set(deleted))
    atomic_write_many({path: data})


def _updated_csv(path: Path, by_id: dict, changed: list[RawRecord], fields: dict[str, set[str]], added: list[RawRecord], deleted: set[str]) -> bytes:
    from .load import parse_csv_text

    table = _CsvFile.read(path)
    table.add_columns({name for names in fields.values() for name in names} | {name for r in added for name in r.values})
    text, _ = read_text(path)
    spans = {r.record_id: (r.location.line, r.last_line or r.location.line) for r in parse_csv_text(text, path, "honoree").records}
    replacements: dict[int, tuple[int, str]] = {}
    for raw in changed:
        first, last = spans[raw.record_id]
        original = {k: v for k, v in raw.values.items() if k not in fields[raw.record_id]}
        replacements[first] = (last, table.row({**original, **stored_values(by_id[raw.record_id], fields[raw.record_id])}))
    for record_id in deleted:
        first, last = spans[record_id]
        replacements[first] = (last, "")
    for first in sorted(replacements, reverse=True):
        last, row = replacements[first]
        table.lines[first - 1 : last] = [row] if row else []
    table.lines.extend(table.row(stored_values(by_id[r.record_id], r.values)) for r in added)
    return table.data()


def _updated_yaml(path: Path, key: str, by_id: dict, fields: dict[str, set[str]], added: list[RawRecord], deleted: set[str]) -> bytes:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    text, problem = read_text(path)
    if problem:
        raise RecordsError([problem])
    document = yaml.load(text)
    items = document[key]
    for index in reversed(range(len(items))):
        if str(items[index].get("id")) in deleted:
            del items[index]
    for item in items:
        names = fields.get(str(item.get("id")), set())
        values = stored_values(by_id[str(item["id"])], names) if names else {}
        for name in names:
            if name in values:
                item[name] = _yaml_scalar_safe(values[name])
            else:
                item.pop(name, None)
    out = io.StringIO()
    yaml.dump(document, out)
    body = out.getvalue()
    if added:
        body = body.rstrip("\n") + "\n\n" + yaml_entries(key, [stored_values(by_id[r.record_id], r.values) for r in added])
    return body.encode("utf-8")


def add_records(root: Path, kind: str, new: list[RawRecord], today: dt.date | None = None) -> Records:
    """Append ``new`` records of one kind if the whole folder validates with them; return the new Records."""
    return add_many(root, {kind: new}, today)


def add_many(root: Path, new: dict[str, list[RawRecord]], today: dt.date | None = None) -> Records:
    """Append records of several kinds at once (a new partner and its agreement): all are checked together first."""
    root = Path(root)
    with records_lock(root):
        loaded = load_folder(root)
        for kind, records in new.items():
            loaded[kind].records.extend(records)
        # refused when a file to be written, or a new row, has a problem; others are left to their commands
        written = [(kind, r.record_id) for kind, rows in new.items() for r in rows]
        records, _ = validate_for_write(loaded, root, today, [TARGETS[kind][0] for kind in new], written)
        files: dict[Path, bytes] = {}
        for kind in TARGETS:  # partners first, then the agreements and honorees that name them
            added = new.get(kind)
            if not added:
                continue
            file_name, key = TARGETS[kind]
            path = root / file_name
            by_id = _validated_by_id(records, kind)
            values = [stored_values(by_id[r.record_id], r.values) for r in added]
            files[path] = _appended_yaml(path, key, values) if key else _appended_csv(path, values)
        atomic_write_many(files)
    return records
