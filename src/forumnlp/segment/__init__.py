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


class _CallableModule(__import__("types").ModuleType):
    """``forumnlp.segment`` stays callable after ``import forumnlp.segment`` (the module is the function)."""

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return segment(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
