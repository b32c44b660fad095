"""Which problems of a records folder are a command's own, and which are only a warning to it.

Every command works on the records that are valid (``validate(..., partial=True)`` leaves out a
record with a problem, and the records that refer to it). A problem is the command's *own* when
it leaves out a record the command was asked to work on; the command then names it and exits 1
(documents of the other records are still made, as ``irdocs build`` does). Any other problem is
printed as a warning and the command succeeds. The rule, command by command (docs/records.md):

- ``check`` and ``build``: every problem is their own.
- ``certificate ID...`` / ``agreement ID...`` / ``factsheet partner ID`` / ``register reissue``: the
  problems that leave out the honoree, agreement or partner named (its own, or its partner's, or
  its file's when the file cannot be read).
- ``certificate --all`` or ``--where`` and ``agreement --all`` or ``--where``: the problems that leave
  out any honoree (agreement), and those of honorees.csv (agreements.yaml) as a whole (an unknown
  column); ``certificate --ceremony C``: any honoree of ceremony C, and then the ceremony's print
  file is not made (it would be printed as if complete).
- ``export honorees`` (partners, agreements): any left-out record of that kind (the workbook must
  have every row: importing it with --delete-missing would otherwise delete the missing ones).
- ``import``, ``new`` and the web's forms write into a records file: any problem in a file they
  rewrite (a file with a problem is never rewritten), and the rows they bring.
- ``stats``, ``renewals``, ``factsheet department``/``country``/``--all`` and the web pages count
  what is valid: every problem is a warning.

A problem of institution.yaml stops every command (every document prints the institution).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import Problem
from .load import AGREEMENTS_FILE, HONOREES_FILE, PARTNERS_FILE

#: The kind of record each records file holds.
FILE_KINDS = {PARTNERS_FILE: "partner", AGREEMENTS_FILE: "agreement", HONOREES_FILE: "honoree"}
#: The record kind each kind of document is made from.
DOCUMENT_RECORDS = {"certificates": "honoree", "agreements": "agreement"}

#: A target: (record kind, id), or (record kind, None) for every record of the kind.
Target = tuple[str, "str | None"]


def _partners_of(raw) -> list[str]:
    value = raw.values.get("partners") if raw.kind == "agreement" else raw.values.get("partner")
    if isinstance(value, str):
        return [value.strip()]
    return [str(v).strip() for v in value] if isinstance(value, list) else []


def _affected(problem: Problem, loaded: dict, valid: set[tuple[str, str]]) -> set[Target]:
    """The records a problem leaves out: its own, the ones referring to it, or a whole file's."""
    kind = problem.kind if problem.kind in FILE_KINDS.values() else FILE_KINDS.get(Path(problem.location.file).name, "")
    if not kind:
        return set()
    own: Target = (kind, problem.record_id or None)
    found = {own}
    if kind == "partner":  # the agreements and honorees that name a left-out partner are left out too
        for dependent in ("agreement", "honoree"):
            for raw in loaded[dependent].records:
                partners = _partners_of(raw)
                left_out = [p for p in partners if ("partner", p) not in valid]
                if (dependent, raw.record_id) not in valid and (problem.record_id in partners if problem.record_id else left_out):
                    found.add((dependent, raw.record_id))
    return found


def split_problems(problems: Iterable[Problem], records, targets: Iterable[Target] | None) -> tuple[list[Problem], list[Problem], set[Target]]:
    """(own, others, the targets left out): ``targets=None`` makes every problem the command's own."""
    problems = list(problems)
    if not problems or targets is None:
        return problems, [], set()
    targets = set(targets)
    if not targets:
        return [], problems, set()
    from .load import load_folder

    loaded = load_folder(Path(records.root))
    valid = {("partner", p.id) for p in records.partners} | {("agreement", a.id) for a in records.agreements}
    valid |= {("honoree", h.id) for h in records.honorees}
    own, others, hit = [], [], set()
    for problem in problems:
        affected = _affected(problem, loaded, valid)
        found = {
            (t_kind, t_id)
            for t_kind, t_id in targets
            if t_id is None or (t_kind, t_id) not in valid
            for a_kind, a_id in affected
            if a_kind == t_kind and (t_id is None or a_id is None or a_id == t_id)
        }
        hit |= found
        (own if found else others).append(problem)
    return own, others, hit


