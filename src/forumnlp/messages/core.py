"""``key_messages()``: what keeps coming up, where, and in practitioners' own words."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from forumnlp.errors import InputError
from forumnlp.messages.cluster import Clustering, cluster_units, stop_words
from forumnlp.messages.embed import BACKENDS, embed_texts
from forumnlp.messages.label import class_term_weights, label_message, pick_quotes, statement
from forumnlp.messages.result import KeyMessages
from forumnlp.schema import FRAMES

# "auto" embedding: MiniLM up to this many units to cluster, the static model above
# (MiniLM encodes 35-180 comments/s on 2 busy cores; the static model ~7,000-20,000/s)
AUTO_MINILM_MAX = 1000
LABEL_SAMPLE = 200
LABEL_FRAMED_MIN = 8  # comments of the message's frame needed to label from them alone
THEME_SHARE = 0.3
# cosine similarity to a message centroid below which transform() calls a unit new; measured
# by fitting the planted corpus on sessions S1-S4 and assigning S5-S6: at 0.55, 52-53 of 55
# comments of known messages kept their message, 20-25 of 28 others were called new
NEW_THRESHOLD: dict[str, float] = {"minilm": 0.55, "static": 0.55}


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in {"true", "1", "yes"}


def split_units(units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks of practice units (clustered into messages) and event-feedback units.

    Practice units have a non-blank text and a frame other than ``none`` (units without a
    ``frame`` column count as practice). Event feedback is non-blank with frame ``none``.
    Blank units are in neither.
    """
    text = units["text"].fillna("").astype(str)
    blank = np.array(text.str.strip().eq("").to_numpy(), dtype=bool)
    if "is_empty" in units.columns:
        blank |= units["is_empty"].map(_truthy).to_numpy()
    if "frame" in units.columns:
        none = units["frame"].fillna("").astype(str).str.strip().eq("none").to_numpy()
    else:
        none = np.zeros(len(units), dtype=bool)
    return ~blank & ~none, ~blank & none


def _check(units: pd.DataFrame, by: Sequence[str], min_size: int, embedding: str,
           method: str) -> None:
    if not isinstance(units, pd.DataFrame):
        raise InputError(f"key_messages expects a pandas DataFrame, got {type(units).__name__}")
    if "text" not in units.columns:
        raise InputError("units table has no 'text' column")
    missing = [b for b in by if b not in units.columns]
    if missing:
        raise InputError(
            f"--by column(s) {', '.join(map(repr, missing))} not in the units table; columns are: "
            f"{', '.join(map(str, units.columns))}"
        )
    if min_size < 2:
        raise InputError(f"min_size must be at least 2, got {min_size}")
    if embedding not in ("auto", *BACKENDS):
        raise InputError(f"unknown embedding {embedding!r}; use auto, static or minilm")
    if method not in ("auto", "agglomerative", "sampled", "bertopic"):
        raise InputError(f"unknown method {method!r}; use auto, agglomerative, sampled or bertopic")


def seed_topics_from_codebook(codebook: Any) -> list[list[str]]:
    """Seed word lists (one per theme code) from a codebook's phrase and lemma patterns.

    Frame codes are skipped. ``codebook`` may be a :class:`forumnlp.codebook.Codebook`, a path,
    or ``None`` (no guidance).
    """
    if codebook is None:
        return []
    if isinstance(codebook, (str, bytes)) or hasattr(codebook, "__fspath__"):
        from forumnlp.codebook import load_codebook

        codebook = load_codebook(codebook)
    seeds: list[list[str]] = []
    for code in getattr(codebook, "codes", ()):
        if str(getattr(code, "group", "")) == "frame":
            continue
        words: list[str] = []
        for pat in getattr(code, "patterns", ()):
            if getattr(pat, "kind", "") in ("phrase", "lemma"):
                words.extend(w.lower() for w in str(pat.value).split()
                             if len(w) > 2 and w.lower() not in stop_words())
        words = list(dict.fromkeys(words))[:10]
        if words:
            seeds.append(words)
    return seeds


def _values(series: pd.Series) -> list[str]:
    vals = series.fillna("").astype(str).str.strip()
    return sorted({v for v in vals if v})


def recurrence(values: pd.Series, total: int) -> float:
    """Evidence-weighted spread of a message over one attribute, in 0..1.

    A value (a session, an agency...) counts fully when the message was raised at least
    twice there and half when raised once; the sum is divided by the number of values the
    attribute has in the input. So a 12-comment message from 2 sessions is not outranked by a
    3-comment one scattered one comment per session over 3.
    """
    if not total:
        return 0.0
    vals = values.fillna("").astype(str).str.strip()
    counts = Counter(v for v in vals if v)
    return sum(min(1.0, c / 2.0) for c in counts.values()) / total


