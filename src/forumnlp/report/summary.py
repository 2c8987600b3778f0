"""The report's tables as DataFrames: pure functions over tagged units and key messages.

Every function takes the tagged units table (see ``docs/architecture.md``, "Tagged units";
a table read back from CSV, where every cell is a string, works too) and returns a new
DataFrame; nothing is written and nothing is changed in place.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from forumnlp.schema import FRAMES

#: Attribute columns used for "by" when none are given, in this order.
DEFAULT_BY: tuple[str, ...] = ("session", "agency", "locality")
#: The three parental risk factors whose co-occurrence the report counts (Vincent, 2013).
TRIO: tuple[str, ...] = ("risk.substance_misuse", "risk.domestic_abuse", "risk.mental_health")
CUMULATIVE = "risk.cumulative"
#: Label of a blank attribute value.
NOT_RECORDED = "(not recorded)"
#: Attributes whose values have an order of their own (sorted by value, not by count).
ORDERED_ATTRIBUTES = frozenset({"session", "date", "event", "year", "month", "round"})
#: Frame labels when no codebook is given.
FRAME_LABELS: dict[str, str] = {
    "keep": "Keep doing", "stop": "Stop doing", "start": "Start doing",
    "good_practice": "Good practice", "none": "No frame",
}
_TRUE = {"true", "1", "yes"}
_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def plural(name: str) -> str:
    """English plural of an attribute name ("session" -> "sessions", "agency" -> "agencies")."""
    word = str(name).replace("_", " ").strip()
    low = word.lower()
    if low.endswith("s"):
        return word
    if low.endswith(("x", "ch", "sh")):
        return word + "es"
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def text_of(tagged: pd.DataFrame) -> pd.Series:
    """The ``text`` column as strings ("" for missing)."""
    if "text" not in tagged.columns:
        return pd.Series([""] * len(tagged), index=tagged.index, dtype=object)
    return tagged["text"].fillna("").astype(str)


def content_mask(tagged: pd.DataFrame) -> pd.Series:
    """True for units with text (not blank, not flagged ``is_empty``)."""
    mask = text_of(tagged).str.strip().ne("")
    if "is_empty" in tagged.columns:
        empty = tagged["is_empty"].map(lambda v: str(v).strip().lower() in _TRUE)
        mask &= ~empty.astype(bool)
    return mask


def attribute_values(tagged: pd.DataFrame, column: str) -> pd.Series:
    """An attribute column as stripped strings, blank values as :data:`NOT_RECORDED`."""
    vals = tagged[column].map(lambda v: "" if v is None or (isinstance(v, float) and v != v)
                              else str(v).strip())
    return vals.mask(vals.eq(""), NOT_RECORDED)


def code_sets(tagged: pd.DataFrame) -> pd.Series:
    """The ``themes`` column as a Series of sets of code ids."""
    if "themes" not in tagged.columns:
        return pd.Series([frozenset()] * len(tagged), index=tagged.index, dtype=object)
    return tagged["themes"].fillna("").astype(str).map(
        lambda s: frozenset(t.strip() for t in s.split(";") if t.strip()))


def frames_of(tagged: pd.DataFrame) -> pd.Series:
    """The ``frame`` column as stripped strings ("" when missing)."""
    if "frame" not in tagged.columns:
        return pd.Series([""] * len(tagged), index=tagged.index, dtype=object)
    return tagged["frame"].fillna("").astype(str).str.strip()


def default_by(tagged: pd.DataFrame) -> list[str]:
    """The attribute columns among :data:`DEFAULT_BY` that the table has, in that order."""
    return [c for c in DEFAULT_BY if c in tagged.columns]


def _sort_values(table: pd.DataFrame, column: str, count: str) -> pd.DataFrame:
    last = table["value"].eq(NOT_RECORDED)
    if column in ORDERED_ATTRIBUTES:
        keys = table.assign(_last=last).sort_values(["_last", "value"], kind="stable")
    else:
        keys = table.assign(_last=last, _neg=-table[count]).sort_values(
            ["_last", "_neg", "value"], kind="stable")
    return table.loc[keys.index].reset_index(drop=True)


def overview(tagged: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """The report's summary figures as a two-column table (``item``, ``value``).

    Parameters
    ----------
    tagged : pandas.DataFrame
        Tagged units.
    by : sequence of str, optional
        Attribute columns to count distinct values of (besides session, agency, locality).

    Returns
    -------
    pandas.DataFrame
        Rows: records, comments (records with text), units with text, blank answers, the
        number of distinct values of each attribute, and the period of the ``date`` column.
    """
    has = content_mask(tagged)
    ids = tagged["record_id"].astype(str) if "record_id" in tagged.columns else pd.Series(
        range(len(tagged)), index=tagged.index).astype(str)
    rows: list[tuple[str, Any]] = [
        ("records read", int(ids.nunique())),
        ("comments (records with text)", int(ids[has].nunique())),
        ("units (comments split into points)", int(has.sum())),
        ("blank answers", int(ids.nunique() - ids[has].nunique())),
    ]
    for col in dict.fromkeys([*DEFAULT_BY, *by]):
        if col in tagged.columns:
            vals = attribute_values(tagged[has], col)
            rows.append((plural(col), int(vals[vals.ne(NOT_RECORDED)].nunique())))
    period = date_range(tagged[has])
    if period:
        rows.append(("period", f"{period[0]} to {period[1]}" if period[0] != period[1] else period[0]))
    return pd.DataFrame(rows, columns=["item", "value"])


def date_range(tagged: pd.DataFrame, column: str = "date") -> tuple[str, str] | None:
    """Earliest and latest date (ISO) of ``column``, or None when it has no readable date."""
    if column not in tagged.columns:
        return None
    raw = tagged[column].fillna("").astype(str).str.strip()
    raw = raw[raw.ne("")]
    if raw.empty:
        return None
    dates = pd.to_datetime(raw, errors="coerce", format="ISO8601")
    rest = dates.isna()
    if rest.any():  # not ISO: day first, as British forms write dates
        dates[rest] = pd.to_datetime(raw[rest], errors="coerce", format="mixed", dayfirst=True)
    dates = dates.dropna()
    if dates.empty:
        return None
    return dates.min().date().isoformat(), dates.max().date().isoformat()


def participation(tagged: pd.DataFrame, column: str) -> pd.DataFrame:
    """Comments and units per value of an attribute.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Tagged units.
    column : str
        An attribute column (e.g. ``agency``).

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``comments`` (distinct records with text), ``units``; ordered by
        value for ordinal attributes (session, date...), else by comments, most first;
        blank values last as :data:`NOT_RECORDED`.
    """
    data = tagged[content_mask(tagged)]
    vals = attribute_values(data, column)
    ids = data["record_id"].astype(str) if "record_id" in data.columns else pd.Series(
        data.index.astype(str), index=data.index)
    frame = pd.DataFrame({"value": vals, "record": ids})
    grouped = frame.groupby("value", sort=True)
    table = pd.DataFrame({"comments": grouped["record"].nunique(), "units": grouped.size()})
    table = table.reset_index()
    table["comments"] = table["comments"].astype(int)
    table["units"] = table["units"].astype(int)
    return _sort_values(table, column, "comments")


def frame_counts(tagged: pd.DataFrame, frame_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Units with text per frame, in frame order (``frame``, ``label``, ``units``)."""
    labels = frame_labels or FRAME_LABELS
    frames = frames_of(tagged[content_mask(tagged)])
    counts = Counter(frames)
    order = [*FRAMES, *sorted(f for f in counts if f not in FRAMES)]
    rows = [(f, labels.get(f, f or "(undecided)"), int(counts.get(f, 0))) for f in order
            if f in FRAMES or counts.get(f)]
    return pd.DataFrame(rows, columns=["frame", "label", "units"])


