"""Pattern detectors for structured personal details: e-mail, URL, phone, postcode, address,
date of birth, age, NHS, CHI and National Insurance numbers.

Every regular expression has bounded repetition and a boundary look-behind, so that each start
position is tried in constant time: run time stays linear in the text length (no catastrophic
backtracking on long or adversarial input).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import NamedTuple

from forumnlp.redact.lexicon import Lexicon, fold, lexicon


class Candidate(NamedTuple):
    """A detected detail before overlaps are resolved: ``text[start:end]`` has type ``type``."""

    start: int
    end: int
    type: str


# --- e-mail and URL -----------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![\w\-])"
)
_URL = re.compile(
    r"(?<![\w@/.\-])(?:(?:https?|ftp)://|www\.)[^\s<>\"'\[\]{}|\\^`]{1,2048}"
    r"|(?<![\w@/.\-])(?:[a-z0-9\-]{1,63}\.){1,4}(?:com|org|net|uk|scot|io|me|ly|tv|info|co)"
    r"/[^\s<>\"'\[\]{}|\\^`]{1,2048}",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?'\")"


def find_emails(text: str) -> list[Candidate]:
    """Find e-mail addresses."""
    return [Candidate(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text)]


def find_urls(text: str) -> list[Candidate]:
    """Find URLs starting with a scheme or ``www.``, and bare domains followed by a path."""
    out = []
    for m in _URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in _URL_TRAILING:
            if text[end - 1] == ")" and text.count("(", m.start(), end) >= text.count(
                ")", m.start(), end
            ):
                break
            end -= 1
        if end - m.start() > 4:
            out.append(Candidate(m.start(), end, "URL"))
    return out


# --- phone numbers ------------------------------------------------------------------------
_PHONE = re.compile(
    r"(?<![\w+/])(?P<prefix>(?:\+|00)[ ]?44[ ]?(?:\([ ]?0[ ]?\)[ ]?)?|\(0|0)"
    r"\d{1,10}\)?(?:(?:[ ]{1,2}|[ ]?[\-.][ ]?)\(?\d{2,7}\)?){0,4}(?![\w/])"
)
_DIGIT_GROUP = re.compile(r"\d+")


def national_phone(candidate: str) -> str | None:
    """Return the national form (``0`` + digits) of a UK phone number, or None if not one.

    Parameters
    ----------
    candidate : str
        Text such as ``"+44 (0)131 496 0000"`` or ``"07700 900123"``.

    Returns
    -------
    str or None
        ``"01314960000"`` for the example; None when the digits are not a UK landline
        (01, 02), non-geographic 03 or mobile (07) number of 10-11 digits.
    """
    digits = "".join(ch for ch in candidate if ch.isdigit())
    stripped = candidate.lstrip("( ")
    if stripped.startswith(("+", "00")):
        rest = digits[4:] if stripped.startswith("00") else digits[2:]
        if rest.startswith("0"):
            rest = rest[1:]
        national = "0" + rest
    else:
        national = digits
    if not national.startswith(("01", "02", "03", "07")):
        return None
    if len(national) == 11 or (len(national) == 10 and national.startswith("01")):
        return national
    return None


def find_phones(text: str) -> list[Candidate]:
    """Find UK phone numbers (landline and mobile, any spacing, +44 and (0) forms)."""
    out: list[Candidate] = []
    pos = 0
    while True:
        m = _PHONE.search(text, pos)
        if m is None:
            break
        groups = list(_DIGIT_GROUP.finditer(text, m.start(), m.end()))
        found = None
        prefix_end = m.end("prefix")
        for j in range(len(groups), 0, -1):
            end = groups[j - 1].end()
            if end <= prefix_end:
                break
            if end < len(text) and text[end] == ")" and "(" in text[m.start() : end]:
                end += 1
            if national_phone(text[m.start() : end]) is not None:
                found = end
                break
        if found is not None:
            out.append(Candidate(m.start(), found, "PHONE"))
            pos = found
        else:
            pos = m.start() + 1
    return out


# --- postcodes ----------------------------------------------------------------------------
_POSTCODE_CORE = (
    r"(?:GIR[ ]?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]{0,2}\d[ABD-HJLNP-UW-Z]{2})"
)
_POSTCODE = re.compile(rf"(?<![A-Za-z0-9])(?:{_POSTCODE_CORE})(?![A-Za-z0-9])", re.IGNORECASE)


def _case_consistent(s: str) -> bool:
    return s.isupper() or s.islower()


def find_postcodes(text: str) -> list[Candidate]:
    """Find full UK postcodes ("EH1 1AA", "G2 3AB", "eh11aa"); outward codes alone are kept."""
    return [
        Candidate(m.start(), m.end(), "POSTCODE")
        for m in _POSTCODE.finditer(text)
        if _case_consistent(m.group())
    ]


# --- NHS, CHI and National Insurance numbers ----------------------------------------------
_TEN_DIGITS = re.compile(
    r"(?<![\w+/.\-])(?<!\d[ ])(?:\d[ \-]?){9}\d(?![\w/]|[ \-]\d|\.\d)"
)


def mod11_ok(digits: str) -> bool:
    """Return True when a 10-digit string has a valid NHS/CHI modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def chi_date_ok(digits: str) -> bool:
    """Return True when the first six digits are a valid DDMMYY date (29 Feb always allowed)."""
    try:
        _dt.date(2000, int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return False
    return True


@functools.cache
def _cue_regex(cues: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alts})(?![\w])", re.IGNORECASE)


