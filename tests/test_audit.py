"""The Snorkel-style rule audit: exact counts on a tiny codebook, gold precision, the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forumnlp.cli import run
from forumnlp.codebook import codebook_from_dict
from forumnlp.errors import InputError
from forumnlp.io import read_table
from forumnlp.tag.audit import AUDIT_COLUMNS, audit, summary

FRAMES = ["keep", "stop", "start", "good_practice", "none"]


def tiny_codebook() -> object:
    codes = [{"id": f, "group": "frame", "label": f, "definition": f} for f in FRAMES]
    codes += [
        {"id": "meetings", "group": "topic", "label": "Meetings", "definition": "Meetings.",
         "patterns": [{"phrase": "meetings", "id": "meet.word"}, {"phrase": "mag", "id": "meet.mag"}],
         "negative_patterns": [{"phrase": "no meetings", "id": "meet.not"}]},
        {"id": "forms", "group": "topic", "label": "Forms", "definition": "Forms.",
         "patterns": [{"lemma": "form", "id": "forms.word"}]},
    ]
    return codebook_from_dict({
        "name": "tiny", "version": "1",
        "groups": [{"id": "frame", "cardinality": "one"}, {"id": "topic"}],
        "codes": codes,
        "frame_rules": [
            {"id": "r.stop", "frame": "stop", "phrase": "stop", "confidence": 0.8, "priority": 70},
            {"id": "r.keep", "frame": "keep", "phrase": "keep", "confidence": 0.9, "priority": 70},
            {"id": "r.dont_stop", "frame": "keep", "phrase": "don't stop", "confidence": 0.9, "priority": 90},
            {"id": "r.more", "frame": "start", "phrase": "more", "confidence": 0.5},
        ],
    })


GOLD = pd.DataFrame({
    "text": [
        "Stop the forms",            # r.stop (correct); forms
        "Don't stop the meetings",   # r.dont_stop wins (correct), r.stop fires too (wrong, conflict)
        "Keep the MAG meetings",     # r.keep (correct); meet.word + meet.mag overlap
        "More forms, keep meetings",  # r.more (wrong) + r.keep (correct): conflict
        "No meetings at all",        # negative veto; no frame rule
        "",                          # blank: not counted
    ],
    "frame": ["stop", "keep", "keep", "keep", "none", "none"],
    "themes": ["forms", "meetings", "meetings", "forms;meetings", "", ""],
})


def test_audit_counts_coverage_overlaps_conflicts_and_precision() -> None:
    table = audit(tiny_codebook(), GOLD)
    assert list(table.columns) == list(AUDIT_COLUMNS)
    rows = table.set_index("rule")
    assert table["kind"].tolist()[:4] == ["frame"] * 4  # frame rules first, in file order
    n = 5  # non-blank units
    stop, keep, dont, more = (rows.loc[r] for r in ("r.stop", "r.keep", "r.dont_stop", "r.more"))
    assert (stop.fires, stop.correct, stop.labelled) == (2, 1, 2)
    assert stop.coverage == pytest.approx(2 / n)
    assert stop.overlaps == pytest.approx(1 / n) and stop.conflicts == pytest.approx(1 / n)
    assert stop.precision == pytest.approx(0.5) and stop.decided == pytest.approx(0.5)
    assert stop.suggested_confidence == pytest.approx((1 + 2 * 0.8) / 4, abs=1e-3)
    assert (keep.fires, keep.correct, keep.conflicts) == (2, 2, pytest.approx(1 / n))
    assert (dont.fires, dont.decided, dont.precision) == (1, 1.0, 1.0)
    assert (more.fires, more.correct, more.decided) == (1, 0, 0.0)
    word, mag, neg, forms = (rows.loc[r] for r in ("meet.word", "meet.mag", "meet.not", "forms.word"))
    assert word.kind == "pattern" and word.group == "topic" and word.code == "meetings"
    assert (word.fires, word.correct) == (4, 3)  # vetoed in "No meetings at all" but it fired
    assert word.decided == pytest.approx(3 / 4)
    assert (mag.fires, mag.overlaps) == (1, pytest.approx(1 / n))
    assert pd.isna(mag.conflicts)
    assert (neg.kind, neg.fires, neg.correct, neg.decided) == ("negative", 1, 1, 1.0)
    assert (forms.fires, forms.precision) == (2, 1.0)


def test_audit_without_gold_reports_coverage_only() -> None:
    table = audit(tiny_codebook(), None, texts=["stop it", "keep it", "nothing"])
    rows = table.set_index("rule")
    assert rows.loc["r.stop", "coverage"] == pytest.approx(1 / 3, abs=1e-4)
    assert table["precision"].isna().all() and (table["labelled"] == 0).all()
    with pytest.raises(InputError):
        audit(tiny_codebook())
    with pytest.raises(InputError, match="text"):
        audit(tiny_codebook(), pd.DataFrame({"comment": ["x"], "frame": ["none"]}))


def test_summary_scores_frames_and_themes() -> None:
    stats = summary(tiny_codebook(), GOLD)
    assert stats["units"] == 6
    # predictions: stop, keep, keep, keep (r.keep beats r.more on priority), none, none
    assert stats["frame_accuracy"] == pytest.approx(1.0)
    assert stats["frame_coverage"] == pytest.approx(4 / 6)
    assert stats["theme_micro_f1"] == pytest.approx(1.0)


def test_default_codebook_audit_has_every_rule() -> None:
    gold = pd.DataFrame({"text": ["Don't stop the MAGs", "Mum is drinking"], "frame": ["keep", "none"],
                         "themes": ["practice.multiagency", "risk.substance_misuse"]})
    table = audit(None, gold)
    assert {"frame", "pattern", "negative"} <= set(table["kind"])
    assert table.set_index("rule").loc["keep.dont_stop", "precision"] == 1.0
    assert table["rule"].is_unique


def test_audit_cli_prints_and_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.csv"
    GOLD.to_csv(gold, index=False)
    cb = tmp_path / "tiny.yaml"
    tiny_codebook().to_yaml(cb)  # type: ignore[attr-defined]
    out = tmp_path / "audit.xlsx"
    assert run(["audit", str(cb), str(gold), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "6 units; frames: macro-F1" in printed
    assert "r.dont_stop" in printed and "meet.mag" in printed and "%" in printed
    written = read_table(out)
    assert len(written) == 8 and "suggested_confidence" in written.columns
    assert run(["audit", str(cb), str(tmp_path / "missing.csv")]) == 2
