"""Plain text (.txt) and Markdown (.md) notes, including report exports with HTML cells.

Blocks, in order:

* headings (not records): Markdown ``#`` lines, underlined (``===``/``---``) lines, lines
  that are wholly ``**bold**``, short ALL-CAPS lines, short lines ending in ":" (up to six
  words, or up to fifteen when a list follows), and short lines that name a frame
  ("Keep doing") when a list follows;
* list items: ``-`` ``*`` ``•`` ``–`` and numbered ``1.`` ``1)`` ``a)`` lines; indented lines,
  or lines starting in lower case, continue the item above;
* paragraphs: other lines up to a blank line (line breaks kept: the segmenter tells
  hard-wrapped prose from one-comment-per-line notes);
* tables: runs of lines holding HTML tags or TABs between texts (report exports; see
  :mod:`forumnlp.ingest.html_cells`) and Markdown pipe tables.

Each list item, paragraph and table cell is one record under the heading it sat under;
its location is ``line n`` (``line n, col m`` for a table cell). A .txt file that is wholly a
tab-separated table with a plain header row (Excel's "Text (Tab delimited)" and "Unicode
Text" exports) is read like a .tsv file instead.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pandas as pd

from forumnlp.ingest._base import (
    Context,
    Source,
    chunked_records,
    clean_space,
    heading_text,
    is_caps,
    is_short,
    no_records,
    strip_bullet,
)
from forumnlp.ingest._files import read_text
from forumnlp.ingest.html_cells import is_table_line, table_records

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(.+?)\1:?\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_NUMBERED = re.compile(r"^\s*(?:\(?\d{1,3}|\(?[a-zA-Z])[.)]\s+")


def _next_nonblank(lines: list[str], i: int) -> str:
    for line in lines[i:]:
        if line.strip():
            return line
    return ""


def _is_item_line(line: str) -> bool:
    return strip_bullet(line)[0] and not _RULE.match(line)


def _heading_of(lines: list[str], i: int) -> tuple[str, int] | None:
    """If line i is a heading, return (heading, lines it takes); else None."""
    from forumnlp.headings import frame_for_heading

    line = lines[i]
    s = line.strip()
    m = _MD_HEADING.match(line)
    if m:
        return heading_text(m.group(1)), 1
    if i + 1 < len(lines) and _SETEXT.match(lines[i + 1]) and not _is_item_line(line) \
            and is_short(s) and not is_table_line(line):
        return heading_text(s), 2
    numbered = _NUMBERED.match(line)
    if _is_item_line(line) and not numbered:
        return None
    body = line[numbered.end():].strip() if numbered else s
    nxt = _next_nonblank(lines, i + 1)
    list_follows = _is_item_line(nxt)
    m = _BOLD_LINE.match(body)
    if m and is_short(m.group(2)):
        return heading_text(m.group(2)), 1
    if not is_short(body, 15, 120) or body.endswith((".", ";", ",")):
        return None
    if is_caps(body) and is_short(body, 12, 100):
        return heading_text(body), 1
    if body.endswith(":") and (len(body.split()) <= 6 or list_follows):
        return heading_text(body), 1
    if list_follows and not numbered and frame_for_heading(body) is not None:
        return heading_text(body), 1
    return None


def _md_cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    parts = re.split(r"(?<!\\)\|", s)
    return [p.replace("\\|", "|").strip() for p in parts]


def parse_text(text: str) -> list[tuple[str, str, str]]:
    """Split notes into records: (location, heading, text) per list item, paragraph, cell.

    Parameters
    ----------
    text : str
        The whole file, newlines as ``\\n``.

    Returns
    -------
    list of (location, heading, text)
    """
    lines = text.split("\n")
    out: list[tuple[str, str, str]] = []
    heading = ""
    i = 0
    n = len(lines)
    in_fence = False
    while i < n:
        line = lines[i]
        if _FENCE.match(line):
            in_fence = not in_fence
            i += 1
            continue
        if not line.strip() or (not in_fence and _RULE.match(line)):
            i += 1
            continue
        # Markdown pipe table: header line, separator line, rows.
        if not in_fence and "|" in line and i + 1 < n and _MD_TABLE_SEP.match(lines[i + 1]) \
                and "|" in lines[i + 1]:
            rows = [(i + 1, _md_cells(line))]
            j = i + 2
            while j < n and lines[j].strip() and "|" in lines[j]:
                rows.append((j + 1, _md_cells(lines[j])))
                j += 1
            out.extend(table_records(rows, heading, header=True))
            i = j
            continue
        if not in_fence and is_table_line(line):
            rows = []
            j = i
            while j < n:
                if lines[j].strip() and is_table_line(lines[j]):
                    rows.append((j + 1, lines[j].strip("\n").split("\t")))
                    j += 1
                elif not lines[j].strip() and is_table_line(_next_nonblank(lines, j)):
                    j += 1
                else:
                    break
            rows = [(k, [c for c in cells]) for k, cells in rows]
            out.extend(table_records(rows, heading))
            i = j
            continue
        found = None if in_fence else _heading_of(lines, i)
        if found is not None:
            heading, used = found
            i += used
            continue
        is_item, first = strip_bullet(line)
        if in_fence:
            is_item, first = False, line.strip()
        start = i
        parts = [first]
        indent = len(line) - len(line.lstrip())
        i += 1
        while i < n:
            nxt = lines[i]
            s = nxt.strip()
            if not s or _FENCE.match(nxt) or is_table_line(nxt) or _RULE.match(nxt):
                break
            if _is_item_line(nxt) or _heading_of(lines, i) is not None:
                break
            if is_item and not (len(nxt) - len(nxt.lstrip()) > indent or s[0].islower()):
                break
            parts.append(s)
            i += 1
        if is_item:
            body = clean_space(" ".join(parts))
        else:  # keep the line breaks: the segmenter tells wrapped prose from short lines
            body = "\n".join(clean_space(x) for x in parts if x.strip())
        if body:
            out.append((f"line {start + 1}", heading, body))
    return out


def looks_like_tsv(text: str) -> bool:
    """A .txt that is really a tab-separated table (Excel's "Text (Tab delimited)" export).

    Every row (quoted cells may span lines) has the same number (>= 2) of TAB-separated
    fields, no line holds HTML, and the first row does not name frames (a frame grid is
    read as a report table instead).
    """
    from forumnlp.headings import frame_for_heading
    from forumnlp.ingest.html_cells import HTML_TAG

    sample = text[:65536]
    if "\t" not in sample or HTML_TAG.search(sample):
        return False
    lines = sample.split("\n")
    if len(text) > len(sample):
        lines = lines[:-1]
    try:
        rows = [r for r in csv.reader(io.StringIO("\n".join(lines)), delimiter="\t", strict=True) if r]
    except csv.Error:
        return False
    if len(rows) < 2 or len(rows[0]) < 2 or any(len(r) != len(rows[0]) for r in rows):
        return False
    return not any(frame_for_heading(c) for c in rows[0])


def read_text_file(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    """Yield the records of a .txt or .md file (a .txt that is a TSV table is read as one)."""
    assert src.path is not None
    text = read_text(src.path, src.name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if src.path.suffix.lower() in (".txt", ".text") and looks_like_tsv(text):
        from forumnlp.ingest.delimited import read_delimited

        yield from read_delimited(src, ctx)
        return
    rows = parse_text(text)
    if not rows:
        raise no_records(src.name, "no text found")
    yield from chunked_records(src.name, rows, ctx.chunksize)
