"""Report tables on small tagged frames: counts, co-occurrence, tone, frame items, themes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from forumnlp.codebook import Codebook, load_codebook
from forumnlp.report import summary as sm
from forumnlp.report.content import build_content, generated_date
from forumnlp.report.sentiment import compound, evaluation_mask, tone

SA, DA, MH, CUM = ("risk.substance_misuse", "risk.domestic_abuse", "risk.mental_health",
                   "risk.cumulative")


def tagged_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A tagged units table from short row specs (missing columns get neutral values)."""
    out = []
    for i, r in enumerate(rows, start=1):
        text = str(r.get("text", ""))
        rec = str(r.get("record_id", f"R{i}"))
        out.append({
            "record_id": rec, "unit_id": f"{rec}#{r.get('k', 1)}", "source": "forms.csv",
            "location": f"row {i + 1}", "start": 0, "end": len(text),
            "heading": str(r.get("heading", "")), "text": text, "is_empty": not text.strip(),
            "frame": str(r.get("frame", "none" if not text.strip() else "start")),
            "frame_score": 1.0, "frame_source": str(r.get("frame_source", "rules")),
            "themes": ";".join(r.get("themes", [])),  # type: ignore[arg-type]
            "theme_scores": "{}", "evidence": "{}",
            "session": str(r.get("session", "S1")), "agency": str(r.get("agency", "police")),
            "date": str(r.get("date", "2026-02-10")), "question": str(r.get("question", "")),
        })
    return pd.DataFrame(out)


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook()


def test_overview_counts() -> None:
    df = tagged_frame([
        {"record_id": "A", "k": 1, "text": "Joint visits", "session": "S1", "agency": "police"},
        {"record_id": "A", "k": 2, "text": "Chronologies early", "session": "S1", "agency": "police"},
        {"record_id": "B", "text": "More training", "session": "S2", "agency": "GP",
         "date": "2026-03-24"},
        {"record_id": "C", "text": "", "session": "S3", "agency": "GP", "date": "2026-04-28"},
        {"record_id": "D", "text": "Room too hot", "session": "", "agency": "education",
         "date": "2026-02-24"},
    ])
    over = dict(zip(*sm.overview(df, ["session", "agency"]).to_dict("list").values(), strict=True))
    assert over["records read"] == 4
    assert over["comments (records with text)"] == 3
    assert over["units (comments split into points)"] == 4
    assert over["blank answers"] == 1
    assert over["sessions"] == 2  # S3 only has a blank answer; "" is not a session
    assert over["agencies"] == 3
    assert over["period"] == "2026-02-10 to 2026-03-24"  # the blank answer's date not counted


def test_date_range_reads_iso_and_day_first() -> None:
    df = pd.DataFrame({"date": ["2026-03-10", "2026-02-24", "", "not a date"]})
    assert sm.date_range(df) == ("2026-02-24", "2026-03-10")  # ISO is never read day-first
    uk = pd.DataFrame({"date": ["03/04/2026", "12/01/2026"]})
    assert sm.date_range(uk) == ("2026-01-12", "2026-04-03")
    assert sm.date_range(pd.DataFrame({"x": [1]})) is None


def test_participation_counts_and_order() -> None:
    df = tagged_frame([
        {"record_id": "A", "k": 1, "text": "a", "agency": "GP", "session": "S2"},
        {"record_id": "A", "k": 2, "text": "b", "agency": "GP", "session": "S2"},
        {"record_id": "B", "text": "c", "agency": "police", "session": "S1"},
        {"record_id": "C", "text": "d", "agency": "police", "session": "S1"},
        {"record_id": "D", "text": "e", "agency": "", "session": ""},
        {"record_id": "E", "text": "", "agency": "nursing", "session": "S3"},
    ])
    agency = sm.participation(df, "agency")
    assert agency.to_dict("records") == [
        {"value": "police", "comments": 2, "units": 2},
        {"value": "GP", "comments": 1, "units": 2},
        {"value": sm.NOT_RECORDED, "comments": 1, "units": 1},
    ]
    session = sm.participation(df, "session")  # ordinal attribute: by value, blanks last
    assert session["value"].tolist() == ["S1", "S2", sm.NOT_RECORDED]


