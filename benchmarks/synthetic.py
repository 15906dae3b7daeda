"""Seeded generator of synthetic province workspaces (for scale benchmarks).

    python benchmarks/synthetic.py --firms 30000 --sites 25 --years 7 --seed 1 --out DIR

The workspace has the demo's shape (README "Data formats"): origin zones in the south and
destination zones in the north (polygons in Bình Dương's latitude band), firms of the ten demo
sectors with the demo's size, workforce and mandatory-share distributions (domain brief §9),
supply groups and readiness years, parks and clusters with mixed sector and polluting-firm
acceptance, staggered opening years and second phases, quota windows of 30–40 % by the second
year and 100 % by the last, and a yearly cap on moves.

Feasibility is built in, not hoped for: the generator first draws a *witness* plan (earliest
deadline first, year by year, each firm to a compatible open site) and then releases each
site's land so that the witness fits with 10 % to spare in every year. The optimiser is free to
find a cheaper plan; the witness only proves that one exists. The witness is returned by
:func:`generate_province` (tests check it against the tables) but is not written to the
workspace.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from gap_instances import (
    STATIONS_COLUMNS,
    polygon_feature,
    write_csv,
    write_geojson,
    write_toml,
)
from shapely.geometry import Polygon

from relocation.domain.scenario import Scenario

#: code, name_vi, name_en, share of firms, pollution class (domain brief §1.4 and §9).
SECTORS: tuple[tuple[str, str, str, float, str], ...] = (
    ("wood_furniture", "Chế biến gỗ và nội thất", "Wood processing and furniture", 0.30, "high"),
    ("metal_mechanical", "Cơ khí và xi mạ", "Metal and mechanical", 0.20, "high"),
    ("garment_footwear", "May mặc và da giày", "Garments and footwear", 0.10, "low"),
    ("ceramics_building", "Gốm sứ và vật liệu xây dựng", "Ceramics and building", 0.08, "high"),
    ("plastics_rubber", "Nhựa và cao su", "Plastics and rubber", 0.08, "medium"),
    ("food_beverage", "Thực phẩm và đồ uống", "Food and beverage", 0.07, "high"),
    ("textile_dyeing", "Dệt nhuộm", "Textile dyeing", 0.05, "high"),
    ("chemicals_paint", "Hóa chất và sơn", "Chemicals and paint", 0.05, "high"),
    ("printing_packaging", "In ấn và bao bì", "Printing and packaging", 0.04, "medium"),
    ("other", "Ngành khác", "Other", 0.03, "low"),
)
SECTOR_CODES = tuple(s[0] for s in SECTORS)
#: Sectors clusters (CCN) typically take: SMEs in building materials, agro-processing, wood.
CLUSTER_SECTORS = (
    "ceramics_building",
    "food_beverage",
    "wood_furniture",
    "plastics_rubber",
    "printing_packaging",
    "garment_footwear",
    "other",
)
#: Origin shares of the demo (Thuận An, Dĩ An, TDM, Tân Uyên, Bến Cát; brief §9).
ORIGIN_SHARES = (0.30, 0.25, 0.20, 0.15, 0.10)
DESTINATION_ZONES = 4
#: Latitude/longitude bands of the south (origins) and north (destinations), degrees.
SOUTH_BAND = (106.58, 10.86, 106.86, 11.09)
NORTH_BAND = (106.45, 11.16, 106.88, 11.38)
#: Land bands (m²) and their shares: 0.05–0.5 ha 70 %, 0.5–3 ha 25 %, 3–10 ha 5 % (§9).
LAND_BANDS = ((500.0, 5_000.0), (5_000.0, 30_000.0), (30_000.0, 100_000.0))
LAND_SHARES = (0.70, 0.25, 0.05)
CLUSTER_MAX_AREA_M2 = 30_000  # clusters take SMEs of up to 3 ha (§9 destination table)
LAND_SLACK = 0.10  # land released = witness use × 1.1 (at least), every year
MOVES_CAP_SHARE = 0.22  # max_moves_per_year ≈ 0.22 × N unless the witness needs more
MIN_SITE_RELEASE_M2 = 10_000  # the least land a site (or phase) releases: 1 ha
EARLY_QUOTA = (0.30, 0.40)  # share moved by the end of the second year
WITNESS_EARLY_SHARE = (0.15, 0.35)  # witness: cumulative share moved by years 1 and 2


@dataclass(frozen=True)
class SyntheticProvince:
    """A generated workspace, as tables, plus the witness plan that proves it feasible.

    Attributes
    ----------
    firms, sites, site_phases, stations, sectors : pandas.DataFrame
        The tables as they are written (README "Data formats" columns).
    zones : list of dict
        GeoJSON features of the zones (WGS84 polygons).
    scenario : dict
        The ``scenario.toml`` document.
    witness : pandas.DataFrame
        One feasible plan: ``firm_id``, ``site_id``, ``year`` (not written to the workspace).
    """

    firms: pd.DataFrame
    sites: pd.DataFrame
    site_phases: pd.DataFrame
    stations: pd.DataFrame
    sectors: pd.DataFrame
    zones: list[dict[str, Any]]
    scenario: dict[str, Any]
    witness: pd.DataFrame


def _strip_polygons(
    bounds: tuple[float, float, float, float], count: int, rng: np.random.Generator
) -> list[Polygon]:
    """Split a band into ``count`` side-by-side quadrilaterals with jittered shared edges."""
    lon0, lat0, lon1, lat1 = bounds
    edges = np.linspace(lon0, lon1, count + 1)
    step = (lon1 - lon0) / count
    # Shared inner edges lean a little (bottom and top x differ) so zones are not rectangles;
    # the jitter stays well under half a strip, so neighbours never overlap.
    bottom = edges.copy()
    top = edges.copy()
    bottom[1:-1] += rng.uniform(-0.2, 0.2, count - 1) * step
    top[1:-1] += rng.uniform(-0.2, 0.2, count - 1) * step
    return [
        Polygon([(bottom[k], lat0), (bottom[k + 1], lat0), (top[k + 1], lat1), (top[k], lat1)])
        for k in range(count)
    ]


def _points_in(poly: Polygon, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` uniform random (lon, lat) points well inside ``poly`` (rejection sampling)."""
    # ~100 m inside the edge, so that reprojection never moves a point out of its zone.
    inner = poly.buffer(-0.001)
    x0, y0, x1, y1 = inner.bounds
    out = np.empty((0, 2))
    while len(out) < count:
        need = max(64, int((count - len(out)) * 1.5))
        xy = np.column_stack([rng.uniform(x0, x1, need), rng.uniform(y0, y1, need)])
        out = np.vstack([out, xy[shapely.contains_xy(inner, xy[:, 0], xy[:, 1])]])
    return out[:count].round(6)


