"""Excel workbooks (.xlsx, .xlsm) read with openpyxl in read-only mode, sheet by sheet.

The header row is found below title rows: the first row whose non-empty cells are mostly
short text and that covers at least half (and at least two) of the columns the next rows
fill (a row with far fewer cells than a header-like row below it is a title). Every sheet is read (hidden sheets are skipped unless named with ``sheet=``); each
record gets a ``sheet`` attribute, and a sheet named like a frame ("Keep", "Stop doing",
"Good practice") is the heading of its rows when there is one text column and no heading
column. Locations are ``sheet Keep, row 7`` with spreadsheet row numbers.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from itertools import islice

import numpy as np
import pandas as pd

from forumnlp.errors import InputError
from forumnlp.headings import frame_for_heading
from forumnlp.ingest._base import Context, IngestWarning, Source, no_records, to_text, where
from forumnlp.ingest._files import check_zip
from forumnlp.ingest.tabular import ColumnError, plan_table, table_records

HEADER_SCAN_ROWS = 30
_HEADER_CELL_CHARS = 80


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _headerish(value: object) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or len(text) > _HEADER_CELL_CHARS:
        return False
    try:
        float(text.replace(",", ""))
    except ValueError:
        return True
    return False


def _width(row: Sequence[object]) -> int:
    for i in range(len(row) - 1, -1, -1):
        if not _blank(row[i]):
            return i + 1
    return 0


def find_header(rows: Sequence[Sequence[object]]) -> int | None:
    """Index of the header row among the first rows of a sheet, or None for an empty sheet.

    Parameters
    ----------
    rows : sequence of sequences
        The first rows' cell values.

    Returns
    -------
    int or None
    """
    first = None
    for i, row in enumerate(rows):
        values = [v for v in row if not _blank(v)]
        if not values:
            continue
        if first is None:
            first = i
        if sum(_headerish(v) for v in values) < 0.8 * len(values):
            continue
        following = [r for r in rows[i + 1 : i + 6] if _width(r)]
        data_width = max([_width(r) for r in following] + [_width(row)])
        if len(values) < max(1 if data_width <= 1 else 2, 0.5 * data_width):
            continue
        if following:  # a title such as "Event: | Forum 3" above a wider header row
            nxt = [v for v in following[0] if not _blank(v)]
            if sum(_headerish(v) for v in nxt) >= 0.8 * len(nxt) and len(values) < 0.75 * len(nxt):
                continue
        return i
    return first


def _header_names(row: Sequence[object], width: int) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i in range(width):
        value = row[i] if i < len(row) else None
        name = " ".join(to_text(value).split()) if not _blank(value) else f"Unnamed: {i}"
        base = name
        while name in seen:
            seen[base] += 1
            name = f"{base}.{seen[base]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


def _frame(rows: list[tuple[int, Sequence[object]]], columns: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    width = len(columns)
    data = [[to_text(v) for v in islice(r, width)] for _, r in rows]
    for values in data:
        if len(values) < width:
            values.extend([""] * (width - len(values)))
    frame = pd.DataFrame(data, columns=columns, dtype=object) if data else pd.DataFrame(columns=columns)
    return frame, np.array([n for n, _ in rows], dtype=np.int64)


def _sheet_records(ws: object, title: str, src: Source, ctx: Context, done: int) -> Iterator[tuple[pd.DataFrame, int]]:
    ws.reset_dimensions()  # type: ignore[attr-defined]  # do not trust the stored dimension
    it = enumerate(ws.iter_rows(values_only=True), start=1)  # type: ignore[attr-defined]
    head = list(islice(it, HEADER_SCAN_ROWS))
    header_at = find_header([r for _, r in head])
    if header_at is None:
        return
    header_row = head[header_at][1]
    width = max([_width(header_row)] + [_width(r) for _, r in head[header_at + 1 :]])
    columns = _header_names(header_row, width)
    body = [(n, r) for n, r in head[header_at + 1 :]]
    sample, _ = _frame(body, columns)
    place_text = where(src.name, title)
    plan = plan_table(columns, sample, ctx, place_text, extra=[("sheet", title)])
    default_heading = ""
    if len(plan.text_columns) == 1 and plan.heading_column is None and frame_for_heading(title):
        default_heading = title
    place = ctx.ids.place(src.name, lambda r, t=title: f"sheet {t}, row {r}")
    prefix = f"sheet {title}, row "
    truncated = False

    def emit(batch: list[tuple[int, Sequence[object]]], start: int) -> tuple[pd.DataFrame, int]:
        frame, rows = _frame(batch, columns)
        return table_records(frame, rows, plan, ctx, source=src.name, location_prefix=prefix,
                             start=start, place=place, default_heading=default_heading)

    batch = body
    for item in it:
        if len(item[1]) > width and _width(item[1]) > width and not truncated:
            truncated = True
            warnings.warn(f"{place_text}: row {item[0]} has cells right of the header; they are ignored",
                          IngestWarning, stacklevel=2)
        batch.append(item)
        if len(batch) >= ctx.chunksize:
            out, n = emit(batch, done)
            done += n
            batch = []
            yield out, n
    if batch:
        out, n = emit(batch, done)
        yield out, n


def read_excel(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    """Yield the records of every sheet of a workbook (or of ``sheet=`` only)."""
    assert src.path is not None
    check_zip(src.path, src.name, ".xlsx")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(src.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on broken files
        msg = " ".join(str(exc).split())[:200]
        raise InputError(f"{src.name}: not a valid .xlsx file ({type(exc).__name__}: {msg})") from exc
    try:
        sheets = list(wb.worksheets)
        names = [ws.title for ws in sheets]
        wanted = ctx.options.sheet
        if wanted is not None:
            match = [ws for ws in sheets if ws.title == wanted] or [
                ws for ws in sheets if ws.title.strip().casefold() == str(wanted).strip().casefold()
            ]
            if not match:
                raise InputError(f"{src.name}: no sheet {wanted!r}; the sheets are "
                                 + ", ".join(repr(n) for n in names))
            sheets = match[:1]
        done = 0
        missing: list[ColumnError] = []
        for ws in sheets:
            if wanted is None and getattr(ws, "sheet_state", "visible") != "visible":
                warnings.warn(f"{src.name}: hidden sheet {ws.title!r} skipped", IngestWarning, stacklevel=2)
                continue
            try:
                for out, n in _sheet_records(ws, ws.title, src, ctx, done):
                    done += n
                    if n:
                        yield out
            except ColumnError as exc:
                if len(sheets) == 1:
                    raise
                missing.append(exc)
                warnings.warn(f"{exc}; sheet skipped", IngestWarning, stacklevel=2)
            except InputError:
                raise
            except Exception as exc:
                msg = " ".join(str(exc).split())[:200]
                raise InputError(f"{where(src.name, ws.title)}: cannot be read "
                                 f"({type(exc).__name__}: {msg})") from exc
        if done == 0 and missing:
            raise missing[0]
        if done == 0:
            raise no_records(src.name, "no data rows in any sheet")
    finally:
        wb.close()
