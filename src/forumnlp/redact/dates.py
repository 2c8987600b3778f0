"""Dates of birth and ages of people."""

from __future__ import annotations

import functools
import re

from forumnlp.redact.lexicon import Lexicon, fold, lexicon
from forumnlp.redact.patterns import Candidate

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
    r"(?<![\]\w])born(?:[ ]+(?:in|during))?[ ]+(?P<date>(?:19|20)\d{2})(?!\d)", re.IGNORECASE
)


@functools.cache
def _dob_regex(cues: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(
        re.escape(c).replace(r"\ ", r"\s+") for c in sorted(cues, key=len, reverse=True)
    )
    return re.compile(
        rf"(?<![\]\w])(?:{alts})(?![\[\w])[ \t]{{0,3}}[:=\-–(]?[ \t]{{0,3}}"
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
    rf"(?<![\]\w])(?:aged|age[: ]+of|age:?)[ ]+(?P<n>{_NUM})(?![\[\w])"
    rf"(?:(?:[ ]*,[ ]*|[ ]+and[ ]+|[ ]*&[ ]*){_NUM}(?![\[\w])(?![\[ ]*(?:-|–|to\b))){{0,4}}"
    rf"(?:[ ]*{_UNIT}(?![\[\w]))?(?:[ ]+old(?![\[\w]))?",
    re.IGNORECASE,
)
_AGED_NOT_AFTER = re.compile(
    r"[ ]*(?:-|–|—|to(?![\[\w])|\+|plus(?![\[\w])|or[ ]+(?:under|over|older|younger|more|less|above|below)"
    r"|and[ ]+(?:under|over|older|younger|above|below|upwards?|up)"
    r"|(?:years?|yrs?)?[ ]*(?:and|or|&)[ ]+(?:under|over|older|younger|above|below|up))",
    re.IGNORECASE,
)
_AGED_NOT_BEFORE = re.compile(
    r"(?<![\]\w])(?:under|over|between|from|until|till|above|below|up[ ]to|by|before|after|to|minimum"
    r"|maximum|min|max|all|range|ages)[ ]+(?:the[ ]+)?$",
    re.IGNORECASE,
)
_YEAR_OLD = re.compile(
    rf"(?<![\]\w\-])(?P<n>{_NUM})(?:[ ]?[\-–][ ]?|[ ]+)?(?:and[ ]a[ ]half[ ]+)?{_UNIT}"
    r"(?:[ ]?[\-–][ ]?|[ ]+)?old(?![\[\w])",
    re.IGNORECASE,
)
_YO = re.compile(
    r"(?<![\]\w])(?P<n>\d{1,2})[ ]?(?:yo|y/o|y\.o\.?|yrs?[ ]old)(?![\[\w])"
    rf"|(?<![\]\w])(?P<m>{_NUM})[ ]+{_UNIT}[ ]+of[ ]+age(?![\[\w])",
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