def _deadlines(start: int, end: int, zones: int) -> list[int]:
    """Origin deadlines: the first zone two years before the end, the others one (§1.2)."""
    first = min(end, max(start + 2, end - 2))
    rest = min(end, max(start + 2, end - 1))
    return [first] + [rest] * (zones - 1)


def _draw_firms(
    n: int, start: int, end: int, zone_polys: list[Polygon], rng: np.random.Generator
) -> pd.DataFrame:
    """Firms with the demo's distributions (sizes, workers, mandatory share, readiness)."""
    deadlines = _deadlines(start, end, len(zone_polys))
    zone = rng.choice(len(zone_polys), size=n, p=ORIGIN_SHARES)
    shares = np.array([s[3] for s in SECTORS])
    sector = rng.choice(len(SECTORS), size=n, p=shares / shares.sum())
    pollution = np.array([s[4] for s in SECTORS])[sector]
    band = rng.choice(len(LAND_BANDS), size=n, p=LAND_SHARES)
    lo = np.log(np.array([b[0] for b in LAND_BANDS]))[band]
    hi = np.log(np.array([b[1] for b in LAND_BANDS]))[band]
    land = np.round(np.exp(rng.uniform(lo, hi))).astype(np.int64)  # log-uniform in its band
    employees = np.clip(np.round(rng.lognormal(np.log(60), 1.0, n)), 10, 2500).astype(np.int64)
    # The brief's four independent criteria; the environment one doubles for polluting firms.
    env = np.where(pollution == "high", 0.24, 0.12)
    mandatory = (
        (rng.random(n) < 0.25)
        | (rng.random(n) < env)
        | (rng.random(n) < 0.08)
        | (rng.random(n) < 0.05)
    )
    deadline = np.array(deadlines)[zone]
    later = rng.integers(start + 2, max(start + 2, end - 1) + 1, n)
    # Readiness: 55 % in the first year, 25 % in the second, 20 % later (drawn in two steps).
    earliest = np.where(rng.random(n) < 0.55 / 0.80, start, start + 1)
    earliest = np.where(rng.random(n) < 0.20, later, earliest)
    earliest = np.where(mandatory, np.minimum(earliest, deadline), earliest).clip(start, end)
    lonlat = np.empty((n, 2))
    for z, poly in enumerate(zone_polys):
        idx = np.flatnonzero(zone == z)
        lonlat[idx] = _points_in(poly, len(idx), rng)
    # Supply groups: about a fifth of the firms, in groups of 2–6 neighbours of one zone.
    group = np.full(n, "", dtype=object)
    members = rng.permutation(np.flatnonzero(rng.random(n) < 0.20))
    members = members[np.argsort(zone[members], kind="stable")]
    pos, gid = 0, 0
    while pos < len(members) - 1:
        size = int(rng.integers(2, 7))
        chunk = members[pos : pos + size]
        chunk = chunk[zone[chunk] == zone[chunk[0]]]  # a group never spans two zones
        if len(chunk) >= 2:
            gid += 1
            group[chunk] = f"NCC{gid:05d}"
        pos += size
    prefixes = np.array(["Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Xưởng"])
    pre = prefixes[rng.integers(0, len(prefixes), n)]
    names = [
        f"{p} {SECTORS[s][1]} số {i + 1}" for i, (p, s) in enumerate(zip(pre, sector, strict=True))
    ]
    return pd.DataFrame(
        {
            "firm_id": [f"SF{i + 1:05d}" for i in range(n)],
            "name": names,
            "zone_id": [f"ZS{z + 1}" for z in zone],
            "sector": np.array(SECTOR_CODES)[sector],
            "land_area_m2": land,
            "employees": employees,
            "mandatory": np.where(mandatory, "true", "false"),
            "pollution": pollution,
            "lon": lonlat[:, 0],
            "lat": lonlat[:, 1],
            "supply_group": group.astype(str),
            "earliest_year": earliest.astype(np.int64),
            "draft_deadline": np.where(mandatory, deadline, end),
        }
    )


