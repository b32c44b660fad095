"""Agreement drafts: the context of one draft, its DOCX, and the document kind ``agreements``.

One draft = one agreement + its partners + the institution, put through the clause library
(``templates/agreements/clauses.yaml``) into a Word template (``agreement.docx``, or
``agreement-parallel.docx`` for English and Mongolian side by side) with docxtpl.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from ... import default_templates
from ...errors import RenderError, UsageError
from ...localize import country_name, format_date, format_number
from ...records.model import AGREEMENT_KINDS, AREAS, STATUSES, Agreement, Partner, Person, Records
from ...records.select import Field, canonical
from ..document import Document, Failure, Settings, plain_writer
from .clauses import ClauseLibrary, Paragraph

LANGUAGE_CHOICES = ("en", "mn", "en+mn")
#: The templates shipped with irdocs (a department may copy and edit them: --templates DIR).
TEMPLATES_DIR = default_templates()
LIBRARY_FILE = Path("agreements") / "clauses.yaml"
SINGLE_TEMPLATE = Path("agreements") / "agreement.docx"
PARALLEL_TEMPLATE = Path("agreements") / "agreement-parallel.docx"
#: Years a renewal runs when the original gives no duration to copy.
DEFAULT_RENEWAL_YEARS = 5


# --------------------------------------------------------------------------- which agreements


def parse_date(text: str, what: str = "--date") -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{what} '{text}' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-27") from None


def default_draft_date(given: str | None = None, today: dt.date | None = None) -> dt.date:
    """The date printed in a draft's header: --date, else SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if given:
        return parse_date(given)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return today or dt.date.today()


def output_name(agreement_id: str, language: str = "en", renewal: bool = False) -> str:
    """<id>.docx, <id>.mn.docx, <id>.en-mn.docx, <id>.renewal.docx, ..."""
    parts = [agreement_id, *(["renewal"] if renewal else []), *([] if language == "en" else [language.replace("+", "-")])]
    return ".".join(parts) + ".docx"


# --------------------------------------------------------------------------- the words of a draft


def _one_line(text: str | None) -> str | None:
    return ", ".join(part.strip() for part in text.splitlines() if part.strip()) if text else None


def party_place(address: str | None, city: str, country: str, language: str) -> str:
    """Where a party is, always naming its country: the address (one line) or the city, then the
    country unless the address already ends with it ('..., Yongin 17035' -> '..., Yongin 17035, South Korea')."""
    from ...records.countries import lookup_country

    place = _one_line(address) or city
    name = country_name(country, language)
    last = place.rsplit(",", 1)[-1].strip()
    last_words = last.split()
    named = lookup_country(last)[0] == country or any(lookup_country(" ".join(last_words[i:]))[0] == country for i in range(len(last_words)))
    if named or name.casefold() in place.casefold():
        return place
    return f"{place}, {name}"


def _person(person: Person | None, language: str) -> dict[str, str] | None:
    if person is None:
        return None
    if language == "mn":
        return {"name": person.name_mn or person.name, "title": person.title_mn or person.title}
    return {"name": person.name, "title": person.title}


@dataclass(frozen=True)
class Party:
    """A party in both languages, and who signs for it."""

    id: str
    names: dict[str, str]
    native_name: str | None
    places: dict[str, str]
    signer: Person | None

    def context(self, language: str) -> dict[str, Any]:
        name = self.names[language]
        native = self.native_name if self.native_name and self.native_name not in self.names.values() else None
        return {"id": self.id, "name": name, "native_name": native, "place": self.places[language], "signer": _person(self.signer, language)}


