"""Coordinate reference systems: parsing, and conversion to WGS84 with a pinned VN-2000 datum.

PROJ's default VN-2000 → WGS84 operation depends on where a point lies: EPSG:5194 "VN-2000 to
WGS 84 (1)" south of about 11.04°N and EPSG:6960 "VN-2000 to WGS 84 (2)" north of it, a jump of
about 0.8 m that runs straight through the study area. Every source whose datum is VN-2000
(EPSG:9210, 3405, 4756, the other TM-3 zones, ...) is therefore transformed with EPSG:6960 only.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from pyproj.transformer import TransformerGroup

logger = logging.getLogger(__name__)

WGS84 = CRS.from_epsg(4326)
#: The geographic CRS of the VN-2000 datum.
VN2000_GEOGRAPHIC_EPSG = 4756
#: The pinned datum operation (EPSG code and the name PROJ gives it).
PINNED_OPERATION_EPSG = 6960
PINNED_OPERATION_NAME = "VN-2000 to WGS 84 (2)"


def parse_crs(text: str) -> CRS:
    """Parse a user-supplied CRS ("EPSG:9210", a WKT string, a PROJ string).

    Parameters
    ----------
    text : str
        The CRS as written in ``scenario.toml`` or read from a file.

    Returns
    -------
    pyproj.CRS
        The parsed CRS.

    Raises
    ------
    ValueError
        If pyproj does not recognise it (the caller turns this into an input issue).
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("the CRS is empty")
    try:
        return CRS.from_user_input(text.strip())
    except CRSError as exc:
        raise ValueError(f"unknown or invalid CRS {text!r}: {exc}") from exc


def is_vn2000(crs: CRS) -> bool:
    """Return whether ``crs`` is based on the VN-2000 datum (projected or geographic)."""
    geodetic = crs.geodetic_crs
    if geodetic is None:
        return False
    if geodetic.to_epsg() == VN2000_GEOGRAPHIC_EPSG:
        return True
    datum = geodetic.datum
    return datum is not None and datum.name in {"Vietnam 2000", "VN-2000"}


def operation_epsg_codes(transformer: Transformer) -> list[int]:
    """EPSG codes of the steps of a transformer's operation (for tests and logs).

    Parameters
    ----------
    transformer : pyproj.Transformer
        Any transformer.

    Returns
    -------
    list of int
        The codes of the steps that carry an EPSG id (inverse steps included).
    """
    text = transformer.to_json()
    if text is None:  # an area-dependent choice among several operations has no single JSON
        return []
    data = json.loads(text)
    steps = data.get("steps", [data])
    codes: list[int] = []
    for step in steps:
        ident = step.get("id") or {}
        if str(ident.get("authority", "")).endswith("EPSG") and "code" in ident:
            codes.append(int(ident["code"]))
    return codes


@lru_cache(maxsize=32)
def _transformer_for(crs_wkt: str) -> Transformer:
    crs = CRS.from_wkt(crs_wkt)
    if not is_vn2000(crs):
        return Transformer.from_crs(crs, WGS84, always_xy=True)
    group = TransformerGroup(crs, WGS84, always_xy=True)
    pinned = [t for t in group.transformers if PINNED_OPERATION_NAME in t.description]
    if not pinned:  # the PROJ database changed under us: refuse rather than drift by 0.8 m
        raise ValueError(
            f"PROJ offers no {PINNED_OPERATION_NAME!r} (EPSG:{PINNED_OPERATION_EPSG}) operation "
            f"from {crs.name}; cannot convert VN-2000 coordinates reproducibly"
        )
    logger.debug("pinned %s for %s", pinned[0].description, crs.name)
    return pinned[0]


def transformer_to_wgs84(crs: CRS) -> Transformer:
    """Return the transformer used to bring ``crs`` to EPSG:4326 (lon, lat order).

    Parameters
    ----------
    crs : pyproj.CRS
        Source CRS.

    Returns
    -------
    pyproj.Transformer
        For VN-2000 sources, the operation through EPSG:6960 only; otherwise PROJ's default.

    Raises
    ------
    ValueError
        If a VN-2000 source has no pinned operation in this PROJ database.
    """
    return _transformer_for(crs.to_wkt())


def points_to_wgs84(x: np.ndarray, y: np.ndarray, crs: CRS) -> tuple[np.ndarray, np.ndarray]:
    """Convert coordinates in ``crs`` to WGS84 longitude and latitude.

    Parameters
    ----------
    x, y : numpy.ndarray
        Easting/northing (or lon/lat for geographic sources), float.
    crs : pyproj.CRS
        Their CRS.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in degrees; ``inf``/``nan`` where PROJ could not convert.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if crs.equals(WGS84):
        return x.copy(), y.copy()
    lon, lat = transformer_to_wgs84(crs).transform(x, y, errcheck=False)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def geometries_to_wgs84(geoms: np.ndarray, crs: CRS) -> np.ndarray:
    """Convert shapely geometries from ``crs`` to WGS84 with the same rule as points.

    ``GeoSeries.to_crs`` cannot take a chosen operation, so coordinates are transformed with
    ``shapely.transform`` instead.

    Parameters
    ----------
    geoms : numpy.ndarray
        Shapely geometries (object array).
    crs : pyproj.CRS
        Their CRS.

    Returns
    -------
    numpy.ndarray
        New geometries in EPSG:4326.
    """
    if crs.equals(WGS84):
        return np.asarray(geoms, dtype=object)
    transformer = transformer_to_wgs84(crs)

    def _fn(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return transformer.transform(x, y, errcheck=False)

    return shapely.transform(np.asarray(geoms, dtype=object), _fn, interleaved=False)


def utm_crs_for(lon: float) -> CRS:
    """WGS84 / UTM north zone containing longitude ``lon`` (metric, for buffers and squares)."""
    zone = int(np.clip(np.floor((lon + 180.0) / 6.0) + 1, 1, 60))
    return CRS.from_epsg(32600 + zone)


def to_output_crs(gdf: gpd.GeoDataFrame, crs_text: str) -> gpd.GeoDataFrame:
    """Reproject a WGS84 layer for output; VN-2000 targets use the pinned operation, inverted.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A layer in EPSG:4326.
    crs_text : str
        The output CRS (``[crs] output``), e.g. ``"EPSG:9210"``.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer in ``crs_text``.
    """
    target = parse_crs(crs_text)
    if target.equals(WGS84):
        return gdf
    if not is_vn2000(target):
        return gdf.to_crs(target)
    tr = transformer_to_wgs84(target)

    def inverse(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1], direction="INVERSE")
        return np.column_stack([x, y])

    out = gdf.copy()
    out.geometry = gpd.GeoSeries(shapely.transform(gdf.geometry.to_numpy(), inverse), crs=target)
    return out.set_crs(target, allow_override=True)
