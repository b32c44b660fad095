"""The records as typed, immutable objects: Institution, Partner, Agreement, Honoree.

Field rules live here, as pydantic types; rules that need several records at once
(references, unique ids) live in ``validate``.  Each field's ``description`` is the
"what is expected" part of an error message, written for the department's staff.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from ..errors import Location
from .formulas import formula_problem

# --------------------------------------------------------------------------- vocabularies

#: title kind -> (English, Mongolian, serial code)
TITLE_KINDS: dict[str, tuple[str, str, str]] = {
    "honorary-doctorate": ("Honorary Doctor", "Хүндэт доктор", "HD"),
    "honorary-professor": ("Honorary Professor", "Хүндэт профессор", "HP"),
    "visiting-professor": ("Visiting Professor", "Зочин профессор", "VP"),
}
#: agreement kind -> (English, Mongolian)
AGREEMENT_KINDS: dict[str, tuple[str, str]] = {
    "mou": ("Memorandum of Understanding", "Харилцан ойлголцлын санамж бичиг"),
    "cooperation-agreement": ("Cooperation Agreement", "Хамтын ажиллагааны гэрээ"),
    "joint-programme": ("Joint Degree Programme Agreement", "Хамтарсан хөтөлбөрийн гэрээ"),
    "exchange": ("Faculty and Student Exchange Agreement", "Багш, оюутан солилцооны гэрээ"),
    "funded-project": ("Funded Project Agreement", "Санхүүжилттэй төслийн гэрээ"),
}
STATUSES: dict[str, tuple[str, str]] = {
    "draft": ("draft", "төсөл"),
    "active": ("active", "хүчинтэй"),
    "expired": ("expired", "хугацаа дууссан"),
    "terminated": ("terminated", "цуцлагдсан"),
}
AREAS: dict[str, tuple[str, str]] = {
    "science": ("science", "шинжлэх ухаан"),
    "technology": ("technology", "технологи"),
    "education": ("education", "боловсрол"),
    "health": ("health", "эрүүл мэнд"),
}
PARTNER_KINDS: dict[str, tuple[str, str]] = {
    "university": ("university", "их сургууль"),
    "hospital": ("hospital", "эмнэлэг"),
    "government": ("government", "засгийн газар"),
    "association": ("association", "холбоо"),
    "company": ("company", "компани"),
    "research-institute": ("research institute", "судалгааны хүрээлэн"),
}

#: Countries whose people write the family name first (documented in docs/records.md, 'Names').
FAMILY_FIRST_COUNTRIES = frozenset({"CN", "JP", "KR", "KP", "VN", "HU", "MN", "TW", "HK", "MO"})
NameOrder = Literal["given-first", "family-first"]
TitleKind = Literal["honorary-doctorate", "honorary-professor", "visiting-professor"]
AgreementKind = Literal["mou", "cooperation-agreement", "joint-programme", "exchange", "funded-project"]
Status = Literal["draft", "active", "expired", "terminated"]
Area = Literal["science", "technology", "education", "health"]
PartnerKind = Literal["university", "hospital", "government", "association", "company", "research-institute"]


def fail(problem: str, expected: str = "") -> PydanticCustomError:
    """A field error in irdocs' own words (mapped to a Problem by ``validate``)."""
    return PydanticCustomError("irdocs", "{problem}", {"problem": problem, "expected": expected})


# --------------------------------------------------------------------------- identifiers

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Names Windows refuses as file names, whatever the extension.
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
SLUG_EXPECTED = "lower-case letters a-z, digits and single hyphens, e.g. 'yonsei-university'"


