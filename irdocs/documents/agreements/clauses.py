"""The clause library: the wording of agreement drafts, chosen by kind and filled from the records.

The wording lives in ``templates/agreements/clauses.yaml`` (data, not code: see the comments at the
top of that file). Each text is a small Jinja template rendered in the sandbox with
``StrictUndefined`` and *without* escaping: the result is plain text that docxtpl escapes once when
it puts it into the Word file. Values from the records are only ever passed as values, never as
template source, so a partner called ``{{ 7*7 }}`` stays ``{{ 7*7 }}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ...errors import Problem, TemplateError, display_path
from ...records.model import AGREEMENT_KINDS

LANGUAGES = ("en", "mn")
#: what a clause's ``kinds`` may name: the agreement kinds, and the renewal draft
DOCUMENT_KINDS = (*AGREEMENT_KINDS, "renewal")
CLAUSE_KEYS = ("id", "heading", "kinds", "except", "when", "paragraphs")
PARAGRAPH_KEYS = ("en", "mn", "kinds", "except", "when", "each", "items")
DOCUMENT_KEYS = ("title", "subtitle", "preamble", "signature")
#: the words each kind of document needs, per language (see 'words: documents:' in clauses.yaml)
WORD_FORMS = {"en": ("short",), "mn": ("nom", "acc", "gen", "dat", "kind_gen")}
EACH_RE = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s+in\s+(.+?)\s*$")
#: The spaces and line breaks of a text as written in the YAML file; not the no-break spaces
#: that keep a name whole (str.split() would take those too).
LAYOUT_SPACE_RE = re.compile(r"[ \t\r\n]+")


def one_line(text: str) -> str:
    """Spaces and line breaks as single spaces; no-break spaces stay."""
    return LAYOUT_SPACE_RE.sub(" ", text).strip(" ")


@dataclass(frozen=True)
class Wording:
    """One text in English and Mongolian, with the place it was written (for error messages)."""

    en: str
    mn: str
    where: str  # e.g. "clause 'parties', paragraph 1"
    line: int | None


@dataclass(frozen=True)
class ItemsSpec:
    expression: str | None  # e.g. "activities": a list of texts
    each: tuple[str, str] | None  # ("party", "parties") with ``wording`` for each element
    wording: Wording | None


@dataclass(frozen=True)
class ParagraphSpec:
    wording: Wording
    kinds: tuple[str, ...] | None
    excluded: tuple[str, ...]
    when: str | None
    each: tuple[str, str] | None
    items: ItemsSpec | None


@dataclass(frozen=True)
class ClauseSpec:
    id: str
    heading: Wording
    kinds: tuple[str, ...] | None
    excluded: tuple[str, ...]
    when: str | None
    paragraphs: tuple[ParagraphSpec, ...]
    line: int | None

    def applies_to(self, kind: str) -> bool:
        return _applies(self.kinds, self.excluded, kind)


def _applies(kinds: tuple[str, ...] | None, excluded: tuple[str, ...], kind: str) -> bool:
    if kinds is not None:
        return kind in kinds
    return kind != "renewal" and kind not in excluded


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a draft in every language asked for: kind is heading, text, plain, item or preamble."""

    kind: str
    text: Mapping[str, str]


