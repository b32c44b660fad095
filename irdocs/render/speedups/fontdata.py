"""Keep WeasyPrint from copying whole font files for every PDF it writes.

When a document uses a font, WeasyPrint 70 (``weasyprint/pdf/fonts.py``, ``Font.__init__``) copies
the font's whole file into a Python ``bytes`` object, and throws the copy away when HarfBuzz has
made the subset that goes into the PDF. The CJK faces come in collections of 26 MB (one file per
weight holds the Japanese, Korean, Simplified and Traditional Chinese faces), so a certificate with
a Japanese name copied and paged in 26 MB, and a build worker that had met all four faces held
about 100 MB of font file plus the heap the copies left behind: 270 MB a worker instead of 145 MB.

``install()`` makes the copy lazy: ``Font.file_content`` is read from the font only if something
asks for it before the subset replaces it (WeasyPrint's fontTools fallback, when HarfBuzz cannot
subset a font). The PDFs are byte for byte the same (``tests/render/test_fontdata.py``).

It is made by ``weasypatch.install_all()``, only if the functions it replaces are the ones it was
checked against (``CHECKED_SOURCES``); set IRDOCS_EAGER_FONT_FILES to leave WeasyPrint as it is.
"""

from __future__ import annotations

import threading

from . import expect_source, install_once

#: The WeasyPrint functions this replaces or wraps, as checked (``weasypatch.expect_source``).
CHECKED_SOURCES = {
    "weasyprint.pdf.fonts.Font.__init__": "1f281166b103",  # has: self.file_content = get_hb_object_data(self.hb_face)
    "weasyprint.pdf.fonts.get_hb_object_data": "03040a623df0",
}

_state = {"installed": False}
_local = threading.local()


class _Unread:
    """Stands for a font file not read yet."""

    __slots__ = ("hb_face",)

    def __init__(self, hb_face):
        self.hb_face = hb_face


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Make WeasyPrint read font files only when it needs them; True if it is (now) in place."""
    return install_once(_state, "IRDOCS_EAGER_FONT_FILES", _apply)


def _apply() -> bool:
    import weasyprint.pdf.fonts as fonts

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
    read = fonts.get_hb_object_data
    original_init = fonts.Font.__init__

    def get_data(hb_object, ot_color=None, glyph=None):
        if ot_color is None and getattr(_local, "in_font_init", False):
            return _Unread(hb_object)
        return read(hb_object, ot_color, glyph)

    def font_init(self, *args, **kwargs):
        _local.in_font_init = True
        try:
            original_init(self, *args, **kwargs)
        finally:
            _local.in_font_init = False

    def get_content(self):
        value = self.__dict__.get("_irdocs_file_content")
        if isinstance(value, _Unread):
            value = self.__dict__["_irdocs_file_content"] = read(value.hb_face)
        return value

    def set_content(self, value):
        self.__dict__["_irdocs_file_content"] = value

    fonts.get_hb_object_data = get_data
    fonts.Font.__init__ = font_init
    fonts.Font.file_content = property(get_content, set_content)
    return True
