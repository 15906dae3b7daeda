"""The workflow computes a frozen result; one ``write_run`` writes it; a stop writes nothing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from helpers_workspace import write_workspace

from geodata.workspace import read_workspace
from models.solve import Interrupted, StopToken
from relocation.run_folder import write_run
from relocation.workflow import PlanResult, plan_scenario


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return read_workspace(write_workspace(tmp_path_factory.mktemp("ws")))


def _fast(ws):
    return ws.scenario.with_overrides({"solver.time_limit_s": 10, "solver.workers": 1})


def test_plan_scenario_writes_nothing_and_write_run_writes_it(ws, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = plan_scenario(ws, _fast(ws), command=("plan", "x"))
    assert isinstance(result, PlanResult) and result.plan is not None
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.plan = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.summary["status"] = "x"  # type: ignore[index]
    assert result.summary["command"] == ["plan", "x"]
    assert result.summary["firms"]["planned"] == len(result.plan.moves)
    out = write_run(result, tmp_path / "run", render_map=False)
    written = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(dict(result.summary)))
    assert "map.html" not in {p.name for p in out.iterdir()}


def test_a_stop_after_the_solve_writes_nothing(ws, tmp_path):
    first = write_run(plan_scenario(ws, _fast(ws)), tmp_path / "run", render_map=False)
    before = _snapshot(first)
    token = StopToken()

    def stop_once_solving(event):
        token.stop("SIGINT")  # arrives while the solve runs: the run must not go on to write

    with pytest.raises(Interrupted):
        plan_scenario(ws, _fast(ws), on_progress=stop_once_solving, token=token)
    # A stop requested while writing keeps the previous folder byte for byte.
    result = plan_scenario(ws, _fast(ws).with_overrides({"solver.seed": 5}))
    late = StopToken()
    late.stop("SIGTERM")
    with pytest.raises(Interrupted):
        write_run(result, first, force=True, render_map=False, token=late)
    assert _snapshot(first) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_explanation_solves_honour_the_stop(ws):
    sc = _fast(ws).with_overrides({"quota.0.min_share": 0.75})  # 3 of 4 firms by 2025
    token = StopToken()
    token.stop("SIGINT")
    from geodata.adapter import to_problem
    from models.conflicts import best_share, conflicting_rules
    from relocation.workflow import solve_params

    problem = to_problem(ws, sc)
    with pytest.raises(Interrupted):
        conflicting_rules(problem, token=token)
    with pytest.raises(Interrupted):
        best_share(problem, 2025, solve_params(sc), token=token)
