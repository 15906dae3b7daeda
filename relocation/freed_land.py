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
from relocation.domain.land_ledger import (
    build_ledger,
    converted_summary,
    converted_table,
    ledger_summary,
    summarise_freed_land,
)
from relocation.domain.land_use import available_years, classify_freed_land, tod_station_mask
from relocation.domain.scenario import Scenario


def with_history(firms: gpd.GeoDataFrame, history: pd.DataFrame) -> gpd.GeoDataFrame:
    """The workspace's firms with the history of a problem (its ``moved_year`` and site).

    A re-plan turns ``actuals`` into history (moved, closed and converted firms leave their
    parcel in their recorded year; see :mod:`relocation.domain.status`); the freed-land
    ledger must see those parcels as freed too. Firms the problem no longer holds (exempt)
    keep their workspace row: they stay, and count as remaining jobs.
    """
    if "moved_year" not in history.columns:
        return firms
    gone = history[history["moved_year"].notna()]
    year = dict(zip(gone["firm_id"].astype(str), gone["moved_year"].astype(int), strict=True))
    site = dict(zip(gone["firm_id"].astype(str), gone["moved_site_id"].astype(str), strict=True))
    ids = firms["firm_id"].astype(str)
    out = firms.copy()
    known = ids.isin(year).to_numpy()
    if not known.any():
        return firms
    out["moved_year"] = pd.array(out["moved_year"], dtype="Int64")
    out.loc[known, "moved_year"] = ids[known].map(year).to_numpy()
    out["moved_site_id"] = out["moved_site_id"].astype(object)
    out.loc[known, "moved_site_id"] = ids[known].map(site).to_numpy()
    return out


def freed_events(firms: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """Every firm that leaves its parcel: the plan's moves and the firms moved before it.

    A conversion in place (``action = "convert"``) frees nothing: the firm stays on its
    parcel with a non-polluting use (and remains employment for the near-jobs rule); see
    :func:`relocation.domain.land_ledger.converted_table`.

    Returns
    -------
    pandas.DataFrame
        ``firm_id``, ``site_id``, ``year`` (int), ``status`` (``planned`` or
        ``moved_before``), plan moves first, in their order.
    """
    if "action" in moves:
        moves = moves[moves["action"].astype(str) != "convert"]
    planned = pd.DataFrame(
        {
            "firm_id": moves["firm_id"].astype(str).to_numpy(),
            "site_id": moves["site_id"].astype(str).to_numpy(),
            "year": moves["year"].astype("int64").to_numpy(),
            "status": "planned",
        }
    )
    if "moved_year" not in firms.columns:
        return planned
    ids = firms["firm_id"].astype(str)
    gone = firms[firms["moved_year"].notna().to_numpy() & ~ids.isin(planned["firm_id"]).to_numpy()]
    site = gone["moved_site_id"] if "moved_site_id" in gone.columns else pd.Series("", gone.index)
    before = pd.DataFrame(
        {
            "firm_id": gone["firm_id"].astype(str).to_numpy(),
            "site_id": site.astype(str).to_numpy(),
            "year": gone["moved_year"].astype("int64").to_numpy(),
            "status": "moved_before",
        }
    )
    return pd.concat([planned, before], ignore_index=True)


def freed_land_outputs(
    firms: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    moves: pd.DataFrame,
    sc: Scenario,
    zones: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Build the plan's freed-land ledger and everything derived from it.

    The ledger (:mod:`relocation.domain.land_ledger`) holds one row per parcel freed by the
    plan's moves or by a firm moved before the horizon. Remaining employment for the
    near-jobs rule (firms not yet moved, destination sites and ``[freed_land]
    employment_sites``) is measured in the year each parcel becomes usable (the horizon's
    end if later); only stations of the lines that get TOD rings (``[freed_land] tod_line_kinds``,
    ``tod_lines``) are considered.

    Returns
    -------
    dict
        ``parcels`` (GeoDataFrame: the ledger with geometry, the ``freed_land`` layer and
        the map's data), ``table`` (the ledger's attributes, ``freed_land.csv``),
        ``summary`` (for ``summary.json``; with the converted parcels' counts),
        ``converted`` (the parcels converted in place: not freed, not in the ledger;
        :func:`relocation.domain.land_ledger.converted_table`), ``by_zone`` and
        ``by_ward`` (hectares per
        class and year, by former zone and by 2025 ward), ``by_station`` and ``targets``
        (DataFrames), all derived from the ledger.
    """
    years = sc.horizon.years
    cfg = sc.freed_land
    events = freed_events(firms, moves)
    pollution = firms.set_index(firms["firm_id"].astype(str))["pollution"]
    avail = available_years(events["firm_id"].map(pollution), events["year"], cfg)
    events["jobs_year"] = [min(int(a), years[-1]) for a in avail]
    tod = stations[tod_station_mask(stations, cfg)] if len(stations) else stations
    employment = gpd.GeoDataFrame(
        {
            "name": [e.name for e in cfg.employment_sites],
            "until_year": pd.array([e.until_year for e in cfg.employment_sites], dtype="Int64"),
        },
        geometry=gpd.points_from_xy(
            [e.lon for e in cfg.employment_sites], [e.lat for e in cfg.employment_sites]
        ),
        crs="EPSG:4326",
    )
    parcels = freed_parcels(firms, events, tod, sites, employment)
    classified = classify_freed_land(parcels, cfg, years, allocate=allocate_social_housing)
    ledger = build_ledger(classified, zones)
    summ = summarise_freed_land(ledger, cfg, years)
    converted = converted_table(firms, moves)
    layer = gpd.GeoDataFrame(ledger, geometry="geometry", crs="EPSG:4326")
    return {
        "parcels": layer,
        "table": pd.DataFrame(layer.drop(columns="geometry")),
        "summary": {
            **ledger_summary(ledger, cfg, years),
            **converted_summary(converted, years),
            "warnings": list(classified.attrs.get("warnings", [])),
            "degraded_allocations": list(classified.attrs.get("degraded_allocations", [])),
        },
        "by_zone": summ.by_zone_year,
        "by_ward": summ.by_ward_year,
        "by_station": summ.by_station,
        "targets": summ.targets,
        "converted": converted,
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
    # Rings only around the stations of lines that get TOD ([freed_land] tod_line_kinds).
    stations = stations.assign(tod_rings=tod_station_mask(stations, fl) if len(stations) else [])
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
