"""Saving and loading trained models safely (skops against an allowlist; JSON metadata).

A model folder holds ``model.json`` (format, codebook, codes, thresholds, metrics, training
data summary), ``frame.skops`` and ``themes.skops``. Loading checks every type a skops file
would create against :data:`ALLOWED_TYPES` first and refuses the file otherwise, so a
tampered file carrying a pickle payload or an unexpected class never runs. Pickle and joblib
files are refused outright.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from forumnlp.errors import ModelError
from forumnlp.tag.model import (
    MODEL_FORMAT,
    FrameClassifier,
    ThemeClassifier,
    _texts,
    model_fingerprint,
    read_model_card,
)

DEFAULT_MODEL = Path(__file__).resolve().parents[3] / "models" / "forumnlp-default"

#: Every type a forumnlp model file may contain. Anything else is refused at load time.
ALLOWED_TYPES: frozenset[str] = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.slice",
        "builtins.float",
        "builtins.int",
        "builtins.str",
        "builtins.bool",
        "builtins.NoneType",
        "numpy.ndarray",
        "numpy.dtype",
        "numpy.float32",
        "numpy.float64",
        "numpy.int64",
        "numpy.int32",
        "numpy.int8",
        "numpy.str_",
        "numpy.bool_",
        "numpy.random.mtrand.RandomState",
        "numpy.random._mt19937.MT19937",
        "scipy.sparse._csr.csr_matrix",
        "scipy.sparse._csr.csr_array",
        "sklearn.calibration.CalibratedClassifierCV",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.isotonic.IsotonicRegression",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.utils._bunch.Bunch",
        "sklearn.frozen._frozen.FrozenEstimator",
        "forumnlp.tag.model.TextFeatures",
        "forumnlp.tag.model.FrameClassifier",
        "forumnlp.tag.model.ThemeClassifier",
    }
)


def _check_folder(path: Path) -> None:
    if not path.exists():
        raise ModelError(f"{path}: model folder not found")
    if not path.is_dir():
        raise ModelError(f"{path}: expected a model folder")
    unsafe = sorted(
        p.name for p in path.iterdir() if p.suffix.lower() in (".pkl", ".pickle", ".joblib", ".pt", ".bin")
    )
    if unsafe:
        raise ModelError(
            f"{path}: refusing to load {', '.join(unsafe)}: pickle-based model files can run "
            "arbitrary code; forumnlp loads only .skops (allowlisted), .safetensors and .json"
        )


def _safe_skops_load(file: Path) -> Any:
    import skops.io as sio

    if not file.exists():
        raise ModelError(f"{file}: missing model file")
    try:
        untrusted = sio.get_untrusted_types(file=str(file))
    except Exception as exc:
        raise ModelError(f"{file}: not a valid skops model file ({exc})") from exc
    bad = sorted(set(untrusted) - ALLOWED_TYPES)
    if bad:
        raise ModelError(
            f"{file}: refusing to load: it contains types outside forumnlp's allowlist "
            f"({', '.join(bad[:5])}{'...' if len(bad) > 5 else ''}); the file may be tampered with"
        )
    try:
        return sio.load(str(file), trusted=sorted(set(untrusted)))
    except Exception as exc:
        raise ModelError(f"{file}: cannot be loaded ({type(exc).__name__}: {exc})") from exc


class ForumModel:
    """A trained frame + theme model, as used by :func:`forumnlp.tag`.

    Parameters
    ----------
    frame : FrameClassifier
    themes : ThemeClassifier
    card : dict
        Metadata (codebook name/version, metrics, training data summary).
    """

    def __init__(self, frame: FrameClassifier, themes: ThemeClassifier, card: dict[str, Any]):
        self.frame = frame
        self.themes = themes
        self.card = card
        self.theme_floor = 0.2

    @property
    def name(self) -> str:
        """The model's name and fingerprint, for reports."""
        return f"{self.card.get('name', 'model')} ({self.card.get('fingerprint', '?')})"

    def _features(self, texts: list[str]) -> tuple[Any, Any]:
        ff = self.frame.features_
        tf = self.themes.features_
        Xf = ff.transform(texts)
        Xt = Xf if tf.get_params() == ff.get_params() and _same_vocab(ff, tf) else tf.transform(texts)
        return Xf, Xt

    def predict(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray, list[list[str]], list[dict[str, float]]]:
        """Frames, frame scores, theme sets and theme scores for ``texts`` in one pass."""
        texts = _texts(texts)
        if not texts:
            return [], np.zeros(0), [], []
        Xf, Xt = self._features(texts)
        proba = self.frame.estimator_.predict_proba(Xf)
        best = np.argmax(proba, axis=1)
        frames = [str(self.frame.classes_[i]) for i in best]
        scores = proba[np.arange(len(texts)), best]
        P = np.zeros((len(texts), len(self.themes.classes_)))
        for j, est in enumerate(self.themes.estimators_):
            if est is not None:
                P[:, j] = est.predict_proba(Xt)[:, 1]
        codes = [str(c) for c in self.themes.classes_]
        on = self.themes.thresholds_ <= P
        sets = [[codes[j] for j in np.flatnonzero(row)] for row in on]
        floor = self.theme_floor
        score_dicts = [
            {codes[j]: round(float(row[j]), 3) for j in np.flatnonzero(row >= floor)} for row in P
        ]
        return frames, scores, sets, score_dicts

    def predict_frame_proba(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """Most probable frame and its probability per text."""
        frames, scores, _, _ = self.predict(texts)
        return frames, scores

    def predict_themes(self, texts: Sequence[str]) -> tuple[list[list[str]], list[dict[str, float]]]:
        """Theme ids above each code's threshold, and the scores of likely codes."""
        _, _, sets, score_dicts = self.predict(texts)
        return sets, score_dicts

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model folder (skops + JSON); returns its path."""
        import skops.io as sio

        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        sio.dump(self.frame, str(out / "frame.skops"))
        sio.dump(self.themes, str(out / "themes.skops"))
        card = dict(self.card)
        card["format"] = MODEL_FORMAT
        card["thresholds"] = {
            str(c): float(t) for c, t in zip(self.themes.classes_, self.themes.thresholds_, strict=True)
        }
        (out / "model.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return out

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> ForumModel:
        """Load a model folder (the shipped default model when ``path`` is None)."""
        folder = Path(path) if path is not None else Path(os.environ.get("FORUMNLP_MODEL", DEFAULT_MODEL))
        _check_folder(folder)
        card = read_model_card(folder)
        if card.get("format") != MODEL_FORMAT:
            raise ModelError(f"{folder}: unknown model format {card.get('format')!r}")
        frame = _safe_skops_load(folder / "frame.skops")
        themes = _safe_skops_load(folder / "themes.skops")
        if not isinstance(frame, FrameClassifier) or not isinstance(themes, ThemeClassifier):
            raise ModelError(f"{folder}: model files do not hold forumnlp classifiers")
        thresholds = card.get("thresholds")
        if thresholds:
            themes.thresholds_ = np.array([float(thresholds.get(str(c), 0.5)) for c in themes.classes_])
        card["fingerprint"] = model_fingerprint(folder)
        return cls(frame, themes, card)


def _same_vocab(a: Any, b: Any) -> bool:
    try:
        return a.tfidf_.vocabulary_ == b.tfidf_.vocabulary_
    except AttributeError:
        return False


def default_model_available() -> bool:
    """True when the shipped default model folder exists."""
    folder = Path(os.environ.get("FORUMNLP_MODEL", DEFAULT_MODEL))
    return (folder / "model.json").exists()
