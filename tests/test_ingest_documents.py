"""Ingest of documents: Word .docx, plain-text and Markdown notes, report exports with HTML cells."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from forumnlp.ingest import read
from forumnlp.ingest.html_cells import flatten_cell, split_list_text
from forumnlp.ingest.text import parse_text

REPORT_LINE = (
    '<p>THINGS TO KEEP</p> <ul style="list-style-type: none"> - Joint training - Weekly huddles '
    "– health and police - Sharing minutes </ul>\t<p>THINGS TO STOP</p><ul><li>Late reports</li></ul>"
)


def _numbered(paragraph: docx.text.paragraph.Paragraph) -> None:
    """Give a Normal-style paragraph list numbering directly in its properties (numPr)."""
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), "1")
    num_pr.append(ilvl)
    num_pr.append(num_id)
    p_pr.append(num_pr)


@pytest.fixture
def forum_docx(tmp_path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Child protection forum", 1)                       # paragraph 1
    d.add_paragraph("The forum met in March. Twenty people came.")   # 2
    d.add_paragraph("")                                              # empty: not counted
    run = d.add_paragraph().add_run("Keep doing")                    # 3: bold line heading
    run.bold = True
    d.add_paragraph("Joint training", style="List Bullet")           # 4
    d.add_paragraph("Weekly huddles – health and police", style="List Bullet")  # 5
    d.add_paragraph("THINGS TO STOP")                                # 6: ALL CAPS heading
    d.add_paragraph("Late reports", style="List Number")             # 7
    _numbered(d.add_paragraph("Closing cases early"))                # 8: numPr, Normal style
    table = d.add_table(rows=3, cols=4)
    for i, h in enumerate(["KEEP DOING", "STOP DOING", "START DOING", "GOOD PRACTICE"]):
        table.cell(0, i).text = h
    table.cell(1, 0).text = "Multi-agency training"
    cell = table.cell(1, 1)
    cell.text = "Relying on one agency"
    cell.add_paragraph("Re-visiting closed cases")
    cell = table.cell(1, 2)
    cell.paragraphs[0].text = "Chronologies"
    cell.paragraphs[0].style = d.styles["List Bullet"]
    cell.add_paragraph("Supervision – monthly", style="List Bullet")
    cell = table.cell(2, 3)
    cell.text = "What went well?"  # the cell's own heading line wins over the column header
    cell.add_paragraph("Information was shared promptly")
    d.add_heading("Any other comments", 2)                           # 9
    d.add_paragraph("• Room was cold")                               # 10: typed bullet
    d.add_paragraph(
        "A long ordinary paragraph in bold that is a sentence and not a heading at all, "
        "so it stays text."
    ).runs[0].bold = True                                            # 11
    path = tmp_path / "forum.docx"
    d.save(str(path))
    return path


def test_docx_records_headings_locations(forum_docx: Path) -> None:
    df = read(forum_docx)
    got = list(zip(df["location"], df["heading"], df["text"], strict=True))
    assert got == [
        ("paragraph 2", "Child protection forum", "The forum met in March. Twenty people came."),
        ("paragraph 4", "Keep doing", "Joint training"),
        ("paragraph 5", "Keep doing", "Weekly huddles – health and police"),
        ("paragraph 7", "THINGS TO STOP", "Late reports"),
        ("paragraph 8", "THINGS TO STOP", "Closing cases early"),
        ("table 1, row 2, col 1", "KEEP DOING", "Multi-agency training"),
        ("table 1, row 2, col 2", "STOP DOING", "- Relying on one agency\n- Re-visiting closed cases"),
        ("table 1, row 2, col 3", "START DOING", "- Chronologies\n- Supervision – monthly"),
        ("table 1, row 3, col 4", "What went well?", "Information was shared promptly"),
        ("paragraph 10", "Any other comments", "Room was cold"),
        ("paragraph 11", "Any other comments",
         "A long ordinary paragraph in bold that is a sentence and not a heading at all, so it stays text."),
    ]
    assert df["record_id"].tolist() == [f"forum.docx:{i}" for i in range(1, 12)]
    assert df["source"].unique().tolist() == ["forum.docx"]
    assert list(df.columns) == ["record_id", "source", "location", "heading", "text"]


def test_docx_row_label_table_and_plain_table(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("Group 3", 2)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Keep"
    table.cell(0, 1).text = "Huddles"
    table.cell(1, 0).text = "Stop"
    table.cell(1, 1).text = "Late minutes"
    plain = d.add_table(rows=1, cols=2)
    plain.cell(0, 0).text = "Venue was fine"
    plain.cell(0, 1).text = "Lunch was late"
    path = tmp_path / "labels.docx"
    d.save(str(path))
    df = read(path)
    assert df[["location", "heading", "text"]].values.tolist() == [
        ["table 1, row 1, col 2", "Keep", "Huddles"],
        ["table 1, row 2, col 2", "Stop", "Late minutes"],
        ["table 2, row 1, col 1", "Group 3", "Venue was fine"],
        ["table 2, row 1, col 2", "Group 3", "Lunch was late"],
    ]


NOTES = """FORUM NOTES – SESSION 2

Welcome and introductions. The chair thanked everyone
for coming.

KEEP
- Joint training
* Weekly huddles – health and police
• Sharing minutes
– Re-visiting plans
  that are out of date

