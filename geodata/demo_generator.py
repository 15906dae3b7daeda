"""Seeded generator of the embedded Bình Dương demo workspace.

``python -m geodata.demo_generator [--out DIR] [--seed N]`` writes the demo workspace files
(``firms.csv``, ``sites.csv``, ``site_phases.csv``, ``zones.geojson``, ``stations.csv``,
``sectors.csv``, ``scenario.toml``) to ``DIR`` (default: ``geodata/demo/`` next to this module).
The data README (``geodata/demo/README.md``) is written by hand and documents every figure,
its source in the domain brief, and the calibration.

The output is a pure function of the seed: one ``numpy.random.default_rng(seed)`` stream, no
clock, no network, and text written with fixed formatting, so two runs give identical bytes.

Every geometry is drawn approximately (good to about ±2–5 km) from the brief's §9.1
coordinates; none is an official boundary.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.ops import nearest_points

DEMO_SEED = 20230418  # the date of the programme's founding article (brief §1.1)
DEFAULT_OUT = Path(__file__).resolve().parent / "demo"
USD_VND = 26_000  # brief §4.4 (derived)
HORIZON = (2024, 2030)

#: Documented targets of the generated firms; ``tests/geodata/test_demo_stats.py`` compares the
#: committed data against them (shares within 2 percentage points, the median within 10 %).
TARGETS: dict[str, Any] = {
    # brief §1.2 [sourced]: about 2,900 slated firms
    "n_firms": 2900,
    # brief §9 (assumption): origin split, deadlines [sourced §1.2]
    "zone_shares": {
        "old:thuan_an": 0.30,
        "old:di_an": 0.25,
        "old:thu_dau_mot": 0.20,
        "old:tan_uyen": 0.15,
        "old:ben_cat": 0.10,
    },
    "zone_deadlines": {
        "old:thuan_an": 2028,
        "old:di_an": 2029,
        "old:thu_dau_mot": 2029,
        "old:tan_uyen": 2029,
        "old:ben_cat": 2029,
    },
    # brief §9 (assumption): sector mix
    "sector_shares": {
        "wood_furniture": 0.30,
        "metal_mechanical": 0.20,
        "garment_footwear": 0.10,
        "ceramics_building": 0.08,
        "plastics_rubber": 0.08,
        "food_beverage": 0.07,
        "textile_dyeing": 0.05,
        "chemicals_paint": 0.05,
        "printing_packaging": 0.04,
        "other": 0.03,
    },
    # brief §9 (assumption): land size bands in m², [low, high), log-uniform within a band
    "size_bands_m2": {"small": (500, 5_000), "medium": (5_000, 30_000), "large": (30_000, 100_000)},
    "size_band_shares": {"small": 0.70, "medium": 0.25, "large": 0.05},
    # brief §9 (derived): criteria drawn independently; 0.75·(1 − .75·.76·.92·.95)
    # + 0.25·(1 − .75·.88·.92·.95) ≈ 0.482 with 75 % of firms in polluting (high) sectors
    "mandatory_criteria": {"plan": 0.25, "environment": 0.12, "fire": 0.08, "construction": 0.05},
    "mandatory_share": 0.482,
    # brief §9 (assumption): employees log-normal, median 60, sigma 1.0, clipped 10–2,500
    "employees_median": 60,
    "employees_sigma": 1.0,
    "employees_clip": (10, 2_500),
    # (assumption) firms moved in 2023, before the horizon (history, counted in quotas)
    "n_moved_before": 15,
    # (assumption) readiness: share of planned firms ready to move by the end of 2025
    "ready_by_2025_min": 0.55,
    # (assumption) supply groups and preferences
    "n_supply_groups": 40,
    "supply_group_size": (3, 6),
    "preferred_share": 0.05,
    # (assumption) the authorities' yearly processing capacity: the binding resource of 2025
    "max_moves_per_year": 650,
    # (assumption) the annual review's facts as of 2026 (actuals.csv, README "Annual
    # review"): the programme runs behind its 2025 milestone
    "actual_moved": {2024: 110, 2025: 240, 2026: 170},
    "actual_committed_2027": 60,
    "actual_closed": 36,
    "actual_exempt": 12,
}

#: Readiness (``earliest_year``) by size band (assumption): bigger firms need longer to secure
#: land, permits and a new building. Columns are the probabilities of 2024, 2025, 2026, 2027.
READINESS = {
    "small": (0.80, 0.12, 0.05, 0.03),
    "medium": (0.65, 0.20, 0.10, 0.05),
    "large": (0.45, 0.25, 0.20, 0.10),
}

# ---------------------------------------------------------------------------------------------
# Sectors (brief §1.4, §9)
# ---------------------------------------------------------------------------------------------

#: code -> (name_vi, name_en, pollution). §9 "yes" -> high, "partly" -> medium, "no" -> low.
SECTORS: dict[str, tuple[str, str, str]] = {
    "wood_furniture": ("Chế biến gỗ và nội thất", "Wood processing and furniture", "high"),
    "metal_mechanical": (
        "Cơ khí, rèn đúc, xi mạ",
        "Mechanical work, casting and electroplating",
        "high",
    ),
    "garment_footwear": ("May mặc, lắp ráp giày dép", "Garments and footwear assembly", "low"),
    "ceramics_building": (
        "Gốm sứ, vật liệu xây dựng, thủy tinh",
        "Ceramics, building materials and glass",
        "high",
    ),
    "plastics_rubber": (
        "Nhựa, cao su, tái chế phế liệu",
        "Plastics, rubber and waste recycling",
        "medium",
    ),
    "food_beverage": ("Chế biến thực phẩm, đồ uống", "Food and beverage processing", "high"),
    "textile_dyeing": (
        "Tẩy nhuộm, in hoa vải, thuộc da",
        "Textile bleaching and dyeing, leather tanning",
        "high",
    ),
    "chemicals_paint": ("Hóa chất, sơn", "Chemicals and paint", "high"),
    "printing_packaging": (
        "In bao bì kim loại, bột giấy",
        "Metal-packaging printing and pulp",
        "medium",
    ),
    "other": ("Ngành khác", "Other industries", "low"),
}

# ---------------------------------------------------------------------------------------------
# Zones (brief §2, §7, §9.1): the nine former districts/cities, drawn as labelled Voronoi
# cells clipped to an approximate province outline. Several seeds per zone (its centre and its
# named places) guarantee that every §9.1 place falls in the right zone.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneSpec:
    """One zone of the demo: ids, names, role and the seeds its cells grow from."""

    zone_id: str
    name: str
    name_en: str
    kind: str
    deadline_year: int | None
    seeds: tuple[tuple[float, float], ...]  # (lat, lon)

    @property
    def wards_2025(self) -> tuple[tuple[str, int], ...]:
        """The wards/communes since 1 July 2025 that the zone's land lies in (``WARDS_2025``)."""
        return WARDS_2025[self.zone_id]


