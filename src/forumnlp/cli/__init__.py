"""The ``forumnlp`` command line: a thin typer layer over the library functions.

Each command lives in its own module in this package and defines ``register(app)``;
modules are discovered here, so a command is added by adding a module. Command modules
import heavy libraries only inside their functions, so ``forumnlp --help`` stays fast.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import click
import typer

from forumnlp.errors import ForumNLPError

app = typer.Typer(
    name="forumnlp",
    help="Qualitative analysis of practitioner comments: segment, tag, key messages, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register_commands() -> None:
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "register"):
            modules.append(mod)
    for mod in sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__)):
        mod.register(app)


_register_commands()


def _fail(message: str, code: int) -> int:
    first = " ".join(str(message).split()) or "unknown error"
    print(f"error: {first}", file=sys.stderr)
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit status (0 ok, 2 bad input, 1 internal)."""
    import warnings

    warnings.formatwarning = lambda message, category, *args, **kwargs: f"warning: {message}\n"
    command = typer.main.get_command(app)
    debug = os.environ.get("FORUMNLP_DEBUG") == "1"
    try:
        rv = command.main(args=argv, prog_name="forumnlp", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except click.exceptions.UsageError as exc:
        hint = f" (see 'forumnlp {exc.ctx.command_path.split(' ', 1)[1]} --help')" if (
            exc.ctx is not None and " " in exc.ctx.command_path
        ) else " (see 'forumnlp --help')"
        return _fail(exc.format_message() + hint, 2)
    except click.exceptions.Abort:
        return _fail("aborted", 1)
    except ForumNLPError as exc:
        if debug:
            raise
        return _fail(str(exc), 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as exc:  # the CLI promises one line, exit 1
        if debug:
            raise
        return _fail(f"internal error: {type(exc).__name__}: {exc} (set FORUMNLP_DEBUG=1 for a traceback)", 1)
    return int(rv) if isinstance(rv, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))
