"""Build the Word report templates: progress.docx, assignment.docx, owner-request.docx (a letter).

    python templates/build_docx.py            # rewrite the three .docx files beside this script
    python templates/build_docx.py --preview  # also render the shipped plan's 2024 progress report
                                              # and 2025 request letter to Sở Y tế, and save their
                                              # first pages as docs/report-page1.png, letter-page1.png

The templates are built by a script, not saved from Word, so that every docxtpl tag
(``{{ … }}``, ``{%p … %}``, ``{%tr … %}``) sits in ONE run: Word splits a hand-typed tag
across runs and docxtpl then cannot see it.  A clerk may still restyle the built files
in Word, as long as the tags stay intact (docs/reports.md).

Layout: Nghị định 30/2020/NĐ-CP, Phụ lục I (the official format of administrative
documents): A4 portrait, margins 20/20/30/15 mm, Times New Roman, a borderless
two-column header (issuing body | national motto), the title and subject centred,
justified body with a 1.27 cm first-line indent, page numbers centred in the top margin
from page 2, and the «Nơi nhận» | signature block at the end.  Every word shown comes
from the context's ``labels`` and ``doc`` (aseanctl/report/context.py), never from here,
so the same file renders Vietnamese and English.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypedDict

from docx import Document
from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FONT = "Times New Roman"

# Page (mm).  The text width of a portrait page is 210 - 30 - 15 = 165 mm; of a landscape one 252 mm.
PAGE_W, PAGE_H = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
LANDSCAPE_TEXT_W = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT

# The header table: the motto «CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM» is 88 mm wide in 12 pt bold
# Times New Roman (measured with Liberation Serif, which has the same metrics), so the right
# column gets 95 mm and the motto stays on one line.  On a landscape page the two blocks
# move apart to the sides, as on the decree's landscape samples.
HEADER_COLS = (70, 95)
LANDSCAPE_HEADER_COLS = (100, 152)
# «Độc lập - Tự do - Hạnh phúc» in 13 pt bold is 56 mm wide, «Independence - Freedom - Happiness»
# 73 mm: the rule under the motto is as long as the text in either language.
MOTTO_RULE = {"vi": 56, "en": 73}
ISSUER_RULE = 24  # «a short rule» under the issuing body and under the subject
SUBJECT_RULE = 36

# Children of w:pPr, w:tblPr and w:trPr in the order the schema requires (Word rejects a
# document whose elements are out of order; LibreOffice is more forgiving, Word is not).
PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
TBLPR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
)
TRPR_ORDER = (
    "w:cnfStyle",
    "w:divId",
    "w:gridBefore",
    "w:gridAfter",
    "w:wBefore",
    "w:wAfter",
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
)
RPR_ORDER = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


# Where paragraphs go: the document's body, a table cell, a page header.
Container = DocumentObject | BlockItemContainer


def put(parent: BaseOxmlElement, tag: str, order: Sequence[str]) -> BaseOxmlElement:
    """The child ``tag`` of ``parent``, created at its schema position when missing."""
    found: BaseOxmlElement | None = parent.find(qn(tag))
    if found is not None:
        return found
    child = OxmlElement(tag)
    later = set(order[order.index(tag) + 1 :])
    for index, existing in enumerate(parent):
        if any(existing.tag == qn(name) for name in later):
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def set_fonts(rpr: BaseOxmlElement) -> None:
    """Times New Roman for every script (Latin, complex, East-Asian), theme fonts removed:
    a theme font attribute wins over an explicit one, and Vietnamese may be classed as any."""
    fonts = put(rpr, "w:rFonts", RPR_ORDER)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


# --- the document and its styles ---------------------------------------------------------------


def new_document() -> DocumentObject:
    doc = Document()
    # python-docx's blank document calls itself "python-docx" and "generated by python-docx":
    # left empty, aseanctl fills them in each report (an author who sets one here keeps it)
    properties = doc.core_properties
    properties.author = properties.comments = properties.last_modified_by = ""
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default)

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(normal.element.get_or_add_rPr())
    lang = put(normal.element.get_or_add_rPr(), "w:lang", RPR_ORDER)
    lang.set(qn("w:val"), "vi-VN")
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    for name in ("Header", "Footer"):
        set_fonts(styles[name].element.get_or_add_rPr())

    def paragraph_style(
        name: str,
        *,
        size: float = 14,
        bold: bool = False,
        italic: bool = False,
        align: WD_PARAGRAPH_ALIGNMENT = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        after: float = 6,
        line: float = 1.15,
        keep_next: bool = False,
    ) -> ParagraphStyle:
        style: ParagraphStyle = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        pf = style.paragraph_format
        pf.alignment = align
        pf.first_line_indent = Cm(1.27) if indent else Cm(0)
        pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(after), line
        pf.keep_with_next = keep_next
        pf.widow_control = True
        return style

    # Named styles, so a clerk restyles the whole report from Word's style pane.
    paragraph_style("Report Body")
    paragraph_style("Report Section", bold=True, keep_next=True)  # I. CÔNG TÁC CHỈ ĐẠO …
    paragraph_style("Report Subsection", bold=True, keep_next=True)  # 1. Ưu điểm
    paragraph_style("Report Note", italic=True)  # «to fill», the assumed-support note
    paragraph_style("Report Figure", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=1.0)
    paragraph_style("Table Text", size=12, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, after=2, line=1.0)
    paragraph_style(
        "Table Heading", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=2, line=1.0
    )
    paragraph_style("Header Block", size=13, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=0, line=1.0)
    return doc


def setup_section(section: Section, *, landscape: bool = False, first_page_number: bool = False) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_H), Mm(PAGE_W)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.different_first_page_header_footer = not first_page_number


def page_numbers(section: Section) -> None:
    """The page number centred in the top margin, not on page 1 (an empty first-page header)."""
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(13)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].text = ""


# --- paragraphs --------------------------------------------------------------------------------


class RunFormat(TypedDict, total=False):
    bold: bool
    italic: bool
    caps: bool
    size: float


Part = tuple[str, RunFormat]  # a run's text and formatting


def para(
    container: Container,
    parts: Iterable[str | Part],
    style: str = "Report Body",
    *,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    size: float | None = None,
    space_after: float | None = None,
    space_before: float | None = None,
    indent: bool | None = None,
    keep_next: bool | None = None,
) -> Paragraph:
    """A paragraph of runs; a Jinja tag must be one whole part, so it becomes one run."""
    paragraph = container.add_paragraph(style=style)
    pf = paragraph.paragraph_format
    if align is not None:
        pf.alignment = align
    if space_after is not None:
        pf.space_after = Pt(space_after)
    if space_before is not None:
        pf.space_before = Pt(space_before)
    if indent is not None:
        pf.first_line_indent = Cm(1.27) if indent else Cm(0)
    if keep_next is not None:
        pf.keep_with_next = keep_next
    for part in parts:
        text, fmt = (part, RunFormat()) if isinstance(part, str) else part
        run = paragraph.add_run(text)
        run.bold = fmt.get("bold")
        run.italic = fmt.get("italic")
        if fmt.get("caps"):
            run.font.all_caps = True
        run_size = fmt.get("size") or size
        if run_size:
            run.font.size = Pt(run_size)
    return paragraph


def tag(container: Container, text: str, style: str = "Report Body") -> Paragraph:
    """A paragraph holding only a ``{%p … %}`` tag: docxtpl replaces the whole paragraph."""
    assert text.startswith("{%p ") and text.endswith(" %}"), text
    return para(container, [text], style)


def rule(container: Container, width: float, column: float, *, after: float = 0) -> Paragraph:
    """A centred horizontal rule ``width`` mm long in a column ``column`` mm wide: the bottom
    border of an empty, 1-pt-high paragraph indented from both sides."""
    paragraph = para(container, [], "Header Block", space_after=after)
    pf = paragraph.paragraph_format
    side = max((column - width) / 2, 0)
    pf.left_indent = pf.right_indent = Mm(side)
    ppr = paragraph._p.get_or_add_pPr()
    borders = put(ppr, "w:pBdr", PPR_ORDER)
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    mark = put(ppr, "w:rPr", PPR_ORDER)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    return paragraph


def text_tag(expression: str) -> str:
    return "{{ " + expression + " }}"


# --- tables ------------------------------------------------------------------------------------


def table(
    container: DocumentObject,
    widths: Sequence[float],
    rows: int,
    *,
    borders: bool,
    header_rows: int = 0,
    cell_margin: float | None = None,
) -> Table:
    """A table with fixed column widths in the grid (w:tblGrid, which LibreOffice honours), on
    every cell (which Word honours) and a fixed layout, so long titles wrap instead of
    stretching a column."""
    tbl_obj: Table = container.add_table(rows=rows, cols=len(widths))
    tbl_obj.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_obj.autofit = False
    tbl = tbl_obj._tbl
    tbl_pr = tbl.tblPr
    width = put(tbl_pr, "w:tblW", TBLPR_ORDER)
    width.set(qn("w:w"), str(sum(twips(w) for w in widths)))
    width.set(qn("w:type"), "dxa")
    put(tbl_pr, "w:tblLayout", TBLPR_ORDER).set(qn("w:type"), "fixed")
    edges = put(tbl_pr, "w:tblBorders", TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if borders:
            for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
                element.set(qn(key), value)
        else:
            element.set(qn("w:val"), "nil")
        edges.append(element)
    if cell_margin is not None:
        margins = put(tbl_pr, "w:tblCellMar", TBLPR_ORDER)
        for side in ("left", "right"):
            element = OxmlElement(f"w:{side}")
            element.set(qn("w:w"), str(twips(cell_margin)))
            element.set(qn("w:type"), "dxa")
            margins.append(element)
    for column, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(twips(w)))
    for row in tbl_obj.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Mm(w)
    for row in list(tbl_obj.rows)[:header_rows]:
        put(row._tr.get_or_add_trPr(), "w:tblHeader", TRPR_ORDER)  # repeated at the top of every page
    return tbl_obj


def cell_text(
    cell: _Cell, parts: Iterable[str | Part], style: str = "Table Text", *, align: WD_PARAGRAPH_ALIGNMENT | None = None
) -> Paragraph:
    """Fill a cell (its first, empty paragraph) with runs."""
    paragraph: Paragraph = cell.paragraphs[0]
    paragraph.style = style
    if align is not None:
        paragraph.alignment = align
    for part in parts:
        text, fmt = (part, RunFormat()) if isinstance(part, str) else part
        run = paragraph.add_run(text)
        run.bold = fmt.get("bold")
        run.italic = fmt.get("italic")
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return paragraph


def loop_row(tbl_obj: Table, index: int, text: str) -> None:
    """A row that docxtpl replaces by the ``{%tr … %}`` tag in its first cell."""
    assert text.startswith("{%tr ") and text.endswith(" %}"), text
    cell_text(tbl_obj.rows[index].cells[0], [text])


def data_table(
    container: DocumentObject,
    columns: Sequence[tuple[str, float]],
    cells: Sequence[str],
    loop: str,
    *,
    centred: Sequence[int] = (0,),
) -> Table:
    """Header row of labels, then one row per item of ``loop`` (``r in rows``)."""
    t = table(container, [w for _, w in columns], 4, borders=True, header_rows=1)
    for cell, (label, _) in zip(t.rows[0].cells, columns, strict=True):
        cell_text(cell, [text_tag(label)], "Table Heading")
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    loop_row(t, 1, "{%tr for " + loop + " %}")
    for index, (cell, content) in enumerate(zip(t.rows[2].cells, cells, strict=True)):
        cell_text(cell, [content], align=WD_ALIGN_PARAGRAPH.CENTER if index in centred else None)
    loop_row(t, 3, "{%tr endfor %}")
    return t


# --- blocks shared by the three templates ------------------------------------------------------


def header_block(doc: DocumentObject, columns: tuple[float, float] = HEADER_COLS) -> None:
    """Nghị định 30/2020, Phụ lục I: issuing body at the left, the national motto at the right.
    Above it, on a plan with errors, «DỰ THẢO»: a draft nobody should sign."""
    tag(doc, "{%p if draft %}", "Header Block")
    para(doc, [(text_tag("labels.draft"), {"bold": True})], "Header Block", size=14, space_after=6)
    tag(doc, "{%p endif %}", "Header Block")
    left_w, right_w = columns
    t = table(doc, columns, 1, borders=False, cell_margin=0)
    left, right = t.rows[0].cells
    first = left.paragraphs[0]
    first.style = doc.styles["Header Block"]
    first.add_run(text_tag("doc.parent_body")).font.all_caps = True
    para(left, [(text_tag("doc.issuing_body"), {"bold": True, "caps": True})], "Header Block")
    rule(left, ISSUER_RULE, left_w, after=6)
    para(left, [text_tag("doc.number")], "Header Block")

    motto = right.paragraphs[0]
    motto.style = doc.styles["Header Block"]
    run = motto.add_run(text_tag("labels.motto1"))
    run.bold, run.font.all_caps, run.font.size = True, True, Pt(12)
    para(right, [(text_tag("labels.motto2"), {"bold": True})], "Header Block")
    tag(right, "{%p if lang == 'en' %}", "Header Block")
    rule(right, MOTTO_RULE["en"], right_w, after=6)
    tag(right, "{%p else %}", "Header Block")
    rule(right, MOTTO_RULE["vi"], right_w, after=6)
    tag(right, "{%p endif %}", "Header Block")
    para(right, [(text_tag("doc.place_date"), {"italic": True})], "Header Block", size=14)


def title_block(doc: DocumentObject, subject: str = "doc.subject", width: float = TEXT_W) -> None:
    para(
        doc,
        [(text_tag("doc.title"), {"bold": True, "caps": True})],
        "Header Block",
        size=14,
        space_before=18,
        keep_next=True,
    )
    para(doc, [(text_tag(subject), {"bold": True})], "Header Block", size=14, keep_next=True)
    rule(doc, SUBJECT_RULE, width, after=12)


def closing_block(doc: DocumentObject, widths: tuple[float, float] = (80, 85)) -> None:
    """«Nơi nhận:» and its list at the left; the signer at the right."""
    t = table(doc, widths, 1, borders=False, cell_margin=0)
    left, right = t.rows[0].cells
    first = left.paragraphs[0]
    first.style = doc.styles["Table Text"]
    run = first.add_run(text_tag("labels.recipients"))
    run.bold, run.italic = True, True
    tag(left, "{%p for r in doc.recipients %}", "Table Text")
    para(left, ["- " + text_tag("r") + text_tag("'.' if loop.last else ';'")], "Table Text", size=11, space_after=0)
    tag(left, "{%p endfor %}", "Table Text")

    first = right.paragraphs[0]
    first.style = doc.styles["Header Block"]
    tag(right, "{%p if doc.signer.authority %}", "Header Block")
    para(right, [(text_tag("doc.signer.authority"), {"bold": True, "caps": True})], "Header Block", size=14)
    tag(right, "{%p endif %}", "Header Block")
    para(right, [(text_tag("doc.signer.title"), {"bold": True, "caps": True})], "Header Block", size=14)
    for _ in range(4):  # room for the signature and the seal
        para(right, [], "Header Block", size=14)
    para(right, [(text_tag("doc.signer.name"), {"bold": True})], "Header Block", size=14)
    # the first paragraph of the right cell is empty: the signer's block starts level with «Nơi nhận:»
    right._tc.remove(first._p)


def narrative(doc: DocumentObject, name: str) -> None:
    """The analyst's text, or the note saying where to write it."""
    tag(doc, f"{{%p if narrative.{name} %}}")
    # as written: a paragraph per paragraph, a «- …» paragraph per list item
    tag(doc, f"{{%p for b in narrative_blocks.{name} %}}")
    tag(doc, "{%p if b.item %}")
    para(doc, ["- " + text_tag("b.text")])
    tag(doc, "{%p else %}")
    para(doc, [text_tag("b.text")])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, [text_tag("labels.to_fill")], "Report Note")
    tag(doc, "{%p endif %}")


