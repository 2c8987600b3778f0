"""Validation of a codebook: every problem at once, each with its place and YAML line."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from forumnlp.codebook.model import CARDINALITIES, PATTERN_KINDS, default_pattern_name
from forumnlp.codebook.patterns import check_form, check_pattern
from forumnlp.codebook.source import CodebookIssue, PathT, format_path, line_map, read_yaml

SectionValidator = Callable[[Any, Mapping[str, Any]], Iterable[tuple[Any, ...]]]

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$")
TOP_KEYS = ("name", "version", "description", "language", "metadata", "groups", "codes", "frame_rules")
GROUP_KEYS = ("id", "label", "cardinality", "description")
CODE_KEYS = ("id", "group", "label", "definition", "use_when", "do_not_use_when", "examples",
             "counter_examples", "patterns", "negative_patterns")
#: Extra code keys that are kept as they are (QDA tools' colours, authors' notes).
CODE_EXTRA_KEYS = ("notes", "color", "colour")

_SECTION_VALIDATORS: dict[str, list[SectionValidator]] = {}
_REPLACED: set[str] = set()


def register_section_validator(key: str, func: SectionValidator, *, replace: bool = False) -> None:
    """Register a validator for a top-level section such as ``frame_rules``.

    Parameters
    ----------
    key : str
        The top-level key; registering it also makes it a known key.
    func : callable
        ``func(section, document)`` yielding ``(path, message)`` or ``(path, message, severity)``
        tuples, where ``path`` is a tuple of keys and indexes relative to the section.
    replace : bool, default False
        Replace the built-in check of the section (for ``frame_rules``) instead of adding to it.
    """
    _SECTION_VALIDATORS.setdefault(key, []).append(func)
    if replace:
        _REPLACED.add(key)


class _Checker:
    """Collects problems in a codebook's data."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.problems: list[tuple[PathT, str, str, str | None]] = []
        self.code_at: str | None = None

    def err(self, path: PathT, msg: str, severity: str = "error") -> None:
        self.problems.append((path, msg, severity, self.code_at))

    def text(self, obj: Mapping[str, Any], key: str, path: PathT, *, required: bool) -> None:
        if key not in obj or obj[key] is None:
            if required:
                self.err((*path, key), f"missing required field {key!r}")
            return
        value = obj[key]
        if not isinstance(value, str):
            self.err((*path, key), f"must be text, got {type(value).__name__} {value!r}")
        elif required and not value.strip():
            self.err((*path, key), "must not be empty")

    def ident(self, obj: Mapping[str, Any], path: PathT) -> str | None:
        if "id" not in obj or obj["id"] is None:
            self.err((*path, "id"), "missing required field 'id'")
            return None
        value = obj["id"]
        if not isinstance(value, str) or not ID_RE.match(value):
            self.err((*path, "id"), f"invalid id {value!r}: use letters, digits, _ and -, "
                                    "with . between parts (e.g. risk.neglect)")
            return None
        return value

    def strings(self, obj: Mapping[str, Any], key: str, path: PathT) -> None:
        if key not in obj or obj[key] is None:
            return
        value = obj[key]
        if not isinstance(value, list):
            self.err((*path, key), f"must be a list of texts, got {type(value).__name__}")
            return
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.err((*path, key, i), f"must be a non-empty text, got {item!r}")

    def unknown(self, obj: Mapping[str, Any], known: Iterable[str], path: PathT) -> None:
        known = tuple(known)
        for key in obj:
            if key not in known:
                self.err((*path, str(key)), f"unknown key {key!r} (ignored); known keys: "
                                            f"{', '.join(known)}", "warning")

    def run(self) -> None:
        d = self.data
        if not isinstance(d, Mapping):
            kind = "empty" if d is None else f"a {type(d).__name__}"
            self.err((), f"a codebook must be a YAML mapping with name, version, groups and "
                         f"codes; this file is {kind}")
            return
        self.unknown(d, (*TOP_KEYS, *_SECTION_VALIDATORS), ())
        self.text(d, "name", (), required=True)
        if isinstance(d.get("version"), int | float) and not isinstance(d.get("version"), bool):
            self.err(("version",), f'must be text: quote it, e.g. version: "{d["version"]}"')
        else:
            self.text(d, "version", (), required=True)
        self.text(d, "description", (), required=False)
        self.text(d, "language", (), required=False)
        if d.get("metadata") is not None and not isinstance(d["metadata"], Mapping):
            self.err(("metadata",), "must be a mapping")
        groups = self.groups(d.get("groups"))
        self.codes(d.get("codes"), groups)
        if "frame_rules" not in _REPLACED:
            self.frame_rules(d.get("frame_rules"), groups)
        for key, funcs in _SECTION_VALIDATORS.items():
            if key in d:
                for func in funcs:
                    for item in func(d[key], d):
                        sev = item[2] if len(item) > 2 else "error"
                        self.err((key, *tuple(item[0])), str(item[1]), sev)

    def groups(self, groups: Any) -> dict[str, str]:
        """Check ``groups``; return group id -> cardinality of the valid ones."""
        out: dict[str, str] = {}
        if groups is None:
            self.err(("groups",), "missing required field 'groups' (a list of groups)")
            return out
        if not isinstance(groups, list) or not groups:
            self.err(("groups",), "must be a non-empty list of groups")
            return out
        first: dict[str, int] = {}
        for i, g in enumerate(groups):
            path: PathT = ("groups", i)
            if not isinstance(g, Mapping):
                self.err(path, f"a group must be a mapping with id, label and cardinality, got {g!r}")
                continue
            self.unknown(g, GROUP_KEYS, path)
            gid = self.ident(g, path)
            if "label" in g:
                self.text(g, "label", path, required=True)
            self.text(g, "description", path, required=False)
            card = g.get("cardinality", "many")
            if card not in CARDINALITIES:
                self.err((*path, "cardinality"), f"must be one or many, got {card!r}")
                card = "many"
            if gid is None:
                continue
            if gid in first:
                self.err((*path, "id"), f"duplicate group id {gid!r} (first at groups[{first[gid]}])")
                continue
            first[gid] = i
            out[gid] = card
        if sum(1 for c in out.values() if c == "one") > 1:
            self.err(("groups",), "more than one group has cardinality one; the group 'frame' "
                                  "(else the first) is used for frames", "warning")
        return out

    def codes(self, codes: Any, groups: Mapping[str, str]) -> None:
        if codes is None:
            self.err(("codes",), "missing required field 'codes' (a list of codes)")
            return
        if not isinstance(codes, list) or not codes:
            self.err(("codes",), "must be a non-empty list of codes")
            return
        first: dict[str, int] = {}
        used: set[str] = set()
        pattern_ids: dict[str, str] = {}
        for i, c in enumerate(codes):
            path: PathT = ("codes", i)
            self.code_at = None
            if not isinstance(c, Mapping):
                self.err(path, f"a code must be a mapping with id, group, label and definition, got {c!r}")
                continue
            cid = self.ident(c, path)
            self.code_at = cid
            self.unknown(c, (*CODE_KEYS, *CODE_EXTRA_KEYS), path)
            if cid is not None:
                if cid in first:
                    self.err((*path, "id"), f"duplicate code id {cid!r} (first at codes[{first[cid]}])")
                else:
                    first[cid] = i
            gid = c.get("group")
            if gid is None:
                self.err((*path, "group"), "missing required field 'group'")
            elif not isinstance(gid, str):
                self.err((*path, "group"), f"must be a group id, got {gid!r}")
            elif gid not in groups:
                known = ", ".join(groups) or "(none valid)"
                self.err((*path, "group"), f"unknown group {gid!r}; the groups are: {known}")
            else:
                used.add(gid)
            for key in ("label", "definition"):
                self.text(c, key, path, required=True)
            for key in ("use_when", "do_not_use_when"):
                self.text(c, key, path, required=False)
            for key in ("examples", "counter_examples"):
                self.strings(c, key, path)
            for key in ("patterns", "negative_patterns"):
                self.patterns(c.get(key), (*path, key), cid or f"codes[{i}]",
                              negative=key == "negative_patterns", ids=pattern_ids)
        self.code_at = None
        for gid in groups:
            if gid not in used:
                self.err(("groups", list(groups).index(gid)), f"group {gid!r} has no codes", "warning")

    def patterns(self, items: Any, path: PathT, code_id: str, *, negative: bool,
                 ids: dict[str, str]) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            self.err(path, f"must be a list of patterns, got {type(items).__name__}")
            return
        names: dict[str, int] = {}
        for j, p in enumerate(items):
            problems = check_pattern(p, (*path, j), negative=negative)
            for ppath, msg in problems:
                self.err(ppath, msg)
            if problems or not isinstance(p, Mapping):
                continue
            kind = next(k for k in PATTERN_KINDS if k in p)
            value = tuple(p[kind]) if kind == "tokens" else p[kind]
            auto = default_pattern_name(code_id, kind, value, negative=negative)
            if auto in names:
                self.err((*path, j), f"same pattern as {path[-1]}[{names[auto]}]", "warning")
            names.setdefault(auto, j)
            if p.get("id"):
                pid = p["id"]
                where = format_path((*path, j))
                if pid in ids:
                    self.err((*path, j, "id"), f"duplicate pattern id {pid!r} (first at {ids[pid]})")
                else:
                    ids[pid] = where

    def frame_rules(self, rules: Any, groups: Mapping[str, str]) -> None:
        if rules is None:
            return
        if not isinstance(rules, list):
            self.err(("frame_rules",), "must be a list of rules")
            return
        d = self.data
        codes = d.get("codes") if isinstance(d.get("codes"), list) else []
        frames = {
            c["id"] for c in codes if isinstance(c, Mapping) and isinstance(c.get("id"), str)
            and isinstance(c.get("group"), str) and groups.get(c["group"]) == "one"
        }
        seen: dict[str, int] = {}
        for i, r in enumerate(rules):
            path: PathT = ("frame_rules", i)
            if not isinstance(r, Mapping):
                self.err(path, f"a frame rule must be a mapping with id, frame and a pattern, got {r!r}")
                continue
            rid = r.get("id")
            if not isinstance(rid, str) or not rid.strip():
                self.err((*path, "id"), "missing or empty rule id")
            elif rid in seen:
                self.err((*path, "id"), f"duplicate rule id {rid!r} (first at frame_rules[{seen[rid]}])")
            else:
                seen[rid] = i
            frame = r.get("frame")
            if frame is None:
                self.err((*path, "frame"), "missing required field 'frame'")
            elif not frames:
                self.err((*path, "frame"), "frame rules need a group with cardinality one")
            elif not isinstance(frame, str) or frame not in frames:
                self.err((*path, "frame"), f"unknown frame {frame!r}; the frames are: "
                                           f"{', '.join(sorted(str(f) for f in frames))}")
            for ppath, msg in check_form(r, path):
                self.err(ppath, msg)


