"""irdocs/render/speedups/htmlparse.py: a certificate (well-formed, and saying so) is read by the XML
parser into the very tree WeasyPrint's HTML parser builds; the PDFs are byte for byte the same."""

from __future__ import annotations

import pytest
from conftest import certificates_with_and_without, of_each_design


def _tree(element) -> list:
    """Every element's tag, attributes, text and tail, in order."""
    return [(e.tag, sorted(e.attrib.items()), e.text, e.tail) for e in element.iter()]


def _certificate_html(records, honoree) -> str:
    from irdocs import default_templates
    from irdocs.documents.certificates.kind import CertificateMaker

    maker = CertificateMaker(records.institution, records.root, default_templates() / "certificates")
    return maker.html(honoree, "MNUMS-HD-2020-0001", "ABCDEFGHJK")


def test_a_certificate_is_read_into_the_html_parsers_tree(sample_records):
    import tinyhtml5

    from irdocs.render.speedups.htmlparse import parse_well_formed

    parse = getattr(tinyhtml5.parse, "__wrapped__", None) or tinyhtml5.parse
    chosen: dict[str, object] = {}
    for honoree in sample_records.honorees:
        chosen.setdefault(honoree.title, honoree)
        if honoree.native_name or honoree.name_mong:
            chosen.setdefault(f"{honoree.country}{bool(honoree.name_mong)}", honoree)
    assert len(chosen) >= 6
    for honoree in chosen.values():
        html = _certificate_html(sample_records, honoree)
        read = parse_well_formed(html)
        assert read is not None, honoree.id
        assert _tree(read) == _tree(parse(html, namespace_html_elements=False)), honoree.id


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html><html><head></head><body><p>no mark</p></body></html>",
        "<!DOCTYPE html><!-- irdocs: well-formed --><html><head><meta charset='utf-8'></head><body></body></html>",  # not XML
        "<!DOCTYPE html><!-- irdocs: well-formed --><html><head></head><body><p>&nbsp;</p></body></html>",  # an HTML entity
        "<!DOCTYPE html><!-- irdocs: well-formed --><html><head></head><body><math><mi>x</mi></math></body></html>",
        "<!DOCTYPE html><!-- irdocs: well-formed --><html><body></body></html>",  # no head: HTML would add one
        "<!DOCTYPE html><!-- irdocs: well-formed --><html><head></head><body></body></html>text after",
    ],
)
def test_anything_else_is_left_to_the_html_parser(html):
    from irdocs.render.speedups.htmlparse import parse_well_formed

    assert parse_well_formed(html) is None


def test_certificates_are_byte_identical_read_as_xml(tmp_path, sample_records):
    ids = of_each_design(sample_records, 2)
    xml, html = certificates_with_and_without(tmp_path, ids, "irdocs.render.speedups.htmlparse", "IRDOCS_PARSE_AS_HTML")
    assert len(ids) >= 8 and xml == html
