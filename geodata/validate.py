"""Normalise and validate a workspace's tables: types, defaults, references, geometry.

Every problem is collected in an ``IssueLog``; the caller raises one ``InputError`` at the
end. Each ``normalise_*`` function returns its table with the documented dtypes (nullable
where a bad cell left a gap) and ``finalise_dtypes`` tightens them once no error is left.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geodata import columns as C
from geodata.locations import distance_m, locate, read_polygons, squares
from geodata.tables import SCENARIO_FILE, IssueLog, RawTable
from relocation.domain.issue_text import issue_text
from relocation.domain.land_use import DEFAULT_LINE_KIND
from relocation.domain.scenario import Scenario

POLLUTION = ("high", "medium", "low")
ZONE_KINDS = ("origin", "destination", "both", "other")
SITE_KINDS = ("industrial_park", "cluster")
ORIGIN_KINDS = frozenset({"origin", "both"})
DESTINATION_KINDS = frozenset({"destination", "both"})
#: Stations may lie a little outside the zones (a terminus across a boundary).
STUDY_AREA_BUFFER_M = 5_000.0
#: Plausibility bounds: outside them a value is possible but worth a second look.
WARN_LAND_AREA_M2 = (20.0, 500_000.0)
WARN_EMPLOYEES = 20_000


#: Columns each table may have (others are reported, as they are usually misspelt ones).
KNOWN_COLUMNS = {
    "firms": {
        "firm_id", "name", "zone_id", "sector", "land_area_m2", "employees", "mandatory",
        "pollution", "lon", "lat", "x", "y", "required_area_m2", "supply_group",
        "earliest_year", "moved_year", "moved_site_id", "preferred_site_ids",
        "origin_park", "move_group",
    },
    "sites": {
        "site_id", "name", "zone_id", "kind", "free_area_m2", "available_from",
        "accepts_sectors", "accepts_polluting", "lon", "lat", "x", "y", "max_firm_area_m2",
        "rent_vnd_per_m2",
    },
    "site_phases": {"site_id", "year", "released_area_m2"},
    "zones": {"zone_id", "name", "name_en", "kind", "deadline_year", "ward_2025",
              "ward_2025_code"},
    "stations": {"station_id", "name", "line", "opening_year", "lon", "lat", "x", "y", "seq",
                 "line_kind"},
    "sectors": {"code", "name_vi", "name_en", "pollution"},
    "pairs": {"firm_id", "site_id", "cost_vnd", "required_area_m2"},
    "actuals": {"firm_id", "status", "site_id", "year", "note"},
    "decisions": {"firm_id", "site_id", "year", "rule", "note"},
}


def check_unknown_columns(raw: RawTable, log: IssueLog) -> None:
    """Warn about columns the format does not define (a misspelt optional column is ignored)."""
    known = KNOWN_COLUMNS[raw.source.name]
    for col in raw.data.columns:
        if col not in known:
            log.warn(raw.label, "unknown column, ignored", column=col)


def _need_rows(raw: RawTable, log: IssueLog) -> None:
    if len(raw) == 0:
        log.error(raw.label, issue_text("no_rows", table=raw.source.name))


def normalise_sectors(raw: RawTable, log: IssueLog) -> pd.DataFrame:
    """``sectors``: code, name_vi, name_en, pollution."""
    C.has_columns(raw, log, ("code", "name_vi", "pollution"))
    _need_rows(raw, log)
    out = pd.DataFrame(
        {
            "code": C.text(raw, log, "code"),
            "name_vi": C.text(raw, log, "name_vi"),
            "name_en": C.text(raw, log, "name_en", required=False),
            "pollution": C.choice(raw, log, "pollution", POLLUTION),
        }
    )
    C.unique_ids(raw, log, "code", out["code"])
    return out


def normalise_zones(raw: RawTable, log: IssueLog) -> gpd.GeoDataFrame:
    """``zones``: zone_id, name, name_en, kind, deadline_year, polygon geometry (EPSG:4326).

    Optional ``ward_2025`` and ``ward_2025_code`` (text, ``""`` default): the ward/commune
    the zone belongs to since 1 July 2025 (``;``-lists where it spans several).
    """
    n = len(raw)
    if not raw.source.is_geo:
        log.error(
            raw.label,
            issue_text("zones_polygons"),
        )
        geometry = np.full(n, None, dtype=object)
    else:
        geometry = read_polygons(raw, log)
    C.has_columns(raw, log, ("zone_id", "name", "kind"))
    _need_rows(raw, log)
    out = pd.DataFrame(
        {
            "zone_id": C.text(raw, log, "zone_id"),
            "name": C.text(raw, log, "name"),
            "name_en": C.text(raw, log, "name_en", required=False),
            "kind": C.choice(raw, log, "kind", ZONE_KINDS),
            "deadline_year": C.integer(raw, log, "deadline_year", required=False,
                                       what="a whole year"),
            "ward_2025": C.text(raw, log, "ward_2025", required=False),
            "ward_2025_code": C.text(raw, log, "ward_2025_code", required=False),
        }
    )
    C.unique_ids(raw, log, "zone_id", out["zone_id"])
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"))


def normalise_sites(
    raw: RawTable, log: IssueLog, input_crs: CRS | None
) -> gpd.GeoDataFrame:
    """``sites``: destination parks and clusters (points, EPSG:4326); references unchecked."""
    C.has_columns(raw, log, (
        "site_id", "name", "zone_id", "kind", "accepts_sectors", "accepts_polluting",
    ))
    _need_rows(raw, log)
    loc = locate(raw, log, input_crs)
    accepts = C.text(raw, log, "accepts_sectors")
    out = pd.DataFrame(
        {
            "site_id": C.text(raw, log, "site_id"),
            "name": C.text(raw, log, "name"),
            "zone_id": C.text(raw, log, "zone_id"),
            "kind": C.choice(raw, log, "kind", SITE_KINDS),
            # Required-ness depends on site_phases: checked in ``check_site_land``.
            "free_area_m2": C.number(raw, log, "free_area_m2", required=False, minimum=0.0),
            "available_from": C.integer(raw, log, "available_from", required=False,
                                        what="a whole year"),
            "accepts_sectors": accepts.map(
                lambda s: "*" if s.strip() == "*" else ";".join(C.split_list(s))
            ).astype(str),
            "accepts_polluting": C.boolean(raw, log, "accepts_polluting"),
            "max_firm_area_m2": C.number(raw, log, "max_firm_area_m2", required=False,
                                         minimum=0.0, strict=True, default=np.inf),
            "rent_vnd_per_m2": C.integer(raw, log, "rent_vnd_per_m2", required=False,
                                         minimum=0),
            "lon": loc.lon,
            "lat": loc.lat,
        }
    )
    C.unique_ids(raw, log, "site_id", out["site_id"])
    return gpd.GeoDataFrame(
        out, geometry=gpd.points_from_xy(loc.lon, loc.lat), crs="EPSG:4326"
    )


def normalise_phases(raw: RawTable | None, log: IssueLog) -> pd.DataFrame:
    """``site_phases``: site_id, year (int), released_area_m2 (float); empty if absent."""
    if raw is None:
        return pd.DataFrame(
            {
                "site_id": pd.Series([], dtype=str),
                "year": pd.Series([], dtype="int64"),
                "released_area_m2": pd.Series([], dtype=float),
            }
        )
    C.has_columns(raw, log, ("site_id", "year", "released_area_m2"))
    return pd.DataFrame(
        {
            "site_id": C.text(raw, log, "site_id"),
            "year": C.integer(raw, log, "year", what="a whole year"),
            "released_area_m2": C.number(raw, log, "released_area_m2", minimum=0.0),
        }
    )


def normalise_firms(
    raw: RawTable,
    log: IssueLog,
    input_crs: CRS | None,
    sectors: pd.DataFrame,
    scenario: Scenario,
) -> gpd.GeoDataFrame:
    """``firms``: slated firms with defaults applied and parcels (EPSG:4326)."""
    C.has_columns(raw, log, (
        "firm_id", "name", "zone_id", "sector", "land_area_m2", "employees", "mandatory",
    ))
    _need_rows(raw, log)
    loc = locate(raw, log, input_crs, allow_areas=True)
    land = C.number(raw, log, "land_area_m2", minimum=0.0, strict=True)
    required = C.number(raw, log, "required_area_m2", required=False, minimum=0.0, strict=True)
    sector = C.text(raw, log, "sector")
    pollution = C.choice(raw, log, "pollution", POLLUTION, required=False)
    by_sector = dict(zip(sectors["code"], sectors["pollution"], strict=True))
    pollution = pollution.where(pollution != "", sector.map(lambda c: by_sector.get(c, "")))
    earliest = C.integer(raw, log, "earliest_year", required=False, what="a whole year")
    preferred = C.text(raw, log, "preferred_site_ids", required=False)
    has_parcel = np.array([a is not None for a in loc.areas], dtype=bool)
    parcels = loc.areas.copy()
    built = squares(loc.lon, loc.lat, land.to_numpy())
    parcels[~has_parcel] = built[~has_parcel]
    out = pd.DataFrame(
        {
            "firm_id": C.text(raw, log, "firm_id"),
            "name": C.text(raw, log, "name"),
            "zone_id": C.text(raw, log, "zone_id"),
            "sector": sector,
            "land_area_m2": land,
            "employees": C.integer(raw, log, "employees", minimum=0),
            "mandatory": C.boolean(raw, log, "mandatory"),
            "pollution": pollution.astype(str),
            "required_area_m2": required.where(required.notna(), land),
            "supply_group": C.text(raw, log, "supply_group", required=False),
            "earliest_year": earliest.fillna(scenario.horizon.start),
            "moved_year": C.integer(raw, log, "moved_year", required=False, what="a whole year"),
            "moved_site_id": C.text(raw, log, "moved_site_id", required=False),
            "preferred_site_ids": preferred.map(lambda s: ";".join(C.split_list(s))).astype(str),
            "origin_park": C.text(raw, log, "origin_park", required=False),
            "move_group": C.text(raw, log, "move_group", required=False),
            "lon": loc.lon,
            "lat": loc.lat,
            "has_parcel": has_parcel,
        }
    )
    C.unique_ids(raw, log, "firm_id", out["firm_id"])
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(parcels, crs="EPSG:4326"))


def normalise_stations(raw: RawTable, log: IssueLog, input_crs: CRS | None) -> gpd.GeoDataFrame:
    """``stations``: planned transit stations (points, EPSG:4326); may be empty."""
    C.has_columns(raw, log, ("station_id", "name", "line", "opening_year"))
    loc = locate(raw, log, input_crs)
    out = pd.DataFrame(
        {
            "station_id": C.text(raw, log, "station_id"),
            "name": C.text(raw, log, "name"),
            "line": C.text(raw, log, "line"),
            "opening_year": C.integer(raw, log, "opening_year", what="a whole year"),
            "lon": loc.lon,
            "lat": loc.lat,
        }
    )
    if "seq" in raw.data.columns:  # optional order along the line (for drawing it)
        out["seq"] = C.integer(raw, log, "seq", required=False)
    # Optional kind of line (metro, railway, brt, …): decides which stations get TOD rings.
    kind = C.text(raw, log, "line_kind", required=False).str.strip().str.lower()
    out["line_kind"] = kind.where(kind != "", DEFAULT_LINE_KIND)
    C.unique_ids(raw, log, "station_id", out["station_id"])
    return gpd.GeoDataFrame(
        out, geometry=gpd.points_from_xy(loc.lon, loc.lat), crs="EPSG:4326"
    )


def normalise_pairs(raw: RawTable | None, log: IssueLog) -> pd.DataFrame | None:
    """``pairs``: surveyed firm–site pairs, or ``None`` when the table is absent."""
    if raw is None:
        return None
    C.has_columns(raw, log, ("firm_id", "site_id"))
    out = pd.DataFrame(
        {
            "firm_id": C.text(raw, log, "firm_id"),
            "site_id": C.text(raw, log, "site_id"),
            "cost_vnd": C.integer(raw, log, "cost_vnd", required=False, minimum=0),
            "required_area_m2": C.number(raw, log, "required_area_m2", required=False,
                                         minimum=0.0, strict=True),
        }
    )
    key = out["firm_id"] + "\x1f" + out["site_id"]
    dup = key.duplicated(keep=False)
    for pos in np.flatnonzero(dup.to_numpy()):
        same = np.flatnonzero((key == key[pos]).to_numpy())
        rows = ", ".join(str(int(raw.rows[p])) for p in same)
        log.error(raw.label, issue_text("pair_twice", rows=rows),
                  row=int(raw.rows[pos]), column="firm_id, site_id",
                  value=f"{out['firm_id'][pos]}, {out['site_id'][pos]}")
    return out


def _err_rows(log: IssueLog, raw: RawTable, mask: np.ndarray, column: str,
              values: pd.Series, message: str) -> None:
    for pos in np.flatnonzero(mask):
        log.error(raw.label, message, row=int(raw.rows[pos]), column=column,
                  value=values.iloc[pos])


def _warn_rows(log: IssueLog, raw: RawTable, mask: np.ndarray, column: str,
               values: pd.Series, message: str) -> None:
    for pos in np.flatnonzero(mask):
        log.warn(raw.label, message, row=int(raw.rows[pos]), column=column,
                 value=values.iloc[pos])


def check_zone_membership(
    raw: RawTable,
    log: IssueLog,
    table: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    what: str,
) -> None:
    """Report rows whose point lies outside the polygon of their own ``zone_id``.

    ``what`` is ``firm`` or ``site`` (whose point it is, in the message).
    """
    unique = zones.drop_duplicates("zone_id", keep=False)
    zone_geom = dict(zip(unique["zone_id"], unique.geometry.array, strict=True))
    geoms = [zone_geom.get(z) for z in table["zone_id"]]
    # dtype=bool: an empty table would otherwise give a float array that & refuses.
    has_zone = np.array([g is not None for g in geoms], dtype=bool)
    ok = np.isfinite(table["lon"].to_numpy()) & has_zone
    if not ok.any():
        return
    points = shapely.points(table["lon"].to_numpy(), table["lat"].to_numpy())
    covered = np.zeros(len(table), dtype=bool)
    covered[ok] = shapely.covers(np.asarray(geoms, dtype=object)[ok], points[ok])
    valid_zones = unique[unique.geometry.notna()]
    tree = shapely.STRtree(np.asarray(valid_zones.geometry.array, dtype=object))
    for pos in np.flatnonzero(ok & ~covered):
        hits = tree.query(points[pos], predicate="within")
        figures = {"lon": table["lon"].iloc[pos], "lat": table["lat"].iloc[pos],
                   "zone": table["zone_id"].iloc[pos]}
        if len(hits):
            message = issue_text(f"{what}_outside_zone_in", **figures,
                                 other=valid_zones["zone_id"].iloc[int(hits[0])])
        else:
            message = issue_text(f"{what}_outside_zone_none", **figures)
        log.error(
            raw.label,
            message,
            row=int(raw.rows[pos]), column="zone_id", value=table["zone_id"].iloc[pos],
        )


def check_firms(
    raw: RawTable,
    log: IssueLog,
    firms: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    sectors: pd.DataFrame,
    sites: pd.DataFrame,
    scenario: Scenario,
    scenario_ok: bool,
) -> None:
    """Cross-table and plausibility checks of ``firms``."""
    C.references(raw, log, "zone_id", firms["zone_id"], zones["zone_id"], "zone")
    C.references(raw, log, "sector", firms["sector"], sectors["code"], "sector code")
    C.references(raw, log, "moved_site_id", firms["moved_site_id"], sites["site_id"], "site")
    C.references(raw, log, "preferred_site_ids", firms["preferred_site_ids"], sites["site_id"],
                 "site", as_list=True)
    kind = firms["zone_id"].map(dict(zip(zones["zone_id"], zones["kind"], strict=False)))
    bad_kind = kind.notna() & ~kind.isin(ORIGIN_KINDS)
    _err_rows(log, raw, bad_kind.to_numpy(), "zone_id", firms["zone_id"],
              issue_text("firm_zone_kind"))
    moved_year = firms["moved_year"]
    moved_site = firms["moved_site_id"]
    half = (moved_year.notna() & (moved_site == "")).to_numpy()
    _err_rows(log, raw, half, "moved_site_id", moved_site,
              issue_text("moved_site_required"))
    half = (moved_year.isna() & (moved_site != "") & _blank_cells(raw, "moved_year"))
    _err_rows(log, raw, half.to_numpy(), "moved_year", raw_column(raw, "moved_year"),
              issue_text("moved_year_required"))
    start, end = scenario.horizon.start, scenario.horizon.end
    if scenario_ok:
        late = (moved_year >= start).fillna(False).to_numpy(dtype=bool)
        _err_rows(log, raw, late, "moved_year", moved_year.astype(str),
                  issue_text("moved_before_start", start=start))
        after = (firms["earliest_year"] > end).fillna(False).to_numpy(dtype=bool)
        _warn_rows(log, raw, after, "earliest_year", firms["earliest_year"].astype(str),
                   issue_text("earliest_after_end", end=end))
    check_zone_membership(raw, log, firms, zones, "firm")
    lo, hi = WARN_LAND_AREA_M2
    area = firms["land_area_m2"]
    _warn_rows(log, raw, (area > hi).to_numpy(), "land_area_m2", area.astype(str),
               issue_text("unusually_large", m2=hi, ha=hi / 1e4))
    _warn_rows(log, raw, (area < lo).to_numpy(), "land_area_m2", area.astype(str),
               issue_text("unusually_small", m2=lo))
    emp = firms["employees"]
    _warn_rows(log, raw, (emp > WARN_EMPLOYEES).fillna(False).to_numpy(dtype=bool),
               "employees", emp.astype(str), issue_text("unusually_many", n=WARN_EMPLOYEES))


def _blank_cells(raw: RawTable, col: str) -> pd.Series:
    return raw_column(raw, col) == ""


def raw_column(raw: RawTable, col: str) -> pd.Series:
    """The text cells of ``col`` (blank where the column is absent)."""
    if col in raw.data.columns:
        return raw.data[col].reset_index(drop=True)
    return pd.Series([""] * len(raw), dtype=str)


def check_zones(
    raw: RawTable, log: IssueLog, zones: gpd.GeoDataFrame, firms: pd.DataFrame,
    scenario: Scenario, scenario_ok: bool,
) -> None:
    """Zones with slated firms need a deadline (from the table or ``overrides.zone_deadline``)."""
    with_firms = set(firms["zone_id"])
    overridden = set(scenario.overrides.zone_deadline)
    need = zones["zone_id"].isin(with_firms) & ~zones["zone_id"].isin(overridden)
    missing = (need & zones["deadline_year"].isna() & _blank_cells(raw, "deadline_year"))
    _err_rows(log, raw, missing.to_numpy(), "deadline_year", zones["zone_id"],
              issue_text("deadline_required"))
    if scenario_ok:
        early = (zones["zone_id"].isin(with_firms)
                 & (zones["deadline_year"] < scenario.horizon.start)).fillna(False)
        _warn_rows(log, raw, early.to_numpy(dtype=bool), "deadline_year",
                   zones["deadline_year"].astype(str),
                   issue_text("deadline_before_start", start=scenario.horizon.start))


def check_sites(
    raw: RawTable,
    log: IssueLog,
    sites: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    sectors: pd.DataFrame,
    phases: pd.DataFrame,
    scenario: Scenario,
) -> None:
    """References, zone kind and land of each site."""
    C.references(raw, log, "zone_id", sites["zone_id"], zones["zone_id"], "zone")
    listed = sites["accepts_sectors"].where(sites["accepts_sectors"] != "*", "")
    C.references(raw, log, "accepts_sectors", listed, sectors["code"], "sector code",
                 as_list=True)
    kind = sites["zone_id"].map(dict(zip(zones["zone_id"], zones["kind"], strict=False)))
    bad_kind = kind.notna() & ~kind.isin(DESTINATION_KINDS)
    _err_rows(log, raw, bad_kind.to_numpy(), "zone_id", sites["zone_id"],
              issue_text("site_zone_kind"))
    phased = sites["site_id"].isin(set(phases["site_id"]))
    overridden = sites["site_id"].isin(set(scenario.overrides.site_available_from))
    no_area = ~phased & _blank_cells(raw, "free_area_m2")
    _err_rows(log, raw, no_area.to_numpy(), "free_area_m2", sites["site_id"],
              issue_text("free_area_required"))
    no_year = ~phased & ~overridden & _blank_cells(raw, "available_from")
    _err_rows(log, raw, no_year.to_numpy(), "available_from", sites["site_id"],
              issue_text("available_from_required"))
    zero = (~phased & (sites["free_area_m2"] == 0)).to_numpy()
    _warn_rows(log, raw, zero, "free_area_m2", sites["free_area_m2"].astype(str),
               issue_text("no_free_land"))
    check_zone_membership(raw, log, sites, zones, "site")


def check_stations(
    raw: RawTable, log: IssueLog, stations: gpd.GeoDataFrame, zones: gpd.GeoDataFrame
) -> None:
    """Stations must lie in the study area: the zones' union buffered by 5 km."""
    polys = [g for g in zones.geometry.array if g is not None]
    ok = np.isfinite(stations["lon"].to_numpy())
    # With a zone unreadable the study area is unknown: no check rather than false alarms.
    if not polys or len(polys) < len(zones) or not ok.any():
        return
    union = shapely.union_all(polys)
    points = shapely.points(stations["lon"].to_numpy()[ok], stations["lat"].to_numpy()[ok])
    dist = np.zeros(len(stations))
    dist[ok] = distance_m(points, union)
    far = dist > STUDY_AREA_BUFFER_M
    for pos in np.flatnonzero(far):
        log.error(
            raw.label,
            issue_text("station_outside", km=dist[pos] / 1000,
                       buffer_km=STUDY_AREA_BUFFER_M / 1000),
            row=int(raw.rows[pos]), column="geometry" if raw.source.is_geo else "lon/lat",
            value=f"{stations['lon'].iloc[pos]:.5f}, {stations['lat'].iloc[pos]:.5f}",
        )


