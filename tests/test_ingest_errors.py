"""Bad input gives one-line InputError messages that name the file and what is wrong."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from forumnlp.errors import InputError
from forumnlp.ingest import _files, iter_read, read


def _error(inputs: object, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        read(inputs, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message, message
    return message


def _valid_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["comment"])
    wb.active.append(["x"])
    wb.save(path)
    return path


def test_missing_file(tmp_path: Path) -> None:
    msg = _error(tmp_path / "nothere.csv")
    assert "nothere.csv" in msg and "not found" in msg


def test_folder_without_readable_files(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.warns(UserWarning):
        msg = _error(tmp_path)
    assert str(tmp_path) in msg and "no readable files" in msg


@pytest.mark.parametrize(
    ("name", "needle"),
    [("notes.pdf", "export the PDF"), ("notes.doc", "save it as .docx"), ("book.xls", "save it as .xlsx"),
     ("notes.html", "not supported"), ("README", "no file extension")],
)
def test_unknown_format_named_explicitly(tmp_path: Path, name: str, needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"something")
    msg = _error(path)
    assert name in msg and needle in msg


@pytest.mark.parametrize("name", ["empty.csv", "empty.txt", "empty.jsonl", "empty.xlsx", "empty.docx", "empty.md"])
def test_zero_byte_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    msg = _error(path)
    assert name in msg and "empty (0 bytes)" in msg


def test_header_only_and_blank_only_csv(tmp_path: Path) -> None:
    header = tmp_path / "header.csv"
    header.write_text("id,comment\n", encoding="utf-8")
    assert "header.csv: no data rows below the header" in _error(header)
    blanks = tmp_path / "blanks.csv"
    blanks.write_text("id,comment\n,\n , \n".replace(" ", ""), encoding="utf-8")
    assert "blanks.csv: only blank rows" in _error(blanks)
    spaces = tmp_path / "spaces.txt"
    spaces.write_text("\n   \n\n", encoding="utf-8")
    assert "spaces.txt: no text found" in _error(spaces)


def test_binary_content(tmp_path: Path) -> None:
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"comment\nabc\x00def\n")
    assert "nul.csv: binary content" in _error(nul)
    zipped = tmp_path / "renamed.csv"
    zipped.write_bytes(_valid_xlsx(tmp_path / "real.xlsx").read_bytes())
    msg = _error(zipped)
    assert "renamed.csv" in msg and "zip file" in msg


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "garbled.csv"
    path.write_bytes(b"comment\n" + bytes(range(0x80, 0x100)) * 50)
    msg = _error(path)
    assert "garbled.csv: cannot decode the text" in msg


def test_malformed_csv_row(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("id,comment\n1,ok\n2,too,many,fields\n", encoding="utf-8")
    msg = _error(path)
    assert "ragged.csv" in msg and "line 3" in msg


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_corrupt_office_files(tmp_path: Path, suffix: str) -> None:
    junk = tmp_path / f"junk{suffix}"
    junk.write_bytes(b"this is not a zip file at all" * 10)
    msg = _error(junk)
    assert f"junk{suffix}: not a valid {suffix} file" in msg
    truncated = tmp_path / f"truncated{suffix}"
    truncated.write_bytes(_valid_xlsx(tmp_path / "ok.xlsx").read_bytes()[:300])
    assert f"truncated{suffix}: not a valid {suffix} file" in _error(truncated)
    wrong = tmp_path / f"wrongzip{suffix}"
    with zipfile.ZipFile(wrong, "w") as zf:
        zf.writestr("hello.txt", "a zip, but not an Office document")
    assert f"wrongzip{suffix}: not a valid {suffix} file" in _error(wrong)
    old = tmp_path / f"old{suffix}"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert f"old{suffix}: this is an old" in _error(old)


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_zip_bomb_ratio(tmp_path: Path, suffix: str) -> None:
    bomb = tmp_path / f"bomb{suffix}"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\x00" * (12 * 1024 * 1024))
    msg = _error(bomb)
    assert f"bomb{suffix}: looks like a zip bomb" in msg


def test_zip_total_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _valid_xlsx(tmp_path / "big.xlsx")
    assert len(read(path)) == 1
    monkeypatch.setattr(_files, "MAX_ZIP_TOTAL", 1000)
    msg = _error(path)
    assert "big.xlsx: looks like a zip bomb or is too large" in msg


def test_empty_workbook_and_document(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["comment"])
    path = tmp_path / "headeronly.xlsx"
    wb.save(path)
    assert "headeronly.xlsx: no data rows in any sheet" in _error(path)
    doc = docx.Document()
    doc.add_paragraph("")
    dpath = tmp_path / "blank.docx"
    doc.save(str(dpath))
    assert "blank.docx: no text found" in _error(dpath)


def test_bad_jsonl_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"comment": "ok"}\n\n{"comment": oops}\n', encoding="utf-8")
    assert "bad.jsonl: line 3 is not valid JSON" in _error(path)
    arr = tmp_path / "arr.jsonl"
    arr.write_text('{"comment": "ok"}\n[1, 2]\n', encoding="utf-8")
    assert "arr.jsonl: line 2 is a JSON list" in _error(arr)


def test_bad_usage() -> None:
    assert "no inputs" in _error([])
    assert "DataFrame has no rows" in _error(pd.DataFrame({"comment": []}))
    assert "cannot read an input of type int" in _error([3])
    with pytest.raises(InputError, match="chunksize"):
        next(iter_read(pd.DataFrame({"c": ["x"]}), chunksize=0))


def test_same_file_twice(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("comment\nx\n", encoding="utf-8")
    assert "twice.csv: the same file is given twice" in _error([path, path])
