"""The committee-ready report: HTML, Word or Excel, with tables and charts.

``report(tagged, "report.html", messages=km)`` writes the report of tagged units (and their
key messages); ``run_report(inputs, output)`` runs the whole flow (read, segment, redact,
tag, key messages, report), as ``forumnlp report`` does. The format follows the output's
extension: ``.html`` (one self-contained page), ``.docx`` or ``.xlsx``.

Sections, the same in every format: summary; participation; key messages; keep / stop /
start / good practice; risk themes and practice topics (with the co-occurrence of parental
risk factors); tone of the evaluation comments; methods and limits.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from forumnlp.errors import InputError
from forumnlp.io import atomic_path, check_output_path
from forumnlp.report.content import ReportContent, build_content, generated_date
from forumnlp.report.summary import default_by

__all__ = ["FORMATS", "ReportContent", "build_content", "generated_date", "report",
           "report_format", "run_report"]

#: Report formats by extension.
FORMATS: dict[str, str] = {".html": "html", ".htm": "html", ".docx": "docx", ".xlsx": "xlsx"}


def report_format(path: str | os.PathLike[str]) -> str:
    """The report format of ``path`` ("html", "docx" or "xlsx"), or :class:`InputError`."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"{path}: unknown report format {suffix or '(no extension)'!r}; "
                         "use .html, .docx or .xlsx")
    return FORMATS[suffix]


def _codebook(codebook: Any) -> Any:
    from forumnlp.codebook import load_codebook

    if codebook is None or isinstance(codebook, str | os.PathLike):
        return load_codebook(codebook)
    return codebook


def _check_by(tagged: pd.DataFrame, by: Sequence[str]) -> list[str]:
    by = list(dict.fromkeys(str(b) for b in by))
    missing = [b for b in by if b not in tagged.columns]
    if missing:
        raise InputError(f"--by column(s) {', '.join(map(repr, missing))} not in the units; "
                         f"columns are: {', '.join(map(str, tagged.columns))}")
    return by or default_by(tagged)


