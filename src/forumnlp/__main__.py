"""``python -m forumnlp``."""

from forumnlp.cli import main

main()
