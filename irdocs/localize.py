"""Names, dates and numbers in English and Mongolian, from Babel's CLDR data."""

from __future__ import annotations

import datetime as dt
from functools import cache

LANGUAGES = ("en", "mn")


@cache
def _locale(language: str):
    from babel import Locale

    return Locale.parse(language)


def country_name(code: str, language: str = "en") -> str:
    """The country's name, e.g. country_name('KR', 'mn') -> 'Өмнөд Солонгос'."""
    return _locale(language).territories.get(code, code)


def format_number(number: int | float, language: str = "en") -> str:
    from babel.numbers import format_decimal

    return format_decimal(number, locale=language)


def format_date(value, language: str = "en") -> str:
    """A date in words: '15 June 2024' / '2024 оны 6-р сарын 15'; a year alone stays a year."""
    if getattr(value, "is_full", True) is False:
        return str(value.year) if language == "en" else f"{value.year} он"
    if not isinstance(value, dt.date):
        value = value.as_date()
    if language == "mn":
        return f"{value.year} оны {value.month}-р сарын {value.day}"
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, "d MMMM y", locale="en")
