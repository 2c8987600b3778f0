"""A Snorkel-style audit of a codebook's rules: coverage, overlaps, conflicts, precision.

Every frame rule and every code pattern (positive or negative) is treated as a labelling
function that may abstain. Over a set of units the audit reports, per rule:

- ``fires``: units it fires on; ``coverage``: the share of all units;
- ``overlaps``: share of all units where it fires together with another rule of the same
  group (another frame rule; another pattern of a code in the same codebook group);
- ``conflicts`` (frame rules): share of all units where it fires together with a frame rule
  for a different frame;
- ``decided``: share of its firings where it decided the outcome (the winning frame rule;
  for a pattern, its code assigned; for a negative pattern, a veto that removed the code);
- with gold labels: ``correct`` and ``precision`` (the gold frame is the rule's frame; the
  gold themes contain the pattern's code, or, for a negative pattern, do not), and
  ``suggested_confidence``, the precision shrunk towards the current confidence by two
  pseudo-counts (``(correct + 2 * confidence) / (fires + 2)``), for recalibrating rules.

A rule's firing is counted as the rule behaves in the tagger: frame rules with
``requires_theme`` / ``unless_theme`` fire only when their condition holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from forumnlp.errors import InputError
from forumnlp.tag.engine import RuleAnnotator, build_annotator

AUDIT_COLUMNS: tuple[str, ...] = (
    "kind", "group", "code", "rule", "pattern", "confidence", "priority", "fires", "coverage",
    "overlaps", "conflicts", "decided", "labelled", "correct", "precision",
    "suggested_confidence",
)


def _split_themes(value: Any) -> set[str]:
    if not isinstance(value, str):
        return set()
    return {t.strip() for t in value.split(";") if t.strip()}


def _gold_columns(gold: pd.DataFrame) -> tuple[list[str], list[str | None], list[set[str] | None]]:
    if "text" not in gold.columns:
        raise InputError(f"gold table needs a 'text' column (columns: {', '.join(map(str, gold.columns))})")
    if "frame" not in gold.columns and "themes" not in gold.columns:
        raise InputError("gold table needs a 'frame' or a 'themes' column (or both)")
    texts = ["" if not isinstance(t, str) else t for t in gold["text"].tolist()]
    frames: list[str | None] = (
        [f.strip() if isinstance(f, str) and f.strip() else None for f in gold["frame"].tolist()]
        if "frame" in gold.columns else [None] * len(texts)
    )
    themes: list[set[str] | None] = (
        [_split_themes(t) for t in gold["themes"].tolist()]
        if "themes" in gold.columns else [None] * len(texts)
    )
    return texts, frames, themes


def audit(
    codebook: Any = None,
    gold: pd.DataFrame | None = None,
    texts: Sequence[str] | None = None,
    *,
    frame_rules: Any = None,
    annotator: RuleAnnotator | None = None,
) -> pd.DataFrame:
    """Audit every rule of a codebook (and its frame rules) over a set of units.

    Parameters
    ----------
    codebook : Codebook, path-like or None
        The codebook (None: the packaged default). Ignored when ``annotator`` is given.
    gold : pandas.DataFrame, optional
        Labelled units: ``text`` plus ``frame`` and/or ``themes`` (ids joined by ";").
        Gives ``correct``, ``precision`` and ``suggested_confidence``.
    texts : sequence of str, optional
        Unlabelled units to audit when there is no gold table.
    frame_rules : optional
        Frame rules, as for :class:`forumnlp.tag.rules.RuleTagger`.
    annotator : RuleAnnotator, optional
        Already compiled rules.

    Returns
    -------
    pandas.DataFrame
        One row per rule with the columns of :data:`AUDIT_COLUMNS`; frame rules first (in
        file order), then code patterns in codebook order. Shares are fractions of the
        number of units; ``precision`` is NaN for a rule that never fires on a labelled unit.
    """
    if gold is not None:
        unit_texts, gold_frames, gold_themes = _gold_columns(gold)
    elif texts is not None:
        unit_texts = ["" if not isinstance(t, str) else t for t in texts]
        gold_frames, gold_themes = [None] * len(unit_texts), [None] * len(unit_texts)
    else:
        raise InputError("audit() needs a gold table or texts")
    annot = annotator or build_annotator(codebook, frame_rules)
    info = annot.rule_info()
    groups = {c.id: c.group for c in annot.codebook.codes}
    frame_group = getattr(annot.codebook.frame_group, "id", "frame")
    rules = annot.rules
    n_rules = len(rules)
    fires = np.zeros(n_rules, dtype=np.int64)
    overlaps = np.zeros(n_rules, dtype=np.int64)
    conflicts = np.zeros(n_rules, dtype=np.int64)
    decided = np.zeros(n_rules, dtype=np.int64)
    labelled = np.zeros(n_rules, dtype=np.int64)
    correct = np.zeros(n_rules, dtype=np.int64)
    name_to_idx: dict[tuple[int, str], int] = {(r.kind, r.name): i for i, r in enumerate(rules)}
    for text, g_frame, g_themes in zip(unit_texts, gold_frames, gold_themes, strict=True):
        if not text.strip():
            continue
        res = annot.annotate_one(text)
        has_theme = bool(res.themes)
        fired: set[int] = set()
        for m in annot.matches(text):
            r = rules[m[0]]
            if r.kind == 2 and (r.unless_theme if has_theme else r.requires_theme):
                continue
            if r.kind in (0, 1, 2):
                fired.add(m[0])
        if not fired:
            continue
        by_group: dict[str, set[int]] = {}
        frame_of: dict[int, str] = {}
        for i in fired:
            r = rules[i]
            grp = frame_group if r.kind == 2 else f"{'-' if r.kind == 1 else ''}{groups.get(r.code, '')}"
            by_group.setdefault(grp, set()).add(i)
            if r.kind == 2:
                frame_of[i] = r.code
        winner = name_to_idx.get((2, res.frame_rule)) if res.frame_rule else None
        for i in fired:
            r = rules[i]
            fires[i] += 1
            grp = frame_group if r.kind == 2 else f"{'-' if r.kind == 1 else ''}{groups.get(r.code, '')}"
            if len(by_group[grp]) > 1:
                overlaps[i] += 1
            if r.kind == 2:
                if any(f != r.code for f in frame_of.values()):
                    conflicts[i] += 1
                if i == winner:
                    decided[i] += 1
                if g_frame is not None:
                    labelled[i] += 1
                    correct[i] += g_frame == r.code
            else:
                assigned = r.code in res.theme_scores
                if (r.kind == 0 and assigned) or (r.kind == 1 and not assigned):
                    decided[i] += 1
                if g_themes is not None:
                    labelled[i] += 1
                    in_gold = r.code in g_themes
                    correct[i] += in_gold if r.kind == 0 else not in_gold
    n_units = max(1, sum(1 for t in unit_texts if t.strip()))
    rows = []
    for i, (r, meta) in enumerate(zip(rules, info, strict=True)):
        if r.kind not in (0, 1, 2):
            continue
        kind = {0: "pattern", 1: "negative", 2: "frame"}[r.kind]
        conf = float(r.confidence) if r.kind != 1 else float("nan")
        prec = correct[i] / labelled[i] if labelled[i] else float("nan")
        suggested = (
            round((correct[i] + 2 * conf) / (labelled[i] + 2), 3)
            if labelled[i] and r.kind != 1 else float("nan")
        )
        rows.append({
            "kind": kind,
            "group": frame_group if r.kind == 2 else groups.get(r.code, ""),
            "code": r.code,
            "rule": r.name,
            "pattern": meta["pattern"],
            "confidence": round(conf, 3) if conf == conf else conf,
            "priority": r.priority if r.kind == 2 else np.nan,
            "fires": int(fires[i]),
            "coverage": round(fires[i] / n_units, 4),
            "overlaps": round(overlaps[i] / n_units, 4),
            "conflicts": round(conflicts[i] / n_units, 4) if r.kind == 2 else float("nan"),
            "decided": round(decided[i] / fires[i], 4) if fires[i] else float("nan"),
            "labelled": int(labelled[i]),
            "correct": int(correct[i]),
            "precision": round(prec, 4) if prec == prec else prec,
            "suggested_confidence": suggested,
        })
    order = {"frame": 0, "pattern": 1, "negative": 1}
    df = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    if not df.empty:
        df = df.sort_values("kind", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return df


def summary(codebook: Any = None, gold: pd.DataFrame | None = None, *, frame_rules: Any = None,
            annotator: RuleAnnotator | None = None) -> dict[str, float]:
    """Score the rules' frames and themes against gold labels.

    Parameters
    ----------
    codebook, frame_rules, annotator
        As for :func:`audit`.
    gold : pandas.DataFrame
        Labelled units (``text``, ``frame``, ``themes``).

    Returns
    -------
    dict
        ``units``, ``frame_accuracy``, ``frame_macro_f1`` (abstentions count as ``none``),
        ``frame_coverage`` (share of units where a frame rule fired), ``theme_micro_f1``,
        ``theme_precision``, ``theme_recall``.
    """
    if gold is None:
        raise InputError("summary() needs a gold table")
    texts, g_frames, g_themes = _gold_columns(gold)
    annot = annotator or build_annotator(codebook, frame_rules)
    results = annot.annotate(texts)
    out: dict[str, float] = {"units": float(len(texts))}
    pairs = [(g, r.frame or "none") for g, r in zip(g_frames, results, strict=True) if g is not None]
    if pairs:
        labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
        f1s = []
        for lab in labels:
            tp = sum(1 for g, p in pairs if g == lab and p == lab)
            fp = sum(1 for g, p in pairs if g != lab and p == lab)
            fn = sum(1 for g, p in pairs if g == lab and p != lab)
            f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        out["frame_accuracy"] = sum(g == p for g, p in pairs) / len(pairs)
        out["frame_macro_f1"] = float(np.mean(f1s))
        out["frame_coverage"] = sum(r.frame is not None for r in results) / len(results)
    tp = fp = fn = 0
    for g, r in zip(g_themes, results, strict=True):
        if g is None:
            continue
        pred = set(r.themes)
        tp += len(pred & g)
        fp += len(pred - g)
        fn += len(g - pred)
    if tp + fp + fn:
        out["theme_precision"] = tp / (tp + fp) if tp + fp else 0.0
        out["theme_recall"] = tp / (tp + fn) if tp + fn else 0.0
        out["theme_micro_f1"] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out
