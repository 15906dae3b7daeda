"""Deferred outputs (issue 14): a run written with its plan only, completed by `outputs`."""

from __future__ import annotations

import re
import shutil

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from cli_runner import run_cli
from helpers_workspace import write_workspace

from geodata.workspace import read_workspace
from maps.offline import check_offline
from relocation.run_folder import DEFERRED_FILES, write_outputs, write_run
from relocation.workflow import plan_scenario


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One solve written twice: every file (as `make demo` writes), and the plan only."""
    root = tmp_path_factory.mktemp("deferred")
    ws_dir = write_workspace(root / "ws")
    ws = read_workspace(ws_dir)
    sc = ws.scenario.with_overrides({"solver.time_limit_s": 20, "solver.workers": 1}, "test")
    result = plan_scenario(ws, sc)
    assert result.plan is not None
    full = write_run(result, root / "full")
    plans = write_run(result, root / "plans", outputs="plans")
    return ws_dir, full, plans


def _map_text(path):
    # folium names its elements with random ids: the same map differs only in them.
    return re.sub(r"[0-9a-f]{32}", "ID", path.read_text(encoding="utf-8"))


def test_plans_only_then_outputs_gives_what_a_full_run_writes(runs, tmp_path):
    ws_dir, full, plans = runs
    run = tmp_path / "run"
    shutil.copytree(plans, run)
    names = {p.name for p in run.iterdir()}
    assert names == {p.name for p in full.iterdir()} - set(DEFERRED_FILES)
    res = run_cli("outputs", str(run), timeout=300)
    assert res.returncode == 0, res.stderr
    assert "schedule.xlsx, plan.gpkg, map.html" in res.stdout
    assert {p.name for p in run.iterdir()} == {p.name for p in full.iterdir()}
    # The same workbook, GeoPackage and map as the full run's.
    a = pd.read_excel(full / "schedule.xlsx", sheet_name=None)
    b = pd.read_excel(run / "schedule.xlsx", sheet_name=None)
    assert list(a) == list(b) and all(a[k].equals(b[k]) for k in a)
    layers = [name for name, _ in pyogrio.list_layers(full / "plan.gpkg")]
    assert layers == [name for name, _ in pyogrio.list_layers(run / "plan.gpkg")]
    for layer in layers:
        x = gpd.read_file(full / "plan.gpkg", layer=layer)
        y = gpd.read_file(run / "plan.gpkg", layer=layer)
        if layer == "layer_styles":  # stamped with the time of writing
            x, y = x.drop(columns="update_time"), y.drop(columns="update_time")
        assert x.equals(y), layer
    assert _map_text(full / "map.html") == _map_text(run / "map.html")
    check_offline((run / "map.html").read_text(encoding="utf-8"))
    # Nothing else is touched, and no temporary file is left.
    for name in ("schedule.csv", "summary.json", "scenario.toml"):
        assert (run / name).read_bytes() == (plans / name).read_bytes()
    assert not [p for p in run.iterdir() if p.name.startswith(".")]
    # --missing writes nothing when every output is there.
    res = run_cli("outputs", str(run), "--missing")
    assert res.returncode == 0 and "already there" in res.stdout


def test_one_output_and_bad_requests(runs, tmp_path):
    ws_dir, _, plans = runs
    run = tmp_path / "run"
    shutil.copytree(plans, run)
    assert [p.name for p in write_outputs(run, ("schedule.xlsx",))] == ["schedule.xlsx"]
    assert not (run / "map.html").exists()
    res = run_cli("outputs", str(run), "--which", "report.pdf")
    assert res.returncode == 2 and "--which" in res.stderr
    res = run_cli("outputs", str(tmp_path / "nowhere"))
    assert res.returncode == 2 and "nowhere" in res.stderr


def test_a_changed_workspace_is_refused(runs, tmp_path):
    ws_dir, _, plans = runs
    ws = tmp_path / "ws"
    shutil.copytree(ws_dir, ws)
    run = tmp_path / "run"
    shutil.copytree(plans, run)
    sites = ws / "sites.csv"
    sites.write_text(sites.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    res = run_cli("outputs", str(run), "--workspace", str(ws))
    assert res.returncode == 2, res.stderr
    assert "sites.csv" in res.stderr and "changed since the run" in res.stderr
    assert not (run / "map.html").exists()


def test_sweep_outputs_option_is_checked_before_anything(runs, tmp_path):
    ws_dir, _, _ = runs
    out = tmp_path / "sweep"
    res = run_cli("sweep", str(ws_dir), "--quota", "0.3", "--out", str(out), "--outputs", "maps")
    assert res.returncode == 2 and "--outputs" in res.stderr and "plans or all" in res.stderr
    assert not out.exists()
