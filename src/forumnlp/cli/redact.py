"""``forumnlp redact``: replace personal details in the records' text with placeholders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from forumnlp.cli._common import (
    ChunksizeOpt,
    HeadingColumnOpt,
    IdColumnOpt,
    InputsArg,
    OutputOpt,
    SheetOpt,
    TextColumnOpt,
    write_stream,
)

ORDER = 30

PseudonymKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--pseudonym-key",
        envvar="FORUMNLP_PSEUDONYM_KEY",
        help="Secret key for pseudonyms stable across runs ([PERSON_7f3a2c0d]); "
        "also read from $FORUMNLP_PSEUDONYM_KEY (safer than the command line).",
    ),
]
NoNerOpt = Annotated[
    bool, typer.Option("--no-ner", help="Patterns only: faster, finds fewer unusual names.")
]
LogOpt = Annotated[
    Path | None,
    typer.Option("--log", help="Write a log of counts per type and record (never values)."),
]


def redact_command(
    inputs: InputsArg,
    output: OutputOpt,
    text_column: TextColumnOpt = None,
    id_column: IdColumnOpt = None,
    heading_column: HeadingColumnOpt = None,
    sheet: SheetOpt = None,
    pseudonym_key: PseudonymKeyOpt = None,
    no_ner: NoNerOpt = False,
    log: LogOpt = None,
    chunksize: ChunksizeOpt = 20_000,
) -> None:
    """Redact names, phone numbers, addresses, dates of birth, NHS/CHI/NI numbers and more.

    Reads the inputs as records (one per comment), replaces personal details in their text
    with typed placeholders ([PERSON_1], [PHONE_1], ...) and writes the records to OUTPUT.
    Other columns are copied unchanged.
    """
    import pandas as pd

    from forumnlp.errors import InputError
    from forumnlp.ingest import iter_read
    from forumnlp.io import check_output_path, table_format, write_table
    from forumnlp.redact import TYPES, Redactor, redact, redaction_log

    table_format(output)
    check_output_path(output, inputs)
    if log is not None:
        table_format(log)
        check_output_path(log, inputs)
        if log.resolve() == output.resolve():
            raise InputError(f"{log}: the log must not be the output file")
    redactor = Redactor(use_ner=not no_ner, pseudonym_key=pseudonym_key)
    logs: list[pd.DataFrame] = []

    def redacted_chunks() -> Iterator[pd.DataFrame]:
        for chunk in iter_read(
            [str(p) for p in inputs],
            text_columns=text_column or None,
            id_column=id_column,
            heading_column=heading_column,
            sheet=sheet,
            chunksize=chunksize,
        ):
            out = redact(chunk, text_column="text", redactor=redactor)
            logs.append(redaction_log(out))
            yield out

    n_rows = write_stream(redacted_chunks(), output, inputs=inputs)
    table = pd.concat(logs, ignore_index=True) if logs else redaction_log([])
    if log is not None:
        write_table(table, log)
    counts = {t: int(table[t].sum()) for t in TYPES if t in table and table[t].sum()}
    found = ", ".join(f"{t} {n}" for t, n in counts.items()) or "none"
    touched = int((table["n_redacted"] > 0).sum()) if len(table) else 0
    typer.echo(
        f"redacted {sum(counts.values())} details ({found}) in {touched} of {n_rows} "
        f"records -> {output}",
        err=True,
    )


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("redact")(redact_command)


__all__ = ["redact_command", "register"]
