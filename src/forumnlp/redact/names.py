"""Detection of people's names by patterns: titles, cue words, name lists, possessives,
initials, unknown capitalised words in person contexts; spaCy NER hits are filtered in
:mod:`.ner` and merged here.

Works on word tokens of the original text, so every span is in original character offsets.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable

from forumnlp.redact.lexicon import Lexicon, fold, term_words
from forumnlp.redact.names_post import (
    bracket_ages,
    drop_protected,
    list_before,
    list_step,
    propagate,
    protected,
)
from forumnlp.redact.ner import filter_ner
from forumnlp.redact.patterns import Candidate
from forumnlp.redact.tokens import (
    AFTER_FAMILY,
    BORN_AGED,
    BRACKET_AGE,
    CLITIC,
    DOTTED_ACRONYMS,
    GAP_CUE,
    GAP_NAME,
    GAP_TITLE,
    INITIAL_CUES,
    INITIALS,
    NOT_A_PERSON_BEFORE,
    PLACE_PREPOSITIONS,
    PLURAL_NOUN,
    STATE_AFTER,
    WORD_SUFFIX,
    Span2,
    Token,
    alpha,
    gap,
    is_cap,
    is_initial,
    sentence_initial,
    tokenize,
)

_Predicate = Callable[["NameFinder", Token], bool]


def _memo(fn: _Predicate) -> _Predicate:
    """Cache a word-class test by the token's text (it depends on nothing else)."""
    name = fn.__name__

    @functools.wraps(fn)
    def wrapper(self: NameFinder, tok: Token) -> bool:
        cache = self._memo[name]
        value = cache.get(tok.base)
        if value is None:
            if len(cache) > 200_000:
                cache.clear()
            value = cache[tok.base] = fn(self, tok)
        return value

    return wrapper


# Cue words that are verbs ("ring Kelly", "meet Tobias"): after them a lower-case word in no
# list is an adverb ("meet termly", "call regularly"), not a name.
_VERB_CUES = frozenset({
    "email", "emailed", "phone", "phoned", "ring", "rang", "call", "text", "texted", "contact",
    "contacted", "ask", "tell", "meet", "visit", "visited", "cc", "copy", "copied",
})


