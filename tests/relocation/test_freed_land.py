"""Freed-land measurement (geodata.parcels) and classification (relocation.domain.land_use).

Parcels are real squares built in UTM 48N around a real station point near Bình Chuẩn,
then reprojected to WGS 84 as the workflow gives them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geodata.parcels import FREED_PARCEL_COLUMNS, freed_parcels
from models.housing import allocate_social_housing
from relocation.domain.errors import InputError
from relocation.domain.land_ledger import summarise_freed_land
from relocation.domain.land_use import classify_freed_land, tod_station_mask
from relocation.domain.scenario import FreedLand, SocialHousingTarget

UTM = "EPSG:32648"
YEARS = tuple(range(2024, 2031))
# Station near Bình Chuẩn (Thuận An), in UTM metres.
SX, SY = 690_000.0, 1_213_000.0


def _square(dx: float, dy: float, side: float) -> shapely.Polygon:
    cx, cy = SX + dx, SY + dy
    return shapely.box(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)


def _world(firms_spec, stations=True):
    """firms_spec: (firm_id, dx, dy, side, pollution, zone)."""
    firms = gpd.GeoDataFrame(
        {
            "firm_id": [f[0] for f in firms_spec],
            "name": [f"Công ty {f[0]} Bình Chuẩn" for f in firms_spec],
            "zone_id": [f[5] for f in firms_spec],
            "sector": ["wood_furniture"] * len(firms_spec),
            "pollution": [f[4] for f in firms_spec],
            "employees": [80] * len(firms_spec),
        },
        geometry=[_square(f[1], f[2], f[3]) for f in firms_spec],
        crs=UTM,
    ).to_crs("EPSG:4326")
    st = gpd.GeoDataFrame(
        {
            "station_id": ["BD1_08", "BD1_01"],
            "name": ["Ga Bình Chuẩn", "Ga S1"],
            "line": ["Metro BD 1", "Metro BD 1"],
            "opening_year": [2031, 2031],
        },
        geometry=[shapely.Point(SX, SY), shapely.Point(SX - 20_000, SY + 15_000)],
        crs=UTM,
    ).to_crs("EPSG:4326")
    if not stations:
        st = st.iloc[0:0]
    sites = gpd.GeoDataFrame(
        {"site_id": ["D_VSIP3"], "name": ["VSIP III"]},
        geometry=[shapely.Point(SX + 10_000, SY + 25_000)],
        crs=UTM,
    ).to_crs("EPSG:4326")
    return firms, st, sites


SPEC = [
    ("F_IN500", 490, 0, 60, "low", "thuan_an"),
    ("F_OUT500", 0, 510, 60, "low", "thuan_an"),
    ("F_IN1000", -990, 0, 60, "low", "thuan_an"),
    ("F_OUT1000", 0, -1010, 60, "low", "thuan_an"),
    ("F_SMALL", 3000, 0, 40, "low", "thuan_an"),
    ("F_DIRTY", -3000, 0, 100, "high", "thuan_an"),
    ("F_BIG", 0, 2500, 100, "medium", "thuan_an"),
    ("F_STAYS", 0, 2900, 50, "low", "thuan_an"),  # does not move: remaining jobs
]


def _moves(ids, year=2027, years=None):
    return pd.DataFrame(
        {
            "firm_id": ids,
            "site_id": ["D_VSIP3"] * len(ids),
            "year": years if years is not None else [year] * len(ids),
        }
    )


@pytest.fixture
def parcels():
    firms, st, sites = _world(SPEC)
    moved = [s[0] for s in SPEC if s[0] != "F_STAYS"]
    years = [2027, 2027, 2027, 2027, 2027, 2029, 2026]
    return freed_parcels(firms, _moves(moved, years=years), st, sites)


def test_parcels_are_measured_in_metres(parcels):
    assert tuple(parcels.columns[:-1]) == FREED_PARCEL_COLUMNS
    assert parcels.crs.to_epsg() == 4326
    p = parcels.set_index("firm_id")
    assert p.loc["F_IN500", "area_m2"] == pytest.approx(3600, rel=1e-3)
    assert p.loc["F_IN500", "station_distance_m"] == pytest.approx(490, abs=0.5)
    assert p.loc["F_OUT500", "station_distance_m"] == pytest.approx(510, abs=0.5)
    assert p.loc["F_IN500", "station_id"] == "BD1_08"
    assert p.loc["F_IN500", "station_opening_year"] == 2031
    # F_BIG's nearest remaining job is F_STAYS, 400 m north (sites are ~25 km away).
    assert p.loc["F_BIG", "jobs_distance_km"] == pytest.approx(0.4, abs=0.001)
    assert "F_STAYS" not in p.index


def test_rings_just_inside_and_outside(parcels):
    out = classify_freed_land(
        parcels, FreedLand(), YEARS, allocate=allocate_social_housing
    ).set_index("firm_id")
    assert out.loc["F_IN500", "land_class"] == "tod_core"
    assert out.loc["F_OUT500", "land_class"] == "tod_transition"
    assert out.loc["F_IN1000", "land_class"] == "tod_transition"
    assert out.loc["F_OUT1000", "land_class"] == "commerce_services"
    assert out.loc["F_IN500", "reason"].startswith(
        "490 m from Ga Bình Chuẩn (Metro BD 1, opens 2031)"
    )
    assert "≤ 500 m" in out.loc["F_IN500", "reason"]
    assert "Ga Bình Chuẩn" in out.loc["F_IN500", "reason_vi"]


def test_ring_thresholds_come_from_the_config(parcels):
    cfg = FreedLand(tod_core_m=520.0, tod_transition_m=1020.0)
    out = classify_freed_land(parcels, cfg, YEARS, allocate=allocate_social_housing).set_index(
        "firm_id"
    )
    assert out.loc["F_OUT500", "land_class"] == "tod_core"
    assert out.loc["F_OUT1000", "land_class"] == "tod_transition"


def test_remediation_delays_polluting_parcels(parcels):
    out = classify_freed_land(
        parcels, FreedLand(remediation_years=2), YEARS, allocate=allocate_social_housing
    ).set_index("firm_id")
    assert out.loc["F_DIRTY", "available_year"] == 2031
    assert bool(out.loc["F_DIRTY", "awaiting_remediation"])
    assert out.loc["F_DIRTY", "land_class"] == "green_public"
    assert "remediation until 2031" in out.loc["F_DIRTY", "reason"]
    # Medium pollution does not wait.
    assert out.loc["F_BIG", "available_year"] == 2026
    # With no delay the same parcel is usable in its move year and becomes ordinary land.
    out0 = classify_freed_land(
        parcels, FreedLand(remediation_years=0), YEARS, allocate=allocate_social_housing
    ).set_index("firm_id")
    assert out0.loc["F_DIRTY", "available_year"] == 2029
    assert out0.loc["F_DIRTY", "land_class"] == "commerce_services"


def test_small_parcel_becomes_green(parcels):
    out = classify_freed_land(
        parcels, FreedLand(), YEARS, allocate=allocate_social_housing
    ).set_index("firm_id")
    assert out.loc["F_SMALL", "land_class"] == "green_public"
    assert "1,600 m² ≤ 2,000 m²" in out.loc["F_SMALL", "reason"]


def test_social_housing_by_rule_without_target(parcels):
    out = classify_freed_land(
        parcels, FreedLand(), YEARS, allocate=allocate_social_housing
    ).set_index("firm_id")
    assert out.loc["F_BIG", "land_class"] == "social_housing"
    assert "rule" in out.loc["F_BIG", "reason"]
    # Too far from jobs: no social housing.
    far = classify_freed_land(
        parcels,
        FreedLand(social_housing_max_km_to_jobs=0.3),
        YEARS,
        allocate=allocate_social_housing,
    )
    assert far.set_index("firm_id").loc["F_BIG", "land_class"] == "commerce_services"


def _target_world():
    spec = [
        ("T_CORE", 300, 0, 120, "low", "thuan_an"),  # 1.44 ha, TOD core
        ("T_A", 0, 2200, 80, "low", "thuan_an"),  # 0.64 ha
        ("T_B", 200, 2300, 75, "low", "thuan_an"),  # 0.5625 ha
        ("T_C", -200, 2300, 100, "low", "thuan_an"),  # 1.0 ha
        ("T_JOB", 0, 2600, 40, "low", "thuan_an"),  # stays
        ("D_OTHER", 300, 2600, 100, "low", "di_an"),  # di_an, no target
    ]
    firms, st, sites = _world(spec)
    moved = ["T_CORE", "T_A", "T_B", "T_C", "D_OTHER"]
    return freed_parcels(firms, _moves(moved), st, sites)


def test_allocation_meets_target_and_keeps_tod_land():
    p = _target_world()
    cfg = FreedLand(social_housing_target_ha={"thuan_an": 1.2})
    out = classify_freed_land(p, cfg, YEARS, allocate=allocate_social_housing).set_index("firm_id")
    sh = out.index[out["land_class"] == "social_housing"]
    # 1.2 ha is met by T_A + T_B (1.2025 ha), the cheapest cover; the TOD core is kept.
    assert set(sh) == {"T_A", "T_B", "D_OTHER"}
    assert out.loc["T_CORE", "land_class"] == "tod_core"
    assert out.loc["T_C", "land_class"] == "commerce_services"
    assert "not needed" in out.loc["T_C", "reason"]
    assert "target of 1.2 ha" in out.loc["T_A", "reason"]
    summary = summarise_freed_land(out.reset_index(), cfg, YEARS)
    t = summary.targets.set_index("zone_id")
    assert t.loc["thuan_an", "shortfall_ha"] == 0
    assert t.loc["thuan_an", "allocated_ha"] == pytest.approx(1.2025, abs=1e-3)
    assert t.loc["thuan_an", "social_housing_units"] == round(1.2025 * 341)


def test_allocation_takes_tod_land_only_when_needed():
    p = _target_world()
    # 3.5 ha needs all four eligible parcels (3.6425 ha): the TOD core goes too.
    cfg = FreedLand(social_housing_target_ha={"thuan_an": 3.5})
    out = classify_freed_land(p, cfg, YEARS, allocate=allocate_social_housing).set_index("firm_id")
    assert out.loc["T_CORE", "land_class"] == "social_housing"
    s = summarise_freed_land(out.reset_index(), cfg, YEARS).targets.set_index("zone_id")
    assert s.loc["thuan_an", "shortfall_ha"] == 0
    # 5 ha cannot be met: everything eligible is used and the shortfall is reported.
    cfg = FreedLand(social_housing_target_ha={"thuan_an": 5.0, "ben_cat": 2.0})
    out = classify_freed_land(p, cfg, YEARS, allocate=allocate_social_housing)
    s = summarise_freed_land(out, cfg, YEARS).targets.set_index("zone_id")
    assert s.loc["thuan_an", "shortfall_ha"] == pytest.approx(5.0 - 3.6425, abs=1e-3)
    assert s.loc["ben_cat", "shortfall_ha"] == 2.0


def test_summary_by_zone_year_and_station(parcels):
    cfg = FreedLand()
    out = classify_freed_land(parcels, cfg, YEARS, allocate=allocate_social_housing)
    s = summarise_freed_land(out, cfg, YEARS)
    z = s.by_zone_year.set_index(["zone_id", "year"])
    assert z.loc[("thuan_an", 2025), "freed_ha"] == 0
    assert z.loc[("thuan_an", 2026), "social_housing_ha"] == pytest.approx(1.0, abs=1e-3)
    assert z.loc[("thuan_an", 2026), "social_housing_units"] == 341
    assert z.loc[("thuan_an", 2030), "awaiting_remediation_ha"] == pytest.approx(1.0, abs=1e-3)
    st = s.by_station.set_index("station_id")
    # Ring land whatever its class, and land of the TOD classes usable by the end.
    assert st.loc["BD1_08", "ring_core_freed_ha"] == pytest.approx(0.36, abs=1e-3)
    assert st.loc["BD1_08", "ring_transition_freed_ha"] == pytest.approx(0.72, abs=1e-3)
    assert st.loc["BD1_08", "tod_core_ha"] == pytest.approx(0.36, abs=1e-3)
    assert st.loc["BD1_08", "tod_transition_ha"] == pytest.approx(0.72, abs=1e-3)
    assert st.loc["BD1_08", "parcels"] == 3


def test_no_stations_means_no_tod():
    firms, st, sites = _world(SPEC, stations=False)
    p = freed_parcels(firms, _moves(["F_IN500"]), st, sites)
    out = classify_freed_land(p, FreedLand(), YEARS, allocate=allocate_social_housing)
    assert out["land_class"].iloc[0] == "commerce_services"


def test_bad_input_names_table_row_and_column(parcels):
    bad = parcels.copy()
    bad.loc[1, "pollution"] = "toxic"
    with pytest.raises(InputError) as err:
        classify_freed_land(bad, FreedLand(), YEARS, allocate=allocate_social_housing)
    msg = str(err.value)
    assert "parcels, row 3, column pollution" in msg and "F_OUT500" in msg
    bad = parcels.copy()
    bad["area_m2"] = bad["area_m2"].astype(float)
    bad["move_year"] = bad["move_year"].astype(float)
    bad.loc[0, "area_m2"] = float("inf")
    bad.loc[2, "area_m2"] = -1.0
    bad.loc[2, "move_year"] = 2027.5
    bad.loc[3, "jobs_distance_km"] = float("inf")  # no remaining jobs: allowed
    with pytest.raises(InputError) as err:
        classify_freed_land(bad, FreedLand(), YEARS, allocate=allocate_social_housing)
    where = sorted((i.row, i.column) for i in err.value.issues)
    assert where == [(2, "area_m2"), (4, "area_m2"), (4, "move_year")]
    firms, st, sites = _world(SPEC)
    with pytest.raises(InputError) as err:
        freed_parcels(firms, _moves(["F_IN500", "NOPE"]), st, sites)
    assert "moves, row 3, column firm_id" in str(err.value)
    with pytest.raises(InputError, match="required column"):
        classify_freed_land(
            parcels.drop(columns="area_m2"), FreedLand(), YEARS, allocate=allocate_social_housing
        )


def test_near_jobs_counts_only_employment_remaining_that_year():
    # F_BIG frees its parcel in 2026; F_STAYS (400 m away) leaves in 2027 or 2025.
    firms, st, sites = _world(SPEC)
    later = freed_parcels(firms, _moves(["F_BIG", "F_STAYS"], years=[2026, 2027]), st, sites)
    assert later.set_index("firm_id").loc["F_BIG", "jobs_distance_km"] == pytest.approx(
        0.4, abs=0.001
    )
    # Gone before F_BIG's parcel is usable: the nearest job is F_OUT500, 1.99 km south.
    earlier = freed_parcels(firms, _moves(["F_BIG", "F_STAYS"], years=[2026, 2025]), st, sites)
    assert earlier.set_index("firm_id").loc["F_BIG", "jobs_distance_km"] == pytest.approx(
        1.99, abs=0.001
    )
    # Measured in the given jobs year (the year the land becomes usable), not the move year.
    mv = _moves(["F_BIG", "F_STAYS"], years=[2026, 2027]).assign(jobs_year=[2028, 2027])
    p = freed_parcels(firms, mv, st, sites).set_index("firm_id")
    assert p.loc["F_BIG", "jobs_year"] == 2028
    assert p.loc["F_BIG", "jobs_distance_km"] == pytest.approx(1.99, abs=0.001)


def test_employment_that_stays_counts_until_its_year():
    firms, st, sites = _world(SPEC)
    park = gpd.GeoDataFrame(
        {"name": ["KCN còn lại"], "until_year": pd.array([2026], dtype="Int64")},
        geometry=[shapely.Point(SX + 1_000, SY + 2_500)],
        crs=UTM,
    ).to_crs("EPSG:4326")
    ids = [s[0] for s in SPEC]
    mv = _moves(ids, years=[2026] * len(ids))
    p = freed_parcels(firms, mv, st, sites, park).set_index("firm_id")
    assert p.loc["F_BIG", "jobs_distance_km"] == pytest.approx(1.0, abs=0.01)
    mv = _moves(ids, years=[2027] * len(ids))
    p = freed_parcels(firms, mv, st, sites, park).set_index("firm_id")
    assert p.loc["F_BIG", "jobs_distance_km"] > 20  # only the site, ~25 km north


def test_tod_rings_for_metro_lines_by_default():
    st = pd.DataFrame(
        {
            "station_id": ["M1", "R1", "X1"],
            "line": ["Metro BD 1", "Đường sắt Dĩ An – Bàu Bàng", "L9"],
            "line_kind": ["metro", "railway", ""],
        }
    )
    assert list(tod_station_mask(st, FreedLand())) == [True, False, True]
    assert list(tod_station_mask(st, FreedLand(tod_line_kinds=("metro", "railway")))) == [
        True, True, True,
    ]
    cfg = FreedLand(tod_lines=("Đường sắt Dĩ An – Bàu Bàng",), tod_line_kinds=())
    assert list(tod_station_mask(st, cfg)) == [False, True, False]
    assert list(tod_station_mask(st.drop(columns="line_kind"), FreedLand())) == [True] * 3


def test_targets_are_met_year_by_year_with_the_zones_density():
    p = _target_world()
    # T_A (0.64 ha) is usable in 2025, the others in 2027.
    p.loc[p["firm_id"] == "T_A", "move_year"] = 2025
    cfg = FreedLand(
        social_housing_units_per_ha_by_zone={"thuan_an": 500.0},
        social_housing_targets=(
            SocialHousingTarget(zone_id="thuan_an", by_year=2025, hectares=1.0),
            SocialHousingTarget(zone_id="thuan_an", by_year=2030, units=800),  # 1.6 ha
        ),
    )
    out = classify_freed_land(p, cfg, YEARS, allocate=allocate_social_housing)
    o = out.set_index("firm_id")
    assert o.loc["T_A", "sh_target"] == "2025"  # the only parcel usable by 2025
    assert "by 2025" in o.loc["T_A", "reason"]
    assert o.loc["T_A", "social_housing_units"] == 320  # 0.64 ha × 500
    t = summarise_freed_land(out, cfg, YEARS).targets.set_index("by_year")
    assert t.loc[2025, "allocated_ha"] == pytest.approx(0.64, abs=1e-4)
    assert t.loc[2025, "shortfall_ha"] == pytest.approx(0.36, abs=1e-4)
    # By 2030 the remaining 0.96 ha come from parcels usable later: T_C (1.0 ha) covers it.
    assert t.loc[2030, "target_ha"] == pytest.approx(1.6)
    assert t.loc[2030, "shortfall_ha"] == 0
    assert t.loc[2030, "social_housing_units"] == int(out["social_housing_units"].sum()) - (
        int(o.loc["D_OTHER", "social_housing_units"])
    )
    assert o.loc["D_OTHER", "social_housing_units"] == round(1.0 * 341)  # default density


def test_a_target_after_the_horizon_is_refused():
    p = _target_world()
    cfg = FreedLand(
        social_housing_targets=(SocialHousingTarget(zone_id="thuan_an", by_year=2035, units=9),)
    )
    with pytest.raises(InputError, match="after the horizon"):
        classify_freed_land(p, cfg, YEARS, allocate=allocate_social_housing)


def test_an_allocation_out_of_time_is_a_warning_not_a_crash():
    p = _target_world()
    cfg = FreedLand(social_housing_target_ha={"thuan_an": 1.2})
    out = classify_freed_land(p, cfg, YEARS, allocate=allocate_social_housing, time_limit_s=0.0)
    warnings = out.attrs["warnings"]
    assert len(warnings) == 1 and "greedily" in warnings[0], warnings
    # Its figures are kept too, so that the terminal words it in the run's language.
    from relocation.report import land_warnings

    figures = out.attrs["degraded_allocations"]
    assert len(figures) == 1 and figures[0]["seconds"] == 0.0
    assert land_warnings({"warnings": warnings, "degraded_allocations": figures}) == warnings
    vi = land_warnings({"degraded_allocations": figures}, "vi")[0]
    assert vi.startswith(f"{figures[0]['year']}: đất nhà ở xã hội: CP-SAT không tìm được")
    assert "trong 0 giây" in vi and "chọn tham lam" in vi
    # The degraded answer still classifies every parcel and covers the target with land.
    assert out["land_class"].notna().all()
    assert (out["land_class"] == "social_housing").any()
    ok = classify_freed_land(p, cfg, YEARS, allocate=allocate_social_housing)
    assert ok.attrs["warnings"] == []
