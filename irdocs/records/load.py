"""Stage 1: read the record files, keeping the file and line of every record and field.

Nothing here judges the content: it only turns YAML and CSV text into plain Python
values (``RawRecord``) and reports files that cannot be read at all.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, Problem

INSTITUTION_FILE = "institution.yaml"
PARTNERS_FILE = "partners.yaml"
AGREEMENTS_FILE = "agreements.yaml"
HONOREES_FILE = "honorees.csv"
RECORD_FILES = (INSTITUTION_FILE, PARTNERS_FILE, AGREEMENTS_FILE, HONOREES_FILE)


def line_in(lines: dict[tuple, int], loc: tuple) -> int | None:
    """The line of the value at ``loc`` in a ``lines`` map, or of its nearest enclosing value."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def lines_under(lines: dict[tuple, int], prefix: tuple) -> dict[tuple, int]:
    """The part of a ``lines`` map below ``prefix``, with paths relative to it."""
    size = len(prefix)
    return {loc[size:]: line for loc, line in lines.items() if loc[:size] == tuple(prefix) and len(loc) > size}


@dataclass
class RawRecord:
    """One record as written: plain values plus the line of every field (``lines[loc]``)."""

    kind: str
    values: dict[str, Any]
    location: Location
    #: field path (as a tuple of keys and list indexes) -> 1-based line
    lines: dict[tuple, int] = field(default_factory=dict, repr=False)
    #: the last line of a CSV row (a quoted cell may hold line breaks), for updating it in place
    last_line: int | None = field(default=None, repr=False)

    @property
    def record_id(self) -> str:
        value = self.values.get("id")
        return str(value) if isinstance(value, (str, int)) and str(value).strip() else ""

    def line_of(self, loc: tuple) -> int | None:
        """The line of the field at ``loc``, or of its nearest enclosing field."""
        return line_in(self.lines, loc) if loc else None

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
#
# Parsed with libyaml (PyYAML's C composer: ~50x faster than a pure-Python parser, which keeps
# a no-op build fast), then turned into values here with YAML 1.2 rules: only true/false are
# booleans (so the country code NO stays 'NO'), dates stay text for validate to check, and a
# key given twice or an alias (*name) is reported instead of silently accepted.

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


ALIAS_MESSAGE = "an alias (*name) repeats another part of the file"
ALIAS_EXPECTED = "write each value out; anchors and aliases are not used in records"


class _YamlContentError(Exception):
    def __init__(self, line: int, message: str, expected: str):
        super().__init__(message)
        self.line, self.message, self.expected = line, message, expected


def _scalar(node) -> Any:
    value = node.value
    if node.style is not None or node.tag not in _IMPLICIT_TAGS:
        return value  # quoted, or explicitly tagged: text as written
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


_IMPLICIT_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")}


def _construct(node, loc: tuple, lines: dict[tuple, int], seen: set[int]) -> Any:
    """Plain Python values from a composed YAML node, noting the line of every key and item."""
    import yaml

    if id(node) in seen:
        raise _YamlContentError(
            node.start_mark.line + 1, "an alias (*name) repeats another part of the file", "write each value out; anchors and aliases are not used in records"
        )
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            items.append(_construct(item, (*loc, index), lines, seen))
        return items
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _construct(key_node, loc, {}, seen)
        if isinstance(key, (list, dict)):
            raise _YamlContentError(key_node.start_mark.line + 1, "a list or group is used as a field name", "field names are single words such as 'name'")
        key = str(key) if not isinstance(key, (int, float, bool)) or isinstance(key, bool) else key
        if key in mapping:
            raise _YamlContentError(key_node.start_mark.line + 1, f"the field '{key}' appears twice in one record", "each field once per record")
        lines[(*loc, key)] = key_node.start_mark.line + 1
        if id(value_node) in seen:  # an alias: name the line that uses it, not the anchor's
            raise _YamlContentError(key_node.start_mark.line + 1, ALIAS_MESSAGE, ALIAS_EXPECTED)
        mapping[key] = _construct(value_node, (*loc, key), lines, seen)
    return mapping


