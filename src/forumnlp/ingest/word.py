"""Word documents (.docx) read with python-docx, body in document order.

* Headings are not records: paragraphs in a Heading/Title style (or with an outline
  level), and short lines that are wholly bold or ALL CAPS.
* Every other non-empty paragraph and list item (a "List ..." style or numbering in the
  paragraph or its style) is one record under the last heading; location ``paragraph n``
  (n counts the non-empty paragraphs of the body, headings included).
* Tables: every non-empty cell is one record, location ``table t, row r, col c``. A first
  row that reads like a header (KEEP DOING / STOP DOING ..., or any short bold/caps row)
  gives the heading of the cells below it; a first column of frame names ("Keep", "Stop")
  gives the heading of its row. A cell that starts with its own heading line uses it. A cell
  with several paragraphs or bullet lines becomes one ``- item`` line per paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pandas as pd

from forumnlp.errors import InputError
from forumnlp.headings import frame_for_heading
from forumnlp.ingest._base import (
    Context,
    Source,
    chunked_records,
    clean_space,
    header_row_like,
    heading_text,
    is_caps,
    is_short,
    lines_text,
    looks_like_heading,
    strip_bullet,
)
from forumnlp.ingest._files import check_zip

_HEADING_STYLE = re.compile(r"^(heading\s*\d*|title|subtitle)\b", re.IGNORECASE)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


class _Paragraphs:
    """Classify python-docx paragraphs (style lookups cached per style)."""

    def __init__(self) -> None:
        self._style: dict[str, tuple[bool, bool, bool]] = {}

    def _style_info(self, para: Any) -> tuple[bool, bool, bool]:
        """(is heading style, is list style, is bold style)."""
        try:
            style = para.style
        except (KeyError, ValueError, AttributeError):
            return False, False, False
        key = getattr(style, "style_id", None) or ""
        if key in self._style:
            return self._style[key]
        name = (getattr(style, "name", "") or "").strip()
        heading = bool(_HEADING_STYLE.match(name))
        listed = name.casefold().startswith("list")
        bold = False
        s = style
        depth = 0
        while s is not None and depth < 10:
            p_pr = getattr(s.element, "pPr", None)
            if p_pr is not None and p_pr.find(_qn("w:numPr")) is not None:
                listed = True
            if p_pr is not None and p_pr.find(_qn("w:outlineLvl")) is not None:
                heading = True
            if getattr(s.font, "bold", None):
                bold = True
            s = getattr(s, "base_style", None)
            depth += 1
        info = (heading, listed and not name.casefold().startswith("list continue"), bold)
        self._style[key] = info
        return info

    def classify(self, para: Any) -> tuple[str, str, bool]:
        """Return (kind, text, bold): kind is "heading", "item" or "para"."""
        text = para.text or ""
        if not text.strip():
            return "para", "", False
        heading_style, list_style, bold_style = self._style_info(para)
        p_pr = para._p.pPr
        numbered = p_pr is not None and p_pr.find(_qn("w:numPr")) is not None
        if p_pr is not None and p_pr.find(_qn("w:outlineLvl")) is not None:
            heading_style = True
        runs = [r for r in para.runs if r.text.strip()]
        bold = bool(runs) and all(
            r.bold or (r.bold is None and (bold_style or _run_style_bold(r))) for r in runs
        )
        if heading_style and not numbered:
            return "heading", text, bold
        if numbered or list_style:
            return "item", text, bold
        is_item, rest = strip_bullet(text)
        if is_item:
            return "item", rest, bold
        if is_short(text) and not text.strip().endswith((".", ";", ",")) and (bold or is_caps(text)):
            return "heading", text, bold
        return "para", text, bold


def _run_style_bold(run: Any) -> bool:
    try:
        style = run.style
    except (KeyError, ValueError, AttributeError):
        return False
    return bool(style is not None and getattr(style.font, "bold", None))


def _cell_paragraphs(tc: Any, parent: Any) -> Iterator[Any]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in tc.iterchildren():
        if child.tag == _qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == _qn("w:tbl"):
            for row in Table(child, parent).rows:
                for inner in row._tr.tc_lst:
                    yield from _cell_paragraphs(inner, parent)
        elif child.tag == _qn("w:sdt"):
            content = child.find(_qn("w:sdtContent"))
            if content is not None:
                yield from _cell_paragraphs(content, parent)


def _cell(tc: Any, parent: Any, paras: _Paragraphs) -> tuple[str, str, str, bool]:
    """(own heading, text, single-line text, bold) of a table cell."""
    lines: list[tuple[str, str, bool]] = []
    for para in _cell_paragraphs(tc, parent):
        kind, text, bold = paras.classify(para)
        for k, piece in enumerate(text.split("\n")):
            if not piece.strip():
                continue
            is_item, rest = strip_bullet(piece)
            lines.append(("item" if (is_item or (kind == "item" and k == 0)) else kind, rest, bold))
    heading = ""
    if len(lines) > 1 and lines[0][0] != "item" and (
            lines[0][0] == "heading" or looks_like_heading(lines[0][1], bold=lines[0][2])):
        heading = heading_text(lines[0][1])
        lines = lines[1:]
    text = lines_text([(kind == "item", t) for kind, t, _ in lines], all_items=True)
    simple = lines[0][1].strip() if len(lines) == 1 and not heading else ""
    bold = bool(simple) and (lines[0][2] or lines[0][0] == "heading")
    return heading, text, simple, bold


def _table_records(tbl: Any, parent: Any, t_no: int, doc_heading: str, paras: _Paragraphs) -> list[tuple[str, str, str]]:
    grid: list[list[tuple[int, tuple[str, str, str, bool]]]] = []
    for tr in tbl.tr_lst:
        row: list[tuple[int, tuple[str, str, str, bool]]] = []
        col = 1
        for tc in tr.tc_lst:
            span = 1
            try:
                span = int(tc.grid_span or 1)
                merged = tc.vMerge == "continue"
            except (AttributeError, ValueError):
                merged = False
            if not merged:
                row.append((col, _cell(tc, parent, paras)))
            col += span
        grid.append(row)
    if not grid:
        return []
    labelled = [bool(row) and row[0][0] == 1 and len(row) > 1
                and frame_for_heading(row[0][1][2]) is not None for row in grid]
    row_labels = sum(labelled) >= min(2, len(grid)) and all(labelled[1:])
    first = grid[0]
    body_cells = [c for row in grid[1:] for _, c in row]
    header = (len(grid) > 1 and not (row_labels and labelled[0])
              and all(not c[1] or (c[2] and not c[0]) for _, c in first)
              and header_row_like([(c[2], c[3]) for _, c in first], [c[1] for c in body_cells]))
    names = {col: heading_text(c[2]) for col, c in first} if header else {}
    rows = grid[1:] if header else grid
    start_row = 2 if header else 1
    out: list[tuple[str, str, str]] = []
    for r, row in enumerate(rows, start=start_row):
        label = ""
        if row_labels and row and row[0][0] == 1 and len(row) > 1 and row[0][1][2]:
            label = heading_text(row[0][1][2])
        for col, (own, text, _, _) in row:
            if not text or (label and col == 1):
                continue
            heading = own or label or names.get(col, "") or doc_heading
            out.append((f"table {t_no}, row {r}, col {col}", heading, text))
    return out


def _body_elements(body: Any) -> Iterator[Any]:
    for child in body.iterchildren():
        if child.tag == _qn("w:sdt"):
            content = child.find(_qn("w:sdtContent"))
            if content is not None:
                yield from _body_elements(content)
        else:
            yield child


def parse_docx(path: Any, name: str) -> list[tuple[str, str, str]]:
    """Records of a .docx file: (location, heading, text) in document order."""
    import docx
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types on broken packages
        msg = " ".join(str(exc).split())[:200]
        raise InputError(f"{name}: not a valid .docx file ({type(exc).__name__}: {msg})") from exc
    paras = _Paragraphs()
    out: list[tuple[str, str, str]] = []
    heading = ""
    p_no = 0
    t_no = 0
    for el in _body_elements(document.element.body):
        if el.tag == _qn("w:p"):
            para = Paragraph(el, document)
            kind, text, _ = paras.classify(para)
            if not text.strip():
                continue
            p_no += 1
            if kind == "heading":
                heading = heading_text(text)
                continue
            lines = [strip_bullet(x) for x in text.split("\n") if x.strip()]
            body = lines_text(lines) if kind == "para" else clean_space(" ".join(t for _, t in lines))
            if body:
                out.append((f"paragraph {p_no}", heading, body))
        elif el.tag == _qn("w:tbl"):
            t_no += 1
            out.extend(_table_records(el, document, t_no, heading, paras))
    return out


def read_docx(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    """Yield the records of a .docx file."""
    assert src.path is not None
    check_zip(src.path, src.name, ".docx")
    rows = parse_docx(src.path, src.name)
    if not rows:
        from forumnlp.ingest._base import no_records

        raise no_records(src.name, "no text found")
    yield from chunked_records(src.name, rows, ctx.chunksize)
