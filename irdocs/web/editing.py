"""Changing and deleting one record, from its page: checked like ``irdocs check``, written in place.

``change`` and ``delete`` take the records lock, load the folder, put the changed record in place
of the old one (or leave it out), and check the whole folder with ``validate`` exactly as adding a
record does (``append.add_many``). Only then is the file written, atomically. Everything else in
the file stays as it was, byte for byte: the other records, their order, the comments between them.
In a YAML file the record's own entry is changed with ruamel's round trip, so its unchanged lines and
comments stay too; in honorees.csv only the record's row is written again, with the file's delimiter,
quoting and line ends.

A record something else refers to (a partner named by an agreement or an honorary title, an
agreement another one renews, an honorary title with a certificate in the register) is not deleted:
``references`` says what refers to it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, RecordsError, UsageError
from ..records.append import TARGETS, _yaml_scalar_safe
from ..records.load import RawRecord, load_folder, load_yaml_document, read_text, sniff_delimiter
from ..records.model import Records
from ..records.partial import validate_for_write
from ..records.validate import validate
from ..write import atomic_write_many, records_lock
from .forms import FORM_SOURCE  # the changed record's location: its problems are shown at the form's fields


@dataclass(frozen=True)
class Reference:
    """Something that refers to a record: 'agreement', 'yonsei-cooperation-1993', 'names it as a partner'."""

    kind: str
    ident: str
    how: str


def references(records: Records, kind: str, ident: str, register_entries: dict | None = None) -> list[Reference]:
    """What refers to the record ``kind``/``ident`` (a record that is referred to cannot be deleted)."""
    found: list[Reference] = []
    if kind == "partner":
        for agreement in records.agreements:
            if ident in agreement.partners:
                found.append(Reference("agreement", agreement.id, "partner"))
            elif ident in agreement.signatories:
                found.append(Reference("agreement", agreement.id, "signatory"))
        for honoree in records.honorees:
            if honoree.partner == ident:
                found.append(Reference("honoree", honoree.id, "partner"))
    elif kind == "agreement":
        for agreement in records.agreements:
            if agreement.renews == ident:
                found.append(Reference("agreement", agreement.id, "renews"))
    elif kind == "honoree" and register_entries and ident in register_entries:
        found.append(Reference("certificate", register_entries[ident].serial, "register"))
    return found


def _find(loaded: dict, kind: str, ident: str) -> int:
    for index, raw in enumerate(loaded[kind].records):
        if raw.record_id == ident:
            return index
    raise UsageError(f"there is no {kind} '{ident}' in {TARGETS[kind][0]}")


#: what a form says when its record was changed by someone else after the form was opened
CHANGED_MEANWHILE = "someone else changed this record after this form was opened; open it again to see their change, then make yours"


def version(values: dict[str, Any]) -> str:
    """A short fingerprint of a record's values as its file holds them (an edit form carries the one it was opened with)."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()[:16]


def change(root: Path, kind: str, ident: str, values: dict[str, Any], today=None, opened: str | None = None) -> Records:
    """Write ``values`` (every field of the record, in the file's words) in place of record ``ident``.

    ``opened``: the ``version`` of the record the form was filled from; when the file holds another
    one now (a colleague saved a change meanwhile), nothing is written (RecordsError).
    """
    root = Path(root)
    with records_lock(root):
        loaded = load_folder(root)
        index = _find(loaded, kind, ident)
        old = loaded[kind].records[index]
        if opened is not None and version(old.values) != opened:
            raise RecordsError([Problem(Location(FORM_SOURCE), CHANGED_MEANWHILE, kind=kind, record_id=ident)])
        loaded[kind].records[index] = RawRecord(kind, values, Location(FORM_SOURCE))
        written = [(kind, str(values.get("id") or ident))]
        records, _ = validate_for_write(loaded, root, today, [TARGETS[kind][0]], written)  # refused when its file or the record has a problem
        path = root / TARGETS[kind][0]
        data = _csv_replaced(path, old, values) if TARGETS[kind][1] is None else _yaml_replaced(path, TARGETS[kind][1], ident, values)
        atomic_write_many({path: data})
    return records


def delete(root: Path, kind: str, ident: str, register_entries: dict | None = None, today=None) -> Records:
    """Take record ``ident`` out of its file; refused (RecordsError) while something refers to it."""
    root = Path(root)
    with records_lock(root):
        loaded = load_folder(root)
        index = _find(loaded, kind, ident)
        old = loaded[kind].records.pop(index)
        before, _ = validate(load_folder(root), root, today, partial=True)
        found = references(before, kind, ident, register_entries)
        if found:
            raise RecordsError(
                [Problem(Location(FORM_SOURCE), f"{ref.kind} {ref.ident} refers to it ({ref.how})", kind=kind, record_id=ident) for ref in found]
            )
        records, _ = validate_for_write(loaded, root, today, [TARGETS[kind][0]], [])
        path = root / TARGETS[kind][0]
        data = _csv_replaced(path, old, None) if TARGETS[kind][1] is None else _yaml_replaced(path, TARGETS[kind][1], ident, None)
        atomic_write_many({path: data})
    return records


