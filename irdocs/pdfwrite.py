"""Compress each part of a PDF once, not twice.

To give a PDF its file identifier (PDF/A requires one, and irdocs sets it from the inputs so that
the same inputs give the same bytes), pydyf 0.13 (``PDF.write``) writes every object of the file,
then serializes them all a second time to take their MD5, compressing every stream again at zlib's
slowest level. For a certificate that is 3 to 4 ms of about 65, more with a CJK name (its font
subset is 300 to 600 KB before compression).

``install()`` keeps each stream's bytes while one PDF is being written, so the second pass reuses
them. The PDFs are byte for byte the same (``tests/test_pdfwrite.py``). As with irdocs' other
changes to WeasyPrint's internals (``irdocs/weasypatch.py``), it is made only on the releases it
was checked against, and only if pydyf still has the line it relies on.
"""

from __future__ import annotations

import inspect
import threading

from .weasypatch import install_once

#: WeasyPrint releases (and the pydyf they come with) this was checked against.
CHECKED_RELEASES = ("70.",)
CHECKED_PYDYF = ("0.13.",)
_EXPECTED_LINE = "data = b''.join(obj.data for obj in self.objects if obj.free != 'f')"

_state = {"installed": False}
_local = threading.local()


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Make pydyf compress each stream once per PDF; True if this is (now) in place."""
    return install_once(_state, "IRDOCS_COMPRESS_TWICE", CHECKED_RELEASES, _apply)


def _apply() -> bool:
    import pydyf

    if not getattr(pydyf, "__version__", "").startswith(CHECKED_PYDYF):
        return False
    try:
        if _EXPECTED_LINE not in inspect.getsource(pydyf.PDF.write):
            return False
    except (OSError, TypeError):
        return False
    stream_data = pydyf.Stream.data.fget
    write = pydyf.PDF.write

    def data(self):
        kept = getattr(_local, "kept", None)
        if kept is None:
            return stream_data(self)
        entry = kept.get(id(self))
        if entry is None or entry[0] is not self:
            entry = kept[id(self)] = (self, stream_data(self))
        return entry[1]

    def write_once(self, *args, **kwargs):
        _local.kept = {}
        try:
            return write(self, *args, **kwargs)
        finally:
            _local.kept = None

    pydyf.Stream.data = property(data)
    pydyf.PDF.write = write_once
    return True
