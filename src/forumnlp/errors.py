"""Exceptions that the CLI turns into one-line messages and exit codes."""

from __future__ import annotations


class ForumNLPError(Exception):
    """Base class of forumnlp's own errors (the CLI exits 2 on these)."""


class InputError(ForumNLPError, ValueError):
    """Bad input or usage: a file, row, column or option that cannot be used.

    The message names the file (and row, column or sheet) and what was expected.
    """


class ModelError(ForumNLPError):
    """A model or codebook file that cannot be loaded safely or is invalid."""
