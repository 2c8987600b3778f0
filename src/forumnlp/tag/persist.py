"""Saving and loading trained models safely (skops against an allowlist; JSON metadata).

A model folder holds ``model.json`` (format, codebook, codes, thresholds, metrics, training
data summary), ``frame.skops`` and ``themes.skops``. Loading checks every type a skops file
would create against :data:`ALLOWED_TYPES` first and refuses the file otherwise, so a
tampered file carrying a pickle payload or an unexpected class never runs. Pickle and joblib
files are refused outright.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from forumnlp.errors import ModelError
from forumnlp.tag.inference import LinearInference, export_inference

MODEL_FORMAT = "forumnlp-model/1"

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


def model_fingerprint(path: str | os.PathLike[str]) -> str:
    """SHA-256 (first 12 hex digits) over a model folder's files, for reports."""
    h = hashlib.sha256()
    for f in sorted(Path(path).glob("*")):
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def read_model_card(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read ``model.json`` of a saved model folder."""
    meta = Path(path) / "model.json"
    if not meta.exists():
        raise ModelError(f"{path}: not a forumnlp model folder (no model.json)")
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError(f"{meta}: invalid JSON ({exc})") from exc


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


def _texts(X: Any) -> list[str]:
    if hasattr(X, "columns") and "text" in X.columns:
        X = X["text"]
    return ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in X]


class ForumModel:
    """A trained frame + theme model, as used by :func:`forumnlp.tag`.

    Prediction runs on the model's inference form (:class:`LinearInference`: arrays and
    numpy only, so tagging never imports scikit-learn or torch); the scikit-learn estimators
    are kept (``frame``, ``themes``) when the model was just trained, and loaded from the
    allowlisted skops files on first access otherwise.

    Parameters
    ----------
    frame : FrameClassifier, optional
    themes : ThemeClassifier, optional
    card : dict
        Metadata (codebook name/version, metrics, training data summary).
    inference : LinearInference, optional
        Built from the estimators when not given.
    folder : Path, optional
        Where the model was loaded from (for the skops files).
    """

    def __init__(
        self,
        frame: Any = None,
        themes: Any = None,
        card: dict[str, Any] | None = None,
        *,
        inference: LinearInference | None = None,
        folder: Path | None = None,
    ) -> None:
        self._frame = frame
        self._themes = themes
        self.card = dict(card or {})
        self.folder = folder
        self.theme_floor = 0.2
        if inference is None:
            if frame is None or themes is None:
                raise ModelError("a ForumModel needs fitted estimators or an inference form")
            tensors, meta = export_inference(frame, themes)
            inference = LinearInference(tensors, meta)
        self.inference = inference

    @property
    def frame(self) -> Any:
        """The scikit-learn frame classifier (loaded from ``frame.skops`` on first use)."""
        if self._frame is None:
            self._frame = self._load_estimator("frame.skops", "FrameClassifier")
        return self._frame

    @property
    def themes(self) -> Any:
        """The scikit-learn theme classifier (loaded from ``themes.skops`` on first use)."""
        if self._themes is None:
            self._themes = self._load_estimator("themes.skops", "ThemeClassifier")
        return self._themes

    def _load_estimator(self, name: str, cls: str) -> Any:
        if self.folder is None:
            raise ModelError("this model has no folder to load its estimators from")
        from forumnlp.tag import model as model_module

        est = _safe_skops_load(self.folder / name)
        if not isinstance(est, getattr(model_module, cls)):
            raise ModelError(f"{self.folder / name}: does not hold a forumnlp {cls}")
        return est

    @property
    def name(self) -> str:
        """The model's name and fingerprint, for reports."""
        return f"{self.card.get('name', 'model')} ({self.card.get('fingerprint', '?')})"

    def predict(
        self, texts: Sequence[str], rule_results: Sequence[Any] | None = None
    ) -> tuple[list[str], np.ndarray, list[list[str]], list[dict[str, float]]]:
        """Frames, frame scores, theme sets and theme scores for ``texts`` in one pass.

        ``rule_results`` (the rule annotator's results for the same texts) saves running the
        rules again for the rule features.
        """
        texts = _texts(texts)
        if not texts:
            return [], np.zeros(0), [], []
        first: dict[str, int] = {}
        inverse = [first.setdefault(t, i) for i, t in enumerate(texts)]
        if len(first) < len(texts):  # repeated texts ("Very informative") are predicted once
            keep = list(first.values())
            pos = {i: k for k, i in enumerate(keep)}
            sub = self.predict([texts[i] for i in keep],
                               None if rule_results is None else [rule_results[i] for i in keep])
            idx = [pos[i] for i in inverse]
            return ([sub[0][k] for k in idx], sub[1][idx], [sub[2][k] for k in idx], [sub[3][k] for k in idx])
        inf = self.inference
        cache: dict[Any, Any] = {}
        frames: list[str] = [""] * len(texts)
        scores = np.zeros(len(texts))
        if inf.frame_classes:
            proba = inf.frame_proba(texts, rule_results, cache)
            best = np.argmax(proba, axis=1)
            frames = [inf.frame_classes[i] for i in best.tolist()]
            scores = proba[np.arange(len(texts)), best]
        P = inf.theme_proba(texts, rule_results, cache)
        codes = inf.theme_classes
        sets: list[list[str]] = [[] for _ in texts]
        for r, c in zip(*(a.tolist() for a in np.nonzero(inf.thresholds <= P)), strict=True):
            sets[r].append(codes[c])
        score_dicts: list[dict[str, float]] = [{} for _ in texts]
        rows, cols = np.nonzero(self.theme_floor <= P)
        for r, c, v in zip(rows.tolist(), cols.tolist(), P[rows, cols].tolist(), strict=True):
            score_dicts[r][codes[c]] = round(v, 3)
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
        """Write the model folder (skops + safetensors + JSON); returns its path."""
        import skops.io as sio
        from safetensors.numpy import save_file

        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        sio.dump(self.frame, str(out / "frame.skops"))
        sio.dump(self.themes, str(out / "themes.skops"))
        tensors, meta = export_inference(self.frame, self.themes)
        save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(out / "inference.safetensors"))
        (out / "inference.json").write_text(json.dumps(meta, sort_keys=True) + "\n", encoding="utf-8")
        card = dict(self.card)
        card.pop("fingerprint", None)
        card["format"] = MODEL_FORMAT
        card["thresholds"] = {
            str(c): float(t) for c, t in zip(self.themes.classes_, self.themes.thresholds_, strict=True)
        }
        (out / "model.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return out

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> ForumModel:
        """Load a model folder (the shipped default model when ``path`` is None).

        Only ``model.json`` and the safetensors/JSON inference form are read; the skops
        estimators are loaded (against the allowlist) only if ``.frame``/``.themes`` are used.
        """
        folder = Path(path) if path is not None else Path(os.environ.get("FORUMNLP_MODEL", DEFAULT_MODEL))
        _check_folder(folder)
        card = read_model_card(folder)
        if card.get("format") != MODEL_FORMAT:
            raise ModelError(f"{folder}: unknown model format {card.get('format')!r}")
        inference = LinearInference.load(folder)
        card["fingerprint"] = model_fingerprint(folder)
        return cls(card=card, inference=inference, folder=folder)


_DEFAULT_CACHE: dict[str, ForumModel] = {}


def load_default_model() -> ForumModel:
    """The shipped model, loaded once per process."""
    key = str(os.environ.get("FORUMNLP_MODEL", DEFAULT_MODEL))
    if key not in _DEFAULT_CACHE:
        _DEFAULT_CACHE[key] = ForumModel.load(None)
    return _DEFAULT_CACHE[key]


def default_model_available() -> bool:
    """True when the shipped default model folder exists."""
    folder = Path(os.environ.get("FORUMNLP_MODEL", DEFAULT_MODEL))
    return (folder / "model.json").exists()
