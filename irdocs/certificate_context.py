"""Stage 4 for certificates: one plain dict per certificate, every text already in its language.

The templates in ``templates/certificates/`` only place these values: wording, dates, country
names, the language of the native name and the size its line needs are all decided here.  Before
any serial is issued, ``font_problems`` checks every character of every text against the fonts
the design's CSS names, so a missing glyph is an error naming the record, never a box on paper.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import Location, Problem
from .fonts import describe, families_covering, package_for, package_for_char, text_width_em, uncovered
from .localize import country_name, format_date
from .model import TITLE_KINDS, Honoree, Institution
from .register import Content
from .verify import META_CODE, META_SERIAL, display_code

#: The designs: one template per title kind, each extending ``base.html``.
DESIGNS = {kind: f"{kind}.html" for kind in TITLE_KINDS}
BASE_CSS = "certificate.css"

#: What the certificate says, in both languages, per title kind.
WORDING = {
    "honorary-doctorate": {
        "heading_mn": "Хүндэт докторын диплом",
        "heading_en": "Diploma of Honorary Doctor",
        "motto": "honoris causa",
    },
    "honorary-professor": {
        "heading_mn": "Хүндэт профессорын үнэмлэх",
        "heading_en": "Certificate of Honorary Professor",
        "motto": "",
    },
    "visiting-professor": {
        "heading_mn": "Зочин профессорын үнэмлэх",
        "heading_en": "Certificate of Visiting Professor",
        "motto": "",
    },
}
COMMON = {
    "resolution_mn": "Эрдмийн зөвлөлийн шийдвэрээр",
    "resolution_en": "By resolution of its Academic Council the University confers upon",
    "conferred_mn": "цол олгов",
    "conferred_en": "the title of",
    "date_label_mn": "Олгосон огноо",
    "date_label_en": "Conferred on",
    "date_label_year_en": "Conferred in",
    "serial_label_mn": "Бүртгэлийн дугаар",
    "serial_label_en": "Serial number",
    "code_label_mn": "Шалгах код",
    "code_label_en": "Check code",
    "verify_label_mn": "Баталгаажуулах",
    "verify_label_en": "Verify",
    "seal_mn": "Тамга",
    "seal_en": "Seal",
}

#: Language of a native-script name from the honoree's country (CJK glyph forms depend on it).
NATIVE_LANG = {
    "JP": "ja",
    "KR": "ko",
    "KP": "ko",
    "CN": "zh-Hans",
    "SG": "zh-Hans",
    "TW": "zh-Hant",
    "HK": "zh-Hant",
    "MO": "zh-Hant",
    "RU": "ru",
    "KZ": "kk",
    "IN": "hi",
}

# Sizes of the name lines (points) and the width they may take (the text block is 236 mm).
NAME_BOX_PT = 236 / 25.4 * 72
NAME_FAMILY = "Noto Serif Display"
NAME_SIZES = (34.0, 13.0)  # largest, smallest before the name may wrap
NATIVE_SIZES = (24.0, 12.0)
CITATION_SIZES = (10.5, 7.5)
CITATION_COLUMN_MM, CITATION_HEIGHT_MM = 100.0, 26.0


# --------------------------------------------------------------------------- fonts


@cache
def design_families(css_path: Path) -> tuple[str, ...]:
    """The font families a design's stylesheet names (generic families like ``serif`` aside)."""
    css = Path(css_path).read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    families: list[str] = []
    for value in re.findall(r"font-family\s*:\s*([^;}]+)", css):
        for name in value.split(","):
            name = name.strip().strip("'\"")
            if name and name not in ("serif", "sans-serif", "monospace", "inherit", "initial") and name not in families:
                families.append(name)
    return tuple(families)


@dataclass(frozen=True)
class TextField:
    """One text that ends up on a certificate, and where it was written."""

    location: Location
    kind: str  # "honoree", "institution" or "template"
    record_id: str
    field: str
    text: str


def honoree_texts(honoree: Honoree) -> Iterator[TextField]:
    """Every text of a certificate that comes from the honoree's record (country names and dates as printed)."""
    for field in ("given_name", "family_name", "native_name", "affiliation", "citation", "citation_mn"):
        value = getattr(honoree, field)
        if value:
            yield TextField(honoree.location, "honoree", honoree.id, field, value)
    yield TextField(honoree.location, "honoree", honoree.id, "country", f"{country_name(honoree.country, 'en')} {country_name(honoree.country, 'mn')}")
    yield TextField(honoree.location, "honoree", honoree.id, "awarded_on", f"{format_date(honoree.awarded_on, 'en')} {format_date(honoree.awarded_on, 'mn')}")


