"""New records one at a time: answers checked with the same rules as ``irdocs check``, and proposal files.

The guided questions themselves (``irdocs new partner``, ``irdocs new agreement``) are asked by
``prompts``; this module checks each answer the moment it is given, with the pydantic field rules of
``model`` (never a second copy of them), and adds the finished records with ``append.add_many``,
which checks the whole folder again and keeps the files' comments and formatting.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from ..errors import Location, Problem, RecordsError, UsageError
from .load import RawRecord
from .model import Records

#: what a proposal file may hold: the kind of each top-level key
PROPOSAL_KEYS = {"partner": "partner", "partners": "partner", "agreement": "agreement"}
#: the word an agreement's suggested id uses for its kind
ID_WORDS = {"mou": "mou", "cooperation-agreement": "cooperation", "joint-programme": "joint-programme", "exchange": "exchange", "funded-project": "project"}


class AnswerError(ValueError):
    """An answer that the records would not accept: the message says why and what is expected."""


@cache
def _adapter(model: type, name: str):
    from pydantic import TypeAdapter

    info = model.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, info])


def check_answer(model: type, name: str, value: Any, kind: str = "") -> Any:
    """The value of field ``name`` of ``model`` as the records would read it, or AnswerError in irdocs' words."""
    from pydantic import ValidationError

    from .validate import problem_from_error

    try:
        return _adapter(model, name).validate_python(value)
    except ValidationError as exc:
        error = exc.errors()[0]
        error = {**error, "loc": (name, *error["loc"])}
        problem = problem_from_error(RawRecord(kind, {}, Location("<answer>")), model, error)
        raise AnswerError(problem.message + (f" ({problem.expected})" if problem.expected else "")) from None


def check_new_id(records: Records, value: str) -> str:
    """A valid id that no record uses yet."""
    from .model import Partner

    value = check_answer(Partner, "id", value)
    for kind, by_id in (("partner", records.partners_by_id), ("agreement", records.agreements_by_id), ("honoree", records.honorees_by_id)):
        if value in by_id:
            raise AnswerError(f"'{value}' is already the id of the {kind} at {by_id[value].location} (choose another id)")
    if value == records.institution.id:
        raise AnswerError(f"'{value}' is the university's own id (choose another id)")
    return value


def slug(text: str) -> str:
    """An id made from a name: 'Hoshigaoka Medical University' -> 'hoshigaoka-medical-university'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")


#: The order in which a new record's fields are written, as in the sample files.
FIELD_ORDER = {
    "partner": ("id", "name", "native_name", "name_mn", "kind", "country", "city", "city_mn", "address", "address_mn", "website", "representative"),
    "agreement": (
        "id",
        "kind",
        "title",
        "title_mn",
        "partners",
        "status",
        "signed_on",
        "valid_until",
        "duration_years",
        "areas",
        "activities",
        "activities_mn",
        "programmes",
        "funding",
        "signatories",
    ),
}


def in_file_order(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The answers given (empty ones left out) in the order the records file writes them."""
    return {key: values[key] for key in FIELD_ORDER[kind] if values.get(key) not in (None, "", [], {})}


def suggested_agreement_id(partner_ids: list[str], kind: str, year: int) -> str:
    """The id offered for a new agreement: 'yonsei-university-mou-2026'."""
    return f"{partner_ids[0]}-{ID_WORDS.get(kind, kind)}-{year}"[:64].strip("-")


def suggested_agreement_title(records: Records, partner_names: list[str], kind: str) -> str:
    """The title offered for a new agreement: 'Memorandum of Understanding between MNUMS and Yonsei University'."""
    from .model import AGREEMENT_KINDS

    parties = [records.institution.short_name, *partner_names]
    party_names = ", ".join(parties[:-1]) + " and " + parties[-1]
    return f"{AGREEMENT_KINDS[kind][0]} between {party_names}"


def country_code(answer: str) -> str:
    """A country as its two-letter code: 'JP' stays 'JP', 'Japan' or 'japan' becomes 'JP'; otherwise unchanged."""
    import pycountry

    text = answer.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return text


# --------------------------------------------------------------------------- proposal files


def read_proposal(path: Path, kind: str) -> dict[str, list[RawRecord]]:
    """Records from a small YAML proposal file, each located by its line.

    For ``kind`` 'agreement' the file holds the agreement's fields, or ``agreement:`` with them and
    ``partner:`` (or ``partners:``, a list) with new partners to add first. For 'partner' it holds
    the partner's fields.
    """
    from .load import line_in, lines_under, load_yaml_document

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    document, lines, problems = load_yaml_document(path)
    if problems:
        raise RecordsError(problems)
    if not isinstance(document, dict) or not document:
        raise RecordsError([Problem(Location(str(path), 1), "the proposal is empty", expected=f"the {kind}'s fields, e.g. 'id: ...'")])
    # Grouped: 'partner:' / 'agreement:' sections, or 'partners:' as a list of new partners. A flat
    # agreement's own 'partners:' field is a list of ids, not a section.
    partners = document.get("partners")
    grouped = "partner" in document or "agreement" in document or (isinstance(partners, list) and any(isinstance(p, dict) for p in partners))
    sections: list[tuple[str, Any, tuple]] = []
    if not grouped:
        sections.append((kind, document, ()))
    else:
        for key, value in document.items():
            if key not in PROPOSAL_KEYS or (kind == "partner" and PROPOSAL_KEYS[key] != "partner"):
                known = ", ".join(k for k, v in PROPOSAL_KEYS.items() if kind == "agreement" or v == "partner")
                raise RecordsError([Problem(Location(str(path), line_in(lines, (key,))), f"unknown section '{key}'", expected=f"one of: {known}")])
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                sections.append((PROPOSAL_KEYS[key], item, (key, index) if isinstance(value, list) else (key,)))
    out: dict[str, list[RawRecord]] = {"partner": [], "agreement": []}
    for section_kind, values, loc in sections:
        line = line_in(lines, loc) if loc else 1
        if not isinstance(values, dict):
            raise RecordsError([Problem(Location(str(path), line), f"the {section_kind} is not a set of 'field: value' lines")])
        out[section_kind].append(RawRecord(section_kind, values, Location(str(path), line), lines_under(lines, loc)))
    if not out[kind]:
        raise RecordsError([Problem(Location(str(path), 1), f"the proposal has no {kind}", expected=f"'{kind}:' followed by its fields")])
    return out


def add_new(root: Path, values: dict[str, list[dict]] | dict[str, list[RawRecord]], today: dt.date | None = None, source: str = "<answers>") -> Records:
    """Add new partners and agreements (answers or proposal records) after checking them with the whole folder."""
    from .append import add_many

    new: dict[str, list[RawRecord]] = {}
    for kind, items in values.items():
        new[kind] = [item if isinstance(item, RawRecord) else RawRecord(kind, item, Location(source)) for item in items]
    return add_many(root, {kind: items for kind, items in new.items() if items}, today)


def entry_yaml(kind: str, values: dict) -> str:
    """How the new record will look in its file (shown before asking to confirm)."""
    from .append import TARGETS, yaml_entries

    return yaml_entries(TARGETS[kind][1], [values])
