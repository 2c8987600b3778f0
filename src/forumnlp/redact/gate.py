"""A cheap, exact pre-check: can any name rule fire on a text at all?

Most practitioner comments name nobody ("More joint visits with HVs"). The name rules of
:class:`~forumnlp.redact.names.NameFinder` only ever start from a word of a few kinds: a
title ("Mrs"), a cue word ("mum", "child"), a single capital letter or dotted initials, a
capitalised word that is a listed first name, an ambiguous name or not a common word, a
lower-case possessive first name ("jack's"), or a lower-case hyphenated first name
("kelly-ann"). Whether a word is of those kinds depends on the word alone, so it is computed
once per distinct word and cached; a text none of whose words is of those kinds (and with no
dotted initials) cannot yield a name, and the whole finder is skipped for it. Every other
rule (lists, surnames, propagation, bracket ages) only extends a name already found or needs
a digit, which the caller checks.

The check is exact, not a heuristic: a text it clears gets no PERSON span from the finder,
which the tests check on the redaction test set, the labelled corpus and random texts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from forumnlp.redact.tokens import AFTER_FAMILY, INITIALS, TOKEN, is_cap, is_initial, tokenize

if TYPE_CHECKING:
    from forumnlp.redact.names import NameFinder

_MAX_WORDS = 500_000  # cached words before the cache is cleared (bounded memory)


# word classes (bit flags), computed once per distinct word
STRONG = 1  # fires on its own: a title, a listed first name, an unknown capitalised word...
CUE = 2  # a cue word ("mum", "child"): fires when a CAND follows within two words
INIT = 4  # a single capital letter: fires when a NEXT_I follows ("J Smith")
LCAP = 8  # a capitalised word that could be a name: fires when a NEXT_L follows
CAND = 16  # could be a name right after a cue word
NEXT_L = 32  # makes a capitalised word before it a name ("Ruby needs", "Ioana was born")
NEXT_I = 64  # makes a capital letter before it an initial ("J Smith")
_PAIRED = CUE | INIT | LCAP
_BORN = frozenset({"was", "is", "were", "being", "born", "aged"})


class NameGate:
    """Answer "could the name finder find anything in this text?" quickly and exactly.

    Parameters
    ----------
    finder : NameFinder
        The finder whose rules the gate mirrors (its word lists and allow terms).
    """

    def __init__(self, finder: NameFinder) -> None:
        self.finder = finder
        lex = finder.lex
        self._titles = lex.titles_any_case
        self._cues = lex.name_cues | frozenset(c[0] for c in finder.multi_cues)
        self._next_l = (
            AFTER_FAMILY | lex.person_verbs | lex.person_verbs_weak | _BORN
        )
        self._words: dict[str, int] = {}

    def word_class(self, word: str) -> int:
        """The flags of a word (a match of the finder's token pattern)."""
        toks = tokenize(word)
        if len(toks) != 1:
            return STRONG  # not a single token: let the finder decide
        tok = toks[0]
        f, lex = self.finder, self.finder.lex
        folded, base = tok.folded, tok.base
        if base in lex.titles_upper or folded in self._titles:
            return STRONG
        flags = 0
        if folded in self._cues:
            flags |= CUE
        if folded in self._next_l:
            flags |= NEXT_L
        if is_initial(tok):
            return flags | INIT
        if is_cap(tok):
            flags |= CAND | NEXT_L | (NEXT_I if f.namelike(tok) or folded in lex.surnames else 0)
            if f.listed_first(tok):
                return flags | STRONG
            if f.namelike(tok):
                if f.unknown(tok) or tok.possessive or (
                    folded.endswith("s") and len(folded) > 3
                    and (folded[:-1] in lex.surnames or lex.is_unknown(folded[:-1]))
                ):
                    return flags | STRONG  # "Ioana", "Kayden's mum", "the Gordons"
                flags |= LCAP
            return flags
        if base.isupper() and 2 <= len(base) <= 3 and base.isalpha() and (
            folded not in lex.acronyms and folded not in lex.english and folded not in lex.words
        ):
            flags |= CAND  # "child JS"
        if f.lower_name(tok):
            if tok.possessive:
                return flags | STRONG  # "jack's mum"
            flags |= CAND
        parts = folded.split("-")
        if base.islower() and len(parts) == 2 and all(
            p in lex.first_names or lex.is_unknown(p) for p in parts
        ) and any(p in lex.first_names for p in parts):
            return flags | STRONG  # "kelly-ann"
        return flags

    def may_fire(self, text: str) -> bool:
        """False only when the name finder certainly finds nothing in ``text``."""
        if "." in text and INITIALS.search(text) is not None:
            return True
        cache = self._words
        classes = []
        seen = 0
        for word in TOKEN.findall(text):
            c = cache.get(word)
            if c is None:
                if len(cache) > _MAX_WORDS:
                    cache.clear()
                c = cache[word] = self.word_class(word)
            seen |= c
            classes.append(c)
        if seen & STRONG:
            return True
        if not seen & _PAIRED:
            return False
        n = len(classes)
        for i, c in enumerate(classes):
            if not c & _PAIRED or i + 1 >= n:
                continue
            nxt = classes[i + 1]
            if c & CUE and (nxt & CAND or (i + 2 < n and classes[i + 2] & CAND)):
                return True
            if c & INIT and nxt & NEXT_I:
                return True
            if c & LCAP and nxt & NEXT_L:
                return True
        return False