def check_slug(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise fail(f"{shown(value)} is not an id", SLUG_EXPECTED)
    value = value.strip()
    if not value:
        raise fail("is empty", SLUG_EXPECTED)
    if len(value) > 64:
        raise fail(f"is {len(value)} characters long", "an id of at most 64 characters")
    if not SLUG_RE.match(value):
        if value.lower() != value and SLUG_RE.match(value.lower()):
            raise fail(f"'{value}' has capital letters", f"{SLUG_EXPECTED}; write '{value.lower()}'")
        raise fail(f"'{_clip(value)}' cannot be used as an id (it becomes a file name)", SLUG_EXPECTED)
    if value in WINDOWS_RESERVED:
        raise fail(f"'{value}' is a name Windows reserves for devices", "another id, e.g. '" + value + "-1'")
    return value


Slug = Annotated[str, PlainValidator(check_slug)]


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def shown(value: Any) -> str:
    """A value as a message quotes it: text clipped to 40 characters, lists and groups by name."""
    if isinstance(value, str):
        return f"'{_clip(value)}'"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return f"'{value}'"


# --------------------------------------------------------------------------- text

ALLOWED_FORMAT = set()  # no zero-width or direction-changing characters in any record, except:
#: The zero-width joiner and non-joiner are correct spelling in these scripts (Marathi आर्‍या, Persian
#: می‌خواهم, Sinhala, Malayalam...): allowed between two characters of the same script.
JOINERS = {"\u200c", "\u200d"}
JOINING_SCRIPTS = {
    "ARABIC",
    "SYRIAC",
    "DEVANAGARI",
    "BENGALI",
    "GURMUKHI",
    "GUJARATI",
    "ORIYA",
    "TAMIL",
    "TELUGU",
    "KANNADA",
    "MALAYALAM",
    "SINHALA",
    "MYANMAR",
    "KHMER",
    "MONGOLIAN",
    "TIBETAN",
}


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def joiner_allowed(value: str, index: int) -> bool:
    """Whether the joiner at ``index`` sits between two letters of a script that needs joiners."""
    if index == 0 or index + 1 >= len(value):
        return False
    before, after = _script(value[index - 1]), _script(value[index + 1])
    return before == after and before in JOINING_SCRIPTS


def _check_characters(value: str, multiline: bool) -> None:
    for index, char in enumerate(value):
        # An accent at the start or after a space belongs to no letter: it would print on a dotted circle.
        if (index == 0 or value[index - 1].isspace()) and unicodedata.category(char).startswith("M"):
            name = unicodedata.name(char, "combining mark")
            raise fail(
                f"has an accent that belongs to no letter, U+{ord(char):04X} ({name.lower()}), at position {index + 1}",
                "type the letter and its accent together, e.g. 'é'",
            )
    if value.isprintable():  # fast path: no control, format or separator characters at all
        return
    for index, char in enumerate(value):
        if char == "\n" and multiline:
            continue
        category = unicodedata.category(char)
        if char in JOINERS and joiner_allowed(value, index):
            continue
        if category in ("Cc", "Cf", "Cs", "Zl", "Zp") and char not in ALLOWED_FORMAT:
            name = unicodedata.name(char, "control character")
            raise fail(
                f"contains an invisible character U+{ord(char):04X} ({name.lower()}) at position {index + 1}",
                "visible text only; retype the text or paste it as plain text",
            )


def text_type(max_length: int, multiline: bool = False, name: bool = False):
    def check(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
            raise fail(f"{shown(value)} is not text", "a single line of text" if not multiline else "text")
        value = str(value)
        value = value.replace("\r\n", "\n").strip()
        if not value:
            raise fail("is empty", "some text, or leave the field out")
        _check_characters(value, multiline)
        if name and (formula := formula_problem(value)):  # irdocs/records/formulas.py
            raise fail(*formula)
        if len(value) > max_length:
            raise fail(f"is {len(value)} characters long", f"at most {max_length} characters")
        return value

    return Annotated[str, PlainValidator(check)]


Name = text_type(200, name=True)
Title = text_type(300)
LongText = text_type(3000, multiline=True)

MONGOL_NAME_EXPECTED = (
    "the name in the Mongol script (Unicode U+1800-U+18AF), e.g. 'ᠪᠠᠲᠤ'; irdocs does not convert Cyrillic or Latin "
    "letters: leave the field empty until the name is written in the script"
)


def check_mongol_name(value: Any) -> str:
    """A name in the Mongol script (one vertical column on the certificate): the wording files' check."""
    from ..documents.wording import outside_mongol_script
    from ..render.fonts import describe

    if not isinstance(value, str):
        raise fail(f"{shown(value)} is not text", MONGOL_NAME_EXPECTED)
    value = value.strip()
    if not value:
        raise fail("is empty", MONGOL_NAME_EXPECTED)
    wrong = outside_mongol_script(value, columns=False)
    if wrong == "\n":
        raise fail("has a line break", "the name on one line (it is printed as one vertical column)")
    if wrong:
        raise fail(f"{shown(value)} is not in the Mongol script: it has {describe(wrong)}", MONGOL_NAME_EXPECTED)
    if unicodedata.category(value[0]).startswith("M"):  # a variation selector before any letter
        raise fail(f"starts with U+{ord(value[0]):04X} ({unicodedata.name(value[0], 'a mark').lower()}), which belongs to no letter", MONGOL_NAME_EXPECTED)
    if len(value) > 200:
        raise fail(f"is {len(value)} characters long", "at most 200 characters")
    return value


MongolName = Annotated[str, PlainValidator(check_mongol_name)]


def check_mongol_columns(value: Any) -> str:
    """A text in the Mongol script of one or more vertical columns (one a line), e.g. the university's
    name in ``institution.yaml``'s ``mongol_script:``: each line checked like a name."""
    if not isinstance(value, str):
        raise fail(f"{shown(value)} is not text", MONGOL_TEXT_EXPECTED)
    columns = [line.strip() for line in value.splitlines() if line.strip()]
    if not columns:
        raise fail("is empty", MONGOL_TEXT_EXPECTED)
    for column in columns:
        try:
            check_mongol_name(column)
        except PydanticCustomError as error:
            raise fail((error.context or {}).get("problem", str(error)), MONGOL_TEXT_EXPECTED) from None
    return "\n".join(columns)


MONGOL_TEXT_EXPECTED = (
    "a text in the Mongol script (Unicode U+1800-U+18AF), one vertical column a line; irdocs does not convert "
    "Cyrillic or Latin letters: leave the field out until the text is written in the script"
)
MongolText = Annotated[str, PlainValidator(check_mongol_columns)]


# --------------------------------------------------------------------------- countries


COUNTRY_EXPECTED = "a two-letter ISO 3166 code such as JP, KR, US, or the country's name in English or Mongolian"


def check_country(value: Any) -> str:
    """A country as its two-letter code: 'JP', 'jp', 'JPN', 'Japan' and 'Япон' are all 'JP'."""
    from .countries import english_name, lookup_country

    if not isinstance(value, str):
        raise fail(f"{shown(value)} is not a country code", COUNTRY_EXPECTED)
    text = value.strip()
    code, meant = lookup_country(text)
    if code:
        return code
    if meant:
        raise fail(f"'{_clip(text)}' is not a country code", f"did you mean {meant} ({english_name(meant)})?")
    if len(text) == 2 and text.isalpha():
        raise fail(f"'{text}' is not an ISO 3166 country code", "a two-letter code such as JP, KR, US")
    raise fail(f"'{_clip(text)}' is not a country code or name", COUNTRY_EXPECTED)


CountryCode = Annotated[str, PlainValidator(check_country)]


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date that may be known only to the year (old awards): month and day 0 when unknown."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def is_full(self) -> bool:
        return self.month > 0

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, self.day) if self.is_full else dt.date(self.year, 12, 31)

    def as_date(self) -> dt.date | None:
        return dt.date(self.year, self.month, self.day) if self.is_full else None

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.is_full else f"{self.year:04d}"


DATE_EXPECTED = "a date as YYYY-MM-DD, e.g. 2024-06-15, or only the year, e.g. 1998"
FULL_DATE_EXPECTED = "a date as YYYY-MM-DD, e.g. 2027-06-30"


#: English month names; a month is also known by its first three letters ('Dec') and 'Sept'.
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
MONTHS = (
    {name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)}
    | {name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)}
    | {"sept": 9}
)
_MIDNIGHT = r"(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?"
_TIME = re.compile(r"(.+?)[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)")


