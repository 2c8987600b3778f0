"""The Excel report: one sheet per table, a Units sheet, every text cell formula-neutralised."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from forumnlp.io import neutralise_cell
from forumnlp.report._zip import normalise_ooxml, xml_safe
from forumnlp.report.blocks import Heading, Paragraph, ReportContent, Table

UNITS_SHEET = "Units"
MAX_WIDTH = 80
WRAP_AT = 60


def excel_value(value: object) -> object:
    """A cell value Excel can hold, inert: text neutralised (= + - @), lists one per line."""
    if isinstance(value, list | tuple):
        value = "\n".join(str(v) for v in value)
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, bool | int | float | dt.date | dt.datetime):
        return value
    return neutralise_cell(xml_safe(str(value)))


def _sheet_items(content: ReportContent) -> dict[str, list[tuple[str, Any]]]:
    """Each sheet's items in order: ("text", str), ("heading", str) or ("table", Table)."""
    sheets: dict[str, list[tuple[str, Any]]] = {"Summary": [
        ("heading", content.title),
        ("text", f"Generated on {content.generated.isoformat()}."),
    ]}
    for section in content.sections:
        pending: list[tuple[str, Any]] = [("heading", section.title)]
        last: str | None = None
        for block in section.blocks:
            if isinstance(block, Paragraph):
                pending.append(("text", block.text))
            elif isinstance(block, Heading):
                pending.append(("heading", block.text))
            elif isinstance(block, Table):
                if pending and pending[-1] == ("heading", block.caption):
                    pending.pop()  # the caption says it already
                items = sheets.setdefault(block.sheet, [])
                items.extend(pending)
                items.append(("table", block))
                pending, last = [], block.sheet
        if len(pending) > 1 or (pending and last is None):
            sheets.setdefault(last or section.sheet, []).extend(pending)
    return sheets


def _table_rows(block: Table) -> list[list[object]]:
    data = block.data
    header = ([str(data.index.name or "")] if block.index else []) + [str(c) for c in data.columns]
    rows: list[list[object]] = [header]
    for label, rec in zip(data.index, data.itertuples(index=False, name=None), strict=True):
        rows.append(([label] if block.index else []) + list(rec))
    return rows


def _widths(rows: list[list[object]]) -> list[int]:
    widths: list[int] = []
    for row in rows:
        for j, v in enumerate(row):
            text = "\n".join(map(str, v)) if isinstance(v, list | tuple) else str(v or "")
            n = max((len(line) for line in text.split("\n")), default=0)
            if j >= len(widths):
                widths.append(0)
            widths[j] = max(widths[j], min(n + 2, MAX_WIDTH))
    return widths


def _write_sheet(wb: Any, name: str, items: list[tuple[str, Any]]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    tables = [_table_rows(t) for kind, t in items if kind == "table"]
    widths = _widths([r for rows in tables for r in rows]) if tables else [MAX_WIDTH]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(w, 10)
    bold = Font(bold=True)
    big = Font(bold=True, size=13)
    fill = PatternFill("solid", fgColor="EEF2F7")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

    def cell(value: object, font: Any = None, fill_: Any = None, flow: bool = False) -> Any:
        c = WriteOnlyCell(ws, value=excel_value(value))
        if font is not None:
            c.font = font
        if fill_ is not None:
            c.fill = fill_
        text = c.value if isinstance(c.value, str) else ""
        c.alignment = wrap if not flow and (len(text) > WRAP_AT or "\n" in text) else top
        return c

    for kind, item in items:
        if kind == "heading":
            ws.append([cell(item, big, flow=True)])
        elif kind == "text":
            ws.append([cell(item, flow=True)])
        else:
            rows = _table_rows(item)
            ws.append([cell(item.caption, bold, flow=True)])
            ws.append([cell(h, bold, fill) for h in rows[0]])
            for row in rows[1:]:
                ws.append([cell(v) for v in row])
            ws.append([])


def _write_units(wb: Any, units: pd.DataFrame) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(UNITS_SHEET)
    cols = [str(c) for c in units.columns]
    for j, col in enumerate(cols, start=1):
        width = MAX_WIDTH if col == "text" else 40 if col in ("evidence", "theme_scores") else 18
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    ws.append([excel_value(c) for c in cols])
    for rec in units.itertuples(index=False, name=None):
        ws.append([excel_value(v) for v in rec])


def write_xlsx(content: ReportContent, path: Path, *, redacted: bool = True) -> None:
    """Write the Excel report to ``path``.

    Parameters
    ----------
    content : ReportContent
    path : pathlib.Path
    redacted : bool
        Stated on the Summary sheet.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "forumnlp"
    wb.properties.lastModifiedBy = "forumnlp"
    wb.properties.title = xml_safe(content.title)
    wb.properties.created = content.timestamp
    wb.properties.modified = content.timestamp
    sheets = _sheet_items(content)
    sheets["Summary"].insert(2, ("text", f"Personal details redacted: {'yes' if redacted else 'no'}."))
    for name, items in sheets.items():
        _write_sheet(wb, name, items)
    _write_units(wb, content.units)
    wb.save(str(path))
    normalise_ooxml(path, content.timestamp)
