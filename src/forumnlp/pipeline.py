"""The tagging flow over streamed chunks, on one core or several.

``read -> segment -> redact`` runs in order in the calling process (redaction numbers
placeholders consistently across the whole run, so it must see the units in order); the
``tag`` stage, a pure function of each unit's text, runs in a pool of worker processes that
each load the codebook and model once. Chunks come back in input order, so the output is
identical to a single-core run, row for row and byte for byte.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class TagSettings:
    """What the tag stage needs; picklable, so workers can rebuild the tagger from it.

    Parameters
    ----------
    codebook : str, optional
        Codebook YAML path (None: the default codebook).
    model : str, optional
        Model folder; ``"default"`` for the shipped model, ``None`` for rules only.
    min_rule_confidence : float
        Rules at or above this confidence decide a frame before the model is asked.
    """

    codebook: str | None = None
    model: str | None = "default"
    min_rule_confidence: float = 0.75
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


_WORKER: dict[str, Any] = {}


def _load(settings: TagSettings) -> tuple[Any, Any]:
    from forumnlp.codebook import load_codebook
    from forumnlp.tag.persist import ForumModel, default_model_available

    key = repr((settings.codebook, settings.model))
    if _WORKER.get("key") != key:
        codebook = load_codebook(settings.codebook)
        model = None
        if settings.model == "default":
            model = ForumModel.load() if default_model_available() else None
        elif settings.model:
            model = ForumModel.load(settings.model)
        if model is not None and settings.codebook is not None:
            cb_name = model.card.get("codebook", {}).get("name")
            if cb_name and cb_name != codebook.name:
                from forumnlp.errors import ModelError

                raise ModelError(
                    f"model {settings.model} was trained for codebook {cb_name!r}, not {codebook.name!r}; "
                    "train one with 'forumnlp train' or run without --model"
                )
        _WORKER.update(key=key, codebook=codebook, model=model)
    return _WORKER["codebook"], _WORKER["model"]


def load_tagger(settings: TagSettings) -> tuple[Any, Any]:
    """The codebook and model that ``settings`` name (cached per process)."""
    return _load(settings)


#: Units per task of the tag stage: chunks are cut into pieces of this size, with one core or
#: several, so that both cores stay busy and results do not depend on ``jobs``.
PIECE = 2_500
#: Columns the tag stage reads; only these travel to the worker processes.
_TAG_INPUT = ("text", "frame", "frame_source", "frame_score")
#: Columns the tag stage adds (in this order); only these travel back.
_TAG_OUTPUT = ("frame", "frame_score", "frame_source", "themes", "theme_scores", "evidence")


def tag_chunk(units: pd.DataFrame, settings: TagSettings) -> pd.DataFrame:
    """Tag one chunk of (redacted) units: structure, confident rules, then the model."""
    from forumnlp.tag import tag

    codebook, model = _load(settings)
    return tag(units, codebook=codebook, model=model, min_rule_confidence=settings.min_rule_confidence)


def _tag_columns(units: pd.DataFrame, settings: TagSettings) -> dict[str, list[Any]]:
    """The tag stage's new columns for ``units`` (what a worker sends back)."""
    tagged = tag_chunk(units[[c for c in _TAG_INPUT if c in units.columns]], settings)
    return {c: tagged[c].tolist() for c in _TAG_OUTPUT}


def _tag_columns_worker(args: tuple[pd.DataFrame, TagSettings]) -> dict[str, list[Any]]:
    units, settings = args
    return _tag_columns(units, settings)


def _pieces(n: int) -> list[tuple[int, int]]:
    return [(lo, min(n, lo + PIECE)) for lo in range(0, n, PIECE)] or [(0, 0)]


def _assemble(units: pd.DataFrame, parts: list[dict[str, list[Any]]]) -> pd.DataFrame:
    """``units`` with the tag stage's columns, from the pieces' results in order."""
    out = units.copy()
    out.attrs = {}
    for col in _TAG_OUTPUT:
        values = [v for part in parts for v in part[col]]
        out[col] = pd.array(values, dtype="float64") if col == "frame_score" else values
    return out


def _worker_redactor(use_ner: bool) -> Any:
    from forumnlp.redact import Redactor

    key = f"redactor-{use_ner}"
    if key not in _WORKER:
        _WORKER[key] = Redactor(use_ner=use_ner)
    return _WORKER[key]


def _detect_worker(args: tuple[list[str], bool]) -> list[list[tuple[int, int, str]]]:
    texts, use_ner = args
    return _worker_redactor(use_ner).detect_texts(texts)


def apply_redaction(units: pd.DataFrame, spans: list[list[tuple[int, int, str]]], redactor: Any) -> pd.DataFrame:
    """Replace detected spans in the units' text with placeholders numbered by ``redactor``."""
    out = units.copy()
    texts = ["" if not isinstance(t, str) else t for t in units["text"].tolist()]
    out["text"] = [redactor.render(t, sp).text if sp else t for t, sp in zip(texts, spans, strict=True)]
    return out


