"""Ingest of tabular inputs: CSV/TSV (encodings, delimiters), JSON Lines, DataFrames, folders."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import forumnlp
from forumnlp.errors import InputError
from forumnlp.ingest import IngestWarning, iter_read, read
from forumnlp.ingest.delimited import sniff_delimiter
from forumnlp.schema import RECORD_COLUMNS

SMART = "We’re “really” pleased – joint training works"


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_utf8_csv_records_and_attributes(tmp_path: Path) -> None:
    p = tmp_path / "forum.csv"
    p.write_text(
        "ID,Comment,Agency,Session\n"
        "a1,Joint training is valuable,Police,1\n"
        "a2,,Health,1\n"
        ",,,\n"
        "a3,\"Multi-line\ncomment, with comma\",Education,\n",
        encoding="utf-8",
    )
    df = read(p)
    assert list(df.columns) == [*RECORD_COLUMNS, "ID", "Agency", "Session"]
    assert df["record_id"].tolist() == ["forum.csv:1", "forum.csv:2", "forum.csv:3"]
    assert df["source"].unique().tolist() == ["forum.csv"]
    # header is row 1; the all-blank row 4 is skipped but still counted
    assert df["location"].tolist() == ["row 2", "row 3", "row 5"]
    assert df["text"].tolist() == ["Joint training is valuable", "", "Multi-line\ncomment, with comma"]
    assert df["Session"].tolist() == ["1", "1", ""]
    assert df["heading"].tolist() == ["", "", ""]
    assert not df.isna().any().any()
    assert all(pd.api.types.is_string_dtype(df[c]) for c in df.columns)


def test_top_level_read_is_ingest_read(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("comment\nhello\n", encoding="utf-8")
    assert forumnlp.read(p)["text"].tolist() == ["hello"]


def test_bom_csv(tmp_path: Path) -> None:
    p = write_bytes(tmp_path / "bom.csv", "\ufeffcomment,agency\n" .encode() + f"{SMART},Police\n".encode())
    df = read(p)
    assert "comment" not in df.columns and "agency" in df.columns  # BOM not glued to the name
    assert df["text"].tolist() == [SMART]


def test_cp1252_csv_with_smart_quotes(tmp_path: Path) -> None:
    rows = "comment;agency\n" + "".join(f"Plain ascii row {i};Police\n" for i in range(3000))
    rows += f"{SMART};Health\n"
    p = write_bytes(tmp_path / "excel_export.csv", rows.encode("cp1252"))
    assert b"\x92" in p.read_bytes() and b"\x93" in p.read_bytes()  # really cp1252 bytes
    df = read(p)
    assert df["text"].iloc[-1] == SMART  # ’ “ ” – decoded right, far beyond the first bytes
    assert df["agency"].iloc[-1] == "Health"
    assert len(df) == 3001


@pytest.mark.parametrize(
    ("sep", "name"),
    [(";", "semi.csv"), ("\t", "tabs.tsv"), ("|", "pipes.csv"), ("\t", "tabs_named.csv"), (",", "c.tsv")],
)
def test_delimiters_sniffed(tmp_path: Path, sep: str, name: str) -> None:
    p = tmp_path / name
    p.write_text(
        sep.join(["id", "response", "agency"]) + "\n"
        + sep.join(["1", "Keep, the huddles; they work", "Police"]).replace(
            "Keep, the huddles; they work", '"Keep, the huddles; they work"') + "\n"
        + sep.join(["2", "Stop it", "Health"]) + "\n",
        encoding="utf-8",
    )
    df = read(p)
    assert df["text"].tolist() == ["Keep, the huddles; they work", "Stop it"]
    assert df["agency"].tolist() == ["Police", "Health"]


def test_sniff_single_column_uses_extension_default() -> None:
    assert sniff_delimiter("comment\nhello, world\n", ",") == ","
    assert sniff_delimiter("comment\nhello\n", "\t") == "\t"


def test_auto_text_column_by_name_then_length(tmp_path: Path) -> None:
    named = tmp_path / "named.csv"
    named.write_text("Long notes here,Feedback\n" + "x" * 80 + ",short\n", encoding="utf-8")
    # "Feedback" is a text-like name; it wins over a longer column with a partial match.
    assert read(named)["text"].tolist() == ["short"]
    longest = tmp_path / "longest.csv"
    longest.write_text("agency,what happened,date\nPolice,A long description of events,2024\n",
                       encoding="utf-8")
    df = read(longest)
    assert df["text"].tolist() == ["A long description of events"]
    assert list(df.columns[5:]) == ["agency", "date"]


def test_several_text_columns_one_record_each(tmp_path: Path) -> None:
    p = tmp_path / "survey.csv"
    p.write_text(
        "Respondent,What went well?,What could we do better?,Agency\n"
        "r1,Lunch,More time,Police\n"
        "r2,Talks,,Health\n",
        encoding="utf-8",
    )
    df = read(p, text_columns=["What went well?", "What could we do better?"], id_column="Respondent")
    assert df["record_id"].tolist() == ["r1", "r1", "r2", "r2"]
    assert df["heading"].tolist() == ["What went well?", "What could we do better?"] * 2
    assert df["text"].tolist() == ["Lunch", "More time", "Talks", ""]
    assert df["location"].tolist() == ["row 2", "row 2", "row 3", "row 3"]
    assert list(df.columns[5:]) == ["Respondent", "Agency"]


def test_heading_column_auto_and_kept(tmp_path: Path) -> None:
    p = tmp_path / "long.csv"
    p.write_text("Question,Answer\nWhat went well?,Lunch\nHow could we improve?,Time\n", encoding="utf-8")
    df = read(p)
    assert df["heading"].tolist() == ["What went well?", "How could we improve?"]
    assert df["Question"].tolist() == ["What went well?", "How could we improve?"]


def test_explicit_heading_column_reserved_name_kept_with_suffix(tmp_path: Path) -> None:
    p = tmp_path / "h.csv"
    p.write_text("heading,comment,source,text\nKeep,Huddles,notes,x\n", encoding="utf-8")
    df = read(p, text_columns=["comment"], heading_column="heading")
    assert df["heading"].tolist() == ["Keep"]
    assert df["source"].tolist() == ["h.csv"]
    assert df[["heading_input", "source_input", "text_input"]].iloc[0].tolist() == ["Keep", "notes", "x"]


def test_id_column_and_fallback(tmp_path: Path) -> None:
    p = tmp_path / "ids.csv"
    p.write_text("ref,comment\n 17 ,a\n,b\n18,c\n", encoding="utf-8")
    df = read(p, id_column="REF")  # case-insensitive match
    assert df["record_id"].tolist() == ["17", "ids.csv:2", "18"]


def test_duplicate_ids_rejected_with_both_rows(tmp_path: Path) -> None:
    p = tmp_path / "dups.csv"
    p.write_text("ref,comment\n1,a\n2,b\n1,c\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read(p, id_column="ref")
    msg = str(info.value)
    assert "dups.csv" in msg and "'ref'" in msg and "'1'" in msg and "row 2" in msg and "row 4" in msg


def test_duplicate_ids_across_chunks_and_files(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text("ref,comment\n" + "".join(f"{i},t{i}\n" for i in range(50)), encoding="utf-8")
    b.write_text("ref,comment\n99,x\n7,y\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.csv row 9 and row 3"):
        list(iter_read([a, b], id_column="ref", chunksize=10))


def test_unknown_columns_list_the_columns(tmp_path: Path) -> None:
    p = tmp_path / "cols.csv"
    p.write_text("id,comment,agency\n1,a,b\n", encoding="utf-8")
    for kwargs in ({"text_columns": ["comment", "nope"]}, {"id_column": "nope"},
                   {"heading_column": "nope"}):
        with pytest.raises(InputError) as info:
            read(p, **kwargs)
        msg = str(info.value)
        assert msg.startswith("cols.csv") and "'nope'" in msg and "'id', 'comment', 'agency'" in msg
        assert "\n" not in msg


def test_streaming_chunks_match_read(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    p.write_text("id,comment,agency\n" + "".join(f"{i},comment number {i},A{i % 3}\n" for i in range(1, 1001)),
                 encoding="utf-8")
    chunks = list(iter_read(p, chunksize=128))
    assert len(chunks) == 8
    assert all(list(c.columns) == list(chunks[0].columns) for c in chunks)
    whole = read(p)
    assert pd.concat(chunks, ignore_index=True).equals(whole)
    assert whole["location"].iloc[-1] == "row 1001"
    assert whole["record_id"].iloc[-1] == "big.csv:1000"


def test_huge_cell_is_read(tmp_path: Path) -> None:
    big = "word " * 2_000_000  # 10 MB in one cell
    p = tmp_path / "huge.csv"
    p.write_text(f'id,comment\n1,"{big}"\n2,short\n', encoding="utf-8")
    df = read(p)
    assert len(df["text"].iloc[0]) == len(big)
    assert df["text"].iloc[1] == "short"


def test_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    lines = [
        {"id": 1, "comment": "Keep the huddles", "agency": "Police", "score": 2.0},
        {"id": 2, "comment": None, "agency": "Health", "tags": ["a", "b"], "ok": True},
        {},
        {"id": 3, "comment": "Stop it", "late": "new key"},
    ]
    p.write_text("\n".join(json.dumps(x) for x in lines[:2]) + "\n\n" + json.dumps(lines[3]) + "\n",
                 encoding="utf-8")
    df = read(p, id_column="id")
    assert df["record_id"].tolist() == ["1", "2", "3"]
    assert df["text"].tolist() == ["Keep the huddles", "", "Stop it"]
    assert df["location"].tolist() == ["line 1", "line 2", "line 4"]
    assert df["score"].tolist() == ["2", "", ""]
    assert df["tags"].tolist() == ["", '["a", "b"]', ""]
    assert df["ok"].tolist() == ["", "true", ""]
    assert df["late"].tolist() == ["", "", "new key"]


def test_dataframe_input() -> None:
    frame = pd.DataFrame(
        {"comment": ["Keep huddles", None, "Stop delays"], "n": [1, 2, None], "agency": ["P", "H", pd.NA]},
        index=[10, 20, 30],
    )
    df = read(frame)
    assert df["source"].unique().tolist() == ["dataframe"]
    assert df["location"].tolist() == ["row 1", "row 2", "row 3"]
    assert df["record_id"].tolist() == ["dataframe:1", "dataframe:2", "dataframe:3"]
    assert df["text"].tolist() == ["Keep huddles", "", "Stop delays"]
    assert df["n"].tolist() == ["1", "2", ""]
    assert df["agency"].tolist() == ["P", "H", ""]


def test_folder_sorted_unsupported_skipped_with_warning(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("comment\nsecond\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("first\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"comment": "third"}\n', encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "README.md").write_text("# About these files\n", encoding="utf-8")
    (tmp_path / "~$lock.docx").write_bytes(b"\x00\x01")  # Office lock file: silently ignored
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z.csv").write_text("comment\nnested\n", encoding="utf-8")
    with pytest.warns(IngestWarning) as caught:
        df = read(tmp_path)
    assert sorted(str(w.message).split(":")[0] for w in caught) == [
        str(tmp_path / "README.md"), str(tmp_path / "notes.pdf")]
    assert df["text"].tolist() == ["first", "second", "third"]
    assert df["source"].tolist() == ["a.txt", "b.csv", "c.jsonl"]


def test_files_in_given_order_and_attribute_union(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text("comment,agency\nfrom a,P\n", encoding="utf-8")
    b.write_text("comment,locality\nfrom b,North\n", encoding="utf-8")
    df = read([b, a])
    assert df["text"].tolist() == ["from b", "from a"]
    assert list(df.columns[5:]) == ["locality", "agency"]
    assert df["agency"].tolist() == ["", "P"]


def test_same_basename_in_two_folders(tmp_path: Path) -> None:
    for folder in ("north", "south"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "forum.csv").write_text(f"comment\n{folder}\n", encoding="utf-8")
    df = read([tmp_path / "north" / "forum.csv", tmp_path / "south" / "forum.csv"])
    assert df["source"].tolist() == ["north/forum.csv", "south/forum.csv"]
    assert df["record_id"].is_unique


def test_no_warning_for_clean_folder(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("comment\nx\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read(tmp_path)) == 1


def test_excel_unicode_text_export_is_read_as_a_table(tmp_path: Path) -> None:
    p = tmp_path / "export.txt"
    p.write_bytes("ID\tComment\tAgency\r\n1\tWe’re pleased\tPolice\r\n2\tStop faxes\tHealth\r\n".encode("utf-16"))
    df = read(p, id_column="ID")
    assert df[["record_id", "location", "text", "Agency"]].values.tolist() == [
        ["1", "row 2", "We’re pleased", "Police"],
        ["2", "row 3", "Stop faxes", "Health"],
    ]


def test_plain_frame_grid_txt_is_a_report_table(tmp_path: Path) -> None:
    p = tmp_path / "grid.txt"
    p.write_text("KEEP\tSTOP\nHuddles\tFaxes\nTraining\tLate minutes\n", encoding="utf-8")
    df = read(p)
    assert df[["location", "heading", "text"]].values.tolist() == [
        ["line 2, col 1", "KEEP", "Huddles"],
        ["line 2, col 2", "STOP", "Faxes"],
        ["line 3, col 1", "KEEP", "Training"],
        ["line 3, col 2", "STOP", "Late minutes"],
    ]


_CELL_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_CELL_TEXT, _CELL_TEXT), min_size=1, max_size=8),
       sep=st.sampled_from([",", ";", "\t", "|"]))
def test_csv_round_trip_property(tmp_path: Path, rows: list[tuple[str, str]], sep: str) -> None:
    frame = pd.DataFrame({"n": [f"id{i}" for i in range(len(rows))],
                          "comment": [r[0] for r in rows], "agency": [r[1] for r in rows]})
    path = tmp_path / "prop.csv"
    frame.to_csv(path, index=False, sep=sep, encoding="utf-8")
    df = read(path, id_column="n", text_columns=["comment"])
    assert df["record_id"].tolist() == frame["n"].tolist()
    assert df["text"].tolist() == frame["comment"].tolist()
    assert df["agency"].tolist() == frame["agency"].tolist()
    assert df["location"].tolist() == [f"row {i + 2}" for i in range(len(rows))]


_CP1252_TEXT = st.text(alphabet="abc XYZ,.’‘“”–—…€£é", min_size=1, max_size=30)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_CP1252_TEXT, min_size=1, max_size=5))
def test_cp1252_property(tmp_path: Path, texts: list[str]) -> None:
    frame = pd.DataFrame({"comment": texts, "n": range(len(texts))})
    path = tmp_path / "win.csv"
    frame.to_csv(path, index=False, encoding="cp1252")
    try:  # a few cp1252 byte runs are also valid UTF-8 ("é££" is e9 a3 a3, which is "飣"):
        path.read_bytes().decode("utf-8")  # such a file is read as UTF-8, as it should be
    except UnicodeDecodeError:
        pass
    else:
        assume(not any(ch in "".join(texts) for ch in "’‘“”–—…€£é"))
    assert read(path)["text"].tolist() == texts


def test_heading_column_with_several_text_columns_and_str_option(tmp_path: Path) -> None:
    p = tmp_path / "wide.csv"
    p.write_text("group,Keep,Stop\nKEEP DOING,Huddles,Faxes\n,Training,\n", encoding="utf-8")
    df = read(p, text_columns=["Keep", "Stop"], heading_column="group")
    assert df[["heading", "text", "group"]].values.tolist() == [
        ["KEEP DOING", "Huddles", "KEEP DOING"],
        ["KEEP DOING", "Faxes", "KEEP DOING"],
        ["Keep", "Training", ""],  # blank heading value: the column name
        ["Stop", "", ""],
    ]
    assert read(p, text_columns="Stop")["text"].tolist() == ["Faxes", ""]
