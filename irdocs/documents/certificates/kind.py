"""Honorary title certificates: the document kind ``certificates`` of the build engine.

For each honoree the plan foresees the certificate's serial (the one the register already gave
them, for a reprint, or the next free one) and its verification code; nothing is written then.
A build worker renders the certificate with them:

1. every text is checked against the design's fonts;
2. the template is rendered to exactly one A4 landscape page (PDF/A-3u);

and only then, in the build's own process, ``CertificateWriter`` issues the serial in the
register and keeps the file's SHA-256 (one transaction) and puts ``out/certificates/<serial>.pdf``
in place: a certificate that cannot be printed, a dry run or a failed write leaves the register
exactly as it was. A ceremony's print file is assembled from its written certificates.

The bytes depend only on the records, the serial and the key: the award date, never the clock,
is the document's date.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ... import default_templates
from ...errors import IrdocsError, RecordsError, RenderError, UsageError, display_path
from ...records.model import TITLE_KINDS, Honoree, Institution, Records
from ...records.select import Field, canonical
from ..document import Document, Failure, Note, Settings, Writer
from .context import (
    BASE_CSS,
    DESIGNS,
    WORDING_FILE,
    certificate_context,
    citation_size,
    content_of,
    design_families,
    design_sizes,
    font_problems,
    honoree_texts,
    institution_texts,
    prints_mongol,
    template_texts,
)
from .register import Content, ContentChanged, Register, format_serial, register_path
from .verify import load_key, make_code, verification_url

TEMPLATES_DIR = default_templates() / "certificates"


# --------------------------------------------------------------------------- files


def ceremony_file_name(ceremony: str) -> str:
    """'ceremony-2026-10' -> 'ceremony-2026-10.pdf'; '2026-autumn' -> 'ceremony-2026-autumn.pdf'."""
    return f"ceremony-{ceremony.removeprefix('ceremony-')}.pdf"


# --------------------------------------------------------------------------- the batch


class CertificateMaker:
    """Renders certificates to PDF bytes, with no register: one per batch or per build worker.

    It shares one ``PdfRenderer`` (font configuration, image cache, parsed stylesheets) and one
    Jinja environment across every certificate it makes.
    """

    def __init__(self, institution: Institution, records_root: Path, templates_dir: Path = TEMPLATES_DIR, renderer=None):
        from ...render import PdfRenderer, jinja_environment

        self.institution = institution
        self.templates_dir = Path(templates_dir)
        self.env = jinja_environment(self.templates_dir)
        # A build worker passes its own renderer: one font configuration for every kind of document.
        self.renderer = renderer or PdfRenderer(self.templates_dir, records_root)
        logo = institution.logo
        self.emblem_url = (Path(records_root) / logo).resolve().as_uri() if logo and (Path(records_root) / logo).is_file() else None
        self._institution_checked = False

    def close(self) -> None:
        self.renderer.close()

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
            texts = [*institution_texts(self.institution, prints_mongol(self.templates_dir)), *template_texts(self.templates_dir), *texts]
        problems = font_problems(texts, self.families(honoree.title), shown)
        if problems:
            raise RecordsError(problems)
        self._institution_checked = True

    def check_template(self, honoree: Honoree) -> None:
        """Raise TemplateError (nothing issued) if the design cannot be filled in for this honoree.

        The HTML is made with a stand-in serial: it takes milliseconds, and a broken template
        (a syntax error, an unknown name) then costs no serial in the register.
        """
        content = content_of(honoree, self.institution)
        self.html(honoree, format_serial(self.institution.serial_prefix, content.kind_code, content.year, 0), "0" * 10)

    def html(self, honoree: Honoree, serial: str, code: str, citation_size: str | None = None) -> str:
        import segno

        from ...render import render_template

        url = verification_url(self.institution.verification_url, serial, code)
        qr = segno.make(url, error="m", micro=False)
        svg = qr.svg_inline(scale=1, border=0, omitsize=True, dark="#000000")
        context = certificate_context(
            honoree, self.institution, serial=serial, code=code, url=url, qr_svg=svg, emblem_url=self.emblem_url, designs_dir=self.templates_dir
        )
        if citation_size:
            context["citation_size"] = citation_size
        return render_template(self.env, DESIGNS[honoree.title], context)

    def render(self, honoree: Honoree, serial: str, code: str):
        """The laid-out document of one certificate, on exactly one page.

        The citation's type size comes from an estimate; when the page still overflows, the
        citation is set smaller (down to the smallest size) and laid out again. Past that, the
        certificate is an error naming the record.
        """
        size: str | None = None
        sizes = design_sizes(self.stylesheets(honoree.title))
        smallest = sizes.citation[1]
        while True:
            document = self.renderer.render_document(self.html(honoree, serial, code, size), self.templates_dir, self.stylesheets(honoree.title))
            if len(document.pages) == 1:
                return document
            current = float((size or citation_size(honoree.citation, honoree.citation_mn, sizes=sizes))[:-2])
            if current <= smallest:
                break
            size = f"{max(smallest, current - 0.5):.2f}pt"
        raise RenderError(
            f"{honoree.location}: honoree {honoree.id}: the certificate does not fit on one page even with the citation in "
            f"{smallest:g} pt type: shorten the citation ({len(honoree.citation)} characters) and citation_mn ({len(honoree.citation_mn)} characters)"
        )

    def pdf(self, honoree: Honoree, serial: str, code: str) -> bytes:
        """Check the fonts, lay out and write one certificate: its PDF/A bytes."""
        self.check_fonts(honoree)
        return self.complete_pdf(honoree, serial, code)

    def complete_pdf(self, honoree: Honoree, serial: str, code: str) -> bytes:
        """The PDF bytes, or RenderError if WeasyPrint warned: a certificate missing its emblem or a
        style is not printed (the refused addresses are named: they are usually the reason)."""
        warned, refused = len(self.warnings), len(self.renderer.fetcher.refused)
        data = self.renderer.write_pdf(self.render(honoree, serial, code), serial)
        warnings = list(dict.fromkeys(self.warnings[warned:]))
        if warnings:
            warnings += list(dict.fromkeys(self.renderer.fetcher.refused[refused:]))
            raise RenderError(f"{honoree.location}: honoree {honoree.id}: the certificate would not be complete: {'; '.join(warnings)}")
        from .signing import sign_certificate

        return sign_certificate(data)  # PAdES, when the department has a signing certificate (irdocs/documents/certificates/signing.py)

    @property
    def warnings(self) -> list[str]:
        return self.renderer.warnings.messages


def assemble_ceremony(institution: Institution, ceremony: str, pdfs: Sequence[tuple[str, bytes]]) -> bytes:
    """One print-ready PDF of a ceremony's certificates (serial, PDF bytes), pages in the given order.

    The certificates themselves are the archival PDF/A copies; this file is for the printer, so it
    carries the ceremony's own title and no single certificate's metadata. It is put together by
    qpdf (through pikepdf): 1.3 ms a page, where pypdf took 9 ms.
    """
    import io

    import pikepdf

    with pikepdf.new() as ceremony_pdf:
        sources = [pikepdf.open(io.BytesIO(data)) for _, data in pdfs]
        try:
            for source in sources:
                ceremony_pdf.pages.extend(source.pages)
            ceremony_pdf.docinfo["/Title"] = f"{institution.name}: certificates of {ceremony}"
            ceremony_pdf.docinfo["/Author"] = f"{institution.name} ({institution.short_name})"
            ceremony_pdf.docinfo["/Subject"] = ", ".join(serial for serial, _ in pdfs)
            ceremony_pdf.docinfo["/Creator"] = "irdocs"
            ceremony_pdf.docinfo["/Producer"] = "irdocs"
            out = io.BytesIO()
            # The file identifier comes from the content, not the clock: the same certificates give the same bytes.
            ceremony_pdf.save(out, deterministic_id=True)
        finally:
            for source in sources:
                source.close()
    return out.getvalue()


# --------------------------------------------------------------------------- the document kind


@dataclass(frozen=True)
class Planned:
    """A certificate foreseen by the plan: what its worker renders and what the writer issues."""

    honoree: Honoree
    serial: str
    code: str
    content: Content
    sequence: int
    new: bool  # the serial is not in the register yet: it is issued when the file is written
    replaces: str | None = None  # a reissue: the serial it supersedes
    reason: str = ""


def _title_aliases(kind: str) -> tuple[str, ...]:
    english, _, code = TITLE_KINDS[kind]
    return (code, english)


def _country_aliases(code: str) -> tuple[str, ...]:
    from ...localize import country_name

    return (country_name(code, "en"),)


FIELDS = {
    "id": Field("the honoree's id", lambda r: canonical(h.id for h in r.honorees), "honoree"),
    "title": Field("the title: HD, HP, VP or its name", lambda r: canonical(TITLE_KINDS, _title_aliases), "title"),
    "year": Field("the year of the award", lambda r: canonical(str(h.awarded_on.year) for h in r.honorees), "award year"),
    "country": Field("the honoree's country: JP, Japan", lambda r: canonical({h.country for h in r.honorees}, _country_aliases), "honoree from the country"),
    "ceremony": Field(
        "the ceremony", lambda r: canonical({h.ceremony for h in r.honorees if h.ceremony}, lambda c: (c.removeprefix("ceremony-"),)), "ceremony"
    ),
    "document": Field("certificate, or ceremony (the print file)", lambda r: canonical(("certificate", "ceremony")), "document"),
}


def _tags(honoree: Honoree) -> dict[str, str]:
    return {
        "id": honoree.id,
        "title": honoree.title,
        "year": str(honoree.awarded_on.year),
        "country": honoree.country,
        "ceremony": honoree.ceremony or "",
        "document": "certificate",
    }


@contextlib.contextmanager
def _reading(records_dir: Path) -> Iterator[Register | None]:
    """The register, opened to read only, or None while no certificate was ever issued."""
    path = register_path(records_dir)
    if not path.exists():
        yield None
        return
    with Register(path, create=False, readonly=True) as register:
        yield register if register.ready else None


class CertificateKind:
    """Honorary title certificates and the ceremonies' print files."""

    name = "certificates"
    noun = "certificates"
    fields = FIELDS

    def variants(self, settings: Settings) -> set[str]:
        return {""}

    def plan(self, records: Records, settings: Settings, select: Callable[[dict], bool]) -> list[Document | Failure]:
        """One Document per selected honoree (its serial foreseen, not issued) and one per selected ceremony."""
        institution = records.institution
        key = load_key(records.root)
        designs = {
            kind: (f"certificates/{DESIGNS[kind]}", f"certificates/{BASE_CSS}", f"certificates/{kind}.css", f"certificates/{WORDING_FILE}")
            for kind in TITLE_KINDS
        }
        files = (institution.logo,) if institution.logo else ()
        institution_data = institution.model_dump(mode="json")
        items: list[Document | Failure] = []
        names: dict[str, str] = {}  # honoree id -> the planned file of their certificate
        used: dict[tuple[str, int], set[int]] = {}
        with _reading(records.root) as register:
            for honoree in records.honorees:
                tags = _tags(honoree)
                latest = register.latest(honoree.id) if register else None
                current = latest is not None and latest.status == "issued" and latest.serial not in settings.reissue
                if current and latest.certifies(content_of(honoree, institution)):
                    names[honoree.id] = f"certificates/{latest.serial}.pdf"
                if not select(tags):
                    continue
                if latest is not None and latest.status == "revoked" and latest.serial not in settings.reissue:
                    items.append(Note(f"honoree {honoree.id}", _revoked_note(honoree, latest)))
                    continue
                try:
                    planned = self._foresee(honoree, institution, latest, settings, key, register, used)
                except IrdocsError as exc:
                    items.append(Failure(f"honoree {honoree.id}", str(exc)))
                    continue
                name = names[honoree.id] = f"certificates/{planned.serial}.pdf"
                context = {"honoree": honoree.model_dump(mode="json"), "institution": institution_data, "serial": planned.serial, "code": planned.code}
                items.append(
                    Document(
                        "certificates", name, f"honoree {honoree.id}", context, designs[honoree.title], files, honoree.location, tags=tags, payload=planned
                    )
                )
            revoked = {h.id for h in records.honorees if h.id not in names and _revoked(register, h.id, settings)}
        items += self._ceremonies(records, settings, select, names, revoked)
        return items

    @staticmethod
    def _foresee(honoree: Honoree, institution: Institution, latest, settings: Settings, key: bytes, register, used: dict) -> Planned:
        content = content_of(honoree, institution)
        replaces = None
        if latest is not None and latest.serial in settings.reissue:
            replaces = latest.serial
        elif latest is not None and latest.status == "issued":
            if not latest.certifies(content):
                raise ContentChanged(latest, content)
            return Planned(honoree, latest.serial, latest.code, content, latest.sequence, new=False)
        series = (content.kind_code, content.year)
        if series not in used:
            used[series] = register.sequences(*series) if register else set()
        sequence = next(n for n in range(1, len(used[series]) + 2) if n not in used[series])
        if sequence > 9999:
            raise UsageError(f"the register has no serial left for {content.kind_code} {content.year} (9999 used)")
        used[series].add(sequence)
        serial = format_serial(institution.serial_prefix, content.kind_code, content.year, sequence)
        return Planned(honoree, serial, make_code(key, serial, content), content, sequence, True, replaces, settings.reissue.get(replaces or "", ""))

    @staticmethod
    def _ceremonies(records: Records, settings: Settings, select: Callable[[dict], bool], names: dict[str, str], revoked: set[str]) -> list[Document | Failure]:
        """One print file per selected ceremony, of its certificates in force (a revoked one is left out)."""
        order = {honoree_id: index for index, honoree_id in enumerate(settings.ceremony_order)}
        members: dict[str, list[Honoree]] = {}
        for honoree in records.honorees:
            if honoree.ceremony and honoree.id not in revoked:
                members.setdefault(honoree.ceremony, []).append(honoree)
        items: list[Document | Failure] = []
        for ceremony, honorees in members.items():
            if not select({"ceremony": ceremony, "document": "ceremony"}):
                continue
            honorees = sorted(honorees, key=lambda h: order.get(h.id, len(order)))  # stable: the records' order after the ids given
            missing = [h.id for h in honorees if h.id not in names]
            if missing:
                items.append(
                    Failure(
                        f"ceremony {ceremony}",
                        f"ceremony {ceremony}: the certificates of {', '.join(missing)} are not made yet; make them with: irdocs certificate --ceremony {ceremony}",
                    )
                )
                continue
            after = tuple(names[h.id] for h in honorees)
            context = {"ceremony": ceremony, "members": [Path(n).stem for n in after], "institution": records.institution.name}
            tags = {"ceremony": ceremony, "document": "ceremony"}
            name = f"certificates/{ceremony_file_name(ceremony)}"
            items.append(Document("certificates", name, f"ceremony {ceremony}", context, after=after, tags=tags, payload=records.institution))
        return items

    def worker_records(self, records: Records) -> Records:
        """What a build worker needs of the records: the institution (each document brings its honoree)."""
        import dataclasses

        return dataclasses.replace(records, partners=(), agreements=(), honorees=())

    def render(self, document: Document, workspace) -> bytes:
        """A certificate's PDF (in a build worker), or a ceremony's print file from its written certificates."""
        if document.after:
            pdfs = [(serial, (workspace.out_dir / name).read_bytes()) for serial, name in zip(document.context["members"], document.after, strict=True)]
            return assemble_ceremony(document.payload, document.context["ceremony"], pdfs)
        planned: Planned = document.payload
        maker = workspace.cache.get("certificates")
        if maker is None:
            maker = workspace.cache["certificates"] = CertificateMaker(
                workspace.records.institution, workspace.records_dir, workspace.templates_dir / "certificates"
            )
        return maker.pdf(planned.honoree, planned.serial, planned.code)

    @contextlib.contextmanager
    def writer(self, records: Records, settings: Settings) -> Iterator[Writer]:
        writer = CertificateWriter(records, settings)
        try:
            yield writer
        finally:
            writer.close()


