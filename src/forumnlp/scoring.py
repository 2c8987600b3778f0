"""Running systems on gold labels: the evaluation report of ``forumnlp evaluate``.

Every system is scored on the same rows (the test split unless told otherwise), from text
alone: headings are not shown to the systems, so the figures measure what the rules and
models read in the words. Baselines are scored on the same split.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from forumnlp.evaluate import (
    format_frame_report,
    format_theme_report,
    frame_report,
    theme_report,
)


def _tagged(
    model: Any, texts: list[str], codebook_path: str | None, headings: list[str] | None = None
) -> tuple[list[str], list[list[str]]]:
    """Frames and themes from the full tagger, as ``forumnlp tag`` gives them.

    With ``headings`` (the heading or question each unit was written under) the structure
    decides frames as it does at run time; without, the tagger reads the text alone.
    """
    from forumnlp.headings import frame_for_heading
    from forumnlp.schema import UNIT_COLUMNS
    from forumnlp.tag import tag

    n = len(texts)
    heads = headings if headings is not None else [""] * n
    decided = [frame_for_heading(h) or "" for h in heads]
    units = pd.DataFrame(
        {
            "record_id": [f"gold:{i + 1}" for i in range(n)],
            "unit_id": [f"gold:{i + 1}#1" for i in range(n)],
            "source": "gold",
            "location": [f"row {i + 2}" for i in range(n)],
            "start": 0,
            "end": [len(t) for t in texts],
            "heading": heads,
            "text": texts,
            "is_empty": [not t.strip() for t in texts],
            "frame": decided,
            "frame_score": [1.0 if f else float("nan") for f in decided],
            "frame_source": ["structure" if f else "" for f in decided],
        },
        columns=list(UNIT_COLUMNS),
    )
    from forumnlp.codebook import load_codebook

    out = tag(units, codebook=load_codebook(codebook_path), model=model)
    themes = [[t for t in str(v).split(";") if t] for v in out["themes"]]
    return out["frame"].astype(str).tolist(), themes


def evaluate_systems(
    gold: pd.DataFrame,
    *,
    model_dir: str | os.PathLike[str] | None = None,
    codebook: str | None = None,
    split: str = "test",
    baselines: Sequence[str] = ("rules", "tfidf_lr", "minilm_lr", "zero_shot"),
) -> dict[str, Any]:
    """Score the shipped (or given) model, the full tagger and the baselines on ``split``.

    Parameters
    ----------
    gold : pandas.DataFrame
        Output of :func:`forumnlp.train.load_labelled`.
    model_dir : path-like, optional
        Model folder (the shipped default when None).
    codebook : str, optional
        Codebook YAML path (the default codebook when None).
    split : {"test", "dev", "train", "all"}
    baselines : sequence of str
        Names from :data:`forumnlp.baselines.BASELINES` (they train on the train split).

    Returns
    -------
    dict
        ``systems``: name -> {frame report, theme report, seconds}; ``n``; ``split``.
    """
    from forumnlp.baselines import BASELINES
    from forumnlp.codebook import load_codebook
    from forumnlp.tag.persist import ForumModel

    cb = load_codebook(codebook)
    rows = gold if split == "all" else gold[gold["split"] == split]
    train = gold[gold["split"] == "train"]
    dev = gold[gold["split"] == "dev"]
    texts = rows["text"].tolist()
    frame_ids = [c.id for c in cb.frame_codes]
    theme_ids = [c.id for c in cb.theme_codes]
    has_frames = (rows["frame"] != "").any()
    model = ForumModel.load(model_dir)
    results: dict[str, Any] = {}

    def score(name: str, frames: list[str], sets: list[list[str]], seconds: float) -> None:
        entry: dict[str, Any] = {"seconds": round(seconds, 2)}
        if has_frames:
            entry["frame"] = frame_report(rows["frame"].tolist(), frames, frame_ids)
        entry["themes"] = theme_report(rows["themes"].tolist(), sets, theme_ids)
        results[name] = entry

    if "context" in rows.columns and (rows["context"].astype(str) != "").any():
        t = time.perf_counter()
        frames, sets = _tagged(model, texts, codebook, rows["context"].astype(str).tolist())
        score("forumnlp as deployed (headings + rules + model)", frames, sets, time.perf_counter() - t)
    t = time.perf_counter()
    frames, sets = _tagged(model, texts, codebook)
    score("forumnlp, text only (rules + model)", frames, sets, time.perf_counter() - t)
    t = time.perf_counter()
    mf, _, ms, _ = model.predict(texts)
    score("model only", mf, ms, time.perf_counter() - t)
    for name in baselines:
        t = time.perf_counter()
        try:
            bf, bs = BASELINES[name](train, dev, rows, cb)
        except ImportError as exc:  # an optional backend is missing: say so, do not fail
            results[name] = {"error": f"unavailable: {exc}"}
            continue
        score(name, bf, bs, time.perf_counter() - t)
    return {
        "split": split,
        "n": len(rows),
        "model": {"path": str(model_dir or "default"), "name": model.name},
        "codebook": {"name": cb.name, "version": cb.version},
        "systems": results,
    }


def summary_table(report: dict[str, Any]) -> pd.DataFrame:
    """One row per system: frame macro-F1 / kappa, theme micro-F1 / alpha, seconds."""
    rows = []
    for name, entry in report["systems"].items():
        if "error" in entry:
            rows.append({"system": name, "note": entry["error"]})
            continue
        fr, th = entry.get("frame"), entry["themes"]
        rows.append(
            {
                "system": name,
                "frame_macro_f1": round(fr.macro_f1, 3) if fr else None,
                "frame_kappa": round(fr.kappa, 3) if fr else None,
                "theme_micro_f1": round(th.micro_f1, 3),
                "theme_macro_f1": round(th.macro_f1, 3),
                "theme_alpha": round(th.alpha, 3),
                "seconds": entry["seconds"],
            }
        )
    return pd.DataFrame(rows)


def format_report(report: dict[str, Any]) -> str:
    """The readable evaluation report: summary table, then the main system's details."""
    parts = [
        f"Evaluation on the {report['split']} split: {report['n']} units; "
        f"model {report['model']['name']}; codebook {report['codebook']['name']} "
        f"{report['codebook']['version']}",
        "",
        summary_table(report).to_string(index=False),
    ]
    systems = report["systems"]
    main = systems.get("forumnlp as deployed (headings + rules + model)") or systems.get(
        "forumnlp, text only (rules + model)", {}
    )
    if main.get("frame") is not None:
        parts += ["", format_frame_report(main["frame"], "forumnlp frames")]
    if main.get("themes") is not None:
        parts += ["", format_theme_report(main["themes"], "forumnlp themes")]
    return "\n".join(parts)


