"""Render a relocation plan as a Folium map (offline-ready: no icons, fonts or CDN plugins).

Layers, each a LayerControl overlay: zones (origins and destinations styled apart),
planned lines and stations, TOD rings, freed land by class, move flows (origin zone →
site), destination sites (land used and free), and the slated firms (clustered). A year
control (``maps/assets/year_control.js``) shows the plan's state at the end of any year:
firms moved so far, parcels freed so far (dashed grey while awaiting remediation), the
cumulative flows and each site's land use that year.

Every user-provided string is escaped with :func:`maps.text.safe_text` before it reaches
HTML. Use :func:`maps.offline.save_map` to write the self-contained file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.plugins import MarkerCluster
from folium.utilities import JsCode

from maps.controls import Attribution, HtmlControl, MapAssets, YearControl
from maps.legend import legend_html
from maps.text import compact_json, fmt_dec, fmt_int, label, safe_text
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.land_use import LAND_CLASSES

METRIC_CRS = "EPSG:32648"

CLASS_COLOURS = {
    "tod_core": "#d7191c",
    "tod_transition": "#fdae61",
    "social_housing": "#2b83ba",
    "commerce_services": "#984ea3",
    "green_public": "#1a9641",
}
REMEDIATION_COLOUR = "#9e9e9e"
ZONE_COLOURS = {
    "origin": "#e4572e",
    "destination": "#2e86ab",
    "both": "#8e44ad",
    "other": "#9e9e9e",
}
NOT_MOVED_COLOUR = "#bdbdbd"
# Viridis anchors: sequential, so later years read as "further on".
_VIRIDIS = ["#440154", "#46327e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725"]
_LINE_COLOURS = ["#e41a1c", "#377eb8", "#ff7f00", "#4daf4a", "#a65628", "#f781bf"]
USE_BANDS = (
    ("low_use", "#1a9850", 0.5),
    ("mid_use", "#fee08b", 0.9),
    ("high_use", "#d73027", None),
)
COST_COLUMNS = (
    "permit_vnd",
    "dismantle_transport_vnd",
    "fitout_vnd",
    "rent_vnd",
    "downtime_vnd",
    "surveyed_vnd",
    "support_vnd",
    "commute_vnd",
    "attrition_vnd",
    "preference_vnd",
)

_REQUIRED = {
    "zones": ("zone_id", "name", "kind"),
    "sites": ("site_id", "name"),
    "stations": ("station_id", "name", "line", "opening_year"),
    "firms": ("firm_id", "name", "zone_id", "sector", "employees"),
    "moves": ("firm_id", "site_id", "year"),
    "site_load": ("site_id", "year", "released_m2", "used_m2", "free_m2"),
}


def year_colours(years: Sequence[int]) -> dict[int, str]:
    """Map each move year to a sequential (viridis) colour.

    Parameters
    ----------
    years : Sequence[int]
        Planning years, ascending.

    Returns
    -------
    dict
        Year → hex colour.
    """
    ys = list(years)
    if len(ys) == 1:
        return {ys[0]: _VIRIDIS[3]}
    out = {}
    for k, y in enumerate(ys):
        out[y] = _VIRIDIS[round(k * (len(_VIRIDIS) - 1) / (len(ys) - 1))]
    return out


def _natural_key(text: str) -> list[Any]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def _check_columns(tables: dict[str, pd.DataFrame]) -> None:
    issues = []
    for name, cols in _REQUIRED.items():
        df = tables[name]
        for col in cols:
            if col not in df.columns:
                issues.append(InputIssue(name, None, col, None, "required column is missing"))
    for name in ("zones", "sites", "stations", "firms"):
        gdf = tables[name]
        if not isinstance(gdf, gpd.GeoDataFrame) or gdf.crs is None:
            issues.append(InputIssue(name, None, "geometry", None, "needs a geometry with a CRS"))
    if issues:
        raise InputError(issues, "cannot render the map")


def _simplified(gdf: gpd.GeoDataFrame, tolerance_m: float, grid_deg: float) -> gpd.GeoSeries:
    """Simplify in metres (UTM 48N), then snap to a grid in degrees: smaller HTML."""
    g = gdf.geometry.to_crs(METRIC_CRS).simplify(tolerance_m, preserve_topology=True)
    g = g.to_crs("EPSG:4326")
    return gpd.GeoSeries(shapely.set_precision(g.to_numpy(), grid_deg), index=gdf.index)


def _feature_collection(geoms: gpd.GeoSeries, props: list[dict[str, Any]]) -> dict[str, Any]:
    feats = []
    for i, (geom, p) in enumerate(zip(geoms, props, strict=True)):
        if geom is None or geom.is_empty:
            continue
        feats.append(
            {"type": "Feature", "id": str(i), "properties": p, "geometry": geom.__geo_interface__}
        )
    return {"type": "FeatureCollection", "features": feats}


def _points(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat of each row: the ``lon``/``lat`` columns, else the geometry's centroid."""
    if "lon" in gdf.columns and "lat" in gdf.columns and gdf["lon"].notna().all():
        return gdf["lon"].astype(float).to_numpy(), gdf["lat"].astype(float).to_numpy()
    c = gdf.geometry.to_crs(METRIC_CRS).centroid.to_crs("EPSG:4326")
    return c.x.to_numpy(), c.y.to_numpy()