#: libyaml's messages in plain words (substring -> what to tell the user)
_YAML_MESSAGES = {
    "mapping values are not allowed": "a ':' is in an unexpected place; is this line indented more than the field above it?",
    "did not find expected key": "the indentation does not line up with the lines above",
    "expected <block end>": "the indentation does not line up with the lines above",
    "did not find expected '-' indicator": "a list entry does not start with '- ' at the right indentation",
    "could not find expected ':'": "a line is missing its ':' (each field is written 'field: value')",
    "found unexpected end of stream": "a quotation mark is opened and never closed",
    "found unknown escape character": "a backslash in double quotes starts an unknown escape; use single quotes around the text",
    "found character that cannot start any token": "a value starts with a character YAML reserves (@ or `); put the text in quotes",
    "found undefined alias": "an alias (*name) that points nowhere; write the value out",
}


def yaml_error_problem(path: Path, exc: Exception, text: str) -> Problem:
    """A YAML syntax error as a Problem with the line where the parser stopped."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    message = str(getattr(exc, "problem", None) or exc).strip()
    message = next((plain for known, plain in _YAML_MESSAGES.items() if known in message), message)
    hint = "valid YAML: two spaces per indent level, each field on its own line as 'field: value'"
    source_line = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or "tab" in message:
        message = "a tab character is used for indentation"
        hint = "spaces for indentation; YAML does not allow tab characters"
    return Problem(Location(str(path), line), f"cannot read the file: {message}", expected=hint)


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text as UTF-8 (a byte-order mark is allowed), or a Problem naming the line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, Problem(Location(str(path)), "file is missing", expected="run 'irdocs init' to start a records folder")
    except OSError as exc:
        return None, Problem(Location(str(path)), f"cannot open the file: {exc.strerror}")
    how = (
        "save it as UTF-8; in Excel choose 'CSV UTF-8 (Comma delimited)'"
        if Path(path).suffix.lower() in (".csv", ".txt")
        else "save it as UTF-8: in the text editor's 'Save as', choose the encoding UTF-8"
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(Location(str(path), 1), "the file is UTF-16 text (Excel's 'Unicode Text'), not UTF-8", expected=how)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(
            Location(str(path), line),
            "the file is not UTF-8 text (it may have been saved as Windows-1251 or another old encoding)",
            expected=how,
        )


def load_yaml_document(path: Path) -> tuple[Any, dict[tuple, int], list[Problem]]:
    """The file's values, the line of every key and item, or the problems that stopped reading."""
    import yaml

    text, problem = read_text(path)
    if problem:
        return None, {}, [problem]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        return None, {}, [yaml_error_problem(path, exc, text)]
    if node is None:
        return None, {}, []
    lines: dict[tuple, int] = {(): node.start_mark.line + 1}
    try:
        return _construct(node, (), lines, set()), lines, []
    except _YamlContentError as exc:
        return None, {}, [Problem(Location(str(path), exc.line), f"cannot read the file: {exc.message}", expected=exc.expected)]
    except RecursionError:
        return None, {}, [Problem(Location(str(path)), "cannot read the file: it is nested too deeply", expected="records a few levels deep")]


def _lines_by_item(lines: dict[tuple, int], key: str) -> dict[int, dict[tuple, int]]:
    """The lines of ``key``'s list split per item, field paths made relative to the item (one pass)."""
    items: dict[int, dict[tuple, int]] = {}
    for loc, line in lines.items():
        if len(loc) > 2 and loc[0] == key and isinstance(loc[1], int):
            items.setdefault(loc[1], {})[loc[2:]] = line
    return items


def load_yaml_list(path: Path, kind: str, key: str) -> LoadResult:
    """Records from a YAML file whose top level is ``key: [ ... ]``."""
    document, lines, problems = load_yaml_document(path)
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
        return LoadResult([], [Problem(Location(str(path), lines.get((key,))), f"'{key}' is not a list", expected=f"one '- id: ...' entry per {kind}")])
    problems = [
        Problem(Location(str(path), lines.get((other,))), f"unknown top-level key '{other}'", expected=f"only '{key}:'") for other in document if other != key
    ]
    records = []
    item_lines = _lines_by_item(lines, key)
    for index, item in enumerate(items):
        line = lines.get((key, index))
        if not isinstance(item, dict):
            problems.append(
                Problem(Location(str(path), line), f"{kind} entry {index + 1} is not a set of fields", expected="'- id: ...' followed by 'field: value' lines")
            )
            continue
        records.append(RawRecord(kind, item, Location(str(path), line), item_lines.get(index, {})))
    return LoadResult(records, problems)


