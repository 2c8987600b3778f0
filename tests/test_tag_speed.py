"""Throughput of the rule tagger (slow; run with ``pytest --runslow -s`` to see the rates).

100,000 unique short comments (about 15 words) are built from practitioner phrases; rates are
CPU time of this process on one core, so other load on the machine matters less.
"""

from __future__ import annotations

import random
import time

import pandas as pd
import pytest

from forumnlp.tag import annotator_for, tag
from forumnlp.tag.matcher import Matcher

PHRASES = [
    "we need more joint training with health visitors", "don't stop the MAGs", "the venue was too cold",
    "closing cases when families miss appointments", "information sharing with police has improved",
    "adult mental health staff should come to case conferences", "keep the monthly TAC meetings",
    "mum's drinking was missed for months", "chronologies are not always up to date",
    "very informative session, thank you", "I will challenge parents more", "too much paperwork",
    "the child's views were not recorded", "named person in school works well",
]


def comments(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(PHRASES)} and {rng.choice(PHRASES)} r{i}" for i in range(n)]


def rate(f, n: int) -> float:
    t = time.process_time()
    f()
    return n / max(time.process_time() - t, 1e-9)


@pytest.mark.slow
def test_rule_tagging_throughput() -> None:
    texts = comments(100_000)
    annot = annotator_for()
    themes_only = Matcher([s for s, r in zip(annot.matcher.specs, annot.rules, strict=True) if r.kind in (0, 1)])
    r_themes = rate(lambda: [themes_only.match(t) for t in texts], len(texts))
    r_annot = rate(lambda: annot.annotate(texts), len(texts))
    df = pd.DataFrame({"text": texts})
    r_tag = rate(lambda: tag(df), len(texts))
    print(f"\ntheme patterns: {r_themes:,.0f} units/s; annotate: {r_annot:,.0f}/s; tag(): {r_tag:,.0f}/s")
    assert r_themes > 10_000 and r_tag > 3_000  # loose floors: a shared CI machine is slower
