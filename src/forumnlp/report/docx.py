"""The Word report: real headings (Heading 1/2), real tables (Table Grid), charts as PNG."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from forumnlp.report._zip import normalise_ooxml, xml_safe
from forumnlp.report.blocks import (
    Chart,
    Heading,
    Paragraph,
    ReportContent,
    Table,
    cell_text,
    is_number,
)

TABLE_STYLE = "Table Grid"
PICTURE_WIDTH_INCHES = 6.3


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _add_table(doc: Any, block: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.add_paragraph(xml_safe(block.caption), style="Caption")
    data = block.data
    header = ([str(data.index.name or "")] if block.index else []) + [str(c) for c in data.columns]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    hdr = table.rows[0]
    _repeat_header(hdr)
    for cell, text in zip(hdr.cells, header, strict=True):
        run = cell.paragraphs[0].add_run(xml_safe(text))
        run.bold = True
    for label, rec in zip(data.index, data.itertuples(index=False, name=None), strict=True):
        values = ([label] if block.index else []) + list(rec)
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            if isinstance(value, list | tuple):
                first = True
                for item in value:
                    para = cell.paragraphs[0] if first else cell.add_paragraph()
                    para.add_run(xml_safe(f"“{cell_text(item)}”"))
                    para.paragraph_format.space_after = Pt(3)
                    first = False
                continue
            para = cell.paragraphs[0]
            para.add_run(xml_safe(cell_text(value)))
            if is_number(value):
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if block.note:
        doc.add_paragraph(xml_safe(block.note))


def _add_chart(doc: Any, block: Chart) -> None:
    from docx.shared import Inches

    from forumnlp.report.charts import chart_style, to_png

    with chart_style():
        png = to_png(block.make())
    doc.add_picture(io.BytesIO(png), width=Inches(PICTURE_WIDTH_INCHES))
    doc_pr = doc.inline_shapes[-1]._inline.docPr
    doc_pr.set("title", xml_safe(block.title))
    doc_pr.set("descr", xml_safe(block.desc))
    doc.add_paragraph(xml_safe(block.title), style="Caption")


def write_docx(content: ReportContent, path: Path, *, redacted: bool = True) -> None:
    """Write the Word report to ``path``.

    Parameters
    ----------
    content : ReportContent
    path : pathlib.Path
    redacted : bool
        Stated under the title.
    """
    from docx import Document

    from forumnlp import __version__

    doc = Document()
    props = doc.core_properties
    props.title = xml_safe(content.title)
    props.author = "forumnlp"
    props.last_modified_by = "forumnlp"
    props.comments = f"forumnlp {__version__}"
    props.revision = 1
    props.created = content.timestamp
    props.modified = content.timestamp
    props.last_printed = content.timestamp
    doc.add_heading(xml_safe(content.title), level=0)
    doc.add_paragraph(xml_safe(
        f"Generated on {content.generated.isoformat()} by forumnlp {__version__}. "
        f"Personal details redacted: {'yes' if redacted else 'no'}."))
    for section in content.sections:
        doc.add_heading(xml_safe(section.title), level=1)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                doc.add_paragraph(xml_safe(block.text))
            elif isinstance(block, Heading):
                doc.add_heading(xml_safe(block.text), level=2)
            elif isinstance(block, Table):
                _add_table(doc, block)
            elif isinstance(block, Chart):
                _add_chart(doc, block)
    doc.save(str(path))
    normalise_ooxml(path, content.timestamp)