def _revoked(register, honoree_id: str, settings: Settings) -> bool:
    latest = register.latest(honoree_id) if register else None
    return latest is not None and latest.status == "revoked" and latest.serial not in settings.reissue


def _revoked_note(honoree: Honoree, latest) -> str:
    return (
        f"honoree {honoree.id}: certificate {latest.serial} was revoked ({latest.reason}): it is not printed, nor in a ceremony's file. "
        f"To give a new one: irdocs register reissue {latest.serial}"
    )


class CertificateWriter(Writer):
    """Issues each certificate's serial in the register in the same transaction that writes its file."""

    def __init__(self, records: Records, settings: Settings):
        self.records, self.settings = records, settings
        self._register: Register | None = None
        self._make_code = None

    def commit(self, document: Document, data: bytes, sha: str, publish: Callable[[], None], target: Path) -> None:
        if document.after:  # a ceremony's print file: nothing to issue
            publish()
            return
        planned: Planned = document.payload
        if self._register is None:
            self._register = Register(register_path(self.records.root))
            self._make_code = functools.partial(make_code, load_key(self.records.root))
        self._register.write_certificate(
            self.records.institution.serial_prefix,
            planned.content,
            self._make_code,
            self.settings.now,
            planned.serial,
            sha,
            publish,
            planned.replaces,
            planned.reason,
        )
        if planned.replaces:  # the superseded certificate's file goes aside, out of the valid ones
            self._set_aside(target.parent / f"{planned.replaces}.pdf", "superseded")

    def retire(self, name: str, path: Path) -> Path | None:
        """A certificate no longer printed: set aside in superseded/ or revoked/ (the register says
        which), never deleted; any other output (a ceremony's old print file) is deleted."""
        status = None
        if not name.endswith(".pdf") or path.parent.name != "certificates":
            return super().retire(name, path)
        register_file = register_path(self.records.root)
        if register_file.exists():
            with Register(register_file, create=False, readonly=True) as register:
                entry = register.get(path.stem) if register.ready else None
                status = entry.status if entry else None
        if status in ("superseded", "revoked"):
            return self._set_aside(path, status)
        return super().retire(name, path)

    @staticmethod
    def _set_aside(path: Path, folder: str) -> Path | None:
        if not path.is_file():
            return None
        aside = path.parent / folder / path.name
        aside.parent.mkdir(exist_ok=True)
        os.replace(path, aside)
        return aside

    def close(self) -> None:
        if self._register is not None:
            self._register.close()


KIND = CertificateKind()
