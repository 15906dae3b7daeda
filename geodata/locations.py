"""Locations of table rows: points from columns or geometries, converted to WGS84 and checked."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS

from geodata import columns as C
from geodata.crs import WGS84, geometries_to_wgs84, points_to_wgs84, utm_crs_for
from geodata.tables import IssueLog, RawTable
from relocation.domain.issue_text import issue_text

#: Vietnam's bounding box, generous (Phú Quốc to Hà Giang, Quảng Ninh's islands).
VN_LON = (102.0, 110.0)
VN_LAT = (8.0, 24.0)
_POINT_TYPES = {"Point"}
_AREA_TYPES = {"Polygon", "MultiPolygon"}


@dataclass
class Located:
    """WGS84 locations of a table's rows.

    Attributes
    ----------
    lon, lat : numpy.ndarray
        Degrees; NaN where the row has no usable location (an error was logged).
    areas : numpy.ndarray
        Shapely polygons in EPSG:4326 where the row's geometry is an area, else ``None``.
    """

    lon: np.ndarray
    lat: np.ndarray
    areas: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        """Rows with a usable location."""
        return np.isfinite(self.lon) & np.isfinite(self.lat)


def in_vietnam(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Whether each point lies in Vietnam's bounding box."""
    return (lon >= VN_LON[0]) & (lon <= VN_LON[1]) & (lat >= VN_LAT[0]) & (lat <= VN_LAT[1])


def locate(
    raw: RawTable, log: IssueLog, input_crs: CRS | None, *, allow_areas: bool = False
) -> Located:
    """Read each row's location (points; with ``allow_areas`` also parcel polygons).

    CSV/XLSX rows use ``lon``/``lat`` (``input_crs`` EPSG:4326) or ``x``/``y`` (any other
    input CRS); GeoJSON/GeoPackage rows use their geometry in the file's CRS.

    Parameters
    ----------
    raw : RawTable
        The table.
    log : IssueLog
        Receives bad coordinates, swapped axes and out-of-country points.
    input_crs : pyproj.CRS or None
        The scenario's ``[crs] input`` (``None`` if invalid: CSV points are then not read).
    allow_areas : bool
        Accept Polygon/MultiPolygon geometries (firm parcels).

    Returns
    -------
    Located
        The WGS84 locations.
    """
    n = len(raw)
    areas = np.full(n, None, dtype=object)
    if raw.source.is_geo:
        return _locate_geo(raw, log, allow_areas)
    if input_crs is None:
        return Located(np.full(n, np.nan), np.full(n, np.nan), areas)
    geographic_wgs84 = input_crs.equals(WGS84)
    xcol, ycol = ("lon", "lat") if geographic_wgs84 else ("x", "y")
    why = "" if geographic_wgs84 else f" (scenario.toml [crs] input is {input_crs.to_string()})"
    if not C.has_columns(raw, log, (xcol, ycol), why):
        return Located(np.full(n, np.nan), np.full(n, np.nan), areas)
    x = C.number(raw, log, xcol).to_numpy()
    y = C.number(raw, log, ycol).to_numpy()
    lon, lat = points_to_wgs84(x, y, input_crs)
    _check_country(raw, log, x, y, lon, lat, input_crs, (xcol, ycol))
    bad = ~in_vietnam(lon, lat)
    lon[bad] = np.nan
    lat[bad] = np.nan
    return Located(lon, lat, areas)


def _check_country(
    raw: RawTable,
    log: IssueLog,
    x: np.ndarray,
    y: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    crs: CRS,
    names: tuple[str, str],
) -> None:
    inside = in_vietnam(lon, lat)
    given = np.isfinite(x) & np.isfinite(y)
    swapped_lon, swapped_lat = points_to_wgs84(y, x, crs)
    swapped = in_vietnam(swapped_lon, swapped_lat)
    col = "/".join(names)
    for pos in np.flatnonzero(given & ~inside):
        value = f"{x[pos]:g}, {y[pos]:g}"
        if swapped[pos]:
            msg = issue_text("columns_swapped", second=names[1], first=names[0])
        elif not (np.isfinite(lon[pos]) and np.isfinite(lat[pos])):
            msg = issue_text("no_wgs84", crs=crs.to_string())
        else:
            msg = issue_text(
                "outside_vietnam_after", lon0=VN_LON[0], lon1=VN_LON[1], lat0=VN_LAT[0],
                lat1=VN_LAT[1], lon=lon[pos], lat=lat[pos],
            )
        log.error(raw.label, msg, row=int(raw.rows[pos]), column=col, value=value)


