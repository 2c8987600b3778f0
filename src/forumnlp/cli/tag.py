"""``forumnlp tag``: read -> segment -> redact -> tag, streamed chunk by chunk to one table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from forumnlp.cli._common import (
    ChunksizeOpt,
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
    chunksize: ChunksizeOpt = 20_000,
    model: Annotated[
        Path | None,
        typer.Option("--model", help="A trained model folder (from 'forumnlp train'); the shipped model by default."),
    ] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Rules only: do not use a trained model.")] = False,
    min_rule_confidence: Annotated[
        float,
        typer.Option("--min-rule-confidence", min=0.0, max=1.0,
                     help="Rule frames below this confidence defer to the model."),
    ] = 0.75,
    ner: Annotated[
        bool,
        typer.Option("--ner", help="Also find names with spaCy's NER when redacting (slower, higher recall)."),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option("--jobs", min=0,
                     help="Worker processes; 0 (default): every core (at most 4) when the input "
                          "is more than one chunk, else one. Output is the same for any value."),
    ] = 0,
) -> None:
    """Tag comments with frames (keep / stop / start / good practice) and themes, with evidence.

    One output row per unit; with --unit record, one row per input record, in input order.
    Personal details are redacted before anything is written unless --no-redact is given.
    Frames: a heading decides first (unless a confident rule contradicts it), then confident
    rules, then the trained model. With --codebook and no --model, only the rules are used
    (the shipped model knows the default codebook's codes).
    """
    from forumnlp.io import check_output_path, table_format
    from forumnlp.pipeline import TagSettings, run_tag

    unit = unit.lower()
    if unit not in UNITS:
        raise InputError(f"--unit must be one of {', '.join(UNITS)}, got {unit!r}")
    if model is not None and no_model:
        raise InputError("--model and --no-model cannot be used together")
    table_format(output)
    check_output_path(output, inputs)
    for path in inputs:
        if not path.exists():
            raise InputError(f"{path}: file not found")
    if codebook is not None:
        from forumnlp.codebook import load_codebook

        load_codebook(codebook)  # fail early, with every error, before reading any input
    chosen: str | None
    if no_model:
        chosen = None
    elif model is not None:
        chosen = str(model)
    else:
        chosen = "default" if codebook is None else None
    settings = TagSettings(
        codebook=str(codebook) if codebook else None,
        model=chosen,
        min_rule_confidence=min_rule_confidence,
    )
    from forumnlp.pipeline import load_tagger

    load_tagger(settings)  # load the model once here: a bad model fails before any output
    tagged = run_tag(
        [str(p) for p in inputs],
        text_columns=text_column or None,
        id_column=id_column,
        heading_column=heading_column,
        sheet=sheet,
        unit=unit,
        redact=not no_redact,
        use_ner=ner,
        settings=settings,
        jobs=jobs,
        chunksize=chunksize,
    )
    n = write_stream(tagged, output, inputs=inputs)
    print(f"{n} units tagged -> {output}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("tag")(tag_command)
