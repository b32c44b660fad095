"""The add-a-record forms: which fields they show, and how answers become record values.

No rule lives here. A form's answers are turned into the values a records file would hold (a
date stays text when it is not a date, so the records' own check explains it), then added with
``append.add_records`` / ``entry.add_new``, which check the whole folder exactly as ``irdocs
check`` and ``irdocs new`` do. Each problem of the new record comes back with its field
(``awarded_on``, ``representative.title``, ``partners[0]``) and is shown next to that field,
in the same words the command line prints.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import RecordsError
from ..records.entry import country_code, in_file_order, slug, suggested_agreement_id, suggested_agreement_title
from ..records.model import AGREEMENT_KINDS, AREAS, PARTNER_KINDS, STATUSES, TITLE_KINDS, Records
from .i18n import _, language, problem_text, sentence

#: The location given to a record typed into a form (its problems are matched by it).
FORM_SOURCE = "<form>"


@dataclass(frozen=True)
class FormField:
    name: str  # the record field, dotted for nested ones: representative.name
    label: str
    hint: str = ""
    kind: str = "text"  # text, textarea, select, checkboxes, multiselect, date
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    required: bool = False
    wide: bool = False


@dataclass
class FormResult:
    """Field -> messages for the new record; messages about other records (with their file:line)."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)


def _choices(vocabulary: dict[str, tuple]) -> tuple[tuple[str, str], ...]:
    """The words of a vocabulary in the page's language, each with a capital first letter."""
    index = 0 if language() == "en" else 1
    return tuple((key, sentence(names[index])) for key, names in vocabulary.items())


def partner_fields() -> list[FormField]:
    return [
        FormField("name", _("Official name in English"), _("e.g. Hoshigaoka Medical University"), required=True, wide=True),
        FormField("id", _("Short id"), _("lower-case letters, digits and hyphens; leave empty to make it from the name")),
        FormField("native_name", _("Name in its own language and script"), _("e.g. 星ヶ丘医科大学"), wide=True),
        FormField("name_mn", _("Name in Mongolian Cyrillic"), wide=True),
        FormField("kind", _("Kind of organization"), kind="select", choices=_choices(PARTNER_KINDS), required=True),
        FormField("country", _("Country"), _("its two-letter code or English name, e.g. JP or Japan"), required=True),
        FormField("city", _("City"), _("e.g. Tokyo"), required=True),
        FormField("city_mn", _("City in Mongolian"), _("e.g. Токио (for the Mongolian fact sheets and drafts)")),
        FormField("address", _("Postal address, on one line"), wide=True),
        FormField("address_mn", _("Postal address in Mongolian, on one line"), _("for the Mongolian drafts"), wide=True),
        FormField("website", _("Website"), _("starting with https://"), wide=True),
        FormField("representative.name", _("Who signs agreements for it"), _("e.g. Prof. Hiroshi Ueno")),
        FormField("representative.title", _("Their position"), _("e.g. President")),
        FormField("representative.name_mn", _("Their name in Mongolian Cyrillic"), _("e.g. Проф. Хироши Уэно")),
        FormField("representative.title_mn", _("Their position in Mongolian"), _("e.g. Ерөнхийлөгч")),
    ]


