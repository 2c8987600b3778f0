"""``RuleTagger``: the codebook's rules as a scikit-learn estimator that explains itself.

The estimator wraps :class:`forumnlp.tag.engine.RuleAnnotator`. It follows scikit-learn's
contract: parameters are stored as given in ``__init__`` and validated in :meth:`fit`,
fitted state ends in ``_``, ``fit`` returns ``self``, and ``get_params``/``set_params``
(from ``BaseEstimator``) make ``clone``, pipelines and grid search work. ``fit`` learns
nothing from data: it compiles the rules (the audit, :mod:`forumnlp.tag.audit`, is where
labelled data tunes them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from forumnlp.errors import InputError
from forumnlp.tag.engine import RuleAnnotator, RuleResult

NONE = "none"


@dataclass(frozen=True)
class FrameDecision:
    """The rules' frame for one unit.

    Attributes
    ----------
    frame : str
        The frame; ``"none"`` when the rules abstained.
    score : float
        The deciding rule's confidence (``1 / n_frames`` when abstaining).
    rule : str or None
        The deciding rule's id.
    spans : list of [start, end]
        Where that rule matched, as character offsets into the text.
    abstained : bool
        True when no frame rule fired.
    """

    frame: str
    score: float
    rule: str | None
    spans: list[list[int]] = field(default_factory=list)
    abstained: bool = False


def _as_texts(X: Any) -> list[str]:
    if X is None:
        return []
    if hasattr(X, "columns"):
        if "text" not in X.columns:
            raise InputError("a DataFrame given to RuleTagger needs a 'text' column")
        X = X["text"]
    if isinstance(X, str):
        raise InputError("RuleTagger expects a list of texts, not a single string")
    return ["" if not isinstance(t, str) else t for t in X]


class RuleTagger(ClassifierMixin, BaseEstimator):
    """Tag texts with frames and themes from a codebook's rules, with evidence.

    Parameters
    ----------
    codebook : Codebook, path-like or None
        The codebook; None loads the packaged default.
    frame_rules : FrameRules, path-like, list of rule mappings or None
        Frame grammar rules; None uses the codebook's ``frame_rules`` if it has any, else
        the shipped ``forumnlp/data/frame_rules.yaml``.
    min_confidence : float, default 0.0
        Rules (frame rules and theme patterns) whose confidence is below this are ignored.

    Attributes
    ----------
    codebook_ : Codebook
    annotator_ : RuleAnnotator
    classes_ : numpy.ndarray
        The frame ids, in codebook order.
    theme_ids_ : list of str
        The theme code ids, in codebook order.

    Examples
    --------
    >>> tagger = RuleTagger().fit(None)
    >>> tagger.predict(["Don't stop the MAGs", "Very informative session"]).tolist()
    ['keep', 'none']
    """

    def __init__(self, codebook: Any = None, frame_rules: Any = None, min_confidence: float = 0.0) -> None:
        self.codebook = codebook
        self.frame_rules = frame_rules
        self.min_confidence = min_confidence

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.one_d_array = True
        tags.input_tags.string = True
        tags.target_tags.required = False
        return tags

    def fit(self, X: Any = None, y: Any = None) -> RuleTagger:
        """Validate the parameters and compile the rules; ``X`` and ``y`` are not used.

        Parameters
        ----------
        X : ignored
        y : ignored

        Returns
        -------
        RuleTagger
            self
        """
        mc = self.min_confidence
        if isinstance(mc, bool) or not isinstance(mc, int | float) or not 0.0 <= float(mc) <= 1.0:
            raise InputError(f"min_confidence must be a number between 0 and 1, got {mc!r}")
        from forumnlp.codebook import Codebook, load_codebook

        cb = self.codebook
        if cb is None or isinstance(cb, str | os.PathLike):
            cb = load_codebook(cb)
        elif not isinstance(cb, Codebook):
            raise InputError(f"codebook must be a Codebook, a path or None, got {type(cb).__name__}")
        self.codebook_ = cb
        self.annotator_ = RuleAnnotator(cb, self.frame_rules, float(mc))
        self.classes_ = np.array(self.annotator_.frames, dtype=object)
        self.theme_ids_ = list(self.annotator_.theme_ids)
        return self

    # -- outputs -------------------------------------------------------------------------------
    def annotate(self, X: Any) -> list[RuleResult]:
        """Return the full rule result (frame, themes, scores, evidence) of each text.

        Parameters
        ----------
        X : list of str, pandas.Series, or DataFrame with a ``text`` column

        Returns
        -------
        list of RuleResult
        """
        check_is_fitted(self, "annotator_")
        return self.annotator_.annotate(_as_texts(X))

    def predict_frames(self, X: Any) -> list[FrameDecision]:
        """Return the frame decision of each text, with ``abstained`` where no rule fired."""
        uniform = 1.0 / max(1, len(self.annotator_.frames)) if hasattr(self, "annotator_") else 0.0
        return [
            FrameDecision(NONE, round(uniform, 4), None, [], True) if r.frame is None
            else FrameDecision(r.frame, r.frame_score, r.frame_rule, r.frame_spans, False)
            for r in self.annotate(X)
        ]

    def predict(self, X: Any) -> np.ndarray:
        """Return the frame of each text (``"none"`` where the rules abstain)."""
        return np.array([r.frame or NONE for r in self.annotate(X)], dtype=object)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Return rule confidences as an ``(n_texts, n_frames)`` array (columns: ``classes_``).

        The winning frame gets its rule's confidence; the rest is shared by the other frames
        in proportion to the best confidence of their own rules still standing (plus 0.1),
        or evenly when that would outrank the winner. Rows where the rules abstain are
        uniform. Each row sums to 1.
        """
        results = self.annotate(X)
        classes = list(self.classes_)
        k = len(classes)
        col = {c: i for i, c in enumerate(classes)}
        out = np.full((len(results), k), 1.0 / k)
        for row, r in enumerate(results):
            if r.frame is None or r.frame not in col:
                continue
            rest = 1.0 - r.frame_score
            others = [c for c in classes if c != r.frame]
            w = np.array([r.frame_scores.get(c, 0.0) + 0.1 for c in others])
            share = rest * w / w.sum() if others else np.array([])
            if others and share.max() > r.frame_score:
                share = np.full(len(others), rest / len(others))
            out[row, col[r.frame]] = r.frame_score
            for c, v in zip(others, share, strict=True):
                out[row, col[c]] = v
        return out

    def predict_themes(self, X: Any) -> tuple[list[list[str]], list[dict[str, float]]]:
        """Return the theme ids and theme scores of each text."""
        results = self.annotate(X)
        return [list(r.themes) for r in results], [dict(r.theme_scores) for r in results]

    def explain(self, text: str) -> dict[str, Any]:
        """Return one text's decision as plain data: frame, score, rule, themes and evidence."""
        r = self.annotate([text])[0]
        return {"text": text, "frame": r.frame or NONE, "frame_score": r.frame_score,
                "frame_rule": r.frame_rule, "abstained": r.frame is None, "themes": r.themes,
                "theme_scores": r.theme_scores, "evidence": r.evidence}

