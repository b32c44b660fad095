"""Stage 5: documents from templates. Jinja2 + WeasyPrint for PDF, docxtpl for DOCX.

One ``Renderer`` serves a whole batch: one sandboxed Jinja environment, one WeasyPrint font
configuration, image cache and parsed stylesheets (WeasyPrint's own advice for speed).  The
library's safety rules live here once for every document kind:

- templates run in Jinja's sandbox, with autoescaping and ``StrictUndefined``;
- WeasyPrint may read only files under the templates and records folders, and small
  ``data:`` URLs: no network, no other local file (``SafeFetcher``);
- template errors name the template, the line and what failed;
- output bytes depend only on the inputs (fixed dates, sorted zip entries).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
import traceback
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import IrdocsError, RenderError, TemplateError, display_path
from ..localize import country_name, format_date, format_number

#: Largest ``data:`` URL a template or record may embed (bytes of the URL).
DATA_URL_LIMIT = 2_000_000
#: Zip timestamp of every DOCX part (zip cannot store earlier dates).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- Jinja

#: Filters every template (HTML or Word) may use: dates, country names and numbers per language.
FILTERS = {
    "date_en": lambda value: format_date(value, "en"),
    "date_mn": lambda value: format_date(value, "mn"),
    "country_en": lambda code: country_name(code, "en"),
    "country_mn": lambda code: country_name(code, "mn"),
    "number_en": lambda value: format_number(value, "en"),
    "number_mn": lambda value: format_number(value, "mn"),
    # typesetting (irdocs/documents/wording.py): a heading's last two words together, a name never broken
    "tie": lambda text: _wording().tie(text),
    "unbroken": lambda text: _wording().unbroken(text),
}


def contained_loader(templates_dir: Path):
    """A Jinja FileSystemLoader whose templates, includes and imports must resolve inside ``templates_dir``.

    Jinja refuses '..' in a name but follows symbolic links: a link in the templates folder to a file
    elsewhere (the verification key, say) would be printed on a document. Such a file is refused
    (SecurityError, named by ``template_error``).
    """
    from jinja2 import FileSystemLoader
    from jinja2.exceptions import SecurityError

    root = Path(templates_dir).resolve()

    class ContainedLoader(FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            if not Path(filename).resolve().is_relative_to(root):
                raise SecurityError(f"'{template}' is a link to a file outside the templates folder; copy the file into the folder instead")
            return source, filename, uptodate

    return ContainedLoader(str(templates_dir))


def _wording():
    from ..documents import wording

    return wording


def jinja_environment(templates_dir: Path, extra_filters: Mapping[str, Any] | None = None):
    """The sandboxed, autoescaping, strict environment every HTML template is rendered in."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=contained_loader(templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    if extra_filters:
        env.filters.update(extra_filters)
    return env


def _template_frame(exc: BaseException, templates_dir: Path | None) -> tuple[str | None, int | None]:
    """The innermost template file and line of a Jinja traceback (Jinja rewrites frames to template lines).

    An error in ``base.html`` while rendering a design that extends it names ``base.html``, not the design.
    """
    root = Path(templates_dir).resolve() if templates_dir is not None else None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        name = frame.filename or ""
        if name.endswith(".py") or name.startswith("<"):
            continue
        if (root is not None and Path(name).resolve().is_relative_to(root)) or name.endswith((".html", ".css", ".xml", ".j2")):
            return name, frame.lineno
    return None, None


