"""The synthetic comment generator used by the benchmarks (benchmarks/synth.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

from forumnlp.ingest import read  # noqa: E402
from forumnlp.segment import segment  # noqa: E402

PERSONAL = re.compile(r"07700 900\d{3}|@example\.org|FK\d+ \d[A-Z]{2}|aged \d+|\bDr [A-Z]|"
                      r"\bMrs [A-Z]|was brilliant at the core group")


@pytest.fixture(scope="module")
def comments() -> pd.DataFrame:
    return synth.make_comments(5000, seed=3)


def test_same_seed_same_rows_in_any_chunking(comments: pd.DataFrame) -> None:
    again = pd.concat(synth.iter_comments(5000, seed=3, chunksize=777), ignore_index=True)
    pd.testing.assert_frame_equal(comments, again)
    other = synth.make_comments(200, seed=4)
    assert not other["comment"].equals(comments["comment"].head(200))


def test_columns_and_attributes(comments: pd.DataFrame) -> None:
    assert list(comments.columns) == list(synth.COLUMNS)
    assert comments["id"].is_unique
    assert set(comments["agency"]) == set(synth.AGENCIES)
    assert set(comments["locality"]) == set(synth.LOCALITIES)
    assert comments["session"].nunique() == len(synth.EVENTS) * len(synth.TIMES)
    with_q = synth.make_comments(300, seed=3, question=True)
    assert list(with_q.columns) == ["id", "session", "agency", "locality", "question", "comment"]
    assert set(with_q["question"]) <= set(synth.QUESTIONS.values())


def test_realistic_length_and_shape(comments: pd.DataFrame) -> None:
    words = comments["comment"].str.split().str.len()
    assert words.quantile(0.05) >= 5 and words.quantile(0.95) <= 40
    assert 10 <= words.median() <= 20
    text = comments["comment"]
    lists = text.str.contains("\n") | text.str.contains(r"\b1\) ")
    assert 0.03 < lists.mean() < 0.12
    personal = text.str.contains(PERSONAL)
    assert 0.01 < personal.mean() < 0.06
    # varied: most comments are distinct, and no comment is empty
    assert text.nunique() / len(text) > 0.9
    assert (text.str.strip() != "").all()


def test_multi_sentence_comments_give_several_units(comments: pd.DataFrame) -> None:
    records = read(comments, text_columns=["comment"], id_column="id")
    units = segment(records, unit="sentence")
    per_record = units.groupby("record_id").size()
    assert 1.3 < len(units) / len(records) < 2.2
    assert (per_record >= 2).mean() > 0.3
    # within one tagging chunk, most unit texts are distinct (no flattering caches)
    assert units["text"].nunique() / len(units) > 0.75


def test_csv_written_in_chunks_reads_back(tmp_path: Path) -> None:
    path = synth.write_comments(tmp_path / "c.csv", 1234, seed=5)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(back, synth.make_comments(1234, seed=5).astype(str))
    assert synth.write_comments(tmp_path / "empty.csv", 0).read_text() == (
        ",".join(synth.COLUMNS) + "\n")


def test_command_line(tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "50", "-o", str(out),
                    "--seed", "2"], check=True)
    assert len(pd.read_csv(out)) == 50
