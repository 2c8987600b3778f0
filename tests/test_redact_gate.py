"""The redaction gate is exact: skipping detectors never changes what is found."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from forumnlp.redact import Redactor

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "redaction"

GATED = Redactor(use_ner=False)
FULL = Redactor(use_ner=False)
FULL.gated = False

# words of every class the gate knows (titles, cues, names, initials, verbs, plain words)
WORDS = [
    "Mrs", "mrs", "Dr", "DC", "mum", "Mum", "dad", "child", "Child", "children's", "baby", "sister",
    "called", "named", "meet", "tell", "ring", "Jack", "jack", "jack's", "Jack's", "kelly-ann",
    "Kelly", "Smith", "smith", "Ioana", "Gabija", "the", "The", "Gordons", "Grace", "grace",
    "Will", "will", "Ruby", "Stirling", "Falkirk", "Police", "HV", "JS", "J", "J.", "A", "I",
    "S.", "was", "born", "aged", "needs", "said", "family", "Family", "twins", "mum's", "More",
    "Start", "joint", "visits", "and", ",", "&", "(", ")", ".", "\n", "St", "Margaret's",
    "Lior", "Dalgleish", "MacDonald", "O'Neil", "age", "old", "year", "four", "of", "Barnardo's",
]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
glued = st.lists(st.sampled_from(WORDS), min_size=1, max_size=10).map("".join)


def _spans(r: Redactor, items: list[str]) -> list[list[tuple[int, int, str]]]:
    return r.detect_texts(items)


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, glued, st.text(max_size=80)))
def test_gate_never_changes_detection(text: str) -> None:
    assert GATED.detect_texts([text]) == FULL.detect_texts([text])


def _file_texts() -> list[str]:
    out: list[str] = []
    for f in sorted(DATA.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            t = json.loads(line).get("text")
            if isinstance(t, str):
                out.append(t)
    units = pd.read_csv(ROOT / "corpora" / "labelled" / "units.csv", dtype=str, keep_default_na=False)
    out += units["text"].tolist()
    return out


def test_gate_is_exact_on_the_redaction_test_sets_and_the_corpus() -> None:
    items = _file_texts()
    assert len(items) > 4000
    assert GATED.detect_texts(items) == FULL.detect_texts(items)


def test_gate_skips_most_plain_comments() -> None:
    gate = GATED._gate
    plain = [
        "More joint visits with HVs and school nurses",
        "Start doing: share chronologies before the core group",
        "Children's voices should be heard at every TAC meeting.",
        "Keep the multi-agency training, it really helps",
    ]
    assert not any(gate.may_fire(t) for t in plain)
    named = ["Mum kelly missed the visit", "Mrs Kerr said no", "Jack's mum was upset", "J. Smith called"]
    assert all(gate.may_fire(t) for t in named)
