"""Redaction of personal details: names, phone numbers, e-mail and street addresses,
postcodes, dates of birth, ages, NHS / CHI / National Insurance numbers and URLs.

``Redactor`` finds details with patterns (and spaCy NER for names) and replaces them with
typed placeholders, numbered within a run (``[PERSON_1]``) or keyed pseudonyms stable across
runs (``[PERSON_7f3a2c0d]``). ``redact`` applies it to a DataFrame and logs counts per type.
"""

from forumnlp.redact.core import PLACEHOLDER_RE, TYPES, RedactionResult, Redactor, Span
from forumnlp.redact.frame import redact, redact_units, redaction_log

__all__ = [
    "PLACEHOLDER_RE",
    "TYPES",
    "RedactionResult",
    "Redactor",
    "Span",
    "redact",
    "redact_units",
    "redaction_log",
]


class _CallableModule(__import__("types").ModuleType):
    """``forumnlp.redact`` stays callable after ``import forumnlp.redact`` (the module is the function)."""

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return redact(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
