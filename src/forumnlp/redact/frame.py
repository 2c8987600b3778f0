"""The DataFrame API of the redaction stage: :func:`redact`, :func:`redact_units`,
:func:`redaction_log`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from forumnlp import schema
from forumnlp.errors import InputError
from forumnlp.redact.core import TYPES, RedactionResult, Redactor

LOG_ATTR = "redaction_log"


class RedactionLogRows(tuple):  # type: ignore[type-arg]
    """The log rows kept in ``DataFrame.attrs``: a tuple that copies as itself.

    pandas deep-copies ``attrs`` on every operation that returns a new frame (``head()``,
    selecting a column...); a plain list of one dict per record made each of those take
    about 0.4 s on 50,000 rows. The rows are never changed in place, so sharing them is safe.
    """

    __slots__ = ()

    def __copy__(self) -> RedactionLogRows:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> RedactionLogRows:
        return self
_ID_COLUMNS = (schema.RECORD_ID, schema.UNIT_ID)


def _text_columns(df: pd.DataFrame, text_column: str | Sequence[str]) -> list[str]:
    cols = [text_column] if isinstance(text_column, str) else list(text_column)
    if not cols:
        raise InputError("no text column given")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(
            f"text column(s) {', '.join(map(repr, missing))} not found; the table has "
            f"{', '.join(map(repr, map(str, df.columns))) or 'no columns'}"
        )
    return cols


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return value if isinstance(value, str) else str(value)


def redaction_log(
    source: pd.DataFrame | Sequence[RedactionResult],
    ids: pd.DataFrame | None = None,
    *,
    column: str | None = None,
) -> pd.DataFrame:
    """Return a redaction log: per text, the number of details of each type (never values).

    Parameters
    ----------
    source : DataFrame or sequence of RedactionResult
        A table returned by :func:`redact` (its log is read from ``attrs``), or results of
        :meth:`Redactor.redact_texts`.
    ids : DataFrame, optional
        With results: one row per result, whose ``record_id`` / ``unit_id`` columns (when
        present) identify the rows of the log.
    column : str, optional
        With results: the name of the text column, stored in a ``column`` column.

    Returns
    -------
    pandas.DataFrame
        Columns: the id columns, ``column`` (when given), ``n_redacted``, ``types``
        (e.g. ``"PERSON:2;PHONE:1"``) and one integer column per type in :data:`TYPES`.
    """
    if isinstance(source, pd.DataFrame):
        rows = source.attrs.get(LOG_ATTR)
        if rows is None:
            raise InputError("the table has no redaction log (was it made by redact()?)")
        return pd.DataFrame(list(rows), columns=_log_columns(rows))
    results = list(source)
    if ids is not None and len(ids) != len(results):
        raise InputError(f"{len(results)} results but {len(ids)} id rows")
    rows = _log_rows(results, ids, column)
    return pd.DataFrame(rows, columns=_log_columns(rows))


def _log_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    first = list(rows[0]) if rows else []
    lead = [c for c in first if c not in TYPES and c not in ("n_redacted", "types")]
    return [*lead, "n_redacted", "types", *TYPES]


def _log_rows(
    results: Sequence[RedactionResult], ids: pd.DataFrame | None, column: str | None
) -> list[dict[str, Any]]:
    id_cols = [c for c in _ID_COLUMNS if ids is not None and c in ids.columns]
    id_values = [ids[c].tolist() for c in id_cols] if ids is not None else []
    rows = []
    for k, res in enumerate(results):
        row: dict[str, Any] = {c: vals[k] for c, vals in zip(id_cols, id_values, strict=True)}
        if not id_cols:
            row["row"] = k
        if column is not None:
            row["column"] = column
        row["n_redacted"] = sum(res.counts.values())
        row["types"] = ";".join(f"{t}:{res.counts[t]}" for t in TYPES if t in res.counts)
        row.update({t: int(res.counts.get(t, 0)) for t in TYPES})
        rows.append(row)
    return rows


def redact(
    units: pd.DataFrame,
    *,
    text_column: str | Sequence[str] = schema.TEXT,
    redactor: Redactor | None = None,
    **kw: Any,
) -> pd.DataFrame:
    """Return a copy of ``units`` (or records) with personal details replaced by placeholders.

    Parameters
    ----------
    units : pandas.DataFrame
        A units or records table (any table with a text column).
    text_column : str or sequence of str, default "text"
        The column(s) to redact. Blank cells stay ""; non-text values are redacted as text.
    redactor : Redactor, optional
        A configured redactor (its numbering continues across calls); by default a new
        ``Redactor(**kw)``.
    **kw
        Options for a new :class:`Redactor` (``use_ner``, ``pseudonym_key``, ``types``,
        ``allow``); not allowed together with ``redactor``.

    Returns
    -------
    pandas.DataFrame
        The same rows, index and columns; only the text column(s) change. ``start``/``end``
        still point into the ORIGINAL record text. ``attrs["redaction_log"]`` holds the log
        as a sequence of row dicts (ids, counts per type, never values); get it as a
        DataFrame with :func:`redaction_log`. (Not a DataFrame, because pandas compares
        ``attrs`` when concatenating and a DataFrame there makes ``pd.concat`` fail; a tuple
        that pandas' copies share, so that operations on a large table stay fast.)
    """
    if not isinstance(units, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(units).__name__}")
    if redactor is not None and kw:
        raise InputError("pass either a Redactor or Redactor options, not both")
    cols = _text_columns(units, text_column)
    red = redactor if redactor is not None else Redactor(**kw)
    out = units.copy()
    log: list[dict[str, Any]] = []
    ids = units[[c for c in _ID_COLUMNS if c in units.columns]]
    for col in cols:
        texts = [_as_text(v) for v in units[col].tolist()]
        results = red.redact_texts(texts)
        original = units[col].tolist()
        out[col] = pd.Series(
            [r.text if texts[k] else original[k] for k, r in enumerate(results)],
            index=units.index, dtype=object,
        )
        log.extend(_log_rows(results, ids, col if len(cols) > 1 else None))
    out.attrs[LOG_ATTR] = RedactionLogRows(log)
    return out


def redact_units(
    units: pd.DataFrame, redactor: Redactor | None = None, **kw: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Redact the ``text`` of a units table and return ``(redacted units, log)``.

    Parameters
    ----------
    units : pandas.DataFrame
        The units (output of ``forumnlp.segment``).
    redactor : Redactor, optional
        A configured redactor; by default ``Redactor(**kw)``.
    **kw
        Options for a new :class:`Redactor`.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The redacted units and the log (see :func:`redaction_log`).
    """
    out = redact(units, text_column=schema.TEXT, redactor=redactor, **kw)
    return out, redaction_log(out)