def _draw_sites(
    s: int, start: int, end: int, zone_polys: list[Polygon], rng: np.random.Generator
) -> pd.DataFrame:
    """Parks and clusters: acceptance, opening years, second phases (land comes later)."""
    kind = np.where(rng.random(s) < 0.40, "cluster", "industrial_park")
    kind[:2] = "industrial_park"
    accepts: list[str] = []
    for k in range(s):
        if k < 2 or rng.random() < (0.65 if kind[k] == "industrial_park" else 0.40):
            accepts.append("*")
        else:
            pool = CLUSTER_SECTORS if kind[k] == "cluster" else SECTOR_CODES
            picked = rng.choice(len(pool), size=int(rng.integers(3, 6)), replace=False)
            accepts.append(";".join(pool[i] for i in sorted(picked)))
    # Most sites take polluting firms, so that every sector has room (the brief's S&T park
    # that refuses them is the exception).
    polluting = rng.random(s) < 0.80
    polluting[:2] = True
    opening = np.where(
        rng.random(s) < 0.30, start, rng.integers(start + 1, min(start + 4, end) + 1, s)
    )
    opening[:2] = start
    phase2 = opening + rng.integers(2, 4, s)
    phase2 = np.where((rng.random(s) < 0.40) & (phase2 <= end), phase2, 0)
    zone = np.arange(s) % len(zone_polys)
    lonlat = np.empty((s, 2))
    for z, poly in enumerate(zone_polys):
        idx = np.flatnonzero(zone == z)
        lonlat[idx] = _points_in(poly, len(idx), rng)
    names = [
        f"{'KCN' if kd == 'industrial_park' else 'CCN'} Phía Bắc {k + 1}"
        for k, kd in enumerate(kind)
    ]
    return pd.DataFrame(
        {
            "site_id": [f"SD{k + 1:02d}" for k in range(s)],
            "name": names,
            "zone_id": [f"ZN{z + 1}" for z in zone],
            "kind": kind,
            "accepts_sectors": accepts,
            "accepts_polluting": polluting,
            "lon": lonlat[:, 0],
            "lat": lonlat[:, 1],
            "max_firm_area_m2": np.where(kind == "cluster", CLUSTER_MAX_AREA_M2, np.nan),
            "draft_opening": opening,
            "draft_phase2": phase2,
        }
    )


