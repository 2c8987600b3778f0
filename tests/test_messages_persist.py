"""Key messages: save / load / transform, the static model files, and the CLI command."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from forumnlp.cli import run
from forumnlp.errors import ModelError
from forumnlp.messages import KeyMessages, key_messages
from forumnlp.messages.embed import static_model_path

PLANTED = Path(__file__).parent / "data" / "planted"


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return pd.read_csv(PLANTED / "planted.csv", dtype=str, keep_default_na=False)


def test_static_model_files_have_no_pickle() -> None:
    folder = static_model_path()
    names = {p.name for p in folder.iterdir()}
    assert {"model.safetensors", "tokenizer.json", "config.json"} <= names
    assert not [n for n in names if n.endswith((".pkl", ".pickle", ".bin", ".pt", ".joblib"))]
    assert sum(p.stat().st_size for p in folder.iterdir()) < 16 * 1024 * 1024
    config = json.loads((folder / "config.json").read_text())
    assert "/" not in config["tokenizer_name"].replace("sentence-transformers/", "")


def test_missing_static_model_is_a_model_error(tmp_path: Path) -> None:
    from forumnlp.messages.embed import load_static_model

    with pytest.raises(ModelError, match="static embedding model"):
        load_static_model(tmp_path)


def test_save_load_transform(planted: pd.DataFrame, tmp_path: Path) -> None:
    # fit on sessions S1-S4, assign the comments of S5-S6 (the "next round")
    first = planted[planted.session.isin(["S1", "S2", "S3", "S4"])]
    later = planted[planted.session.isin(["S5", "S6"])].reset_index(drop=True)
    km = key_messages(first, by=["session"], embedding="static")
    folder = km.save(tmp_path / "km")
    files = sorted(p.name for p in folder.rglob("*"))
    assert "key_messages.json" in files and "centroids.safetensors" in files
    assert not [f for f in files if f.endswith((".pkl", ".pickle", ".joblib"))]
    loaded = KeyMessages.load(folder)
    pd.testing.assert_frame_equal(loaded.messages, km.messages, check_dtype=False)
    assert loaded.config["backend"] == "static"

    out = loaded.transform(later)
    assert list(out.columns) == [*later.columns, "message_id", "similarity", "is_new"]
    assert out["unit_id"].tolist() == later["unit_id"].tolist()
    # planted messages seen in the first round: their later comments go to the same message
    gold_to_msg = {}
    for p in ["P1", "P2", "P3", "P6"]:
        fitted = km.units[km.units.gold_message == p]["message_id"].value_counts()
        gold_to_msg[p] = fitted.index[0]
    for p, mid in gold_to_msg.items():
        rows = out[out.gold_message == p]
        assert len(rows) and (rows["message_id"] == mid).mean() >= 0.8, p
    # P7 (GP information sharing) was only raised in S2 and S5 ... known; P8 only in S4, S6
    blank = out["text"].eq("")
    assert out.loc[blank, "message_id"].eq("").all() and out.loc[blank, "similarity"].isna().all()
    assert out.loc[out.is_new, "message_id"].eq("").all()
    assert not out.loc[out.frame.eq("none"), "message_id"].str.startswith("M").any()
    # an unrelated comment is new
    odd = loaded.transform(pd.DataFrame({"text": ["The car park barrier is broken again."],
                                         "frame": ["stop"]}))
    assert bool(odd["is_new"].iloc[0]) and odd["message_id"].iloc[0] == ""


def test_load_rejects_other_folders(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        KeyMessages.load(tmp_path)
    (tmp_path / "key_messages.json").write_text('{"format": "other"}')
    with pytest.raises(ModelError):
        KeyMessages.load(tmp_path)


def test_cli_messages_on_tagged_units(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "messages.csv"
    units_out = tmp_path / "units.jsonl"
    code = run(["messages", str(PLANTED / "planted.csv"), "-o", str(out), "--by", "session",
                "--by", "agency", "--units-out", str(units_out), "--embedding", "static",
                "--max-messages", "12"])
    assert code == 0, capsys.readouterr().err
    msgs = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(msgs) == 12 and msgs["message_id"].iloc[0] == "M01"
    assert {"label", "statement", "spread", "n_session", "n_agency", "quotes"} <= set(msgs.columns)
    units = pd.read_json(units_out, lines=True, dtype=False)
    assert len(units) == 305 and "message_id" in units.columns
    assert "key messages from" in capsys.readouterr().err


def test_cli_bad_by_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["messages", str(PLANTED / "planted_small.csv"), "-o", str(tmp_path / "m.csv"),
                "--by", "region", "--embedding", "static"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and "region" in err
    assert not (tmp_path / "m.csv").exists()


def test_cli_messages_on_raw_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small = pd.read_csv(PLANTED / "planted_small.csv", dtype=str, keep_default_na=False)
    raw = tmp_path / "raw.csv"
    small[["text", "session", "agency"]].rename(columns={"text": "comment"}).to_csv(raw, index=False)
    out = tmp_path / "m.xlsx"
    code = run(["messages", str(raw), "-o", str(out), "--text-column", "comment", "--by",
                "session", "--embedding", "static", "--units-out", str(tmp_path / "u.csv")])
    assert code == 0, capsys.readouterr().err
    msgs = pd.read_excel(out, dtype=str)
    assert len(msgs) >= 2
    units = pd.read_csv(tmp_path / "u.csv", dtype=str, keep_default_na=False)
    assert {"frame", "themes", "unit_id", "message_id", "session"} <= set(units.columns)
    supervision = units[units["text"].str.contains("supervision", case=False)]
    assert supervision["message_id"].str.startswith("M").mean() >= 0.7
