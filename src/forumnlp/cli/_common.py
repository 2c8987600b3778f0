"""Options shared by the CLI commands, and streaming output."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from forumnlp.io import atomic_path, check_output_path, table_format, write_frame_to

InputsArg = Annotated[
    list[Path], typer.Argument(help="Input files or folders (csv tsv xlsx docx txt md jsonl).")
]
OutputOpt = Annotated[
    Path, typer.Option("-o", "--output", help="Output file; format by extension (.csv .xlsx .parquet .jsonl).")
]
TextColumnOpt = Annotated[
    list[str] | None,
    typer.Option("--text-column", help="Column(s) holding the comments (repeat for several)."),
]
IdColumnOpt = Annotated[str | None, typer.Option("--id-column", help="Column with record ids.")]
HeadingColumnOpt = Annotated[
    str | None, typer.Option("--heading-column", help="Column whose value is each row's heading/question.")
]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Only this sheet of an .xlsx workbook.")]
UnitOpt = Annotated[
    str,
    typer.Option("--unit", help="record | sentence | auto.", case_sensitive=False),
]
ByOpt = Annotated[
    list[str] | None, typer.Option("--by", help="Attribute column(s) to measure spread over (repeat).")
]
NoRedactOpt = Annotated[
    bool, typer.Option("--no-redact", help="Do not redact personal details (explicit opt-out).")
]
CodebookOpt = Annotated[Path | None, typer.Option("--codebook", help="A codebook YAML file.")]
ChunksizeOpt = Annotated[int, typer.Option(help="Records per streamed chunk (bounds memory).", min=1)]


def progress(iterable: Iterable[pd.DataFrame], desc: str) -> Iterable[pd.DataFrame]:
    """Wrap chunks in a progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, unit=" chunks", file=sys.stderr)


def _write_json_lines(fh: object, chunk: pd.DataFrame) -> None:
    import json

    from forumnlp.io import _jsonable

    cols = [str(c) for c in chunk.columns]
    for row in chunk.itertuples(index=False, name=None):
        obj = {c: _jsonable(v) for c, v in zip(cols, row, strict=True)}
        fh.write(json.dumps(obj, ensure_ascii=False) + "\n")  # type: ignore[attr-defined]


def write_stream(
    chunks: Iterable[pd.DataFrame], output: Path, *, inputs: Sequence[Path] = (), safe: bool = True
) -> int:
    """Write streamed chunks to ``output`` atomically; return the number of rows written.

    CSV, TSV and JSONL are written chunk by chunk (bounded memory). When a later chunk
    brings columns that earlier ones lacked (inputs with different attributes), the CSV is
    rewritten once at the end under the union of the columns, so no value ever sits under
    the wrong header. Other formats are concatenated first. Nothing is left at ``output``
    if any chunk fails.
    """
    from forumnlp.io import neutralise_frame

    fmt = table_format(output)
    out = check_output_path(output, inputs)
    sep = "\t" if fmt == ".tsv" else ","
    n = 0
    with atomic_path(out) as tmp:
        if fmt == ".jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                for chunk in progress(chunks, desc=out.name):
                    n += len(chunk)
                    _write_json_lines(fh, chunk)
        elif fmt in (".csv", ".tsv"):
            header: list[str] = []
            segments: list[tuple[Path, list[str]]] = []
            fh = None
            try:
                for chunk in progress(chunks, desc=out.name):
                    n += len(chunk)
                    cols = [str(c) for c in chunk.columns]
                    if fh is None or any(c not in header for c in cols):
                        header = header + [c for c in cols if c not in header]
                        if fh is not None:
                            fh.close()
                        seg = tmp if not segments else tmp.with_name(f"{tmp.name}.{len(segments)}")
                        segments.append((seg, list(header)))
                        fh = seg.open("w", encoding="utf-8", newline="")
                        first = True
                    data = chunk.reindex(columns=segments[-1][1], fill_value="")
                    data = neutralise_frame(data) if safe else data
                    data.to_csv(fh, index=False, header=first, sep=sep)
                    first = False
            finally:
                if fh is not None:
                    fh.close()
            if not segments:
                tmp.write_text("", encoding="utf-8")
            elif len(segments) > 1:
                _merge_segments(segments, header, tmp, sep)
        else:
            frames = list(progress(chunks, desc=out.name))
            df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
            n = len(df)
            write_frame_to(df, tmp, fmt, safe=safe)
    return n


def _merge_segments(segments: list[tuple[Path, list[str]]], header: list[str], tmp: Path, sep: str) -> None:
    """Rewrite CSV segments with different columns into ``tmp`` under the union header."""
    merged = tmp.with_name(tmp.name + ".merged")
    try:
        with merged.open("w", encoding="utf-8", newline="") as fh:
            first = True
            for seg, _cols in segments:
                for part in pd.read_csv(seg, sep=sep, dtype=str, keep_default_na=False, chunksize=50_000):
                    part.reindex(columns=header, fill_value="").to_csv(fh, index=False, header=first, sep=sep)
                    first = False
        merged.replace(tmp)
    finally:
        for seg, _ in segments[1:]:
            seg.unlink(missing_ok=True)
        merged.unlink(missing_ok=True)
