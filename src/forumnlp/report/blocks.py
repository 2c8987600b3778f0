"""The building blocks of a report, shared by the writers: paragraphs, headings, tables,
charts, sections, and how a table cell is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass
class Heading:
    """A sub-heading (level 3 in HTML, Heading 2 in Word)."""

    text: str


@dataclass
class Table:
    """A table: caption, data (cells may be lists of strings), Excel sheet it goes to."""

    caption: str
    data: pd.DataFrame
    sheet: str
    index: bool = False
    note: str = ""


@dataclass
class Chart:
    """A chart made on demand (only the formats that show charts pay for it)."""

    key: str
    title: str
    desc: str
    make: Callable[[], Any]


@dataclass
class Section:
    """A top-level section (Heading 1 in Word, ``<h2>`` in HTML)."""

    key: str
    title: str
    blocks: list[Paragraph | Heading | Table | Chart] = field(default_factory=list)
    sheet: str = "Summary"


@dataclass
class ReportContent:
    """Everything a writer needs."""

    title: str
    generated: dt.date
    sections: list[Section]
    units: pd.DataFrame
    summary_line: str = ""

    @property
    def timestamp(self) -> dt.datetime:
        """Midnight UTC of the generated date (document properties, zip entry times)."""
        return dt.datetime(self.generated.year, self.generated.month, self.generated.day)


def cell_text(value: object) -> str:
    """A table cell as display text: integers plain, floats to 3 places, lists one per line."""
    if isinstance(value, list | tuple):
        return "\n".join(cell_text(v) for v in value)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) >= 1 else f"{value:.3f}"
    if hasattr(value, "item"):
        return cell_text(value.item())
    return str(value)


def is_number(value: object) -> bool:
    """True for numeric cells (right-aligned in tables)."""
    if isinstance(value, bool):
        return False
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    return isinstance(value, int | float)
