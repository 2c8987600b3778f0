"""JSON Lines files: one JSON object per line, streamed."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pandas as pd

from forumnlp.errors import InputError
from forumnlp.ingest._base import Context, Source, no_records, to_text
from forumnlp.ingest._files import detect_encoding
from forumnlp.ingest.tabular import extend_plan, plan_table, table_records


def json_text(value: object) -> str:
    """A JSON value as text: strings unchanged, null -> "", true/false, nested as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return to_text(value)


def _frame(batch: list[tuple[int, dict[str, object]]], columns: list[str]) -> pd.DataFrame:
    data = [[json_text(obj.get(c)) for c in columns] for _, obj in batch]
    return pd.DataFrame(data, columns=columns, dtype=object)


def read_jsonl(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    """Yield the records of a JSON Lines file; location ``line n``; blank lines skipped."""
    assert src.path is not None
    name = src.name
    encoding = detect_encoding(src.path, name)
    columns: list[str] = []
    known: set[str] = set()
    plan = None
    place = 0
    done = 0
    batch: list[tuple[int, dict[str, object]]] = []

    def flush() -> tuple[pd.DataFrame, int]:
        nonlocal plan, place
        frame = _frame(batch, columns)
        if plan is None:
            plan = plan_table(columns, frame, ctx, name)
            place = ctx.ids.place(name, lambda r: f"line {r}")
        else:
            extend_plan(plan, columns)
        rows = np.array([n for n, _ in batch], dtype=np.int64)
        return table_records(frame, rows, plan, ctx, source=name, location_prefix="line ",
                             start=done, place=place)

    with src.path.open("r", encoding=encoding, newline=None) as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{name}: line {lineno} is not valid JSON ({exc.msg}, "
                                 f"column {exc.colno})") from exc
            if not isinstance(obj, dict):
                raise InputError(f"{name}: line {lineno} is a JSON {type(obj).__name__}, "
                                 "expected an object {...}")
            for key in obj:
                if key not in known:
                    known.add(key)
                    columns.append(key)
            batch.append((lineno, obj))
            if len(batch) >= ctx.chunksize:
                out, n = flush()
                done += n
                batch = []
                if n:
                    yield out
    if batch:
        out, n = flush()
        done += n
        if n:
            yield out
    if done == 0:
        raise no_records(name, "no JSON objects with values")
