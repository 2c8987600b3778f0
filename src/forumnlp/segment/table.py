"""Records table -> units table: ids, offsets, headings and frames decided by structure."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from forumnlp.errors import InputError
from forumnlp.schema import (
    END,
    FRAME,
    FRAME_SCORE,
    FRAME_SOURCE,
    HEADING,
    IS_EMPTY,
    LOCATION,
    RECORD_ID,
    SOURCE,
    START,
    TEXT,
    UNIT_COLUMNS,
    UNIT_ID,
    attribute_columns,
)
from forumnlp.segment.split import UNIT_CHOICES, split_spans

Unit = Literal["record", "sentence", "auto"]
STRUCTURE = "structure"


@dataclass
class _State:
    """What a stream of chunks carries from one chunk to the next."""

    heading_table: Any = None
    counters: dict[str, int] = field(default_factory=dict)
    offset: int = 0
    frames: dict[str, str | None] = field(default_factory=dict)
    lookup: Callable[..., str | None] | None = None

    def frame(self, heading: str) -> str | None:
        """The frame that ``heading`` decides, or None (cached)."""
        try:
            return self.frames[heading]
        except KeyError:
            pass
        if not heading:
            frame = None
        else:
            if self.lookup is None:
                from forumnlp.headings import frame_for_heading, load_heading_table

                if isinstance(self.heading_table, str | os.PathLike):
                    self.heading_table = load_heading_table(self.heading_table)
                self.lookup = frame_for_heading
            frame = self.lookup(heading, self.heading_table)
        self.frames[heading] = frame
        return frame


def _check_unit(unit: str) -> None:
    if unit not in UNIT_CHOICES:
        raise InputError(f"unit must be one of {', '.join(UNIT_CHOICES)}, got {unit!r}")


def _as_str(value: object) -> str:
    """A cell as text: NaN/None -> "", anything else -> str."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def _column(records: pd.DataFrame, name: str, required: bool) -> list[str]:
    if name not in records.columns:
        if required:
            raise InputError(
                f"records table: missing column {name!r} (have: {', '.join(map(str, records.columns))})"
            )
        return [""] * len(records)
    return [_as_str(v) for v in records[name].tolist()]


def _empty_units(attrs: pd.DataFrame, offset: int) -> pd.DataFrame:
    return _build(attrs, [], {c: [] for c in UNIT_COLUMNS}, offset)


def _build(
    attrs: pd.DataFrame, rep: list[int], cols: dict[str, list[Any]], offset: int
) -> pd.DataFrame:
    index = pd.RangeIndex(offset, offset + len(rep))
    data: dict[str, Any] = {}
    for name in UNIT_COLUMNS:
        values = cols[name]
        if name in (START, END):
            data[name] = np.asarray(values, dtype=np.int64)
        elif name == IS_EMPTY:
            data[name] = np.asarray(values, dtype=bool)
        elif name == FRAME_SCORE:
            data[name] = np.asarray(values, dtype=np.float64)
        else:
            data[name] = pd.Series(values, dtype="str", index=index)
    out = pd.DataFrame(data, index=index)
    if attrs.shape[1]:
        taken = attrs.take(np.asarray(rep, dtype=np.intp))
        taken.index = index
        out = pd.concat([out, taken], axis=1)
    return out


def _segment_chunk(records: pd.DataFrame, unit: str, state: _State) -> pd.DataFrame:
    if not isinstance(records, pd.DataFrame):
        raise InputError(f"segment expects a records DataFrame, got {type(records).__name__}")
    rids = _column(records, RECORD_ID, True)
    texts = _column(records, TEXT, True)
    sources = _column(records, SOURCE, False)
    locations = _column(records, LOCATION, False)
    headings = _column(records, HEADING, False)
    attrs = records[attribute_columns(records)]
    if not rids:
        return _empty_units(attrs, state.offset)

    rep: list[int] = []
    u_rid: list[str] = []
    u_uid: list[str] = []
    u_src: list[str] = []
    u_loc: list[str] = []
    u_start: list[int] = []
    u_end: list[int] = []
    u_head: list[str] = []
    u_text: list[str] = []
    u_frame: list[str] = []
    u_score: list[float] = []
    u_fsrc: list[str] = []
    counters = state.counters
    nan = math.nan

    for pos, (rid, text, heading) in enumerate(zip(rids, texts, headings, strict=True)):
        spans, flags = split_spans(text, unit)
        frame = state.frame(heading)
        heads: list[str] | None = None
        if flags is not None and any(flags):
            spans, heads = _apply_inline_headings(text, spans, flags, heading, state)
        k = counters.get(rid, 0)
        if not spans:
            spans = [(0, 0)]
        n = len(spans)
        rep.extend([pos] * n)
        u_rid.extend([rid] * n)
        u_uid.extend([f"{rid}#{k + j}" for j in range(1, n + 1)])
        counters[rid] = k + n
        u_src.extend([sources[pos]] * n)
        u_loc.extend([locations[pos]] * n)
        for s, e in spans:
            u_start.append(s)
            u_end.append(e)
            u_text.append(text[s:e])
        if heads is None:
            u_head.extend([heading] * n)
            if frame is None:
                u_frame.extend([""] * n)
                u_score.extend([nan] * n)
                u_fsrc.extend([""] * n)
            else:
                u_frame.extend([frame] * n)
                u_score.extend([1.0] * n)
                u_fsrc.extend([STRUCTURE] * n)
        else:
            for h in heads:
                f = state.frame(h)
                u_head.append(h)
                u_frame.append(f or "")
                u_score.append(nan if f is None else 1.0)
                u_fsrc.append("" if f is None else STRUCTURE)

    u_empty = [s == e for s, e in zip(u_start, u_end, strict=True)]
    cols = {
        RECORD_ID: u_rid,
        UNIT_ID: u_uid,
        SOURCE: u_src,
        LOCATION: u_loc,
        START: u_start,
        END: u_end,
        HEADING: u_head,
        TEXT: u_text,
        IS_EMPTY: u_empty,
        FRAME: u_frame,
        FRAME_SCORE: u_score,
        FRAME_SOURCE: u_fsrc,
    }
    out = _build(attrs, rep, cols, state.offset)
    state.offset += len(rep)
    return out