def _day(text: str, year: int, month: int, day: int) -> PartialDate:
    try:
        found = dt.date(year, month, day)
    except ValueError:
        raise fail(f"'{text}' is not a date: there is no such day", DATE_EXPECTED) from None
    return PartialDate(found.year, found.month, found.day)


def _date_from_text(text: str) -> PartialDate:
    """A date as the office writes it; the rules are listed in docs/records.md ('Dates')."""
    if re.fullmatch(r"\d{4}", text):
        return PartialDate(int(text))
    # Year first (ISO 8601 and the Mongolian 2026.12.10): always year, month, day; a midnight time is ignored.
    match = re.fullmatch(r"(\d{4})([-./])(\d{1,2})\2(\d{1,2})\.?" + _MIDNIGHT, text)
    if match:
        return _day(text, int(match[1]), int(match[3]), int(match[4]))
    # Day first with dots (10.12.2026): the only order anyone writes with dots.
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.?" + _MIDNIGHT, text)
    if match:
        return _day(text, int(match[3]), int(match[2]), int(match[1]))
    # Slashes: day first in most of the world, month first in the United States; accepted only
    # when the numbers leave no doubt (one of them above 12, or both the same).
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})" + _MIDNIGHT, text)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first > 12 >= second or first == second:
            return _day(text, year, second, first)
        if second > 12 >= first:
            return _day(text, year, first, second)
        if first <= 12 and second <= 12:
            day_first = f"{first} {MONTH_NAMES[second - 1]} {year}"
            month_first = f"{MONTH_NAMES[first - 1]} {second}, {year}"
            raise fail(
                f"'{text}' can be read two ways: {day_first} (day first) or {month_first} (month first)",
                f"write it as {year}-{second:02d}-{first:02d} or {year}-{first:02d}-{second:02d}",
            )
        raise fail(f"'{text}' is not a date: there is no such day", DATE_EXPECTED)
    # English month names: '10 December 2026', '10 Dec 2026', 'December 10, 2026'.
    match = re.fullmatch(r"(\d{1,2})\.? ([A-Za-z]+)\.?,? (\d{4})", text) or re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})", text)
    if match:
        parts = match.groups()
        day, name = (parts[0], parts[1]) if parts[0].isdigit() else (parts[1], parts[0])
        if name.lower() in MONTHS:
            return _day(text, int(parts[2]), MONTHS[name.lower()], int(day))
    timed = _TIME.fullmatch(text)
    if timed:
        try:
            _date_from_text(timed[1])
        except PydanticCustomError:
            pass
        else:
            raise fail(f"'{_clip(text)}' has a time of day ({timed[2]})", "the date only, e.g. " + timed[1])
    raise fail(f"'{_clip(text)}' is not a date", DATE_EXPECTED)