def agreement_fields(records: Records) -> list[FormField]:
    partners = tuple((p.id, f"{p.name} ({p.country})") for p in sorted(records.partners, key=lambda p: p.name.lower()))
    return [
        FormField(
            "partners",
            _("Partner organizations"),
            _("hold Ctrl to choose several; a new partner is added first on the partner form"),
            "multiselect",
            partners,
            True,
        ),
        FormField("kind", _("Kind of agreement"), kind="select", choices=_choices(AGREEMENT_KINDS), required=True),
        FormField("title", _("Title"), _("leave empty for e.g. 'Memorandum of Understanding between MNUMS and …'"), wide=True),
        FormField("title_mn", _("Title in Mongolian"), wide=True),
        FormField("id", _("Short id"), _("leave empty to make one from the first partner, the kind and the year")),
        FormField("status", _("Where does it stand?"), kind="select", choices=_choices(STATUSES), required=True),
        FormField("signed_on", _("Signed on"), _("YYYY-MM-DD; empty for a draft"), "date"),
        FormField("duration_years", _("Runs for (years)"), _("a number of years, e.g. 5; or give the last day below")),
        FormField("valid_until", _("Or: last day"), _("YYYY-MM-DD"), "date"),
        FormField("areas", _("Areas of cooperation"), kind="checkboxes", choices=_choices(AREAS), required=True),
        FormField("activities", _("Concrete activities"), _("one per line, e.g. exchange of faculty members for teaching"), "textarea", wide=True),
        FormField("activities_mn", _("The same activities in Mongolian"), _("one per line, in the same order (for Mongolian drafts)"), "textarea", wide=True),
        FormField("funding.amount", _("Funding: amount"), _("for a funded project, e.g. 7500000")),
        FormField("funding.currency", _("Funding: currency"), _("e.g. EUR, USD, MNT")),
        FormField("funding.source", _("Funding: who pays"), _("e.g. Government of the Republic of Austria"), wide=True),
    ]


def honoree_fields(records: Records) -> list[FormField]:
    partners = (("", _("(none)")), *((p.id, p.name) for p in sorted(records.partners, key=lambda p: p.name.lower())))
    return [
        FormField("title", _("Honorary title"), kind="select", choices=_choices(TITLE_KINDS), required=True),
        # a person with a single name (Sukarno) fills in one of the two: the records' check wants at least one
        FormField("given_name", _("Given name, in Latin letters"), _("e.g. Taro; for a person with one name, fill in only one of the two names")),
        FormField("family_name", _("Family name, in Latin letters"), _("e.g. Yamada; for a person with one name, fill in only one of the two names")),
        FormField("native_name", _("Name in the person's own script"), _("e.g. 山田 太郎")),
        FormField("name_mn", _("Name in Mongolian Cyrillic"), _("e.g. Ямада Таро")),
        FormField("name_mong", _("Name in the Mongol script"), _("e.g. ᠪᠠᠲᠤ; leave empty until the name is written in the script")),
        FormField("country", _("Country"), _("two-letter code or English name, e.g. JP or Japan"), required=True),
        FormField("affiliation", _("University or organization"), required=True, wide=True),
        FormField("partner", _("Partner organization, if it is one"), kind="select", choices=partners),
        FormField("awarded_on", _("Awarded on"), _("YYYY-MM-DD (the Academic Council's decision or the ceremony)"), "date", required=True),
        FormField("ceremony", _("Ceremony"), _("groups the certificates printed together, e.g. ceremony-2026-10")),
        FormField("id", _("Short id"), _("leave empty to number it, e.g. hd-2026-001")),
        FormField("citation", _("Citation in English"), _("one or two sentences on why the title is given"), "textarea", required=True, wide=True),
        FormField("citation_mn", _("Citation in Mongolian"), kind="textarea", required=True, wide=True),
    ]


# --------------------------------------------------------------------------- answers -> values


def _text(form, name: str) -> str:
    return " ".join((form.get(name) or "").split()) if name not in ("citation", "citation_mn") else (form.get(name) or "").replace("\r\n", "\n").strip()


