"""Frame grammar rules as data: load, validate and describe them.

A frame rule says which frame (keep, stop, start, good_practice, none) a unit has when its
pattern fires. The shipped rules live in ``forumnlp/data/frame_rules.yaml``; a codebook can
bring its own in a top-level ``frame_rules:`` list, which then replaces them. Each rule is a
mapping::

    - id: stop.verb                 # unique name, shown in evidence and in the audit
      frame: stop                   # a frame code of the codebook
      tokens: [{LEMMA: stop}]       # exactly one of phrase, lemma, tokens, regex
      confidence: 0.8               # rough precision of the rule (0..1), default 0.7
      priority: 70                  # higher wins, and masks overlapping lower rules; default 50
      anchor: false                 # phrase/lemma/tokens must begin a sentence
      requires_theme: false         # fire only when some theme code matched in the unit
      unless_theme: false           # fire only when no theme code matched
      decides_without_theme: false  # win when no theme code matched (event feedback)
      decides: false                # win whenever it is left after masking
      mask_only: false              # only mask overlapping lower rules, never decide
      note: ...                     # why the rule exists
      examples: [...]               # texts the rule must fire on (checked by the tests)
      counter_examples: [...]       # texts it must not fire on

How rules combine is described in :mod:`forumnlp.tag.engine`. The file may also carry
``contrast:`` with ``markers`` (words after which the clause dominates: "useful *but* far
too long") and ``openers`` (sentence-initial concessives: "*Although* useful, far too long").
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from forumnlp.errors import InputError, ModelError
from forumnlp.tag.matcher import Spec

PATTERN_KINDS = ("phrase", "lemma", "tokens", "regex")
RULE_KEYS = frozenset({
    "id", "frame", "confidence", "priority", "anchor", "requires_theme", "unless_theme", "decides",
    "mask_only",
    "decides_without_theme", "note", "examples", "counter_examples", *PATTERN_KINDS,
})
DEFAULT_CONFIDENCE = 0.7
DEFAULT_PRIORITY = 50
DEFAULT_MARKERS = ("but", "however", "although", "though", "whereas")
DEFAULT_OPENERS = ("although", "though", "while", "whilst", "even though", "despite")


@dataclass(frozen=True)
class FrameRule:
    """One frame rule (see the module docstring for the fields)."""

    id: str
    frame: str
    spec: Spec
    confidence: float = DEFAULT_CONFIDENCE
    priority: int = DEFAULT_PRIORITY
    requires_theme: bool = False
    unless_theme: bool = False
    decides_without_theme: bool = False
    decides: bool = False
    mask_only: bool = False
    note: str = ""
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return the pattern as short text, e.g. ``phrase: we need to``."""
        from forumnlp.codebook.model import _render_value

        return f"{self.spec.kind}: {_render_value(self.spec.kind, self.spec.value)}"


@dataclass(frozen=True)
class FrameRules:
    """An ordered set of frame rules plus the contrast words.

    Attributes
    ----------
    rules : tuple of FrameRule
    markers : tuple of str
        Contrast words after which the rest of the unit dominates.
    openers : tuple of str
        Sentence-initial concessive words: the clause after the next comma dominates.
    source : str
        Where the rules came from (a file, a codebook, or "data").
    """

    rules: tuple[FrameRule, ...]
    markers: tuple[str, ...] = DEFAULT_MARKERS
    openers: tuple[str, ...] = DEFAULT_OPENERS
    source: str = "data"

    def __len__(self) -> int:
        return len(self.rules)

    def only_frames(self, frames: Sequence[str]) -> FrameRules:
        """Return the rules whose frame is in ``frames`` (others are dropped)."""
        keep = set(frames)
        return FrameRules(tuple(r for r in self.rules if r.frame in keep), self.markers,
                          self.openers, self.source)


def default_frame_rules_path() -> Path:
    """Return the path of the shipped ``forumnlp/data/frame_rules.yaml``."""
    return Path(str(resources.files("forumnlp") / "data" / "frame_rules.yaml"))


def _problems(rule: Any, i: int, frames: Sequence[str] | None, seen: dict[str, int]) -> list[str]:
    from forumnlp.codebook.patterns import check_form

    where = f"rules[{i}]"
    if not isinstance(rule, Mapping):
        return [f"{where}: a rule must be a mapping with id, frame and a pattern, got {rule!r}"]
    out = [f"{path_str(p)}: {msg}" for p, msg in check_form(rule, (where,))]
    rid = rule.get("id")
    if not isinstance(rid, str) or not rid.strip():
        out.append(f"{where}.id: missing or empty rule id")
    elif rid in seen:
        out.append(f"{where}.id: duplicate rule id {rid!r} (first at rules[{seen[rid]}])")
    else:
        seen[rid] = i
    frame = rule.get("frame")
    if not isinstance(frame, str) or not frame:
        out.append(f"{where}.frame: missing frame")
    elif frames is not None and frame not in frames:
        out.append(f"{where}.frame: unknown frame {frame!r}; the frames are {', '.join(frames)}")
    conf = rule.get("confidence", DEFAULT_CONFIDENCE)
    if isinstance(conf, bool) or not isinstance(conf, int | float) or not 0 <= conf <= 1:
        out.append(f"{where}.confidence: must be a number in [0, 1], got {conf!r}")
    prio = rule.get("priority", DEFAULT_PRIORITY)
    if isinstance(prio, bool) or not isinstance(prio, int):
        out.append(f"{where}.priority: must be an integer, got {prio!r}")
    for key in ("anchor", "requires_theme", "unless_theme", "decides", "decides_without_theme", "mask_only"):
        if not isinstance(rule.get(key, False), bool):
            out.append(f"{where}.{key}: must be true or false, got {rule.get(key)!r}")
    for key in ("examples", "counter_examples"):
        val = rule.get(key, [])
        if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
            out.append(f"{where}.{key}: must be a list of texts")
    unknown = sorted(set(rule) - RULE_KEYS)
    if unknown:
        out.append(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
                   f"a frame rule has {', '.join(sorted(RULE_KEYS))}")
    return out


