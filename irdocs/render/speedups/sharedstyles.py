"""An element's style worked out once per process, not once per document.

WeasyPrint 70 works out each element's computed style property by property, the first time layout
asks for one (``ComputedStyle.__missing__``): on a certificate about 6,500 times, a fifth of its
time. Within one document it already shares one style between elements whose parent style, style
attributes and matching rules are the same. From one certificate to the next almost every element
is such an element: the same design, the same rules, the same parents; only the text differs, and
text is not part of a style.

``install()`` changes ``StyleFor.__init__`` (the cascade) so that every element also gets a *key*:
its parent's key, its own style-giving attributes (``style``, ``lang``, ``id``..., as text) and the
rules that match it. The first document with a key makes its style as before. The next document
with that key gets a **copy** of a *model* style: a style made from the same declarations in its
own chain of models, never given to a document, and filled with the values the first document
worked out. A copy is that document's own object, like the one WeasyPrint would have made: what a
document changes in its styles (WeasyPrint sets a table's margins on its wrapper, the body's
overflow on the page) stays in that document. Each copy's parent, root and page sizes are its own
document's, so what it still works out lazily it works out as before.

Models are kept per stylesheets, fonts and base address (a document with a ``<style>`` of its own
gets models of its own), at most ``MAX_MODELS`` in all, then no more are made. The PDFs are byte
for byte the same with and without (``tests/render/test_sharedstyles.py``). It is made by
``install_all()``, only if the functions it replaces are the ones it was checked against
(``CHECKED_SOURCES``); the environment variable IRDOCS_STYLES_PER_DOCUMENT turns it off.

The element loop below is WeasyPrint 70's own (BSD licence, Kozea), with the key and the copy added.
"""

from __future__ import annotations

import threading
from math import inf

from .. import WarningCollector
from . import expect_source, install_once

#: The WeasyPrint functions this replaces or relies on, as checked (``expect_source``).
CHECKED_SOURCES = {
    "weasyprint.css.StyleFor.__init__": "b1e725a75525",
    "weasyprint.css.find_style_attributes": "c5b4eb4d3c00",
    # a copy is made as ComputedStyle.copy makes one, with its own document's parent and root
    "weasyprint.css.ComputedStyle.__init__": "ffbc48647d0d",
    "weasyprint.css.ComputedStyle.copy": "4398a49b631b",
    "weasyprint.css.ComputedStyle.__missing__": "b318d8efc8ac",
}

#: Models kept in a process, all stylesheets together (a certificate has about 90 styles).
MAX_MODELS = 5_000
#: Sets of stylesheets, fonts and base address with models of their own.
MAX_GROUPS = 16

_state = {"installed": False}
_lock = threading.Lock()


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Make WeasyPrint share its elements' styles between documents; True if in place."""
    return install_once(_state, "IRDOCS_STYLES_PER_DOCUMENT", _apply)


class _Model:
    """A style made once, in its own chain, copied into each document that needs it."""

    __slots__ = ("filled", "first", "style")

    def __init__(self, style, first):
        self.style = style  # the model: never given to a document
        self.first = first  # the first document's own style, until the model is filled from it
        self.filled = False

    def fill(self) -> None:
        """Work out in the model every property the first document worked out in its own."""
        first, self.first = self.first, None
        if first is not None:
            for key in list(first.keys()):
                self.style[key]
        self.filled = True


class _Group:
    """The models of one set of stylesheets, fonts and base address (their objects kept alive,
    since the keys hold their identities), and the cascade of each element as the sheets left it."""

    __slots__ = ("cascades", "font_config", "layouts", "models", "sheets", "tokens")

    def __init__(self, sheets, font_config):
        self.sheets = sheets
        self.font_config = font_config
        self.models: dict[tuple, _Model] = {}
        #: (attributes, matching rules) -> {pseudo-element: its cascaded declarations}
        self.cascades: dict[tuple, dict] = {}
        #: key -> a small number naming it (what ``fixedboxes`` compares an element's style by)
        self.tokens: dict[tuple, int] = {}
        #: what ``fixedboxes`` keeps for this group's documents
        self.layouts: dict = {}


_groups: dict[tuple, _Group] = {}
_count = [0]
#: (base address, kind, text) -> the declarations an attribute gives, read and checked
_attributes: dict[tuple, list] = {}
MAX_ATTRIBUTES = 5_000


