"""Render a relocation plan as a Folium map (offline by default: no icons, fonts or CDN plugins).

Layers, each a LayerControl overlay: zones (boundaries; the kind is told by the dash
pattern), planned lines and stations, TOD rings, freed land by class, move flows (origin
zone → site), destination sites (land used and free), and the slated firms (clustered). A
year control (``maps/assets/year_control.js``) shows the plan's state at the end of any
year: firms moved so far, land freed so far (grey while awaiting remediation), the
cumulative flows and each site's land use that year.

Names of zones, sites and stations are drawn as labels from readable zooms
(:data:`LABEL_ZOOM`). Freed land reads at city zoom as one bar per origin zone (hectares by
class) and, from :data:`PARCEL_ZOOM`, as parcels. Colours follow :mod:`relocation.domain.palettes`
(colour-blind-safe, one scheme per meaning). Base tiles are drawn only when asked for
(``tiles="osm"``); the default map needs no network at all.

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

from maps.controls import Attribution, HtmlControl, MapAssets, YearControl, ZoomClasses
from maps.legend import Entry, legend_html
from maps.text import compact_json, fmt_dec, fmt_int, label, safe_text
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.labels import FIXED, fixed_label
from relocation.domain.labels import label as column_label
from relocation.domain.land_use import LAND_CLASSES
from relocation.domain.palettes import (
    CLASS_COLOURS,
    CLUSTER_COLOUR,
    CONVERTED_COLOUR,
    FIXED_COLOUR,
    FLOW_COLOUR,
    LINE_COLOUR,
    LINE_DASHES,
    NOT_MOVED_COLOUR,
    REMEDIATION_COLOUR,
    USE_BANDS,
    VIRIDIS,
    ZONE_COLOUR,
    ZONE_DASH,
    use_colour,
    year_colours,
)
from relocation.domain.problem import COST_TERMS, MOVE_TERMS

__all__ = ["render_map", "year_colours", "CLASS_COLOURS", "TILES"]

METRIC_CRS = "EPSG:32648"

#: Zoom from which each kind of label is drawn.
LABEL_ZOOM = {"zone": 9, "site": 11, "station": 13}
#: Leaflet pane of the labels and the freed-land bars.
LABEL_PANE = "relocation-labels"
#: Zoom from which freed parcels replace the per-zone bars.
PARCEL_ZOOM = 14
#: Base layers drawn only on request: name → (URL template, attribution HTML, label, max zoom).
TILES: dict[str, tuple[str, str, str, int]] = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        "OpenStreetMap",
        19,
    ),
}
COST_COLUMNS = tuple(f"{t}_vnd" for t in COST_TERMS)

_REQUIRED = {
    "zones": ("zone_id", "name", "kind"),
    "sites": ("site_id", "name"),
    "stations": ("station_id", "name", "line", "opening_year"),
    "firms": ("firm_id", "name", "zone_id", "sector", "employees"),
    "moves": ("firm_id", "site_id", "year"),
    "site_load": ("site_id", "year", "released_m2", "used_m2", "free_m2"),
}


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


def _label_marker(lat: float, lon: float, text: str, kind: str, style: str = "") -> folium.Marker:
    """A permanent, non-interactive text label (a DivIcon; shown by zoom through CSS)."""
    extra = f' style="{style}"' if style else ""
    return folium.Marker(
        [round(float(lat), 6), round(float(lon), 6)],
        icon=folium.DivIcon(
            html=f"<span{extra}>{safe_text(text)}</span>",
            icon_size=(0, 0),
            icon_anchor=(0, 0),
            class_name=f"relocation-label relocation-label-{kind}",
        ),
        interactive=False,
        keyboard=False,
        pane=LABEL_PANE,
    )


def _sector_names(
    firms: gpd.GeoDataFrame, sectors: pd.DataFrame | None, lang: str
) -> dict[str, str]:
    """Sector code → name in ``lang`` (the sectors table, else the firms' own columns)."""
    col = "name_vi" if lang == "vi" else "name_en"
    out: dict[str, str] = {}
    if sectors is not None and "code" in sectors.columns:
        for _, r in sectors.iterrows():
            name = r.get(col)
            if pd.isna(name) or str(name) == "":
                name = r.get("name_vi")
            if not pd.isna(name) and str(name) != "":
                out[str(r["code"])] = str(name)
    fcol = "sector_vi" if lang == "vi" else "sector_en"
    if fcol in firms.columns:
        for code, name in zip(firms["sector"].astype(str), firms[fcol], strict=True):
            if code not in out and not pd.isna(name) and str(name) != "":
                out[code] = str(name)
    return out


def render_map(
    *,
    zones: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
    firms: gpd.GeoDataFrame,
    moves: pd.DataFrame,
    site_load: pd.DataFrame,
    freed_land: gpd.GeoDataFrame | None = None,
    sectors: pd.DataFrame | None = None,
    lang: str = "vi",
    title: str | None = None,
    years: Sequence[int] | None = None,
    flow_weight: str = "firms",
    tod_radii_m: tuple[float, float] = (500.0, 1000.0),
    tiles: str | None = None,
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
        Optional plain columns from the application (``relocation.explain.REVIEW_COLUMNS``)
        fill the firm popups' review rows: ``fixed`` (a ``relocation.domain.labels.FIXED``
        code: a thick black outline and a "fixed" row), ``alt_site_id``, ``alt_year``,
        ``alt_extra_vnd`` (the best alternative and what the whole plan would cost more),
        ``near_site_id``, ``near_year``, ``near_extra_vnd`` and ``near_reason_vi`` /
        ``near_reason_en`` (the nearest site not chosen, and the rule that rules it out).
    site_load : pandas.DataFrame
        ``site_id``, ``year``, ``released_m2``, ``used_m2``, ``free_m2`` (cumulative).
    freed_land : geopandas.GeoDataFrame, optional
        Output of ``relocation.domain.land_use.classify_freed_land`` with parcel geometry.
    sectors : pandas.DataFrame, optional
        The sectors table (``code``, ``name_vi``, ``name_en``): firm popups show the sector's
        name in ``lang``. Without it, the firms' ``sector_vi``/``sector_en`` columns (as the
        run's GeoPackage has them), else the code.
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
    tiles : str, optional
        ``None`` (default): no base layer, nothing is fetched. ``"osm"``: OpenStreetMap
        tiles under the layers, fetched from the internet when the map is opened, with
        their attribution.

    Returns
    -------
    folium.Map
        The map; ``LayerControl`` is its last child.

    Raises
    ------
    relocation.domain.errors.InputError
        If a table lacks a needed column or a geometry.
    ValueError
        If ``lang``, ``flow_weight`` or ``tiles`` is not one of the allowed values.
    """
    label("title", lang)  # validates lang
    if flow_weight not in ("firms", "workers"):
        raise ValueError("flow_weight must be 'firms' or 'workers'")
    if tiles is not None and tiles not in TILES:
        raise ValueError(f"tiles must be None or one of {sorted(TILES)}, not {tiles!r}")
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
    if tiles is not None:
        url, attr, name, max_zoom = TILES[tiles]
        folium.TileLayer(
            url, attr=attr, name=name, max_zoom=max_zoom, max_native_zoom=max_zoom
        ).add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    MapAssets().add_to(m)
    # Labels and the freed-land bars above the firm markers and clusters (markerPane 600),
    # below tooltips and popups; they never catch the mouse.
    folium.map.CustomPane(LABEL_PANE, z_index=640, pointer_events=False).add_to(m)
    groups: list[dict[str, Any]] = []

    zone_entries = _add_zones(m, zones4326, lang)
    line_entries = _add_lines(m, stations, lang, tod_radii_m)
    _add_freed(m, freed_land, zones4326, lang, years, groups)
    _add_flows(m, zones4326, sites, firms, moves, lang, years, groups, flow_weight)
    _add_sites(m, sites, site_load, lang, years, groups)
    names = _sector_names(firms, sectors, lang)
    site_names = dict(zip(sites["site_id"].astype(str), sites["name"].astype(str), strict=True))
    cluster, firm_rows = _firm_rows(m, firms, moves, names, lang, ycol, site_names)

    spec = {
        "years": years,
        "initial": years[-1],
        "labels": {"year": safe_text(label("year", lang)), "play": safe_text(label("play", lang))},
        "groups": groups,
        "cluster": cluster,
        "fields": [safe_text(label(k, lang)) for k in FIRM_FIELDS],
        # Compact JSON (folium's serialiser writes one value per line, ASCII-escaped).
        "firms": JsCode(compact_json(firm_rows)),
    }
    YearControl(spec).add_to(m)
    ZoomClasses(sorted({*LABEL_ZOOM.values(), PARCEL_ZOOM})).add_to(m)

    li = 0 if lang == "vi" else 1
    firm_entries = [
        Entry("move_year", c, f"{label('moved_in', lang)} {y}", "dot") for y, c in ycol.items()
    ]
    if any(r[2] is None for r in firm_rows):
        firm_entries.append(Entry("not_moved", NOT_MOVED_COLOUR, label("not_moved", lang), "dot"))
    if any(r[3] == CONVERTED_COLOUR for r in firm_rows):
        firm_entries.append(Entry("converted", CONVERTED_COLOUR, label("converted", lang), "dot"))
    if any(r[5] for r in firm_rows):
        firm_entries.append(Entry("fixed", FIXED_COLOUR, label("fixed_legend", lang), "outline"))
    firm_entries.append(Entry("cluster", CLUSTER_COLOUR, label("cluster", lang), "dot"))
    unit = label("firms_n" if flow_weight == "firms" else "workers_n", lang)
    sections = [
        (
            label("freed", lang),
            [Entry("land_class", c, LAND_CLASSES[k][li]) for k, c in CLASS_COLOURS.items()]
            + [Entry("remediation", REMEDIATION_COLOUR, label("remediation", lang))],
        ),
        (label("firms", lang), firm_entries),
        (
            f"{label('sites', lang)}: {label('share_used', lang)}",
            [Entry("site_use", c, label(k, lang), "dot") for k, c, _ in USE_BANDS],
        ),
        (label("zones", lang), zone_entries),
        (label("lines", lang), line_entries),
        (
            label("flows", lang),
            [Entry("flow", FLOW_COLOUR, f"{label('flow_width', lang)} {unit}", "line")],
        ),
    ]
    HtmlControl(
        legend_html(
            lang=lang,
            title=title,
            sections=sections,
            note=label("freed_by_zoom", lang).format(zoom=PARCEL_ZOOM),
        ),
        "bottomright",
        "legend",
        "relocation-legend",
    ).add_to(m)
    Attribution(safe_text(label("attribution", lang))).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)  # last: it lists the layers above
    return m


def _zone_name(z: pd.Series, lang: str, has_en: bool) -> str:
    name = z["name"] if lang == "vi" or not has_en else z["name_en"]
    if pd.isna(name) or str(name) == "":
        name = z["name"]
    return str(name)


def _add_zones(m: folium.Map, zones: gpd.GeoDataFrame, lang: str) -> list[Entry]:
    geoms = _simplified(zones, 20.0, 1e-5)
    has_en = "name_en" in zones.columns
    props = []
    kinds = []
    for _, z in zones.iterrows():
        kind = str(z["kind"]) if str(z["kind"]) in ZONE_DASH else "other"
        kinds.append(kind)
        deadline = z.get("deadline_year")
        props.append(
            {
                "name": safe_text(_zone_name(z, lang, has_en)),
                "kind": safe_text(label(f"zone_{kind}", lang)),
                "deadline": "" if deadline is None or pd.isna(deadline) else str(int(deadline)),
                "k": kind,
            }
        )
    fg = folium.FeatureGroup(name=label("zones", lang), show=True).add_to(m)
    fc = _feature_collection(geoms, props)
    if fc["features"]:
        folium.GeoJson(
            fc,
            style_function=lambda f: {
                "color": ZONE_COLOUR,
                "weight": 2,
                "fillColor": ZONE_COLOUR,
                "fillOpacity": 0.04,
                "dashArray": ZONE_DASH[f["properties"]["k"]],
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["name", "kind", "deadline"],
                aliases=[safe_text(label(k, lang)) for k in ("zone", "kind", "deadline")],
            ),
        ).add_to(fg)
    pts = zones.to_crs(METRIC_CRS).representative_point().to_crs("EPSG:4326")
    for (_, z), p in zip(zones.iterrows(), pts, strict=True):
        if p is not None and not p.is_empty:
            _label_marker(p.y, p.x, _zone_name(z, lang, has_en), "zone").add_to(fg)
    return [
        Entry("zone", ZONE_COLOUR, label(f"zone_{k}", lang), "line", ZONE_DASH[k])
        for k in ZONE_DASH
        if k in kinds
    ]


def _add_lines(
    m: folium.Map, stations: gpd.GeoDataFrame, lang: str, radii: tuple[float, float]
) -> list[Entry]:
    lines_fg = folium.FeatureGroup(name=label("lines", lang), show=True).add_to(m)
    tod_fg = folium.FeatureGroup(name=label("tod", lang), show=True).add_to(m)
    entries: list[Entry] = []
    if len(stations) == 0:
        return entries
    st = stations.to_crs("EPSG:4326").copy()
    st["_lon"], st["_lat"] = _points(st)
    # Stations in line order: a `seq` column when given, else the ids' natural order.
    order_cols = ["seq"] if "seq" in st.columns else []
    for k, (line, g) in enumerate(st.groupby(st["line"].astype(str), sort=True)):
        dash = LINE_DASHES[k % len(LINE_DASHES)]
        entries.append(Entry("line", LINE_COLOUR, line, "line", dash))
        if order_cols:
            g = g.sort_values(order_cols)
        else:
            g = g.iloc[
                sorted(range(len(g)), key=lambda i: _natural_key(str(g["station_id"].iloc[i])))
            ]
        pts = [[round(la, 6), round(lo, 6)] for lo, la in zip(g["_lon"], g["_lat"], strict=True)]
        if len(pts) >= 2:
            folium.PolyLine(
                pts,
                color=LINE_COLOUR,
                weight=4,
                opacity=0.85,
                dash_array=dash,
                tooltip=folium.Tooltip(safe_text(line)),
            ).add_to(lines_fg)
        for _, s in g.iterrows():
            text = f"{s['name']} ({s['line']}, {label('opens', lang)} {int(s['opening_year'])})"
            folium.CircleMarker(
                [s["_lat"], s["_lon"]],
                radius=5,
                color=LINE_COLOUR,
                weight=2,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1.0,
                tooltip=folium.Tooltip(safe_text(text)),
            ).add_to(lines_fg)
            _label_marker(s["_lat"], s["_lon"], str(s["name"]), "station").add_to(lines_fg)
            if "tod_rings" in s.index and not bool(s["tod_rings"]):
                continue  # not a line that gets TOD rings ([freed_land] tod_line_kinds)
            for r, ring_dash in zip(radii, (None, "5 5"), strict=True):
                folium.Circle(
                    [s["_lat"], s["_lon"]],
                    radius=float(r),
                    color=LINE_COLOUR,
                    weight=1,
                    opacity=0.6,
                    fill=False,
                    dash_array=ring_dash,
                    interactive=False,
                ).add_to(tod_fg)
    entries.append(Entry("line", LINE_COLOUR, label("station", lang), "ring"))
    entries.append(
        Entry("line", LINE_COLOUR, f"{label('tod_core_ring', lang)} ({radii[0]:.0f} m)", "ring")
    )
    entries.append(
        Entry(
            "line",
            LINE_COLOUR,
            f"{label('tod_transition_ring', lang)} ({radii[1]:.0f} m)",
            "ring",
            "3 2",
        )
    )
    return entries


def _freed_bar(name: str, ha: dict[str, float], remed: float, scale: float, lang: str) -> str:
    """A zone's freed hectares as a stacked bar (classes, then awaiting remediation)."""
    total = sum(ha.values()) + remed
    width = max(24.0, 110.0 * math.sqrt(total / scale)) if scale > 0 else 24.0
    segs = []
    for cls, v in ha.items():
        if v > 0:
            w = width * v / total
            segs.append(f'<i style="width:{w:.1f}px;background:{CLASS_COLOURS[cls]}"></i>')
    if remed > 0:
        w = width * remed / total
        segs.append(
            f'<i class="remed" style="width:{w:.1f}px;background:{REMEDIATION_COLOUR}"></i>'
        )
    return (
        f'<div class="bar" style="width:{width:.1f}px">{"".join(segs)}</div>'
        f"<b>{safe_text(fmt_dec(total, lang))} ha</b>"
    )


def _add_freed(
    m: folium.Map,
    freed: gpd.GeoDataFrame | None,
    zones: gpd.GeoDataFrame,
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
            "name": safe_text(p.get("firm_name", p.get("name", p["firm_id"]))),
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
    if "zone_id" in freed.columns:
        _add_freed_bars(parent, freed, zones, lang, years, groups)


def _add_freed_bars(
    parent: folium.Element,
    freed: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    lang: str,
    years: list[int],
    groups: list[dict[str, Any]],
) -> None:
    """One bar per origin zone and year (freed ha by class): what city zoom shows."""
    pts = zones.to_crs(METRIC_CRS).representative_point().to_crs("EPSG:4326")
    where = {str(z): (p.y, p.x) for z, p in zip(zones["zone_id"], pts, strict=True)}
    name = {
        str(z["zone_id"]): _zone_name(z, lang, "name_en" in zones.columns)
        for _, z in zones.iterrows()
    }
    f = pd.DataFrame(
        {
            "zone": freed["zone_id"].astype(str).to_numpy(),
            "cls": freed["land_class"].astype(str).to_numpy(),
            "moved": freed["move_year"].astype(int).to_numpy(),
            "avail": freed["available_year"].astype(int).to_numpy(),
            "ha": freed["area_m2"].astype(float).to_numpy() / 10_000,
        }
    )
    cells: dict[tuple[str, int], tuple[dict[str, float], float]] = {}
    for y in years:
        usable = f[f["avail"] <= y]
        waiting = f[(f["moved"] <= y) & (f["avail"] > y)]
        by = usable.groupby(["zone", "cls"])["ha"].sum()
        rem = waiting.groupby("zone")["ha"].sum()
        for z in sorted(set(usable["zone"]) | set(waiting["zone"])):
            ha = {c: float(by.get((z, c), 0.0)) for c in CLASS_COLOURS}
            cells[(z, y)] = (ha, float(rem.get(z, 0.0)))
    if not cells:
        return
    scale = max(sum(ha.values()) + r for ha, r in cells.values())
    for y in years:
        fg = folium.FeatureGroup(control=False).add_to(parent)
        for (z, yy), (ha, rem) in cells.items():
            if yy != y or z not in where:
                continue
            lat, lon = where[z]
            folium.Marker(
                [round(lat, 6), round(lon, 6)],
                icon=folium.DivIcon(
                    html=_freed_bar(name.get(z, z), ha, rem, scale, lang),
                    icon_size=(0, 0),
                    icon_anchor=(0, 0),
                    class_name="relocation-freed-agg",
                ),
                interactive=False,
                keyboard=False,
                pane=LABEL_PANE,
            ).add_to(fg)
        groups.append({"layer": fg, "parent": parent, "from": y, "to": y})


def _parcel_style(feature: dict[str, Any]) -> dict[str, Any]:
    s = feature["properties"]["s"]
    if s == "remediation":
        return {
            "color": "#000000",
            "weight": 1,
            "dashArray": "3 3",
            "fillColor": REMEDIATION_COLOUR,
            "fillOpacity": 0.6,
            "className": "relocation-parcel",
        }
    return {
        "color": CLASS_COLOURS[s],
        "weight": 1,
        "fillColor": CLASS_COLOURS[s],
        "fillOpacity": 0.75,
        "className": "relocation-parcel",
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
                color=FLOW_COLOUR,
                opacity=0.55,
                weight=round(1.5 + 10 * math.sqrt(v / vmax), 1),
                tooltip=folium.Tooltip(safe_text(text)),
            ).add_to(fg)
        groups.append({"layer": fg, "parent": parent, "from": y, "to": y})


def _site_radius(released: float, rmax: float) -> float:
    return round(6 + 14 * math.sqrt(max(released, 0.0) / rmax), 1)


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
                radius=_site_radius(released, rmax),
                color="#000000",
                weight=1.5,
                fill=True,
                fill_color=use_colour(share),
                fill_opacity=0.9,
                popup=folium.Popup(popup, max_width=320),
                tooltip=folium.Tooltip(safe_text(f"{name.get(sid, sid)} ({y})")),
            ).add_to(fg)
        groups.append({"layer": fg, "parent": parent, "from": y, "to": y})
    # Names beside the largest circle a site reaches, in a group the year control leaves on.
    labels = folium.FeatureGroup(control=False).add_to(parent)
    biggest = load.groupby("site_id")["released_m2"].max() if len(load) else pd.Series(dtype=float)
    for sid, (la, lo) in where.items():
        r = _site_radius(float(biggest.get(sid, 0.0)), rmax)
        _label_marker(la, lo, name.get(sid, sid), "site", f"left:{r + 3:.0f}px").add_to(labels)


#: Label keys of a firm popup's rows, in order (the tooltip shows the first: the name).
FIRM_FIELDS = (
    "name",
    "firm_id",
    "sector",
    "employees",
    "destination",
    "move_year",
    "cost",
    "support",
    "fixed",
    "main_terms",
    "alternative",
    "nearest_other",
)
#: Cost terms a popup lists (the largest first).
MAIN_TERMS = 3


def _term_name(column: str, lang: str) -> str:
    return column_label(column, lang).removesuffix(" (VND)")


def _short_explanation(
    mv: pd.DataFrame, site_name: dict[str, str], lang: str
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Per firm id: the main cost terms, the best alternative and the nearest other site.

    Texts in ``lang`` (unescaped) from the plain columns the application adds to the moves
    (``relocation.explain.REVIEW_COLUMNS``); a column that is absent gives no text.
    """
    bn = label("bn_vnd", lang)

    def bn_text(v: float) -> str:
        return f"{fmt_dec(abs(v) / 1e9, lang, 2)} {bn}"

    terms_of: dict[str, str] = {}
    cols = [f"{t}_vnd" for t in MOVE_TERMS if f"{t}_vnd" in mv.columns]
    if cols:
        values = mv[cols].astype(float).to_numpy()
        top = np.argsort(-values, axis=1, kind="stable")[:, :MAIN_TERMS]
        names = [_term_name(c, lang) for c in cols]
        for fid, row, idx in zip(mv.index, values, top, strict=True):
            parts = [f"{names[j]} {fmt_dec(row[j] / 1e9, lang, 2)}" for j in idx if row[j] > 0]
            if parts:
                terms_of[fid] = f"{'; '.join(parts)} {bn}"
    alt_of: dict[str, str] = {}
    if "alt_site_id" in mv.columns:
        for fid, sid, year, extra in zip(
            mv.index, mv["alt_site_id"], mv["alt_year"], mv["alt_extra_vnd"], strict=True
        ):
            if pd.isna(sid) or str(sid) == "":
                alt_of[fid] = label("no_alternative", lang)
                continue
            word = label("costs_more" if float(extra) >= 0 else "saves", lang)
            alt_of[fid] = f"{site_name.get(str(sid), sid)}, {int(year)}: {word} {bn_text(extra)}"
    near_of: dict[str, str] = {}
    reason_col = f"near_reason_{lang}"
    if "near_site_id" in mv.columns and reason_col in mv.columns:
        for fid, sid, year, extra, reason in zip(
            mv.index, mv["near_site_id"], mv["near_year"], mv["near_extra_vnd"],
            mv[reason_col], strict=True,
        ):
            if pd.isna(sid) or str(sid) == "":
                continue
            if not pd.isna(reason) and str(reason) != "":
                why = str(reason)
            elif pd.isna(extra):
                continue
            else:
                word = label("possible_more" if float(extra) >= 0 else "possible_saves", lang)
                why = f"{word} {bn_text(extra)} ({int(year)})"
            near_of[fid] = f"{site_name.get(str(sid), sid)} — {why}"
    return terms_of, alt_of, near_of


def _firm_rows(
    m: folium.Map,
    firms: gpd.GeoDataFrame,
    moves: pd.DataFrame,
    sector_name: dict[str, str],
    lang: str,
    ycol: dict[int, str],
    site_name: dict[str, str] | None = None,
) -> tuple[MarkerCluster, list[list[Any]]]:
    """The firms' cluster layer and its marker rows (the year control fills it).

    A row is ``[lat, lon, year or None, fill colour, [escaped popup values in FIRM_FIELDS
    order], fixed (1 or 0)]``.
    """
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
    # A conversion in place (issue 10) has no destination and no flow: its own colour.
    converted = (
        set(mv.index[mv["action"].astype(str) == "convert"]) if "action" in mv.columns else set()
    )
    cost_of = (mv[cost_cols].astype(float).sum(axis=1) if cost_cols else mv["year"] * 0.0).to_dict()
    support_of = mv["support_vnd"].astype(float).to_dict() if "support_vnd" in mv.columns else {}
    fixed_of = (
        {f: str(c) for f, c in mv["fixed"].items() if not pd.isna(c) and str(c) in FIXED}
        if "fixed" in mv.columns
        else {}
    )
    terms_of, alt_of, near_of = _short_explanation(mv, site_name or {}, lang)
    not_moved = label("not_moved", lang)
    bn = label("bn_vnd", lang)
    rows: list[list[Any]] = []
    for fid, name, sector, emp, lo, la in zip(
        firms["firm_id"].astype(str),
        firms["name"],
        firms["sector"].astype(str),
        firms["employees"].astype(float),
        lon,
        lat,
        strict=True,
    ):
        values: list[Any] = [name, fid, sector_name.get(sector, sector), fmt_int(float(emp), lang)]
        year: int | None = year_of.get(fid)
        fixed = fixed_of.get(fid, "") if year is not None else ""
        if year is not None:
            support = support_of.get(fid)
            values += [
                dest_of[fid],
                year,
                f"{fmt_dec(cost_of[fid] / 1e9, lang, 2)} {bn}",
                "" if support is None else f"{fmt_dec(support / 1e9, lang, 2)} {bn}",
                fixed_label(fixed, lang),
                terms_of.get(fid, ""),
                alt_of.get(fid, ""),
                near_of.get(fid, ""),
            ]
        else:
            values += ["", not_moved, "", "", "", "", "", ""]
        colour = ycol.get(year, VIRIDIS[-1]) if year is not None else NOT_MOVED_COLOUR
        if fid in converted:
            values[4] = label("converted", lang)
            colour = CONVERTED_COLOUR
        rows.append(
            [
                round(float(la), 6),
                round(float(lo), 6),
                year,
                colour,
                [safe_text(v) for v in values],
                1 if fixed else 0,
            ]
        )
    return cluster, rows
