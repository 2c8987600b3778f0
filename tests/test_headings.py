"""The heading -> frame table: default phrases, questions, normalisation, user tables."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from forumnlp.errors import InputError
from forumnlp.headings import (
    HeadingTable,
    frame_for_heading,
    load_heading_table,
    normalise_heading,
)

MAPPED = [
    ("Keep doing", "keep"),
    ("Things to keep doing", "keep"),
    ("Continue", "keep"),
    ("KEEP", "keep"),
    ("THINGS TO KEEP", "keep"),
    ("KEEP DOING", "keep"),
    ("Keep doing:", "keep"),
    ("1. Keep doing", "keep"),
    ("What should we continue?", "keep"),
    ("What we should keep", "keep"),
    ("Stop", "stop"),
    ("Things to stop", "stop"),
    ("Stop doing", "stop"),
    ("STOP DOING", "stop"),
    ("What should we stop doing?", "stop"),
    ("Section 2 - Stop", "stop"),
    ("Start doing", "start"),
    ("Start", "start"),
    ("START DOING", "start"),
    ("Even better if", "start"),
    ("Even better if…", "start"),
    ("Areas for improvement", "start"),
    ("How could we improve?", "start"),
    ("What could we do better?", "start"),
    ("What will you do differently?", "start"),
    ("What will you change?", "start"),
    ("What could be improved?", "start"),
    ("What we are currently doing well (good practice)", "good_practice"),
    ("What's working well", "good_practice"),
    ("What’s working well?", "good_practice"),
    ("Strengths", "good_practice"),
    ("Good practice", "good_practice"),
    ("GOOD PRACTICE", "good_practice"),
    ("What went well?", "good_practice"),
    ("Q1: What went well?", "good_practice"),
    ("What was good?", "good_practice"),
    ("Examples of good practice from the session", "good_practice"),
]

UNMAPPED = [
    "Attendance",
    "Any other comments",
    "Key messages for the committee",
    "Session 2",
    "Comments",
    "",
    "   ",
    "What didn't go well?",
    "What did not work well?",
    "Start time",
    "Keep in touch",
    "Stop and search",
    "Training",
    "Forum notes – March 2024",
]


@pytest.mark.parametrize(("heading", "frame"), MAPPED)
def test_mapped_headings(heading: str, frame: str) -> None:
    assert frame_for_heading(heading) == frame


@pytest.mark.parametrize("heading", UNMAPPED)
def test_ordinary_headings_map_to_none(heading: str) -> None:
    assert frame_for_heading(heading) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Things to KEEP doing: ", "keep doing"),
        ("1) What’s working well?", "whats working well"),
        ("Q3. Start & stop", "start and stop"),
        ("a) Stop", "stop"),
        ("Section 2", "section 2"),
        ("Section 2: Keep", "keep"),
    ],
)
def test_normalise_heading(raw: str, expected: str) -> None:
    table = load_heading_table()
    assert normalise_heading(raw, table.prefixes) == expected


def test_default_table_is_a_mapping_of_frames() -> None:
    table = load_heading_table()
    assert isinstance(table, HeadingTable)
    assert {"keep", "stop", "start", "good_practice"} <= set(table)
    assert "keep doing" in table["keep"].phrases
    assert table.frame_for("KEEP DOING") == "keep"
    assert load_heading_table() is table  # cached


def test_user_table_adds_and_overrides(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "frames:\n"
        "  keep:\n"
        "    phrases: [Carry on with, Greens]\n"
        "  start:\n"
        "    phrases: [Continue]\n"          # moves "continue" from keep to start
        "    patterns: ['^wish list$']\n"
        "  none:\n"
        "    phrases: [Any other comments]\n"
        "unmapped: [Strengths]\n",
        encoding="utf-8",
    )
    table = load_heading_table(user)
    assert frame_for_heading("Greens", table) == "keep"
    assert frame_for_heading("Carry on with:", table) == "keep"
    assert frame_for_heading("Continue", table) == "start"
    assert frame_for_heading("Wish list", table) == "start"
    assert frame_for_heading("Any other comments", table) == "none"
    assert frame_for_heading("Strengths", table) is None
    assert frame_for_heading("Keep doing", table) == "keep"  # default still there
    assert frame_for_heading("Continue") == "keep"  # default table untouched


def test_user_table_replace(tmp_path: Path) -> None:
    user = tmp_path / "only.yaml"
    user.write_text("replace: true\nframes:\n  stop: [Red]\n", encoding="utf-8")
    table = load_heading_table(user)
    assert frame_for_heading("Red", table) == "stop"
    assert frame_for_heading("Keep doing", table) is None


def test_plain_mapping_table() -> None:
    assert frame_for_heading("Greens", {"keep": ["Greens"]}) == "keep"
    assert frame_for_heading("Reds", {"frames": {"stop": {"phrases": ["Reds"]}}}) == "stop"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("frames:\n  maybe: [x]\n", "unknown frame 'maybe'"),
        ("frames:\n  keep:\n    patterns: ['(']\n", "bad pattern"),
        ("frames: [1, 2\n", "not valid YAML"),
        ("colours: {}\n", "unknown key"),
        ("frames:\n  keep:\n    phrases: [1, 2]\n", "list of strings"),
    ],
)
def test_bad_user_tables(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_heading_table(path)
    assert needle in str(info.value)
    assert "bad.yaml" in str(info.value)


def test_missing_user_table(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothere\.yaml"):
        load_heading_table(tmp_path / "nothere.yaml")


def test_lookups_are_cheap() -> None:
    headings = [h for h, _ in MAPPED] + UNMAPPED
    frame_for_heading("warm up")
    t0 = time.perf_counter()
    for _ in range(200):
        for h in headings:
            frame_for_heading(h)
    elapsed = time.perf_counter() - t0
    assert elapsed < 0.5, f"{200 * len(headings)} cached lookups took {elapsed:.2f}s"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("What went well today?", None),
        ("What could be improved about the event?", None),
        ("How could the course be improved?", None),
        ("What did you like about the session?", None),
        ("What will you do differently as a result of today?", "start"),
        ("What will you change in your practice after the course?", "start"),
    ],
)
def test_event_evaluation_questions_do_not_decide_frames(heading: str, expected: str | None) -> None:
    """Questions about the event itself are answered with event feedback, not practice."""
    assert frame_for_heading(heading) == expected


def test_user_table_can_add_unmapped_patterns(tmp_path: Path) -> None:
    user = tmp_path / "headings.yaml"
    user.write_text("unmapped_patterns:\n  - '^keep\\b'\n", encoding="utf-8")
    table = load_heading_table(user)
    assert table.frame_for("Keep doing") is None
    assert table.frame_for("Stop doing") == "stop"
    assert frame_for_heading("Keep doing") == "keep"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("What should partners stop doing?", "stop"),
        ("What should the organisation keep doing?", "keep"),
        ("What would you like us to keep doing?", "keep"),
        ("Key strengths", "good_practice"),
        ("Things we want to change", "start"),
    ],
)
def test_headings_naming_other_subjects(heading: str, expected: str) -> None:
    assert frame_for_heading(heading) == expected
