"""Trained frame and theme classifiers, and their safe persistence.

Both are scikit-learn estimators over the same features: static sentence embeddings
(:mod:`forumnlp.tag.features`), word n-gram TF-IDF, and, when a rule tagger is given, the
rules' own outputs (which frame rule fired, which theme cues matched). The frame classifier
is a calibrated multinomial logistic regression; the theme classifier one calibrated
logistic regression per code with a decision threshold per code chosen on held-out data.

Models are saved with skops and loaded only against an allowlist of types: a file that would
need any other type (a pickle payload, a custom class) is refused with :class:`ModelError`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from forumnlp.tag.features import load_static_embedder


def _texts(X: Any) -> list[str]:
    if hasattr(X, "columns") and "text" in X.columns:
        X = X["text"]
    return ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in X]


def _marked(texts: list[str]) -> list[str]:
    """Prefix a start-of-unit marker so that n-grams see how a unit begins ("xxbos more")."""
    return ["xxbos " + t for t in texts]


@lru_cache(maxsize=4)
def _rule_tagger(codebook: str | None) -> Any:
    """The fitted rule tagger of a codebook, once per process (kept out of saved models)."""
    from forumnlp.codebook import load_codebook
    from forumnlp.tag.rules import RuleTagger

    return RuleTagger(codebook=load_codebook(codebook)).fit([])


class TextFeatures(TransformerMixin, BaseEstimator):
    """Static embeddings + word and character n-gram TF-IDF (+ rule outputs) as one sparse matrix.

    Parameters
    ----------
    static_model : str, optional
        model2vec folder; the shipped ``models/static`` when None.
    embedding_weight : float, default 1.0
        Scale of the embedding block relative to the TF-IDF block.
    ngram_max : int, default 2
        Longest word n-gram.
    min_df : int, default 2
        Minimum document frequency of an n-gram.
    char_ngrams : tuple of (int, int) or None, default (3, 5)
        Character n-grams inside word boundaries (``char_wb``) as a second TF-IDF block; they
        catch spelling variants, typos and word parts ("optimis", "chronolog", "powerles")
        that word n-grams miss. None: no character block.
    char_min_df : int, default 2
        Minimum document frequency of a character n-gram.
    char_weight : float, default 1.0
        Scale of the character block relative to the word block.
    rule_features : bool, default True
        Add the rule tagger's outputs (frame rule fired, theme cues matched) as features.
    codebook : str, optional
        Codebook YAML for the rule features; the default codebook when None.
    """

    def __init__(
        self,
        static_model: str | None = None,
        embedding_weight: float = 1.0,
        ngram_max: int = 2,
        min_df: int = 2,
        rule_features: bool = True,
        codebook: str | None = None,
        char_ngrams: tuple[int, int] | None = (3, 5),
        char_min_df: int = 2,
        char_weight: float = 1.0,
    ) -> None:
        self.static_model = static_model
        self.embedding_weight = embedding_weight
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.char_ngrams = char_ngrams
        self.char_min_df = char_min_df
        self.char_weight = char_weight
        self.rule_features = rule_features
        self.codebook = codebook

    def _rules(self) -> Any:
        return _rule_tagger(self.codebook)

    def _rule_block(self, texts: list[str], results: Sequence[Any] | None = None) -> sp.csr_matrix:
        if results is None:
            results = self._rules().annotate(texts)
        col = self.rule_index_
        rows, cols, vals = [], [], []
        for i, res in enumerate(results):
            if res.frame:
                key = f"frame={res.frame}"
                if key in col:
                    rows.append(i)
                    cols.append(col[key])
                    vals.append(float(res.frame_score or 1.0))
            for code in res.themes:
                key = f"theme={code}"
                if key in col:
                    rows.append(i)
                    cols.append(col[key])
                    vals.append(1.0)
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(col)), dtype=np.float32)

    def fit(self, X: Any, y: Any = None) -> TextFeatures:
        """Fit the TF-IDF vocabulary and fix the rule feature columns."""
        texts = _texts(X)
        self.tfidf_ = TfidfVectorizer(
            lowercase=True,
            ngram_range=(1, self.ngram_max),
            min_df=self.min_df,
            sublinear_tf=True,
            token_pattern=r"(?u)\b\w[\w'/-]*\b",
            dtype=np.float32,
        ).fit(_marked(texts))
        self.char_tfidf_ = None
        if self.char_ngrams:
            self.char_tfidf_ = TfidfVectorizer(
                lowercase=True,
                analyzer="char_wb",
                ngram_range=tuple(self.char_ngrams),
                min_df=self.char_min_df,
                sublinear_tf=True,
                dtype=np.float32,
            ).fit(texts)
        self.dim_ = load_static_embedder(self.static_model).dim
        if self.rule_features:
            tagger = self._rules()
            names = [f"frame={c}" for c in tagger.classes_] + [
                f"theme={c}" for c in tagger.theme_ids_
            ]
            self.rule_index_ = {n: i for i, n in enumerate(names)}
        else:
            self.rule_index_ = {}
        return self

    def transform(self, X: Any) -> sp.csr_matrix:
        """Return the feature matrix of the texts."""
        return self.transform_with(X)

    def transform_with(self, X: Any, rule_results: Sequence[Any] | None = None) -> sp.csr_matrix:
        """Like :meth:`transform`, reusing rule results already computed for the same texts."""
        check_is_fitted(self, "tfidf_")
        texts = _texts(X)
        emb = load_static_embedder(self.static_model).encode(texts) * self.embedding_weight
        blocks = [sp.csr_matrix(emb), self.tfidf_.transform(_marked(texts))]
        if getattr(self, "char_tfidf_", None) is not None:
            char = self.char_tfidf_.transform(texts)
            blocks.append(char * np.float32(self.char_weight) if self.char_weight != 1.0 else char)
        if self.rule_index_:
            blocks.append(self._rule_block(texts, rule_results))
        return sp.hstack(blocks, format="csr", dtype=np.float32)


class FrameClassifier(ClassifierMixin, BaseEstimator):
    """Frame classifier: calibrated logistic regression over :class:`TextFeatures`.

    Parameters
    ----------
    C : float, default 4.0
        Inverse regularisation strength.
    class_weight : str or None, default "balanced"
    calibration : {"sigmoid", "isotonic", None}, default "sigmoid"
        Probability calibration with 5-fold cross-validation (None: plain LR probabilities).
    features : TextFeatures, optional
        Feature extractor (cloned and fitted in ``fit``); default settings when None.
    random_state : int, default 0
    """

    def __init__(
        self,
        C: float = 4.0,
        class_weight: str | None = "balanced",
        calibration: str | None = "sigmoid",
        features: TextFeatures | None = None,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.features = features
        self.random_state = random_state

    def fit(self, X: Any, y: Sequence[str]) -> FrameClassifier:
        """Fit on texts ``X`` and frames ``y``; returns self."""
        from sklearn.base import clone

        texts = _texts(X)
        y = np.asarray([str(v) for v in y])
        if len(texts) != len(y):
            raise ValueError("X and y have different lengths")
        if self.calibration not in ("sigmoid", "isotonic", None):
            raise ValueError(f"calibration must be sigmoid, isotonic or None, not {self.calibration!r}")
        self.features_ = clone(self.features) if self.features is not None else TextFeatures()
        Xf = self.features_.fit_transform(texts)
        lr = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=3000, random_state=self.random_state
        )
        if self.calibration:
            self.estimator_ = CalibratedClassifierCV(lr, method=self.calibration, cv=5).fit(Xf, y)
        else:
            self.estimator_ = lr.fit(Xf, y)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(self.features_.transform(_texts(X)))

    def predict(self, X: Any) -> np.ndarray:
        """Most probable frame per text."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability threshold that maximises F1 for one code (0.5 when no positives)."""
    if y.sum() == 0:
        return 0.5
    best_t, best_f = 0.5, -1.0
    for t in np.arange(0.10, 0.91, 0.025):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f > best_f + 1e-9:
            best_t, best_f = float(t), f
    return best_t


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label theme classifier: one calibrated logistic regression per code.

    Parameters
    ----------
    codes : sequence of str, optional
        Theme ids in output order; learned from the labels when None.
    C : float, default 4.0
    calibration : {"sigmoid", "isotonic", None}, default "sigmoid"
    features : TextFeatures, optional
    random_state : int, default 0
    """

    def __init__(
        self,
        codes: Sequence[str] | None = None,
        C: float = 4.0,
        calibration: str | None = "sigmoid",
        features: TextFeatures | None = None,
        random_state: int = 0,
    ) -> None:
        self.codes = codes
        self.C = C
        self.calibration = calibration
        self.features = features
        self.random_state = random_state

    def _matrix(self, Y: Iterable[Iterable[str]]) -> np.ndarray:
        col = {c: j for j, c in enumerate(self.classes_)}
        rows = list(Y)
        m = np.zeros((len(rows), len(col)), dtype=np.int8)
        for i, codes in enumerate(rows):
            for c in codes:
                if c in col:
                    m[i, col[c]] = 1
        return m

    def fit(self, X: Any, Y: Sequence[Iterable[str]]) -> ThemeClassifier:
        """Fit on texts and code sets (iterables of theme ids); returns self."""
        from sklearn.base import clone

        texts = _texts(X)
        Y = [list(y) for y in Y]
        codes = list(self.codes) if self.codes is not None else sorted({c for y in Y for c in y})
        self.classes_ = np.asarray(codes, dtype=object)
        M = self._matrix(Y)
        self.features_ = clone(self.features) if self.features is not None else TextFeatures()
        Xf = self.features_.fit_transform(texts)
        self.estimators_: list[Any] = []
        for j in range(M.shape[1]):
            y = M[:, j]
            lr = LogisticRegression(
                C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state
            )
            if y.sum() < 6 or y.sum() == len(y):
                self.estimators_.append(None)
            elif self.calibration:
                cv = int(min(5, y.sum(), len(y) - y.sum()))
                self.estimators_.append(
                    CalibratedClassifierCV(lr, method=self.calibration, cv=cv).fit(Xf, y)
                )
            else:
                self.estimators_.append(lr.fit(Xf, y))
        self.thresholds_ = np.full(len(codes), 0.5)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each code, shape ``(n, n_codes)``."""
        check_is_fitted(self, "estimators_")
        Xf = self.features_.transform(_texts(X))
        out = np.zeros((Xf.shape[0], len(self.classes_)), dtype=np.float64)
        for j, est in enumerate(self.estimators_):
            if est is not None:
                out[:, j] = est.predict_proba(Xf)[:, 1]
        return out

    def tune_thresholds(self, X: Any, Y: Sequence[Iterable[str]], mode: str = "global") -> ThemeClassifier:
        """Choose decision thresholds on held-out data; returns self.

        ``mode="global"``: one threshold for every code, maximising micro-F1 (robust with a
        few hundred held-out rows); ``mode="per_code"``: each code's own F1-optimal threshold
        (needs many positives per code: with ~20 per code on dev it overfits).
        """
        P = self.predict_proba(X)
        M = self._matrix([list(y) for y in Y])
        if mode == "per_code":
            self.thresholds_ = np.array([_best_threshold(M[:, j], P[:, j]) for j in range(M.shape[1])])
            return self
        best_t, best_f = 0.5, -1.0
        for t in np.arange(0.15, 0.71, 0.025):
            pred = t <= P
            tp = float((pred & (M == 1)).sum())
            fp = float((pred & (M == 0)).sum())
            fn = float((~pred & (M == 1)).sum())
            f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f > best_f + 1e-9:
                best_t, best_f = float(round(t, 3)), f
        self.thresholds_ = np.full(M.shape[1], best_t)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Binary indicator matrix ``(n, n_codes)``."""
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int8)

    def predict_sets(self, X: Any) -> list[list[str]]:
        """Predicted code ids per text, in ``classes_`` order."""
        M = self.predict(X)
        return [[str(c) for c, v in zip(self.classes_, row, strict=True) if v] for row in M]


def stable_split(key: str, *, dev: float = 0.15, test: float = 0.15) -> str:
    """Assign ``key`` (e.g. a unit's text) to train/dev/test by a hash: stable across runs."""
    h = int(hashlib.sha256(key.strip().lower().encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    if h < test:
        return "test"
    if h < test + dev:
        return "dev"
    return "train"




class StaticEmbeddingTransformer(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: texts -> static sentence embeddings.

    Parameters
    ----------
    model_path : str, optional
        A model2vec folder; the shipped ``models/static`` when None. The folder is referenced,
        not copied, when a classifier is saved.
    """

    def __init__(self, model_path: str | None = None) -> None:
        self.model_path = model_path

    def fit(self, X: Iterable[str], y: Any = None) -> StaticEmbeddingTransformer:
        """Check that the model loads; returns self."""
        self.dim_ = load_static_embedder(self.model_path).dim
        return self

    def transform(self, X: Iterable[str]) -> np.ndarray:
        """Embed the texts."""
        return load_static_embedder(self.model_path).encode(list(X))
