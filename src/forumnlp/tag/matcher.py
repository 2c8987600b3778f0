"""A fast pattern matcher for codebook cues: one token trie plus a few regular expressions.

Every phrase, lemma and token pattern is compiled once into a single trie over normalised
tokens (see :mod:`forumnlp.tag.lexicon`); matching a unit walks the trie from each token, so
the cost grows with the unit's length, not with the number of patterns. Lemmas are expanded
to their inflected forms at compile time. Token constraints that are not plain word sets
(``REGEX``, ``NOT_IN``, ``IS_UPPER``, ``LENGTH``...) become predicate edges, and repetition
operators (``+ *`` and ``{n,m}``) are unrolled up to :data:`MAX_REPEAT` tokens. ``regex``
patterns are searched in the lower-cased unit text. All spans are character offsets into the
unit text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from forumnlp.errors import ModelError
from forumnlp.tag.lexicon import Tokens, tokenize
from forumnlp.tag.slots import MAX_REPEAT, Match, Pred, Slot, Span, Spec, compile_slots

__all__ = ["MAX_REPEAT", "Match", "Matcher", "Span", "Spec", "required_substrings"]

#: Largest trie a single pattern may add (guards against combinatorial token patterns).
MAX_NODES_PER_PATTERN = 200_000
#: Literal sets after the first token larger than this become set-membership edges.
_SET_EDGE_MIN = 33

# A trie node is a list [kids, outs, preds, guards]: kids maps a token norm to a child node;
# outs lists the rules that end here; preds are predicate edges [(key, pred, child)];
# guards [(key, pred, child)] test the token that led to this node (case, length ...).
_KIDS, _OUT, _PRED, _GUARD = range(4)


def _node() -> list[Any]:
    return [{}, None, None, None]


def _follow(edges: list[tuple[str, Pred, list[Any]]], toks: Tokens, j: int, out: list[list[Any]]) -> None:
    """Append to ``out`` the children of the predicate/guard ``edges`` that token ``j`` passes."""
    for _key, pred, child in edges:
        if pred(toks, j):
            out.append(child)


def _edge(node: list[Any], slot: int, key: str, pred: Pred) -> tuple[list[Any], int]:
    """Return the child of ``node`` along the predicate/guard edge ``key`` (created if new)."""
    edges = node[slot]
    if edges is None:
        edges = node[slot] = []
    for k, _p, child in edges:
        if k == key:
            return child, 0
    child = _node()
    edges.append((key, pred, child))
    return child, 1


def required_substrings(pattern: str) -> tuple[str, ...] | None:
    """Return strings of which one must occur (lower-cased) for ``pattern`` to match, or None.

    Used to skip regexes cheaply: ``\\bm(?:ul|lu)ti[- ]?agenc`` needs "agenc".
    """
    try:
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern, re.IGNORECASE)
    except Exception:  # an unusual pattern is simply always run
        return None
    best: tuple[str, ...] | None = None

    def runs(items: Any) -> list[str]:
        out, cur = [], ""
        for op, av in items:
            if op is _parser.LITERAL:
                cur += chr(av).lower()
            else:
                if cur:
                    out.append(cur)
                cur = ""
        if cur:
            out.append(cur)
        return out

    top = runs(tree)
    if top:
        best = (max(top, key=len),)
    for op, av in tree:
        branch = None
        if op is _parser.BRANCH:
            branch = av[1]
        elif op is _parser.SUBPATTERN and len(av[-1]) == 1 and av[-1][0][0] is _parser.BRANCH:
            branch = av[-1][0][1][1]
        if branch:
            alts = [runs(alt) for alt in branch]
            if all(alts):
                cand = tuple(max(a, key=len) for a in alts)
                if best is None or min(map(len, cand)) > len(best[0]):
                    best = cand
    if best is not None and min(map(len, best)) < 2:
        return None
    return best
class Matcher:
    """Match many patterns at once; report every match's rule and character spans.

    Parameters
    ----------
    specs : sequence of Spec
        The patterns; a match reports the index of its pattern in this sequence.

    Examples
    --------
    >>> m = Matcher([Spec("phrase", "joint visits"), Spec("lemma", "chronology")])
    >>> [(r, s, e) for r, s, e, _ in m.match("Chronologies and joint visits")]
    [(1, 0, 12), (0, 17, 29)]
    """

    def __init__(self, specs: Sequence[Spec]) -> None:
        from forumnlp.codebook.patterns import compile_regex

        self.specs = tuple(specs)
        self._root: list[Any] = _node()
        self._ss_root: list[Any] = _node()
        self._regexes: list[tuple[int, re.Pattern[str], tuple[str, ...] | None]] = []
        self.n_nodes = 0
        for idx, spec in enumerate(self.specs):
            if spec.kind == "regex":
                try:
                    self._regexes.append((idx, compile_regex(str(spec.value)), required_substrings(str(spec.value))))
                except re.error as exc:
                    raise ModelError(f"regex {spec.value!r} cannot be compiled: {exc}") from exc
                continue
            slots, anchor = compile_slots(spec)
            self._insert(self._ss_root if anchor else self._root, slots, idx, spec)

    def _insert(self, root: list[Any], slots: list[Slot], idx: int, spec: Spec) -> None:
        frontier = [root]
        added = 0
        for slot in slots:
            guard = slot.guard
            ends: list[list[Any]] = []
            level = frontier
            for rep in range(slot.hi + 1):
                if rep >= slot.lo:
                    ends.extend(level)
                if rep == slot.hi:
                    break
                nxt: list[list[Any]] = []
                for node in level:
                    lits, pred, key = slot.lits, slot.pred, slot.key
                    if (lits is not None and guard is None and node is not root and len(lits) >= _SET_EDGE_MIN
                            and all(len(x) == 1 for x in lits)):
                        # a big word set inside a pattern: one membership test, not many nodes
                        singles = frozenset(x[0] for x in lits)
                        pred = lambda t, j, s=singles: t.norms[j] in s  # noqa: E731
                        key = "set:" + repr(sorted(singles))
                        lits = None
                    if lits is not None:
                        for seq in lits:
                            cur = node
                            for word in seq:
                                child = cur[_KIDS].get(word)
                                if child is None:
                                    child = cur[_KIDS][word] = _node()
                                    added += 1
                                cur = child
                            if guard is not None:
                                cur, new = _edge(cur, _GUARD, slot.key, guard)
                                added += new
                            nxt.append(cur)
                    else:
                        found, new = _edge(node, _PRED, key, pred)  # type: ignore[arg-type]
                        added += new
                        nxt.append(found)
                if added > MAX_NODES_PER_PATTERN:
                    raise ModelError(f"pattern {spec.value!r} is too combinatorial to compile")
                level = list({id(n): n for n in nxt}.values())
            frontier = list({id(n): n for n in ends}.values())
        for node in frontier:
            if node is root:
                raise ModelError(f"pattern {spec.value!r} can match an empty span")
            if node[_OUT] is None:
                node[_OUT] = []
            node[_OUT].append(idx)
        self.n_nodes += added

    def match(self, text: str) -> list[Match]:
        """Return every match in ``text``, per rule without overlaps (longest first).

        Parameters
        ----------
        text : str
            A unit's text.

        Returns
        -------
        list of (rule index, start, end, spans)
            Sorted by start offset, then rule index.
        """
        toks = tokenize(text)
        return self.match_tokens(toks)

    def match_tokens(self, toks: Tokens) -> list[Match]:
        """Like :meth:`match` for text already tokenized with :func:`tokenize`."""
        norms = toks.norms
        n = len(norms)
        ss = toks.sent_starts
        root_kids, root_preds = self._root[_KIDS], self._root[_PRED]
        ss_kids, ss_preds = self._ss_root[_KIDS], self._ss_root[_PRED]
        hits: list[tuple[int, int, int]] = []
        for i in range(n):
            t = norms[i]
            c = root_kids.get(t)
            at_ss = ss[i]
            if c is None and root_preds is None and not at_ss:
                continue
            frontier = []
            if c is not None:
                frontier.append(c)
                if c[_GUARD] is not None:
                    _follow(c[_GUARD], toks, i, frontier)
            if root_preds is not None:
                _follow(root_preds, toks, i, frontier)
            if at_ss:
                c = ss_kids.get(t)
                if c is not None:
                    frontier.append(c)
                    if c[_GUARD] is not None:
                        _follow(c[_GUARD], toks, i, frontier)
                if ss_preds is not None:
                    _follow(ss_preds, toks, i, frontier)
            j = i + 1
            while frontier:
                more = j < n
                t = norms[j] if more else ""
                nxt = []
                for node in frontier:
                    outs = node[_OUT]
                    if outs is not None:
                        for r in outs:
                            hits.append((r, i, j))
                    if more:
                        c = node[_KIDS].get(t)
                        if c is not None:
                            nxt.append(c)
                            if c[_GUARD] is not None:
                                _follow(c[_GUARD], toks, j, nxt)
                        if node[_PRED] is not None:
                            _follow(node[_PRED], toks, j, nxt)
                frontier = nxt
                j += 1
        out: list[Match] = []
        if hits:
            starts, ends = toks.starts, toks.ends
            if len(hits) > 1:
                hits.sort(key=lambda h: (h[0], h[1], -h[2]))
            last_rule, last_end = -1, -1
            low = toks.lower
            for r, i, j in hits:
                s, e = starts[i], ends[j - 1]
                if i and norms[i] == "not" and starts[i] == ends[i - 1] and low[s] == "n":
                    s = starts[i - 1]  # a match from "n't" shows its host word: "Don't stop"
                if r == last_rule and s < last_end:
                    continue  # overlaps a longer or earlier match of the same rule
                last_rule, last_end = r, e
                out.append((r, s, e, ((s, e),)))
        low = toks.lower
        for r, rx, needs in self._regexes:
            if needs is not None:
                for x in needs:
                    if x in low:
                        break
                else:
                    continue
            for m in rx.finditer(low):
                if m.end() <= m.start():
                    continue
                groups = [m.span(g) for g in (rx.groupindex or ()) if m.start(g) >= 0 and m.end(g) > m.start(g)]
                out.append((r, m.start(), m.end(), tuple(sorted(groups)) or ((m.start(), m.end()),)))
        if len(out) > 1:
            out.sort(key=lambda m: (m[1], m[0]))
        return out