ZONES: tuple[ZoneSpec, ...] = (
    ZoneSpec(
        "old:thuan_an",
        "Thuận An",
        "Thuan An",
        "origin",
        2028,
        # Lái Thiêu, VSIP I, Đồng An, Việt Hương, An Phú, Bình Chuẩn
        (
            (10.906, 106.703),
            (10.930, 106.705),
            (10.920, 106.720),
            (10.955, 106.705),
            (10.945, 106.738),
            (10.972, 106.722),
        ),
    ),
    ZoneSpec(
        "old:di_an",
        "Dĩ An",
        "Di An",
        "origin",
        2029,
        # Dĩ An centre, Bình Đường, Sóng Thần 1 and 2, Tân Đông Hiệp A/B, Đông Hòa, Bình An
        (
            (10.905, 106.769),
            (10.875, 106.750),
            (10.890, 106.750),
            (10.905, 106.748),
            (10.920, 106.778),
            (10.888, 106.790),
            (10.905, 106.810),
        ),
    ),
    ZoneSpec(
        "old:thu_dau_mot",
        "Thủ Dầu Một",
        "Thu Dau Mot",
        "origin",
        2029,
        # Phú Cường, Chánh Hiệp, Hòa Phú (S1, the A1 roundabout), Tương Bình Hiệp
        ((10.980, 106.652), (11.010, 106.675), (11.050, 106.670), (11.020, 106.630)),
    ),
    ZoneSpec(
        "old:tan_uyen",
        "Tân Uyên",
        "Tan Uyen",
        "origin",
        2029,
        # Uyên Hưng, Phú Chánh, Vĩnh Tân, Tân Phước Khánh, Khánh Bình, Thạnh Phước
        (
            (11.060, 106.790),
            (11.040, 106.702),
            (11.072, 106.728),
            (11.003, 106.738),
            (11.030, 106.765),
            (11.010, 106.830),
        ),
    ),
    ZoneSpec(
        "old:ben_cat",
        "Bến Cát",
        "Ben Cat",
        "origin",
        2029,
        # Mỹ Phước, Thới Hòa, An Tây, Hòa Lợi
        ((11.120, 106.600), (11.070, 106.620), (11.070, 106.530), (11.160, 106.640)),
    ),
    ZoneSpec(
        "old:bau_bang",
        "Bàu Bàng",
        "Bau Bang",
        "destination",
        None,
        # Bàu Bàng IP, Lai Uyên, Cây Trường, Lai Hưng, Long Nguyên, Trừ Văn Thố
        (
            (11.250, 106.620),
            (11.280, 106.610),
            (11.320, 106.570),
            (11.210, 106.620),
            (11.220, 106.560),
            (11.390, 106.630),
        ),
    ),
    ZoneSpec(
        "old:bac_tan_uyen",
        "Bắc Tân Uyên",
        "Bac Tan Uyen",
        "destination",
        None,
        # Tân Bình IP, VSIP III, THACO BTU 1, Đất Cuốc, Tân Thành, Hiếu Liêm, Bình Mỹ
        (
            (11.200, 106.680),
            (11.110, 106.730),
            (11.130, 106.800),
            (11.130, 106.830),
            (11.165, 106.860),
            (11.200, 106.930),
            (11.125, 106.765),
        ),
    ),
    ZoneSpec(
        "old:phu_giao",
        "Phú Giáo",
        "Phu Giao",
        "destination",
        None,
        # Phước Vĩnh, Vĩnh Lập, Tam Lập, Phước Hòa cluster, An Linh, An Bình
        (
            (11.290, 106.790),
            (11.300, 106.850),
            (11.265, 106.848),
            (11.255, 106.795),
            (11.400, 106.780),
            (11.380, 106.900),
        ),
    ),
    ZoneSpec(
        "old:dau_tieng",
        "Dầu Tiếng",
        "Dau Tieng",
        "destination",
        None,
        # Dầu Tiếng town, Minh Thạnh, Thanh Tuyền
        ((11.280, 106.360), (11.400, 106.450), (11.190, 106.460)),
    ),
)

#: The wards (phường) and communes (xã) of Hồ Chí Minh City since 1 July 2025 that each former
#: unit's land lies in, with their GSO codes. Names: brief §7 [sourced, danviet.vn 2025-04];
#: origin-unit lists: brief §2 "Main new wards" (assumption built from the §7 mappings;
#: Long Nguyên unverified); destination-unit lists: the communes named after the former
#: districts (brief §7, derived) plus the other §7 communes by location (assumption). Codes:
#: the GSO list of administrative units (danhmuchanhchinh.gso.gov.vn) as packaged in
#: vietnam-provinces 2025.10.1 (data version 2025-10-18). A unit split between two former
#: units ("một phần") is listed under both.
WARDS_2025: dict[str, tuple[tuple[str, int], ...]] = {
    "old:thuan_an": (
        ("Phường Thuận An", 25978),
        ("Phường Thuận Giao", 25969),
        ("Phường Bình Hòa", 25987),
        ("Phường Lái Thiêu", 25966),
        ("Phường An Phú", 25975),
    ),
    "old:di_an": (
        ("Phường Dĩ An", 25942),
        ("Phường Đông Hòa", 25951),
        ("Phường Tân Đông Hiệp", 25945),
    ),
    "old:thu_dau_mot": (
        ("Phường Thủ Dầu Một", 25747),
        ("Phường Phú Lợi", 25750),
        ("Phường Chánh Hiệp", 25771),
        ("Phường Bình Dương", 25760),
    ),
    "old:tan_uyen": (
        ("Phường Tân Uyên", 25888),
        ("Phường Tân Hiệp", 25920),
        ("Phường Tân Khánh", 25891),
        ("Phường Vĩnh Tân", 25912),
        ("Phường Bình Cơ", 25915),
        ("Phường Bình Dương", 25760),
    ),
    "old:ben_cat": (
        ("Phường Bến Cát", 25813),
        ("Phường Chánh Phú Hòa", 25837),
        ("Phường Thới Hòa", 25846),
        ("Phường Tây Nam", 25843),
        ("Phường Phú An", 25768),
        ("Phường Hòa Lợi", 25849),
        ("Phường Long Nguyên", 25840),
    ),
    "old:bau_bang": (("Xã Bàu Bàng", 25822), ("Xã Trừ Văn Thố", 25819)),
    "old:bac_tan_uyen": (
        ("Xã Bắc Tân Uyên", 25906),
        ("Xã Thường Tân", 25909),
        ("Phường Bình Cơ", 25915),
    ),
    "old:phu_giao": (
        ("Xã Phú Giáo", 25858),
        ("Xã An Long", 25867),
        ("Xã Phước Thành", 25864),
        ("Xã Phước Hòa", 25882),
    ),
    "old:dau_tieng": (
        ("Xã Dầu Tiếng", 25777),
        ("Xã Minh Thạnh", 25780),
        ("Xã Long Hòa", 25792),
        ("Xã Thanh An", 25807),
    ),
}


#: Approximate province outline (lat, lon), clockwise from the Saigon River at Lái Thiêu:
#: south border with HCMC, east along the Đồng Nai river, north border with Bình Phước, west
#: along the Saigon River. Good to a few km; not an official boundary.
PROVINCE_OUTLINE: tuple[tuple[float, float], ...] = (
    (10.893, 106.672),
    (10.872, 106.700),
    (10.862, 106.740),
    (10.868, 106.780),
    (10.880, 106.808),
    (10.900, 106.830),
    (10.950, 106.850),
    (11.000, 106.875),
    (11.060, 106.910),
    (11.120, 106.955),
    (11.190, 106.985),
    (11.260, 106.975),
    (11.340, 106.955),
    (11.430, 106.930),
    (11.480, 106.860),
    (11.480, 106.760),
    (11.420, 106.660),
    (11.425, 106.560),
    (11.490, 106.460),
    (11.500, 106.380),
    (11.450, 106.330),
    (11.350, 106.320),
    (11.260, 106.335),
    (11.160, 106.430),
    (11.080, 106.500),
    (11.020, 106.560),
    (10.960, 106.610),
    (10.920, 106.645),
)

# ---------------------------------------------------------------------------------------------
# Destination sites (brief §3.2, §9 capacity table, §9.1 coordinates)
# ---------------------------------------------------------------------------------------------

GENERAL = "*"
CLUSTER_SECTORS = "ceramics_building;food_beverage;wood_furniture;plastics_rubber;other"
CLUSTER_MAX_AREA_M2 = 30_000  # brief §9: clusters take SMEs of ≤ 3 ha
CLUSTER_GROSS_HA = {  # brief §3.2 [sourced, broker page]
    "D_PG_PHUOCHOA": 66.6,
    "D_PG_TAMLAP1": 68.24,
    "D_PG_TAMLAP2": 52.0,
    "D_PG_TAMLAP3": 70.3,
    "D_PG_TAMLAP4": 50.6,
    "D_PG_TAMLAP5": 60.0,
    "D_PG_TAMLAP6": 70.0,
    "D_PG_THAIBINHDUONG": 50.0,
}
CLUSTERS_AVAILABLE_HA = 290.0  # brief §9 (assumption): ~290 ha of the 487.7 ha gross


@dataclass(frozen=True)
class SiteSpec:
    """One destination site; ``phases`` are (year, hectares released) increments."""

    site_id: str
    name: str
    zone_id: str
    kind: str
    lat: float
    lon: float
    phases: tuple[tuple[int, float], ...]
    accepts_sectors: str
    accepts_polluting: bool
    rent_usd_per_m2: int
    max_firm_area_m2: int | None = None


