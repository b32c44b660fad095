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

from ...errors import Location, Problem, TemplateError, display_path
from ...localize import country_name, format_date
from ...records.model import TITLE_KINDS, Honoree, Institution
from ...render.fonts import describe, families_covering, package_for, package_for_char, text_width_em, uncovered
from ..wording import TEMPLATES_DIR, TextFile, all_texts, read_texts
from .register import Content
from .verify import META_CODE, META_SERIAL, display_code

#: The designs: one template per title kind, each extending ``base.html``.
DESIGNS = {kind: f"{kind}.html" for kind in TITLE_KINDS}
BASE_CSS = "certificate.css"

#: What the certificates say, per title kind and in common: a text file the office edits.
WORDING_FILE = "wording.yaml"
#: The folder of the designs shipped with irdocs (``--templates DIR`` names another one's parent).
DESIGNS_DIR = TEMPLATES_DIR / "certificates"
#: The texts each title kind and the common part must have, and in which languages.
TITLE_TEXTS = {key: ("mn", "en") for key in ("heading", "resolution", "title", "conferred")}
COMMON_TEXTS = {key: ("mn", "en") for key in ("date_label", "date_label_year", "serial_label", "code_label", "verify_label", "seal")}


def mongol_texts(institution: Institution) -> dict[str, Any]:
    """The institution's Mongol-script texts (``institution.yaml``'s ``mongol_script:``, checked when the
    records were loaded) as vertical columns, one a line: the university's and the department's name,
    the title names by kind and the standard phrases by name; all empty when the records have none
    (the documents are then printed without the Mongol script, and ``irdocs check`` warns)."""
    script = institution.mongol_script

    def columns(text: str | None) -> list[str]:
        return text.split("\n") if text else []

    if script is None:
        return {"university": [], "department": [], "titles": {}, "phrases": {}}
    return {
        "university": columns(script.name),
        "department": columns(script.department),
        "titles": {kind: columns(text) for kind, text in script.titles.items()},
        "phrases": {name: columns(text) for name, text in script.phrases.items()},
    }


def mongol_warnings(institution: Institution) -> list[str]:
    """``irdocs check``'s warnings on the Mongol script: none written, or written but not yet confirmed."""
    script = institution.mongol_script
    if script is None:
        return [
            f"{institution.location}: institution {institution.id}: mongol_script is missing: certificates, Mongolian drafts "
            "and fact sheets are printed without the Mongol script the Law on the Mongolian Language (art. 7.2) asks for; "
            "add them under mongol_script: in the script itself (docs/records.md, 'The institution in the Mongol script')"
        ]
    if script.review:
        return [f"{institution.location}: institution {institution.id}: mongol_script: {script.review}: have the texts checked, then delete the 'review:' line"]
    return []


def wording(designs_dir: Path = DESIGNS_DIR) -> TextFile:
    """The wording file of a folder of certificate designs, checked: every text the designs print is there.

    A designs folder without one (copied before the wording became a file) uses irdocs' own.
    """
    path = Path(designs_dir) / WORDING_FILE
    texts = read_texts(path if path.exists() else DESIGNS_DIR / WORDING_FILE)
    for kind in TITLE_KINDS:
        for key, languages in TITLE_TEXTS.items():
            for language in languages:
                texts.text("titles", kind, key, language=language)
    for key, languages in COMMON_TEXTS.items():
        for language in languages:
            texts.text("common", key, language=language)
    return texts


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
    for field in ("given_name", "family_name", "native_name", "name_mn", "name_mong", "affiliation", "citation", "citation_mn"):
        value = getattr(honoree, field)
        if value:
            yield TextField(honoree.location, "honoree", honoree.id, field, value)
    yield TextField(honoree.location, "honoree", honoree.id, "country", f"{country_name(honoree.country, 'en')} {country_name(honoree.country, 'mn')}")
    yield TextField(honoree.location, "honoree", honoree.id, "awarded_on", f"{format_date(honoree.awarded_on, 'en')} {format_date(honoree.awarded_on, 'mn')}")


