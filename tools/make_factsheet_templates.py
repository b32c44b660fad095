"""Write the Word templates of the fact sheets: templates/factsheets/{department,country,partner}.docx.

    .venv/bin/python tools/make_factsheet_templates.py

The templates are ordinary Word documents with docxtpl tags ({{ ... }}, {%p ... %} for a
paragraph, {%tr ... %} for a table row) and real Word styles: Title, Subtitle, Heading 1 and 2,
List Bullet, Caption, and two table styles ("Fact Sheet Table", "Fact Sheet Facts"), so the
office can restyle a sheet in Word (Home > Styles) and copy paragraphs and tables from the
generated documents.  They show the same content, in the same order, as the HTML templates of the
PDF.  Staff may also edit a generated template in Word: keep each tag in one piece (type it in
one go), then check with ``irdocs factsheet department``.

Run again after changing this script; the output is byte-identical for the same script.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from irdocs.render import normalize_docx  # noqa: E402

OUT = REPO / "templates" / "factsheets"
NAVY = RGBColor(0x1D, 0x3F, 0x72)
GOLD = RGBColor(0xB0, 0x8D, 0x3C)
GREY = RGBColor(0x3B, 0x4A, 0x63)
TEXT = RGBColor(0x1F, 0x24, 0x30)
SANS, SERIF, CJK = "Noto Sans", "Noto Serif", "Noto Sans CJK JP"
TEXT_WIDTH_MM = 178

TABLE_STYLE = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="FactSheetTable">
  <w:name w:val="Fact Sheet Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="30" w:after="30" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>
  <w:tblPr>
    <w:tblStyleRowBandSize w:val="1"/>
    <w:tblBorders>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="D9DEE6"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="D9DEE6"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="45" w:type="dxa"/><w:left w:w="110" w:type="dxa"/>
      <w:bottom w:w="45" w:type="dxa"/><w:right w:w="110" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tblPr/>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1D3F72"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="lastRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tblPr/>
    <w:tcPr><w:tcBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="1D3F72"/></w:tcBorders></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="band2Horz">
    <w:tblPr/>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F6F8FB"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""

FACTS_STYLE = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="FactSheetFacts">
  <w:name w:val="Fact Sheet Facts"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="10" w:after="10" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="D9DEE6"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="25" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>
      <w:bottom w:w="25" w:type="dxa"/><w:right w:w="110" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstCol">
    <w:rPr><w:color w:val="5B6678"/></w:rPr>
  </w:tblStylePr>
</w:style>
"""


# --------------------------------------------------------------------------- document and styles


