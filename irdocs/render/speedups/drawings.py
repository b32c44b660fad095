"""Draw a template's picture (a certificate's frame) once per process, and reuse the drawing.

WeasyPrint 70 draws an SVG picture anew for every PDF it writes: it reads every number of every
path in Python, works out every pattern tile, and compresses the result. A certificate's frame is
the same on every certificate, and drawing it was 19 ms of the 85 ms a certificate took.

``install()`` changes WeasyPrint's ``SVGImage.draw``: the first time a picture is drawn at a given
size, its PDF drawing (the operators, and the patterns and transparency states they use) is kept,
already compressed. Every PDF that shows the picture, the first one included, gets a fresh copy of
that drawing as a *form*: a drawing a PDF stores once and paints by name. A form paints in the
coordinates it is painted in, so the patterns of the frame's bands land where they did before
(``tests/render/test_drawings.py`` compares the pages pixel for pixel with and without the reuse).

Only picture files are kept (not pictures written into the HTML, like the QR code), and only those
that need nothing of the PDF they go into: no text (the fonts are each PDF's own) and no embedded
images. Anything else is drawn the usual way. It is made by ``weasypatch.install_all()``, only if
the function it replaces is the one it was checked against (``CHECKED_SOURCES``). Set the
environment variable IRDOCS_DRAW_EVERY_TIME to turn the reuse off (the comparison in the tests does).
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from typing import Any

from . import expect_source, install_once

#: The WeasyPrint functions this replaces or relies on, as checked (``weasypatch.expect_source``).
CHECKED_SOURCES = {
    "weasyprint.images.SVGImage.draw": "bf38036046fc",
    "weasyprint.pdf.stream.Stream.clone": "a4f89c7ab7de",  # the form is drawn on a clone of the page's stream
}

#: SVG elements that draw with the fonts or the images of the PDF: pictures with them are not kept.
_NEEDS_THE_PDF = frozenset({"text", "tspan", "textPath", "image", "foreignObject"})

_state = {"installed": False}


class _NotKept(Exception):
    """The drawing uses something that cannot be copied into another PDF."""


@dataclass(frozen=True)
class _Stream:
    data: bytes  # compressed when ``compressed``
    compressed: bool
    extra: Any


@dataclass(frozen=True)
class _Dict:
    items: tuple


@dataclass(frozen=True)
class _Array:
    items: tuple


@dataclass(frozen=True)
class _String:
    value: Any


_COLOR_SPACE = object()  # the page's colour spaces: the PDF's own, put back when a copy is made


@dataclass(frozen=True)
class _Drawing:
    form: _Stream
    warnings: tuple  # (level, message) the picture logged when first drawn: logged again on each use


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Keep template pictures' drawings for reuse; True if this is (now) in place."""
    return install_once(_state, "IRDOCS_DRAW_EVERY_TIME", _apply)


def _apply() -> bool:
    from weasyprint import images

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
    original = images.SVGImage.draw

    def draw(self, stream, concrete_width, concrete_height, style):
        if not _draw_kept(self, stream, concrete_width, concrete_height):
            original(self, stream, concrete_width, concrete_height, style)

    images.SVGImage.draw = draw
    return True


def _reusable(image) -> bool:
    known = image.__dict__.get("_irdocs_reusable")
    if known is None:
        # Only picture files (a template's frame, an emblem): pictures written into the HTML itself
        # (a QR code) are new objects for every document, drawn once each anyway.
        url = image._base_url
        root = image._svg.tree._etree_node
        known = (
            isinstance(url, str)
            and url.startswith("file:")
            and not url.endswith("/")
            and not any(isinstance(node.tag, str) and node.tag.rsplit("}", 1)[-1] in _NEEDS_THE_PDF for node in root.iter())
        )
        image.__dict__["_irdocs_reusable"] = known
    return known


