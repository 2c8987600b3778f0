"""Grouping units into recurring messages: agglomerative clustering (BERTopic on request).

Both paths work on the same representation: the sentence embedding of a unit plus a small
lexical part (stemmed TF-IDF reduced by SVD), so that two wordings sharing the distinctive
word of a message ("chronology" / "chronologies") are pulled together even when the sentence
model puts them apart: ``similarity ~ w * cos(embeddings) + (1 - w) * cos(tf-idf)``.

- ``agglomerative`` (up to :data:`AGGLOMERATIVE_MAX` units): average-linkage clustering on
  that similarity with a distance threshold measured on the planted corpus (per backend).
- ``sampled`` (larger inputs): the same clustering on a random sample of
  :data:`AGGLOMERATIVE_MAX` units, the rest assigned to the nearest cluster centroid; units
  left over are clustered again the same way (up to :data:`MAX_PASSES` passes), so messages
  too rare to show in the first sample are still found.
- ``bertopic`` (only when asked for): BERTopic with UMAP(``random_state``) + HDBSCAN on
  precomputed embeddings, no probabilities, fitted on at most :data:`FIT_SAMPLE` units.
  Measured on synthetic comments it recovered the planted messages worse than the
  agglomerative paths (mean best F1 0.44-0.79 at 3,000 units, 0.54-0.74 at 10,000) and took
  3-6 times longer, so ``auto`` never picks it.

Clusters smaller than ``min_size`` become outliers (-1); outliers are then reassigned to the
nearest cluster when similar enough (like BERTopic's ``reduce_outliers`` embeddings strategy).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from forumnlp.messages.embed import normalise_rows

AGGLOMERATIVE_MAX = 4000
MAX_PASSES = 3
FIT_SAMPLE = 20000
MIN_CLUSTER_SHARE = 0.005
MIN_SAMPLES = 5
# per backend: weight of the sentence embedding, average-linkage distance threshold,
# minimum similarity to reassign an outlier to a cluster (measured on tests/data/planted)
PARAMS: dict[str, dict[str, float]] = {
    "minilm": {"weight": 0.6, "threshold": 0.70, "reassign": 0.5},
    "static": {"weight": 0.5, "threshold": 0.70, "reassign": 0.5},
}
_TOKEN = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")


@dataclass
class Clustering:
    """The result of :func:`cluster_units`.

    Attributes
    ----------
    labels : numpy.ndarray
        Cluster of each unit, 0..k-1, or -1 for units in no cluster.
    method : str
        ``"agglomerative"`` or ``"bertopic"``.
    model : object or None
        The fitted BERTopic model when ``method == "bertopic"``.
    params : dict
        Parameters used (JSON-serialisable).
    """

    labels: np.ndarray
    method: str
    model: Any = None
    params: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stem(word)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (scikit-learn's list)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def stem_tokens(text: str) -> list[str]:
    """Lower-case word tokens of ``text``, stop words removed, Porter-stemmed."""
    stem = _stem
    stops = stop_words()
    words = _TOKEN.findall(text.lower().replace("'s ", " "))
    return [stem(t) for t in words if t not in stops and len(t) > 1]


def lexical_matrix(texts: Sequence[str]) -> Any:
    """Row-normalised stemmed TF-IDF matrix (scipy sparse) of ``texts``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    min_df = 2 if len(texts) >= 20 else 1
    vec = TfidfVectorizer(analyzer=stem_tokens, sublinear_tf=True, min_df=min_df, dtype=np.float32)
    try:
        return vec.fit_transform(list(texts))
    except ValueError:  # empty vocabulary
        from scipy.sparse import csr_matrix

        return csr_matrix((len(texts), 1), dtype=np.float32)