def prepare_units(
    record_chunks: Iterable[pd.DataFrame],
    *,
    unit: str = "auto",
    redact: bool = True,
    redactor: Any = None,
    use_ner: bool = False,
    heading_table: Any = None,
) -> Iterator[pd.DataFrame]:
    """Segment (and redact, by default) streamed record chunks, in order, in this process."""
    from forumnlp.segment import iter_segment

    units = iter_segment(record_chunks, unit=unit, heading_table=heading_table, ids_adjacent=True)
    if not redact:
        yield from units
        return
    from forumnlp.redact import Redactor

    shared = redactor if redactor is not None else Redactor(use_ner=use_ner)
    for chunk in units:
        texts = ["" if not isinstance(t, str) else t for t in chunk["text"].tolist()]
        yield apply_redaction(chunk, shared.detect_texts(texts), shared)


def default_jobs() -> int:
    """Worker processes to use by default: the machine's cores, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def tag_stream(
    unit_chunks: Iterable[pd.DataFrame],
    settings: TagSettings,
    *,
    jobs: int = 1,
    redact: bool = False,
    use_ner: bool = False,
    redactor: Any = None,
) -> Iterator[pd.DataFrame]:
    """Redact (optionally) and tag streamed unit chunks, with ``jobs`` worker processes.

    ``jobs=0`` chooses: one process when the stream has a single chunk (no pool to start),
    otherwise :func:`default_jobs`.

    Detection of personal details and tagging run in the workers, in pieces of
    :data:`PIECE` units; placeholders are numbered here, chunk by chunk in input order, so the
    output is identical to ``jobs=1``. At most three chunks are in flight (one in detection,
    two in tagging), so memory stays bounded whatever the input size.
    """
    red = None
    if redact:
        from forumnlp.redact import Redactor

        red = redactor if redactor is not None else Redactor(use_ner=use_ner)
    if jobs <= 0:  # auto: one process for a single chunk, every core (at most 4) for more
        it = iter(unit_chunks)
        head = [c for _, c in zip(range(2), it, strict=False)]
        unit_chunks = itertools.chain(head, it)
        jobs = default_jobs() if len(head) > 1 else 1
    if jobs <= 1:
        for chunk in unit_chunks:
            if red is not None:
                texts = ["" if not isinstance(t, str) else t for t in chunk["text"].tolist()]
                chunk = apply_redaction(chunk, red.detect_texts(texts), red)
            parts = [_tag_columns(chunk.iloc[lo:hi], settings) for lo, hi in _pieces(len(chunk))]
            yield _assemble(chunk, parts)
        return
    import multiprocessing as mp
    from collections import deque

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker) as pool:
        detecting: deque[tuple[pd.DataFrame, list[Any]]] = deque()
        tagging: deque[tuple[pd.DataFrame, list[Any]]] = deque()

        def promote() -> None:
            chunk, futs = detecting.popleft()
            if futs:
                spans = [sp for fut in futs for sp in fut.result()]
                chunk = apply_redaction(chunk, spans, red)
            inputs = chunk[[c for c in _TAG_INPUT if c in chunk.columns]]
            tagging.append((chunk, [pool.submit(_tag_columns_worker, (inputs.iloc[lo:hi], settings))
                                    for lo, hi in _pieces(len(chunk))]))

        for chunk in unit_chunks:
            futs = []
            if red is not None:
                texts = ["" if not isinstance(t, str) else t for t in chunk["text"].tolist()]
                futs = [pool.submit(_detect_worker, (texts[lo:hi], use_ner)) for lo, hi in _pieces(len(texts))]
            detecting.append((chunk, futs))
            while len(detecting) > 1:
                promote()
            while len(tagging) > 1:
                done, futs = tagging.popleft()
                yield _assemble(done, [f.result() for f in futs])
        while detecting:
            promote()
        while tagging:
            done, futs = tagging.popleft()
            yield _assemble(done, [f.result() for f in futs])


def _init_worker() -> None:
    """One BLAS thread per worker process: the workers already use every core."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        pass


def run_tag(
    inputs: Any,
    *,
    text_columns: Any = None,
    id_column: str | None = None,
    heading_column: str | None = None,
    sheet: str | None = None,
    unit: str = "auto",
    redact: bool = True,
    use_ner: bool = False,
    settings: TagSettings | None = None,
    jobs: int = 1,
    chunksize: int = 20_000,
) -> Iterator[pd.DataFrame]:
    """The whole tag flow as a stream of tagged-unit chunks (what ``forumnlp tag`` writes)."""
    from forumnlp.ingest import iter_read
    from forumnlp.segment import iter_segment

    records = iter_read(
        inputs,
        text_columns=text_columns,
        id_column=id_column,
        heading_column=heading_column,
        sheet=sheet,
        chunksize=chunksize,
    )
    units = iter_segment(records, unit=unit, ids_adjacent=True)
    yield from tag_stream(units, settings or TagSettings(), jobs=jobs, redact=redact, use_ner=use_ner)


def tag_frame(
    records_or_units: pd.DataFrame,
    *,
    unit: str = "auto",
    redact: bool = True,
    settings: TagSettings | None = None,
) -> pd.DataFrame:
    """Tag a records (or units) DataFrame in one call: for notebooks, Dask and tests."""
    df = records_or_units
    if "unit_id" not in df.columns:
        chunks = list(prepare_units([df], unit=unit, redact=redact))
        df = pd.concat(chunks, ignore_index=True) if chunks else df
    elif redact:
        from forumnlp.redact import Redactor

        red = Redactor(use_ner=False)
        texts = ["" if not isinstance(t, str) else t for t in df["text"].tolist()]
        df = apply_redaction(df, red.detect_texts(texts), red)
    return tag_chunk(df, settings or TagSettings())