def _locate_geo(raw: RawTable, log: IssueLog, allow_areas: bool) -> Located:
    n = len(raw)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    areas = np.full(n, None, dtype=object)
    if raw.geometry is None or raw.crs is None:
        log.error(raw.label, issue_text("no_geometry_layer"))
        return Located(lon, lat, areas)
    allowed = _POINT_TYPES | (_AREA_TYPES if allow_areas else set())
    geoms = raw.geometry
    usable = np.zeros(n, dtype=bool)
    for pos, geom in enumerate(geoms):
        row = int(raw.rows[pos])
        if geom is None or geom.is_empty:
            log.error(raw.label, issue_text("feature_no_geometry"), row=row, column="geometry")
        elif geom.geom_type not in allowed:
            log.error(
                raw.label,
                issue_text("wrong_geometry", allowed=" or ".join(sorted(allowed)),
                           got=geom.geom_type),
                row=row, column="geometry",
            )
        elif geom.geom_type in _AREA_TYPES and not geom.is_valid:
            log.error(
                raw.label, issue_text("invalid_polygon", why=shapely.is_valid_reason(geom)),
                row=row, column="geometry",
            )
        else:
            usable[pos] = True
    converted = np.full(n, None, dtype=object)
    if usable.any():
        converted[usable] = geometries_to_wgs84(geoms[usable], raw.crs)
    for pos in np.flatnonzero(usable).tolist():
        geom = converted[pos]
        minx, miny, maxx, maxy = geom.bounds
        feature = int(raw.rows[pos])
        corners_ok = in_vietnam(np.array([minx, maxx]), np.array([miny, maxy])).all()
        if not corners_ok:
            if in_vietnam(np.array([miny, maxy]), np.array([minx, maxx])).all():
                msg = issue_text("latlon_swapped")
            elif not np.isfinite([minx, miny, maxx, maxy]).all():
                msg = issue_text("no_wgs84", crs=raw.crs.to_string())
            else:
                msg = issue_text(
                    "outside_vietnam_bounds", lon0=VN_LON[0], lon1=VN_LON[1], lat0=VN_LAT[0],
                    lat1=VN_LAT[1], minx=minx, miny=miny, maxx=maxx, maxy=maxy,
                )
            log.error(raw.label, msg, row=feature, column="geometry", value=geom.wkt)
            continue
        if geom.geom_type in _AREA_TYPES:
            areas[pos] = geom
            point = geom.representative_point()
        else:
            point = geom
        lon[pos], lat[pos] = point.x, point.y
    return Located(lon, lat, areas)


def read_polygons(raw: RawTable, log: IssueLog) -> np.ndarray:
    """Polygon geometries of a zones-like layer in EPSG:4326 (``None`` where bad).

    Parameters
    ----------
    raw : RawTable
        A GeoJSON/GeoPackage table.
    log : IssueLog
        Receives missing, wrong-type, invalid (self-crossing...) and out-of-country polygons.

    Returns
    -------
    numpy.ndarray
        Object array of shapely polygons.
    """
    located = _locate_geo(raw, log, allow_areas=True)
    out = located.areas.copy()
    points = np.array([a is None for a in located.areas], dtype=bool)
    for pos in np.flatnonzero(located.ok & points):
        log.error(
            raw.label, issue_text("polygon_not_point"),
            row=int(raw.rows[pos]), column="geometry",
        )
    return out


def squares(lon: np.ndarray, lat: np.ndarray, area_m2: np.ndarray) -> np.ndarray:
    """Axis-aligned squares of ``area_m2`` centred on each point, built in UTM and returned in 4326.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Centres, degrees.
    area_m2 : numpy.ndarray
        Areas, m² (rows with NaN or non-positive areas or locations get ``None``).

    Returns
    -------
    numpy.ndarray
        Object array of shapely polygons (EPSG:4326).
    """
    from pyproj import Transformer

    out = np.full(len(lon), None, dtype=object)
    good = np.isfinite(lon) & np.isfinite(lat) & np.isfinite(area_m2) & (area_m2 > 0)
    if not good.any():
        return out
    zones = np.floor((lon + 180.0) / 6.0)
    for zone in np.unique(zones[good]):
        sel = good & (zones == zone)
        utm = utm_crs_for(float(lon[sel][0]))
        fwd = Transformer.from_crs(WGS84, utm, always_xy=True)
        back = Transformer.from_crs(utm, WGS84, always_xy=True)
        x, y = fwd.transform(lon[sel], lat[sel])
        half = np.sqrt(area_m2[sel]) / 2.0
        boxes = shapely.box(x - half, y - half, x + half, y + half)
        out[sel] = shapely.transform(
            boxes, lambda xs, ys, b=back: b.transform(xs, ys), interleaved=False
        )
    return out


def distance_m(points: np.ndarray, area: shapely.Geometry) -> np.ndarray:
    """Distance in metres from WGS84 points to a WGS84 geometry (measured in UTM)."""
    from pyproj import Transformer

    centre = area.representative_point()
    utm = utm_crs_for(centre.x)
    fwd = Transformer.from_crs(WGS84, utm, always_xy=True)

    def to_utm(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return fwd.transform(xs, ys)

    area_m = shapely.transform(area, to_utm, interleaved=False)
    pts_m = shapely.transform(points, to_utm, interleaved=False)
    return np.asarray(shapely.distance(pts_m, area_m), dtype=float)
