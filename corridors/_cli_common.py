"""What every ``corridors`` command shares: error reporting and common options."""

from __future__ import annotations

import sys
from collections.abc import Callable
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
        except (OSError, ValueError) as exc:  # e.g. an unwritable output path
            fail(str(exc), 1)

    return wrapper


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
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Distinct routes per origin-destination pair (1 = the best only).",
)
"""The ``--alternatives K`` option of the commands that route."""


def corridors_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return the ``--corridors GROUP_OR_FAMILIES`` option, with what it does in ``help_text``."""
    return click.option("--corridors", "families", metavar="GROUP_OR_FAMILIES", help=help_text)
