"""Checks of the cue-pattern forms (phrase, lemma, tokens, regex), shared by codes and frame rules.

Each check returns a list of ``(relative_path, message)`` pairs, empty when the pattern is
valid; :mod:`forumnlp.codebook.validate` adds the place in the file and the line number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from forumnlp.codebook.model import PATTERN_KINDS, PATTERN_OPTIONS, SCOPES

Problem = tuple[tuple[str | int, ...], str]

#: Token attributes whose value is a string (or a set operator); the last three are lower case.
STRING_ATTRS: tuple[str, ...] = ("ORTH", "TEXT", "LOWER", "NORM", "LEMMA")
LOWER_CASE_ATTRS: frozenset[str] = frozenset({"LOWER", "NORM", "LEMMA"})
#: Token attributes whose value is true or false.
BOOL_ATTRS: tuple[str, ...] = (
    "IS_ALPHA", "IS_DIGIT", "IS_PUNCT", "IS_UPPER", "IS_TITLE", "IS_LOWER", "LIKE_NUM",
    "IS_SENT_START",
)
INT_ATTRS: tuple[str, ...] = ("LENGTH",)
TOKEN_ATTRS: tuple[str, ...] = (*STRING_ATTRS, *BOOL_ATTRS, *INT_ATTRS, "OP")
SET_OPERATORS: tuple[str, ...] = ("IN", "NOT_IN", "REGEX")
COMPARISONS: tuple[str, ...] = ("==", "!=", ">=", "<=", ">", "<")
OPERATORS: tuple[str, ...] = ("!", "?", "+", "*")
_QUANTIFIER = re.compile(r"^\{(\d+|\d+,\d*|,\d+)\}$")
_ZERO_WIDTH_OPS = {"!", "?", "*"}
REGEX_FLAGS = re.IGNORECASE


def compile_regex(pattern: str) -> re.Pattern[str]:
    """Compile a codebook regex with the flags the matcher uses (case-insensitive)."""
    return re.compile(pattern, REGEX_FLAGS)


def _check_regex(value: Any, path: tuple[str | int, ...], *, whole: bool) -> list[Problem]:
    if not isinstance(value, str) or not value:
        return [(path, f"must be a non-empty string, got {_show(value)}")]
    try:
        rx = compile_regex(value)
    except re.error as exc:
        return [(path, f"cannot compile: {exc}")]
    if whole and rx.search("") is not None:
        return [(path, "matches the empty string, so it would match every unit")]
    return []


def _show(value: Any) -> str:
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, bool) or (isinstance(value, list) and any(isinstance(x, bool) for x in value)):
        text += " (YAML reads on/off/yes/no unquoted as true/false: quote the word)"
    return text


def _check_string_value(attr: str, value: Any, path: tuple[str | int, ...]) -> list[Problem]:
    lower = attr in LOWER_CASE_ATTRS
    if isinstance(value, str):
        if not value:
            return [(path, "must not be empty")]
        if lower and value != value.lower():
            return [(path, f"{attr} values are lower case, so {value!r} never matches; "
                           f"write {value.lower()!r}")]
        return []
    if not isinstance(value, Mapping) or not value:
        return [(path, f"must be a string or a mapping with one of {', '.join(SET_OPERATORS)}, "
                       f"got {_show(value)}")]
    out: list[Problem] = []
    for op, arg in value.items():
        sub = (*path, str(op))
        if op in ("IN", "NOT_IN"):
            if not isinstance(arg, list) or not arg or not all(isinstance(x, str) and x for x in arg):
                out.append((sub, f"must be a non-empty list of strings, got {_show(arg)}"))
            elif lower and any(x != x.lower() for x in arg):
                bad = [x for x in arg if x != x.lower()]
                out.append((sub, f"{attr} values are lower case, so {bad!r} never match"))
        elif op == "REGEX":
            out.extend(_check_regex(arg, sub, whole=False))
        else:
            out.append((sub, f"unknown operator {op!r}; use one of {', '.join(SET_OPERATORS)}"))
    return out


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_token(tok: Any, path: tuple[str | int, ...]) -> list[Problem]:
    if not isinstance(tok, Mapping):
        return [(path, f"a token must be a mapping such as {{LOWER: word}}, got {_show(tok)}")]
    out: list[Problem] = []
    for attr, value in tok.items():
        sub = (*path, str(attr))
        if attr in STRING_ATTRS:
            out.extend(_check_string_value(attr, value, sub))
        elif attr in BOOL_ATTRS:
            if not isinstance(value, bool):
                out.append((sub, f"must be true or false, got {_show(value)}"))
        elif attr in INT_ATTRS:
            if _is_int(value):
                if value < 0:
                    out.append((sub, "must not be negative"))
            elif isinstance(value, Mapping) and value:
                for op, arg in value.items():
                    if op not in COMPARISONS:
                        out.append(((*sub, str(op)), f"unknown comparison {op!r}; use one of "
                                                     f"{', '.join(COMPARISONS)}"))
                    elif not _is_int(arg):
                        out.append(((*sub, str(op)), f"must be an integer, got {_show(arg)}"))
            else:
                out.append((sub, f"must be an integer or a comparison mapping, got {_show(value)}"))
        elif attr == "OP":
            if not (isinstance(value, str) and (value in OPERATORS or _QUANTIFIER.match(value))):
                out.append((sub, f"unknown operator {value!r}; use one of {' '.join(OPERATORS)} "
                                 "or a quantifier such as {2} or {1,3}"))
        else:
            out.append((sub, f"unknown token attribute {attr!r}; use one of {', '.join(TOKEN_ATTRS)}"))
    return out


def _can_be_empty(tokens: list[Any]) -> bool:
    for tok in tokens:
        if not isinstance(tok, Mapping):
            return False
        op = tok.get("OP")
        if op in _ZERO_WIDTH_OPS:
            continue
        if isinstance(op, str) and (m := _QUANTIFIER.match(op)):
            low = m.group(1).split(",")[0]
            if not low or int(low) == 0:
                continue
        return False
    return True


def check_form(data: Mapping[str, Any], path: tuple[str | int, ...]) -> list[Problem]:
    """Check the pattern form of ``data`` (exactly one of phrase, lemma, tokens, regex)."""
    forms = [k for k in PATTERN_KINDS if k in data]
    if not forms:
        return [(path, f"no pattern form: give one of {', '.join(PATTERN_KINDS)}")]
    if len(forms) > 1:
        return [(path, f"more than one pattern form ({', '.join(forms)}): write one per pattern")]
    kind = forms[0]
    value = data[kind]
    sub = (*path, kind)
    if kind in ("phrase", "lemma"):
        if not isinstance(value, str) or not value.strip():
            return [(sub, f"must be a non-empty string, got {_show(value)}")]
        return []
    if kind == "regex":
        return _check_regex(value, sub, whole=True)
    if not isinstance(value, list) or not value:
        return [(sub, f"must be a non-empty list of token mappings, got {_show(value)}")]
    out: list[Problem] = []
    for i, tok in enumerate(value):
        out.extend(_check_token(tok, (*sub, i)))
    if not out and _can_be_empty(value):
        out.append((sub, "every token is optional, so the pattern can match an empty span"))
    return out


def check_pattern(data: Any, path: tuple[str | int, ...], *, negative: bool) -> list[Problem]:
    """Check one entry of ``patterns`` or ``negative_patterns``.

    Parameters
    ----------
    data : object
        The entry as loaded from YAML.
    path : tuple
        Its place in the file, e.g. ``("codes", 12, "patterns", 3)``.
    negative : bool
        Whether the entry is a negative (veto) pattern, which may carry ``scope``.

    Returns
    -------
    list of (path, message)
        Every problem found, empty when the pattern is valid.
    """
    if not isinstance(data, Mapping):
        return [(path, f"a pattern must be a mapping such as {{phrase: joint visits}}, got {_show(data)}")]
    out = check_form(data, path)
    for key, value in data.items():
        sub = (*path, str(key))
        if key in PATTERN_KINDS:
            continue
        if key not in PATTERN_OPTIONS:
            out.append((sub, f"unknown key {key!r}; a pattern has one of "
                             f"{', '.join(PATTERN_KINDS)} and optionally {', '.join(PATTERN_OPTIONS)}"))
        elif key == "id":
            if not isinstance(value, str) or not value.strip():
                out.append((sub, f"must be a non-empty string, got {_show(value)}"))
        elif key == "weight":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                out.append((sub, f"must be a number in (0, 1], got {_show(value)}"))
        elif key == "scope":
            if not negative:
                out.append((sub, "scope is only used in negative_patterns"))
            elif value not in SCOPES:
                out.append((sub, f"must be one of {', '.join(SCOPES)}, got {_show(value)}"))
        elif key == "note" and not isinstance(value, str):
            out.append((sub, f"must be a string, got {_show(value)}"))
    return out
