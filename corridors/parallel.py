"""Where work that outgrows one process runs: Dask, local by default, a cluster by address."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from .errors import UsageError


@contextlib.contextmanager
def dask_client(scheduler: str) -> Iterator[Any]:
    """Yield a :class:`dask.distributed.Client` for ``scheduler``, closed afterwards.

    Parameters
    ----------
    scheduler
        ``"local:N"`` starts a ``LocalCluster`` of N single-threaded worker processes on this
        machine; ``"tcp://HOST:PORT"`` connects to a running Dask scheduler.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover (a dependency)
        raise UsageError("Dask is not installed: pip install 'dask[distributed]'") from None
    kind, _, value = scheduler.partition(":")
    if kind == "local":
        if not value.isdigit() or not 1 <= int(value) <= 256:
            raise UsageError(f"scheduler {scheduler!r}: use local:N with N workers (1-256)")
        cluster = LocalCluster(
            n_workers=int(value), threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
    elif kind == "tcp":
        try:
            client = Client(scheduler, timeout=10)
        except OSError as exc:
            raise UsageError(f"no Dask scheduler at {scheduler} ({exc})") from None
        try:
            yield client
        finally:
            client.close()
    else:
        raise UsageError(f"scheduler {scheduler!r}: use local:N or tcp://HOST:PORT")