def _cue_position(text: str, start: int, cues: tuple[str, ...], window: int = 30) -> int:
    """Return the end of the last cue in the ``window`` characters before ``start``, or -1."""
    last = -1
    for m in _cue_regex(cues).finditer(text, max(0, start - window), start):
        last = m.end()
    return last


def _cued(text: str, start: int, cues: tuple[str, ...], window: int = 30) -> bool:
    return _cue_position(text, start, cues, window) >= 0


def find_health_numbers(text: str, lex: Lexicon | None = None) -> list[Candidate]:
    """Find NHS and CHI numbers (10 digits, any spacing) with the modulus-11 check.

    A number preceded by "CHI" or "NHS" (within 30 characters) takes that type even when its
    check digit is wrong (a mistyped number is still personal); without a cue the check digit
    must be valid, and a valid DDMMYY start makes it a CHI number, otherwise an NHS number.
    """
    lex = lex or lexicon()
    out = []
    for m in _TEN_DIGITS.finditer(text):
        digits = "".join(ch for ch in m.group() if ch.isdigit())
        chi_at = _cue_position(text, m.start(), lex.chi_cues)
        nhs_at = _cue_position(text, m.start(), lex.nhs_cues)
        if chi_at >= 0 or nhs_at >= 0:  # the nearest cue decides
            kind = "CHI_NUMBER" if chi_at > nhs_at else "NHS_NUMBER"
        elif mod11_ok(digits):
            kind = "CHI_NUMBER" if chi_date_ok(digits) else "NHS_NUMBER"
        else:
            continue
        out.append(Candidate(m.start(), m.end(), kind))
    return out


_NINO = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{2})[ ]?(\d{2})[ ]?(\d{2})[ ]?(\d{2})(?:[ ]?([A-Da-d]))?"
    r"(?![A-Za-z0-9])"
)
_NINO_BAD_FIRST = set("DFIQUV")
_NINO_BAD_SECOND = set("DFIOQUV")
_NINO_BAD_PREFIX = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino_prefix_ok(prefix: str) -> bool:
    """Return True when two letters are an allocatable National Insurance number prefix."""
    p = prefix.upper()
    return (
        len(p) == 2
        and p.isalpha()
        and p[0] not in _NINO_BAD_FIRST
        and p[1] not in _NINO_BAD_SECOND
        and p not in _NINO_BAD_PREFIX
    )


