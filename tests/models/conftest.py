"""The demo problem, built once per test session (the embedded workspace, no files written)."""

from __future__ import annotations

import pytest

from geodata.adapter import to_problem
from geodata.workspace import demo_dir, read_workspace
from relocation.domain.problem import Problem


@pytest.fixture(scope="session")
def demo_problem() -> Problem:
    ws = read_workspace(demo_dir())
    return to_problem(ws, ws.scenario)
