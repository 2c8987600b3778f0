"""``forumnlp segment``: records -> units table (no codes; frames only where a heading decides)."""

from __future__ import annotations

from pathlib import Path

import typer

from forumnlp.cli._common import (
    ChunksizeOpt,
    HeadingColumnOpt,
    IdColumnOpt,
    InputsArg,
    OutputOpt,
    SheetOpt,
    TextColumnOpt,
    UnitOpt,
    write_stream,
)

ORDER = 10


def segment_command(
    inputs: InputsArg,
    output: OutputOpt,
    text_column: TextColumnOpt = None,
    id_column: IdColumnOpt = None,
    heading_column: HeadingColumnOpt = None,
    sheet: SheetOpt = None,
    unit: UnitOpt = "auto",
    chunksize: ChunksizeOpt = 20_000,
) -> None:
    """Split comments into units (list items, sentences) with offsets back to the source."""
    from forumnlp.ingest import iter_read
    from forumnlp.segment import iter_segment

    chunks = iter_read(
        [str(p) for p in inputs],
        text_columns=text_column or None,
        id_column=id_column,
        heading_column=heading_column,
        sheet=sheet,
        chunksize=chunksize,
    )
    write_stream(iter_segment(chunks, unit=unit, ids_adjacent=True), output, inputs=inputs)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("segment")(segment_command)


__all__ = ["Path", "register", "segment_command"]
