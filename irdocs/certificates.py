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
from dataclasses import dataclass
from pathlib import Path

from .build import BuildResult, Failure
from .certificate_context import (
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
    template_texts,
)
from .errors import IrdocsError, RecordsError, RenderError, UsageError, display_path
from .model import TITLE_KINDS, Honoree, Institution, Records
from .register import Entry, Register, format_serial, register_path
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


class CertificateMaker:
    """Renders certificates to PDF bytes, with no register: one per batch or per build worker.

    It shares one ``PdfRenderer`` (font configuration, image cache, parsed stylesheets) and one
    Jinja environment across every certificate it makes.
    """

    def __init__(self, institution: Institution, records_root: Path, templates_dir: Path = TEMPLATES_DIR, renderer=None):
        from .render import PdfRenderer, jinja_environment

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
            texts = [*institution_texts(self.institution), *template_texts(self.templates_dir), *texts]
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

        from .render import render_template

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
        return data

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


class CertificateBatch(CertificateMaker):
    """Makes certificates for one records folder: issues serials in the register, renders, writes."""

    def __init__(self, records: Records, out_dir: Path, now: str, templates_dir: Path = TEMPLATES_DIR, key: bytes | None = None):
        super().__init__(records.institution, records.root, templates_dir)
        self.records = records
        self.out_dir = Path(out_dir) / "certificates"
        self.now = now
        self.key = key if key is not None else load_key(records.root)
        self.make_code = functools.partial(make_code, self.key)
        self.register = Register(register_path(records.root))

    def close(self) -> None:
        super().close()
        self.register.close()

    def __enter__(self) -> CertificateBatch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def issue(self, honoree: Honoree) -> tuple[Entry, bool]:
        return self.register.issue(self.institution.serial_prefix, content_of(honoree, self.institution), self.make_code, self.now)

    def make(self, honoree: Honoree) -> Issued:
        """Check, issue, render and write one certificate."""
        self.check_fonts(honoree)
        self.check_template(honoree)
        entry, new = self.issue(honoree)
        data = self.complete_pdf(honoree, entry.serial, entry.code)
        path = self.out_dir / f"{entry.serial}.pdf"
        atomic_write(path, data)
        self.register.record_file(entry.serial, hashlib.sha256(data).hexdigest(), self.now)
        return Issued(honoree, entry, path, new)

    def run(self, honorees: Sequence[Honoree], reporter: Reporter | None = None) -> tuple[BuildResult, list[Issued]]:
        """Make every certificate; a failing one is reported and the others go on."""
        reporter = reporter or Reporter()
        result, issued = BuildResult(), []
        reporter.start(len(honorees), "certificates")
        for honoree in honorees:
            name = f"{honoree.id} ({honoree.full_name})"
            try:
                item = self.make(honoree)
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
        data = assemble_ceremony(self.institution, ceremony, [(item.entry.serial, item.path.read_bytes()) for item in issued])
        path = self.out_dir / ceremony_file_name(ceremony)
        atomic_write(path, data)
        return path


# --------------------------------------------------------------------------- irdocs build


def _clock() -> str:
    """The register's timestamp (never printed on a certificate)."""
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def plan(records: Records, settings: dict) -> list:
    """One Document per honoree (serials issued here, in the main process) and one per ceremony."""
    from .build import Document

    institution = records.institution
    key = load_key(records.root)
    now = _clock()
    designs = {
        kind: (f"certificates/{DESIGNS[kind]}", f"certificates/{BASE_CSS}", f"certificates/{kind}.css", f"certificates/{WORDING_FILE}") for kind in TITLE_KINDS
    }
    files = (institution.logo,) if institution.logo else ()
    institution_data = institution.model_dump(mode="json")
    items: list = []
    ceremonies: dict[str, list[tuple[str, str]]] = {}
    with Register(register_path(records.root)) as register:
        for honoree in records.honorees:
            try:
                entry, _ = register.issue(institution.serial_prefix, content_of(honoree, institution), functools.partial(make_code, key), now)
            except IrdocsError as exc:
                items.append(Failure(f"honoree {honoree.id}", str(exc)))
                continue
            name = f"certificates/{entry.serial}.pdf"
            tags = {
                "title": honoree.title,
                "year": str(honoree.awarded_on.year),
                "country": honoree.country,
                "ceremony": honoree.ceremony or "",
                "id": honoree.id,
            }
            context = {"honoree": honoree.model_dump(mode="json"), "institution": institution_data, "serial": entry.serial, "code": entry.code}
            items.append(
                Document(
                    "certificates",
                    name,
                    f"honoree {honoree.id}",
                    context,
                    designs[honoree.title],
                    files,
                    honoree.location,
                    tags=tags,
                    payload=(honoree, entry.serial, entry.code),
                )
            )
            if honoree.ceremony:
                ceremonies.setdefault(honoree.ceremony, []).append((entry.serial, name))
    for ceremony, members in ceremonies.items():
        context = {"ceremony": ceremony, "members": [serial for serial, _ in members], "institution": institution.name}
        tags = {"ceremony": ceremony, "kind": "ceremony"}
        items.append(
            Document(
                "certificates",
                f"certificates/{ceremony_file_name(ceremony)}",
                f"ceremony {ceremony}",
                context,
                after=tuple(n for _, n in members),
                tags=tags,
                payload=institution,
            )
        )
    return items


def worker_records(records: Records) -> Records:
    """What a build worker needs of the records: the institution (each document brings its honoree)."""
    import dataclasses

    return dataclasses.replace(records, partners=(), agreements=(), honorees=())


def render(document, workspace) -> bytes:
    """A certificate's PDF (in a build worker), or a ceremony's print file from its certificates."""
    if "members" in document.context:
        pdfs = [(serial, (workspace.out_dir / name).read_bytes()) for serial, name in zip(document.context["members"], document.after, strict=True)]
        return assemble_ceremony(document.payload, document.context["ceremony"], pdfs)
    honoree, serial, code = document.payload
    maker = workspace.cache.get("certificates")
    if maker is None:
        maker = workspace.cache["certificates"] = CertificateMaker(
            workspace.records.institution, workspace.records_dir, workspace.templates_dir / "certificates"
        )
    return maker.pdf(honoree, serial, code)


def written(records: Records, built: Sequence[tuple[object, str]]) -> None:
    """Keep each new certificate file's SHA-256 in the register (for `irdocs verify FILE.pdf`)."""
    now = _clock()
    with Register(register_path(records.root)) as register:
        for document, sha in built:
            if "serial" in document.context:
                register.record_file(document.context["serial"], sha, now)