def path_str(parts: Sequence[Any]) -> str:
    """Render ``("tokens", 0, "LOWER")`` as ``tokens[0].LOWER``."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _word_list(value: Any, key: str, source: str, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise ModelError(f"{source}: contrast.{key} must be a list of words")
    return tuple(x.strip().lower() for x in value)


def frame_rules_from_data(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    frames: Sequence[str] | None = None,
    source: str = "frame rules",
) -> FrameRules:
    """Validate frame-rule data and build :class:`FrameRules`, listing every error at once.

    Parameters
    ----------
    data : mapping or sequence of mappings
        Either a document with ``rules`` (and optionally ``contrast``), or a bare list of
        rules (as in a codebook's ``frame_rules``).
    frames : sequence of str, optional
        The allowed frame ids; None accepts any.
    source : str
        How to name the data in error messages.

    Returns
    -------
    FrameRules

    Raises
    ------
    forumnlp.errors.ModelError
        When a rule is invalid; the message lists every problem with its place.
    """
    if isinstance(data, Mapping):
        rules = data.get("rules")
        contrast = data.get("contrast") or {}
    else:
        rules, contrast = list(data), {}
    if not isinstance(rules, list):
        raise ModelError(f"{source}: expected a list of rules under 'rules'")
    if not isinstance(contrast, Mapping):
        raise ModelError(f"{source}: 'contrast' must be a mapping with markers and openers")
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, rule in enumerate(rules):
        problems.extend(_problems(rule, i, frames, seen))
    if problems:
        listed = "; ".join(problems[:50])
        raise ModelError(f"{source}: invalid frame rules, {len(problems)} error(s): {listed}")
    built = []
    for r in rules:
        kind = next(k for k in PATTERN_KINDS if k in r)
        value = tuple(dict(t) for t in r[kind]) if kind == "tokens" else str(r[kind])
        built.append(FrameRule(
            id=str(r["id"]).strip(),
            frame=str(r["frame"]),
            spec=Spec(kind, value, anchor=bool(r.get("anchor", False))),
            confidence=float(r.get("confidence", DEFAULT_CONFIDENCE)),
            priority=int(r.get("priority", DEFAULT_PRIORITY)),
            requires_theme=bool(r.get("requires_theme", False)),
            unless_theme=bool(r.get("unless_theme", False)),
            decides_without_theme=bool(r.get("decides_without_theme", False)),
            decides=bool(r.get("decides", False)),
            mask_only=bool(r.get("mask_only", False)),
            note=str(r.get("note", "") or ""),
            examples=tuple(r.get("examples", ()) or ()),
            counter_examples=tuple(r.get("counter_examples", ()) or ()),
        ))
    return FrameRules(
        tuple(built),
        _word_list(contrast.get("markers"), "markers", source, DEFAULT_MARKERS),
        _word_list(contrast.get("openers"), "openers", source, DEFAULT_OPENERS),
        source,
    )


def load_frame_rules(
    path: str | os.PathLike[str] | None = None, *, frames: Sequence[str] | None = None
) -> FrameRules:
    """Load frame rules from a YAML file (the shipped rules when ``path`` is None).

    Parameters
    ----------
    path : path-like, optional
        A YAML file with ``rules:`` (and optionally ``contrast:``) or a bare list of rules.
    frames : sequence of str, optional
        The allowed frame ids.

    Returns
    -------
    FrameRules
    """
    import yaml

    from forumnlp.yamlsafe import safe_load

    p = default_frame_rules_path() if path is None else Path(path)
    if not p.is_file():
        raise InputError(f"{p}: frame rules file not found")
    try:
        data = safe_load(p.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ModelError(f"{p}: cannot be read as YAML ({exc})") from exc
    if not isinstance(data, Mapping | list):
        raise ModelError(f"{p}: expected a mapping with 'rules' or a list of rules")
    return frame_rules_from_data(data, frames=frames, source=str(p))


def coerce_frame_rules(
    value: Any, *, codebook: Any = None, frames: Sequence[str] | None = None
) -> FrameRules:
    """Turn a ``frame_rules`` argument into :class:`FrameRules`.

    Parameters
    ----------
    value : None, FrameRules, path-like, or list of rule mappings
        None uses the codebook's ``frame_rules`` when it has any, else the shipped rules.
    codebook : Codebook, optional
        The codebook in use.
    frames : sequence of str, optional
        The codebook's frame ids; rules for other frames are dropped from the shipped
        rules and refused in user rules.

    Returns
    -------
    FrameRules
    """
    if value is None:
        cb_rules = tuple(getattr(codebook, "frame_rules", ()) or ())
        if cb_rules:
            src = f"{getattr(codebook, 'source', None) or getattr(codebook, 'name', 'codebook')}: frame_rules"
            base = load_frame_rules()
            built = frame_rules_from_data(list(cb_rules), frames=frames, source=src)
            return FrameRules(built.rules, base.markers, base.openers, src)
        rules = load_frame_rules()
        return rules.only_frames(frames) if frames else rules
    if isinstance(value, FrameRules):
        return value
    if isinstance(value, str | os.PathLike):
        return load_frame_rules(value, frames=frames)
    if isinstance(value, Mapping | list | tuple):
        return frame_rules_from_data(value if isinstance(value, Mapping) else list(value),
                                     frames=frames, source="frame_rules argument")
    raise InputError(f"frame_rules must be None, a path, a list of rules or FrameRules, got {type(value).__name__}")