def find_ni_numbers(text: str, lex: Lexicon | None = None) -> list[Candidate]:
    """Find National Insurance numbers ("AB 12 34 56 C"); without the suffix letter only
    after a cue such as "NI number"."""
    lex = lex or lexicon()
    out = []
    for m in _NINO.finditer(text):
        whole = m.group()
        if not nino_prefix_ok(m.group(1)) or not _case_consistent(whole):
            continue
        if m.group(5) is None and not _cued(text, m.start(), lex.ni_cues):
            continue
        out.append(Candidate(m.start(), m.end(), "NI_NUMBER"))
    return out


# --- dates of birth -----------------------------------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[ ]?[./\-][ ]?\d{1,2}[ ]?[./\-][ ]?(?:\d{4}|\d{2})(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ ]+(?:of[ ]+)?{_MONTH},?[ ]+(?:\d{{4}}|'?\d{{2}})(?!\d)"
    rf"|{_MONTH}[ ]+\d{{1,2}}(?:st|nd|rd|th)?,?[ ]+\d{{4}}(?!\d)"
    rf"|{_MONTH}[ ]+\d{{4}}(?!\d)"
    r")"
)
_MORE_DATES = re.compile(rf"(?:[ ]*,[ ]*|[ ]+(?:and|&)[ ]+|[ ]*/[ ]*)(?P<date>{_DATE})", re.IGNORECASE)
_BORN_YEAR = re.compile(
    r"(?<![\w])born(?:[ ]+(?:in|during))?[ ]+(?P<date>(?:19|20)\d{2})(?!\d)", re.IGNORECASE
)