def new_document():
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(16)
    section.top_margin, section.bottom_margin = Mm(15), Mm(17)
    section.footer_distance = Mm(8)
    styles = document.styles

    def fonts(style, family, east_asian=CJK):
        style.font.name = family
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attribute), None)
        rfonts.set(qn("w:eastAsia"), east_asian)
        rfonts.set(qn("w:cs"), family)

    normal = styles["Normal"]
    fonts(normal, SANS)
    normal.font.size = Pt(9.5)
    normal.font.color.rgb = TEXT
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.12
    # typesetting rules, as in the PDF: no line alone at a page's foot or head
    normal.paragraph_format.widow_control = True

    title = styles["Title"]
    fonts(title, SERIF, "Noto Serif CJK JP")
    title.font.size = Pt(22)
    title.font.bold = True
    title.font.color.rgb = NAVY
    title.paragraph_format.space_after = Pt(2)
    _remove_borders(title)

    subtitle = styles["Subtitle"]
    fonts(subtitle, SANS)
    subtitle.font.size = Pt(10.5)
    subtitle.font.italic = False
    subtitle.font.color.rgb = GREY
    subtitle.paragraph_format.space_after = Pt(4)

    for name, size, before in (("Heading 1", 13, 14), ("Heading 2", 10.5, 9)):
        heading = styles[name]
        fonts(heading, SERIF, "Noto Serif CJK JP")
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.color.rgb = NAVY
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True
    _bottom_border(styles["Heading 1"], "B08D3C", 6)

    caption = styles["Caption"]
    fonts(caption, SANS)
    caption.font.size = Pt(8)
    caption.font.bold = False
    caption.font.italic = True
    caption.font.color.rgb = GREY
    caption.paragraph_format.space_after = Pt(8)

    bullet = styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(2)

    def paragraph_style(name, size, base="Normal", bold=False, colour=None, family=None, after=None):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        if colour is not None:
            style.font.color.rgb = colour
        if family:
            fonts(style, family)
        if after is not None:
            style.paragraph_format.space_after = Pt(after)
        return style

    paragraph_style("Lead", 10.5, after=6)
    paragraph_style("Native Name", 12, colour=GREY, after=2)
    value = paragraph_style("Figure Value", 20, bold=True, colour=NAVY, family=SERIF, after=0)
    value.element.get_or_add_pPr().append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="18" w:space="4" w:color="B08D3C"/></w:pBdr>'))
    _shade(value, "EEF2F8")
    value.paragraph_format.keep_with_next = True
    label = paragraph_style("Figure Label", 8, colour=GREY, after=0)
    _shade(label, "EEF2F8")
    paragraph_style("Masthead University", 12.5, bold=True, colour=NAVY, family=SERIF, after=1)
    paragraph_style("Masthead Department", 9.5, colour=GREY, after=0)
    paragraph_style("Masthead Sheet", 8, colour=GREY, after=0).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table_text = paragraph_style("Table Text", 8.5, after=0)
    table_text.paragraph_format.line_spacing = 1.0
    table_text.paragraph_format.space_before = Pt(1)
    table_text.paragraph_format.space_after = Pt(1)
    paragraph_style("Table Detail", 7.6, base="Table Text", colour=RGBColor(0x5B, 0x66, 0x78), after=1)
    paragraph_style("Chart", 9.5, after=0).paragraph_format.keep_with_next = True
    contact = paragraph_style("Contact", 8.4, after=0)
    contact.paragraph_format.space_before = Pt(12)
    _shade(contact, "EEF2F8")
    for name, indent in (("Dated Item", 16), ("Timeline Item", 34)):
        dated = paragraph_style(name, 9.5, after=3)
        dated.paragraph_format.left_indent = Mm(indent)
        dated.paragraph_format.first_line_indent = Mm(-indent)
        dated.paragraph_format.tab_stops.add_tab_stop(Mm(indent), WD_TAB_ALIGNMENT.LEFT)
        dated.paragraph_format.keep_together = True
    styles["Dated Item"].font.size = Pt(9.5)

    styles.element.append(parse_xml(TABLE_STYLE))
    styles.element.append(parse_xml(FACTS_STYLE))
    _footer(document)
    return document


def _remove_borders(style):
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _bottom_border(style, colour: str, size: int):
    ppr = style.element.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="{size}" w:space="2" w:color="{colour}"/></w:pBdr>'))


def _shade(style, fill: str):
    ppr = style.element.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _field(paragraph, instruction: str):
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> {instruction} </w:instrText>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    paragraph.add_run("1")
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


def _footer(document):
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    for style in ("Footer",):
        document.styles[style].font.size = Pt(7)
        document.styles[style].font.color.rgb = RGBColor(0x6B, 0x72, 0x80)
    paragraph.add_run("{{ header.footer }}\t{{ labels.page }} ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" / ")
    _field(paragraph, "NUMPAGES")


# --------------------------------------------------------------------------- building blocks


def text(document, content: str, style: str = "Normal"):
    return document.add_paragraph(content, style=style)


def tag(document, content: str):
    """A paragraph that holds only a docxtpl tag ({%p ... %}): docxtpl removes it."""
    return document.add_paragraph(content)


def _no_borders(table):
    tblpr = table._tbl.tblPr
    tblpr.append(
        parse_xml(
            f"<w:tblBorders {nsdecls('w')}>"
            + "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + "</w:tblBorders>"
        )
    )


def _look(table, first_row: bool, last_row: bool = False, first_column: bool = False, bands: bool = True):
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblLook")):
        tblpr.remove(old)
    tblpr.append(
        parse_xml(
            f'<w:tblLook {nsdecls("w")} w:firstRow="{int(first_row)}" w:lastRow="{int(last_row)}" w:firstColumn="{int(first_column)}" '
            f'w:lastColumn="0" w:noHBand="{int(not bands)}" w:noVBand="1"/>'
        )
    )


def _widths(table, widths_mm):
    table.autofit = False
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(width * 56.7)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_shade(cell, fill: str, top_border: str | None = None):
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))
    if top_border:
        tcpr.append(parse_xml(f'<w:tcBorders {nsdecls("w")}><w:top w:val="single" w:sz="18" w:space="0" w:color="{top_border}"/></w:tcBorders>'))