def institution_texts(institution: Institution, mongol: bool = True) -> Iterator[TextField]:
    """Every text of a certificate that comes from the institution; its Mongol-script texts only when
    the design prints the script (``mongol``: see ``prints_mongol``)."""
    for field in ("name", "name_mn", "short_name"):
        yield TextField(institution.location, "institution", institution.id, field, getattr(institution, field))
    for index, person in enumerate(institution.certificate_signatories, 1):
        for field in ("name", "name_mn", "name_mong", "title", "title_mn"):
            value = getattr(person, field)
            if value and (mongol or field != "name_mong"):
                yield TextField(institution.location, "institution", institution.id, f"certificate_signatories {index} {field}", value)
    script = institution.mongol_script
    if script is not None and mongol:
        named = {"name": script.name, "department": script.department, **{f"titles {k}": v for k, v in script.titles.items()}}
        for field, value in {**named, **{f"phrases {k}": v for k, v in script.phrases.items()}}.items():
            if value:
                yield TextField(institution.location, "institution", institution.id, f"mongol_script {field}", value)


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

#: Page sizes the designs may name in ``@page { size: ... }`` (millimetres, portrait).
PAGE_SIZES_MM = {"a4": (210.0, 297.0), "a3": (297.0, 420.0), "a5": (148.0, 210.0), "letter": (215.9, 279.4)}
_UNITS_PT = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "px": 0.75, "pc": 12.0}


@dataclass(frozen=True)
class Sizes:
    """The sizes a design's CSS gives for fitting its texts (points), read from the stylesheets.

    ``certificate.css`` declares them as custom properties (``--name-sizes: 34pt 13pt`` and so on,
    see the comment there); the box of the name is the page's width less its side margins (``@page``),
    the name's font the first family of the ``.name`` rule. A design's own CSS may change any of them.
    """

    name_box: float
    name_family: str
    name: tuple[float, float]
    native: tuple[float, float]
    mongolian: tuple[float, float]
    citation: tuple[float, float]
    citation_box: tuple[float, float]  # width and height (points) of one citation column


def _length_pt(value: str, where: str) -> float:
    match = re.fullmatch(r"(-?[0-9.]+)(pt|mm|cm|in|px|pc)", value.strip())
    if not match:
        raise ValueError(f"{where}: '{value}' is not a length such as 12pt or 30mm")
    return float(match.group(1)) * _UNITS_PT[match.group(2)]


def _declarations(css_path: Path) -> dict[str, dict[str, str]]:
    """selector -> property -> value, for the plain rules and ``@page`` of one stylesheet."""
    import tinycss2

    rules: dict[str, dict[str, str]] = {}
    sheet = tinycss2.parse_stylesheet(Path(css_path).read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True)
    for rule in sheet:
        if rule.type == "qualified-rule":
            selector = tinycss2.serialize(rule.prelude).strip()
        elif rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None:
            selector = "@page"
        else:
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration":
                name = item.name if item.name.startswith("--") else item.lower_name
                for single in (s.strip() for s in selector.split(",")):
                    rules.setdefault(single, {})[name] = tinycss2.serialize(item.value).strip()
    return rules


#: the custom property of certificate.css that gives each of the Sizes
SIZE_FIELDS = {
    "--name-sizes": "name",
    "--native-name-sizes": "native",
    "--mongolian-name-sizes": "mongolian",
    "--citation-sizes": "citation",
    "--citation-box": "citation_box",
}


