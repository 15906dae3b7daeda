"""Reproducible and bounded runs.

Same inputs, seed, one worker and a deterministic time limit give the same schedule, byte
for byte; ``summary.json`` records what reproducing a run needs; a time limit is always
set; inputs beyond the documented limits are refused with a clear message.
"""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest
from corpus import SCENARIO_TOML, base_tables, run_cli, write_base

from geodata.tables import MAX_FILE_BYTES, MAX_ROWS

ARGS = ("--quiet", "--workers", "1", "--seed", "11", "--deterministic-time", "3",
        "--set", "solver.relative_gap=0")


def bigger_tables(n: int = 30) -> dict[str, pd.DataFrame]:
    """``n`` firms spread over the two origin zones (seeded), so CP-SAT has choices."""
    rng = random.Random(20240)
    data = base_tables()
    base = data["firms"]
    rows = [base.iloc[i].copy() for i in range(len(base))]
    for i in range(len(base) + 1, n + 1):
        row = base.iloc[3].copy()
        zone, lon0, lat0, lon1, lat1 = rng.choice(
            [("Z_THUANAN", 106.68, 10.88, 106.75, 10.95), ("Z_TDM", 106.62, 10.96, 106.70, 11.02)]
        )
        row["firm_id"] = f"{i:04d}"
        row["name"] = f"Công ty số {i}"
        row["zone_id"] = zone
        row["sector"] = rng.choice(["wood", "metal"])
        row["lon"] = f"{rng.uniform(lon0 + 0.005, lon1 - 0.005):.5f}"
        row["lat"] = f"{rng.uniform(lat0 + 0.005, lat1 - 0.005):.5f}"
        row["land_area_m2"] = str(rng.randrange(500, 4000, 50))
        row["employees"] = str(rng.randrange(10, 200))
        row["mandatory"] = rng.choice(["true", "false"])
        row["supply_group"] = rng.choice(["", "G1", "G2"])
        row["preferred_site_ids"] = rng.choice(["", "S_BB2"])
        rows.append(row)
    data["firms"] = pd.DataFrame(rows).reset_index(drop=True)
    data["site_phases"].loc[:, "released_area_m2"] = ["60000", "40000"]
    return data


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("repro")
    scenario = SCENARIO_TOML + "[limits]\nmax_moves_per_year = 8\n"
    ws = write_base(root / "ws", bigger_tables(), scenario=scenario)
    outs = []
    for name in ("a", "b"):
        res = run_cli("plan", str(ws), "--out", str(root / name), *ARGS)
        assert res.returncode == 0, res.stderr
        outs.append(root / name)
    return ws, outs


def test_same_inputs_and_seed_give_the_same_schedule(two_runs):
    _, (a, b) = two_runs
    summary = json.loads((a / "summary.json").read_text(encoding="utf-8"))
    assert summary["firms"]["planned"] >= 10
    assert (a / "schedule.csv").read_bytes() == (b / "schedule.csv").read_bytes()
    assert (a / "site_load.csv").read_bytes() == (b / "site_load.csv").read_bytes()


def test_summary_holds_what_reproducing_needs(two_runs):
    ws, (a, _) = two_runs
    summary = json.loads((a / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["inputs"]) >= {"firms.csv", "sites.csv", "zones.geojson",
                                      "stations.csv", "sectors.csv", "scenario.toml"}
    import hashlib

    for name, digest in summary["inputs"].items():
        assert hashlib.sha256((ws / name).read_bytes()).hexdigest() == digest
    solver = summary["solver"]
    assert solver["seed"] == 11 and solver["workers"] == 1
    assert solver["deterministic_time_s"] == 3.0 and solver["relative_gap"] == 0.0
    assert solver["ortools_version"] and solver["python"]
    # CP-SAT itself ran (the LP and the greedy did not settle it alone).
    cp_sat_runs = [v for v in solver["stats"]["stages"] if "variables" in v]
    assert cp_sat_runs and max(v["variables"] for v in cp_sat_runs) > 0
    assert summary["scenario"] == "test"
    scenario = (a / "scenario.toml").read_text(encoding="utf-8")
    assert "max_moves_per_year = 8" in scenario and "seed = 11" in scenario


def test_a_time_limit_is_always_set(two_runs):
    _, (a, _) = two_runs
    summary = json.loads((a / "summary.json").read_text(encoding="utf-8"))
    # Even when the deterministic limit governs, the wall clock is bounded too.
    assert 0 < summary["solver"]["time_limit_s"] <= 86_400


def test_a_table_over_its_row_limit_is_refused(tmp_path):
    data = base_tables()
    n = MAX_ROWS["sectors"] + 1
    extra = pd.DataFrame({"code": [f"s{i}" for i in range(n)], "name_vi": "Ngành",
                          "name_en": "Sector", "pollution": "low"})
    data["sectors"] = pd.concat([data["sectors"], extra], ignore_index=True)
    ws = write_base(tmp_path / "ws", data)
    res = run_cli("plan", str(ws), "--out", str(tmp_path / "run"), "--quiet")
    assert res.returncode == 2
    assert f"{n + 3:,} rows; at most {MAX_ROWS['sectors']:,} sectors rows" in res.stderr
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("name", ["firms.csv", "scenario.toml", "workspace.gpkg"])
def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, name):
    ws = write_base(tmp_path / "ws")
    # A sparse file: over the limit on paper, no disk space or read time used.
    with (ws / name).open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    res = run_cli("plan", str(ws), "--out", str(tmp_path / "run"), "--quiet")
    assert res.returncode == 2, res.stderr
    assert name in res.stderr and f"{MAX_FILE_BYTES // 2**20} MB" in res.stderr
    assert not (tmp_path / "run").exists()
