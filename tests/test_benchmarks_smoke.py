"""Quick checks of the benchmark scripts: GAP reader and workspace, HiGHS, synthetic provinces."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import gap_bench  # noqa: E402
import gap_highs  # noqa: E402
import gap_instances  # noqa: E402
import province_bench  # noqa: E402
import synthetic  # noqa: E402

from relocation.domain.errors import InputError  # noqa: E402
from relocation.domain.scenario import Scenario  # noqa: E402

SHARED = gap_instances.find_shared_dir()
needs_shared = pytest.mark.skipif(
    SHARED is None,
    reason="../shared/benchmarks/gap is absent (set RELOCATION_SHARED to its parent folder)",
)


def _c05100() -> gap_instances.GapInstance:
    assert SHARED is not None
    return gap_instances.read_gap_instance(gap_instances.gap_dir(SHARED) / "chu1997" / "c05100")


@needs_shared
def test_gap_reader_parses_c05100() -> None:
    inst = _c05100()
    assert (inst.agents, inst.items) == (5, 100)
    assert inst.cost.shape == inst.weight.shape == (5, 100)
    # Compare with the raw token stream: m n, costs, weights, capacities.
    path = gap_instances.gap_dir(SHARED) / "chu1997" / "c05100"
    raw = [int(t) for t in path.read_text(encoding="utf-8").split()]
    assert raw[:2] == [5, 100]
    assert inst.cost[0, :3].tolist() == raw[2:5] == [17, 40, 35]
    assert inst.cost[4, 99] == raw[2 + 499]
    assert inst.weight[2, 7] == raw[2 + 500 + 2 * 100 + 7]
    assert inst.capacity.tolist() == raw[-5:]


def test_gap_reader_names_the_bad_entry(tmp_path: Path) -> None:
    bad = tmp_path / "tiny"
    bad.write_text("2 3\n1 2 3\n4 x 6\n1 1 1\n1 1 1\n5 5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        gap_instances.read_gap_instance(bad)
    (issue,) = err.value.issues
    assert (issue.file, issue.row, issue.column, issue.value) == (
        "tiny",
        3,
        "cost[agent 2, item 2]",
        "x",
    )
    short = tmp_path / "short"
    short.write_text("2 3\n1 2 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs 16 numbers"):
        gap_instances.read_gap_instance(short)


@needs_shared
def test_best_known_table() -> None:
    rows = gap_instances.read_best_known(gap_instances.gap_dir(SHARED) / "best_known.csv")
    assert rows["c05100"].best_value == 1931 and rows["c05100"].optimum == 1931
    assert rows["d20200"].optimum is None and rows["d20200"].best_value == 12244
    assert rows["d801600"].gap_class == "D" and rows["d801600"].items == 1600
    available = gap_instances.available_instances(SHARED)
    assert "c05100" in available and "e801600" in available
    assert not any(bk.dataset == "cattrysse1994" for bk in available.values())
    assert all(name in available for name in gap_bench.QUICK)


@needs_shared
def test_gap_workspace_is_well_formed(tmp_path: Path) -> None:
    inst = _c05100()
    ws = gap_instances.write_gap_workspace(inst, tmp_path / "ws")
    firms = pd.read_csv(ws / "firms.csv", dtype={"firm_id": str})
    sites = pd.read_csv(ws / "sites.csv", dtype={"site_id": str})
    pairs = pd.read_csv(ws / "pairs.csv", dtype={"firm_id": str, "site_id": str})
    stations = pd.read_csv(ws / "stations.csv")
    sectors = pd.read_csv(ws / "sectors.csv")
    assert len(firms) == 100 and firms["firm_id"].is_unique
    assert (firms["employees"] == 0).all() and firms["mandatory"].eq(True).all()
    assert sites["free_area_m2"].tolist() == inst.capacity.tolist()
    assert (sites["available_from"] == 2024).all() and sites["accepts_polluting"].all()
    assert len(stations) == 0 and stations.columns.tolist() == gap_instances.STATIONS_COLUMNS
    assert sectors["code"].tolist() == ["other"]
    # Every pair once, integer VND and m², equal to the instance's matrices.
    assert len(pairs) == 500 and not pairs.duplicated(["firm_id", "site_id"]).any()
    assert pairs["cost_vnd"].dtype == np.int64 and pairs["required_area_m2"].dtype == np.int64
    agent = pairs["site_id"].map({s: i for i, s in enumerate(sites["site_id"])}).to_numpy()
    item = pairs["firm_id"].map({f: j for j, f in enumerate(firms["firm_id"])}).to_numpy()
    assert (pairs["cost_vnd"].to_numpy() == inst.cost[agent, item]).all()
    assert (pairs["required_area_m2"].to_numpy() == inst.weight[agent, item]).all()
    zones = json.loads((ws / "zones.geojson").read_text(encoding="utf-8"))["features"]
    assert len(zones) == 1 and zones[0]["properties"]["kind"] == "both"
    poly = shape(zones[0]["geometry"])
    for table in (firms, sites):
        assert shapely.contains_xy(poly, table["lon"], table["lat"]).all()
    with (ws / "scenario.toml").open("rb") as fh:
        scenario = Scenario.model_validate(tomllib.load(fh))
    assert scenario.horizon.years == (2024,) and scenario.solver.relative_gap == 0.0
    assert scenario.quota[0].min_count(100) == scenario.quota[0].max_count(100) == 100


@needs_shared
def test_highs_side_returns_a_valid_assignment_and_bound() -> None:
    # No timing assertion: the bound and the incumbent must bracket the known optimum.
    inst = _c05100()
    res = gap_highs.solve_gap_highs(inst, time_limit_s=20.0, threads=2)
    assert res.assignment is not None and inst.check_assignment(res.assignment) == []
    assert res.objective == inst.objective(res.assignment) >= 1931
    assert res.bound is not None and res.bound <= 1931 + 1e-6


@needs_shared
def test_relocation_plan_reaches_the_gap_optimum(tmp_path: Path) -> None:
    ws = gap_instances.write_gap_workspace(_c05100(), tmp_path / "ws")
    run = gap_bench.run_plan(ws, tmp_path / "run", time_limit_s=20.0, workers=1)
    assert run.exit_code == 0, run.message
    assert run.objective is not None and run.objective >= 1931
    if run.status == "OPTIMAL":
        assert run.objective == 1931


def test_time_to_gap_from_progress_events() -> None:
    events = [
        {"t": 0.5, "objective": 1000, "bound": 0.0},
        {"t": 1.0, "objective": 950},  # only a better plan
        {"t": 2.0, "bound": 930.0},  # gap (950 - 930) / 950 = 2.1 %
        {"t": 3.5, "bound": 941.0},  # 0.95 %: reached here
        {"t": 4.0, "objective": 945, "bound": 945.0},
    ]
    assert province_bench.time_to_first_plan(events) == 0.5
    assert province_bench.time_to_gap(events, 0.01) == 3.5
    assert province_bench.time_to_gap(events, 0.0) == 4.0
    assert province_bench.time_to_gap(events[:3], 0.01) is None
    assert province_bench.time_to_gap([], 0.01) is None


def _check_witness(ws: Path, witness: pd.DataFrame) -> None:
    """Re-verify, from the written files alone, that the witness plan obeys every hard rule."""
    firms = pd.read_csv(ws / "firms.csv", dtype={"supply_group": str}, keep_default_na=False)
    sites = pd.read_csv(ws / "sites.csv")
    phases = pd.read_csv(ws / "site_phases.csv")
    zones = json.loads((ws / "zones.geojson").read_text(encoding="utf-8"))["features"]
    sectors = pd.read_csv(ws / "sectors.csv")
    with (ws / "scenario.toml").open("rb") as fh:
        scenario = Scenario.model_validate(tomllib.load(fh))
    years = scenario.horizon.years
    deadline = {z["properties"]["zone_id"]: z["properties"].get("deadline_year") for z in zones}
    plan = witness.merge(firms, on="firm_id").merge(sites, on="site_id", suffixes=("", "_site"))
    assert len(plan) == len(firms)  # everyone moves exactly once
    assert (plan["year"] >= plan["earliest_year"]).all()
    mandatory = plan["mandatory"].to_numpy(dtype=bool)  # pandas reads true/false as bool
    assert (plan.loc[mandatory, "year"] <= plan.loc[mandatory, "zone_id"].map(deadline)).all()
    ok_sector = [
        acc == "*" or sec in acc.split(";")
        for sec, acc in zip(plan["sector"], plan["accepts_sectors"], strict=True)
    ]
    assert all(ok_sector)
    assert (~((plan["pollution"] == "high") & ~plan["accepts_polluting"])).all()
    limit = plan["max_firm_area_m2"].fillna(np.inf)
    assert (plan["land_area_m2"] <= limit).all()
    assert set(plan["sector"]) <= set(sectors["code"])
    # Land: cumulative use by each year within the land released by then.
    for site in sites.itertuples():
        ph = phases[phases["site_id"] == site.site_id]
        for y in years:
            if len(ph):
                released = ph.loc[ph["year"] <= y, "released_area_m2"].sum()
            else:
                released = site.free_area_m2 if site.available_from <= y else 0
            used = plan.loc[(plan["site_id"] == site.site_id) & (plan["year"] <= y)]
            assert used["land_area_m2"].sum() <= released, (site.site_id, y)
    n = len(firms)
    for q in scenario.quota:
        moved = int((plan["year"] <= q.by_year).sum())
        assert q.min_count(n) <= moved <= q.max_count(n), q
    per_year = plan.groupby("year").size()
    assert per_year.max() <= scenario.limits.max_moves_per_year


@pytest.mark.parametrize(("seed", "years"), [(1, 7), (2, 7), (3, 3), (4, 5)])
def test_synthetic_province_is_well_formed_and_feasible(
    tmp_path: Path, seed: int, years: int
) -> None:
    province = synthetic.generate_province(200, seed=seed, years=years)
    ws = synthetic.write_province(province, tmp_path / "ws")
    firms = pd.read_csv(ws / "firms.csv", keep_default_na=False)
    sites = pd.read_csv(ws / "sites.csv")
    assert firms.columns.tolist() == [
        "firm_id", "name", "zone_id", "sector", "land_area_m2", "employees", "mandatory",
        "pollution", "lon", "lat", "supply_group", "earliest_year",
    ]  # fmt: skip
    assert {"site_id", "name", "zone_id", "kind", "free_area_m2", "available_from",
            "accepts_sectors", "accepts_polluting", "lon", "lat"} <= set(sites.columns)  # fmt: skip
    assert len(firms) == 200 and firms["firm_id"].is_unique
    assert len(sites) >= 25 and set(sites["kind"]) == {"industrial_park", "cluster"}
    assert set(firms["sector"]) <= set(synthetic.SECTOR_CODES)
    assert firms["mandatory"].dtype == bool and 0.30 <= firms["mandatory"].mean() <= 0.65
    assert firms["land_area_m2"].between(500, 100_000).all()
    assert firms["employees"].between(10, 2500).all()
    assert any("ệ" in name or "ư" in name for name in firms["name"])  # diacritics kept
    assert sites["accepts_polluting"].mean() > 0.5 and (sites["accepts_sectors"] != "*").any()
    zones = json.loads((ws / "zones.geojson").read_text(encoding="utf-8"))["features"]
    polys = {z["properties"]["zone_id"]: shape(z["geometry"]) for z in zones}
    kinds = {z["properties"]["zone_id"]: z["properties"]["kind"] for z in zones}
    for table, kind in ((firms, "origin"), (sites, "destination")):
        for zone_id, rows in table.groupby("zone_id"):
            assert kinds[zone_id] == kind
            assert shapely.contains_xy(polys[zone_id], rows["lon"], rows["lat"]).all()
    # Land over the whole horizon: about 10 % more than the firms need.
    released = (
        sites["free_area_m2"].sum() + pd.read_csv(ws / "site_phases.csv")["released_area_m2"].sum()
    )
    assert 1.08 <= released / firms["land_area_m2"].sum() <= 1.6
    _check_witness(ws, province.witness)


def test_synthetic_generator_is_seeded() -> None:
    a = synthetic.generate_province(100, seed=7)
    b = synthetic.generate_province(100, seed=7)
    c = synthetic.generate_province(100, seed=8)
    pd.testing.assert_frame_equal(a.firms, b.firms)
    pd.testing.assert_frame_equal(a.sites, b.sites)
    assert not a.firms["land_area_m2"].equals(c.firms["land_area_m2"])
