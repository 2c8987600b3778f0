"""Throughput of the segment stage on synthetic forum comments.

Usage: ``python benchmarks/bench_segment.py [--n 100000] [--spacy]``

Prints units/s for :func:`forumnlp.segment.segment` (``unit="auto"`` and ``"sentence"``) and
words/s for the sentence splitter alone, optionally next to spaCy's blank("en") + sentencizer.
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

from forumnlp.segment import segment, sentence_spans

PHRASES = [
    "Keep having informal chats with colleagues",
    "Multi-agency training",
    "Stop closing cases when families miss appointments.",
    "We need more time for chronologies, e.g. at the MAG.",
    "Dr. Smith and PC Jones shared information promptly",
    "Be more analytical in assessments",
    "Good session. Very useful.",
    "Adult mental health staff should come to case conferences!",
    "Joint visits are now the norm; see para. 4 of the guidance (v2.1).",
    "Children not seen or listened to... warning signs missed",
    "- Joint visits\n- Information sharing\n- Chronologies",
    "KEEP DOING:\n- joint visits\nSTOP DOING:\n- paperwork",
]


def make_records(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` short comments (1-3 phrases each, about 15 words) as a records table."""
    rng = random.Random(seed)
    texts = [" ".join(rng.choices(PHRASES, k=rng.randint(1, 3))) for _ in range(n)]
    return pd.DataFrame(
        {
            "record_id": [f"bench:{i + 1}" for i in range(n)],
            "source": "bench",
            "location": [f"row {i + 2}" for i in range(n)],
            "heading": rng.choices(["KEEP DOING", "Comments", "What went well?", ""], k=n),
            "text": texts,
            "event": rng.choices(["Falkirk", "Stirling"], k=n),
        }
    )


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    """Run the benchmark and print the rates."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--spacy", action="store_true", help="also time spaCy blank + sentencizer")
    args = ap.parse_args()
    records = make_records(args.n)
    texts = records["text"].tolist()
    words = sum(len(t.split()) for t in texts)
    print(f"{args.n} records, {words} words ({words / args.n:.1f} per record)")
    for unit in ("auto", "sentence", "record"):
        units = segment(records, unit=unit)
        secs = _best(lambda unit=unit: segment(records, unit=unit))
        print(
            f"segment unit={unit:8s}: {len(units):7d} units in {secs:.2f} s = "
            f"{len(units) / secs:,.0f} units/s, {words / secs:,.0f} words/s"
        )
    secs = _best(lambda: [sentence_spans(t.strip()) for t in texts])
    print(f"sentence_spans alone: {words / secs:,.0f} words/s")
    if args.spacy:
        import spacy

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        secs = _best(lambda: [[s.text for s in d.sents] for d in nlp.pipe(texts)], repeat=1)
        print(f"spaCy blank + sentencizer: {words / secs:,.0f} words/s")


if __name__ == "__main__":
    main()
