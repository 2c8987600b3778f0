"""Which reader handles which file extension."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from forumnlp.errors import InputError
from forumnlp.ingest._base import Context, Source

Reader = Callable[[Source, Context], Iterator[pd.DataFrame]]


def _delimited(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    from forumnlp.ingest.delimited import read_delimited

    return read_delimited(src, ctx)


def _excel(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    from forumnlp.ingest.excel import read_excel

    return read_excel(src, ctx)


def _docx(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    from forumnlp.ingest.word import read_docx

    return read_docx(src, ctx)


def _text(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    from forumnlp.ingest.text import read_text_file

    return read_text_file(src, ctx)


def _jsonl(src: Source, ctx: Context) -> Iterator[pd.DataFrame]:
    from forumnlp.ingest.jsonl import read_jsonl

    return read_jsonl(src, ctx)


#: File extension (lower case) -> reader.
READERS: dict[str, Reader] = {
    ".csv": _delimited,
    ".tsv": _delimited,
    ".tab": _delimited,
    ".xlsx": _excel,
    ".xlsm": _excel,
    ".docx": _docx,
    ".txt": _text,
    ".text": _text,
    ".md": _text,
    ".markdown": _text,
    ".jsonl": _jsonl,
    ".ndjson": _jsonl,
}

#: Advice for formats that are recognised but not read.
UNSUPPORTED_HINTS: dict[str, str] = {
    ".pdf": "export the PDF as text (.txt) or Word (.docx) first",
    ".doc": "open it in Word and save it as .docx",
    ".xls": "open it in Excel and save it as .xlsx or .csv",
    ".odt": "save it as .docx",
    ".ods": "save it as .xlsx or .csv",
    ".rtf": "save it as .docx or .txt",
    ".json": "write one JSON object per line as .jsonl",
    ".parquet": "load it with pandas and pass the DataFrame",
    ".pptx": "copy the text into a .docx or .txt file",
}


def supported_extensions() -> tuple[str, ...]:
    """The file extensions that can be read."""
    return tuple(READERS)


def reader_for(path: Path, name: str) -> Reader:
    """Return the reader for a file, or raise InputError for an unknown format."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is not None:
        return reader
    hint = UNSUPPORTED_HINTS.get(suffix)
    known = ", ".join(READERS)
    what = f"format {suffix!r} is not supported" if suffix else "no file extension, so the format is unknown"
    raise InputError(f"{name}: {what}; {hint + '; ' if hint else ''}readable formats: {known}")