def _draw_kept(image, stream, width: float, height: float) -> bool:
    """Paint the kept drawing of ``image`` on ``stream``; False to let WeasyPrint draw it itself."""
    if not _reusable(image):
        return False
    drawings = image.__dict__.setdefault("_irdocs_drawings", {})
    key = (round(width, 6), round(height, 6))
    drawing = drawings.get(key)
    if drawing is None:
        drawing = _capture(image, stream, width, height)
        if drawing is None:
            image.__dict__["_irdocs_reusable"] = False
            return False
        drawings[key] = drawing
    else:
        logger = logging.getLogger("weasyprint")
        for level, message in drawing.warnings:
            logger.log(level, "%s", message)
    form = _thaw(drawing.form, stream._resources["ColorSpace"], {})
    name = f"irdocs{len(stream._resources['XObject'])}"
    stream._resources["XObject"][name] = form
    stream.draw_x_object(name)
    return True


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.records.append((record.levelno, record.getMessage()))


def _capture(image, stream, width: float, height: float) -> _Drawing | None:
    """Draw ``image`` on a stream of its own and keep the result, or None if it cannot be kept."""
    import pydyf

    color_space = stream._resources["ColorSpace"]
    resources = pydyf.Dictionary(
        {
            "ExtGState": pydyf.Dictionary(),
            "XObject": pydyf.Dictionary(),
            "Pattern": pydyf.Dictionary(),
            "Shading": pydyf.Dictionary(),
            "ColorSpace": color_space,
            "Font": None,  # set by WeasyPrint when it writes the PDF, as for its own groups
        }
    )
    # Room around the picture: an SVG may paint past its own box, and WeasyPrint does not clip it.
    extra = pydyf.Dictionary({"Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array((-width, -height, 2 * width, 2 * height)), "Resources": resources})
    capture = stream.clone(resources=resources, extra=extra)
    shared = (len(stream._fonts), len(stream._images), len(stream._tags) if stream._tags is not None else 0)
    recorder = _Recorder()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(recorder)
    try:
        image._svg.draw(capture, width, height, image._base_url, image._context)
    except Exception:
        return None  # WeasyPrint draws it again itself and reports the failure its own way
    finally:
        logger.removeHandler(recorder)
    if shared != (len(stream._fonts), len(stream._images), len(stream._tags) if stream._tags is not None else 0):
        return None
    try:
        form = _freeze(capture, color_space, {})
    except _NotKept:
        return None
    return _Drawing(form, tuple(recorder.records))


def _freeze(value: Any, color_space, memo: dict) -> Any:
    """A copy of a PDF object tree made of plain values (shared objects stay shared)."""
    import pydyf

    if value is None or isinstance(value, bool | int | float | str | bytes):
        return value
    if value is color_space:
        return _COLOR_SPACE
    if id(value) in memo:
        return memo[id(value)][1]
    if isinstance(value, pydyf.Stream):
        data = b"\n".join(pydyf._to_bytes(item) for item in value.stream)
        if value.compress:
            compressor = zlib.compressobj(level=9)  # as pydyf does it: the same bytes
            data = compressor.compress(data) + compressor.flush()
        frozen = _Stream(data, bool(value.compress), _freeze(dict(value.extra), color_space, memo))
    elif isinstance(value, dict):
        frozen = _Dict(tuple((key, _freeze(item, color_space, memo)) for key, item in value.items()))
    elif isinstance(value, list | tuple):
        frozen = _Array(tuple(_freeze(item, color_space, memo) for item in value))
    elif isinstance(value, pydyf.String):
        frozen = _String(value.string)
    else:
        raise _NotKept(type(value).__name__)
    memo[id(value)] = (value, frozen)  # the value is kept alive so that its id is not reused meanwhile
    return frozen


def _thaw(value: Any, color_space, memo: dict) -> Any:
    """Fresh PDF objects from a frozen tree (WeasyPrint numbers and rewrites them as it writes a PDF)."""
    import pydyf

    if value is _COLOR_SPACE:
        return color_space
    if not isinstance(value, _Stream | _Dict | _Array | _String):
        return value
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, _Stream):
        extra = _thaw(value.extra, color_space, memo)
        if value.compressed:
            extra["Filter"] = "/FlateDecode"
        made: Any = pydyf.Stream([value.data], extra, compress=False)
    elif isinstance(value, _Dict):
        made = pydyf.Dictionary({key: _thaw(item, color_space, memo) for key, item in value.items})
    elif isinstance(value, _Array):
        made = pydyf.Array(_thaw(item, color_space, memo) for item in value.items)
    else:
        made = pydyf.String(value.value)
    memo[id(value)] = made
    return made