def check_refs(
    raw: RawTable | None, log: IssueLog, table: pd.DataFrame | None,
    known: Mapping[str, tuple[pd.Series, str]],
) -> None:
    """Check simple id references of an optional table (``site_phases``, ``pairs``)."""
    if raw is None or table is None:
        return
    for col, (ids, target) in known.items():
        C.references(raw, log, col, table[col], ids, target)


def check_scenario_refs(
    log: IssueLog, scenario: Scenario, sites: pd.DataFrame, zones: pd.DataFrame
) -> None:
    """``[overrides]`` and ``[freed_land]`` may only name existing sites and zones."""
    for site in scenario.overrides.site_available_from:
        if site not in set(sites["site_id"]):
            log.error(SCENARIO_FILE, "unknown site id",
                      column=f"overrides.site_available_from.{site}", value=site)
    for zone in scenario.overrides.zone_deadline:
        if zone not in set(zones["zone_id"]):
            log.error(SCENARIO_FILE, "unknown zone id", column=f"overrides.zone_deadline.{zone}",
                      value=zone)
    fl = scenario.freed_land
    known = set(zones["zone_id"])
    named = [(f"freed_land.social_housing_targets.{i}.zone_id", t.zone_id)
             for i, t in enumerate(fl.social_housing_targets)]
    named += [(f"freed_land.social_housing_target_ha.{z}", z) for z in fl.social_housing_target_ha]
    named += [(f"freed_land.social_housing_units_per_ha_by_zone.{z}", z)
              for z in fl.social_housing_units_per_ha_by_zone]
    for column, zone in named:
        if zone not in known:
            log.error(SCENARIO_FILE, "unknown zone id", column=column, value=zone)
    for i, t in enumerate(fl.social_housing_targets):
        if not scenario.horizon.start <= t.by_year <= scenario.horizon.end:
            log.error(SCENARIO_FILE, issue_text("outside_horizon", start=scenario.horizon.start,
                                                end=scenario.horizon.end),
                      column=f"freed_land.social_housing_targets.{i}"
                      ".by_year", value=str(t.by_year))