def _popup_table(rows: Sequence[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><td><b>{safe_text(k)}</b></td><td>{safe_text(v)}</td></tr>" for k, v in rows
    )
    return f'<table class="relocation-popup">{cells}</table>'


def render_map(
    *,
    zones: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
    firms: gpd.GeoDataFrame,
    moves: pd.DataFrame,
    site_load: pd.DataFrame,
    freed_land: gpd.GeoDataFrame | None = None,
    lang: str = "vi",
    title: str | None = None,
    years: Sequence[int] | None = None,
    flow_weight: str = "firms",
    tod_radii_m: tuple[float, float] = (500.0, 1000.0),
) -> folium.Map:
    """Render the plan as a Folium map.

    Parameters
    ----------
    zones, sites, stations, firms : geopandas.GeoDataFrame
        As the planning workflow holds them (see the README's data formats); ``firms``'
        geometry may be the parcel polygon (markers use ``lon``/``lat``).
    moves : pandas.DataFrame
        The plan's moves (``firm_id``, ``site_id``, ``year``; ``site_name``,
        ``origin_zone_id``, ``employees`` and the ``*_vnd`` cost columns when present).
    site_load : pandas.DataFrame
        ``site_id``, ``year``, ``released_m2``, ``used_m2``, ``free_m2`` (cumulative).
    freed_land : geopandas.GeoDataFrame, optional
        Output of ``relocation.domain.land_use.classify_freed_land`` with parcel geometry.
    lang : str
        ``"vi"`` (default) or ``"en"``.
    title : str, optional
        Shown in the legend; defaults to the language's title.
    years : Sequence[int], optional
        Years of the year control; default: every year of ``moves`` and ``site_load``.
    flow_weight : str
        ``"firms"`` or ``"workers"``: what a flow line's width shows.
    tod_radii_m : tuple of float
        TOD core and transition radii drawn around each station (brief §5.3).

    Returns
    -------
    folium.Map
        The map; ``LayerControl`` is its last child.

    Raises
    ------
    relocation.domain.errors.InputError
        If a table lacks a needed column or a geometry.
    ValueError
        If ``lang`` or ``flow_weight`` is not one of the allowed values.
    """
    label("title", lang)  # validates lang
    if flow_weight not in ("firms", "workers"):
        raise ValueError("flow_weight must be 'firms' or 'workers'")
    _check_columns(
        {
            "zones": zones,
            "sites": sites,
            "stations": stations,
            "firms": firms,
            "moves": moves,
            "site_load": site_load,
        }
    )
    title = title if title is not None else label("title", lang)
    if years is None:
        ys = set(int(y) for y in moves["year"]) | set(int(y) for y in site_load["year"])
        years = sorted(ys)
    years = [int(y) for y in years]
    if not years:
        raise InputError(
            [InputIssue("moves", None, "year", None, "no years to show")], "cannot render the map"
        )
    ycol = year_colours(years)

    zones4326 = zones.to_crs("EPSG:4326")
    minx, miny, maxx, maxy = zones4326.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=10,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        maxZoom=18,  # MarkerCluster needs maxZoom when there is no tile layer (note §1.4)
        minZoom=8,
    )
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    MapAssets().add_to(m)
    groups: list[dict[str, Any]] = []

    _add_zones(m, zones4326, lang)
    line_colours = _add_lines(m, stations, lang, tod_radii_m)
    _add_freed(m, freed_land, lang, years, groups)
    _add_flows(m, zones4326, sites, firms, moves, lang, years, groups, flow_weight)
    _add_sites(m, sites, site_load, lang, years, groups)
    cluster, firm_rows = _firm_rows(m, firms, moves, lang, ycol)

    spec = {
        "years": years,
        "initial": years[-1],
        "labels": {"year": safe_text(label("year", lang)), "play": safe_text(label("play", lang))},
        "groups": groups,
        "cluster": cluster,
        "fields": [
            safe_text(label(k, lang))
            for k in ("name", "sector", "employees", "destination", "year", "cost")
        ],
        # Compact JSON (folium's serialiser writes one value per line, ASCII-escaped).
        "firms": JsCode(compact_json(firm_rows)),
    }
    YearControl(spec).add_to(m)
    legend_years: dict[int, str] = dict(ycol)
    if any(r[2] is None for r in firm_rows):
        legend_years[0] = NOT_MOVED_COLOUR
    HtmlControl(
        legend_html(
            lang=lang,
            title=title,
            class_colours={
                k: (LAND_CLASSES[k][0 if lang == "vi" else 1], c) for k, c in CLASS_COLOURS.items()
            },
            year_colours=legend_years,
            zone_colours=ZONE_COLOURS,
            line_colours=line_colours,
            use_colours=[(label(k, lang), c) for k, c, _ in USE_BANDS],
            flow_unit=flow_weight,
        ),
        "bottomright",
        "legend",
        "relocation-legend",
    ).add_to(m)
    Attribution(safe_text(label("attribution", lang))).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)  # last: it lists the layers above
    return m


