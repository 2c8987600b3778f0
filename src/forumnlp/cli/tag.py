"""``forumnlp tag``: read -> segment -> redact -> tag, streamed chunk by chunk to one table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from forumnlp.cli._common import (
    CodebookOpt,
    HeadingColumnOpt,
    IdColumnOpt,
    InputsArg,
    NoRedactOpt,
    OutputOpt,
    SheetOpt,
    TextColumnOpt,
    UnitOpt,
    write_stream,
)
from forumnlp.errors import InputError

ORDER = 20
UNITS = ("record", "sentence", "auto")


def tag_command(
    inputs: InputsArg,
    output: OutputOpt,
    text_column: TextColumnOpt = None,
    id_column: IdColumnOpt = None,
    heading_column: HeadingColumnOpt = None,
    sheet: SheetOpt = None,
    unit: UnitOpt = "auto",
    codebook: CodebookOpt = None,
    no_redact: NoRedactOpt = False,
    chunksize: Annotated[int, typer.Option(help="Records per streamed chunk.", min=1)] = 20_000,
    model: Annotated[
        Path | None,
        typer.Option("--model", help="A trained model folder (from 'forumnlp train'); rules only when omitted."),
    ] = None,
    min_rule_confidence: Annotated[
        float,
        typer.Option("--min-rule-confidence", min=0.0, max=1.0,
                     help="Rule frames below this confidence defer to the model."),
    ] = 0.6,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Worker processes for tagging.")] = 1,
) -> None:
    """Tag comments with frames (keep / stop / start / good practice) and themes, with evidence.

    One output row per unit; with --unit record, one row per input record, in input order.
    Personal details are redacted before anything is written unless --no-redact is given.
    """
    from forumnlp.io import check_output_path, table_format

    unit = unit.lower()
    if unit not in UNITS:
        raise InputError(f"--unit must be one of {', '.join(UNITS)}, got {unit!r}")
    table_format(output)
    check_output_path(output, inputs)
    for path in inputs:
        if not path.exists():
            raise InputError(f"{path}: file not found")
    from forumnlp.ingest import iter_read
    from forumnlp.pipeline import prepare_units

    records = iter_read(
        [str(p) for p in inputs],
        text_columns=text_column or None,
        id_column=id_column,
        heading_column=heading_column,
        sheet=sheet,
        chunksize=chunksize,
    )
    units = prepare_units(records, unit=unit, redact=not no_redact)
    if jobs > 1:
        from forumnlp.pipeline import TagSettings, tag_stream

        settings = TagSettings(
            codebook=str(codebook) if codebook else None,
            model=str(model) if model else None,
            min_rule_confidence=min_rule_confidence,
        )
        tagged = tag_stream(units, settings, jobs=jobs)
    else:
        from forumnlp.tag import iter_tag

        cb: Any = None
        if codebook is not None:
            from forumnlp.codebook import load_codebook

            cb = load_codebook(codebook)
        loaded = None
        if model is not None:
            from forumnlp.tag.persist import ForumModel

            loaded = ForumModel.load(model)
        tagged = iter_tag(units, codebook=cb, model=loaded, min_rule_confidence=min_rule_confidence)
    n = write_stream(tagged, output, inputs=inputs)
    print(f"{n} units tagged -> {output}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("tag")(tag_command)
