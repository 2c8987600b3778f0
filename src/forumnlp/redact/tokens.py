"""Word tokens and word-shape tests shared by the name detectors."""

from __future__ import annotations

import re
from typing import NamedTuple

from forumnlp.redact.lexicon import fold

TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
GAP_TITLE = re.compile(r"\.?[ \t]{1,3}")
GAP_NAME = re.compile(r"(?:[ \t]{1,2}|\.[ \t]{1,2})")
GAP_CUE = re.compile(r"[ \t]{0,3}[,:\-–(]?[ \t]{0,3}")
GAP_LIST = re.compile(r"(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+|[ \t]*&[ \t]*)")
INITIALS = re.compile(r"(?<![\]\w.])(?:[A-Z]\.[ ]?){2,3}(?![\[\w])")
DOTTED_ACRONYMS = frozenset({"uk", "us", "nhs", "gp", "dob", "pc", "sw", "hv", "am", "pm", "eu",
                              "un", "usa", "bbc", "rsvp", "ps", "nb"})
BRACKET_AGE = re.compile(
    r"[ \t]?\([ \t]?(?:aged?[ \t]+)?\d{1,2}(?:\.5)?[ \t]?(?:yrs?|years?|y|m|mths?|months?|wks?|weeks?)?[ \t]?\)"
)
BRACKET_UNIT_AGE = re.compile(
    r"\([ \t]?\d{1,2}(?:\.5)?[ \t]?(?:yrs?|years?|mths?|months?|wks?|weeks?)(?:[ \t]?old)?[ \t]?\)"
)
INITIAL_CUES = frozenset({
    "child", "baby", "pupil", "mum", "dad", "son", "daughter", "brother", "sister", "boy",
    "girl", "kid", "called", "named",
})
AFTER_FAMILY = frozenset({
    "family", "household", "children", "kids", "twins", "siblings", "boys", "girls",
    "brothers", "sisters", "family's",
})
PLACE_PREPOSITIONS = frozenset({
    "in", "at", "from", "near", "around", "across", "into", "towards", "outside", "inside",
    "through", "of", "the", "a", "an", "via", "on", "our", "their", "its", "this", "that", "every",
})
PLURAL_NOUN = re.compile(r"[^aeiousy]s$")  # "genograms"; first names rarely end so
STATE_AFTER = re.compile(r"[ \t]+(?:was|is|were|has[ \t]+been|had[ \t]+been|being)[ \t]+(\w+)")
BORN_AGED = re.compile(r"(?:[ \t]*,)?[ \t]+(?:(?:was|is|were|being)[ \t]+)?(?:born|aged)(?![\[\w])")
ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")
CAMEL = re.compile(r"[a-z][A-Z]")
NAME_PREFIX = re.compile(r"(?:Mc|Mac|Fitz|De|Di|Da|La|Le|Van|Von|St)[A-Z][a-z]+$")
CLITIC = re.compile(r"['’](?:m|ve|re|ll|d|t)$|n['’]t$", re.IGNORECASE)
WORD_SUFFIX = re.compile(
    r"(?:ed|ing|ness|ment|ments|tion|tions|sion|ity|ities|ies|ised|ized|ise|ize|ful|less|able"
    r"|ible|ously|ively|ally)$"
)
NOT_A_PERSON_BEFORE = frozenset({
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
    cap: bool


_SHAPES: dict[str, tuple[str, bool]] = {}


def word_cap(b: str) -> bool:
    """Capitalised like a name: "Kerr", "McDonald", "O'Neil"; not "VPDs", "CareFirst"."""
    if not (b[0].isupper() and b[0].isalpha() and any(ch.islower() for ch in b[1:])):
        return False
    if ACRONYM_PLURAL.fullmatch(b):
        return False
    return not CAMEL.search(b) or NAME_PREFIX.match(b) is not None


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens with possessive endings recognised."""
    out = []
    new = tuple.__new__
    shapes = _SHAPES
    if len(shapes) > 200_000:
        shapes.clear()
    for m in TOKEN.finditer(text):
        word = m.group()
        possessive = len(word) > 2 and word[-2] in "'’" and word[-1] in "sS"
        base = word[:-2] if possessive else word
        shape = shapes.get(base)
        if shape is None:
            shape = shapes[base] = (fold(base), word_cap(base))
        start = m.start()
        out.append(new(Token, (start, m.end(), start + len(base), base, shape[0], possessive,
                               shape[1])))
    return out


def is_cap(tok: Token) -> bool:
    """Capitalised like a name (see :func:`word_cap`)."""
    return tok.cap


def is_initial(tok: Token) -> bool:
    """A single capital letter ("J")."""
    return len(tok.base) == 1 and tok.base.isupper()


def alpha(word: str) -> bool:
    """Letters only, apostrophes and hyphens aside."""
    return word.replace("-", "").replace("'", "").replace("’", "").isalpha()


def sentence_initial(text: str, tok: Token) -> bool:
    """True when ``tok`` starts the text, a line or a sentence (capitalised by position)."""
    k = tok.start - 1
    while k >= 0 and text[k] in " \t\"'‘“(-–*•":
        k -= 1
    return k < 0 or text[k] in ".!?:;\n\r"


def gap(text: str, a: Token, b: Token, pattern: re.Pattern[str]) -> bool:
    """True when the text between tokens ``a`` and ``b`` matches ``pattern`` exactly."""
    return pattern.fullmatch(text, a.end, b.start) is not None
