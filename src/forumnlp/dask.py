"""Tag a Dask DataFrame partition by partition (optional extra: ``pip install forumnlp[dask]``).

:func:`tag_dask` runs the single-machine flow (:func:`forumnlp.ingest.read` on the partition,
then :func:`forumnlp.pipeline.tag_frame`: segment, redact, tag) on every partition with
``map_partitions``, so a Dask cluster gives the same tagged units as ``forumnlp tag`` — with
the differences that partitions make, listed in :func:`tag_dask`.

Nothing here is imported by ``import forumnlp``; dask itself is imported only by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from forumnlp.errors import InputError
from forumnlp.pipeline import TagSettings, prepare_units, tag_frame
from forumnlp.schema import LOCATION, RECORD_ID

__all__ = ["tag_dask", "tag_partition"]

_EXAMPLE = ("Keep the joint visits with health, they work well.",
            "Stop closing cases when families miss appointments. We need more training.")
_SOURCE = "dataframe"


def _blank(values: pd.Series) -> pd.Series:
    """True where a cell is missing or only whitespace (as ingest reads it)."""
    text = values.astype(object).where(values.notna(), "")
    return text.map(lambda v: not str(v).strip()).astype(bool)


def _relabel(records: pd.DataFrame, part: pd.DataFrame, number: object,
             id_column: str | None) -> pd.DataFrame:
    """Make locations and fallback ids name the partition (they are per partition)."""
    rows = records[LOCATION].str.removeprefix("row ").astype(int) - 1  # 0-based positions
    records = records.copy()
    records[LOCATION] = f"partition {number}, " + records[LOCATION]
    if id_column is None:
        fallback = pd.Series(True, index=records.index)
    else:
        fallback = pd.Series(_blank(part[id_column]).to_numpy()[rows.to_numpy()],
                             index=records.index)
    if fallback.any():
        prefix = f"{_SOURCE}:"
        ids = records.loc[fallback, RECORD_ID]
        records.loc[fallback, RECORD_ID] = f"{prefix}{number}:" + ids.str.removeprefix(prefix)
    return records


def tag_partition(
    part: pd.DataFrame,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    unit: str = "auto",
    redact: bool = True,
    settings: TagSettings | None = None,
    pseudonym_key: str | None = None,
    dtypes: Mapping[str, Any] | None = None,
    use_ner: bool = False,
    partition_info: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Tag one partition (a pandas DataFrame of raw rows); what :func:`tag_dask` maps.

    Parameters
    ----------
    part : pandas.DataFrame
        Raw rows: a text column and attribute columns.
    text_column, id_column, unit, redact, settings, pseudonym_key, use_ner
        See :func:`tag_dask`.
    dtypes : mapping of str to dtype, optional
        Output columns and dtypes: the result is reindexed and cast to them (and an empty
        or all-blank partition gives an empty frame with them).
    partition_info : mapping, optional
        Filled in by Dask: ``{"number": i, ...}``. The number labels locations and fallback
        ids; another engine may pass any label (Spark: ``f"{partition_id}-{batch}"``).

    Returns
    -------
    pandas.DataFrame
        The tagged units of the partition.
    """
    from forumnlp.ingest import read

    number = partition_info["number"] if partition_info else 0
    empty = part.empty or bool(
        pd.concat([_blank(part[c]) for c in part.columns], axis=1).all(axis=None))
    if empty:
        if dtypes is None:
            raise InputError(f"partition {number} has no rows with text")
        return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in dtypes.items()})
    records = read(part, text_columns=[text_column], id_column=id_column)
    records = _relabel(records, part, number, id_column)
    if redact:
        from forumnlp.redact import Redactor

        redactor = Redactor(pseudonym_key=pseudonym_key, use_ner=use_ner)
        chunks = list(prepare_units([records], unit=unit, redact=True, redactor=redactor))
        out = tag_frame(pd.concat(chunks, ignore_index=True), redact=False, settings=settings)
    else:
        out = tag_frame(records, unit=unit, redact=False, settings=settings)
    if dtypes is not None:
        out = out.reindex(columns=list(dtypes))
        wrong = {c: t for c, t in dtypes.items() if out[c].dtype != t}
        if wrong:
            out = out.astype(wrong)
    return out.reset_index(drop=True)