# --------------------------------------------------------------------------- YAML: one entry changed in place


def _item_span(path: Path, key: str, ident: str) -> tuple[list[str], int, int]:
    """The file's lines and the 0-based first and past-the-end line of the entry with id ``ident``."""
    text, problem = read_text(path)
    if problem:
        raise RecordsError([problem])
    document, lines, problems = load_yaml_document(path)
    if problems:
        raise RecordsError(problems)
    items = document[key]
    starts = [lines[(key, i)] - 1 for i in range(len(items))]
    index = next(i for i, item in enumerate(items) if isinstance(item, dict) and str(item.get("id")) == ident)
    all_lines = text.splitlines(keepends=True)
    end = starts[index + 1] if index + 1 < len(starts) else len(all_lines)
    while end > starts[index] + 1 and (not all_lines[end - 1].strip() or all_lines[end - 1].lstrip().startswith("#")):
        end -= 1  # blank lines and comments before the next entry belong to it
    return all_lines, starts[index], end


def _merge(target, values: dict[str, Any], order: tuple[str, ...]) -> None:
    """Make the round-trip mapping ``target`` hold ``values``: changed keys in place, new ones in the file's order."""
    from ruamel.yaml.comments import CommentedMap

    for name in [k for k in target if k not in values]:
        del target[name]
    for name, value in values.items():
        if isinstance(value, dict) and isinstance(target.get(name), CommentedMap):
            _merge(target[name], value, tuple(value))
            continue
        old = target.get(name)
        if name in target and _plain(old) == _plain(value):
            continue  # unchanged: keep its quoting and comments
        if name in target:
            target[name] = _yaml_scalar_safe(value)
            continue
        later = [k for k in order[order.index(name) + 1 :] if k in target] if name in order else []
        position = list(target).index(later[0]) if later else len(target)
        target.insert(position, name, _yaml_scalar_safe(value))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if value is not None else None


def _yaml_replaced(path: Path, key: str, ident: str, values: dict[str, Any] | None) -> bytes:
    from ruamel.yaml import YAML

    from ..records.entry import FIELD_ORDER

    all_lines, start, end = _item_span(path, key, ident)
    if values is None:
        rest = all_lines[:start] + all_lines[end:]
        first, last = start, start  # the blank lines where the entry was: one is left
        while first > 0 and not rest[first - 1].strip():
            first -= 1
        while last < len(rest) and not rest[last].strip():
            last += 1
        if last - first > 1:
            rest[first:last] = [rest[first]]
        return "".join(rest).encode("utf-8")
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    entry_text = "".join(all_lines[start:end])
    document = yaml.load(f"{key}:\n{entry_text}")
    _merge(document[key][0], values, FIELD_ORDER.get(TARGETS_KIND[key], tuple(values)))
    out = io.StringIO()
    yaml.dump(document, out)
    new_entry = out.getvalue().split("\n", 1)[1]
    if not entry_text.endswith("\n"):
        new_entry = new_entry.rstrip("\n")
    return "".join([*all_lines[:start], new_entry, *all_lines[end:]]).encode("utf-8")


TARGETS_KIND = {key: kind for kind, (_file, key) in TARGETS.items() if key}


# --------------------------------------------------------------------------- CSV: one row written again


def _csv_replaced(path: Path, old: RawRecord, values: dict[str, Any] | None) -> bytes:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text, problem = read_text(path)
    if problem:
        raise RecordsError([problem])
    lines = text.splitlines(keepends=True)
    header_line = next(line for line in lines if line.strip() and not line.lstrip().startswith("#"))
    delimiter = sniff_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter))
    start = old.location.line - 1
    reader = csv.reader(io.StringIO("".join(lines[start:]), newline=""), delimiter=delimiter)
    next(reader)
    end = start + reader.line_num
    newline = "\r\n" if "\r\n" in text else "\n"
    replacement = ""
    if values is not None:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator=newline).writerow(
            ["" if values.get(n.strip()) is None else str(values.get(n.strip())) for n in header]
        )
        replacement = out.getvalue()
        if end == len(lines) and not lines[-1].endswith(("\n", "\r")):
            replacement = replacement.rstrip("\r\n")
    return (("\ufeff" if bom else "") + "".join([*lines[:start], replacement, *lines[end:]])).encode("utf-8")
