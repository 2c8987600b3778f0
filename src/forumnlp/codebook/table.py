"""Codebook as a table (one row per code) and export in every format (qdc, yaml, csv)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from forumnlp.codebook.model import Codebook
from forumnlp.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

EXPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "qdc": (".qdc",),
    "yaml": (".yaml", ".yml"),
    "csv": (".csv",),
    "xlsx": (".xlsx",),
}
TABLE_COLUMNS: tuple[str, ...] = (
    "group", "group_label", "cardinality", "id", "label", "definition", "use_when",
    "do_not_use_when", "examples", "counter_examples", "patterns", "negative_patterns",
)


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """Return one row per code: group, id, label, MacQueen fields, examples and patterns.

    List fields (examples, patterns) hold one item per line.

    Parameters
    ----------
    codebook : Codebook

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE_COLUMNS`, codes in codebook order.
    """
    import pandas as pd

    rows = []
    for code in codebook.codes:
        group = codebook.group(code.group)
        rows.append({
            "group": group.id,
            "group_label": group.label,
            "cardinality": group.cardinality,
            "id": code.id,
            "label": code.label,
            "definition": code.definition,
            "use_when": code.use_when,
            "do_not_use_when": code.do_not_use_when,
            "examples": "\n".join(code.examples),
            "counter_examples": "\n".join(code.counter_examples),
            "patterns": "\n".join(p.describe() for p in code.patterns),
            "negative_patterns": "\n".join(p.describe() for p in code.negative_patterns),
        })
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def export_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """Return the export format: ``fmt`` when given, else the one ``path``'s extension names."""
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"unknown codebook format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    for name, suffixes in EXPORT_FORMATS.items():
        if suffix in suffixes:
            return name
    raise InputError(
        f"{path}: cannot tell the format from the extension {suffix or '(none)'!r}; "
        f"use .qdc, .yaml, .csv or .xlsx, or pass --format"
    )


def export_codebook(codebook: Codebook, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write the codebook to ``path`` as REFI-QDA .qdc, YAML, CSV or XLSX, atomically.

    Parameters
    ----------
    codebook : Codebook
    path : path-like
        Output file.
    fmt : {"qdc", "yaml", "csv", "xlsx"}, optional
        Format; by default from the extension of ``path``.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    from forumnlp.codebook.qdc import export_qdc
    from forumnlp.io import atomic_path, check_output_path, write_frame_to

    kind = export_format(path, fmt)
    out = check_output_path(path)
    if kind == "qdc":
        return export_qdc(codebook, out)
    if kind == "yaml":
        codebook.to_yaml(out)
        return out
    with atomic_path(out) as tmp:
        write_frame_to(codebook_table(codebook), tmp, "." + kind)
    return out
