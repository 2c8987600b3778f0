"""Features for the trained classifiers: fast static sentence embeddings and lexical n-grams.

The static embeddings come from a model2vec model distilled offline from all-MiniLM-L6-v2
(shipped in ``models/static``). model2vec embeds a sentence as the mean of its WordPiece
token vectors. Because WordPiece works word by word, the mean can be computed from a cache
of per-word vector sums: a text is tokenised into words once with one regular expression,
mapped to cached word rows, and pooled with a single sparse-matrix product. That is several
times faster than tokenising every sentence with the subword tokenizer, and exact up to the
word-splitting rule (punctuation and accents are handled as BERT's basic tokenizer does).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from forumnlp.errors import ModelError

_WORD = re.compile(r"[^\W_]+|[^\w\s]|_", re.UNICODE)
_DEFAULT_STATIC = Path(__file__).resolve().parents[3] / "models" / "static"


def default_static_model_path() -> Path:
    """Return the folder of the shipped static model (``FORUMNLP_STATIC_MODEL`` overrides it)."""
    env = os.environ.get("FORUMNLP_STATIC_MODEL")
    return Path(env) if env else _DEFAULT_STATIC


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    )


def words(text: str) -> list[str]:
    """Split text into lower-cased words and punctuation marks, as BERT's basic tokenizer does."""
    return _WORD.findall(_strip_accents(text.lower()))


class StaticEmbedder:
    """Mean-pooled static word-piece embeddings with a per-word cache.

    Parameters
    ----------
    path : path-like, optional
        A model2vec folder (``model.safetensors`` + ``tokenizer.json``); the shipped
        ``models/static`` by default.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_static_model_path()
        weights = self.path / "model.safetensors"
        tok_file = self.path / "tokenizer.json"
        if not weights.exists() or not tok_file.exists():
            raise ModelError(
                f"{self.path}: no static embedding model (model.safetensors and tokenizer.json); "
                "rebuild it with scripts/distill_static_model.py"
            )
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        tensors = load_file(str(weights))
        key = "embeddings" if "embeddings" in tensors else next(iter(tensors))
        self.table = np.asarray(tensors[key], dtype=np.float32)
        weight_key = next((k for k in tensors if k != key and tensors[k].ndim == 1), None)
        if weight_key is not None and len(tensors[weight_key]) == len(self.table):
            self.table = self.table * np.asarray(tensors[weight_key], dtype=np.float32)[:, None]
        self.dim = int(self.table.shape[1])
        self._tokenizer = Tokenizer.from_file(str(tok_file))
        self._unk = self._tokenizer.token_to_id("[UNK]")
        self._index: dict[str, int] = {}
        self._sums: list[np.ndarray] = []
        self._counts: list[int] = []
        self._sum_matrix: np.ndarray | None = None
        self._count_vector: np.ndarray | None = None

    def _add_word(self, word: str) -> int:
        ids = self._tokenizer.encode(word, add_special_tokens=False).ids
        ids = [i for i in ids if i != self._unk]
        row = len(self._sums)
        if ids:
            self._sums.append(self.table[ids].sum(axis=0))
            self._counts.append(len(ids))
        else:
            self._sums.append(np.zeros(self.dim, dtype=np.float32))
            self._counts.append(0)
        self._index[word] = row
        self._sum_matrix = None
        return row

    def _matrices(self) -> tuple[np.ndarray, np.ndarray]:
        if self._sum_matrix is None or len(self._sum_matrix) != len(self._sums):
            self._sum_matrix = (
                np.vstack(self._sums) if self._sums else np.zeros((0, self.dim), np.float32)
            )
            self._count_vector = np.asarray(self._counts, dtype=np.float32)
        assert self._count_vector is not None
        return self._sum_matrix, self._count_vector

    def encode(self, texts: Sequence[str], *, normalize: bool = True) -> np.ndarray:
        """Embed texts as ``(n, dim)`` float32 vectors (L2-normalised by default)."""
        index = self._index
        indptr = [0]
        cols: list[int] = []
        for text in texts:
            for w in words(text or ""):
                j = index.get(w)
                if j is None:
                    j = self._add_word(w)
                cols.append(j)
            indptr.append(len(cols))
        sums, counts = self._matrices()
        n = len(texts)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        data = np.ones(len(cols), dtype=np.float32)
        x = sp.csr_matrix(
            (data, np.asarray(cols, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
            shape=(n, len(sums)),
        )
        out = np.asarray(x @ sums, dtype=np.float32)
        denom = np.asarray(x @ counts, dtype=np.float32)
        out /= np.maximum(denom, 1.0)[:, None]
        if normalize:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out /= np.maximum(norms, 1e-12)
        return out


@lru_cache(maxsize=4)
def load_static_embedder(path: str | None = None) -> StaticEmbedder:
    """Load (once per process) the static embedder from ``path`` or the shipped model."""
    return StaticEmbedder(path)