def _add_zones(m: folium.Map, zones: gpd.GeoDataFrame, lang: str) -> None:
    geoms = _simplified(zones, 20.0, 1e-5)
    props = []
    for _, z in zones.iterrows():
        kind = str(z["kind"]) if str(z["kind"]) in ZONE_COLOURS else "other"
        name = z["name"] if lang == "vi" or "name_en" not in zones.columns else z["name_en"]
        if pd.isna(name) or str(name) == "":
            name = z["name"]
        deadline = z.get("deadline_year")
        props.append(
            {
                "name": safe_text(name),
                "kind": safe_text(label(f"zone_{kind}", lang)),
                "deadline": "" if deadline is None or pd.isna(deadline) else str(int(deadline)),
                "k": kind,
            }
        )
    fg = folium.FeatureGroup(name=label("zones", lang), show=True).add_to(m)
    fc = _feature_collection(geoms, props)
    if not fc["features"]:
        return
    folium.GeoJson(
        fc,
        style_function=lambda f: {
            "color": ZONE_COLOURS[f["properties"]["k"]],
            "weight": 2,
            "fillColor": ZONE_COLOURS[f["properties"]["k"]],
            "fillOpacity": 0.08 if f["properties"]["k"] == "destination" else 0.12,
            "dashArray": "6 4" if f["properties"]["k"] == "destination" else None,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "kind", "deadline"],
            aliases=[safe_text(label(k, lang)) for k in ("zone", "kind", "deadline")],
        ),
    ).add_to(fg)


