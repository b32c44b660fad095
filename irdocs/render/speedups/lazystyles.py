"""Styles of pseudo-elements worked out when a box asks for them, not for every element.

WeasyPrint 70's user-agent stylesheet has rules for ``::marker``, ``::footnote-call``,
``::footnote-marker``, ``::note-call``, ``::note-marker`` and ``::note-callback`` that match every
element, so ``StyleFor`` makes a computed style for each of the six for every element of the
document, up front: on a certificate, 480 of its 570 computed styles. Only a list item's box asks
for its marker's style, only a footnote for the footnote ones: a certificate asks for none.

``install()`` makes ``StyleFor.set_computed_styles`` keep those six for later (the cascaded
declarations, exactly as the cascade left them) and ``StyleFor.__call__`` work one out the first
time a box asks for it, with the same arguments as before: the same style, so the same boxes and
the same bytes (``tests/render/test_lazystyles.py`` compares the PDFs with and without). A pseudo-element
whose declarations set ``anchor`` is worked out up front as before (its anchor is collected then).
It is made by ``weasypatch.install_all()``, only if the functions it replaces are the ones it was
checked against (``CHECKED_SOURCES``); the environment variable IRDOCS_EAGER_STYLES turns it off.
"""

from __future__ import annotations

from . import expect_source, install_once

#: The WeasyPrint functions this replaces or relies on, as checked (``weasypatch.expect_source``).
CHECKED_SOURCES = {
    "weasyprint.css.StyleFor.set_computed_styles": "b5b15856b8be",
    "weasyprint.css.StyleFor.__call__": "96b91915ae7c",
    # makes every pseudo-element's style in a second pass, then clears the cascaded styles
    "weasyprint.css.StyleFor.__init__": "b1e725a75525",
}

#: Pseudo-elements whose styles wait until a box asks (the user-agent rules that match everything).
LAZY = frozenset({"marker", "footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"})

_state = {"installed": False}


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Make WeasyPrint work out these pseudo-elements' styles only when asked; True if in place."""
    return install_once(_state, "IRDOCS_EAGER_STYLES", _apply)


def _apply() -> bool:
    from weasyprint.css import StyleFor

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
    original_set = StyleFor.set_computed_styles
    original_call = StyleFor.__call__

    def set_computed_styles(self, element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None):
        if pseudo_type in LAZY:
            cascaded = self.get_cascaded_styles().get((element, pseudo_type), {})
            if "anchor" not in cascaded:
                waiting = self.__dict__.setdefault("_irdocs_waiting", {})
                waiting[element, pseudo_type] = (cascaded, parent, root, base_url, target_collector)
                return
        original_set(self, element, parent, root, pseudo_type, base_url, target_collector)

    def call(self, element, pseudo_type=None):
        if pseudo_type in LAZY:
            waiting = self.__dict__.get("_irdocs_waiting")
            if waiting and (element, pseudo_type) in waiting:
                cascaded, parent, root, base_url, target_collector = waiting.pop((element, pseudo_type))
                styles = self.get_cascaded_styles()  # cleared since: its declarations go back for this call only
                styles[element, pseudo_type] = cascaded
                try:
                    original_set(self, element, parent, root, pseudo_type, base_url, target_collector)
                finally:
                    styles.pop((element, pseudo_type), None)
        return original_call(self, element, pseudo_type)

    StyleFor.set_computed_styles = set_computed_styles
    StyleFor.__call__ = call
    return True
