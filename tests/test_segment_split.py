"""The pure splitter: split_units / sentence_spans, with (input, expected units) tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumnlp.errors import InputError
from forumnlp.segment import split_units
from forumnlp.segment.sentences import WS, sentence_spans
from forumnlp.segment.split import _BULLET_RE, _trim

LONG = "We should keep the informal chats with colleagues in other agencies"  # 68 chars


def units(text: str, unit: str = "auto") -> list[str]:
    spans = split_units(text, unit)
    return [text[s:e] for s, e in spans]


SENTENCES = [
    ("Good session. Very useful.", ["Good session.", "Very useful."]),
    ("Good session. Very useful", ["Good session.", "Very useful"]),
    ("No punctuation at all", ["No punctuation at all"]),
    (
        "We discussed e.g. the MAG and i.e. the TAC. Next time more.",
        ["We discussed e.g. the MAG and i.e. the TAC.", "Next time more."],
    ),
    ("Speak to e.g. Police Scotland first.", ["Speak to e.g. Police Scotland first."]),
    (
        "Forms, plans, etc. are too long. Cut them.",
        ["Forms, plans, etc. are too long.", "Cut them."],
    ),
    (
        "We need forms, plans etc. The rest is fine.",
        ["We need forms, plans etc.", "The rest is fine."],
    ),
    ("Dr. Patel met Mr. Jones and Mrs. Brown.", ["Dr. Patel met Mr. Jones and Mrs. Brown."]),
    (
        "Ms. Green, Cllr. Black and Prof. White attended. Good.",
        ["Ms. Green, Cllr. Black and Prof. White attended.", "Good."],
    ),
    ("Ask PC. Smith or DC. Jones at St. Andrews.", ["Ask PC. Smith or DC. Jones at St. Andrews."]),
    ("It took approx. 20 minutes. Fine.", ["It took approx. 20 minutes.", "Fine."]),
    ("He said no. Then he left.", ["He said no.", "Then he left."]),
    (
        "See no. 5 and para. 4 in section 3.2 of v2.1. Then stop.",
        ["See no. 5 and para. 4 in section 3.2 of v2.1.", "Then stop."],
    ),
    ("Police vs. Social Work. Discuss.", ["Police vs. Social Work.", "Discuss."]),
    ("J. Smith and A.B. Jones spoke. Good.", ["J. Smith and A.B. Jones spoke.", "Good."]),
    ("The U.K. Government agreed.", ["The U.K. Government agreed."]),
    ("It costs 3.50 a day. Too much.", ["It costs 3.50 a day.", "Too much."]),
    (
        'He said "Stop this. Now." and left. She agreed.',
        ['He said "Stop this. Now." and left.', "She agreed."],
    ),
    ('She said "We should stop." Then she left.', ['She said "We should stop."', "Then she left."]),
    ("“We need this. Really.” she said. Fine.", ["“We need this. Really.” she said.", "Fine."]),
    ('An odd " quote. Then more.', ['An odd " quote.', "Then more."]),
    ("(See the plan.) Then act.", ["(See the plan.)", "Then act."]),
    (
        "The acronyms (MAG, IAF?) - a glossary would help",
        ["The acronyms (MAG, IAF?) - a glossary would help"],
    ),
    ("Why? - nobody knew. Fine.", ["Why? - nobody knew.", "Fine."]),
    ("We tried... but it failed. Next.", ["We tried... but it failed.", "Next."]),
    ("We tried... It failed.", ["We tried...", "It failed."]),
    ("We tried… it failed", ["We tried… it failed"]),
    ("WE NEED MORE TRAINING. STOP THE PAPERWORK", ["WE NEED MORE TRAINING.", "STOP THE PAPERWORK"]),
    ("DR. SMITH CAME. GOOD.", ["DR. SMITH CAME.", "GOOD."]),
    ("Really?! Yes!! Great", ["Really?!", "Yes!!", "Great"]),
    ("Closing cases!! really bad", ["Closing cases!! really bad"]),
    ("Great session! 😀 Loved it", ["Great session! 😀", "Loved it"]),
    ("Great session! 😀👍", ["Great session! 😀👍"]),
    ("👍", ["👍"]),
    ("good session. very useful. more please", ["good session.", "very useful.", "more please"]),
    (
        "good session e.g. chronologies. more please",
        ["good session e.g. chronologies.", "more please"],
    ),
    ("Good session.\nVery useful.", ["Good session.", "Very useful."]),
    ("  Padded sentence.   Another one.  ", ["Padded sentence.", "Another one."]),
    ("", []),
    (" \n\t ", []),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentence_unit(text: str, expected: list[str]) -> None:
    assert units(text, "sentence") == expected


LINES = [
    ("- a\n* b\n• c\n– d\n— e\n▪ f\n● g", list("abcdefg")),
    (
        "1. First\n2) Second\n(a) third\na) fourth\ni. fifth\n(iv) sixth",
        ["First", "Second", "third", "fourth", "fifth", "sixth"],
    ),
    ("- Joint visits\r\n- Chronologies\r\n", ["Joint visits", "Chronologies"]),
    ("Joint visits\u2028Chronologies", ["Joint visits", "Chronologies"]),
    ("-5 degrees outside\n-10 tomorrow", ["-5 degrees outside", "-10 tomorrow"]),
    ("1.5 hours is long", ["1.5 hours is long"]),
    ("-\nJoint visits\n•\nChronologies", ["Joint visits", "Chronologies"]),
    ("-----\nJoint visits\n*****", ["Joint visits"]),
    ("- \n•\n  1.", []),
    ("- Joint visits", ["Joint visits"]),
    ("Joint visits\nInfo sharing\nChronologies", ["Joint visits", "Info sharing", "Chronologies"]),
    ("joint visits\ninfo sharing", ["joint visits", "info sharing"]),
    ("The meeting was\nvery useful", ["The meeting was\nvery useful"]),
    ("Police,\nhealth and education", ["Police,\nhealth and education"]),
    ("multi-\nagency working", ["multi-\nagency working"]),
    (LONG + " as\nthey help a lot.", [LONG + " as\nthey help a lot."]),
    (LONG + "\nbecause they help.", [LONG + "\nbecause they help."]),
    (LONG + "\nEducation too", [LONG + "\nEducation too"]),
    (LONG + ".\nEducation too.", [LONG + ".", "Education too."]),
    (LONG + "\n\nthey help.", [LONG, "they help."]),
    (
        "- " + LONG + ", which\n  really helps\n- Stop paperwork",
        [LONG + ", which\n  really helps", "Stop paperwork"],
    ),
    (
        "Joint visits • Info sharing • Chronologies",
        ["Joint visits", "Info sharing", "Chronologies"],
    ),
    (
        "Joint visits - Info sharing - Chronologies",
        ["Joint visits", "Info sharing", "Chronologies"],
    ),
    (
        "- Joint visits - Info sharing - Chronologies",
        ["Joint visits", "Info sharing", "Chronologies"],
    ),
    (
        "We need more time - at least an hour - for training",
        ["We need more time - at least an hour - for training"],
    ),
    ("Good session - very useful", ["Good session - very useful"]),
    ("Good session. Very useful.", ["Good session. Very useful."]),
    ("  Good  ", ["Good"]),
    ("• - Joint visits\n1. (a) Chronologies", ["Joint visits", "Chronologies"]),
    ("Joint visits •  • Chronologies", ["Joint visits", "Chronologies"]),
    (
        "Joint visits\u200b - Info sharing - Chronologies",
        ["Joint visits", "Info sharing", "Chronologies"],
    ),
    ("\ufeff\u200bJoint visits\u00a0", ["Joint visits"]),
]


@pytest.mark.parametrize(("text", "expected"), LINES)
def test_auto_lines_and_items(text: str, expected: list[str]) -> None:
    assert units(text, "auto") == expected


AUTO = [
    # 2 sentences, 30 words: long prose is split
    (
        "Joint visits with the police have been really useful for all of us this year. "
        "We should keep them going and add health visitors to the rota as well.",
        2,
    ),
    # one long sentence stays whole
    (
        "Joint visits with the police have been really useful for all of us this year and we "
        "should keep them going and add health visitors to the rota as well",
        1,
    ),
    # short comments stay whole, however many sentences
    ("Good session. Very useful. Thanks. More please.", 1),
    ("Keep the joint visits. Stop the paperwork.", 1),
]


@pytest.mark.parametrize(("text", "n"), AUTO)
def test_auto_splits_only_long_prose(text: str, n: int) -> None:
    assert len(units(text, "auto")) == n
    assert len(units(text, "sentence")) >= n


def test_sentence_mode_splits_items_too() -> None:
    text = "- Keep the visits. Stop the forms.\n- Chronologies"
    assert units(text, "sentence") == ["Keep the visits.", "Stop the forms.", "Chronologies"]
    assert units(text, "auto") == ["Keep the visits. Stop the forms.", "Chronologies"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  - Joint visits\n- Chronologies  ", ["- Joint visits\n- Chronologies"]),
        ("Good session. Very useful.", ["Good session. Very useful."]),
        ("\n \t", []),
        ("•", ["•"]),
    ],
)
def test_record_unit_trims_only_whitespace(text: str, expected: list[str]) -> None:
    assert units(text, "record") == expected


def test_offsets_into_the_original_text() -> None:
    text = "  \u00a0- Joint visits  \n\n 2) Chronologies."
    spans = split_units(text, "sentence")
    assert spans == [(5, 17), (25, 38)]
    assert [text[s:e] for s, e in spans] == ["Joint visits", "Chronologies."]


def test_bad_unit() -> None:
    with pytest.raises(InputError, match="unit must be one of"):
        split_units("x", "paragraph")


def test_sentence_spans_on_a_piece() -> None:
    text = "xx Good. Fine. yy"
    assert sentence_spans(text, 3, 14) == [(3, 8), (9, 14)]


# ---- properties -------------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "- ",
        "* ",
        "• ",
        "– ",
        "1. ",
        "2) ",
        "(a) ",
        "i. ",
        "\n",
        "\r\n",
        "\n\n",
        " ",
        "  ",
        "\t",
        ". ",
        "! ",
        "?! ",
        "... ",
        "… ",
        '"',
        "“",
        "”",
        "'",
        "(",
        ")",
        ":",
        ",",
        "😀",
        "👍🏽",
        "e.g. ",
        "Dr. ",
        "J. ",
        "etc. ",
        "no. 4",
        "3.2",
        "KEEP DOING:",
        "STOP",
        " - ",
        " • ",
        "Joint visits",
        "info sharing",
        "WE NEED",
        "and ",
        "the ",
        "\u2028",
        "\u00a0",
        "\ufeff",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join),
)


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    last = 0
    for s, e in spans:
        assert isinstance(s, int) and isinstance(e, int)
        assert last <= s < e <= len(text)
        piece = text[s:e]
        assert piece[0] not in WS and piece[-1] not in WS
        last = e


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from(["auto", "sentence", "record"]))
def test_spans_are_ordered_trimmed_and_stable(text: str, unit: str) -> None:
    spans = split_units(text, unit)
    _check_spans(text, spans)
    assert split_units(text, unit) == spans
    if text.strip(WS) and unit == "record":
        assert len(spans) == 1


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_sentence_refines_auto(text: str) -> None:
    """Every sentence-mode unit lies inside one auto-mode unit; both cover the same content."""
    auto = split_units(text, "auto")
    sent = split_units(text, "sentence")
    for s, e in sent:
        assert any(a <= s and e <= b for a, b in auto)
    assert bool(auto) == bool(sent)


def _only_markers(piece: str) -> bool:
    """Whether ``piece`` is white space and bullet markers / list separators only."""
    start, end = _trim(piece, 0, len(piece))
    while start < end:
        mk = _BULLET_RE.match(piece, start, end)
        if mk is None:
            return False
        start, end = _trim(piece, mk.end(), end)
    return True


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from(["auto", "sentence"]))
def test_no_content_is_lost(text: str, unit: str) -> None:
    """What lies between units is only white space, bullet markers and list separators."""
    cur = 0
    for s, e in [*split_units(text, unit), (len(text), len(text))]:
        assert _only_markers(text[cur:s]), repr(text[cur:s])
        cur = e