def _quotes(cell: object, k: int) -> list[str]:
    if isinstance(cell, list):
        return [str(q) for q in cell[:k]]
    try:
        data = json.loads(str(cell)) if cell not in (None, "") else []
    except (TypeError, ValueError):
        return [str(cell)]
    return [str(q) for q in data[:k]] if isinstance(data, list) else [str(data)]


def _labels(ids: object, code_labels: dict[str, str]) -> str:
    parts = [t.strip() for t in str(ids or "").split(";") if t.strip()]
    return "; ".join(code_labels.get(t, t) for t in parts)


def key_message_table(messages: pd.DataFrame, *, code_labels: dict[str, str] | None = None,
                      quotes: int = 3, limit: int | None = None) -> pd.DataFrame:
    """The key messages as a committee table.

    Parameters
    ----------
    messages : pandas.DataFrame
        ``KeyMessages.messages``.
    code_labels : dict, optional
        Code id -> label, for frames and themes.
    quotes : int, default 3
        Quotes per message.
    limit : int, optional
        Only the first ``limit`` messages by rank.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank``, ``message``, ``statement``, ``units``, ``spread``, ``frame``,
        ``themes`` (labels), ``quotes`` (a list of strings per row).
    """
    labels = {**FRAME_LABELS, **(code_labels or {})}
    cols = ["rank", "message", "statement", "units", "spread", "frame", "themes", "quotes"]
    if messages is None or len(messages) == 0:
        return pd.DataFrame(columns=cols)
    data = messages.sort_values("rank", kind="stable")
    if limit is not None:
        data = data.head(limit)
    rows = []
    for rec in data.to_dict(orient="records"):
        rows.append((int(rec.get("rank", 0)), str(rec.get("label", "")),
                     str(rec.get("statement", "")), int(rec.get("size", 0) or 0),
                     str(rec.get("spread", "")),
                     labels.get(str(rec.get("frame", "")), str(rec.get("frame", ""))),
                     _labels(rec.get("themes", ""), labels),
                     _quotes(rec.get("quotes", "[]"), quotes)))
    return pd.DataFrame(rows, columns=cols)


