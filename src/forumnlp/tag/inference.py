"""The trained models' inference form: plain arrays in safetensors plus JSON, numpy only.

Tagging must start fast and import neither scikit-learn nor anything that pulls in torch, so
the fitted estimators are exported to what prediction needs: the TF-IDF vocabulary and idf
weights, the logistic regressions' coefficients of every cross-validation fold, and each
fold's sigmoid calibrators. :class:`LinearInference` recomputes exactly what
``CalibratedClassifierCV(LogisticRegression, method="sigmoid").predict_proba`` gives (a test
checks the two agree to 1e-6). Nothing here can execute code from a file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from forumnlp.errors import ModelError
from forumnlp.tag.vectorize import Blocks, CharTfidf, Tfidf

INFERENCE_FORMAT = "forumnlp-inference/1"


def _calibrated_parts(est: Any) -> list[dict[str, np.ndarray]]:
    """Folds of a fitted CalibratedClassifierCV (or a plain LogisticRegression) as arrays."""
    parts = []
    folds = getattr(est, "calibrated_classifiers_", None)
    if folds is None:  # plain logistic regression: no calibration
        return [{"coef": est.coef_, "intercept": est.intercept_, "a": np.zeros(0), "b": np.zeros(0)}]
    for fold in folds:
        if fold.method != "sigmoid":
            raise ModelError("only sigmoid-calibrated models can be exported for inference")
        lr = fold.estimator
        parts.append(
            {
                "coef": np.asarray(lr.coef_, dtype=np.float64),
                "intercept": np.asarray(lr.intercept_, dtype=np.float64),
                "a": np.array([c.a_ for c in fold.calibrators], dtype=np.float64),
                "b": np.array([c.b_ for c in fold.calibrators], dtype=np.float64),
            }
        )
    return parts


def _proba(parts: list[dict[str, np.ndarray]], X: Any, n_classes: int) -> np.ndarray:
    """Mean over folds of the sigmoid-calibrated one-vs-rest probabilities."""
    total = np.zeros((X.shape[0], n_classes))
    for part in parts:
        scores = np.asarray(X @ part["coef"].T) + part["intercept"]
        if not len(part["a"]):  # uncalibrated LR
            if n_classes == 2:
                p1 = 1.0 / (1.0 + np.exp(-scores[:, 0]))
                total += np.column_stack([1 - p1, p1])
            else:
                z = scores - scores.max(axis=1, keepdims=True)
                e = np.exp(z)
                total += e / e.sum(axis=1, keepdims=True)
            continue
        cal = 1.0 / (1.0 + np.exp(scores * part["a"] + part["b"]))
        if n_classes == 2:
            proba = np.column_stack([1.0 - cal[:, 0], cal[:, 0]])
        else:
            denom = cal.sum(axis=1, keepdims=True)
            proba = np.divide(cal, denom, out=np.full_like(cal, 1.0 / n_classes), where=denom != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        total += proba
    return total / len(parts)


def _features_meta(feats: Any) -> tuple[dict[str, Any], np.ndarray]:
    vec = feats.tfidf_
    meta = {
        "vocabulary": {str(k): int(v) for k, v in vec.vocabulary_.items()},
        "token_pattern": vec.token_pattern,
        "ngram_range": list(vec.ngram_range),
        "sublinear_tf": bool(vec.sublinear_tf),
        "lowercase": bool(vec.lowercase),
        "embedding_weight": float(feats.embedding_weight),
        "static_model": feats.static_model,
        "rule_index": dict(feats.rule_index_),
        "codebook": feats.codebook,
    }
    char = getattr(feats, "char_tfidf_", None)
    if char is not None:
        meta["char"] = {
            "vocabulary": {str(k): int(v) for k, v in char.vocabulary_.items()},
            "ngram_range": list(char.ngram_range),
            "sublinear_tf": bool(char.sublinear_tf),
            "lowercase": bool(char.lowercase),
            "weight": float(feats.char_weight),
        }
    return meta, np.asarray(vec.idf_, dtype=np.float64)


def export_inference(frame: Any, themes: Any) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Arrays and metadata of a fitted FrameClassifier and ThemeClassifier."""
    tensors: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {"format": INFERENCE_FORMAT}
    for name, clf in (("frame", frame), ("themes", themes)):
        fmeta, idf = _features_meta(clf.features_)
        meta[f"{name}_features"] = fmeta
        tensors[f"{name}.idf"] = idf
        if "char" in fmeta:
            tensors[f"{name}.char_idf"] = np.asarray(clf.features_.char_tfidf_.idf_, dtype=np.float64)
    has_frame = hasattr(frame, "estimator_")
    meta["frame_classes"] = [str(c) for c in frame.classes_] if has_frame else []
    if has_frame:
        parts = _calibrated_parts(frame.estimator_)
        meta["frame_folds"] = len(parts)
        for k, part in enumerate(parts):
            for key, arr in part.items():
                tensors[f"frame.{k}.{key}"] = np.asarray(arr, dtype=np.float64)
    meta["theme_classes"] = [str(c) for c in themes.classes_]
    meta["theme_folds"] = []
    for j, est in enumerate(themes.estimators_):
        if est is None:
            meta["theme_folds"].append(0)
            continue
        parts = _calibrated_parts(est)
        meta["theme_folds"].append(len(parts))
        for k, part in enumerate(parts):
            for key, arr in part.items():
                tensors[f"themes.{j}.{k}.{key}"] = np.asarray(arr, dtype=np.float64)
    meta["thresholds"] = [float(t) for t in themes.thresholds_]
    return tensors, meta