class Drafter:
    """Makes agreement drafts for one batch: the records, the clause library and the draft date."""

    def __init__(self, records: Records, templates_dir: Path | None = None, draft_date: dt.date | None = None):
        self.records = records
        self.templates_dir = Path(templates_dir or TEMPLATES_DIR)
        self.library = ClauseLibrary(self.templates_dir / LIBRARY_FILE)
        self.draft_date = draft_date or default_draft_date()
        self.words = self.library.words

    # ----------------------------------------------------------------------- parties

    def parties(self, agreement: Agreement, renewal: bool) -> list[Party]:
        institution = self.records.institution
        own_signer = None if renewal else agreement.signatories.get(institution.id)
        us = Party(
            id=institution.id,
            names={"en": institution.name, "mn": institution.name_mn},
            native_name=None,
            places={
                "en": party_place(institution.address, institution.city, institution.country, "en"),
                "mn": party_place(institution.address_mn or institution.address, institution.city, institution.country, "mn"),
            },
            signer=own_signer or institution.agreement_signatory,
        )
        out = [us]
        for partner_id in agreement.partners:
            partner: Partner = self.records.partners_by_id[partner_id]
            # A renewal is signed by today's representative; a draft by whom the agreement names.
            named = agreement.signatories.get(partner_id)
            signer = (partner.representative or named) if renewal else (named or partner.representative)
            places = {
                "en": party_place(partner.address, partner.city, partner.country, "en"),
                # in Mongolian: the Mongolian address, else the Mongolian city, else the English text
                "mn": party_place(partner.address_mn or (None if partner.city_mn else partner.address), partner.city_mn or partner.city, partner.country, "mn"),
            }
            out.append(
                Party(
                    id=partner.id,
                    names={"en": partner.name, "mn": partner.name_mn or partner.name},
                    native_name=partner.native_name,
                    places=places,
                    signer=signer,
                )
            )
        return out

    # ----------------------------------------------------------------------- contexts

    def _join(self, names: list[str], language: str) -> str:
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + f" {self.words['and'][language]} " + names[-1]

    def _number(self, n: int, language: str) -> dict[str, Any]:
        words = self.words["numbers"][language]
        return {"years": n, "n": n, "words": words[n] if 0 <= n < len(words) else format_number(n, language)}

    def _areas(self, agreement: Agreement, language: str) -> str:
        if language == "en":
            return self._join([AREAS[a][0] for a in agreement.areas], "en")
        names = [AREAS[a][1] for a in agreement.areas]
        names[-1] = self.words["areas_genitive"][agreement.areas[-1]]
        return ", ".join(names)

    def _when(self, date, language: str) -> str:
        """'on 12 June 2003' / 'in 1993'; '2003 оны 6-р сарын 12-нд' / '1993 онд'."""
        if date.is_full:
            return f"on {format_date(date, 'en')}" if language == "en" else f"{format_date(date, 'mn')}-нд"
        return f"in {date.year}" if language == "en" else f"{date.year} онд"

    def studied_at(self, agreement: Agreement) -> tuple[str, ...]:
        """The partners where students study the agreement's programmes: the record's studied_at, else
        the partners that are universities (an association or a ministry teaches no one), else all."""
        if agreement.studied_at:
            return agreement.studied_at
        universities = tuple(p for p in agreement.partners if self.records.partners_by_id[p].kind == "university")
        return universities or agreement.partners

    def renewal_terms(self, agreement: Agreement) -> dict[str, Any]:
        """How long the renewal runs, and from when: the day after the original ends, if it has not ended yet."""
        if agreement.status == "draft":
            raise RenderError(
                f"{agreement.location}: agreement {agreement.id} is a draft: there is nothing to renew yet (draft it with: irdocs agreement {agreement.id})"
            )
        if agreement.status == "terminated":
            raise RenderError(f"{agreement.location}: agreement {agreement.id} was terminated: draft a new agreement instead of a renewal")
        # The original's own term, if it has one; an agreement kept by valid_until may have run for
        # decades through earlier renewals, so it is renewed for the usual five years.
        years = agreement.duration_years or DEFAULT_RENEWAL_YEARS
        ends = agreement.expires_on
        starts = new_end = None
        if ends is not None and ends >= self.draft_date:
            starts = ends + dt.timedelta(days=1)
            try:
                new_end = starts.replace(year=starts.year + years) - dt.timedelta(days=1)
            except ValueError:  # 29 February
                new_end = starts.replace(year=starts.year + years, day=28)
        return {"years": years, "starts": starts, "ends": new_end, "original_ends": ends}

    def language_context(self, agreement: Agreement, language: str, output: str, renewal: bool) -> dict[str, Any]:
        """What the clause texts may use, in one language (see the top of clauses.yaml)."""
        document_kind = "renewal" if renewal else agreement.kind
        doc_words = dict(self.words["documents"][document_kind][language])
        if language == "en":
            short = doc_words["short"]
            doc_words.update({"The": f"This {short}", "the": f"this {short}"})
        parties = [p.context(language) for p in self.parties(agreement, renewal)]
        index = 0 if language == "en" else 1
        kind_name = AGREEMENT_KINDS[agreement.kind][index]
        programmes = []
        for programme in agreement.programmes:
            here = there = None
            if programme.scheme:
                first, second = (int(x) for x in programme.scheme.split("+"))
                here, there = self._number(first, language), self._number(second, language)
            programmes.append(
                {
                    "name": (programme.name_mn or programme.name) if language == "mn" else programme.name,
                    "scheme": programme.scheme,
                    "here": here,
                    "there": there,
                    "degree": (programme.degree_mn or programme.degree) if language == "mn" else programme.degree,
                    "starts": programme.starts,
                    "ends": programme.ends,
                    "description": programme.description,
                }
            )
        funding = None
        if agreement.funding is not None:
            from babel import Locale

            code = agreement.funding.currency
            funding = {
                "amount": format_number(Decimal(agreement.funding.amount), language),
                "currency": code,
                "currency_name": Locale.parse(language).currencies.get(code, code),
                "source": agreement.funding.source,
                "terms": agreement.funding.terms,
            }
        ends = agreement.expires_on
        context: dict[str, Any] = {
            "doc": doc_words,
            "binding": agreement.kind != "mou",
            "kind": agreement.kind,
            "kind_name": kind_name,
            "title": (agreement.title_mn or agreement.title) if language == "mn" else agreement.title,
            "us": {**parties[0], "short": self.records.institution.short_name},
            "parties": parties,
            "partners": parties[1:],
            "all_names": self._join([p["name"] for p in parties], language),
            "partner_names": self._join([p["name"] for p in parties[1:]], language),
            "studied_at": self._join([p["name"] for p in parties if p["id"] in self.studied_at(agreement)], language),
            "areas": self._areas(agreement, language),
            "activities": list(agreement.activities_mn if language == "mn" and agreement.activities_mn else agreement.activities),
            "programmes": programmes,
            "funding": funding,
            "duration": self._number(agreement.duration_years, language) if agreement.duration_years else None,
            "ends": format_date(ends, language) if ends else None,
            "copies": self._number(len(parties), language),
            "output": output,
            "original": None,
            "renewal": None,
        }
        if renewal:
            terms = self.renewal_terms(agreement)
            context["original"] = {
                "title": context["title"],
                "kind_name": kind_name,
                "kind_gen": self.words["documents"][agreement.kind]["mn"]["kind_gen"] if language == "mn" else kind_name,
                "signed_when": self._when(agreement.signed_on, language),
                "ends": format_date(terms["original_ends"], language) if terms["original_ends"] else None,
            }
            context["renewal"] = {
                **self._number(terms["years"], language),
                "starts": format_date(terms["starts"], language) if terms["starts"] else None,
                "ends": format_date(terms["ends"], language) if terms["ends"] else None,
            }
            context["binding"] = True
            context["duration"] = None
        return context

    # ----------------------------------------------------------------------- the template's context

    def signatures(self, agreement: Agreement, languages: list[str], renewal: bool) -> list[dict[str, Any]]:
        """One column of the signature table per party: its name, then the signer, or lines to fill in."""
        out = []
        for party in self.parties(agreement, renewal):
            names = list(dict.fromkeys(party.names[lang] for lang in languages))
            lines: list[str] = []
            signer = party.signer
            if signer is not None:
                lines.append(" / ".join(dict.fromkeys((_person(signer, lang) or {})["name"] for lang in languages)))
                lines.append(" / ".join(dict.fromkeys((_person(signer, lang) or {})["title"] for lang in languages)))
            else:
                lines += [self._bilingual("signature_name", languages), self._bilingual("signature_title", languages)]
            lines.append(self._bilingual("signature_date", languages))
            # the signer's name in the Mongol script (name_mong), under the lines: Mongolian drafts only
            name_mong = (getattr(signer, "name_mong", None) or "") if "mn" in languages else ""
            out.append({"heading": names[0], "heading_lines": names[1:], "lines": lines, "name_mong": name_mong})
        return out

    def _bilingual(self, word: str, languages: list[str]) -> str:
        texts = [self.words[word][lang] for lang in languages]
        if len(texts) == 1:
            return texts[0]
        # "Name: ____" / "Нэр: ____" -> "Name / Нэр: ____"
        labels = [t.split(":", 1)[0] for t in texts]
        return " / ".join(labels) + ":" + texts[0].split(":", 1)[1]

    def template_context(self, agreement: Agreement, language: str, renewal: bool = False) -> dict[str, Any]:
        if language not in LANGUAGE_CHOICES:
            raise UsageError(f"--language {language}: choose one of {', '.join(LANGUAGE_CHOICES)}")
        languages = ["en", "mn"] if language == "en+mn" else [language]
        contexts = {lang: self.language_context(agreement, lang, language, renewal) for lang in languages}
        document = "renewal" if renewal else "agreement"
        title = self.library.document_text(document, "title", contexts)
        subtitle = self.library.document_text(document, "subtitle", contexts)
        preamble = self.library.document_text(document, "preamble", contexts)
        signature = self.library.document_text(document, "signature", contexts)
        paragraphs: list[Paragraph] = [Paragraph("preamble", preamble), *self.library.paragraphs("renewal" if renewal else agreement.kind, contexts)]
        first = languages[0]
        from ..certificates.context import mongol_texts

        context: dict[str, Any] = {
            "title": title[first],
            "subtitle": subtitle[first],
            "paragraphs": [{"kind": p.kind, "text": p.text[first], "text_mn": p.text.get("mn", "")} for p in paragraphs],
            "signature_intro": "\n".join(signature[lang] for lang in languages),
            "signatures": (signatures := self.signatures(agreement, languages, renewal)),
            "signature_mong": any(party["name_mong"] for party in signatures),  # the row of the signers' Mongol-script names
            "draft_note": " / ".join(self.words["draft_note"][lang] for lang in languages),
            "draft_date": format_date(self.draft_date, first),
            "page_word": self.words["page"][first],
            "of_word": self.words["page_of"][first],
            # the Mongol script beside the Cyrillic (Law on the Mongolian Language, art. 7.2): Mongolian drafts only
            "mongol": {"university": mongol_texts(self.records.institution)["university"] if "mn" in languages else []},
        }
        if language == "en+mn":
            context["title_mn"] = title["mn"]
            context["subtitle_mn"] = subtitle["mn"]
        return context

    def properties(self, agreement: Agreement, language: str, renewal: bool) -> dict[str, Any]:
        institution = self.records.institution
        title = agreement.title_mn if language == "mn" and agreement.title_mn else agreement.title
        if renewal:
            title = f"Renewal of {title}" if language != "mn" else f"{title}: хугацаа сунгах гэрээ"
        partners = ", ".join(self.records.partners_by_id[p].name for p in agreement.partners)
        return {
            "title": title,
            "subject": f"{AGREEMENT_KINDS[agreement.kind][0]}{' (renewal)' if renewal else ''}: {institution.short_name} and {partners}",
            "author": f"{institution.department}, {institution.name}",
            "keywords": f"{agreement.id}; {agreement.kind}; draft; {language}",
            "comments": f"Draft for negotiation, made by irdocs from the records on {self.draft_date.isoformat()}. Not for signature.",
            "category": "Agreement draft",
            "created": dt.datetime.combine(self.draft_date, dt.time()),
        }

    # ----------------------------------------------------------------------- rendering

    def render(self, agreement: Agreement, language: str = "en", renewal: bool = False) -> bytes:
        """The DOCX bytes of one draft (the same inputs always give the same bytes)."""
        from ...render import render_docx

        template = self.templates_dir / (PARALLEL_TEMPLATE if language == "en+mn" else SINGLE_TEMPLATE)
        if not template.is_file():
            from ...errors import ConfigError

            raise ConfigError(f"the Word template {template} is missing (make it again with: python tools/make_agreement_templates.py)")
        context = self.template_context(agreement, language, renewal)
        return render_docx(template, context, self.properties(agreement, language, renewal), finish=partial(finish_draft, language=language))


