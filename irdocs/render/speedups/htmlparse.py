"""A document that says it is well-formed XML is read by Python's XML parser, not the HTML one.

WeasyPrint 70 reads HTML with tinyhtml5, a parser written in Python: 3.6 ms for a certificate's
9 KB, against 0.1 ms for Python's expat (in C). A certificate is well-formed XML (its design closes
every element, and what the records bring is escaped), but an HTML parser builds a few things
differently, which this gives the tree in the same form:

- elements of an ``<svg>`` (the QR code) are in the SVG namespace;
- no text directly inside ``<html>``, nor after ``</body>``: HTML puts what follows ``</body>``
  and ``</html>`` (white space) after the last element of the body.

Only a document that opts in is read so: one that starts with ``<!DOCTYPE html>`` followed by the
comment ``<!-- irdocs: well-formed -->`` (``templates/certificates/base.html``). Anything else,
and such a document the XML parser refuses or that holds MathML, is read by tinyhtml5 as before.
The trees are the same (``tests/render/test_htmlparse.py``) and so the PDFs, byte for byte. It is
made by ``install_all()``, only if WeasyPrint's ``HTML`` reads its source as checked
(``CHECKED_SOURCES``); IRDOCS_PARSE_AS_HTML turns it off.
"""

from __future__ import annotations

import io
import re

from . import expect_source, install_once

#: The WeasyPrint function whose call of tinyhtml5.parse this answers, as checked.
CHECKED_SOURCES = {
    "weasyprint.HTML.__init__": "5f19f40b8183",
}

#: How a document opts in.
MARK = re.compile(r"\s*<!DOCTYPE html>\s*<!-- irdocs: well-formed -->", re.IGNORECASE)
SVG = "{http://www.w3.org/2000/svg}"

_state = {"installed": False}


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Read opted-in documents with the XML parser; True if in place."""
    return install_once(_state, "IRDOCS_PARSE_AS_HTML", _apply)


def parse_well_formed(text: str):
    """The tree tinyhtml5 builds for ``text`` (namespace_html_elements=False), read as XML; None
    if it cannot be read so (WeasyPrint's parser reads it then)."""
    from xml.etree import ElementTree

    if not MARK.match(text):
        return None
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None
    if root.tag != "html" or any(isinstance(e.tag, str) and (e.tag == "math" or e.tag.startswith("{")) for e in root.iter()):
        return None
    for element in list(root.iter("svg")):
        for inner in element.iter():
            if isinstance(inner.tag, str) and not inner.tag.startswith("{"):
                inner.tag = SVG + inner.tag
    children = list(root)
    if [child.tag for child in children] != ["head", "body"] or (root.text or "").strip() or (children[0].tail or "").strip():
        return None
    body = children[1]
    root.text = None
    # after </body> and </html>: into the body, after its last element (as HTML's "after body" does)
    after = (body.tail or "") + text[text.rindex("</html>") + len("</html>") :]
    if after.strip():
        return None
    body.tail = None
    if after:
        if len(body):
            body[-1].tail = (body[-1].tail or "") + after
        else:
            body.text = (body.text or "") + after
    return root


def _apply() -> bool:
    import tinyhtml5

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
    original = tinyhtml5.parse

    def parse(source, **kwargs):
        if isinstance(source, io.StringIO) and kwargs == {"namespace_html_elements": False}:
            tree = parse_well_formed(source.getvalue())
            if tree is not None:
                return tree
        return original(source, **kwargs)

    parse.__wrapped__ = original  # tinyhtml5's own (the tests compare the two trees)
    tinyhtml5.parse = parse
    return True