@functools.cache
def _dob_regex(cues: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(
        re.escape(c).replace(r"\ ", r"\s+") for c in sorted(cues, key=len, reverse=True)
    )
    return re.compile(
        rf"(?<![\w])(?:{alts})(?![\w])[ \t]{{0,3}}[:=\-–(]?[ \t]{{0,3}}"
        rf"(?:[a-z]{{1,8}}[ ]+){{0,4}}(?P<date>{_DATE})",
        re.IGNORECASE,
    )


def find_dobs(text: str, lex: Lexicon | None = None) -> list[Candidate]:
    """Find dates of birth after a cue ("dob 02/11/2019", "born on 2nd November 2019").

    The span covers the date only; the cue stays ("dob [DOB_1]").
    """
    lex = lex or lexicon()
    out = []
    for m in _dob_regex(lex.dob_cues).finditer(text):
        out.append(Candidate(m.start("date"), m.end("date"), "DOB"))
        end = m.end("date")
        while (more := _MORE_DATES.match(text, end)) is not None:  # "dob: 2/3/19 and 4/5/20"
            out.append(Candidate(more.start("date"), more.end("date"), "DOB"))
            end = more.end("date")
    out.extend(Candidate(m.start("date"), m.end("date"), "DOB") for m in _BORN_YEAR.finditer(text))
    return out


# --- ages ---------------------------------------------------------------------------------
_NUM_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_NUM = rf"(?:\d{{1,2}}(?:\.5)?|{_NUM_WORDS})"
_UNIT = r"(?:years?|yrs?|months?|mths?|mnths?|weeks?|wks?)"
_AGED = re.compile(
    rf"(?<![\w])(?:aged|age[: ]+of|age:?)[ ]+(?P<n>{_NUM})(?![\w])"
    rf"(?:(?:[ ]*,[ ]*|[ ]+and[ ]+|[ ]*&[ ]*){_NUM}(?![\w])(?![ ]*(?:-|–|to\b))){{0,4}}"
    rf"(?:[ ]*{_UNIT}(?![\w]))?(?:[ ]+old(?![\w]))?",
    re.IGNORECASE,
)
_AGED_NOT_AFTER = re.compile(
    r"[ ]*(?:-|–|—|to(?![\w])|\+|plus(?![\w])|or[ ]+(?:under|over|older|younger|more|less|above|below)"
    r"|and[ ]+(?:under|over|older|younger|above|below|upwards?|up)"
    r"|(?:years?|yrs?)?[ ]*(?:and|or|&)[ ]+(?:under|over|older|younger|above|below|up))",
    re.IGNORECASE,
)
_AGED_NOT_BEFORE = re.compile(
    r"(?<![\w])(?:under|over|between|from|until|till|above|below|up[ ]to|by|before|after|to|minimum"
    r"|maximum|min|max|all|range|ages)[ ]+(?:the[ ]+)?$",
    re.IGNORECASE,
)
_YEAR_OLD = re.compile(
    rf"(?<![\w\-])(?P<n>{_NUM})(?:[ ]?[\-–][ ]?|[ ]+)?(?:and[ ]a[ ]half[ ]+)?{_UNIT}"
    r"(?:[ ]?[\-–][ ]?|[ ]+)?old(?![\w])",
    re.IGNORECASE,
)
_YO = re.compile(
    r"(?<![\w])(?P<n>\d{1,2})[ ]?(?:yo|y/o|y\.o\.?|yrs?[ ]old)(?![\w])"
    rf"|(?<![\w])(?P<m>{_NUM})[ ]+{_UNIT}[ ]+of[ ]+age(?![\w])",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"[ ]*[\-–]?[ ]*([A-Za-z][\w\-]*)")


def find_ages(text: str, lex: Lexicon | None = None) -> list[Candidate]:
    """Find ages of people: "aged 4", "4 year old", "a 15-year-old girl", "4yo", "(4)" is found
    by the name detector.

    Ranges and group ages stay: "aged 0-5", "aged 5 and under", "under age 5", "3 year olds",
    and "N year old" followed by a non-person noun ("a 10 year old policy").
    """
    lex = lex or lexicon()
    out = []
    for m in _AGED.finditer(text):
        if _AGED_NOT_AFTER.match(text, m.end(), min(len(text), m.end() + 30)):
            continue
        if _AGED_NOT_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue
        out.append(Candidate(m.start(), m.end(), "AGE"))
    for m in _YEAR_OLD.finditer(text):
        if _AGED_NOT_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue
        nxt = _NEXT_WORD.match(text, m.end(), min(len(text), m.end() + 40))
        if nxt is not None and fold(nxt.group(1)) in lex.age_nonperson_nouns:
            continue
        out.append(Candidate(m.start(), m.end(), "AGE"))
    out.extend(Candidate(m.start(), m.end(), "AGE") for m in _YO.finditer(text))
    return out


# --- street addresses ---------------------------------------------------------------------
_FLAT = (
    r"(?:(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt)\.?[ ]?(?:\d{1,3}/\d{1,3}|\d{1,4}[a-z]?|[a-z](?![\w]))[ ]?,?[ ]+"
    r"|\d{1,3}/\d{1,3}(?:[ ]?,[ ]?|[ ]+))?"
)
_HOUSE = r"\d{1,4}[A-Za-z]?(?:[ ]?[\-–][ ]?\d{1,4}[A-Za-z]?)?,?[ ]+"
_AMBIGUOUS_STREET = frozenset(
    {"court", "park", "view", "way", "place", "close", "bank", "hill", "gate", "green", "row",
     "walk", "path", "rise", "square", "gardens", "grove", "parade", "buildings", "mains"}
)
_NOT_BEFORE_NUMBER = re.compile(
    r"(?<![\w])(?:level|session|stage|room|week|day|year|section|part|table|group|phase|step|tier|page"
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
        rf"(?<![\w/.\-]){_FLAT}{_HOUSE}(?P<name>(?:[A-Z][A-Za-z'’\-]{{0,30}}\.?[ ]+){{1,4}})"
        rf"(?P<street>{alts})(?![\w'’\-])\.?"
    )
    low = re.compile(
        rf"(?<![\w/.\-]){_FLAT}{_HOUSE}(?P<name>(?:[a-z][a-z'’\-]{{2,20}}[ ]+){{1,2}})"
        rf"(?P<street>{lower})(?![\w'’\-])\.?"
    )
    sep = r"(?:[ ]*,[ ]*|[ ]+)"
    town = r"(?P<town>[A-Z][a-z'’\-]{1,30}(?:[ ][A-Z][a-z'’\-]{1,30})?)"
    postcode = rf"(?P<postcode>{_POSTCODE_CORE})(?![A-Za-z0-9])"
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
        if m is not None and _case_consistent(m.group("postcode")):
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
