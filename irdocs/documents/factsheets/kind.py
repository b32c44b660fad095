"""Fact sheets as documents: which sheets there are, and each one's PDF and DOCX bytes.

The document kind ``factsheets``: two documents per sheet, the PDF and the DOCX, built from the
same context. A ``FactsheetBatch`` holds what a build worker's sheets share (one Jinja environment,
one WeasyPrint renderer with its fonts, images and parsed CSS, the charts drawn so far, the emblem).

Files (under the output folder, ``out/`` by default; Mongolian sheets in ``factsheets/mn/``)::

    factsheets/department.pdf|.docx
    factsheets/countries/<code>.pdf|.docx      one per partner country, code in lower case: jp.pdf
    factsheets/partners/<id>.pdf|.docx         one per partner organization, by its id
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ... import default_templates
from ...errors import ConfigError, RenderError, UsageError
from ...localize import LANGUAGES, SHEET_LANGUAGES
from ...records import stats
from ...records.model import Records
from ...records.select import Field, canonical
from ...render import DocxImage, PdfRenderer, docx_jinja_environment, jinja_environment, render_docx, render_template
from ..document import Document, Failure, Settings, plain_writer
from ..wording import SHEET_TEXTS_FILE
from .charts import ChartCache
from .context import Emblem, country_context, department_context, partner_context

#: The templates shipped with irdocs (HTML + CSS for the PDF, Word files for the DOCX).
TEMPLATES_DIR = default_templates()
#: Font families of factsheet.css, in order: every character a sheet shows must be in one of them.
FONT_FAMILIES = ("Noto Sans", "Noto Serif", "Noto Sans CJK JP", "Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans Mongolian")
#: Width of the emblem's picture in the DOCX header, and the pixels it is drawn with.
EMBLEM_WIDTH_MM = 19
EMBLEM_PIXELS = 400
KINDS = ("department", "country", "partner")


@dataclass(frozen=True)
class Sheet:
    """One fact sheet: the department, a country (its ISO code) or a partner (its id)."""

    kind: str
    key: str = ""

    @property
    def stem(self) -> str:
        """The file name without extension, relative to the fact sheets folder."""
        if self.kind == "department":
            return "department"
        if self.kind == "country":
            return f"countries/{self.key.lower()}"
        return f"partners/{self.key}"


def sheet_path(out_dir: Path, sheet: Sheet, language: str, extension: str) -> Path:
    """Where a sheet's file goes: OUT/factsheets[/LANGUAGE]/<stem>.<pdf|docx> (English at the top)."""
    base = Path(out_dir) / "factsheets"
    if language != "en":
        base = base / language
    return base / f"{sheet.stem}.{extension}"


def all_sheets(records: Records) -> list[Sheet]:
    """The department, every partner country, every partner organization (a signed agreement at least)."""
    return [
        Sheet("department"),
        *(Sheet("country", code) for code in stats.partner_countries(records)),
        *(Sheet("partner", pid) for pid in stats.partner_organizations(records)),
    ]


def find_sheet(records: Records, kind: str, key: str = "") -> Sheet:
    """The sheet a person asked for, or a UsageError saying what exists."""
    if kind == "department":
        return Sheet("department")
    if kind == "country":
        code = key.strip().upper()
        countries = stats.partner_countries(records)
        if code not in countries:
            raise UsageError(f"no partner organization in country '{key}'; partner countries: {', '.join(countries)}")
        return Sheet("country", code)
    if kind == "partner":
        if key not in records.partners_by_id:
            close = [p.id for p in records.partners if key and key.lower() in p.id][:5]
            hint = f" (did you mean {', '.join(close)}?)" if close else "; the ids are in partners.yaml"
            raise UsageError(f"no partner with the id '{key}'{hint}")
        return Sheet("partner", key)
    raise UsageError(f"unknown fact sheet kind '{kind}' (one of: {', '.join(KINDS)})")


def load_emblem(records: Records) -> Emblem:
    """The institution's logo as a file URL for the PDF and a PNG for the DOCX (SVG is drawn with CairoSVG)."""
    logo = records.institution.logo
    if not logo:
        return Emblem("", None)
    path = (Path(records.root) / logo).resolve()
    try:
        data = path.read_bytes()
    except OSError:
        raise RenderError(f"{records.institution.location}: logo: the file '{logo}' is not in the records folder") from None
    if path.suffix.lower() == ".svg":
        try:
            import cairosvg
        except OSError as exc:  # cairocffi cannot find the Cairo library
            raise ConfigError(f"cannot draw the SVG emblem for Word documents ({exc}); install Cairo: apt-get install libcairo2") from None
        png = cairosvg.svg2png(bytestring=data, output_width=EMBLEM_PIXELS, output_height=EMBLEM_PIXELS, unsafe=False)
    else:
        png = data
    return Emblem(path.as_uri(), DocxImage(png, EMBLEM_WIDTH_MM))


