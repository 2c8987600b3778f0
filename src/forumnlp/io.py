"""Reading and writing tables: format by extension, atomic writes, safe spreadsheet cells."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from forumnlp.errors import InputError

TABLE_FORMATS: tuple[str, ...] = (".csv", ".tsv", ".xlsx", ".parquet", ".jsonl")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Make a spreadsheet cell inert: text starting with = + - @ tab or CR gets a leading '.

    Parameters
    ----------
    value : object
        A cell value; only strings are changed.

    Returns
    -------
    object
        The value, prefixed with an apostrophe when a spreadsheet would read it as a formula.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` whose text cells and column names cannot run as formulas."""
    out = df.copy(deep=False)
    for k, col in enumerate(df.columns):
        s = df.iloc[:, k]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
            continue
        values = s.tolist()  # one pass in Python; most columns have nothing to change
        bad = [i for i, v in enumerate(values) if isinstance(v, str) and v.startswith(_FORMULA_START)]
        if bad:
            for i in bad:
                values[i] = "'" + values[i]
            out.isetitem(k, pd.Series(values, index=df.index, dtype=s.dtype, name=col))
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def table_format(path: str | os.PathLike[str]) -> str:
    """Return the table format (file suffix) of ``path`` or raise :class:`InputError`."""
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise InputError(
            f"{path}: unknown output format {suffix or '(no extension)'!r}; "
            f"use one of {', '.join(TABLE_FORMATS)}"
        )
    return suffix


def check_output_path(path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Check that ``path`` can be written: its folder exists and it is not one of the inputs.

    Parameters
    ----------
    path : path-like
        The output file.
    inputs : iterable of path-like, optional
        Input files, which are never overwritten.

    Returns
    -------
    pathlib.Path
        The output path.
    """
    out = Path(path)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.exists():
        raise InputError(f"{out}: output folder {parent} does not exist")
    if not parent.is_dir():
        raise InputError(f"{out}: {parent} is not a folder")
    if out.is_dir():
        raise InputError(f"{out}: is a folder, expected an output file name")
    resolved = out.resolve()
    for inp in inputs:
        with contextlib.suppress(OSError):
            if Path(inp).resolve() == resolved:
                raise InputError(f"{out}: output would overwrite an input file")
    return out


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    Parameters
    ----------
    path : path-like
        The final file name.

    Yields
    ------
    pathlib.Path
        Where to write. On an exception the temporary file is removed and ``path`` is untouched.
    """
    final = Path(path)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{final.name}.", suffix=".part" + final.suffix, dir=final.parent or "."
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _jsonable(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if hasattr(value, "item"):
        return value.item()  # numpy scalar
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _write_jsonl(df: pd.DataFrame, path: Path) -> None:
    cols = [str(c) for c in df.columns]
    with path.open("w", encoding="utf-8") as fh:
        for row in df.itertuples(index=False, name=None):
            obj = {c: _jsonable(v) for c, v in zip(cols, row, strict=True)}
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def write_frame_to(df: pd.DataFrame, path: Path, fmt: str, *, safe: bool = True) -> None:
    """Write ``df`` to ``path`` (no atomicity) in format ``fmt`` (a suffix such as ".csv")."""
    if fmt in (".csv", ".tsv"):
        data = neutralise_frame(df) if safe else df
        data.to_csv(path, index=False, sep="\t" if fmt == ".tsv" else ",", encoding="utf-8")
    elif fmt == ".xlsx":
        data = neutralise_frame(df) if safe else df
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            data.to_excel(writer, index=False, sheet_name="units")
    elif fmt == ".parquet":
        df.to_parquet(path, index=False)
    elif fmt == ".jsonl":
        _write_jsonl(df, path)
    else:  # pragma: no cover - table_format() guards this
        raise InputError(f"{path}: unknown output format {fmt!r}")


def write_table(df: pd.DataFrame, path: str | os.PathLike[str], *, safe: bool = True) -> Path:
    """Write a table atomically, its format chosen by the extension of ``path``.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    path : path-like
        Output file: .csv, .tsv, .xlsx, .parquet or .jsonl.
    safe : bool, default True
        Neutralise spreadsheet formulas in .csv, .tsv and .xlsx output.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    fmt = table_format(path)
    out = check_output_path(path)
    with atomic_path(out) as tmp:
        write_frame_to(df, tmp, fmt, safe=safe)
    return out


def read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a table written by :func:`write_table` (or any CSV/TSV/XLSX/Parquet/JSONL table).

    Text columns are read as strings with blanks as "".

    Parameters
    ----------
    path : path-like
        The table file.

    Returns
    -------
    pandas.DataFrame
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: file not found")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, expected a table file")
    fmt = p.suffix.lower()
    try:
        if fmt in (".csv", ".tsv"):
            df = pd.read_csv(
                p, sep="\t" if fmt == ".tsv" else ",", dtype=str, keep_default_na=False,
                encoding="utf-8-sig",
            )
        elif fmt == ".xlsx":
            df = pd.read_excel(p, dtype=str, keep_default_na=False)
        elif fmt == ".parquet":
            df = pd.read_parquet(p)
        elif fmt == ".jsonl":
            df = pd.read_json(p, lines=True, dtype=False)
        else:
            raise InputError(
                f"{p}: unknown table format {fmt or '(no extension)'!r}; "
                f"use one of {', '.join(TABLE_FORMATS)}"
            )
    except InputError:
        raise
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot be read as a {fmt} table ({exc})") from exc
    if df.empty and len(df.columns) == 0:
        raise InputError(f"{p}: the table is empty")
    return df
