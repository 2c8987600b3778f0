"""Detection of people's names by patterns (titles, cue words, name lists, possessives,
initials, unknown capitalised words in person contexts) and filtering of spaCy NER
``PERSON`` hits against the allow-list.

Works on word tokens of the original text, so every span is in original character offsets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable
from typing import NamedTuple

from forumnlp.redact.lexicon import Lexicon, fold, term_words
from forumnlp.redact.patterns import Candidate

_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_GAP_TITLE = re.compile(r"\.?[ \t]{1,3}")
_GAP_NAME = re.compile(r"(?:[ \t]{1,2}|\.[ \t]{1,2})")
_GAP_CUE = re.compile(r"[ \t]{0,3}[,:\-–(]?[ \t]{0,3}")
_GAP_LIST = re.compile(r"(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+|[ \t]*&[ \t]*)")
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.[ ]?){2,3}(?![\w])")
_DOTTED_ACRONYMS = frozenset({"uk", "us", "nhs", "gp", "dob", "pc", "sw", "hv", "am", "pm", "eu",
                              "un", "usa", "bbc", "rsvp", "ps", "nb"})
_BRACKET_AGE = re.compile(
    r"[ \t]?\([ \t]?(?:aged?[ \t]+)?\d{1,2}(?:\.5)?[ \t]?(?:yrs?|years?|y|m|mths?|months?|wks?|weeks?)?[ \t]?\)"
)
_BRACKET_UNIT_AGE = re.compile(
    r"\([ \t]?\d{1,2}(?:\.5)?[ \t]?(?:yrs?|years?|mths?|months?|wks?|weeks?)(?:[ \t]?old)?[ \t]?\)"
)
_INITIAL_CUES = frozenset({
    "child", "baby", "pupil", "mum", "dad", "son", "daughter", "brother", "sister", "boy",
    "girl", "kid", "called", "named",
})
_AFTER_FAMILY = frozenset({
    "family", "household", "children", "kids", "twins", "siblings", "boys", "girls",
    "brothers", "sisters", "family's",
})
_PLACE_PREPOSITIONS = frozenset({
    "in", "at", "from", "near", "around", "across", "into", "towards", "outside", "inside",
    "through", "of", "the", "a", "an", "via", "on", "our", "their", "its", "this", "that", "every",
})
_PLURAL_NOUN = re.compile(r"[^aeiousy]s$")  # "genograms"; first names rarely end so
_STATE_AFTER = re.compile(r"[ \t]+(?:was|is|were|has[ \t]+been|had[ \t]+been|being)[ \t]+(\w+)")
_BORN_AGED = re.compile(r"(?:[ \t]*,)?[ \t]+(?:(?:was|is|were|being)[ \t]+)?(?:born|aged)(?![\w])")
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")
_CAMEL = re.compile(r"[a-z][A-Z]")
_NAME_PREFIX = re.compile(r"(?:Mc|Mac|Fitz|De|Di|Da|La|Le|Van|Von|St)[A-Z][a-z]+$")
_CLITIC = re.compile(r"['’](?:m|ve|re|ll|d|t)$|n['’]t$", re.IGNORECASE)
_WORD_SUFFIX = re.compile(
    r"(?:ed|ing|ness|ment|ments|tion|tions|sion|ity|ities|ies|ised|ized|ise|ize|ful|less|able"
    r"|ible|ously|ively|ally)$"
)
_NER_KEEP_NEXT = frozenset({
    "was", "is", "has", "had", "and", "will", "would", "could", "can", "did", "does", "who",
    "then", "also", "never", "always", "just", "still", "were", "should", "may", "might",
    "must", "or", "came", "went",
})
_NOT_A_PERSON_BEFORE = frozenset({
    "st", "saint", "queen", "king", "prince", "princess", "royal", "port", "fort", "mount", "loch",
    "glen", "ben", "strath", "inver", "kirk", "lady",
})
Span2 = tuple[int, int]


class Token(NamedTuple):
    """A word of the text: ``text[start:end]``; ``base_end`` drops a possessive 's."""

    start: int
    end: int
    base_end: int
    base: str
    folded: str
    possessive: bool


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens with possessive endings recognised."""
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        possessive = len(word) > 2 and word[-2] in "'’" and word[-1] in "sS"
        base = word[:-2] if possessive else word
        out.append(Token(m.start(), m.end(), m.start() + len(base), base, fold(base), possessive))
    return out


def _is_cap(tok: Token) -> bool:
    """Capitalised like a name: "Kerr", "McDonald", "O'Neil"; not "VPDs", "CareFirst"."""
    b = tok.base
    if not (b[0].isupper() and b[0].isalpha() and any(ch.islower() for ch in b[1:])):
        return False
    if _ACRONYM_PLURAL.fullmatch(b):
        return False
    return not _CAMEL.search(b) or _NAME_PREFIX.match(b) is not None


def _is_initial(tok: Token) -> bool:
    return len(tok.base) == 1 and tok.base.isupper()


def _alpha(word: str) -> bool:
    return word.replace("-", "").replace("'", "").replace("’", "").isalpha()


def _sentence_initial(text: str, tok: Token) -> bool:
    """True when ``tok`` starts the text, a line or a sentence (capitalised by position)."""
    k = tok.start - 1
    while k >= 0 and text[k] in " \t\"'‘“(-–*•":
        k -= 1
    return k < 0 or text[k] in ".!?:;\n\r"


def _gap(text: str, a: Token, b: Token, pattern: re.Pattern[str]) -> bool:
    return pattern.fullmatch(text, a.end, b.start) is not None


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

    # --- word classes ----------------------------------------------------------------------
    def common(self, tok: Token) -> bool:
        """A common word, acronym, place or organisation word (a name only by a rule)."""
        return self.lex.is_common(tok.folded) or tok.folded in self.lex.org_words

    def listed_first(self, tok: Token) -> bool:
        """A first name from the list (or a hyphenated one starting with one)."""
        first = self.lex.first_names
        return tok.folded in first or (
            "-" in tok.folded and tok.folded.split("-")[0] in first
        )

    def unknown(self, tok: Token) -> bool:
        """A word in no list (not English, not common, not a contraction or an inflected
        form such as "undressed"): likely a name."""
        if _CLITIC.search(tok.base) or (tok.base[:1].isupper() and not _is_cap(tok)):
            return False
        if tok.base.islower() and _WORD_SUFFIX.search(tok.folded):
            return False
        parts = tok.folded.replace("’", "'").split("-")
        return len(tok.base) >= 3 and _alpha(tok.base) and all(
            self.lex.is_unknown(p) or self.lex.is_name_word(p) for p in parts
        ) and any(self.lex.is_unknown(p) for p in parts)

    def namelike(self, tok: Token) -> bool:
        """A capitalised word that can be (part of) a name: listed, or not a common word."""
        if not _is_cap(tok) or not _alpha(tok.base) or tok.folded in _NOT_A_PERSON_BEFORE:
            return False
        return self.lex.is_name_word(tok.folded) or self.listed_first(tok) or not self.common(tok)

    def surname_ok(self, tok: Token) -> bool:
        """A capitalised word after a first name or title: anything but a common word."""
        if not _is_cap(tok) or not _alpha(tok.base):
            return False
        return self.lex.is_name_word(tok.folded) or tok.folded not in self.not_surname

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

    def protected(self, toks: list[Token]) -> list[bool]:
        """Mark tokens inside an allow-list term ("Women's Aid", "Fort William")."""
        flags = [False] * len(toks)
        folded = [t.folded + ("'s" if t.possessive else "") for t in toks]
        i = 0
        while i < len(toks):
            for n in range(min(self.max_words, len(toks) - i), 0, -1):
                key = " ".join(folded[i : i + n])
                if key in self.allow_terms or (n == 1 and toks[i].folded in self.allow_terms):
                    for k in range(i, i + n):
                        flags[k] = True
                    i += n - 1
                    break
            i += 1
        return flags

    # --- rules -----------------------------------------------------------------------------
    def _extend(self, text: str, toks: list[Token], j: int, limit: int = 2) -> int:
        """Return the index of the last token of a name starting at ``j`` (surnames added)."""
        last = j
        while limit and not toks[last].possessive and last + 1 < len(toks):
            nxt = toks[last + 1]
            if not _gap(text, toks[last], nxt, _GAP_NAME):
                break
            if _is_initial(nxt):
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
            while j < len(toks) and _gap(text, toks[j - 1], toks[j], _GAP_TITLE) and (
                toks[j].folded in lex.titles_any_case or toks[j].base in lex.titles_upper
            ):
                j += 1
            if j >= len(toks) or not _gap(text, toks[j - 1], toks[j], _GAP_TITLE):
                i += 1
                continue
            first = toks[j]
            if upper or _is_cap(tok):
                ok = _is_initial(first) or self.surname_ok(first)
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
            cue_lower = tok.base[0].islower() or _sentence_initial(text, tok)
            j = i + width
            if toks[j - 1].end == toks[j].start or not _gap(text, toks[j - 1], toks[j], _GAP_CUE):
                continue
            while j < len(toks):
                cand = toks[j]
                if _is_initial(cand):
                    break  # "Child A", "Family B": case-review anonymisation, kept
                if (
                    cand.base.isupper() and 2 <= len(cand.base) <= 3 and cand.base.isalpha()
                    and tok.folded in _INITIAL_CUES and cand.folded not in lex.acronyms
                    and not tok.base.isupper() and cand.folded not in lex.english
                    and cand.folded not in lex.words
                ):
                    out.append((cand.start, cand.base_end))  # "child JS"
                elif _is_cap(cand) and (
                    lex.is_name_word(cand.folded) or self.listed_first(cand)
                    or self.unknown(cand) or (cue_lower and self.namelike(cand))
                ):
                    last = self._extend(text, toks, j)
                    out.append((cand.start, toks[last].base_end))
                    j = last
                elif self.lower_name(cand):
                    last = j
                    nxt = toks[j + 1] if j + 1 < len(toks) else None
                    if nxt is not None and nxt.base.islower() and not cand.possessive and (
                        nxt.folded in lex.surnames or self.unknown(nxt)
                    ) and nxt.folded not in lex.words and _gap(text, cand, nxt, _GAP_NAME):
                        last = j + 1  # "mum kelly smith"
                    out.append((cand.start, toks[last].base_end))
                    j = last
                else:
                    break
                # a list of names: "siblings Jack, Amy and Ruby"
                if toks[j].possessive or j + 1 >= len(toks):
                    break
                if not _gap(text, toks[j], toks[j + 1], _GAP_LIST):
                    break
                j += 1

    def _list_names(self, text: str, toks: list[Token], out: list[Span2]) -> None:
        lex = self.lex
        n = len(toks)
        for i, tok in enumerate(toks):
            nxt = toks[i + 1] if i + 1 < n else None
            linked = nxt is not None and not tok.possessive and _gap(text, tok, nxt, _GAP_NAME)
            if not _is_cap(tok):
                if tok.possessive and self.lower_name(tok) and nxt is not None and (
                    nxt.folded in lex.possessive_relations
                ):
                    out.append((tok.start, tok.base_end))  # "jack's mum"
                continue
            if i > 0 and toks[i - 1].folded in _NOT_A_PERSON_BEFORE:
                continue  # "St Margaret's", "Queen Elizabeth", "Royal Alexandra"
            if linked and nxt is not None and nxt.folded in lex.org_words:
                continue  # "George Square", "Archie Foundation"
            if self.listed_first(tok) or (
                linked and nxt is not None and tok.folded in lex.ambiguous_names
                and _is_cap(nxt) and nxt.folded in lex.surnames
            ):
                out.append((tok.start, toks[self._extend(text, toks, i)].base_end))
                continue
            if not self.namelike(tok):
                continue
            after = text[tok.end : tok.end + 1]
            verb = linked and nxt is not None and nxt.folded in lex.person_verbs
            weak = linked and nxt is not None and nxt.folded in lex.person_verbs_weak
            prev_cap = i > 0 and _is_cap(toks[i - 1]) and not _sentence_initial(text, tok)
            state = _STATE_AFTER.match(text, tok.end)
            if (
                (tok.possessive and nxt is not None and nxt.folded in lex.possessive_relations
                 and _gap(text, tok, nxt, _GAP_NAME)  # "Kayden's mum", not "Aberdeen City's"
                 and (not prev_cap or self.unknown(tok) or lex.is_name_word(tok.folded)))
                or (linked and nxt is not None and nxt.folded in _AFTER_FAMILY
                    and nxt.base.islower() and i > 0 and toks[i - 1].folded == "the")
                or _BORN_AGED.match(text, tok.end) is not None  # "Maja was born", "Ioana, aged"
                or _BRACKET_AGE.match(text, tok.end) is not None  # "Hamid (aged 7)"
                or (verb and not (tok.folded.endswith("s") and lex.is_english(tok.folded)))
                or (weak and tok.folded in lex.ambiguous_names)  # "Ruby needs"
            ):
                out.append((tok.start, tok.base_end))
            elif self.unknown(tok) and (
                weak
                or (state is not None and fold(state.group(1)) in lex.person_states)
                or (tok.possessive and after != "-")
                or (not _sentence_initial(text, tok) and i > 0
                    and toks[i - 1].folded not in _PLACE_PREPOSITIONS
                    and not _PLURAL_NOUN.search(tok.folded))
            ):
                out.append((tok.start, tok.base_end))  # "Ioana needs", "Gabija was excluded"
            elif (
                i > 0 and toks[i - 1].folded == "the" and tok.folded.endswith("s")
                and not tok.possessive and len(tok.folded) > 3
                and (tok.folded[:-1] in lex.surnames or lex.is_unknown(tok.folded[:-1]))
                and nxt is not None and nxt.base.islower()
            ):
                out.append((tok.start, tok.base_end))  # "the Gordons moved again"
            elif linked and nxt is not None and _is_cap(nxt) and self.surname_ok(nxt) and (
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
        for m in _INITIALS.finditer(text):
            letters = "".join(ch for ch in m.group() if ch.isalpha()).casefold()
            if letters not in _DOTTED_ACRONYMS:
                out.append((m.start(), m.start() + len(m.group().rstrip())))
        for i, tok in enumerate(toks[:-1]):
            nxt = toks[i + 1]
            dotted = text.startswith(".", tok.end)
            if not _is_initial(tok) or (tok.base in {"A", "I"} and not dotted):
                continue
            if not _gap(text, tok, nxt, _GAP_NAME) or not _is_cap(nxt):
                continue
            if (dotted and self.namelike(nxt)) or nxt.folded in lex.surnames:
                if i > 0 and toks[i - 1].folded in _INITIAL_CUES | {"family", "mother", "father"}:
                    continue
                out.append((tok.start, nxt.base_end))  # "J. Smith"

    # --- NER -------------------------------------------------------------------------------
    def filter_ner(self, text: str, toks: list[Token], spans: Iterable[Span2]) -> list[Span2]:
        """Keep the NER ``PERSON`` spans that look like names; trim cue and common words."""
        lex = self.lex
        starts = [t.start for t in toks]
        out = []
        for start, end in spans:
            lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
            inside = [t for t in toks[lo:hi] if t.end <= end]
            if lo > 0 and toks[lo - 1].folded in _NOT_A_PERSON_BEFORE:
                continue
            while inside and (
                inside[0].folded in lex.words or inside[0].folded in lex.name_cues
            ) and inside[0].folded not in lex.titles_any_case:
                inside.pop(0)
            while inside and (
                inside[-1].folded in lex.words or inside[-1].folded in lex.acronyms
            ) and not lex.is_name_word(inside[-1].folded):
                inside.pop()
            if not inside or inside[0].folded in _NOT_A_PERSON_BEFORE:
                continue
            k = bisect.bisect_right(starts, inside[-1].start)
            nxt = toks[k] if k < len(toks) else None
            if inside[-1].folded in lex.org_words or (
                nxt is not None and nxt.folded in lex.org_words and _is_cap(nxt)
                and not inside[-1].possessive
            ):
                continue  # "George Square", "Archie Foundation"
            real = [t for t in inside if t.folded not in lex.titles_any_case
                    and t.base not in lex.titles_upper]
            if not real or not all(_alpha(t.base) and not _CLITIC.search(t.base) for t in real):
                continue
            if (
                len(inside) == 1 and _sentence_initial(text, inside[0])
                and lex.is_english(inside[0].folded) and not lex.is_name_word(inside[0].folded)
                and nxt is not None and nxt.base.islower() and nxt.folded not in _NER_KEEP_NEXT
                and nxt.folded not in lex.person_verbs
            ):
                continue  # "Info sharing ...", "Refer earlier": a sentence-initial word
            if all(self.common(t) or t.base.isupper() or _is_initial(t) for t in real):
                continue
            if all(t.base.islower() for t in real) and not any(self.lower_name(t) for t in real):
                continue
            out.append((inside[0].start, inside[-1].base_end))
        return out

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
        spans.extend(self.filter_ner(text, toks, ner_spans))
        spans.extend(self._list_before(text, toks, spans))
        starts = [t.start for t in toks]
        flags = self.protected(toks)
        spans = self._drop_protected(toks, starts, flags, spans)
        spans.extend(self._propagate(toks, starts, flags, spans))
        out = [Candidate(s, e, "PERSON") for s, e in spans if e > s]
        out.extend(self._bracket_ages(text, toks, spans))
        return out

    def _list_before(self, text: str, toks: list[Token], spans: list[Span2]) -> list[Span2]:
        """"Pippa & Keith": a capitalised word listed before a name found is a name too."""
        begins = {s for s, _ in spans}
        out = []
        for i in range(len(toks) - 2, -1, -1):
            tok, nxt = toks[i], toks[i + 1]
            if nxt.start in begins and not tok.possessive and self.namelike(tok) and (
                tok.folded not in self.lex.ambiguous_names or _is_cap(tok)
            ) and _GAP_LIST.fullmatch(text, tok.end, nxt.start) and not self.common(tok):
                out.append((tok.start, tok.base_end))
                begins.add(tok.start)
        return out

    @staticmethod
    def _drop_protected(
        toks: list[Token], starts: list[int], flags: list[bool], spans: list[Span2]
    ) -> list[Span2]:
        if not any(flags):
            return spans
        kept = []
        for s, e in spans:
            lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
            while lo < hi and flags[lo]:
                lo += 1
            while hi > lo and flags[hi - 1]:
                hi -= 1
            if lo < hi:
                kept.append((max(s, toks[lo].start), min(e, toks[hi - 1].base_end)))
        return kept

    def _propagate(
        self, toks: list[Token], starts: list[int], flags: list[bool], spans: list[Span2]
    ) -> list[Span2]:
        """Find other mentions of the names found ("Mrs Kerr ... Kerr said")."""
        lex = self.lex
        names: set[str] = set()
        for s, e in spans:
            for t in toks[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]:
                if len(t.base) > 1 and _alpha(t.base) and not self.common(t) and (
                    t.folded not in lex.titles_any_case and t.base not in lex.titles_upper
                ):
                    names.add(t.folded)
        if not names:
            return []
        return [
            (t.start, t.base_end)
            for k, t in enumerate(toks)
            if t.folded in names and not flags[k] and (
                _is_cap(t) or (t.base.islower() and t.folded not in lex.word_names)
            )
        ]

    def _bracket_ages(self, text: str, toks: list[Token], spans: list[Span2]) -> list[Candidate]:
        """"Jack (4)", "mum (23)": an age in brackets after a name or cue word; "(6 months)"
        anywhere."""
        ends = {e for _, e in spans}
        ends.update(t.end for t in toks if t.folded in self.lex.name_cues)
        out = []
        for e in sorted(ends):
            m = _BRACKET_AGE.match(text, e)
            if m is not None:
                lead = len(m.group()) - len(m.group().lstrip(" \t"))
                out.append(Candidate(m.start() + lead, m.end(), "AGE"))
        out.extend(Candidate(m.start(), m.end(), "AGE") for m in _BRACKET_UNIT_AGE.finditer(text))
        return out