def template_error(exc: BaseException, template_name: str, templates_dir: Path | None = None) -> TemplateError:
    """Any Jinja failure as a TemplateError naming the template file (the one that failed) and line."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    def located(name: str) -> str:
        return str(Path(templates_dir) / name) if templates_dir is not None and not Path(name).is_absolute() else name

    if isinstance(exc, TemplateSyntaxError):
        # ``filename`` is the loader's path already (templates folder included); ``name`` is relative to it.
        path, line = exc.filename or located(exc.name or template_name), exc.lineno
    else:
        path, line = _template_frame(exc, templates_dir)
        path = path or located(template_name)
    shown = display_path(path)
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(shown, f"template syntax error: {exc.message}{_unclosed_hint(exc.source, line)}", line)
    if isinstance(exc, UndefinedError):
        return TemplateError(shown, f"unknown name in the template: {exc.message}", line)
    if isinstance(exc, SecurityError):
        return TemplateError(shown, f"not allowed in a template: {exc}", line)
    if isinstance(exc, TemplateNotFound):
        folder = display_path(templates_dir) if templates_dir is not None else "the templates folder"
        return TemplateError(shown, f"no template '{exc.name}' in {folder} (a template can use only the files of its templates folder)", line)
    return TemplateError(shown, f"the template failed: {exc} ({type(exc).__name__})", line)


def _unclosed_hint(source: str | None, line: int | None) -> str:
    """' (the '{{' on this line is not closed by '}}')' when that is what confused Jinja."""
    lines = (source or "").splitlines()
    text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    for opener, closer in (("{{", "}}"), ("{%", "%}")):
        if text.count(opener) > text.count(closer):
            return f" (the '{opener}' on this line is not closed by '{closer}')"
    return ""


def render_template(env, name: str, context: Mapping[str, Any]) -> str:
    """Render one HTML template by name; every failure becomes a TemplateError."""
    try:
        return env.get_template(name).render(context)
    except IrdocsError:
        raise
    except Exception as exc:  # any failure inside a template (1/0, 'a' + 1...) is the template's, named by its line
        raise template_error(exc, name, Path(env.loader.searchpath[0])) from None


# --------------------------------------------------------------------------- WeasyPrint


def _fetcher_classes():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class FetchRefused(FatalURLFetchingError):
        """A template or record asked for something outside the allowed folders."""

    class SafeFetcher(URLFetcher):
        """Serves files under the allowed folders and small data: URLs; refuses everything else."""

        def __init__(self, roots: Iterable[Path], data_limit: int = DATA_URL_LIMIT):
            super().__init__(allowed_protocols={"file", "data"})
            self.roots = [Path(r).resolve() for r in roots]
            self.data_limit = data_limit
            self.refused: list[str] = []  # the message of every refusal (WeasyPrint may turn one into a mere warning)

        def refuse(self, url: str, why: str):
            shown = url if len(url) <= 80 else url[:77] + "..."
            message = f"refused to load '{shown}': {why}"
            self.refused.append(message)
            return FetchRefused(message)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                if len(url) > self.data_limit:
                    raise self.refuse(url, f"embedded data larger than {self.data_limit // 1000} kB")
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in self.roots):
                    linked = any(Path(unquote(urlparse(url).path)).absolute().is_relative_to(root) for root in self.roots)
                    why = " (this one is a link to a file outside them)" if linked else ""
                    raise self.refuse(url, f"documents may only use files from the templates and records folders{why}")
                try:
                    body = path.read_bytes()
                except OSError:
                    raise self.refuse(url, "the file does not exist") from None
                return URLFetcherResponse(url, body, {}, 200)
            raise self.refuse(url, "documents never load anything from the network")

    return FetchRefused, SafeFetcher


class WarningCollector(logging.Handler):
    """Collects WeasyPrint's warnings (missing fonts, unknown CSS) so a batch can report them."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class PdfRenderer:
    """Renders HTML to PDF bytes, reusing fonts, images and stylesheets across a batch.

    Making one changes nothing in WeasyPrint: a process that writes PDFs calls
    ``irdocs.render.speedups.install_all()`` once, before its first (irdocs' speed and size changes).
    """

    def __init__(self, templates_dir: Path, records_dir: Path, pdf_variant: str | None = "pdf/a-3u"):
        from weasyprint.text.fonts import FontConfiguration

        self.templates_dir = Path(templates_dir).resolve()
        self.records_dir = Path(records_dir).resolve()
        self.FetchRefused, SafeFetcher = _fetcher_classes()
        self.fetcher = SafeFetcher([self.templates_dir, self.records_dir])
        self.font_config = FontConfiguration()
        self.cache: dict = {}
        self.pdf_variant = pdf_variant
        self._stylesheets: dict[Path, Any] = {}
        self.warnings = WarningCollector()
        logging.getLogger("weasyprint").addHandler(self.warnings)

    def stylesheet(self, path: Path):
        """A CSS file of the templates folder, parsed once per batch."""
        from weasyprint import CSS

        path = Path(path).resolve()
        if path not in self._stylesheets:
            self._stylesheets[path] = CSS(filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config)
        return self._stylesheets[path]

    def render_document(self, html: str, base_dir: Path | None = None, stylesheets: Iterable[Path] = ()):
        """A laid-out WeasyPrint Document (pages can be counted or merged before writing)."""
        from weasyprint import HTML

        base = Path(base_dir or self.templates_dir).resolve()
        try:
            return HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=self.fetcher).render(
                stylesheets=[self.stylesheet(p) for p in stylesheets], font_config=self.font_config, cache=self.cache
            )
        except self.FetchRefused as exc:
            raise RenderError(str(exc)) from None

    def write_pdf(self, document, identifier: str) -> bytes:
        """PDF bytes of a rendered Document; ``identifier`` (from the inputs) makes the bytes repeatable."""
        try:
            return document.write_pdf(
                pdf_variant=self.pdf_variant,
                pdf_identifier=identifier.encode("utf-8"),
                custom_metadata=True,
                cache=self.cache,
            )
        except self.FetchRefused as exc:
            raise RenderError(str(exc)) from None
        finally:
            self._forget_document_images()

    def _forget_document_images(self) -> None:
        """Keep only the template files' images (frames, emblems) in the image cache.

        WeasyPrint caches every image by its address, and an SVG image keeps the layout of the
        document that first used it. A fact sheet's charts are data: addresses of their own, so a
        batch of 300 sheets used to hold 300 sheets' layouts: 150 MB more per build worker.
        """
        for key in [k for k in self.cache if not (isinstance(k, str) and k.startswith("file:"))]:
            del self.cache[key]

    def close(self) -> None:
        logging.getLogger("weasyprint").removeHandler(self.warnings)


