"""Score forumnlp's redactor on the test set in this folder and write ``metrics.json``.

    python tests/data/redaction/score.py                 # all splits and modes -> metrics.json
    python tests/data/redaction/score.py --no-ner -v     # patterns only, list misses and FPs
    python tests/data/redaction/score.py --split=holdout # one split (dev, holdout, all)

A planted detail counts as found when at least 90% of its characters lie inside redaction
spans (of any type: what matters is that it does not leak); "typed" recall also asks for the
right type. A redaction span is correct when it overlaps a planted detail (precision, any
type) or one of its own type (typed precision); spans in the clean comments are all wrong.
"Words changed" is the share of whitespace-separated words of the clean comments that
overlap a redaction span.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COVERAGE = 0.9


def load(name: str) -> list[dict[str, Any]]:
    """Read one JSONL file of this folder."""
    with (HERE / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _covered(spans: list[Any], start: int, end: int) -> float:
    inside = 0
    for s in spans:
        lo, hi = max(start, s.start), min(end, s.end)
        if hi > lo:
            inside += hi - lo
    return inside / max(1, end - start)


def _typed_covered(spans: list[Any], start: int, end: int, kind: str) -> float:
    return _covered([s for s in spans if s.type == kind], start, end)


SPLITS = {"dev": "", "holdout": "holdout_", "blind": "blind_"}


def load_split(split: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (pii, clean) records of "dev", "holdout" or "all"."""
    if split == "all":
        pii, clean = [], []
        for name in SPLITS:
            p, c = load_split(name)
            pii += p
            clean += c
        return pii, clean
    prefix = SPLITS[split]
    return load(f"{prefix}pii.jsonl"), load(f"{prefix}clean.jsonl")


def score(use_ner: bool, split: str = "all") -> dict[str, Any]:
    """Run the redactor over a split of the test set and return the metrics."""
    from forumnlp.redact import TYPES, Redactor

    pii, clean = load_split(split)
    redactor = Redactor(use_ner=use_ner)
    t0 = time.perf_counter()
    pii_res = redactor.redact_texts([r["text"] for r in pii])
    clean_res = redactor.redact_texts([r["text"] for r in clean])
    seconds = time.perf_counter() - t0

    gold_n: Counter[str] = Counter()
    found: Counter[str] = Counter()
    found_typed: Counter[str] = Counter()
    sub_n: Counter[str] = Counter()
    sub_found: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    pred_ok: Counter[str] = Counter()
    pred_ok_typed: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    for row, res in zip(pii, pii_res, strict=True):
        for g in row["spans"]:
            kind = g["type"]
            gold_n[kind] += 1
            hit = _covered(res.spans, g["start"], g["end"]) >= COVERAGE
            found[kind] += hit
            found_typed[kind] += _typed_covered(res.spans, g["start"], g["end"], kind) >= COVERAGE
            if kind == "PERSON":
                sub_n[g.get("subtype", "")] += 1
                sub_found[g.get("subtype", "")] += hit
            if not hit:
                misses.append({"id": row["id"], "type": kind,
                               "value": row["text"][g["start"] : g["end"]]})
        for s in res.spans:
            pred_n[s.type] += 1
            over = [g for g in row["spans"] if s.start < g["end"] and g["start"] < s.end]
            pred_ok[s.type] += bool(over)
            pred_ok_typed[s.type] += any(g["type"] == s.type for g in over)
    false_pos: list[dict[str, Any]] = []
    words = changed = 0
    for row, res in zip(clean, clean_res, strict=True):
        for s in res.spans:
            pred_n[s.type] += 1
            false_pos.append({"id": row["id"], "type": s.type,
                              "value": row["text"][s.start : s.end]})
        text = row["text"]
        pos = 0
        for w in text.split():
            start = text.index(w, pos)
            pos = start + len(w)
            words += 1
            changed += any(s.start < pos and start < s.end for s in res.spans)

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    per_type = {
        t: {
            "gold": gold_n[t], "found": found[t], "recall": ratio(found[t], gold_n[t]),
            "recall_typed": ratio(found_typed[t], gold_n[t]),
            "predicted": pred_n[t], "precision": ratio(pred_ok[t], pred_n[t]),
            "precision_typed": ratio(pred_ok_typed[t], pred_n[t]),
        }
        for t in TYPES
    }
    total_gold, total_found = sum(gold_n.values()), sum(found.values())
    return {
        "use_ner": use_ner,
        "split": split,
        "pii_comments": len(pii),
        "planted_details": total_gold,
        "clean_comments": len(clean),
        "recall": ratio(total_found, total_gold),
        "precision": ratio(sum(pred_ok.values()), sum(pred_n.values())),
        "clean_words": words,
        "clean_words_changed": changed,
        "clean_words_changed_rate": ratio(changed, words),
        "person_recall_by_subtype": {
            k or "other": ratio(sub_found[k], n) for k, n in sorted(sub_n.items())
        },
        "per_type": per_type,
        "seconds": round(seconds, 2),
        "misses": misses,
        "false_positives": false_pos,
    }


def table(m: dict[str, Any]) -> str:
    """Format the per-type metrics as a plain-text table."""
    lines = [
        f"split {m['split']} ({m['pii_comments']} comments with {m['planted_details']} details, "
        f"{m['clean_comments']} clean), {'patterns + NER' if m['use_ner'] else 'patterns only'}:\n"
        f"recall {m['recall']}  precision {m['precision']}   clean words changed "
        f"{m['clean_words_changed']}/{m['clean_words']} = {m['clean_words_changed_rate']}",
        f"{'type':<12}{'gold':>6}{'found':>7}{'recall':>8}{'typed':>7}{'pred':>6}"
        f"{'prec':>7}{'typed':>7}",
    ]
    for t, v in m["per_type"].items():
        def f(x: float | None) -> str:
            return "-" if x is None else f"{x:.3f}"
        lines.append(
            f"{t:<12}{v['gold']:>6}{v['found']:>7}{f(v['recall']):>8}{f(v['recall_typed']):>7}"
            f"{v['predicted']:>6}{f(v['precision']):>7}{f(v['precision_typed']):>7}"
        )
    lines.append(f"PERSON recall by name source: {m['person_recall_by_subtype']}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    modes = [False] if "--no-ner" in argv else [False, True]
    splits = [a.split("=", 1)[1] for a in argv if a.startswith("--split=")] or [
        "dev", "holdout", "blind", "all"]
    result: dict[str, Any] = {}
    for split in splits:
        for use_ner in modes:
            m = score(use_ner, split)
            print(table(m))
            if "-v" in argv:
                for miss in m["misses"]:
                    print("  MISS", miss)
                for fp in m["false_positives"]:
                    print("  FP  ", fp)
            result[f"{split}/{'with_ner' if use_ner else 'patterns_only'}"] = m
    if len(modes) == 2 and len(splits) == 4:
        (HERE / "metrics.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