def _describe(units: pd.DataFrame, idx: np.ndarray, vectors: np.ndarray, weights: dict[str, float],
              by: Sequence[str], totals: dict[str, int], id_col: str | None) -> dict[str, Any]:
    """All columns of one message (except id and rank)."""
    members = units.iloc[idx]
    texts = members["text"].astype(str).tolist()
    unit_frames = members["frame"].fillna("").astype(str).tolist() if "frame" in units.columns else []
    fc = Counter(unit_frames)
    order = {f: i for i, f in enumerate(FRAMES)}
    frames = dict(sorted(fc.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99), kv[0])))
    frame = next(iter(frames), "")
    # A large message is labelled from the comments that share its frame, so that a "start"
    # message is not labelled with the words of the comments that say what to stop; a small
    # one from all its comments (a few texts give too few repeated phrases).
    framed = [t for t, f in zip(texts, unit_frames, strict=True) if f == frame] if unit_frames else []
    pool = framed if len(framed) >= LABEL_FRAMED_MIN else texts
    sample = pool if len(pool) <= LABEL_SAMPLE else [
        pool[i] for i in np.linspace(0, len(pool) - 1, LABEL_SAMPLE).astype(int)]
    label = label_message(sample, weights)
    themes = ""
    if "themes" in units.columns:
        tc: Counter[str] = Counter()
        for cell in members["themes"].fillna("").astype(str):
            tc.update({t for t in cell.split(";") if t.strip()})
        themes = ";".join(t for t, c in sorted(tc.items(), key=lambda kv: (-kv[1], kv[0]))
                          if c >= THEME_SHARE * len(idx))
    k = 5 if len(idx) >= 10 else 3
    quotes = pick_quotes(vectors, texts, k=k)
    row: dict[str, Any] = {
        "label": label, "size": len(idx), "frame": frame,
        "frames": json.dumps(frames, ensure_ascii=False), "themes": themes,
    }
    spreads = []
    score_parts = []
    for b in by:
        vals = _values(members[b])
        spreads.append((b, vals, totals[b]))
        row[f"n_{b}"] = len(vals)
        row[f"{b}_values"] = json.dumps(vals, ensure_ascii=False)
        score_parts.append(recurrence(members[b], totals[b]))
    row["spread"] = "; ".join(f"{b} {len(v)}/{t}" for b, v, t in spreads)
    row["score"] = round(float(sum(score_parts)), 6)
    row["statement"] = statement(frame, label, spreads, len(idx))
    row["quotes"] = json.dumps([texts[i] for i in quotes], ensure_ascii=False)
    ids = members[id_col].astype(str).tolist() if id_col else [str(i) for i in idx]
    row["quote_ids"] = json.dumps([ids[i] for i in quotes], ensure_ascii=False)
    return row


def _build(units: pd.DataFrame, rows: np.ndarray, clustering: Clustering, vectors: np.ndarray,
           by: Sequence[str], totals: dict[str, int], prefix: str,
           max_messages: int | None) -> tuple[pd.DataFrame, np.ndarray, list[int]]:
    """Describe, rank and number the clusters. Returns (table, centroids, cluster per rank)."""
    labels = clustering.labels
    k = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    id_col = "unit_id" if "unit_id" in units.columns else None
    member_idx = [np.flatnonzero(labels == c) for c in range(k)]
    texts = units["text"].astype(str).to_numpy()
    weights = class_term_weights([texts[rows[m]].tolist() for m in member_idx])
    described = [_describe(units, rows[m], vectors[m], weights[c], by, totals, id_col)
                 for c, m in enumerate(member_idx)]
    order = sorted(range(k), key=lambda c: (-described[c]["score"], -described[c]["size"],
                                            described[c]["label"], int(member_idx[c][0])))
    if max_messages is not None:
        order = order[:max_messages]
    width = max(2, len(str(len(order))))
    records = []
    for rank, c in enumerate(order, start=1):
        rec = {"message_id": f"{prefix}{rank:0{width}d}", "rank": rank, **described[c]}
        records.append(rec)
    cols = ["message_id", "rank", "label", "statement", "size", "frame", "frames", "themes",
            "spread"]
    for b in by:
        cols += [f"n_{b}", f"{b}_values"]
    cols += ["score", "quotes", "quote_ids"]
    table = pd.DataFrame.from_records(records, columns=cols)
    cents = np.zeros((len(order), vectors.shape[1]), dtype=np.float32)
    for r, c in enumerate(order):
        v = vectors[member_idx[c]].mean(axis=0)
        norm = np.linalg.norm(v)
        cents[r] = v / norm if norm > 0 else v
    return table, cents, order