def section_heading(doc: DocumentObject, number: str, label: str) -> None:
    para(doc, [f"{number}. ", text_tag(f"labels['{label}']")], "Report Section", space_before=6)


def subsection_heading(doc: DocumentObject, number: str, label: str) -> None:
    para(doc, [f"{number}. ", text_tag(f"labels['{label}']")], "Report Subsection")


def row_list(doc: DocumentObject, letter: str, label: str, items: str, item: str) -> None:
    """«a) Nhiệm vụ quá hạn:» then one «- …;» paragraph per item, or «Không có.»."""
    para(
        doc,
        [(f"{letter}) ", {"italic": True}), (text_tag(f"labels.{label}"), {"italic": True}), (":", {"italic": True})],
        keep_next=True,
    )
    tag(doc, f"{{%p for r in {items} %}}")
    para(doc, ["- " + item + text_tag("'.' if loop.last else ';'")])
    tag(doc, "{%p else %}")
    para(doc, [text_tag("labels.none")])
    tag(doc, "{%p endfor %}")


# --- the three templates -----------------------------------------------------------------------


def build_progress() -> DocumentObject:
    doc = new_document()
    setup_section(doc.sections[0])
    page_numbers(doc.sections[0])
    header_block(doc)
    title_block(doc)
    para(doc, [(text_tag("labels.source"), {"italic": True})])

    section_heading(doc, "I", "section.direction")
    narrative(doc, "direction")

    section_heading(doc, "II", "section.results")
    para(doc, [text_tag("summary.sentence") + " (" + text_tag("labels.weighting") + ")."])
    status_table(doc)
    tag(doc, "{%p for g in groups %}")
    para(doc, [text_tag("g.number") + ". " + text_tag("g.title")], "Report Subsection")
    para(doc, [text_tag("g.summary.sentence")])
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if chart %}", "Report Figure")
    para(doc, [text_tag("chart")], "Report Figure", space_after=6)
    tag(doc, "{%p endif %}", "Report Figure")

    section_heading(doc, "III", "section.assessment")
    subsection_heading(doc, "1", "section.strengths")
    narrative(doc, "strengths")
    subsection_heading(doc, "2", "section.limitations")
    narrative(doc, "limitations")
    row_list(
        doc,
        "a",
        "overdue",
        "overdue",
        text_tag("r.id")
        + " "
        + text_tag("r.title")
        + " ("
        + text_tag("r.lead")
        + text_tag("', ' ~ r.due if r.due else ''")
        + ")",
    )
    row_list(
        doc, "b", "stale", "stale_by_owner", text_tag("r.lead") + " (" + text_tag("r.count") + "): " + text_tag("r.ids")
    )
    row_list(
        doc,
        "c",
        "missing_owners",
        "missing_owners",
        text_tag("r.name") + " (" + text_tag("r.missing") + "): " + text_tag("r.ids"),
    )
    subsection_heading(doc, "3", "section.causes")
    narrative(doc, "causes")

    for number, name in (("IV", "difficulties"), ("V", "lessons"), ("VI", "next_steps"), ("VII", "proposals")):
        section_heading(doc, number, f"section.{name}")
        narrative(doc, name)

    para(doc, [], space_after=6)
    closing_block(doc)

    # The appendix: a landscape section (252 mm of text width) keeps the seven columns readable.
    appendix = doc.add_section(WD_SECTION.NEW_PAGE)
    setup_section(appendix, landscape=True, first_page_number=True)
    para(doc, [(text_tag("labels.appendix"), {"bold": True, "caps": True})], "Header Block", size=14, space_after=0)
    para(doc, [(text_tag("doc.subject"), {"italic": True})], "Header Block", size=13, space_after=12)
    appendix_table(doc)
    indicators_table(doc)
    assumed_note(doc)
    return doc


