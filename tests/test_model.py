"""Trained models: the shipped model, safe persistence, the estimator contract, train/evaluate."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from forumnlp.cli import run
from forumnlp.errors import InputError, ModelError
from forumnlp.tag.model import FrameClassifier, TextFeatures, ThemeClassifier, stable_split
from forumnlp.tag.persist import DEFAULT_MODEL, ForumModel
from forumnlp.train import load_labelled, train_models

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "labelled" / "units.csv"
SURVEY_CODEBOOK = ROOT / "tests" / "data" / "rules" / "school_survey.yaml"


@pytest.fixture(scope="module")
def shipped() -> ForumModel:
    return ForumModel.load()


def test_shipped_model_card_has_test_metrics(shipped: ForumModel) -> None:
    card = shipped.card
    assert card["codebook"]["name"] == "child_protection"
    assert set(card["test_metrics"]) >= {"frame_macro_f1", "theme_micro_f1", "theme_alpha"}
    assert card["training"]["rows"]["test"] > 300
    assert len(card["themes"]) == 21


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("Stop closing cases when families miss two appointments", "stop"),
        ("Keep the monthly MAG meetings going", "keep"),
        ("We need CP supervision for health visitors", "start"),
        ("Lunch was lovely and the venue was easy to find", "none"),
    ],
)
def test_shipped_model_reads_clear_comments(shipped: ForumModel, text: str, frame: str) -> None:
    frames, scores, _, _ = shipped.predict([text])
    assert frames == [frame]
    assert 0.0 < scores[0] <= 1.0


def test_shipped_model_themes(shipped: ForumModel) -> None:
    _, _, sets, scores = shipped.predict(["Adult mental health staff should come to case conferences"])
    assert "practice.adult_services" in sets[0]
    assert all(0.0 <= v <= 1.0 for v in scores[0].values())


def test_inference_form_equals_the_estimators(shipped: ForumModel) -> None:
    """The numpy inference form reproduces the calibrated scikit-learn estimators."""
    texts = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)["text"].head(60).tolist()
    np.testing.assert_allclose(shipped.inference.frame_proba(texts), shipped.frame.predict_proba(texts), atol=1e-6)
    np.testing.assert_allclose(shipped.inference.theme_proba(texts), shipped.themes.predict_proba(texts), atol=1e-6)


def test_inference_form_equals_the_estimators_on_awkward_text(shipped: ForumModel) -> None:
    """Empty units, odd whitespace, accents, one-letter words, long words: the same probabilities."""
    texts = ["", "   ", "a", "Ab  cD\tEF\n", "naïve café ÉCOLE", "x", "it's co-ordination/IRD 3rd!!",
             "antidisestablishmentarianism", "CHRONOLOGY chronolgy chronologies", "😀 ok"]
    np.testing.assert_allclose(shipped.inference.frame_proba(texts), shipped.frame.predict_proba(texts), atol=1e-6)
    np.testing.assert_allclose(shipped.inference.theme_proba(texts), shipped.themes.predict_proba(texts), atol=1e-6)


def test_inference_gives_the_same_bits_in_any_batch_size(shipped: ForumModel) -> None:
    """A unit's probabilities do not depend on how many units are scored with it."""
    texts = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)["text"].head(300).tolist()
    inf = shipped.inference
    whole = inf.theme_proba(texts), inf.frame_proba(texts)
    for size in (1, 7, 256, 257):
        parts = [texts[i : i + size] for i in range(0, len(texts), size)]
        assert np.array_equal(np.vstack([inf.theme_proba(p) for p in parts]), whole[0])
        assert np.array_equal(np.vstack([inf.frame_proba(p) for p in parts]), whole[1])


def test_character_ngrams_match_scikit_learn() -> None:
    """The numpy char_wb TF-IDF equals TfidfVectorizer(analyzer="char_wb"), cached words included."""
    from forumnlp.tag.inference import _features_meta
    from forumnlp.tag.vectorize import CharTfidf

    texts = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)["text"].tolist()
    feats = TextFeatures(rule_features=False, char_ngrams=(2, 5)).fit(texts[:400])
    meta, _ = _features_meta(feats)
    char = CharTfidf(meta["char"], np.asarray(feats.char_tfidf_.idf_, dtype=np.float64))
    sample = [*texts[400:520], "", "  ", "a b", "A  a\ta", "é", "aaaaaaa aaaaaaa", "banana bananas nanana"]
    for _ in range(2):  # the second pass reads the per-word cache
        np.testing.assert_allclose(
            char.transform(sample).toarray(), feats.char_tfidf_.transform(sample).toarray(), atol=1e-6
        )
    assert TextFeatures(rule_features=False, char_ngrams=None).fit(texts[:50]).char_tfidf_ is None


def _copy_model(tmp_path: Path) -> Path:
    dest = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL, dest)
    return dest


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


