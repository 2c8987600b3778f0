"""``forumnlp messages``: key messages (recurring points, their spread and quotes)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from forumnlp.cli._common import (
    ByOpt,
    IdColumnOpt,
    InputsArg,
    NoRedactOpt,
    OutputOpt,
    TextColumnOpt,
)
from forumnlp.errors import InputError

ORDER = 40
_TABLES = (".csv", ".tsv", ".xlsx", ".parquet", ".jsonl")


def _read_tagged(inputs: list[Path]) -> pd.DataFrame | None:
    """The inputs as one tagged units table, or None when any input is not a tagged table."""
    from forumnlp.io import read_table

    if not inputs or any(p.is_dir() or p.suffix.lower() not in _TABLES for p in inputs):
        return None
    frames = []
    for path in inputs:
        df = read_table(path)
        if not {"text", "frame", "themes"}.issubset(df.columns):
            return None
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _tag_inputs(inputs: list[Path], text_column: list[str] | None, id_column: str | None,
                redact: bool) -> pd.DataFrame:
    """Run read -> segment -> redact -> tag on raw inputs."""
    try:
        from forumnlp.ingest import read
        from forumnlp.segment import segment
        from forumnlp.tag import tag
    except ImportError as exc:  # a stage not installed in this build
        raise InputError(
            f"inputs are not tagged units (no frame/themes columns) and the tagging flow is not "
            f"available ({exc}); run 'forumnlp tag' first"
        ) from exc
    units = segment(read([str(p) for p in inputs], text_columns=text_column or None,
                         id_column=id_column))
    if redact:
        from forumnlp.redact import redact_units

        units, _log = redact_units(units)
    return tag(units)


def messages_command(
    inputs: InputsArg,
    output: OutputOpt,
    text_column: TextColumnOpt = None,
    id_column: IdColumnOpt = None,
    by: ByOpt = None,
    units_out: Annotated[
        Path | None, typer.Option("--units-out", help="Also write the units with their message_id.")
    ] = None,
    min_size: Annotated[int, typer.Option("--min-size", help="Fewest units in a message.")] = 3,
    max_messages: Annotated[
        int | None, typer.Option("--max-messages", help="Keep only the top N messages.")
    ] = None,
    embedding: Annotated[
        str, typer.Option("--embedding", help="auto | static | minilm.", case_sensitive=False)
    ] = "auto",
    no_redact: NoRedactOpt = False,
) -> None:
    """Find the key messages: what keeps coming up, where, in practitioners' own words.

    INPUT is a tagged units table (from 'forumnlp tag') or raw comments, which are then read,
    segmented, redacted and tagged first.
    """
    from forumnlp.io import check_output_path, table_format, write_table
    from forumnlp.messages import key_messages

    table_format(output)
    check_output_path(output, inputs)
    if units_out is not None:
        table_format(units_out)
        check_output_path(units_out, inputs)
    for path in inputs:
        if not path.exists():
            raise InputError(f"{path}: file not found")
    units = _read_tagged(list(inputs))
    if units is None:
        units = _tag_inputs(list(inputs), text_column, id_column, redact=not no_redact)
    result = key_messages(units, by=by or (), min_size=min_size, max_messages=max_messages,
                          embedding=embedding.lower())
    write_table(result.messages, output)
    if units_out is not None:
        write_table(result.units, units_out)
    cfg = result.config
    print(f"{len(result.messages)} key messages from {cfg['n_practice']} practice units "
          f"({cfg['n_unassigned']} in no message), {len(result.feedback)} event-feedback groups; "
          f"{cfg['backend']} embeddings, {cfg['method']}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("messages")(messages_command)
