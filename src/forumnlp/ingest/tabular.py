"""Rows of a table (CSV, sheet, JSONL, DataFrame) -> records: the column rules.

Text columns
    ``text_columns`` when given (matched exactly, else ignoring case and surrounding spaces).
    Otherwise one column is chosen: among the columns named like ``text``, ``comment(s)``,
    ``response``, ``answer``, ``feedback``, ``note(s)`` (the whole name, ignoring case and
    punctuation), the one with the longest average value; else among columns whose name
    contains one of those words; else the column with the longest average value. The
    average is taken over the first chunk of rows.
Heading
    With several text columns a record's heading is its column name (or the row's
    ``heading_column`` value when that option is given and the value is not blank). With one
    text column, the ``heading_column`` value (auto: a column named question / heading /
    prompt / section), else the reader's default (a frame-named sheet), else "".
Ids
    ``id_column`` values (stripped); a blank id falls back to ``f"{source}:{n}"``, n the
    1-based ordinal of the row; a repeated non-empty id is an error.
Attributes
    Every column except the text columns, in input order, values as text ("" for blanks);
    names that collide with forumnlp's own columns get the suffix ``_input``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forumnlp.errors import InputError
from forumnlp.ingest._base import Context, where
from forumnlp.schema import (
    HEADING,
    LOCATION,
    RECORD_COLUMNS,
    RECORD_ID,
    SOURCE,
    TEXT,
    safe_attribute_name,
)

TEXT_NAMES: tuple[str, ...] = ("text", "comment", "comments", "response", "responses", "answer",
                               "answers", "feedback", "note", "notes")
HEADING_NAMES: tuple[str, ...] = ("question", "heading", "prompt", "section")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_ORDER = "__order"


def _norm(name: str) -> str:
    return _NON_WORD.sub(" ", str(name).casefold()).strip()


def _columns_list(columns: Sequence[str]) -> str:
    shown = [repr(str(c)) for c in columns[:40]]
    more = f" and {len(columns) - 40} more" if len(columns) > 40 else ""
    return ", ".join(shown) + more if shown else "(none)"


class ColumnError(InputError):
    """A requested column (text, id, heading) is not in a table."""


def resolve_column(name: str, columns: Sequence[str], what: str, place: str) -> str:
    """Find ``name`` among ``columns`` (exactly, else ignoring case/spaces) or raise InputError."""
    if name in columns:
        return name
    folded = [c for c in columns if str(c).strip().casefold() == str(name).strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    raise ColumnError(f"{place}: no {what} column {name!r}; the columns are {_columns_list(columns)}")


def _avg_len(sample: pd.DataFrame, col: str) -> float:
    if sample.empty:
        return 0.0
    return float(sample[col].astype(str).str.len().mean())


def detect_text_column(columns: Sequence[str], sample: pd.DataFrame, exclude: Sequence[str] = ()) -> str:
    """Choose the text column (see the module docstring for the rule)."""
    candidates = [c for c in columns if c not in exclude] or list(columns)
    exact = [c for c in candidates if _norm(c) in TEXT_NAMES]
    if not exact:
        exact = [c for c in candidates if set(_norm(c).split()) & set(TEXT_NAMES)]
    pool = exact or candidates
    if len(pool) == 1:
        return pool[0]
    lengths = [(_avg_len(sample, c), -i) for i, c in enumerate(pool)]
    return pool[max(range(len(pool)), key=lambda i: lengths[i])]


@dataclass
class TablePlan:
    """Which columns give text, heading and id, and the attribute columns with their names."""

    text_columns: list[str]
    heading_column: str | None
    id_column: str | None
    attributes: list[tuple[str, str]]  # (input column, output name)
    extra: list[tuple[str, str]]  # (output name, constant value), e.g. ("sheet", "Keep")


def plan_table(
    columns: Sequence[str],
    sample: pd.DataFrame,
    ctx: Context,
    place: str,
    extra: Sequence[tuple[str, str]] = (),
) -> TablePlan:
    """Resolve the options against a table's columns.

    Parameters
    ----------
    columns : sequence of str
        The table's column names in order.
    sample : pandas.DataFrame
        The first rows (string values), for auto-detection.
    ctx : Context
        Read options.
    place : str
        ``"file.csv"`` or ``"book.xlsx, sheet Keep"`` for messages.
    extra : sequence of (name, value)
        Constant attributes that come first (the ``sheet`` of a workbook).

    Returns
    -------
    TablePlan
    """
    opts = ctx.options
    cols = [str(c) for c in columns]
    if not cols:
        raise InputError(f"{place}: no columns found")
    id_col = resolve_column(opts.id_column, cols, "id", place) if opts.id_column else None
    heading_col = (resolve_column(opts.heading_column, cols, "heading", place)
                   if opts.heading_column else None)
    if opts.text_columns:
        wanted = {resolve_column(t, cols, "text", place) for t in opts.text_columns}
        text_cols = [c for c in cols if c in wanted]
    else:
        skip = [c for c in (id_col, heading_col) if c]
        skip += [c for c in cols if _norm(c) in HEADING_NAMES and not heading_col]
        text_cols = [detect_text_column(cols, sample, skip)]
    if heading_col is None and len(text_cols) == 1:
        named = [c for c in cols if _norm(c) in HEADING_NAMES and c not in text_cols]
        heading_col = named[0] if named else None
    taken: list[str] = []
    extra_named: list[tuple[str, str]] = []
    for name, value in extra:
        out = safe_attribute_name(name, taken)
        taken.append(out)
        extra_named.append((out, value))
    attributes: list[tuple[str, str]] = []
    for c in cols:
        if c in text_cols:
            continue
        out = safe_attribute_name(c, taken)
        taken.append(out)
        attributes.append((c, out))
    return TablePlan(text_cols, heading_col, id_col, attributes, extra_named)


def table_records(
    chunk: pd.DataFrame,
    rows: np.ndarray,
    plan: TablePlan,
    ctx: Context,
    *,
    source: str,
    location_prefix: str,
    start: int,
    place: int,
    default_heading: str = "",
) -> tuple[pd.DataFrame, int]:
    """Turn a chunk of string rows into records.

    Parameters
    ----------
    chunk : pandas.DataFrame
        Rows with every planned column (string values; NaN is read as "").
    rows : numpy.ndarray
        The row number of each chunk row as the user sees it (spreadsheet row, line).
    plan : TablePlan
        From :func:`plan_table`.
    ctx : Context
        Options and the id registry.
    source : str
        The ``source`` value.
    location_prefix : str
        Prefix of the location, e.g. ``"row "`` or ``"sheet Keep, row "``.
    start : int
        Rows of this source emitted before this chunk (for ``source:n`` ids).
    place : int
        The id registry's place number of this source/sheet.
    default_heading : str
        Heading of rows with no heading column value (a frame-named sheet).

    Returns
    -------
    (pandas.DataFrame, int)
        The records and the number of rows they came from.
    """
    if chunk.empty:
        return _empty(plan), 0
    chunk = chunk.fillna("").astype(str)
    blank = np.ones(len(chunk), dtype=bool)
    for col in chunk.columns:
        blank &= (chunk[col] == "").to_numpy(dtype=bool)
    if blank.all():
        return _empty(plan), 0
    if blank.any():
        chunk = chunk.loc[~blank]
        rows = rows[~blank]
    chunk = chunk.reset_index(drop=True)
    n = len(chunk)
    fallback = pd.Series([f"{source}:{k}" for k in range(start + 1, start + n + 1)], dtype=str)
    if plan.id_column:
        ids = chunk[plan.id_column].str.strip()
        ctx.ids.add(plan.id_column, place, ids.tolist(), rows.tolist())
        record_ids = ids.where(ids != "", fallback)
    else:
        record_ids = fallback
    given = chunk[plan.heading_column].str.strip() if plan.heading_column else None
    common: dict[str, object] = {
        RECORD_ID: record_ids,
        SOURCE: source,
        LOCATION: location_prefix + pd.Series(rows, dtype="int64").astype(str),
    }
    attrs: dict[str, object] = {name: value for name, value in plan.extra}
    for col, out in plan.attributes:
        attrs[out] = chunk[col]
    k = len(plan.text_columns)
    parts = []
    for j, col in enumerate(plan.text_columns):
        text = chunk[col]
        if text.str.contains("\r", regex=False).any():
            text = text.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
        fallback_heading = default_heading if k == 1 else col
        data = dict(common)
        data[HEADING] = (given.where(given != "", fallback_heading) if given is not None
                         else fallback_heading)
        data[TEXT] = text
        data.update(attrs)
        if k > 1:
            data[_ORDER] = np.arange(n) * k + j
        parts.append(pd.DataFrame(data, index=range(n)))
    out = parts[0] if k == 1 else (
        pd.concat(parts, ignore_index=True).sort_values(_ORDER, kind="stable").drop(columns=_ORDER)
    )
    out = out[list(RECORD_COLUMNS) + [c for c in out.columns if c not in RECORD_COLUMNS]]
    return out.reset_index(drop=True), n


def _empty(plan: TablePlan) -> pd.DataFrame:
    cols = list(RECORD_COLUMNS) + [name for name, _ in plan.extra] + [o for _, o in plan.attributes]
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})


def place_label(source: str, sheet: str | None = None) -> str:
    """Label of a table in messages."""
    return where(source, sheet)


def extend_plan(plan: TablePlan, columns: Sequence[str]) -> None:
    """Add attribute columns that appear only later in a stream (JSON Lines keys)."""
    known = set(plan.text_columns) | {c for c, _ in plan.attributes}
    taken = [o for _, o in plan.attributes] + [n for n, _ in plan.extra]
    for c in columns:
        if c not in known:
            out = safe_attribute_name(c, taken)
            taken.append(out)
            plan.attributes.append((c, out))
            known.add(c)
