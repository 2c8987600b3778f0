"""RuleTagger: the estimator contract, and frames/themes/evidence on realistic comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from forumnlp.codebook import load_codebook
from forumnlp.errors import InputError
from forumnlp.tag.rules import FrameDecision, RuleTagger


@pytest.fixture(scope="module")
def tagger() -> RuleTagger:
    return RuleTagger().fit(None)


# -- the estimator contract -----------------------------------------------------------------------
def test_params_are_stored_as_given_and_validated_in_fit() -> None:
    t = RuleTagger(codebook="nope.yaml", frame_rules=None, min_confidence=5)
    assert t.get_params() == {"codebook": "nope.yaml", "frame_rules": None, "min_confidence": 5}
    with pytest.raises(InputError, match="min_confidence"):
        t.fit(["x"])
    t.set_params(min_confidence=0.5)
    assert t.min_confidence == 0.5
    with pytest.raises(InputError, match="not found"):
        t.fit(["x"])


def test_fit_returns_self_with_fitted_attributes(tagger: RuleTagger) -> None:
    t = RuleTagger()
    assert not hasattr(t, "classes_")
    assert t.fit(["anything"], ["keep"]) is t
    assert list(t.classes_) == ["keep", "stop", "start", "good_practice", "none"]
    assert t.theme_ids_[0] == "risk.substance_misuse" and "practice.service_access" in t.theme_ids_
    assert t.codebook_.name == "child_protection"


def test_clone_and_pipeline() -> None:
    cb = load_codebook()
    t = RuleTagger(codebook=cb, min_confidence=0.3)
    c = clone(t)
    assert c is not t and c.get_params()["min_confidence"] == 0.3 and c.codebook == cb
    assert not hasattr(c, "annotator_")
    pipe = Pipeline([("rules", RuleTagger())]).fit(["x"])
    assert pipe.predict(["Stop sending letters"]).tolist() == ["stop"]
    pipe.set_params(rules__min_confidence=0.99).fit(["x"])
    assert pipe.predict(["Stop sending letters"]).tolist() == ["none"]


def test_unfitted_tagger_refuses_to_predict() -> None:
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        RuleTagger().predict(["x"])


def test_predict_proba_rows_sum_to_one_and_agree_with_predict(tagger: RuleTagger) -> None:
    texts = ["Don't stop the MAGs", "Very informative session", "Mum is drinking again", "",
             "We need more joint training", "Joint visits are now the norm"]
    proba = tagger.predict_proba(texts)
    assert proba.shape == (len(texts), 5)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    pred = tagger.predict(texts)
    decided = [not d.abstained for d in tagger.predict_frames(texts)]
    for row, label, dec in zip(proba, pred, decided, strict=True):
        if dec:
            assert tagger.classes_[row.argmax()] == label
        else:
            np.testing.assert_allclose(row, 0.2)


def test_predict_frames_reports_abstention(tagger: RuleTagger) -> None:
    keep, unknown = tagger.predict_frames(["Don't stop the MAGs", "Mum is drinking again"])
    assert keep == FrameDecision("keep", 0.85, "keep.dont_stop", [[0, 10]], False)
    assert unknown.abstained and unknown.frame == "none" and unknown.rule is None and unknown.score == 0.2


def test_accepts_series_and_dataframe_but_not_a_bare_string(tagger: RuleTagger) -> None:
    s = pd.Series(["Stop the IAF", None])
    assert tagger.predict(s).tolist() == ["stop", "none"]
    df = pd.DataFrame({"text": ["Stop the IAF"], "other": [1]})
    assert tagger.predict(df).tolist() == ["stop"]
    with pytest.raises(InputError):
        tagger.predict("Stop the IAF")
    with pytest.raises(InputError):
        tagger.predict(pd.DataFrame({"comment": ["x"]}))


def test_min_confidence_drops_weak_rules() -> None:
    strict = RuleTagger(min_confidence=0.9).fit(None)
    assert strict.predict(["Stop sending letters"]).tolist() == ["none"]
    assert strict.predict_themes(["Mum is drinking again"])[0] == [[]]


# -- frames on realistic comments ------------------------------------------------------------------
FRAME_CASES = [
    # keep, with negation of stop verbs
    ("Don't stop the MAGs", "keep"),
    ("Do not stop joint visits with the HV", "keep"),
    ("We shouldn't stop TAC meetings, they work", "keep"),
    ("Never stop listening to children", "keep"),
    ("Keep the monthly TAC meetings", "keep"),
    ("Continue joint visits with HVs", "keep"),
    ("Carry on with the practitioner forums", "keep"),
    ("Keep having informal chats with colleagues from other agencies", "keep"),
    ("More of the same please", "keep"),
    ("MAGs - keep", "keep"),
    # stop
    ("Stop closing cases when families DNA", "stop"),
    ("No more duplicate IAF forms", "stop"),
    ("Discharging families for non-attendance", "stop"),
    ("Relying on SW to hold all the risk", "stop"),
    ("Too much paperwork", "stop"),
    ("Over-reliance on social work", "stop"),
    ("Avoid jargon in CP reports", "stop"),
    ("Get rid of the IAF", "stop"),
    ("The MAG is not working well", "stop"),  # criticism of a named practice
    ("Useful but far too long", "stop"),  # the clause after "but" decides
    ("The MAGs are useful but far too long", "stop"),
    ("Not sharing information because of GDPR worries", "start"),  # something not done: a need
    # start
    ("Be more analytical in assessments", "start"),
    ("Ensure dads are included in the assessment", "start"),
    ("Make sure the child is seen alone", "start"),
    ("Invite adult services to the MAG", "start"),
    ("Use the resilience matrix", "start"),
    ("I will start a chronology as soon as I have a worry", "start"),
    ("I'm going to ask about DA at every contact", "start"),
    ("We need more mutli agency training on neglect", "start"),
    ("There should be a named person for every child under GIRFEC", "start"),
    ("It'd be great if SW fed back after a referral", "start"),
    ("More joint training with police", "start"),
    ("Better communication between GP and HV", "start"),
    ("Not enough time to read the chronolgy before conference", "start"),
    ("SW do not always attend core groups", "start"),
    ("Joint visits are no longer happening", "start"),
    ("Why don't we have one chronology for each child?", "start"),
    ("Although the training was good, it needs to be more regular", "start"),
    ("Adult mental health staff should come to case conferences", "start"),
    # good practice
    ("Joint visits are now the norm", "good_practice"),
    ("Information sharing with police has improved", "good_practice"),
    ("The new chronology format works well", "good_practice"),
    ("Supervision is excellent and really supportive", "good_practice"),
    ("Good joint working between HV and SW", "good_practice"),
    ("Police concern reports come through the same day now", "good_practice"),
    ("The MARAC process is well established", "good_practice"),
    # none: event feedback and logistics
    ("Very informative session", "none"),
    ("Enjoyed the session, thank you", "none"),
    ("The room was too hot", "none"),
    ("Lunch was lovely", "none"),
    ("n/a", "none"),
    ("Nothing to add", "none"),
    ("Good session but the venue was too cold", "none"),
    ("Excellent speakers", "none"),
    ("More time for questions", "none"),
]


@pytest.mark.parametrize(("text", "frame"), FRAME_CASES)
def test_frames_of_realistic_comments(tagger: RuleTagger, text: str, frame: str) -> None:
    assert tagger.predict([text])[0] == frame, tagger.explain(text)


def test_every_frame_is_covered_by_the_cases() -> None:
    assert {f for _, f in FRAME_CASES} == set(RuleTagger().fit().classes_)


def test_bare_practice_fragment_abstains(tagger: RuleTagger) -> None:
    (d,) = tagger.predict_frames(["Multi-agency training"])
    assert d.abstained  # the heading (structure) decides such fragments


# -- themes and evidence -------------------------------------------------------------------------------
THEME_CASES = [
    ("Parental drinking was missed for months", "risk.substance_misuse", ["drinking"]),
    ("Mum disclosed coercive control by her partner", "risk.domestic_abuse", ["coercive control"]),
    ("Dad's depression got worse after the baby was born", "risk.mental_health", ["depression"]),
    ("Long-standing neglect of the children's basic needs", "risk.neglect", ["neglect", "basic needs"]),
    ("The toxic trio of drugs, DA and MH together", "risk.cumulative", ["toxic trio"]),
    ("We took mum's explanation at face value", "finding.parent_focus", ["mum's explanation", "face value"]),
    ("Staff need confidence to challenge hostile parents", "finding.challenge", ["challenge", "hostile"]),
    ("Nobody asked the child what she wanted", "finding.child_voice", ["asked the child"]),
    ("Warning signs were missed", "finding.risk_recognition", ["Warning signs", "signs were missed"]),
    ("Everyone thought it was social work's job", "finding.roles", ["social work's job"]),
    ("I felt powerless and stuck with this family", "finding.powerlessness", ["powerless", "stuck"]),
    ("Don't stop the MAGs", "practice.multiagency", ["MAGs"]),
    ("We need more mutli agency training", "practice.multiagency", ["mutli agency"]),
    ("Information sharing with police has improved", "practice.information_sharing", ["Information sharing"]),
    ("Carry on with the practitioner forums", "practice.training", ["practitioner forums"]),
    ("Not enough time to read the chronolgy before conference", "practice.chronologies", ["chronolgy"]),
    ("Use the resilience matrix", "practice.assessment", ["resilience matrix"]),
    ("Supervision is excellent and really supportive", "practice.supervision", ["Supervision"]),
    ("No more duplicate IAF forms", "practice.paperwork", ["IAF", "forms"]),
    ("Invite adult services to the MAG", "practice.adult_services", ["adult services"]),
    ("There should be a named person for every child under GIRFEC", "practice.early_intervention",
     ["named person", "GIRFEC"]),
    ("Discharging families for non-attendance", "practice.service_access", ["Discharging", "non-attendance"]),
]


@pytest.mark.parametrize(("text", "code", "words"), THEME_CASES)
def test_theme_evidence_points_at_the_matched_words(tagger: RuleTagger, text: str, code: str,
                                                     words: list[str]) -> None:
    (res,) = tagger.annotate([text])
    assert code in res.themes
    assert 0.0 < res.theme_scores[code] <= 1.0
    found = [text[s:e] for ev in res.evidence[code] for s, e in ev["spans"]]
    for w in words:
        assert w in found, (w, found)
    for ev in res.evidence[code]:
        (s, e), *_ = ev["spans"]
        assert ev["match"] == text[s:e] and ev["rule"]


def test_every_theme_code_is_covered_by_the_cases(tagger: RuleTagger) -> None:
    assert {c for _, c, _ in THEME_CASES} == set(tagger.theme_ids_)


def test_frame_evidence_spans_and_themes_in_codebook_order(tagger: RuleTagger) -> None:
    text = "Adult mental health staff should come to case conferences"
    (res,) = tagger.annotate([text])
    assert res.themes == ["risk.mental_health", "practice.multiagency", "practice.adult_services"]
    assert res.frame == "start"
    (ev,) = res.evidence["start"]
    assert text[ev["spans"][0][0]:ev["spans"][0][1]] == "should come"
    assert res.frame_spans == ev["spans"]


def test_negative_patterns_veto_overlapping_matches(tagger: RuleTagger) -> None:
    themes, _ = tagger.predict_themes([
        "Young people's drug use in the area is rising",
        "CAMHS waiting lists for children's mental health are over a year",
        "Mum's mental health has deteriorated",
    ])
    assert "risk.substance_misuse" not in themes[0]
    assert "risk.mental_health" not in themes[1]
    assert "risk.mental_health" in themes[2]


def test_explain_is_plain_data(tagger: RuleTagger) -> None:
    import json

    out = tagger.explain("Don't stop the MAGs")
    assert json.loads(json.dumps(out)) == out
    assert out["frame"] == "keep" and out["frame_rule"] == "keep.dont_stop" and not out["abstained"]


def test_criticism_without_a_named_practice_abstains(tagger: RuleTagger) -> None:
    # "not working" is a stop only when a practice (a theme code) is named
    assert tagger.predict_frames(["It is not working"])[0].abstained
    assert tagger.predict(["The MAG is not working"]).tolist() == ["stop"]


@pytest.mark.parametrize(
    ("text", "frame", "rule"),
    [
        ("MAGs are useful but far too long", "stop", "stop.too_much"),
        ("Too long, but the MAGs work well", "good_practice", "good.works_well"),
        ("Although the forms are too long, they work well", "good_practice", "good.works_well"),
        ("Information sharing has improved but we still need feedback on referrals", "start", "start.need"),
    ],
)
def test_the_clause_after_a_contrast_decides(tagger: RuleTagger, text: str, frame: str, rule: str) -> None:
    (d,) = tagger.predict_frames([text])
    assert (d.frame, d.rule) == (frame, rule)