class NameFinder:
    """Find people's names in a text with the rules of a :class:`Lexicon`.

    Parameters
    ----------
    lex : Lexicon
        The word lists.
    allow : collection of str
        Extra terms (any case) never redacted as names.
    """

    def __init__(self, lex: Lexicon, allow: Collection[str] = ()) -> None:
        self.lex = lex
        extra = {" ".join(term_words(a)) for a in allow if a.strip()}
        self.allow_terms = lex.allow_terms | frozenset(extra)
        self.max_words = max([lex.allow_term_max_words, *(len(e.split()) for e in extra)])
        self.multi_cues = {tuple(c.split()) for c in lex.name_cues if " " in c}
        self.street = frozenset(fold(w) for w in lex.street_words)
        self.not_surname = lex.words | lex.acronyms | self.street | lex.org_words
        self.allow_first = frozenset(t.split()[0] for t in self.allow_terms if t)
        self._memo: dict[str, dict[str, bool]] = defaultdict(dict)

    # --- word classes ----------------------------------------------------------------------
    @_memo
    def common(self, tok: Token) -> bool:
        """A common word, acronym, place or organisation word (a name only by a rule)."""
        return self.lex.is_common(tok.folded) or tok.folded in self.lex.org_words

    @_memo
    def listed_first(self, tok: Token) -> bool:
        """A first name from the list (or a hyphenated one starting with one)."""
        first = self.lex.first_names
        return tok.folded in first or (
            "-" in tok.folded and tok.folded.split("-")[0] in first
        )

    @_memo
    def unknown(self, tok: Token) -> bool:
        """A word in no list (not English, not common, not a contraction or an inflected
        form such as "undressed"): likely a name."""
        if CLITIC.search(tok.base) or (tok.base[:1].isupper() and not is_cap(tok)):
            return False
        if tok.base.islower() and WORD_SUFFIX.search(tok.folded):
            return False
        parts = tok.folded.replace("’", "'").split("-")
        return len(tok.base) >= 3 and alpha(tok.base) and all(
            self.lex.is_unknown(p) or self.lex.is_name_word(p) for p in parts
        ) and any(self.lex.is_unknown(p) for p in parts)

    @_memo
    def namelike(self, tok: Token) -> bool:
        """A capitalised word that can be (part of) a name: listed, or not a common word."""
        if not is_cap(tok) or not alpha(tok.base) or tok.folded in NOT_A_PERSON_BEFORE or (
            CLITIC.search(tok.base)
        ):
            return False
        return self.lex.is_name_word(tok.folded) or self.listed_first(tok) or not self.common(tok)

    @_memo
    def surname_ok(self, tok: Token) -> bool:
        """A capitalised word after a first name or title: anything but a common word."""
        if not is_cap(tok) or not alpha(tok.base):
            return False
        return self.lex.is_name_word(tok.folded) or tok.folded not in self.not_surname

    @_memo
    def lower_name(self, tok: Token) -> bool:
        """A lower-case first name: listed ("kelly", "kelly-ann", "lewis") or unknown
        ("eilish"); everyday-word names ("will", "grace") are not."""
        if not tok.base.islower() or tok.folded in self.lex.words:
            return False
        lex = self.lex
        if tok.folded in lex.word_names:
            return False
        return (self.listed_first(tok) or tok.folded in lex.ambiguous_names
                or self.unknown(tok))

    # --- rules -----------------------------------------------------------------------------
    def _extend(self, text: str, toks: list[Token], j: int, limit: int = 2) -> int:
        """Return the index of the last token of a name starting at ``j`` (surnames added)."""
        last = j
        while limit and not toks[last].possessive and last + 1 < len(toks):
            nxt = toks[last + 1]
            if not gap(text, toks[last], nxt, GAP_NAME):
                break
            if is_initial(nxt):
                if not text.startswith(".", nxt.end):
                    break
            elif not self.surname_ok(nxt):
                break
            last += 1
            limit -= 1
        return last

    def _title_names(self, text: str, toks: list[Token], out: list[Span2]) -> None:
        lex = self.lex
        i = 0
        while i + 1 < len(toks):
            tok = toks[i]
            upper = tok.base in lex.titles_upper
            if tok.possessive or not (upper or tok.folded in lex.titles_any_case):
                i += 1
                continue
            j = i + 1  # titles may chain: "Detective Constable Reid"
            while j < len(toks) and gap(text, toks[j - 1], toks[j], GAP_TITLE) and (
                toks[j].folded in lex.titles_any_case or toks[j].base in lex.titles_upper
            ):
                j += 1
            if j >= len(toks) or not gap(text, toks[j - 1], toks[j], GAP_TITLE):
                i += 1
                continue
            first = toks[j]
            if upper or is_cap(tok):
                ok = is_initial(first) or self.surname_ok(first)
            else:  # "mrs kerr", "dr patel": lower-case title, listed name
                ok = lex.is_name_word(first.folded) and first.folded not in lex.words
            if not ok:
                i += 1
                continue
            last = self._extend(text, toks, j, limit=2)
            out.append((tok.start, toks[last].base_end))
            i = last + 1

    def _cue_width(self, toks: list[Token], i: int) -> int:
        tok = toks[i]
        if tok.folded in self.lex.name_cues and not tok.possessive:
            return 1
        if i + 1 < len(toks) and (tok.folded, toks[i + 1].folded) in self.multi_cues and (
            not toks[i + 1].possessive
        ):
            return 2
        return 0

    def _cue_names(self, text: str, toks: list[Token], out: list[Span2]) -> None:
        lex = self.lex
        for i, tok in enumerate(toks):
            width = self._cue_width(toks, i)
            if not width or i + width >= len(toks):
                continue
            cue_lower = tok.base[0].islower() or sentence_initial(text, tok)
            verb_cue = tok.folded in _VERB_CUES
            j = i + width
            if toks[j - 1].end == toks[j].start or not gap(text, toks[j - 1], toks[j], GAP_CUE):
                continue
            while j < len(toks):
                cand = toks[j]
                if is_initial(cand):
                    break  # "Child A", "Family B": case-review anonymisation, kept
                if (
                    cand.base.isupper() and 2 <= len(cand.base) <= 3 and cand.base.isalpha()
                    and tok.folded in INITIAL_CUES and cand.folded not in lex.acronyms
                    and not tok.base.isupper() and cand.folded not in lex.english
                    and cand.folded not in lex.words
                ):
                    out.append((cand.start, cand.base_end))  # "child JS"
                elif is_cap(cand) and (
                    lex.is_name_word(cand.folded) or self.listed_first(cand)
                    or self.unknown(cand) or (cue_lower and self.namelike(cand))
                ):
                    last = self._extend(text, toks, j)
                    out.append((cand.start, toks[last].base_end))
                    j = last
                elif self.lower_name(cand) and not (verb_cue and self.unknown(cand)):
                    last = j
                    nxt = toks[j + 1] if j + 1 < len(toks) else None
                    if nxt is not None and nxt.base.islower() and not cand.possessive and (
                        nxt.folded in lex.surnames or self.unknown(nxt)
                    ) and nxt.folded not in lex.words and gap(text, cand, nxt, GAP_NAME):
                        last = j + 1  # "mum kelly smith"
                    out.append((cand.start, toks[last].base_end))
                    j = last
                else:
                    break
                # a list of names: "siblings Jack, Amy and Ruby"
                if toks[j].possessive or j + 1 >= len(toks):
                    break
                step = list_step(text, toks, j)
                if not step:
                    break
                j += step

    def _list_names(self, text: str, toks: list[Token], out: list[Span2]) -> None:
        lex = self.lex
        n = len(toks)
        for i, tok in enumerate(toks):
            nxt = toks[i + 1] if i + 1 < n else None
            linked = nxt is not None and not tok.possessive and gap(text, tok, nxt, GAP_NAME)
            if not is_cap(tok):
                if tok.possessive and self.lower_name(tok) and nxt is not None and (
                    nxt.folded in lex.possessive_relations
                ):
                    out.append((tok.start, tok.base_end))  # "jack's mum"
                continue
            if i > 0 and toks[i - 1].folded in NOT_A_PERSON_BEFORE:
                continue  # "St Margaret's", "Queen Elizabeth", "Royal Alexandra"
            if linked and nxt is not None and nxt.folded in lex.org_words:
                continue  # "George Square", "Archie Foundation"
            if self.listed_first(tok) or (
                linked and nxt is not None and tok.folded in lex.ambiguous_names
                and is_cap(nxt) and nxt.folded in lex.surnames
            ):
                out.append((tok.start, toks[self._extend(text, toks, i)].base_end))
                continue
            if not self.namelike(tok):
                continue
            after = text[tok.end : tok.end + 1]
            verb = linked and nxt is not None and nxt.folded in lex.person_verbs
            weak = linked and nxt is not None and nxt.folded in lex.person_verbs_weak
            prev_cap = i > 0 and is_cap(toks[i - 1]) and not sentence_initial(text, tok)
            state = STATE_AFTER.match(text, tok.end)
            if (
                (tok.possessive and nxt is not None and nxt.folded in lex.possessive_relations
                 and gap(text, tok, nxt, GAP_NAME)  # "Kayden's mum", not "Aberdeen City's"
                 and (not prev_cap or self.unknown(tok) or lex.is_name_word(tok.folded)))
                or (linked and nxt is not None and nxt.folded in AFTER_FAMILY
                    and nxt.base.islower() and i > 0 and toks[i - 1].folded == "the")
                or BORN_AGED.match(text, tok.end) is not None  # "Maja was born", "Ioana, aged"
                or BRACKET_AGE.match(text, tok.end) is not None  # "Hamid (aged 7)"
                or (verb and not (tok.folded.endswith("s") and lex.is_english(tok.folded)))
                or (weak and tok.folded in lex.ambiguous_names)  # "Ruby needs"
            ):
                out.append((tok.start, tok.base_end))
            elif self.unknown(tok) and (
                weak
                or (state is not None and fold(state.group(1)) in lex.person_states)
                or (tok.possessive and after != "-")
                or (not sentence_initial(text, tok) and i > 0
                    and toks[i - 1].folded not in PLACE_PREPOSITIONS
                    and not PLURAL_NOUN.search(tok.folded))
            ):
                out.append((tok.start, tok.base_end))  # "Ioana needs", "Gabija was excluded"
            elif (
                i > 0 and toks[i - 1].folded == "the" and tok.folded.endswith("s")
                and not tok.possessive and len(tok.folded) > 3
                and (tok.folded[:-1] in lex.surnames or lex.is_unknown(tok.folded[:-1]))
                and nxt is not None and nxt.base.islower()
            ):
                out.append((tok.start, tok.base_end))  # "the Gordons moved again"
            elif linked and nxt is not None and is_cap(nxt) and self.surname_ok(nxt) and (
                not self.common(tok) and not self.common(nxt)
                and (self.unknown(tok) or self.unknown(nxt) or lex.is_name_word(nxt.folded))
            ):
                out.append((tok.start, nxt.base_end))  # "Lior Dalgleish"
        for tok in toks:
            parts = tok.folded.split("-")
            if tok.base.islower() and len(parts) == 2 and all(
                p in lex.first_names or lex.is_unknown(p) for p in parts
            ) and any(p in lex.first_names for p in parts):
                out.append((tok.start, tok.base_end))  # "kelly-ann" with no cue

    def _initials(self, text: str, toks: list[Token], out: list[Span2]) -> None:
        lex = self.lex
        for m in INITIALS.finditer(text):
            letters = "".join(ch for ch in m.group() if ch.isalpha()).casefold()
            if letters not in DOTTED_ACRONYMS:
                out.append((m.start(), m.start() + len(m.group().rstrip())))
        for i, tok in enumerate(toks[:-1]):
            nxt = toks[i + 1]
            dotted = text.startswith(".", tok.end)
            if not is_initial(tok) or (tok.base in {"A", "I"} and not dotted):
                continue
            if not gap(text, tok, nxt, GAP_NAME) or not is_cap(nxt):
                continue
            if (dotted and self.namelike(nxt)) or nxt.folded in lex.surnames:
                if i > 0 and toks[i - 1].folded in INITIAL_CUES | {"family", "mother", "father"}:
                    continue
                out.append((tok.start, nxt.base_end))  # "J. Smith"

    # --- all together ----------------------------------------------------------------------
    def find(self, text: str, ner_spans: Iterable[Span2] = ()) -> list[Candidate]:
        """Return PERSON candidates (and AGE for "Jack (4)") in ``text``.

        Parameters
        ----------
        text : str
            The text.
        ner_spans : iterable of (int, int)
            spaCy ``PERSON`` entity offsets for ``text`` (empty in patterns-only mode).

        Returns
        -------
        list of Candidate
        """
        toks = tokenize(text)
        if not toks:
            return []
        spans: list[Span2] = []
        self._title_names(text, toks, spans)
        self._cue_names(text, toks, spans)
        self._list_names(text, toks, spans)
        self._initials(text, toks, spans)
        spans.extend(filter_ner(self, text, toks, ner_spans))
        spans.extend(list_before(self, text, toks, spans))
        starts = [t.start for t in toks]
        flags = protected(self, toks)
        spans = drop_protected(self, toks, starts, flags, spans)
        spans.extend(propagate(self, toks, starts, flags, spans))
        out = [Candidate(s, e, "PERSON") for s, e in spans if e > s]
        out.extend(bracket_ages(self, text, toks, spans))
        return out