def test_frame_counts_and_sources() -> None:
    df = tagged_frame([
        {"text": "a", "frame": "keep", "frame_source": "structure"},
        {"text": "b", "frame": "keep", "frame_source": "rules"},
        {"text": "c", "frame": "stop", "frame_source": "model"},
        {"text": "", "frame": "none", "frame_source": ""},
    ])
    counts = sm.frame_counts(df).set_index("frame")["units"].to_dict()
    assert counts == {"keep": 2, "stop": 1, "start": 0, "good_practice": 0, "none": 0}
    src = sm.frame_source_counts(df)
    assert src.to_dict("records") == [{"source": "structure", "units": 1},
                                      {"source": "rules", "units": 1},
                                      {"source": "model", "units": 1}]


def test_risk_cooccurrence_square_and_summary(codebook: Codebook) -> None:
    df = tagged_frame([
        {"text": "a", "themes": [SA, DA]},
        {"text": "b", "themes": [SA, DA, MH, CUM]},
        {"text": "c", "themes": [MH]},
        {"text": "d", "themes": [MH, "practice.training"]},
        {"text": "e", "themes": [CUM]},
        {"text": "f", "themes": []},
        {"text": "", "themes": [SA, DA]},  # blank units never count
    ])
    labels = {c.id: c.label for c in codebook.codes}
    square, summary = sm.risk_cooccurrence(df, labels)
    assert square.shape == (3, 3)
    names = [labels[c] for c in (SA, DA, MH)]
    assert square.loc[names[0], names[0]] == 2
    assert square.loc[names[0], names[1]] == square.loc[names[1], names[0]] == 2
    assert square.loc[names[0], names[2]] == 1
    assert square.loc[names[2], names[2]] == 3
    got = dict(zip(summary["item"], summary["units"], strict=True))
    assert got["units raising at least one of the three"] == 4
    assert got["exactly one"] == 2
    assert got["exactly two"] == 1
    assert got["all three"] == 1
    assert got["two or more (co-occurring risks)"] == 2
    assert got[f"coded {labels[CUM]}"] == 2
    assert got[f"{labels[CUM]} with at least one of the three"] == 1


def test_theme_matrix_counts(codebook: Codebook) -> None:
    df = tagged_frame([
        {"text": "a", "agency": "GP", "themes": ["practice.training", SA]},
        {"text": "b", "agency": "GP", "themes": ["practice.training"]},
        {"text": "c", "agency": "police", "themes": [SA]},
    ])
    codes = [c.id for c in codebook.theme_codes]
    labels = {c.id: c.label for c in codebook.codes}
    m = sm.theme_matrix(df, "agency", codes, labels)
    assert list(m.columns) == ["code", "GP", "police"]
    assert m.loc[labels["practice.training"], "GP"] == 2
    assert m.loc[labels[SA], "police"] == 1
    assert m.loc[labels[SA], "GP"] == 1
    assert int(m.drop(columns="code").to_numpy().sum()) == 4
    assert len(m) == len(codes)


def test_theme_matrix_folds_many_values_into_other() -> None:
    rows = [{"text": f"t{i}", "agency": f"agency {i:02d}", "themes": ["x"]} for i in range(6)]
    rows.append({"text": "again", "agency": "agency 00", "themes": ["x"]})
    m = sm.theme_matrix(tagged_frame(rows), "agency", ["x"], max_values=3)
    assert list(m.columns)[-1] == "(other)"
    assert m.loc["x", "agency 00"] == 2
    assert int(m.drop(columns="code").to_numpy().sum()) == 7


def test_frame_items_without_messages_groups_wording() -> None:
    df = tagged_frame([
        {"text": "Joint visits", "frame": "keep", "session": "S1"},
        {"text": "joint visits!", "frame": "keep", "session": "S2"},
        {"text": "Joint  visits.", "frame": "keep", "session": "S2"},
        {"text": "Cluster MAGs", "frame": "keep", "session": "S1"},
        {"text": "Joint visits", "frame": "start", "session": "S3"},
    ])
    items = sm.frame_items(df, "keep", by=["session"])
    assert items.to_dict("records")[0] == {"item": "Joint visits", "example": "", "units": 3,
                                           "sessions": 2}
    assert items["item"].tolist() == ["Joint visits", "Cluster MAGs"]


