"""Exceptions raised by corridors.

Every exception carries a one-line message that names the problem and, where it can, the fix;
the command line prints that line and exits non-zero, without a traceback.
"""

from __future__ import annotations


class CorridorsError(Exception):
    """Base class of every error corridors raises on purpose."""

    exit_code: int = 1


class UsageError(CorridorsError, ValueError):
    """A bad argument: unknown weight, mode, country code, malformed date."""

    exit_code = 2


class UnknownPlaceError(UsageError, KeyError):
    """A place name, id or alias that matches nothing in the dataset."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class DatasetError(CorridorsError):
    """The dataset breaks the schema; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str], *, where: str = "dataset") -> None:
        self.problems = list(problems)
        self.where = where
        first = self.problems[0] if self.problems else "unknown problem"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{where}: {first}{more}")


class NoRouteError(CorridorsError):
    """No route exists under the given constraints."""

    exit_code = 1


class SeaRouteError(CorridorsError, ValueError):
    """A sea leg that cannot be computed safely (no path, inland point, forbidden passage)."""

    exit_code = 2


class ScenarioError(UsageError):
    """A scenario file that breaks the scenario schema."""
