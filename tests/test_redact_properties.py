"""Property tests of the redactor (hypothesis) and its run time on very long texts."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forumnlp.redact import PLACEHOLDER_RE, Redactor

FAST = Redactor(use_ner=False)
DATA = Path(__file__).resolve().parent / "data" / "redaction"
SETTINGS = settings(max_examples=int(os.environ.get("REDACT_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Fragments that trigger detectors, so that random texts exercise them.
FRAGMENTS = [
    "Mrs Kerr", "Jack", "jack's", "mum", "baby", "kelly-ann", "J.S.", "Child A", "aged", "4",
    "year old", "07700 900123", "0141", "496", "+44", "(0)", "EH1 1AA", "G2", "3AB", "@",
    "a.b@example.com", "www.", "https://", "/", "12", "Main", "Street", "2/1", "Flat", ",",
    ".", "dob", "02/11/2019", "born on", "Nov", "NHS", "943 476 5919", "CHI", "0211195677",
    "AB 12 34 56 C", "NI", "[PERSON_1]", "[PHONE_2]", "(", ")", "'s", "-", "\n", "Falkirk",
    "Dr", "PC", "St", "the", "and", "said", "Smith", "O'Neil", "Road", "yo", "months", "&",
]
fragment_texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=30
).map(lambda parts: " ".join(parts))
any_text = st.one_of(st.text(max_size=300), fragment_texts)


def check_spans(text: str, redactor: Redactor = FAST) -> None:
    res = redactor.redact_text(text)
    prev_end = 0
    for s in res.spans:
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= prev_end  # sorted, not overlapping
        prev_end = s.end
        assert PLACEHOLDER_RE.fullmatch(s.replacement)
    assert sum(res.counts.values()) == len(res.spans)


@SETTINGS
@given(any_text)
def test_never_raises_and_spans_are_sorted_within_bounds(text: str) -> None:
    check_spans(text)


@SETTINGS
@given(any_text)
def test_redacting_a_redacted_text_changes_nothing(text: str) -> None:
    once = Redactor(use_ner=False).redact_text(text).text
    twice = Redactor(use_ner=False).redact_text(once)
    assert twice.text == once
    assert twice.spans == []


@SETTINGS
@given(any_text, st.text(min_size=1, max_size=20))
def test_same_input_and_key_same_output(text: str, key: str) -> None:
    a = Redactor(use_ner=False, pseudonym_key=key).redact_text(text)
    b = Redactor(use_ner=False, pseudonym_key=key).redact_text(text)
    assert a == b
    assert Redactor(use_ner=False).redact_text(text) == Redactor(use_ner=False).redact_text(text)


def test_long_texts_are_idempotent_too() -> None:
    rng = random.Random(7)
    for _ in range(3):  # > 5,000 characters: re-checked in windows around placeholders
        text = " ".join(rng.choice(FRAGMENTS) for _ in range(4000))
        once = Redactor(use_ner=False).redact_text(text).text
        assert Redactor(use_ner=False).redact_text(once).text == once


# --- planted values in arbitrary safe text --------------------------------------------------
SAFE = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ,.;:!?()'\n")),
    max_size=60,
)
digit = st.integers(0, 9).map(str)


@st.composite
def phones(draw: st.DrawFn) -> str:
    n = draw(st.integers(0, 999))
    area = draw(st.sampled_from(["0141", "0131"]))
    return draw(st.sampled_from([
        f"07700 900{n:03d}", f"07700900{n:03d}", f"07700 900 {n:03d}", f"+44 7700 900{n:03d}",
        f"+447700900{n:03d}", f"{area} 496 0{n:03d}", f"({area}) 496 0{n:03d}",
        f"+44 (0){area[1:]} 496 0{n:03d}", f"{area}-496-0{n:03d}", f"{area}4960{n:03d}",
    ]))


@st.composite
def emails(draw: st.DrawFn) -> str:
    word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
    local = draw(st.lists(word, min_size=1, max_size=3)).__iter__()
    sep = draw(st.sampled_from([".", "_", "-", "+"]))
    domain = draw(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2,
                                   max_size=10), min_size=1, max_size=3))
    tld = draw(st.sampled_from(["com", "org", "net", "co.uk", "scot", "nhs.uk"]))
    return f"{sep.join(local)}@{'.'.join(domain)}.{tld}"


@st.composite
def postcodes(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(["EH", "G", "FK", "KY", "DD", "AB", "PA", "ML", "KA", "IV"]))
    district = draw(st.integers(1, 29))
    inward = draw(digit) + draw(st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")) + draw(
        st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"))
    return f"{area}{district}{draw(st.sampled_from([' ', '']))}{inward}"


@SETTINGS
@given(SAFE, st.one_of(phones(), emails(), postcodes()), SAFE)
def test_planted_contact_details_are_always_caught(left: str, value: str, right: str) -> None:
    text = f"{left} {value} {right}"
    start = len(left) + 1
    res = FAST.redact_text(text)
    covered = sum(
        max(0, min(s.end, start + len(value)) - max(s.start, start)) for s in res.spans
    )
    assert covered == len(value), (text, res.text)


# --- long texts: linear time, no catastrophic backtracking ---------------------------------
def _adversarial(kind: str, size: int) -> str:
    rng = random.Random(size)
    unit = {
        "prose": None,
        "digits": "0 ",
        "caps": "Aa ",
        "dots": "A.",
        "mixed": None,
    }[kind]
    if kind == "prose":
        words = ["the", "mum", "said", "Jack", "Smith", "was", "aged", "4", "and", "lives", "at", "12", "Main", "Street", "Falkirk", "FK1", "1AA", "call", "07700", "900123", "a.b@example.com", "NHS", "943", "476", "5919", "HV", "MAG"]
        return " ".join(rng.choice(words) for _ in range(size // 4))[:size]
    if kind == "mixed":
        return "".join(rng.choice("aA0 .@/-,'()+\n") for _ in range(size))
    assert unit is not None
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.parametrize("kind", ["prose", "digits", "caps", "dots", "mixed"])
def test_long_texts_scale_linearly(kind: str) -> None:
    timings = []
    for size in (25_000, 100_000):
        text = _adversarial(kind, size)
        best = float("inf")
        for _ in range(2):  # the best of two runs: less noise on a busy machine
            t0 = time.perf_counter()
            FAST.redact_text(text)
            best = min(best, time.perf_counter() - t0)
        timings.append(best)
    # four times the text: linear ~4x, quadratic ~16x
    assert timings[1] < max(0.5, 10 * timings[0]), timings


def _realistic(size: int) -> str:
    """Comments of the test set (with and without personal details) run together."""
    rows = []
    for name in ("pii.jsonl", "clean.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            rows += [json.loads(line)["text"] for line in fh]
    text = "\n".join(rows)
    return (text * (size // len(text) + 1))[:size]


def test_one_megabyte_in_a_few_seconds() -> None:
    text = _realistic(1_000_000)
    t0 = time.perf_counter()
    res = FAST.redact_text(text)
    assert time.perf_counter() - t0 < 30  # about 4-5 s on a 2-core machine
    assert res.counts["PHONE"] > 100 and res.counts["PERSON"] > 1000


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["digits", "caps", "dots", "mixed"])
def test_one_megabyte_adversarial(kind: str) -> None:
    t0 = time.perf_counter()
    FAST.redact_text(_adversarial(kind, 1_000_000))
    assert time.perf_counter() - t0 < 30


@pytest.mark.slow
def test_one_megabyte_with_ner() -> None:
    text = _realistic(1_000_000)
    res = Redactor(use_ner=True).redact_text(text)
    assert res.counts["PERSON"] > 1000
    assert all(a.end <= b.start for a, b in zip(res.spans, res.spans[1:], strict=False))
