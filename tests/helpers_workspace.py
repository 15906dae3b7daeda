"""Small workspaces written to disk in every supported format (real files, real polygons).

Three zones around Bình Dương: two southern origins (Thuận An, Thủ Dầu Một) and one northern
destination (Bàu Bàng); four firms, two sites, two stations. ``write_workspace`` writes them
as CSV, XLSX, GeoJSON, separate GeoPackages or one ``workspace.gpkg``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import shapely

SCENARIO_TOML = """\
name = "test"
[horizon]
start = 2024
end = 2030
[[quota]]
by_year = 2025
min_share = 0.25
max_share = 0.75
"""

ZONES = [
    # zone_id, name, name_en, kind, deadline_year, (lon0, lat0, lon1, lat1)
    ("Z_THUANAN", "Thuận An", "Thuan An", "origin", "2028", (106.68, 10.88, 106.75, 10.95)),
    ("Z_TDM", "Thủ Dầu Một", "Thu Dau Mot", "origin", "2029", (106.62, 10.96, 106.70, 11.02)),
    ("Z_BAUBANG", "Bàu Bàng", "Bau Bang", "destination", "", (106.58, 11.20, 106.68, 11.32)),
]

FIRMS_COLUMNS = [
    "firm_id", "name", "zone_id", "sector", "land_area_m2", "employees", "mandatory",
    "pollution", "lon", "lat", "required_area_m2", "supply_group", "earliest_year",
    "moved_year", "moved_site_id", "preferred_site_ids",
]
FIRMS = [
    ["0001", "Công ty Gỗ Thuận An", "Z_THUANAN", "wood", "5000", "120", "có", "", "106.70",
     "10.90", "", "G1", "", "", "", "S_BB1"],
    ["0002", "Công ty Dệt Lái Thiêu", "Z_THUANAN", "textile", "12000.5", "300", "true",
     "high", "106.72", "10.92", "15000", "G1", "2025", "", "", ""],
    ["0003", "Xưởng Cơ khí Phú Lợi", "Z_TDM", "metal", "800", "25", "no", "", "106.66",
     "10.99", "", "", "", "2023", "S_BB2", ""],
    ["0004", "Công ty Bao bì Bình Dương", "Z_THUANAN", "wood", "3000", "60", "0", "", "106.69",
     "10.89", "", "", "", "", "", "S_BB1;S_BB2"],
]

SITES_COLUMNS = [
    "site_id", "name", "zone_id", "kind", "free_area_m2", "available_from", "accepts_sectors",
    "accepts_polluting", "lon", "lat", "max_firm_area_m2", "rent_vnd_per_m2",
]
SITES = [
    ["S_BB1", "KCN Bàu Bàng mở rộng", "Z_BAUBANG", "industrial_park", "", "", "*", "yes",
     "106.62", "11.25", "", ""],
    ["S_BB2", "CCN Lai Uyên", "Z_BAUBANG", "cluster", "40000", "2025", "wood;metal", "không",
     "106.65", "11.28", "10000", "2340000"],
]

PHASES_COLUMNS = ["site_id", "year", "released_area_m2"]
PHASES = [["S_BB1", "2024", "30000"], ["S_BB1", "2027", "20000"]]

STATIONS_COLUMNS = ["station_id", "name", "line", "opening_year", "lon", "lat"]
STATIONS = [
    ["ST1", "Ga Thuận An", "L1", "2030", "106.71", "10.91"],
    ["ST2", "Ga Bàu Bàng", "L3", "2032", "106.63", "11.26"],
]

SECTORS_COLUMNS = ["code", "name_vi", "name_en", "pollution"]
SECTORS = [
    ["wood", "Chế biến gỗ", "Wood processing", "medium"],
    ["textile", "Dệt nhuộm", "Textile dyeing", "high"],
    ["metal", "Cơ khí", "Mechanical", "low"],
]

POINT_TABLES = ("firms", "sites", "stations")


def tables() -> dict[str, pd.DataFrame]:
    """Every table as text DataFrames (points as lon/lat columns)."""
    return {
        "firms": pd.DataFrame(FIRMS, columns=FIRMS_COLUMNS, dtype=str),
        "sites": pd.DataFrame(SITES, columns=SITES_COLUMNS, dtype=str),
        "site_phases": pd.DataFrame(PHASES, columns=PHASES_COLUMNS, dtype=str),
        "stations": pd.DataFrame(STATIONS, columns=STATIONS_COLUMNS, dtype=str),
        "sectors": pd.DataFrame(SECTORS, columns=SECTORS_COLUMNS, dtype=str),
    }


def zones_gdf() -> gpd.GeoDataFrame:
    """The zones as polygons in EPSG:4326."""
    rows = [z[:5] for z in ZONES]
    frame = pd.DataFrame(rows, columns=["zone_id", "name", "name_en", "kind", "deadline_year"])
    frame["deadline_year"] = pd.array(
        [int(v) if v else None for v in frame["deadline_year"]], dtype="Int64"
    )
    boxes = [shapely.box(*z[5]) for z in ZONES]
    return gpd.GeoDataFrame(frame, geometry=boxes, crs="EPSG:4326")


def write_csv(path: Path, frame: pd.DataFrame, encoding: str = "utf-8") -> None:
    """Write a text DataFrame as CSV exactly (no index, no quoting of plain cells)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(frame.columns)
        writer.writerows(frame.astype(str).values.tolist())


