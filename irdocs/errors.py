"""One exception hierarchy for irdocs.

Every error a person can cause carries the place it comes from, so the command line
can print it as ``file:line: what is wrong (what is expected)``.  ``exit_code`` follows
click: 1 for problems in the records or templates, 2 for usage and configuration.
"""

from __future__ import annotations

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