class FactsheetBatch:
    """Everything a batch of fact sheets shares; make it once, build many sheets, then ``close()``."""

    def __init__(self, records: Records, language: str = "en", as_of: dt.date | None = None, templates_dir: Path = TEMPLATES_DIR, renderer=None):
        if language not in SHEET_LANGUAGES:
            raise UsageError(f"unknown language '{language}' (one of: {', '.join(SHEET_LANGUAGES)})")
        self.records = records
        self.language = language
        self.as_of = as_of or records.today
        self.templates_dir = Path(templates_dir)
        self.folder = self.templates_dir / "factsheets"
        self.env = jinja_environment(self.templates_dir)
        self.docx_env = docx_jinja_environment()
        self.pdf = renderer or PdfRenderer(self.templates_dir, Path(records.root))
        self.charts = ChartCache()
        self.emblem = load_emblem(records)
        self._contexts: dict[Sheet, dict] = {}
        self._covered: frozenset[int] | None = None

    # ---- context

    def context(self, sheet: Sheet) -> dict:
        """The sheet's context (made once: its PDF and its DOCX share it)."""
        if sheet not in self._contexts:
            args = (self.records, self.language, self.as_of, self.charts, self.emblem)
            if sheet.kind == "department":
                context = department_context(*args, templates_dir=self.templates_dir)
            elif sheet.kind == "country":
                context = country_context(self.records, sheet.key, *args[1:], templates_dir=self.templates_dir)
            else:
                context = partner_context(self.records, sheet.key, *args[1:], templates_dir=self.templates_dir)
            self._check_fonts(sheet, context)
            self._contexts = {sheet: context}  # keep only the last one: a sheet's two jobs run one after the other
        return self._contexts[sheet]

    def _check_fonts(self, sheet: Sheet, context: dict) -> None:
        """A character no font can draw is an error before rendering, never a box on paper."""
        from ...render.fonts import coverage, describe

        if self._covered is None:
            self._covered = coverage(FONT_FAMILIES)
        for text in _texts(context):
            missing = [c for c in text if not c.isspace() and ord(c) not in self._covered]
            if missing:
                raise RenderError(
                    f"fact sheet {sheet.stem}: no installed font can draw {describe(missing[0])} in '{text[:60]}'; "
                    f"install a font for it (the sheets use {', '.join(FONT_FAMILIES)}: apt-get install fonts-noto-core fonts-noto-cjk)"
                )

    # ---- documents

    def pdf_bytes(self, sheet: Sheet) -> bytes:
        context = self.context(sheet)
        html = render_template(self.env, f"factsheets/{sheet.kind}.html", context)
        before, refused = len(self.pdf.warnings.messages), len(self.pdf.fetcher.refused)
        document = self.pdf.render_document(html, base_dir=self.folder, stylesheets=[self.folder / "factsheet.css"])
        data = self.pdf.write_pdf(document, identifier=f"irdocs factsheet {self.language} {sheet.kind} {sheet.key}")
        warnings = self.pdf.warnings.messages[before:]
        if warnings:
            warnings += self.pdf.fetcher.refused[refused:]  # usually the reason of the warning
            raise RenderError(f"fact sheet {sheet.stem}: WeasyPrint warned: {'; '.join(dict.fromkeys(warnings))}")
        return data

    def docx_bytes(self, sheet: Sheet) -> bytes:
        context = self.context(sheet)
        properties = {
            "title": context["document_title"],
            "subject": context["header"]["sheet"],
            "author": context["header"]["university"],
            "keywords": f"fact sheet, {sheet.kind}, {self.language}",
            "created": dt.datetime.combine(self.as_of, dt.time()),
        }
        from ..agreements.kind import fit_vertical_tables  # the Word helper's vertical text (the Mongol-script masthead)

        return render_docx(self.folder / f"{sheet.kind}.docx", context, properties, env=self.docx_env, finish=fit_vertical_tables)

    def close(self) -> None:
        self.pdf.close()