def status_table(doc: DocumentObject) -> None:
    """Tasks by status, one row per task group and a total row: every status has a column,
    so each row adds up to its task count (the six statuses are the schema's, in its order)."""
    para(doc, [(text_tag("labels.status_table"), {"italic": True})], keep_next=True, indent=False)
    statuses = 6
    widths = [24.0, 16.0, *([17.0] * statuses), 18.0]
    t = table(doc, widths, 5, borders=True, header_rows=1)
    headings = [
        text_tag("labels.task_groups"),
        text_tag("labels.tasks"),
        *(text_tag(f"summary.by_status[{i}].label") for i in range(statuses)),
        text_tag("labels['col.progress']") + " (%)",
    ]
    for cell, heading in zip(t.rows[0].cells, headings, strict=True):
        cell_text(cell, [heading], "Table Heading")
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    loop_row(t, 1, "{%tr for g in groups %}")
    body = [
        text_tag("g.number") + ". " + text_tag("g.id"),
        text_tag("g.summary.tasks"),
        *(text_tag(f"g.summary.by_status[{i}].count") for i in range(statuses)),
        text_tag("g.summary.progress_text"),
    ]
    for cell, content in zip(t.rows[2].cells, body, strict=True):
        cell_text(cell, [content], align=WD_ALIGN_PARAGRAPH.CENTER)
    loop_row(t, 3, "{%tr endfor %}")
    total = [
        text_tag("labels.total"),
        text_tag("summary.tasks"),
        *(text_tag(f"summary.by_status[{i}].count") for i in range(statuses)),
        text_tag("summary.progress_text"),
    ]
    for cell, content in zip(t.rows[4].cells, total, strict=True):
        cell_text(cell, [(content, {"bold": True})], align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, [], space_after=6)


