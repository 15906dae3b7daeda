"""Phases of a run, and the stop checks between them.

Every long step of ``plan`` and ``sweep`` starts with :func:`enter_phase`, which honours a
stop request (Ctrl-C, SIGTERM) and tells a test which phase is running.

Test hooks (environment variables, read only here; unset in normal use):

- ``RELOCATION_PHASE_FILE=PATH``: each phase's name is appended to ``PATH``, one a line, as
  the phase starts (``reading``, ``presolve``, ``solve``, ``explanation``, ``outputs``,
  ``writing``, ``sweep``). A test sends its signal once the phase it wants is written,
  instead of sleeping and hoping.
- ``RELOCATION_PHASE_HOLD=NAME``: the phase ``NAME`` waits at its start (after the line is
  written) until a stop is requested, at most 60 s, so that a signal is sure to arrive in
  that phase however fast the machine.
"""

from __future__ import annotations

import logging
import os
import time

from models.solve import Interrupted, StopToken

log = logging.getLogger(__name__)

#: The phases, in the order a run meets them (the module docstring describes the hook).
PHASES = ("reading", "presolve", "solve", "explanation", "outputs", "writing", "sweep")
PHASE_FILE_ENV = "RELOCATION_PHASE_FILE"
PHASE_HOLD_ENV = "RELOCATION_PHASE_HOLD"
#: Longest a held phase waits for its stop (s).
_HOLD_S = 60.0


def enter_phase(name: str, token: StopToken | None = None) -> None:
    """Mark the start of a phase of a run: log it, tell a test hook, honour a stop request.

    Parameters
    ----------
    name : str
        One of :data:`PHASES`.
    token : StopToken, optional
        Checked first: a requested stop raises :class:`~models.solve.Interrupted`.
    """
    check_stop(token)
    log.debug("phase %s", name)
    listener = getattr(token, "on_phase", None)  # the CLI's progress line starts with "solve"
    if callable(listener):
        listener(name)
    path = os.environ.get(PHASE_FILE_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(name + "\n")
    if os.environ.get(PHASE_HOLD_ENV) == name:
        # A sweep has no token: its signals arrive as exceptions, which end the sleep.
        deadline = time.monotonic() + _HOLD_S
        while time.monotonic() < deadline and not (token is not None and token.requested):
            time.sleep(0.05)
        check_stop(token)


def check_stop(token: StopToken | None) -> None:
    """Raise :class:`~models.solve.Interrupted` if ``token`` asks to stop."""
    if token is not None and token.requested:
        raise Interrupted(token.requested)