def normalise_item(text: str) -> str:
    """Key for grouping units by their wording: lower case, no punctuation, single spaces."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", str(text).lower())).strip()


def _spread_columns(data: pd.DataFrame, by: Sequence[str]) -> dict[str, int]:
    out = {}
    for col in by:
        vals = attribute_values(data, col)
        out[plural(col)] = int(vals[vals.ne(NOT_RECORDED)].nunique())
    return out


def frame_items(tagged: pd.DataFrame, frame: str, *, by: Sequence[str] = (),
                messages: pd.DataFrame | None = None, message_units: pd.DataFrame | None = None,
                limit: int | None = 25) -> pd.DataFrame:
    """The items raised under one frame, like a forum write-up's keep/stop/start table.

    With key messages, the items are the messages whose dominant frame is ``frame``,
    counted over their units (``message_units``: units with ``message_id``). Without, the
    units of that frame are grouped by normalised wording.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Tagged units.
    frame : str
        One of :data:`forumnlp.schema.FRAMES`.
    by : sequence of str, optional
        Attribute columns to count distinct values of per item ("sessions", "agencies").
    messages, message_units : pandas.DataFrame, optional
        ``KeyMessages.messages`` and ``KeyMessages.units``.
    limit : int, optional
        Keep only the most raised items.

    Returns
    -------
    pandas.DataFrame
        Columns ``item``, ``example`` (a quote), ``units`` and one count per ``by`` column
        (named in the plural), most raised first.
    """
    by = [b for b in by if b in tagged.columns]
    rows: list[dict[str, Any]] = []
    if messages is not None and message_units is not None and "message_id" in message_units:
        data = message_units[content_mask(message_units)]
        ids = data["message_id"].fillna("").astype(str)
        for rec in messages[messages["frame"].astype(str) == frame].to_dict(orient="records"):
            members = data[ids == str(rec["message_id"])]
            quotes = _quotes(rec.get("quotes", "[]"), 1)
            rows.append({"item": str(rec.get("label", "")), "example": quotes[0] if quotes else "",
                         "units": len(members), **_spread_columns(members, by),
                         "_rank": int(rec.get("rank", 0))})
    else:
        data = tagged[content_mask(tagged) & frames_of(tagged).eq(frame)]
        keys = text_of(data).map(normalise_item)
        for key, members in data.groupby(keys, sort=True):
            if not key:
                continue
            # the most frequent wording; on a tie the first in input order
            best = Counter(text_of(members).str.strip()).most_common(1)[0][0]
            rows.append({"item": best, "example": "", "units": len(members),
                         **_spread_columns(members, by), "_rank": 0})
    cols = ["item", "example", "units", *[plural(b) for b in by]]
    if not rows:
        return pd.DataFrame(columns=cols)
    table = pd.DataFrame(rows)
    sort = ["units", *[plural(b) for b in by]]
    table = table.sort_values([*sort, "_rank", "item"], ascending=[False] * len(sort) + [True, True],
                              kind="stable")
    if limit is not None:
        table = table.head(limit)
    return table[cols].reset_index(drop=True)


def theme_matrix(tagged: pd.DataFrame, column: str, codes: Sequence[str],
                 code_labels: dict[str, str] | None = None, max_values: int = 20) -> pd.DataFrame:
    """Units carrying each code, per value of an attribute (the heatmap's data).

    Parameters
    ----------
    tagged : pandas.DataFrame
        Tagged units.
    column : str
        The attribute (e.g. ``agency``).
    codes : sequence of str
        Theme code ids, in the order of the rows.
    code_labels : dict, optional
        Code id -> label for the index.
    max_values : int, default 20
        At most this many attribute values (columns), the ones with most units; the rest
        are summed in one column ``(other)``.

    Returns
    -------
    pandas.DataFrame
        Index: code labels (``code`` id in the first column), columns: attribute values,
        cells: unit counts (int).
    """
    labels = code_labels or {}
    data = tagged[content_mask(tagged)]
    vals = attribute_values(data, column)
    sets = code_sets(data)
    order = participation(tagged, column)["value"].tolist() if column in tagged.columns else []
    if len(order) > max_values:
        by_count = vals.value_counts()
        keep = set(by_count.sort_values(ascending=False, kind="stable").index[: max_values - 1])
        vals = vals.where(vals.isin(keep), "(other)")
        order = [v for v in order if v in keep] + ["(other)"]
    pos = {c: i for i, c in enumerate(codes)}
    col = {v: j for j, v in enumerate(order)}
    counts = np.zeros((len(codes), len(order)), dtype=np.int64)
    for s, v in zip(sets, vals, strict=True):
        for code in s:
            if code in pos:
                counts[pos[code], col[v]] += 1
    table = pd.DataFrame(counts, index=list(codes), columns=order)
    table.insert(0, "code", table.index)
    table.index = [labels.get(c, c) for c in codes]
    table.index.name = "theme"
    return table


def risk_cooccurrence(tagged: pd.DataFrame, code_labels: dict[str, str] | None = None,
                      trio: Sequence[str] = TRIO,
                      cumulative: str = CUMULATIVE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Co-occurrence of the three parental risk factors in units.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Tagged units.
    code_labels : dict, optional
        Code id -> label.
    trio : sequence of str
        The three risk code ids.
    cumulative : str
        The cumulative-risk code id.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The square table (units carrying both the row's and the column's code; the diagonal
        is units carrying the code) and a summary (``item``, ``units``): units raising at
        least one, exactly one, exactly two, all three, two or more, the cumulative code, and
        the cumulative code together with at least one of the three.
    """
    labels = code_labels or {}
    sets = code_sets(tagged[content_mask(tagged)])
    names = [labels.get(c, c) for c in trio]
    counts = np.zeros((len(trio), len(trio)), dtype=np.int64)
    n_of: Counter[int] = Counter()
    cum = cum_with = 0
    for s in sets:
        present = [i for i, c in enumerate(trio) if c in s]
        for i in present:
            for j in present:
                counts[i, j] += 1
        n_of[len(present)] += 1
        if cumulative in s:
            cum += 1
            cum_with += bool(present)
    square = pd.DataFrame(counts, index=names, columns=names)
    square.index.name = "risk factor"
    at_least_one = sum(v for k, v in n_of.items() if k >= 1)
    two_plus = sum(v for k, v in n_of.items() if k >= 2)
    summary = pd.DataFrame([
        ("units raising at least one of the three", at_least_one),
        ("exactly one", n_of.get(1, 0)),
        ("exactly two", n_of.get(2, 0)),
        ("all three", n_of.get(3, 0)),
        ("two or more (co-occurring risks)", two_plus),
        (f"coded {labels.get(cumulative, cumulative)}", cum),
        (f"{labels.get(cumulative, cumulative)} with at least one of the three", cum_with),
    ], columns=["item", "units"])
    return square, summary


def frame_source_counts(tagged: pd.DataFrame) -> pd.DataFrame:
    """Units with text per ``frame_source`` (how frames were decided): ``source``, ``units``."""
    data = tagged[content_mask(tagged)]
    if "frame_source" not in data.columns:
        return pd.DataFrame({"source": ["(not recorded)"], "units": [len(data)]})
    src = data["frame_source"].fillna("").astype(str).str.strip().replace("", "(none)")
    order = {"structure": 0, "rules": 1, "model": 2}
    counts = Counter(src)
    rows = sorted(counts.items(), key=lambda kv: (order.get(kv[0], 9), kv[0]))
    return pd.DataFrame(rows, columns=["source", "units"])
