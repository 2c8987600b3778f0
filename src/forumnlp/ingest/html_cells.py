"""Report text exported from Word or PDF: tables as TAB-separated cells of HTML fragments.

A cell such as ``<p>THINGS TO KEEP</p> <ul> - Joint training - Weekly huddles – health and
police </ul>`` is parsed with the standard library's HTML parser and flattened:

* a leading short paragraph that reads like a heading (ALL CAPS, bold, ending in ":", or
  naming a frame) and is followed by more content becomes the cell's heading;
* ``<li>`` elements, and list text flattened into " - " separated items inside ``<ul>``/``<ol>``,
  become one ``- item`` line each. Only a hyphen with spaces around it (or at the start)
  separates items: "Re-visit" and "huddles – health and police" stay whole;
* other paragraphs become lines of prose; ``<br>`` breaks lines; entities are unescaped.

The first row of a table is a header row when it reads like one (see
:func:`forumnlp.ingest._base.header_row_like`); its cells are then the headings of the cells
below, unless a cell has its own heading paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from forumnlp.ingest._base import (
    clean_space,
    header_row_like,
    heading_text,
    lines_text,
    looks_like_heading,
    strip_bullet,
)

HTML_TAG = re.compile(r"</?(?:p|ul|ol|li|i|b|u|em|strong|br|div|span|h[1-6]|font|a|sup|sub)\b[^<>]*>",
                      re.IGNORECASE)
_ITEM_SEP = re.compile(r"(?:^|\s)[-•▪◦·]\s+")
_BLOCK = {"p", "div", "blockquote", "section", "article", "header", "footer", "tr", "table",
          "dd", "dt", "pre"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LISTS = {"ul", "ol", "dl", "menu"}
_BOLD = {"b", "strong", "th"}
_SKIP = {"script", "style", "head", "title", "template"}
_CELL = {"td", "th"}


@dataclass
class Block:
    """A flattened piece of a cell: ``kind`` is heading, para, item or listtext."""

    kind: str
    text: str
    bold: bool = False


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.kind = "para"
        self.list_depth = 0
        self.li_depth = 0
        self.bold = 0
        self.skip = 0
        self.chars = 0
        self.bold_chars = 0

    def flush(self, next_kind: str | None = None) -> None:
        text = clean_space("".join(self.buf))
        if text:
            kind = self.kind
            if kind == "para" and self.list_depth and not self.li_depth:
                kind = "listtext"
            bold = self.chars > 0 and self.bold_chars >= 0.9 * self.chars
            self.blocks.append(Block(kind, text, bold))
        self.buf, self.chars, self.bold_chars = [], 0, 0
        if next_kind is not None:
            self.kind = next_kind

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self.flush()
        elif tag in _HEADINGS:
            self.flush("heading")
        elif tag in _LISTS:
            self.flush("para")
            self.list_depth += 1
        elif tag == "li":
            self.flush("item")
            self.li_depth += 1
        elif tag in _BLOCK or tag in _CELL:
            self.flush("item" if self.li_depth else "para")
        if tag in _BOLD:
            self.bold += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _HEADINGS:
            self.flush("para")
        elif tag in _LISTS:
            self.flush("para")
            self.list_depth = max(0, self.list_depth - 1)
        elif tag == "li":
            self.flush()
            self.li_depth = max(0, self.li_depth - 1)
            self.kind = "item" if self.li_depth else "para"
        elif tag in _BLOCK or tag in _CELL:
            self.flush("item" if self.li_depth else "para")
        if tag in _BOLD:
            self.bold = max(0, self.bold - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.buf.append(data)
        n = len(data.strip())
        self.chars += n
        if self.bold:
            self.bold_chars += n


def split_list_text(text: str) -> list[str]:
    """Split list text flattened into " - " separated items; dashes inside items stay."""
    parts = [clean_space(p) for p in _ITEM_SEP.split(" " + text)]
    return [p for p in parts if p]


def flatten_html(fragment: str) -> list[Block]:
    """Parse an HTML fragment into heading / para / item blocks (list text split into items)."""
    parser = _Flattener()
    parser.feed(fragment)
    parser.close()
    parser.flush()
    out: list[Block] = []
    for block in parser.blocks:
        if block.kind == "listtext":
            out.extend(Block("item", item) for item in split_list_text(block.text))
        elif block.kind == "para":
            is_item, text = strip_bullet(block.text)
            out.append(Block("item" if is_item else "para", text, block.bold))
        else:
            out.append(block)
    return out


@dataclass
class Cell:
    """A flattened table cell: its own heading (or ""), record text, and header candidates."""

    heading: str
    text: str
    simple: str = ""  # the text when the cell is one short line (a header candidate)
    bold: bool = False
    lines: list[tuple[bool, str]] = field(default_factory=list)


def flatten_cell(fragment: str) -> Cell:
    """Flatten one table cell (HTML or plain text) into a :class:`Cell`."""
    blocks = flatten_html(fragment) if "<" in fragment or "&" in fragment else [
        Block("item" if strip_bullet(fragment)[0] else "para", strip_bullet(fragment)[1])
    ]
    blocks = [b for b in blocks if b.text]
    heading = ""
    if len(blocks) > 1 and (blocks[0].kind == "heading" or (
            blocks[0].kind == "para" and looks_like_heading(blocks[0].text, bold=blocks[0].bold))):
        heading = heading_text(blocks[0].text)
        blocks = blocks[1:]
    lines = [(b.kind == "item", b.text) for b in blocks]
    text = lines_text(lines)
    simple = blocks[0].text if len(blocks) == 1 and blocks[0].kind != "item" and not heading else ""
    bold = bool(simple) and (blocks[0].bold or blocks[0].kind == "heading")
    return Cell(heading, text, simple, bold, lines)


def is_table_line(line: str) -> bool:
    """A line of a report table: it holds HTML tags or a TAB between pieces of text."""
    if HTML_TAG.search(line):
        return True
    return "\t" in line.strip()


def table_records(
    rows: Sequence[tuple[int, Sequence[str]]],
    doc_heading: str,
    header: bool | None = None,
) -> list[tuple[str, str, str]]:
    """Records of a tab-separated (or Markdown) table: (location, heading, text) per cell.

    Parameters
    ----------
    rows : sequence of (line number, cells)
        The table's lines split into raw cells.
    doc_heading : str
        The heading the table sits under, for cells with no header and no own heading.
    header : bool, optional
        Whether the first row is a header row; None guesses.

    Returns
    -------
    list of (location, heading, text)
    """
    parsed = [(n, [flatten_cell(c) for c in cells]) for n, cells in rows]
    width = max((len(cells) for _, cells in parsed), default=0)
    if header is None:
        header = len(parsed) > 1 and all(
            not c.text or (c.simple and not c.heading) for c in parsed[0][1]
        ) and header_row_like(
            [(c.simple, c.bold) for c in parsed[0][1]],
            [c.text for _, cells in parsed[1:] for c in cells],
        )
    names: list[str] = []
    if header and parsed:
        names = [heading_text(c.simple or c.text) for c in parsed[0][1]]
        parsed = parsed[1:]
    out: list[tuple[str, str, str]] = []
    for lineno, cells in parsed:
        for col, cell in enumerate(cells):
            if not cell.text:
                continue
            heading = cell.heading or (names[col] if col < len(names) and names[col] else doc_heading)
            loc = f"line {lineno}, col {col + 1}" if width > 1 else f"line {lineno}"
            out.append((loc, heading, cell.text))
    return out