def _texts(value) -> Iterable[str]:
    """Every text a context shows (not the chart and image data)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("src", "image", "emblem", "emblem_url", "website"):
                yield from _texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


# --------------------------------------------------------------------------- irdocs build


def _inputs(records: Records, sheet: Sheet, as_of: dt.date) -> dict:
    """What a sheet is made from, as plain data: its fingerprint changes exactly when what it shows can.

    The department sheet shows the department's figures (not each honoree), so a changed citation
    leaves it alone; a country sheet shows that country's figures and partners; a partner sheet its
    agreements and the names of its honorees.
    """
    from dataclasses import asdict

    if sheet.kind == "department":
        shown: dict = {
            "figures": stats.overview(records).as_json(),
            "highlights": [
                a.model_dump(mode="json", include={"id", "kind", "signed_on", "highlight", "highlight_mn", "partners"}) for a in stats.highlights(records)
            ],
            "partners": sorted({(p.id, p.name, p.country) for p in records.partners}),
        }
    elif sheet.kind == "country":
        figures = stats.country_figures(records, sheet.key, as_of)
        partners = [p for p in records.partners if p.country == sheet.key]
        ids = {p.id for p in partners}
        shown = {
            "figures": asdict(figures),
            "partners": [p.model_dump(mode="json") for p in partners],
            "agreements": [a.model_dump(mode="json") for a in records.agreements if ids & set(a.partners)],
        }
    else:
        figures = stats.partner_figures(records, sheet.key, as_of)
        agreements = records.agreements_of(sheet.key)
        others = {pid for a in agreements for pid in a.partners}
        shown = {
            "figures": asdict(figures),
            "partners": [records.partners_by_id[pid].model_dump(mode="json") for pid in sorted(others | {sheet.key})],
            "agreements": [a.model_dump(mode="json") for a in agreements],
            "honorees": [
                h.model_dump(mode="json", include={"id", "title", "family_name", "given_name", "native_name", "name_mn", "country", "awarded_on"})
                for h in records.honorees_of(sheet.key)
            ],
        }
    return {"sheet": [sheet.kind, sheet.key], "as_of": as_of.isoformat(), "institution": records.institution.model_dump(mode="json"), "shown": shown}


def _country_aliases(code: str) -> tuple[str, ...]:
    from ...localize import country_name

    return (country_name(code, "en"),)


FIELDS = {
    "sheet": Field("department, country or partner", lambda r: canonical(KINDS), "kind of fact sheet"),
    "country": Field("a partner country: JP, Japan", lambda r: canonical(stats.partner_countries(r), _country_aliases), "partner country"),
    "partner": Field("a partner organization's id", lambda r: canonical(stats.partner_organizations(r)), "partner organization (with a signed agreement)"),
}


class FactsheetKind:
    """Fact sheets of the department, each partner country and each partner organization: PDF and DOCX."""

    name = "factsheets"
    noun = "fact sheets"
    fields = FIELDS

    def variants(self, settings: Settings) -> set[str]:
        return {"" if language == "en" else language for language in _languages(settings)}

    def plan(self, records: Records, settings: Settings, select: Callable[[dict], bool]) -> list[Document | Failure]:
        """Two documents (PDF, DOCX) per selected sheet: the department, each partner country, each
        partner, in the settings' language, or else (irdocs build) in English and in Mongolian."""
        as_of = settings.date or records.today
        files = (records.institution.logo,) if records.institution.logo else ()
        documents: list[Document | Failure] = []
        inputs: dict[Sheet, dict] = {}  # what a sheet shows is the same in every language: worked out once
        for language in _languages(settings):
            prefix = "factsheets/" + ("" if language == "en" else f"{language}/")
            variant = "" if language == "en" else language
            for sheet in all_sheets(records):
                if sheet.kind == "department" and language not in LANGUAGES:
                    continue  # the department's sheet is in English and Mongolian only
                partner = records.partners_by_id.get(sheet.key) if sheet.kind == "partner" else None
                tags = {
                    "sheet": sheet.kind,
                    "country": sheet.key if sheet.kind == "country" else (partner.country if partner else ""),
                    "partner": sheet.key if sheet.kind == "partner" else "",
                }
                if not select(tags):
                    continue
                if sheet not in inputs:
                    inputs[sheet] = _inputs(records, sheet, as_of)
                context = {**inputs[sheet], "language": language}
                for extension, templates in (
                    ("pdf", (f"factsheets/{sheet.kind}.html", "factsheets/factsheet.css", *_texts_files(language))),
                    ("docx", (f"factsheets/{sheet.kind}.docx", *_texts_files(language))),
                ):
                    name = f"{prefix}{sheet.stem}.{extension}"
                    documents.append(
                        Document("factsheets", name, f"fact sheet {sheet.stem}", context, templates, files, tags=tags, variant=variant, payload=sheet)
                    )
        return documents

    def worker_records(self, records: Records) -> Records:
        return records

    def render(self, document: Document, workspace) -> bytes:
        """A sheet's PDF or DOCX, from a FactsheetBatch the worker keeps (charts drawn once per worker)."""
        language, as_of = document.context["language"], document.context["as_of"]
        key = ("factsheets", language, as_of)
        batch = workspace.cache.get(key)
        if batch is None:
            batch = workspace.cache[key] = FactsheetBatch(
                workspace.records, language, dt.date.fromisoformat(as_of), workspace.templates_dir, renderer=workspace.pdf
            )
        return batch.pdf_bytes(document.payload) if document.name.endswith(".pdf") else batch.docx_bytes(document.payload)

    def writer(self, records: Records, settings: Settings):
        return plain_writer()


def _texts_files(language: str) -> tuple[str, ...]:
    return (SHEET_TEXTS_FILE,) if language in LANGUAGES else (SHEET_TEXTS_FILE, SHEET_TEXTS_FILE.replace("texts.yaml", f"texts.{language}.yaml"))


def _languages(settings: Settings) -> tuple[str, ...]:
    """The language the settings name (a command, a web job: en, mn, or a delegation's ja, ko,
    zh-Hans, zh-Hant, ru), or else English and Mongolian (irdocs build), and the delegation
    languages of ``settings.languages`` for the country and partner sheets."""
    if settings.language in SHEET_LANGUAGES:
        return (settings.language,)
    return (*LANGUAGES, *(language for language in settings.languages if language in SHEET_LANGUAGES and language not in LANGUAGES))


KIND = FactsheetKind()
