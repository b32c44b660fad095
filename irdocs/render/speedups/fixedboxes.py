"""A certificate's fixed parts laid out once per process, not once per certificate.

The signatures, the Mongol-script bands and the seal are placed with ``position: fixed``: WeasyPrint
lays each out on its own, against the page, after the text. Their layout depends only on what they
hold and how they are styled, not on the honoree: the same on every certificate of a design (the
signatures alone were 3 ms of each certificate's 55).

``install()`` keeps, per process, the laid-out boxes of such a part once it has been seen twice,
under a key that names everything its layout depends on: the part's elements with all their
attributes and text (``ElementTree.tostring``), each element's style (its number from
``sharedstyles``: the same number, the same style), the page's content box, and the part's static
position where it matters (a side with neither ``left`` nor ``right``, or neither ``top`` nor
``bottom``). A later certificate with the same key gets those boxes instead of a new layout; its
pages are byte for byte the same (``tests/render/test_fixedboxes.py``). A part that holds another
fixed part, or that breaks across pages, or any document whose styles are not numbered
(``sharedstyles`` off) is laid out as before. Set IRDOCS_LAYOUT_EVERY_TIME to turn it off.
"""

from __future__ import annotations

from . import expect_source, install_once, seen_before

#: The WeasyPrint functions this wraps or relies on, as checked (``expect_source``).
CHECKED_SOURCES = {
    "weasyprint.layout.absolute.absolute_layout": "303de9ffbec7",
    "weasyprint.layout.absolute.absolute_box_layout": "d146b8d6c769",
    "weasyprint.layout.page.make_page": "656f183328e8",  # lays out the page's positioned boxes with absolute_layout, once each
}

#: Parts kept per group of documents (``sharedstyles``' group: the same stylesheets and fonts),
#: and keys remembered as seen once.
MAX_KEPT = 64
MAX_SEEN = 2048

_state = {"installed": False}


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Lay out each fixed part of a page once per process; True if in place."""
    return install_once(_state, "IRDOCS_LAYOUT_EVERY_TIME", _apply)


def _key(context, box, page) -> tuple | None:
    """What the layout of the fixed part ``box`` on ``page`` depends on, or None (not kept)."""
    from xml.etree import ElementTree

    tokens = getattr(context.style_for, "_irdocs_tokens", None)
    element = box.element
    if not tokens or element is None or box.element_tag != element.tag:
        return None
    styles = []
    for each in element.iter():
        token = tokens.get(each)
        if token is None:
            return None
        styles.append(token)
    for descendant in box.descendants():
        if descendant is not box and descendant.style["position"] == "fixed":
            return None
    style = box.style
    static = (
        box.position_x if style["left"] == "auto" and style["right"] == "auto" else None,
        box.position_y if style["top"] == "auto" and style["bottom"] == "auto" else None,
    )
    geometry = (page.content_box_x(), page.content_box_y(), page.width, page.height)
    text = ElementTree.tostring(element, encoding="unicode")
    return text, tuple(styles), static, geometry


def _apply() -> bool:
    import weasyprint.layout.absolute as absolute
    import weasyprint.layout.page as page_module
    from weasyprint.formatting_structure import boxes

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
    original = absolute.absolute_layout

    def absolute_layout(context, placeholder, containing_block, fixed_boxes, bottom_space, skip_stack):
        box = placeholder._box
        group = getattr(context.style_for, "_irdocs_group", None)
        if group is None or skip_stack is not None or not isinstance(containing_block, boxes.PageBox) or box.style["position"] != "fixed":
            return original(context, placeholder, containing_block, fixed_boxes, bottom_space, skip_stack)
        key = _key(context, box, containing_block)
        if key is None:
            return original(context, placeholder, containing_block, fixed_boxes, bottom_space, skip_stack)
        key = (*key, bottom_space)
        kept, seen = group.layouts.setdefault("kept", {}), group.layouts.setdefault("seen", set())
        laid_out = kept.get(key)
        if laid_out is not None:
            placeholder.set_laid_out_box(laid_out)
            return None
        broken = len(context.broken_out_of_flow)
        original(context, placeholder, containing_block, fixed_boxes, bottom_space, skip_stack)
        if len(context.broken_out_of_flow) == broken and seen_before(seen, key, MAX_SEEN) and len(kept) < MAX_KEPT:
            kept[key] = placeholder._box
        return None

    absolute.absolute_layout = absolute_layout
    page_module.absolute_layout = absolute_layout
    return True