def appendix_table(doc: DocumentObject) -> None:
    """The progress report's appendix: a row per task group (its id and title across the
    table), then its tasks with their ids, so the body's «N1.2» can be found; «Kết quả» holds
    every note and evidence of the period, one a line, in date order."""
    columns = [
        ("labels['col.stt']", 11),
        ("labels['col.id']", 14),
        ("labels['col.task']", 72),
        ("labels['col.lead']", 32),
        ("labels['col.support']", 38),
        ("labels['col.timing']", 25),
        ("labels['col.status']", 22),
        ("labels['col.result']", 38),
    ]
    t = table(doc, [w for _, w in columns], 6, borders=True, header_rows=1)
    for cell, (label, _) in zip(t.rows[0].cells, columns, strict=True):
        cell_text(cell, [text_tag(label)], "Table Heading")
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    loop_row(t, 1, "{%tr for g in groups %}")
    group = t.rows[2].cells[0].merge(t.rows[2].cells[-1])
    title = cell_text(group, [(text_tag("g.id") + ". " + text_tag("g.title"), {"bold": True})])
    title.paragraph_format.keep_with_next = True
    put(t.rows[2]._tr.get_or_add_trPr(), "w:cantSplit", TRPR_ORDER)
    loop_row(t, 3, "{%tr for r in g.tasks %}")
    cells = [
        text_tag("r.stt"),
        text_tag("r.id"),
        text_tag("r.title"),
        text_tag("r.lead"),
        text_tag("r.support") + text_tag("' (*)' if r.assumed and r.support else ''"),
        text_tag("r.timing"),
        text_tag("r.status_label")
        + text_tag("' (' ~ r.progress ~ '%)'")
        + text_tag("'; ' ~ labels.overdue|lower if r.overdue else ''"),
        text_tag("r.results"),
    ]
    for index, (cell, content) in enumerate(zip(t.rows[4].cells, cells, strict=True)):
        cell_text(cell, [content], align=WD_ALIGN_PARAGRAPH.CENTER if index in (0, 5) else None)
    loop_row(t, 5, "{%tr endfor %}")
    last = t.add_row()  # type: ignore[no-untyped-call]  # python-docx leaves add_row unannotated
    cell_text(last.cells[0], ["{%tr endfor %}"])