def institution_texts(institution: Institution) -> Iterator[TextField]:
    for field in ("name", "name_mn", "short_name"):
        yield TextField(institution.location, "institution", institution.id, field, getattr(institution, field))
    for index, person in enumerate(institution.certificate_signatories, 1):
        for field in ("name", "name_mn", "title", "title_mn"):
            value = getattr(person, field)
            if value:
                yield TextField(institution.location, "institution", institution.id, f"certificate_signatories {index} {field}", value)


def font_problems(texts: Iterable[TextField], families: tuple[str, ...], stylesheet: str) -> list[Problem]:
    """A Problem for each character no font of ``families`` has, naming record, field and character."""
    problems = []
    shown = ", ".join(families)
    for item in texts:
        for char in uncovered(item.text, families):
            message = f"{describe(char)} is in none of the certificate's fonts ({shown})"
            problems.append(Problem(item.location, message, item.kind, item.record_id, item.field, _font_advice(char, stylesheet)))
    return problems


def _font_advice(char: str, stylesheet: str) -> str:
    if unicodedata.category(char) == "Co":
        return "a private-use character that no font package has (pasted from a special font?): retype the text without it"
    installed = [family for family in families_covering(char) if not family.startswith(("Noto Color Emoji", "Last Resort"))]
    if installed:
        family = installed[0]
        package = f" (Debian package {package_for(family)})" if family.startswith("Noto") else ""
        return f"the installed font '{family}'{package} has it: add '{family}' to the font-family lists in {stylesheet}"
    return f"install a font that has it, e.g. with: apt-get install {package_for_char(char)}, and add it to the font-family lists in {stylesheet}"


# --------------------------------------------------------------------------- sizes


def fitted_size(text: str, family: str, sizes: tuple[float, float], box_pt: float = NAME_BOX_PT) -> tuple[str, bool]:
    """The font size (CSS points) at which ``text`` fits one line of the box, and whether it does at all.

    The size shrinks from the largest to the smallest of ``sizes``; a text too long even then is set at
    the smallest size and may wrap (the certificate still has one page).
    """
    largest, smallest = sizes
    width = text_width_em(text, family) * 1.03  # a little room for kerning and rounding
    size = largest if width * largest <= box_pt else box_pt / width
    if size < smallest:
        return f"{smallest:.1f}pt", False
    return f"{int(size * 10) / 10:.1f}pt", True


def citation_size(*texts: str) -> str:
    """The largest type (CSS points) at which the longer citation fits its column's share of the page.

    An estimate from the length (the column is ``CITATION_COLUMN_MM`` wide, ``CITATION_HEIGHT_MM``
    tall, an average letter 0.56 em wide): longer citations get smaller type, down to the
    smallest size; a citation too long even then makes a second page, which rendering refuses.
    """
    import math

    longest = max(len(text) for text in texts)
    largest, smallest = CITATION_SIZES
    size = largest
    while size > smallest:
        per_line = CITATION_COLUMN_MM / (0.56 * size * 25.4 / 72)
        lines = math.ceil(longest / per_line)
        if lines * size * 1.35 * 25.4 / 72 <= CITATION_HEIGHT_MM:
            break
        size -= 0.25
    return f"{max(size, smallest):.2f}pt"


# --------------------------------------------------------------------------- context


def native_lang(honoree: Honoree) -> str:
    """The BCP 47 language of the native-script name: from the country, or Babel's first official language."""
    if honoree.country in NATIVE_LANG:
        return NATIVE_LANG[honoree.country]
    from babel.languages import get_official_languages

    languages = get_official_languages(honoree.country, de_facto=True)
    return languages[0].replace("_", "-") if languages else "und"


def affiliation_lang(honoree: Honoree) -> str:
    """'en' for an affiliation in Latin letters; in another script, the honoree's language, so that a
    Taiwanese university's name is set in Traditional Chinese glyphs, not in the Japanese font's."""
    if all(ord(char) < 0x2E80 for char in honoree.affiliation):
        return "en"
    return native_lang(honoree)


def content_of(honoree: Honoree, institution: Institution) -> Content:
    """The essential content a serial and its verification code certify."""
    return Content(
        honoree_id=honoree.id,
        kind=honoree.title,
        kind_code=TITLE_KINDS[honoree.title][2],
        year=honoree.awarded_on.year,
        name=honoree.display_name,
        native_name=honoree.native_name or "",
        awarded_on=str(honoree.awarded_on),
    )