def compatible(firms: pd.DataFrame, sites: pd.DataFrame) -> np.ndarray:
    """Firm × site mask of the rules on the pair alone: sector, polluting, firm size.

    Parameters
    ----------
    firms, sites : pandas.DataFrame
        Tables with the README columns (``required_area_m2`` defaults to ``land_area_m2``).

    Returns
    -------
    numpy.ndarray
        bool, shape (firms, sites).
    """
    sector = firms["sector"].to_numpy()
    area = (
        firms["required_area_m2"] if "required_area_m2" in firms else firms["land_area_m2"]
    ).to_numpy(dtype=float)
    high = (firms["pollution"] == "high").to_numpy()
    cols = []
    for rec in sites.itertuples(index=False):
        ok = np.full(len(firms), True)
        if rec.accepts_sectors != "*":
            ok &= np.isin(sector, str(rec.accepts_sectors).split(";"))
        if not _true(rec.accepts_polluting):
            ok &= ~high
        limit = float(rec.max_firm_area_m2) if pd.notna(rec.max_firm_area_m2) else math.inf
        ok &= area <= limit
        cols.append(ok)
    return np.column_stack(cols)


def _true(value: Any) -> bool:
    """A boolean cell as written by this module (bool or ``true``/``false``)."""
    return value is True or str(value).strip().lower() in ("true", "1")


