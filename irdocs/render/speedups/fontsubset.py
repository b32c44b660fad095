"""Small font subsets: a certificate with a Japanese name no longer carries 60 KB of empty glyphs.

WeasyPrint 70 (``weasyprint/pdf/fonts.py``, ``Font._harfbuzz_subset``) writes each glyph's number
in the font file into the page as the glyph's code, so it subsets a font keeping every glyph's
number (HarfBuzz's "retain glyph ids"): the subset has every glyph up to the highest one used, the
unused ones empty. A CJK face has 65,000 glyphs and a kanji or hangul is numbered 10,000 to 60,000,
so a subset of the 2 to 6 glyphs of a name kept tens of thousands of empty glyphs, each with its
widths (``hmtx``, ``vmtx``) and its entry in the outlines (``CFF``): 230 to 620 KB before
compression, about 60 KB in the file, and 29 to 53 ms of subsetting, for a few glyphs of 2 KB.

``install()`` subsets these fonts keeping only the glyphs used, renumbered 0, 1, 2..., while the
page's codes (the PDF's CIDs) stay the old numbers. That needs no change to the page for a
CID-keyed CFF font (the Noto CJK faces): a PDF reader finds a code's glyph through the font's own
charset, which HarfBuzz keeps (the subset's glyph 2 is still CID 20431). The font is embedded as
its bare CFF program (``FontFile3``, subtype ``CIDFontType0C``, shown as "CID Type 0C" by
pdffonts) rather than the OpenType file around it: readers that use FreeType (poppler, so
Evince and pdftoppm) look CIDs up in the charset only for a bare CFF program, and the OpenType
tables around it (widths, names) are not used by a PDF anyway. This is done only when the
subset's charset says so for every glyph used; other fonts (the TrueType Latin faces, whose
subsets are small anyway) get WeasyPrint's own subset, byte for byte as before.

Both subsets pass HarfBuzz arrays of glyph numbers, made as ``ffi.new("hb_codepoint_t[23]", ...)``:
cffi reads each new length's type with its C parser, which re-reads every declaration WeasyPrint
made, 6 ms a length (46 new lengths in 192 certificates, and 14 in a worker's first one). Here
those array types are made directly (``_array_types``): the same type object, no parsing.

A subset asked for a second time in a process (the same face, glyphs and options: the fonts of a
design's fixed texts, 963 of the 1,469 subsets of the sample's certificates) is the one made the
first time (``_subsets``, at most 32 MB), byte for byte; IRDOCS_SUBSET_EVERY_TIME makes each anew.

The text layer (``ToUnicode``), the widths (``W``) and PDF/A are unchanged: they are written by
code, and the codes are unchanged. ``tests/render/test_fontsubset.py`` compares the pages pixel for
pixel with and without this, extracts the text, and checks the sizes. Set the environment variable
IRDOCS_RETAIN_GLYPH_IDS to make WeasyPrint's subsets (the comparison does).
"""

from __future__ import annotations

import os

from .. import WarningCollector
from . import expect_source, install_once, seen_before, source_digest

#: The WeasyPrint functions this replaces or wraps, as checked (``weasypatch.expect_source``).
CHECKED_SOURCES = {
    "weasyprint.pdf.fonts.Font.subset": "61ed6bc2e9a7",
    "weasyprint.pdf.fonts.Font._harfbuzz_subset": "f80805663ede",
    "weasyprint.pdf.fonts._build_vector_font_dictionary": "aa6eea312c6e",  # writes the codes as CIDs; wrapped
    "weasyprint.pdf.fonts.Font.type": "31376bf9b326",  # replaced: a bare CFF program is a CFF font too
}
#: cffi's function ``_array_types`` wraps, as checked; cffi is not pinned: another one is left alone.
CFFI_TYPEOF = "dca47e1e87e0"

#: Tables WeasyPrint drops from every subset (``Font._harfbuzz_subset``): dropped here too.
_DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")
#: HarfBuzz's value for "no such glyph" in a glyph map.
_NO_GLYPH = 0xFFFFFFFF

_state = {"installed": False}
_hb: dict = {}  # HarfBuzz's subset plan functions, declared when first needed


def installed() -> bool:
    return _state["installed"]


def install() -> bool:
    """Make WeasyPrint's font subsets hold only the glyphs used; True if this is (now) in place."""
    return install_once(_state, "IRDOCS_RETAIN_GLYPH_IDS", _apply)


