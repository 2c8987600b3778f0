"""The tagging flow over streamed chunks, on one core or several.

``read -> segment -> redact`` runs in order in the calling process (redaction numbers
placeholders consistently across the whole run, so it must see the units in order); the
``tag`` stage, a pure function of each unit's text, runs in a pool of worker processes that
each load the codebook and model once. Chunks come back in input order, so the output is
identical to a single-core run, row for row and byte for byte.
"""

from __future__ import annotations

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


def tag_chunk(units: pd.DataFrame, settings: TagSettings) -> pd.DataFrame:
    """Tag one chunk of (redacted) units: structure, confident rules, then the model."""
    from forumnlp.tag import tag

    codebook, model = _load(settings)
    return tag(units, codebook=codebook, model=model, min_rule_confidence=settings.min_rule_confidence)


def _tag_chunk_worker(args: tuple[pd.DataFrame, TagSettings]) -> pd.DataFrame:
    units, settings = args
    return tag_chunk(units, settings)


def prepare_units(
    record_chunks: Iterable[pd.DataFrame],
    *,
    unit: str = "auto",
    redact: bool = True,
    redactor: Any = None,
    heading_table: Any = None,
) -> Iterator[pd.DataFrame]:
    """Segment (and redact, by default) streamed record chunks, in order."""
    from forumnlp.segment import iter_segment

    units = iter_segment(record_chunks, unit=unit, heading_table=heading_table)
    if not redact:
        yield from units
        return
    from forumnlp.redact import Redactor, redact_units

    shared = redactor if redactor is not None else Redactor()
    for chunk in units:
        redacted, _log = redact_units(chunk, redactor=shared)
        yield redacted


def default_jobs() -> int:
    """Worker processes to use by default: the machine's cores, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def tag_stream(
    unit_chunks: Iterable[pd.DataFrame], settings: TagSettings, *, jobs: int = 1
) -> Iterator[pd.DataFrame]:
    """Tag streamed unit chunks, with ``jobs`` worker processes (1: in this process).

    Chunks are yielded in input order; at most ``2 * jobs`` chunks are in flight, so memory
    stays bounded whatever the input size.
    """
    if jobs <= 1:
        for chunk in unit_chunks:
            yield tag_chunk(chunk, settings)
        return
    import multiprocessing as mp
    from collections import deque

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        pending: deque[Any] = deque()
        for chunk in unit_chunks:
            pending.append(pool.submit(_tag_chunk_worker, (chunk, settings)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def run_tag(
    inputs: Any,
    *,
    text_columns: Any = None,
    id_column: str | None = None,
    heading_column: str | None = None,
    sheet: str | None = None,
    unit: str = "auto",
    redact: bool = True,
    settings: TagSettings | None = None,
    jobs: int = 1,
    chunksize: int = 20_000,
) -> Iterator[pd.DataFrame]:
    """The whole tag flow as a stream of tagged-unit chunks (what ``forumnlp tag`` writes)."""
    from forumnlp.ingest import iter_read

    records = iter_read(
        inputs,
        text_columns=text_columns,
        id_column=id_column,
        heading_column=heading_column,
        sheet=sheet,
        chunksize=chunksize,
    )
    units = prepare_units(records, unit=unit, redact=redact)
    yield from tag_stream(units, settings or TagSettings(), jobs=jobs)


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
        from forumnlp.redact import redact_units

        df, _ = redact_units(df)
    return tag_chunk(df, settings or TagSettings())
