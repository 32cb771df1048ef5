"""Progress bars for long work (comparisons, draws, imports, assignments, sweeps).

One place decides whether a bar shows: :attr:`corridors.settings.Settings.progress` (``None``,
the default, shows one only when standard error is a terminal, so logs, pipes and CI stay
quiet; ``True`` always; ``False`` never). Bars come from tqdm and go to standard error, so they
never mix with a table or JSON on standard output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

from .settings import settings

T = TypeVar("T")


def progress(
    items: Iterable[T],
    *,
    total: int | None = None,
    desc: str = "",
    unit: str = "it",
    enabled: bool | None = None,
) -> Iterator[T]:
    """Yield ``items`` while a progress bar counts them.

    Parameters
    ----------
    items
        What to go through.
    total
        How many there are, when ``items`` has no length.
    desc
        A few words before the bar (``"compare"``, ``"draws"``).
    unit
        What one item is (``"pair"``, ``"way"``).
    enabled
        ``True`` or ``False`` to force the bar on or off; ``None`` follows
        :attr:`~corridors.settings.Settings.progress`.

    Yields
    ------
    T
        Each item of ``items``, in order.
    """
    show = settings.progress if enabled is None else enabled
    # tqdm's disable=None means "disable when not a terminal"
    disable = None if show is None else not show
    bar = tqdm(
        items, total=total, desc=desc, unit=unit, disable=disable, leave=False, file=sys.stderr
    )
    yield from bar


def bar(*, total: int, desc: str = "", unit: str = "it", enabled: bool | None = None) -> tqdm:
    """Return a progress bar to advance by hand (``bar.update(1)``; close it when done).

    For work that reports progress through a callback rather than a loop (a comparison's
    scenarios). Shown as :func:`progress` decides.

    Parameters
    ----------
    total
        How many steps there are.
    desc, unit, enabled
        As for :func:`progress`.
    """
    show = settings.progress if enabled is None else enabled
    disable = None if show is None else not show
    return tqdm(total=total, desc=desc, unit=unit, disable=disable, leave=False, file=sys.stderr)