def _add_lines(
    m: folium.Map, stations: gpd.GeoDataFrame, lang: str, radii: tuple[float, float]
) -> dict[str, str]:
    lines_fg = folium.FeatureGroup(name=label("lines", lang), show=True).add_to(m)
    tod_fg = folium.FeatureGroup(name=label("tod", lang), show=True).add_to(m)
    colours: dict[str, str] = {}
    if len(stations) == 0:
        return colours
    st = stations.to_crs("EPSG:4326").copy()
    st["_lon"], st["_lat"] = _points(st)
    # Stations in line order: a `seq` column when given, else the ids' natural order.
    order_cols = ["seq"] if "seq" in st.columns else []
    for k, (line, g) in enumerate(st.groupby(st["line"].astype(str), sort=True)):
        colour = _LINE_COLOURS[k % len(_LINE_COLOURS)]
        colours[line] = colour
        if order_cols:
            g = g.sort_values(order_cols)
        else:
            g = g.iloc[
                sorted(range(len(g)), key=lambda i: _natural_key(str(g["station_id"].iloc[i])))
            ]
        pts = [[round(la, 6), round(lo, 6)] for lo, la in zip(g["_lon"], g["_lat"], strict=True)]
        if len(pts) >= 2:
            folium.PolyLine(
                pts, color=colour, weight=4, opacity=0.8, tooltip=folium.Tooltip(safe_text(line))
            ).add_to(lines_fg)
        for _, s in g.iterrows():
            text = f"{s['name']} ({s['line']}, {label('opens', lang)} {int(s['opening_year'])})"
            folium.CircleMarker(
                [s["_lat"], s["_lon"]],
                radius=5,
                color="#222",
                weight=2,
                fill=True,
                fill_color="#fff",
                fill_opacity=1.0,
                tooltip=folium.Tooltip(safe_text(text)),
            ).add_to(lines_fg)
            if "tod_rings" in s.index and not bool(s["tod_rings"]):
                continue  # not a line that gets TOD rings ([freed_land] tod_line_kinds)
            for r, dash in zip(radii, ("", "5 5"), strict=True):
                folium.Circle(
                    [s["_lat"], s["_lon"]],
                    radius=float(r),
                    color=colour,
                    weight=1.5,
                    fill=r == radii[0],
                    fill_opacity=0.06,
                    dash_array=dash or None,
                    interactive=False,
                ).add_to(tod_fg)
    return colours


def _add_freed(
    m: folium.Map,
    freed: gpd.GeoDataFrame | None,
    lang: str,
    years: list[int],
    groups: list[dict[str, Any]],
) -> None:
    parent = folium.FeatureGroup(name=label("freed", lang), show=True).add_to(m)
    if freed is None or len(freed) == 0:
        return
    end = years[-1]
    geoms = _simplified(freed, 1.0, 1e-5)  # ~1 m: locations are approximate anyway
    li = 0 if lang == "vi" else 1
    reason_col = "reason_vi" if lang == "vi" and "reason_vi" in freed.columns else "reason"
    # (style key, from, to) → (geoms, props): "remediation" until usable, then the class.
    buckets: dict[tuple[str, int, int | None], tuple[list[Any], list[dict[str, Any]]]] = {}
    for geom, (_, p) in zip(geoms, freed.iterrows(), strict=True):
        cls = str(p["land_class"])
        moved, avail = int(p["move_year"]), int(p["available_year"])
        base = {
            "name": safe_text(p.get("name", p["firm_id"])),
            "cls": safe_text(LAND_CLASSES[cls][li]),
            "reason": safe_text(p[reason_col]),
            "avail": str(avail),
            "area": f"{fmt_dec(float(p['area_m2']) / 10_000, lang, 2)} ha",
        }
        if avail > moved:
            key = ("remediation", moved, avail - 1 if avail <= end else None)
            buckets.setdefault(key, ([], []))
            buckets[key][0].append(geom)
            buckets[key][1].append({**base, "s": "remediation"})
        if avail <= end:
            key = (cls, avail, None)
            buckets.setdefault(key, ([], []))
            buckets[key][0].append(geom)
            buckets[key][1].append({**base, "s": cls})
    fields = ["name", "cls", "reason", "avail", "area"]
    aliases = [
        safe_text(label(k, lang)) for k in ("name", "land_class", "reason", "available", "area")
    ]
    for (_style, y0, y1), (gs, props) in sorted(
        buckets.items(), key=lambda kv: (kv[0][1], kv[0][0])
    ):
        fc = _feature_collection(gpd.GeoSeries(gs), props)
        if not fc["features"]:  # parcels below the drawing precision (a few m²)
            continue
        fg = folium.FeatureGroup(control=False).add_to(parent)
        folium.GeoJson(
            fc,
            style_function=_parcel_style,
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
        ).add_to(fg)
        groups.append({"layer": fg, "parent": parent, "from": y0, "to": y1})


