"""Every freed-land output of a real run folder equals the ledger (issue 10).

Two real runs: a constructed workspace (a metro and a railway station, a firm moved before
the horizon, wards, year-by-year targets, a park that stays) and the embedded demo. The run
folder's ``freed_land.csv`` is the ledger; ``summary.json``, the workbook's freed-land
sheets, the GeoPackage layer and the terminal summary are checked against sums computed
here, with pandas, from that file alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from helpers_workspace import tables, write_workspace, zones_gdf

from geodata.workspace import demo_dir, read_workspace
from relocation.domain.errors import InputError
from relocation.domain.land_ledger import LEDGER_COLUMNS, by_key_year
from relocation.domain.land_use import LAND_CLASSES
from relocation.domain.palettes import CONVERTED_COLOUR
from relocation.report import plan_report
from relocation.workflow import PlanOptions, plan_workspace

SCENARIO = """\
name = "ledger"
[horizon]
start = 2024
end = 2030
[[quota]]
by_year = 2025
min_share = 0.2
max_share = 0.8
[[quota]]
by_year = 2030
min_share = 1.0
max_share = 1.0
[freed_land]
social_housing_min_m2 = 2500.0
remediation_years = 2
province_social_housing_units = 1000
province_social_housing_by_year = 2030
[freed_land.social_housing_units_per_ha_by_zone]
Z_THUANAN = 470.0
Z_TDM = 250.0
[[freed_land.employment_sites]]
name = "KCN còn lại"
lon = 106.727
lat = 10.927
[[freed_land.social_housing_targets]]
zone_id = "Z_THUANAN"
by_year = 2026
hectares = 0.5
units = 230
source = "test"
[[freed_land.social_housing_targets]]
zone_id = "Z_THUANAN"
by_year = 2030
units = 600
source = "test (assumption)"
[[freed_land.social_housing_targets]]
zone_id = "Z_TDM"
by_year = 2030
hectares = 0.6
[solver]
time_limit_s = 20
workers = 1
"""

# firm_id, zone, sector, m², lon, lat, moved_year, moved_site_id
FIRMS = [
    ("F01", "Z_THUANAN", "wood", 6000, 106.712, 10.912, "", ""),  # ~300 m from the metro
    ("F02", "Z_THUANAN", "textile", 8000, 106.716, 10.916, "", ""),  # polluting, ring
    ("F03", "Z_THUANAN", "wood", 7000, 106.730, 10.930, "", ""),  # near the park that stays
    ("F04", "Z_THUANAN", "wood", 1500, 106.735, 10.935, "", ""),  # small: green
    ("F05", "Z_THUANAN", "metal", 5000, 106.690, 10.940, "", ""),  # by the railway station
    ("F06", "Z_TDM", "wood", 9000, 106.660, 10.990, "", ""),
    ("F07", "Z_TDM", "metal", 4000, 106.665, 10.995, "", ""),
    ("F08", "Z_TDM", "textile", 6000, 106.670, 11.000, "", ""),
    ("F09", "Z_TDM", "metal", 800, 106.640, 10.980, "2023", "S_BB2"),  # moved before
    ("F10", "Z_THUANAN", "wood", 3000, 106.700, 10.900, "", ""),
]


def _constructed(root: Path) -> Path:
    base = tables()
    cols = list(base["firms"].columns)
    rows = []
    for fid, zone, sector, m2, lon, lat, my, ms in FIRMS:
        row = dict.fromkeys(cols, "")
        row.update(firm_id=fid, name=f"Công ty {fid} Bình Dương", zone_id=zone, sector=sector,
                   land_area_m2=str(m2), employees="50", mandatory="false", lon=str(lon),
                   lat=str(lat), moved_year=my, moved_site_id=ms)
        rows.append(row)
    firms = pd.DataFrame(rows, columns=cols, dtype=str)
    stations = pd.DataFrame(
        [
            ["ST1", "Ga Thuận An", "L1", "metro", "2030", "106.71", "10.91"],
            ["RS1", "Ga An Thạnh", "Đường sắt", "railway", "2033", "106.691", "10.941"],
            ["ST2", "Ga Bàu Bàng", "L3", "", "2032", "106.63", "11.26"],
        ],
        columns=["station_id", "name", "line", "line_kind", "opening_year", "lon", "lat"],
    )
    sites = base["sites"].copy()
    sites.loc[sites["site_id"] == "S_BB1", "free_area_m2"] = ""
    phases = pd.DataFrame([["S_BB1", "2024", "40000"], ["S_BB1", "2026", "30000"]],
                          columns=["site_id", "year", "released_area_m2"])
    zones = zones_gdf()
    zones["ward_2025"] = ["Phường Thuận An; Phường Lái Thiêu", "Phường Thủ Dầu Một", "Xã Bàu Bàng"]
    zones["ward_2025_code"] = ["25978;25966", "25747", "25822"]
    return write_workspace(
        root,
        overrides={"firms": firms, "stations": stations, "sites": sites, "site_phases": phases},
        scenario=SCENARIO,
        zones=zones,
    )


def _ha(df: pd.DataFrame) -> float:
    return float(df["area_m2"].sum()) / 10_000


def _read_sheet(path: Path, name: str, columns: list[str]) -> pd.DataFrame:
    raw = pd.read_excel(path, sheet_name=name, header=None, skiprows=2, dtype=object)
    raw.columns = columns
    return raw


def _check_run(run: Path, *, n_before: int) -> tuple[pd.DataFrame, dict]:
    """Assert that every freed-land output of ``run`` equals sums of its ledger."""
    led = pd.read_csv(
        run / "freed_land.csv", encoding="utf-8-sig", keep_default_na=False,
        dtype={"firm_id": str, "zone_id": str, "station_id": str, "ward_2025_code": str},
    )
    assert tuple(led.columns) == LEDGER_COLUMNS
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    land = summary["freed_land"]
    end = land["horizon_end"]
    years = [r["year"] for r in land["by_year"]]
    led["usable_by_end"] = led["available_year"] <= end

    # Every firm that left is in the ledger: planned moves and firms moved before; a
    # parcel converted in place is not freed, so not in the ledger.
    schedule = pd.read_csv(run / "schedule.csv", encoding="utf-8-sig", dtype={"firm_id": str})
    moved = schedule[schedule["action"] == "move"]
    assert set(led.loc[led["status"] == "planned", "firm_id"]) == set(moved["firm_id"])
    converted = schedule[schedule["action"] == "convert"]
    assert not set(converted["firm_id"]) & set(led["firm_id"])
    assert land["converted_parcels"] == len(converted)
    assert (led["status"] == "moved_before").sum() == n_before == land[
        "parcels_moved_before_horizon"
    ]
    assert land["parcels"] == len(led)

    # Totals by what they count.
    freed = led[led["move_year"] <= end]
    usable = freed[freed["available_year"] <= end]
    waiting = freed[freed["available_year"] > end]
    assert land["freed_ha"] == pytest.approx(_ha(freed), abs=1e-3)
    assert land["usable_ha"] == pytest.approx(_ha(usable), abs=1e-3)
    assert land["awaiting_remediation_ha"] == pytest.approx(_ha(waiting), abs=1e-3)
    assert land["freed_ha"] == pytest.approx(land["usable_ha"] + land["awaiting_remediation_ha"],
                                             abs=2e-3)
    assert land["freed_before_horizon_ha"] == pytest.approx(_ha(led[led["move_year"] < 2024]),
                                                            abs=1e-3)
    for cls in LAND_CLASSES:
        assert land["freed_ha_by_class"][cls] == pytest.approx(
            _ha(freed[freed["land_class"] == cls]), abs=1e-3)
        assert land["usable_ha_by_class"][cls] == pytest.approx(
            _ha(usable[usable["land_class"] == cls]), abs=1e-3)
        assert land["awaiting_remediation_ha_by_class"][cls] == pytest.approx(
            _ha(waiting[waiting["land_class"] == cls]), abs=1e-3)
    assert land["hectares_by_class"] == land["usable_ha_by_class"]
    units = int(usable["social_housing_units"].sum())
    assert land["social_housing_units"] == land["social_housing"]["units"] == units
    assert (led.loc[led["land_class"] != "social_housing", "social_housing_units"] == 0).all()

    # By year.
    for row in land["by_year"]:
        y = row["year"]
        f = led[led["move_year"] <= y]
        u = f[f["available_year"] <= y]
        assert row["freed_ha"] == pytest.approx(_ha(f), abs=1e-3)
        assert row["usable_ha"] == pytest.approx(_ha(u), abs=1e-3)
        assert row["awaiting_remediation_ha"] == pytest.approx(_ha(f) - _ha(u), abs=2e-3)

    # By zone and by 2025 ward, at the end.
    for key, block in (("zone_id", "by_zone"), ("ward_2025", "by_ward_2025")):
        got = {r[key]: r for r in land[block]}
        assert set(got) == set(led[key].astype(str))
        for k, part in led.groupby(key):
            u = part[part["available_year"] <= end]
            assert got[k]["freed_ha"] == pytest.approx(_ha(part), abs=1e-3)
            assert got[k]["usable_ha"] == pytest.approx(_ha(u), abs=1e-3)
            assert got[k]["social_housing_units"] == int(u["social_housing_units"].sum())

    # By station: ring land, and the TOD classes usable by the end.
    ring = led[led["tod_ring"] != ""]
    st = {r["station_id"]: r for r in land["tod_by_station"]}
    assert set(st) == set(ring["station_id"])
    for sid, part in ring.groupby("station_id"):
        u = part[part["available_year"] <= end]
        assert st[sid]["ring_core_freed_ha"] == pytest.approx(
            _ha(part[part["tod_ring"] == "core"]), abs=1e-3)
        assert st[sid]["ring_transition_freed_ha"] == pytest.approx(
            _ha(part[part["tod_ring"] == "transition"]), abs=1e-3)
        assert st[sid]["tod_core_ha"] == pytest.approx(
            _ha(u[u["land_class"] == "tod_core"]), abs=1e-3)
        assert st[sid]["parcels"] == len(part)
    for cls in ("tod_core", "tod_transition"):
        assert sum(r[f"{cls}_ha"] for r in land["tod_by_station"]) == pytest.approx(
            land["usable_ha_by_class"][cls], abs=0.01)
    assert sum(r["ring_core_freed_ha"] + r["ring_transition_freed_ha"]
               for r in land["tod_by_station"]) == pytest.approx(_ha(ring), abs=0.01)

    # Targets: units and land usable by each target's year.
    for t in land["targets"]:
        sel = led[(led["zone_id"] == t["zone_id"]) & (led["land_class"] == "social_housing")
                  & (led["available_year"] <= t["by_year"])]
        assert t["allocated_ha"] == pytest.approx(_ha(sel), abs=1e-3)
        assert t["social_housing_units"] == int(sel["social_housing_units"].sum())
    prov = land["social_housing"]["province_target"]
    if prov:
        counted = led[led["available_year"] <= prov["counted_by_year"]]
        assert prov["units_delivered"] == int(counted["social_housing_units"].sum())
        assert prov["share"] == pytest.approx(prov["units_delivered"] / prov["units"], abs=1e-6)

    # The workbook's sheets: by zone and year, by ward and year.
    cols = list(by_key_year(led.iloc[0:0], [end]).columns)
    for sheet, key in (("Đất giải phóng - Freed land", "zone_id"),
                       ("Theo phường 2025 - By ward", "ward_2025")):
        wb = _read_sheet(run / "schedule.xlsx", sheet, [key, *cols[1:]])
        for y in years:
            rows = wb[wb["year"] == y]
            f = led[led["move_year"] <= y]
            u = f[f["available_year"] <= y]
            assert rows["freed_ha"].astype(float).sum() == pytest.approx(_ha(f), abs=1e-6)
            assert rows["usable_ha"].astype(float).sum() == pytest.approx(_ha(u), abs=1e-6)
            for cls in LAND_CLASSES:
                assert rows[f"{cls}_ha"].astype(float).sum() == pytest.approx(
                    _ha(u[u["land_class"] == cls]), abs=1e-6)
            assert rows["social_housing_units"].astype(int).sum() == int(
                u["social_housing_units"].sum())
        last = wb[wb["year"] == end].set_index(key)
        for k, part in led.groupby(key):
            assert float(last.loc[str(k), "freed_ha"]) == pytest.approx(_ha(part), abs=1e-6)
    summary_sheet = _read_sheet(
        run / "schedule.xlsx", "Tổng hợp - Summary", ["item_vi", "item_en", "value"]
    )
    items = dict(zip(summary_sheet["item_en"], summary_sheet["value"], strict=True))
    assert float(items[f"Land freed by {end} (ha)"]) == pytest.approx(_ha(freed), abs=1e-3)
    assert float(items[f"Land usable by {end} (ha)"]) == pytest.approx(_ha(usable), abs=1e-3)
    assert int(items[f"Social-housing units on land usable by {end}"]) == units

    # The GeoPackage layer (the map's data) is the ledger with geometry.
    layer = gpd.read_file(run / "plan.gpkg", layer="freed_land")
    assert list(layer["firm_id"].astype(str)) == list(led["firm_id"])
    assert list(layer["land_class"]) == list(led["land_class"])
    assert layer["area_m2"].sum() == pytest.approx(led["area_m2"].sum(), rel=1e-9)
    assert layer["social_housing_units"].sum() == led["social_housing_units"].sum()
    assert list(layer["available_year"]) == list(led["available_year"])

    # The terminal summary prints the same labelled totals.
    text = plan_report(summary, run)
    assert (f"freed land by {end}: {_ha(freed):,.1f} ha freed" in text)
    assert f"{_ha(usable):,.1f} ha usable, {_ha(waiting):,.1f} ha awaiting remediation" in text
    assert f"social housing usable by {end}: {units:,} units" in text
    return led, land


def test_constructed_run_outputs_equal_the_ledger(tmp_path):
    ws = _constructed(tmp_path / "ws")
    out = plan_workspace(ws, tmp_path / "run", PlanOptions(render_map=True, workers=1))
    led, land = _check_run(out.out, n_before=1)
    by_id = led.set_index("firm_id")
    # The firm moved in 2023 frees its parcel before the horizon.
    assert by_id.loc["F09", "status"] == "moved_before" and by_id.loc["F09", "move_year"] == 2023
    # TOD: the metro station rings F01; the railway station RS1 gets no ring by default.
    assert by_id.loc["F01", "tod_ring"] == "core" and by_id.loc["F01", "station_id"] == "ST1"
    assert "RS1" not in set(led["station_id"])
    assert by_id.loc["F05", "tod_ring"] == ""
    # Wards: the zone's 2025 units travel with each parcel.
    assert by_id.loc["F06", "ward_2025"] == "Phường Thủ Dầu Một"
    assert land["social_housing"]["units_per_ha"]["Z_THUANAN"] == 470.0
    assert land["social_housing"]["province_target"]["units"] == 1000
    # The map draws no ring at the railway station: two stations with rings, each 2 circles.
    html = (out.out / "map.html").read_text(encoding="utf-8")
    assert html.count('"radius": 1000.0') == 2


def test_a_parcel_converted_in_place_is_converted_not_freed(tmp_path):
    ws = _constructed(tmp_path / "ws")
    # A conversion dearer than the demo's: the big parcels move, the small ones convert.
    opts = PlanOptions(render_map=True, workers=1, overrides={
        "rules.allow_conversion": True, "costs.conversion_vnd_per_m2": 6_000_000})
    out = plan_workspace(ws, tmp_path / "run", opts)
    led, land = _check_run(out.out, n_before=1)
    schedule = pd.read_csv(out.out / "schedule.csv", encoding="utf-8-sig", dtype={"firm_id": str})
    conv = schedule[schedule["action"] == "convert"]
    assert 0 < len(conv) < len(schedule)
    assert (conv["site_id"].isna() | (conv["site_id"] == "")).all()
    assert (conv["area_m2"] == 0).all() and (conv["conversion_vnd"] > 0).all()
    area = dict(zip(FIRM_IDS, FIRM_M2, strict=True))
    assert land["converted_ha"] == pytest.approx(sum(area[f] for f in conv["firm_id"]) / 1e4,
                                                 abs=1e-3)
    end = land["horizon_end"]
    assert land["converted_by_year"][-1] == {"year": end, "parcels": len(conv),
                                             "ha": land["converted_ha"]}
    summary = json.loads((out.out / "summary.json").read_text(encoding="utf-8"))
    text = plan_report(summary, out.out)
    assert f"converted in place by {end} (not freed): {len(conv):,} parcels" in text
    vi = plan_report(summary, out.out, "vi")
    assert (f"chuyển đổi tại chỗ đến hết {end} (không tính là đất giải phóng): {len(conv)} "
            "thửa") in vi
    sheet = _read_sheet(out.out / "schedule.xlsx", "Tổng hợp - Summary",
                        ["item_vi", "item_en", "value"])
    items = dict(zip(sheet["item_en"], sheet["value"], strict=True))
    assert float(items[f"Converted in place by {end} (ha, not freed)"]) == pytest.approx(
        land["converted_ha"], abs=1e-3)
    # The GeoPackage's moves layer keeps them (a zero-length line on the parcel).
    moves = gpd.read_file(out.out / "plan.gpkg", layer="moves")
    conv_layer = moves[moves["action"] == "convert"]
    assert len(conv_layer) == len(conv)
    assert (conv_layer.to_crs("EPSG:32648").geometry.length == 0).all()
    # The map: no flow for them, a marker of their own colour with a legend entry.
    html = (out.out / "map.html").read_text(encoding="utf-8")
    assert "Chuyển đổi công năng tại chỗ" in html and CONVERTED_COLOUR in html


FIRM_IDS = [f[0] for f in FIRMS]
FIRM_M2 = [f[3] for f in FIRMS]


def test_railway_rings_only_where_the_scenario_says(tmp_path):
    ws = _constructed(tmp_path / "ws")
    opts = PlanOptions(render_map=False, workers=1,
                       overrides={"freed_land.tod_lines": ["Đường sắt"]})
    out = plan_workspace(ws, tmp_path / "run", opts)
    led, _ = _check_run(out.out, n_before=1)
    f05 = led.set_index("firm_id").loc["F05"]
    assert f05["station_id"] == "RS1" and f05["tod_ring"] == "core"
    assert f05["station_line_kind"] == "railway"


@pytest.mark.slow
def test_demo_run_outputs_equal_the_ledger(tmp_path):
    out = plan_workspace(
        demo_dir(), tmp_path / "demo",
        PlanOptions(render_map=False, time_limit_s=60, workers=1, seed=0),
    )
    led, land = _check_run(out.out, n_before=15)
    # No TOD ring at the railway's stations by default.
    assert set(led.loc[led["tod_ring"] != "", "station_line_kind"]) == {"metro"}
    assert not any(r["station_line_kind"] != "metro" for r in land["tod_by_station"])
    # Social housing against the province's 86,900 units by 2030, printed and in the summary.
    prov = land["social_housing"]["province_target"]
    assert prov["units"] == 86_900 and prov["by_year"] == 2030 and 0 < prov["share"] < 1
    text = plan_report(json.loads((out.out / "summary.json").read_text(encoding="utf-8")),
                       out.out)
    assert f"{prov['share']:.1%} of the province's 86,900 units by 2030" in text
    # Every zone carries its 2025 wards.
    assert (led["ward_2025"] != "").all()


def test_targets_naming_unknown_zones_or_years_are_refused(tmp_path):
    bad = SCENARIO.replace(
        'zone_id = "Z_TDM"\nby_year = 2030', 'zone_id = "Z_NOPE"\nby_year = 2035'
    )
    ws = _constructed(tmp_path / "ws")
    (ws / "scenario.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_workspace(ws)
    msg = str(err.value)
    assert "freed_land.social_housing_targets.2.zone_id" in msg and "Z_NOPE" in msg
    assert "freed_land.social_housing_targets.2.by_year" in msg and "2035" in msg
