"""Pattern detectors for structured personal details: e-mail, URL, phone, postcode, NHS, CHI
and National Insurance numbers (dates and ages: :mod:`.dates`; addresses: :mod:`.address`).

Every regular expression has bounded repetition and a boundary look-behind, so that each start
position is tried in constant time: run time stays linear in the text length (no catastrophic
backtracking on long or adversarial input).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import NamedTuple

from forumnlp.redact.lexicon import Lexicon, lexicon


class Candidate(NamedTuple):
    """A detected detail before overlaps are resolved: ``text[start:end]`` has type ``type``."""

    start: int
    end: int
    type: str


# --- e-mail and URL -----------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\]\w.%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![\[\w\-])"
)
_URL = re.compile(
    r"(?<![\]\w@/.\-])(?:(?:https?|ftp)://|www\.)[^\s<>\"'\[\]{}|\\^`]{1,2048}"
    r"|(?<![\]\w@/.\-])(?:[a-z0-9\-]{1,63}\.){1,4}(?:com|org|net|uk|scot|io|me|ly|tv|info|co)"
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
    r"(?<![\]\w+/])(?P<prefix>(?:\+|00)[ ]?44[ ]?(?:\([ ]?0[ ]?\)[ ]?)?|\(0|0)"
    r"\d{1,10}\)?(?:(?:[ ]{1,2}|[ ]?[\-.][ ]?)\(?\d{2,7}\)?){0,4}(?![\[\w/])"
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
POSTCODE_CORE = (
    r"(?:GIR[ ]?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]{0,2}\d[ABD-HJLNP-UW-Z]{2})"
)
_POSTCODE = re.compile(rf"(?<![\]A-Za-z0-9])(?:{POSTCODE_CORE})(?![\[A-Za-z0-9])", re.IGNORECASE)


def case_consistent(s: str) -> bool:
    """True when the letters of ``s`` are all upper case or all lower case."""
    return s.isupper() or s.islower()


def find_postcodes(text: str) -> list[Candidate]:
    """Find full UK postcodes ("EH1 1AA", "G2 3AB", "eh11aa"); outward codes alone are kept."""
    return [
        Candidate(m.start(), m.end(), "POSTCODE")
        for m in _POSTCODE.finditer(text)
        if case_consistent(m.group())
    ]


# --- NHS, CHI and National Insurance numbers ----------------------------------------------
_TEN_DIGITS = re.compile(
    r"(?<![\]\w+/.\-])(?:\d[ \-]?){9}\d(?![\[\w/]|[ \-]\d|\.\d)"
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
    return re.compile(rf"(?<![\]\w])(?:{alts})(?![\[\w])", re.IGNORECASE)


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
        if len(set(digits)) == 1:
            continue  # "0000000000" passes the check but is no one's number
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
    r"(?<![\]A-Za-z0-9])([A-Za-z]{2})[ ]?(\d{2})[ ]?(\d{2})[ ]?(\d{2})(?:[ ]?([A-Da-d]))?"
    r"(?![\[A-Za-z0-9])"
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
        if not nino_prefix_ok(m.group(1)) or not case_consistent(whole):
            continue
        if m.group(5) is None and not _cued(text, m.start(), lex.ni_cues):
            continue
        out.append(Candidate(m.start(), m.end(), "NI_NUMBER"))
    return out
