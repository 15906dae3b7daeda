"""Terminal progress of a solve: elapsed time, best cost, bound and gap (``rich``)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


def _bn(v: float | None) -> str:
    return "—" if v is None else f"{v / 1e9:,.1f} bn VND"


class SolveProgress:
    """A one-line live display updated from the solver's callbacks (thread-safe).

    Parameters
    ----------
    time_limit_s : float or None
        Length of the time bar.
    enabled : bool
        False (``--quiet``) shows nothing.
    """

    def __init__(self, time_limit_s: float | None, enabled: bool = True) -> None:
        self.enabled = enabled
        self.limit = float(time_limit_s or 60.0)
        self._lock = threading.Lock()
        self._last: Mapping[str, Any] = {}
        self._t0 = time.monotonic()
        self._progress = Progress(
            TextColumn("[bold]solving[/]"),
            BarColumn(bar_width=24),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=Console(file=sys.stderr),
            transient=False,
            disable=not enabled,
        )
        self._task = self._progress.add_task("starting …", total=self.limit)

    def __enter__(self) -> SolveProgress:
        self._t0 = time.monotonic()
        if self.enabled:
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.enabled:
            self.tick()
            self._progress.stop()

    def update(self, event: Mapping[str, Any]) -> None:
        """Record a solver event (``t``, ``objective``, ``bound``, ``source``)."""
        with self._lock:
            self._last = dict(event)
        self.tick()

    def tick(self) -> None:
        """Refresh the elapsed time and the latest figures."""
        if not self.enabled:
            return
        with self._lock:
            ev = dict(self._last)
        obj, bound = ev.get("objective"), ev.get("bound")
        gap = "—"
        if obj and bound is not None:
            gap = f"{max(0.0, (obj - bound) / abs(obj)):.3%}"
        desc = f"best {_bn(obj)} · bound {_bn(bound)} · gap {gap}"
        elapsed = time.monotonic() - self._t0
        self._progress.update(self._task, completed=min(elapsed, self.limit), description=desc)
