"""Geometry of freed land: each relocated firm's parcel, measured in a metric CRS (issue 4).

Distances and areas are computed in WGS 84 / UTM zone 48N (EPSG:32648), which covers the
whole study area (104°–110° E) with a scale error under 0.04 %: ample for 500 m rings.

"Near jobs" is the distance from a parcel's centroid to the nearest employment that
*remains* in the parcel's jobs year (``jobs_year`` of its move: the year its land becomes
usable, see ``relocation.freed_land``): the parcels of firms that have not left by the end of
that year (they move later, or never), the destination sites (parks and clusters are
employment too), and any other employment given (``employment``: e.g. the southern industrial
parks that stay). A firm that has left is not a job any more. With no employment at all
the distance is infinite (no parcel is near jobs).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from relocation.domain.errors import InputError, InputIssue
from relocation.domain.land_use import station_line_kinds

METRIC_CRS = "EPSG:32648"

#: Columns of the table ``freed_parcels`` returns, in order (``geometry`` last).
FREED_PARCEL_COLUMNS = (
    "firm_id",
    "name",
    "zone_id",
    "sector",
    "pollution",
    "employees",
    "site_id",
    "move_year",
    "area_m2",
    "centroid_lon",
    "centroid_lat",
    "station_id",
    "station_name",
    "station_line",
    "station_line_kind",
    "station_opening_year",
    "station_distance_m",
    "jobs_year",
    "jobs_distance_km",
)



def _require(
    df: pd.DataFrame, table: str, columns: tuple[str, ...], issues: list[InputIssue]
) -> None:
    for col in columns:
        if col not in df.columns:
            issues.append(InputIssue(table, None, col, None, "required column is missing"))


def _check_geo(gdf: gpd.GeoDataFrame, table: str, issues: list[InputIssue]) -> None:
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.crs is None:
        issues.append(InputIssue(table, None, "geometry", None, "needs a geometry with a CRS"))
        return
    bad = gdf.geometry.isna() | gdf.geometry.is_empty
    for pos in np.flatnonzero(bad.to_numpy()):
        issues.append(
            InputIssue(table, int(pos) + 2, "geometry", None, "missing or empty geometry")
        )


def freed_parcels(
    firms: gpd.GeoDataFrame,
    moves: pd.DataFrame,
    stations: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    employment: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Measure the parcel each relocated firm frees.

    Parameters
    ----------
    firms : geopandas.GeoDataFrame
        Slated firms: ``firm_id``, ``name``, ``zone_id``, ``sector``, ``pollution``,
        ``employees``, and ``geometry`` the parcel polygon (any CRS). A point with a
        ``land_area_m2`` column gets a square of that area, as the README says.
    moves : pandas.DataFrame
        Every firm that leaves its parcel: ``firm_id``, ``site_id``, ``year`` (the year it
        leaves; before the horizon for firms already moved), optional ``jobs_year`` (the year
        at which remaining employment is measured; default ``year``). Other columns (e.g.
        ``status``) are carried through.
    stations : geopandas.GeoDataFrame
        Stations (points) that count for TOD: ``station_id``, ``name``, ``line``,
        ``opening_year``, optional ``line_kind``. Every station given counts, whatever its
        opening year (the caller filters by line kind). May be empty.
    sites : geopandas.GeoDataFrame
        Destination sites (points), used as employment for the near-jobs distance.
    employment : geopandas.GeoDataFrame, optional
        Other employment that stays (points or polygons; their centroids are used), with
        an optional ``until_year`` (Int64/float; NA: always): it counts up to that year.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per move, in the order of ``moves``, with ``FREED_PARCEL_COLUMNS``:
        ``move_year`` (int), ``area_m2`` (float, measured in EPSG:32648),
        ``centroid_lon``/``centroid_lat`` (WGS 84), the nearest station's ``station_id``,
        ``station_name``, ``station_line``, ``station_opening_year`` (Int64) and
        ``station_line_kind``, ``station_distance_m`` (float; inf with no stations, ids
        empty), ``jobs_year`` (int) and ``jobs_distance_km`` (float, km to the nearest
        employment remaining at the end of ``jobs_year``; see the module docstring), then
        any extra column of ``moves``. Geometry is the parcel in EPSG:4326.

    Raises
    ------
    relocation.domain.errors.InputError
        If a column is missing, a move names an unknown firm, a firm moves twice, or a
        geometry is missing.
    """
    issues: list[InputIssue] = []
    _require(
        firms, "firms", ("firm_id", "name", "zone_id", "sector", "pollution", "employees"), issues
    )
    _require(moves, "moves", ("firm_id", "site_id", "year"), issues)
    _require(stations, "stations", ("station_id", "name", "line", "opening_year"), issues)
    _check_geo(firms, "firms", issues)
    _check_geo(stations, "stations", issues)
    _check_geo(sites, "sites", issues)
    if issues:
        raise InputError(issues, "cannot measure freed parcels")

    firm_ids = firms["firm_id"].astype(str)
    if firm_ids.duplicated().any():
        dup = firm_ids[firm_ids.duplicated()].iloc[0]
        issues.append(InputIssue("firms", None, "firm_id", dup, "duplicate firm id"))
    known = set(firm_ids)
    for pos, (fid, year) in enumerate(
        zip(moves["firm_id"].astype(str), moves["year"], strict=True)
    ):
        if fid not in known:
            issues.append(InputIssue("moves", pos + 2, "firm_id", fid, "not a slated firm"))
        if pd.isna(year):
            issues.append(InputIssue("moves", pos + 2, "year", None, "missing move year"))
    moved_ids = moves["firm_id"].astype(str)
    if moved_ids.duplicated().any():
        dup = moved_ids[moved_ids.duplicated()].iloc[0]
        issues.append(InputIssue("moves", None, "firm_id", dup, "a firm moves at most once"))
    if issues:
        raise InputError(issues, "cannot measure freed parcels")

    fm = firms.to_crs(METRIC_CRS).copy()
    fm["firm_id"] = firm_ids.to_numpy()
    geom = fm.geometry
    is_point = (geom.geom_type == "Point").to_numpy()
    if is_point.any() and "land_area_m2" in fm.columns:
        # README: without a parcel polygon a square of land_area_m2 stands in.
        half = np.sqrt(fm["land_area_m2"].astype(float).to_numpy()) / 2
        squares = shapely.box(geom.x - half, geom.y - half, geom.x + half, geom.y + half)
        geom = gpd.GeoSeries(
            np.where(is_point, squares, geom.to_numpy()), crs=METRIC_CRS, index=fm.index
        )
        fm = fm.set_geometry(geom)
    fm = fm.set_index("firm_id", drop=False)

    mv = moves.assign(firm_id=moved_ids.to_numpy()).reset_index(drop=True)
    parcels = fm.loc[mv["firm_id"].to_numpy()].reset_index(drop=True)
    cent = parcels.geometry.centroid

    out = pd.DataFrame(
        {
            "firm_id": parcels["firm_id"].astype(str).to_numpy(),
            "name": parcels["name"].astype(str).to_numpy(),
            "zone_id": parcels["zone_id"].astype(str).to_numpy(),
            "sector": parcels["sector"].astype(str).to_numpy(),
            "pollution": parcels["pollution"].astype(str).to_numpy(),
            "employees": parcels["employees"].to_numpy(),
            "site_id": mv["site_id"].astype(str).to_numpy(),
            "move_year": mv["year"].astype("int64").to_numpy(),
            "area_m2": parcels.geometry.area.to_numpy(),
        }
    )
    jobs_year = mv["jobs_year"] if "jobs_year" in mv.columns else mv["year"]
    cent_ll = gpd.GeoSeries(cent, crs=METRIC_CRS).to_crs("EPSG:4326")
    out["centroid_lon"] = cent_ll.x.to_numpy()
    out["centroid_lat"] = cent_ll.y.to_numpy()

    # Nearest station, whatever its opening year.
    st = stations.to_crs(METRIC_CRS).reset_index(drop=True)
    if len(st) and len(out):
        tree = shapely.STRtree(st.geometry.to_numpy())
        idx, dist = tree.query_nearest(cent.to_numpy(), return_distance=True, all_matches=False)
        # query_nearest returns (input index, tree index) pairs; one per input here.
        near = np.empty(len(out), dtype=int)
        dmin = np.full(len(out), np.inf)
        near[idx[0]] = idx[1]
        dmin[idx[0]] = dist
        out["station_id"] = st["station_id"].astype(str).to_numpy()[near]
        out["station_name"] = st["name"].astype(str).to_numpy()[near]
        out["station_line"] = st["line"].astype(str).to_numpy()[near]
        out["station_line_kind"] = station_line_kinds(st)[near]
        out["station_opening_year"] = pd.array(st["opening_year"].to_numpy()[near], dtype="Int64")
        out["station_distance_m"] = dmin
    else:
        out["station_id"] = ""
        out["station_name"] = ""
        out["station_line"] = ""
        out["station_line_kind"] = ""
        out["station_opening_year"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["station_distance_m"] = np.inf

    # Remaining employment, year by year: firms not yet gone, destination sites, others.
    out["jobs_year"] = jobs_year.astype("int64").to_numpy()
    leaves = dict(zip(moved_ids, mv["year"].astype("int64"), strict=True))
    leave_year = fm["firm_id"].map(leaves).astype(float).fillna(np.inf).to_numpy()
    firm_pts = fm.geometry.centroid.to_numpy()
    fixed = list(sites.to_crs(METRIC_CRS).geometry.centroid.to_numpy())
    emp_pts = np.array([], dtype=object)
    emp_until = np.array([], dtype=float)
    if employment is not None and len(employment):
        emp_pts = employment.to_crs(METRIC_CRS).geometry.centroid.to_numpy()
        emp_until = np.full(len(employment), np.inf)
        if "until_year" in employment.columns:
            until = pd.to_numeric(employment["until_year"], errors="coerce").astype(float)
            emp_until = until.fillna(np.inf).to_numpy()
    km = np.full(len(out), np.inf)
    cent_arr = cent.to_numpy()
    for year in np.unique(out["jobs_year"].to_numpy()):
        rows = np.flatnonzero(out["jobs_year"].to_numpy() == year)
        jobs = list(firm_pts[leave_year > year]) + fixed + list(emp_pts[emp_until >= year])
        if not jobs:
            continue
        tree = shapely.STRtree(np.asarray(jobs, dtype=object))
        idx, dist = tree.query_nearest(cent_arr[rows], return_distance=True, all_matches=False)
        km[rows[idx[0]]] = dist / 1000.0
    out["jobs_distance_km"] = km
    for col in mv.columns:
        if col not in out.columns and col not in ("year", "jobs_year"):
            out[col] = mv[col].to_numpy()

    return gpd.GeoDataFrame(
        out, geometry=parcels.geometry.to_crs("EPSG:4326").to_numpy(), crs="EPSG:4326"
    )
