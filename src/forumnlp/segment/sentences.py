"""Sentence boundaries inside one piece of text, by rules (fast, no model, no import cost).

Measured against spaCy's ``blank("en")`` + sentencizer on 100,000 short comments: this
splitter ran about 5x faster (about 1.9 million words/s against 0.4 million on one core)
and, unlike the sentencizer, knows titles and abbreviations ("Cllr. Black", "e.g.",
"para. 4"), initials and quotes; ``import spacy`` would also cost seconds at start-up.
"""

from __future__ import annotations

import re

WS = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
)
"""White space, including zero-width spaces and the byte-order mark: never part of a unit."""
CLOSERS = "\"'”’»)]"
OPENERS = "\"'“‘«(["
ALNUM_RE = re.compile(r"[^\W_]")


def wordset(words: str) -> frozenset[str]:
    """The set of the space-separated words of ``words``."""
    return frozenset(words.split())


# possessive runs, tried only where a run starts: linear time on "!!!!...!!!x"
_CAND_RE = re.compile(r"(?<![.!?…‼⁇⁈⁉])[.!?…‼⁇⁈⁉]++[\"'”’»)\]]*+(?=\s|\Z)")
_TOKEN_BEFORE_RE = re.compile(r"[^\s\"'“‘«(\[]+\Z")
_QUOTE_RE = re.compile('["“”]')
_NOT_START = frozenset(",;:-‐–—)]}/&%")  # a sentence does not start with these
_TITLES = wordset(
    "dr mr mrs ms mx miss prof cllr cllor pc dc ds di dci dsi sgt insp supt st rev fr sr jr "
    "hon capt cpt col gen lt mt mssrs messrs"
)
_ALWAYS_ABBREV = wordset("e.g eg i.e ie cf viz vs v approx w.r.t et incl")
_NUMBER_ABBREV = wordset(
    "no nos nr num para paras p pp pg sec sect s fig figs vol vols ch chap art arts ref refs "
    "tel pt pts op ca c app appx tbl tab ver eq rev jan feb mar apr jun jul aug sep sept oct "
    "nov dec"
)
_ABBREV = _TITLES | _ALWAYS_ABBREV | _NUMBER_ABBREV | {"etc", "al"}
_DOTTED_ABBREV_RE = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}\Z")


def _period_splits(tok: str, nxt: str, lower_block: bool) -> bool:
    """Decide whether a single ``.`` after token ``tok``, followed by char ``nxt``, ends a sentence."""
    low = tok.lower()
    if nxt.islower():
        # mid-sentence, unless the whole piece is written in lower case
        return lower_block and not (
            low in _ABBREV or len(tok) == 1 or _DOTTED_ABBREV_RE.match(tok) is not None
        )
    if low in _TITLES or low in _ALWAYS_ABBREV:
        return False
    if low in _NUMBER_ABBREV and nxt.isdigit():
        return False
    if len(tok) == 1 and tok.isalpha() and tok.isupper() and tok != "I":
        return False  # an initial: "J. Smith"
    return _DOTTED_ABBREV_RE.match(tok) is None  # "A.B. Jones", "U.K."


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Matched double-quote pairs in ``text[start:end]`` as (open index, close index)."""
    spans: list[tuple[int, int]] = []
    straight_open = -1
    curly_open = -1
    for m in _QUOTE_RE.finditer(text, start, end):
        q, p = m.group(), m.start()
        if q == '"':
            if straight_open < 0:
                straight_open = p
            else:
                spans.append((straight_open, p))
                straight_open = -1
        elif q == "“":
            if curly_open < 0:
                curly_open = p
        elif curly_open >= 0:
            spans.append((curly_open, p))
            curly_open = -1
    return spans


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (already trimmed) into sentence spans.

    A sentence ends at a run of ``. ! ? …`` (plus closing quotes or brackets) followed by
    white space, when the next character is not lower case (or the piece has no capitals
    at all) and is not one of ``, ; : - – — ) /``. A single ``.`` does not end a sentence
    after a title or abbreviation (Dr, Mr, Cllr, PC, St, e.g., i.e., vs, approx ...), after
    "no", "para", "p", "fig" ... before a number, after an initial ("J. Smith", "A.B. Jones"),
    or after "etc" before a lower-case word. An ellipsis ends a sentence only before a
    capital letter, digit or quote. Nothing inside a matched pair of double quotes ends a
    sentence unless the closing quote follows the punctuation. Emoji and symbols right
    after the punctuation stay with the sentence they close ("Great! 😀 | Loved it").

    Parameters
    ----------
    text : str
        The record text.
    start, end : int
        The piece to split; ``text[start]`` and ``text[end - 1]`` should not be white space.

    Returns
    -------
    list of tuple of int
        Ordered, non-overlapping ``(start, end)`` spans covering the piece's sentences.
    """
    if end is None:
        end = len(text)
    if start >= end:
        return []
    out: list[tuple[int, int]] = []
    cur = start
    quotes: list[tuple[int, int]] | None = None
    qi, close = 0, -1
    lower_block: bool | None = None
    for m in _CAND_RE.finditer(text, start, end):
        b = m.end()
        n = b
        while n < end and text[n] in WS:
            n += 1
        if n >= end:
            break
        if quotes is None:
            quotes = _quote_spans(text, start, end) if _QUOTE_RE.search(text, start, end) else []
            quotes.sort()
        p = m.start()
        while qi < len(quotes) and quotes[qi][0] < p:  # candidates come in order: one pass
            close = max(close, quotes[qi][1])
            qi += 1
        if b <= close:
            continue  # inside a quote that this punctuation does not close
        nxt = text[n]
        if nxt in _NOT_START:
            continue
        if lower_block is None and nxt.islower():
            seg = text[start:end]
            lower_block = seg.lower() == seg
        punct = m.group().rstrip(CLOSERS)
        if "!" in punct or "?" in punct or punct[-1] in "‼⁇⁈⁉":
            split = not nxt.islower() or bool(lower_block)
        elif len(punct) > 1 or punct == "…":
            split = nxt.isupper() or nxt.isdigit() or nxt in OPENERS
        else:
            tm = _TOKEN_BEFORE_RE.search(text, max(start, p - 40), p)
            tok = tm.group() if tm else ""
            split = not tok or _period_splits(tok, nxt, bool(lower_block))
        if split:
            while not (nxt.isalnum() or nxt in OPENERS):  # "Great! 😀 Loved it": keep the emoji
                t = n
                while t < end and text[t] not in WS:
                    t += 1
                if ALNUM_RE.search(text, n, t) is not None:
                    break
                b = n = t
                while n < end and text[n] in WS:
                    n += 1
                if n >= end:
                    break
                nxt = text[n]
            if n >= end:
                break
            out.append((cur, b))
            cur = n
    out.append((cur, end))
    if len(out) == 1:
        return out
    merged: list[tuple[int, int]] = []
    for s, e in out:
        if ALNUM_RE.search(text, s, e) is None:
            if merged:
                merged[-1] = (merged[-1][0], e)
                continue
        elif merged and ALNUM_RE.search(text, *merged[-1]) is None:
            merged[-1] = (merged[-1][0], e)  # a leading symbol-only piece joins the next
            continue
        merged.append((s, e))
    return merged
