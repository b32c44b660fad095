"""Stage 1: read the record files, keeping the file and line of every record and field.

Nothing here judges the content: it only turns YAML and CSV text into plain Python
values (``RawRecord``) and reports files that cannot be read at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Location, Problem

INSTITUTION_FILE = "institution.yaml"
PARTNERS_FILE = "partners.yaml"
AGREEMENTS_FILE = "agreements.yaml"
HONOREES_FILE = "honorees.csv"
RECORD_FILES = (INSTITUTION_FILE, PARTNERS_FILE, AGREEMENTS_FILE, HONOREES_FILE)


@dataclass
class RawRecord:
    """One record as written: plain values plus a way to find the line of any field."""

    kind: str
    values: dict[str, Any]
    location: Location
    line_of: Callable[[tuple], int | None] = field(repr=False, default=lambda loc: None)

    @property
    def record_id(self) -> str:
        value = self.values.get("id")
        return str(value) if isinstance(value, (str, int)) and str(value).strip() else ""

    def location_of(self, loc: tuple) -> Location:
        line = self.line_of(loc) or self.location.line
        return Location(self.location.file, line, self.location.unit)


@dataclass
class LoadResult:
    records: list[RawRecord]
    problems: list[Problem]
    #: for CSV files, the column names and the header's location
    header: list[str] | None = None
    header_location: Location | None = None


# --------------------------------------------------------------------------- YAML


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    # Dates stay text here: ruamel would raise a ValueError without a line for 2020-02-30;
    # validate parses them and names the line.
    yaml.constructor.add_constructor("tag:yaml.org,2002:timestamp", lambda constructor, node: constructor.construct_scalar(node))
    return yaml


def plain(value: Any) -> Any:
    """ruamel's round-trip types (CommentedMap, ScalarFloat, ...) as plain Python values."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, (int, float, bool)) else k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dt.datetime):
        return dt.datetime(*value.timetuple()[:6])
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def _node_line(node: Any, loc: tuple) -> int | None:
    """The 1-based line of the value at ``loc`` inside a ruamel node, or of its nearest parent."""
    line = None
    for key in loc:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        try:
            if isinstance(node, dict):
                if key not in node:
                    break
                line = lc.key(key)[0] + 1
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                line = lc.item(key)[0] + 1
                node = node[key]
            else:
                break
        except (KeyError, TypeError, AttributeError):
            break
    return line


