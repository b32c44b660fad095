"""Honorary title certificates: select honorees, check fonts, issue serials, render, write.

One ``CertificateBatch`` makes any number of certificates with one ``PdfRenderer`` (one font
configuration, image cache and parsed stylesheets: the expensive part of WeasyPrint), one register
connection and one key.  For each certificate, in this order:

1. every text is checked against the design's fonts (no serial is issued for a certificate that
   cannot be printed);
2. the register gives its serial (the same one again for a reprint) and verification code;
3. the template is rendered to exactly one A4 landscape page (PDF/A-3u);
4. the file is written to ``out/certificates/<serial>.pdf`` and its SHA-256 kept in the register.

The bytes depend only on the records, the serial and the key: the award date, never the clock,
is the document's date.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .build import BuildResult, Failure
from .certificate_context import (
    BASE_CSS,
    CITATION_SIZES,
    DESIGNS,
    certificate_context,
    citation_size,
    content_of,
    design_families,
    font_problems,
    honoree_texts,
    institution_texts,
    template_texts,
)
from .errors import IrdocsError, RecordsError, RenderError, UsageError, display_path
from .model import TITLE_KINDS, Honoree, Records
from .register import Entry, Register, register_path
from .reporter import Reporter
from .verify import load_key, make_code, verification_url
from .write import atomic_write

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates" / "certificates"
WHERE_KEYS = ("title", "year", "country", "ceremony")


# --------------------------------------------------------------------------- selection


def parse_where(conditions: Iterable[str]) -> dict[str, set[str]]:
    """``['title=honorary-doctorate', 'year=2024']`` -> {key: allowed values}; a key given twice means either value."""
    wanted: dict[str, set[str]] = {}
    for condition in conditions:
        key, sep, value = condition.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not value:
            raise UsageError(f"--where '{condition}': write KEY=VALUE, e.g. --where title=honorary-doctorate")
        if key not in WHERE_KEYS:
            raise UsageError(f"--where '{condition}': unknown key '{key}' (one of: {', '.join(WHERE_KEYS)})")
        if key == "title" and value not in TITLE_KINDS:
            codes = {code.lower(): kind for kind, (_, _, code) in TITLE_KINDS.items()}
            if value.lower() not in codes:
                raise UsageError(f"--where '{condition}': unknown title (one of: {', '.join(TITLE_KINDS)})")
            value = codes[value.lower()]
        if key == "country":
            value = value.upper()
        wanted.setdefault(key, set()).add(value)
    return wanted


def _matches(honoree: Honoree, wanted: dict[str, set[str]]) -> bool:
    values = {"title": honoree.title, "year": str(honoree.awarded_on.year), "country": honoree.country, "ceremony": honoree.ceremony or ""}
    return all(values[key] in allowed for key, allowed in wanted.items())


def select_honorees(records: Records, ids: Sequence[str] = (), where: Iterable[str] = (), ceremony: str | None = None, everyone: bool = False) -> list[Honoree]:
    """The honorees to print: the ids in the order given, else every match in the records' order."""
    wanted = parse_where(where)
    if ceremony:
        wanted.setdefault("ceremony", set()).add(ceremony)
    if ids:
        unknown = [i for i in ids if i not in records.honorees_by_id]
        if unknown:
            raise UsageError(f"no honoree with the id {', '.join(repr(i) for i in unknown)} in {display_path(records.root)}/honorees.csv")
        chosen = [records.honorees_by_id[i] for i in dict.fromkeys(ids)]
        outside = [h.id for h in chosen if not _matches(h, wanted)]
        if outside:
            what = f"ceremony {ceremony}" if ceremony and set(wanted) == {"ceremony"} else "the --where conditions"
            raise UsageError(f"{', '.join(outside)}: not in {what}")
        return chosen
    if not wanted and not everyone:
        raise UsageError("name the certificates to make: honoree ids, --where KEY=VALUE, --ceremony NAME or --all")
    chosen = [h for h in records.honorees if _matches(h, wanted)]
    if not chosen:
        shown = " and ".join(f"{key}={'|'.join(sorted(values))}" for key, values in wanted.items())
        raise UsageError(f"no honoree matches {shown}")
    return chosen


def ceremony_file_name(ceremony: str) -> str:
    """'ceremony-2026-10' -> 'ceremony-2026-10.pdf'; '2026-autumn' -> 'ceremony-2026-autumn.pdf'."""
    return f"ceremony-{ceremony.removeprefix('ceremony-')}.pdf"


# --------------------------------------------------------------------------- the batch


@dataclass
class Issued:
    honoree: Honoree
    entry: Entry
    path: Path
    new_serial: bool
    document: object = field(default=None, repr=False)  # the laid-out WeasyPrint document, when kept


