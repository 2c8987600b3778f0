"""Split one record's text into units (list items, lines, sentences) as character spans.

Everything here is pure: ``str -> list of (start, end)``. Offsets index the record text, so
``text[start:end]`` is the unit; whitespace and bullet markers are removed by moving offsets,
never by editing text. The rules, in order:

1. **Lines and items.** The text is cut into lines. A line that starts with a bullet marker
   (``- * • – — ▪ ●`` ..., ``1.`` ``1)`` ``(a)`` ``a)`` ``i.``) starts a new item; the marker is
   not part of the unit. A blank line, or a line holding only a marker, also ends an item.
2. **Soft and hard line breaks.** A line break that does not start an item joins the two lines
   (a soft break, as in hard-wrapped prose) when the first line ends with a continuation
   (``,`` ``&`` ``/`` ``(`` an attached hyphen, or a function word such as "and", "the", "to"),
   or when the first line is long (>= ``LONG_LINE`` characters, i.e. looks wrapped) unless it
   ends with sentence punctuation (``. ! ? … : ;``) and the next line starts with a capital
   letter, digit or quote. Otherwise (short lines, as on a flip chart) the break separates
   items.
3. **Flattened lists.** Within an item, `` • `` (and ``▪ ● ◦ ■ ►``) always separate items;
   `` - `` and `` * `` do when they occur at least twice and every piece after them starts with
   a capital letter or digit (``"Joint visits - Info sharing - Chronologies"``), so prose dashes
   ("more time - at least an hour - for training") are left alone.
4. **Sentences** (``unit="sentence"`` always; ``unit="auto"`` only for pieces of more than
   ``AUTO_MIN_WORDS`` words that hold two or more sentences): see :func:`sentence_spans`.
5. **Headings inside the text.** :func:`split_spans` also marks one-line units that look like
   a heading: ending with ":" or "?", a plain line followed by a list item, or up to 3 words
   in capitals followed by a line that is not in capitals. The segment table asks
   :func:`forumnlp.headings.frame_for_heading` about those; a line that names a frame is
   dropped and heads the units after it. Items that merely start with a frame word
   ("- Keep doing joint visits") are never marked.

``unit="record"`` skips all of this: the record, trimmed of surrounding whitespace, is one unit.
"""

from __future__ import annotations

import re

from forumnlp.errors import InputError
from forumnlp.segment.sentences import CLOSERS, WS, sentence_spans, wordset

UNIT_CHOICES: tuple[str, ...] = ("record", "sentence", "auto")
AUTO_MIN_WORDS = 25
"""``unit="auto"`` splits a piece into sentences only when it has more words than this."""
LONG_LINE = 50
"""A line at least this many characters long may be a hard-wrapped prose line (see rule 2)."""
HEADING_MAX_WORDS = 12

_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_HSPACE = "[ \\t\\xa0\\u2000-\\u200a\\u202f\\u3000]"
_LINE_RE = re.compile(f"[^{_BREAKS}]+")
_HAS_BREAK_RE = re.compile(f"[{_BREAKS}]")
_SYMBOLS = "-*•–—▪●◦‣·►➢■□○✓✔→⁃\uf0b7\uf0a7"
_BULLET_RE = re.compile(
    rf"""(?:[{_SYMBOLS}]+>?
        | \d{{1,3}}(?:\.\d{{1,3}})*[.)]
        | \(\s*(?:\d{{1,3}}|[A-Za-z]|[ivxlcdm]{{1,6}}|[IVXLCDM]{{1,6}})\s*\)
        | [a-z][.)] | [A-Z]\) | [ivxlcdm]{{1,6}}[.)] | [IVXLCDM]{{1,6}}\)
    )(?={_HSPACE}|\Z)""",
    re.VERBOSE,
)
_INLINE_SYM_RE = re.compile(f"(?<!{_HSPACE}){_HSPACE}++[•▪●◦‣►➢■\uf0b7](?={_HSPACE})")
_INLINE_DASH_RE = re.compile(f"(?<!{_HSPACE}){_HSPACE}++[-*](?={_HSPACE})")
_INLINE_HINT_RE = re.compile("[•▪●◦‣►➢■\uf0b7]| [-*] ")
_CONT_WORDS = wordset(
    "and or but nor the a an to of with for in on at by from into onto that which who whom "
    "whose as is are was were be been being our their your my his her its this these those "
    "than so because if when while where whether not should would could can will must may "
    "might about between through via within without including such"
)
_SENT_END = ".!?…:;‼⁇⁈⁉"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start``/``end`` inwards past white space."""
    while start < end and text[start] in WS:
        start += 1
    while end > start and text[end - 1] in WS:
        end -= 1
    return start, end


def _strip_markers(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Move ``start`` past bullet markers ("- ", "1. ", "• - ") and white space."""
    item = False
    for _ in range(3):
        mk = _BULLET_RE.match(text, start, end)
        if mk is None:
            break
        start, end = _trim(text, mk.end(), end)
        item = True
    return start, end, item


def _joins(text: str, prev: tuple[int, int], line: tuple[int, int]) -> bool:
    """Whether the break between line ``prev`` and the next ``line`` is soft (rule 2)."""
    ps, pe = prev
    last = text[pe - 1]
    if last in ",&+/(" or (last in "-‐" and pe - ps > 1 and text[pe - 2].isalpha()):
        return True
    if last.isalpha():
        sp = max(text.rfind(" ", ps, pe), text.rfind("\t", ps, pe), ps - 1)
        if text[sp + 1 : pe].lower() in _CONT_WORDS:
            return True
    if pe - ps < LONG_LINE:
        return False
    nxt = text[line[0]]
    if nxt.islower():
        return True
    return text[ps:pe].rstrip(CLOSERS)[-1:] not in _SENT_END


