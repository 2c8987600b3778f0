"""Shared pieces of the readers: options, sources, record frames, id checks, text helpers."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from forumnlp.errors import InputError
from forumnlp.schema import HEADING, LOCATION, RECORD_COLUMNS, RECORD_ID, SOURCE, TEXT


class IngestWarning(UserWarning):
    """A problem that does not stop reading (a skipped file or sheet)."""


@dataclass(frozen=True)
class ReadOptions:
    """The column options of :func:`forumnlp.ingest.read` (tabular inputs only)."""

    text_columns: tuple[str, ...] | None = None
    id_column: str | None = None
    heading_column: str | None = None
    sheet: str | None = None


@dataclass
class Source:
    """One input: a file (``path``) or a DataFrame (``frame``), with its ``name`` (source)."""

    name: str
    path: Path | None = None
    frame: pd.DataFrame | None = None
    index: int = 0


@dataclass
class IdRegistry:
    """Remembers id-column values across all inputs of one read, to refuse duplicates.

    Each id is stored with one int that encodes where it was seen (source, sheet, row), so
    the memory cost is that of the ids themselves.
    """

    seen: dict[str, int] = field(default_factory=dict)
    places: list[tuple[str, Callable[[int], str]]] = field(default_factory=list)

    def place(self, source: str, locate: Callable[[int], str]) -> int:
        """Register a place (a file or a sheet) and return its number."""
        self.places.append((source, locate))
        return len(self.places) - 1

    def _where(self, code: int) -> tuple[str, str]:
        source, locate = self.places[code >> 40]
        return source, locate(code & ((1 << 40) - 1))

    def add(self, column: str, place: int, ids: Sequence[str], rows: Sequence[int]) -> None:
        """Record ``ids`` (non-empty values) seen at ``rows`` of ``place``; raise on a repeat."""
        seen = self.seen
        base = place << 40
        for value, row in zip(ids, rows, strict=True):
            if not value:
                continue
            code = seen.get(value)
            if code is not None:
                src1, loc1 = self._where(code)
                src2, loc2 = self._where(base + int(row))
                first = loc1 if src1 == src2 else f"{src1} {loc1}"
                raise InputError(
                    f"{src2}: id column {column!r} has the value {value!r} twice "
                    f"({first} and {loc2}); ids must be unique"
                )
            seen[value] = base + int(row)


@dataclass
class Context:
    """State shared by the readers during one call of ``iter_read``."""

    options: ReadOptions
    chunksize: int
    ids: IdRegistry = field(default_factory=IdRegistry)


def to_text(value: object) -> str:
    """Render a cell value as the text a user sees: None/NaN -> "", 3.0 -> "3", dates ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if value is pd.NaT:
        return ""
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def records_frame(
    source: str,
    rows: Sequence[tuple[str, str, str]],
    start: int = 0,
) -> pd.DataFrame:
    """Build a records frame for a document: ``rows`` of (location, heading, text).

    Record ids are ``f"{source}:{n}"`` with n counted from ``start + 1``.
    """
    n = len(rows)
    return pd.DataFrame(
        {
            RECORD_ID: [f"{source}:{start + i + 1}" for i in range(n)],
            SOURCE: [source] * n,
            LOCATION: [r[0] for r in rows],
            HEADING: [r[1] for r in rows],
            TEXT: [r[2] for r in rows],
        },
        columns=list(RECORD_COLUMNS),
    )


def chunked_records(source: str, rows: list[tuple[str, str, str]], chunksize: int) -> list[pd.DataFrame]:
    """Split document records into frames of at most ``chunksize`` records."""
    return [records_frame(source, rows[i : i + chunksize], i) for i in range(0, len(rows), chunksize)]


# ---------------------------------------------------------------- text helpers

_BULLET_SPACED = re.compile(r"^\s*(?:[-*–—>]\s+|[•·▪◦‣⁃●○■□➢➤►✓✔]\s*(?=\S)|(?:\(?\d{1,3}|\(?[a-zA-Z])[.)]\s+)")
_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def strip_bullet(line: str) -> tuple[bool, str]:
    """Return (is_list_item, text without the marker) for one line.

    Markers: - * • – — · ▪ ◦ and numbering "1." "1)" "(1)" "a)" "a."; a hyphen, star,
    dash or ">" must be followed by a space ("-1 degrees" and "Re-visit" are not items).
    """
    m = _BULLET_SPACED.match(line)
    if not m:
        return False, line.strip()
    rest = line[m.end() :].strip()
    if not rest:
        return False, line.strip()
    return True, rest


