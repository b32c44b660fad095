"""Stage 2: turn loaded records into typed models and check them against each other.

Every problem is collected (no check stops the others) and reported at once with the
file and line it comes from, in the form
``records/honorees.csv:57: honoree hd-1998-004: awarded_on: '1998-13-01' is not a date (...)``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Location, Problem, RecordsError
from .load import LoadResult, RawRecord, load_folder
from .model import MODELS, Agreement, Honoree, Institution, Partner, Record, Records, shown

#: How far ahead an award date may be: certificates are printed before the ceremony.
AWARD_LEAD_DAYS = 366


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The closest choice to a misspelled word, if one is close enough."""
    if not isinstance(word, str):
        return None
    candidates = {c: c for c in choices}
    candidates.update({c.replace("-", " "): c for c in choices})
    candidates.update({c.replace("-", "_"): c for c in choices})
    match = difflib.get_close_matches(word.strip().lower(), list(candidates), n=1, cutoff=0.6)
    return candidates[match[0]] if match else None


def field_path(loc: tuple) -> str:
    text = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def field_info(model: type[BaseModel], loc: tuple):
    """The pydantic FieldInfo at ``loc`` (walking into nested records), or None."""
    info = None
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or part == "[key]":
            continue
        if current is None or part not in current.model_fields:
            # A dict of records (signatories): the key is data, the value a model.
            if info is not None and get_origin(info.annotation) is dict:
                continue
            return info if current is None else None
        info = current.model_fields[part]
        current = _model_of(info.annotation)
    return info


def problem_from_error(record: RawRecord, model: type[BaseModel], error: dict) -> Problem:
    """One pydantic error in the department's words."""
    loc = tuple(error["loc"])
    kind, rid = record.kind, record.record_id
    name = field_path(loc)
    info = field_info(model, loc)
    described = (info.description or "") if info is not None else ""
    ctx = error.get("ctx") or {}
    value = error.get("input")
    location = record.location_of(tuple(p for p in loc if p != "[key]"))
    etype = error["type"]
    if etype == "irdocs":
        message, expected = ctx["problem"], ctx.get("expected") or described
    elif etype == "missing":
        message, expected = "is missing", described
    elif etype == "extra_forbidden":
        parent = field_info(model, loc[:-1]) if len(loc) > 1 else None
        parent_model = _model_of(parent.annotation) if parent is not None else model
        known = list(parent_model.model_fields) if parent_model else []
        guess = did_you_mean(str(loc[-1]), known)
        message = "unknown field"
        expected = f"did you mean '{guess}'?" if guess else "known fields: " + ", ".join(known)
    elif etype in ("literal_error", "enum"):
        choices = [c.strip("' ") for c in ctx.get("expected", "").replace(" or ", ", ").split(",") if c.strip()]
        guess = did_you_mean(value, choices) if isinstance(value, str) else None
        message = f"{shown(value)} is not one of the allowed values"
        expected = ("did you mean '" + guess + "'? " if guess else "") + "one of: " + ", ".join(choices)
    elif etype in ("too_short", "too_long"):
        count = len(value) if isinstance(value, (list, tuple, dict)) else 0
        message = f"has {count} entr{'y' if count == 1 else 'ies'}"
        expected = described
    elif etype in ("list_type", "tuple_type", "dict_type", "model_type", "model_attributes_type"):
        message = f"{shown(value)} is not the right shape"
        expected = described
    elif etype in ("bool_type", "bool_parsing"):
        message, expected = f"{shown(value)} is not true or false", "true or false"
    else:
        message = f"{shown(value)} is not allowed"
        expected = described or error.get("msg", "")
    return Problem(location, message, kind=kind, record_id=rid, field=name, expected=expected)


def build_models(result: LoadResult, model: type[Record]) -> tuple[list[Record], list[Problem]]:
    problems = list(result.problems)
    records: list[Record] = []
    known = list(model.model_fields)
    unknown_columns: set[str] = set()
    if result.header is not None:
        for column in result.header:
            if column and column not in known:
                unknown_columns.add(column)
                guess = did_you_mean(column, known)
                expected = f"did you mean '{guess}'?" if guess else "columns: " + ", ".join(known)
                problems.append(Problem(result.header_location, f"unknown column '{column}'", expected=expected))
    for raw in result.records:
        values = {k: v for k, v in raw.values.items() if k not in unknown_columns}
        try:
            instance = model.model_validate(values)
        except ValidationError as exc:
            problems.extend(problem_from_error(raw, model, e) for e in exc.errors())
            continue
        instance._location = raw.location
        instance._raw = raw
        records.append(instance)
    return records, problems