class LinearInference:
    """Frame and theme prediction from exported arrays (no scikit-learn, no pickle).

    Parameters
    ----------
    tensors : dict of str to numpy.ndarray
    meta : dict
        As written by :func:`export_inference`.
    """

    def __init__(self, tensors: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        if meta.get("format") != INFERENCE_FORMAT:
            raise ModelError(f"unknown inference format {meta.get('format')!r}")
        self.meta = meta
        self.frame_classes = list(meta["frame_classes"])
        self.theme_classes = list(meta["theme_classes"])
        self.thresholds = np.asarray(meta["thresholds"], dtype=np.float64)
        self._feats = {
            name: (meta[f"{name}_features"], Tfidf(meta[f"{name}_features"], tensors[f"{name}.idf"]))
            for name in ("frame", "themes")
        }
        self._chars = {
            name: CharTfidf(meta[f"{name}_features"]["char"], tensors[f"{name}.char_idf"])
            for name in ("frame", "themes")
            if "char" in meta[f"{name}_features"]
        }
        fm, tm = meta["frame_features"], meta["themes_features"]
        self._shared_tfidf = (
            fm["vocabulary"] == tm["vocabulary"]
            and fm["token_pattern"] == tm["token_pattern"]
            and fm["ngram_range"] == tm["ngram_range"]
            and np.array_equal(tensors["frame.idf"], tensors["themes.idf"])
        )
        self._shared_char = (  # one transform for both models; each scales it by its weight
            len(self._chars) == 2
            and {k: v for k, v in fm["char"].items() if k != "weight"}
            == {k: v for k, v in tm["char"].items() if k != "weight"}
            and np.array_equal(tensors["frame.char_idf"], tensors["themes.char_idf"])
        )

        def parts(prefix: str, n: int) -> list[dict[str, np.ndarray]]:
            return [
                {k: tensors[f"{prefix}.{i}.{k}"] for k in ("coef", "intercept", "a", "b")} for i in range(n)
            ]

        self.frame_parts = parts("frame", int(meta.get("frame_folds", 0)))
        self._frame_stacked: tuple[np.ndarray, ...] | None = None
        self.theme_parts = [parts(f"themes.{j}", n) if n else [] for j, n in enumerate(meta["theme_folds"])]
        # every binary fold of every code in one matrix: one sparse product per batch
        cols, owners = [], []
        for j, fold_list in enumerate(self.theme_parts):
            for part in fold_list:
                if len(part["a"]):
                    cols.append((part["coef"][0], part["intercept"][0], part["a"][0], part["b"][0]))
                    owners.append(j)
        self._stacked = None
        if cols and len(cols) == sum(len(f) for f in self.theme_parts):
            self._stacked = (
                np.stack([c[0] for c in cols], axis=1),
                np.array([c[1] for c in cols]),
                np.array([c[2] for c in cols]),
                np.array([c[3] for c in cols]),
                np.array(owners),
            )

    @classmethod
    def load(cls, folder: Path) -> LinearInference:
        """Read ``inference.safetensors`` and ``inference.json`` from a model folder."""
        from safetensors.numpy import load_file

        weights, meta_file = folder / "inference.safetensors", folder / "inference.json"
        if not weights.exists() or not meta_file.exists():
            raise ModelError(f"{folder}: no inference files (inference.safetensors, inference.json)")
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            tensors = load_file(str(weights))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{folder}: cannot read the inference files ({exc})") from exc
        return cls(tensors, meta)

    def _matrix(self, name: str, texts: list[str], rule_results: Sequence[Any] | None, cache: dict) -> Any:
        from forumnlp.tag.features import load_static_embedder

        fmeta, tfidf = self._feats[name]
        key = (fmeta["static_model"], fmeta["embedding_weight"])
        if key not in cache:
            cache[key] = load_static_embedder(fmeta["static_model"]).encode(texts) * fmeta["embedding_weight"]
        tkey = "tfidf" if self._shared_tfidf else f"tfidf-{name}"
        if tkey not in cache:
            cache[tkey] = tfidf.transform(["xxbos " + t for t in texts])
        blocks = [cache[tkey]]
        if name in self._chars:
            ckey = "char" if self._shared_char else f"char-{name}"
            if ckey not in cache:
                cache[ckey] = self._chars[name].transform(texts)
            weight = self._chars[name].weight
            blocks.append(cache[ckey] * np.float32(weight) if weight != 1.0 else cache[ckey])
        index = fmeta["rule_index"]
        if index:
            if rule_results is None:
                from forumnlp.tag import annotator_for

                rule_results = annotator_for(fmeta["codebook"]).annotate(texts)
            rows, cols, vals = [], [], []
            for i, res in enumerate(rule_results):
                if res.frame and f"frame={res.frame}" in index:
                    rows.append(i)
                    cols.append(index[f"frame={res.frame}"])
                    vals.append(float(res.frame_score or 1.0))
                for code in res.themes:
                    if f"theme={code}" in index:
                        rows.append(i)
                        cols.append(index[f"theme={code}"])
                        vals.append(1.0)
            blocks.append(sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(index)), dtype=np.float32))
        dense = np.asarray(cache[key], dtype=np.float32).reshape(len(texts), -1)
        return Blocks(dense, sp.hstack(blocks, format="csr", dtype=np.float32))

    def frame_proba(self, texts: list[str], rule_results: Sequence[Any] | None = None, cache: dict | None = None) -> np.ndarray:
        """Calibrated frame probabilities, columns in ``frame_classes`` order."""
        X = self._matrix("frame", texts, rule_results, {} if cache is None else cache)
        k = len(self.frame_classes)
        parts = self.frame_parts
        if k <= 2 or not parts or not all(len(p["a"]) for p in parts):
            return _proba(parts, X, k)
        if self._frame_stacked is None:  # every fold's coefficients in one matrix
            self._frame_stacked = (
                np.ascontiguousarray(np.concatenate([p["coef"].T for p in parts], axis=1)),
                np.concatenate([p["intercept"] for p in parts]),
                np.concatenate([p["a"] for p in parts]),
                np.concatenate([p["b"] for p in parts]),
            )
        W, b0, a, b = self._frame_stacked
        scores = np.asarray(X @ W) + b0
        cal = (1.0 / (1.0 + np.exp(scores * a + b))).reshape(len(texts), len(parts), k)
        denom = cal.sum(axis=2, keepdims=True)
        proba = np.divide(cal, denom, out=np.full_like(cal, 1.0 / k), where=denom != 0)
        proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba.sum(axis=1) / len(parts)

    def theme_proba(self, texts: list[str], rule_results: Sequence[Any] | None = None, cache: dict | None = None) -> np.ndarray:
        """Probability of each theme code, columns in ``theme_classes`` order."""
        X = self._matrix("themes", texts, rule_results, {} if cache is None else cache)
        out = np.zeros((len(texts), len(self.theme_classes)))
        if self._stacked is not None:
            W, b0, a, b, owners = self._stacked
            cal = 1.0 / (1.0 + np.exp((np.asarray(X @ W) + b0) * a + b))
            cal[(cal > 1.0) & (cal <= 1.0 + 1e-5)] = 1.0
            counts = np.bincount(owners, minlength=out.shape[1]).astype(float)
            np.add.at(out.T, owners, cal.T)
            return np.divide(out, counts, out=out, where=counts > 0)
        for j, parts in enumerate(self.theme_parts):
            if parts:
                out[:, j] = _proba(parts, X, 2)[:, 1]
        return out