def indicators_table(doc: DocumentObject) -> None:
    """The indicators of the tasks shown: unit, baseline, target and the value reached."""
    tag(doc, "{%p if indicators %}")
    para(doc, [(text_tag("labels.indicators"), {"bold": True})], indent=False, space_before=6, keep_next=True)
    data_table(
        doc,
        [
            ("labels['col.id']", 18),
            ("labels['col.indicator']", 110),
            ("labels['col.unit']", 28),
            ("labels['col.baseline']", 32),
            ("labels['col.target']", 32),
            ("labels['col.reached']", 32),
        ],
        [
            text_tag("r.task"),
            text_tag("r.name"),
            text_tag("r.unit"),
            text_tag("r.baseline"),
            text_tag("r.target"),
            text_tag("r.reached"),
        ],
        "r in indicators",
        centred=(0, 2, 3, 4, 5),
    )
    tag(doc, "{%p endif %}")  # no table at all when no task has an indicator


def assumed_note(doc: DocumentObject) -> None:
    tag(doc, "{%p if rows|selectattr('assumed')|list %}", "Report Note")
    para(doc, [text_tag("labels.assumed")], "Report Note", size=12, indent=False, space_before=6)
    tag(doc, "{%p endif %}", "Report Note")


def table_document() -> DocumentObject:
    """A document whose body is one wide table: landscape («theo chiều rộng»), which Nghị định
    30/2020, Phụ lục I (kiểu trình bày) allows when a document's content is tables; the header,
    margins and fonts are the same.  Portrait would squeeze 8-9 columns into 165 mm (tried: «STT» and
    dates break mid-word)."""
    doc = new_document()
    setup_section(doc.sections[0], landscape=True)
    page_numbers(doc.sections[0])
    header_block(doc, LANDSCAPE_HEADER_COLS)
    return doc


