"""A pandas DataFrame given directly: same column rules as a CSV file."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from forumnlp.ingest._base import Context, Source, no_records, to_text
from forumnlp.ingest.tabular import plan_table, table_records


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for i in range(frame.shape[1]):
        series = frame.iloc[:, i]
        if isinstance(series.dtype, pd.StringDtype):
            out[i] = series.astype(object).where(series.notna(), "").tolist()
        else:
            out[i] = [to_text(v) for v in series.tolist()]
    result = pd.DataFrame(out, dtype=object)
    result.columns = _names(frame.columns)
    return result


def _names(columns: pd.Index) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for c in columns:
        base = name = to_text(c) if not isinstance(c, tuple) else " ".join(map(to_text, c))
        while name in seen:
            seen[base] += 1
            name = f"{base}.{seen[base]}"
        seen.setdefault(name, 0)
        names.append(name)
    return names


def read_dataframe(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    """Yield the records of a DataFrame; location ``row n`` is the 1-based position."""
    assert src.frame is not None
    frame = src.frame
    name = src.name
    if frame.shape[1] == 0:
        raise no_records(name, "the DataFrame has no columns")
    plan = None
    place = 0
    done = 0
    for begin in range(0, len(frame), ctx.chunksize):
        chunk = _as_text(frame.iloc[begin : begin + ctx.chunksize])
        if plan is None:
            plan = plan_table(list(chunk.columns), chunk, ctx, name)
            place = ctx.ids.place(name, lambda r: f"row {r}")
        rows = np.arange(begin + 1, begin + 1 + len(chunk))
        out, n = table_records(chunk, rows, plan, ctx, source=name, location_prefix="row ",
                               start=done, place=place)
        done += n
        if n:
            yield out
    if done == 0:
        raise no_records(name, "the DataFrame has no rows with values")