def yaml_error_problem(path: Path, exc: Exception) -> Problem:
    """A YAML syntax error as a Problem with the line where the parser stopped."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    text = str(problem).strip()
    hint = "valid YAML: two spaces per indent level, no tabs, each key once"
    if "'\\t'" in text or "tab" in text.lower():
        text = "a tab character is used for indentation"
        hint = "spaces for indentation; YAML does not allow tab characters"
    duplicate = re.search(r'duplicate key "([^"]*)"', text)
    if duplicate:
        text = f"the field '{duplicate.group(1)}' appears twice in one record"
        hint = "each field once per record"
    return Problem(Location(str(path), line), f"cannot read the file: {text}", expected=hint)


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text as UTF-8 (a byte-order mark is allowed), or a Problem naming the line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, Problem(Location(str(path)), "file is missing", expected="run 'irdocs init' to start a records folder")
    except OSError as exc:
        return None, Problem(Location(str(path)), f"cannot open the file: {exc.strerror}")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(
            Location(str(path), line),
            "the file is not UTF-8 text (it may have been saved as Windows-1251 or another old encoding)",
            expected="save it as UTF-8; in Excel choose 'CSV UTF-8 (Comma delimited)'",
        )


def load_yaml_document(path: Path) -> tuple[Any, list[Problem]]:
    """The parsed round-trip YAML document (comments kept) or the problems that stopped it."""
    text, problem = read_text(path)
    if problem:
        return None, [problem]
    from ruamel.yaml.error import YAMLError

    try:
        document = _yaml().load(text)
    except YAMLError as exc:
        return None, [yaml_error_problem(path, exc)]
    except Exception as exc:  # ruamel raises plain ValueError/TypeError for some malformed input
        return None, [Problem(Location(str(path)), f"cannot read the file: {exc}", expected="valid YAML text")]
    return document, []


def load_yaml_list(path: Path, kind: str, key: str) -> LoadResult:
    """Records from a YAML file whose top level is ``key: [ ... ]``."""
    document, problems = load_yaml_document(path)
    if problems:
        return LoadResult([], problems)
    if document is None:
        return LoadResult([], [Problem(Location(str(path), 1), "the file is empty", expected=f"a list under '{key}:'")])
    if not isinstance(document, dict) or key not in document:
        return LoadResult([], [Problem(Location(str(path), 1), f"no '{key}:' list at the top of the file", expected=f"'{key}:' followed by a list of {kind}s")])
    items = document[key]
    if items is None:
        return LoadResult([], [])
    if not isinstance(items, list):
        line = _node_line(document, (key,))
        return LoadResult([], [Problem(Location(str(path), line), f"'{key}' is not a list", expected=f"one '- id: ...' entry per {kind}")])
    extra = [k for k in document if k != key]
    problems = [Problem(Location(str(path), _node_line(document, (k,))), f"unknown top-level key '{k}'", expected=f"only '{key}:'") for k in extra]
    records = []
    for index, item in enumerate(items):
        line = _node_line(items, (index,))
        if not isinstance(item, dict):
            problems.append(
                Problem(Location(str(path), line), f"{kind} entry {index + 1} is not a set of fields", expected="'- id: ...' followed by 'field: value' lines")
            )
            continue
        records.append(RawRecord(kind, plain(item), Location(str(path), line), line_of=lambda loc, node=item: _node_line(node, loc)))
    return LoadResult(records, problems)


def load_yaml_mapping(path: Path, kind: str) -> LoadResult:
    """A single record from a YAML file whose top level is a mapping."""
    document, problems = load_yaml_document(path)
    if problems:
        return LoadResult([], problems)
    if not isinstance(document, dict):
        message = "the file is empty" if document is None else "the file is not a set of 'field: value' lines"
        return LoadResult([], [Problem(Location(str(path), 1), message, expected=f"the {kind}'s fields, e.g. 'name_en: ...'")])
    record = RawRecord(kind, plain(document), Location(str(path), 1), line_of=lambda loc: _node_line(document, loc))
    return LoadResult([record], [])


# --------------------------------------------------------------------------- CSV


def sniff_delimiter(header_line: str) -> str:
    """Excel writes ';' where the decimal separator is ',' (most of Europe and Mongolia)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_csv_text(text: str, path: Path, kind: str) -> LoadResult:
    """Rows of a CSV text as records; '#' lines before the header are comments."""
    problems: list[Problem] = []
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and (not lines[skipped].strip() or lines[skipped].lstrip().startswith("#")):
        skipped += 1
    if skipped == len(lines):
        return LoadResult([], [Problem(Location(str(path), 1), "the file is empty", expected="a header row naming the columns, then one row per " + kind)])
    body = "".join(lines[skipped:])
    delimiter = sniff_delimiter(lines[skipped])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        return LoadResult([], [Problem(Location(str(path), skipped + 1), f"cannot read the header row: {exc}", expected="column names separated by commas")])
    records: list[RawRecord] = []
    blanks = [i + 1 for i, h in enumerate(header) if not h]
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name and name in seen:
            problems.append(Problem(Location(str(path), skipped + 1), f"column '{name}' appears twice in the header", expected="each column once"))
        seen.setdefault(name, i)
    if blanks:
        problems.append(Problem(Location(str(path), skipped + 1), f"column {blanks[0]} of the header has no name", expected="a name for every column"))
    previous_end = skipped + reader.line_num  # last line of the header, 1-based
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            message = str(exc)
            if "eof" in message.lower() or "end of data" in message:
                message = "a quotation mark is opened and never closed"
            problems.append(
                Problem(Location(str(path), previous_end + 1), f"cannot read the row: {message}", expected='a " inside a text must be written as ""')
            )
            break
        first_line = previous_end + 1
        previous_end = skipped + reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if [c.strip() for c in row] == header:
            problems.append(Problem(Location(str(path), first_line), "the header row appears again", expected="the header only once, at the top"))
            continue
        if len(row) > len(header):
            extra = [c for c in row[len(header) :] if c.strip()]
            if extra:
                problems.append(
                    Problem(
                        Location(str(path), first_line),
                        f"the row has {len(row)} cells but the header names {len(header)} columns",
                        kind=kind,
                        record_id=row[header.index("id")].strip() if "id" in header else "",
                        expected=f"one cell per column; check for a stray '{delimiter}' in a text",
                    )
                )
                continue
        values: dict[str, Any] = {}
        for name, cell in zip(header, row, strict=False):
            if not name:
                continue
            cell = cell.strip()
            if cell != "":
                values[name] = cell
        records.append(RawRecord(kind, values, Location(str(path), first_line)))
    return LoadResult(records, problems, header=header, header_location=Location(str(path), skipped + 1))


def load_csv(path: Path, kind: str) -> LoadResult:
    text, problem = read_text(path)
    if problem:
        return LoadResult([], [problem])
    return parse_csv_text(text, path, kind)


# --------------------------------------------------------------------------- folder


def load_folder(root: Path) -> dict[str, LoadResult]:
    """Every record file of a records folder, read but not yet validated."""
    return {
        "institution": load_yaml_mapping(root / INSTITUTION_FILE, "institution"),
        "partner": load_yaml_list(root / PARTNERS_FILE, "partner", "partners"),
        "agreement": load_yaml_list(root / AGREEMENTS_FILE, "agreement", "agreements"),
        "honoree": load_csv(root / HONOREES_FILE, "honoree"),
    }