def _where(record: Record, loc: tuple = ()) -> Location:
    raw: RawRecord | None = record._raw
    return raw.location_of(loc) if raw is not None else record.location


def _problem(record: Record, kind: str, loc: tuple, message: str, expected: str = "") -> Problem:
    return Problem(_where(record, loc), message, kind=kind, record_id=getattr(record, "id", ""), field=field_path(loc), expected=expected)


def _stage_problems(agreement: Agreement, today: dt.date) -> list[Problem]:
    """The agreement's life in order: sent (``sent_on``) before it was signed, ended (``ended_on``) only when it has."""
    problems: list[Problem] = []
    signed = agreement.signed_on.first_day if agreement.signed_on is not None else None
    if agreement.sent_on is not None:
        sent = agreement.sent_on.as_date()
        if sent > today:
            problems.append(
                _problem(agreement, "agreement", ("sent_on",), f"'{agreement.sent_on}' is in the future", "the day the draft was sent to the partner")
            )
        elif signed is not None and agreement.signed_on.is_full and sent > signed:
            problems.append(
                _problem(
                    agreement,
                    "agreement",
                    ("sent_on",),
                    f"'{agreement.sent_on}' is after the signing date {agreement.signed_on}",
                    "the day the draft was sent, on or before 'signed_on'",
                )
            )
    if agreement.ended_on is not None:
        ended = agreement.ended_on.as_date()
        if agreement.status not in ("expired", "terminated"):
            problems.append(
                _problem(
                    agreement,
                    "agreement",
                    ("ended_on",),
                    "is given, but the agreement has not ended",
                    "'status: expired' or 'status: terminated', or leave 'ended_on' out",
                )
            )
        elif ended > today:
            problems.append(_problem(agreement, "agreement", ("ended_on",), f"'{agreement.ended_on}' is in the future", "the day the agreement ended"))
        elif signed is not None and ended < signed:
            problems.append(
                _problem(
                    agreement,
                    "agreement",
                    ("ended_on",),
                    f"'{agreement.ended_on}' is before the signing date {agreement.signed_on}",
                    "a date after 'signed_on'",
                )
            )
    return problems


