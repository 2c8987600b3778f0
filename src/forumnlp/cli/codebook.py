"""``forumnlp codebook``: validate, show, export and import codebooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ORDER = 80

codebook_app = typer.Typer(
    name="codebook",
    help="Validate, show, export (.qdc, YAML, CSV) and import (.qdc) codebooks.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

FileArg = Annotated[
    Path | None,
    typer.Argument(help="Codebook YAML file (default: the packaged child_protection codebook).",
                   show_default=False),
]


def _codebook_path(file: Path | None) -> Path:
    from forumnlp.codebook import default_codebook_path

    return default_codebook_path() if file is None else file


@codebook_app.command("validate")
def validate_cmd(
    file: FileArg = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check a codebook and print every problem with its place and line (exit 2 if invalid)."""
    from forumnlp.codebook import load_codebook, validate_codebook

    path = _codebook_path(file)
    issues = validate_codebook(path)
    errors = [i for i in issues if i.is_error or strict]
    for issue in issues:
        typer.echo(str(issue))
    if errors:
        noun = "problem" if len(errors) == 1 else "problems"
        typer.echo(f"invalid: {path}: {len(errors)} {noun}", err=True)
        raise typer.Exit(2)
    cb = load_codebook(path)
    warn = f" ({len(issues)} warnings)" if issues else ""
    typer.echo(f"OK: {cb.name} {cb.version}, {len(cb)} codes in {len(cb.groups)} groups{warn}")


@codebook_app.command("show")
def show_cmd(
    file: FileArg = None,
    codes: Annotated[bool, typer.Option("--codes", help="List the code ids only.")] = False,
    group: Annotated[
        str | None, typer.Option("--group", "-g", help="Show only this group.")
    ] = None,
    patterns: Annotated[bool, typer.Option("--patterns", help="Also list cue patterns.")] = False,
) -> None:
    """Print a readable listing of a codebook: groups, then codes with label and definition."""
    import textwrap

    from forumnlp.codebook import load_codebook
    from forumnlp.errors import InputError

    cb = load_codebook(_codebook_path(file))
    groups = cb.groups
    if group is not None:
        if group not in {g.id for g in groups}:
            raise InputError(f"--group {group!r}: no such group; the groups are: "
                             f"{', '.join(g.id for g in groups)}")
        groups = tuple(g for g in groups if g.id == group)
    if codes:
        for g in groups:
            for c in cb.codes_in(g.id):
                typer.echo(c.id)
        return
    typer.echo(f"{cb.name} {cb.version}: {len(cb)} codes in {len(cb.groups)} groups")
    if cb.description:
        typer.echo(textwrap.fill(cb.description, 100))

    def para(label: str, text: str) -> None:
        if text:
            typer.echo(textwrap.fill(text, 100, initial_indent=f"    {label}: ",
                                     subsequent_indent="      "))

    for g in groups:
        members = cb.codes_in(g.id)
        typer.echo("")
        typer.echo(f"[{g.id}] {g.label} ({g.cardinality}, {len(members)} codes)")
        for c in members:
            typer.echo(f"  {c.id}: {c.label}")
            para("definition", c.definition)
            para("use when", c.use_when)
            para("do not use when", c.do_not_use_when)
            if patterns and (c.patterns or c.negative_patterns):
                cues = ", ".join(p.describe() for p in c.patterns)
                para(f"cues ({len(c.patterns)})", cues)
                if c.negative_patterns:
                    para(f"vetoes ({len(c.negative_patterns)})",
                         ", ".join(p.describe() for p in c.negative_patterns))


@codebook_app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file.")],
    file: FileArg = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="qdc (REFI-QDA), yaml or csv; default from -o's extension."),
    ] = None,
) -> None:
    """Export a codebook as a REFI-QDA .qdc (for NVivo, ATLAS.ti, MAXQDA...), YAML or CSV."""
    from forumnlp.codebook import export_codebook, load_codebook
    from forumnlp.codebook.table import export_format
    from forumnlp.io import check_output_path

    path = _codebook_path(file)
    kind = export_format(output, fmt)
    check_output_path(output, inputs=[path])
    cb = load_codebook(path)
    export_codebook(cb, output, kind)
    typer.echo(f"wrote {output} ({kind}: {len(cb)} codes in {len(cb.groups)} groups)")


@codebook_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="A REFI-QDA codebook (.qdc) from a QDA tool.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output YAML file.")],
    name: Annotated[str | None, typer.Option("--name", help="Codebook name.")] = None,
    version: Annotated[str | None, typer.Option("--version", help="Codebook version.")] = None,
) -> None:
    """Import a .qdc codebook into forumnlp's YAML format (top-level codes become groups)."""
    from forumnlp.codebook import import_qdc
    from forumnlp.io import check_output_path

    check_output_path(output, inputs=[file])
    cb = import_qdc(file, name=name, version=version)
    cb.to_yaml(output)
    bare = sum(1 for c in cb if c.definition == c.label)
    typer.echo(f"wrote {output}: {cb.name} {cb.version}, {len(cb)} codes in {len(cb.groups)} groups")
    if bare:
        typer.echo(f"note: {bare} codes had no description; their definition is their name",
                   err=True)


# -- audit -----------------------------------------------------------------------------------
# `forumnlp codebook audit` (coverage, overlaps and conflicts of each cue pattern) is added
# here by the rule tagger, as another `@codebook_app.command("audit")` function below.


def _register_audit() -> None:
    from forumnlp.cli.audit import audit_command

    codebook_app.command("audit")(audit_command)


_register_audit()


def register(app: typer.Typer) -> None:
    """Add the ``codebook`` command group to the main app."""
    app.add_typer(codebook_app, name="codebook")
