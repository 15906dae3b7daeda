"""Terminal progress of a solve: elapsed time, best cost, bound and gap (``rich``).

The line starts when the solve does (:meth:`SolveProgress.on_phase` with ``"solve"``, or the
first solver event), not before the checks that may refuse a run, and fits 80 columns.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column

from relocation import messages


class SolveProgress:
    """A one-line live display updated from the solver's callbacks (thread-safe).

    Parameters
    ----------
    time_limit_s : float or None
        Length of the time bar.
    enabled : bool
        False (``--quiet``) shows nothing.
    lang : str
        ``vi`` or ``en``.
    console : rich.console.Console, optional
        Where to draw (default: standard error).
    """

    def __init__(
        self,
        time_limit_s: float | None,
        enabled: bool = True,
        lang: str = "en",
        console: Console | None = None,
    ) -> None:
        self.enabled = enabled
        self.lang = lang
        self.limit = float(time_limit_s or 60.0)
        self.started = False
        self._lock = threading.Lock()
        self._last: Mapping[str, Any] = {}
        self._t0 = time.monotonic()
        fixed = Column(no_wrap=True)
        self._progress = Progress(
            TextColumn(f"[bold]{messages.t(lang, 'progress.solving')}[/]", table_column=fixed),
            TimeElapsedColumn(table_column=Column(no_wrap=True, min_width=7)),
            BarColumn(bar_width=10),
            TextColumn(
                "{task.description}",
                markup=False,
                table_column=Column(no_wrap=True, overflow="ellipsis"),
            ),
            console=console or Console(file=sys.stderr),
            transient=False,
            disable=not enabled,
        )
        self._task = self._progress.add_task(
            messages.t(lang, "progress.waiting"), total=self.limit
        )

    def __enter__(self) -> SolveProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.started:
            self.tick()
            self._progress.stop()

    def start(self) -> None:
        """Show the line (once); the elapsed time counts from here."""
        with self._lock:
            if self.started or not self.enabled:
                return
            self.started = True
            self._t0 = time.monotonic()
        self._progress.reset(self._task)
        self._progress.start()

    def on_phase(self, name: str) -> None:
        """A phase starts (:func:`relocation.phases.enter_phase`); ``solve`` shows the line."""
        if name == "solve":
            self.start()

    def update(self, event: Mapping[str, Any]) -> None:
        """Record a solver event (``t``, ``objective``, ``bound``, ``source``)."""
        with self._lock:
            self._last = dict(event)
        self.start()
        self.tick()

    def describe(self, event: Mapping[str, Any]) -> str:
        """``best … · bound … · gap …`` for an event, short enough for 80 columns."""
        obj, bound = event.get("objective"), event.get("bound")
        if obj is None and bound is None:
            return messages.t(self.lang, "progress.waiting")
        gap = "—"
        if obj and bound is not None:
            gap = messages.number(f"{max(0.0, (obj - bound) / abs(obj)):.2%}", self.lang)

        def bn(v: float | None) -> str:
            return "—" if v is None else messages.bn(v, self.lang, short=True)

        return messages.t(self.lang, "progress.line", best=bn(obj), bound=bn(bound), gap=gap)

    def tick(self) -> None:
        """Refresh the elapsed time and the latest figures."""
        if not self.started:
            return
        with self._lock:
            ev = dict(self._last)
        elapsed = time.monotonic() - self._t0
        self._progress.update(
            self._task, completed=min(elapsed, self.limit), description=self.describe(ev)
        )
