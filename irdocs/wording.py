"""Counted nouns and lists that read naturally in English and Mongolian.

English inflects a noun after a number ("1 organization", "34 organizations"); Mongolian does not
("1 байгууллага", "34 байгууллага").  Which form a number takes comes from Babel's CLDR plural
rules, the numbers from Babel's number formats, the lists ("a, b, and c" / "a, b, c") from
Babel's list patterns: nothing language-specific is hard-coded here except the words.
"""

from __future__ import annotations

from functools import cache

from .localize import country_name, format_number

#: noun -> language -> CLDR plural category -> word.  A language with one form gives only "other".
NOUNS: dict[str, dict[str, dict[str, str]]] = {
    "organization": {"en": {"one": "organization", "other": "organizations"}, "mn": {"other": "байгууллага"}},
    "partner organization": {"en": {"one": "partner organization", "other": "partner organizations"}, "mn": {"other": "түнш байгууллага"}},
    "country": {"en": {"one": "country", "other": "countries"}, "mn": {"other": "улс"}},
    "other country": {"en": {"one": "other country", "other": "other countries"}, "mn": {"other": "бусад улс"}},
    "partner country": {"en": {"one": "partner country", "other": "partner countries"}, "mn": {"other": "түнш улс"}},
    "title": {"en": {"one": "title", "other": "titles"}, "mn": {"other": "цол"}},
    "honorary title": {"en": {"one": "honorary title", "other": "honorary titles"}, "mn": {"other": "хүндэт цол"}},
    "agreement": {"en": {"one": "agreement", "other": "agreements"}, "mn": {"other": "гэрээ"}},
    "agreement in force": {"en": {"one": "agreement in force", "other": "agreements in force"}, "mn": {"other": "хүчин төгөлдөр гэрээ"}},
    "agreement signed": {"en": {"one": "agreement signed", "other": "agreements signed"}, "mn": {"other": "байгуулсан гэрээ"}},
    "programme": {"en": {"one": "joint programme", "other": "joint programmes"}, "mn": {"other": "хамтарсан хөтөлбөр"}},
    "honorary-doctorate": {"en": {"one": "honorary doctorate", "other": "honorary doctorates"}, "mn": {"other": "хүндэт доктор"}},
    "honorary-professor": {"en": {"one": "honorary professor", "other": "honorary professors"}, "mn": {"other": "хүндэт профессор"}},
    "visiting-professor": {"en": {"one": "visiting professor", "other": "visiting professors"}, "mn": {"other": "зочин профессор"}},
    "Mongolian student": {"en": {"one": "Mongolian student", "other": "Mongolian students"}, "mn": {"other": "монгол оюутан"}},
    "Russian student": {"en": {"one": "Russian student", "other": "Russian students"}, "mn": {"other": "орос оюутан"}},
}

#: Country names that take "the" in an English sentence ("12 from the United States").
ENGLISH_ARTICLE = {"US", "GB", "NL", "PH", "AE", "CZ", "DO", "BS", "GM", "CF", "CD", "KM", "MV", "MH", "SB", "VA", "KY", "VG", "FO", "FK", "SC"}


@cache
def _plural_form(language: str):
    from babel import Locale

    return Locale.parse(language).plural_form


def noun(count: int, key: str, language: str) -> str:
    """The word for ``count`` things: noun(1, 'country', 'en') -> 'country'."""
    forms = NOUNS[key][language]
    return forms.get(_plural_form(language)(count), forms["other"])


def counted(count: int, key: str, language: str) -> str:
    """The number and the noun: '34 organizations', '1 organization', '34 байгууллага'."""
    return f"{format_number(count, language)} {noun(count, key, language)}"


def number(count: int | float, language: str) -> str:
    return format_number(count, language)


def join(items: list[str], language: str) -> str:
    """A list in the language's own pattern: 'a, b, and c' / 'a, b, c'."""
    from babel.lists import format_list

    return format_list(list(items), locale=language) if items else ""


def country_in_sentence(code: str, language: str) -> str:
    """The country's name as it stands in a sentence: 'the United States', 'Japan', 'Япон'."""
    name = country_name(code, language)
    return f"the {name}" if language == "en" and code in ENGLISH_ARTICLE else name


def country_genitive_mn(code: str) -> str:
    """'Япон улсын', 'Америкийн Нэгдсэн Улсын': the country's Mongolian name followed by 'улсын'
    (of the country), which avoids inflecting the name itself."""
    name = country_name(code, "mn")
    return f"{name}ын" if name.endswith(("Улс", "улс")) else f"{name} улсын"