@cache
def _design_sizes(css_paths: tuple[Path, ...], stamps: tuple[int, ...]) -> Sizes:
    merged: dict[str, dict[str, str]] = {}
    for path in css_paths:
        for selector, values in _declarations(path).items():
            merged.setdefault(selector, {}).update(values)
    shown = display_path(css_paths[0])
    root, page = merged.get(":root", {}), merged.get("@page", {})

    def pair(name: str) -> tuple[float, float]:
        value = root.get(name)
        if value is None and css_paths[0] != DESIGNS_DIR / BASE_CSS:
            # a designs folder from before these sizes were in the CSS: irdocs' own values
            return getattr(design_sizes([DESIGNS_DIR / BASE_CSS]), SIZE_FIELDS[name])
        if value is None:
            raise TemplateError(shown, f"':root' has no '{name}' (two lengths: the largest and the smallest size)")
        parts = value.split()
        try:
            if len(parts) != 2:
                raise ValueError(f"'{name}' must be two lengths, e.g. '{name}: 34pt 13pt'")
            return _length_pt(parts[0], name), _length_pt(parts[1], name)
        except ValueError as exc:
            raise TemplateError(shown, str(exc)) from None

    size = page.get("size", "A4").lower().split()
    width, height = PAGE_SIZES_MM.get(size[0] if size else "a4", PAGE_SIZES_MM["a4"])
    if "landscape" in size:
        width, height = height, width
    margins = page.get("margin", "0").split()
    try:
        left = _length_pt(margins[[0, 1, 1, 3][len(margins) - 1]], "@page margin")
        right = _length_pt(margins[[0, 1, 1, 1][len(margins) - 1]], "@page margin")
    except (ValueError, IndexError) as exc:
        raise TemplateError(shown, f"@page: the margin '{page.get('margin')}' is not understood ({exc})") from None
    family = next((merged[rule]["font-family"] for rule in (".name", "body", "html") if "font-family" in merged.get(rule, {})), None)
    if family is None:  # a design that names no font: irdocs' own name font
        family = "Noto Serif Display" if css_paths[0] == DESIGNS_DIR / BASE_CSS else design_sizes([DESIGNS_DIR / BASE_CSS]).name_family
    families = [f.strip().strip("'\"") for f in family.split(",")]
    return Sizes(
        name_box=width * 72 / 25.4 - left - right,
        name_family=families[0],
        name=pair("--name-sizes"),
        native=pair("--native-name-sizes"),
        mongolian=pair("--mongolian-name-sizes"),
        citation=pair("--citation-sizes"),
        citation_box=pair("--citation-box"),
    )


def design_sizes(css_paths: Iterable[Path]) -> Sizes:
    """The fitting sizes of the design whose stylesheets are ``css_paths`` (read once while unchanged)."""
    paths = tuple(Path(p) for p in css_paths)
    return _design_sizes(paths, tuple(p.stat().st_mtime_ns for p in paths))


def stylesheets(designs_dir: Path, kind: str) -> list[Path]:
    """The stylesheets of a design: the shared one, then the title kind's own."""
    return [Path(designs_dir) / BASE_CSS, Path(designs_dir) / f"{kind}.css"]


def fitted_size(text: str, family: str, sizes: tuple[float, float], box_pt: float) -> tuple[str, bool]:
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


def citation_size(*texts: str, sizes: Sizes) -> str:
    """The largest type (CSS points) at which the longer citation fits its column's share of the page.

    An estimate from the length (one column is ``--citation-box`` wide and tall, an average letter
    0.56 em wide): longer citations get smaller type, down to the smallest of ``--citation-sizes``;
    a citation too long even then makes a second page, which rendering refuses.
    """
    import math

    longest = max(len(text) for text in texts)
    largest, smallest = sizes.citation
    column, height = sizes.citation_box
    size = largest
    while size > smallest:
        per_line = column / (0.56 * size)
        lines = math.ceil(longest / per_line)
        if lines * size * 1.35 <= height:
            break
        size -= 0.25
    return f"{max(size, smallest):.2f}pt"


# --------------------------------------------------------------------------- context


