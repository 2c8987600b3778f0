"""Benchmark ``key_messages`` on realistic synthetic forum comments.

Comments are drawn from the planted corpus (tests/data/planted) and varied: lead-ins
("Our table felt that..."), endings, abbreviations (health visitors/HVs, child protection/CP),
case and punctuation; one-off comments are made by recombining fragments. Each comment keeps
its planted message, so recovery can be measured at every size.

Usage::

    python benchmarks/bench_messages.py [--sizes 1000 10000 100000] [--embedding auto]
        [--method auto] [--recovery]

Prints one row per size: wall time (after a warm-up run that pays the one-off numba
compilation, reported separately), units/s, peak RSS, messages found and, with
``--recovery``, the mean and minimum best-match F1 of the 8 planted messages.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data" / "planted"))

import make_planted  # noqa: E402

LEADS = ["", "", "", "We felt that ", "Our table agreed: ", "I think ", "Really important - ",
         "Group 3: ", "From a health perspective, ", "Agreed by all: ", "Practitioners said ",
         "Key point: ", "In our area, ", "For us, "]
ENDS = ["", "", "", " across the area", " for all agencies", " please", " in every case",
        " as a priority", " (agreed by the whole table)", " - this came up a lot"]
SWAPS = [("health visitors", "HVs"), ("child protection", "CP"), ("multi-agency", "interagency"),
         ("case conferences", "CP conferences"), ("chronologies", "chronology work"),
         ("police", "Police Scotland"), ("GPs", "GP practices"), ("families", "parents")]
FRAGMENTS = ["housing", "transport to appointments", "the new IT system", "school holidays",
             "interpreters", "foster carers", "budget cuts", "young carers", "the out-of-hours team",
             "online safety", "kinship carers", "dental care", "exploitation of teenagers",
             "parental consent", "home schooling", "fathers", "private fostering", "waiting lists"]
VERBS = ["We need better", "There should be clearer guidance on", "Problems with",
         "More support around", "Stop ignoring", "Keep the focus on", "Concerns about"]


def _vary(text: str, rng: random.Random) -> str:
    for a, b in SWAPS:
        if a in text and rng.random() < 0.4:
            text = text.replace(a, b)
    text = text.rstrip(".")
    lead = rng.choice(LEADS)
    if lead and text[:1].isupper() and not text.split(" ", 1)[0].isupper():
        text = text[0].lower() + text[1:]
    out = lead + text + rng.choice(ENDS)
    return out + ("." if rng.random() < 0.7 else "")


def synthetic_units(n: int, seed: int = 0) -> pd.DataFrame:
    """A tagged units table of ``n`` synthetic comments with planted membership.

    Parameters
    ----------
    n : int
        Number of units.
    seed : int, default 0
        Random seed.

    Returns
    -------
    pandas.DataFrame
        ``unit_id``, ``text``, ``frame``, ``themes``, ``session``, ``agency``,
        ``gold_message``.
    """
    rng = random.Random(seed)
    pool: list[tuple[str, str, str, str]] = []  # text, frame, themes, gold
    weights: list[float] = []
    for pid, (_name, themes, _s, _a, items) in make_planted.PLANTED.items():
        for text, frame in items:
            pool.append((text, frame, themes, pid))
            weights.append(1.0)
    for name, (themes, items) in make_planted.MINOR.items():
        for text, frame in items:
            pool.append((text, frame, themes, f"minor.{name}"))
            weights.append(0.6)
    for text in make_planted.FEEDBACK:
        pool.append((text, "none", "", "feedback"))
        weights.append(0.5)
    n_sessions = max(6, n // 60)
    sessions = [f"S{i + 1:03d}" for i in range(n_sessions)]
    agencies = [*list(make_planted.AGENCIES), "Housing", "Justice", "Voluntary", "Education 2"]
    rows = []
    picks = rng.choices(range(len(pool)), weights=weights, k=n)
    for i, k in enumerate(picks):
        if rng.random() < 0.12:  # one-off
            text = f"{rng.choice(VERBS)} {rng.choice(FRAGMENTS)} and {rng.choice(FRAGMENTS)}."
            frame, themes, gold = "start", "", ""
        else:
            base, frame, themes, gold = pool[k]
            text = _vary(base, rng) if frame != "none" else base
        rows.append({"unit_id": f"bench:{i + 1}#1", "text": text, "frame": frame,
                     "themes": themes, "session": rng.choice(sessions),
                     "agency": rng.choice(agencies), "gold_message": gold})
    return pd.DataFrame(rows)


def recovery(units: pd.DataFrame) -> tuple[float, float]:
    """Mean and minimum best-match F1 of the 8 planted messages."""
    f1s = []
    msg = units["message_id"].to_numpy()
    for pid in make_planted.PLANTED:
        g = units["gold_message"].eq(pid).to_numpy()
        best = 0.0
        for mid in set(msg[g]) - {""}:
            m = msg == mid
            tp = int((g & m).sum())
            best = max(best, 2 * tp / (g.sum() + m.sum()))
        f1s.append(best)
    return float(np.mean(f1s)), float(np.min(f1s))


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description="Benchmark forumnlp key_messages.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--embedding", default="auto")
    parser.add_argument("--method", default="auto",
                        help="auto | agglomerative | sampled | bertopic")
    parser.add_argument("--recovery", action="store_true")
    args = parser.parse_args()

    from forumnlp.messages import key_messages

    t0 = time.perf_counter()
    warm = synthetic_units(400, seed=99)
    key_messages(warm, by=["session"], embedding="static", method=args.method)
    print(f"warm-up (imports, model loading, numba compilation for BERTopic; 400 units): "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    print(f"{'units':>8} {'backend':>7} {'method':>13} {'wall s':>7} {'units/s':>8} "
          f"{'peak RSS MB':>11} {'messages':>8} {'F1 mean':>7} {'F1 min':>6}", flush=True)
    for n in args.sizes:
        units = synthetic_units(n, seed=n)
        t = time.perf_counter()
        km = key_messages(units, by=["session", "agency"], embedding=args.embedding,
                          method=args.method)
        wall = time.perf_counter() - t
        mean, low = recovery(km.units) if args.recovery else (float("nan"), float("nan"))
        print(f"{n:>8} {km.config['backend']:>7} {km.config['method']:>13} {wall:>7.1f} "
              f"{n / wall:>8.0f} {_peak_rss_mb():>11.0f} {len(km.messages):>8} {mean:>7.2f} "
              f"{low:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