def test_a_pickle_payload_in_a_model_file_is_refused(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    marker = tmp_path / "pwned"
    (folder / "frame.skops").write_bytes(pickle.dumps(_Payload(marker)))
    model = ForumModel.load(folder)  # the inference form is arrays: loading it runs nothing
    with pytest.raises(ModelError, match="not a valid skops model file"):
        _ = model.frame
    assert not marker.exists()


def test_a_skops_file_with_an_unexpected_type_is_refused(tmp_path: Path) -> None:
    import fractions

    import skops.io as sio

    folder = _copy_model(tmp_path)
    sio.dump({"x": fractions.Fraction(1, 3)}, str(folder / "themes.skops"))
    with pytest.raises(ModelError, match="outside forumnlp's allowlist"):
        _ = ForumModel.load(folder).themes
    sio.dump({"x": [1, 2]}, str(folder / "themes.skops"))  # safe types, but not a model
    with pytest.raises(ModelError, match="does not hold a forumnlp ThemeClassifier"):
        _ = ForumModel.load(folder).themes


def test_pickle_files_in_a_model_folder_are_refused(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    (folder / "extra.pkl").write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ModelError, match=r"refusing to load extra\.pkl"):
        ForumModel.load(folder)


def test_missing_or_broken_model_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        ForumModel.load(tmp_path / "nope")
    folder = _copy_model(tmp_path)
    (folder / "inference.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot read the inference files"):
        ForumModel.load(folder)


SURVEY = [
    ("Marking load is unmanageable at the moment", "stop", "workload"),
    ("We need fewer meetings after school", "start", "workload"),
    ("Keep the protected planning time on Fridays", "keep", "workload"),
    ("Planning time works well now", "good_practice", "workload"),
    ("Behaviour in the corridors has got worse", "none", "behaviour"),
    ("Stop sending pupils back to class with no follow-up", "stop", "behaviour"),
    ("Start a consistent behaviour policy across departments", "start", "behaviour"),
    ("The new behaviour system is working well", "good_practice", "behaviour"),
    ("Continue the restorative conversations", "keep", "behaviour"),
    ("Nice biscuits at the meeting", "none", ""),
]


def _survey_table(n: int = 12) -> pd.DataFrame:
    rows = []
    for k in range(n):
        for text, frame, theme in SURVEY:
            rows.append({"text": f"{text} ({k})" if k else text, "frame": frame, "themes": theme})
    return pd.DataFrame(rows)


def test_estimators_follow_the_scikit_learn_contract() -> None:
    feats = TextFeatures(rule_features=False, min_df=1)
    clf = FrameClassifier(C=2.0, features=feats, calibration=None)
    assert clone(clf).get_params()["C"] == 2.0
    clf.set_params(C=3.0)
    data = _survey_table(3)
    assert clf.fit(data["text"], data["frame"]) is clf
    assert clf.predict_proba(data["text"]).shape == (len(data), 5)
    assert set(clf.predict(data["text"])) <= set(clf.classes_)
    themes = ThemeClassifier(codes=["workload", "behaviour"], features=feats, calibration=None)
    sets = [[t] if t else [] for t in data["themes"]]
    assert themes.fit(data["text"], sets) is themes
    assert themes.predict(data["text"]).shape == (len(data), 2)
    with pytest.raises(ValueError, match="calibration"):
        FrameClassifier(calibration="magic", features=feats).fit(data["text"], data["frame"])


def test_train_with_a_user_codebook_saves_and_reloads(tmp_path: Path) -> None:
    """Any codebook can be trained: save, load (inference form) and tag with it."""
    from forumnlp.tag import tag

    data = load_labelled(_survey_table(), str(SURVEY_CODEBOOK))
    model = train_models(data, codebook=str(SURVEY_CODEBOOK))
    out = model.save(tmp_path / "survey-model")
    loaded = ForumModel.load(out)
    texts = ["Keep the protected planning time on Fridays", "Stop sending pupils back to class"]
    assert loaded.predict(texts)[0] == model.predict(texts)[0]
    units = pd.DataFrame({"text": texts})
    tagged = tag(units, codebook=str(SURVEY_CODEBOOK), model=loaded)
    assert tagged["frame"].tolist() == ["keep", "stop"]
    assert "behaviour" in tagged.loc[1, "themes"]


def test_load_labelled_reports_bad_labels(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"text": ["a", "b"], "frame": ["keep", "maybe"], "themes": ["", ""]}).to_csv(bad, index=False)
    with pytest.raises(InputError, match=r"row 3: unknown frame 'maybe'"):
        load_labelled(bad)
    pd.DataFrame({"text": ["a"], "frame": ["keep"], "themes": ["practice.nope"]}).to_csv(bad, index=False)
    with pytest.raises(InputError, match=r"unknown theme code .practice\.nope."):
        load_labelled(bad)


def test_stable_split_is_stable_and_balanced() -> None:
    texts = [f"comment number {i}" for i in range(2000)]
    first = [stable_split(t) for t in texts]
    assert first == [stable_split(t) for t in texts]
    share = pd.Series(first).value_counts(normalize=True)
    assert 0.65 < share["train"] < 0.75 and 0.1 < share["test"] < 0.2


def test_cli_train_then_evaluate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "survey.csv"
    _survey_table().to_csv(table, index=False)
    model_dir = tmp_path / "m"
    assert run(["train", str(table), "-o", str(model_dir), "--codebook", str(SURVEY_CODEBOOK)]) == 0
    assert (model_dir / "inference.safetensors").exists()
    report = tmp_path / "eval.json"
    code = run([
        "evaluate", str(table), "--model", str(model_dir), "--codebook", str(SURVEY_CODEBOOK),
        "--split", "all", "--baselines", "tfidf_lr,rules", "-o", str(report),
    ])
    assert code == 0
    out = capsys.readouterr().out
    assert "frame_macro_f1" in out and "Confusion matrix" in out and "tfidf_lr" in out
    assert report.exists()
    assert run(["evaluate", str(table), "--baselines", "nope"]) == 2
