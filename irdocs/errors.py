"""One exception hierarchy for irdocs.

Every error a person can cause carries the place it comes from, so the command line
can print it as ``file:line: what is wrong (what is expected)``.  ``exit_code`` follows
click: 1 for problems in the records or templates, 2 for usage and configuration.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def display_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True, order=True)
class Location:
    """Where a record (or a field of it) was written: a file and a line (1-based)."""

    file: str
    line: int | None = None
    #: how to name the line when it is not a text line, e.g. "row" in a spreadsheet
    unit: str = ""

    def __str__(self) -> str:
        shown = display_path(self.file)
        if self.line and self.unit:
            return f"{shown}: {self.unit} {self.line}"
        return f"{shown}:{self.line}" if self.line else shown


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the records, with its place and, when known, the fix."""

    location: Location
    message: str
    kind: str = ""
    record_id: str = ""
    field: str = ""
    expected: str = ""

    def __str__(self) -> str:
        parts = [str(self.location)]
        who = " ".join(p for p in (self.kind, self.record_id) if p)
        if who:
            parts.append(who)
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + ": " + self.message
        if self.expected:
            text += f" ({self.expected})"
        return text


class IrdocsError(Exception):
    """Base of every error irdocs reports to a person."""

    exit_code = 1


class UsageError(IrdocsError):
    """The command was called in a way that cannot work (bad option, missing folder...)."""

    exit_code = 2


class ConfigError(IrdocsError):
    """The set-up is wrong: a key file, a font or a program that is missing."""

    exit_code = 2


class RecordsError(IrdocsError):
    """The records have problems; all of them are listed at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.location.file, p.location.line or 0))
        super().__init__(self.summary())

    def summary(self) -> str:
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found in the records.")
        return "\n".join(lines)


class TemplateError(IrdocsError):
    """A template could not be used: names the template, the line and what failed."""

    def __init__(self, template: str, message: str, line: int | None = None):
        self.template = template
        self.line = line
        where = f"{template}:{line}" if line else template
        super().__init__(f"{where}: {message}")


class RenderError(IrdocsError):
    """A document could not be produced from a valid record (fonts, layout, ...)."""


class StorageError(ConfigError):
    """The computer refused a file: read-only, no permission, disk full, in use, missing folder.

    One line naming the path, what happened and what to do; exit code 1 (nothing was changed)."""

    exit_code = 1


_DENIED = ("permission denied", "ask for permission to write there, or work on a copy of the folder you own")
_IN_USE = ("the file is in use by another program", "close that program (Excel, LibreOffice, another irdocs command), then run the command again")
_FULL = ("the disk is full", "free some space on the disk, then run the command again")

#: errno -> (what happened, what to do), in plain words
_OS_REASONS = {
    errno.EROFS: ("the disk or folder is read-only", "copy the folder to a place you can write to, or ask for it to be made writable"),
    **dict.fromkeys((errno.EACCES, errno.EPERM), _DENIED),
    **dict.fromkeys((errno.ENOSPC, errno.EDQUOT, errno.EFBIG), _FULL),
    **dict.fromkeys((errno.EBUSY, errno.ETXTBSY, errno.EAGAIN, errno.EDEADLK), _IN_USE),
    errno.ENOENT: ("no such file or folder", "check the path, or create the folder first"),
    errno.ENOTDIR: ("part of the path is a file, not a folder", "check the path"),
    errno.EISDIR: ("it is a folder, not a file", "give the path of a file"),
    errno.EIO: ("the disk reported an input/output error", "check the disk (or network drive), then run the command again"),
}

#: SQLite's primary result codes -> errno with the same meaning for a person
_SQLITE_ERRNO = {3: errno.EACCES, 5: errno.EBUSY, 6: errno.EBUSY, 8: errno.EROFS, 10: errno.EIO, 13: errno.ENOSPC, 14: errno.EACCES}
_SQLITE_TEXT = {"readonly": errno.EROFS, "disk is full": errno.ENOSPC, "locked": errno.EBUSY, "unable to open": errno.EACCES, "disk i/o": errno.EIO}


def _sqlite_errno(exc: Exception) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _SQLITE_ERRNO:
        return _SQLITE_ERRNO[code & 0xFF]
    text = str(exc).lower()
    return next((number for words, number in _SQLITE_TEXT.items() if words in text), None)


def storage_error(exc: BaseException, path: str | Path | None = None, doing: str = "cannot be written") -> StorageError:
    """One-line StorageError for an OSError or a sqlite3 error about ``path`` (else the error's own file name)."""
    number = exc.errno if isinstance(exc, OSError) else _sqlite_errno(exc)
    if path is None:
        path = getattr(exc, "filename", None)
    what, todo = _OS_REASONS.get(number, (None, "check that the folder exists, is writable and has space, then run the command again"))
    if what is None:
        what = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).strip()
    if not path:  # not about a file (a network port, a pipe...): only what the computer said
        return StorageError(" ".join(f"irdocs: the computer refused: {what}".split()))
    text = f"{display_path(path)}: {doing}: {what}; {todo}"
    return StorageError(" ".join(text.split()))


@contextlib.contextmanager
def storage(path: str | Path | None = None, doing: str = "cannot be written") -> Iterator[None]:
    """Turn an OSError or sqlite3 error raised inside into ``storage_error`` (an IrdocsError passes through)."""
    import sqlite3

    try:
        yield
    except (OSError, sqlite3.OperationalError) as exc:
        raise storage_error(exc, path, doing) from exc