# --------------------------------------------------------------------------- DOCX


@dataclass(frozen=True)
class DocxImage:
    """A picture for a Word template (PNG or JPEG bytes) and the width it is printed at.

    Put it anywhere in a context; ``render_docx`` turns it into a docxtpl ``InlineImage`` of the
    template being rendered (an InlineImage needs the template object, which contexts never see).
    """

    data: bytes
    width_mm: float


def _with_images(value: Any, template) -> Any:
    """The context with every DocxImage replaced by an InlineImage of ``template``."""
    if isinstance(value, DocxImage):
        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(template, io.BytesIO(value.data), width=Mm(value.width_mm))
    if isinstance(value, Mapping):
        return {key: _with_images(item, template) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_with_images(item, template) for item in value]
    return value


def normalize_docx(data: bytes) -> bytes:
    """The same DOCX with fixed zip timestamps and attributes, so equal inputs give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def docx_jinja_environment():
    """The environment docxtpl renders with: sandboxed, strict, with irdocs' filters."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters.update(FILTERS)
    return env


def render_docx(template_path: Path, context: Mapping[str, Any], properties: Mapping[str, Any], env=None, finish=None) -> bytes:
    """Render a Word template with docxtpl (a fresh template object each time) into DOCX bytes.

    ``properties`` sets the document properties (title, subject, author, keywords) and
    ``created`` (a datetime from the records, never the clock). ``finish``, if given, is called with
    the rendered python-docx Document before it is saved (e.g. to even out table columns).
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError as JinjaTemplateError

    template_path = Path(template_path)
    shown = display_path(template_path)
    check_docx_tags(template_path)
    # A DocxTemplate keeps its rendered XML: reusing one would carry the previous document.
    template = DocxTemplate(str(template_path))
    try:
        template.render(_with_images(dict(context), template), jinja_env=env or docx_jinja_environment(), autoescape=True)
    except JinjaTemplateError as exc:
        raise TemplateError(shown, _docx_error_text(exc)) from None
    except IrdocsError:
        raise
    except Exception as exc:  # 1/0 in a tag, XML that Word damaged...: the template's fault, named
        raise TemplateError(shown, f"the template failed: {exc} ({type(exc).__name__})") from None
    if finish is not None:
        finish(template.docx)
    core = template.docx.core_properties
    created = properties.get("created") or dt.datetime(2000, 1, 1)
    for key in ("title", "subject", "author", "keywords", "comments", "category"):
        if properties.get(key):
            setattr(core, key, str(properties[key]))
    core.created = created
    core.modified = created
    core.last_printed = created
    core.last_modified_by = str(properties.get("author", ""))
    core.revision = 1
    buffer = io.BytesIO()
    template.save(buffer)
    return normalize_docx(buffer.getvalue())


def _docx_error_text(exc: BaseException) -> str:
    """A docxtpl failure with the tag that failed (docxtpl's line numbers point into XML, not Word)."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, UndefinedError):
        return f"unknown name in the template: {exc.message}"
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {exc}"
    message = getattr(exc, "message", str(exc))
    source = getattr(exc, "source", None)
    line = getattr(exc, "lineno", None)
    tag = ""
    if source and line:
        text = source.splitlines()[line - 1] if line - 1 < len(source.splitlines()) else ""
        text = re.sub(r"<[^>]+>", "", text)
        tags = re.findall(r"\{[{%].*?[%}]\}", text)
        tag = tags[-1] if tags else text.strip()[:80]
    if isinstance(exc, TemplateSyntaxError):
        where = f" near '{tag}'" if tag else ""
        split = message.lower().startswith(("unexpected", "expected token"))  # what a tag broken by Word looks like to Jinja
        return f"template syntax error{where}: {message}" + (" (a tag split by Word formatting? retype it in one go)" if split else "")
    return f"{type(exc).__name__}: {message}"


# --------------------------------------------------------------------------- Word tags

#: The parts of a Word file whose text docxtpl renders.
_DOCX_TEXT_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_WHOLE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_TAG_PIECE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_BLOCK_TAG = re.compile(r"\{%-?\s*(?:(?:p|tr|tc|r)\s+)?(\w+)")
#: Jinja statements that need an end tag, e.g. {% if %} ... {% endif %}.
_BLOCKS = ("if", "for", "with", "macro", "call", "filter", "block", "raw", "autoescape")


def docx_paragraph_texts(data: bytes) -> list[str]:
    """The text of each paragraph of a Word file as docxtpl reads it: the ``w:t`` pieces joined.

    Symbols Word stores apart (``w:sym``), hidden runs and field results are not in ``w:t``
    exactly as Word shows them, which is how a tag that looks whole in Word can be broken.
    """
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    texts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if not _DOCX_TEXT_PART.fullmatch(name):
                continue
            root = etree.fromstring(archive.read(name))
            paragraphs: dict[Any, list[str]] = {}
            for text in root.iter(f"{w}t"):
                paragraph = next(text.iterancestors(f"{w}p"), None)
                paragraphs.setdefault(paragraph, []).append(text.text or "")
            texts += ["".join(pieces) for pieces in paragraphs.values()]
    return texts


def _clip_text(text: str, size: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _docx_outside_links(data: bytes) -> list[tuple[str, str]]:
    """(kind, address) of each outside file a Word file links to (a picture by address, a template...)
    rather than holds; web links (hyperlinks) aside. Word fetches them when it opens the file."""
    from lxml import etree

    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(n for n in archive.namelist() if n.endswith(".rels")):
            for relation in etree.fromstring(archive.read(name)):
                kind = relation.get("Type", "").rsplit("/", 1)[-1]
                if relation.get("TargetMode") == "External" and kind != "hyperlink":
                    found.append((kind, relation.get("Target", "")))
    return found


@functools.lru_cache(maxsize=64)
def _docx_tag_problem(path: str, mtime_ns: int, size: int) -> str | None:
    data = Path(path).read_bytes()
    links = _docx_outside_links(data)
    if links:
        kind, address = links[0]
        return (
            f"the template links to an outside file ({kind} '{_clip_text(address)}') that Word would fetch when a draft is opened "
            "(insert the picture or text into the template itself: in Word, Insert > Pictures > This Device, not 'Link to File')"
        )
    paragraphs = docx_paragraph_texts(data)
    opened: list[str] = []
    for text in paragraphs:
        rest = _WHOLE_TAG.sub("\x00", text)
        piece = _TAG_PIECE.search(rest)
        if piece:
            found = piece.group()
            pair = {"{{": "}}", "{%": "%}", "{#": "#}", "}}": "{{", "%}": "{%", "#}": "{#"}[found]
            what = f"'{found}' is not closed by '{pair}'" if found[0] == "{" else f"'{found}' has no '{pair}' before it"
            return (
                f"a tag is broken in '{_clip_text(text)}': {what} in the same paragraph "
                "(Word split the tag with formatting, a symbol or a line break; delete the whole tag and type it again in one go, "
                "e.g. '{{ title }}')"
            )
        for tag in _WHOLE_TAG.findall(text):
            match = _BLOCK_TAG.match(tag)
            keyword = match.group(1) if match else ""
            if keyword in _BLOCKS:
                opened.append(tag)
            elif keyword.startswith("end") and keyword[3:] in _BLOCKS:
                if not opened or _BLOCK_TAG.match(opened[-1]).group(1) != keyword[3:]:
                    return (
                        f"the tag '{_clip_text(tag)}' has no '{{% {keyword[3:]} ... %}}' before it (remove it, or add the '{{% {keyword[3:]} ... %}}' it ends)"
                    )
                opened.pop()
    if opened:
        keyword = _BLOCK_TAG.match(opened[-1]).group(1)
        return f"the tag '{_clip_text(opened[-1])}' is never closed (add '{{% end{keyword} %}}' where the part it controls ends)"
    return None


def check_docx_tags(template_path: Path) -> None:
    """Raise TemplateError if a Word template has a broken or unclosed tag, or links to an outside
    file (named, with the fix).

    docxtpl itself joins a tag that Word's formatting split into several runs; it cannot join a
    tag with something else inside its braces, and would leave '{ title }}' in the draft.
    """
    path = Path(template_path)
    try:
        stat = path.stat()
        problem = _docx_tag_problem(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except (OSError, zipfile.BadZipFile, ValueError, SyntaxError) as exc:  # lxml syntax errors are SyntaxErrors
        raise TemplateError(display_path(path), f"cannot read the Word template ({exc})") from None
    if problem:
        raise TemplateError(display_path(path), problem)
