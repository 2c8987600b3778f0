"""Street addresses: flat, house number, street name and street word, town, postcode."""

from __future__ import annotations

import functools
import re

from forumnlp.redact.lexicon import Lexicon, fold, lexicon
from forumnlp.redact.patterns import POSTCODE_CORE, Candidate, case_consistent

# --- street addresses ---------------------------------------------------------------------
_FLAT = (
    r"(?:(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt)\.?[ ]?(?:\d{1,3}/\d{1,3}|\d{1,4}[a-z]?|[a-z](?![\[\w]))[ ]?,?[ ]+"
    r"|\d{1,3}/\d{1,3}(?:[ ]?,[ ]?|[ ]+))?"
)
_HOUSE = r"\d{1,4}[A-Za-z]?(?:[ ]?[\-–][ ]?\d{1,4}[A-Za-z]?)?,?[ ]+"
_ABBREVIATED = "(?:" + "|".join(
    f"(?<={w})" for w in ("St", "Rd", "Dr", "Pl", "Ct", "Ln", "Sq", "Ave", "Gdns", "Cres", "Terr")
) + ")"
_AMBIGUOUS_STREET = frozenset(
    {"court", "park", "view", "way", "place", "close", "bank", "hill", "gate", "green", "row",
     "walk", "path", "rise", "square", "gardens", "grove", "parade", "buildings", "mains"}
)
_NOT_BEFORE_NUMBER = re.compile(
    r"(?<![\]\w])(?:level|session|stage|room|week|day|year|section|part|table|group|phase|step|tier|page"
    r"|p|no|number|chapter|module|item|point|question|q|s|p|team|cohort|wave|band|grade|option"
    r"|appendix|annex|figure|fig|line|row|ward|unit|bed|floor)\.?[ ]+$",
    re.IGNORECASE,
)
_UNIT_WORDS = frozenset(
    {"min", "mins", "minute", "minutes", "hour", "hours", "hr", "hrs", "mile", "miles", "km",
     "second", "seconds", "day", "days", "week", "weeks", "month", "months", "year", "years",
     "times", "time", "way", "ways", "lane", "lanes", "car", "cars", "bus", "buses"}
)


@functools.cache
def _address_regexes(street: tuple[str, ...], street_lower: tuple[str, ...]) -> tuple[
    re.Pattern[str], re.Pattern[str], tuple[re.Pattern[str], ...]
]:
    alts = "|".join(re.escape(w) for w in sorted(street, key=len, reverse=True))
    lower = "|".join(re.escape(w) for w in sorted(street_lower, key=len, reverse=True))
    upper = re.compile(
        rf"(?<![\]\w/.\-]){_FLAT}{_HOUSE}(?P<name>(?:[A-Z][A-Za-z'’\-]{{0,30}}\.?[ ]+){{1,4}})"
        rf"(?P<street>{alts})(?![\[\w'’\-])(?P<dot>{_ABBREVIATED}\.)?"
    )
    low = re.compile(
        rf"(?<![\]\w/.\-]){_FLAT}{_HOUSE}(?P<name>(?:[a-z][a-z'’\-]{{2,20}}[ ]+){{1,2}})"
        rf"(?P<street>{lower})(?![\[\w'’\-])"
    )
    sep = r"(?:[ ]*,[ ]*|[ ]+)"
    town = r"(?P<town>[A-Z][a-z'’\-]{1,30}(?:[ ][A-Z][a-z'’\-]{1,30})?)"
    postcode = rf"(?P<postcode>{POSTCODE_CORE})(?![\[A-Za-z0-9])"
    tails = (
        re.compile(rf"{sep}{postcode}", re.IGNORECASE),
        re.compile(rf"{sep}{town}{sep}{postcode}"),
        re.compile(rf"{sep}{town}"),
    )
    return upper, low, tails


def _extend_address(
    text: str, end: int, lex: Lexicon, tails: tuple[re.Pattern[str], ...]
) -> int:
    """Extend an address ending at ``end`` with an optional town and postcode."""
    with_postcode, town_postcode, town_only = tails
    for pattern in (with_postcode, town_postcode):
        m = pattern.match(text, end)
        if m is not None and case_consistent(m.group("postcode")):
            return m.end("postcode")
    m = town_only.match(text, end)
    if m is None:
        return end
    town = m.group("town")
    if fold(town) in lex.places or " ".join(fold(town).split()) in lex.allow_terms:
        return m.end("town")
    first = town.split(" ")[0]
    if fold(first) in lex.places:
        return m.start("town") + len(first)
    return end


def find_addresses(text: str, lex: Lexicon | None = None) -> list[Candidate]:
    """Find street addresses: optional flat ("2/1", "Flat 3"), house number, street name and
    street word, optional town and postcode, as one span ("2/1 14 Dumbarton Road, Glasgow
    G11 6AA")."""
    lex = lex or lexicon()
    upper, low, tails = _address_regexes(lex.street_words, lex.street_words_lower)
    out = []
    for m in upper.finditer(text):
        if _NOT_BEFORE_NUMBER.search(text, max(0, m.start() - 15), m.start()):
            continue
        words = [fold(w.rstrip(".")) for w in m.group("name").split()]
        if fold(m.group("street")) in _AMBIGUOUS_STREET and all(w in lex.words for w in words):
            continue
        out.append(Candidate(m.start(), _extend_address(text, m.end(), lex, tails), "ADDRESS"))
    for m in low.finditer(text):
        if _NOT_BEFORE_NUMBER.search(text, max(0, m.start() - 15), m.start()):
            continue
        words = [fold(w) for w in m.group("name").split()]
        if any(w in lex.words or w in _UNIT_WORDS or w in lex.acronyms for w in words):
            continue
        out.append(Candidate(m.start(), _extend_address(text, m.end(), lex, tails), "ADDRESS"))
    return out
