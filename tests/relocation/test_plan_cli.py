"""`relocation plan` end to end on a small workspace, then `relocation map --lang en`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from cli_runner import run_cli
from helpers_workspace import write_workspace

from geodata.adapter import to_problem
from geodata.workspace import read_workspace
from maps.offline import check_offline
from relocation.domain.check import check_plan
from relocation.domain.problem import MOVE_TERMS, Plan

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, timeout=300)


def test_plan_writes_a_checked_run_folder_and_map_rerenders(tmp_path):
    ws_dir = write_workspace(tmp_path / "ws")
    run = tmp_path / "run"
    res = _run("plan", str(ws_dir), "--out", str(run), "--quiet", "--time-limit", "20",
               "--workers", "1")
    assert res.returncode == 0, res.stderr
    assert "Plan " in res.stdout and "outputs in" in res.stdout
    expected = {"schedule.csv", "schedule.xlsx", "site_load.csv", "freed_land.csv", "plan.gpkg",
                "map.html", "summary.json", "scenario.toml"}
    assert expected <= {p.name for p in run.iterdir()}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".run.")]

    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] in ("OPTIMAL", "FEASIBLE")
    for key in ("objective", "terms", "best_bound", "gap", "wall_time_s", "quota",
                "moves_per_year", "solver", "inputs"):
        assert key in summary
    assert summary["gap"] >= 0 and summary["best_bound"] <= summary["objective"] + 1

    # The schedule, read back as a Plan, passes check_plan against the workspace.
    schedule = pd.read_csv(run / "schedule.csv", encoding="utf-8-sig",
                           dtype={"firm_id": str, "site_id": str})
    ws = read_workspace(ws_dir)
    problem = to_problem(ws)
    plan = Plan(moves=schedule, terms=summary["terms"], objective=summary["weighted_objective"])
    chk = check_plan(problem, plan)
    assert chk.ok, chk.violations
    assert [f"{t}_vnd" for t in MOVE_TERMS] == list(schedule.columns[6:6 + len(MOVE_TERMS)])

    layers = {name for name, _ in pyogrio.list_layers(run / "plan.gpkg")}
    assert {"firms", "sites", "moves", "freed_land", "zones", "stations"} <= layers
    freed = gpd.read_file(run / "plan.gpkg", layer="freed_land")
    # Planned moves and the firm moved before the horizon (0003, 2023) both free land.
    assert len(freed) == len(schedule) + 1 and freed["land_class"].notna().all()
    assert set(freed.loc[freed["status"] == "moved_before", "firm_id"]) == {"0003"}

    vi = (run / "map.html").read_text(encoding="utf-8")
    res = _run("map", str(run), "--lang", "en")
    assert res.returncode == 0, res.stderr
    en = (run / "map.html").read_text(encoding="utf-8")
    assert en != vi
    check_offline(en)
    assert "Freed land" in en or "freed" in en.lower()


def test_existing_output_is_refused_without_force(tmp_path):
    ws_dir = write_workspace(tmp_path / "ws")
    run = tmp_path / "run"
    run.mkdir()
    (run / "keep.txt").write_text("x", encoding="utf-8")
    res = _run("plan", str(ws_dir), "--out", str(run), "--quiet")
    assert res.returncode == 2
    assert (run / "keep.txt").read_text(encoding="utf-8") == "x"