def check_data(data: Any) -> list[tuple[PathT, str, str, str | None]]:
    """Check codebook data; return ``(path, message, severity, code_id)`` for each problem."""
    checker = _Checker(data)
    checker.run()
    return checker.problems


def issues_for(data: Any, text: str | None = None, file: str | None = None) -> list[CodebookIssue]:
    """Validate parsed data; use ``text`` (the YAML source) to add line numbers."""
    problems = check_data(data)
    dups: list[tuple[PathT, str, int]] = []
    lines: dict[PathT, int] = {}
    if text is not None:
        lines, dups = line_map(text)
    out = [CodebookIssue(format_path((*p, k)), "duplicate key: YAML keeps only the last value",
                         line=ln, file=file) for p, k, ln in dups]
    for path, msg, sev, code in problems:
        line = None
        probe = path
        while lines:
            if probe in lines:
                line = lines[probe]
                break
            if not probe:
                break
            probe = probe[:-1]
        out.append(CodebookIssue(format_path(path), msg, line=line, severity=sev, file=file, code=code))
    out.sort(key=lambda i: (i.line if i.line is not None else 0))
    return out


def validate_codebook(data_or_path: Any) -> list[CodebookIssue]:
    """Return every problem of a codebook at once (an empty list when it is valid).

    Parameters
    ----------
    data_or_path : str, path-like or mapping
        A codebook YAML file (``str`` is always taken as a path) or codebook data already
        loaded (a mapping; no line numbers then).

    Returns
    -------
    list of CodebookIssue
        Errors and warnings in file order; the codebook is valid when no issue
        ``is_error``. A missing file or a YAML syntax error is reported as an issue, not raised.
    """
    if isinstance(data_or_path, str | os.PathLike):
        path = Path(data_or_path)
        data, text, issues = read_yaml(path)
        if issues:
            return issues
        return issues_for(data, text, str(path))
    return issues_for(data_or_path)
