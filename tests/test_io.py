"""Table I/O: formats by extension, atomic writes, formula neutralisation, streamed output."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forumnlp.cli._common import write_stream
from forumnlp.errors import InputError
from forumnlp.io import neutralise_cell, read_table, write_table


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+44 7700", "'+44 7700"),
        ("-5 degrees", "'-5 degrees"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain text", "plain text"),
        (3, 3),
    ],
)
def test_neutralise_cell(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize("ext", [".csv", ".tsv", ".xlsx", ".parquet", ".jsonl"])
def test_round_trip(tmp_path: Path, ext: str) -> None:
    df = pd.DataFrame({"text": ["Keep the MAGs", "More joint visits"], "agency": ["HV", "SW"]})
    out = write_table(df, tmp_path / f"t{ext}")
    back = read_table(out)
    assert back["text"].tolist() == df["text"].tolist()
    assert back["agency"].tolist() == df["agency"].tolist()


def test_formula_cells_are_text_in_csv_and_xlsx(tmp_path: Path) -> None:
    df = pd.DataFrame({"text": ["=1+1", "fine"]})
    write_table(df, tmp_path / "a.csv")
    write_table(df, tmp_path / "a.xlsx")
    assert read_table(tmp_path / "a.csv")["text"].tolist() == ["'=1+1", "fine"]
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "a.xlsx").active
    assert ws["A2"].value == "'=1+1"
    assert ws["A2"].data_type == "s"


def test_unknown_format_and_missing_folder(tmp_path: Path) -> None:
    df = pd.DataFrame({"a": [1]})
    with pytest.raises(InputError, match="unknown output format"):
        write_table(df, tmp_path / "x.pdf")
    with pytest.raises(InputError, match="does not exist"):
        write_table(df, tmp_path / "nope" / "x.csv")


def test_failed_stream_leaves_no_file(tmp_path: Path) -> None:
    def chunks():
        yield pd.DataFrame({"a": ["1"]})
        raise RuntimeError("boom")

    out = tmp_path / "out.csv"
    with pytest.raises(RuntimeError):
        write_stream(chunks(), out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_stream_with_changing_columns_keeps_values_under_their_headers(tmp_path: Path) -> None:
    chunks = [
        pd.DataFrame({"text": ["a"], "x": ["1"]}),
        pd.DataFrame({"text": ["b"]}),
        pd.DataFrame({"text": ["c"], "y": ["3"], "x": ["2"]}),
    ]
    out = tmp_path / "out.csv"
    assert write_stream(iter(chunks), out) == 3
    back = read_table(out)
    assert list(back.columns) == ["text", "x", "y"]
    assert back.to_dict(orient="records") == [
        {"text": "a", "x": "1", "y": ""},
        {"text": "b", "x": "", "y": ""},
        {"text": "c", "x": "2", "y": "3"},
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_output_never_overwrites_input(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("text\nhello\n", encoding="utf-8")
    with pytest.raises(InputError, match="overwrite an input"):
        write_stream(iter([pd.DataFrame({"text": ["x"]})]), src, inputs=[src])
    assert src.read_text(encoding="utf-8") == "text\nhello\n"
