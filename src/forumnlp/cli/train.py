"""``forumnlp train``, ``forumnlp evaluate`` and ``forumnlp agreement``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ORDER = 60

CorpusArg = Annotated[list[Path], typer.Argument(help="Labelled table(s): text, frame, themes (;-joined).")]
CodebookOpt = Annotated[Path | None, typer.Option("--codebook", help="Codebook YAML (default codebook if omitted).")]


def train_command(
    corpus: CorpusArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Model folder to write.")],
    codebook: CodebookOpt = None,
    no_rule_features: Annotated[bool, typer.Option("--no-rule-features", help="Do not feed rule outputs to the models.")] = False,
    frame_rule_features: Annotated[bool, typer.Option("--frame-rule-features/--no-frame-rule-features", help="Feed rule outputs to the frame model too (on by default: it generalises better to new settings).")] = True,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Train the frame and theme models from labelled comments (yours or the shipped corpus)."""
    from forumnlp.errors import InputError
    from forumnlp.train import train

    if output.exists() and not output.is_dir():
        raise InputError(f"{output}: exists and is not a folder")
    if not output.parent.exists():
        raise InputError(f"{output}: output folder {output.parent} does not exist")
    model = train(
        [str(p) for p in corpus],
        output,
        codebook=str(codebook) if codebook else None,
        rule_features=not no_rule_features,
        frame_rule_features=frame_rule_features,
        seed=seed,
    )
    rows = model.card["training"]["rows"]
    typer.echo(f"trained on {rows['train']} rows (dev {rows['dev']}, test {rows['test']}); saved to {output}")
    metrics = model.card.get("test_metrics")
    if metrics:
        typer.echo("test split: " + ", ".join(f"{k}={v}" for k, v in metrics.items()))


def evaluate_command(
    gold: Annotated[Path, typer.Argument(help="Gold table: text, frame, themes (;-joined), optional split.")],
    model: Annotated[Path | None, typer.Option("--model", help="Model folder (shipped model if omitted).")] = None,
    codebook: CodebookOpt = None,
    split: Annotated[str, typer.Option(help="test | dev | train | all")] = "test",
    baselines: Annotated[str, typer.Option(help="Comma-separated baselines, or 'none'.")] = "rules,tfidf_lr,minilm_lr,zero_shot",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the report as JSON here.")] = None,
    cross: Annotated[str | None, typer.Option(help="Also train on all other values of this column and test on each (e.g. setting).")] = None,
) -> None:
    """Per-code precision/recall/F1, confusion matrix, kappa and alpha, with baselines."""
    from forumnlp.errors import InputError
    from forumnlp.evaluate import to_json
    from forumnlp.io import atomic_path, check_output_path
    from forumnlp.scoring import evaluate_systems, format_report, report_to_dict
    from forumnlp.train import load_labelled

    if split not in ("test", "dev", "train", "all"):
        raise InputError(f"--split must be test, dev, train or all, not {split!r}")
    names = [] if baselines.strip() in ("", "none") else [b.strip() for b in baselines.split(",")]
    from forumnlp.baselines import BASELINES

    unknown = [b for b in names if b not in BASELINES]
    if unknown:
        raise InputError(f"unknown baseline {unknown[0]!r}; choose from {', '.join(BASELINES)}")
    if output is not None:
        check_output_path(output, [gold])
    cb = str(codebook) if codebook else None
    labelled = load_labelled(gold, cb)
    report = evaluate_systems(labelled, model_dir=model, codebook=cb, split=split, baselines=names)
    typer.echo(format_report(report))
    if cross:
        from forumnlp.scoring import cross_group_scores

        table = cross_group_scores(labelled, cross, codebook=cb)
        report["cross"] = {"by": cross, "rows": table.to_dict(orient="records")}
        typer.echo(f"\nGeneralisation: trained without each {cross}, tested on it (text only)")
        typer.echo(table.to_string(index=False))
    if output is not None:
        with atomic_path(output) as tmp:
            tmp.write_text(to_json(report_to_dict(report)) + "\n", encoding="utf-8")


def agreement_command(
    coder_a: Annotated[Path, typer.Argument(help="First coder's table (frame and/or themes columns).")],
    coder_b: Annotated[Path, typer.Argument(help="Second coder's table.")],
    key: Annotated[str | None, typer.Option(help="Column aligning the two tables (unit_id, id or text by default).")] = None,
    codebook: CodebookOpt = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the figures as JSON here.")] = None,
) -> None:
    """Inter-coder agreement: Cohen's kappa for frames, Krippendorff's alpha for themes."""
    from forumnlp.codebook import load_codebook
    from forumnlp.evaluate import agreement, to_json
    from forumnlp.io import atomic_path, check_output_path, read_table

    cb = load_codebook(str(codebook) if codebook else None)
    if output is not None:
        check_output_path(output, [coder_a, coder_b])
    res = agreement(
        read_table(coder_a), read_table(coder_b), key=key,
        frame_labels=[c.id for c in cb.frame_codes], theme_codes=[c.id for c in cb.theme_codes],
    )
    typer.echo(f"aligned on {res['key']}: {res['n']} units ({res['unmatched_a']} only in A, {res['unmatched_b']} only in B)")
    if "frame" in res:
        typer.echo(f"frames: Cohen's kappa {res['frame']['kappa']:.3f}, agreement {res['frame']['percent_agreement']:.1%}")
    if "themes" in res:
        typer.echo(f"themes: Krippendorff's alpha {res['themes']['alpha']:.3f}, micro-F1 (B vs A) {res['themes']['micro_f1']:.3f}")
    if output is not None:
        with atomic_path(output) as tmp:
            tmp.write_text(to_json(res) + "\n", encoding="utf-8")


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)
    app.command("agreement")(agreement_command)
