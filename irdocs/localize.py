"""Names, dates and numbers in English and Mongolian, from Babel's CLDR data."""

from __future__ import annotations

import datetime as dt
from functools import cache

LANGUAGES = ("en", "mn")
#: Languages a delegation may read its country's or its organization's fact sheet in (their fixed
#: texts: templates/factsheets/texts.<language>.yaml; dates, numbers and country names: CLDR).
DELEGATION_LANGUAGES = ("ja", "ko", "zh-Hans", "zh-Hant", "ru")
SHEET_LANGUAGES = (*LANGUAGES, *DELEGATION_LANGUAGES)


@cache
def _locale(language: str):
    from babel import Locale

    return Locale.parse(language)


def country_name(code: str, language: str = "en") -> str:
    """The country's name, e.g. country_name('KR', 'mn') -> 'Өмнөд Солонгос'."""
    return _locale(_babel(language)).territories.get(code, code)


def _babel(language: str) -> str:
    """A BCP 47 tag as Babel spells a locale: zh-Hans -> zh_Hans."""
    return language.replace("-", "_")


def format_number(number: int | float, language: str = "en") -> str:
    from babel.numbers import format_decimal

    return format_decimal(number, locale=_babel(language))


def format_date(value, language: str = "en") -> str:
    """A date in words: '15 June 2024' / '2024 оны 6-р сарын 15'; a year alone stays a year."""
    from babel.dates import format_date as babel_format_date
    from babel.dates import format_skeleton

    if getattr(value, "is_full", True) is False:
        if language in LANGUAGES:
            return str(value.year) if language == "en" else f"{value.year} он"
        return format_skeleton("y", dt.date(value.year, 1, 1), locale=_babel(language))
    if not isinstance(value, dt.date):
        value = value.as_date()
    if language == "mn":
        return f"{value.year} оны {value.month}-р сарын {value.day}"
    if language == "en":
        return babel_format_date(value, "d MMMM y", locale="en")
    return babel_format_date(value, "long", locale=_babel(language))
