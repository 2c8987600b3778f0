"""forumnlp: qualitative analysis of practitioner comments.

The public API, one function per stage of the data flow (each takes and returns pandas
DataFrames)::

    import forumnlp as fn
    records = fn.read("corpora/sample")          # ingest
    units = fn.segment(records)                   # units with offsets and headings
    units = fn.redact(units)                      # personal details removed
    tagged = fn.tag(units)                        # frames, themes, scores, evidence
    km = fn.key_messages(tagged, by=["session"])  # recurring key messages
    fn.report(tagged, "report.html", messages=km)

Attributes are imported lazily, so ``import forumnlp`` is fast and loads no model.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY: dict[str, tuple[str, str]] = {
    "read": ("forumnlp.ingest", "read"),
    "iter_read": ("forumnlp.ingest", "iter_read"),
    "segment": ("forumnlp.segment", "segment"),
    "iter_segment": ("forumnlp.segment", "iter_segment"),
    "redact": ("forumnlp.redact", "redact"),
    "Redactor": ("forumnlp.redact", "Redactor"),
    "tag": ("forumnlp.tag", "tag"),
    "RuleTagger": ("forumnlp.tag.rules", "RuleTagger"),
    "ForumModel": ("forumnlp.tag.persist", "ForumModel"),
    "FrameClassifier": ("forumnlp.tag.model", "FrameClassifier"),
    "ThemeClassifier": ("forumnlp.tag.model", "ThemeClassifier"),
    "key_messages": ("forumnlp.messages", "key_messages"),
    "KeyMessages": ("forumnlp.messages", "KeyMessages"),
    "report": ("forumnlp.report", "report"),
    "load_codebook": ("forumnlp.codebook", "load_codebook"),
    "validate_codebook": ("forumnlp.codebook", "validate_codebook"),
    "train": ("forumnlp.train", "train"),
    "load_labelled": ("forumnlp.train", "load_labelled"),
    "evaluate_systems": ("forumnlp.scoring", "evaluate_systems"),
    "agreement": ("forumnlp.evaluate", "agreement"),
    "write_table": ("forumnlp.io", "write_table"),
    "read_table": ("forumnlp.io", "read_table"),
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'forumnlp' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