def cross_check(
    institution: Institution | None,
    partners: list[Partner],
    agreements: list[Agreement],
    honorees: list[Honoree],
    today: dt.date,
    unchecked: set[str] = frozenset(),
) -> list[Problem]:
    """Rules that need more than one record: unique ids, references, dates against the institution.

    ``unchecked`` holds ids whose records already failed (or a file that could not be read,
    as "*partner"): references to them are not reported again.
    """
    problems: list[Problem] = []
    seen: dict[str, tuple[str, Record]] = {}
    everything: list[tuple[str, Record]] = [("partner", p) for p in partners]
    everything += [("agreement", a) for a in agreements] + [("honoree", h) for h in honorees]
    if institution is not None:
        everything.insert(0, ("institution", institution))
    for kind, record in everything:
        if record.id in seen:
            other_kind, other = seen[record.id]
            problems.append(
                _problem(
                    record, kind, ("id",), f"'{record.id}' is already the id of the {other_kind} at {_where(other)}", "each id only once, in all record files"
                )
            )
        else:
            seen[record.id] = (kind, record)

    # The institution whose founding year dates are checked against (none if that year is itself wrong).
    dated = institution
    if institution is not None and institution.founded > today.year:
        problems.append(
            _problem(institution, "institution", ("founded",), f"'{institution.founded}' is in the future", "the year the university was founded, e.g. 1942")
        )
        dated = None
    partner_ids = {p.id for p in partners}
    agreement_ids = [a.id for a in agreements]
    own_id = institution.id if institution is not None else None

    def unknown(kind_word: str, value: str, choices: list[str] | set[str], where: str) -> str:
        guess = did_you_mean(value, sorted(choices))
        return f"did you mean '{guess}'?" if guess else f"the id of a {kind_word} in {where}"

    for agreement in agreements:
        for index, pid in enumerate(agreement.partners):
            if pid not in partner_ids and pid not in unchecked and "*partner" not in unchecked:
                problems.append(
                    _problem(
                        agreement, "agreement", ("partners", index), f"no partner has the id '{pid}'", unknown("partner", pid, partner_ids, "partners.yaml")
                    )
                )
            elif agreement.partners.index(pid) != index:
                problems.append(_problem(agreement, "agreement", ("partners", index), f"'{pid}' is listed twice", "each partner once"))
        parties = [*(p for p in ([own_id] if own_id else [])), *agreement.partners]
        for key in agreement.signatories:
            if key not in parties:
                problems.append(
                    _problem(agreement, "agreement", ("signatories", key), f"'{key}' is not a party to this agreement", "one of: " + ", ".join(parties))
                )
        for index, pid in enumerate(agreement.studied_at):
            if pid not in agreement.partners:
                problems.append(
                    _problem(
                        agreement, "agreement", ("studied_at", index), f"'{pid}' is not a partner of this agreement", "one of: " + ", ".join(agreement.partners)
                    )
                )
        if agreement.activities_mn and len(agreement.activities_mn) != len(agreement.activities):
            problems.append(
                _problem(
                    agreement,
                    "agreement",
                    ("activities_mn",),
                    f"has {len(agreement.activities_mn)} entries but 'activities' has {len(agreement.activities)}",
                    "one Mongolian text for each activity, in the same order",
                )
            )
        if agreement.status != "draft" and agreement.signed_on is None:
            problems.append(
                _problem(
                    agreement, "agreement", ("status",), "a signed agreement needs 'signed_on'", "the signing date, or 'status: draft' if it is not signed yet"
                )
            )
        if agreement.status != "draft" and agreement.signed_on is not None and agreement.signed_on.first_day > today:
            problems.append(
                _problem(
                    agreement,
                    "agreement",
                    ("signed_on",),
                    f"'{agreement.signed_on}' is in the future",
                    "the day it was signed; an agreement not signed yet has 'status: draft'",
                )
            )
        problems.extend(_stage_problems(agreement, today))
        if agreement.valid_until is not None and agreement.duration_years is not None:
            problems.append(_problem(agreement, "agreement", ("duration_years",), "both 'valid_until' and 'duration_years' are given", "only one of the two"))
        if agreement.valid_until is not None and agreement.signed_on is not None and agreement.valid_until.first_day < agreement.signed_on.first_day:
            problems.append(
                _problem(
                    agreement,
                    "agreement",
                    ("valid_until",),
                    f"'{agreement.valid_until}' is before the signing date {agreement.signed_on}",
                    "a date after 'signed_on'",
                )
            )
        if dated is not None and agreement.signed_on is not None and agreement.signed_on.year < dated.founded:
            problems.append(
                _problem(
                    agreement,
                    "agreement",
                    ("signed_on",),
                    f"'{agreement.signed_on}' is before the university was founded ({institution.founded})",
                    "a date from " + str(institution.founded) + " on",
                )
            )
        if agreement.renews is not None and agreement.renews not in agreement_ids and agreement.renews not in unchecked:
            problems.append(
                _problem(
                    agreement,
                    "agreement",
                    ("renews",),
                    f"no agreement has the id '{agreement.renews}'",
                    unknown("agreement", agreement.renews, agreement_ids, "agreements.yaml"),
                )
            )

    latest = today + dt.timedelta(days=AWARD_LEAD_DAYS)
    for honoree in honorees:
        if honoree.partner is not None and honoree.partner not in partner_ids and honoree.partner not in unchecked and "*partner" not in unchecked:
            problems.append(
                _problem(
                    honoree,
                    "honoree",
                    ("partner",),
                    f"no partner has the id '{honoree.partner}'",
                    unknown("partner", honoree.partner, partner_ids, "partners.yaml"),
                )
            )
        awarded = honoree.awarded_on
        if dated is not None and awarded.year < dated.founded:
            problems.append(
                _problem(
                    honoree,
                    "honoree",
                    ("awarded_on",),
                    f"'{awarded}' is before the university was founded ({institution.founded})",
                    f"a date from {institution.honorary_titles_since} on",
                )
            )
        elif dated is not None and awarded.year < dated.honorary_titles_since:
            problems.append(
                _problem(
                    honoree,
                    "honoree",
                    ("awarded_on",),
                    f"'{awarded}' is before the first honorary title ({institution.honorary_titles_since})",
                    f"a date from {institution.honorary_titles_since} on",
                )
            )
        if awarded.first_day > latest:
            problems.append(
                _problem(honoree, "honoree", ("awarded_on",), f"'{awarded}' is more than a year in the future", "the date of the award or of its ceremony")
            )
    if dated is not None and dated.honorary_titles_since < dated.founded:
        problems.append(
            _problem(institution, "institution", ("honorary_titles_since",), "is before the founding year", f"a year from {institution.founded} on")
        )
    return problems