def build_assignment() -> DocumentObject:
    doc = table_document()
    title_block(doc, width=LANDSCAPE_TEXT_W)
    columns = [
        ("labels['col.stt']", 12),
        ("labels['col.task']", 78),
        ("labels['col.lead']", 34),
        ("labels['col.support']", 44),
        ("labels['col.timing']", 26),
        ("labels['col.output']", 22),
        ("labels['col.funding']", 20),
        ("labels['col.note']", 16),
    ]
    widths = [w for _, w in columns]
    t = table(doc, widths, 6, borders=True, header_rows=1)
    for cell, (label, _) in zip(t.rows[0].cells, columns, strict=True):
        cell_text(cell, [text_tag(label)], "Table Heading")
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    loop_row(t, 1, "{%tr for g in groups %}")
    # One row per task group, its title across the whole table; then its tasks.
    group = t.rows[2].cells[0].merge(t.rows[2].cells[-1])
    title = cell_text(
        group,
        [(text_tag("labels.task_groups") + " " + text_tag("g.number") + ": " + text_tag("g.title"), {"bold": True})],
    )
    title.paragraph_format.keep_with_next = True  # never the last line of a page, away from its tasks
    put(t.rows[2]._tr.get_or_add_trPr(), "w:cantSplit", TRPR_ORDER)
    loop_row(t, 3, "{%tr for r in g.tasks %}")
    cells = [
        text_tag("r.stt"),
        text_tag("r.title"),
        text_tag("r.lead"),
        text_tag("r.support") + text_tag("' (*)' if r.assumed and r.support else ''"),
        text_tag("r.timing"),
        text_tag("r.output"),
        text_tag("r.funding or ''"),
        text_tag("r.note or ''"),
    ]
    for index, (cell, content) in enumerate(zip(t.rows[4].cells, cells, strict=True)):
        cell_text(cell, [content], align=WD_ALIGN_PARAGRAPH.CENTER if index in (0, 4) else None)
    loop_row(t, 5, "{%tr endfor %}")  # the tasks' loop
    last = t.add_row()  # type: ignore[no-untyped-call]  # python-docx leaves add_row unannotated
    cell_text(last.cells[0], ["{%tr endfor %}"])  # the groups' loop
    assumed_note(doc)
    para(doc, [], space_after=6)
    closing_block(doc, LANDSCAPE_HEADER_COLS)
    return doc


