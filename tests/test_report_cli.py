"""``forumnlp report`` end to end on the bundled sample: the real flow, three formats, errors."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pytest

from forumnlp.cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
SECTIONS = ["Summary", "Participation", "Key messages", "Keep, stop, start and good practice",
            "Risk themes and practice topics", "Tone of the evaluation comments",
            "Methods and limits"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three reports of the sample, made by the CLI in this process (models load once)."""
    out = tmp_path_factory.mktemp("reports")
    paths = {}
    for ext, extra in (("html", ["--by", "session", "--by", "agency"]),
                       ("docx", ["--by", "session", "--by", "agency"]),
                       ("xlsx", [])):  # no --by: session, agency, locality
        path = out / f"report.{ext}"
        # static embeddings keep the test fast; the default (MiniLM) runs in the slow test
        assert run(["report", str(SAMPLE), "-o", str(path), "--embedding", "static",
                    "--title", "Forum <2026> & co", *extra]) == 0
        paths[ext] = path
    return paths


def test_html_report_of_the_sample(built: dict[str, Path]) -> None:
    page = built["html"].read_text(encoding="utf-8")
    assert "<h1>Forum &lt;2026&gt; &amp; co</h1>" in page
    for title in SECTIONS:
        assert f">{title}</h2>" in page
    assert page.count("<svg") >= 6  # frames, participation x2, themes x2, tone
    summary = re.search(r"This report covers (\d+) comments \((\d+) points", page)
    assert summary and int(summary.group(1)) >= 300 and int(summary.group(2)) >= int(summary.group(1))
    assert "from 6 sessions, 10 agencies, 3 localities" in page
    assert "between 2026-02-10 and 2026-04-28" in page
    assert "child_protection" in page  # codebook name in methods
    assert "redaction of personal details</td><td>on" in page.replace("\n", "")
    assert "[PERSON_" in page  # quotes are redacted
    assert "Joint visits" in page or "joint visits" in page
    # the sample's phone numbers and e-mail addresses never reach the report
    for detail in ("07700 900461", "m.shaw@example-school.org.uk", "01632 960417"):
        assert detail not in page


def test_docx_report_of_the_sample(built: dict[str, Path]) -> None:
    doc = docx.Document(str(built["docx"]))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == SECTIONS
    assert doc.paragraphs[0].style.name == "Title"
    assert len(doc.tables) >= 14 and len(doc.inline_shapes) >= 6
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header == ["item", "value"]


def test_xlsx_report_of_the_sample(built: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(built["xlsx"])
    assert wb.sheetnames == ["Summary", "Participation", "Key messages", "Keep", "Stop", "Start",
                             "Good practice", "Themes by session", "Themes by agency",
                             "Themes by locality", "Risk co-occurrence", "Tone", "Methods",
                             "Units"]
    units = wb["Units"]
    header = [c.value for c in units[1]]
    assert {"unit_id", "text", "frame", "themes", "evidence", "message_id"} <= set(header)
    assert units.max_row > 400
    messages = [r for r in wb["Key messages"].iter_rows(values_only=True)]
    assert any(r[:2] == ("rank", "message") for r in messages)


def test_bad_inputs_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = SAMPLE / "evaluation_forms.csv"
    cases = [
        ([str(tmp_path / "missing.csv"), "-o", str(tmp_path / "r.html")], "missing.csv"),
        ([str(csv), "-o", str(tmp_path / "r.pdf")], "unknown report format"),
        ([str(csv), "-o", str(tmp_path / "nowhere" / "r.html")], "does not exist"),
        ([str(csv), "-o", str(tmp_path / "r.html"), "--embedding", "bert"], "unknown embedding"),
    ]
    for args, needle in cases:
        capsys.readouterr()
        assert run(["report", *args]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and needle in err[0], err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_default_flow_with_minilm(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run(["report", str(SAMPLE), "-o", str(out), "--by", "session", "--by", "agency"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "minilm embeddings" in page
    for title in SECTIONS:
        assert f">{title}</h2>" in page


def test_tagged_table_input_is_not_retagged(tmp_path: Path) -> None:
    from forumnlp.ingest import read
    from forumnlp.io import write_table
    from forumnlp.segment import segment
    from forumnlp.tag import tag

    tagged = tag(segment(read(str(SAMPLE / "evaluation_forms.csv"), text_columns=["answer"])))
    tagged.loc[tagged.index[0], "text"] = "Marker comment that only this table holds"
    table = write_table(tagged, tmp_path / "tagged.csv")
    out = tmp_path / "report.xlsx"
    assert run(["report", str(table), "-o", str(out), "--embedding", "static", "--no-redact"]) == 0
    wb = openpyxl.load_workbook(out)
    texts = {r[0] for r in wb["Units"].iter_rows(min_col=8, max_col=8, values_only=True)}
    assert "Marker comment that only this table holds" in texts
    methods = [c for r in wb["Methods"].iter_rows(values_only=True) for c in r if c]
    assert "tagged units tables (not re-tagged)" in methods and "off" in methods
