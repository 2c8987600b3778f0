"""Codebook validation: every error at once, with its place in the data and its YAML line."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forumnlp.codebook import (
    CodebookIssue,
    codebook_from_dict,
    load_codebook,
    register_section_validator,
    validate_codebook,
)
from forumnlp.codebook import validate as validate_module
from forumnlp.errors import ModelError

# Each planted error is marked with "# <- E<n>" on the line the error must be reported on.
PLANTED = textwrap.dedent(
    """\
    name: planted
    version: 1.0                        # <- E1 a number, not text
    groups:
      - id: frame
        label: Frame
        cardinality: one
      - id: topic
        label: Topics
        cardinality: several            # <- E2 not one/many
    codes:
      - id: keep
        group: frame
        label: Keep
        definition: Keep doing it.
      - id: training
        group: topics                   # <- E3 unknown group
        label: Training
        definition: Courses.
        patterns:
          - phrase: training
          - regex: "train(ing"          # <- E4 cannot compile
          - tokens: [{LOWER: toilet}, {LOWR: training}]   # <- E5 unknown attribute
          - phrase: course
            lemma: course               # two forms: reported on the pattern's first line
      - id: training                    # <- E7 duplicate id
        group: topic
        label: ""                       # <- E8 empty label
        definition: Supervision.
        patterns:
          - tokens: [{LOWER: Supervision}]   # <- E9 upper case never matches LOWER
          - lemma: supervise
            weight: 2                   # <- E10 out of range
      - id: chronology
        group: topic
        label: Chronologies             # E11 (missing definition) reported on the code's line
        negative_patterns:
          - regex: "x*"                 # <- E12 matches the empty string
    frame_rules:
      - id: r1
        frame: keeps                    # <- E13 unknown frame
        phrase: keep doing
    """
)


def _marked_lines() -> dict[str, int]:
    out = {}
    for n, line in enumerate(PLANTED.splitlines(), start=1):
        if "# <- E" in line:
            out[line.split("# <- ")[1].split()[0]] = n
    return out


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    path = tmp_path / "planted.yaml"
    path.write_text(PLANTED, encoding="utf-8")
    return path


def test_all_planted_errors_are_reported_at_once(planted: Path) -> None:
    issues = validate_codebook(planted)
    errors = [i for i in issues if i.is_error]
    got = {(i.path, i.line) for i in errors}
    lines = _marked_lines()
    code_line = next(n for n, ln in enumerate(PLANTED.splitlines(), 1) if "id: chronology" in ln)
    pattern_line = next(n for n, ln in enumerate(PLANTED.splitlines(), 1) if "phrase: course" in ln)
    expected = {
        ("version", lines["E1"]),
        ("groups[1].cardinality", lines["E2"]),
        ("codes[1].group", lines["E3"]),
        ("codes[1].patterns[1].regex", lines["E4"]),
        ("codes[1].patterns[2].tokens[1].LOWR", lines["E5"]),
        ("codes[1].patterns[3]", pattern_line),
        ("codes[2].id", lines["E7"]),
        ("codes[2].label", lines["E8"]),
        ("codes[2].patterns[0].tokens[0].LOWER", lines["E9"]),
        ("codes[2].patterns[1].weight", lines["E10"]),
        ("codes[3].definition", code_line),
        ("codes[3].negative_patterns[0].regex", lines["E12"]),
        ("frame_rules[0].frame", lines["E13"]),
    }
    assert got == expected
    assert len(errors) == len(expected)
    assert all(i.file == str(planted) for i in issues)
    assert [i.line for i in issues] == sorted(i.line or 0 for i in issues)


def test_messages_say_what_is_wrong_and_what_was_expected(planted: Path) -> None:
    by_path = {i.path: i for i in validate_codebook(planted)}
    assert "quote it" in by_path["version"].message
    assert "unknown group 'topics'" in by_path["codes[1].group"].message
    assert "frame, topic" in by_path["codes[1].group"].message
    assert by_path["codes[1].patterns[1].regex"].message.startswith("cannot compile:")
    assert "unknown token attribute 'LOWR'" in by_path["codes[1].patterns[2].tokens[1].LOWR"].message
    assert "more than one pattern form (phrase, lemma)" in by_path["codes[1].patterns[3]"].message
    assert "duplicate code id 'training' (first at codes[1])" in by_path["codes[2].id"].message
    assert "'supervision'" in by_path["codes[2].patterns[0].tokens[0].LOWER"].message
    assert "missing required field 'definition'" in by_path["codes[3].definition"].message
    assert "empty string" in by_path["codes[3].negative_patterns[0].regex"].message
    assert "keep" in by_path["frame_rules[0].frame"].message
    issue = by_path["codes[1].patterns[1].regex"]
    assert str(issue).startswith(f"{issue.file}:{issue.line}: codes[1].patterns[1].regex [training]: cannot compile:")


def test_load_codebook_raises_model_error_listing_every_error(planted: Path) -> None:
    with pytest.raises(ModelError) as info:
        load_codebook(planted)
    msg = str(info.value)
    assert "13 errors" in msg
    for place in ("version", "codes[1].group", "codes[3].definition", "frame_rules[0].frame"):
        assert place in msg


def test_data_without_a_file_has_no_lines() -> None:
    issues = validate_codebook({"name": "x", "version": "1", "groups": [{"id": "g"}],
                                "codes": [{"id": "a", "group": "g", "label": "A"}]})
    assert [(i.path, i.line) for i in issues] == [("codes[0].definition", None)]
    assert str(issues[0]) == "codes[0].definition [a]: missing required field 'definition'"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("name: x\ncodes: [\n  {id: a\n", "YAML syntax error", 4),
        ("name: x\n  bad: indent\n", "YAML syntax error", 2),
        ("- a\n- b\n", "must be a YAML mapping", None),
        ("", "this file is empty", None),
        ("just text\n", "this file is a str", None),
    ],
)
def test_unparseable_or_not_a_mapping(tmp_path: Path, text: str, message: str, line: int | None) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    issues = validate_codebook(path)
    assert len(issues) == 1
    assert message in issues[0].message
    if line is not None:
        assert issues[0].line == line


def test_missing_file_and_folder_are_issues(tmp_path: Path) -> None:
    assert validate_codebook(tmp_path / "nope.yaml")[0].message == "file not found"
    assert "folder" in validate_codebook(tmp_path)[0].message


def test_yaml_booleans_and_duplicate_keys(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(
        "name: x\nversion: '1'\ngroups: [{id: g}]\ncodes:\n"
        "  - id: a\n    group: g\n    label: A\n    definition: One.\n    definition: Two.\n"
        "    patterns:\n      - tokens: [{LOWER: {IN: [rely, relies]}}, {LOWER: on}]\n",
        encoding="utf-8",
    )
    issues = {i.path: i for i in validate_codebook(path)}
    assert issues["codes[0].definition"].line == 9
    assert "duplicate key" in issues["codes[0].definition"].message
    on = issues["codes[0].patterns[0].tokens[1].LOWER"]
    assert on.line == 11 and "quote the word" in on.message


def test_warnings_do_not_invalidate(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(
        "name: x\nversion: '1'\nauthor: me\ngroups:\n  - {id: g}\n  - {id: empty}\n"
        "codes:\n  - {id: a, group: g, label: A, definition: One., colour: red, notez: x,\n"
        "     patterns: [{phrase: a b}, {phrase: a b}]}\n",
        encoding="utf-8",
    )
    issues = validate_codebook(path)
    assert issues and not any(i.is_error for i in issues)
    text = "\n".join(map(str, issues))
    assert "warning: author: unknown key" in text
    assert "group 'empty' has no codes" in text
    paths = {i.path for i in issues}
    assert "codes[0].notez" in paths and "codes[0].colour" not in paths
    assert "same pattern as patterns[0]" in text
    cb = load_codebook(path)
    assert cb.code("a").extra == {"colour": "red"}


@pytest.mark.parametrize(
    ("pattern", "fragment"),
    [
        ({"phrase": ""}, "non-empty string"),
        ({"lemma": 3}, "non-empty string"),
        ({}, "no pattern form"),
        ({"phrase": "x", "wieght": 1}, "unknown key 'wieght'"),
        ({"phrase": "x", "scope": "unit"}, "only used in negative_patterns"),
        ({"tokens": []}, "non-empty list"),
        ({"tokens": [{"OP": "?"}, {"LOWER": "a", "OP": "*"}]}, "empty span"),
        ({"tokens": [{"LOWER": {"IN": []}}]}, "non-empty list of strings"),
        ({"tokens": [{"LOWER": {"REGEX": "("}}]}, "cannot compile"),
        ({"tokens": [{"LOWER": {"ISIN": ["a"]}}]}, "unknown operator 'ISIN'"),
        ({"tokens": [{"IS_DIGIT": "yes"}]}, "true or false"),
        ({"tokens": [{"LENGTH": {"=>": 3}}]}, "unknown comparison"),
        ({"tokens": [{"LOWER": "a", "OP": "{2,x}"}]}, "unknown operator"),
        ({"tokens": ["a"]}, "a token must be a mapping"),
        ("joint visits", "a pattern must be a mapping"),
        ({"regex": "a", "id": ""}, "non-empty string"),
    ],
)
def test_pattern_checks(pattern: Any, fragment: str) -> None:
    data = {"name": "x", "version": "1", "groups": [{"id": "g"}],
            "codes": [{"id": "a", "group": "g", "label": "A", "definition": "D",
                       "patterns": [pattern]}]}
    issues = [i for i in validate_codebook(data) if i.is_error]
    assert len(issues) == 1, issues
    assert fragment in issues[0].message


def test_valid_pattern_forms_and_options() -> None:
    data = {"name": "x", "version": "1", "groups": [{"id": "g"}],
            "codes": [{"id": "a", "group": "g", "label": "A", "definition": "D",
                       "patterns": [
                           {"phrase": "joint visits", "id": "jv", "weight": 0.5, "note": "n"},
                           {"lemma": "case conference"},
                           {"tokens": [{"ORTH": "DA"}, {"IS_PUNCT": True, "OP": "?"},
                                       {"LEMMA": {"IN": ["go", "be"]}, "OP": "{1,3}"},
                                       {"LENGTH": {">=": 2}}, {"OP": "?"}, {"LIKE_NUM": True}]},
                           {"regex": r"\bchrono\w*g\w*\b"},
                       ],
                       "negative_patterns": [{"phrase": "toilet training", "scope": "unit"}]}]}
    assert validate_codebook(data) == []
    cb = codebook_from_dict(data)
    names = [p.name for p in cb.code("a").patterns]
    assert names[0] == "jv"
    assert names[1] == "a/lemma:case conference"
    assert cb.code("a").negative_patterns[0].scope == "unit"
    assert codebook_from_dict(cb.to_dict()) == cb


def test_ids_are_checked() -> None:
    data = {"name": "x", "version": "1", "groups": [{"id": "g g"}, {"id": "h"}, {"id": "h"}],
            "codes": [{"id": "a;b", "group": "h", "label": "A", "definition": "D"},
                      {"group": "h", "label": "B", "definition": "D"}]}
    got = {(i.path, i.message.split(":")[0]) for i in validate_codebook(data) if i.is_error}
    assert got == {
        ("groups[0].id", "invalid id 'g g'"),
        ("groups[2].id", "duplicate group id 'h' (first at groups[1])"),
        ("codes[0].id", "invalid id 'a;b'"),
        ("codes[1].id", "missing required field 'id'"),
    }


@pytest.fixture
def clean_registry() -> Iterator[None]:
    saved = {k: list(v) for k, v in validate_module._SECTION_VALIDATORS.items()}
    replaced = set(validate_module._REPLACED)
    yield
    validate_module._SECTION_VALIDATORS.clear()
    validate_module._SECTION_VALIDATORS.update(saved)
    validate_module._REPLACED.clear()
    validate_module._REPLACED.update(replaced)


def test_section_validators_can_be_registered(clean_registry: None) -> None:
    def check_rules(section: Any, doc: Any) -> Iterator[tuple[Any, ...]]:
        for i, rule in enumerate(section):
            if "priority" not in rule:
                yield (i, "priority"), "missing priority"

    def check_extra(section: Any, doc: Any) -> Iterator[tuple[Any, ...]]:
        if not isinstance(section, list):
            yield (), "must be a list", "warning"

    base = {"name": "x", "version": "1", "groups": [{"id": "f", "cardinality": "one"}],
            "codes": [{"id": "keep", "group": "f", "label": "K", "definition": "D"}],
            "frame_rules": [{"id": "r", "frame": "keep", "phrase": "keep", "extra": 1}]}
    assert validate_codebook(base) == []
    register_section_validator("frame_rules", check_rules)
    register_section_validator("lexicon", check_extra)
    issues = validate_codebook({**base, "lexicon": {"a": 1}})
    assert [(i.path, i.message, i.severity) for i in issues] == [
        ("frame_rules[0].priority", "missing priority", "error"),
        ("lexicon", "must be a list", "warning"),
    ]
    rules = [{"id": "r", "frame": "keep", "phrase": "keep", "priority": 1}]
    cb = codebook_from_dict({**base, "frame_rules": rules, "lexicon": ["a"]})
    assert cb.frame_rules == tuple(rules)
    assert cb.sections == {"lexicon": ["a"]}
    assert cb.to_dict()["lexicon"] == ["a"]
    # a rule without a pattern form passes once the built-in check is replaced
    bare = {**base, "frame_rules": [{"id": "r", "frame": "keep", "priority": 1}]}
    assert "no pattern form" in str(validate_codebook(bare)[0])
    register_section_validator("frame_rules", check_rules, replace=True)
    assert validate_codebook(bare) == []


def test_frame_rules_need_a_frame_group() -> None:
    data = {"name": "x", "version": "1", "groups": [{"id": "g"}],
            "codes": [{"id": "a", "group": "g", "label": "A", "definition": "D"}],
            "frame_rules": [{"id": "r", "frame": "a", "tokens": [{"LOWER": "x"}]}, "junk"]}
    msgs = [str(i) for i in validate_codebook(data)]
    assert msgs == ["frame_rules[0].frame: frame rules need a group with cardinality one",
                    "frame_rules[1]: a frame rule must be a mapping with id, frame and a pattern, got 'junk'"]


def test_issue_rendering() -> None:
    issue = CodebookIssue("codes[2].label", "must not be empty", line=7, file="cb.yaml",
                          severity="warning", code="x")
    assert str(issue) == "cb.yaml:7: warning: codes[2].label [x]: must not be empty"
    assert str(CodebookIssue("", "file not found", file="cb.yaml")) == "cb.yaml: file not found"


_KEYS = st.sampled_from([
    "name", "version", "groups", "codes", "id", "group", "label", "definition", "cardinality",
    "patterns", "negative_patterns", "phrase", "lemma", "tokens", "regex", "LOWER", "IN", "OP",
    "weight", "scope", "examples", "frame_rules", "frame", "one", "many", "g", "a",
])
_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.floats(allow_nan=False),
                    _KEYS, st.sampled_from(["(", "x*", "?", "", "a.b", "{2}"]))
_ANY = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=5)), max_leaves=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ANY)
def test_validation_never_crashes_and_valid_data_always_builds(data: Any) -> None:
    issues = validate_codebook(data)
    assert all(isinstance(i, CodebookIssue) and i.message for i in issues)
    if not any(i.is_error for i in issues):
        cb = codebook_from_dict(data)
        assert codebook_from_dict(cb.to_dict()) == cb


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.builds(
    lambda groups, codes: {"name": "n", "version": "1", "groups": groups, "codes": codes},
    st.lists(st.dictionaries(_KEYS, _LEAVES, max_size=4), max_size=3),
    st.lists(st.dictionaries(_KEYS, _ANY, max_size=6), max_size=3),
))
def test_validation_of_codebook_shaped_data_never_crashes(data: Any) -> None:
    issues = validate_codebook(data)
    if not any(i.is_error for i in issues):
        codebook_from_dict(data)
