"""Metrics against gold labels and inter-coder agreement.

Frames are single-label (one of the codebook's frame codes); themes are multi-label (any
number of codes per unit, ``;``-joined in tables). The functions here take plain sequences
and return plain dicts/DataFrames, so they serve ``forumnlp evaluate``, ``forumnlp
agreement``, the notebooks and the tests alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forumnlp.errors import InputError


def split_codes(value: object) -> list[str]:
    """Split a ``;``-joined codes cell into a sorted list of unique, stripped ids."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, list | tuple | set | frozenset):
        items = [str(v) for v in value]
    else:
        items = str(value).replace(",", ";").split(";")
    return sorted({s.strip() for s in items if s and s.strip()})


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class FrameReport:
    """Per-frame precision/recall/F1, averages, confusion matrix and Cohen's kappa."""

    per_class: pd.DataFrame
    macro_f1: float
    accuracy: float
    kappa: float
    confusion: pd.DataFrame
    n: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "n": self.n,
            "macro_f1": self.macro_f1,
            "accuracy": self.accuracy,
            "kappa": self.kappa,
            "per_class": self.per_class.reset_index().to_dict(orient="records"),
            "confusion": {
                "labels": list(self.confusion.index),
                "matrix": self.confusion.to_numpy().tolist(),
            },
        }


@dataclass
class ThemeReport:
    """Per-code precision/recall/F1, micro and macro averages and Krippendorff's alpha."""

    per_code: pd.DataFrame
    micro_f1: float
    micro_precision: float
    micro_recall: float
    macro_f1: float
    alpha: float
    n: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "n": self.n,
            "micro_f1": self.micro_f1,
            "micro_precision": self.micro_precision,
            "micro_recall": self.micro_recall,
            "macro_f1": self.macro_f1,
            "alpha": self.alpha,
            "per_code": self.per_code.reset_index().to_dict(orient="records"),
            **self.extra,
        }


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa between two coders' single labels (1.0 when both are constant and equal)."""
    from sklearn.metrics import cohen_kappa_score

    if len(a) == 0:
        return float("nan")
    if len(set(a) | set(b)) == 1:
        return 1.0
    return float(cohen_kappa_score(list(a), list(b)))


def frame_report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> FrameReport:
    """Score predicted frames against gold frames.

    Parameters
    ----------
    gold, pred : sequence of str
        Frame ids, aligned.
    labels : sequence of str
        The frame ids in report order (e.g. the codebook's frame codes).

    Returns
    -------
    FrameReport
    """
    if len(gold) != len(pred):
        raise InputError(f"gold has {len(gold)} labels but predictions have {len(pred)}")
    labels = list(labels)
    extra = sorted((set(gold) | set(pred)) - set(labels))
    labels_all = labels + extra
    idx = {lab: i for i, lab in enumerate(labels_all)}
    cm = np.zeros((len(labels_all), len(labels_all)), dtype=int)
    for g, p in zip(gold, pred, strict=True):
        cm[idx[g], idx[p]] += 1
    rows = []
    for lab in labels_all:
        i = idx[lab]
        tp = int(cm[i, i])
        fp = int(cm[:, i].sum() - tp)
        fn = int(cm[i, :].sum() - tp)
        p, r, f = _prf(tp, fp, fn)
        rows.append({"code": lab, "precision": p, "recall": r, "f1": f, "support": tp + fn})
    per = pd.DataFrame(rows).set_index("code")
    present = per[per["support"] > 0]
    macro = float(present["f1"].mean()) if len(present) else 0.0
    acc = float(np.trace(cm) / cm.sum()) if cm.sum() else 0.0
    confusion = pd.DataFrame(cm, index=labels_all, columns=labels_all)
    confusion.index.name = "gold \\ predicted"
    return FrameReport(per, macro, acc, cohen_kappa(gold, pred), confusion, len(gold))


def _binary_matrix(sets: Sequence[Iterable[str]], codes: Sequence[str]) -> np.ndarray:
    col = {c: j for j, c in enumerate(codes)}
    m = np.zeros((len(sets), len(codes)), dtype=np.int8)
    for i, s in enumerate(sets):
        for c in s:
            j = col.get(c)
            if j is not None:
                m[i, j] = 1
    return m