class ClauseLibrary:
    """The clause library of one templates folder, read and checked once per batch."""

    def __init__(self, path: Path):
        from ...records.load import line_in, load_yaml_document

        self.path = Path(path)
        self.shown = display_path(self.path)
        document, lines, problems = load_yaml_document(self.path)
        if problems:
            raise TemplateError(self.shown, problems[0].message + (f" ({problems[0].expected})" if problems[0].expected else ""), problems[0].location.line)
        if not isinstance(document, dict):
            raise TemplateError(self.shown, "the clause library is empty or not a set of 'key: value' lines", 1)
        self._line = lambda *loc: line_in(lines, loc)
        self._problems: list[Problem] = []
        for key in ("words", "documents", "clauses"):
            if key not in document:
                self._fail(f"'{key}:' is missing", ())
        self.words: dict[str, Any] = document.get("words") or {}
        self._check_words()
        self.documents: dict[str, dict[str, Wording]] = {}
        for name, texts in (document.get("documents") or {}).items():
            self.documents[str(name)] = {
                key: self._wording(texts, key, f"document '{name}', {key}", ("documents", name, key)) for key in DOCUMENT_KEYS if isinstance(texts, dict)
            }
        for name in ("agreement", "renewal"):
            if name not in self.documents:
                self._fail(f"'documents:' has no '{name}:'", ("documents",))
        self.clauses = tuple(self._clause(index, raw) for index, raw in enumerate(document.get("clauses") or []))
        ids = [c.id for c in self.clauses]
        for clause in self.clauses:
            if ids.count(clause.id) > 1:
                self._fail(f"two clauses have the id '{clause.id}'", ("clauses",))
        if self._problems:
            first = self._problems[0]
            raise TemplateError(self.shown, first.message, first.location.line)

    # ----------------------------------------------------------------------- reading

    def _fail(self, message: str, loc: tuple) -> None:
        from ...errors import Location

        self._problems.append(Problem(Location(str(self.path), self._line(*loc) if loc else 1), message))

    def _wording(self, raw: Any, key: str, where: str, loc: tuple) -> Wording:
        value = raw.get(key) if isinstance(raw, dict) else None
        if key != "" and isinstance(value, dict):
            raw, loc = value, loc
        elif key != "":
            self._fail(f"{where}: '{key}:' must have an 'en:' and an 'mn:' text", loc)
            return Wording("", "", where, self._line(*loc))
        if key != "":  # a wording of its own ({en: ..., mn: ...}): nothing else may be in it
            for extra in raw:
                if extra not in LANGUAGES:
                    self._fail(f"{where}: unknown key '{extra}' (only en: and mn:; a text with a comma needs quotes)", loc)
        texts = {}
        for language in LANGUAGES:
            text = raw.get(language)
            if not isinstance(text, str) or not text.strip():
                self._fail(f"{where}: the '{language}:' text is missing", loc)
                text = ""
            texts[language] = text
        return Wording(texts["en"], texts["mn"], where, self._line(*loc))

    def _check_words(self) -> None:
        """The words the code fills in: each kind's document words in both languages, numbers, 'and'."""
        documents = self.words.get("documents") or {}
        for kind in DOCUMENT_KINDS:
            for language, keys in WORD_FORMS.items():
                forms = (documents.get(kind) or {}).get(language)
                if not isinstance(forms, dict) or set(forms) != set(keys):
                    got = ", ".join(forms) if isinstance(forms, dict) else "nothing"
                    self._fail(f"words: documents: {kind}: {language}: needs {', '.join(keys)} (found: {got}; a text with a comma needs quotes)", ("words",))
        for key in ("numbers", "and", "draft_note", "page", "page_of", "signature_name", "signature_title", "signature_date"):
            if not all(language in (self.words.get(key) or {}) for language in LANGUAGES):
                self._fail(f"words: '{key}' needs an 'en:' and an 'mn:' entry", ("words",))

    def _kinds(self, raw: dict, key: str, where: str, loc: tuple) -> tuple[str, ...] | None:
        if key not in raw:
            return None
        value = raw[key]
        if not isinstance(value, list) or not value:
            self._fail(f"{where}: '{key}:' must be a list such as [mou, exchange]", (*loc, key))
            return ()
        for kind in value:
            if kind not in DOCUMENT_KINDS:
                self._fail(f"{where}: '{kind}' is not a kind of agreement (one of: {', '.join(DOCUMENT_KINDS)})", (*loc, key))
        return tuple(str(k) for k in value)

    def _each(self, value: Any, where: str, loc: tuple) -> tuple[str, str] | None:
        match = EACH_RE.match(value) if isinstance(value, str) else None
        if match is None:
            self._fail(f"{where}: 'each:' must read 'name in list', e.g. 'party in parties'", loc)
            return None
        return match.group(1), match.group(2)

    def _check_keys(self, raw: dict, allowed: tuple[str, ...], where: str, loc: tuple) -> None:
        for key in raw:
            if key not in allowed:
                self._fail(f"{where}: unknown key '{key}' (known: {', '.join(allowed)})", (*loc, key))

    def _clause(self, index: int, raw: Any) -> ClauseSpec:
        loc = ("clauses", index)
        if not isinstance(raw, dict):
            self._fail(f"clause {index + 1} is not a set of 'key: value' lines", loc)
            return ClauseSpec(f"#{index + 1}", Wording("", "", "", None), (), (), None, (), None)
        clause_id = str(raw.get("id") or f"#{index + 1}")
        where = f"clause '{clause_id}'"
        self._check_keys(raw, CLAUSE_KEYS, where, loc)
        heading = self._wording(raw, "heading", where + ", heading", (*loc, "heading"))
        paragraphs = []
        for number, para in enumerate(raw.get("paragraphs") or []):
            ploc = (*loc, "paragraphs", number)
            pwhere = f"{where}, paragraph {number + 1}"
            if not isinstance(para, dict):
                self._fail(f"{pwhere}: not a set of 'key: value' lines", ploc)
                continue
            self._check_keys(para, PARAGRAPH_KEYS, pwhere, ploc)
            items = None
            if "items" in para:
                value = para["items"]
                if isinstance(value, str):
                    items = ItemsSpec(value, None, None)
                elif isinstance(value, dict):
                    items = ItemsSpec(
                        None,
                        self._each(value.get("each"), pwhere + ", items", (*ploc, "items")),
                        self._wording(value, "", pwhere + ", items", (*ploc, "items")),
                    )
                else:
                    self._fail(f"{pwhere}: 'items:' must name a list (e.g. activities) or have each:, en: and mn:", (*ploc, "items"))
            paragraphs.append(
                ParagraphSpec(
                    wording=self._wording(para, "", pwhere, ploc),
                    kinds=self._kinds(para, "kinds", pwhere, ploc),
                    excluded=self._kinds(para, "except", pwhere, ploc) or (),
                    when=str(para["when"]) if "when" in para else None,
                    each=self._each(para["each"], pwhere, (*ploc, "each")) if "each" in para else None,
                    items=items,
                )
            )
        if not paragraphs:
            self._fail(f"{where}: no paragraphs", loc)
        return ClauseSpec(
            id=clause_id,
            heading=heading,
            kinds=self._kinds(raw, "kinds", where, loc),
            excluded=self._kinds(raw, "except", where, loc) or (),
            when=str(raw["when"]) if "when" in raw else None,
            paragraphs=tuple(paragraphs),
            line=self._line(*loc),
        )

    # ----------------------------------------------------------------------- rendering

    @cached_property
    def environment(self):
        from jinja2 import StrictUndefined
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        from ..wording import unbroken

        env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
        env.filters["unbroken"] = unbroken  # a person's name kept on one line: {{ party.signer.name | unbroken }}
        return env

    @cached_property
    def _compiled(self) -> dict[tuple[str, str], Any]:
        return {}

    def _error(self, exc: Exception, where: str, language: str, source: str, line: int | None) -> TemplateError:
        from jinja2 import TemplateSyntaxError, UndefinedError

        tags = re.findall(r"\{\{.*?\}\}|\{%.*?%\}", source, flags=re.S)
        message = getattr(exc, "message", None) or str(exc)
        name = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", message)
        tag = ""
        if name:
            word = name.group(1) or name.group(2)
            tag = next((t for t in tags if re.search(rf"\b{re.escape(word)}\b", t)), "")
        elif isinstance(exc, TemplateSyntaxError) and tags:
            tag = tags[-1] if exc.lineno is None else next((t for t in tags if "{%" in t), tags[-1])
        tag = " ".join(tag.split())
        kind = "unknown name" if isinstance(exc, UndefinedError) else ("syntax error" if isinstance(exc, TemplateSyntaxError) else type(exc).__name__)
        at = f" in '{tag}'" if tag else ""
        return TemplateError(self.shown, f"{where} ({language}): {kind}{at}: {message}", line)

    def render_text(self, wording: Wording, language: str, context: Mapping[str, Any]) -> str:
        """One text in one language, filled from ``context``; spaces and line breaks become single spaces."""
        from jinja2 import TemplateError as JinjaTemplateError

        source = getattr(wording, language)
        key = (wording.where, language)
        try:
            template = self._compiled.get(key)
            if template is None:
                template = self._compiled[key] = self.environment.from_string(source)
            text = template.render(context)
        except JinjaTemplateError as exc:
            raise self._error(exc, wording.where, language, source, wording.line) from None
        return one_line(text)

    def evaluate(self, expression: str, context: Mapping[str, Any], where: str, line: int | None) -> Any:
        from jinja2 import TemplateError as JinjaTemplateError

        try:
            return self.environment.compile_expression(expression, undefined_to_none=False)(**context)
        except JinjaTemplateError as exc:
            raise self._error(exc, where, "condition", "{{ " + expression + " }}", line) from None

    def document_text(self, document: str, key: str, contexts: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
        """The title, subtitle, preamble or signature line of a document, in each language."""
        wording = self.documents[document][key]
        return {language: self.render_text(wording, language, context) for language, context in contexts.items()}

    def paragraphs(self, document_kind: str, contexts: Mapping[str, Mapping[str, Any]]) -> list[Paragraph]:
        """The clauses of a document kind as paragraphs, in every language of ``contexts``.

        Conditions are decided on the first language's context (they depend on the records, not on
        the language), so every language gets the same paragraphs in the same order.
        """
        languages = list(contexts)
        first = contexts[languages[0]]
        out: list[Paragraph] = []
        for clause in self.clauses:
            if not clause.applies_to(document_kind):
                continue
            if clause.when and not self.evaluate(clause.when, first, f"clause '{clause.id}', when", clause.line):
                continue
            body: list[Paragraph] = []
            for spec in clause.paragraphs:
                # a paragraph without 'kinds' belongs to every document its clause belongs to
                if (spec.kinds is not None and document_kind not in spec.kinds) or document_kind in spec.excluded:
                    continue
                if spec.when and not self.evaluate(spec.when, first, spec.wording.where + ", when", spec.wording.line):
                    continue
                for bound in self._bindings(spec.each, contexts, spec.wording):
                    body.append(Paragraph("text", {lang: self.render_text(spec.wording, lang, bound[lang]) for lang in languages}))
                    if spec.items is not None:
                        body.extend(self._items(spec.items, bound, spec.wording))
            if not body:
                continue
            texts = sum(1 for p in body if p.kind == "text")
            if texts == 1:  # a clause of one paragraph is not numbered 1.1
                body = [Paragraph("plain", p.text) if p.kind == "text" else p for p in body]
            heading = {lang: self.render_text(clause.heading, lang, contexts[lang]) for lang in languages}
            out.append(Paragraph("heading", heading))
            out.extend(body)
        return out

    def _bindings(self, each: tuple[str, str] | None, contexts: Mapping[str, Mapping[str, Any]], wording: Wording) -> list[dict[str, Mapping[str, Any]]]:
        """The contexts to render a paragraph with: one, or one per element of an 'each' list."""
        if each is None:
            return [dict(contexts)]
        name, expression = each
        lists = {lang: list(self.evaluate(expression, context, wording.where + ", each", wording.line)) for lang, context in contexts.items()}
        count = len(next(iter(lists.values())))
        return [{lang: {**contexts[lang], name: lists[lang][i]} for lang in contexts} for i in range(count)]

    def _items(self, items: ItemsSpec, contexts: Mapping[str, Mapping[str, Any]], wording: Wording) -> list[Paragraph]:
        languages = list(contexts)
        if items.expression is not None:
            lists = {
                lang: [one_line(str(v)) for v in self.evaluate(items.expression, contexts[lang], wording.where + ", items", wording.line)] for lang in languages
            }
            count = len(lists[languages[0]])
            return [Paragraph("item", {lang: lists[lang][i] for lang in languages}) for i in range(count)]
        return [
            Paragraph("item", {lang: self.render_text(items.wording, lang, bound[lang]) for lang in languages})
            for bound in self._bindings(items.each, contexts, items.wording)
        ]
