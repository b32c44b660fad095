"""irdocs' changes to WeasyPrint's internals, and the one step that makes them: ``install_all()``.

Nine modules change how WeasyPrint 70 works inside, for speed and size, never for what a page
shows (each has tests comparing the PDFs with and without it):

- ``fontdata``: font files are read only when needed, not copied whole for every PDF;
- ``fontsubset``: a font subset holds only the glyphs used (a CJK name: 2 KB, not 60 KB);
- ``drawings``: a template's picture (a certificate's frame) is drawn once per process;
- ``qr``: a QR code's path (segno's) is drawn without WeasyPrint's general path parser;
- ``pdfwrite``: each stream of a PDF is compressed once, not twice;
- ``lazystyles``: a pseudo-element's style (a list marker's, a footnote's) is worked out when a box
  asks for it, not for every element;
- ``sharedstyles``: an element's style is worked out once per process and copied into each
  document that has the same element (the next certificate), not worked out again;
- ``fixedboxes``: a page's fixed parts (a certificate's signatures, its Mongol-script bands) are
  laid out once per process when they are the same, not for every certificate;
- ``htmlparse``: a document that says it is well-formed (a certificate) is read by Python's XML
  parser (in C) into the tree WeasyPrint's HTML parser (in Python) builds.

Nothing is changed when irdocs is imported or a renderer is made: a process that writes PDFs calls
``install_all()`` once, before its first PDF (a build worker when it starts). Each change checks,
before it is made, that the WeasyPrint (or pydyf) function it replaces is exactly the source it was
written against (a digest of its text, ``CHECKED_SOURCES`` in each module). The versions are pinned
in pyproject.toml (``weasyprint>=70,<71``, ``pydyf>=0.13,<0.14``) so that an upgrade is a decision:
if an installed release has changed one of those functions, ``install_all()`` stops with a message
naming it, rather than patching code it does not know. Each change can be turned off by its
environment variable (the tests compare the PDFs with and without it); IRDOCS_PLAIN_WEASYPRINT
turns them all off.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import linecache
import os
import threading
from collections.abc import Callable

from ...errors import ConfigError

#: The releases the changes were checked against (pinned in pyproject.toml).
CHECKED_WEASYPRINT = "70.0"
CHECKED_PYDYF = "0.13.0"
#: The modules with a change, in the order they are made.
PATCHES = ("fontdata", "fontsubset", "drawings", "qr", "pdfwrite", "lazystyles", "sharedstyles", "fixedboxes", "htmlparse")
#: Set to anything to make no change at all.
ALL_OFF = "IRDOCS_PLAIN_WEASYPRINT"

_lock = threading.RLock()


class ChangedUpstream(ConfigError):
    """A WeasyPrint or pydyf function that irdocs replaces is not the one it was checked against."""


def _resolve(qualified_name: str):
    module_name, _, rest = _split(qualified_name)
    value = importlib.import_module(module_name)
    for part in rest.split("."):
        value = getattr(value, part)
    return value


def _split(qualified_name: str) -> tuple[str, str, str]:
    """('weasyprint.pdf.fonts', '', 'Font.subset') for 'weasyprint.pdf.fonts.Font.subset'."""
    parts = qualified_name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            importlib.import_module(module_name)
        except ImportError:
            continue
        return module_name, "", ".".join(parts[cut:])
    raise ImportError(qualified_name)


def source_digest(qualified_name: str) -> str:
    """The first 12 hex digits of the SHA-256 of a function's source text, or '' if it has none."""
    try:
        value = _resolve(qualified_name)
        code = (value.fget if isinstance(value, property) else value).__code__
        # the function's block of its file, as inspect.getsource finds it (without its slow search
        # of every loaded module for the file: 40 ms a process)
        lines = linecache.getlines(code.co_filename)
        text = "".join(inspect.getblock(lines[code.co_firstlineno - 1 :]))
    except (ImportError, AttributeError, OSError, TypeError, IndexError):
        return ""
    if not text:
        return ""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def expect_source(qualified_name: str, digest: str) -> None:
    """Raise ChangedUpstream unless ``qualified_name``'s source is the one irdocs was checked against."""
    if source_digest(qualified_name) == digest:
        return
    import pydyf
    import weasyprint

    raise ChangedUpstream(
        f"irdocs' changes to WeasyPrint were checked against WeasyPrint {CHECKED_WEASYPRINT} with pydyf {CHECKED_PYDYF}, "
        f"and {qualified_name} is different in the installed WeasyPrint {weasyprint.__version__} with pydyf {getattr(pydyf, '__version__', '?')}: "
        f"install the checked releases (pip install 'weasyprint=={CHECKED_WEASYPRINT}' 'pydyf=={CHECKED_PYDYF}'), "
        f"or set {ALL_OFF}=1 to make documents without irdocs' changes (slower and larger)"
    )


def install_once(state: dict, switch_off: str, apply: Callable[[], bool]) -> bool:
    """Run ``apply`` (which checks its sources and returns whether it changed anything) once;
    True if the change is in place. Not run when ``switch_off`` or IRDOCS_PLAIN_WEASYPRINT is set."""
    with _lock:
        if state["installed"]:
            return True
        if os.environ.get(switch_off) or os.environ.get(ALL_OFF):
            return False
        state["installed"] = bool(apply())
        return state["installed"]


def seen_before(seen: set, key, limit: int) -> bool:
    """Whether ``key`` is in ``seen``; if not, it is put there (while ``seen`` holds fewer than
    ``limit``). What a change keeps between documents it keeps from its second time on: a thing
    seen once only (an honoree's own name) is not kept."""
    if key in seen:
        return True
    if len(seen) < limit:
        seen.add(key)
    return False


def install_all() -> dict[str, bool]:
    """Make every change irdocs makes to WeasyPrint (once per process): {module: in place}.

    Raises ChangedUpstream (a one-line message for the user) if the installed WeasyPrint or pydyf
    has changed a function that a change replaces.
    """
    with _lock:
        return {name: importlib.import_module(f"{__package__}.{name}").install() for name in PATCHES}


def installed_all() -> dict[str, bool]:
    """Which changes are in place in this process: {module: in place}."""
    return {name: importlib.import_module(f"{__package__}.{name}").installed() for name in PATCHES}
