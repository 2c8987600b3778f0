"""forumnlp: qualitative analysis of practitioner comments."""

__version__ = "0.1.0"
