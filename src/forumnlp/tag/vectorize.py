"""Feature blocks of the inference form, in numpy: word and character n-gram TF-IDF exactly as
the fitted ``TfidfVectorizer`` computes them, and the ``[dense | sparse]`` feature matrix whose
product with the coefficients gives the same bits for a unit in any batch size."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
import scipy.sparse as sp


class Blocks:
    """A feature matrix as a dense embedding block followed by sparse blocks.

    ``X @ W`` multiplies the dense block with BLAS and only the sparse n-gram and rule blocks
    as a sparse product: the same numbers as one sparse matrix, several times faster for the
    256 dense columns.
    """

    def __init__(self, dense: np.ndarray, sparse: sp.csr_matrix) -> None:
        self.dense = dense
        self.sparse = sparse
        self.shape = (dense.shape[0], dense.shape[1] + sparse.shape[1])

    BLOCK = 256

    def __matmul__(self, W: np.ndarray) -> np.ndarray:
        d = self.dense.shape[1]
        return self._dense_product(W[:d]) + np.asarray(self.sparse @ W[d:])

    def _dense_product(self, W: np.ndarray) -> np.ndarray:
        """``dense @ W`` in blocks of a fixed number of rows (the last one padded with zeros).

        BLAS may sum in a different order for a different number of rows (a one-row product
        is a matrix-vector product), so a unit's score would depend on how many units are
        tagged with it. Every product here has the same shape: a unit gets the same bits in
        any batch or chunk size.
        """
        D, n, B = self.dense, self.dense.shape[0], self.BLOCK
        out = np.empty((n, W.shape[1]))
        for start in range(0, n, B):
            block = D[start : start + B]
            if len(block) < B:
                padded = np.zeros((B, D.shape[1]), dtype=D.dtype)
                padded[: len(block)] = block
                out[start:] = (padded @ W)[: len(block)]
            else:
                out[start : start + B] = block @ W
        return out


class Tfidf:
    """Word n-gram TF-IDF exactly as the fitted TfidfVectorizer computes it (l2 norm)."""

    def __init__(self, meta: dict[str, Any], idf: np.ndarray) -> None:
        self.vocab: dict[str, int] = meta["vocabulary"]
        self.pattern = re.compile(meta["token_pattern"])
        self.ngram = tuple(meta["ngram_range"])
        self.sublinear = bool(meta["sublinear_tf"])
        self.lowercase = bool(meta["lowercase"])
        self.idf = idf

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        vocab, (lo, hi) = self.vocab, self.ngram
        get, findall, lower = vocab.get, self.pattern.findall, self.lowercase
        indptr, cols = [0], []
        for text in texts:
            toks = findall(text.lower() if lower else text)
            if lo <= 1 <= hi:
                cols += [j for j in map(get, toks) if j is not None]
            for n in range(max(lo, 2), hi + 1):
                grams = (
                    [a + " " + b for a, b in itertools.pairwise(toks)] if n == 2
                    else [" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)]
                )
                cols += [j for j in map(get, grams) if j is not None]
            indptr.append(len(cols))
        X = sp.csr_matrix(
            (np.ones(len(cols)), np.asarray(cols, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
            shape=(len(texts), len(vocab)),
        )
        X.sum_duplicates()  # counts per (row, term), columns sorted
        vals = X.data
        if self.sublinear:
            vals = np.log(vals) + 1.0
        vals = vals * self.idf[X.indices]
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=X.shape[0]))
        vals = vals / np.where(norms > 0, norms, 1.0)[rows]
        return sp.csr_matrix((vals.astype(np.float32), X.indices, X.indptr), shape=X.shape)


class CharTfidf:
    """Character n-grams inside word boundaries (``analyzer="char_wb"``), as the fitted
    TfidfVectorizer computes them (sublinear tf, idf, l2 norm).

    ``char_wb`` n-grams depend on each whitespace-separated word alone, so every distinct
    word's n-gram counts are computed once and cached (bounded); a batch is then one sparse
    product (units x words) @ (words x n-grams), which keeps the block cheap at run time.
    """

    CACHE_MAX = 200_000

    def __init__(self, meta: dict[str, Any], idf: np.ndarray) -> None:
        self.vocab: dict[str, int] = meta["vocabulary"]
        self.lo, self.hi = (int(v) for v in meta["ngram_range"])
        self.sublinear = bool(meta["sublinear_tf"])
        self.lowercase = bool(meta["lowercase"])
        self.idf = idf
        self.weight = float(meta.get("weight", 1.0))
        self._words: dict[str, list[int]] = {}

    def _word(self, word: str) -> list[int]:
        """Vocabulary ids of the word's n-grams, repeated as often as they occur."""
        hit = self._words.get(word)
        if hit is not None:
            return hit
        w = " " + word + " "
        size = len(w)
        grams = []
        for n in range(self.lo, self.hi + 1):  # as sklearn's _char_wb_ngrams
            if size <= n:  # the whole padded word, once, and no longer n-grams
                grams.append(w)
                break
            grams += [w[i : i + n] for i in range(size - n + 1)]
        get = self.vocab.get
        out = [j for j in map(get, grams) if j is not None]
        if len(self._words) >= self.CACHE_MAX:
            self._words.clear()
        self._words[word] = out
        return out

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        split = [(t.lower() if self.lowercase else t).split() for t in texts]
        flat = list(chain.from_iterable(split))
        local = {w: i for i, w in enumerate(dict.fromkeys(flat))}
        w_ptr, w_idx = [0], []
        for word in local:
            w_idx += self._word(word)
            w_ptr.append(len(w_idx))
        words = sp.csr_matrix(  # repeated ids in a row are summed by the product below
            (np.ones(len(w_idx)), np.asarray(w_idx, dtype=np.int64), np.asarray(w_ptr)),
            shape=(len(local), len(self.vocab)),
        )
        u_ptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum([len(ws) for ws in split], out=u_ptr[1:])
        units = sp.csr_matrix(
            (np.ones(len(flat)), np.fromiter(map(local.__getitem__, flat), dtype=np.int64, count=len(flat)), u_ptr),
            shape=(len(texts), len(local)),
        )
        X = (units @ words).tocsr()  # a sparse product: no duplicate entries, no zeros
        if self.sublinear:
            np.log(X.data, out=X.data)
            X.data += 1.0
        X.data *= self.idf[X.indices]
        lengths = np.diff(X.indptr)
        rows = np.repeat(np.arange(X.shape[0]), lengths)
        row_norm = np.sqrt(np.bincount(rows, weights=X.data**2, minlength=X.shape[0]))
        scale = np.divide(1.0, row_norm, out=np.zeros_like(row_norm), where=row_norm > 0)
        X.data *= np.repeat(scale, lengths)
        return sp.csr_matrix((X.data.astype(np.float32), X.indices, X.indptr), shape=X.shape)
