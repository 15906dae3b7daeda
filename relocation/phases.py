"""Phases of a run, and the stop checks between them.

Every long step of ``plan`` and ``sweep`` starts with :func:`enter_phase`, which honours a
stop request (Ctrl-C, SIGTERM) and tells a test which phase is running.

Test hook: when the environment variable ``RELOCATION_PHASE_FILE`` names a file, each
phase's name is appended to it, one a line, as the phase starts (``reading``, ``presolve``,
``solve``, ``explanation``, ``outputs``, ``writing``, ``sweep``). Tests send their signal
once the phase they want is written, instead of sleeping and hoping. Nothing else reads it.
"""

from __future__ import annotations

import logging
import os

from models.solve import Interrupted, StopToken

log = logging.getLogger(__name__)

#: The phases, in the order a run meets them (the module docstring describes the hook).
PHASES = ("reading", "presolve", "solve", "explanation", "outputs", "writing", "sweep")
PHASE_FILE_ENV = "RELOCATION_PHASE_FILE"


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
    path = os.environ.get(PHASE_FILE_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(name + "\n")


def check_stop(token: StopToken | None) -> None:
    """Raise :class:`~models.solve.Interrupted` if ``token`` asks to stop."""
    if token is not None and token.requested:
        raise Interrupted(token.requested)
