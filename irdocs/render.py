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
import io
import logging
import traceback
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import RenderError, TemplateError, display_path
from .localize import country_name, format_date, format_number

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
}


def jinja_environment(templates_dir: Path, extra_filters: Mapping[str, Any] | None = None):
    """The sandboxed, autoescaping, strict environment every HTML template is rendered in."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir)),
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


def _template_line(exc: BaseException, template_file: str | None) -> int | None:
    """The template line in a Jinja traceback (Jinja rewrites frames to template lines)."""
    line = getattr(exc, "lineno", None)
    if line:
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if template_file and frame.filename and Path(frame.filename).name == Path(template_file).name:
            return frame.lineno
        if frame.filename and frame.filename.endswith((".html", ".css", ".xml", ".j2")):
            return frame.lineno
    return None


def template_error(exc: BaseException, template_name: str, templates_dir: Path | None = None) -> TemplateError:
    """Any Jinja failure as a TemplateError naming the template file and line."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or template_name
    if templates_dir is not None and not Path(name).is_absolute():
        name = str(Path(templates_dir) / name)
    shown = display_path(name)
    line = _template_line(exc, name)
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(shown, f"template syntax error: {exc.message}", line)
    if isinstance(exc, UndefinedError):
        return TemplateError(shown, f"unknown name in the template: {exc.message}", line)
    if isinstance(exc, SecurityError):
        return TemplateError(shown, f"not allowed in a template: {exc}", line)
    return TemplateError(shown, f"{type(exc).__name__}: {exc}", line)


def render_template(env, name: str, context: Mapping[str, Any]) -> str:
    """Render one HTML template by name; every failure becomes a TemplateError."""
    from jinja2 import TemplateError as JinjaTemplateError

    try:
        return env.get_template(name).render(context)
    except JinjaTemplateError as exc:
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
            self.refused: list[str] = []

        def refuse(self, url: str, why: str):
            shown = url if len(url) <= 80 else url[:77] + "..."
            self.refused.append(url)
            return FetchRefused(f"refused to load '{shown}': {why}")

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                if len(url) > self.data_limit:
                    raise self.refuse(url, f"embedded data larger than {self.data_limit // 1000} kB")
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in self.roots):
                    raise self.refuse(url, "documents may only use files from the templates and records folders")
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
    """Renders HTML to PDF bytes, reusing fonts, images and stylesheets across a batch."""

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
    # A DocxTemplate keeps its rendered XML: reusing one would carry the previous document.
    template = DocxTemplate(str(template_path))
    try:
        template.render(_with_images(dict(context), template), jinja_env=env or docx_jinja_environment(), autoescape=True)
    except JinjaTemplateError as exc:
        raise TemplateError(shown, _docx_error_text(exc)) from None
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
    import re

    from jinja2 import TemplateSyntaxError, UndefinedError

    if isinstance(exc, UndefinedError):
        return f"unknown name in the template: {exc.message}"
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
        return f"template syntax error{where}: {message} (a tag split by Word formatting? retype it in one go)"
    return f"{type(exc).__name__}: {message}"