def _blocks(text: str) -> list[tuple[int, int, bool, int]]:
    """Cut ``text`` into blocks (start, end, is_item, number of lines) by rules 1-2."""
    blocks: list[tuple[int, int, bool, int]] = []
    prev: tuple[int, int] | None = None
    hard = True  # the next line starts a new block
    bullet = False
    last_end = 0
    for m in _LINE_RE.finditer(text):
        if m.start() - last_end > 1 and text[last_end : m.start()] != "\r\n":
            hard = True  # an empty line
        last_end = m.end()
        s, e = _trim(text, m.start(), m.end())
        if s >= e:
            hard = True
            continue
        s, e, item = _strip_markers(text, s, e)
        if item:
            if s >= e:  # a marker alone on its line: the next line is an item
                hard = bullet = True
                continue
            bullet = True
        if hard or bullet or prev is None or not _joins(text, prev, (s, e)):
            blocks.append((s, e, bullet, 1))
        else:
            bs, _, item, nlines = blocks[-1]
            blocks[-1] = (bs, e, item, nlines + 1)
        prev = (s, e)
        hard = bullet = False
    return blocks


def _inline_items(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """Split a flattened list (rule 3), or return None when the piece is not one."""
    cuts = [(m.start(), m.end()) for m in _INLINE_SYM_RE.finditer(text, start, end)]
    if not cuts:
        dashes = [(m.start(), m.end()) for m in _INLINE_DASH_RE.finditer(text, start, end)]
        after = [_trim(text, b, end)[0] for _, b in dashes]
        if len(dashes) < 2 or any(text[i : i + 1].islower() for i in after):
            return None
        cuts = dashes
    pieces: list[tuple[int, int]] = []
    cur = start
    for a, b in [*cuts, (end, end)]:
        s, e = _trim(text, cur, a)
        if s < e:
            pieces.append((s, e))
        cur = b
    return pieces


def _is_heading_like(
    text: str, s: int, e: int, item: bool, nxt: tuple[int, int, bool, int] | None
) -> bool:
    """Whether a one-line block may be a heading inside the text ("STOP DOING:").

    It may when it ends with ":" or "?", when it is a plain line followed by a list item, or
    when it has at most 3 words in capitals and the next block is not in capitals. The caller
    still asks :func:`forumnlp.headings.frame_for_heading` whether it names a frame.
    """
    seg = text[s:e]
    if nxt is None or seg.count(" ") >= HEADING_MAX_WORDS:
        return False
    if seg[-1] in ":?" or (not item and nxt[2]):
        return True
    if seg.count(" ") >= 3 or seg.upper() != seg or seg.lower() == seg:
        return False
    following = text[nxt[0] : nxt[1]]
    return following.upper() != following


def split_spans(text: str, unit: str = "auto") -> tuple[list[tuple[int, int]], list[bool] | None]:
    """Split ``text`` into unit spans and mark the units that may be headings.

    Parameters
    ----------
    text : str
        The record text.
    unit : {"auto", "sentence", "record"}
        See :func:`split_units`.

    Returns
    -------
    spans : list of tuple of int
        The units' ``(start, end)`` offsets, ordered and non-overlapping.
    heading_like : list of bool or None
        For records of several blocks, True where a unit is a whole line that looks like a
        heading (see ``_is_heading_like``); None when no unit can be one.
    """
    if unit == "record":
        s, e = _trim(text, 0, len(text))
        return ([(s, e)] if s < e else []), None
    if _HAS_BREAK_RE.search(text) is None:
        s, e = _trim(text, 0, len(text))
        if s >= e:
            return [], None
        s, e, item = _strip_markers(text, s, e)
        if s >= e:
            return [], None
        blocks = [(s, e, item, 1)]
    else:
        blocks = _blocks(text)
    spans: list[tuple[int, int]] = []
    flags: list[bool] | None = [] if len(blocks) > 1 else None
    sentence = unit == "sentence"
    for i, (bs, be, item, nlines) in enumerate(blocks):
        pieces = None
        if _INLINE_HINT_RE.search(text, bs, be):
            pieces = _inline_items(text, bs, be)
        for ps, pe in pieces or ((bs, be),):
            if sentence or (
                pe - ps > 2 * AUTO_MIN_WORDS and len(text[ps:pe].split()) > AUTO_MIN_WORDS
            ):
                sents = sentence_spans(text, ps, pe)
            else:
                sents = [(ps, pe)]
            spans.extend(sents)
            if flags is not None:
                whole = pieces is None and nlines == 1 and len(sents) == 1
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                flags.extend([whole and _is_heading_like(text, ps, pe, item, nxt)] * len(sents))
    return spans, flags


def split_units(text: str, unit: str = "auto") -> list[tuple[int, int]]:
    """Split one record's text into units and return their character spans.

    Parameters
    ----------
    text : str
        The record text.
    unit : {"auto", "sentence", "record"}, default "auto"
        ``"record"``: the whole text, trimmed of surrounding white space, is one unit.
        ``"sentence"``: list items and lines, each split into sentences. ``"auto"``: list items
        and lines; a piece of more than ``AUTO_MIN_WORDS`` (25) words holding two or more
        sentences is split into sentences, shorter ones stay whole ("Good session. Very
        useful." is one unit).

    Returns
    -------
    list of tuple of int
        Ordered, non-overlapping ``(start, end)`` spans with ``text[start:end]`` the unit,
        free of surrounding white space and bullet markers. Empty for blank text (or text
        holding only bullet markers).

    Raises
    ------
    InputError
        If ``unit`` is not one of the choices.
    """
    if unit not in UNIT_CHOICES:
        raise InputError(f"unit must be one of {', '.join(UNIT_CHOICES)}, got {unit!r}")
    return split_spans(text, unit)[0]
