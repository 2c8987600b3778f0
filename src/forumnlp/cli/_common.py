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


def progress(iterable: Iterable[pd.DataFrame], desc: str) -> Iterable[pd.DataFrame]:
    """Wrap chunks in a progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, unit=" chunks", file=sys.stderr)


def write_stream(
    chunks: Iterable[pd.DataFrame], output: Path, *, inputs: Sequence[Path] = (), safe: bool = True
) -> int:
    """Write streamed chunks to ``output`` atomically; return the number of rows written.

    CSV, TSV and JSONL are appended chunk by chunk (bounded memory); other formats are
    concatenated first. Nothing is left at ``output`` if any chunk fails.
    """
    fmt = table_format(output)
    out = check_output_path(output, inputs)
    n = 0
    with atomic_path(out) as tmp:
        if fmt in (".csv", ".tsv", ".jsonl"):
            from forumnlp.io import neutralise_frame

            first = True
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                for chunk in progress(chunks, desc=out.name):
                    n += len(chunk)
                    if fmt == ".jsonl":
                        import json

                        from forumnlp.io import _jsonable

                        cols = [str(c) for c in chunk.columns]
                        for row in chunk.itertuples(index=False, name=None):
                            fh.write(
                                json.dumps(
                                    {c: _jsonable(v) for c, v in zip(cols, row, strict=True)},
                                    ensure_ascii=False,
                                )
                                + "\n"
                            )
                    else:
                        data = neutralise_frame(chunk) if safe else chunk
                        data.to_csv(
                            fh, index=False, header=first, sep="\t" if fmt == ".tsv" else ","
                        )
                    first = False
        else:
            frames = list(progress(chunks, desc=out.name))
            df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
            n = len(df)
            write_frame_to(df, tmp, fmt, safe=safe)
    return n
