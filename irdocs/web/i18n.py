"""The web pages in Mongolian and English (Flask-Babel, catalogues in ``irdocs/web/translations``).

Which language a page is in:

- the visitor's own choice, made with the switch at the top of every page (a cookie, a year long);
- otherwise Mongolian on the office's pages (the office works in Mongolian first);
- otherwise, on the public verification page, the browser's language (Mongolian or English; English
  when the browser asks for neither: most honorees who scan a certificate read no Mongolian).

The JSON API stays in English (it is read by programs). Dates and numbers are written the
language's way with Babel (``date`` and ``number`` filters in the templates). The messages of the
records' own check (``irdocs check``) are English sentences built by the records layer; ``problem_text``
says them in the page's language, from the same catalogue.

The catalogues are compiled (``.mo``) beside their ``.po`` sources in the repository; after changing a
``.po`` file run ``python -m irdocs.web.i18n`` to compile it again (a test checks that they agree).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from flask import Blueprint, current_app, redirect, request
from flask_babel import Babel, get_locale
from flask_babel import gettext as _

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("mn", "en")
LANGUAGE_NAMES = {"mn": "Монгол", "en": "English"}
COOKIE = "irdocs_lang"
#: the blueprints whose pages follow the browser's language (the rest: Mongolian unless chosen)
PUBLIC_BLUEPRINTS = {"public"}

bp = Blueprint("i18n", __name__)


def select_language() -> str:
    chosen = request.cookies.get(COOKIE, "")
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return "en"
    if chosen in LANGUAGES:
        return chosen
    if request.blueprint in PUBLIC_BLUEPRINTS:
        return request.accept_languages.best_match(LANGUAGES, default="en") or "en"
    return "mn"


def language() -> str:
    """The current page's language: 'mn' or 'en'."""
    return str(get_locale() or "mn")


def install(app) -> None:
    """Babel on the app, the language switch's address and the templates' filters."""
    Babel(app, locale_selector=select_language, default_translation_directories=str(TRANSLATIONS), default_locale="mn")
    app.register_blueprint(bp)
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["say"] = say_sentences
    app.jinja_env.filters["problem"] = problem_line
    app.jinja_env.globals.update(language=language, language_names=LANGUAGE_NAMES, other_languages=other_languages, term=term, country=country)


def other_languages() -> list[tuple[str, str]]:
    here = language()
    return [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES if code != here]


@bp.route("/language/<code>")
def choose(code: str):
    """The language switch: remember the choice and go back to the page it was made on."""
    from .office import _safe_next  # only a page of this site, never another site's address

    if code not in LANGUAGES:
        code = "mn"
    response = redirect(_safe_next(request.args.get("next")))
    response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True, secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


# --------------------------------------------------------------------------- words of the records


def term(table: str, key: str) -> str:
    """A word of the records' vocabulary in the page's language: term('title', 'honorary-professor') -> 'Хүндэт профессор'."""
    from ..records import model

    tables = {"title": model.TITLE_KINDS, "agreement": model.AGREEMENT_KINDS, "status": model.STATUSES, "area": model.AREAS, "partner": model.PARTNER_KINDS}
    names = tables[table].get(key)
    if not names:
        return key
    return names[0] if language() == "en" else names[1]


def country(code: str) -> str:
    """A country's name in the page's language: 'JP' -> 'Япон' / 'Japan'."""
    from ..localize import country_name

    return country_name(code, language()) if code else ""


# --------------------------------------------------------------------------- dates and numbers


def format_date(value, style: str = "medium") -> str:
    """A date the page's language's way: '27 Nov 2026' / '2026 оны 11-р сарын 27'; a partial date (a year) as it is."""
    from babel.dates import format_date as babel_date

    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        if getattr(value, "is_full", True) is False:
            return str(value.year) if language() == "en" else f"{value.year} он"
        value = value.as_date() if hasattr(value, "as_date") else value
    if language() == "en":
        return babel_date(value, "d MMMM y" if style == "long" else "d MMM y", locale="en")
    return babel_date(value, "long" if style == "long" else "medium", locale="mn")


def format_duration(seconds: float) -> str:
    """'2 minutes' / '2 минут', rounded the way a person would say it."""
    from babel.dates import format_timedelta

    return format_timedelta(dt.timedelta(seconds=max(1, round(seconds))), threshold=1.5, locale=language())


def format_number(value) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=language())