def _cluster(site_id: str, name: str, lat: float, lon: float, year: int, rent: int) -> SiteSpec:
    share = CLUSTERS_AVAILABLE_HA / sum(CLUSTER_GROSS_HA.values())
    ha = round(CLUSTER_GROSS_HA[site_id] * share, 1)
    return SiteSpec(
        site_id,
        name,
        "old:phu_giao",
        "cluster",
        lat,
        lon,
        ((year, ha),),
        CLUSTER_SECTORS,
        True,
        rent,
        CLUSTER_MAX_AREA_M2,
    )


_NON_POLLUTING = "garment_footwear;plastics_rubber;printing_packaging;other"

#: The sites. Hectares and years are the §9 table (assumption); the first phase of D_BAUBANG1
#: and D_TANBINH (operating parks, open in 2023) also holds the land of the firms moved there
#: in 2023, added by ``build_sites`` so that the free land left at the horizon start is the
#: table's figure.
SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        "D_BAUBANG1",
        "KCN Bàu Bàng (phần còn lại giai đoạn 1)",
        "old:bau_bang",
        "industrial_park",
        11.250,
        106.620,
        ((2023, 50.0),),
        GENERAL,
        True,
        110,
    ),
    SiteSpec(
        "D_BAUBANG",
        "KCN Bàu Bàng mở rộng (giai đoạn 2)",
        "old:bau_bang",
        "industrial_park",
        11.262,
        106.640,
        ((2027, 190.0),),
        GENERAL,
        True,
        105,
    ),
    SiteSpec(
        "D_CAYTRUONG",
        "KCN Cây Trường",
        "old:bau_bang",
        "industrial_park",
        11.320,
        106.570,
        ((2027, 280.0),),
        GENERAL,
        True,
        100,
    ),
    SiteSpec(
        "D_LAIHUNG",
        "KCN Lai Hưng",
        "old:bau_bang",
        "industrial_park",
        11.210,
        106.620,
        ((2028, 60.0),),
        "other",  # brief §3 / §9: science and technology only (S&T firms are coded "other")
        False,
        120,
    ),
    SiteSpec(
        "D_TANBINH",
        "KCN Tân Bình",
        "old:bac_tan_uyen",
        "industrial_park",
        11.200,
        106.680,
        ((2023, 105.0), (2029, 315.0)),
        GENERAL,
        True,
        95,
    ),
    SiteSpec(
        "D_VSIP3",
        "KCN VSIP III",
        "old:bac_tan_uyen",
        "industrial_park",
        11.110,
        106.730,
        ((2024, 120.0), (2027, 180.0)),
        _NON_POLLUTING,
        False,
        140,
    ),
    SiteSpec(
        "D_THACO",
        "KCN Bắc Tân Uyên 1 (THACO)",
        "old:bac_tan_uyen",
        "industrial_park",
        11.130,
        106.800,
        ((2027, 235.0),),
        "metal_mechanical",
        True,
        115,
    ),
    SiteSpec(
        "D_DATCUOC",
        "KCN Đất Cuốc",
        "old:bac_tan_uyen",
        "industrial_park",
        11.130,
        106.830,
        ((2027, 260.0),),
        GENERAL,
        True,
        100,
    ),
    SiteSpec(
        "D_VINHLAP",
        "KCN Vĩnh Lập",
        "old:phu_giao",
        "industrial_park",
        11.300,
        106.850,
        ((2028, 375.0),),
        GENERAL,
        True,
        90,
    ),
    _cluster("D_PG_PHUOCHOA", "CCN Phước Hòa", 11.255, 106.795, 2024, 90),
    _cluster("D_PG_TAMLAP1", "CCN Tam Lập 1", 11.262, 106.842, 2024, 90),
    _cluster("D_PG_TAMLAP2", "CCN Tam Lập 2", 11.272, 106.856, 2026, 90),
    _cluster("D_PG_TAMLAP3", "CCN Tam Lập 3", 11.282, 106.838, 2026, 90),
    _cluster("D_PG_TAMLAP4", "CCN Tam Lập 4", 11.290, 106.862, 2027, 90),
    _cluster("D_PG_TAMLAP5", "CCN Tam Lập 5", 11.252, 106.860, 2027, 90),
    _cluster("D_PG_TAMLAP6", "CCN Tam Lập 6", 11.292, 106.822, 2028, 90),
    _cluster("D_PG_THAIBINHDUONG", "CCN Thái Bình Dương", 11.276, 106.812, 2028, 90),
)

#: Sites that took the firms moved in 2023 (both open in 2023, brief §9: "operating").
MOVED_SITES = ("D_BAUBANG1", "D_TANBINH")

# ---------------------------------------------------------------------------------------------
# Origin placement (brief §2, §9, §9.1)
# ---------------------------------------------------------------------------------------------

#: Old parks whose tenants are grouped: (name, lat, lon, half-width km, firms, zone).
OLD_PARKS: tuple[tuple[str, float, float, float, int, str], ...] = (
    ("Bình Đường", 10.875, 106.750, 0.20, 11, "old:di_an"),  # 16.5 ha, 11 firms [sourced]
    ("Sóng Thần 1", 10.890, 106.750, 0.60, 40, "old:di_an"),  # ~178 ha (assumption)
    ("Sóng Thần 2", 10.905, 106.745, 0.70, 30, "old:di_an"),  # ~279 ha (assumption)
    ("Việt Hương", 10.955, 106.705, 0.30, 20, "old:thuan_an"),  # ~36 ha (assumption)
    ("Đồng An", 10.920, 106.720, 0.50, 25, "old:thuan_an"),  # ~138 ha (assumption)
)
#: Stable ids of the old parks (firm column ``origin_park``); the scheme covers Bình Đường
#: alone (brief §1.2: "1 IP"), the other parks' tenants are exempt (brief §1.3, undated).
OLD_PARK_IDS = {
    "Bình Đường": "KCN_BINHDUONG",
    "Sóng Thần 1": "KCN_SONGTHAN1",
    "Sóng Thần 2": "KCN_SONGTHAN2",
    "Việt Hương": "KCN_VIETHUONG",
    "Đồng An": "KCN_DONGAN",
}
#: The Bình Đường pilot moves together (firm column ``move_group``; brief §1.5).
PILOT_GROUP = "MG_BINHDUONG"
PILOT_PARK = "KCN_BINHDUONG"
#: (assumption) the pilot park is empty by the end of 2026 (README: clearance).
PILOT_CLEARANCE_YEAR = 2026
#: (assumption) least planned moves in every year of the horizon (README: moves per year).
MIN_MOVES_PER_YEAR = 100
BINH_DUONG_AREA_M2 = 165_000  # brief §1.5 [sourced]: 16.5 ha
PILOT_EMPLOYEES = 2_100  # brief §9: modelled on Sung Hyun Vina (>2,000 workers)
PILOT_AREA_M2 = 35_000  # (assumption) its three factories

#: Residential hubs of each origin: (lat, lon, sigma km, weight); the remaining weight is spread
#: uniformly over the zone. Firms are weighted toward Lái Thiêu, Dĩ An–Tân Đông Hiệp, Phú Cường
#: and Mỹ Phước (brief §9).
HUBS: dict[str, tuple[tuple[float, float, float, float], ...]] = {
    "old:thuan_an": ((10.906, 106.703, 1.8, 0.50), (10.945, 106.735, 1.8, 0.25)),
    "old:di_an": ((10.912, 106.772, 1.8, 0.70),),
    "old:thu_dau_mot": ((10.980, 106.652, 2.0, 0.55), (11.010, 106.675, 1.5, 0.20)),
    "old:tan_uyen": ((11.060, 106.790, 2.5, 0.40), (11.003, 106.738, 2.0, 0.30)),
    "old:ben_cat": ((11.120, 106.600, 2.5, 0.65),),
}
KM_PER_DEG_LAT = 110.6
BORDER_MARGIN_DEG = 0.0008  # ~90 m: keep points clear of zone borders after rounding

# ---------------------------------------------------------------------------------------------
# Names (assumption): Vietnamese company names from word lists, sector-appropriate
# ---------------------------------------------------------------------------------------------

