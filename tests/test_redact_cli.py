"""``forumnlp redact``: records in, redacted records and a values-free log out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from forumnlp.cli import run
from forumnlp.io import read_table

ROWS = [
    {"id": "a1", "comment": "Mrs Kerr said Jack (4) lives at 12 Main Street, Falkirk FK1 1AA",
     "agency": "police"},
    {"id": "a2", "comment": "Keep the MAG in North locality", "agency": "health"},
    {"id": "a3", "comment": "=HYPERLINK(\"x\") ring Kerr on 07700 900123", "agency": "sw"},
]


@pytest.fixture
def comments(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    return path


def test_redacts_records_and_writes_a_log(comments: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out, log = tmp_path / "out.csv", tmp_path / "log.csv"
    assert run(["redact", str(comments), "-o", str(out), "--id-column", "id", "--no-ner",
                "--log", str(log)]) == 0
    df = read_table(out)
    assert df["record_id"].tolist() == ["a1", "a2", "a3"]
    assert df["text"].tolist() == [
        "[PERSON_1] said [PERSON_2] [AGE_1] lives at [ADDRESS_1]",
        "Keep the MAG in North locality",
        "'=HYPERLINK(\"x\") ring [PERSON_1] on [PHONE_1]",  # formula neutralised
    ]
    assert df["agency"].tolist() == ["police", "health", "sw"]
    lg = read_table(log)
    assert lg["record_id"].tolist() == ["a1", "a2", "a3"]
    assert lg["n_redacted"].tolist() == ["4", "0", "2"]
    assert lg["types"].tolist()[0] == "PERSON:2;ADDRESS:1;AGE:1"
    assert "Kerr" not in log.read_text(encoding="utf-8")
    assert "07700" not in log.read_text(encoding="utf-8")
    assert "redacted 6 details" in capsys.readouterr().err


def test_pseudonym_key_gives_the_same_output_across_runs(
    comments: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outs = []
    for k, args in enumerate((["--pseudonym-key", "s3cret"], [], ["--pseudonym-key", "other"])):
        if not args:
            monkeypatch.setenv("FORUMNLP_PSEUDONYM_KEY", "s3cret")
        else:
            monkeypatch.delenv("FORUMNLP_PSEUDONYM_KEY", raising=False)
        out = tmp_path / f"out{k}.jsonl"
        assert run(["redact", str(comments), "-o", str(out), "--no-ner", *args]) == 0
        outs.append([json.loads(line)["text"] for line in out.read_text().splitlines()])
    assert outs[0] == outs[1] != outs[2]
    assert outs[0][0].startswith("[PERSON_") and "[PERSON_1]" not in outs[0][0]


def test_with_ner_and_xlsx_output(comments: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    assert run(["redact", str(comments), "-o", str(out)]) == 0
    texts = read_table(out)["text"].tolist()
    assert "Kerr" not in " ".join(texts) and "Falkirk" not in texts[0]
    assert texts[1] == "Keep the MAG in North locality"


def test_bad_input_exits_2_with_one_line(comments: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.csv"
    assert run(["redact", str(comments), "-o", str(out), "--text-column", "nope", "--no-ner"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "nope" in err and "\n" not in err
    assert not out.exists()
    assert run(["redact", str(comments), "-o", str(out), "--log", str(out), "--no-ner"]) == 2
    assert run(["redact", str(comments), "-o", str(tmp_path / "out.pdf"), "--no-ner"]) == 2
    assert run(["redact", str(tmp_path / "missing.csv"), "-o", str(out), "--no-ner"]) == 2
    assert run(["redact", str(comments), "-o", str(comments), "--no-ner"]) == 2  # never overwrite input


def test_real_process_exit_codes(comments: Path, tmp_path: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "forumnlp", "redact", str(comments), "-o",
                         str(tmp_path / "o.csv"), "--no-ner"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([sys.executable, "-m", "forumnlp", "redact", str(comments), "-o",
                          str(tmp_path / "o.csv"), "--text-column", "x"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    helped = subprocess.run([sys.executable, "-m", "forumnlp", "--help"], capture_output=True,
                            text=True)
    assert "redact" in helped.stdout