def load_yaml_mapping(path: Path, kind: str) -> LoadResult:
    """A single record from a YAML file whose top level is a mapping."""
    document, lines, problems = load_yaml_document(path)
    if problems:
        return LoadResult([], problems)
    if not isinstance(document, dict):
        message = "the file is empty" if document is None else "the file is not a set of 'field: value' lines"
        return LoadResult([], [Problem(Location(str(path), 1), message, expected=f"the {kind}'s fields, e.g. 'name: ...'")])
    return LoadResult([RawRecord(kind, document, Location(str(path), 1), lines)], [])


# --------------------------------------------------------------------------- CSV


DELIMITERS = (",", ";", "\t")


def sniff_delimiter(header_line: str) -> str:
    """Excel writes ';' where the decimal separator is ',' (most of Europe and Mongolia), a tab for 'Text'."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv_text(text: str, path: Path, kind: str) -> LoadResult:
    """Rows of a CSV text as records; '#' lines before the header are comments.

    What Excel and LibreOffice Calc write is read as meant: ',' ';' or tab between cells (or the
    'sep=;' line Excel understands), CRLF line ends, line breaks inside quoted cells, headers in any
    case and the aliases of ``columns``, and empty columns or rows (trailing ones above all).
    """
    from .columns import field_of

    problems: list[Problem] = []
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and (not lines[skipped].strip(" \t\r\n,;") or lines[skipped].lstrip().startswith("#")):
        skipped += 1
    forced = re.fullmatch(r"\s*sep=(.)\s*", lines[skipped]) if skipped < len(lines) else None
    if forced:
        skipped += 1
    if skipped == len(lines):
        return LoadResult([], [Problem(Location(str(path), 1), "the file is empty", expected="a header row naming the columns, then one row per " + kind)])
    body = "".join(lines[skipped:])
    delimiter = forced[1] if forced else sniff_delimiter(lines[skipped])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    try:
        written = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        return LoadResult([], [Problem(Location(str(path), skipped + 1), f"cannot read the header row: {exc}", expected="column names separated by commas")])
    header = [field_of(kind, h) if h else "" for h in written]
    header_location = Location(str(path), skipped + 1)
    records: list[RawRecord] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name and name in seen:
            shown = f"'{written[i]}'" + (f" ('{name}')" if written[i] != name else "")
            problems.append(Problem(header_location, f"column {shown} appears twice in the header", expected="each column once"))
        seen.setdefault(name, i)
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
        if [c.strip() for c in row][: len(written)] == written and not any(c.strip() for c in row[len(written) :]):
            problems.append(Problem(Location(str(path), first_line), "the header row appears again", expected="the header only once, at the top"))
            continue
        stray = [i for i, cell in enumerate(row) if cell.strip() and (i >= len(header) or not header[i])]
        if stray:
            record_id = row[header.index("id")].strip() if "id" in header and header.index("id") < len(row) else ""
            if stray[0] >= len(header):
                message = f"the row has {len(row)} cells but the header names {len(header)} columns"
                expected = f"one cell per column; check for a stray '{delimiter}' in a text"
            else:
                message = f"column {stray[0] + 1} of the header has no name, but this row has a value in it"
                expected = "a name for the column in the header, or delete the column"
            problems.append(Problem(Location(str(path), first_line), message, kind=kind, record_id=record_id, expected=expected))
            continue
        values: dict[str, Any] = {}
        for name, cell in zip(header, row, strict=False):
            if not name:
                continue
            cell = cell.strip()
            if cell != "":
                values[name] = cell
        records.append(RawRecord(kind, values, Location(str(path), first_line), last_line=previous_end))
    return LoadResult(records, problems, header=[h for h in header if h], header_location=header_location)


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
