"""Write the Word templates of agreement drafts: templates/agreements/agreement.docx and agreement-parallel.docx.

Nobody here has Word, so the templates are built with python-docx, the way a careful person would set
them up in Word: real styles (Title, Subtitle, Heading 1, Clause Text, Clause Item, ...), clause
numbering defined once in numbering.xml and linked to the styles (so clauses renumber when one is
left out), a "DRAFT - not for signature" header with the draft date, a "Page X of Y" footer made of
PAGE and NUMPAGES fields, and the docxtpl tags, each typed into a single run.

Staff may open the .docx files in Word and change fonts, sizes, spacing, margins, the header or the
footer; the wording of the clauses is in templates/agreements/clauses.yaml. Run this script again
only to start over from the original design:

    .venv/bin/python tools/make_agreement_templates.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from irdocs.render import normalize_docx  # noqa: E402

OUT = REPO / "templates" / "agreements"

FONT = "Times New Roman"  # every Word has it, with Cyrillic; LibreOffice uses a metric twin
BODY_SIZE = 11
PARALLEL_SIZE = 10  # the two-column parallel text
GREY = RGBColor(0x59, 0x59, 0x59)
CM = 567  # twentieths of a point in a centimetre

#: what may follow w:pBdr inside w:pPr, in schema order
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:contextualSpacing", "w:jc", "w:outlineLvl", "w:rPr")
#: numId of the English (and single-language) clause list, and of the Mongolian column's list
LIST_MAIN, LIST_MN = 1, 2


# --------------------------------------------------------------------------- XML helpers


def element(tag: str, **attributes) -> OxmlElement:
    node = OxmlElement(tag)
    for key, value in attributes.items():
        node.set(qn(f"w:{key}"), str(value))
    return node


def font(style, size: float, bold: bool = False, italic: bool = False, color: RGBColor | None = None, caps: bool = False) -> None:
    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    for attribute in ("eastAsia", "cs"):
        rfonts.set(qn(f"w:{attribute}"), FONT)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.all_caps = caps
    if color is not None:
        style.font.color.rgb = color


def spacing(style, before: float = 0, after: float = 6, line: float = 1.15, keep_next: bool = False, justify: bool = False, center: bool = False):
    paragraph = style.paragraph_format
    paragraph.space_before = Pt(before)
    paragraph.space_after = Pt(after)
    paragraph.line_spacing = line
    paragraph.keep_with_next = keep_next
    paragraph.widow_control = True
    if justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def number_style(style, num_id: int, level: int) -> None:
    """Link a paragraph style to a level of a clause list (the way Word's 'Define New Multilevel List' does)."""
    ppr = style.element.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = level
    numpr.get_or_add_numId().val = num_id


def language(style, tag: str) -> None:
    rpr = style.element.get_or_add_rPr()
    rpr.append(element("w:lang", val=tag))


# --------------------------------------------------------------------------- styles


def paragraph_style(document, name: str, based_on: str = "Normal"):
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    node = style.element
    for tag in ("w:pPr", "w:rPr", "w:rsid", "w:link"):
        for child in node.findall(qn(tag)):
            node.remove(child)
    if name != "Normal":
        style.base_style = styles[based_on]
    style.quick_style = True
    style.hidden = False
    style.unhide_when_used = False
    return style


def define_styles(document, size: float, narrow: bool = False) -> None:
    """The styles of a template; ``size`` is the text size (smaller in the two-column parallel text).

    Typesetting rules (issue 15): text is justified only in the full-width single-language draft; in
    the narrow columns of the parallel text it is set ragged right (justified, it left rivers of
    space). Headings keep with the next paragraph and their lines together; every paragraph has
    widow control; the signature intro keeps with the signature table, whose rows never split.
    """
    justify = not narrow
    styles = document.styles
    # Document defaults: the font everywhere, British English unless a style says Mongolian.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.find(qn("w:rFonts")).getparent().remove(rpr.find(qn("w:rFonts")))
    rpr.insert(0, element("w:rFonts", ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-GB")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    ppr.find(qn("w:spacing")).set(qn("w:after"), "120")

    normal = paragraph_style(document, "Normal")
    font(normal, size)
    spacing(normal, after=6)

    title = paragraph_style(document, "Title")
    font(title, 16, bold=True, caps=True)
    spacing(title, before=0, after=4, line=1.0, keep_next=True, center=True)
    title.paragraph_format.keep_together = True
    title.next_paragraph_style = styles["Subtitle"]

    subtitle = paragraph_style(document, "Subtitle")
    font(subtitle, size, italic=False)
    spacing(subtitle, before=0, after=4, line=1.15, keep_next=True, center=True)

    preamble = paragraph_style(document, "Preamble")
    font(preamble, size)
    spacing(preamble, before=12, after=6, justify=justify)

    heading = paragraph_style(document, "Heading 1")
    font(heading, size, bold=True)
    spacing(heading, before=12, after=4, line=1.15, keep_next=True)
    heading.paragraph_format.keep_together = True
    heading.element.get_or_add_pPr().get_or_add_outlineLvl().val = 0
    number_style(heading, LIST_MAIN, 0)

    heading2 = paragraph_style(document, "Heading 2")
    font(heading2, size, bold=True, italic=True)
    spacing(heading2, before=6, after=3, keep_next=True)
    heading2.paragraph_format.keep_together = True
    heading2.element.get_or_add_pPr().get_or_add_outlineLvl().val = 1

    clause = paragraph_style(document, "Clause Text")
    font(clause, size)
    spacing(clause, after=4, justify=justify)
    number_style(clause, LIST_MAIN, 1)

    item = paragraph_style(document, "Clause Item")
    font(item, size)
    spacing(item, after=2)
    number_style(item, LIST_MAIN, 2)

    body = paragraph_style(document, "Clause Body")
    font(body, size)
    spacing(body, after=4, justify=justify)
    body.paragraph_format.left_indent = Cm(1)

    # The Mongolian column of the parallel text: the same look, its own numbering and language.
    for name, base, level in (
        ("Heading 1 (Mongolian)", "Heading 1", 0),
        ("Clause Text (Mongolian)", "Clause Text", 1),
        ("Clause Item (Mongolian)", "Clause Item", 2),
    ):
        style = paragraph_style(document, name, based_on=base)
        number_style(style, LIST_MN, level)
        language(style, "mn-MN")
        if level == 0:
            style.element.get_or_add_pPr().get_or_add_outlineLvl().val = 0
    mn_body = paragraph_style(document, "Clause Body (Mongolian)", based_on="Clause Body")
    language(mn_body, "mn-MN")

    party = paragraph_style(document, "Signature Party")
    font(party, size, bold=True)
    spacing(party, before=0, after=0, line=1.0, keep_next=True)
    line = paragraph_style(document, "Signature Line")  # an empty paragraph underlined by its border
    font(line, size)
    spacing(line, before=42, after=3, line=1.0, keep_next=True)
    borders = element("w:pBdr")
    borders.append(element("w:bottom", val="single", sz=6, space=1, color="000000"))
    # w:pBdr must come before w:spacing and w:ind (Word rejects elements out of schema order)
    line.element.get_or_add_pPr().insert_element_before(borders, *PPR_AFTER_BORDER)
    line.paragraph_format.right_indent = Cm(0.6)
    intro = paragraph_style(document, "Signature Intro", based_on="Preamble")
    spacing(intro, before=18, after=12, keep_next=True, justify=justify)
    text = paragraph_style(document, "Signature Text")
    font(text, size - 1)
    spacing(text, before=0, after=0, line=1.1, keep_next=True)

    for name in ("Header", "Footer"):
        style = paragraph_style(document, name)
        font(style, 8.5, color=GREY)
        spacing(style, after=0, line=1.0)
    styles["Header"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    styles["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    # Automatic hyphenation (set in the settings part, make() below) for the text, never in titles,
    # headings, signatures, headers and footers: names and headings stay whole.
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Signature Intro", "Signature Party", "Signature Line", "Signature Text", "Header", "Footer"):
        ppr = styles[name].element.get_or_add_pPr()
        ppr.insert_element_before(element("w:suppressAutoHyphens"), *PPR_AFTER_SUPPRESS_HYPHENS)

    for name in ("Header", "Footer"):  # tab stops of the built-in styles are not needed
        ppr = styles[name].element.get_or_add_pPr()
        for tabs in ppr.findall(qn("w:tabs")):
            ppr.remove(tabs)


# --------------------------------------------------------------------------- numbering

LEVELS = [
    # (format, text, indent left, hanging) in twips
    ("decimal", "%1.", CM, CM),
    ("decimal", "%1.%2.", CM, CM),
    ("lowerLetter", "(%3)", 2 * CM, CM),
]


def clause_list(abstract_id: int, name: str, styles: list[str]) -> OxmlElement:
    """A multilevel list: '1.' for clause headings, '1.1.' for clause paragraphs, '(a)' for items."""
    abstract = element("w:abstractNum", abstractNumId=abstract_id)
    abstract.append(element("w:nsid", val=f"{0x1A2B3C00 + abstract_id:08X}"))
    abstract.append(element("w:multiLevelType", val="multilevel"))
    abstract.append(element("w:name", val=name))
    for level in range(9):
        fmt, text, left, hanging = (
            LEVELS[level] if level < len(LEVELS) else ("decimal", "%1.%2." + "".join(f"%{i + 1}." for i in range(2, level + 1)), CM * (level + 1), CM)
        )
        lvl = element("w:lvl", ilvl=level)
        lvl.append(element("w:start", val=1))
        lvl.append(element("w:numFmt", val=fmt))
        if level < len(styles):
            lvl.append(element("w:pStyle", val=styles[level]))
        lvl.append(element("w:lvlText", val=text))
        lvl.append(element("w:lvlJc", val="left"))
        ppr = element("w:pPr")
        ppr.append(element("w:tabs"))
        ppr[0].append(element("w:tab", val="num", pos=left))
        ppr.append(element("w:ind", left=left, hanging=hanging))
        lvl.append(ppr)
        abstract.append(lvl)
    return abstract


def define_numbering(document) -> None:
    numbering = document.part.numbering_part.element
    for child in list(numbering):  # the default template's unused lists
        numbering.remove(child)
    styles = document.styles
    main = [styles[n].style_id for n in ("Heading 1", "Clause Text", "Clause Item")]
    mongolian = [styles[n].style_id for n in ("Heading 1 (Mongolian)", "Clause Text (Mongolian)", "Clause Item (Mongolian)")]
    numbering.append(clause_list(10, "Agreement clauses", main))
    numbering.append(clause_list(11, "Agreement clauses (Mongolian column)", mongolian))
    for num_id, abstract_id in ((LIST_MAIN, 10), (LIST_MN, 11)):
        num = element("w:num", numId=num_id)
        num.append(element("w:abstractNumId", val=abstract_id))
        numbering.append(num)


# --------------------------------------------------------------------------- page, header, footer


def field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES): begin, instruction, separate, last shown result, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind:
            run._r.append(element("w:fldChar", fldCharType=kind))
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def page_setup(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.0)
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.add_run("{{ draft_note }} · {{ draft_date }}")
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.add_run("{{ page_word }} ")
    field(footer, "PAGE", "1")
    footer.add_run(" {{ of_word }} ")
    field(footer, "NUMPAGES", "1")


# --------------------------------------------------------------------------- body


def tag(container, text: str, style: str = "Normal"):
    """A paragraph holding one docxtpl tag (a {%p ... %} paragraph disappears from the output)."""
    paragraph = container.add_paragraph(style=style)
    paragraph.add_run(text)
    return paragraph


#: paragraph kind -> (style of the single-language text, style of the Mongolian column)
KIND_STYLES = {
    "heading": ("Heading 1", "Heading 1 (Mongolian)"),
    "item": ("Clause Item", "Clause Item (Mongolian)"),
    "plain": ("Clause Body", "Clause Body (Mongolian)"),
    "preamble": ("Preamble", "Preamble"),
    "text": ("Clause Text", "Clause Text (Mongolian)"),
}


def clause_paragraphs(add, variable: str, mongolian: bool = False) -> None:
    """One paragraph per kind, chosen by the paragraph's 'kind' ({%p if %} ... {%p endif %}).

    ``add(text, style)`` appends a paragraph to the body or to a table cell.
    """
    kinds = list(KIND_STYLES)
    for index, kind in enumerate(kinds):
        keyword = "if" if index == 0 else "elif"
        add("{%p " + keyword + f" para.kind == '{kind}' " + "%}" if kind != kinds[-1] else "{%p else %}", "Normal")
        add("{{ para." + variable + " }}", KIND_STYLES[kind][1 if mongolian else 0])
    add("{%p endif %}", "Normal")


TBLPR_ORDER = ["w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc"]
TBLPR_ORDER += ["w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"]


def schema_order(table) -> None:
    """Put the table properties in the order the file format requires (Word is strict about it)."""
    tblpr = table._tbl.tblPr
    rank = {qn(tag): index for index, tag in enumerate(TBLPR_ORDER)}
    children = sorted(tblpr, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        tblpr.remove(child)
        tblpr.append(child)


def no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(element(f"w:{side}", val="nil"))
    tblpr.append(borders)


def table_width(table, widths_cm: list[float]) -> None:
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    tblpr.append(element("w:tblW", w=5000, type="pct"))
    tblpr.append(element("w:tblLayout", type="fixed"))
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(width * CM)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def signature_table(document, text_width: float) -> None:
    """A borderless table with one column per party: {%tc for %} repeats the middle column of each row.

    The names go in the first row and the signature lines in the second, so the lines of all parties
    stay level however long their names are.
    """
    tag(document, "{{ signature_intro }}", "Signature Intro")
    table = document.add_table(rows=2, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(table)
    table_width(table, [text_width / 3] * 3)
    for row in table.rows:
        start, _, end = row.cells
        cell_adder(start)("{%tc for party in signatures %}", "Normal")
        cell_adder(end)("{%tc endfor %}", "Normal")
        row._tr.get_or_add_trPr().append(element("w:cantSplit"))
    add = cell_adder(table.rows[0].cells[1])
    add("{{ party.heading }}", "Signature Party")
    add("{%p for line in party.heading_lines %}", "Signature Party")
    add("{{ line }}", "Signature Party")
    add("{%p endfor %}", "Signature Party")
    add = cell_adder(table.rows[1].cells[1])
    add("", "Signature Line")
    add("{%p for line in party.lines %}", "Signature Text")
    add("{{ line | unbroken if loop.first else line }}", "Signature Text")  # the signer's name on one line
    add("{%p endfor %}", "Signature Text")
    # the signers' names in the Mongol script (institution.yaml's and the agreement's name_mong), under
    # their lines: a row of Word's own vertical text (the helper's cell), kept only when a Mongolian
    # draft has one ({%tr if %} rows); a signer without one leaves the cell empty
    opening, row, closing = table.add_row(), table.add_row(), table.add_row()
    cell_adder(opening.cells[0])("{%tr if signature_mong %}", "Normal")
    cell_adder(closing.cells[0])("{%tr endif %}", "Normal")
    row._tr.get_or_add_trPr().append(element("w:cantSplit"))
    row._tr.get_or_add_trPr().append(element("w:trHeight", val=int(MONGOL_SIGNER_HEIGHT * CM), hRule="exact"))
    start, cell, end = row.cells
    cell_adder(start)("{%tc for party in signatures %}", "Normal")
    cell_adder(end)("{%tc endfor %}", "Normal")
    vertical_cell(cell, "{{ party.name_mong }}", MONGOL_SIGNER_SIZE)
    cell._tc.get_or_add_tcPr().append(element("w:vAlign", val="bottom"))  # the column at the cell's left, under the line's start
    schema_order(table)


MONGOL_SIGNER_SIZE = 7  # points: a signer's name in the Mongol script
MONGOL_SIGNER_HEIGHT = 3.0  # cm: the length its column may take (a draft fits it to its longest name)


def vertical_cell(cell, text: str, size: float = 11) -> None:
    """A table cell of Word's own vertical text in the Mongol script: text direction top to bottom
    (w:textDirection tbRl: Word and LibreOffice turn the line a quarter clockwise), one line of
    ``text`` (a docxtpl expression) in the Mongolian font at ``size`` points."""
    cell._tc.get_or_add_tcPr().append(element("w:textDirection", val="tbRl"))
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(size * 1.25)  # the column's width, exactly: the cell holds it
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.color.rgb = RGBColor(0x1D, 0x3F, 0x72)
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), MONGOL_FONT)


MONGOL_FONT = "Noto Sans Mongolian"  # Debian's fonts-noto-core; the office may name Mongolian Baiti


def mongol_vertical(document, columns: str, height_cm: float = 5.0, condition: str | None = None, width_cm: float = 1.0, centred: bool = False):
    """The Word helper for the Mongol script: a borderless table with one cell per column, each cell's
    text direction top to bottom (w:textDirection tbRl: Word and LibreOffice turn the line a quarter
    clockwise), the cells running left to right. The text stays Word text the office can edit.

    ``columns`` is the docxtpl expression of the lines (one a column), e.g. ``mongol.university`` (the
    records' institution.yaml): the cells are a {%tc for %} loop, three in the template (the loop's
    start, its cell, its end); irdocs.documents.agreements.kind.fit_vertical_tables fits the table's grid to the
    cells the draft has. ``condition`` (a docxtpl expression) keeps the table only when it is true:
    {%tr if %} rows. ``centred`` centres the columns on the page (else they stand at the left).
    """
    rows = 3 if condition else 1
    table = document.add_table(rows=rows, cols=3)
    no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER if centred else WD_TABLE_ALIGNMENT.LEFT
    table_width(table, [width_cm] * 3)
    row = table.rows[1 if condition else 0]
    if condition:
        cell_adder(table.rows[0].cells[0])("{%tr if " + condition + " %}", "Normal")
        cell_adder(table.rows[2].cells[0])("{%tr endif %}", "Normal")
    height = element("w:trHeight", val=int(height_cm * CM), hRule="exact")
    row._tr.get_or_add_trPr().append(height)
    start, cell, end = row.cells
    cell_adder(start)("{%tc for column in " + columns + " %}", "Normal")
    cell_adder(end)("{%tc endfor %}", "Normal")
    vertical_cell(cell, "{{ column }}")
    schema_order(table)
    return table


def single_language(document) -> None:
    # the Mongol script beside the Cyrillic (Law on the Mongolian Language, art. 7.2), in a Mongolian draft only
    mongol_vertical(document, "mongol.university", condition="mongol.university", centred=True)
    tag(document, "{{ title }}", "Title")
    tag(document, "{{ subtitle }}", "Subtitle")
    tag(document, "{%p for para in paragraphs %}")
    clause_paragraphs(lambda text, style: tag(document, text, style), "text")
    tag(document, "{%p endfor %}")


def cell_adder(cell):
    """Add paragraphs to a cell, using the empty paragraph a new cell starts with first."""
    state = {"first": True}

    def add(text: str, style: str) -> None:
        if state["first"]:
            paragraph = cell.paragraphs[0]
            paragraph.style = cell.part.document.styles[style]
            paragraph.add_run(text)
            state["first"] = False
        else:
            cell.add_paragraph(text, style=style)

    return add


def parallel(document, text_width: float) -> None:
    mongol_vertical(document, "mongol.university", condition="mongol.university", centred=True)
    tag(document, "{{ title }}", "Title")
    tag(document, "{{ title_mn }}", "Title")
    tag(document, "{{ subtitle }}", "Subtitle")
    tag(document, "{{ subtitle_mn }}", "Subtitle")
    table = document.add_table(rows=3, cols=2)
    no_borders(table)
    table_width(table, [text_width / 2, text_width / 2])
    tblpr = table._tbl.tblPr
    margins = element("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(element(f"w:{side}", w=int(0.3 * CM), type="dxa"))
    tblpr.append(margins)
    inside = tblpr.find(qn("w:tblBorders")).find(qn("w:insideV"))
    inside.set(qn("w:val"), "single")
    inside.set(qn("w:sz"), "4")
    inside.set(qn("w:color"), "A6A6A6")
    cell_adder(table.rows[0].cells[0])("{%tr for para in paragraphs %}", "Normal")
    cell_adder(table.rows[2].cells[0])("{%tr endfor %}", "Normal")
    english, mongolian = table.rows[1].cells
    clause_paragraphs(cell_adder(english), "text")
    clause_paragraphs(cell_adder(mongolian), "text_mn", mongolian=True)
    schema_order(table)


def properties(document, title: str) -> None:
    core = document.core_properties
    core.title = title
    core.subject = "Agreement drafts of the Department for International Relations"
    core.author = "irdocs"
    core.last_modified_by = "irdocs"
    # No template tags here: docxtpl renders the document properties too.
    core.comments = "A docxtpl template of irdocs: the tags are filled from the records. Made by tools/make_agreement_templates.py."
    core.keywords = ""
    core.category = ""
    core.revision = 1
    fixed = dt.datetime(2026, 1, 1)
    core.created = core.modified = core.last_printed = fixed


#: w:pPr children that come after w:suppressAutoHyphens (schema order; Word rejects elements out of order)
PPR_AFTER_SUPPRESS_HYPHENS = tuple(
    f"w:{name}"
    for name in (
        "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
        "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
        "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    )
)  # fmt: skip


def hyphenation(document) -> None:
    """Automatic hyphenation for the whole document (w:autoHyphenation in the settings part): justified
    text without it leaves wide gaps. At most two hyphenated lines in a row; words in capitals stay whole.
    Word and LibreOffice hyphenate by each paragraph's language (LibreOffice with Debian's hyphen-en-us
    and hyphen-mn patterns)."""
    settings = document.settings.element
    after = ("w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps", "w:showEnvelope", "w:summaryLength",
             "w:clickAndTypeStyle", "w:defaultTableStyle", "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting",
             "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing", "w:drawingGridVerticalSpacing",
             "w:displayHorizontalDrawingGridEvery", "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
             "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData", "w:noPunctuationKerning",
             "w:characterSpacingControl", "w:printTwoOnOne", "w:strictFirstAndLastChars", "w:noLineBreaksAfter",
             "w:noLineBreaksBefore", "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
             "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly",
             "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace", "w:updateFields",
             "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
             "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
             "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
             "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")  # fmt: skip
    for name in ("w:doNotHyphenateCaps", "w:consecutiveHyphenLimit", "w:autoHyphenation"):
        for old in settings.findall(qn(name)):
            settings.remove(old)
    settings.insert_element_before(element("w:doNotHyphenateCaps"), *after[3:])
    settings.insert_element_before(element("w:consecutiveHyphenLimit", val=2), *after[1:])
    settings.insert_element_before(element("w:autoHyphenation"), *after)


def make(parallel_text: bool) -> bytes:
    document = Document()
    define_styles(document, PARALLEL_SIZE if parallel_text else BODY_SIZE, narrow=parallel_text)
    define_numbering(document)
    page_setup(document)
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    text_width = 21.0 - 2.5 - 2.0
    if parallel_text:
        parallel(document, text_width)
    else:
        single_language(document)
    signature_table(document, text_width)
    properties(document, "Agreement draft (English and Mongolian side by side)" if parallel_text else "Agreement draft")
    hyphenation(document)
    package = document.part.package
    for key, relationship in list(package.rels.items()):  # python-docx's sample thumbnail
        if relationship.reltype.endswith("/thumbnail"):
            del package.rels[key]
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_docx(buffer.getvalue())


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, parallel_text in (("agreement.docx", False), ("agreement-parallel.docx", True)):
        (OUT / name).write_bytes(make(parallel_text))
        print(f"wrote {(OUT / name).relative_to(REPO)}")


if __name__ == "__main__":
    main()
