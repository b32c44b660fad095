"""Countries as people type them in a spreadsheet: ISO codes, English or Mongolian names.

The records keep the two-letter ISO 3166 code (``JP``); a cell may say ``Japan``, ``JPN``,
``Япон`` or ``БНСУ`` and is read as its code. Words that name no single country (``UK``,
``Korea``, ``England``) are refused with the code that was probably meant.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: Abbreviations and names Mongolian and English speakers write that neither Babel nor pycountry knows.
EXTRA_NAMES = {
    "ану": "US",  # Америкийн Нэгдсэн Улс
    "оху": "RU",  # Оросын Холбооны Улс
    "орос": "RU",
    "бнхау": "CN",  # Бүгд Найрамдах Хятад Ард Улс
    "бнсу": "KR",  # Бүгд Найрамдах Солонгос Улс
    "хбнгу": "DE",  # Холбооны Бүгд Найрамдах Герман Улс
    "япон улс": "JP",
    "монгол улс": "MN",
    "russia": "RU",
    "turkey": "TR",
    "south korea": "KR",
    "republic of korea": "KR",
    "korea, republic of": "KR",
    "people's republic of china": "CN",
    "pr china": "CN",
    "north korea": "KP",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "united states": "US",
    "czechia": "CZ",
    "vietnam": "VN",
    "viet nam": "VN",
    "taiwan": "TW",
    "hong kong": "HK",
}
#: Words that are not a country code or name of one country, and the code probably meant.
NEAR_MISSES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "britain": "GB",
    "korea": "KR",
    "солонгос": "KR",
    "el": "GR",
    "america": "US",
    "holland": "NL",
}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    return re.sub(r"\s+", " ", text)


@cache
def _names() -> dict[str, str]:
    """Every known name (casefolded) -> its two-letter code."""
    import pycountry
    from babel import Locale

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name", "alpha_3"):
            value = getattr(country, attribute, None)
            if value:
                names[_key(value)] = country.alpha_2
    for language in ("en", "mn"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code) is not None:
                names.setdefault(_key(name), code)
    names.update(EXTRA_NAMES)
    return names


def english_name(code: str) -> str:
    from babel import Locale

    return Locale("en").territories.get(code, code)


def lookup_country(text: str) -> tuple[str | None, str | None]:
    """(the two-letter code ``text`` names, None) or (None, the code it probably meant, or None)."""
    import pycountry

    key = _key(text)
    if len(key) == 2 and key.isalpha() and key not in NEAR_MISSES and pycountry.countries.get(alpha_2=key.upper()) is not None:
        return key.upper(), None
    if key in NEAR_MISSES:
        return None, NEAR_MISSES[key]
    code = _names().get(key)
    return (code, None) if code else (None, None)