def certificate_context(
    honoree: Honoree,
    institution: Institution,
    *,
    serial: str,
    code: str,
    url: str,
    qr_svg: str,
    emblem_url: str | None,
) -> dict[str, Any]:
    """Everything one certificate prints, as plain values (``qr_svg`` is trusted SVG markup)."""
    from markupsafe import Markup

    title_en, title_mn, kind_code = TITLE_KINDS[honoree.title]
    wording = WORDING[honoree.title]
    name = honoree.display_name
    name_size, name_one_line = fitted_size(name, NAME_FAMILY, NAME_SIZES)
    native = honoree.native_name or ""
    native_size, native_one_line = fitted_size(native, NAME_FAMILY, NATIVE_SIZES) if native else ("0pt", True)
    date = honoree.awarded_on
    signatories = [
        {"name_mn": p.name_mn or p.name, "name_en": p.name, "title_mn": p.title_mn or p.title, "title_en": p.title} for p in institution.certificate_signatories
    ]
    return {
        "lang": "mn",
        "kind": honoree.title,
        "kind_code": kind_code,
        "document_title": f"{title_en}: {name} ({serial})",
        "metadata": [
            ("author", f"{institution.name} ({institution.short_name})"),
            ("description", f"{title_en} conferred on {name} by {institution.name}, {format_date(date, 'en')}"),
            ("keywords", f"{serial}, {title_en}, {institution.short_name}"),
            ("generator", "irdocs"),
            ("dcterms.created", date.first_day.isoformat()),
            ("dcterms.modified", date.first_day.isoformat()),
            (META_SERIAL, serial),
            (META_CODE, code),
        ],
        "university": {"name_mn": institution.name_mn, "name_en": institution.name, "short_name": institution.short_name},
        "emblem_url": emblem_url,
        "heading_mn": wording["heading_mn"],
        "heading_en": wording["heading_en"],
        "motto": wording["motto"],
        "resolution_mn": COMMON["resolution_mn"],
        "resolution_en": COMMON["resolution_en"],
        "name": {
            "latin": name,
            "latin_size": name_size,
            "latin_one_line": name_one_line,
            "native": native,
            "native_lang": native_lang(honoree) if native else "",
            "native_size": native_size,
            "native_one_line": native_one_line,
        },
        "affiliation": honoree.affiliation,
        "affiliation_lang": affiliation_lang(honoree),
        "country_en": country_name(honoree.country, "en"),
        "country_mn": country_name(honoree.country, "mn"),
        "title_mn": title_mn,
        "title_en": title_en,
        "conferred_mn": COMMON["conferred_mn"],
        "conferred_en": COMMON["conferred_en"],
        "citation_mn": honoree.citation_mn,
        "citation_en": honoree.citation,
        "citation_size": citation_size(honoree.citation, honoree.citation_mn),
        "date_label_mn": COMMON["date_label_mn"],
        "date_label_en": COMMON["date_label_en"] if date.is_full else COMMON["date_label_year_en"],
        "date_mn": format_date(date, "mn"),
        "date_en": format_date(date, "en"),
        "signatories": signatories,
        "seal_mn": COMMON["seal_mn"],
        "seal_en": COMMON["seal_en"],
        "serial": serial,
        "serial_label_mn": COMMON["serial_label_mn"],
        "serial_label_en": COMMON["serial_label_en"],
        "verify_label_mn": COMMON["verify_label_mn"],
        "verify_label_en": COMMON["verify_label_en"],
        "code": code,
        "code_display": display_code(code),  # printed to be typed on the verification page (irdocs/verify.py)
        "code_label_mn": COMMON["code_label_mn"],
        "code_label_en": COMMON["code_label_en"],
        "verify_url": url,
        "qr_svg": Markup(qr_svg),
    }


def template_texts() -> Iterator[TextField]:
    """The fixed wording of the designs (checked too: a font may lack a Mongolian letter)."""
    location = Location(__file__)
    for kind, wording in WORDING.items():
        for key, value in wording.items():
            if value:
                yield TextField(location, "template", kind, key, value)
    for kind, (title_en, title_mn, _) in TITLE_KINDS.items():
        yield TextField(location, "template", kind, "title", f"{title_en} {title_mn}")
    for key, value in COMMON.items():
        yield TextField(location, "template", "common", key, value)