def hybrid_vectors(embeddings: np.ndarray, texts: Sequence[str], backend: str,
                   *, lexical_dims: int = 96, seed: int = 42) -> np.ndarray:
    """Dense vectors whose dot products approximate the hybrid similarity.

    ``[sqrt(w) * embedding, sqrt(1 - w) * SVD(tf-idf)]``, rows normalised.
    """
    from sklearn.decomposition import TruncatedSVD

    w = PARAMS[backend]["weight"]
    lex = lexical_matrix(texts)
    k = min(lexical_dims, lex.shape[1] - 1, len(texts) - 1)
    if k >= 2:
        red = TruncatedSVD(n_components=k, random_state=seed, algorithm="randomized").fit_transform(lex)
        red = normalise_rows(red.astype(np.float32))
    else:
        red = np.zeros((len(texts), 1), dtype=np.float32)
    out = np.hstack([np.sqrt(w) * embeddings, np.sqrt(1.0 - w) * red]).astype(np.float32)
    return normalise_rows(out)


def _drop_small(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Mark clusters under ``min_size`` as -1 and renumber the rest 0..k-1 by first unit."""
    out = np.full(len(labels), -1, dtype=np.int64)
    counts: dict[int, int] = {}
    for lab in labels:
        if lab >= 0:
            counts[int(lab)] = counts.get(int(lab), 0) + 1
    mapping: dict[int, int] = {}
    for i, lab in enumerate(labels):
        if lab >= 0 and counts[int(lab)] >= min_size:
            mapping.setdefault(int(lab), len(mapping))
            out[i] = mapping[int(lab)]
    return out


def centroids(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Unit-length mean vector of each cluster 0..k-1 (shape ``(k, dims)``)."""
    k = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    out = np.zeros((k, vectors.shape[1]), dtype=np.float32)
    for c in range(k):
        out[c] = vectors[labels == c].mean(axis=0)
    return normalise_rows(out)


def reassign_outliers(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Give each outlier the nearest cluster when its cosine similarity is >= ``threshold``."""
    out = labels.copy()
    idx = np.flatnonzero(out < 0)
    if not len(idx) or out.max() < 0:
        return out
    cents = centroids(vectors, labels)
    sims = vectors[idx] @ cents.T
    best = sims.argmax(axis=1)
    ok = sims[np.arange(len(idx)), best] >= threshold
    out[idx[ok]] = best[ok]
    return out


def _agglomerative(vectors: np.ndarray, threshold: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=np.int64)
    dist = np.clip(1.0 - vectors @ vectors.T, 0.0, None).astype(np.float64)
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=threshold)
    return model.fit_predict(dist).astype(np.int64)


def _nearest(vectors: np.ndarray, cents: np.ndarray, threshold: float,
             chunk: int = 20000) -> np.ndarray:
    """Nearest centroid of each vector, or -1 when its similarity is under ``threshold``."""
    out = np.full(len(vectors), -1, dtype=np.int64)
    for start in range(0, len(vectors), chunk):
        sims = vectors[start:start + chunk] @ cents.T
        best = sims.argmax(axis=1)
        ok = sims[np.arange(len(best)), best] >= threshold
        out[start:start + chunk][ok] = best[ok]
    return out


def _sampled(vectors: np.ndarray, threshold: float, reassign: float, min_size: int,
             seed: int) -> np.ndarray:
    """Agglomerative clustering of samples, the rest assigned to the nearest centroid."""
    rng = np.random.default_rng(seed)
    labels = np.full(len(vectors), -1, dtype=np.int64)
    offset = 0
    for _ in range(MAX_PASSES):
        remaining = np.flatnonzero(labels < 0)
        if len(remaining) < min_size:
            break
        take = min(len(remaining), AGGLOMERATIVE_MAX)
        sample = np.sort(rng.choice(remaining, take, replace=False))
        raw = _drop_small(_agglomerative(vectors[sample], threshold), min_size)
        if raw.max(initial=-1) < 0:
            break
        near = _nearest(vectors[remaining], centroids(vectors[sample], raw), reassign)
        labels[remaining[near >= 0]] = near[near >= 0] + offset
        labels[sample[raw >= 0]] = raw[raw >= 0] + offset
        labels[sample[raw < 0]] = -1
        offset += int(raw.max()) + 1
        if take == len(remaining):
            break
    return labels


def _bertopic(texts: Sequence[str], vectors: np.ndarray, min_size: int, seed: int,
              embedding_model: Any, seed_topics: list[list[str]] | None) -> tuple[np.ndarray, Any]:
    """Fit BERTopic on (a sample of) the units; return labels for all units and the model."""
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    n = len(texts)
    rng = np.random.default_rng(seed)
    fit_idx = np.sort(rng.choice(n, FIT_SAMPLE, replace=False)) if n > FIT_SAMPLE else np.arange(n)
    fit_texts = [texts[i] for i in fit_idx]
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                      random_state=seed, low_memory=True)
    hdbscan_model = HDBSCAN(min_cluster_size=max(min_size, int(MIN_CLUSTER_SHARE * len(fit_idx))),
                            min_samples=MIN_SAMPLES, metric="euclidean",
                            cluster_selection_method="eom", prediction_data=False,
                            core_dist_n_jobs=1)
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2)
    model = BERTopic(embedding_model=embedding_model, umap_model=umap_model,
                     hdbscan_model=hdbscan_model, vectorizer_model=vectorizer,
                     calculate_probabilities=False, seed_topic_list=seed_topics or None,
                     verbose=False)
    fit_labels = np.asarray(model.fit_transform(fit_texts, embeddings=vectors[fit_idx])[0])
    labels = np.full(n, -1, dtype=np.int64)
    labels[fit_idx] = fit_labels
    return labels, model


def cluster_units(texts: Sequence[str], embeddings: np.ndarray, *, backend: str,
                  min_size: int = 3, seed: int = 42, method: str = "auto",
                  embedding_model: Any = None,
                  seed_topics: list[list[str]] | None = None) -> Clustering:
    """Cluster units into candidate messages.

    Parameters
    ----------
    texts : sequence of str
        Unit texts (non-empty).
    embeddings : numpy.ndarray
        Unit-length sentence embeddings, one row per text.
    backend : {"static", "minilm"}
        The backend that made ``embeddings`` (selects the measured parameters).
    min_size : int, default 3
        Smallest cluster kept.
    seed : int, default 42
        Random seed (UMAP, SVD, sampling).
    method : {"auto", "agglomerative", "sampled", "bertopic"}, default "auto"
        ``auto``: ``agglomerative`` up to :data:`AGGLOMERATIVE_MAX` units, else ``sampled``.
    embedding_model : object, optional
        The embedding model handed to BERTopic (never a hub name).
    seed_topics : list of list of str, optional
        Guided topic modelling seed words for BERTopic.

    Returns
    -------
    Clustering
    """
    params = dict(PARAMS[backend])
    n = len(texts)
    if method not in ("auto", "agglomerative", "sampled", "bertopic"):
        raise ValueError(f"unknown clustering method {method!r}")
    if method == "auto" or (method == "agglomerative" and n > AGGLOMERATIVE_MAX):
        method = "agglomerative" if n <= AGGLOMERATIVE_MAX else "sampled"
    vectors = hybrid_vectors(embeddings, texts, backend, seed=seed)
    model = None
    if n == 0:
        raw = np.zeros(0, dtype=np.int64)
    elif method == "agglomerative":
        raw = _agglomerative(vectors, params["threshold"])
    elif method == "sampled":
        raw = _sampled(vectors, params["threshold"], params["reassign"], min_size, seed)
    else:
        raw, model = _bertopic(texts, embeddings, min_size, seed, embedding_model, seed_topics)
    labels = _drop_small(raw, min_size)
    labels = reassign_outliers(vectors, labels, params["reassign"])
    params.update({"min_size": min_size, "seed": seed, "n_units": n,
                   "fit_sample": min(n, FIT_SAMPLE) if method == "bertopic" else n})
    return Clustering(labels=labels, method=method, model=model, params=params)