def ceremony_targets(records_dir: Path, ceremony: str) -> set[Target]:
    """The honorees of a ceremony as written in honorees.csv (valid or not)."""
    from .load import HONOREES_FILE, load_csv

    rows = load_csv(Path(records_dir) / HONOREES_FILE, "honoree").records
    return {("honoree", r.record_id) for r in rows if str(r.values.get("ceremony", "")).strip() == ceremony}


def document_targets(records_dir: Path, kinds: Iterable[str], where: Iterable[str], named: dict | None) -> set[Target]:
    """What a document command works on, from its kinds and selection (see the module's rule)."""
    named = named or {}
    targets: set[Target] = set()
    for name in kinds:
        kind = DOCUMENT_RECORDS.get(name)
        if name == "factsheets" and named.get("partner"):
            targets.add(("partner", str(named["partner"])))
        if kind is None:
            continue
        ids = named.get("id")
        if ids:
            targets |= {(kind, i) for i in ([ids] if isinstance(ids, str) else ids)}
        elif named.get("ceremony"):
            targets |= ceremony_targets(records_dir, named["ceremony"])
        else:
            targets.add((kind, None))
    return targets


def warning_lines(problems: Iterable[Problem]) -> list[str]:
    """Each problem another command must fix, as ``warning: FILE:LINE: ...``, and what was left out."""
    problems = list(problems)
    if not problems:
        return []
    lines = [f"warning: {p}" for p in problems]
    count = len(problems)
    lines.append(f"warning: {count} problem{'s' if count != 1 else ''} in the records: left out until fixed (see: irdocs check).")
    return lines


def validate_for_write(loaded: dict, root: Path, today, files: Iterable[str], written: Iterable[Target]) -> tuple:
    """Validate a folder about to be written into: (records, the problems that are only warnings).

    Refused (RecordsError) when a file to be rewritten (``files``: names such as 'honorees.csv')
    has a problem, when a record brought in (``written``: (kind, id)) has one, or when one of them
    would be left out because a record it names has a problem. Problems elsewhere do not stop it.
    """
    from ..errors import RecordsError
    from .validate import validate

    root = Path(root)
    records, problems = validate(loaded, root, today, partial=True)
    files = set(files)
    elsewhere = {str(root / name) for name in FILE_KINDS if name not in files}
    own = [p for p in problems if str(Path(p.location.file)) not in elsewhere]
    others = [p for p in problems if str(Path(p.location.file)) in elsewhere]
    if others:
        valid = {("partner", p.id) for p in records.partners} | {("agreement", a.id) for a in records.agreements}
        valid |= {("honoree", h.id) for h in records.honorees}
        left_out = {t for t in written if t not in valid}
        if left_out:
            found = [p for p in others if left_out & _affected(p, loaded, valid)]
            own += found
            others = [p for p in others if p not in found]
    if own:
        raise RecordsError(own + others)
    return records, others


def for_documents(records_dir: Path, records, problems, kinds, where=(), named: dict | None = None) -> tuple[list[Problem], list[Problem], dict]:
    """(own problems, warnings, the selection without the records they leave out) for a document
    command; RecordsError when nothing it named is left to make."""
    from ..errors import RecordsError

    own, others, left_out = split_problems(problems, records, document_targets(records_dir, kinds, where, named))
    named = dict(named or {})
    ids = named.get("id")
    if own and ids:
        named["id"] = tuple(i for i in ([ids] if isinstance(ids, str) else ids) if not any(t_id == i for _, t_id in left_out))
        if not named["id"]:
            raise RecordsError(own)
    if own and named.get("partner") and ("partner", named["partner"]) in left_out:
        raise RecordsError(own)
    if own and named.get("ceremony"):
        if not any(h.ceremony == named["ceremony"] for h in records.honorees):
            raise RecordsError(own)
        # a print file without one of the ceremony's honorees would be printed as if complete: only
        # the certificates are made until every honoree of the ceremony is correct
        named["document"] = "certificate"
    return own, others, named


def usable(records, problems, targets: Iterable[Target]) -> tuple:
    """(the valid records, the warnings); RecordsError when a problem leaves out one of ``targets``."""
    from ..errors import RecordsError

    own, others, _ = split_problems(problems, records, targets)
    if own:
        raise RecordsError(own + others)
    return records, others
