"""Benchmark the redactor on short practitioner comments.

The comments come from the redaction test set (tests/data/redaction: comments with planted
personal details and comments without), varied with lead-ins and endings so that texts
repeat less, and cycled up to the requested size.

Usage::

    python benchmarks/bench_redact.py [--n 10000] [--modes patterns ner] [--json OUT]

Prints one row per mode: the one-off set-up time (spaCy model load for NER), wall time,
units/s, words/s and the number of details redacted. Also times one 1 MB text.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "redaction"
LEADS = ["", "", "", "Our table said: ", "I think ", "Key point - ", "From health: ", "Agreed: "]
ENDS = ["", "", "", " (agreed by all)", " - came up a lot", " please!", " in every case"]


def comments(n: int, seed: int = 0) -> list[str]:
    """Return ``n`` short comments drawn from the test set."""
    rows: list[str] = []
    for name in ("pii.jsonl", "clean.jsonl", "holdout_pii.jsonl", "holdout_clean.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            rows += [json.loads(line)["text"] for line in fh]
    rng = random.Random(seed)
    return [rng.choice(LEADS) + rows[k % len(rows)] + rng.choice(ENDS) for k in range(n)]


def run(mode: str, texts: list[str]) -> dict[str, float | int | str]:
    """Time one mode over ``texts``."""
    from forumnlp.redact import Redactor

    t0 = time.perf_counter()
    redactor = Redactor(use_ner=(mode == "ner"))
    if mode == "ner":
        redactor.redact_text("warm up: load the model")  # the one-off model load
        redactor.reset()
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = redactor.redact_texts(texts)
    wall = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    return {
        "mode": mode,
        "units": len(texts),
        "setup_s": round(setup, 2),
        "wall_s": round(wall, 2),
        "units_per_s": round(len(texts) / wall),
        "words_per_s": round(words / wall),
        "details": sum(sum(r.counts.values()) for r in results),
    }


def one_megabyte(mode: str) -> float:
    """Seconds to redact one 1 MB text made of the comments."""
    from forumnlp.redact import Redactor

    text = "\n".join(comments(8000))
    text = (text * (1_000_000 // len(text) + 1))[:1_000_000]
    redactor = Redactor(use_ner=(mode == "ner"))
    t0 = time.perf_counter()
    redactor.redact_text(text)
    return round(time.perf_counter() - t0, 2)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of comments")
    parser.add_argument("--modes", nargs="+", default=["patterns", "ner"],
                        choices=["patterns", "ner"])
    parser.add_argument("--megabyte", action="store_true", help="also time a 1 MB text")
    parser.add_argument("--json", type=Path, help="write the results as JSON")
    args = parser.parse_args(argv)
    texts = comments(args.n)
    rows = []
    print(f"{'mode':<10}{'units':>8}{'setup s':>9}{'wall s':>9}{'units/s':>9}{'words/s':>9}"
          f"{'details':>9}")
    for mode in args.modes:
        row = run(mode, texts)
        if args.megabyte:
            row["one_megabyte_s"] = one_megabyte(mode)
        rows.append(row)
        print(f"{row['mode']:<10}{row['units']:>8}{row['setup_s']:>9}{row['wall_s']:>9}"
              f"{row['units_per_s']:>9}{row['words_per_s']:>9}{row['details']:>9}"
              + (f"   1 MB text: {row['one_megabyte_s']} s" if args.megabyte else ""))
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
