"""forumnlp.tag.tag / iter_tag: the Tagged units table, precedence of frame sources, the model hook."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from forumnlp.errors import InputError
from forumnlp.schema import FRAMES
from forumnlp.segment import segment
from forumnlp.tag import iter_tag, tag
from forumnlp.tag.rules import RuleTagger

TEXTS = [
    "Don't stop the MAGs",
    "",
    "Mum is drinking again",
    "Very informative session",
    "Closing cases when families miss appointments",
]


def units_of(texts: Sequence[str], **extra: Sequence[object]) -> pd.DataFrame:
    n = len(texts)
    df = pd.DataFrame({
        "record_id": [f"r{i}" for i in range(n)], "unit_id": [f"r{i}#1" for i in range(n)],
        "text": list(texts), "is_empty": [not t for t in texts],
        "frame": [""] * n, "frame_score": [np.nan] * n, "frame_source": [""] * n,
    })
    for k, v in extra.items():
        df[k] = list(v)
    return df


class KeywordModel:
    """A tiny real model: frame 'start' with 0.9 for texts with 'please', else 'none' 0.55;
    theme 'practice.supervision' for texts mentioning 'supervisor'."""

    def __init__(self) -> None:
        self.frame_calls: list[list[str]] = []

    def predict_frame_proba(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        self.frame_calls.append(list(texts))
        frames = ["start" if "please" in t.lower() else "none" for t in texts]
        return frames, np.array([0.9 if f == "start" else 0.55 for f in frames])

    def predict_themes(self, texts: Sequence[str]) -> tuple[list[list[str]], list[dict[str, float]]]:
        sets = [["practice.supervision"] if "supervisor" in t.lower() else [] for t in texts]
        return sets, [{"practice.supervision": 0.7} if s else {} for s in sets]


def test_output_table_shape_order_and_types() -> None:
    units = units_of(TEXTS, event=["E1", "E1", "E2", "E2", "E3"])
    out = tag(units, model=None)
    assert list(out.columns) == [*units.columns, "themes", "theme_scores", "evidence"]
    assert out["unit_id"].tolist() == units["unit_id"].tolist()
    assert out["event"].tolist() == ["E1", "E1", "E2", "E2", "E3"]
    assert out["frame"].tolist() == ["keep", "none", "none", "none", "stop"]
    assert out["frame_source"].tolist() == ["rules"] * 5
    assert set(out["frame"]) <= set(FRAMES)
    assert out["frame_score"].dtype == np.float64
    assert out["frame_score"].between(0, 1).all()
    for col in ("theme_scores", "evidence"):
        for v in out[col]:
            assert isinstance(json.loads(v), dict)
    assert units["frame"].tolist() == [""] * 5  # the input is not modified


def test_empty_units_get_none_and_no_themes() -> None:
    out = tag(units_of(["", "   "]), model=None)
    assert out["frame"].tolist() == ["none", "none"]
    assert out["themes"].tolist() == ["", ""]
    assert out["theme_scores"].tolist() == ["{}", "{}"]
    assert out["evidence"].tolist() == ["{}", "{}"]


def test_abstention_without_model_is_none_with_a_low_score() -> None:
    out = tag(units_of(["Mum is drinking again"]), model=None)
    row = out.iloc[0]
    assert (row["frame"], row["frame_source"], row["frame_score"]) == ("none", "rules", 0.2)
    assert row["themes"] == "risk.substance_misuse"


def test_structure_decides_before_rules() -> None:
    units = units_of(["Keep the MAGs", "Joint visits", "Stop the MAGs"])
    units.loc[:1, ["frame", "frame_score", "frame_source"]] = ["stop", 1.0, "structure"]
    out = tag(units, structure_override=None, model=None)
    assert out["frame"].tolist()[:2] == ["stop", "stop"]
    assert out["frame_source"].tolist() == ["structure", "structure", "rules"]
    assert out.loc[0, "frame_score"] == 1.0
    ev = json.loads(out.loc[0, "evidence"])
    assert "keep" not in ev and "practice.multiagency" in ev  # rule evidence for another frame is dropped


def test_a_confident_rule_overrides_a_contradicting_heading() -> None:
    """'Stop the MAGs' written under KEEP DOING is a stop; a bare fragment keeps the heading."""
    units = units_of(["Stop the MAGs", "Joint visits"])
    units.loc[:, ["frame", "frame_score", "frame_source"]] = ["keep", 1.0, "structure"]
    out = tag(units, model=None)
    assert out["frame"].tolist() == ["stop", "keep"]
    assert out["frame_source"].tolist() == ["rules", "structure"]
    assert "stop" in json.loads(out.loc[0, "evidence"])


def test_evidence_json_is_stable_and_spans_are_exact() -> None:
    text = "Don't stop the MAGs"
    out1 = tag(units_of([text]), model=None)
    out2 = tag(units_of([text]), model=None)
    assert out1["evidence"].tolist() == out2["evidence"].tolist()
    ev = json.loads(out1.loc[0, "evidence"])
    assert list(ev) == sorted(ev)
    (keep,) = ev["keep"]
    s, e = keep["spans"][0]
    assert text[s:e] == "Don't stop" == keep["match"] and keep["rule"] == "keep.dont_stop"
    assert json.loads(out1.loc[0, "theme_scores"]) == {"practice.multiagency": pytest.approx(0.8)}


def test_model_hook_gets_only_unsure_units_and_themes_are_merged() -> None:
    texts = ["Don't stop the MAGs", "Supervisor time please", "Mum is drinking again", "", "Emailing referrals"]
    units = units_of(texts)
    units.loc[2, ["frame", "frame_score", "frame_source"]] = ["good_practice", 1.0, "structure"]
    model = KeywordModel()
    out = tag(units, model=model, min_rule_confidence=0.6)
    # rule 0.85 keeps its frame; 'please' (start, 0.7) is confident too; structure wins;
    # the weak gerund rule (0.5) defers to the model
    assert out["frame"].tolist() == ["keep", "start", "good_practice", "none", "none"]
    assert out["frame_source"].tolist() == ["rules", "rules", "structure", "rules", "model"]
    assert model.frame_calls == [["Emailing referrals"]]
    assert out.loc[4, "frame_score"] == 0.55
    assert out.loc[1, "themes"] == "practice.supervision"
    assert json.loads(out.loc[1, "theme_scores"]) == {"practice.supervision": 0.7}
    strict = tag(units, model=KeywordModel(), min_rule_confidence=0.8)
    assert strict["frame"].tolist()[:2] == ["keep", "start"]
    assert strict["frame_source"].tolist()[:2] == ["rules", "model"]


def test_low_confidence_rule_is_kept_without_a_model() -> None:
    out = tag(units_of(["Emailing referrals instead of phoning"]), min_rule_confidence=0.9, model=None)
    assert (out.loc[0, "frame"], out.loc[0, "frame_score"]) == ("stop", 0.5)


def test_rules_argument_and_codebook_argument() -> None:
    strict = RuleTagger(min_confidence=0.9)
    out = tag(units_of(["Stop sending letters"]), rules=strict)
    assert out.loc[0, "frame"] == "none"
    assert not hasattr(strict, "annotator_")  # fitted on a copy
    fitted = RuleTagger().fit()
    assert tag(units_of(["Stop sending letters"]), rules=fitted).loc[0, "frame"] == "stop"


def test_bad_input_is_an_input_error() -> None:
    with pytest.raises(InputError, match="text"):
        tag(pd.DataFrame({"comment": ["x"]}))
    with pytest.raises(InputError):
        tag(["x"])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="min_rule_confidence"):
        tag(units_of(["x"]), min_rule_confidence=2)


def test_iter_tag_equals_tag_on_the_whole_table() -> None:
    units = units_of(TEXTS * 3)
    whole = tag(units, model=None)
    parts = list(iter_tag([units.iloc[:4], units.iloc[4:9], units.iloc[9:]], model=None))
    assert [len(p) for p in parts] == [4, 5, 6]
    pd.testing.assert_frame_equal(pd.concat(parts), whole)


def test_tags_segmented_records_with_headings() -> None:
    records = pd.DataFrame({
        "record_id": ["a", "b"], "source": ["f.csv", "f.csv"], "location": ["row 2", "row 3"],
        "heading": ["KEEP DOING", ""], "text": ["Joint visits with the HV", "Stop the IAF. Be more analytical."],
    })
    out = tag(segment(records, unit="sentence"), model=None)
    assert out["text"].tolist() == ["Joint visits with the HV", "Stop the IAF.", "Be more analytical."]
    assert out["frame"].tolist() == ["keep", "stop", "start"]
    assert out["frame_source"].tolist() == ["structure", "rules", "rules"]