def finish_draft(document, language: str = "en") -> None:
    """The last touches docxtpl cannot make: no table left without rows, the Mongol-script heading's
    grid fitted to its columns, even signature columns; a Mongolian draft in Mongolian (its
    hyphenation and spelling follow the language; the template says British English)."""
    drop_empty_tables(document)
    fit_vertical_tables(document)
    even_signature_columns(document)
    fit_signature_names(document)
    keep_last_clause_with_signatures(document)
    if language == "mn":
        mongolian_by_default(document)


def keep_last_clause_with_signatures(document) -> None:
    """Keep the last clause on the page of the signature block (keep with next, lines together), so a
    page never holds the signatures alone: the template's Signature Intro keeps with the signature
    table, and the clause before it (or the last row of the side-by-side text) now keeps with it."""
    from docx.oxml.ns import qn

    body = document.element.body
    intro = next((p for p in body.iterchildren(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}[@{qn('w:val')}='SignatureIntro']") is not None), None)
    if intro is None:
        return
    before = intro.getprevious()
    while before is not None and before.tag == qn("w:p") and not "".join(before.itertext()).strip():
        before = before.getprevious()  # an empty paragraph the template's tags left
    if before is None:
        return
    if before.tag == qn("w:tbl"):  # the side-by-side text: its last row
        rows = before.findall(qn("w:tr"))
        paragraphs = list(rows[-1].iter(qn("w:p"))) if rows else []
    else:
        paragraphs = [before]
    for paragraph in paragraphs:
        properties = paragraph.get_or_add_pPr()
        for name in ("w:keepLines", "w:keepNext"):  # schema order: pStyle, keepNext, keepLines
            if properties.find(qn(name)) is None:
                node = properties.makeelement(qn(name), {})
                style = properties.find(qn("w:pStyle"))
                if style is not None:
                    style.addnext(node)
                else:
                    properties.insert(0, node)


def mongolian_by_default(document) -> None:
    """The document's default language Mongolian (w:docDefaults' w:lang), for Word's and LibreOffice's
    hyphenation and spell checking of a Mongolian draft."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}") if defaults is not None else None
    if lang is not None:
        lang.set(qn("w:val"), "mn-MN")


def fit_vertical_tables(document) -> None:
    """Fit the grid of each table of vertical text (the Word helper's Mongol script, templates/README.md)
    to the columns the document has: the template holds three cells (a {%tc for %} loop's start, its
    cell, its end) of which docxtpl leaves one per column; a floating table's width follows."""
    from docx.oxml.ns import qn

    for table in document.element.body.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        cells = [c for r in rows for c in r.findall(qn("w:tc"))]
        if not cells or not all(c.find(f"{qn('w:tcPr')}/{qn('w:textDirection')}") is not None for c in rows[0].findall(qn("w:tc"))):
            continue  # not a table of vertical text only (the signature table's row of Mongol-script names)
        grid = table.find(qn("w:tblGrid"))
        columns = grid.findall(qn("w:gridCol"))
        cell_width = cells[0].find(f"{qn('w:tcPr')}/{qn('w:tcW')}")  # docxtpl spread the grid over the cells left: the cell knows
        width = cell_width.get(qn("w:w")) if cell_width is not None else columns[0].get(qn("w:w"))
        count = max(len(r.findall(qn("w:tc"))) for r in rows)
        for column in columns:
            grid.remove(column)
        for _ in range(count):
            grid.append(grid.makeelement(qn("w:gridCol"), {qn("w:w"): width}))
        properties = table.find(qn("w:tblPr"))
        table_width = properties.find(qn("w:tblW"))
        if table_width is not None:  # as wide as its columns (placed by the table's alignment, or floating)
            table_width.set(qn("w:w"), str(int(width) * count))
            table_width.set(qn("w:type"), "dxa")


def fit_signature_names(document) -> None:
    """Make the signature table's row of Mongol-script names (the signers' name_mong, Word's vertical
    text) as tall as its longest name, so a name stays one column (a longer one would wrap into a
    second column on its left) and the block stays as short as it can be."""
    from docx.oxml.ns import qn

    from ...render.fonts import text_width_em

    tables = document.element.body.findall(qn("w:tbl"))
    for row in tables[-1].findall(qn("w:tr")) if tables else []:
        cells = [c for c in row.findall(qn("w:tc")) if c.find(f"{qn('w:tcPr')}/{qn('w:textDirection')}") is not None]
        height = row.find(f"{qn('w:trPr')}/{qn('w:trHeight')}")
        if not cells or height is None:
            continue
        longest = 0.0
        for cell in cells:
            size = cell.find(f".//{qn('w:sz')}")
            points = int(size.get(qn("w:val"))) / 2 if size is not None else 11
            longest = max(longest, text_width_em("".join(t.text or "" for t in cell.iter(qn("w:t"))), "Noto Sans Mongolian") * points)
        height.set(qn("w:val"), str(round((longest + 6) * 20)))  # twentieths of a point, 6 points to spare


def drop_empty_tables(document) -> None:
    """Remove the tables whose rows the template left out (the Mongol-script heading of an English
    draft): a table with no row is not valid in a Word file, and Word may call the file damaged."""
    from docx.oxml.ns import qn

    body = document.element.body
    for table in body.findall(qn("w:tbl")):
        if table.find(qn("w:tr")) is None:
            body.remove(table)


def even_signature_columns(document) -> None:
    """Give every column of the signature table (the last table) the same width, however many parties sign."""
    from docx.oxml.ns import qn

    tables = document.element.body.findall(qn("w:tbl"))
    if not tables:
        return
    table = tables[-1]
    grid = table.find(qn("w:tblGrid"))
    columns = grid.findall(qn("w:gridCol"))
    total = sum(int(c.get(qn("w:w"), "0")) for c in columns)
    rows = table.findall(qn("w:tr"))
    count = max(len(r.findall(qn("w:tc"))) for r in rows) if rows else len(columns)
    if not count or not total:
        return
    for column in columns:
        grid.remove(column)
    width = total // count
    for _ in range(count):
        column = grid.makeelement(qn("w:gridCol"), {qn("w:w"): str(width)})
        grid.append(column)
    for row in rows:
        for cell in row.findall(qn("w:tc")):
            properties = cell.find(qn("w:tcPr"))
            if properties is None:
                continue
            cell_width = properties.find(qn("w:tcW"))
            if cell_width is not None:
                cell_width.set(qn("w:w"), str(width))
                cell_width.set(qn("w:type"), "dxa")


# --------------------------------------------------------------------------- the document kind


def _country_aliases(code: str) -> tuple[str, ...]:
    return (country_name(code, "en"),)


FIELDS = {
    "id": Field("the agreement's id", lambda r: canonical(a.id for a in r.agreements), "agreement"),
    "partner": Field("a partner's id", lambda r: canonical(p.id for p in r.partners), "partner"),
    "kind": Field("the kind of agreement", lambda r: canonical(AGREEMENT_KINDS, lambda k: (AGREEMENT_KINDS[k][0],)), "kind of agreement"),
    "status": Field("the status: draft, active, expired...", lambda r: canonical(STATUSES), "status"),
    "country": Field("a partner's country: JP, Japan", lambda r: canonical({p.country for p in r.partners}, _country_aliases), "partner in the country"),
}


class AgreementKind:
    """Word drafts of agreements (or of their renewals), in English, Mongolian or both."""

    name = "agreements"
    noun = "agreement drafts"
    fields = FIELDS

    def variants(self, settings: Settings) -> set[str]:
        return {self.variant(settings)}

    @staticmethod
    def variant(settings: Settings) -> str:
        language = _language(settings)
        return ".".join([*(["renewal"] if settings.renewal else []), *([] if language == "en" else [language])])

    def plan(self, records: Records, settings: Settings, select: Callable[[dict], bool]) -> list[Document | Failure]:
        """One draft per selected agreement, in the settings' language (English by default)."""
        language = _language(settings)
        draft_date = settings.date or default_draft_date()
        template = PARALLEL_TEMPLATE if language == "en+mn" else SINGLE_TEMPLATE
        templates = (str(template), str(LIBRARY_FILE))
        institution = records.institution.model_dump(mode="json")
        variant = self.variant(settings)
        documents: list[Document | Failure] = []
        for agreement in records.agreements:
            partners = [records.partners_by_id[p] for p in agreement.partners]
            tags = {
                "id": agreement.id,
                "kind": agreement.kind,
                "status": agreement.status,
                "partner": tuple(agreement.partners),
                "country": tuple(p.country for p in partners),
            }
            if not select(tags):
                continue
            context = {
                "agreement": agreement.model_dump(mode="json"),
                "partners": [p.model_dump(mode="json") for p in partners],
                "institution": institution,
                "language": language,
                "draft_date": draft_date.isoformat(),
                **({"renewal": True} if settings.renewal else {}),
            }
            name = f"agreements/{output_name(agreement.id, language, settings.renewal)}"
            documents.append(
                Document(
                    "agreements", name, f"agreement {agreement.id}", context, templates, (), agreement.location, tags=tags, variant=variant, payload=agreement
                )
            )
        return documents

    def worker_records(self, records: Records) -> Records:
        """What a build worker needs of the records: the institution and the partners (each document
        brings its agreement)."""
        import dataclasses

        return dataclasses.replace(records, agreements=(), honorees=())

    def render(self, document: Document, workspace) -> bytes:
        """One draft's DOCX bytes, from a Drafter the worker keeps for the whole build."""
        context = document.context
        key = ("agreements", context["draft_date"])
        drafter = workspace.cache.get(key)
        if drafter is None:
            drafter = workspace.cache[key] = Drafter(workspace.records, workspace.templates_dir, dt.date.fromisoformat(context["draft_date"]))
        return drafter.render(document.payload, context["language"], context.get("renewal", False))

    def writer(self, records: Records, settings: Settings):
        return plain_writer()


def _language(settings: Settings) -> str:
    return settings.language if settings.language in LANGUAGE_CHOICES else "en"


KIND = AgreementKind()
