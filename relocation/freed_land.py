"""Freed land and the map of a plan: the glue between the workflow, geodata and maps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geodata.parcels import freed_parcels
from maps.offline import save_map
from maps.render import render_map
from models.housing import allocate_social_housing
from relocation.domain.land_use import LAND_CLASSES, classify_freed_land, summarise_freed_land
from relocation.domain.scenario import Scenario

#: Columns of ``freed_land.csv`` and of the ``freed_land`` layer (besides geometry).
FREED_LAND_COLUMNS = (
    "firm_id",
    "firm_name",
    "zone_id",
    "site_id",
    "move_year",
    "available_year",
    "area_m2",
    "pollution",
    "awaiting_remediation",
    "land_class",
    "reason",
    "reason_vi",
    "tod_ring",
    "station_id",
    "station_name",
    "station_line",
    "station_opening_year",
    "station_distance_m",
    "jobs_distance_km",
    "centroid_lon",
    "centroid_lat",
)


def freed_land_outputs(
    firms: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    moves: pd.DataFrame,
    sc: Scenario,
) -> dict[str, Any]:
    """Classify the parcels a plan frees and summarise them by zone, station and target.

    Returns
    -------
    dict
        ``parcels`` (GeoDataFrame, the ``freed_land`` layer), ``table`` (its attributes),
        ``summary`` (for ``summary.json``), ``by_zone`` (hectares per class, zone and year),
        ``by_station`` and ``targets`` (DataFrames).
    """
    years = sc.horizon.years
    parcels = freed_parcels(firms, moves, stations, sites)
    classified = classify_freed_land(
        parcels, sc.freed_land, years, allocate=allocate_social_housing
    )
    summ = summarise_freed_land(classified, sc.freed_land, years)
    cols = [c for c in FREED_LAND_COLUMNS if c in classified.columns]
    layer = gpd.GeoDataFrame(classified[cols], geometry=classified.geometry, crs="EPSG:4326")
    end = summ.by_zone_year[summ.by_zone_year["year"] == years[-1]]
    ha = {cls: round(float(end[f"{cls}_ha"].sum()), 3) for cls in LAND_CLASSES}
    summary = {
        "parcels": len(layer),
        "freed_ha": round(float(end["freed_ha"].sum()), 3),
        "awaiting_remediation_ha": round(float(end["awaiting_remediation_ha"].sum()), 3),
        "hectares_by_class": ha,
        "social_housing_units": int(end["social_housing_units"].sum()),
        "targets": summ.targets.to_dict(orient="records"),
        "tod_by_station": summ.by_station.to_dict(orient="records"),
    }
    return {
        "parcels": layer,
        "table": pd.DataFrame(layer.drop(columns="geometry")),
        "summary": summary,
        "by_zone": summ.by_zone_year,
        "by_station": summ.by_station,
        "targets": summ.targets,
    }


def render_run_map(
    *,
    zones: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
    firms: gpd.GeoDataFrame,
    moves: pd.DataFrame,
    site_load: pd.DataFrame,
    freed_land: gpd.GeoDataFrame | None,
    path: Path,
    lang: str,
    sc: Scenario,
    sectors: pd.DataFrame | None = None,
    tiles: str | None = None,
) -> Path:
    """Render the plan's map and save it as one HTML file (offline unless ``tiles`` is set)."""
    fl = sc.freed_land
    m = render_map(
        zones=zones,
        sites=sites,
        stations=stations,
        firms=firms,
        moves=moves,
        site_load=site_load,
        freed_land=freed_land,
        sectors=sectors,
        lang=lang,
        tiles=tiles,
        years=list(sc.horizon.years),
        tod_radii_m=(fl.tod_core_m, fl.tod_transition_m),
    )
    return save_map(m, path)


def rerender_map(run: Path, lang: str = "vi", tiles: str | None = None) -> Path:
    """Re-render ``map.html`` of a run folder from its own files, e.g. in the other language.

    ``tiles="osm"`` adds an OpenStreetMap base layer (fetched when the map is opened).

    Reads ``plan.gpkg`` (its zones, stations, sites, firms, moves and freed-land layers),
    ``site_load.csv`` and ``scenario.toml``.
    """
    import tomllib

    from geodata.outputs import read_run_layers
    from relocation.domain.errors import InputError, InputIssue

    run = Path(run)
    needed = [run / "plan.gpkg", run / "site_load.csv", run / "scenario.toml"]
    missing = [p.name for p in needed if not p.is_file()]
    if missing:
        raise InputError(
            [
                InputIssue(
                    str(run),
                    None,
                    None,
                    None,
                    f"not a run folder with a plan (missing {', '.join(missing)})",
                )
            ],
            summary="cannot render the map",
        )
    with open(run / "scenario.toml", "rb") as fh:
        sc = Scenario.model_validate(tomllib.load(fh))
    layers = read_run_layers(run)
    moves = pd.DataFrame(layers["moves"].drop(columns="geometry"))
    firms = layers["firms"]
    return render_run_map(
        zones=layers["zones"],
        sites=layers["sites"],
        stations=layers["stations"],
        firms=firms,
        moves=moves,
        site_load=layers["site_load"],
        freed_land=layers.get("freed_land"),
        path=run / "map.html",
        lang=lang,
        sc=sc,
        tiles=tiles,
    )