def _harfbuzz_plan():
    """HarfBuzz's subset plan functions (WeasyPrint declares only the one-step subset)."""
    if not _hb:
        from cffi import FFI
        from weasyprint.text import ffi as weasy

        ffi = FFI()
        ffi.include(weasy.ffi)  # the same hb_face_t, hb_subset_input_t...: WeasyPrint's objects pass as they are
        ffi.cdef(
            """
            typedef ... hb_subset_plan_t;
            typedef ... hb_map_t;
            hb_subset_plan_t * hb_subset_plan_create_or_fail (hb_face_t *source, const hb_subset_input_t *input);
            void hb_subset_plan_destroy (hb_subset_plan_t *plan);
            hb_face_t * hb_subset_plan_execute_or_fail (hb_subset_plan_t *plan);
            const hb_map_t * hb_subset_plan_old_to_new_glyph_mapping (const hb_subset_plan_t *plan);
            hb_codepoint_t hb_map_get (const hb_map_t *map, hb_codepoint_t key);
            """
        )
        names = (
            "libharfbuzz-subset-0",
            "harfbuzz-subset",
            "harfbuzz-subset-0.0",
            "libharfbuzz-subset.so.0",
            "libharfbuzz-subset.0.dylib",
            "libharfbuzz-subset-0.dll",
        )
        _hb.update(ffi=ffi, plan=weasy._dlopen(ffi, *names))  # the names WeasyPrint loads it by
    return _hb["ffi"], _hb["plan"]


