"""Loading a codebook from YAML (safely), building the model, writing YAML back."""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from forumnlp.codebook.model import Code, Codebook, Group, Pattern
from forumnlp.codebook.source import CodebookIssue, read_yaml
from forumnlp.codebook.validate import _SECTION_VALIDATORS, CODE_EXTRA_KEYS, issues_for
from forumnlp.errors import InputError, ModelError

DEFAULT_CODEBOOK = "child_protection"
_MAX_LISTED = 50


def default_codebook_path(name: str = DEFAULT_CODEBOOK) -> Path:
    """Return the path of a codebook shipped in ``forumnlp/codebooks`` (``<name>.yaml``).

    Parameters
    ----------
    name : str, default "child_protection"
        The packaged codebook's name.

    Returns
    -------
    pathlib.Path
    """
    ref = resources.files("forumnlp") / "codebooks" / f"{name}.yaml"
    path = Path(str(ref))
    if not path.is_file():
        raise InputError(f"no packaged codebook named {name!r} (looked for {path})")
    return path


def _raise_invalid(issues: list[CodebookIssue], where: str) -> None:
    errors = [i for i in issues if i.is_error]
    if not errors:
        return
    listed = "; ".join(str(i) for i in errors[:_MAX_LISTED])
    more = f"; and {len(errors) - _MAX_LISTED} more" if len(errors) > _MAX_LISTED else ""
    noun = "error" if len(errors) == 1 else "errors"
    raise ModelError(f"{where}: invalid codebook, {len(errors)} {noun}: {listed}{more}")


def build_codebook(data: Mapping[str, Any], source: Path | None = None) -> Codebook:
    """Build a :class:`Codebook` from data that :func:`validate_codebook` accepted."""
    groups = tuple(
        Group(
            id=g["id"],
            label=g.get("label") or g["id"],
            cardinality=g.get("cardinality", "many"),
            description=g.get("description") or "",
        )
        for g in data["groups"]
    )
    codes = []
    for c in data["codes"]:
        cid = c["id"]
        codes.append(
            Code(
                id=cid,
                group=c["group"],
                label=c["label"].strip(),
                definition=c["definition"].strip(),
                use_when=(c.get("use_when") or "").strip(),
                do_not_use_when=(c.get("do_not_use_when") or "").strip(),
                examples=tuple(c.get("examples") or ()),
                counter_examples=tuple(c.get("counter_examples") or ()),
                patterns=tuple(Pattern.from_dict(p, cid) for p in c.get("patterns") or ()),
                negative_patterns=tuple(
                    Pattern.from_dict(p, cid, negative=True) for p in c.get("negative_patterns") or ()
                ),
                extra={k: c[k] for k in CODE_EXTRA_KEYS if k in c},
            )
        )
    sections = {k: data[k] for k in _SECTION_VALIDATORS if k in data and k != "frame_rules"}
    return Codebook(
        name=data["name"].strip(),
        version=data["version"].strip(),
        description=(data.get("description") or "").strip(),
        language=data.get("language") or "en",
        groups=groups,
        codes=tuple(codes),
        frame_rules=tuple(dict(r) for r in data.get("frame_rules") or ()),
        metadata=dict(data.get("metadata") or {}),
        sections=sections,
        source=source,
    )


def codebook_from_dict(data: Mapping[str, Any], source: str = "codebook data") -> Codebook:
    """Validate codebook data (as loaded from YAML) and build the model.

    Parameters
    ----------
    data : mapping
        The codebook's data.
    source : str
        How to name the data in an error message.

    Returns
    -------
    Codebook

    Raises
    ------
    forumnlp.errors.ModelError
        Listing every error when the data is not a valid codebook.
    """
    _raise_invalid(issues_for(data), source)
    return build_codebook(data)


def load_codebook(path: str | os.PathLike[str] | None = None) -> Codebook:
    """Load and validate a codebook YAML file (the packaged default when ``path`` is None).

    Parameters
    ----------
    path : path-like, optional
        A codebook YAML file. None loads ``forumnlp/codebooks/child_protection.yaml``.

    Returns
    -------
    Codebook

    Raises
    ------
    forumnlp.errors.InputError
        When the file does not exist or is a folder.
    forumnlp.errors.ModelError
        When the file is not a valid codebook; the message lists every error with its place
        and line.
    """
    p = default_codebook_path() if path is None else Path(path)
    if not p.exists():
        raise InputError(f"{p}: codebook file not found")
    if p.is_dir():
        raise InputError(f"{p}: is a folder, expected a codebook YAML file")
    data, text, issues = read_yaml(p)
    if not issues:
        issues = issues_for(data, text, str(p))
    _raise_invalid(issues, str(p))
    return build_codebook(data, source=p)


class _FlowDict(dict):  # type: ignore[type-arg]
    """A mapping written in YAML flow style ({LOWER: word}), for token patterns."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow_presenter(dumper: yaml.SafeDumper, value: _FlowDict) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_Dumper.add_representer(str, _str_presenter)
_Dumper.add_representer(_FlowDict, _flow_presenter)


def _prepare(obj: Any, key: str | None = None) -> Any:
    if isinstance(obj, Mapping):
        return {k: _prepare(v, k) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        items = [_prepare(v) for v in obj]
        if key == "tokens":
            return [_FlowDict(t) if isinstance(t, dict) else t for t in items]
        return items
    return obj


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Return codebook data as YAML text (key order kept, token patterns in flow style)."""
    return yaml.dump(  # a SafeDumper subclass
        _prepare(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
        default_flow_style=False,
    )
