"""The HTML, Word and Excel writers: escaping, self-containment, neutralised cells, real
headings and tables, determinism, errors."""

from __future__ import annotations

import itertools
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pandas as pd
import pytest

from forumnlp.errors import InputError
from forumnlp.report import report
from forumnlp.report.charts import check_svg
from test_report import tagged_frame

SCRIPT = "<script>alert(1)</script>"
ATTR = '"><img src=x onerror=alert(1)>'
SECTIONS = ["Summary", "Participation", "Key messages", "Keep, stop, start and good practice",
            "Risk themes and practice topics", "Tone of the evaluation comments",
            "Methods and limits"]
OPTIONS = {"generated": "2026-05-01"}
Hostile = tuple[pd.DataFrame, Any]
CARD = {"name": "forumnlp-model", "fingerprint": "abc123",
        "test_metrics": {"n": 120, "frame_accuracy": 0.8125, "frame_macro_f1": 0.77,
                         "theme_micro_f1": 0.7}}


@pytest.fixture(scope="module")
def hostile() -> Hostile:
    """Tagged units whose texts and attributes try to break out of HTML and spreadsheets."""
    rows = [
        {"text": SCRIPT, "frame": "keep", "agency": ATTR, "session": "S1",
         "themes": ["risk.substance_misuse", "risk.domestic_abuse"]},
        {"text": f"Joint visits {SCRIPT}", "frame": "keep", "agency": ATTR, "session": "S2",
         "themes": ["practice.multiagency"]},
        {"text": "=HYPERLINK(\"http://example.invalid\",\"click\")", "frame": "stop",
         "agency": "@ops", "session": "S2", "themes": ["risk.mental_health"]},
        {"text": "+44 1632 960000 is the duty line", "frame": "start", "agency": "-health",
         "session": "S3"},
        {"text": "-3 referrals lost", "frame": "stop", "agency": "=1+1", "session": "S3"},
        {"text": "Excellent day, very helpful", "frame": "none", "session": "S1",
         "question": "What went well?"},
        {"text": "Terrible room, awful sound", "frame": "none", "session": "S3",
         "question": "What could be improved?"},
        {"text": "Agencies in $US and 50% <b>bold</b> & co", "frame": "good_practice",
         "agency": "A&B <x>", "session": "S1"},
        {"text": "", "frame": "none", "session": "S1"},
    ]
    units = tagged_frame(rows)
    units["message_id"] = ["M01", "M01", "", "", "", "", "", "", ""]
    messages = pd.DataFrame([{
        "message_id": "M01", "rank": 1, "label": f"keep {SCRIPT}", "frame": "keep",
        "themes": "practice.multiagency", "size": 2, "spread": "session 2/3",
        "statement": f"Practitioners said {SCRIPT}", "score": 1.0,
        "quotes": json.dumps([SCRIPT, f"Joint visits {SCRIPT}"]), "quote_ids": "[]",
    }])

    class Km:  # the two tables report() reads from KeyMessages, built by hand here
        def __init__(self) -> None:
            self.messages = messages
            self.units = units
            self.config = {"backend": "static", "method": "agglomerative", "min_size": 2}

    return units.drop(columns="message_id"), Km()


