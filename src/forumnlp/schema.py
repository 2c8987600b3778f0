"""Column names and label sets shared by every stage of the data flow."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

FRAMES: tuple[str, ...] = ("keep", "stop", "start", "good_practice", "none")

RECORD_ID = "record_id"
UNIT_ID = "unit_id"
SOURCE = "source"
LOCATION = "location"
START = "start"
END = "end"
HEADING = "heading"
TEXT = "text"
IS_EMPTY = "is_empty"
FRAME = "frame"
FRAME_SCORE = "frame_score"
FRAME_SOURCE = "frame_source"
THEMES = "themes"
THEME_SCORES = "theme_scores"
EVIDENCE = "evidence"
MESSAGE_ID = "message_id"

RECORD_COLUMNS: tuple[str, ...] = (RECORD_ID, SOURCE, LOCATION, HEADING, TEXT)
UNIT_COLUMNS: tuple[str, ...] = (
    RECORD_ID,
    UNIT_ID,
    SOURCE,
    LOCATION,
    START,
    END,
    HEADING,
    TEXT,
    IS_EMPTY,
    FRAME,
    FRAME_SCORE,
    FRAME_SOURCE,
)
TAG_COLUMNS: tuple[str, ...] = (THEMES, THEME_SCORES, EVIDENCE)
RESERVED: frozenset[str] = frozenset(UNIT_COLUMNS + TAG_COLUMNS + (MESSAGE_ID,))
ATTRIBUTE_SUFFIX = "_input"


def safe_attribute_name(name: str, taken: Iterable[str] = ()) -> str:
    """Return ``name``, suffixed with ``_input`` when it collides with a reserved column.

    Parameters
    ----------
    name : str
        The input column's name.
    taken : iterable of str, optional
        Names already in use; the suffix is repeated until the name is free.

    Returns
    -------
    str
        A column name that is neither reserved nor taken.
    """
    taken_set = set(taken)
    out = str(name)
    while out in RESERVED or out in taken_set:
        out += ATTRIBUTE_SUFFIX
    return out


def attribute_columns(df: pd.DataFrame) -> list[str]:
    """Return the attribute columns of a records or units table, in table order.

    Parameters
    ----------
    df : pandas.DataFrame
        A records, units or tagged-units table.

    Returns
    -------
    list of str
        Every column that is not one of forumnlp's own columns.
    """
    return [c for c in df.columns if c not in RESERVED]
