"""Ingest of Excel workbooks: header below title rows, frame-named sheets, values as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from forumnlp.errors import InputError
from forumnlp.ingest import IngestWarning, read
from forumnlp.ingest.excel import find_header

HEADER = ["ID", "Comment", "Agency", "Date"]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    keep = wb.active
    keep.title = "Keep"
    keep.append(["Child protection forum – feedback"])       # row 1: title
    keep.merge_cells("A1:D1")
    keep.append(["Session 2, March 2024"])                   # row 2: second title
    keep.append([])                                          # row 3: blank
    keep.append(HEADER)                                      # row 4: header
    keep.append([1, "Joint training", "Police", dt.datetime(2024, 3, 5)])
    keep.append([2, "Weekly huddles – health and police", "Health", dt.datetime(2024, 3, 5, 14, 30)])
    keep.append([None, None, None, None])                    # blank row: skipped
    keep.append([3, "Sharing minutes", None, None])          # row 8
    stop = wb.create_sheet("Stop")
    stop.append(["Forum feedback"])
    stop.append(HEADER)
    stop.append([4.0, "Late reports", "Education", None])
    start = wb.create_sheet("Start")
    start.append(HEADER)
    start.append([5, "More supervision", "Police", None])
    good = wb.create_sheet("Good practice")
    good.append(HEADER)
    good.append([6, "Information was shared promptly", "Health", None])
    other = wb.create_sheet("Attendance")
    other.append(["Question", "Answer", "Agency"])
    other.append(["What went well?", "The venue", "Police"])
    other.append(["Any other comments", "None", True])
    hidden = wb.create_sheet("Lists")
    hidden.append(["Agency"])
    hidden.append(["Police"])
    hidden.sheet_state = "hidden"
    wb.create_sheet("Empty")
    path = tmp_path / "forum.xlsx"
    wb.save(path)
    return path


def test_workbook_records(workbook: Path) -> None:
    with pytest.warns(IngestWarning) as caught:
        df = read(workbook)
    assert [str(w.message) for w in caught] == ["forum.xlsx: hidden sheet 'Lists' skipped"]
    assert df[["location", "heading", "text"]].values.tolist() == [
        ["sheet Keep, row 5", "Keep", "Joint training"],
        ["sheet Keep, row 6", "Keep", "Weekly huddles – health and police"],
        ["sheet Keep, row 8", "Keep", "Sharing minutes"],
        ["sheet Stop, row 3", "Stop", "Late reports"],
        ["sheet Start, row 2", "Start", "More supervision"],
        ["sheet Good practice, row 2", "Good practice", "Information was shared promptly"],
        ["sheet Attendance, row 2", "What went well?", "The venue"],
        ["sheet Attendance, row 3", "Any other comments", "None"],
    ]
    assert list(df.columns) == ["record_id", "source", "location", "heading", "text",
                                "sheet", "ID", "Agency", "Date", "Question"]
    assert df["sheet"].tolist() == ["Keep"] * 3 + ["Stop", "Start", "Good practice", "Attendance", "Attendance"]
    assert df["ID"].tolist()[:4] == ["1", "2", "3", "4"]
    assert df["Date"].tolist()[:2] == ["2024-03-05", "2024-03-05 14:30:00"]
    assert df["Agency"].tolist()[-1] == "TRUE"
    assert df["record_id"].tolist() == [f"forum.xlsx:{i}" for i in range(1, 9)]
    assert not df.isna().any().any()


def test_ids_across_sheets_and_sheet_option(workbook: Path) -> None:
    df = read(workbook, id_column="ID", sheet="stop")
    assert df[["record_id", "sheet", "heading", "text"]].values.tolist() == [
        ["4", "Stop", "Stop", "Late reports"]
    ]
    with pytest.warns(IngestWarning) as caught:
        df = read(workbook, id_column="ID")
    messages = [str(w.message) for w in caught]
    assert any("sheet Attendance: no id column 'ID'" in m for m in messages)
    assert any("hidden sheet 'Lists'" in m for m in messages)
    assert df["record_id"].tolist() == ["1", "2", "3", "4", "5", "6"]


def test_unknown_sheet_lists_sheets(workbook: Path) -> None:
    with pytest.raises(InputError) as info:
        read(workbook, sheet="Nope")
    assert "forum.xlsx" in str(info.value) and "'Keep', 'Stop'" in str(info.value)


def test_text_column_missing_everywhere(workbook: Path) -> None:
    with pytest.raises(InputError, match=r"forum\.xlsx, sheet Keep: no text column 'Notes'"), \
            pytest.warns(IngestWarning):
        read(workbook, text_columns=["Notes"])


def test_several_text_columns_in_a_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Survey"
    ws.append(["Respondent", "What went well?", "Even better if"])
    ws.append(["r1", "Talks", "More time"])
    path = tmp_path / "survey.xlsx"
    wb.save(path)
    df = read(path, text_columns=["What went well?", "Even better if"], id_column="Respondent")
    assert df[["record_id", "heading", "text", "location"]].values.tolist() == [
        ["r1", "What went well?", "Talks", "sheet Survey, row 2"],
        ["r1", "Even better if", "More time", "sheet Survey, row 2"],
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["Title"], ["id", "comment", "agency"], [1, "x", "y"]], 1),
        ([["Title"], ["Sub title"], [], ["id", "comment"], [1, "x"]], 3),
        ([[None, None], ["id", "comment"], [1, "x"]], 1),
        ([["comment"], ["x"]], 0),
        ([["Event:", "Forum 3"], [], ["id", "comment", "agency", "date"], [1, "x", "y", "z"]], 2),
        ([[1, 2, 3], ["id", "comment", "agency"], [1, "x", "y"]], 1),
        ([], None),
    ],
)
def test_find_header(rows: list[list[object]], expected: int | None) -> None:
    assert find_header(rows) == expected
