"""Ingest: read files or a DataFrame into a records table (one row per text record).

Formats: CSV/TSV, Excel (.xlsx), Word (.docx), plain text and Markdown (including report
exports whose tables arrive as TAB-separated HTML cells), JSON Lines, and pandas DataFrames.
See ``docs/formats.md`` and :mod:`forumnlp.ingest.tabular` for the column rules.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd

from forumnlp.errors import InputError
from forumnlp.ingest._base import Context, IngestWarning, ReadOptions, Source
from forumnlp.ingest.registry import READERS, reader_for, supported_extensions
from forumnlp.schema import RECORD_COLUMNS

__all__ = ["IngestWarning", "iter_read", "read", "supported_extensions"]

Inputs = str | os.PathLike[str] | pd.DataFrame | Iterable[str | os.PathLike[str] | pd.DataFrame]


_FOLDER_DOCS = frozenset({"readme", "license", "licence", "changelog", "contributing"})


def _folder_files(folder: Path) -> list[Path]:
    files: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith((".", "~$")) or entry.is_dir():
            continue
        if entry.stem.casefold() in _FOLDER_DOCS:
            warnings.warn(f"{entry}: skipped, it describes the folder (name the file to read it)",
                          IngestWarning, stacklevel=3)
            continue
        if entry.suffix.lower() in READERS:
            files.append(entry)
        else:
            warnings.warn(f"{entry}: skipped, {entry.suffix or 'no extension'} files are not read",
                          IngestWarning, stacklevel=3)
    if not files:
        raise InputError(f"{folder}: the folder holds no readable files "
                         f"({', '.join(READERS)})")
    return files


def _sources(inputs: Inputs) -> list[Source]:
    if isinstance(inputs, pd.DataFrame):
        items: list[object] = [inputs]
    elif isinstance(inputs, (str, os.PathLike)):
        items = [inputs]
    else:
        try:
            items = list(inputs)
        except TypeError as exc:
            raise InputError(f"cannot read inputs of type {type(inputs).__name__}; "
                             "give a path, a list of paths, a folder or a DataFrame") from exc
    if not items:
        raise InputError("no inputs given")
    frames = sum(isinstance(i, pd.DataFrame) for i in items)
    paths: list[Path | pd.DataFrame] = []
    for item in items:
        if isinstance(item, pd.DataFrame):
            paths.append(item)
            continue
        if not isinstance(item, (str, os.PathLike)):
            raise InputError(f"cannot read an input of type {type(item).__name__}")
        path = Path(item)
        if not path.exists():
            raise InputError(f"{path}: file not found")
        if path.is_dir():
            paths.extend(_folder_files(path))
        else:
            reader_for(path, str(path))  # unknown format -> InputError now, not mid-stream
            paths.append(path)
    names = _source_names([p for p in paths if isinstance(p, Path)])
    sources: list[Source] = []
    k = 0
    for index, item in enumerate(paths):
        if isinstance(item, pd.DataFrame):
            k += 1
            name = "dataframe" if frames == 1 else f"dataframe{k}"
            sources.append(Source(name=name, frame=item, index=index))
        else:
            sources.append(Source(name=names[item], path=item, index=index))
    return sources


def _source_names(paths: list[Path]) -> dict[Path, str]:
    """Base names, lengthened with parent folders where two inputs share a base name."""
    resolved: dict[Path, Path] = {}
    for p in paths:
        r = p.resolve()
        if r in resolved.values():
            raise InputError(f"{p}: the same file is given twice")
        resolved[p] = r
    names = {p: p.name for p in paths}
    depth = 1
    while True:
        counts: dict[str, int] = {}
        for n in names.values():
            counts[n] = counts.get(n, 0) + 1
        clashes = [p for p, n in names.items() if counts[n] > 1]
        if not clashes or depth > 50:
            return names
        depth += 1
        for p in clashes:
            parts = resolved[p].parts[-depth:]
            names[p] = "/".join(parts)


def _options(
    text_columns: Sequence[str] | str | None,
    id_column: str | None,
    heading_column: str | None,
    sheet: str | None,
) -> ReadOptions:
    if isinstance(text_columns, str):
        text_columns = [text_columns]
    cols = tuple(str(c) for c in text_columns) if text_columns else None
    return ReadOptions(cols, id_column or None, heading_column or None, sheet or None)


def iter_read(
    inputs: Inputs,
    *,
    chunksize: int = 20_000,
    text_columns: Sequence[str] | str | None = None,
    id_column: str | None = None,
    heading_column: str | None = None,
    sheet: str | None = None,
) -> Iterator[pd.DataFrame]:
    """Read inputs as a stream of records tables.

    CSV/TSV, JSON Lines and DataFrames are read ``chunksize`` rows at a time, so a large file
    is read in bounded memory; the other formats give their records in chunks of at most
    ``chunksize`` after reading the file. Chunks of one source share their columns; chunks of
    different sources may have different attribute columns.

    Parameters
    ----------
    inputs : path, list of paths, folder or pandas.DataFrame
        Files are read in the order given; a folder's readable files in name order (not
        recursively; other files, and README/LICENSE files that describe the folder, are
        skipped with an :class:`IngestWarning`; hidden and ``~$`` lock files silently).
    chunksize : int, default 20000
        Rows per chunk.
    text_columns : sequence of str, optional
        Columns holding the text (tabular inputs). None detects one column: see
        :mod:`forumnlp.ingest.tabular`. Several columns give one record per column per row,
        with the column name as heading.
    id_column : str, optional
        Column whose value is the ``record_id``; values must be unique across the inputs.
    heading_column : str, optional
        Column whose value is each row's heading (auto: question / heading / prompt /
        section when there is one text column). It is also kept as an attribute.
    sheet : str, optional
        Read only this sheet of Excel workbooks.

    Yields
    ------
    pandas.DataFrame
        Records: ``record_id``, ``source``, ``location``, ``heading``, ``text`` and the
        attribute columns, all strings.

    Raises
    ------
    InputError
        A missing, unreadable, empty or unsupported input, or an unknown column.
    """
    if not isinstance(chunksize, int) or chunksize < 1:
        raise InputError(f"chunksize must be a positive integer, got {chunksize!r}")
    ctx = Context(_options(text_columns, id_column, heading_column, sheet), chunksize)
    for src in _sources(inputs):
        if src.frame is not None:
            from forumnlp.ingest.dataframe import read_dataframe

            yield from read_dataframe(src, ctx)
        else:
            assert src.path is not None
            yield from reader_for(src.path, src.name)(src, ctx)


def read(
    inputs: Inputs,
    *,
    text_columns: Sequence[str] | str | None = None,
    id_column: str | None = None,
    heading_column: str | None = None,
    sheet: str | None = None,
) -> pd.DataFrame:
    """Read inputs into one records table (the concatenation of :func:`iter_read`).

    Parameters
    ----------
    inputs : path, list of paths, folder or pandas.DataFrame
        See :func:`iter_read`.
    text_columns, id_column, heading_column, sheet
        See :func:`iter_read`.

    Returns
    -------
    pandas.DataFrame
        One row per record in input order: ``record_id``, ``source``, ``location``,
        ``heading``, ``text``, then attribute columns in order of first appearance ("" where
        a source lacks one).

    Examples
    --------
    >>> import pandas as pd
    >>> read(pd.DataFrame({"comment": ["Keep the huddles"], "agency": ["Police"]}))[
    ...     ["record_id", "location", "text", "agency"]].values.tolist()
    [['dataframe:1', 'row 1', 'Keep the huddles', 'Police']]
    """
    chunks = list(iter_read(inputs, text_columns=text_columns, id_column=id_column,
                            heading_column=heading_column, sheet=sheet))
    return concat_records(chunks)


def concat_records(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate records chunks: record columns first, "" for attributes a chunk lacks."""
    if not chunks:
        return pd.DataFrame({c: pd.Series([], dtype=str) for c in RECORD_COLUMNS})
    columns: list[str] = []
    seen: set[str] = set()
    for chunk in chunks:
        for c in chunk.columns:
            if c not in seen:
                seen.add(c)
                columns.append(c)
    out = chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
    out = out.reindex(columns=columns).fillna("")
    return out.astype(str).reset_index(drop=True)
