"""What every ``corridors`` command shares: error reporting and common options."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

import click

from .errors import CorridorsError


def fail(message: str, code: int) -> None:
    """Print ``corridors: error: <message>`` on stderr and exit with ``code``."""
    click.echo(f"corridors: error: {message}", err=True)
    sys.exit(code)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the package's errors into one line on stderr and the right exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CorridorsError as exc:
            fail(str(exc), exc.exit_code)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): not an error, see OneLineErrors.main
        except (OSError, ValueError) as exc:  # e.g. an unwritable output path
            fail(str(exc), 1)

    return wrapper


class OneLineErrors(click.Group):
    """A command group whose usage errors are one line on stderr and exit 2, like all others.

    Click prints a usage block and a ``Try --help`` line of its own; here the message and the
    hint share one line, ``corridors: error: <message> (see 'corridors route --help')``. A
    closed output pipe (``corridors places | head -1``) ends quietly.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the group; see :meth:`click.Group.main` (errors handled as the class says)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            path = exc.ctx.command_path if exc.ctx is not None else (prog_name or "corridors")
            message = " ".join(exc.format_message().split())
            fail(f"{message} (see '{path} --help')", 2)
        except click.ClickException as exc:
            fail(" ".join(exc.format_message().split()), exc.exit_code)
        except click.Abort as exc:
            interrupted = isinstance(exc.__cause__, KeyboardInterrupt)
            fail("interrupted" if interrupted else "aborted", 130 if interrupted else 1)
        try:  # flush here, where a closed pipe can still be handled quietly
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_broken_pipe()
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        """Invoke the command; a closed output pipe ends it quietly (click would exit 1)."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _quiet_broken_pipe()


def _quiet_broken_pipe() -> None:
    """End quietly when the reader of stdout has gone: nothing more can be shown anyway."""
    # Point stdout at /dev/null so the interpreter's final flush does not raise again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):  # stdout without a descriptor (CliRunner)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Dataset directory (default: the bundled one).",
)
"""The ``--data DIR`` option every command that reads the dataset takes."""


alternatives_option = click.option(
    "--alternatives",
    "-k",
    "k",
    # more than a few dozen distinct routes is never useful, and huge counts overflow the search
    type=click.IntRange(min=1, max=50),
    default=1,
    show_default=True,
    help="Distinct routes per origin-destination pair (1 = the best only).",
)
"""The ``--alternatives K`` option of the commands that route."""


def corridors_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return the ``--corridors GROUP_OR_FAMILIES`` option, with what it does in ``help_text``."""
    return click.option("--corridors", "families", metavar="GROUP_OR_FAMILIES", help=help_text)


def draws_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--draws N``, ``--seed S`` and ``--deadline DAYS`` (reliability ranges)."""
    options = [
        click.option(
            "--draws",
            type=click.IntRange(1, 1_000_000),
            default=None,
            metavar="N",
            help="Also draw N times the waits (data/reliability.toml): P10/P50/P90 of time "
            "and cost.",
        ),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of the draws."),
        click.option(
            "--deadline",
            type=click.FloatRange(0, None, min_open=True),
            default=None,
            metavar="DAYS",
            help="With --draws: the share of draws that arrive within DAYS (on_time_share).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func