def capacity_hints(
    log: IssueLog, label: str, firms: pd.DataFrame, sites: pd.DataFrame, phases: pd.DataFrame,
    scenario: Scenario,
) -> None:
    """Cheap warnings that the data may not admit a plan (a solve would say for sure)."""
    end = scenario.horizon.end
    phased = set(phases["site_id"])
    available = sites["available_from"].copy()
    for site, year in scenario.overrides.site_available_from.items():
        available[sites["site_id"] == site] = year
    plain = ~sites["site_id"].isin(phased) & (available <= end).fillna(False)
    released = float(sites.loc[plain, "free_area_m2"].fillna(0).sum())
    released += float(phases.loc[phases["year"] <= end, "released_area_m2"].sum())
    moved = firms["moved_year"].notna()
    released -= float(firms.loc[moved, "required_area_m2"].sum())
    need = firms[firms["mandatory"] & ~moved]
    demand = float(need["required_area_m2"].sum())
    if demand > released:
        log.warn(
            label, issue_text("land_short", need_ha=demand / 1e4,
                              released_ha=max(released, 0) / 1e4, end=end),
        )
    polluting = need[need["pollution"] == "high"]
    if len(polluting) and not sites["accepts_polluting"].any():
        log.warn(
            label, issue_text("polluting_no_site", n=len(polluting)),
        )


def finalise_dtypes(
    firms: gpd.GeoDataFrame, stations: gpd.GeoDataFrame, phases: pd.DataFrame,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """Tighten nullable columns to the contract's dtypes (only once no error is left)."""
    firms = firms.astype({"employees": "int64", "earliest_year": "int64"})
    stations = stations.astype({"opening_year": "int64"})
    phases = phases.astype({"year": "int64"})
    return firms, stations, phases