def _parcel_style(feature: dict[str, Any]) -> dict[str, Any]:
    s = feature["properties"]["s"]
    if s == "remediation":
        return {
            "color": "#555",
            "weight": 1.5,
            "dashArray": "3 3",
            "fillColor": REMEDIATION_COLOUR,
            "fillOpacity": 0.5,
        }
    return {
        "color": CLASS_COLOURS[s],
        "weight": 1,
        "fillColor": CLASS_COLOURS[s],
        "fillOpacity": 0.7,
    }


def _add_flows(
    m: folium.Map,
    zones: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    firms: gpd.GeoDataFrame,
    moves: pd.DataFrame,
    lang: str,
    years: list[int],
    groups: list[dict[str, Any]],
    weight_by: str,
) -> None:
    parent = folium.FeatureGroup(name=label("flows", lang), show=True).add_to(m)
    if len(moves) == 0:
        return
    zp = zones.to_crs(METRIC_CRS).representative_point().to_crs("EPSG:4326")
    zone_pt = {str(z): (p.y, p.x) for z, p in zip(zones["zone_id"], zp, strict=True)}
    zone_name = dict(zip(zones["zone_id"].astype(str), zones["name"].astype(str), strict=True))
    slon, slat = _points(sites)
    site_pt = {str(s): (la, lo) for s, lo, la in zip(sites["site_id"], slon, slat, strict=True)}
    site_name = dict(zip(sites["site_id"].astype(str), sites["name"].astype(str), strict=True))
    mv = moves.copy()
    mv["firm_id"] = mv["firm_id"].astype(str)
    info = firms.assign(firm_id=firms["firm_id"].astype(str)).set_index("firm_id")
    if "origin_zone_id" not in mv.columns:
        mv["origin_zone_id"] = mv["firm_id"].map(info["zone_id"])
    if "employees" not in mv.columns:
        mv["employees"] = mv["firm_id"].map(info["employees"])
    mv["origin_zone_id"] = mv["origin_zone_id"].astype(str)
    mv["site_id"] = mv["site_id"].astype(str)
    totals = mv.groupby(["origin_zone_id", "site_id"]).agg(
        n=("firm_id", "size"), w=("employees", "sum")
    )
    vmax = float(totals["n" if weight_by == "firms" else "w"].max()) or 1.0
    unit_n, unit_w = label("firms_n", lang), label("workers_n", lang)
    for y in years:
        cum = mv[mv["year"] <= y]
        if len(cum) == 0:
            continue
        fg = folium.FeatureGroup(control=False).add_to(parent)
        agg = cum.groupby(["origin_zone_id", "site_id"]).agg(
            n=("firm_id", "size"), w=("employees", "sum")
        )
        for (zid, sid), r in agg.iterrows():
            if zid not in zone_pt or sid not in site_pt:
                continue
            v = float(r["n"] if weight_by == "firms" else r["w"])
            text = (
                f"{zone_name.get(zid, zid)} → {site_name.get(sid, sid)}: "
                f"{fmt_int(r['n'], lang)} {unit_n}, {fmt_int(r['w'], lang)} {unit_w} "
                f"({label('by_year', lang)} {y})"
            )
            folium.PolyLine(
                [list(zone_pt[zid]), list(site_pt[sid])],
                color="#6a3d9a",
                opacity=0.6,
                weight=round(1.5 + 10 * math.sqrt(v / vmax), 1),
                tooltip=folium.Tooltip(safe_text(text)),
            ).add_to(fg)
        groups.append({"layer": fg, "parent": parent, "from": y, "to": y})


