"""The codebook model: typed, immutable dataclasses built from the YAML data.

A codebook has groups (``cardinality: one`` for frames, ``many`` for themes) and codes in the
MacQueen structure (label, definition, use when, do not use when, examples), each with cue
patterns for the rule tagger. See :mod:`forumnlp.codebook` for the file format.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

PatternKind = Literal["phrase", "lemma", "tokens", "regex"]
PATTERN_KINDS: tuple[str, ...] = ("phrase", "lemma", "tokens", "regex")
PATTERN_OPTIONS: tuple[str, ...] = ("id", "weight", "scope", "note")
SCOPES: tuple[str, ...] = ("match", "unit")
CARDINALITIES: tuple[str, ...] = ("one", "many")


@dataclass(frozen=True)
class Pattern:
    """One cue pattern of a code.

    Attributes
    ----------
    kind : {"phrase", "lemma", "tokens", "regex"}
        The pattern form.
    value : str or tuple of dict
        The phrase, lemma words or regex (str), or the token pattern (tuple of dicts).
    name : str
        The rule name shown in evidence: the pattern's ``id`` when given, else
        ``"<code id>/<kind>:<value>"`` (``"<code id>/not-<kind>:<value>"`` for a negative cue).
    weight : float
        Strength of the cue in (0, 1]; 1.0 unless the file says otherwise.
    scope : {"match", "unit"}
        For negative patterns: veto only the positive matches that overlap this match
        (``match``, the default) or the code in the whole unit (``unit``).
    note : str
        Free text for the codebook's authors.
    explicit_id : bool
        Whether ``name`` came from the file's ``id`` (kept for :meth:`to_dict`).
    """

    kind: PatternKind
    value: Any
    name: str = ""
    weight: float = 1.0
    scope: str = "match"
    note: str = ""
    explicit_id: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], code_id: str = "", *, negative: bool = False) -> Pattern:
        """Build a pattern from a validated mapping (one pattern form plus options)."""
        kind = next(k for k in PATTERN_KINDS if k in data)
        raw = data[kind]
        value: Any = tuple(dict(t) for t in raw) if kind == "tokens" else str(raw)
        pid = data.get("id")
        name = str(pid) if pid else default_pattern_name(code_id, kind, value, negative=negative)
        return cls(
            kind=kind,  # type: ignore[arg-type]
            value=value,
            name=name,
            weight=float(data.get("weight", 1.0)),
            scope=str(data.get("scope", "match")),
            note=str(data.get("note", "") or ""),
            explicit_id=bool(pid),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the pattern as it is written in the YAML file."""
        out: dict[str, Any] = {
            self.kind: [dict(t) for t in self.value] if self.kind == "tokens" else self.value
        }
        if self.explicit_id:
            out["id"] = self.name
        if self.weight != 1.0:
            out["weight"] = self.weight
        if self.scope != "match":
            out["scope"] = self.scope
        if self.note:
            out["note"] = self.note
        return out

    def describe(self) -> str:
        """Return a short human-readable rendering, e.g. ``phrase: joint visits``."""
        return f"{self.kind}: {render_pattern_value(self.kind, self.value)}"


def render_pattern_value(kind: str, value: Any) -> str:
    """Render a pattern's value in one line: the text itself, or ``not brought`` for
    ``[{LOWER: not}, {LOWER: brought}]`` (``a|b`` for sets, ``*`` for any token, OP appended)."""
    if kind != "tokens":
        return str(value)
    words: list[str] = []
    for tok in value:
        word = None
        for attr in ("LOWER", "LEMMA", "ORTH", "TEXT", "NORM"):
            v = tok.get(attr)
            if isinstance(v, str):
                word = v
            elif isinstance(v, Mapping) and isinstance(v.get("IN"), list) and v["IN"]:
                word = "|".join(str(x) for x in v["IN"])
            if word is not None:
                break
        if word is None:
            word = json.dumps({k: v for k, v in tok.items() if k != "OP"}, sort_keys=True)
            word = "*" if word == "{}" else word
        op = tok.get("OP")
        words.append(f"{word}{op}" if op else word)
    return " ".join(words)


_render_value = render_pattern_value  # the name the rule tagger imported first


def default_pattern_name(code_id: str, kind: str, value: Any, *, negative: bool = False) -> str:
    """Return the evidence name of a pattern without an ``id``: ``code/kind:value``."""
    prefix = "not-" if negative else ""
    return f"{code_id}/{prefix}{kind}:{render_pattern_value(kind, value)}"