LEGAL_FORMS = (
    ("Công ty TNHH", 0.50),
    ("Công ty CP", 0.20),
    ("Công ty TNHH MTV", 0.15),
    ("Doanh nghiệp tư nhân", 0.08),
    ("Cơ sở", 0.07),
)
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "wood_furniture": ("Gỗ", "Chế biến gỗ", "Nội thất", "Đồ gỗ"),
    "metal_mechanical": ("Cơ khí", "Kim khí", "Xi mạ", "Cơ khí chính xác", "Thép"),
    "garment_footwear": ("May mặc", "May", "Giày da", "Túi xách"),
    "ceramics_building": ("Gốm sứ", "Vật liệu xây dựng", "Gạch men", "Bê tông"),
    "plastics_rubber": ("Nhựa", "Cao su", "Bao bì nhựa", "Tái chế"),
    "food_beverage": ("Thực phẩm", "Chế biến thực phẩm", "Nước giải khát", "Bánh kẹo"),
    "textile_dyeing": ("Dệt nhuộm", "Nhuộm", "Thuộc da", "In hoa vải"),
    "chemicals_paint": ("Hóa chất", "Sơn", "Keo dán", "Hóa mỹ phẩm"),
    "printing_packaging": ("In ấn", "Bao bì", "Giấy", "In bao bì"),
    "other": ("Sản xuất Thương mại", "Kỹ thuật", "Điện tử", "Thương mại Dịch vụ"),
}
BRAND_WORDS = (
    "Minh Phát", "Tân Thành", "Hưng Thịnh", "Phú Cường", "An Khang", "Thành Công", "Đại Phát",
    "Hòa Bình", "Vạn Lợi", "Kim Long", "Phúc Lộc", "Thuận Phát", "Hoàng Gia", "Nam Việt",
    "Việt Hưng", "Đông Á", "Tân Tiến", "Thiên Phú", "Bình An", "Lộc Phát", "Quang Minh",
    "Trường Sơn", "Hải Đăng", "Sao Mai", "Hồng Phát", "Đức Thành", "Phương Nam", "Thịnh Vượng",
    "Tấn Phát", "Gia Huy", "Mỹ Hưng", "Phú Thịnh", "Kiến Hưng", "Long Hải", "Tường An",
    "Thái Sơn", "Vĩnh Phát", "Hữu Nghị", "Toàn Thắng", "Hiệp Hòa", "Bảo Ngọc", "Ánh Dương",
    "Thanh Bình", "Tín Nghĩa", "Phước Lộc", "Vĩnh Tường", "Đông Dương", "Tân Phú", "Kim Ngân",
    "Hoàng Phát", "Nhật Tân", "Lợi Thành", "Quốc Thái", "Hưng Phú", "Đại Nam", "Bình Minh",
    "Sông Bé", "Lái Thiêu", "Thủ Dầu", "Chánh Nghĩa", "Tân Vạn", "Thanh Hương", "Trung Kiên",
    "Mai Linh", "Phú Mỹ", "Khải Hoàn", "Ngọc Thạch", "Thuận Thiên", "Thiên Long", "Hòa Phát",
)
FDI_SYLLABLES = (
    "Sung", "Hyun", "Dae", "Young", "Han", "Jin", "Seo", "Kwang", "Dong", "Chyang", "Sheng",
    "Hung", "Fu", "Tai", "Wei", "Yuan", "Kim", "Poong", "Chang", "Shin",
)
FDI_SUFFIXES = ("Vina", "Việt Nam")
FDI_SHARE = 0.12  # (assumption) share of firms with a foreign-style name


# ---------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------


def build_zones() -> dict[str, Polygon]:
    """Draw the nine zones: labelled Voronoi cells, dissolved by zone and clipped.

    Returns
    -------
    dict
        ``zone_id`` -> shapely Polygon in lon/lat degrees (EPSG:4326), vertices on a 1e-6°
        grid, in the order of ``ZONES``.

    Raises
    ------
    ValueError
        If a zone comes out empty, in several parts, or misses one of its seeds.
    """
    outline = Polygon([(lon, lat) for lat, lon in PROVINCE_OUTLINE])
    seeds = [(lon, lat, z.zone_id) for z in ZONES for lat, lon in z.seeds]
    cells = shapely.voronoi_polygons(
        MultiPoint([(x, y) for x, y, _ in seeds]), extend_to=outline.buffer(0.5)
    )
    by_zone: dict[str, list[Any]] = {z.zone_id: [] for z in ZONES}
    for cell in cells.geoms:
        # Voronoi output order is not the input order: match each cell to its seed.
        for x, y, zid in seeds:
            if cell.contains(Point(x, y)):
                by_zone[zid].append(cell)
                break
    zones: dict[str, Polygon] = {}
    for z in ZONES:
        geom = shapely.union_all(by_zone[z.zone_id]).intersection(outline)
        # Snapping every zone to one grid keeps shared borders identical (no slivers).
        geom = shapely.set_precision(geom, 1e-6)
        if geom.geom_type != "Polygon" or geom.is_empty:
            raise ValueError(f"zone {z.zone_id} is not a single polygon ({geom.geom_type})")
        for lat, lon in z.seeds:
            if not geom.contains(Point(lon, lat)):
                raise ValueError(f"zone {z.zone_id} misses its seed {lat}, {lon}")
        zones[z.zone_id] = geom
    return zones


