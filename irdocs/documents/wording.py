"""Counted nouns, lists and the fixed texts of the designs, read from text files under ``templates/``.

The words themselves are data: ``templates/certificates/wording.yaml`` holds what a certificate
says, ``templates/factsheets/texts.yaml`` the fixed texts and counted nouns of the fact sheets, so
the office changes a sentence without a programmer. A file is read with the records' YAML reader
(``load.load_yaml_document``), which keeps the line of every key: a mistake in it is an error
naming ``file:line``, like one in ``clauses.yaml``.

English inflects a noun after a number ("1 organization", "34 organizations"); Mongolian does not
("1 байгууллага", "34 байгууллага").  Which form a number takes comes from Babel's CLDR plural
rules, the numbers from Babel's number formats, the lists ("a, b, and c" / "a, b, c") from
Babel's list patterns: nothing language-specific is hard-coded here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import TemplateError, display_path
from ..localize import country_name, format_number

#: The designs shipped with irdocs (a department may copy and edit them: --templates DIR).
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
#: A language tag as the files write it: en, mn, ja, zh-Hans...
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?$")


class TextFile:
    """One file of texts: sections of ``key: {language: text}``, with the line of every key.

    >>> texts.text("common", "resolution", "mn")   # the text, or a TemplateError naming file:line
    """

    def __init__(self, path: Path):
        from ..records.load import load_yaml_document

        self.path = Path(path)
        self.shown = display_path(self.path)
        document, self._lines, problems = load_yaml_document(self.path)
        if problems:
            first = problems[0]
            raise TemplateError(self.shown, first.message + (f" ({first.expected})" if first.expected else ""), first.location.line)
        if not isinstance(document, dict):
            raise TemplateError(self.shown, "the file is empty or not a set of 'key: value' lines", 1)
        self.document: dict[str, Any] = document

    def line(self, *loc: Any) -> int | None:
        from ..records.load import line_in

        return line_in(self._lines, loc)

    def error(self, message: str, *loc: Any) -> TemplateError:
        return TemplateError(self.shown, message, self.line(*loc))

    def section(self, name: str) -> dict[str, Any]:
        value = self.document.get(name)
        if not isinstance(value, dict):
            raise self.error(f"'{name}:' is missing or not a set of 'key: value' lines", name)
        return value

    def texts(self, *loc: str) -> dict[str, str]:
        """The texts at ``loc`` (e.g. 'common', 'resolution'): {language: text}."""
        value: Any = self.document
        for key in loc:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            raise self.error(f"'{': '.join(loc)}:' is missing", *loc)
        if not isinstance(value, dict):
            raise self.error(f"'{': '.join(loc)}:' must be one text per language, e.g. 'en: ...' and 'mn: ...'", *loc)
        for language, text in value.items():
            if not isinstance(language, str) or not LANGUAGE_RE.match(language):
                raise self.error(f"'{': '.join(loc)}:' has '{language}:', which is not a language (en, mn, ja, ko, zh-Hans, ru...)", *loc, language)
            if not isinstance(text, str):
                raise self.error(f"'{': '.join(loc)}: {language}:' must be a text (put it in quotes if it starts with a sign)", *loc, language)
        return value

    def text(self, *loc: str, language: str) -> str:
        texts = self.texts(*loc)
        if language not in texts:
            raise self.error(f"'{': '.join(loc)}:' has no '{language}:' text", *loc)
        return texts[language]

    def require(self, section: str, keys: Iterable[str], languages: Iterable[str]) -> None:
        """Every key of ``keys`` in ``section``, each with a text in every language: else a TemplateError."""
        for key in keys:
            for language in languages:
                self.text(section, key, language=language)

    def fill(self, template: str, values: dict[str, Any], *loc: str) -> str:
        """``template`` with its {fields} filled in; a field the code does not give is an error naming the line."""
        try:
            return template.format(**values)
        except KeyError as exc:
            known = ", ".join("{" + name + "}" for name in values) or "none"
            raise self.error(f"'{': '.join(loc)}:' uses {{{exc.args[0]}}}, which this text cannot have (it may use: {known})", *loc) from None
        except (IndexError, ValueError):
            raise self.error(f"'{': '.join(loc)}:' has a lone '{{' or '}}' (write a field as {{name}})", *loc) from None


@cache
def _read(path: Path, stamp: tuple[int, int]) -> TextFile:
    return TextFile(path)


def read_texts(path: Path) -> TextFile:
    """The text file at ``path``, read once while it is unchanged (the web app sees an edit at once)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise TemplateError(display_path(path), "the file of texts is missing (copy it from irdocs' own templates folder)") from None
    return _read(path, (stat.st_mtime_ns, stat.st_size))


def all_texts(texts: TextFile) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """Every text of a file: (place, language, text), for font and spelling checks."""

    def walk(value: Any, loc: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str, str]]:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str) and LANGUAGE_RE.match(str(key)):
                    yield loc, str(key), item
                else:
                    yield from walk(item, (*loc, str(key)))
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, loc)

    yield from walk(texts.document, ())


#: What a Mongol-script text may hold: the Mongolian block U+1800-U+18AF (its free variation selectors
#: U+180B-U+180D and U+180F and the vowel separator U+180E are in it), the narrow no-break space before
#: a case ending (U+202F), the joiners ZWNJ and ZWJ, and spaces; line breaks between columns.
MONGOL_SCRIPT_CHARS = frozenset(map(chr, range(0x1800, 0x18B0))) | {"\u202f", "\u200c", "\u200d", " "}