def test_frame_items_from_key_messages() -> None:
    units = tagged_frame([
        {"text": "CP supervision for HVs", "frame": "start", "session": "S1", "agency": "HV"},
        {"text": "Supervision for health visitors", "frame": "start", "session": "S2",
         "agency": "HV"},
        {"text": "Protected supervision time", "frame": "start", "session": "S2", "agency": "SW"},
        {"text": "Chronologies at first concern", "frame": "start", "session": "S3"},
        {"text": "Joint visits", "frame": "keep", "session": "S3"},
    ])
    units["message_id"] = ["M01", "M01", "M01", "", "M02"]
    messages = pd.DataFrame([
        {"message_id": "M01", "rank": 1, "label": "CP supervision", "frame": "start",
         "themes": "practice.supervision", "size": 3, "spread": "session 2/3",
         "statement": "Practitioners asked for CP supervision.",
         "quotes": json.dumps(["Supervision for health visitors", "CP supervision for HVs"])},
        {"message_id": "M02", "rank": 2, "label": "joint visits", "frame": "keep", "themes": "",
         "size": 1, "spread": "session 1/3", "statement": "x", "quotes": "[]"},
    ])
    start = sm.frame_items(units, "start", by=["session", "agency"], messages=messages,
                           message_units=units)
    assert start.to_dict("records") == [{"item": "CP supervision",
                                         "example": "Supervision for health visitors",
                                         "units": 3, "sessions": 2, "agencies": 2}]
    table = sm.key_message_table(messages, code_labels={"practice.supervision": "Supervision",
                                                        "start": "Start doing"}, quotes=1)
    first = table.iloc[0]
    assert (first["frame"], first["themes"], first["quotes"]) == (
        "Start doing", "Supervision", ["Supervision for health visitors"])


def test_tone_scores_evaluation_comments_only() -> None:
    df = tagged_frame([
        {"text": "Excellent session, really helpful and well organised", "frame": "none",
         "session": "S1"},
        {"text": "Great speakers, loved it", "frame": "none", "session": "S1"},
        {"text": "The room was awful and far too hot, a terrible waste of time",
         "question": "What could be improved?", "frame": "start", "session": "S2"},
        {"text": "Stop closing cases of neglect and abuse too early", "frame": "stop",
         "question": "Key messages for the committee", "session": "S2"},
        {"text": "", "frame": "none", "session": "S2"},
    ])
    mask = evaluation_mask(df)
    assert mask.tolist() == [True, True, True, False, False]
    table = tone(df, "session").set_index("group")
    assert table.loc["S1", "units"] == 2 and table.loc["S1", "positive"] == 1.0
    assert table.loc["S1", "mean_compound"] > 0.5
    assert table.loc["S2", "units"] == 1 and table.loc["S2", "negative"] == 1.0
    assert table.loc["all", "units"] == 3
    assert table.loc["all", "positive"] + table.loc["all", "negative"] + table.loc[
        "all", "neutral"] == pytest.approx(1.0)
    assert compound(["", "good"])[0] == 0.0
    assert tone(df[df["frame"] == "stop"]).empty


def test_build_content_without_messages_and_from_csv_strings(tmp_path: Path) -> None:
    df = tagged_frame([
        {"text": "Joint visits", "frame": "keep", "themes": ["practice.multiagency"]},
        {"text": "Very useful day", "frame": "none", "session": "S2"},
    ])
    path = tmp_path / "tagged.csv"
    df.to_csv(path, index=False)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)  # every cell a string
    content = build_content(back, by=["session", "agency"], codebook=load_codebook(),
                            options={"generated": "2026-05-01"})
    assert [s.key for s in content.sections] == ["summary", "participation", "messages",
                                                 "frames", "themes", "tone", "methods"]
    assert content.generated.isoformat() == "2026-05-01"
    assert content.summary_line.startswith("This report covers 2 comments")


def test_generated_date_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert generated_date({}).isoformat() == "2026-01-01"
    assert generated_date({"generated": "2026-05-01"}).isoformat() == "2026-05-01"