# --------------------------------------------------------------------------- the records' messages


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is said later (the records' sentences below)."""
    return message


#: the records layer's sentences with values in them: English pattern -> message id with %(names)s
_PATTERNS: list[tuple[re.Pattern, str]] = [
    (
        re.compile(r"^'(?P<value>.*)' is already the id of the (?P<kind>partner|agreement|honoree|institution) at (?P<where>.+)$"),
        N_("'%(value)s' is already the id of the %(kind)s at %(where)s"),
    ),
    (re.compile(r"^(?P<value>.+) is not one of the allowed values$"), N_("%(value)s is not one of the allowed values")),
    (re.compile(r"^'(?P<value>.+)' is not a date: there is no such day$"), N_("'%(value)s' is not a date: there is no such day")),
    (re.compile(r"^(?P<value>.+) is not a date$"), N_("%(value)s is not a date")),
    (re.compile(r"^'(?P<value>.+)' gives only a year$"), N_("'%(value)s' gives only a year")),
    (re.compile(r"^(?P<value>.+) is not a year$"), N_("%(value)s is not a year")),
    (re.compile(r"^(?P<value>.+) is not a whole number$"), N_("%(value)s is not a whole number")),
    (re.compile(r"^(?P<value>.+) is not a web address$"), N_("%(value)s is not a web address")),
    (re.compile(r"^(?P<value>.+) is not an amount$"), N_("%(value)s is not an amount")),
    (re.compile(r"^(?P<value>.+) is not a currency code$"), N_("%(value)s is not a currency code")),
    (re.compile(r"^'(?P<value>.+)' is not an ISO 3166 country code$"), N_("'%(value)s' is not an ISO 3166 country code")),
    (re.compile(r"^(?P<value>.+) is not a country code or name$"), N_("%(value)s is not a country code or name")),
    (re.compile(r"^(?P<value>.+) is not a country code$"), N_("%(value)s is not a country code")),
    (re.compile(r"^'(?P<value>.+)' is written in lower case$"), N_("'%(value)s' is written in lower case")),
    (re.compile(r"^capital letters: '(?P<value>.+)'$"), N_("capital letters: '%(value)s'")),
    (re.compile(r"^(?P<value>.+) is not an id$"), N_("%(value)s is not an id")),
    (re.compile(r"^'(?P<value>.+)' has capital letters$"), N_("'%(value)s' has capital letters")),
    (re.compile(r"^(?P<value>.+) is not allowed$"), N_("%(value)s is not allowed")),
    (re.compile(r"^(?P<value>.+) is not the right shape$"), N_("%(value)s is not the right shape")),
    (re.compile(r"^(?P<value>.+) is not text$"), N_("%(value)s is not text")),
    (re.compile(r"^is (?P<value>\d+) characters long$"), N_("is %(value)s characters long")),
    (re.compile(r"^at most (?P<value>\d+) characters$"), N_("at most %(value)s characters")),
    (re.compile(r"^has (?P<value>\d+) entr(y|ies)$"), N_("has %(value)s entries")),
    (re.compile(r"^no partner has the id '(?P<value>.+)'$"), N_("no partner has the id '%(value)s'")),
    (re.compile(r"^'(?P<value>.+)' is listed twice$"), N_("'%(value)s' is listed twice")),
    (re.compile(r"^'(?P<value>.+)' is not a party to this agreement$"), N_("'%(value)s' is not a party to this agreement")),
    (re.compile(r"^'(?P<value>.+)' is not a partner of this agreement$"), N_("'%(value)s' is not a partner of this agreement")),
    (re.compile(r"^'(?P<value>.+)' is more than a year in the future$"), N_("'%(value)s' is more than a year in the future")),
    (re.compile(r"^'(?P<value>.+)' is before the first honorary title \((?P<year>\d+)\)$"), N_("'%(value)s' is before the first honorary title (%(year)s)")),
    (
        re.compile(r"^'(?P<value>.+)' is before the university was founded \((?P<year>\d+)\)$"),
        N_("'%(value)s' is before the university was founded (%(year)s)"),
    ),
    (re.compile(r"^'(?P<value>.+)' is in the future$"), N_("'%(value)s' is in the future")),
    (re.compile(r"^'(?P<value>.+)' is before the signing date (?P<date>.+)$"), N_("'%(value)s' is before the signing date %(date)s")),
    (re.compile(r"^'(?P<value>.+)' is after the signing date (?P<date>.+)$"), N_("'%(value)s' is after the signing date %(date)s")),
    (re.compile(r"^(?P<value>.+) is not an e-mail address$"), N_("%(value)s is not an e-mail address")),
    (re.compile(r"^(?P<value>.+) is not a telephone number$"), N_("%(value)s is not a telephone number")),
    (re.compile(r"^a date from (?P<year>\d+) on$"), N_("a date from %(year)s on")),
    (re.compile(r"^no agreement has the id '(?P<value>.+)'$"), N_("no agreement has the id '%(value)s'")),
    (re.compile(r"^the id of a partner in (?P<where>.+)$"), N_("the id of a partner in %(where)s")),
    (re.compile(r"^the id of an? agreement in (?P<where>.+)$"), N_("the id of an agreement in %(where)s")),
    (re.compile(r"^has (?P<value>\d+) entries but 'activities' has (?P<count>\d+)$"), N_("has %(value)s entries but 'activities' has %(count)s")),
    (re.compile(r"^did you mean '(?P<guess>[^']*)'\? one of: (?P<value>.+)$"), N_("did you mean '%(guess)s'? one of: %(value)s")),
    (re.compile(r"^(?P<value>.+) is not in the Mongol script: it has (?P<what>.+)$"), N_("%(value)s is not in the Mongol script: it has %(what)s")),
    # the background work's names and outcomes (said by the service in English)
    (re.compile(r"^Certificates of (?P<value>.+)$"), N_("Certificates of %(value)s")),
    (re.compile(r"^Certificate for (?P<value>.+)$"), N_("Certificate for %(value)s")),
    (re.compile(r"^Renewal draft of (?P<value>.+)$"), N_("Renewal draft of %(value)s")),
    (re.compile(r"^Draft of (?P<value>.+)$"), N_("Draft of %(value)s")),
    (re.compile(r"^(?P<count>\d+) certificates? made\.$"), N_("%(count)s certificates made.")),
    (re.compile(r"^(?P<count>\d+) Word drafts? made\.$"), N_("%(count)s Word drafts made.")),
    (re.compile(r"^(?P<count>\d+) Word renewal drafts? made\.$"), N_("%(count)s Word renewal drafts made.")),
    (re.compile(r"^(?P<count>\d+) files? made\.$"), N_("%(count)s files made.")),
    (re.compile(r"^(?P<count>\d+) could not be made: see the reasons below\.$"), N_("%(count)s could not be made: see the reasons below.")),
    (re.compile(r"^(?P<count>\d+) already up to date\.$"), N_("%(count)s already up to date.")),
    (
        re.compile(r"^Cancelled: (?P<count>\d+) (?P<noun>certificates?|Word drafts?|Word renewal drafts?|files?) made before it stopped\.$"),
        N_("Cancelled: %(count)s %(noun)s made before it stopped."),
    ),
    (re.compile(r"^(?P<name>.+): certificate (?P<value>\S+)$"), N_("%(name)s: certificate %(value)s")),
    (
        re.compile(r"^All (?P<count>\d+) certificates of (?P<value>.+), in one PDF for printing$"),
        N_("All %(count)s certificates of %(value)s, in one PDF for printing"),
    ),
    (re.compile(r"^Word draft of (?P<value>\S+) \((?P<language>[a-z+]+)\)$"), N_("Word draft of %(value)s (%(language)s)")),
    (re.compile(r"^Word renewal draft of (?P<value>\S+) \((?P<language>[a-z+]+)\)$"), N_("Word renewal draft of %(value)s (%(language)s)")),
    (re.compile(r"^Department fact sheet \((?P<value>PDF|DOCX)\)$"), N_("Department fact sheet (%(value)s)")),
    (re.compile(r"^Fact sheet of (?P<value>.+) \((?P<format>PDF|DOCX)\)$"), N_("Fact sheet of %(value)s (%(format)s)")),
    (re.compile(r"^Fact sheet of (?P<value>.+)$"), N_("Fact sheet of %(value)s")),
    (re.compile(r"^did you mean '(?P<guess>[^']*)'\?$"), N_("did you mean '%(guess)s'?")),
    (re.compile(r"^one of: (?P<value>.+)$"), N_("one of: %(value)s")),
    (re.compile(r"^a list from: (?P<value>.+)$"), N_("a list from: %(value)s")),
    (re.compile(r"^(?P<value>.+); write '(?P<guess>.+)'$"), N_("%(value)s; write '%(guess)s'")),
    (
        re.compile(r"^(?P<kind>partner|agreement|honoree|certificate) (?P<value>\S+) refers to it \((?P<how>partner|signatory|renews|register)\)$"),
        N_("%(kind)s %(value)s refers to it (%(how)s)"),
    ),
]
#: the records layer's sentences without values (the fields' descriptions are read from the model)
RECORD_MESSAGES = (
    N_("is empty"),
    N_("some text, or leave the field out"),
    N_("an id of at most 64 characters"),
    N_("a two-letter code such as JP, KR, US"),
    N_("a year such as 1942"),
    N_("a whole number such as 24"),
    N_("a positive number such as 7500000"),
    N_("a three-letter ISO 4217 code such as EUR, USD, MNT"),
    N_("each id only once, in all record files"),
    N_("each partner once"),
    N_("a signed agreement needs 'signed_on'"),
    N_("the signing date, or 'status: draft' if it is not signed yet"),
    N_("both 'valid_until' and 'duration_years' are given"),
    N_("only one of the two"),
    N_("the date of the award or of its ceremony"),
    N_("a single line of text"),
    N_("text"),
    N_("true or false"),
    N_("unknown field"),
    N_("honoree"),
    N_("someone else changed this record after this form was opened; open it again to see their change, then make yours"),
    N_("Fact sheets (English)"),
    N_("Fact sheets (Mongolian)"),
    N_("The ceremony's print file was not made: correct the failed certificates first."),
    N_("Cancelled before it started."),
    N_("only the person who started this work, or an administrator, can cancel it"),
    # the nouns of "Cancelled: 2 certificates made before it stopped."
    N_("certificate"),
    N_("certificates"),
    N_("Word draft"),
    N_("Word drafts"),
    N_("Word renewal draft"),
    N_("Word renewal drafts"),
    N_("file"),
    N_("files"),
    N_("a date after 'signed_on'"),
    N_("one Mongolian text for each activity, in the same order"),
    N_("has neither a family name nor a given name"),
    N_("at least one of family_name and given_name; a person with one name writes it in either"),
    N_("has a line break"),
    N_("the name on one line (it is printed as one vertical column)"),
    N_(  # model.MONGOL_NAME_EXPECTED
        "the name in the Mongol script (Unicode U+1800-U+18AF), e.g. 'ᠪᠠᠲᠤ'; irdocs does not convert Cyrillic or Latin "
        "letters: leave the field empty until the name is written in the script"
    ),
    N_("the day it was signed; an agreement not signed yet has 'status: draft'"),
)


def say(text: str) -> str:
    """One sentence of the records' check in the page's language (as it is when the catalogue lacks it)."""
    if not text:
        return text
    translated = _(text)
    if translated != text or language() == "en":
        return translated
    for pattern, message_id in _PATTERNS:
        found = pattern.match(text)
        if found:
            parts = {k: (_(v) if k in ("kind", "how", "noun") else say(v)) for k, v in found.groupdict().items()}  # known words and sentences too
            result = _(message_id, **parts)
            if result != message_id % parts:
                return result
    return text


def say_sentences(text: str) -> str:
    """Text of several sentences (a job's outcome) in the page's language, sentence by sentence."""
    return " ".join(say(part) for part in re.split(r"(?<=\.) ", text or "")) if text else ""


def sentence(text: str) -> str:
    """A message as a sentence: its first letter a capital ('is missing' -> 'Is missing'); a quoted value first stays as written."""
    return text[:1].upper() + text[1:] if text[:1].isalpha() else text


def problem_text(message: str, expected: str = "") -> str:
    """A problem of a form's field, as the page shows it: 'Is missing (the city, e.g. 'Seoul')' in its language."""
    text = say(message)
    if message == "is missing":
        text = _("This is missing")
    return sentence(text + (f" ({say(expected)})" if expected else ""))


def extract() -> dict[str, tuple[str, ...]]:
    """Every message of the web pages (Python and templates): message id -> its places, 'office.py:12'."""
    from babel.messages.extract import extract_from_dir

    here = Path(__file__).resolve().parent
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found: dict[str, list[str]] = {}
    for file_name, line, message, _comments, _context in extract_from_dir(here, method_map, keywords=keywords):
        found.setdefault(message, []).append(f"{file_name}:{line}")
    for description in sorted(_descriptions()):
        found.setdefault(description, []).append("model.py")
    return {message: tuple(places) for message, places in found.items()}


def _descriptions() -> set[str]:
    """The descriptions of the fields of partners, agreements and honorees: what a form's problem says is expected."""
    from pydantic import BaseModel

    from ..records import model

    found: set[str] = set()
    for item in vars(model).values():
        if (
            isinstance(item, type)
            and issubclass(item, BaseModel)
            and item.__module__ == model.__name__
            and item.__name__ not in ("Institution", "History", "Milestone", "StaffMember")
        ):
            found.update(info.description for info in item.model_fields.values() if info.description)
    return found


def problem_line(problem) -> str:
    """A problem of the records as ``irdocs check`` prints it (file:line: kind id: field: message), its words in the page's language."""
    from ..errors import Problem

    if not isinstance(problem, Problem) or language() == "en":
        return str(problem)
    who = " ".join(part for part in (_(problem.kind) if problem.kind else "", problem.record_id) if part)
    parts = [str(problem.location), *([who] if who else []), *([problem.field] if problem.field else [])]
    return ": ".join(parts) + ": " + problem_text(problem.message, problem.expected)


def compile_catalogues() -> list[Path]:
    """Compile every .po file beside it as .mo (run after changing a translation)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalog = read_po(source)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as target:
            write_mo(target, catalog)
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        print(path)
