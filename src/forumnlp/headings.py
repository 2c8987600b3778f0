"""Map headings ("KEEP DOING", "What went well?", a sheet or column name) to frames.

The rules are data: ``forumnlp/data/frame_headings.yaml`` lists, per frame, whole-heading
phrases and regular expressions. Users extend or override them with a YAML file of the same
shape (:func:`load_heading_table`). Lookups are cached, so calling :func:`frame_for_heading`
once per record is cheap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from forumnlp.errors import InputError
from forumnlp.schema import FRAMES
from forumnlp.yamlsafe import safe_load

__all__ = ["FrameRules", "HeadingTable", "frame_for_heading", "load_heading_table", "normalise_heading"]

_CACHE_LIMIT = 50_000
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": " ", "”": " ", '"': " "})
_NUMBERING = re.compile(
    r"^\s*(?:"
    r"(?:q|question|item|part|section|step|no)\s*\.?\s*\d+[a-z]?\s*(?:[.:)\-–—]+\s*|\s+)"
    r"|\(?\d+[a-z]?\s*[.:)\-–—]+\s*"
    r"|\(?(?:[a-h]|[ivx]{1,4})[.)]\s+"
    r")",
    re.IGNORECASE,
)
_PUNCT = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_PAREN = re.compile(r"\(([^()]*)\)")


def _clean(text: str) -> str:
    s = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES).casefold()
    s = s.replace("'", "").replace("&", " and ").replace("_", " ")
    s = _PUNCT.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


def normalise_heading(heading: str, prefixes: tuple[str, ...] = ()) -> str:
    """Normalise a heading for lookup.

    Case is folded, curly quotes straightened, apostrophes dropped, ``&`` read as "and",
    punctuation turned into spaces, leading numbering ("1.", "a)", "Q3:") removed and then
    the longest matching prefix of ``prefixes`` (already normalised) removed.

    Parameters
    ----------
    heading : str
        The heading as written.
    prefixes : tuple of str, optional
        Normalised prefixes to remove ("things to", "what we should"), longest first.

    Returns
    -------
    str
        The normalised heading; "" when nothing is left.
    """
    s = unicodedata.normalize("NFKC", str(heading)).strip()
    previous = None
    while previous != s:  # "1. a) Keep" -> "Keep"
        previous = s
        s = _NUMBERING.sub("", s, count=1)
    s = _clean(s)
    for prefix in prefixes:
        if s == prefix:
            break
        if s.startswith(prefix + " "):
            s = s[len(prefix) + 1 :]
            break
    return s


@dataclass(frozen=True)
class FrameRules:
    """The phrases (normalised) and compiled patterns of one frame."""

    phrases: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]


@dataclass(eq=False)
class HeadingTable(Mapping[str, FrameRules]):
    """A heading-to-frame table: a mapping of frame name to :class:`FrameRules`.

    Use :meth:`frame_for` (or :func:`frame_for_heading`) to look a heading up.
    """

    rules: dict[str, FrameRules]
    prefixes: tuple[str, ...] = ()
    unmapped: frozenset[str] = frozenset()
    unmapped_patterns: tuple[re.Pattern[str], ...] = ()
    _phrase_index: dict[str, str] = field(default_factory=dict, repr=False)
    _cache: dict[str, str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._phrase_index = {p: frame for frame, r in self.rules.items() for p in r.phrases}

    def __getitem__(self, frame: str) -> FrameRules:
        return self.rules[frame]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def _match(self, norm: str) -> str | None:
        if not norm or norm in self.unmapped:
            return None
        if any(p.search(norm) for p in self.unmapped_patterns):
            return None
        frame = self._phrase_index.get(norm)
        if frame is not None:
            return frame
        for name, rules in self.rules.items():
            for pattern in rules.patterns:
                if pattern.search(norm):
                    return name
        return None

    def frame_for(self, heading: str) -> str | None:
        """Return the frame a heading names, or None.

        Parameters
        ----------
        heading : str
            A heading, column name, sheet name or question.

        Returns
        -------
        str or None
            One of ``keep``, ``stop``, ``start``, ``good_practice`` (or ``none`` when a user
            table maps the heading there); None for an ordinary heading.
        """
        key = str(heading) if heading is not None else ""
        try:
            return self._cache[key]
        except KeyError:
            pass
        result = self._lookup(key)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _lookup(self, heading: str) -> str | None:
        if not heading.strip() or len(heading) > 300:
            return None
        norm = normalise_heading(heading, self.prefixes)
        if norm in self.unmapped:
            return None
        frame = self._match(norm)
        if frame is not None or "(" not in heading:
            return frame
        outside = normalise_heading(_PAREN.sub(" ", heading), self.prefixes)
        frame = self._match(outside)
        if frame is not None:
            return frame
        for inside in _PAREN.findall(heading):
            frame = self._match(normalise_heading(inside, self.prefixes))
            if frame is not None:
                return frame
        return None


_UNMAPPED_PATTERN_MARK = "\x00re:"


def _as_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: expected a list of strings")
    return value


def _parse(data: Any, where: str) -> tuple[dict[str, tuple[list[str], list[str]]], list[str], list[str], bool]:
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise InputError(f"{where}: expected a mapping with a 'frames' key")
    unknown = set(data) - {"frames", "ignore_prefixes", "unmapped", "unmapped_patterns", "replace"}
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                         "expected frames, ignore_prefixes, unmapped, unmapped_patterns, replace")
    for pat in _as_list(data.get("unmapped_patterns"), f"{where}: unmapped_patterns"):
        try:
            re.compile(pat)
        except re.error as exc:
            raise InputError(f"{where}: unmapped_patterns: bad pattern {pat!r} ({exc})") from exc
    frames_data = data.get("frames") or {}
    if not isinstance(frames_data, Mapping):
        raise InputError(f"{where}: 'frames' must map frame names to phrases and patterns")
    frames: dict[str, tuple[list[str], list[str]]] = {}
    for name, spec in frames_data.items():
        if name not in FRAMES:
            raise InputError(f"{where}: unknown frame {name!r}; use one of {', '.join(FRAMES)}")
        if isinstance(spec, list):  # shorthand: a plain list of phrases
            spec = {"phrases": spec}
        if spec is None:
            spec = {}
        if not isinstance(spec, Mapping):
            raise InputError(f"{where}: frame {name!r} must have 'phrases' and/or 'patterns'")
        phrases = _as_list(spec.get("phrases"), f"{where}: frames.{name}.phrases")
        patterns = _as_list(spec.get("patterns"), f"{where}: frames.{name}.patterns")
        for pat in patterns:
            try:
                re.compile(pat)
            except re.error as exc:
                raise InputError(f"{where}: frames.{name}: bad pattern {pat!r} ({exc})") from exc
        frames[str(name)] = (phrases, patterns)
    prefixes = _as_list(data.get("ignore_prefixes"), f"{where}: ignore_prefixes")
    unmapped = _as_list(data.get("unmapped"), f"{where}: unmapped")
    unmapped += [_UNMAPPED_PATTERN_MARK + p for p in _as_list(data.get("unmapped_patterns"), where)]
    return frames, prefixes, unmapped, bool(data.get("replace", False))


def _load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: heading table not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the heading table ({exc})") from exc
    try:
        return safe_load(text)
    except yaml.YAMLError as exc:
        msg = " ".join(str(exc).split())
        raise InputError(f"{path}: not valid YAML ({msg})") from exc


def _build(layers: list[tuple[dict[str, tuple[list[str], list[str]]], list[str], list[str]]]) -> HeadingTable:
    phrase_frame: dict[str, str] = {}
    patterns: dict[str, list[str]] = {}
    prefixes: list[str] = []
    unmapped: set[str] = set()
    for frames, layer_prefixes, layer_unmapped in layers:
        prefixes.extend(_clean(p) for p in layer_prefixes)
        for name, (phrases, pats) in frames.items():
            patterns.setdefault(name, [])
            patterns[name].extend(p for p in pats if p not in patterns[name])
            for phrase in phrases:
                norm = _clean(phrase)
                if norm:
                    phrase_frame[norm] = name  # later layers override earlier ones
                    unmapped.discard(norm)
        unmapped.update(
            u if u.startswith(_UNMAPPED_PATTERN_MARK) else _clean(u) for u in layer_unmapped
        )
    ordered_prefixes = tuple(sorted({p for p in prefixes if p}, key=lambda p: (-len(p), p)))
    rules: dict[str, FrameRules] = {}
    for name in patterns:
        phrases = frozenset(p for p, f in phrase_frame.items() if f == name)
        rules[name] = FrameRules(phrases, tuple(re.compile(p) for p in patterns[name]))
    plain = frozenset(u for u in unmapped if not u.startswith(_UNMAPPED_PATTERN_MARK))
    regexes = tuple(
        re.compile(u[len(_UNMAPPED_PATTERN_MARK):]) for u in sorted(unmapped - plain)
    )
    return HeadingTable(
        rules=rules, prefixes=ordered_prefixes, unmapped=plain, unmapped_patterns=regexes
    )


@lru_cache(maxsize=1)
def _default_layer() -> tuple[dict[str, tuple[list[str], list[str]]], list[str], list[str]]:
    res = resources.files("forumnlp").joinpath("data", "frame_headings.yaml")
    with resources.as_file(res) as path:
        data = _load_yaml(Path(path))
    frames, prefixes, unmapped, _ = _parse(data, "forumnlp/data/frame_headings.yaml")
    return frames, prefixes, unmapped


@lru_cache(maxsize=1)
def _default_table() -> HeadingTable:
    return _build([_default_layer()])


def load_heading_table(path: str | Path | None = None) -> HeadingTable:
    """Load the heading table, optionally extended or overridden by a user YAML file.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file shaped like ``forumnlp/data/frame_headings.yaml``: ``frames`` (per frame,
        ``phrases`` and ``patterns``), ``ignore_prefixes``, ``unmapped`` and ``replace``. Its
        phrases and patterns are added to the default table; a phrase it lists under another
        frame moves there; ``unmapped`` headings never map; ``replace: true`` starts from an
        empty table instead of the default one. None gives the default table.

    Returns
    -------
    HeadingTable
        The table; ``table.frame_for(heading)`` looks a heading up.

    Raises
    ------
    InputError
        The file is missing, not YAML, or names an unknown frame or a bad pattern.
    """
    if path is None:
        return _default_table()
    p = Path(path)
    frames, prefixes, unmapped, replace = _parse(_load_yaml(p), str(p))
    layers = [] if replace else [_default_layer()]
    layers.append((frames, prefixes, unmapped))
    return _build(layers)


_ADHOC: dict[int, tuple[Mapping[str, Any], HeadingTable]] = {}


def _table_from_mapping(table: Mapping[str, Any]) -> HeadingTable:
    cached = _ADHOC.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    data = table if "frames" in table else {"frames": dict(table)}
    frames, prefixes, unmapped, replace = _parse(data, "heading table")
    layers = [] if replace else [_default_layer()]
    built = _build([*layers, (frames, prefixes, unmapped)])
    if len(_ADHOC) > 16:
        _ADHOC.clear()
    _ADHOC[id(table)] = (table, built)
    return built


def frame_for_heading(heading: str, table: Mapping[str, Any] | None = None) -> str | None:
    """Return the frame that a heading names, or None for an ordinary heading.

    Parameters
    ----------
    heading : str
        A heading, column name, sheet name or question ("KEEP DOING", "What went well?").
    table : HeadingTable or mapping, optional
        A table from :func:`load_heading_table`, or a plain mapping in the YAML file's shape
        (``{"frames": {"keep": {"phrases": [...]}}}`` or ``{"keep": ["carry on"]}``), which
        extends the default table. None uses the default table.

    Returns
    -------
    str or None
        ``keep``, ``stop``, ``start`` or ``good_practice`` (``none`` only when a user table
        says so), or None.

    Examples
    --------
    >>> frame_for_heading("THINGS TO KEEP")
    'keep'
    >>> frame_for_heading("What went well?")
    'good_practice'
    >>> frame_for_heading("Attendance") is None
    True
    """
    if table is None:
        resolved = _default_table()
    elif isinstance(table, HeadingTable):
        resolved = table
    else:
        resolved = _table_from_mapping(table)
    return resolved.frame_for(heading)