def write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    """Write an XLSX whose numeric-looking cells are numbers (as a user's Excel sheet would)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for values in frame.astype(str).values.tolist():
        row: list[object] = []
        for col, cell in zip(frame.columns, values, strict=True):
            if col.endswith("_id") or col in {"name", "code"}:
                row.append(cell)  # ids stay text, as the README asks
                continue
            try:
                row.append(float(cell) if "." in cell else int(cell))
            except ValueError:
                row.append(cell if cell else None)
        sheet.append(row)
    book.save(path)


def as_points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Turn lon/lat columns into point geometries (EPSG:4326)."""
    geom = gpd.points_from_xy(frame["lon"].astype(float), frame["lat"].astype(float))
    return gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]), geometry=geom, crs="EPSG:4326")


def write_workspace(
    root: Path,
    fmt: str = "csv",
    overrides: dict[str, pd.DataFrame] | None = None,
    scenario: str = SCENARIO_TOML,
    zones: gpd.GeoDataFrame | None = None,
) -> Path:
    """Write the test workspace into ``root`` (created) and return it.

    ``fmt`` is ``csv``, ``xlsx``, ``geojson`` (point tables as GeoJSON, the others CSV),
    ``gpkg`` (one GeoPackage per table) or ``workspace_gpkg`` (layers of one file).
    """
    root.mkdir(parents=True, exist_ok=True)
    data = tables()
    data.update(overrides or {})
    zones = zones_gdf() if zones is None else zones
    (root / "scenario.toml").write_text(scenario, encoding="utf-8")
    if fmt == "workspace_gpkg":
        target = root / "workspace.gpkg"
        pyogrio.write_dataframe(zones, target, layer="zones")
        for name, frame in data.items():
            out = as_points(frame) if name in POINT_TABLES else frame
            pyogrio.write_dataframe(out, target, layer=name, append=True)
        return root
    if fmt in {"geojson", "gpkg"}:
        zones.to_file(root / f"zones.{fmt}")
    else:
        zones.to_file(root / "zones.geojson")
    for name, frame in data.items():
        if fmt == "csv" or (fmt == "geojson" and name not in POINT_TABLES):
            write_csv(root / f"{name}.csv", frame)
        elif fmt == "xlsx":
            write_xlsx(root / f"{name}.xlsx", frame)
        elif fmt == "geojson":
            as_points(frame).to_file(root / f"{name}.geojson")
        elif fmt == "gpkg":
            out = as_points(frame) if name in POINT_TABLES else frame
            pyogrio.write_dataframe(out, root / f"{name}.gpkg")
        else:
            raise ValueError(fmt)
    return root