Things we would like to stop doing:
1. Late reports
2) Closing cases when families miss appointments
a) Relying on one agency

# Start doing
- More supervision

Attendance:
Twenty people came.
"""


def test_text_notes_headings_bullets_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(NOTES, encoding="utf-8")
    df = read(path)
    got = list(zip(df["location"], df["heading"], df["text"], strict=True))
    assert got == [
        ("line 3", "FORUM NOTES – SESSION 2", "Welcome and introductions. The chair thanked everyone\nfor coming."),
        ("line 7", "KEEP", "Joint training"),
        ("line 8", "KEEP", "Weekly huddles – health and police"),
        ("line 9", "KEEP", "Sharing minutes"),
        ("line 10", "KEEP", "Re-visiting plans that are out of date"),
        ("line 14", "Things we would like to stop doing", "Late reports"),
        ("line 15", "Things we would like to stop doing", "Closing cases when families miss appointments"),
        ("line 16", "Things we would like to stop doing", "Relying on one agency"),
        ("line 19", "Start doing", "More supervision"),
        ("line 22", "Attendance", "Twenty people came."),
    ]
    assert df["record_id"].tolist() == [f"notes.txt:{i}" for i in range(1, 11)]


def test_markdown_headings_bold_and_pipe_table(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "## Session 1\n\nIntro text.\n\n**Good practice**\n\n- Joint visits are now the norm\n\n"
        "| Keep doing | Stop doing |\n|---|---|\n| Huddles<br>Training | Late reports |\n",
        encoding="utf-8",
    )
    df = read(path)
    assert df[["location", "heading", "text"]].values.tolist() == [
        ["line 3", "Session 1", "Intro text."],
        ["line 7", "Good practice", "Joint visits are now the norm"],
        ["line 11, col 1", "Keep doing", "Huddles\nTraining"],
        ["line 11, col 2", "Stop doing", "Late reports"],
    ]


def test_report_export_html_cells(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Key messages\n\n" + REPORT_LINE + "\n", encoding="utf-8")
    df = read(path)
    assert df[["location", "heading", "text"]].values.tolist() == [
        ["line 1", "", "Key messages"],
        ["line 3, col 1", "THINGS TO KEEP",
         "- Joint training\n- Weekly huddles – health and police\n- Sharing minutes"],
        ["line 3, col 2", "THINGS TO STOP", "Late reports"],
    ]


def test_report_export_header_row_and_cell_kinds(tmp_path: Path) -> None:
    rows = [
        "<p>KEEP DOING</p>\t<p>STOP DOING</p>\t<p>GOOD PRACTICE</p>",
        "<ul><li>Multi-agency working – on track</li><li>Re-visit plans</li></ul>"
        "\t<p>Closing cases too early. It leaves children at risk.</p>"
        "\t<p>Strengths</p><p>Police &amp; health share notes.</p><p>Minutes&nbsp;are prompt &#8211; always.</p>",
        "<p>Huddles</p>\t\t<p><b>Note</b> plain &lt;b&gt; text</p>",
    ]
    path = tmp_path / "export.txt"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    df = read(path)
    assert df[["location", "heading", "text"]].values.tolist() == [
        ["line 2, col 1", "KEEP DOING", "- Multi-agency working – on track\n- Re-visit plans"],
        ["line 2, col 2", "STOP DOING", "Closing cases too early. It leaves children at risk."],
        ["line 2, col 3", "Strengths", "Police & health share notes.\nMinutes are prompt – always."],
        ["line 3, col 1", "KEEP DOING", "Huddles"],
        ["line 3, col 3", "GOOD PRACTICE", "Note plain <b> text"],
    ]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (" - Joint training - Weekly huddles – health and police - Sharing minutes ",
         ["Joint training", "Weekly huddles – health and police", "Sharing minutes"]),
        ("- Re-visit plans - Multi-agency working – on track",
         ["Re-visit plans", "Multi-agency working – on track"]),
        ("Single item with a hyphen-ated word", ["Single item with a hyphen-ated word"]),
        ("• one • two", ["one", "two"]),
    ],
)
def test_split_list_text(text: str, items: list[str]) -> None:
    assert split_list_text(text) == items


def test_flatten_cell_variants() -> None:
    cell = flatten_cell("<p>THINGS TO KEEP</p><ul> - A - B </ul>")
    assert (cell.heading, cell.text) == ("THINGS TO KEEP", "- A\n- B")
    cell = flatten_cell("<p>Only a short paragraph</p>")
    assert (cell.heading, cell.text, cell.simple) == ("", "Only a short paragraph", "Only a short paragraph")
    cell = flatten_cell("<p>First para.</p><p>Second para.</p>")
    assert (cell.heading, cell.text) == ("", "First para.\nSecond para.")
    cell = flatten_cell("Keep:<br>- a<br>- b")
    assert (cell.heading, cell.text) == ("Keep", "- a\n- b")
    cell = flatten_cell("<script>alert(1)</script><p>Safe</p>")
    assert cell.text == "Safe"


def test_parse_text_ignores_rules_and_code_fences() -> None:
    rows = parse_text("Intro\n\n---\n\n```\ncode line\n```\n")
    assert [r[2] for r in rows] == ["Intro", "code line"]
