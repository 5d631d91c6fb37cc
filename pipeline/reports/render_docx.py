"""DOCX renderer (python-docx): real headings (Heading 1-3), a table of contents field that
Word fills in when the document is opened (F9), tables with a repeated header row, charts as
PNG figures with a caption, quotes in Word's Quote style, page numbers in the footer."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from pipeline.reports.charts import chart_png
from pipeline.reports.model import (Block, Bullets, Chart, Facts, Paragraph, Quote, Report,
                                    Section, Table)
from pipeline.reports.render_html import decimals, number

MUTED = RGBColor(0x5B, 0x6B, 0x7B)


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str = "") -> None:
    """Insert a Word field (TOC, PAGE, NUMPAGES) into a paragraph."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def _note(document: DocxDocument, text: str) -> None:
    run = document.add_paragraph().add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = MUTED


def _table(document: DocxDocument, table: Table) -> None:
    caption = document.add_paragraph(table.title, style="Caption")
    caption.paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Light Grid Accent 1"
    header = grid.rows[0]
    _repeat_header(header)
    for i, name in enumerate(table.columns):
        header.cells[i].text = name
    for row in table.rows:
        cells = grid.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = number(value, decimals(table.columns[i])) if table.is_numeric(i) else (
                "" if value is None else str(value))
            if table.is_numeric(i):
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        _note(document, table.note)


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _block(document: DocxDocument, block: Block) -> None:
    if isinstance(block, Paragraph):
        if block.kind == "note":
            _note(document, block.text)
        else:
            document.add_paragraph(block.text)
    elif isinstance(block, Facts):
        for label, value in block.items:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Quote):
        paragraph = document.add_paragraph(style="Quote")
        paragraph.add_run(f"“{block.before}")
        paragraph.add_run(block.term).bold = True
        paragraph.add_run(f"{block.after}”")
        source = f"— {block.source}" + (f" · {block.note}" if block.note else "")
        _note(document, source)
    elif isinstance(block, Chart):
        document.add_picture(io.BytesIO(chart_png(block)), width=Cm(15))
        document.add_paragraph(f"{block.title}. {block.alt}", style="Caption")


def _section(document: DocxDocument, section: Section, level: int) -> None:
    document.add_heading(section.title, level=level)
    for block in section.blocks:
        _block(document, block)
    for sub in section.subsections:
        _section(document, sub, min(level + 1, 3))


def _footer(document: DocxDocument) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("focuslex · gepseudonimiseerd · pagina ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" van ")
    _field(paragraph, "NUMPAGES", "1")


def render_docx(report: Report) -> bytes:
    document = Document()
    document.core_properties.title = report.title
    document.core_properties.author = report.record.created_by
    document.core_properties.comments = f"focuslex {report.record.focuslex_version}"
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    for label, value in report.summary:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    _note(document, f"Gemaakt op {report.created_text} door {report.record.created_by}. "
                    "Alle namen zijn vervangen door codes.")
    document.add_heading("Inhoud", level=1)
    _field(document.add_paragraph(), r'TOC \o "1-2" \h \z \u',
           "Inhoudstafel: klik met de rechtermuisknop en kies 'Veld bijwerken' (F9).")
    _footer(document)
    for section in report.sections:
        document.add_page_break()
        _section(document, section, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
