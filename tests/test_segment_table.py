"""segment / iter_segment: the units table, ids, frames from headings, streaming."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumnlp.errors import InputError
from forumnlp.headings import frame_for_heading
from forumnlp.schema import UNIT_COLUMNS
from forumnlp.segment import iter_segment, segment


def records(texts: list[str], headings: list[str] | None = None, **attrs: list) -> pd.DataFrame:
    """A records table built by hand, as ``forumnlp.read`` returns it."""
    n = len(texts)
    data = {
        "record_id": attrs.pop("record_id", [f"f.csv:{i + 1}" for i in range(n)]),
        "source": ["f.csv"] * n,
        "location": [f"row {i + 2}" for i in range(n)],
        "heading": headings if headings is not None else [""] * n,
        "text": texts,
    }
    data.update(attrs)
    return pd.DataFrame(data)


def test_columns_order_and_dtypes() -> None:
    units = segment(records(["Good. Fine."], event=["Falkirk"], session=[3]))
    assert list(units.columns) == [*UNIT_COLUMNS, "event", "session"]
    assert units["start"].dtype == np.int64 and units["end"].dtype == np.int64
    assert units["is_empty"].dtype == bool
    assert units["frame_score"].dtype == np.float64
    row = units.iloc[0]
    assert (row["record_id"], row["unit_id"], row["source"], row["location"]) == (
        "f.csv:1",
        "f.csv:1#1",
        "f.csv",
        "row 2",
    )
    assert (row["event"], row["session"]) == ("Falkirk", 3)


def test_units_of_a_list_record() -> None:
    text = "- Joint visits\n- Info sharing\n\n3) Chronologies."
    units = segment(records([text, "Next"]))
    assert units["text"].tolist() == ["Joint visits", "Info sharing", "Chronologies.", "Next"]
    assert units["unit_id"].tolist() == ["f.csv:1#1", "f.csv:1#2", "f.csv:1#3", "f.csv:2#1"]
    for _, u in units.iterrows():
        source_text = text if u["record_id"] == "f.csv:1" else "Next"
        assert source_text[u["start"] : u["end"]] == u["text"]


@pytest.mark.parametrize("blank", ["", "   ", "\n\n", "-", float("nan"), None])
def test_blank_record_gives_one_empty_unit(blank: object) -> None:
    units = segment(records(["Before", blank, "After"], event=["a", "b", "c"]))  # type: ignore[list-item]
    assert units["text"].tolist() == ["Before", "", "After"]
    empty = units.iloc[1]
    assert (empty["start"], empty["end"], bool(empty["is_empty"])) == (0, 0, True)
    assert empty["unit_id"] == "f.csv:2#1" and empty["event"] == "b"
    assert units["is_empty"].tolist() == [False, True, False]


def test_shared_record_id_counts_on_and_ids_stay_unique() -> None:
    # two text columns of one row share the id; a repeated id later still gets fresh ordinals
    recs = records(
        ["- a\n- b", "", "One. Two.", "e", "f"],
        record_id=["r1", "r1", "r1", "r2", "r1"],
    )
    units = segment(recs, unit="sentence")
    assert units["unit_id"].tolist() == ["r1#1", "r1#2", "r1#3", "r1#4", "r1#5", "r2#1", "r1#6"]
    assert units["unit_id"].is_unique


def test_record_ids_become_strings() -> None:
    units = segment(records(["a", "b"], record_id=[10, 11]))
    assert units["record_id"].tolist() == ["10", "11"]
    assert units["unit_id"].tolist() == ["10#1", "11#1"]


def test_unit_record_keeps_one_row_per_record() -> None:
    texts = ["- a\n- b", "", "  One. Two. Three.  "]
    units = segment(records(texts), unit="record")
    assert units["text"].tolist() == ["- a\n- b", "", "One. Two. Three."]
    assert units["start"].tolist() == [0, 0, 2]


def test_missing_optional_columns_read_as_empty() -> None:
    units = segment(pd.DataFrame({"record_id": ["x"], "text": ["Hi"]}))
    assert units[["source", "location", "heading"]].iloc[0].tolist() == ["", "", ""]


@pytest.mark.parametrize("missing", ["record_id", "text"])
def test_missing_required_column(missing: str) -> None:
    recs = records(["a"]).drop(columns=[missing])
    with pytest.raises(InputError, match=missing):
        segment(recs)


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="unit"):
        segment(records(["a"]), unit="paragraph")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unit"):
        iter_segment([records(["a"])], unit="words")  # type: ignore[arg-type]  # raised at once
    with pytest.raises(InputError, match="DataFrame"):
        segment(["a", "b"])  # type: ignore[arg-type]


def test_empty_table() -> None:
    units = segment(records([], event=[]))
    assert len(units) == 0
    assert list(units.columns) == [*UNIT_COLUMNS, "event"]


# ---- frames from structure ----------------------------------------------------------------


def test_frame_from_record_heading() -> None:
    assert frame_for_heading("KEEP DOING") == "keep"  # the shipped table
    units = segment(records(["- a\n- b", "c", "d"], ["KEEP DOING", "Comments", ""]))
    assert units["frame"].tolist() == ["keep", "keep", "", ""]
    assert units["frame_source"].tolist() == ["structure", "structure", "", ""]
    scores = units["frame_score"].tolist()
    assert scores[:2] == [1.0, 1.0] and all(math.isnan(s) for s in scores[2:])


def test_frame_applies_to_a_blank_record_under_a_frame_heading() -> None:
    units = segment(records([""], ["What went well?"]))
    assert (units["frame"].iloc[0], bool(units["is_empty"].iloc[0])) == ("good_practice", True)


def test_heading_table_mapping_and_path(tmp_path) -> None:
    recs = records(["a"], ["Carry on regardless"])
    assert segment(recs)["frame"].tolist() == [""]
    table = {"frames": {"keep": {"phrases": ["carry on regardless"]}}}
    assert segment(recs, heading_table=table)["frame"].tolist() == ["keep"]
    path = tmp_path / "headings.yaml"
    path.write_text("frames:\n  stop:\n    phrases: [carry on regardless]\n", encoding="utf-8")
    assert segment(recs, heading_table=path)["frame"].tolist() == ["stop"]
    assert segment(recs, heading_table=str(path))["frame"].tolist() == ["stop"]


INLINE_HEADINGS = [
    (
        "KEEP DOING:\n- joint visits\nSTOP DOING:\n- paperwork\n- forms",
        [
            ("joint visits", "KEEP DOING", "keep"),
            ("paperwork", "STOP DOING", "stop"),
            ("forms", "STOP DOING", "stop"),
        ],
    ),
    (
        "- before\nStop doing:\n- paperwork",
        [("before", "Comments", ""), ("paperwork", "Stop doing", "stop")],
    ),
    ("What went well?\n- joint visits", [("joint visits", "What went well?", "good_practice")]),
    ("Keep doing\n- a\n- b", [("a", "Keep doing", "keep"), ("b", "Keep doing", "keep")]),
    ("KEEP DOING\nJoint visits", [("Joint visits", "KEEP DOING", "keep")]),
    # not headings: items that merely start with a frame word, capitals throughout
    (
        "- Keep doing joint visits\n- Stop paperwork",
        [("Keep doing joint visits", "Comments", ""), ("Stop paperwork", "Comments", "")],
    ),
    (
        "KEEP DOING VISITS\nMORE TRAINING",
        [("KEEP DOING VISITS", "Comments", ""), ("MORE TRAINING", "Comments", "")],
    ),
    # a heading with nothing after it stays a unit
    (
        "- joint visits\nSTOP DOING:",
        [("joint visits", "Comments", ""), ("STOP DOING:", "Comments", "")],
    ),
    # an ordinary lead-in line is not a heading
    ("Ideas:\n- a", [("Ideas:", "Comments", ""), ("a", "Comments", "")]),
]


@pytest.mark.parametrize(("text", "expected"), INLINE_HEADINGS)
def test_heading_lines_inside_the_text(text: str, expected: list[tuple[str, str, str]]) -> None:
    units = segment(records([text], ["Comments"]))
    got = list(zip(units["text"], units["heading"], units["frame"], strict=True))
    assert got == expected
    assert units["unit_id"].tolist() == [f"f.csv:1#{k}" for k in range(1, len(expected) + 1)]
    for _, u in units.iterrows():
        assert text[u["start"] : u["end"]] == u["text"]
        assert u["frame_source"] == ("structure" if u["frame"] else "")


def test_heading_lines_are_units_with_unit_record() -> None:
    text = "KEEP DOING:\n- joint visits"
    units = segment(records([text], ["Comments"]), unit="record")
    assert units["text"].tolist() == [text] and units["frame"].tolist() == [""]


# ---- streaming ------------------------------------------------------------------------------


def test_iter_segment_equals_segment() -> None:
    recs = records(
        ["- a\n- b", "c", "", "d. E.", "f"],
        record_id=["r1", "r1", "r2", "r3", "r3"],
        event=list("vwxyz"),
    )
    whole = segment(recs, unit="sentence")
    chunks = [recs.iloc[:1], recs.iloc[1:1], recs.iloc[1:4], recs.iloc[4:]]
    parts = list(iter_segment(chunks, unit="sentence"))
    assert len(parts) == 4 and len(parts[1]) == 0
    pd.testing.assert_frame_equal(pd.concat(parts), whole)


# ---- properties -----------------------------------------------------------------------------

TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.sampled_from(
            ["- ", "• ", "1. ", "\n", "\r\n", "\n\n", " ", ". ", "! ", "... ", '"', "😀", "e.g. ",
             "Dr. ", "KEEP DOING:", "STOP DOING", "What went well?", " - ", "Joint visits",
             "info sharing", "Keep doing\n", "STOP DOING:\n", "\u2028", ""]
        ),
        max_size=25,
    ).map("".join),
)  # fmt: skip
TABLES = st.lists(
    st.tuples(TEXT, st.integers(0, 3), st.sampled_from(["", "KEEP DOING", "Comments", "Stop"])),
    max_size=15,
)


def _table(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    # ids: a new id, or the previous id again (text columns of one row), or an earlier one
    ids: list[str] = []
    for i, (_, how, _) in enumerate(rows):
        if how == 1 and ids:
            ids.append(ids[-1])
        elif how == 2 and ids:
            ids.append(ids[0])
        else:
            ids.append(f"s:{i}")
    recs = records([r[0] for r in rows], [r[2] for r in rows], record_id=ids)
    recs["pos"] = range(len(rows))
    return recs


@settings(max_examples=150, deadline=None)
@given(TABLES, st.sampled_from(["auto", "sentence", "record"]))
def test_segment_properties(rows: list[tuple[str, int, str]], unit: str) -> None:
    recs = _table(rows)
    units = segment(recs, unit=unit)  # type: ignore[arg-type]
    texts = recs["text"].tolist()
    # every record reaches the output, in order
    assert units["pos"].tolist() == sorted(units["pos"].tolist())
    assert units["pos"].nunique() == len(recs)
    # offsets map back exactly, spans ordered and disjoint within a record
    last: dict[int, int] = {}
    for pos, start, end, text, empty in zip(
        units["pos"], units["start"], units["end"], units["text"], units["is_empty"], strict=True
    ):
        assert texts[pos][start:end] == text
        assert bool(empty) == (text == "")
        if not empty:
            assert start >= last.get(pos, 0)
            last[pos] = end
    # ids unique and stable
    assert units["unit_id"].is_unique
    again = segment(recs, unit=unit)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(units, again)
    if unit == "record":
        assert len(units) == len(recs)


@settings(max_examples=100, deadline=None)
@given(TABLES, st.lists(st.integers(0, 15), max_size=5), st.sampled_from(["auto", "sentence"]))
def test_iter_segment_over_any_chunking(
    rows: list[tuple[str, int, str]], cuts: list[int], unit: str
) -> None:
    recs = _table(rows)
    bounds = [0, *sorted(min(c, len(recs)) for c in cuts), len(recs)]
    chunks = [recs.iloc[a:b] for a, b in itertools.pairwise(bounds)]
    streamed = list(iter_segment(chunks, unit=unit))  # type: ignore[arg-type]
    assert len(streamed) == len(chunks)
    pd.testing.assert_frame_equal(pd.concat(streamed), segment(recs, unit=unit))  # type: ignore[arg-type]
