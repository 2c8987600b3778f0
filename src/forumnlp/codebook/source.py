"""Reading a codebook's YAML safely, locating paths on lines, and the issue type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from forumnlp.yamlsafe import SafeLoader, safe_load

PathT = tuple[str | int, ...]


@dataclass(frozen=True)
class CodebookIssue:
    """One problem found in a codebook.

    Attributes
    ----------
    path : str
        Place in the data, e.g. ``codes[12].patterns[3].regex`` ("" for the whole document).
    message : str
        What is wrong and what was expected.
    line : int or None
        1-based line in the YAML file, when known.
    severity : {"error", "warning"}
        Errors make the codebook unusable; warnings do not.
    file : str or None
        The codebook file, when validating a file.
    code : str or None
        The id of the code the problem sits in, when known.
    """

    path: str
    message: str
    line: int | None = None
    severity: str = "error"
    file: str | None = None
    code: str | None = None

    @property
    def is_error(self) -> bool:
        """True for an error, False for a warning."""
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        parts = [where] if where else []
        if self.severity != "error":
            parts.append(self.severity)
        if self.path:
            parts.append(self.path + (f" [{self.code}]" if self.code else ""))
        return ": ".join([*parts, self.message])


def format_path(path: PathT) -> str:
    """Render a path tuple as ``codes[12].patterns[3].regex``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def line_map(text: str) -> tuple[dict[PathT, int], list[tuple[PathT, str, int]]]:
    """Map every path of a YAML document to its 1-based line, and find duplicate keys.

    Parameters
    ----------
    text : str
        The YAML text (must parse).

    Returns
    -------
    lines : dict
        Path tuple -> line of the key (for mapping entries) or of the item (for list items).
    duplicates : list of (path, key, line)
        Keys given twice in one mapping (YAML keeps only the last).
    """
    lines: dict[PathT, int] = {}
    dups: list[tuple[PathT, str, int]] = []
    root = yaml.compose(text, Loader=SafeLoader)

    def walk(node: yaml.Node, path: PathT) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for knode, vnode in node.value:
                key = knode.value if isinstance(knode, yaml.ScalarNode) else repr(knode)
                if key in seen:
                    dups.append((path, str(key), knode.start_mark.line + 1))
                seen.add(key)
                lines[(*path, key)] = knode.start_mark.line + 1
                walk(vnode, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    if root is not None:
        walk(root, ())
    return lines, dups


def read_yaml(path: Path) -> tuple[Any, str | None, list[CodebookIssue]]:
    """Read and parse a YAML file safely: return (data, text, issues)."""
    name = str(path)
    if not path.exists():
        return None, None, [CodebookIssue("", "file not found", file=name)]
    if path.is_dir():
        return None, None, [CodebookIssue("", "is a folder, expected a codebook YAML file", file=name)]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, [CodebookIssue("", f"cannot be read as UTF-8 text ({exc})", file=name)]
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        msg = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
        return None, text, [CodebookIssue("", msg, line=line, file=name)]
    return data, text, []
