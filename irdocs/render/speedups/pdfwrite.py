"""Compress each part of a PDF once, not twice; write its numbers faster.

To give a PDF its file identifier (PDF/A requires one, and irdocs sets it from the inputs so that
the same inputs give the same bytes), pydyf 0.13 (``PDF.write``) writes every object of the file,
then serializes them all a second time to take their MD5, compressing every stream again at zlib's
slowest level. For a certificate that is 3 to 4 ms of about 65, more with a CJK name (its font
subset is 300 to 600 KB before compression).

``install()`` keeps each stream's bytes while one PDF is being written, so the second pass reuses
them. The PDFs are byte for byte the same (``tests/render/test_pdfwrite.py``). As irdocs' other changes
to WeasyPrint's internals, it is made by ``weasypatch.install_all()``, only if the pydyf functions
it replaces are the ones it was checked against (``CHECKED_SOURCES``); IRDOCS_COMPRESS_TWICE
leaves pydyf as it is.

It also gives pydyf a faster ``_to_bytes``, the function that writes every number, name and
string of a PDF (5,500 calls a certificate): a number, the commonest case, is recognized by its
exact type and a decimal one is written once per process (``_fast_to_bytes``); anything else goes
to pydyf's own. Same bytes: the same expressions as pydyf's, and the same tests.
"""

from __future__ import annotations

import threading

from . import expect_source, install_once

#: The pydyf functions this replaces or wraps, as checked (``weasypatch.expect_source``).
CHECKED_SOURCES = {
    "pydyf.PDF.write": "242cd38f92ec",  # has: data = b''.join(obj.data for obj in self.objects if obj.free != 'f')
    "pydyf.Stream.data": "bdc2bc513f28",
    "pydyf._to_bytes": "1cefd02c285d",  # replaced by _fast_to_bytes: the same, numbers first
}

_state = {"installed": False}
_local = threading.local()


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Make pydyf compress each stream once per PDF; True if this is (now) in place."""
    return install_once(_state, "IRDOCS_COMPRESS_TWICE", _apply)


def _fast_to_bytes(original):
    """pydyf's ``_to_bytes`` with its commonest cases first (``bytes``, ``float``, ``int``, exactly
    those types: a bool, an int subclass, is pydyf's own case), decimals kept once written."""
    written: dict[float, bytes] = {}

    def to_bytes(item):
        kind = item.__class__
        if kind is bytes:
            return item
        if kind is float:
            value = written.get(item)
            if value is None:
                value = str(int(item)).encode("ascii") if item.is_integer() else f"{item:f}".rstrip("0").encode("ascii")
                if len(written) < 65_536:
                    written[item] = value
            return value
        if kind is int:
            return b"%d" % item
        return original(item)

    to_bytes.original = original
    return to_bytes


def _apply() -> bool:
    import pydyf

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
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
    pydyf._to_bytes = _fast_to_bytes(pydyf._to_bytes)  # pydyf's functions look it up when they run
    return True
