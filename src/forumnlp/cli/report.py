"""``forumnlp report``: the whole job in one command, written as HTML, Word or Excel."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from forumnlp.cli._common import (
    ByOpt,
    CodebookOpt,
    HeadingColumnOpt,
    IdColumnOpt,
    InputsArg,
    NoRedactOpt,
    TextColumnOpt,
    UnitOpt,
)

ORDER = 50
_TABLES = (".csv", ".tsv", ".xlsx", ".parquet", ".jsonl")


def _tagged_tables(inputs: list[Path]) -> Any:
    """The inputs as one tagged units table when every input is one (from 'forumnlp tag')."""
    import pandas as pd

    from forumnlp.io import read_table

    if not inputs or any(p.is_dir() or p.suffix.lower() not in _TABLES for p in inputs):
        return None
    frames = []
    for path in inputs:
        df = read_table(path)
        if not {"unit_id", "text", "frame", "frame_source", "themes"}.issubset(df.columns):
            return None
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def report_command(
    inputs: InputsArg,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Report file: .html, .docx or .xlsx.")
    ],
    by: ByOpt = None,
    title: Annotated[str | None, typer.Option("--title", help="Report title.")] = None,
    text_column: TextColumnOpt = None,
    id_column: IdColumnOpt = None,
    heading_column: HeadingColumnOpt = None,
    unit: UnitOpt = "auto",
    codebook: CodebookOpt = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Trained model folder (default: the shipped model).")
    ] = None,
    no_redact: NoRedactOpt = False,
    embedding: Annotated[
        str, typer.Option("--embedding", help="Key-message embeddings: auto | static | minilm.",
                          case_sensitive=False)
    ] = "auto",
) -> None:
    """Write the committee report: summary, participation, key messages, keep/stop/start,
    themes, tone, methods.

    INPUT is raw comments (read, segmented, redacted, tagged, then grouped into key
    messages) or tagged units tables from 'forumnlp tag'. With no --by, the report uses
    whichever of session, agency and locality the comments have.
    """
    from forumnlp.errors import InputError
    from forumnlp.io import check_output_path
    from forumnlp.report import report, report_format, run_report

    report_format(output)
    check_output_path(output, inputs)
    for path in inputs:
        if not path.exists():
            raise InputError(f"{path}: file not found")
    tagged = _tagged_tables(list(inputs))
    if tagged is None:
        written = run_report(
            [str(p) for p in inputs], output, by=by or (), title=title,
            text_columns=text_column or None, id_column=id_column,
            heading_column=heading_column, unit=unit.lower(), codebook=codebook, model=model,
            redact=not no_redact, embedding=embedding.lower(),
        )
    else:
        from forumnlp.messages import key_messages
        from forumnlp.report import _check_by

        if not no_redact:  # private by default, even for tables tagged with --no-redact
            from forumnlp.redact import redact_units

            tagged, _log = redact_units(tagged)
            tagged.attrs = {}  # the log in attrs slows every pandas operation downstream
        by_cols = _check_by(tagged, by or ())
        km = key_messages(tagged, by=by_cols, codebook=codebook, embedding=embedding.lower())
        written = report(tagged, output, messages=km, by=by_cols, title=title,
                         codebook=codebook, redacted=not no_redact,
                         options={"inputs": [p.name for p in inputs],
                                  "input": "tagged units tables (not re-tagged)"})
    if sys.stderr.isatty():
        print(f"report written to {written}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("report")(report_command)
