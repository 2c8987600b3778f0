"""The segment stage: records -> units (list items, lines, sentences) with offsets.

``segment(records)`` returns the units table of ``docs/architecture.md``; ``iter_segment``
does the same over a stream of chunks; ``split_units(text)`` is the pure splitter underneath.
"""

from __future__ import annotations

from forumnlp.segment.sentences import sentence_spans
from forumnlp.segment.split import AUTO_MIN_WORDS, UNIT_CHOICES, split_units
from forumnlp.segment.table import iter_segment, segment

__all__ = [
    "AUTO_MIN_WORDS",
    "UNIT_CHOICES",
    "iter_segment",
    "segment",
    "sentence_spans",
    "split_units",
]
