"""A small but real planning world for map tests: zones, sites, stations, firms, a plan.

Around lon 106.6–106.9, lat 10.85–11.35 (Bình Dương). Firms include hostile names to test
escaping. The freed land comes from the real geometry and classification code.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geodata.parcels import freed_parcels
from models.housing import allocate_social_housing
from relocation.domain.land_use import classify_freed_land
from relocation.domain.scenario import FreedLand

YEARS = (2024, 2025, 2026, 2027)
XSS_NAMES = (
    "<img src=x onerror=window.__xss=1>",
    "${window.__xss=2}",
    "Công ty `backtick` \\0221 </script><script>window.__xss=3</script>",
)


def _box(lon: float, lat: float, half_deg: float) -> shapely.Polygon:
    return shapely.box(lon - half_deg, lat - half_deg, lon + half_deg, lat + half_deg)


@pytest.fixture(scope="session")
def world():
    zones = gpd.GeoDataFrame(
        {
            "zone_id": ["thuan_an", "di_an", "bau_bang", "tan_uyen"],
            "name": ["Thuận An", "Dĩ An", "Bàu Bàng", "Tân Uyên <b>x</b>"],
            "name_en": ["Thuan An", "Di An", "Bau Bang", "Tan Uyen"],
            "kind": ["origin", "origin", "destination", "both"],
            "deadline_year": [2028, 2029, None, 2029],
        },
        geometry=[
            shapely.box(106.66, 10.86, 106.74, 10.96),
            shapely.box(106.74, 10.86, 106.84, 10.94),
            shapely.box(106.55, 11.18, 106.70, 11.35),
            shapely.box(106.72, 11.00, 106.86, 11.15),
        ],
        crs="EPSG:4326",
    )
    sites = gpd.GeoDataFrame(
        {
            "site_id": ["D_BAUBANG1", "D_VSIP3", "D_TANBINH"],
            "name": ["KCN Bàu Bàng", "VSIP III", "KCN Tân Bình"],
            "zone_id": ["bau_bang", "tan_uyen", "bau_bang"],
            "kind": ["industrial_park", "industrial_park", "cluster"],
            "lon": [106.62, 106.73, 106.68],
            "lat": [11.25, 11.11, 11.20],
        },
        geometry=shapely.points([[106.62, 11.25], [106.73, 11.11], [106.68, 11.20]]),
        crs="EPSG:4326",
    )
    st_pts = [(106.680, 10.880), (106.700, 10.905), (106.715, 10.912), (106.770, 10.905)]
    stations = gpd.GeoDataFrame(
        {
            "station_id": ["BD1_10", "BD1_9", "BD1_8", "DS_1"],
            "name": ["Ga Lái Thiêu", "Ga Bình Chuẩn", "Ga Thuận Giao", "Ga Dĩ An"],
            "line": ["Metro BD 1", "Metro BD 1", "Metro BD 1", "Đường sắt Dĩ An – Bàu Bàng"],
            "opening_year": [2031, 2031, 2031, 2033],
        },
        geometry=shapely.points(st_pts),
        crs="EPSG:4326",
    )
    rows = []
    k = 0
    for zid, (lo0, la0) in {"thuan_an": (106.68, 10.88), "di_an": (106.76, 10.88)}.items():
        for i in range(12):
            k += 1
            lon, lat = lo0 + 0.004 * (i % 4), la0 + 0.006 * (i // 4)
            name = XSS_NAMES[k % 3] if k <= 3 else f"Công ty Gỗ Mỹ Nghệ {k:02d}"
            rows.append(
                {
                    "firm_id": f"F{k:03d}",
                    "name": name,
                    "zone_id": zid,
                    "sector": "wood_furniture" if k % 2 else "garment_footwear",
                    "employees": 40 + 10 * k,
                    "land_area_m2": 2500.0 + 900.0 * (k % 5),
                    "pollution": "high" if k % 7 == 0 else "low",
                    "mandatory": bool(k % 2),
                    "lon": lon,
                    "lat": lat,
                    "geometry": _box(lon, lat, 0.00025 + 0.0001 * (k % 3)),
                }
            )
    firms = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    # The plan: all but the last two firms move, spread over the years.
    site_of = ["D_BAUBANG1", "D_VSIP3", "D_TANBINH"]
    site_name = dict(zip(sites["site_id"], sites["name"], strict=True))
    mv = []
    for i, f in firms.iloc[:-2].iterrows():
        sid = site_of[i % 3]
        mv.append(
            {
                "firm_id": f["firm_id"],
                "firm_name": f["name"],
                "origin_zone_id": f["zone_id"],
                "site_id": sid,
                "site_name": site_name[sid],
                "year": YEARS[i % 4],
                "distance_km": 30.0,
                "employees": f["employees"],
                "permit_vnd": 300_000_000,
                "dismantle_transport_vnd": 500_000_000,
                "fitout_vnd": 1_000_000_000,
                "rent_vnd": 2_000_000_000,
                "downtime_vnd": 100_000_000,
                "surveyed_vnd": 0,
                "support_vnd": 600_000_000,
                "commute_vnd": 50_000_000,
                "attrition_vnd": 40_000_000,
                "preference_vnd": 0,
            }
        )
    moves = pd.DataFrame(mv)
    load = []
    for sid, cap in {"D_BAUBANG1": 50_000, "D_VSIP3": 80_000, "D_TANBINH": 30_000}.items():
        used = 0.0
        for y in YEARS:
            used += float(
                firms.loc[
                    firms["firm_id"].isin(
                        moves[(moves.site_id == sid) & (moves.year == y)].firm_id
                    ),
                    "land_area_m2",
                ].sum()
            )
            load.append(
                {
                    "site_id": sid,
                    "site_name": site_name[sid],
                    "year": y,
                    "released_m2": float(cap),
                    "used_m2": used,
                    "free_m2": cap - used,
                }
            )
    site_load = pd.DataFrame(load)
    parcels = freed_parcels(firms, moves[["firm_id", "site_id", "year"]], stations, sites)
    freed = classify_freed_land(
        parcels,
        FreedLand(remediation_years=2, social_housing_min_m2=4000.0),
        YEARS,
        allocate=allocate_social_housing,
    )
    sectors = pd.DataFrame(
        {
            "code": ["wood_furniture", "garment_footwear"],
            "name_vi": ["Chế biến gỗ và nội thất", "Dệt may, da giày"],
            "name_en": ["Wood processing and furniture", "Garments and footwear"],
        }
    )
    return {
        "zones": zones,
        "sites": sites,
        "stations": stations,
        "firms": firms,
        "moves": moves,
        "site_load": site_load,
        "freed_land": freed,
        "sectors": sectors,
    }


@pytest.fixture(scope="session")
def overlays() -> list[str]:
    """The map's overlays in the layer switcher, in order (Vietnamese labels)."""
    return [
        "Khu vực (đi / đến)",
        "Tuyến đường sắt dự kiến và nhà ga",
        "Vành đai TOD",
        "Đất được giải phóng",
        "Luồng di dời",
        "Khu / cụm công nghiệp tiếp nhận",
        "Doanh nghiệp thuộc diện di dời",
    ]