def validate(loaded: dict[str, LoadResult], root: Path, today: dt.date | None = None, partial: bool = False) -> tuple[Records, list[Problem]]:
    """Typed, cross-checked records and the problems found.

    With ``partial=False`` any problem raises RecordsError listing them all.  With ``partial=True``
    (a batch build) the records that have problems are left out, together with the records that
    refer to them, and the rest is returned: one bad record does not stop the others.
    """
    today = today or dt.date.today()
    problems: list[Problem] = []
    built: dict[str, list] = {}
    unchecked: set[str] = set()
    for kind, result in loaded.items():
        records, found = build_models(result, MODELS[kind])
        built[kind] = records
        problems += found
        valid = {r.id for r in records}
        unchecked |= {raw.record_id for raw in result.records if raw.record_id not in valid}
        if result.problems and not result.records:
            unchecked.add("*" + kind)
    institution = built["institution"][0] if built["institution"] else None
    problems += cross_check(institution, built["partner"], built["agreement"], built["honoree"], today, unchecked)
    if institution is not None and institution.logo:
        logo = root / institution.logo
        if not logo.is_file():
            problems.append(
                _problem(
                    institution, "institution", ("logo",), f"'{institution.logo}' is not in the records folder", "an SVG or PNG file next to institution.yaml"
                )
            )
        elif not logo.resolve().is_relative_to(root.resolve()):
            # A link to a file elsewhere would let a document read it: only the records folder's own files.
            problems.append(
                _problem(
                    institution,
                    "institution",
                    ("logo",),
                    f"'{institution.logo}' is a link to a file outside the records folder",
                    "copy the picture itself into the records folder",
                )
            )
    institution_broken = institution is None or any(p.kind == "institution" for p in problems)
    if problems and (not partial or institution_broken):
        raise RecordsError(
            problems
            or [
                Problem(
                    loaded["institution"].records[0].location if loaded["institution"].records else Location(str(root)), "the institution record is missing"
                )
            ]
        )
    if problems:
        bad = {(p.kind, p.record_id) for p in problems}
        partners = [r for r in built["partner"] if ("partner", r.id) not in bad]
        kept = {p.id for p in partners}
        agreements = [a for a in built["agreement"] if ("agreement", a.id) not in bad and set(a.partners) <= kept]
        honorees = [h for h in built["honoree"] if ("honoree", h.id) not in bad and (h.partner is None or h.partner in kept)]
        built.update(partner=partners, agreement=agreements, honoree=honorees)
    for records in built.values():
        for record in records:
            record._raw = None
    records = Records(
        root=root,
        institution=institution,
        partners=tuple(built["partner"]),
        agreements=tuple(built["agreement"]),
        honorees=tuple(built["honoree"]),
        today=today,
    )
    return records, problems


def load_records(root: Path | str, today: dt.date | None = None) -> Records:
    """Load and validate a records folder: the one entry point every command uses."""
    root = Path(root)
    records, _ = validate(load_folder(root), root, today)
    return records


def load_records_partial(root: Path | str, today: dt.date | None = None) -> tuple[Records, list[Problem]]:
    """The valid part of a records folder and the problems of the rest (for batch builds)."""
    root = Path(root)
    return validate(load_folder(root), root, today, partial=True)


#: Records folders with more than this many bytes of YAML and CSV are read in a helper process.
LOAD_APART_BYTES = 1_000_000


def load_records_apart(root: Path | str, today: dt.date | None = None) -> tuple[Records, list[Problem]]:
    """``load_records_partial``, read in a helper process when the records are big.

    Reading YAML makes many short-lived objects in among the records, and Python cannot give the
    memory they leave behind back to the system: at 50 times the sample, a build held 180 MB for
    records that need 90. A helper process reads the folder and sends back the records alone (a
    copy, 13 MB pickled, 0.9 s). For the sample's 100 KB this is not worth doing. If the helper
    fails, the folder is read here instead, and its problem is reported as usual.
    """
    import threading

    root = Path(root)
    try:
        size = sum(p.stat().st_size for p in root.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".csv") and p.is_file())
    except OSError:
        size = 0
    if size <= LOAD_APART_BYTES or threading.active_count() > 1:  # never fork a process that runs threads
        return load_records_partial(root, today)
    try:
        return read_apart(root, today)
    except Exception:
        return load_records_partial(root, today)


def read_apart(root: Path, today: dt.date | None = None) -> tuple[Records, list[Problem]]:
    """``load_records_partial`` in a helper process forked from this one."""
    import concurrent.futures
    import multiprocessing

    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as helper:
        return helper.submit(load_records_partial, root, today).result()
