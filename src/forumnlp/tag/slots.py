"""Compiling codebook token patterns into trie slots for :mod:`forumnlp.tag.matcher`.

A pattern (phrase, lemma or spaCy-style token dicts) becomes a list of slots. A slot is a set
of literal token sequences (looked up in the trie by norm), optionally guarded by a test of
the same token (case, length...), or a predicate edge (``REGEX``, ``NOT_IN`` on lemmas, flags,
``{}``), with a repetition range from ``OP``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forumnlp.errors import ModelError
from forumnlp.tag.lexicon import Tokens, inflections, lemma_candidates, norm_value, tokenize

#: How many tokens an unbounded operator (``+``, ``*``, ``{n,}``) can match.
MAX_REPEAT = 6
_MAX_EXPLICIT = 20

_QUANT = re.compile(r"^\{(\d*)(,?)(\d*)\}$")

Span = tuple[int, int]
#: (rule index, start, end, spans): a match of one rule, character offsets in the unit text.
Match = tuple[int, int, int, tuple[Span, ...]]
Pred = Callable[[Tokens, int], bool]


@dataclass(frozen=True)
class Spec:
    """A pattern to compile.

    Attributes
    ----------
    kind : {"phrase", "lemma", "tokens", "regex"}
        The pattern form, as in a codebook.
    value : str or sequence of dict
        The phrase, lemma words, regex, or spaCy-style token dicts.
    anchor : bool
        The match must begin a sentence (phrase, lemma and token patterns).
    """

    kind: str
    value: Any
    anchor: bool = False


@dataclass
class Slot:
    lits: frozenset[tuple[str, ...]] | None  # literal alternatives (token sequences)
    pred: Pred | None
    key: str  # identity of the predicate, to share trie edges
    lo: int = 1
    hi: int = 1
    guard: Pred | None = None  # extra test of a literal token (case, length...)


def ops(op: Any) -> tuple[int, int]:
    if op is None:
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, MAX_REPEAT
    if op == "+":
        return 1, MAX_REPEAT
    m = _QUANT.match(str(op))
    if not m:
        raise ModelError(f"unknown token operator {op!r}")
    lo_s, comma, hi_s = m.groups()
    lo = int(lo_s) if lo_s else 0
    hi = int(hi_s) if hi_s else (max(MAX_REPEAT, lo) if comma else lo)
    return lo, min(max(hi, lo), _MAX_EXPLICIT)


def _string_set(
    attr: str, value: Any
) -> tuple[frozenset[tuple[str, ...]] | None, frozenset[str], list[Pred]]:
    """Literal alternatives, banned norms and extra predicates for one string attribute."""
    preds: list[Pred] = []
    none: frozenset[str] = frozenset()
    if attr in ("ORTH", "TEXT"):  # case-sensitive: index by the norm, test the surface form
        vals = {"IN": [value]} if isinstance(value, str) else value
        index: frozenset[tuple[str, ...]] | None = None
        if "IN" in vals:
            preds.append(lambda t, j, s=frozenset(vals["IN"]): t.surface(j) in s)
            normed = [norm_value(str(v)) for v in vals["IN"]]
            index = frozenset((v,) for v in normed if isinstance(v, str))
        if "NOT_IN" in vals:
            preds.append(lambda t, j, s=frozenset(vals["NOT_IN"]): t.surface(j) not in s)
        if "REGEX" in vals:
            preds.append(lambda t, j, r=re.compile(vals["REGEX"]): r.search(t.surface(j)) is not None)
        return index, none, preds
    lemma = attr == "LEMMA"

    def lits(words: Sequence[str]) -> frozenset[tuple[str, ...]]:
        out: set[tuple[str, ...]] = set()
        for w in words:
            if lemma:
                out.update((f,) for f in inflections(str(w).lower()))
            else:
                v = norm_value(str(w))
                out.add(v if isinstance(v, tuple) else (v,))
        return frozenset(out)

    if isinstance(value, str):
        return lits([value]), none, preds
    lit: frozenset[tuple[str, ...]] | None = lits(value["IN"]) if "IN" in value else None
    banned = none
    if "NOT_IN" in value:
        if lemma:
            bl = frozenset(value["NOT_IN"])
            preds.append(lambda t, j, b=bl: not (lemma_candidates(t.norms[j]) & b))
        else:  # resolved at compile time when the slot has a literal set
            banned = frozenset(x[0] for x in lits(value["NOT_IN"]) if len(x) == 1)
    if "REGEX" in value:
        rx = re.compile(value["REGEX"])
        if lemma:
            preds.append(lambda t, j, r=rx: any(r.search(x) for x in lemma_candidates(t.norms[j])))
        else:
            preds.append(lambda t, j, r=rx: r.search(t.norms[j]) is not None)
    return lit, banned, preds


def _length_pred(value: Any) -> Pred:
    if isinstance(value, int):
        return lambda t, j, v=value: len(t.surface(j)) == v
    ops = {"==": int.__eq__, "!=": int.__ne__, ">=": int.__ge__, "<=": int.__le__,
           ">": int.__gt__, "<": int.__lt__}
    tests = [(ops[k], int(v)) for k, v in value.items()]
    return lambda t, j, ts=tests: all(f(len(t.surface(j)), v) for f, v in ts)


_FLAGS: dict[str, Callable[[Tokens, int], bool]] = {
    "IS_ALPHA": lambda t, j: t.surface(j).isalpha(),
    "IS_DIGIT": lambda t, j: t.surface(j).isdigit(),
    "IS_PUNCT": lambda t, j: not any(c.isalnum() for c in t.surface(j)),
    "IS_UPPER": lambda t, j: t.surface(j).isupper(),
    "IS_TITLE": lambda t, j: t.surface(j).istitle(),
    "IS_LOWER": lambda t, j: t.surface(j).islower(),
    "LIKE_NUM": lambda t, j: t.norms[j].replace(",", "").replace(".", "").isdigit() or t.norms[j] in _NUM_WORDS,
    "IS_SENT_START": lambda t, j: t.sent_starts[j],
}
_NUM_WORDS = frozenset(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "first", "second", "third"])


def _slot(tok: Mapping[str, Any], first: bool) -> tuple[Slot, bool]:
    """Compile one token dict; return the slot and whether it anchors a sentence start."""
    lit: frozenset[tuple[str, ...]] | None = None
    preds: list[Pred] = []
    banned: set[str] = set()
    anchor = False
    for attr, value in tok.items():
        if attr == "OP":
            continue
        if attr in ("ORTH", "TEXT", "LOWER", "NORM", "LEMMA"):
            s, b, p = _string_set(attr, value)
            preds.extend(p)
            banned |= b
            if s is not None:
                lit = s if lit is None else frozenset(x for x in lit if x in s)
        elif attr == "LENGTH":
            preds.append(_length_pred(value))
        elif attr in _FLAGS:
            if attr == "IS_SENT_START" and first and value is True and tok.get("OP") is None:
                anchor = True
                continue
            f = _FLAGS[attr]
            preds.append(f if value else (lambda t, j, f=f: not f(t, j)))
        else:
            raise ModelError(f"unsupported token attribute {attr!r} in {dict(tok)!r}")
    if banned:
        if lit is not None:
            lit = frozenset(x for x in lit if x[0] not in banned)
        else:
            preds.append(lambda t, j, b=frozenset(banned): t.norms[j] not in b)
    lo, hi = (1, 1) if tok.get("OP") == "!" else ops(tok.get("OP"))
    negate = tok.get("OP") == "!"
    key = repr(sorted((k, repr(v)) for k, v in tok.items() if k != "OP")) + ("!" if negate else "")
    if lit is not None and preds and not negate and hi == 1:
        ps = tuple(preds)
        guard: Pred = (lambda t, j, ps=ps: all(p(t, j) for p in ps)) if len(ps) > 1 else ps[0]
        singles_only = frozenset(x for x in lit if len(x) == 1)
        return Slot(singles_only, None, key, lo, hi, guard), anchor
    if lit is not None and (preds or negate or hi > 1):
        singles = frozenset(x[0] for x in lit if len(x) == 1)
        preds.insert(0, lambda t, j, s=singles: t.norms[j] in s)
        lit = None
    if lit is None:
        if preds:
            ps = tuple(preds)
            pred: Pred = (lambda t, j, ps=ps: all(p(t, j) for p in ps)) if len(ps) > 1 else ps[0]
        else:
            pred = lambda t, j: True  # noqa: E731 - {} matches any token
        if negate:
            pred = lambda t, j, p=pred: not p(t, j)  # noqa: E731
        return Slot(None, pred, key, lo, hi), anchor
    return Slot(lit, None, key, lo, hi), anchor


def _literal_slots(words: Sequence[str]) -> list[Slot]:
    return [Slot(frozenset({(w,)}), None, "") for w in words]


def compile_slots(spec: Spec) -> tuple[list[Slot], bool]:
    if spec.kind == "phrase":
        norms = tokenize(str(spec.value)).norms
        if not norms:
            raise ModelError(f"phrase {spec.value!r} has no words")
        return _literal_slots(norms), spec.anchor
    if spec.kind == "lemma":
        norms = tokenize(str(spec.value)).norms
        if not norms:
            raise ModelError(f"lemma {spec.value!r} has no words")
        return [Slot(frozenset((f,) for f in inflections(n)), None, "") for n in norms], spec.anchor
    if spec.kind == "tokens":
        slots = []
        anchor = spec.anchor
        for i, tok in enumerate(spec.value):
            slot, anc = _slot(tok, first=i == 0)
            anchor = anchor or anc
            slots.append(slot)
        return slots, anchor
    raise ModelError(f"unknown pattern kind {spec.kind!r}")