def _example(meta: pd.DataFrame, text_column: str, id_column: str | None) -> pd.DataFrame:
    """A two-row partition shaped like the input (Dask's non-empty meta, real texts)."""
    from dask.dataframe.utils import meta_nonempty

    example = meta_nonempty(meta).iloc[:2].reset_index(drop=True)
    example[text_column] = pd.Series(list(_EXAMPLE), dtype=example[text_column].dtype)
    if id_column is not None:
        numeric = pd.api.types.is_numeric_dtype(example[id_column].dtype)
        values = [1, 2] if numeric else ["example-1", "example-2"]
        example[id_column] = pd.Series(values, dtype=example[id_column].dtype)
    return example


def tag_dask(
    ddf: Any,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    unit: str = "auto",
    redact: bool = True,
    settings: TagSettings | None = None,
    pseudonym_key: str | None = None,
    use_ner: bool = False,
) -> Any:
    """Tag a Dask DataFrame of comments, partition by partition (lazy; call ``.compute()``).

    Each partition goes through the single-machine flow: :func:`forumnlp.ingest.read` (the
    partition as a pandas DataFrame), :func:`forumnlp.pipeline.prepare_units` (segment and
    redact) and :func:`forumnlp.pipeline.tag_frame` (tag with the codebook and model of
    ``settings``, loaded once per worker process).
    The output ``meta`` (columns and dtypes) is computed by running the same function on a
    two-row example shaped like ``ddf``.

    What differs from ``forumnlp tag`` on the same rows, because partitions are independent:

    - **Redaction numbering is per partition**: ``[PERSON_1]`` in two partitions may be two
      different people. Pass ``pseudonym_key`` for placeholders that are the same for the
      same value across partitions and runs (keyed HMAC pseudonyms, ``[PERSON_7f3a2c0d]``).
    - ``location`` names the partition: ``"partition 3, row 17"`` (row within the partition).
    - Without ``id_column``, record ids are ``"dataframe:<partition>:<n>"``; pass an id
      column to get the same ids (and unit ids) as a single-machine run. Ids are checked for
      uniqueness within a partition only.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Raw comments: one text column, attribute columns (session, agency, ...).
    text_column : str, default "text"
        The column holding the comments.
    id_column : str, optional
        Column with unique record ids.
    unit : {"auto", "sentence", "record"}
        How records are split into units (see :func:`forumnlp.segment.segment`).
    redact : bool, default True
        Redact personal details before tagging.
    settings : TagSettings, optional
        Codebook and model (default: the default codebook and shipped model).
    pseudonym_key : str, optional
        Key for run-wide consistent pseudonyms (with ``redact=True``).
    use_ner : bool, default False
        Also find names with spaCy's NER when redacting (as ``forumnlp tag --ner``; loads
        spaCy once per worker process).

    Returns
    -------
    dask.dataframe.DataFrame
        The tagged units (columns of ``forumnlp.tag``), partition by partition, in order.

    Examples
    --------
    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> ddf = dd.read_csv("comments-*.csv", dtype=str)  # doctest: +SKIP
    >>> tagged = tag_dask(ddf, text_column="comment", id_column="id",
    ...                   pseudonym_key="project-secret")  # doctest: +SKIP
    >>> tagged.to_parquet("tagged/")  # doctest: +SKIP
    """
    columns = [str(c) for c in ddf.columns]
    for name, what in ((text_column, "text"), (id_column, "id")):
        if name is not None and name not in columns:
            raise InputError(f"no {what} column {name!r} in the Dask DataFrame "
                             f"(columns: {', '.join(columns)})")
    if unit not in ("auto", "sentence", "record"):
        raise InputError(f"unit must be auto, sentence or record, got {unit!r}")
    if pseudonym_key is not None and not redact:
        raise InputError("pseudonym_key needs redact=True")
    settings = settings or TagSettings()
    options = {"text_column": text_column, "id_column": id_column, "unit": unit,
               "redact": redact, "settings": settings, "pseudonym_key": pseudonym_key,
               "use_ner": use_ner}
    # meta from a real run of the same function on a two-row example (without NER, which
    # changes no column or dtype and would load spaCy in the client)
    example = tag_partition(_example(ddf._meta, text_column, id_column),
                            **{**options, "use_ner": False})
    meta = example.iloc[:0]
    return ddf.map_partitions(tag_partition, meta=meta, dtypes=meta.dtypes.to_dict(), **options)
