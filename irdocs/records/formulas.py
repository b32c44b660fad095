"""Text that reaches a spreadsheet must stay text: no formula (OWASP's "CSV injection").

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return before one) as a formula: ``=HYPERLINK("http://evil.example","x")``
in a name becomes a link in the register's export, or in ``honorees.csv`` opened in Excel. And a
spreadsheet set to split on ``;`` or tabs starts a new cell inside ``Kim;=HYPERLINK(...)``.

Two rules (SECURITY.md, section "Formulas"):

- on the way in (forms, API, import, the records files), a name that starts like a formula, or
  that has one after a ``,``, ``;`` or tab, is refused with a message (``formula_problem``);
- on the way out (``irdocs register export``), every such cell, and every such start after a
  separator inside a cell, gets a ``'`` in front, which spreadsheets show as text
  (``spreadsheet_text``).
"""

from __future__ import annotations

import re

#: What makes a spreadsheet read a cell as a formula (or, in old versions, a command to run).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A formula's start after a separator a spreadsheet may split on (',' ';' or tab).
_AFTER_SEPARATOR = re.compile(r"([,;\t]\s*)([=+\-@])")


def formula_problem(value: str) -> tuple[str, str] | None:
    """(what is wrong, what is expected) when ``value`` would become a formula in a spreadsheet; else None."""
    expected = "a name that starts with a letter; leave out the '=', '+', '-' or '@' (a spreadsheet would run it as a formula)"
    if value.startswith(FORMULA_START):
        return f"starts with '{value[0]}' and a spreadsheet would read it as a formula", expected
    found = _AFTER_SEPARATOR.search(value)
    if found and found.group(2) != "-":
        return f"has '{found.group(2)}' after '{found.group(1).strip() or 'a tab'}', which a spreadsheet splitting there reads as a formula", expected
    return None


def spreadsheet_text(value: object) -> object:
    """A text cell that a spreadsheet shows as text, whichever separator it splits on."""
    if not isinstance(value, str):
        return value
    value = _AFTER_SEPARATOR.sub(r"\1'\2", value)
    return "'" + value if value.startswith(FORMULA_START) else value