def clean_space(text: str) -> str:
    """Collapse runs of spaces/tabs/no-break spaces into one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def is_caps(text: str) -> bool:
    """True when the text has at least two letters and all of them are upper case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_short(text: str, max_words: int = 12, max_chars: int = 100) -> bool:
    """True for a heading-length line: at most ``max_words`` words and ``max_chars`` chars."""
    t = text.strip()
    return 0 < len(t) <= max_chars and len(t.split()) <= max_words and "\n" not in t


def looks_like_heading(text: str, *, bold: bool = False, followed: bool = True) -> bool:
    """Guess whether a short line is a heading rather than content.

    A heading is short, does not end like a sentence (".", ";", ","), and is bold, ALL CAPS,
    ends with ":" or names a frame ("Keep doing", "What went well?"). ``followed`` says
    whether content follows it (a lone short line is content).
    """
    from forumnlp.headings import frame_for_heading

    t = text.strip()
    if not followed or not is_short(t) or t.endswith((".", ";", ",")):
        return False
    if strip_bullet(t)[0]:
        return False
    return bold or is_caps(t) or t.endswith(":") or frame_for_heading(t) is not None


def heading_text(text: str) -> str:
    """Tidy a heading: collapse spaces, drop a trailing colon and Markdown emphasis."""
    t = clean_space(text.replace("\n", " "))
    t = t.strip("*_ ").strip()
    return t[:-1].rstrip() if t.endswith(":") else t


def lines_text(items: Sequence[tuple[bool, str]], *, all_items: bool = False) -> str:
    """Join lines into record text: list items as ``- item`` lines, other lines as they are.

    A single line is returned without a marker. With ``all_items`` every line of a
    multi-line text is written as an item.
    """
    kept = [(is_item, clean_space(t)) for is_item, t in items if t.strip()]
    if not kept:
        return ""
    if len(kept) == 1:
        return kept[0][1]
    return "\n".join(f"- {t}" if (is_item or all_items) else t for is_item, t in kept)


def file_label(path: Path) -> str:
    """The name used for a file in messages."""
    return path.name or str(path)


def where(source: str, sheet: str | None = None) -> str:
    """``"file.xlsx, sheet Keep"`` or ``"file.csv"``: the prefix of a message."""
    return f"{source}, sheet {sheet}" if sheet else source


def no_records(source: str, what: str = "no rows with text") -> InputError:
    """The error for an input that yields no records."""
    return InputError(f"{source}: {what} (0 records)")


def header_row_like(first: Sequence[tuple[str, bool]], body: Sequence[str]) -> bool:
    """Guess whether a table's first row is a header row.

    Parameters
    ----------
    first : sequence of (text, bold)
        The first row's cells; text "" for an empty cell, None-like multi-line cells should
        be passed with a newline in the text (they disqualify the row).
    body : sequence of str
        The texts of the cells below.

    Returns
    -------
    bool
        True when every non-empty first-row cell is short and single-line and the row is
        bold, ALL CAPS, ends in ":"/"?", names a frame, or is clearly shorter than the
        cells below it.
    """
    from forumnlp.headings import frame_for_heading

    cells = [(t.strip(), b) for t, b in first if t.strip()]
    if not cells or not any(b.strip() for b in body):
        return False
    if not all(is_short(t, 10, 80) and not t.endswith((".", ";", ",")) for t, _ in cells):
        return False
    if any(frame_for_heading(t) is not None for t, _ in cells):
        return True
    if all(b for _, b in cells) or all(is_caps(t) for t, _ in cells):
        return True
    if all(t.endswith((":", "?")) for t, _ in cells):
        return True
    body_texts = [b for b in body if b.strip()]
    avg_head = sum(len(t) for t, _ in cells) / len(cells)
    avg_body = sum(len(b) for b in body_texts) / len(body_texts)
    return avg_body > 1.5 * avg_head and len(cells) >= 2
