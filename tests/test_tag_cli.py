"""``forumnlp tag`` end to end: real files, a user codebook, record units, output formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from forumnlp.cli import run
from forumnlp.io import read_table

DATA = Path(__file__).parent / "data" / "rules"
SCHOOL = DATA / "school_survey.yaml"

ROWS = [
    ("s1", "Science", "Stop the weekly data drops. Marking takes 10 hours a week"),
    ("s2", "English", ""),
    ("s3", "Maths", "Keep the on call system for behaviour"),
    ("s4", "PE", "We need a clearer behaviour policy"),
    ("s5", "Art", "Detentions are now consistent across departments"),
    ("s6", "Music", "Very informative session, thank you"),
    ("s7", "History", "Fewer meetings after school please"),
]


@pytest.fixture()
def survey(tmp_path: Path) -> Path:
    path = tmp_path / "survey.csv"
    pd.DataFrame(ROWS, columns=["staff_id", "department", "comment"]).to_csv(path, index=False)
    return path


def tagged(tmp_path: Path, survey: Path, *extra: str, out_name: str = "out.csv") -> pd.DataFrame:
    out = tmp_path / out_name
    code = run(["tag", str(survey), "-o", str(out), "--text-column", "comment", *extra])
    assert code == 0
    return read_table(out)


def test_user_codebook_drives_tag_end_to_end(tmp_path: Path, survey: Path) -> None:
    df = tagged(tmp_path, survey, "--codebook", str(SCHOOL), "--unit", "record", "--id-column",
                "staff_id", "--no-redact")
    assert len(df) == len(ROWS)
    assert df["record_id"].tolist() == [r[0] for r in ROWS]
    assert df["department"].tolist() == [r[1] for r in ROWS]
    assert df["frame"].tolist() == ["stop", "none", "keep", "start", "good_practice", "none", "stop"]
    assert df["themes"].tolist() == ["workload", "", "behaviour", "behaviour", "behaviour", "", "workload"]
    ev = json.loads(df.loc[0, "evidence"])
    text = df.loc[0, "text"]
    spans = {text[s:e] for item in ev["workload"] for s, e in item["spans"]}
    assert {"data drops", "Marking", "10 hours"} <= spans
    assert set(json.loads(df.loc[0, "theme_scores"])) == {"workload"}


def test_record_units_keep_one_row_per_input_row_in_order(tmp_path: Path, survey: Path) -> None:
    rec = tagged(tmp_path, survey, "--unit", "record", "--no-redact")
    assert len(rec) == len(ROWS)
    assert rec["text"].fillna("").tolist() == [r[2] for r in ROWS]
    sent = tagged(tmp_path, survey, "--unit", "sentence", "--no-redact", out_name="sent.csv")
    assert len(sent) == len(ROWS) + 1  # the first comment has two sentences
    assert sent["unit_id"].is_unique


@pytest.mark.parametrize("suffix", [".jsonl", ".xlsx", ".parquet"])
def test_output_formats(tmp_path: Path, survey: Path, suffix: str) -> None:
    df = tagged(tmp_path, survey, "--unit", "record", "--no-redact", "--chunksize", "2",
                out_name=f"out{suffix}")
    assert len(df) == len(ROWS)
    assert {"frame", "frame_score", "frame_source", "themes", "theme_scores", "evidence"} <= set(df.columns)


def test_small_chunks_give_the_same_table(tmp_path: Path, survey: Path) -> None:
    a = tagged(tmp_path, survey, "--unit", "sentence", "--no-redact", out_name="a.csv")
    b = tagged(tmp_path, survey, "--unit", "sentence", "--no-redact", "--chunksize", "1", out_name="b.csv")
    pd.testing.assert_frame_equal(a, b)


def test_redaction_by_default(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    pd.DataFrame({"comment": ["Mrs Jane Smith at 07700 900123 should attend the MAG"]}).to_csv(path, index=False)
    df = tagged(tmp_path, path, "--unit", "record")
    assert "07700" not in df.loc[0, "text"]
    assert df.loc[0, "frame"] == "start"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "not found"),
        (["{survey}", "--unit", "paragraph"], "--unit"),
        (["{survey}", "--codebook", "{bad}"], "invalid codebook"),
    ],
)
def test_errors_exit_2_with_one_line(tmp_path: Path, survey: Path, capsys: pytest.CaptureFixture[str],
                                     args: list[str], message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nversion: '1'\ngroups: []\ncodes: []\n", encoding="utf-8")
    argv = ["tag", *[a.format(survey=survey, bad=bad) for a in args], "-o", str(tmp_path / "o.csv")]
    assert run(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and message in err[0]
    assert not (tmp_path / "o.csv").exists()


def test_rules_only_path_imports_no_heavy_library(tmp_path: Path, survey: Path) -> None:
    out = tmp_path / "light.csv"
    code = (
        "import sys\n"
        "from forumnlp.cli import run\n"
        f"assert run(['tag', {str(survey)!r}, '-o', {str(out)!r}, '--no-redact']) == 0\n"
        "heavy = {'torch', 'transformers', 'bertopic', 'sentence_transformers', 'spacy', 'sklearn', 'umap'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"