def key_messages(units: pd.DataFrame, *, by: Sequence[str] = (), min_size: int = 3,
                 max_messages: int | None = None, embedding: str = "auto", seed: int = 42,
                 codebook: Any = None, method: str = "auto") -> KeyMessages:
    """Find the key messages of a tagged units table: recurring points, ranked by recurrence.

    Practice units (non-blank, frame other than ``none``) are embedded and clustered; each
    cluster of at least ``min_size`` units is a message. Messages are ranked by spread, the sum
    over the ``by`` attributes of (values the message was raised in / values in the input),
    then by size. Event feedback (frame ``none``) is clustered on its own into ``F01``...
    messages, in :attr:`KeyMessages.feedback`, never ranked with practice messages. Blank
    units and units in no message get ``message_id == ""``.

    Parameters
    ----------
    units : pandas.DataFrame
        Tagged units: ``text`` and, when present, ``frame``, ``themes``, ``unit_id`` and the
        attribute columns named in ``by``.
    by : sequence of str, optional
        Attribute columns to measure spread over (e.g. ``["session", "agency"]``).
    min_size : int, default 3
        Smallest number of units in a message.
    max_messages : int, optional
        Keep only the top messages.
    embedding : {"auto", "static", "minilm"}, default "auto"
        ``auto``: MiniLM up to :data:`AUTO_MINILM_MAX` practice units, the static model above.
    seed : int, default 42
        Random seed; the same input and options give the same output.
    codebook : Codebook or path, optional
        With ``method="bertopic"``: seed words for guided topic modelling, taken from the
        theme codes' phrase and lemma patterns.
    method : {"auto", "agglomerative", "sampled", "bertopic"}, default "auto"
        Clustering, see :mod:`forumnlp.messages.cluster`; ``auto`` is agglomerative
        clustering, on samples above :data:`~forumnlp.messages.cluster.AGGLOMERATIVE_MAX`
        units.

    Returns
    -------
    KeyMessages
    """
    by = list(by)
    _check(units, by, min_size, embedding, method)
    if max_messages is not None and max_messages < 1:
        raise InputError(f"max_messages must be at least 1, got {max_messages}")
    data = units.reset_index(drop=True)
    practice, feedback = split_units(data)
    n_practice = int(practice.sum())
    backend = embedding if embedding != "auto" else (
        "minilm" if n_practice <= AUTO_MINILM_MAX else "static")
    rows_p = np.flatnonzero(practice)
    rows_f = np.flatnonzero(feedback)
    texts = data["text"].fillna("").astype(str).to_numpy()
    vecs = embed_texts(texts[np.concatenate([rows_p, rows_f])].tolist(), backend)
    vec_p, vec_f = vecs[: len(rows_p)], vecs[len(rows_p):]
    totals = {b: len(_values(data[b])) for b in by}
    embedding_model = None
    if method == "bertopic":
        from forumnlp.messages.embed import load_minilm, load_static_model

        embedding_model = load_static_model() if backend == "static" else load_minilm()
    clustering = cluster_units(texts[rows_p].tolist(), vec_p, backend=backend, min_size=min_size,
                               seed=seed, method=method, embedding_model=embedding_model,
                               seed_topics=seed_topics_from_codebook(codebook))
    messages, cents, order_p = _build(data, rows_p, clustering, vec_p, by, totals, "M",
                                      max_messages)
    fb_clustering = cluster_units(texts[rows_f].tolist(), vec_f, backend=backend,
                                  min_size=min_size, seed=seed)
    fb_table, fb_cents, order_f = _build(data, rows_f, fb_clustering, vec_f, by, totals, "F",
                                         None)
    ids = np.full(len(data), "", dtype=object)
    for rows, clus, table, order in ((rows_p, clustering, messages, order_p),
                                     (rows_f, fb_clustering, fb_table, order_f)):
        names = dict(zip(order, table["message_id"], strict=True))
        for pos, lab in enumerate(clus.labels):
            if lab in names:
                ids[rows[pos]] = names[lab]
    out_units = units.copy()
    out_units["message_id"] = ids.tolist() if len(out_units) else []
    config = {
        "backend": backend, "method": clustering.method, "by": by, "min_size": min_size,
        "max_messages": max_messages, "seed": seed, "params": clustering.params,
        "new_threshold": NEW_THRESHOLD[backend], "n_units": len(data),
        "n_practice": n_practice, "n_feedback": int(feedback.sum()),
        "n_unassigned": int(sum(1 for i in rows_p if ids[i] == "")),
    }
    return KeyMessages(messages=messages, units=out_units, feedback=fb_table, centroids=cents,
                       feedback_centroids=fb_cents, config=config, topic_model=clustering.model)