def report(tagged: pd.DataFrame, output: str | os.PathLike[str], *, messages: Any = None,
           by: Sequence[str] = (), title: str | None = None, codebook: Any = None,
           model_card: Mapping[str, Any] | None = None, redacted: bool = True,
           options: Mapping[str, Any] | None = None) -> Path:
    """Write the report of tagged units as HTML, Word or Excel (by the extension of ``output``).

    Parameters
    ----------
    tagged : pandas.DataFrame
        Tagged units (output of :func:`forumnlp.tag.tag`, or such a table read back).
    output : path-like
        ``.html``, ``.docx`` or ``.xlsx``; written atomically.
    messages : KeyMessages, optional
        Key messages of ``tagged``; without them the keep/stop/start tables group comments
        by wording and the key-messages section says they were not computed.
    by : sequence of str, optional
        Attribute columns for participation, spread and theme tables; default: those of
        session, agency, locality that the table has.
    title : str, optional
        Report title; default: the ``event`` when there is one, else a generic title.
    codebook : Codebook or path, optional
        For code labels and the theme list; default: the packaged codebook.
    model_card : dict, optional
        The model's card (``ForumModel.card``): name, fingerprint, ``test_metrics``.
    redacted : bool, default True
        Whether the texts were redacted (stated in the report).
    options : mapping, optional
        ``generated`` (date shown and used for document timestamps; default
        ``SOURCE_DATE_EPOCH`` or today), ``max_messages``, ``max_items`` (per frame table,
        default 25), ``quotes`` (per message, default 3); every other key is listed as an
        option used in the methods section.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    fmt = report_format(output)
    out = check_output_path(output)
    if not isinstance(tagged, pd.DataFrame):
        raise InputError(f"report() expects a tagged units DataFrame, got {type(tagged).__name__}")
    if "text" not in tagged.columns:
        raise InputError("the units table has no 'text' column")
    by = _check_by(tagged, by)
    content = build_content(tagged, messages=messages, by=by, title=title,
                            codebook=_codebook(codebook), model_card=model_card,
                            redacted=redacted, options=options)
    with atomic_path(out) as tmp:
        if fmt == "html":
            from forumnlp.report.html import write_html

            write_html(content, tmp, redacted=redacted)
        elif fmt == "docx":
            from forumnlp.report.docx import write_docx

            write_docx(content, tmp, redacted=redacted)
        else:
            from forumnlp.report.xlsx import write_xlsx

            write_xlsx(content, tmp, redacted=redacted)
    return out


def _say(message: str) -> None:
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


def _load_model(model: Any) -> Any:
    from forumnlp.tag.persist import ForumModel, default_model_available

    if model is None:
        return ForumModel.load() if default_model_available() else None
    if isinstance(model, str | os.PathLike):
        return ForumModel.load(model)
    return model


def run_report(inputs: Any, output: str | os.PathLike[str], *, by: Sequence[str] = (),
               title: str | None = None, text_columns: Sequence[str] | None = None,
               id_column: str | None = None, heading_column: str | None = None,
               unit: str = "auto", codebook: Any = None, model: Any = None,
               redact: bool = True, embedding: str = "auto",
               options: Mapping[str, Any] | None = None) -> Path:
    """Run the whole flow on raw comments and write the report (what ``forumnlp report`` does).

    read -> segment -> redact (unless ``redact=False``) -> tag -> key messages -> report.

    Parameters
    ----------
    inputs : path-like, sequence of path-like, or DataFrame
        Input files or folders (see :func:`forumnlp.ingest.read`).
    output : path-like
        ``.html``, ``.docx`` or ``.xlsx``.
    by, title
        As for :func:`report`.
    text_columns, id_column, heading_column
        As for :func:`forumnlp.ingest.read`.
    unit : {"auto", "record", "sentence"}
        As for :func:`forumnlp.segment.segment`.
    codebook : Codebook or path, optional
        Default: the packaged codebook.
    model : ForumModel or path, optional
        Trained model folder; default: the shipped model when there is one (else rules only).
    redact : bool, default True
        Redact personal details before tagging.
    embedding : {"auto", "static", "minilm"}, default "auto"
        Sentence embeddings for the key messages (see :func:`forumnlp.messages.key_messages`);
        ``static`` is much faster, ``minilm`` groups wording better.
    options : mapping, optional
        Extra report options (see :func:`report`).

    Returns
    -------
    pathlib.Path
        The written report.
    """
    from forumnlp.ingest import read
    from forumnlp.messages import key_messages
    from forumnlp.segment import segment
    from forumnlp.tag import tag

    report_format(output)
    if embedding not in ("auto", "static", "minilm"):
        raise InputError(f"unknown embedding {embedding!r}; use auto, static or minilm")
    paths = [] if isinstance(inputs, pd.DataFrame) else (
        [inputs] if isinstance(inputs, str | os.PathLike) else list(inputs))
    check_output_path(output, paths)
    cb = _codebook(codebook)
    _say("reading and segmenting...")
    records = read(inputs, text_columns=list(text_columns) if text_columns else None,
                   id_column=id_column, heading_column=heading_column)
    units = segment(records, unit=unit)
    if redact:
        from forumnlp.redact import redact_units

        _say(f"redacting {len(units)} units...")
        units, _log = redact_units(units)
    fm = _load_model(model)
    _say("tagging...")
    tagged = tag(units, codebook=cb, model=fm)
    # pandas deep-copies attrs (the redaction log) on every operation: drop it, it made
    # key_messages ~10x slower on the sample
    tagged.attrs = {}
    by = _check_by(tagged, by)
    _say("finding key messages...")
    km = key_messages(tagged, by=by, codebook=cb, embedding=embedding)
    opts: dict[str, Any] = {"unit": unit}
    if text_columns:
        opts["text columns"] = list(text_columns)
    if id_column:
        opts["id column"] = id_column
    if heading_column:
        opts["heading column"] = heading_column
    opts["inputs"] = [Path(p).name for p in paths] if paths else ["dataframe"]
    opts.update(options or {})
    _say(f"writing {output}...")
    return report(tagged, output, messages=km, by=by, title=title, codebook=cb,
                  model_card=getattr(fm, "card", None), redacted=redact, options=opts)


class _CallableModule(__import__("types").ModuleType):
    """``forumnlp.report`` stays callable after ``import forumnlp.report`` (the module is the function)."""

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return report(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