def _add_sites(
    m: folium.Map,
    sites: gpd.GeoDataFrame,
    site_load: pd.DataFrame,
    lang: str,
    years: list[int],
    groups: list[dict[str, Any]],
) -> None:
    parent = folium.FeatureGroup(name=label("sites", lang), show=True).add_to(m)
    slon, slat = _points(sites)
    where = {str(s): (la, lo) for s, lo, la in zip(sites["site_id"], slon, slat, strict=True)}
    name = dict(zip(sites["site_id"].astype(str), sites["name"].astype(str), strict=True))
    load = site_load.assign(site_id=site_load["site_id"].astype(str))
    rmax = float(load["released_m2"].max()) if len(load) else 1.0
    rmax = rmax if rmax > 0 else 1.0
    for y in years:
        rows = load[load["year"] == y]
        if len(rows) == 0:
            continue
        fg = folium.FeatureGroup(control=False).add_to(parent)
        for _, r in rows.iterrows():
            sid = r["site_id"]
            if sid not in where:
                continue
            released = float(r["released_m2"])
            share = float(r["used_m2"]) / released if released > 0 else 0.0
            colour = next(c for _, c, lim in USE_BANDS if lim is None or share < lim)
            popup = _popup_table(
                [
                    (label("name", lang), name.get(sid, sid)),
                    (label("year", lang), y),
                    (label("released", lang), f"{fmt_dec(released / 10_000, lang)} ha"),
                    (label("used", lang), f"{fmt_dec(float(r['used_m2']) / 10_000, lang)} ha"),
                    (label("free", lang), f"{fmt_dec(float(r['free_m2']) / 10_000, lang)} ha"),
                ]
            )
            folium.CircleMarker(
                list(where[sid]),
                radius=round(6 + 14 * math.sqrt(max(released, 0.0) / rmax), 1),
                color="#08306b",
                weight=2,
                fill=True,
                fill_color=colour,
                fill_opacity=0.85,
                popup=folium.Popup(popup, max_width=320),
                tooltip=folium.Tooltip(safe_text(f"{name.get(sid, sid)} ({y})")),
            ).add_to(fg)
        groups.append({"layer": fg, "parent": parent, "from": y, "to": y})


def _firm_rows(
    m: folium.Map,
    firms: gpd.GeoDataFrame,
    moves: pd.DataFrame,
    lang: str,
    ycol: dict[int, str],
) -> tuple[MarkerCluster, list[list[Any]]]:
    """The firms' cluster layer and its marker rows (the year control fills it)."""
    cluster = MarkerCluster(
        name=label("firms", lang),
        options={"maxClusterRadius": 45, "disableClusteringAtZoom": 16, "chunkedLoading": True},
    )
    cluster.add_to(m)
    mv = moves.assign(firm_id=moves["firm_id"].astype(str)).set_index("firm_id")
    cost_cols = [c for c in COST_COLUMNS if c in mv.columns]
    lon, lat = _points(firms.to_crs("EPSG:4326"))
    # Plain columns and dicts: iterating a GeoDataFrame row by row builds a GeoSeries each.
    year_of = mv["year"].astype(int).to_dict()
    dest_of = (mv["site_name"] if "site_name" in mv.columns else mv["site_id"]).to_dict()
    cost_of = (mv[cost_cols].astype(float).sum(axis=1) if cost_cols else mv["year"] * 0.0).to_dict()
    not_moved = label("not_moved", lang)
    bn = label("bn_vnd", lang)
    rows: list[list[Any]] = []
    for fid, name, sector, emp, lo, la in zip(
        firms["firm_id"].astype(str),
        firms["name"],
        firms["sector"],
        firms["employees"].astype(float),
        lon,
        lat,
        strict=True,
    ):
        values: list[Any] = [name, sector, fmt_int(float(emp), lang)]
        year: int | None = year_of.get(fid)
        if year is not None:
            values += [dest_of[fid], year, f"{fmt_dec(cost_of[fid] / 1e9, lang)} {bn}"]
        else:
            values += ["", not_moved, ""]
        colour = ycol.get(year, _VIRIDIS[-1]) if year is not None else NOT_MOVED_COLOUR
        rows.append(
            [round(float(la), 6), round(float(lo), 6), year, colour, [safe_text(v) for v in values]]
        )
    return cluster, rows
