"""Tokens and lemmas for the rule matcher, without spaCy's pipeline.

The matcher never runs a parser, tagger or NER. A unit's text is lower-cased (keeping its
length, so character offsets stay valid), split by one regular expression into word and
punctuation tokens the way spaCy's English tokenizer splits them for the cases that matter
here (hyphens, slashes, clitics ``n't 's 'll``), and each token gets a *norm*: its lower form
with contractions expanded (``n't`` -> ``not``, ``'ll`` -> ``will``, ``dont`` -> ``do not``).
Patterns are tokenized and normalised by the same functions, so ``phrase: "don't stop"``
matches "don't stop", "dont stop" and "do not stop".

Lemmas are handled at compile time: :func:`inflections` lists the forms of a base word
(plurals, ``-s -ed -ing``, consonant doubling, ``-ies``/``-ied``, British and American
``-ise``/``-ize``, common irregulars), so ``lemma: visit`` becomes the set
``{visit, visits, visited, visiting, ...}`` and matching stays a dictionary lookup.
:func:`lemma_candidates` goes the other way, for the rare ``LEMMA`` constraints that cannot be
compiled to a set (``NOT_IN``, ``REGEX``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

#: Word tokens (letters/digits with inner apostrophes) or any single other character.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|\S")
#: Characters mapped to ASCII before matching (same length, so offsets are kept).
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
#: Tokens dropped from the match stream: hyphens and dashes join words ("multi-agency" ==
#: "multi agency"), bullets start list items.
DROP: frozenset[str] = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2022\u00b7\u2023\u25aa\u25cf\u25e6\u25ba\u27a2*~")
#: Tokens after which a new sentence starts.
BOUNDARY: frozenset[str] = frozenset(".!?;:\u2026")

_CLITICS: dict[str, str] = {"'s": "'s", "'m": "am", "'d": "would", "'ll": "will", "'re": "are", "'ve": "have"}
_NT_BASE: dict[str, str] = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
#: Contractions written without an apostrophe, expanded to two norms.
JOINED: dict[str, tuple[str, str]] = {
    **{f"{b}nt": (b, "not") for b in (
        "do", "does", "did", "is", "are", "was", "were", "should", "would", "could", "must",
        "have", "has", "had", "need")},
    "dont": ("do", "not"), "doesnt": ("does", "not"), "dosnt": ("does", "not"),
    "cant": ("can", "not"), "cannot": ("can", "not"), "wont": ("will", "not"),
    "shouldnt": ("should", "not"), "im": ("i", "am"), "ive": ("i", "have"),
}


@dataclass
class Tokens:
    """The match stream of one text.

    Attributes
    ----------
    text : str
        The original text (offsets refer to it).
    lower : str
        The lower-cased text with curly quotes straightened; same length as ``text``.
    norms : list of str
        Normalised lower-case token forms.
    starts, ends : list of int
        Character offsets of each token in ``text`` (a split contraction's parts share them
        when the text has no apostrophe, as in "dont").
    sent_starts : list of bool
        Whether each token begins a sentence (first token, after . ! ? ; : a line break or a
        bullet, or after a list number such as "1)").
    """

    text: str
    lower: str
    norms: list[str]
    starts: list[int]
    ends: list[int]
    sent_starts: list[bool]

    def surface(self, i: int) -> str:
        """Return the original text of token ``i``."""
        return self.text[self.starts[i]:self.ends[i]]


def lower_view(text: str) -> str:
    """Return ``text`` lower-cased with curly quotes straightened, of the same length.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        A string ``s`` with ``len(s) == len(text)``; a character whose lower case form is
        longer (such as "İ") is kept as it is.
    """
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.translate(_QUOTES)


def _split_apostrophe(tok: str, s: int, e: int) -> list[tuple[str, int, int]]:
    if tok.endswith("n't") and len(tok) > 3:
        base = tok[:-3]
        return [(_NT_BASE.get(base, base), s, e - 3), ("not", e - 3, e)]
    head, _, tail = tok.rpartition("'")
    clitic = "'" + tail
    if clitic in _CLITICS and head and "'" not in head:
        return [(head, s, s + len(head)), (_CLITICS[clitic], s + len(head), e)]
    return [(tok, s, e)]


_SLOW = re.compile("['\n" + "".join(re.escape(c) for c in sorted(DROP)) + "]")
_JOINED_KEYS = frozenset(JOINED)
_STARTERS = BOUNDARY | {")"}


def tokenize(text: str) -> Tokens:
    """Split ``text`` into normalised tokens with character offsets and sentence starts.

    Parameters
    ----------
    text : str
        A unit's text.

    Returns
    -------
    Tokens
    """
    low = lower_view(text)
    if _SLOW.search(low) is None:  # fast path: no apostrophe, dash, bullet or line break
        spans = [m.span() for m in _TOKEN.finditer(low)]
        norms = [low[s:e] for s, e in spans]
        if _JOINED_KEYS.isdisjoint(norms):
            n = len(norms)
            ss = [False] * n
            if n:
                ss[0] = True
                if not _STARTERS.isdisjoint(norms):
                    for i in range(n - 1):
                        t = norms[i]
                        if t in BOUNDARY or (
                            t == ")" and i and ss[i - 1] and (norms[i - 1].isdigit() or len(norms[i - 1]) == 1)
                        ):
                            ss[i + 1] = True
            return Tokens(text, low, norms, [s for s, _ in spans], [e for _, e in spans], ss)
    return _tokenize_slow(text, low)


def _tokenize_slow(text: str, low: str) -> Tokens:
    norms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    ss: list[bool] = []
    newline = "\n" in low
    at_start = True
    prev_end = 0
    for m in _TOKEN.finditer(low):
        tok = m.group()
        s, e = m.span()
        if newline and "\n" in low[prev_end:s]:
            at_start = True
        prev_end = e
        if tok in DROP:
            continue
        if "'" in tok and len(tok) > 1:
            parts = _split_apostrophe(tok, s, e)
        elif tok in JOINED:
            a, b = JOINED[tok]
            parts = [(a, s, e), (b, s, e)]
        else:
            parts = [(tok, s, e)]
        for k, (norm, ps, pe) in enumerate(parts):
            norms.append(norm)
            starts.append(ps)
            ends.append(pe)
            ss.append(at_start and k == 0)
        if tok in BOUNDARY:
            at_start = True
        elif tok == ")" and len(norms) >= 2 and ss[-2]:
            # "1)" / "a)" list markers: the item's first word starts the sentence
            prev = norms[-2]
            at_start = prev.isdigit() or len(prev) == 1
        else:
            at_start = False
    return Tokens(text, low, norms, starts, ends, ss)


def tokenize_pattern(text: str) -> list[str]:
    """Return the norms of a pattern's words (a phrase, lemma or token value).

    Parameters
    ----------
    text : str
        A phrase as written in a codebook.

    Returns
    -------
    list of str
        The normalised tokens, as :func:`tokenize` would produce them in a unit.
    """
    return tokenize(text).norms


def norm_value(value: str) -> str | tuple[str, ...]:
    """Normalise one token value of a token pattern (``n't`` -> ``not``; ``dont`` -> 2 norms).

    A clitic written on its own (``'s``, ``’s``, ``'ll``) is the norm of that clitic, as it is
    when split off a word in a text ("children's" -> ``children`` + ``'s``).
    """
    bare = lower_view(value).strip()
    if bare in _CLITICS:
        return _CLITICS[bare]
    if bare == "n't":
        return "not"
    norms = tokenize_pattern(value)
    if len(norms) == 1:
        return norms[0]
    return tuple(norms) if norms else value.lower()


# -- lemmas ----------------------------------------------------------------------------------

_IRREGULAR_TEXT = """
be am is are was were been being 's
have has had having 've
do does did done doing
go goes went gone going
make made | take took taken | see saw seen | meet met | feel felt | keep kept | tell told
hear heard | bring brought | think thought | lose lost | leave left | send sent | give gave given
get got gotten | find found | hold held | know knew known | say said | come came
become became | begin began begun | build built | buy bought | catch caught | choose chose chosen
draw drew drawn | drive drove driven | eat ate eaten | fall fell fallen | fight fought
forget forgot forgotten | grow grew grown | lead led | learn learnt | run ran | seek sought
show shown | speak spoke spoken | spend spent | stand stood | teach taught | understand understood
win won | write wrote written | pay paid | lay laid | mean meant | sit sat | break broke broken
wear wore worn | hide hid hidden | undertake undertook undertaken | withdraw withdrew withdrawn
overcome overcame | mislead misled | rethink rethought | oversee oversaw overseen | shake shook shaken
child children | person people persons | woman women | man men | foot feet | tooth teeth
analysis analyses | crisis crises | diagnosis diagnoses | basis bases | thesis theses
wife wives | life lives | half halves | self selves | leaf leaves | shelf shelves
staff staff staffs | datum data | criterion criteria | phenomenon phenomena | medium media
good better best | bad worse worst | well better best | much more most | many more most
little less least | few fewer fewest
"""


def _parse_irregular(text: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for line in text.strip().splitlines():
        for group in line.split("|"):
            words = group.split()
            if words:
                out.setdefault(words[0], set()).update(words[1:])
    return {k: frozenset(v) for k, v in out.items()}


IRREGULAR: dict[str, frozenset[str]] = _parse_irregular(_IRREGULAR_TEXT)
_IRREGULAR_BASES: dict[str, frozenset[str]] = {}
for _base, _forms in IRREGULAR.items():
    for _form in _forms:
        _IRREGULAR_BASES[_form] = _IRREGULAR_BASES.get(_form, frozenset()) | {_base}

#: Function words that a lemma pattern matches only as written ("not" must not match "noted").
UNINFLECTED: frozenset[str] = frozenset(["not", "no", "nor", "the", "a", "an", "to", "of", "in", "on", "for", "with", "and", "or", "but", "more", "less", "very", "too", "than", "then", "at", "by", "from", "as", "it", "its", "we", "i", "you", "they", "he", "she", "our", "their", "my", "your", "his", "her", "all", "any", "some", "each", "every", "this", "that", "these", "those", "there", "here", "what", "why", "how", "when", "where", "who", "whom", "which", "if", "so", "up", "down", "out", "off", "over", "under", "about", "into", "onto", "should", "would", "could", "must", "can", "will", "shall", "may", "might", "also", "only", "just", "still", "now", "never", "ever", "again", "always", "often", "per", "via", "'s"])
#: Bases whose forms are all irregular (regular rules would give "bed" for "be").
_CLOSED: frozenset[str] = frozenset({"be", "have", "do", "go"})
_VOWELS = "aeiou"
_CVC = re.compile(r"(?:^|[^aeiou])[aeiou][bdfgklmnprtvz]$")


def _spellings(word: str) -> set[str]:
    """British and American spellings of -ise/-ize, -yse/-yze and -isation/-ization."""
    out = {word}
    for a, b in (("ise", "ize"), ("yse", "yze"), ("isation", "ization"), ("ising", "izing"),
                 ("ised", "ized"), ("ises", "izes")):
        if word.endswith(a) and len(word) > len(a) + 2:
            out.add(word[: -len(a)] + b)
        elif word.endswith(b) and len(word) > len(b) + 2:
            out.add(word[: -len(b)] + a)
    return out


def _regular_forms(w: str) -> set[str]:
    forms = {w}
    if not w.isalpha() or len(w) < 2:
        return forms
    cons_y = w.endswith("y") and len(w) > 2 and w[-2] not in _VOWELS
    # plural / third person
    if w.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(w + "es")
    elif cons_y:
        forms.add(w[:-1] + "ies")
    else:
        forms.add(w + "s")
        if w.endswith("o"):
            forms.add(w + "es")
    # past / participle
    if w.endswith("e"):
        forms.add(w + "d")
    elif cons_y:
        forms.add(w[:-1] + "ied")
    else:
        forms.add(w + "ed")
    # gerund
    if w.endswith("ie"):
        forms.add(w[:-2] + "ying")
    elif w.endswith("e") and not w.endswith(("ee", "ye", "oe")) and len(w) > 2:
        forms.add(w[:-1] + "ing")
    else:
        forms.add(w + "ing")
    # consonant doubling (stop -> stopped, refer -> referred); harmless when unused
    if _CVC.search(w) and not w.endswith(("w", "x", "y")):
        forms.update({w + w[-1] + "ed", w + w[-1] + "ing"})
    if w.endswith("f") and not w.endswith("ff"):
        forms.add(w[:-1] + "ves")
    elif w.endswith("fe"):
        forms.add(w[:-2] + "ves")
    return forms


@lru_cache(maxsize=4096)
def inflections(lemma: str) -> frozenset[str]:
    """Return the forms of one base word that a lemma pattern should match.

    Parameters
    ----------
    lemma : str
        A base form such as "visit", "chronology", "be" (lower case, one word).

    Returns
    -------
    frozenset of str
        The base form, its regular inflections, irregular forms and -ise/-ize spellings.
        Over-generation ("visitted") is harmless: such forms never occur in text.
    """
    w = lemma.lower()
    if w in UNINFLECTED:
        return frozenset({w})
    if w in _CLOSED:
        return frozenset({w} | IRREGULAR[w])
    out: set[str] = set()
    for spelling in _spellings(w):
        out |= _regular_forms(spelling)
        out |= IRREGULAR.get(spelling, frozenset())
    out |= {s for f in list(out) for s in _spellings(f)}
    return frozenset(out)


@lru_cache(maxsize=65536)
def lemma_candidates(word: str) -> frozenset[str]:
    """Return the possible base forms of a word (the reverse of :func:`inflections`).

    Parameters
    ----------
    word : str
        A lower-case token.

    Returns
    -------
    frozenset of str
        Candidate lemmas, always including ``word`` itself; every ``w`` with
        ``word in inflections(w)`` is among them.
    """
    w = word.lower()
    out = {w} | set(_IRREGULAR_BASES.get(w, ()))
    if not w.isalpha() or len(w) < 3:
        return frozenset(out)
    cands: set[str] = set()
    for v in _spellings(w):
        cands |= _strip_suffixes(v)
    for c in cands:
        if c and w in inflections(c):
            out.add(c)
    out |= {s for c in list(out) for s in _spellings(c)}
    return frozenset(out)


def _strip_suffixes(w: str) -> set[str]:
    """Possible bases of ``w`` by undoing one regular suffix (over-generates on purpose)."""
    cands: set[str] = set()
    if w.endswith("ies"):
        cands.add(w[:-3] + "y")
    if w.endswith("ied"):
        cands.add(w[:-3] + "y")
    if w.endswith("ves"):
        cands.update({w[:-3] + "f", w[:-3] + "fe"})
    if w.endswith("es"):
        cands.add(w[:-2])
    if w.endswith("s") and not w.endswith("ss"):
        cands.add(w[:-1])
    if w.endswith("ed"):
        cands.update({w[:-2], w[:-1]})
        if len(w) > 4 and w[-3] == w[-4]:
            cands.add(w[:-3])
    if w.endswith("ing") and len(w) > 4:
        stem = w[:-3]
        cands.update({stem, stem + "e"})
        if stem.endswith("y"):
            cands.add(stem[:-1] + "ie")
        if len(stem) > 2 and stem[-1] == stem[-2]:
            cands.add(stem[:-1])
    return cands


def forms_of(lemmas: Iterable[str]) -> frozenset[str]:
    """Return the union of :func:`inflections` of several lemmas (normalised)."""
    out: set[str] = set()
    for lem in lemmas:
        for norm in tokenize_pattern(lem) or [lem.lower()]:
            out |= inflections(norm)
    return frozenset(out)