def _set(cell, content: str, style: str | None = None, align_right: bool = False, bold: bool = False):
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(content)
    run.bold = bold or None
    if style:
        paragraph.style = style
    if align_right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


#: the Mongol-script masthead: where its columns stand (from the page's top-left corner, mm), their
#: width and height, the type size (the HTML's .mongol-masthead in factsheet.css, in the left margin).
#: The table must end inside the 16 mm margin (LibreOffice floats it only then), its glyphs stay 6 mm
#: from the edge (the printable area) and clear of the text; a cell narrower than its line clips them.
MONGOL_AT_MM, MONGOL_COLUMN_MM, MONGOL_HEIGHT_CM, MONGOL_SIZE = (5.3, 15), 4.2, 7.0, 8


def mongol_masthead(document):
    """The university's name in the Mongol script, on the Mongolian sheets only (``header.mongol``), in
    the left margin beside the masthead: the Word helper's vertical text (templates/README.md) in a
    table that floats there, so the masthead keeps its place. The office can edit it in Word."""
    if str(REPO / "tools") not in sys.path:  # the Word helper lives beside this script (also when loaded from a file)
        sys.path.insert(0, str(REPO / "tools"))
    from make_agreement_templates import element, mongol_vertical, schema_order

    tag(document, "{%p if header.mongol %}")
    table = mongol_vertical(document, "header.mongol", MONGOL_HEIGHT_CM, width_cm=MONGOL_COLUMN_MM / 10)
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    tblpr.append(element("w:tblW", w=int(MONGOL_COLUMN_MM * 56.7), type="dxa"))  # a column's: fitted to the draft's columns
    x, y = (int(v * 56.7) for v in MONGOL_AT_MM)
    tblpr.append(element("w:tblpPr", vertAnchor="page", horzAnchor="page", tblpX=x, tblpY=y, leftFromText=0, rightFromText=0))
    tblpr.append(element("w:tblOverlap", val="overlap"))
    margins = element("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(element(f"w:{side}", w=0, type="dxa"))
    tblpr.append(margins)
    _widths(table, [MONGOL_COLUMN_MM] * 3)
    cell = table.rows[0].cells[1]  # the loop's cell, between its start and its end
    cell.paragraphs[0].paragraph_format.line_spacing = Pt(MONGOL_SIZE * 1.25)  # the column's width, exactly
    for run in cell.paragraphs[0].runs:
        run.font.size = Pt(MONGOL_SIZE)
    schema_order(table)
    # a table is followed by a paragraph (else Word joins it to the next one): 1 pt high, so the masthead keeps its place
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_before = spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(1)
    spacer._p.get_or_add_pPr().append(parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="2"/></w:rPr>'))
    tag(document, "{%p endif %}")


def masthead(document):
    """Emblem, university and department, sheet and date; then the title block."""
    mongol_masthead(document)
    table = document.add_table(rows=1, cols=3)
    _no_borders(table)
    _widths(table, (24, 104, 50))
    emblem, names, sheet = table.rows[0].cells
    emblem.paragraphs[0].add_run("{{ header.emblem }}")
    _set(names, "{{ header.university|tie }}", "Masthead University")
    names.add_paragraph("{{ header.department|tie }}", style="Masthead Department")
    label = _set(sheet, "", "Masthead Sheet")
    run = label.add_run("{{ header.sheet }}")
    run.bold = True
    run.font.color.rgb = GOLD
    run.font.all_caps = True
    sheet.add_paragraph("{{ header.as_of }}", style="Masthead Sheet")
    for cell in (emblem, names, sheet):
        cell.vertical_alignment = 1  # centre
    rule = document.add_paragraph(style="Normal")
    rule.paragraph_format.space_after = Pt(10)
    rule.paragraph_format.space_before = Pt(0)
    ppr = rule._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="12" w:space="1" w:color="1D3F72"/></w:pBdr>'))
    sizes = rule.add_run()
    sizes.font.size = Pt(2)


def key_figures(document):
    """Up to four key figures side by side. A sheet leaves a zero figure out, so each box is drawn by
    its paragraphs (shaded by the 'Figure Value' and 'Figure Label' styles) and kept only when the
    sheet has that many figures: a missing one leaves no empty box."""
    table = document.add_table(rows=1, cols=7)
    _no_borders(table)
    _widths(table, (41.5, 3, 41.5, 3, 41.5, 3, 41.5))
    cells = table.rows[0].cells
    for index in range(4):
        cell = cells[index * 2]
        cell.paragraphs[0].add_run(f"{{%p if key_figures | length > {index} %}}")
        cell.add_paragraph(f"{{{{ key_figures[{index}].value }}}}", style="Figure Value")
        cell.add_paragraph(f"{{{{ key_figures[{index}].label }}}}", style="Figure Label")
        cell.add_paragraph("{%p endif %}")
        cell.add_paragraph("").paragraph_format.space_after = Pt(0)  # a cell keeps one paragraph
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def data_table(
    document,
    headers,
    cells,
    widths,
    loop: str,
    total: list[str] | None = None,
    numbers: tuple[int, ...] = (),
    keep_together: bool = True,
    keep_with_following: bool = False,
):
    """A table in the 'Fact Sheet Table' style: a header row, one row per item of ``loop``, an optional total row.

    The header's colours are also set on the cells and runs themselves: Word and LibreOffice let a
    paragraph style win over a table style, so the style alone could leave dark text on navy.
    ``keep_together`` keeps a short table on one page (each row keeps with the next); a long one
    keeps its header with its first two rows (the first item has a loop of its own), so a page never
    ends with a header and one row. ``keep_with_following`` keeps the table's end with what follows
    (the contact box never stands alone on a page).
    """
    first_apart = not keep_together
    table = document.add_table(rows=4 + (3 if first_apart else 0) + (1 if total else 0), cols=len(headers))
    table.style = document.styles["Fact Sheet Table"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _look(table, first_row=True, last_row=bool(total))
    _widths(table, widths)
    for index, header in enumerate(headers):
        cell = table.rows[0].cells[index]
        _cell_shade(cell, "1D3F72")
        paragraph = _set(cell, header, "Table Text", align_right=index in numbers, bold=True)
        paragraph.runs[0].font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    # docxtpl replaces the rows holding {%tr ... %} by the loop: the row between them is repeated per item
    loops = [(f"{loop}[:2]", True), (f"{loop}[2:]", False)] if first_apart else [(loop, keep_together)]
    kept = [table.rows[0]]
    for number, (items, keep) in enumerate(loops):
        start = 1 + 3 * number
        table.rows[start].cells[0].paragraphs[0].add_run(f"{{%tr for row in {items} %}}")
        for index, content in enumerate(cells):
            cell = table.rows[start + 1].cells[index]
            if isinstance(content, str):
                _set(cell, content, "Table Text", align_right=index in numbers)
            else:
                content(cell)
        table.rows[start + 2].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        if keep:
            kept.append(table.rows[start + 1])
    if total:
        for index, content in enumerate(total):
            if content:
                _set(table.rows[-1].cells[index], content, "Table Text", align_right=index in numbers, bold=True)
    if keep_together:
        kept = list(table.rows[:-1])
    if keep_with_following:
        kept = list(table.rows)
    for row in kept:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    for row in table.rows:
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.keep_with_next = keep_with_following
    return table


def count_table(document, label: str, count_label: str, section: str):
    """Kind | count rows of ``section.by_kind`` and the section's total."""
    data_table(
        document,
        [f"{{{{ labels.{label} }}}}", f"{{{{ labels.{count_label} }}}}"],
        ["{{ row.kind }}", "{{ row.count }}"],
        (138, 40),
        f"{section}.by_kind",
        total=["", f"{{{{ {section}.total }}}}"],
        numbers=(1,),
    )


def facts_table(document, loop: str, widths=(42, 136), lang: bool = False):
    """Label | value rows (a profile, an agreement's facts) in the 'Fact Sheet Facts' style."""
    table = document.add_table(rows=3, cols=2)
    table.style = document.styles["Fact Sheet Facts"]
    _look(table, first_row=False, first_column=True, bands=False)
    _widths(table, widths)
    table.rows[0].cells[0].paragraphs[0].add_run(f"{{%tr for row in {loop} %}}")
    _set(table.rows[1].cells[0], "{{ row.label }}", "Table Text")
    _set(table.rows[1].cells[1], "{{ row.value }}", "Table Text")
    table.rows[2].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


def dated_list(document, loop: str, date: str, content: str, style: str = "Dated Item"):
    tag(document, f"{{%p for item in {loop} %}}")
    paragraph = document.add_paragraph(style=style)
    year = paragraph.add_run(f"{{{{ item.{date} }}}}")
    year.bold = True
    year.font.color.rgb = GOLD if style == "Dated Item" else NAVY
    paragraph.add_run(f"\t{{{{ item.{content} }}}}")
    tag(document, "{%p endfor %}")


def chart(document, expression: str):
    """The chart's PNG and its caption, when the context has the chart."""
    tag(document, f"{{%p if {expression} %}}")
    text(document, f"{{{{ {expression}.image }}}}", "Chart")
    text(document, f"{{{{ {expression}.caption }}}}", "Caption")
    tag(document, "{%p endif %}")


def bullets(document, loop: str):
    tag(document, f"{{%p for item in {loop} %}}")
    text(document, "{{ item }}", "List Bullet")
    tag(document, "{%p endfor %}")


# --------------------------------------------------------------------------- the three sheets


def department():
    document = new_document()
    masthead(document)
    text(document, "{{ title|tie }}", "Title")
    text(document, "{{ subtitle }}", "Subtitle")
    text(document, "{{ lead }}", "Lead")
    key_figures(document)

    text(document, "{{ labels.history|tie }}", "Heading 1")
    tag(document, "{%p for paragraph in history.paragraphs %}")
    text(document, "{{ paragraph }}")
    tag(document, "{%p endfor %}")
    text(document, "{{ labels.milestones|tie }}", "Heading 2")
    dated_list(document, "history.milestones", "year", "text")

    text(document, "{{ labels.partners|tie }}", "Heading 1")
    text(document, "{{ partners.sentence }}")
    chart(document, "partners.chart")

    text(document, "{{ labels.agreements|tie }}", "Heading 1")
    text(document, "{{ agreements.sentence }}")
    count_table(document, "kind", "count_agreements", "agreements")
    chart(document, "agreements.chart")

    text(document, "{{ labels.titles|tie }}", "Heading 1")
    text(document, "{{ titles.sentence }}")
    chart(document, "titles.chart")

    text(document, "{{ labels.by_country|tie }}", "Heading 1")
    data_table(
        document,
        ["{{ labels.country }}", "{{ labels.count_organizations }}", "{{ labels.count_titles }}"],
        ["{{ row.name }}", "{{ row.organizations }}", "{{ row.titles }}"],
        (98, 40, 40),
        "by_country",
        total=["{{ labels.total }}", "{{ by_country_total.organizations }}", "{{ by_country_total.titles }}"],
        numbers=(1, 2),
        keep_together=False,
    )

    tag(document, "{%p if achievements %}")
    text(document, "{{ labels.achievements|tie }}", "Heading 1")
    dated_list(document, "achievements", "year", "text")
    tag(document, "{%p endif %}")

    text(document, "{{ labels.staff|tie }}", "Heading 1")
    data_table(
        document,
        ["{{ labels.position }}", "{{ labels.name }}", "{{ labels.degrees }}"],
        ["{{ row.role }}", "{{ row.name }}", "{{ row.degrees }}"],
        (60, 60, 58),
        "staff",
        keep_with_following=True,
    )
    contact = text(document, "", "Contact")
    run = contact.add_run("{{ labels.contact }}")
    run.bold = True
    run.font.color.rgb = NAVY
    contact.add_run(" · {{ header.department }}, {{ header.university }} · {{ header.address }} · {{ header.website_text }}")
    return document


def country():
    document = new_document()
    masthead(document)
    text(document, "{{ title|tie }}", "Title")
    text(document, "{{ subtitle }}", "Subtitle")
    key_figures(document)
    tag(document, "{%p for sentence in summary %}")
    text(document, "{{ sentence }}", "Lead")
    tag(document, "{%p endfor %}")

    text(document, "{{ labels.agreements|tie }}", "Heading 1")
    chart(document, "agreements_chart")
    text(document, "{{ labels.expiring|tie }}", "Heading 2")
    tag(document, "{%p if expiring.entries %}")
    bullets(document, "expiring.entries")
    tag(document, "{%p else %}")
    text(document, "{{ expiring.none }}")
    tag(document, "{%p endif %}")

    text(document, "{{ labels.titles|tie }}", "Heading 1")
    count_table(document, "title", "count_titles", "titles")
    chart(document, "titles_chart")

    text(document, "{{ labels.partners_and_agreements|tie }}", "Heading 1")

    def partner_cell(cell):
        _set(cell, "{{ row.partner }}", "Table Text")
        detail = cell.add_paragraph("", style="Table Detail")
        detail.add_run("{% if row.native_name %}{{ row.native_name }} · {% endif %}{{ row.details }}")

    data_table(
        document,
        ["{{ labels.partner }}", "{{ labels.agreement }}", "{{ labels.signed }}", "{{ labels.valid_until }}", "{{ labels.status }}", "{{ labels.areas }}"],
        [partner_cell, "{{ row.agreement }}", "{{ row.signed }}", "{{ row.until }}", "{{ row.status }}", "{{ row.areas }}"],
        (52, 24, 21, 21, 20, 40),
        "partners",
        keep_together=False,
    )
    return document


def partner():
    document = new_document()
    masthead(document)
    text(document, "{{ title|tie }}", "Title")
    tag(document, "{%p if native_name %}")
    text(document, "{{ native_name }}", "Native Name")
    tag(document, "{%p endif %}")
    text(document, "{{ subtitle }}", "Subtitle")
    tag(document, "{%p if former_names %}")
    text(document, "{{ formerly }}: {{ former_names|join('; ') }}", "Subtitle")
    tag(document, "{%p endif %}")
    key_figures(document)
    text(document, "{{ summary }}", "Lead")

    text(document, "{{ labels.profile|tie }}", "Heading 1")
    facts_table(document, "profile")

    text(document, "{{ labels.timeline|tie }}", "Heading 1")
    tag(document, "{%p if timeline %}")
    dated_list(document, "timeline", "date", "text", style="Timeline Item")
    tag(document, "{%p else %}")
    text(document, "{{ labels.no_agreements }}")
    tag(document, "{%p endif %}")

    tag(document, "{%p if agreements %}")
    text(document, "{{ labels.agreement_details|tie }}", "Heading 1")
    tag(document, "{%p endif %}")
    tag(document, "{%p for agreement in agreements %}")
    text(document, "{{ agreement.title|tie }}", "Heading 2")
    facts_table(document, "agreement.facts", widths=(34, 144))
    bullets(document, "agreement.activities")
    tag(document, "{%p endfor %}")

    # a partner with no programme or no honoree has no such section (nothing to report is not printed)
    tag(document, "{%p if programmes %}")
    text(document, "{{ labels.programmes|tie }}", "Heading 1")
    data_table(
        document,
        ["{{ labels.programme }}", "{{ labels.scheme }}", "{{ labels.degree }}", "{{ labels.years }}"],
        ["{{ row.name }}", "{{ row.scheme }}", "{{ row.degree }}", "{{ row.years }}"],
        (60, 24, 64, 30),
        "programmes",
    )
    tag(document, "{%p endif %}")

    tag(document, "{%p if honorees %}")
    text(document, "{{ labels.honorees|tie }}", "Heading 1")

    def name_cell(cell):
        _set(cell, "{{ row.name }}", "Table Text")
        cell.add_paragraph("{%p if row.native_name %}")
        cell.add_paragraph("{{ row.native_name }}", style="Table Detail")
        cell.add_paragraph("{%p endif %}")

    data_table(
        document,
        ["{{ labels.honoree }}", "{{ labels.title }}", "{{ labels.awarded }}"],
        [name_cell, "{{ row.title }}", "{{ row.awarded }}"],
        (80, 58, 40),
        "honorees",
        keep_together=False,
    )
    tag(document, "{%p endif %}")
    return document


def save(document, path: Path) -> None:
    core = document.core_properties
    core.title = "irdocs fact sheet template"
    core.author = "irdocs"
    core.last_modified_by = "irdocs"
    core.comments = "Made by tools/make_factsheet_templates.py"
    core.revision = 1
    import datetime as dt

    fixed = dt.datetime(2000, 1, 1)
    core.created = core.modified = core.last_printed = fixed
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(normalize_docx(buffer.getvalue()))


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, build in (("department", department), ("country", country), ("partner", partner)):
        target = out / f"{name}.docx"
        save(build(), target)
        print(f"wrote {target.relative_to(REPO) if target.is_relative_to(REPO) else target}")


if __name__ == "__main__":
    main()
