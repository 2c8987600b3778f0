"""The rule annotator: codebook patterns and frame rules compiled into one matcher.

:class:`RuleAnnotator` is the compiled, dependency-light engine behind
:class:`forumnlp.tag.rules.RuleTagger` and :func:`forumnlp.tag.tag` (it does not import
scikit-learn, so ``forumnlp tag`` starts fast).

Themes
    A theme code fires when one of its patterns matches, unless a negative pattern of the
    same code vetoes it (``scope: match`` vetoes the positive matches it overlaps,
    ``scope: unit`` the code in the whole unit). Each pattern has confidence
    ``THEME_CONFIDENCE * weight``; a code's score is the noisy-or of its distinct matching
    patterns, ``1 - prod(1 - c)``.

Frames
    1. Every frame rule that matches is a candidate; rules with ``requires_theme`` count only
       when some theme code fired, rules with ``unless_theme`` only when none did.
    2. Masking: a candidate is dropped when it overlaps a candidate of higher priority
       ("don't stop" masks "stop"; "excellent session" masks "excellent"). Rules marked
       ``mask_only`` ("child in need" masking "need") are then dropped too.
    3. Deciding rules: a rule with ``decides`` that is left wins; so does one with
       ``decides_without_theme`` when no theme fired (event feedback: the unit is about the
       event, not about practice).
    4. Contrast: when a contrast marker ("but", "however", ...) occurs after the unit's
       start, or a sentence opens with a concessive ("Although ...,"), and a non-``none``
       rule is left in the clause after it, only the rules in that clause count.
    5. Winner: any non-``none`` rule beats the ``none`` rules; then priority, then
       confidence, then the earliest match. The frame score is the winner's confidence.
       With no candidate the annotator abstains (frame None).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from forumnlp.tag.frame_rules import FrameRule, FrameRules, coerce_frame_rules
from forumnlp.tag.lexicon import tokenize
from forumnlp.tag.matcher import Match, Matcher, Spec

#: Confidence of a codebook pattern of weight 1.
THEME_CONFIDENCE = 0.8
#: Confidence of a pattern written on a frame code of the codebook (times its weight).
FRAME_CODE_CONFIDENCE = 0.7
#: Priority of those patterns: below the frame grammar, above the weak event cues.
FRAME_CODE_PRIORITY = 30
NONE = "none"

_THEME, _NEG, _FRAME, _MARKER, _OPENER = range(5)


@dataclass
class RuleResult:
    """What the rules say about one unit.

    Attributes
    ----------
    frame : str or None
        The winning frame, None when no frame rule fired (abstain).
    frame_score : float
        The winning rule's confidence (0 when abstaining).
    frame_rule : str or None
        The winning rule's id.
    frame_spans : list of [start, end]
        Where the winning rule matched.
    frame_scores : dict
        Best confidence per frame among the rules left after contrast and masking.
    themes : list of str
        Theme code ids in codebook order.
    theme_scores : dict
        Code id -> score (noisy-or of pattern confidences).
    evidence : dict
        Code id -> list of ``{"rule", "spans", "match"}``: the theme codes' matches and,
        under the frame's id, the matches of the rules that support the winning frame.
    """

    frame: str | None = None
    frame_score: float = 0.0
    frame_rule: str | None = None
    frame_spans: list[list[int]] = field(default_factory=list)
    frame_scores: dict[str, float] = field(default_factory=dict)
    themes: list[str] = field(default_factory=list)
    theme_scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def abstained(self) -> bool:
        """Whether no frame rule fired."""
        return self.frame is None


@dataclass(frozen=True)
class _Rule:
    kind: int
    code: str  # theme code id or frame
    name: str
    confidence: float = 0.0
    priority: int = 0
    unit_scope: bool = False
    requires_theme: bool = False
    unless_theme: bool = False
    decides: bool = False  # decides without a theme
    always: bool = False  # decides even with themes
    mask_only: bool = False  # masks, never decides


def _overlap(a: Match, b: Match) -> bool:
    return a[1] < b[2] and b[1] < a[2]


class RuleAnnotator:
    """Compile a codebook and frame rules once; annotate many texts.

    Parameters
    ----------
    codebook : Codebook
        A loaded codebook (:func:`forumnlp.codebook.load_codebook`).
    frame_rules : FrameRules, path, list of rules or None
        None uses the codebook's ``frame_rules`` if it has any, else the shipped rules.
    min_confidence : float
        Rules (frame rules and theme patterns) below this confidence are not used.
    """

    def __init__(self, codebook: Any, frame_rules: Any = None, min_confidence: float = 0.0) -> None:
        self.codebook = codebook
        from forumnlp.schema import FRAMES

        self.frames: tuple[str, ...] = tuple(c.id for c in codebook.frame_codes) or FRAMES
        self.theme_ids: tuple[str, ...] = tuple(c.id for c in codebook.theme_codes)
        self._theme_pos = {cid: i for i, cid in enumerate(self.theme_ids)}
        self.frame_rules: FrameRules = coerce_frame_rules(frame_rules, codebook=codebook, frames=self.frames)
        self.min_confidence = float(min_confidence)
        specs: list[Spec] = []
        rules: list[_Rule] = []

        def add(spec: Spec, rule: _Rule) -> None:
            if rule.kind in (_THEME, _FRAME) and rule.confidence < self.min_confidence:
                return
            specs.append(spec)
            rules.append(rule)

        for code in codebook.theme_codes:
            for p in code.patterns:
                add(Spec(p.kind, p.value), _Rule(_THEME, code.id, p.name, THEME_CONFIDENCE * p.weight))
            for p in code.negative_patterns:
                add(Spec(p.kind, p.value), _Rule(_NEG, code.id, p.name, unit_scope=p.scope == "unit"))
        for code in codebook.frame_codes:
            for p in code.patterns:
                add(Spec(p.kind, p.value), _Rule(_FRAME, code.id, p.name, FRAME_CODE_CONFIDENCE * p.weight, FRAME_CODE_PRIORITY))
        self.frame_rule_list: tuple[FrameRule, ...] = self.frame_rules.rules
        for r in self.frame_rule_list:
            add(r.spec, _Rule(_FRAME, r.frame, r.id, r.confidence, r.priority,
                              requires_theme=r.requires_theme, unless_theme=r.unless_theme,
                              decides=r.decides_without_theme,
                              always=r.decides, mask_only=r.mask_only))
        for w in self.frame_rules.markers:
            add(Spec("phrase", w), _Rule(_MARKER, "", f"contrast:{w}"))
        for w in self.frame_rules.openers:
            add(Spec("phrase", w, anchor=True), _Rule(_OPENER, "", f"opener:{w}"))
        self.rules: tuple[_Rule, ...] = tuple(rules)
        self._kind: tuple[int, ...] = tuple(r.kind for r in rules)
        self._prio: tuple[int, ...] = tuple(r.priority for r in rules)
        self.matcher = Matcher(specs)

    # -- raw matches -------------------------------------------------------------------------
    def matches(self, text: str) -> list[Match]:
        """Return every raw match in ``text`` (indexes into :attr:`rules`)."""
        return self.matcher.match_tokens(tokenize(text))

    def rule_info(self) -> list[dict[str, Any]]:
        """Describe every compiled rule (for the audit): kind, code, name, confidence, priority."""
        kinds = {_THEME: "theme", _NEG: "negative", _FRAME: "frame", _MARKER: "contrast", _OPENER: "contrast"}
        return [
            {"kind": kinds[r.kind], "code": r.code, "rule": r.name, "confidence": r.confidence,
             "priority": r.priority, "requires_theme": r.requires_theme,
             "pattern": _describe(spec)}
            for r, spec in zip(self.rules, self.matcher.specs, strict=True)
        ]

    # -- annotation --------------------------------------------------------------------------
    def annotate(self, texts: Iterable[str]) -> list[RuleResult]:
        """Annotate many texts (identical texts are computed once).

        Parameters
        ----------
        texts : iterable of str

        Returns
        -------
        list of RuleResult
        """
        cache: dict[str, RuleResult] = {}
        out = []
        for t in texts:
            text = "" if t is None else str(t)
            res = cache.get(text)
            if res is None:
                res = cache[text] = self.annotate_one(text)
            out.append(res)
        return out

    def annotate_one(self, text: str) -> RuleResult:
        """Annotate one text; see the module docstring for how rules combine."""
        res = RuleResult()
        if not text.strip():
            return res
        ms = self.matcher.match_tokens(tokenize(text))
        if not ms:
            return res
        kind = self._kind
        themes: list[Match] = []
        negs: list[Match] = []
        frames: list[Match] = []
        markers: list[Match] = []
        for m in ms:
            k = kind[m[0]]
            if k == _FRAME:
                frames.append(m)
            elif k == _THEME:
                themes.append(m)
            elif k == _NEG:
                negs.append(m)
            else:
                markers.append(m)
        if themes:
            self._themes(text, themes, negs, res)
        if frames:
            self._frame(text, frames, markers, res)
        return res

    def _themes(self, text: str, themes: list[Match], negs: list[Match], res: RuleResult) -> None:
        rules = self.rules
        by_code: dict[str, list[Match]] = {}
        if negs:
            vetoed = {rules[n[0]].code for n in negs if rules[n[0]].unit_scope}
            for m in themes:
                code = rules[m[0]].code
                if code in vetoed or any(rules[n[0]].code == code and _overlap(m, n) for n in negs):
                    continue
                by_code.setdefault(code, []).append(m)
        else:
            for m in themes:
                by_code.setdefault(rules[m[0]].code, []).append(m)
        if not by_code:
            return
        pos = self._theme_pos
        for code in sorted(by_code, key=pos.__getitem__) if len(by_code) > 1 else by_code:
            found = by_code[code]
            if len(found) > 1:
                # one piece of evidence per span: the most confident pattern that matched it
                best: dict[tuple[int, int], Match] = {}
                for m in found:
                    key = (m[1], m[2])
                    if key not in best or rules[m[0]].confidence > rules[best[key][0]].confidence:
                        best[key] = m
                found = sorted(best.values(), key=lambda m: (m[1], m[0]))
            miss = 1.0
            for ridx in {m[0] for m in found}:
                miss *= 1.0 - rules[ridx].confidence
            res.themes.append(code)
            res.theme_scores[code] = round(1.0 - miss, 4)
            res.evidence[code] = [_evidence(text, rules[m[0]].name, m) for m in found]

    def _frame(self, text: str, frames: list[Match], markers: list[Match], res: RuleResult) -> None:
        rules = self.rules
        has_theme = bool(res.themes)
        cands = []
        for m in frames:
            r = rules[m[0]]
            if not (r.unless_theme if has_theme else r.requires_theme):
                cands.append(m)
        if not cands:
            return
        if len(cands) > 1:  # masking by overlapping higher-priority rules
            prio = self._prio
            cands = [m for m in cands
                     if not any(prio[o[0]] > prio[m[0]] and o[1] < m[2] and m[1] < o[2] for o in cands)]
            cands = [m for m in cands if not rules[m[0]].mask_only]
            if not cands:
                return
        elif rules[cands[0][0]].mask_only:
            return
        # deciding rules (event feedback with no practice named) decide for the whole unit
        decider = None
        for m in cands:
            r = rules[m[0]]
            if (r.always or (r.decides and not has_theme)) and (
                    decider is None or (r.priority, r.confidence, -m[1]) > (
                        rules[decider[0]].priority, rules[decider[0]].confidence, -decider[1])):
                decider = m
        live = cands
        if markers and decider is None and len(cands) > 1:
            # contrast: the clause after the last marker (or after an opener's comma) decides
            cut = -1
            for m in markers:
                if self._kind[m[0]] == _MARKER:
                    if m[1] > 0:
                        cut = max(cut, m[1])
                else:
                    comma = text.find(",", m[2])
                    if comma >= 0:
                        cut = max(cut, comma)
            if cut >= 0:
                after = [m for m in cands if m[1] >= cut]
                if any(rules[m[0]].code != NONE for m in after):
                    live = after
        scores = res.frame_scores
        for m in live:
            r = rules[m[0]]
            if r.confidence > scores.get(r.code, -1.0):
                scores[r.code] = r.confidence
        best = decider or max(live, key=lambda m: (rules[m[0]].code != NONE, rules[m[0]].priority,
                                                   rules[m[0]].confidence, -m[1]))
        win = rules[best[0]]
        res.frame = win.code
        res.frame_score = win.confidence
        res.frame_rule = win.name
        res.frame_spans = [list(sp) for sp in best[3]]
        support = [best]
        if len(live) > 1:
            seen = {(best[1], best[2])}
            for m in sorted((m for m in live if m is not best and rules[m[0]].code == win.code),
                            key=lambda m: (-rules[m[0]].priority, -rules[m[0]].confidence, m[1])):
                if (m[1], m[2]) not in seen:  # one piece of evidence per span
                    seen.add((m[1], m[2]))
                    support.append(m)
            support.sort(key=lambda m: (m[1], m[0]))
        res.evidence[win.code] = [_evidence(text, rules[m[0]].name, m) for m in support]


def _evidence(text: str, name: str, m: Match) -> dict[str, Any]:
    return {"rule": name, "spans": [list(s) for s in m[3]], "match": text[m[1]:m[2]]}


def _describe(spec: Spec) -> str:
    from forumnlp.codebook.model import _render_value

    return f"{spec.kind}: {_render_value(spec.kind, spec.value)}"


def build_annotator(codebook: Any = None, frame_rules: Any = None, min_confidence: float = 0.0) -> RuleAnnotator:
    """Load the codebook when given as a path or None, and compile a :class:`RuleAnnotator`.

    Parameters
    ----------
    codebook : Codebook, path-like or None
        None loads the packaged default codebook.
    frame_rules : see :class:`RuleAnnotator`
    min_confidence : float

    Returns
    -------
    RuleAnnotator
    """
    from forumnlp.codebook import load_codebook

    if codebook is None or isinstance(codebook, str) or hasattr(codebook, "__fspath__"):
        codebook = load_codebook(codebook)
    return RuleAnnotator(codebook, frame_rules, min_confidence)


def frames_of(results: Sequence[RuleResult]) -> list[str | None]:
    """Return the frame of each result (None where the rules abstained)."""
    return [r.frame for r in results]