def _lines(form, name: str) -> list[str]:
    return [line.strip() for line in (form.get(name) or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _date(text: str) -> Any:
    """A date as the records file writes it (unquoted), or the text itself for the records' check to explain."""
    try:
        return dt.date.fromisoformat(text) if "-" in text else int(text)
    except ValueError:
        return text


def _number(text: str) -> Any:
    return int(text) if text.isdigit() else text


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}


def partner_values(form) -> dict[str, Any]:
    names = ("name", "id", "native_name", "name_mn", "kind", "country", "city", "city_mn", "address", "address_mn", "website")
    values = {name: _text(form, name) for name in names}
    values["id"] = values["id"] or slug(values["name"])
    values["country"] = country_code(values["country"]) if values["country"] else ""
    who = {name: _text(form, f"representative.{name}") for name in ("name", "name_mn", "title", "title_mn")}
    if any(who.values()):
        values["representative"] = _drop_empty(who)
    return in_file_order("partner", values)


def agreement_values(form, records: Records) -> dict[str, Any]:
    partner_ids = [p for p in form.getlist("partners") if p]
    kind = _text(form, "kind")
    values: dict[str, Any] = {"partners": partner_ids, "kind": kind, "status": _text(form, "status")}
    names = [records.partners_by_id[p].name for p in partner_ids if p in records.partners_by_id]
    values["title"] = _text(form, "title") or (suggested_agreement_title(records, names, kind) if names and kind in AGREEMENT_KINDS else "")
    values["title_mn"] = _text(form, "title_mn")
    values["id"] = _text(form, "id") or (suggested_agreement_id(partner_ids, kind, records.today.year) if partner_ids and kind else "")
    for name in ("signed_on", "valid_until"):
        values[name] = _date(_text(form, name)) if _text(form, name) else None
    values["duration_years"] = _number(_text(form, "duration_years"))
    values["areas"] = form.getlist("areas")
    values["activities"] = _lines(form, "activities")
    values["activities_mn"] = _lines(form, "activities_mn")
    funding = {"amount": _text(form, "funding.amount"), "currency": _text(form, "funding.currency").upper(), "source": _text(form, "funding.source")}
    if any(funding.values()):
        values["funding"] = _drop_empty(funding)
    return in_file_order("agreement", values)


def honoree_values(form, records: Records) -> dict[str, str]:
    names = ("id", "title", "family_name", "given_name", "native_name", "name_mn", "name_mong", "country", "affiliation", "partner", "awarded_on", "ceremony")
    values = {name: _text(form, name) for name in names}
    values["citation"] = _text(form, "citation")
    values["citation_mn"] = _text(form, "citation_mn")
    if values["country"]:
        values["country"] = country_code(values["country"])
    if not values["id"]:
        values["id"] = next_honoree_id(records, values["title"], values["awarded_on"])
    return _drop_empty(values)


def next_honoree_id(records: Records, title: str, awarded_on: str) -> str:
    """The next free id in the records' own pattern, 'hd-2026-003'; empty when the title or year is not known yet."""
    year = re.match(r"\s*(\d{4})", awarded_on or "")
    if title not in TITLE_KINDS or not year:
        return ""
    prefix = f"{TITLE_KINDS[title][2].lower()}-{year.group(1)}-"
    used = [int(h.id[len(prefix) :]) for h in records.honorees if h.id.startswith(prefix) and h.id[len(prefix) :].isdigit()]
    return f"{prefix}{max(used, default=0) + 1:03d}"


# --------------------------------------------------------------------------- problems -> fields


def form_errors(error: RecordsError, fields: list[FormField], made: frozenset[str] | set[str] = frozenset()) -> FormResult:
    """Each problem of the new record next to its field, in the page's language; the others (another record, a file) in general.

    ``made``: the fields the form fills itself because they were left empty (the id, made from the
    name or numbered): a 'missing' there only means that what it is made from is wrong, which has
    its own message, so it is not shown (the hint said to leave it empty).
    """
    names = {f.name for f in fields}
    result = FormResult()
    for problem in error.problems:
        if problem.location.file != FORM_SOURCE:
            result.general.append(str(problem))
            continue
        if problem.field in made and problem.message == "is missing":
            continue
        text = problem_text(problem.message, problem.expected)
        path = re.sub(r"\[[^\]]*\]", "", problem.field)  # partners[0] -> partners
        target = path if path in names else path.split(".")[0]
        if target not in names:
            # a nested field the form does not show (representative.name_mn) or the record as a whole
            target = next((n for n in names if n.startswith(path.split(".")[0] + ".")), "")
        if target:
            result.errors.setdefault(target, []).append(text if target == problem.field or "." not in problem.field else f"{problem.field}: {text}")
        else:
            result.general.append(f"{problem.field + ': ' if problem.field else ''}{text}")
    if made and not result.errors and not result.general:
        for name in sorted(made):  # nothing else explains it: say what to do
            result.errors[name] = [_("Type a short id here: it could not be made by itself")]
    return result