def _compact_subset(font, glyphs: list[int], hinting: bool) -> tuple[bytes, dict[int, int]] | None:
    """(the subset's CFF program, {old glyph id: new}) with only ``glyphs`` (and .notdef), or None."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    plan_ffi, plan_lib = _harfbuzz_plan()
    subset_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    if subset_input == ffi.NULL:
        return None
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    wanted = sorted({0, *glyphs})
    harfbuzz.hb_set_add_sorted_array(glyph_set, ffi.new(f"hb_codepoint_t[{len(wanted)}]", wanted), len(wanted))
    flags = harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    drop = harfbuzz_subset.hb_subset_input_set(subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in _DROP_TABLES)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
    plan = plan_lib.hb_subset_plan_create_or_fail(font.hb_face, subset_input)
    if plan == plan_ffi.NULL:
        return None
    try:
        glyph_map = plan_lib.hb_subset_plan_old_to_new_glyph_mapping(plan)
        mapping = {old: plan_lib.hb_map_get(glyph_map, old) for old in wanted}
        if any(new == _NO_GLYPH for new in mapping.values()):
            return None
        face = plan_lib.hb_subset_plan_execute_or_fail(plan)
        if face == plan_ffi.NULL:
            return None
        face = ffi.gc(face, harfbuzz.hb_face_destroy)
        blob = ffi.gc(harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"CFF ", -1)), harfbuzz.hb_blob_destroy)
        length = ffi.new("unsigned int *")
        pointer = harfbuzz.hb_blob_get_data(blob, length)
        data = bytes(ffi.buffer(pointer, length[0])) if length[0] else b""
    finally:
        plan_lib.hb_subset_plan_destroy(plan)
    return (data, mapping) if data else None


#: (face, glyphs, options) -> (the subset's bytes, a bare CFF program?): the same subset asked for
#: again (the fonts of a design's fixed texts: 963 of 1,469 subsets in the sample's certificates)
#: is not made again. Kept from its second time on, at most MAX_KEPT_SUBSETS bytes of them, none
#: larger than MAX_KEPT_SUBSET.
_subsets: dict[tuple, tuple[bytes, bool]] = {}
_subsets_size = [0]
MAX_KEPT_SUBSETS = 32 * 2**20
MAX_KEPT_SUBSET = 2 * 2**20


def _subset_key(font, to_unicode, hinting: bool) -> tuple | None:
    """What a font's subset depends on: its face (its description, the index and length of its
    file, its glyph count), the glyphs used, hinting and whether glyphs are missing; None for
    fonts whose subset is made otherwise (bitmaps, colour, variable fonts)."""
    from weasyprint.text.ffi import ffi, harfbuzz

    if font.bitmap or font.png or font.svg or font.colr or "fvar" in font.tables or not to_unicode:
        return None
    blob = ffi.gc(harfbuzz.hb_face_reference_blob(font.hb_face), harfbuzz.hb_blob_destroy)
    face = (font.hash, font.index, harfbuzz.hb_blob_get_length(blob), font.glyph_count)
    return face, tuple(sorted(to_unicode)), bool(hinting), tuple(sorted(font.missing.items()))


#: The hashes of the subsets asked for once (``seen_before``).
_seen: set[int] = set()


def _array_types(ffi) -> None:
    """Make ``ffi`` build "hb_codepoint_t[N]" types directly, not with its C parser (cffi keeps
    each type it made by its text; this puts them there first: the same object it would make)."""
    import re

    original = ffi._typeof
    pattern = re.compile(r"hb_codepoint_t\[(\d+)\]")

    def typeof(cdecl, consider_function_as_funcptr=False):
        if cdecl.__class__ is str and cdecl not in ffi._parsed_types and (match := pattern.fullmatch(cdecl)):
            pointer = ffi._backend.new_pointer_type(original("hb_codepoint_t"))
            ffi._parsed_types[cdecl] = (ffi._backend.new_array_type(pointer, int(match[1])), False)
        return original(cdecl, consider_function_as_funcptr)

    ffi._typeof = typeof


def _cff_keeps_cids(data: bytes, mapping: dict[int, int]) -> bool:
    """Whether ``data`` is a CID-keyed CFF program whose glyph ``new`` has CID ``old`` for every pair."""
    import io

    from fontTools.cffLib import CFFFontSet

    try:
        fonts = CFFFontSet()
        fonts.decompile(io.BytesIO(data), None)
        top = fonts.topDictIndex[0]
        if not hasattr(top, "ROS"):
            return False
        names = top.charset
        return all(new < len(names) and names[new] == (".notdef" if old == 0 else f"cid{old:05d}") for old, new in mapping.items())
    except Exception:  # an unusual font: WeasyPrint's own subset is made instead
        return False


def _apply() -> bool:
    import weasyprint.pdf.fonts as fonts
    from weasyprint.logger import LOGGER

    for name, digest in CHECKED_SOURCES.items():
        expect_source(name, digest)
    from weasyprint.text.ffi import ffi

    if source_digest("cffi.api.FFI._typeof") == CFFI_TYPEOF:
        _array_types(ffi)
    original_subset = fonts.Font.subset
    original_type = fonts.Font.type.fget
    original_dictionary = fonts._build_vector_font_dictionary

    every_time = bool(os.environ.get("IRDOCS_SUBSET_EVERY_TIME"))

    def subset(self, to_unicode, hinting):
        key = None if every_time else _subset_key(self, to_unicode, hinting)
        kept = _subsets.get(key) if key is not None else None
        if kept is not None:
            self.file_content, bare = kept
            if bare:
                self.__dict__["_irdocs_bare_cff"] = True
            return None
        made = made_subset(self, to_unicode, hinting)
        if key is not None and not self.__dict__.get("_irdocs_not_kept") and seen_before(_seen, hash(key), 100_000):
            content = self.file_content
            if isinstance(content, bytes) and len(content) <= MAX_KEPT_SUBSET and _subsets_size[0] + len(content) <= MAX_KEPT_SUBSETS:
                _subsets[key] = (content, bool(self.__dict__.get("_irdocs_bare_cff")))
                _subsets_size[0] += len(content)
        return made

    def made_subset(self, to_unicode, hinting):
        glyphs = [glyph for glyph in to_unicode if glyph < self.glyph_count]
        if glyphs and "CFF " in self.tables and not (self.bitmap or self.png or self.svg or self.colr or "fvar" in self.tables):
            made = _compact_subset(self, glyphs, hinting)
            if made is not None and _cff_keeps_cids(*made):
                self.file_content = made[0]
                self.__dict__["_irdocs_bare_cff"] = True
                return None
        warned = WarningCollector()
        LOGGER.addHandler(warned)
        try:
            return original_subset(self, to_unicode, hinting)
        finally:
            LOGGER.removeHandler(warned)
            if warned.messages:  # HarfBuzz could not subset it: the whole font stays, not kept
                self.__dict__["_irdocs_not_kept"] = True

    def font_type(self):
        return "otf" if self.__dict__.get("_irdocs_bare_cff") else original_type(self)

    def vector_font_dictionary(font_dictionary, pdf, font, widths, compress, reference, pdf_version):
        original_dictionary(font_dictionary, pdf, font, widths, compress, reference, pdf_version)
        if font.__dict__.get("_irdocs_bare_cff"):
            # WeasyPrint marks a CFF font's file as an OpenType one: this one is the bare CFF program
            pdf.objects[int(reference.split()[0])].extra["Subtype"] = "/CIDFontType0C"

    fonts.Font.subset = subset
    fonts.Font.type = property(font_type)
    fonts._build_vector_font_dictionary = vector_font_dictionary
    return True