class CertificateBatch:
    """Makes certificates for one records folder, sharing everything that can be shared."""

    def __init__(self, records: Records, out_dir: Path, now: str, templates_dir: Path = TEMPLATES_DIR, key: bytes | None = None):
        from .render import PdfRenderer, jinja_environment

        self.records = records
        self.institution = records.institution
        self.out_dir = Path(out_dir) / "certificates"
        self.now = now
        self.templates_dir = Path(templates_dir)
        self.key = key if key is not None else load_key(records.root)
        self.make_code = functools.partial(make_code, self.key)
        self.register = Register(register_path(records.root))
        self.env = jinja_environment(self.templates_dir)
        self.renderer = PdfRenderer(self.templates_dir, records.root)
        logo = self.institution.logo
        self.emblem_url = (Path(records.root) / logo).resolve().as_uri() if logo and (Path(records.root) / logo).is_file() else None
        self._institution_checked = False

    def close(self) -> None:
        self.renderer.close()
        self.register.close()

    def __enter__(self) -> CertificateBatch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- steps

    def stylesheets(self, kind: str) -> list[Path]:
        return [self.templates_dir / BASE_CSS, self.templates_dir / f"{kind}.css"]

    def families(self, kind: str) -> tuple[str, ...]:
        found: list[str] = []
        for sheet in self.stylesheets(kind):
            found += [f for f in design_families(sheet) if f not in found]
        return tuple(found)

    def check_fonts(self, honoree: Honoree) -> None:
        """Raise RecordsError (nothing issued, nothing rendered) if a character has no glyph."""
        shown = display_path(self.templates_dir / BASE_CSS)
        texts = list(honoree_texts(honoree))
        if not self._institution_checked:
            texts = [*institution_texts(self.institution), *template_texts(), *texts]
        problems = font_problems(texts, self.families(honoree.title), shown)
        if problems:
            raise RecordsError(problems)
        self._institution_checked = True

    def issue(self, honoree: Honoree) -> tuple[Entry, bool]:
        return self.register.issue(self.institution.serial_prefix, content_of(honoree, self.institution), self.make_code, self.now)

    def html(self, honoree: Honoree, entry: Entry, citation_size: str | None = None) -> str:
        import segno

        from .render import render_template

        url = verification_url(self.institution.verification_url, entry.serial, entry.code)
        qr = segno.make(url, error="m", micro=False)
        svg = qr.svg_inline(scale=1, border=0, omitsize=True, dark="#000000")
        context = certificate_context(honoree, self.institution, serial=entry.serial, code=entry.code, url=url, qr_svg=svg, emblem_url=self.emblem_url)
        if citation_size:
            context["citation_size"] = citation_size
        return render_template(self.env, DESIGNS[honoree.title], context)

    def render(self, honoree: Honoree, entry: Entry):
        """The laid-out document of one certificate, on exactly one page.

        The citation's type size comes from an estimate; when the page still overflows, the
        citation is set smaller (down to the smallest size) and laid out again. Past that, the
        certificate is an error naming the record.
        """
        size: str | None = None
        while True:
            document = self.renderer.render_document(self.html(honoree, entry, size), self.templates_dir, self.stylesheets(honoree.title))
            if len(document.pages) == 1:
                return document
            current = float((size or citation_size(honoree.citation, honoree.citation_mn))[:-2])
            if current <= CITATION_SIZES[1]:
                break
            size = f"{max(CITATION_SIZES[1], current - 0.5):.2f}pt"
        raise RenderError(
            f"{honoree.location}: honoree {honoree.id}: the certificate does not fit on one page even with the citation in "
            f"{CITATION_SIZES[1]:g} pt type: shorten the citation ({len(honoree.citation)} characters) and citation_mn ({len(honoree.citation_mn)} characters)"
        )

    def make(self, honoree: Honoree, keep_document: bool = False) -> Issued:
        """Check, issue, render and write one certificate."""
        self.check_fonts(honoree)
        entry, new = self.issue(honoree)
        document = self.render(honoree, entry)
        data = self.renderer.write_pdf(document, entry.serial)
        path = self.out_dir / f"{entry.serial}.pdf"
        atomic_write(path, data)
        self.register.record_file(entry.serial, hashlib.sha256(data).hexdigest(), self.now)
        return Issued(honoree, entry, path, new, document if keep_document else None)

    def run(self, honorees: Sequence[Honoree], reporter: Reporter | None = None, keep_documents: bool = False) -> tuple[BuildResult, list[Issued]]:
        """Make every certificate; a failing one is reported and the others go on."""
        reporter = reporter or Reporter()
        result, issued = BuildResult(), []
        reporter.start(len(honorees), "certificates")
        for honoree in honorees:
            name = f"{honoree.id} ({honoree.full_name})"
            try:
                item = self.make(honoree, keep_documents)
            except IrdocsError as exc:
                result.failed.append(Failure(name, str(exc)))
                reporter.failed(name, str(exc))
                continue
            issued.append(item)
            result.built.append(item.path)
            reporter.done(f"{display_path(item.path)}: {honoree.id} ({item.entry.serial}{', new serial' if item.new_serial else ', reprint'})")
        reporter.finish()
        return result, issued

    def write_ceremony(self, ceremony: str, issued: Sequence[Issued]) -> Path:
        """One print-ready PDF with every certificate of the ceremony, in the given order."""
        from weasyprint.pdf.metadata import DocumentMetadata

        documents = [item.document for item in issued]
        if not documents or any(d is None for d in documents):
            raise RenderError("the ceremony file needs the rendered certificates (run with keep_documents=True)")
        pages = [page for document in documents for page in document.pages]
        combined = documents[0].copy(pages)
        combined.metadata = DocumentMetadata(
            title=f"{self.institution.name}: certificates of {ceremony}",
            authors=[f"{self.institution.name} ({self.institution.short_name})"],
            description=", ".join(item.entry.serial for item in issued),
            generator="irdocs",
            created=documents[0].metadata.created,
            modified=documents[0].metadata.modified,
            lang=documents[0].metadata.lang,
        )
        data = self.renderer.write_pdf(combined, f"{ceremony}:" + ",".join(item.entry.serial for item in issued))
        path = self.out_dir / ceremony_file_name(ceremony)
        atomic_write(path, data)
        return path

    @property
    def warnings(self) -> list[str]:
        return self.renderer.warnings.messages