def parse_partial_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise fail(f"'{value:%Y-%m-%d %H:%M}' has a time of day", f"the date only, e.g. {value:%Y-%m-%d}")
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        return _date_from_text(value.strip())
    raise fail(f"{shown(value)} is not a date", DATE_EXPECTED)


def parse_full_date(value: Any) -> PartialDate:
    date = parse_partial_date(value)
    if not date.is_full:
        raise fail(f"'{date}' gives only a year", FULL_DATE_EXPECTED)
    return date


DateOrYear = Annotated[PartialDate, PlainValidator(parse_partial_date), PlainSerializer(str, return_type=str)]
FullDate = Annotated[PartialDate, PlainValidator(parse_full_date), PlainSerializer(str, return_type=str)]


def check_year(value: Any) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise fail(f"{shown(value)} is not a year", "a year such as 1942")
    return value


Year = Annotated[int, PlainValidator(check_year)]


def check_count(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(f"{shown(value)} is not a whole number", "a whole number such as 24")
    return value


Count = Annotated[int, PlainValidator(check_count)]


def check_url(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value.strip()):
        raise fail(f"{shown(value)} is not a web address", "an address starting with https://")
    return value.strip()


Url = Annotated[str, PlainValidator(check_url)]


def check_email(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[^@\s<>,;]+@[^@\s<>,;]+\.[A-Za-z]{2,}", value.strip()):
        raise fail(f"{shown(value)} is not an e-mail address", "an address such as name@university.edu")
    return value.strip()


def check_phone(value: Any) -> str:
    value = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else value
    if not isinstance(value, str) or not re.fullmatch(r"\+?[0-9][0-9 ()./-]{4,28}[0-9]", value):
        raise fail(f"{shown(value)} is not a telephone number", "digits with the country code, e.g. +82 2 2123 2114")
    return value


Email = Annotated[str, PlainValidator(check_email)]
Phone = Annotated[str, PlainValidator(check_phone)]


def check_amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(" ", "").replace("_", ""))
    except Exception:
        raise fail(f"{shown(value)} is not an amount", "a number such as 7500000") from None
    if isinstance(value, bool) or not amount.is_finite() or amount <= 0:
        raise fail(f"{shown(value)} is not an amount", "a positive number such as 7500000")
    return amount


def check_currency(value: Any) -> str:
    import pycountry

    if not isinstance(value, str) or pycountry.currencies.get(alpha_3=value.strip().upper()) is None:
        raise fail(f"{shown(value)} is not a currency code", "a three-letter ISO 4217 code such as EUR, USD, MNT")
    return value.strip().upper()


def check_scheme(value: Any) -> str:
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if not re.fullmatch(r"\d\+\d", text.replace(" ", "")):
        raise fail(f"{shown(value)} is not a programme scheme", 'years here + years at the partner, in quotes, e.g. "4+2"')
    return text.replace(" ", "")


def check_serial_prefix(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2,10}", value.strip()):
        raise fail(f"{shown(value)} is not a serial prefix", "2 to 10 capital letters, e.g. MNUMS")
    return value.strip()


def check_relative_path(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    parts = text.replace("\\", "/").split("/")
    if not text or text.startswith("/") or ".." in parts or ":" in text:
        raise fail(f"{shown(value)} is not a file inside the records folder", "a path such as 'logo.svg'")
    return text


# --------------------------------------------------------------------------- models


class Record(BaseModel):
    """Base of every record: unknown fields are errors, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    _location: Location = PrivateAttr(default=Location("<unknown>"))
    # The loaded form (with per-field lines) while cross-checks run; dropped afterwards
    # so records stay small and can be sent to worker processes.
    _raw: Any = PrivateAttr(default=None)

    @property
    def location(self) -> Location:
        return self._location


class Person(Record):
    name: Name = Field(description="the person's name as it is printed, e.g. 'B. Amartuvshin'")
    name_mn: Name | None = Field(None, description="the name in Mongolian Cyrillic, e.g. 'Б. Амартүвшин'")
    title: Name = Field(description="the position, e.g. 'Rector'")
    title_mn: Name | None = Field(None, description="the position in Mongolian, e.g. 'Ректор'")
    name_mong: MongolName | None = Field(
        None, description="the name in the Mongol script, printed under the signature on certificates and Mongolian drafts, e.g. 'ᠪᠠᠲᠤ'"
    )


class MongolScript(Record):
    """The institution's texts in the Mongol script (Law on the Mongolian Language, art. 7.2): never
    derived from the Cyrillic; each line of a text is one vertical column, the columns left to right."""

    review: LongText | None = Field(None, description="a note that the texts are still to be confirmed; 'irdocs check' repeats it until it is removed")
    name: MongolText = Field(description="the university's name, one column a line")
    department: MongolText | None = Field(None, description="the department's name, one column a line")
    titles: dict[TitleKind, MongolText] = Field({}, description="the title names: honorary-doctorate, honorary-professor, visiting-professor")
    phrases: dict[Slug, MongolText] = Field({}, description="the standard phrases the designs print, by name, e.g. 'conferred: ᠴᠣᠯᠠ ᠣᠯᠭᠣᠪᠠ'")


class Contact(Record):
    """Someone the office writes to at a partner (not printed on any document)."""

    name: Name = Field(description="the person's name, e.g. 'Dr. Kim Min-jun'")
    role: Name | None = Field(None, description="the position, e.g. 'International office, coordinator'")
    email: Email | None = Field(None, description="an address such as name@university.edu")
    phone: Phone | None = Field(None, description="digits with the country code, e.g. +82 2 2123 2114")


class StaffMember(Record):
    name: Name = Field(description="the name, e.g. 'B. Amartuvshin'")
    name_mn: Name | None = Field(None, description="the name in Mongolian Cyrillic")
    role: Name = Field(description="the position, e.g. 'Director'")
    role_mn: Name | None = Field(None, description="the position in Mongolian, e.g. 'Дарга'")
    degrees: Name | None = Field(None, description="degrees as written after the name, e.g. 'M.D., Ph.D.'")


class Milestone(Record):
    year: Year = Field(description="a year such as 2011")
    text: LongText = Field(description="what happened, in English")
    text_mn: LongText | None = Field(None, description="what happened, in Mongolian")


class History(Record):
    text: LongText = Field(description="a paragraph on how international cooperation began")
    text_mn: LongText | None = Field(None, description="the same paragraph in Mongolian")
    first_students_mongolian: Count = Field(description="the number of Mongolian students in the first year, e.g. 24")
    first_students_russian: Count = Field(description="the number of Russian students in the first year, e.g. 10")
    first_staff: tuple[Person, ...] = Field((), description="the first leaders, each with name and title")


class Institution(Record):
    id: Slug = Field(description="the university's short id, e.g. 'mnums'")
    short_name: Name = Field(description="the abbreviation, e.g. 'MNUMS'")
    name: Name = Field(description="the full English name")
    name_mn: Name = Field(description="the full Mongolian name")
    department: Name = Field(description="the department's English name")
    department_mn: Name = Field(description="the department's Mongolian name")
    address: LongText = Field(description="the postal address in English")
    address_mn: LongText | None = Field(None, description="the postal address in Mongolian")
    city: Name = Field(description="the city, e.g. 'Ulaanbaatar'")
    country: CountryCode = Field(description="a two-letter code, 'MN'")
    website: Url = Field(description="an address starting with https://")
    founded: Year = Field(description="the founding year, 1942")
    honorary_titles_since: Year = Field(description="the year of the first honorary title, e.g. 1978")
    serial_prefix: Annotated[str, PlainValidator(check_serial_prefix)] = Field(description="capital letters that start every certificate serial, e.g. 'MNUMS'")
    verification_url: Url = Field(description="the web address printed in QR codes, e.g. 'https://www.mnums.edu.mn/verify'")
    logo: Annotated[str, PlainValidator(check_relative_path)] | None = Field(None, description="an SVG or PNG file in the records folder")
    certificate_signatories: tuple[Person, ...] = Field(min_length=1, max_length=3, description="one to three people who sign certificates")
    agreement_signatory: Person = Field(description="the person who signs agreements for the university")
    staff: tuple[StaffMember, ...] = Field((), description="the department's staff")
    history: History = Field(description="the history paragraph and first students")
    milestones: tuple[Milestone, ...] = Field((), description="dated events of the department")
    mongol_script: MongolScript | None = Field(None, description="the names, titles, phrases in the Mongol script (to be confirmed by the department)")


class Partner(Record):
    id: Slug = Field(description=SLUG_EXPECTED)
    name: Name = Field(description="the official English name")
    native_name: Name | None = Field(None, description="the name in the partner's own script, e.g. '연세대학교'")
    name_mn: Name | None = Field(None, description="the name in Mongolian Cyrillic")
    kind: PartnerKind = Field(description="one of: " + ", ".join(PARTNER_KINDS))
    country: CountryCode = Field(description="a two-letter ISO 3166 code such as JP, KR, US")
    city: Name = Field(description="the city, e.g. 'Seoul'")
    city_mn: Name | None = Field(None, description="the city in Mongolian, e.g. 'Сөүл'")
    address: LongText | None = Field(None, description="the postal address")
    address_mn: LongText | None = Field(None, description="the postal address in Mongolian, for the Mongolian drafts")
    website: Url | None = Field(None, description="an address starting with https://")
    representative: Person | None = Field(None, description="who signs for the partner: name and title")
    former_names: tuple[Name, ...] = Field((), description="names the organization had before, newest first, e.g. [Yonsei Medical College]")
    #: Not printed on any document, so not part of what the documents are made from (``exclude``).
    contacts: tuple[Contact, ...] = Field((), exclude=True, description="people the office writes to, each with a name and a role, e-mail or phone")
    sample: bool = Field(False, description="true for made-up sample organizations")


class Programme(Record):
    name: Name = Field(description="the programme's name, e.g. 'Acupuncturist'")
    name_mn: Name | None = Field(None, description="the name in Mongolian")
    scheme: Annotated[str, PlainValidator(check_scheme)] | None = Field(None, description='years here + years at the partner, e.g. "4+2"')
    degree: Name | None = Field(None, description="the degree awarded, e.g. 'Bachelor of Medicine'")
    degree_mn: Name | None = Field(None, description="the degree in Mongolian, e.g. 'Анагаах ухааны бакалавр'")
    starts: Year | None = Field(None, description="the first intake year")
    ends: Year | None = Field(None, description="the last year, if it ended")
    description: LongText | None = Field(None, description="a sentence or two on the programme")


class Funding(Record):
    amount: Annotated[Decimal, PlainValidator(check_amount), PlainSerializer(str, return_type=str)] = Field(description="a number such as 7500000")
    currency: Annotated[str, PlainValidator(check_currency)] = Field(description="a code such as EUR")
    source: Name = Field(description="who pays, e.g. 'Government of the Republic of Austria'")
    terms: LongText | None = Field(None, description="e.g. 'concessional loan'")


class Agreement(Record):
    id: Slug = Field(description=SLUG_EXPECTED)
    kind: AgreementKind = Field(description="one of: " + ", ".join(AGREEMENT_KINDS))
    title: Title = Field(description="the agreement's title in English")
    title_mn: Title | None = Field(None, description="the title in Mongolian")
    partners: tuple[Slug, ...] = Field(min_length=1, description="a list of partner ids, e.g. [yonsei-university]")
    status: Status = Field(description="one of: " + ", ".join(STATUSES))
    signed_on: DateOrYear | None = Field(None, description=DATE_EXPECTED)
    valid_until: FullDate | None = Field(None, description=FULL_DATE_EXPECTED)
    duration_years: Annotated[int, Field(ge=1, le=50)] | None = Field(None, description="a whole number of years from 1 to 50")
    areas: tuple[Area, ...] = Field(min_length=1, description="a list from: " + ", ".join(AREAS))
    activities: tuple[LongText, ...] = Field((), description="a list of concrete activities")
    activities_mn: tuple[LongText, ...] = Field((), description="the same activities in Mongolian, one for each, in the same order")
    programmes: tuple[Programme, ...] = Field((), description="joint programmes, each with a name")
    studied_at: tuple[Slug, ...] = Field(
        (), description="the partner ids where students study the programme, e.g. [university-of-georgia] (left out: the partners that are universities)"
    )
    funding: Funding | None = Field(None, description="amount, currency and source")
    signatories: dict[Slug, Person] = Field(default_factory=dict, description="who signs for each party: the party's id, then name and title")
    highlight: LongText | None = Field(None, description="one sentence for the department's list of achievements")
    highlight_mn: LongText | None = Field(None, description="the same sentence in Mongolian")
    renews: Slug | None = Field(None, description="the id of the agreement this one renews")
    # The agreement's life (draft, sent to the partner, signed, ended): not printed on any document,
    # so not part of what the drafts are made from (``exclude``).
    sent_on: FullDate | None = Field(None, exclude=True, description="the day the draft was sent to the partner, as YYYY-MM-DD")
    ended_on: FullDate | None = Field(None, exclude=True, description="the day the agreement ended (status expired or terminated), as YYYY-MM-DD")

    @property
    def stage(self) -> str:
        """Where the agreement is in its life: draft, sent (to the partner), signed or ended."""
        if self.status in ("expired", "terminated"):
            return "ended"
        if self.status == "active":
            return "signed"
        return "sent" if self.sent_on is not None else "draft"

    @property
    def expires_on(self) -> dt.date | None:
        """The last day the agreement is in force, from valid_until or signed_on + duration."""
        if self.valid_until is not None:
            return self.valid_until.as_date()
        if self.duration_years and self.signed_on is not None:
            start = self.signed_on.first_day
            try:
                return start.replace(year=start.year + self.duration_years) - dt.timedelta(days=1)
            except ValueError:  # 29 February
                return start.replace(year=start.year + self.duration_years, day=28)
        return None


class Honoree(Record):
    id: Slug = Field(description=SLUG_EXPECTED)
    title: TitleKind = Field(description="one of: " + ", ".join(TITLE_KINDS))
    family_name: Name | None = Field(
        None, description="the family name in Latin letters, e.g. 'Yamada' (a person with one name: that name here or in given_name)"
    )
    given_name: Name | None = Field(None, description="the given name in Latin letters, e.g. 'Taro'")
    name_order: NameOrder | None = Field(
        None, description="given-first or family-first; empty: family first for " + ", ".join(sorted(FAMILY_FIRST_COUNTRIES)) + ", given first elsewhere"
    )
    native_name: Name | None = Field(None, description="the name in the person's own script, e.g. '山田 太郎'")
    name_mn: Name | None = Field(None, description="the name in Mongolian Cyrillic, e.g. 'Ямада Таро'")
    name_mong: MongolName | None = Field(None, description="the name in the Mongol script (Mongol bichig), e.g. 'ᠪᠠᠲᠤ'; never derived from name_mn")
    country: CountryCode = Field(description="a two-letter ISO 3166 code such as JP, KR, US")
    affiliation: Name = Field(description="the person's university or organization")
    partner: Slug | None = Field(None, description="the id of the partner organization, if it is one")
    awarded_on: DateOrYear = Field(description=DATE_EXPECTED)
    ceremony: Slug | None = Field(None, description="an id grouping the certificates printed together, e.g. '2024-06-ceremony'")
    citation: LongText = Field(description="one or two sentences in English on why the title is given")
    citation_mn: LongText = Field(description="the same in Mongolian")

    @model_validator(mode="after")
    def _one_name_at_least(self) -> Honoree:
        if not self.family_name and not self.given_name:
            raise fail("has neither a family name nor a given name", "at least one of family_name and given_name; a person with one name writes it in either")
        return self

    @property
    def full_name(self) -> str:
        """The name as the register certifies it: given name, then family name (either may be absent)."""
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def family_first(self) -> bool:
        if self.name_order is not None:
            return self.name_order == "family-first"
        return self.country in FAMILY_FIRST_COUNTRIES

    @property
    def display_name(self) -> str:
        """The name as printed: in the person's own order ('Nguyễn Thị Minh Khai', 'Yamada Taro', 'Sukarno')."""
        parts = (self.family_name, self.given_name) if self.family_first else (self.given_name, self.family_name)
        return " ".join(part for part in parts if part)


MODELS: dict[str, type[Record]] = {"institution": Institution, "partner": Partner, "agreement": Agreement, "honoree": Honoree}


@dataclass(frozen=True)
class Records:
    """Every record of a records folder, validated and cross-checked."""

    root: Any  # pathlib.Path of the records folder
    institution: Institution
    partners: tuple[Partner, ...]
    agreements: tuple[Agreement, ...]
    honorees: tuple[Honoree, ...]
    today: dt.date = field(default_factory=dt.date.today)

    @cached_property
    def partners_by_id(self) -> dict[str, Partner]:
        return {p.id: p for p in self.partners}

    @cached_property
    def agreements_by_id(self) -> dict[str, Agreement]:
        return {a.id: a for a in self.agreements}

    @cached_property
    def honorees_by_id(self) -> dict[str, Honoree]:
        return {h.id: h for h in self.honorees}

    @cached_property
    def _agreements_by_partner(self) -> dict[str, tuple[Agreement, ...]]:
        index: dict[str, list[Agreement]] = {}
        for agreement in self.agreements:
            for partner_id in dict.fromkeys(agreement.partners):
                index.setdefault(partner_id, []).append(agreement)
        return {key: tuple(value) for key, value in index.items()}

    @cached_property
    def _honorees_by_partner(self) -> dict[str, tuple[Honoree, ...]]:
        index: dict[str, list[Honoree]] = {}
        for honoree in self.honorees:
            if honoree.partner:
                index.setdefault(honoree.partner, []).append(honoree)
        return {key: tuple(value) for key, value in index.items()}

    def agreements_of(self, partner_id: str) -> list[Agreement]:
        """The partner's agreements, in the order of the records (looked up, not searched: a
        build plans one fact sheet per partner, 6,000 of them at 50x the sample)."""
        return list(self._agreements_by_partner.get(partner_id, ()))

    def honorees_of(self, partner_id: str) -> list[Honoree]:
        """The honorees whose ``partner`` is this partner, in the order of the records."""
        return list(self._honorees_by_partner.get(partner_id, ()))