def _witness(
    firms: pd.DataFrame,
    sites: pd.DataFrame,
    years: list[int],
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """A feasible schedule: year by year, earliest deadline first, to a compatible open site.

    Returns
    -------
    tuple of numpy.ndarray
        ``(year_of_firm, site_of_firm)``.

    Raises
    ------
    RuntimeError
        If no schedule meets the deadlines and the early quota (the draw is inconsistent).
    """
    n = len(firms)
    earliest = firms["earliest_year"].to_numpy()
    deadline = firms["draft_deadline"].to_numpy()
    tie = rng.random(n)
    year_of = np.zeros(n, dtype=np.int64)
    cum_targets = {
        years[0]: round(WITNESS_EARLY_SHARE[0] * n),
        years[1]: round(WITNESS_EARLY_SHARE[1] * n),
    }
    moved = 0
    for k, y in enumerate(years):
        free = np.flatnonzero((year_of == 0) & (earliest <= y))
        must = int((deadline[free] <= y).sum())
        if (year_of == 0).sum() and (deadline[year_of == 0] < y).any():
            raise RuntimeError(f"a firm missed its deadline before {y}")
        if y in cum_targets:
            take = cum_targets[y] - moved
        else:
            left = int((year_of == 0).sum())
            take = math.ceil(left / (len(years) - k))
        take = min(len(free), max(take, must))
        order = np.lexsort((tie[free], deadline[free]))  # earliest deadline first
        year_of[free[order[:take]]] = y
        moved += take
    lo, hi = math.ceil(EARLY_QUOTA[0] * n), math.floor(EARLY_QUOTA[1] * n)
    early = int(((year_of > 0) & (year_of <= years[1])).sum())
    if (year_of == 0).any() or not lo <= early <= hi:
        raise RuntimeError(
            f"the witness moved {early} firms by {years[1]} (quota {lo}–{hi}) and left "
            f"{int((year_of == 0).sum())} unplanned"
        )
    ok = compatible(firms, sites)
    weight = rng.lognormal(0.0, 0.6, len(sites)) * np.where(sites["kind"] == "cluster", 0.35, 1.0)
    site_of = np.full(n, -1, dtype=np.int64)
    for y in years:
        idx = np.flatnonzero(year_of == y)
        p = ok[idx] * (sites["draft_opening"].to_numpy() <= y) * weight
        cum = p.cumsum(axis=1)
        if (cum[:, -1] <= 0).any():
            raise RuntimeError(f"a firm moving in {y} has no compatible open site")
        u = rng.random(len(idx)) * cum[:, -1]
        site_of[idx] = (cum > u[:, None]).argmax(axis=1)
    return year_of, site_of


def _release_land(
    sites: pd.DataFrame,
    firms: pd.DataFrame,
    years: list[int],
    year_of: np.ndarray,
    site_of: np.ndarray,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Land per site: enough for the witness plus 10 % in every year, in one or two phases."""
    area = firms["land_area_m2"].to_numpy(dtype=float)
    yi = np.searchsorted(years, year_of)
    use = np.zeros((len(sites), len(years)))
    np.add.at(use, (site_of, yi), area)
    cum = use.cumsum(axis=1)

    def release(m2: float) -> int:
        # Whole hundreds of m², never below one hectare, 10 % over what the witness uses.
        return max(MIN_SITE_RELEASE_M2, int(math.ceil(m2 * (1 + LAND_SLACK) / 100.0)) * 100)

    free = pd.array([pd.NA] * len(sites), dtype="Int64")
    avail = pd.array([pd.NA] * len(sites), dtype="Int64")
    phases = []
    for s, rec in enumerate(sites.itertuples(index=False)):
        o, p2 = int(rec.draft_opening), int(rec.draft_phase2)
        total = release(cum[s, -1] if cum[s, -1] > 0 else rng.uniform(1, 5) * 10_000)
        if p2:
            first = release(cum[s, years.index(p2) - 1])
            second = max(total - first, MIN_SITE_RELEASE_M2)  # a phase always adds land
            phases += [(rec.site_id, o, first), (rec.site_id, p2, second)]
        else:
            free[s], avail[s] = total, o
    out = sites.drop(columns=["draft_opening", "draft_phase2"]).assign(
        free_area_m2=free, available_from=avail
    )
    out["max_firm_area_m2"] = out["max_firm_area_m2"].astype("Int64")
    out["accepts_polluting"] = np.where(out["accepts_polluting"], "true", "false")
    cols = [
        "site_id",
        "name",
        "zone_id",
        "kind",
        "free_area_m2",
        "available_from",
        "accepts_sectors",
        "accepts_polluting",
        "lon",
        "lat",
        "max_firm_area_m2",
    ]
    phase_frame = pd.DataFrame(phases, columns=["site_id", "year", "released_area_m2"])
    return out[cols], phase_frame


def _stations(start: int, end: int, rng: np.random.Generator) -> pd.DataFrame:
    """A planned line of six stations from the south to the north, opening in stages."""
    lat = np.linspace(10.90, 11.30, 6)
    lon = 106.66 + rng.uniform(-0.02, 0.02, 6)
    opening = np.minimum(end, start + 1 + np.arange(6) // 2)
    return pd.DataFrame(
        {
            "station_id": [f"GA{k + 1:02d}" for k in range(6)],
            "name": [f"Ga tổng hợp {k + 1}" for k in range(6)],
            "line": "Tuyến tổng hợp số 1",
            "opening_year": opening,
            "lon": lon.round(6),
            "lat": lat.round(6),
        }
    )[STATIONS_COLUMNS]


def generate_province(
    firms: int, sites: int = 25, years: int = 7, seed: int = 1, start: int = 2024
) -> SyntheticProvince:
    """Generate a feasible synthetic province.

    Parameters
    ----------
    firms : int
        Slated firms (at least 20).
    sites : int, optional
        Destination sites (at least 3; 25 by default).
    years : int, optional
        Planning years (at least 3: the early quota falls in the second).
    seed : int, optional
        Seed of every random draw: the same arguments give the same workspace.
    start : int, optional
        First planning year.

    Returns
    -------
    SyntheticProvince
        The tables and the witness plan.

    Raises
    ------
    ValueError
        On sizes out of range.
    """
    if firms < 20 or sites < 3 or years < 3:
        raise ValueError("need at least 20 firms, 3 sites and 3 years")
    rng = np.random.default_rng(seed)
    end = start + years - 1
    year_list = list(range(start, end + 1))
    south = _strip_polygons(SOUTH_BAND, len(ORIGIN_SHARES), rng)
    north = _strip_polygons(NORTH_BAND, DESTINATION_ZONES, rng)
    firm_frame = _draw_firms(firms, start, end, south, rng)
    site_frame = _draw_sites(sites, start, end, north, rng)
    year_of, site_of = _witness(firm_frame, site_frame, year_list, rng)
    site_table, phases = _release_land(site_frame, firm_frame, year_list, year_of, site_of, rng)
    witness = pd.DataFrame(
        {
            "firm_id": firm_frame["firm_id"],
            "site_id": site_table["site_id"].to_numpy()[site_of],
            "year": year_of,
        }
    )
    deadlines = _deadlines(start, end, len(south))
    zones = [
        polygon_feature(
            list(poly.exterior.coords),
            {
                "zone_id": f"ZS{k + 1}",
                "name": f"Vùng phía Nam {k + 1}",
                "name_en": f"South {k + 1}",
                "kind": "origin",
                "deadline_year": deadlines[k],
            },
        )
        for k, poly in enumerate(south)
    ] + [
        polygon_feature(
            list(poly.exterior.coords),
            {
                "zone_id": f"ZN{k + 1}",
                "name": f"Vùng phía Bắc {k + 1}",
                "name_en": f"North {k + 1}",
                "kind": "destination",
            },
        )
        for k, poly in enumerate(north)
    ]
    per_year = np.bincount(np.searchsorted(year_list, year_of), minlength=years)
    cap = max(math.ceil(MOVES_CAP_SHARE * firms), int(per_year.max()))
    scenario: dict[str, Any] = {
        "name": f"synthetic-{firms}-s{seed}",
        "description": (
            f"Synthetic province: {firms} firms, {sites} sites, {start}–{end}, seed {seed} "
            "(benchmarks/synthetic.py)."
        ),
        "horizon": {"start": start, "end": end},
        "quota": [
            {"by_year": start + 1, "min_share": EARLY_QUOTA[0], "max_share": EARLY_QUOTA[1]},
            {"by_year": end, "min_share": 1.0, "max_share": 1.0},
        ],
        "limits": {"max_moves_per_year": cap},
    }
    Scenario.model_validate(scenario)  # a generator bug surfaces here, not in the planner
    sectors = pd.DataFrame(
        [{"code": c, "name_vi": vi, "name_en": en, "pollution": p} for c, vi, en, _, p in SECTORS]
    )
    return SyntheticProvince(
        firms=firm_frame.drop(columns=["draft_deadline"]),
        sites=site_table,
        site_phases=phases,
        stations=_stations(start, end, rng),
        sectors=sectors,
        zones=zones,
        scenario=scenario,
        witness=witness,
    )


def write_province(province: SyntheticProvince, folder: str | Path) -> Path:
    """Write the workspace files (each atomically) into ``folder``.

    Parameters
    ----------
    province : SyntheticProvince
        The generated province.
    folder : str or pathlib.Path
        Workspace folder (created).

    Returns
    -------
    pathlib.Path
        The folder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "firms.csv", province.firms)
    write_csv(folder / "sites.csv", province.sites)
    write_csv(folder / "site_phases.csv", province.site_phases)
    write_csv(folder / "stations.csv", province.stations)
    write_csv(folder / "sectors.csv", province.sectors)
    write_geojson(folder / "zones.geojson", province.zones)
    write_toml(folder / "scenario.toml", province.scenario)
    return folder


def main(argv: list[str] | None = None) -> int:
    """Command line: generate one synthetic province workspace."""
    parser = argparse.ArgumentParser(description="Generate a synthetic province workspace.")
    parser.add_argument("--firms", type=int, default=3000)
    parser.add_argument("--sites", type=int, default=25)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=2024, help="first planning year")
    parser.add_argument("--out", type=Path, required=True, help="workspace folder to write")
    args = parser.parse_args(argv)
    try:
        province = generate_province(args.firms, args.sites, args.years, args.seed, args.start)
    except ValueError as exc:
        parser.error(str(exc))
    write_province(province, args.out)
    land = province.firms["land_area_m2"].sum()
    released = province.sites["free_area_m2"].sum() + province.site_phases["released_area_m2"].sum()
    print(
        f"{args.out}: {len(province.firms)} firms "
        f"({(province.firms['mandatory'] == 'true').mean():.0%} mandatory, {land / 1e4:,.0f} ha), "
        f"{len(province.sites)} sites ({released / 1e4:,.0f} ha), "
        f"max {province.scenario['limits']['max_moves_per_year']} moves a year"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
