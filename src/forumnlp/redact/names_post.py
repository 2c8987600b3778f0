"""Steps of the name finder after the rules: the allow-list, names listed together, other
mentions of a name found, and ages in brackets after a name."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from forumnlp.redact.patterns import Candidate
from forumnlp.redact.tokens import (
    BRACKET_AGE,
    BRACKET_UNIT_AGE,
    GAP_LIST,
    Span2,
    Token,
    alpha,
    gap,
    is_cap,
)

if TYPE_CHECKING:
    from forumnlp.redact.names import NameFinder


def list_step(text: str, toks: list[Token], j: int) -> int:
    """How many tokens on from ``toks[j]`` the next item of a list of names starts: 1 after
    "," or "&", 2 after "and" (a token); 0 when no list goes on."""
    if toks[j].possessive or j + 1 >= len(toks):
        return 0
    nxt = toks[j + 1]
    if nxt.folded == "and" and j + 2 < len(toks):
        between = text[toks[j].end : nxt.start]
        if between.strip() in ("", ",") and text[nxt.end : toks[j + 2].start].strip() == "":
            return 2
        return 0
    return 1 if gap(text, toks[j], nxt, GAP_LIST) else 0


def protected(finder: NameFinder, toks: list[Token]) -> list[bool]:
    """Mark tokens inside an allow-list term ("Women's Aid", "Fort William")."""
    flags = [False] * len(toks)
    folded = [t.folded + ("'s" if t.possessive else "") for t in toks]
    first = finder.allow_first
    i = 0
    while i < len(toks):
        if folded[i] not in first and toks[i].folded not in first:
            i += 1
            continue
        for n in range(min(finder.max_words, len(toks) - i), 0, -1):
            key = " ".join(folded[i : i + n])
            if key in finder.allow_terms or (n == 1 and toks[i].folded in finder.allow_terms):
                for k in range(i, i + n):
                    flags[k] = True
                i += n - 1
                break
        i += 1
    return flags

def list_before(
    finder: NameFinder, text: str, toks: list[Token], spans: list[Span2]
) -> list[Span2]:
    """"Pippa & Keith": a capitalised word listed before a name found is a name too."""
    begins = {s for s, _ in spans}
    out = []
    for i in range(len(toks) - 2, -1, -1):
        tok = toks[i]
        step = list_step(text, toks, i)
        if not step:
            continue
        nxt = toks[i + step]
        if nxt.start in begins and not tok.possessive and finder.namelike(tok) and (
            tok.folded not in finder.lex.ambiguous_names or is_cap(tok)
        ) and not finder.common(tok):
            out.append((tok.start, tok.base_end))
            begins.add(tok.start)
    return out

def drop_protected(
    finder: NameFinder, toks: list[Token], starts: list[int], flags: list[bool], spans: list[Span2]
) -> list[Span2]:
    """Trim allow-list words off the spans; drop spans left with titles only."""
    if not any(flags):
        return spans
    lex = finder.lex
    kept = []
    for s, e in spans:
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        while lo < hi and flags[lo]:
            lo += 1
        while hi > lo and flags[hi - 1]:
            hi -= 1
        if lo < hi and not all(
            t.folded in lex.titles_any_case or t.base in lex.titles_upper
            for t in toks[lo:hi]
        ):
            kept.append((max(s, toks[lo].start), min(e, toks[hi - 1].base_end)))
    return kept

def propagate(
    finder: NameFinder, toks: list[Token], starts: list[int], flags: list[bool], spans: list[Span2]
) -> list[Span2]:
    """Find other mentions of the names found ("Mrs Kerr ... Kerr said")."""
    lex = finder.lex
    names: set[str] = set()
    for s, e in spans:
        for t in toks[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]:
            if len(t.base) > 1 and alpha(t.base) and not finder.common(t) and (
                t.folded not in lex.titles_any_case and t.base not in lex.titles_upper
            ):
                names.add(t.folded)
    if not names:
        return []
    return [
        (t.start, t.base_end)
        for k, t in enumerate(toks)
        if t.folded in names and not flags[k] and (
            is_cap(t) or (t.base.islower() and t.folded not in lex.word_names)
        )
    ]

def bracket_ages(
    finder: NameFinder, text: str, toks: list[Token], spans: list[Span2]
) -> list[Candidate]:
    """"Jack (4)", "mum (23)": an age in brackets after a name or cue word; "(6 months)"
    anywhere."""
    ends = {e for _, e in spans}
    ends.update(t.end for t in toks if t.folded in finder.lex.name_cues)
    out = []
    for e in sorted(ends):
        m = BRACKET_AGE.match(text, e)
        if m is not None:
            lead = len(m.group()) - len(m.group().lstrip(" \t"))
            out.append(Candidate(m.start() + lead, m.end(), "AGE"))
    out.extend(Candidate(m.start(), m.end(), "AGE") for m in BRACKET_UNIT_AGE.finditer(text))
    return out