@dataclass(frozen=True)
class Group:
    """A group of codes: ``one`` (at most one code per unit, e.g. frames) or ``many``."""

    id: str
    label: str
    cardinality: str = "many"
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the group as it is written in the YAML file."""
        out: dict[str, Any] = {"id": self.id, "label": self.label, "cardinality": self.cardinality}
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class Code:
    """A code in the MacQueen structure, with the cue patterns that suggest or veto it."""

    id: str
    group: str
    label: str
    definition: str
    use_when: str = ""
    do_not_use_when: str = ""
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    negative_patterns: tuple[Pattern, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the code as it is written in the YAML file (empty fields left out)."""
        out: dict[str, Any] = {
            "id": self.id,
            "group": self.group,
            "label": self.label,
            "definition": self.definition,
        }
        if self.use_when:
            out["use_when"] = self.use_when
        if self.do_not_use_when:
            out["do_not_use_when"] = self.do_not_use_when
        if self.examples:
            out["examples"] = list(self.examples)
        if self.counter_examples:
            out["counter_examples"] = list(self.counter_examples)
        if self.patterns:
            out["patterns"] = [p.to_dict() for p in self.patterns]
        if self.negative_patterns:
            out["negative_patterns"] = [p.to_dict() for p in self.negative_patterns]
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class Codebook:
    """A codebook: groups and codes in file order, plus optional free-form frame rules.

    Build one with :func:`forumnlp.codebook.load_codebook` (which validates) rather than
    by hand.

    Attributes
    ----------
    name, version, description, language : str
        From the file's top level.
    groups : tuple of Group
    codes : tuple of Code
        In file order, which is the codebook order used to sort theme ids.
    frame_rules : tuple of mapping
        The file's ``frame_rules`` section as plain data (for the rule tagger).
    metadata : mapping
        The file's free-form ``metadata`` section.
    sections : mapping
        Other top-level sections that a registered section validator accepted.
    source : pathlib.Path or None
        The file the codebook was loaded from.
    """

    name: str
    version: str
    groups: tuple[Group, ...]
    codes: tuple[Code, ...]
    description: str = ""
    language: str = "en"
    frame_rules: tuple[Mapping[str, Any], ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict, compare=False)
    sections: Mapping[str, Any] = field(default_factory=dict, compare=False)
    source: Path | None = field(default=None, compare=False)
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _groups: dict[str, Group] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({c.id: i for i, c in enumerate(self.codes)})
        self._groups.update({g.id: g for g in self.groups})

    # -- lookups ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._index

    @property
    def ids(self) -> tuple[str, ...]:
        """Every code id, in file order."""
        return tuple(c.id for c in self.codes)

    def code(self, code_id: str) -> Code:
        """Return the code with id ``code_id`` (KeyError naming the codebook if unknown)."""
        try:
            return self.codes[self._index[code_id]]
        except KeyError:
            raise KeyError(f"codebook {self.name!r} has no code {code_id!r}") from None

    def group(self, group_id: str) -> Group:
        """Return the group with id ``group_id`` (KeyError if unknown)."""
        try:
            return self._groups[group_id]
        except KeyError:
            raise KeyError(f"codebook {self.name!r} has no group {group_id!r}") from None

    def codes_in(self, group_id: str) -> tuple[Code, ...]:
        """Return the codes of group ``group_id`` in file order (KeyError if unknown)."""
        self.group(group_id)
        return tuple(c for c in self.codes if c.group == group_id)

    def group_of(self, code_id: str) -> Group:
        """Return the group of code ``code_id``."""
        return self._groups[self.code(code_id).group]

    @property
    def frame_group(self) -> Group | None:
        """The frame group: the group ``frame`` if its cardinality is ``one``, else the first
        ``one`` group, else None (a codebook of themes only)."""
        ones = [g for g in self.groups if g.cardinality == "one"]
        for g in ones:
            if g.id == "frame":
                return g
        return ones[0] if ones else None

    @property
    def frame_codes(self) -> tuple[Code, ...]:
        """The codes of :attr:`frame_group` in file order (empty without a frame group)."""
        fg = self.frame_group
        return self.codes_in(fg.id) if fg is not None else ()

    @property
    def theme_groups(self) -> tuple[Group, ...]:
        """Every group whose cardinality is not ``one``, in file order."""
        return tuple(g for g in self.groups if g.cardinality != "one")

    @property
    def theme_codes(self) -> tuple[Code, ...]:
        """Every code of a non-``one`` group, in file order."""
        many = {g.id for g in self.theme_groups}
        return tuple(c for c in self.codes if c.group in many)

    def position(self, code_id: str) -> int:
        """Return the 0-based position of ``code_id`` in the file (for sorting)."""
        self.code(code_id)
        return self._index[code_id]

    def sort_ids(self, code_ids: Iterable[str]) -> list[str]:
        """Return the distinct ``code_ids`` in codebook order (KeyError on an unknown id)."""
        return sorted(set(code_ids), key=self.position)

    # -- serialisation ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return the codebook as plain data, in the YAML file's layout."""
        out: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.description:
            out["description"] = self.description
        out["language"] = self.language
        if self.metadata:
            out["metadata"] = dict(self.metadata)
        out["groups"] = [g.to_dict() for g in self.groups]
        out["codes"] = [c.to_dict() for c in self.codes]
        if self.frame_rules:
            out["frame_rules"] = [dict(r) for r in self.frame_rules]
        out.update(self.sections)
        return out

    def to_yaml(self, path: str | os.PathLike[str] | None = None) -> str:
        """Return the codebook as YAML text and, when ``path`` is given, write it atomically.

        Parameters
        ----------
        path : path-like, optional
            Output file.

        Returns
        -------
        str
            The YAML text.
        """
        from forumnlp.codebook.load import dump_yaml

        text = dump_yaml(self.to_dict())
        if path is not None:
            from forumnlp.io import atomic_path, check_output_path

            out = check_output_path(path)
            with atomic_path(out) as tmp:
                tmp.write_text(text, encoding="utf-8")
        return text
