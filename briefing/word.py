"""The editable Word brief (python-docx) in GB/T 9704 layout, from the same blocks as the HTML/PDF.

A4 with a 156 mm x 225 mm type area (top 37 mm, left 28 mm), a document grid of 22 lines of 28 characters,
title in 方正小标宋简体 2号 (22 pt), body in 仿宋_GB2312 3号 (16 pt), headings 一、 in 黑体, （一） in 楷体_GB2312,
1. in bold 仿宋, page numbers "— 1 —" in 4号 宋体 (odd pages right, even pages left), real tables, charts as
PNG pictures, and on a draft a "草稿" watermark in the page header, so on every page.
"""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from metrics.api import Briefing

from briefing.document import Block, brief_blocks, texts

BODY_FONT, TITLE_FONT, HEI, KAI, SONG = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, TABLE_PT = 16, 22, 14, 10.5
LINES, CHARS = 22, 28
TYPE_AREA = (Mm(156), Mm(225))
# Heading level -> (style name, east-Asian font, bold)
HEADINGS = {1: ("Heading 1", HEI, False), 2: ("Heading 2", KAI, False), 3: ("Heading 3", BODY_FONT, True),
            4: ("Heading 4", BODY_FONT, False)}


def _fonts(target, east_asian: str, size: float, *, bold: bool = False) -> None:
    """Set a run's or style's Latin and East Asian fonts (Word keeps them apart)."""
    font = target.font
    font.name, font.size, font.bold = LATIN, Pt(size), bold
    font.color.rgb = RGBColor(0, 0, 0)
    r_pr = target.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        r_fonts.set(qn(attr), LATIN)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _page(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(TYPE_AREA[1].twips / LINES)))  # twentieths of a point per line
    # charSpace: the extra pitch per character over the font size, in 1/4096 pt
    grid.set(qn("w:charSpace"), str(round((TYPE_AREA[0].pt / CHARS - BODY_PT) * 4096)))


def _page_number(paragraph, align) -> None:
    """"— PAGE —" with a live PAGE field."""
    paragraph.alignment = align
    for text in ("— ", None, " —"):
        run = paragraph.add_run()
        _fonts(run, SONG, PAGE_NUMBER_PT)
        if text:
            run.text = text
            continue
        for tag, attrs in (("w:fldChar", {"w:fldCharType": "begin"}), ("w:instrText", {}),
                           ("w:fldChar", {"w:fldCharType": "end"})):
            el = OxmlElement(tag)
            for k, v in attrs.items():
                el.set(qn(k), v)
            if tag == "w:instrText":
                el.set(qn("xml:space"), "preserve")
                el.text = " PAGE "
            run._r.append(el)


def _watermark(header, text: str) -> None:
    """Word's own text watermark (a VML text path behind the page), in the header so it is on every page."""
    shape = (f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml" '
             'xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict><v:shape id="draft-watermark" o:spid="_x0000_s2049" '
             'type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;'
             'rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
             'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#c00000" stroked="f">'
             '<v:fill opacity=".2"/><v:textpath style="font-family:&quot;黑体&quot;;font-size:1pt" '
             f'string="{text}"/></v:shape></w:pict></w:r>')
    header.paragraphs[0]._p.append(parse_xml(shape))


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_PT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(BODY_PT * 2)
    for name, east_asian, bold in HEADINGS.values():
        style = doc.styles[name]
        _fonts(style, east_asian, BODY_PT, bold=bold)
        style.font.italic = False
        style.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.keep_with_next = True


def _table(doc, table: dict) -> None:
    grid = doc.add_table(rows=1 + len(table["rows"]), cols=len(table["header"]))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate([table["header"], *table["rows"]]):
        cells = grid.rows[r].cells
        for c, value in enumerate(row):
            paragraph = cells[c].paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.alignment = (WD_ALIGN_PARAGRAPH.CENTER if r == 0 else
                                   WD_ALIGN_PARAGRAPH.RIGHT if c >= table["numeric_from"] else WD_ALIGN_PARAGRAPH.LEFT)
            run = paragraph.add_run(str(value))
            _fonts(run, HEI if r == 0 else BODY_FONT, TABLE_PT)
    header = grid.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))  # the header row repeats on every page


def _block(doc, block: Block, charts: dict[str, bytes]) -> None:
    if block.kind == "title":
        p = doc.add_paragraph()
        p.alignment, p.paragraph_format.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Pt(0)
        _fonts(p.add_run(block.text), TITLE_FONT, TITLE_PT)
    elif block.kind == "subtitle":
        p = doc.add_paragraph()
        p.alignment, p.paragraph_format.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Pt(0)
        _fonts(p.add_run(block.text), KAI, BODY_PT)
    elif block.kind == "meta":
        for i, line in enumerate(block.items):
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(0)
            _fonts(p.add_run(line), HEI if i == 0 else BODY_FONT, 10.5 if i else 12, bold=i == 0 and block.draft)
    elif block.kind == "heading":
        style = HEADINGS[block.level][0]
        p = doc.add_paragraph(style=style)
        p.add_run(f"{block.number}{block.text}")
    elif block.kind == "para":
        doc.add_paragraph(block.text)
    elif block.kind == "bullets":
        for item in block.items:
            doc.add_paragraph(item)
    elif block.kind == "table":
        _table(doc, block.table)
    elif block.kind == "figure" and block.chart in charts:
        p = doc.add_paragraph()
        p.alignment, p.paragraph_format.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Pt(0)
        p.add_run().add_picture(io.BytesIO(charts[block.chart]), width=TYPE_AREA[0])


def write_docx(briefing: Briefing, lang: str, charts: dict[str, bytes], path: Path) -> Path:
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    _page(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    frame = texts(briefing, lang)
    if briefing.is_draft:
        for header in (section.header, section.even_page_header):
            _watermark(header, frame["watermark"])
    doc.core_properties.title = f"{frame['title']}{frame['subtitle']}"
    doc.core_properties.language = "zh-CN" if lang == "zh" else "en-GB"
    for block in brief_blocks(briefing, lang, set(charts)):
        _block(doc, block, charts)
    doc.save(path)
    return path

