"""``forumnlp audit``: each rule's coverage, overlaps, conflicts and precision against gold."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

ORDER = 75
_SHOWN = ("kind", "code", "rule", "confidence", "fires", "coverage", "overlaps", "conflicts",
          "precision", "suggested_confidence")


def format_audit(table: object, *, top: int | None = None, width: int = 160) -> str:
    """Render an audit table as readable text (percentages, shortened rule names)."""
    import pandas as pd

    df = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
    if df.empty:
        return "(no rules)"
    view = df[[c for c in _SHOWN if c in df.columns]].copy()
    if top is not None:
        view = view.sort_values("fires", ascending=False, kind="stable").head(top)
    view["rule"] = view["rule"].map(lambda s: s if len(s) <= 48 else s[:45] + "...")
    for col in ("coverage", "overlaps", "conflicts"):
        view[col] = view[col].map(lambda v: "" if v != v else f"{100 * v:.1f}%")
    for col in ("confidence", "precision", "suggested_confidence"):
        view[col] = view[col].map(lambda v: "" if v != v else f"{v:.2f}")
    view = view.rename(columns={"suggested_confidence": "suggested", "confidence": "conf"})
    return view.to_string(index=False, max_colwidth=50, line_width=width)


def audit_command(
    codebook: Annotated[str, typer.Argument(help="Codebook YAML file ('default' for the packaged one).")],
    gold: Annotated[Path, typer.Argument(help="Labelled units: text, frame and/or themes (ids joined by ';').")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Also write the full audit table (.csv .xlsx ...).")
    ] = None,
    frame_rules: Annotated[
        Path | None, typer.Option("--frame-rules", help="Frame rules YAML instead of the codebook's/shipped ones.")
    ] = None,
    top: Annotated[int | None, typer.Option("--top", help="Print only the N most frequent rules.")] = None,
) -> None:
    """Audit a codebook's rules against labelled units (Snorkel-style).

    For every frame rule and code pattern: coverage, overlaps with rules of the same group,
    conflicts with rules for another frame, precision against the gold labels and a
    suggested confidence.
    """
    from forumnlp.io import check_output_path, read_table, table_format, write_table
    from forumnlp.tag.audit import audit, summary
    from forumnlp.tag.engine import build_annotator

    if output is not None:
        table_format(output)
        check_output_path(output, [gold])
    table = read_table(gold)
    annot = build_annotator(None if codebook == "default" else codebook, frame_rules)
    result = audit(gold=table, annotator=annot)
    stats = summary(gold=table, annotator=annot)
    parts = [f"{int(stats['units'])} units"]
    if "frame_macro_f1" in stats:
        parts.append(f"frames: macro-F1 {stats['frame_macro_f1']:.3f}, accuracy "
                     f"{stats['frame_accuracy']:.3f}, a rule fired on {100 * stats['frame_coverage']:.1f}%")
    if "theme_micro_f1" in stats:
        parts.append(f"themes: micro-F1 {stats['theme_micro_f1']:.3f} (P {stats['theme_precision']:.3f}, "
                     f"R {stats['theme_recall']:.3f})")
    print("; ".join(parts))
    print(format_audit(result, top=top))
    if output is not None:
        write_table(result, output)
        print(f"audit of {len(result)} rules -> {output}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add the command to the app (``forumnlp audit``)."""
    app.command("audit")(audit_command)