def _inside(poly: Polygon, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points strictly inside ``poly`` and at least ``BORDER_MARGIN_DEG`` from its border."""
    inner = poly.buffer(-BORDER_MARGIN_DEG)
    return shapely.contains_xy(inner, lon, lat)


def _sample_in_zone(
    rng: np.random.Generator,
    poly: Polygon,
    n: int,
    centre: tuple[float, float] | None,
    sigma_km: float,
    box: bool = False,
) -> np.ndarray:
    """Draw ``n`` points (lon, lat) inside ``poly``, rounded to 1e-6°.

    ``centre`` (lat, lon) with ``sigma_km`` draws around a hub (Gaussian, or a square of
    half-width ``sigma_km`` with ``box``); ``None`` draws uniformly over the polygon. Points
    outside are redrawn (rejection sampling keeps the distribution inside the zone).

    Raises
    ------
    ValueError
        If the hub lies so far outside the zone that no point lands inside.
    """
    minx, miny, maxx, maxy = poly.bounds
    out = np.empty((0, 2))
    for _ in range(1_000):
        if len(out) >= n:
            return out[:n]
        m = max(64, 2 * (n - len(out)))
        if centre is None:
            lon = rng.uniform(minx, maxx, m)
            lat = rng.uniform(miny, maxy, m)
        else:
            clat, clon = centre
            dlat = sigma_km / KM_PER_DEG_LAT
            dlon = dlat / math.cos(math.radians(clat))
            if box:
                lat = clat + rng.uniform(-dlat, dlat, m)
                lon = clon + rng.uniform(-dlon, dlon, m)
            else:
                lat = clat + rng.normal(0.0, dlat, m)
                lon = clon + rng.normal(0.0, dlon, m)
        lon, lat = np.round(lon, 6), np.round(lat, 6)
        ok = _inside(poly, lon, lat)
        out = np.vstack([out, np.column_stack([lon[ok], lat[ok]])])
    # A hub drawn outside its zone would loop forever: fail loudly instead.
    raise ValueError(f"could not place {n} points around {centre} inside the zone")


# ---------------------------------------------------------------------------------------------
# Firms
# ---------------------------------------------------------------------------------------------


def _exact_counts(shares: dict[str, float], n: int) -> dict[str, int]:
    """Split ``n`` by ``shares`` into whole counts (largest remainders), in key order."""
    raw = {k: v * n for k, v in shares.items()}
    counts = {k: math.floor(v) for k, v in raw.items()}
    left = n - sum(counts.values())
    for k in sorted(raw, key=lambda k: (counts[k] - raw[k], list(raw).index(k)))[:left]:
        counts[k] += 1
    return counts


def _draw_area(rng: np.random.Generator, band: str, size: int) -> np.ndarray:
    lo, hi = TARGETS["size_bands_m2"][band]
    return np.exp(rng.uniform(math.log(lo), math.log(hi), size))


def _company_name(rng: np.random.Generator, sector: str, taken: set[str]) -> str:
    """A unique Vietnamese company name for a firm of ``sector``."""
    forms = [f for f, _ in LEGAL_FORMS]
    probs = np.array([p for _, p in LEGAL_FORMS])
    for attempt in range(200):
        form = forms[rng.choice(len(forms), p=probs / probs.sum())]
        word = SECTOR_WORDS[sector][rng.integers(len(SECTOR_WORDS[sector]))]
        if rng.random() < FDI_SHARE:
            a, b = rng.choice(len(FDI_SYLLABLES), 2, replace=False)
            suffix = FDI_SUFFIXES[rng.integers(len(FDI_SUFFIXES))]
            name = f"Công ty TNHH {word} {FDI_SYLLABLES[a]} {FDI_SYLLABLES[b]} {suffix}"
        else:
            brand = BRAND_WORDS[rng.integers(len(BRAND_WORDS))]
            name = f"{form} {word} {brand}"
            if attempt > 20:  # the plain combinations are used up: add a place qualifier
                name += f" {('Bình Dương', 'Sài Gòn', 'Miền Nam', 'Việt Nam')[attempt % 4]}"
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("could not draw a unique company name")


def build_firms(
    rng: np.random.Generator, zones: dict[str, Polygon], sites: pd.DataFrame
) -> pd.DataFrame:
    """Draw the 2,900 slated firms (brief §1.2, §1.3, §9).

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's single random stream.
    zones : dict
        Zone polygons from ``build_zones``.
    sites : pandas.DataFrame
        The sites table (for compatible preferred sites and moved firms).

    Returns
    -------
    pandas.DataFrame
        One row per firm, columns as in the README "Data formats" ``firms`` table.
    """
    n = TARGETS["n_firms"]
    zone_counts = _exact_counts(TARGETS["zone_shares"], n)
    sector_counts = _exact_counts(TARGETS["sector_shares"], n)
    band_counts = _exact_counts(TARGETS["size_band_shares"], n)

    # Stratified draws: exact counts per category, randomly permuted over firms.
    zone = np.array([z for z, c in zone_counts.items() for _ in range(c)])
    sector = rng.permutation(np.array([s for s, c in sector_counts.items() for _ in range(c)]))
    band = rng.permutation(np.array([b for b, c in band_counts.items() for _ in range(c)]))
    area = np.empty(n)
    for b in TARGETS["size_bands_m2"]:
        sel = band == b
        area[sel] = _draw_area(rng, b, int(sel.sum()))

    # Employees: log-normal (median 60, sigma 1) whose normal score is correlated with land
    # (rho 0.5: bigger parcels hold more workers) without changing the marginal distribution.
    normal = NormalDist()
    ranks = np.argsort(np.argsort(area))
    z_area = np.array([normal.inv_cdf((r + 0.5) / n) for r in ranks])
    rho = 0.5
    z = rho * z_area + math.sqrt(1 - rho**2) * rng.standard_normal(n)
    lo, hi = TARGETS["employees_clip"]
    sig = TARGETS["employees_sigma"]
    employees = np.clip(np.round(TARGETS["employees_median"] * np.exp(sig * z)), lo, hi)

    pollution = np.array([SECTORS[s][2] for s in sector])
    crit = TARGETS["mandatory_criteria"]
    env_p = np.where(pollution == "high", 2 * crit["environment"], crit["environment"])
    mandatory = (
        (rng.random(n) < crit["plan"])
        | (rng.random(n) < env_p)
        | (rng.random(n) < crit["fire"])
        | (rng.random(n) < crit["construction"])
    )

    years = np.array([2024, 2025, 2026, 2027])
    earliest = np.empty(n, dtype=int)
    for b, probs in READINESS.items():
        sel = band == b
        earliest[sel] = rng.choice(years, int(sel.sum()), p=probs)

    # Placement: old-park tenants first (zone order is fixed above), then hubs and background.
    lon = np.empty(n)
    lat = np.empty(n)
    park = np.full(n, "", dtype=object)
    for zid in TARGETS["zone_shares"]:
        idx = np.flatnonzero(zone == zid)
        rng.shuffle(idx)
        pos = 0
        for pname, plat, plon, half_km, count, pzone in OLD_PARKS:
            if pzone != zid:
                continue
            take = idx[pos : pos + count]
            pts = _sample_in_zone(rng, zones[zid], count, (plat, plon), half_km, box=True)
            lon[take], lat[take] = pts[:, 0], pts[:, 1]
            park[take] = pname
            pos += count
        rest = idx[pos:]
        hubs = HUBS[zid]
        weights = [h[3] for h in hubs] + [1.0 - sum(h[3] for h in hubs)]
        which = rng.choice(len(weights), len(rest), p=weights)
        for k in range(len(weights)):
            take = rest[which == k]
            if len(take) == 0:
                continue
            if k < len(hubs):
                hlat, hlon, sigma, _ = hubs[k]
                pts = _sample_in_zone(rng, zones[zid], len(take), (hlat, hlon), sigma)
            else:
                pts = _sample_in_zone(rng, zones[zid], len(take), None, 0.0)
            lon[take], lat[take] = pts[:, 0], pts[:, 1]

    # The Bình Đường pilot (brief §1.5): 11 firms on 16.5 ha, one garment firm of ~2,100
    # workers modelled on Sung Hyun Vina; all slated under the plan-conflict criterion.
    bd = np.flatnonzero(park == "Bình Đường")
    pilot = bd[0]
    sector[pilot] = "garment_footwear"
    pollution[pilot] = SECTORS["garment_footwear"][2]
    employees[pilot] = PILOT_EMPLOYEES
    others = bd[1:]
    rest_area = area[others] * (BINH_DUONG_AREA_M2 - PILOT_AREA_M2) / area[others].sum()
    area[pilot] = PILOT_AREA_M2
    area[others] = rest_area
    mandatory[bd] = True
    earliest[bd] = 2024
    land = np.round(area).astype(int)
    land[others[-1]] += BINH_DUONG_AREA_M2 - land[bd].sum()  # exact 16.5 ha after rounding

    names: list[str] = []
    taken: set[str] = set()
    for i in range(n):
        if i == pilot:
            names.append("Công ty TNHH May Hyun Vina")
            taken.add(names[-1])
        else:
            names.append(_company_name(rng, str(sector[i]), taken))

    firms = pd.DataFrame(
        {
            "firm_id": [f"BD{i + 1:05d}" for i in range(n)],
            "name": names,
            "zone_id": zone,
            "sector": sector,
            "land_area_m2": land,
            "employees": employees.astype(int),
            "mandatory": mandatory,
            "pollution": pollution,
            "lon": lon,
            "lat": lat,
        }
    )
    firms["_park"] = park
    firms["earliest_year"] = pd.array(earliest, dtype="Int64")
    _add_history(rng, firms)
    _add_supply_groups(rng, firms)
    _add_preferences(rng, firms, sites)
    firms["origin_park"] = [OLD_PARK_IDS.get(p, "") for p in firms["_park"]]
    firms["move_group"] = np.where(firms["origin_park"] == PILOT_PARK, PILOT_GROUP, "")
    return firms.drop(columns="_park")


def _compatible(firm: pd.Series, site: pd.Series) -> bool:
    """Whether ``site`` may take ``firm`` (sector, polluting, size), as the model admits."""
    acc = site["accepts_sectors"]
    if acc != "*" and firm["sector"] not in acc.split(";"):
        return False
    if firm["pollution"] == "high" and not site["accepts_polluting"]:
        return False
    cap = site["max_firm_area_m2"]
    return not (pd.notna(cap) and firm["land_area_m2"] > cap)


def _add_history(rng: np.random.Generator, firms: pd.DataFrame) -> None:
    """Mark ``n_moved_before`` small firms as moved in 2023 to an operating park."""
    pool = np.flatnonzero((firms["_park"] == "").to_numpy() & (firms["land_area_m2"] < 10_000))
    moved = np.sort(rng.choice(pool, TARGETS["n_moved_before"], replace=False))
    firms["moved_year"] = pd.array([pd.NA] * len(firms), dtype="Int64")
    firms["moved_site_id"] = ""
    firms.loc[moved, "moved_year"] = 2023
    sites = [MOVED_SITES[k % len(MOVED_SITES)] for k in range(len(moved))]
    firms.loc[moved, "moved_site_id"] = sites
    # A moved firm's readiness is history, not a planning input.
    firms.loc[moved, "earliest_year"] = pd.NA


def _add_supply_groups(rng: np.random.Generator, firms: pd.DataFrame) -> None:
    """Form ~40 groups of 3–6 neighbouring firms that trade with each other.

    Old parks form groups of their own tenants first (SG01 is the Bình Đường pilot); the rest
    grow around random firms from their nearest ungrouped neighbours in the same zone.
    """
    group = np.full(len(firms), "", dtype=object)
    free = (firms["moved_site_id"] == "").to_numpy()
    lo, hi = TARGETS["supply_group_size"]
    xy = firms[["lon", "lat"]].to_numpy()
    gid = 0
    for pname, *_ in OLD_PARKS:
        members = np.flatnonzero((firms["_park"] == pname).to_numpy() & free)
        size = min(int(rng.integers(lo, hi + 1)), len(members))
        if pname == "Bình Đường":
            size = 5  # the pilot firm and four neighbours
            chosen = members[:size]
        else:
            chosen = np.sort(rng.choice(members, size, replace=False))
        gid += 1
        group[chosen] = f"SG{gid:02d}"
    while gid < TARGETS["n_supply_groups"]:
        cand = np.flatnonzero(free & (group == ""))
        seed = int(rng.choice(cand))
        same = cand[(firms["zone_id"].to_numpy()[cand] == firms.at[seed, "zone_id"])]
        d = np.hypot(*(xy[same] - xy[seed]).T)
        size = int(rng.integers(lo, hi + 1))
        chosen = same[np.argsort(d, kind="stable")[:size]]
        gid += 1
        group[chosen] = f"SG{gid:02d}"
    firms["supply_group"] = group


def _add_preferences(rng: np.random.Generator, firms: pd.DataFrame, sites: pd.DataFrame) -> None:
    """Give ~5 % of planned firms 1–2 preferred compatible sites, nearer ones more likely."""
    pref = np.full(len(firms), "", dtype=object)
    planned = np.flatnonzero((firms["moved_site_id"] == "").to_numpy())
    chosen = np.sort(rng.choice(planned, round(TARGETS["preferred_share"] * len(firms)), False))
    for i in chosen:
        firm = firms.loc[i]
        ok = sites[[_compatible(firm, s) for _, s in sites.iterrows()]]
        d = np.hypot(ok["lon"] - firm["lon"], ok["lat"] - firm["lat"]).to_numpy()
        w = 1.0 / (d + 0.02) ** 2
        k = min(int(rng.integers(1, 3)), len(ok))
        pick = rng.choice(len(ok), k, replace=False, p=w / w.sum())
        pref[i] = ";".join(sorted(ok["site_id"].iloc[pick]))
    firms["preferred_site_ids"] = pref


# ---------------------------------------------------------------------------------------------
# Sites, phases, stations
# ---------------------------------------------------------------------------------------------


def build_sites(zones: dict[str, Polygon]) -> pd.DataFrame:
    """The destination sites table (phased sites carry no ``free_area_m2``/``available_from``).

    Raises
    ------
    ValueError
        If a site lies outside its zone polygon.
    """
    rows = []
    for s in SITES:
        if not zones[s.zone_id].contains(Point(s.lon, s.lat)):
            raise ValueError(f"site {s.site_id} lies outside its zone {s.zone_id}")
        single = len(s.phases) == 1 and s.site_id not in MOVED_SITES
        rows.append(
            {
                "site_id": s.site_id,
                "name": s.name,
                "zone_id": s.zone_id,
                "kind": s.kind,
                "free_area_m2": round(s.phases[0][1] * 10_000) if single else pd.NA,
                "available_from": s.phases[0][0] if single else pd.NA,
                "accepts_sectors": s.accepts_sectors,
                "accepts_polluting": s.accepts_polluting,
                "lon": s.lon,
                "lat": s.lat,
                "max_firm_area_m2": s.max_firm_area_m2 if s.max_firm_area_m2 else pd.NA,
                "rent_vnd_per_m2": s.rent_usd_per_m2 * USD_VND,
            }
        )
    df = pd.DataFrame(rows)
    for col in ("free_area_m2", "available_from", "max_firm_area_m2"):
        df[col] = df[col].astype("Int64")
    return df


def build_site_phases(firms: pd.DataFrame) -> pd.DataFrame:
    """Releases of the phased sites; the 2023 phase also covers the firms moved in 2023."""
    moved_area = firms[firms["moved_site_id"] != ""].groupby("moved_site_id")["land_area_m2"].sum()
    rows = []
    for s in SITES:
        if len(s.phases) == 1 and s.site_id not in MOVED_SITES:
            continue
        for k, (year, ha) in enumerate(s.phases):
            m2 = round(ha * 10_000)
            if k == 0:
                m2 += int(moved_area.get(s.site_id, 0))
            rows.append({"site_id": s.site_id, "year": year, "released_area_m2": m2})
    return pd.DataFrame(rows)


METRO_LINE = "Metro BD 1"
METRO_OPENING = 2031  # brief §5.1 [sourced]: built 2027–2031
#: Corridor of metro line 1 (lat, lon, locality): S1 and Suối Tiên are the brief's anchors;
#: the bends via Phú Chánh, Vĩnh Tân, Bình Chuẩn, Tân Đông Hiệp and Đông Hòa are (assumption).
METRO_CORRIDOR = (
    (11.050, 106.670, "Thành phố mới"),
    (11.038, 106.700, "Phú Chánh"),
    (11.045, 106.728, "Vĩnh Tân"),
    (11.005, 106.735, "Tân Phước Khánh"),
    (10.975, 106.735, "Bình Chuẩn"),
    (10.945, 106.760, "Thuận Giao"),
    (10.920, 106.775, "Tân Đông Hiệp"),
    (10.893, 106.792, "Đông Hòa"),
    (10.870, 106.810, "Suối Tiên"),
)
RAIL_LINE = "Đường sắt Dĩ An – Bàu Bàng"
RAIL_OPENING = 2033  # brief §5.2 [sourced]
#: The 10 stations of the Dĩ An (An Bình)–Bàu Bàng (Lai Uyên) railway: the termini are the
#: brief's; the eight intermediate locations are indicative (assumption).
RAIL_STATIONS = (
    (10.886, 106.762, "Ga An Bình"),
    (10.930, 106.782, "Ga Tân Đông Hiệp"),
    (10.990, 106.770, "Ga Khánh Bình"),
    (11.045, 106.760, "Ga Tân Uyên"),
    (11.100, 106.745, "Ga VSIP III"),
    (11.150, 106.705, "Ga Bình Mỹ"),
    (11.190, 106.668, "Ga Tân Bình"),
    (11.220, 106.635, "Ga Lai Hưng"),
    (11.252, 106.615, "Ga Bàu Bàng"),
    (11.280, 106.610, "Ga Lai Uyên"),
)
N_METRO_STATIONS = 19  # brief §5.1 [sourced]
STATION_INSET_DEG = 0.001  # ~110 m: how far inside the study area a moved terminus goes


def _into_area(area: Polygon, lat: float, lon: float) -> tuple[float, float]:
    """Return (lat, lon) itself if inside ``area``, else the nearest border point moved inward."""
    p = Point(lon, lat)
    inner = area.buffer(-STATION_INSET_DEG)
    if inner.contains(p):
        return lat, lon
    q = nearest_points(inner, p)[0]
    return round(q.y, 6), round(q.x, 6)


def build_stations(zones: dict[str, Polygon]) -> pd.DataFrame:
    """Metro line 1 (19 stations every ~1.6 km of corridor) and the Dĩ An–Bàu Bàng railway.

    Suối Tiên lies just outside the former province: it is moved to the nearest point of the
    study area (documented in the data README).
    """
    area = shapely.union_all(list(zones.values()))
    corridor = [(lat, lon) for lat, lon, _ in METRO_CORRIDOR]
    corridor[-1] = _into_area(area, *corridor[-1])
    km_lon = KM_PER_DEG_LAT * math.cos(math.radians(11.0))
    # Interpolate along the corridor in km so that stations are evenly spaced.
    xy = np.array([(lon * km_lon, lat * KM_PER_DEG_LAT) for lat, lon in corridor])
    seg = np.hypot(*np.diff(xy, axis=0).T)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    at = np.linspace(0.0, cum[-1], N_METRO_STATIONS)
    px = np.interp(at, cum, xy[:, 0])
    py = np.interp(at, cum, xy[:, 1])
    rows = []
    for k in range(N_METRO_STATIONS):
        near = int(np.argmin(np.abs(cum - at[k])))
        place = METRO_CORRIDOR[near][2]
        if k == 0:
            name = "Ga S1 – Thành phố mới"
        elif k == N_METRO_STATIONS - 1:
            name = "Ga Suối Tiên"
        else:
            name = f"Ga S{k + 1} – {place}"
        lat, lon = _into_area(area, round(py[k] / KM_PER_DEG_LAT, 6), round(px[k] / km_lon, 6))
        rows.append(
            {
                "station_id": f"M1_S{k + 1:02d}",
                "name": name,
                "line": METRO_LINE,
                "line_kind": "metro",
                "opening_year": METRO_OPENING,
                "lon": lon,
                "lat": lat,
            }
        )
    for k, (lat, lon, name) in enumerate(RAIL_STATIONS):
        lat, lon = _into_area(area, lat, lon)
        rows.append(
            {
                "station_id": f"RDB_{k + 1:02d}",
                "name": name,
                "line": RAIL_LINE,
                "line_kind": "railway",  # brief §5.2: passengers and freight, not a metro
                "opening_year": RAIL_OPENING,
                "lon": lon,
                "lat": lat,
            }
        )
    return pd.DataFrame(rows)


def build_sectors() -> pd.DataFrame:
    """The sector lookup (brief §1.4, §9)."""
    return pd.DataFrame(
        [
            {"code": c, "name_vi": vi, "name_en": en, "pollution": p}
            for c, (vi, en, p) in SECTORS.items()
        ]
    )


SCENARIO_TOML = """\
# Default scenario of the embedded Bình Dương demo (see README.md next to this file).
name = "default"
# Policy as written (Programme 113-CTr/TU): 30–40 % by end-2025, every firm by 2030,
# mandatory firms by their zone's deadline (Thuận An 2028, the others 2029).
description = "Policy as written: 30–40 % of slated firms by 2025, all by 2030"

[horizon]
start = 2024
end = 2030

[[quota]]  # brief §1.1 [sourced]: 30–40 % by 2025, firms moved in 2023 included
by_year = 2025
min_share = 0.30
max_share = 0.40

[[quota]]  # brief §1.2 [sourced]: the roadmap ends in 2030
by_year = 2030
min_share = 1.0
max_share = 1.0

[limits]
# (assumption) permits and appraisals the authorities can process per year: the binding
# resource of the 2025 window (2 × {cap} = {two} firms = {share:.1f} % of the {n} firms that
# are not exempt)
max_moves_per_year = {cap}
# (assumption) a programme office runs every year: at least {min_moves} moves a year while
# firms wait (fewer only where fewer firms can move then)
min_moves_per_year = {min_moves}
# (assumption) public support per year: above what the 650 costliest firms would need in one
# year (README.md, calibration), so never binding by default
budget_vnd_per_year = 12000000000000

[rules]
# brief §1.3 [sourced, plo.vn, undated: an older text]: facilities already inside industrial
# parks are exempt; the scheme covers one park, Bình Đường (brief §1.2)
exempt_park_tenants = true
programme_parks = ["KCN_BINHDUONG"]
# the pilot moves in one year; one site only where the land allows (split cost, not a rule)
move_group_same_site = false

[[clearance]]  # (assumption) the Bình Đường pilot park is empty by the end of {clear}
park = "KCN_BINHDUONG"
by_year = {clear}

{freed_land}
[solver]
time_limit_s = 60
workers = 2
seed = 0
"""


#: Social-housing targets for 2024–25 by former city: (units, land ha), brief §6 [sourced,
#: xe.today 2024-09]; Bắc Tân Uyên (900 units, 3 ha) is a destination, not an origin.
SH_TARGETS_2024_25: dict[str, tuple[int, float]] = {
    "old:thu_dau_mot": (13_477, 54.0),
    "old:thuan_an": (6_130, 13.0),
    "old:di_an": (6_121, 12.0),
    "old:tan_uyen": (8_354, 27.0),
    "old:ben_cat": (7_462, 33.0),
}
SH_UNITS_2024_25_TOTAL = 42_444  # brief §6 [sourced]: the six localities' 2024–25 units
SH_UNITS_2026_30 = 40_500  # brief §6 [sourced]: Decision 338/QĐ-TTg, Bình Dương 2026–30
SH_PROVINCE_UNITS = 86_900  # brief §6 [sourced]: PM Decision 444 (27 Feb 2025), by 2030
SH_PROVINCE_YEAR = 2030


def build_freed_land_toml() -> str:
    """The ``[freed_land]`` part of the demo scenario: densities, targets, TOD lines.

    Densities are the 2024–25 units / land of each city (brief §6, derived). The 2026–30
    province-wide units are split between the cities in proportion to their 2024–25 units
    (assumption) and added to them: targets are cumulative by 2030.
    """
    lines = [
        "[freed_land]",
        "# brief §5.3 [sourced]: the TOD rules are for metro lines; the Dĩ An – Bàu Bàng",
        "# railway (line_kind = railway) gets no rings unless listed in tod_lines",
        'tod_line_kinds = ["metro"]',
        "# brief §6 [sourced, PM Decision 444]: the province's social-housing target",
        f"province_social_housing_units = {SH_PROVINCE_UNITS}",
        f"province_social_housing_by_year = {SH_PROVINCE_YEAR}",
        "",
        "[freed_land.social_housing_units_per_ha_by_zone]",
        "# brief §6 (derived): 2024–25 units / land of each city",
    ]
    for z, (units, ha) in SH_TARGETS_2024_25.items():
        lines.append(f'"{z}" = {units / ha:.1f}')
    for name, lat, lon, _half, _count, _zone in OLD_PARKS:
        if name == "Bình Đường":  # the park to be converted (brief §1.5)
            continue
        lines += [
            "",
            "# the old park stays an industrial park: jobs near social housing (assumption;",
            "# coordinates brief §9.1, assumption)",
            "[[freed_land.employment_sites]]",
            f'name = "KCN {name}"',
            f"lon = {lon}",
            f"lat = {lat}",
        ]
    for z, (units, ha) in SH_TARGETS_2024_25.items():
        lines += [
            "",
            "[[freed_land.social_housing_targets]]",
            f'zone_id = "{z}"',
            "by_year = 2025",
            f"hectares = {ha:.1f}",
            f"units = {units}",
            'source = "brief §6 [sourced, xe.today 2024-09]: 2024–25 target"',
        ]
    for z, (units, _ha) in SH_TARGETS_2024_25.items():
        share = round(SH_UNITS_2026_30 * units / SH_UNITS_2024_25_TOTAL)
        lines += [
            "",
            "[[freed_land.social_housing_targets]]",
            f'zone_id = "{z}"',
            "by_year = 2030",
            f"units = {units + share}",
            f'source = "2024–25 target {units:,} + {share:,}: Decision 338\'s 2026–30 '
            f'{SH_UNITS_2026_30:,} split by 2024–25 units (assumption)"',
        ]
    return "\n".join(lines) + "\n"


def build_scenario_toml() -> str:
    """The default ``scenario.toml`` text (keys as in ``relocation/domain/scenario.py``)."""
    cap = TARGETS["max_moves_per_year"]
    # The quota base: every firm but the exempt tenants of the parks outside the scheme.
    n = TARGETS["n_firms"] - sum(c for name, *_, c, _z in OLD_PARKS if name != "Bình Đường")
    return (
        SCENARIO_TOML.replace("{freed_land}", build_freed_land_toml())
        .replace("{cap}", str(cap))
        .replace("{two}", f"{2 * cap:,}")
        .replace("{share:.1f}", f"{200 * cap / n:.1f}")
        .replace("{n}", f"{n:,}")
        .replace("{min_moves}", str(MIN_MOVES_PER_YEAR))
        .replace("{clear}", str(PILOT_CLEARANCE_YEAR))
    )


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    """The generated workspace tables, before they are written."""

    firms: pd.DataFrame
    sites: pd.DataFrame
    site_phases: pd.DataFrame
    zones: dict[str, Polygon]
    stations: pd.DataFrame
    sectors: pd.DataFrame
    scenario_toml: str
    actuals: pd.DataFrame | None = None


#: The annual review's year of the demo's ``actuals.csv`` (late 2026, brief §1.1's timeline).
ACTUALS_AS_OF = 2026
#: A separate, seeded stream for the actuals, so that the other tables do not change.
ACTUALS_STREAM = 9


def _released(sites: pd.DataFrame, phases: pd.DataFrame, years: range) -> dict[str, np.ndarray]:
    """Cumulative land released at each site by the end of each year (as the planner reads it)."""
    out = {}
    yrs = np.asarray(years)
    for row in sites.itertuples(index=False):
        ph = phases[phases["site_id"] == row.site_id]
        rel = np.zeros(len(yrs))
        if len(ph):
            for year, m2 in zip(ph["year"], ph["released_area_m2"], strict=True):
                rel[yrs >= year] += m2
        elif pd.notna(row.free_area_m2):
            rel[yrs >= int(row.available_from)] += float(row.free_area_m2)
        out[row.site_id] = rel
    return out


def build_actuals(
    firms: pd.DataFrame, sites: pd.DataFrame, phases: pd.DataFrame, seed: int = DEMO_SEED
) -> pd.DataFrame:
    """The demo's ``actuals.csv`` as of 2026 (every count a ``TARGETS`` assumption).

    Firms moved in 2024–2026 and committed for 2027 go, in a seeded random order, to the
    nearest site that accepts them and still has land in that year and every later year
    (land taken from the year of the move on, as the planner counts it); closed firms are
    small encouraged ones; exempt firms are any others. Deterministic for a seed.
    """
    rng = np.random.default_rng([seed, ACTUALS_STREAM])
    years = range(HORIZON[0], HORIZON[1] + 1)
    yrs = np.asarray(years)
    free = _released(sites, phases, years)
    for site_id, area in zip(firms["moved_site_id"], firms["land_area_m2"], strict=True):
        if site_id:
            free[site_id] = free[site_id] - area
    site_rows = {r.site_id: r for _, r in sites.iterrows()}
    order = rng.permutation(np.flatnonzero(firms["moved_year"].isna().to_numpy()))
    # Old-park tenants have no actuals: the exempt parks' firms are out of the programme,
    # the Bình Đường pilot is still to move (together).
    if "origin_park" in firms:
        in_park = (firms["origin_park"] != "").to_numpy()
        order = order[~in_park[order]]
    taken: set[int] = set()
    rows: list[dict[str, object]] = []

    def place(i: int, year: int) -> str:
        firm = firms.iloc[i]
        d = (sites["lon"] - firm["lon"]) ** 2 + (sites["lat"] - firm["lat"]) ** 2
        for j in np.argsort(d.to_numpy(), kind="stable"):
            site = sites.iloc[j]
            tail = free[site["site_id"]][yrs >= year]
            if _compatible(firm, site_rows[site["site_id"]]) and tail.min() >= firm["land_area_m2"]:
                free[site["site_id"]][yrs >= year] -= firm["land_area_m2"]
                return str(site["site_id"])
        return ""

    def pick(n: int, ok: Callable[[int], bool], status: str, year_of: Callable[[], int],
             note: str, with_site: bool) -> None:
        count = 0
        for i in order:
            if count == n:
                return
            if i in taken or not ok(int(i)):
                continue
            year = year_of()
            site = place(int(i), year) if with_site else ""
            if with_site and not site:
                continue
            taken.add(int(i))
            rows.append({"firm_id": firms.at[i, "firm_id"], "status": status, "site_id": site,
                         "year": year, "note": note})
            count += 1

    for year, n in TARGETS["actual_moved"].items():
        pick(n, lambda i, y=year: int(firms.at[i, "earliest_year"]) <= y, "moved",
             lambda y=year: y, "đã di dời / moved", True)
    pick(TARGETS["actual_committed_2027"], lambda i: int(firms.at[i, "earliest_year"]) <= 2027,
         "committed", lambda: 2027, "đã ký thuê đất / lease signed", True)
    pick(TARGETS["actual_closed"],
         lambda i: not firms.at[i, "mandatory"] and firms.at[i, "land_area_m2"] < 5_000,
         "closed", lambda: int(rng.integers(2024, ACTUALS_AS_OF + 1)),
         "giải thể / ceased trading", False)
    pick(TARGETS["actual_exempt"], lambda i: True, "exempt", lambda: 2025,
         "được miễn / removed from the list", False)
    out = pd.DataFrame(rows, columns=["firm_id", "status", "site_id", "year", "note"])
    return out.sort_values("firm_id", kind="stable").reset_index(drop=True)


def generate_demo(seed: int = DEMO_SEED) -> DemoData:
    """Generate the demo workspace tables.

    Parameters
    ----------
    seed : int
        Seed of the single ``numpy.random.default_rng`` stream.

    Returns
    -------
    DemoData
        Every table of the workspace; ``write_demo`` writes them.
    """
    rng = np.random.default_rng(seed)
    zones = build_zones()
    sites = build_sites(zones)
    firms = build_firms(rng, zones, sites)
    phases = build_site_phases(firms)
    return DemoData(
        firms=firms,
        sites=sites,
        site_phases=phases,
        zones=zones,
        stations=build_stations(zones),
        sectors=build_sectors(),
        scenario_toml=build_scenario_toml(),
        actuals=build_actuals(firms, sites, phases, seed),
    )


def _csv_text(df: pd.DataFrame) -> str:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = np.where(out[col], "true", "false")
    for col in ("lon", "lat"):
        if col in out.columns:
            out[col] = out[col].map(lambda v: f"{v:.6f}")
    return str(out.to_csv(index=False, lineterminator="\n"))


def _zones_geojson(zones: dict[str, Polygon]) -> str:
    features = []
    for z in ZONES:
        geom = shapely.geometry.mapping(zones[z.zone_id])
        rings = [[[round(x, 6), round(y, 6)] for x, y in ring] for ring in geom["coordinates"]]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "zone_id": z.zone_id,
                    "name": z.name,
                    "name_en": z.name_en,
                    "kind": z.kind,
                    "deadline_year": z.deadline_year,
                    "ward_2025": "; ".join(n for n, _ in z.wards_2025),
                    "ward_2025_code": ";".join(str(c) for _, c in z.wards_2025),
                },
                "geometry": {"type": "Polygon", "coordinates": rings},
            }
        )
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to a temp file beside ``path``, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; these are ordinary shared data files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: File names the generator writes, in order.
DEMO_FILES = (
    "firms.csv",
    "sites.csv",
    "site_phases.csv",
    "zones.geojson",
    "stations.csv",
    "sectors.csv",
    "scenario.toml",
    "actuals.csv",
)


def write_demo(out_dir: Path | str = DEFAULT_OUT, seed: int = DEMO_SEED) -> list[Path]:
    """Generate the demo and write its files to ``out_dir`` (created if needed).

    Parameters
    ----------
    out_dir : pathlib.Path or str
        Target folder; existing demo files in it are replaced.
    seed : int
        Random seed (the committed demo uses ``DEMO_SEED``).

    Returns
    -------
    list of pathlib.Path
        The files written, in ``DEMO_FILES`` order.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = generate_demo(seed)
    texts = {
        "firms.csv": _csv_text(data.firms),
        "sites.csv": _csv_text(data.sites),
        "site_phases.csv": _csv_text(data.site_phases),
        "zones.geojson": _zones_geojson(data.zones),
        "stations.csv": _csv_text(data.stations),
        "sectors.csv": _csv_text(data.sectors),
        "scenario.toml": data.scenario_toml,
        "actuals.csv": _csv_text(data.actuals if data.actuals is not None else pd.DataFrame()),
    }
    paths = []
    for name in DEMO_FILES:
        _write_atomic(out / name, texts[name])
        paths.append(out / name)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: ``python -m geodata.demo_generator [--out DIR]``.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit code (0).
    """
    parser = argparse.ArgumentParser(
        prog="python -m geodata.demo_generator",
        description="Write the embedded Bình Dương demo workspace (seeded, deterministic).",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--seed", type=int, default=DEMO_SEED, help="random seed")
    args = parser.parse_args(argv)
    for path in write_demo(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