def name_warnings(honorees: Iterable[Honoree]) -> list[str]:
    """A warning for each honoree with no Mongolian name: the certificate's Mongolian sentence then
    has no recipient in Mongolian (``irdocs check`` prints them; they do not stop a build)."""
    return [
        f"{h.location}: honoree {h.id}: name_mn is empty: write the name in Mongolian Cyrillic "
        "(docs/records.md, 'Foreign names in Mongolian'), or the certificate prints it in Latin letters only"
        for h in honorees
        if not h.name_mn
    ]


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
    designs_dir: Path = DESIGNS_DIR,
) -> dict[str, Any]:
    """Everything one certificate prints, as plain values (``qr_svg`` is trusted SVG markup).

    The words come from ``wording.yaml`` in the designs' folder (``templates/certificates/``), the
    sizes the texts are fitted to from the design's stylesheets.
    """
    from markupsafe import Markup

    kind_code = TITLE_KINDS[honoree.title][2]
    texts = wording(designs_dir)

    def say(key: str, language: str) -> str:
        return texts.text("common", key, language=language)

    def title_says(key: str, language: str) -> str:
        if key not in TITLE_TEXTS and key not in texts.section("titles").get(honoree.title, {}):
            return ""  # an optional text (the motto) left out
        return texts.text("titles", honoree.title, key, language=language)

    sizes = design_sizes(stylesheets(designs_dir, honoree.title))
    name = honoree.display_name
    name_size, name_one_line = fitted_size(name, sizes.name_family, sizes.name, sizes.name_box)
    native = honoree.native_name or ""
    native_size, native_one_line = fitted_size(native, sizes.name_family, sizes.native, sizes.name_box) if native else ("0pt", True)
    mongolian = honoree.name_mn or ""
    mongolian_size, mongolian_one_line = fitted_size(mongolian, sizes.name_family, sizes.mongolian, sizes.name_box) if mongolian else ("0pt", True)
    date = honoree.awarded_on
    title_en = title_says("title", "en")
    signatories = [
        {
            "name_mn": p.name_mn or p.name,
            "name_en": p.name,
            "title_mn": p.title_mn or p.title,
            "title_en": p.title,
            "name_mong": [p.name_mong] if p.name_mong else [],
        }
        for p in institution.certificate_signatories
    ]
    mongol = mongol_texts(institution)
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
        "heading_mn": title_says("heading", "mn"),
        "heading_en": title_says("heading", "en"),
        "motto": title_says("motto", "en"),
        "resolution_mn": title_says("resolution", "mn"),
        "resolution_en": title_says("resolution", "en"),
        "name": {
            "latin": name,
            "latin_size": name_size,
            "latin_one_line": name_one_line,
            "native": native,
            "native_lang": native_lang(honoree) if native else "",
            "native_size": native_size,
            "native_one_line": native_one_line,
            "mongolian": honoree.name_mn or "",
            "mongolian_size": mongolian_size,
            "mongolian_one_line": mongolian_one_line,
        },
        "affiliation": honoree.affiliation,
        "affiliation_lang": affiliation_lang(honoree),
        "country_en": country_name(honoree.country, "en"),
        "country_mn": country_name(honoree.country, "mn"),
        "title_mn": title_says("title", "mn"),
        # the Mongol script beside the Cyrillic (Law on the Mongolian Language, art. 7.2): vertical columns
        "mongol": {
            "university": mongol["university"],
            "title": mongol["titles"].get(honoree.title, []),
            "phrases": mongol["phrases"],
            "name": [honoree.name_mong] if honoree.name_mong else [],  # the records' name_mong: one column
        },
        "title_en": title_says("title", "en"),
        "conferred_mn": title_says("conferred", "mn"),
        "conferred_en": title_says("conferred", "en"),
        "citation_mn": honoree.citation_mn,
        "citation_en": honoree.citation,
        "citation_size": citation_size(honoree.citation, honoree.citation_mn, sizes=sizes),
        "date_label_mn": say("date_label" if date.is_full else "date_label_year", "mn"),
        "date_label_en": say("date_label" if date.is_full else "date_label_year", "en"),
        "date_mn": format_date(date, "mn"),
        "date_en": format_date(date, "en"),
        "signatories": signatories,
        "seal_mn": say("seal", "mn"),
        "seal_en": say("seal", "en"),
        "serial": serial,
        "serial_label_mn": say("serial_label", "mn"),
        "serial_label_en": say("serial_label", "en"),
        "verify_label_mn": say("verify_label", "mn"),
        "verify_label_en": say("verify_label", "en"),
        "code": code,
        "code_display": display_code(code),  # printed to be typed on the verification page (irdocs/documents/certificates/verify.py)
        "code_label_mn": say("code_label", "mn"),
        "code_label_en": say("code_label", "en"),
        "verify_url": url,
        "qr_svg": Markup(qr_svg),
    }


def prints_mongol(designs_dir: Path = DESIGNS_DIR) -> bool:
    """Whether the designs print the Mongol script (and need its font): only a design whose CSS styles it
    (an office's own designs made before the script may have no ``.mongol`` rule)."""
    base = Path(designs_dir) / BASE_CSS
    return base.exists() and ".mongol" in _declarations(base)


def template_texts(designs_dir: Path = DESIGNS_DIR) -> Iterator[TextField]:
    """The fixed wording of the designs (checked too: a font may lack a Mongolian letter)."""
    texts = wording(designs_dir)
    mongol = prints_mongol(designs_dir)
    for place, language, value in all_texts(texts):
        if language == "mn-Mong" and not mongol:
            continue
        if value:
            yield TextField(Location(str(texts.path), texts.line(*place)), "template", "/".join(place[:2]), f"{'/'.join(place[2:])} ({language})", value)