def krippendorff_alpha_multilabel(a: np.ndarray, b: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) over every (unit, code) decision of two coders.

    Each unit-code pair is one item coded present/absent by both coders, the usual way of
    reporting alpha for multi-label qualitative coding.
    """
    import krippendorff

    data = np.vstack([a.reshape(-1), b.reshape(-1)]).astype(float)
    if data.size == 0:
        return float("nan")
    if len(np.unique(data)) == 1:
        return 1.0
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def theme_report(
    gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], codes: Sequence[str]
) -> ThemeReport:
    """Score predicted theme sets against gold sets (micro/macro P/R/F1 and alpha)."""
    if len(gold) != len(pred):
        raise InputError(f"gold has {len(gold)} rows but predictions have {len(pred)}")
    codes = list(codes)
    g = _binary_matrix([set(x) for x in gold], codes)
    p = _binary_matrix([set(x) for x in pred], codes)
    rows = []
    for j, c in enumerate(codes):
        tp = int(((g[:, j] == 1) & (p[:, j] == 1)).sum())
        fp = int(((g[:, j] == 0) & (p[:, j] == 1)).sum())
        fn = int(((g[:, j] == 1) & (p[:, j] == 0)).sum())
        pr, rc, f = _prf(tp, fp, fn)
        rows.append({"code": c, "precision": pr, "recall": rc, "f1": f, "support": tp + fn})
    per = pd.DataFrame(rows).set_index("code")
    tp = int(((g == 1) & (p == 1)).sum())
    fp = int(((g == 0) & (p == 1)).sum())
    fn = int(((g == 1) & (p == 0)).sum())
    mp, mr, mf = _prf(tp, fp, fn)
    present = per[per["support"] > 0]
    macro = float(present["f1"].mean()) if len(present) else 0.0
    exact = float((g == p).all(axis=1).mean()) if len(g) else 0.0
    return ThemeReport(
        per, mf, mp, mr, macro, krippendorff_alpha_multilabel(g, p), len(gold),
        extra={"exact_match": exact},
    )


def agreement(
    coder_a: pd.DataFrame,
    coder_b: pd.DataFrame,
    *,
    frame_labels: Sequence[str],
    theme_codes: Sequence[str],
    key: str | None = None,
) -> dict[str, Any]:
    """Agreement between two coders' tables (human vs human, or human vs model).

    Parameters
    ----------
    coder_a, coder_b : pandas.DataFrame
        Tables with ``frame`` and/or ``themes`` columns.
    frame_labels, theme_codes : sequence of str
        The codebook's frame ids and theme ids.
    key : str, optional
        Column to align the two tables on (``unit_id``, ``id`` or ``text`` are tried in that
        order when not given); rows present in only one table are reported, not scored.

    Returns
    -------
    dict
        ``n``, ``unmatched_a``, ``unmatched_b``, ``frame`` (kappa, percent agreement,
        per-class report) and ``themes`` (alpha, micro-F1 of B against A).
    """
    if key is None:
        for cand in ("unit_id", "id", "text"):
            if cand in coder_a.columns and cand in coder_b.columns:
                key = cand
                break
    if key is None:
        raise InputError("the two coders' tables share no unit_id, id or text column to align on")
    for name, df in (("coder A", coder_a), ("coder B", coder_b)):
        if key not in df.columns:
            raise InputError(f"{name}: no column {key!r}")
        if df[key].duplicated().any():
            dup = df.loc[df[key].duplicated(), key].iloc[0]
            raise InputError(f"{name}: column {key!r} has duplicate value {dup!r}")
    merged = coder_a.merge(coder_b, on=key, how="inner", suffixes=("_a", "_b"))
    out: dict[str, Any] = {
        "key": key,
        "n": len(merged),
        "unmatched_a": int(len(coder_a) - len(merged)),
        "unmatched_b": int(len(coder_b) - len(merged)),
    }
    if "frame_a" in merged.columns and "frame_b" in merged.columns:
        fa = merged["frame_a"].astype(str).str.strip().tolist()
        fb = merged["frame_b"].astype(str).str.strip().tolist()
        rep = frame_report(fa, fb, frame_labels)
        out["frame"] = {
            "kappa": rep.kappa,
            "percent_agreement": rep.accuracy,
            "report": rep.to_dict(),
        }
    if "themes_a" in merged.columns and "themes_b" in merged.columns:
        ta = [split_codes(v) for v in merged["themes_a"]]
        tb = [split_codes(v) for v in merged["themes_b"]]
        trep = theme_report(ta, tb, theme_codes)
        out["themes"] = {"alpha": trep.alpha, "micro_f1": trep.micro_f1, "report": trep.to_dict()}
    return out


def format_frame_report(rep: FrameReport, title: str = "Frames") -> str:
    """Render a frame report as readable text."""
    lines = [
        f"{title}: n={rep.n}  macro-F1={rep.macro_f1:.3f}  accuracy={rep.accuracy:.3f}  "
        f"Cohen's kappa={rep.kappa:.3f}",
        rep.per_class.to_string(float_format=lambda x: f"{x:.3f}"),
        "",
        "Confusion matrix (rows gold, columns predicted):",
        rep.confusion.to_string(),
    ]
    return "\n".join(lines)


def format_theme_report(rep: ThemeReport, title: str = "Themes") -> str:
    """Render a theme report as readable text."""
    lines = [
        f"{title}: n={rep.n}  micro-F1={rep.micro_f1:.3f} (P={rep.micro_precision:.3f} "
        f"R={rep.micro_recall:.3f})  macro-F1={rep.macro_f1:.3f}  "
        f"Krippendorff's alpha={rep.alpha:.3f}",
        rep.per_code.to_string(float_format=lambda x: f"{x:.3f}"),
    ]
    return "\n".join(lines)


def to_json(obj: Any) -> str:
    """Serialise a report dict with stable key order and NaN as null."""

    def clean(o: Any) -> Any:
        if isinstance(o, dict):
            return {str(k): clean(v) for k, v in o.items()}
        if isinstance(o, list | tuple):
            return [clean(v) for v in o]
        if isinstance(o, float) and o != o:
            return None
        if hasattr(o, "item"):
            return clean(o.item())
        return o

    return json.dumps(clean(obj), indent=2, sort_keys=True, ensure_ascii=False)