def outside_mongol_script(text: str, columns: bool = True) -> str | None:
    """The first character of ``text`` that is not of the Mongol script, or None: the one check of the
    wording files' ``mn-Mong:`` texts and the honorees' ``name_mong`` (a line break only between columns)."""
    allowed = MONGOL_SCRIPT_CHARS | {"\n"} if columns else MONGOL_SCRIPT_CHARS
    return next((char for char in text if char not in allowed), None)


#: The fact sheets' texts, relative to a templates folder.
SHEET_TEXTS_FILE = "factsheets/texts.yaml"
_SHEET_TEXTS: ContextVar[TextFile | None] = ContextVar("sheet_texts", default=None)


@contextmanager
def using_sheet_texts(templates_dir: Path | None):
    """Word the fact sheets made inside this block with the texts of ``templates_dir`` (default: irdocs' own)."""
    token = _SHEET_TEXTS.set(read_texts(Path(templates_dir or TEMPLATES_DIR) / SHEET_TEXTS_FILE))
    try:
        yield
    finally:
        _SHEET_TEXTS.reset(token)


def sheet_texts(language: str = "en") -> TextFile:
    """The fact sheets' text file in use (irdocs' own outside ``using_sheet_texts``): English and
    Mongolian in ``texts.yaml``, a delegation's language in ``texts.<language>.yaml`` beside it."""
    main = _SHEET_TEXTS.get() or read_texts(TEMPLATES_DIR / SHEET_TEXTS_FILE)
    if language in ("en", "mn"):
        return main
    return read_texts(main.path.with_name(f"texts.{language}.yaml"))


@cache
def _plural_form(language: str):
    from babel import Locale

    return Locale.parse(language.replace("-", "_")).plural_form


def noun(count: int, key: str, language: str) -> str:
    """The word for ``count`` things, alone (a key figure's label): without a {number} its text may hold."""
    return " ".join(_forms(count, key, language).replace("{number}", "").split())


def _forms(count: int, key: str, language: str) -> str:
    """The word for ``count`` things: noun(1, 'country', 'en') -> 'country' (from the sheets' ``nouns:``).

    A language with one form gives the word itself (``mn: улс``); one that inflects gives a word per
    CLDR plural category (``en: {one: country, other: countries}``), 'other' being the default.
    """
    texts = sheet_texts(language)
    forms = (texts.section("nouns").get(key) or {}).get(language)
    if isinstance(forms, str):
        return forms
    word = forms.get(_plural_form(language)(count)) or forms.get("other") if isinstance(forms, dict) else None
    if not isinstance(word, str):
        raise texts.error(f"'nouns: {key}: {language}:' must be a word, or 'one:' and 'other:' words", "nouns", key)
    return word


def counted(count: int, key: str, language: str) -> str:
    """The number and the noun: '34 organizations', '1 organization', '34 байгууллага'.

    A word with ``{number}`` in it places the number itself: 'бусад {number} улс' -> 'бусад 11 улс'.
    """
    word = _forms(count, key, language)
    if "{number}" in word:
        return word.replace("{number}", format_number(count, language))
    joiner = sheet_texts(language).document.get("number_joiner", " ")
    return f"{format_number(count, language)}{joiner}{word}"


def number(count: int | float, language: str) -> str:
    return format_number(count, language)


NO_BREAK_SPACE, NO_BREAK_HYPHEN = "\u00a0", "\u2011"


def tie(text: str) -> str:
    """The text with its last two words joined by a no-break space: a heading or a title never
    leaves one word alone on its last line ('... Medical\u00a0Sciences')."""
    head, space, last = str(text).rstrip().rpartition(" ")
    return f"{head}{NO_BREAK_SPACE}{last}" if space and " " in head.strip() else str(text)


WORD_JOINER = "\u2060"


def _breaks_anywhere(char: str) -> bool:
    """Hangul, kana and CJK ideographs: Word and LibreOffice may break a line between any two of them."""
    code = ord(char)
    return 0x1100 <= code <= 0x11FF or 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


def _joined(text: str) -> str:
    """A word joiner between two letters of a Korean, Japanese or Chinese name ('한국국제교육교류협회'
    has no space, and a line broke inside it)."""
    out = []
    for index, char in enumerate(text):
        if index and (_breaks_anywhere(char) or _breaks_anywhere(text[index - 1])) and not text[index - 1].isspace() and not char.isspace():
            out.append(WORD_JOINER)
        out.append(char)
    return "".join(out)


def unbroken(text: str) -> str:
    """A name that never breaks across lines, for Word: no-break spaces and hyphens ('Д. Бат-Эрдэнэ'),
    word joiners inside a Korean, Japanese or Chinese name. The PDF designs keep names whole with
    CSS (white-space: nowrap) instead."""
    # 'D. Bat-Erdene / Д. Бат-Эрдэнэ': each name whole, a line may still break between the two
    return " / ".join(_joined(part.replace(" ", NO_BREAK_SPACE).replace("-", NO_BREAK_HYPHEN)) for part in str(text).split(" / "))


def join(items: list[str], language: str) -> str:
    """A list in the language's own pattern: 'a, b, and c' / 'a, b, c'."""
    from babel.lists import format_list

    return format_list(list(items), locale=language.replace("-", "_")) if items else ""


def country_in_sentence(code: str, language: str) -> str:
    """The country's name as it stands in a sentence: 'the United States', 'Japan', 'Япон'."""
    name = country_name(code, language)
    return f"the {name}" if language == "en" and code in (sheet_texts().document.get("english_article") or ()) else name


def country_genitive_mn(code: str) -> str:
    """'Япон улсын', 'Америкийн Нэгдсэн Улсын': the country's Mongolian name followed by 'улсын'
    (of the country), which avoids inflecting the name itself."""
    name = country_name(code, "mn")
    return f"{name}ын" if name.endswith(("Улс", "улс")) else f"{name} улсын"