class _Refs(HTMLParser):
    """Every tag, and every reference a browser could fetch, in a parsed page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "srcset", "action", "data", "poster"):
                self.refs.append(value or "")
            if name.startswith("on"):
                self.refs.append(f"{name}={value}")
            if name == "style":
                self.refs += re.findall(r"url\(\s*['\"]?([^)'\"]+)", value or "")

    def handle_data(self, data: str) -> None:
        if self._style:
            self.refs += re.findall(r"url\(\s*['\"]?([^)'\"]+)", data)
            self.refs += re.findall(r"@import\s+\S+", data)

    def handle_endtag(self, tag: str) -> None:
        self._style = False


def _parse(page: str) -> _Refs:
    parser = _Refs()
    parser.feed(page)
    return parser


def test_html_escapes_every_comment_and_attribute(tmp_path: Path, hostile: Hostile) -> None:
    tagged, km = hostile
    out = report(tagged, tmp_path / "r.html", messages=km, by=["session", "agency"],
                 model_card=CARD, options=OPTIONS)
    page = out.read_text(encoding="utf-8")
    assert SCRIPT not in page and ATTR not in page
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page  # attribute in a table
    assert "<img" not in page.lower()
    tags = set(_parse(page).tags)
    assert "script" not in tags and "img" not in tags
    assert "A&amp;B &lt;x&gt;" in page
    for title in SECTIONS:
        assert f">{title}</h2>" in page
    assert "<caption>" in page and "<title" in page and 'role="img"' in page
    assert "0.812" in page and "abc123" in page  # model accuracy and fingerprint
    assert "2 other stop doing comments were not part of a key message" in page


def test_html_is_self_contained(tmp_path: Path, hostile: Hostile) -> None:
    tagged, km = hostile
    page = report(tagged, tmp_path / "r.html", messages=km, options=OPTIONS).read_text("utf-8")
    parsed = _parse(page)
    assert [r for r in parsed.refs if not r.startswith("#")] == []  # only in-page anchors
    assert not {"script", "link", "img", "image", "iframe", "object", "embed", "base",
                "foreignobject", "meta http-equiv"} & set(parsed.tags)
    assert "@font-face" not in page
    # no URL anywhere except XML namespace names
    assert not re.search(r"https?://", re.sub(r'xmlns(?::\w+)?="[^"]*"', "", page))
    assert "@media print" in page and "break-before: page" in page
    # headings in order: one h1, sections as h2, subsections as h3
    levels = [int(m) for m in re.findall(r"<h([1-6])\b", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_check_svg_refuses_active_content() -> None:
    ok = '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(#g)"/></svg>'
    check_svg(ok)
    for bad in ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                '<use xlink:href="http://evil.invalid/a.svg#x"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://e.invalid/)"/></svg>'):
        with pytest.raises(ValueError):
            check_svg(bad)


def test_xlsx_cells_are_neutralised(tmp_path: Path, hostile: Hostile) -> None:
    tagged, km = hostile
    out = report(tagged, tmp_path / "r.xlsx", messages=km, by=["session", "agency"],
                 options=OPTIONS)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Participation", "Key messages", "Keep", "Stop", "Start",
                             "Good practice", "Themes by session", "Themes by agency",
                             "Risk co-occurrence", "Tone", "Methods", "Units"]
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(("=", "+", "-", "@")), (ws.title, cell.value)
    assert "'=HYPERLINK(\"http://example.invalid\",\"click\")" in texts
    assert "'+44 1632 960000 is the duty line" in texts
    assert "'-3 referrals lost" in texts
    assert "'@ops" in texts and "'=1+1" in texts and "'-health" in texts
    units = wb["Units"]
    assert units.max_row == len(tagged) + 1
    header = [c.value for c in units[1]]
    assert header[:3] == ["record_id", "unit_id", "source"] and "message_id" in header


def test_docx_has_real_headings_tables_and_pictures(tmp_path: Path, hostile: Hostile) -> None:
    tagged, km = hostile
    out = report(tagged, tmp_path / "r.docx", messages=km, by=["session", "agency"],
                 model_card=CARD, options=OPTIONS)
    doc = docx.Document(str(out))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h1 == SECTIONS
    assert {"Keep doing", "Stop doing", "Start doing", "Good practice"} <= set(h2)
    assert len(doc.tables) >= 12
    assert {t.style.name for t in doc.tables} == {"Table Grid"}
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert SCRIPT in cells or f"“{SCRIPT}”" in "\n".join(cells)  # plain text in Word
    assert any("0.812" in c for c in cells)
    assert len(doc.inline_shapes) >= 4  # frame, participation and heatmap charts
    assert doc.core_properties.created.date().isoformat() == "2026-05-01"


@pytest.mark.parametrize("ext", ["html", "docx", "xlsx"])
def test_same_input_same_bytes(tmp_path: Path, hostile: Hostile, ext: str) -> None:
    tagged, km = hostile
    a = report(tagged, tmp_path / f"a.{ext}", messages=km, options=OPTIONS).read_bytes()
    b = report(tagged, tmp_path / f"b.{ext}", messages=km, options=OPTIONS).read_bytes()
    assert a == b


def test_source_date_epoch_fixes_office_dates(tmp_path: Path, hostile: Hostile,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    tagged, km = hostile
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    out = report(tagged, tmp_path / "c.xlsx", messages=km)
    with zipfile.ZipFile(out) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    for tag in ("created", "modified"):
        assert re.search(rf"<dcterms:{tag}[^>]*>2026-01-01T00:00:00Z<", core), tag
    values = [c for row in openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True)
              for c in row if c]
    assert "Generated on 2026-01-01." in values


def test_errors_leave_nothing_behind(tmp_path: Path, hostile: Hostile) -> None:
    tagged, _ = hostile
    with pytest.raises(InputError, match="unknown report format"):
        report(tagged, tmp_path / "r.pdf")
    with pytest.raises(InputError, match="does not exist"):
        report(tagged, tmp_path / "missing" / "r.html")
    with pytest.raises(InputError, match="'region'"):
        report(tagged, tmp_path / "r.html", by=["region"])
    with pytest.raises(InputError, match="no 'text' column"):
        report(pd.DataFrame({"x": [1]}), tmp_path / "r.html")
    assert list(tmp_path.iterdir()) == []


def test_default_by_and_no_messages(tmp_path: Path, hostile: Hostile) -> None:
    tagged, _ = hostile
    out = report(tagged, tmp_path / "r.xlsx", options=OPTIONS)
    wb = openpyxl.load_workbook(out)
    assert "Themes by session" in wb.sheetnames and "Themes by agency" in wb.sheetnames
    values = [c for row in wb["Key messages"].iter_rows(values_only=True) for c in row if c]
    assert "Key messages were not computed for this report." in values
    keep = [r for r in wb["Keep"].iter_rows(values_only=True)]
    assert ("item", "units", "sessions", "agencies") in [tuple(x for x in r if x) for r in keep]
