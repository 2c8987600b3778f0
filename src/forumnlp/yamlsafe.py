"""YAML parsing with a safe loader only: libyaml's C safe loader when present (about ten times
faster), else PyYAML's pure-Python safe loader. Neither constructs arbitrary Python objects."""

from __future__ import annotations

from typing import Any

import yaml

try:
    SafeLoader: type = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    SafeLoader = yaml.SafeLoader


def safe_load(text: str) -> Any:
    """Parse one YAML document into plain data (dicts, lists, strings, numbers, booleans).

    Parameters
    ----------
    text : str
        The YAML text.

    Returns
    -------
    object
        The document's data; raises ``yaml.YAMLError`` on malformed YAML.
    """
    loader = SafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
