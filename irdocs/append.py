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
from pathlib import Path
from typing import Any

from .errors import RecordsError
from .load import AGREEMENTS_FILE, HONOREES_FILE, PARTNERS_FILE, RawRecord, load_folder, read_text, sniff_delimiter
from .model import Records
from .validate import validate
from .write import atomic_write_many, records_lock

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


def _appended_csv(path: Path, rows: list[dict]) -> bytes:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text, problem = read_text(path)
    if problem:
        raise RecordsError([problem])
    lines = text.splitlines()
    header_line = next(line for line in lines if line.strip() and not line.lstrip().startswith("#"))
    delimiter = sniff_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter))
    newline = "\r\n" if "\r\n" in text else "\n"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    for row in rows:
        writer.writerow([_cell(row.get(name.strip())) for name in header])
    if text and not text.endswith(("\n", "\r")):
        text += newline
    return (("\ufeff" if bom else "") + text + out.getvalue()).encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


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
        records, _ = validate(loaded, root, today)  # raises RecordsError naming every bad row
        files: dict[Path, bytes] = {}
        for kind in TARGETS:  # partners first, then the agreements and honorees that name them
            added = new.get(kind)
            if not added:
                continue
            file_name, key = TARGETS[kind]
            path = root / file_name
            values = [r.values for r in added]
            files[path] = _appended_yaml(path, key, values) if key else _appended_csv(path, values)
        atomic_write_many(files)
    return records