def _group(sheets, font_config, base_url) -> _Group:
    key = (tuple(id(sheet) for sheet, _origin, _specificity in sheets), id(font_config), base_url)
    with _lock:
        group = _groups.get(key)
        if group is None:
            if len(_groups) >= MAX_GROUPS:
                _count[0] -= len(_groups.pop(next(iter(_groups))).models)
            group = _groups[key] = _Group([sheet for sheet, _o, _s in sheets], font_config)
        return group


def _apply() -> bool:
    import tinycss2
    from weasyprint.css import (
        PROGRESS_LOGGER,
        ComputedStyle,
        InitialStyle,
        StyleFor,
        declaration_precedence,
        find_style_attributes,
        preprocess_declarations,
    )
    from weasyprint.css.tokens import Pending, get_length
    from weasyprint.logger import LOGGER

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
    svg_tag = "{http://www.w3.org/2000/svg}svg"
    author = declaration_precedence("author", False), declaration_precedence("author", True)

    def read(base_url: str, kind: str, text: str) -> list:
        """The (name, values, important) an attribute's text gives, as WeasyPrint reads them: kept
        per process, unless reading them warned (each document must warn again) or they wait on a
        var() (whose warning is given once per value)."""
        key = (base_url, kind, text)
        read_before = _attributes.get(key)
        if read_before is not None:
            return read_before
        declarations = tinycss2.parse_blocks_contents(text) if kind == "style" else (tinycss2.parse_one_declaration(text),)
        warned = WarningCollector()
        LOGGER.addHandler(warned)
        try:
            made = list(preprocess_declarations(base_url, tuple(declarations)))
        finally:
            LOGGER.removeHandler(warned)
        if not warned.messages and len(_attributes) < MAX_ATTRIBUTES and not any(isinstance(values, Pending) for _n, values, _i in made):
            _attributes[key] = made
        return made

    def attribute_rules(tree, base_url) -> dict:
        """{element: ((specificity, declarations), ...)} for what its attributes give, in the order
        and with the specificity of ``find_style_attributes`` without presentational hints."""
        rules: dict = {}
        for element in tree.iter():
            found = []
            if style := element.get("style"):
                found.append(((1, 0, 0), "style", style))
            if lang := element.get("lang"):
                found.append(((0, 0, 0), "declaration", f'-weasy-lang:"{lang}"'))
            if id_ := element.get("id"):
                found.append(((0, 0, 0), "declaration", f'-weasy-anchor:"{id_}"'))
            if element.tag == "a" and (name := element.get("name")):
                found.append(((0, 0, 0), "declaration", f'-weasy-anchor:"{name}"'))
            if element.tag == svg_tag:
                for attribute in ("width", "height"):
                    if (length := element.get(attribute)) and get_length(tinycss2.parse_one_component_value(length), percentage=True):
                        found.append(((0, 0, 0), "declaration", f"{attribute}:{length}"))
            if found:
                rules[element] = tuple((specificity, kind, text, read(base_url, kind, text)) for specificity, kind, text in found)
        return rules

    def hinted_rules(tree, base_url) -> dict:
        """The same with presentational hints: WeasyPrint's own reading, every time."""
        rules: dict = {}
        for specificity, element, declarations, url in find_style_attributes(tree, True, base_url):
            declarations = tuple(declarations)
            made = list(preprocess_declarations(url, declarations))
            rules[element] = (*rules.get(element, ()), (specificity, "hint", tinycss2.serialize(declarations), made))
        return rules

    def copy_of(model, parent_style, root_style, base_url, font_config, page_sizes):
        style = ComputedStyle(parent_style, model.cascaded, None, root_style, base_url, font_config, page_sizes)
        style.update(model)
        style.specified = model.specified.copy()
        return style

    def init(self, html, sheets, presentational_hints, font_config, target_collector):
        self._cascaded_styles = cascaded_styles = {}
        self._computed_styles = computed_styles = {}
        self.initial_page_sizes = {"box": None, "area": None}
        self._sheets = sheets
        self.font_config = font_config

        PROGRESS_LOGGER.info("Step 3 - Applying CSS")
        # irdocs: every declaration an element's attributes give, keyed by their text (WeasyPrint's
        # own key kept only the last of them: an element with both lang and style, by its lang)
        rules = (hinted_rules if presentational_hints else attribute_rules)(html.etree_element, html.base_url)

        group = _group(sheets, font_config, html.base_url)
        models, cascades, tokens = group.models, group.cascades, group.tokens
        keys: dict = {}  # etree element -> its key
        # etree element -> its key's number: two elements of two documents with the same number have
        # the same style (``fixedboxes`` reads them)
        self._irdocs_group, self._irdocs_tokens = group, {}
        own: dict = {}  # key -> this document's style for it (WeasyPrint's sharing within a document)
        root_element = html.etree_element
        for element in html.wrapper_element.iter_subtree():
            etree_element = element.etree_element
            parent = element.parent.etree_element if element.parent else None
            selectors_keys = []
            matched = []
            for sheet, origin, sheet_specificity in sheets:
                for selector in sheet.matcher.match(element):
                    specificity, _order, pseudo_type, (declarations, layer) = selector
                    layer_order = inf if layer is None else sheet.layers.index(layer)
                    selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                    matched.append((origin, sheet_specificity or specificity, pseudo_type, declarations, layer_order))
            element_rules = rules.get(etree_element, ())
            own_key = (tuple(text for _s, _k, text, _d in element_rules), tuple(selectors_keys))
            cascade = cascades.get(own_key)
            if cascade is None:
                # the cascade as WeasyPrint makes it: the attributes' declarations, then the rules'
                cascade = {}
                for specificity, _kind, _text, declarations in element_rules:
                    style = cascade.setdefault(None, {})
                    for name, values, importance in declarations:
                        weight = (author[bool(importance)], inf, specificity)
                        old_weight = style.get(name, (None, None))[1]
                        if old_weight is None or old_weight <= weight:
                            style[name] = values, weight
                for origin, specificity, pseudo_type, declarations, layer_order in matched:
                    style = cascade.setdefault(pseudo_type, {})
                    for name, values, importance in declarations:
                        precedence = declaration_precedence(origin, importance)
                        weight = (precedence, layer_order, specificity)
                        old_weight = style.get(name, (None, None))[1]
                        if old_weight is None or old_weight <= weight:
                            style[name] = values, weight
                if len(cascades) < MAX_MODELS and all(kind != "hint" for _s, kind, _t, _d in element_rules):
                    cascades[own_key] = cascade
            for pseudo_type, style in cascade.items():
                cascaded_styles[etree_element, pseudo_type] = style

            key = (keys[parent] if parent is not None else None, *own_key)
            keys[etree_element] = key
            token = tokens.get(key)
            if token is None and len(tokens) < MAX_MODELS:
                token = tokens[key] = len(tokens)
            self._irdocs_tokens[etree_element] = token
            if key in own:
                computed_styles[etree_element, None] = own[key]
                continue
            model = models.get(key)
            if model is not None and not model.filled:
                model.fill()
            if model is not None:
                if parent is None:
                    parent_style, root_style = None, InitialStyle(font_config)
                else:
                    parent_style, root_style = computed_styles[parent, None], computed_styles[root_element, None]
                computed = copy_of(model.style, parent_style, root_style, html.base_url, font_config, self.initial_page_sizes)
                computed_styles[etree_element, None] = computed
                if target_collector and computed["anchor"]:
                    target_collector.collect_anchor(computed["anchor"])
            else:
                self.set_computed_styles(etree_element, root=root_element, parent=parent, base_url=html.base_url, target_collector=target_collector)
                computed = computed_styles[etree_element, None]
                parent_model = models.get(keys[parent]) if parent is not None else None
                if _count[0] < MAX_MODELS and (parent is None or parent_model is not None):
                    if parent is None:
                        model_parent, model_root = None, InitialStyle(font_config)
                    else:
                        model_parent = parent_model.style
                        model_root = models[keys[root_element]].style
                    model_style = ComputedStyle(model_parent, computed.cascaded, None, model_root, html.base_url, font_config, self.initial_page_sizes)
                    with _lock:
                        models[key] = _Model(model_style, computed)
                        _count[0] += 1
            own[key] = computed

        for element, pseudo_type in cascaded_styles:
            if pseudo_type:
                self.set_computed_styles(
                    element, pseudo_type=pseudo_type, root=root_element, parent=element, base_url=html.base_url, target_collector=target_collector
                )
        self._cascaded_styles.clear()

    StyleFor.__init__ = init
    return True
