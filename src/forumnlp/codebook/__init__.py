"""Codebooks as data: the model, loading and validation, REFI-QDA exchange.

File format (YAML, loaded with a safe loader only)::

    name: child_protection            # required text
    version: "1.0.0"                  # required text (quote numbers)
    description: ...                  # optional
    language: en                      # optional, default en
    metadata: {...}                   # optional free-form mapping
    groups:                           # required, non-empty
      - id: frame                     # letters, digits, _ -, parts joined by "."
        label: Frame                  # optional (defaults to the id)
        cardinality: one              # one: at most one code per unit; many (default): any number
        description: ...
    codes:                            # required, non-empty, file order = codebook order
      - id: practice.training
        group: practice               # must name a group
        label: Training               # required, non-empty
        definition: ...               # required, non-empty
        use_when: ...                 # optional
        do_not_use_when: ...          # optional
        examples: [...]               # optional texts
        counter_examples: [...]       # optional texts
        patterns: [...]               # cues that suggest the code
        negative_patterns: [...]      # cues that veto it
    frame_rules: [...]                # optional: frame grammar rules of the rule tagger

Pattern forms (exactly one per pattern; a fast matcher needs only a tokenizer and lemmas):

- ``phrase: "joint visits"``: a word sequence matched case-insensitively on the tokens' lower
  case form (LOWER); the phrase is tokenized by the matcher's own tokenizer, so
  ``multi-agency`` works as written.
- ``lemma: "chronology"``: one or more words in base form, each matched on the token's lemma,
  so any inflection matches ("chronologies").
- ``tokens: [{LOWER: not}, {LOWER: brought}]``: a spaCy Matcher token pattern restricted to
  lexical attributes: ORTH/TEXT (case-sensitive), LOWER, NORM, LEMMA (string or
  ``{IN: [...]}``, ``{NOT_IN: [...]}``, ``{REGEX: "..."}``), IS_ALPHA, IS_DIGIT, IS_PUNCT,
  IS_UPPER, IS_TITLE, IS_LOWER, LIKE_NUM, IS_SENT_START (true/false), LENGTH (int or
  comparison mapping), and OP (``! ? + *`` or ``{n}``, ``{n,m}``, ``{n,}``, ``{,m}``).
- ``regex: "\\bchrono\\w*\\b"``: a Python regular expression searched in the unit text with
  ``re.IGNORECASE`` (spans are character offsets of the match).

Optional keys of a pattern: ``id`` (rule name in evidence; default ``code/kind:value``),
``weight`` (0 < w <= 1, default 1), ``note``, and for negative patterns ``scope``: ``match``
(default: veto only the positive matches the negative match overlaps) or ``unit`` (veto the
code in the whole unit).

A frame rule is a mapping with ``id`` (unique), ``frame`` (a code of the ``one`` group) and
exactly one pattern form; other keys are free-form. Extra checks can be added with
:func:`register_section_validator`.
"""

from __future__ import annotations

from forumnlp.codebook.load import (
    DEFAULT_CODEBOOK,
    codebook_from_dict,
    default_codebook_path,
    dump_yaml,
    load_codebook,
)
from forumnlp.codebook.model import Code, Codebook, Group, Pattern, render_pattern_value
from forumnlp.codebook.qdc import QDC_NAMESPACE, export_qdc, import_qdc, read_qdc, to_qdc
from forumnlp.codebook.table import codebook_table, export_codebook
from forumnlp.codebook.validate import (
    CodebookIssue,
    register_section_validator,
    validate_codebook,
)

__all__ = [
    "DEFAULT_CODEBOOK",
    "QDC_NAMESPACE",
    "Code",
    "Codebook",
    "CodebookIssue",
    "Group",
    "Pattern",
    "codebook_from_dict",
    "codebook_table",
    "default_codebook_path",
    "dump_yaml",
    "export_codebook",
    "export_qdc",
    "import_qdc",
    "load_codebook",
    "read_qdc",
    "register_section_validator",
    "render_pattern_value",
    "to_qdc",
    "validate_codebook",
]
