"""The tone of evaluation comments: VADER compound sentiment, offline.

VADER's lexicon ships inside the ``vaderSentiment`` package, so nothing is downloaded.
Compound scores follow VADER's usual cut-offs: positive at or above 0.05, negative at or
below -0.05, neutral in between.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from forumnlp.report.summary import NOT_RECORDED, attribute_values, content_mask, frames_of, text_of

POSITIVE = 0.05
NEGATIVE = -0.05
#: Headings or questions that ask for feedback on the event itself.
EVALUATION_QUESTION = re.compile(
    r"went well|could (?:be|have been) (?:improved|better)|improve(?:d|ment)s? (?:to|for) the"
    r"|other comments?|any comments?|feedback|evaluat|how (?:useful|helpful|relevant|was|did)"
    r"|did you (?:like|enjoy|find)|rate the|overall",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def compound(texts: Sequence[str]) -> list[float]:
    """VADER compound score (-1..1) of each text; 0.0 for blank texts.

    Parameters
    ----------
    texts : sequence of str

    Returns
    -------
    list of float
    """
    sia = _analyzer()
    return [float(sia.polarity_scores(t)["compound"]) if str(t).strip() else 0.0 for t in texts]


def evaluation_mask(tagged: pd.DataFrame) -> pd.Series:
    """True for units with text that are evaluation comments.

    A unit is an evaluation comment when its frame is ``none`` (event feedback) or its
    heading or ``question`` matches :data:`EVALUATION_QUESTION` ("What went well?",
    "What could be improved?", "Any other comments"...).
    """
    mask = frames_of(tagged).eq("none")
    for col in ("heading", "question"):
        if col in tagged.columns:
            mask |= tagged[col].fillna("").astype(str).str.contains(EVALUATION_QUESTION)
    return mask & content_mask(tagged)


def tone(tagged: pd.DataFrame, by: str | None = "session") -> pd.DataFrame:
    """Mean VADER compound score and shares of positive and negative evaluation comments.

    Parameters
    ----------
    tagged : pandas.DataFrame
        Tagged units.
    by : str or None, default "session"
        Attribute to group by (ignored when the table lacks it); an ``all`` row is last.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``units``, ``mean_compound``, ``positive`` and ``negative``
        (shares 0..1), ``neutral``; empty when there is no evaluation comment.
    """
    cols = ["group", "units", "mean_compound", "positive", "negative", "neutral"]
    data = tagged[evaluation_mask(tagged)]
    if data.empty:
        return pd.DataFrame(columns=cols)
    scores = pd.Series(compound(text_of(data).tolist()), index=data.index)
    groups: list[tuple[str, pd.Series]] = []
    if by and by in data.columns:
        vals = attribute_values(data, by)
        ordered = sorted(set(vals), key=lambda v: (v == NOT_RECORDED, v))
        groups = [(v, scores[vals == v]) for v in ordered]
    groups.append(("all", scores))
    rows = []
    for name, s in groups:
        n = len(s)
        pos = float((s >= POSITIVE).mean()) if n else 0.0
        neg = float((s <= NEGATIVE).mean()) if n else 0.0
        rows.append((name, n, round(float(s.mean()), 3) if n else 0.0, round(pos, 3),
                     round(neg, 3), round(1.0 - pos - neg, 3)))
    return pd.DataFrame(rows, columns=cols)
