"""Readers: every file format, encodings, CRS handling (VN-2000 pinned), parcels, hashes."""

from __future__ import annotations

import hashlib
import unicodedata

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from helpers_workspace import (
    SCENARIO_TOML,
    as_points,
    tables,
    write_csv,
    write_workspace,
    zones_gdf,
)
from pyproj import Transformer
from pyproj.transformer import TransformerGroup

from geodata.crs import operation_epsg_codes, transformer_to_wgs84
from geodata.workspace import hash_inputs, read_workspace
from relocation.domain.errors import InputError

FORMATS = ["csv", "xlsx", "geojson", "gpkg", "workspace_gpkg"]


def _geod_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Metres between WGS84 points (small distances)."""
    lat = np.radians((np.asarray(lat1) + np.asarray(lat2)) / 2)
    dx = (np.asarray(lon1) - np.asarray(lon2)) * 111_320.0 * np.cos(lat)
    dy = (np.asarray(lat1) - np.asarray(lat2)) * 110_574.0
    return np.hypot(dx, dy)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return read_workspace(write_workspace(tmp_path_factory.mktemp("csv"), "csv"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_the_same_workspace(tmp_path, baseline, fmt):
    ws = read_workspace(write_workspace(tmp_path, fmt))
    cols = [c for c in baseline.firms.columns if c != "geometry"]
    pd.testing.assert_frame_equal(
        ws.firms[cols].reset_index(drop=True), baseline.firms[cols].reset_index(drop=True)
    )
    scols = [c for c in baseline.sites.columns if c != "geometry"]
    pd.testing.assert_frame_equal(ws.sites[scols], baseline.sites[scols])
    pd.testing.assert_frame_equal(ws.site_phases, baseline.site_phases)
    pd.testing.assert_frame_equal(ws.sectors, baseline.sectors)
    assert list(ws.stations["station_id"]) == ["ST1", "ST2"]
    assert ws.zones.crs.to_epsg() == 4326
    assert ws.zones.geometry.geom_equals(baseline.zones.geometry).all()
    assert ws.warnings == ()


def test_normalised_columns_and_defaults(baseline):
    firms = baseline.firms.set_index("firm_id")
    # Ids stay text with their leading zeros; Vietnamese names keep their diacritics.
    assert list(firms.index) == ["0001", "0002", "0003", "0004"]
    assert firms.loc["0001", "name"] == "Công ty Gỗ Thuận An"
    assert firms["employees"].dtype == np.int64
    assert firms["earliest_year"].dtype == np.int64
    assert str(firms["moved_year"].dtype) == "Int64"
    assert firms["mandatory"].tolist() == [True, True, False, False]
    # pollution defaults to the sector's; required area to the land area; earliest to start.
    assert firms.loc["0001", "pollution"] == "medium"
    assert firms.loc["0002", "pollution"] == "high"
    assert firms.loc["0001", "required_area_m2"] == 5000.0
    assert firms.loc["0002", "required_area_m2"] == 15000.0
    assert firms.loc["0001", "earliest_year"] == 2024
    assert firms.loc["0003", "moved_year"] == 2023
    assert firms.loc["0003", "moved_site_id"] == "S_BB2"
    assert firms.loc["0004", "preferred_site_ids"] == "S_BB1;S_BB2"
    assert firms.loc["0002", "supply_group"] == "G1" and firms.loc["0003", "supply_group"] == ""
    assert not firms["has_parcel"].any()
    sites = baseline.sites.set_index("site_id")
    assert np.isnan(sites.loc["S_BB1", "free_area_m2"])
    assert sites.loc["S_BB1", "max_firm_area_m2"] == np.inf
    assert pd.isna(sites.loc["S_BB1", "rent_vnd_per_m2"])
    assert sites.loc["S_BB2", "rent_vnd_per_m2"] == 2_340_000
    assert sites["accepts_polluting"].tolist() == [True, False]
    assert baseline.zones.set_index("zone_id").loc["Z_BAUBANG", "name_en"] == "Bau Bang"
    assert baseline.pairs is None


def test_point_firms_get_a_square_parcel_of_their_land_area(baseline):
    firms = baseline.firms
    metric = firms.to_crs(32648)
    np.testing.assert_allclose(metric.area, firms["land_area_m2"], rtol=1e-3)
    centroids = metric.centroid.to_crs(4326)
    assert _geod_m(centroids.x, centroids.y, firms["lon"], firms["lat"]).max() < 0.01


def test_polygon_parcels_from_geojson(tmp_path):
    data = tables()
    firms = as_points(data["firms"])
    # A real parcel for firm 0002: a 100 m x 120 m rectangle drawn in UTM 48N.
    utm = firms.to_crs(32648)
    x, y = utm.geometry.iloc[1].x, utm.geometry.iloc[1].y
    parcel = gpd.GeoSeries([shapely.box(x - 50, y - 60, x + 50, y + 60)], crs=32648).to_crs(4326)
    firms.loc[1, "geometry"] = parcel.iloc[0]
    firms.to_file(tmp_path / "firms.geojson")
    root = write_workspace(tmp_path, "csv")
    (root / "firms.csv").unlink()
    ws = read_workspace(root)
    row = ws.firms.set_index("firm_id").loc["0002"]
    assert bool(row["has_parcel"])
    assert row.geometry.geom_type == "Polygon"
    assert shapely.contains(row.geometry, shapely.Point(row["lon"], row["lat"]))
    assert ws.firms.to_crs(32648).area.iloc[1] == pytest.approx(12_000, rel=1e-3)


def test_csv_with_bom_and_semicolons(tmp_path):
    root = write_workspace(tmp_path, "csv")
    frame = tables()["firms"]
    text = ";".join(frame.columns) + "\r\n"
    for values in frame.values.tolist():
        text += ";".join(f'"{v}"' if ";" in v else v for v in values) + "\r\n"
    (root / "firms.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    ws = read_workspace(root)
    assert ws.firms["firm_id"].tolist() == ["0001", "0002", "0003", "0004"]
    assert ws.firms.loc[3, "preferred_site_ids"] == "S_BB1;S_BB2"


def _to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters with ă/â/ơ..., tone marks as combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        out.append(base + "".join(p for p in parts if p in tones))
    return "".join(out).encode("cp1258")


def test_windows_1258_is_decoded_with_a_warning(tmp_path):
    root = write_workspace(tmp_path, "csv")
    frame = tables()["firms"]
    csv_text = (root / "firms.csv").read_text(encoding="utf-8")
    (root / "firms.csv").write_bytes(_to_cp1258(csv_text))
    ws = read_workspace(root)
    assert ws.firms["name"].tolist() == frame["name"].tolist()
    assert [w.file for w in ws.warnings] == ["firms.csv"]
    assert "Windows-1258" in ws.warnings[0].message


def test_undecodable_file_is_refused_naming_the_encoding(tmp_path):
    root = write_workspace(tmp_path, "csv")
    # Latin-1 "é" with no Vietnamese letter: not UTF-8, not recognisably Windows-1258.
    (root / "sectors.csv").write_bytes(
        "code,name_vi,name_en,pollution\nwood,Café,Wood,low\ntextile,x,y,high\nmetal,m,m,low\n"
        .encode("latin-1")
    )
    with pytest.raises(InputError) as info:
        read_workspace(root)
    [issue] = info.value.issues
    assert issue.file == "sectors.csv"
    assert "not valid UTF-8" in issue.message and "line 2" in issue.message
    assert "Windows-1258" in issue.message


def test_xlsx_numbers_become_clean_text(tmp_path, baseline):
    ws = read_workspace(write_workspace(tmp_path, "xlsx"))
    # Excel stores 2025 as 2025.0 and 12000.5 as a float: neither may leak as "2025.0".
    assert ws.firms.loc[1, "earliest_year"] == 2025
    assert ws.firms.loc[1, "land_area_m2"] == 12000.5
    assert ws.sites.loc[1, "available_from"] == 2025


# --- VN-2000 ---------------------------------------------------------------------------------


def _pinned(src: int, dst: int) -> Transformer:
    group = TransformerGroup(src, dst, always_xy=True)
    [op] = [t for t in group.transformers if "VN-2000 to WGS 84 (2)" in t.description]
    return op


@pytest.mark.parametrize("epsg", [9210, 3405, 4756])
def test_vn2000_sources_use_the_pinned_operation_6960(epsg):
    from pyproj import CRS

    codes = operation_epsg_codes(transformer_to_wgs84(CRS.from_epsg(epsg)))
    assert 6960 in codes
    assert 5194 not in codes
    # The reason for pinning: PROJ offers both operations for this source.
    offered = TransformerGroup(epsg, 4326, always_xy=True).transformers
    described = " | ".join(t.description for t in offered)
    assert "VN-2000 to WGS 84 (1)" in described and "VN-2000 to WGS 84 (2)" in described


def test_vn2000_csv_is_reprojected_with_the_pinned_operation(tmp_path):
    data = tables()
    to_vn = _pinned(4326, 9210)
    for name in ("firms", "sites", "stations"):
        frame = data[name]
        x, y = to_vn.transform(frame["lon"].astype(float), frame["lat"].astype(float))
        frame = frame.drop(columns=["lon", "lat"])
        frame["x"] = [f"{v:.4f}" for v in x]
        frame["y"] = [f"{v:.4f}" for v in y]
        data[name] = frame
    scenario = SCENARIO_TOML + '[crs]\ninput = "EPSG:9210"\n'
    root = write_workspace(tmp_path, "csv", overrides=data, scenario=scenario)
    ws = read_workspace(root)
    truth = tables()["firms"]
    lon0, lat0 = truth["lon"].astype(float), truth["lat"].astype(float)
    assert _geod_m(ws.firms["lon"], ws.firms["lat"], lon0, lat0).max() < 0.1
    # All test firms lie south of 11.04°N, where PROJ's default operation differs by ~0.8 m.
    default = Transformer.from_crs(9210, 4326, always_xy=True)
    x = data["firms"]["x"].astype(float)
    y = data["firms"]["y"].astype(float)
    dlon, dlat = default.transform(x, y)
    assert (lat0 < 11.04).all()
    assert _geod_m(dlon, dlat, lon0, lat0).min() > 0.5


def test_vn2000_geopackage_is_reprojected_with_the_pinned_operation(tmp_path):
    root = write_workspace(tmp_path, "csv")
    firms = as_points(tables()["firms"])
    to_vn = _pinned(4326, 9210)
    moved = shapely.transform(
        np.asarray(firms.geometry.array), lambda x, y: to_vn.transform(x, y), interleaved=False
    )
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(firms.drop(columns="geometry"), geometry=moved, crs="EPSG:9210"),
        root / "firms.gpkg",
    )
    (root / "firms.csv").unlink()
    ws = read_workspace(root)
    truth = tables()["firms"]
    dist = _geod_m(ws.firms["lon"], ws.firms["lat"], truth["lon"].astype(float),
                   truth["lat"].astype(float))
    assert dist.max() < 0.1


def test_unknown_input_crs_is_an_input_error(tmp_path):
    scenario = SCENARIO_TOML + '[crs]\ninput = "EPSG:99999"\n'
    root = write_workspace(tmp_path, "csv", scenario=scenario)
    with pytest.raises(InputError) as info:
        read_workspace(root)
    issue = next(i for i in info.value.issues if i.column == "crs.input")
    assert issue.file == "scenario.toml" and issue.value == "EPSG:99999"


def test_workspace_with_x_y_columns_but_wgs84_input_names_the_missing_columns(tmp_path):
    data = tables()
    data["stations"] = data["stations"].rename(columns={"lon": "x", "lat": "y"})
    root = write_workspace(tmp_path, "csv", overrides=data)
    with pytest.raises(InputError) as info:
        read_workspace(root)
    missing = {i.column for i in info.value.issues if i.severity == "error"}
    assert missing == {"lon", "lat"}


# --- discovery, hashes -----------------------------------------------------------------------


def test_two_candidates_for_one_table_name_both_files(tmp_path):
    root = write_workspace(tmp_path, "csv")
    as_points(tables()["sites"]).to_file(root / "sites.geojson")
    with pytest.raises(InputError) as info:
        read_workspace(root)
    [issue] = info.value.issues
    assert "sites.csv" in issue.message and "sites.geojson" in issue.message


def test_table_in_workspace_gpkg_and_as_a_file_is_ambiguous(tmp_path):
    root = write_workspace(tmp_path, "workspace_gpkg")
    write_csv(root / "sectors.csv", tables()["sectors"])
    with pytest.raises(InputError) as info:
        read_workspace(root)
    [issue] = info.value.issues
    assert "sectors.csv" in issue.message and "workspace.gpkg:sectors" in issue.message


def test_input_hashes_are_sha256_of_every_file_read(tmp_path):
    root = write_workspace(tmp_path, "csv")
    (root / "notes.txt").write_text("not an input", encoding="utf-8")
    ws = read_workspace(root)
    expected = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.iterdir() if p.name != "notes.txt"
    }
    assert ws.input_hashes == expected
    assert hash_inputs(root) == expected


def test_zones_in_vn2000_geopackage(tmp_path):
    zones = zones_gdf()
    to_vn = _pinned(4326, 9210)
    geoms = shapely.transform(
        np.asarray(zones.geometry.array), lambda x, y: to_vn.transform(x, y), interleaved=False
    )
    root = write_workspace(tmp_path, "csv")
    (root / "zones.geojson").unlink()
    gpd.GeoDataFrame(zones.drop(columns="geometry"), geometry=geoms, crs="EPSG:9210").to_file(
        root / "zones.gpkg"
    )
    ws = read_workspace(root)
    back = np.asarray(ws.zones.geometry.array)
    corners = shapely.get_coordinates(back)
    truth = shapely.get_coordinates(np.asarray(zones.geometry.array))
    assert _geod_m(corners[:, 0], corners[:, 1], truth[:, 0], truth[:, 1]).max() < 0.1