def report_to_dict(report: dict[str, Any]) -> dict[str, Any]:
    """JSON-serialisable form of :func:`evaluate_systems`' result."""
    out = {k: v for k, v in report.items() if k != "systems"}
    out["systems"] = {}
    for name, entry in report["systems"].items():
        e = {k: v for k, v in entry.items() if k not in ("frame", "themes")}
        if entry.get("frame") is not None:
            e["frame"] = entry["frame"].to_dict()
        if entry.get("themes") is not None:
            e["themes"] = entry["themes"].to_dict()
        out["systems"][name] = e
    return out


__all__ = ["Path", "evaluate_systems", "format_report", "report_to_dict", "summary_table"]


def cross_group_scores(
    gold: pd.DataFrame,
    by: str,
    *,
    codebook: str | None = None,
    groups: dict[str, Sequence[str]] | None = None,
    rule_features: bool = True,
) -> pd.DataFrame:
    """Generalisation check: train on all other groups, test on each held-out group.

    Parameters
    ----------
    gold : pandas.DataFrame
        Output of :func:`forumnlp.train.load_labelled` (all splits are used).
    by : str
        Column whose values define the groups (e.g. ``setting`` or ``agency``).
    codebook : str, optional
    groups : dict, optional
        Named groups of values (e.g. ``{"forum": ["forum_flipchart", "forum_writeup"]}``);
        every value is its own group when None.
    rule_features : bool, default True

    Returns
    -------
    pandas.DataFrame
        One row per held-out group: its size and the text-only model's frame macro-F1 and
        theme micro-F1 on it.
    """
    from forumnlp.codebook import load_codebook
    from forumnlp.train import score_model, train_models

    if by not in gold.columns:
        from forumnlp.errors import InputError

        raise InputError(f"gold table has no column {by!r}")
    cb = load_codebook(codebook)
    if groups is None:
        groups = {str(v): [v] for v in sorted(gold[by].astype(str).unique())}
    rows = []
    for name, values in groups.items():
        held = gold[by].astype(str).isin([str(v) for v in values])
        if held.sum() < 20 or (~held).sum() < 50:
            continue
        train = gold[~held].copy()
        train["split"] = [s if s != "test" else "train" for s in train["split"]]
        model = train_models(train, codebook=codebook, rule_features=rule_features)
        scores = score_model(model, gold[held], cb)
        rows.append({"held_out": name, "n": int(held.sum()), **{k: v for k, v in scores.items() if k != "n"}})
    return pd.DataFrame(rows)
