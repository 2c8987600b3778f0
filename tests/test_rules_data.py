"""The shipped frame rules as data: they load, validate, and fire on their own examples."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from forumnlp.codebook import load_codebook
from forumnlp.errors import InputError, ModelError
from forumnlp.schema import FRAMES
from forumnlp.tag.engine import RuleAnnotator
from forumnlp.tag.frame_rules import (
    coerce_frame_rules,
    default_frame_rules_path,
    frame_rules_from_data,
    load_frame_rules,
)


@pytest.fixture(scope="module")
def annot() -> RuleAnnotator:
    return RuleAnnotator(load_codebook())


def _cases(field: str) -> list[tuple[str, str]]:
    rules = load_frame_rules()
    return [(r.id, ex) for r in rules.rules for ex in getattr(r, field)]


def test_shipped_rules_load_with_known_frames_and_sane_values() -> None:
    rules = load_frame_rules()
    assert len(rules) >= 60
    assert {r.frame for r in rules.rules} == set(FRAMES)
    assert len({r.id for r in rules.rules}) == len(rules)
    for r in rules.rules:
        assert 0.0 < r.confidence <= 1.0, r.id
        assert r.examples, f"{r.id} has no examples"
        assert r.id.split(".")[0] in {"keep", "stop", "start", "good", "none"}, r.id
    assert "but" in rules.markers and "although" in rules.openers


@pytest.mark.parametrize(("rule_id", "text"), _cases("examples"))
def test_every_rule_fires_on_its_examples(annot: RuleAnnotator, rule_id: str, text: str) -> None:
    names = {annot.rules[m[0]].name for m in annot.matches(text)}
    assert rule_id in names, f"{rule_id} did not fire on {text!r} (fired: {sorted(names)})"


@pytest.mark.parametrize(("rule_id", "text"), _cases("counter_examples"))
def test_no_rule_decides_its_counter_examples(annot: RuleAnnotator, rule_id: str, text: str) -> None:
    assert annot.annotate_one(text).frame_rule != rule_id


def test_validation_lists_every_error_with_its_place() -> None:
    bad = {
        "rules": [
            {"id": "a", "frame": "keep", "phrase": "keep", "confidence": 2},
            {"id": "a", "frame": "maybe", "phrase": "x"},
            {"frame": "stop", "tokens": [{"LOWER": "stop", "OP": "%"}]},
            {"id": "c", "frame": "stop", "phrase": "x", "regex": "y", "colour": "red"},
            {"id": "d", "frame": "stop", "tokens": [{"LOWER": ["no"]}], "anchor": "yes"},
        ]
    }
    with pytest.raises(ModelError) as err:
        frame_rules_from_data(bad, frames=FRAMES, source="my_rules.yaml")
    msg = str(err.value)
    assert msg.startswith("my_rules.yaml: invalid frame rules")
    for part in ("rules[0].confidence", "rules[1].id: duplicate", "rules[1].frame: unknown frame 'maybe'",
                 "rules[2].id: missing", "rules[2].tokens[0].OP", "rules[3]: more than one pattern form",
                 "unknown key(s) 'colour'", "rules[4].tokens[0].LOWER", "rules[4].anchor"):
        assert part in msg, part


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_frame_rules(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [a, b\n", encoding="utf-8")
    with pytest.raises(ModelError, match=r"broken\.yaml"):
        load_frame_rules(broken)


def test_user_rules_file_and_list_replace_the_shipped_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"rules": [
        {"id": "mine.bin", "frame": "stop", "phrase": "bin it", "confidence": 0.9},
    ], "contrast": {"markers": ["but"], "openers": ["although"]}}), encoding="utf-8")
    cb = load_codebook()
    annot = RuleAnnotator(cb, path)
    res = annot.annotate_one("Please bin it now")
    assert (res.frame, res.frame_rule) == ("stop", "mine.bin")
    from_list = coerce_frame_rules([{"id": "x", "frame": "keep", "phrase": "yes please"}], frames=FRAMES)
    assert [r.id for r in from_list.rules] == ["x"]
    assert from_list.rules[0].confidence == 0.7 and from_list.rules[0].priority == 50


def test_default_rules_path_is_packaged() -> None:
    p = default_frame_rules_path()
    assert p.name == "frame_rules.yaml" and p.is_file()