def _apply_inline_headings(
    text: str, spans: list[tuple[int, int]], flags: list[bool], heading: str, state: _State
) -> tuple[list[tuple[int, int]], list[str] | None]:
    """Drop the units that are frame headings and give the units after them that heading."""
    names: list[str | None] = [None] * len(spans)
    for i, (flag, (s, e)) in enumerate(zip(flags, spans, strict=True)):
        if flag:
            name = text[s:e].rstrip(":").rstrip()
            if name and state.frame(name) is not None:
                names[i] = name
    last_unit = max((i for i, name in enumerate(names) if name is None), default=-1)
    kept: list[tuple[int, int]] = []
    heads: list[str] = []
    current = heading
    for i, span in enumerate(spans):
        name = names[i]
        if name is not None and i < last_unit:
            current = name
            continue
        kept.append(span)
        heads.append(current)
    return kept, heads


def segment(
    records: pd.DataFrame, *, unit: Unit = "auto", heading_table: Any = None
) -> pd.DataFrame:
    """Split records into units: list items, lines or sentences, with offsets and frames.

    Parameters
    ----------
    records : pandas.DataFrame
        A records table (``record_id``, ``source``, ``location``, ``heading``, ``text`` and
        attribute columns), as :func:`forumnlp.read` returns. ``record_id`` and ``text`` are
        required; missing ``source``/``location``/``heading`` read as "".
    unit : {"auto", "sentence", "record"}, default "auto"
        How to split each record's text, see :func:`forumnlp.segment.split_units`.
    heading_table : HeadingTable, mapping, str or path, optional
        The heading -> frame table given to :func:`forumnlp.headings.frame_for_heading`
        (None: the shipped table); a path is read with
        :func:`forumnlp.headings.load_heading_table`.

    Returns
    -------
    pandas.DataFrame
        The units table: ``UNIT_COLUMNS`` in order, then the records' attribute columns.
        One row per unit in record order; a blank record gives one unit with ``text == ""``,
        ``start == end == 0`` and ``is_empty`` True. ``unit_id`` is ``f"{record_id}#{k}"``,
        k counting the units of a record_id from 1 (continuing over records that share it).
        A heading that decides a frame gives its units ``frame`` = that frame,
        ``frame_score`` 1.0 and ``frame_source`` "structure"; otherwise "", NaN and "". A
        line inside the text that is itself a frame heading ("STOP DOING:") is not a unit:
        it becomes the ``heading`` (without a final colon) of the units after it.

    Raises
    ------
    InputError
        If ``unit`` is not a choice, or ``record_id`` or ``text`` is missing.
    """
    _check_unit(unit)
    return _segment_chunk(records, unit, _State(heading_table=heading_table))


def iter_segment(
    chunks: Iterable[pd.DataFrame],
    *,
    unit: Unit = "auto",
    heading_table: Any = None,
    ids_adjacent: bool = False,
) -> Iterator[pd.DataFrame]:
    """Segment a stream of records chunks; the result equals :func:`segment` on their concat.

    Unit ordinals (k in ``unit_id``) and the output index continue across chunks, so
    ``pd.concat(iter_segment(chunks))`` equals ``segment(pd.concat(chunks, ignore_index=True))``.

    Parameters
    ----------
    chunks : iterable of pandas.DataFrame
        Consecutive pieces of one records table.
    unit : {"auto", "sentence", "record"}, default "auto"
        See :func:`segment`.
    heading_table : optional
        See :func:`segment`.
    ids_adjacent : bool, default False
        Promise that records sharing a ``record_id`` are adjacent (true of
        :func:`forumnlp.ingest.iter_read`, which rejects repeated ids). Then only the last
        record's unit counter is carried between chunks, so memory does not grow with the
        number of records in the stream.

    Returns
    -------
    iterator of pandas.DataFrame
        One units table per input chunk (possibly with zero rows for an empty chunk).

    Raises
    ------
    InputError
        If ``unit`` is not a choice (at once), or a chunk lacks ``record_id`` or ``text``.
    """
    _check_unit(unit)
    return _iter(chunks, unit, _State(heading_table=heading_table), ids_adjacent)


def _iter(
    chunks: Iterable[pd.DataFrame], unit: str, state: _State, ids_adjacent: bool = False
) -> Iterator[pd.DataFrame]:
    for chunk in chunks:
        out = _segment_chunk(chunk, unit, state)
        if ids_adjacent and len(chunk):
            last = str(chunk["record_id"].iloc[-1])
            k = state.counters.get(last, 0)
            state.counters.clear()
            state.counters[last] = k
        if len(state.frames) > 50_000:  # free-text headings: keep the cache bounded
            state.frames.clear()
        yield out