def build_owner_request() -> DocumentObject:
    """A công văn (Nghị định 30/2020, Phụ lục I): portrait, no title; the «V/v» summary under
    the number in the header's left column; «Kính gửi» the agency; its open tasks; the day the
    answer is due."""
    doc = new_document()
    setup_section(doc.sections[0])
    page_numbers(doc.sections[0])
    header_block(doc)
    # the trích yếu of a công văn: under the number, centred in the left column, 12-13 pt
    left = doc.tables[0].rows[0].cells[0]
    para(left, [text_tag("doc.subject")], "Header Block", size=12)
    para(
        doc,
        [(text_tag("letter.to"), {}), " ", text_tag("letter.addressee") + "."],
        "Header Block",
        size=14,
        space_before=18,
        space_after=12,
    )
    para(doc, [text_tag("letter.request")])
    data_table(
        doc,
        [
            ("labels['col.stt']", 12),
            ("labels['col.task']", 67),
            ("labels['col.role']", 20),
            ("labels['col.status']", 24),
            ("labels['col.progress']", 18),
            ("labels['col.last_report']", 24),
        ],
        [
            text_tag("r.stt"),
            text_tag("r.title"),
            text_tag("r.role_label"),
            text_tag("r.status_label"),
            text_tag("r.progress ~ '%'"),
            text_tag("r.last_update"),
        ],
        "r in rows",
        centred=(0, 2, 4, 5),
    )
    para(doc, [text_tag("letter.answer_by")], space_before=6)
    para(doc, [], space_after=6)
    closing_block(doc)
    return doc


