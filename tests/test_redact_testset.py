"""The redaction test set (tests/data/redaction): the bars on recall and over-redaction.

Recall >= 0.98 of planted details (a detail counts as found when >= 90% of its characters
are redacted) and at most 1% of the words of comments without personal details changed,
with NER (the default) and in patterns-only mode.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from forumnlp.redact import TYPES, Redactor

HERE = Path(__file__).resolve().parent / "data" / "redaction"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"redaction_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


score = _module("score")


def test_test_set_is_big_enough_and_covers_every_type() -> None:
    pii, clean = score.load_split("all")
    assert len(pii) >= 200 and len(clean) >= 500
    kinds = {s["type"] for row in pii for s in row["spans"]}
    assert kinds == set(TYPES)
    for row in pii:  # every gold span is inside its text
        for s in row["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(row["text"])


def test_generator_reproduces_the_committed_files() -> None:
    gen = _module("generate")
    for split, (prefix, _, _) in gen.SPLITS.items():
        pii, clean = gen.build(split)
        assert pii == score.load(f"{prefix}pii.jsonl")
        assert clean == score.load(f"{prefix}clean.jsonl")


@pytest.mark.parametrize("use_ner", [False, True], ids=["patterns", "ner"])
def test_bars(use_ner: bool) -> None:
    m = score.score(use_ner, "all")
    assert m["recall"] >= 0.98, m["misses"]
    assert m["clean_words_changed_rate"] <= 0.01, m["false_positives"]
    for kind in TYPES:
        assert m["per_type"][kind]["recall"] >= 0.9, (kind, m["per_type"][kind])


def test_metrics_file_reports_every_type() -> None:
    metrics = json.loads((HERE / "metrics.json").read_text(encoding="utf-8"))
    for key in ("all/with_ner", "all/patterns_only", "holdout/with_ner", "blind/with_ner"):
        per_type = metrics[key]["per_type"]
        assert set(per_type) == set(TYPES)
        assert all({"recall", "precision"} <= set(v) for v in per_type.values())


def test_redacting_twice_changes_nothing_with_ner() -> None:
    pii, clean = score.load_split("all")
    texts = [r["text"] for r in pii[::3] + clean[::5]]
    once = Redactor().redact_texts(texts)
    twice = Redactor().redact_texts([r.text for r in once])
    assert [r.text for r in twice] == [r.text for r in once]
    assert all(not r.spans for r in twice)
