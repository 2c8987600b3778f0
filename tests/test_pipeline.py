"""The streamed flow: bounded state across chunks, redaction numbering in order."""

from __future__ import annotations

import pandas as pd

from forumnlp.pipeline import TagSettings, prepare_units, tag_stream
from forumnlp.segment import iter_segment, segment


def _records(n: int) -> pd.DataFrame:
    rows = []
    for i in range(n):
        rid = f"f.csv:{i // 2 + 1}"  # two text columns of one row share an id, adjacent
        rows.append({"record_id": rid, "source": "f.csv", "location": f"row {i}", "heading": "",
                     "text": f"- Keep the MAG {i}\n- Stop the duplication {i}"})
    return pd.DataFrame(rows)


def test_bounded_counters_give_the_same_units_as_one_call() -> None:
    records = _records(41)
    chunks = [records.iloc[a : a + 7] for a in range(0, len(records), 7)]
    streamed = pd.concat(iter_segment(chunks, ids_adjacent=True), ignore_index=True)
    whole = segment(records)
    pd.testing.assert_frame_equal(streamed.reset_index(drop=True), whole.reset_index(drop=True))
    assert streamed["unit_id"].is_unique


def test_redaction_numbering_runs_across_chunks_in_order() -> None:
    records = pd.DataFrame({
        "record_id": ["a:1", "a:2", "a:3"], "source": "a", "location": "", "heading": "",
        "text": ["Mrs Kerr phoned", "Jack's mum called", "Mrs Kerr again, and Jack"],
    })
    chunks = [records.iloc[:1], records.iloc[1:2], records.iloc[2:]]
    units = pd.concat(prepare_units(chunks, unit="record"), ignore_index=True)
    assert units["text"].tolist() == ["[PERSON_1] phoned", "[PERSON_2]'s mum called", "[PERSON_1] again, and [PERSON_2]"]
    seg = iter_segment(chunks, unit="record")
    tagged = pd.concat(tag_stream(seg, TagSettings(model=None), redact=True), ignore_index=True)
    assert tagged["text"].tolist() == units["text"].tolist()


def test_auto_jobs_and_pieces_give_the_same_output_as_one_process(monkeypatch) -> None:
    import forumnlp.pipeline as pl

    monkeypatch.setattr(pl, "PIECE", 7)  # several pieces per chunk, several tasks in flight
    records = _records(60)
    chunks = [records.iloc[a : a + 20] for a in range(0, len(records), 20)]
    one = pd.concat(tag_stream(iter_segment(chunks), TagSettings(), jobs=1, redact=True), ignore_index=True)
    auto = pd.concat(tag_stream(iter_segment(chunks), TagSettings(), jobs=0, redact=True), ignore_index=True)
    pd.testing.assert_frame_equal(one, auto)
    whole = pd.concat(tag_stream(iter_segment([records]), TagSettings(), jobs=1, redact=True), ignore_index=True)
    pd.testing.assert_frame_equal(one, whole)
    assert len(one) == 120 and set(one["frame_source"]) <= {"structure", "rules", "model"}
