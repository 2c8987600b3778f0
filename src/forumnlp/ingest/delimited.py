"""CSV and TSV files: encoding and delimiter sniffed, streamed in chunks."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator

import numpy as np
import pandas as pd

from forumnlp.errors import InputError
from forumnlp.ingest._base import Context, Source, no_records
from forumnlp.ingest._files import SAMPLE_BYTES, detect_encoding
from forumnlp.ingest.tabular import plan_table, table_records

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
_SNIFF_ROWS = 50


def _raise_field_limit() -> None:
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


def sniff_delimiter(sample: str, default: str = ",", truncated: bool = True) -> str:
    """Choose the delimiter (comma, semicolon, tab or pipe) from the start of a file.

    Each candidate splits the first rows; the one that gives the same number (> 1) of fields
    on the most rows, then the most fields, wins; ties go to ``default``.

    Parameters
    ----------
    sample : str
        The decoded start of the file.
    default : str
        The extension's delimiter (tab for .tsv, comma otherwise).
    truncated : bool
        Whether the sample is cut short (its last row is then ignored).

    Returns
    -------
    str
    """
    _raise_field_limit()
    best: tuple[float, int, int] = (0.0, 1, 0)
    choice = default
    for delim in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delim, strict=False)
            rows = []
            for row in reader:
                rows.append(len(row))
                if len(rows) > _SNIFF_ROWS:
                    break
        except csv.Error:
            continue
        if truncated and len(rows) > 1:
            rows = rows[:-1]
        rows = [r for r in rows if r > 0]
        if not rows or rows[0] < 2:
            continue
        consistency = sum(r == rows[0] for r in rows) / len(rows)
        score = (round(consistency, 2), rows[0], int(delim == default))
        if score > best:
            best, choice = score, delim
    return choice


def read_delimited(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    """Yield records of a CSV/TSV file in chunks of ``ctx.chunksize`` rows.

    Row n of the file is location ``row n`` (the header is row 1); blank rows are skipped.
    """
    assert src.path is not None
    name = src.name
    encoding = detect_encoding(src.path, name)
    with src.path.open("r", encoding=encoding, newline="") as fh:
        sample = fh.read(SAMPLE_BYTES)
        truncated = bool(fh.read(1))
    if not sample.strip():
        raise InputError(f"{name}: the file holds only blank lines (0 records)")
    default = "\t" if src.path.suffix.lower() == ".tsv" else ","
    delim = sniff_delimiter(sample, default, truncated)
    _raise_field_limit()
    try:
        reader = pd.read_csv(
            src.path, sep=delim, dtype=str, keep_default_na=False, na_filter=False,
            encoding=encoding, chunksize=ctx.chunksize, index_col=False, engine="c",
            skip_blank_lines=False, on_bad_lines="error", encoding_errors="strict",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{name}: cannot be read as a table ({_short(exc)})") from exc
    plan = None
    place = 0
    done = 0
    seen = 0
    with reader:
        while True:
            try:
                chunk = next(reader)
            except StopIteration:
                break
            except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
                raise InputError(f"{name}: cannot be read as a table ({_short(exc)})") from exc
            if plan is None:
                plan = plan_table(list(chunk.columns), chunk, ctx, name)
                place = ctx.ids.place(name, lambda r: f"row {r}")
            rows = np.arange(seen + 2, seen + 2 + len(chunk))
            seen += len(chunk)
            out, n = table_records(chunk, rows, plan, ctx, source=name, location_prefix="row ",
                                   start=done, place=place)
            done += n
            if n:
                yield out
    if done == 0:
        raise no_records(name, "no data rows below the header" if seen == 0 else "only blank rows")


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300]