TEMPLATES = {
    "progress.docx": build_progress,
    "assignment.docx": build_assignment,
    "owner-request.docx": build_owner_request,
}


def build(folder: Path = HERE) -> list[Path]:
    written: list[Path] = []
    for name, make in TEMPLATES.items():
        path = folder / name
        make().save(str(path))
        written.append(path)
    return written


# --- the README's picture ----------------------------------------------------------------------


def preview(out_png: Path = REPO / "docs" / "report-page1.png") -> Path:
    """Render the shipped plan's 2024 progress report and save its first page as a PNG
    (LibreOffice and poppler-utils needed: see docs/reports.md)."""
    import datetime as dt

    sys.path.insert(0, str(REPO))
    from aseanctl.loader import REPORT_SETTINGS_FILE, REPORTS_DIR, load_workspace
    from aseanctl.progress import parse_period
    from aseanctl.report.context import build_context
    from aseanctl.report.docx import chart_png, render_docx

    load = load_workspace(REPO / "plan")
    plan = load.workspace.plans[0]
    period = parse_period("2024", plan)
    if period is None:
        raise SystemExit(f"the shipped plan {plan.id} has no reporting period 2024: the preview shows that report")
    reports = plan.folder / REPORTS_DIR
    settings = load.reports.get(reports / REPORT_SETTINGS_FILE, {})
    narrative_data = load.reports.get(reports / "2024.yaml", {})
    context = build_context(
        load.workspace,
        plan,
        kind="progress",
        period=period,
        as_of=dt.date(2024, 12, 14),
        lang="vi",
        settings=settings,
        narrative=narrative_data,
        narrative_file=f"plan/{plan.folder.name}/{REPORTS_DIR}/2024.yaml",
    )
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp) / "report.docx"
        render_docx(
            HERE / "progress.docx", context, docx_path, chart_png(context["groups"], context["labels"]["chart_title"])
        )
        return first_page_png(docx_path, out_png)


def preview_letter(out_png: Path = REPO / "docs" / "letter-page1.png") -> Path:
    """The shipped plan's 2025 request letter to Sở Y tế, written on 20/11/2025: its first page."""
    import datetime as dt

    sys.path.insert(0, str(REPO))
    from aseanctl.loader import load_workspace
    from aseanctl.report.choose import prepare_report
    from aseanctl.report.docx import render_docx

    root = REPO / "plan"
    prepared = prepare_report(
        load_workspace(root), root, kind="owner-request", period="2025", as_of=dt.date(2025, 11, 20), owner="so-y-te"
    )
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp) / "report.docx"
        render_docx(HERE / "owner-request.docx", prepared.context, docx_path, None)
        return first_page_png(docx_path, out_png)


def first_page_png(docx_path: Path, out_png: Path) -> Path:
    """The first page of a Word file as a PNG, through LibreOffice and pdftoppm."""
    import os

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        profile = (work / "lo-profile").as_uri()
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation={profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(docx_path),
            ],
            check=True,
            timeout=180,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "HOME": tmp},
        )
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(work / f"{docx_path.stem}.pdf"),
                str(work / "page"),
            ],
            check=True,
            timeout=60,
        )
        out_png.parent.mkdir(parents=True, exist_ok=True)
        out_png.write_bytes((work / "page.png").read_bytes())
    return out_png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--preview",
        action="store_true",
        help="also render the shipped plan's 2024 report and 2025 request letter to Sở Y tế, and write "
        "docs/report-page1.png and docs/letter-page1.png",
    )
    args = parser.parse_args(argv)
    for path in build():
        print(f"wrote {path.relative_to(REPO)}")
    if args.preview:
        print(f"wrote {preview().relative_to(REPO)}")
        print(f"wrote {preview_letter().relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
