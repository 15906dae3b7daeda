"""Validation: every kind of bad input is reported with file, row, column and value."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from helpers_workspace import SCENARIO_TOML, tables, write_csv, write_workspace, zones_gdf

from geodata import tables as T
from geodata.workspace import read_workspace
from relocation.domain.errors import InputError, InputIssue


def _errors(root: Path) -> list[InputIssue]:
    with pytest.raises(InputError) as info:
        read_workspace(root)
    return [i for i in info.value.issues if i.severity == "error"]


def _with_cell(table: str, index: int, column: str, value: str) -> dict[str, pd.DataFrame]:
    data = tables()
    data[table].loc[index, column] = value
    return data


def test_valid_workspace_has_no_issue(tmp_path):
    ws = read_workspace(write_workspace(tmp_path))
    assert ws.warnings == ()


def test_acceptance_three_bad_cells_reported_together(tmp_path):
    data = tables()
    data["firms"].loc[1, "firm_id"] = "0001"
    data["firms"].loc[2, "land_area_m2"] = "-800"
    data["firms"].loc[3, "employees"] = "sáu mươi"
    errors = _errors(write_workspace(tmp_path, overrides=data))
    got = {(i.file, i.row, i.column, i.value) for i in errors}
    assert got == {
        ("firms.csv", 2, "firm_id", "0001"),
        ("firms.csv", 3, "firm_id", "0001"),
        ("firms.csv", 4, "land_area_m2", "-800"),
        ("firms.csv", 5, "employees", "sáu mươi"),
    }


# (table, row index, column, value) -> (row as shown, column reported, message fragment)
CELL_CASES = [
    ("firms", 0, "earliest_year", "2025.5", 2, "earliest_year", "not a whole year"),
    ("firms", 0, "mandatory", "maybe", 2, "mandatory", "not a boolean"),
    ("firms", 0, "pollution", "toxic", 2, "pollution", "not an allowed value"),
    ("firms", 1, "name", "", 3, "name", "a value is required"),
    ("firms", 0, "land_area_m2", "1,5", 2, "land_area_m2", "use '.' for decimals"),
    ("firms", 0, "land_area_m2", "0", 2, "land_area_m2", "must be > 0"),
    ("firms", 0, "employees", "-3", 2, "employees", "must be ≥ 0"),
    ("firms", 0, "zone_id", "Z_NOWHERE", 2, "zone_id", "unknown zone: Z_NOWHERE"),
    ("firms", 0, "sector", "leather", 2, "sector", "unknown sector code: leather"),
    ("firms", 3, "preferred_site_ids", "S_BB1;S_NOPE", 5, "preferred_site_ids",
     "unknown site: S_NOPE"),
    ("firms", 2, "moved_site_id", "", 4, "moved_site_id", "both or neither"),
    ("firms", 2, "moved_year", "", 4, "moved_year", "both or neither"),
    ("firms", 2, "moved_year", "2024", 4, "moved_year", "before the horizon start 2024"),
    ("firms", 2, "moved_site_id", "S_X", 4, "moved_site_id", "unknown site: S_X"),
    ("firms", 0, "zone_id", "Z_BAUBANG", 2, "zone_id", "kind origin or both"),
    ("sites", 1, "zone_id", "Z_TDM", 3, "zone_id", "kind destination or both"),
    ("sites", 1, "accepts_sectors", "wood;plastics", 3, "accepts_sectors",
     "unknown sector code: plastics"),
    ("sites", 1, "free_area_m2", "", 3, "free_area_m2", "without site_phases rows"),
    ("sites", 1, "kind", "park", 3, "kind", "industrial_park, cluster"),
    ("sites", 1, "accepts_polluting", "", 3, "accepts_polluting", "a boolean is required"),
    ("site_phases", 1, "site_id", "S_GONE", 3, "site_id", "unknown site: S_GONE"),
    ("site_phases", 1, "year", "năm 2027", 3, "year", "not a whole year"),
    ("stations", 0, "opening_year", "", 2, "opening_year", "a whole year is required"),
    ("sectors", 2, "code", "wood", 4, "code", "duplicate code (rows 2, 4)"),
    ("sectors", 0, "pollution", "", 2, "pollution", "a value is required"),
]


@pytest.mark.parametrize(
    ("table", "index", "column", "value", "row", "reported", "fragment"),
    CELL_CASES,
    ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CELL_CASES],
)
def test_bad_cell_is_reported_at_its_row_and_column(
    tmp_path, table, index, column, value, row, reported, fragment
):
    errors = _errors(write_workspace(tmp_path, overrides=_with_cell(table, index, column, value)))
    match = [i for i in errors if i.row == row and i.column == reported]
    assert match, errors
    assert match[0].file == f"{table}.csv"
    assert fragment in match[0].message


@pytest.mark.parametrize(
    ("lon", "lat", "fragment"),
    [
        ("10.90", "106.70", "lat/lon look swapped"),
        ("100.50", "13.75", "outside Vietnam"),
        ("106.66", "10.99", "outside its zone Z_THUANAN; it lies in zone Z_TDM"),
        ("106.80", "10.60", "outside its zone Z_THUANAN; it lies in no zone"),
    ],
)
def test_implausible_firm_locations(tmp_path, lon, lat, fragment):
    data = tables()
    data["firms"].loc[0, ["lon", "lat"]] = [lon, lat]
    errors = _errors(write_workspace(tmp_path, overrides=data))
    assert [i.row for i in errors] == [2]
    assert fragment in errors[0].message


def test_site_outside_its_zone_and_station_outside_study_area(tmp_path):
    data = tables()
    data["sites"].loc[0, ["lon", "lat"]] = ["106.70", "10.90"]
    data["stations"].loc[1, ["lon", "lat"]] = ["106.30", "11.60"]
    errors = _errors(write_workspace(tmp_path, overrides=data))
    got = {(i.file, i.row) for i in errors}
    assert got == {("sites.csv", 2), ("stations.csv", 3)}
    station = next(i for i in errors if i.file == "stations.csv")
    assert "km outside the study area" in station.message


def test_station_just_outside_a_zone_is_in_the_study_area(tmp_path):
    data = tables()
    data["stations"].loc[0, ["lon", "lat"]] = ["106.77", "10.91"]  # ~2 km east of Thuận An
    read_workspace(write_workspace(tmp_path, overrides=data))


def test_self_crossing_zone_polygon_is_named(tmp_path):
    zones = zones_gdf()
    bowtie = shapely.Polygon([(106.58, 11.20), (106.68, 11.32), (106.68, 11.20), (106.58, 11.32)])
    zones.loc[2, "geometry"] = bowtie
    errors = _errors(write_workspace(tmp_path, zones=zones))
    zone = [i for i in errors if i.file == "zones.geojson"]
    assert len(zone) == 1 and zone[0].row == 3 and zone[0].column == "geometry"
    assert "Self-intersection" in zone[0].message


def test_origin_zone_with_firms_needs_a_deadline(tmp_path):
    zones = zones_gdf()
    zones.loc[1, "deadline_year"] = pd.NA
    errors = _errors(write_workspace(tmp_path, zones=zones))
    assert [(i.file, i.row, i.column) for i in errors] == [("zones.geojson", 2, "deadline_year")]


def test_deadline_given_by_scenario_override_is_enough(tmp_path):
    zones = zones_gdf()
    zones.loc[1, "deadline_year"] = pd.NA
    scenario = SCENARIO_TOML + "[overrides.zone_deadline]\nZ_TDM = 2029\n"
    read_workspace(write_workspace(tmp_path, zones=zones, scenario=scenario))


def test_zones_as_csv_are_refused(tmp_path):
    root = write_workspace(tmp_path)
    (root / "zones.geojson").unlink()
    zones = pd.DataFrame(zones_gdf().drop(columns="geometry")).astype(str)
    write_csv(root / "zones.csv", zones)
    errors = _errors(root)
    assert any(i.file == "zones.csv" and "polygons" in i.message for i in errors)


@pytest.mark.parametrize(
    ("extra", "column", "fragment"),
    [
        ("[[quota]]\nby_year = 2026\nmin_share = 1.5\n", "quota.1.min_share",
         "less than or equal to 1"),
        ("[[quota]]\nby_year = 2035\n", "quota.1.by_year", "outside the horizon"),
        ("[limits]\nmax_moves_per_year = -1\n", "limits.max_moves_per_year", "greater than"),
        ("[weights]\nrelocaton = 2.0\n", "weights.relocaton", "unknown key"),
        ("[overrides.site_available_from]\nS_NOPE = 2026\n",
         "overrides.site_available_from.S_NOPE", "unknown site id"),
        ("[overrides.zone_deadline]\nZ_NOPE = 2026\n", "overrides.zone_deadline.Z_NOPE",
         "unknown zone id"),
        ('[crs]\ninput = "not a crs"\n', "crs.input", "unknown or invalid CRS"),
    ],
)
def test_scenario_errors_name_the_key_path(tmp_path, extra, column, fragment):
    errors = _errors(write_workspace(tmp_path, scenario=SCENARIO_TOML + extra))
    assert [(i.file, i.column) for i in errors] == [("scenario.toml", column)]
    assert fragment in errors[0].message


def test_malformed_toml_reports_its_line(tmp_path):
    errors = _errors(write_workspace(tmp_path, scenario=SCENARIO_TOML + "[solver\nseed = 1\n"))
    assert [(i.file, i.row) for i in errors] == [("scenario.toml", 9)]
    assert "not valid TOML" in errors[0].message


def test_missing_files_are_each_reported(tmp_path):
    root = write_workspace(tmp_path)
    (root / "sectors.csv").unlink()
    (root / "scenario.toml").unlink()
    errors = _errors(root)
    files = sorted(i.file for i in errors)
    assert files == ["scenario.toml", "sectors.csv"]
    assert "sectors.xlsx" in next(i for i in errors if i.file == "sectors.csv").message


def test_missing_required_column(tmp_path):
    data = tables()
    data["firms"] = data["firms"].drop(columns=["employees"])
    errors = _errors(write_workspace(tmp_path, overrides=data))
    assert [(i.file, i.row, i.column) for i in errors] == [("firms.csv", None, "employees")]


def test_header_only_files(tmp_path):
    data = tables()
    data["stations"] = data["stations"].iloc[0:0]
    read_workspace(write_workspace(tmp_path / "ok", overrides=data))  # stations may be empty
    data["sectors"] = data["sectors"].iloc[0:0]
    errors = _errors(write_workspace(tmp_path / "bad", overrides=data))
    assert any(i.file == "sectors.csv" and "no rows" in i.message for i in errors)


def test_site_without_land_or_phases(tmp_path):
    data = tables()
    data["site_phases"] = data["site_phases"].iloc[0:0]
    errors = _errors(write_workspace(tmp_path, overrides=data))
    assert {(i.row, i.column) for i in errors} == {(2, "free_area_m2"), (2, "available_from")}


def test_truncated_csv(tmp_path):
    root = write_workspace(tmp_path)
    text = (root / "firms.csv").read_bytes()
    (root / "firms.csv").write_bytes(text[: len(text) - 40])
    errors = _errors(root)
    assert len(errors) == 1 and errors[0].row == 5
    assert "truncated" in errors[0].message


def test_unterminated_quote_is_reported_not_raised(tmp_path):
    root = write_workspace(tmp_path)
    with (root / "stations.csv").open("a", encoding="utf-8") as fh:
        fh.write('ST3,"Ga Mỹ Phước,L3,2031,106.6,11.1\n')
    errors = _errors(root)
    assert [i.file for i in errors] == ["stations.csv"]
    assert "malformed CSV" in errors[0].message


@pytest.mark.parametrize(
    ("name", "payload", "fragment"),
    [
        ("firms.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("firms.xlsx", b"PK\x03\x04 truncated workbook", "not a readable .xlsx"),
        ("firms.geojson", b'{"type": "FeatureCollection", "features": [{"type": ', "cannot read"),
    ],
)
def test_corrupt_files_get_a_clear_message(tmp_path, name, payload, fragment):
    root = write_workspace(tmp_path)
    (root / "firms.csv").unlink()
    (root / name).write_bytes(payload)
    errors = _errors(root)
    assert [i.file for i in errors] == [name]
    assert fragment in errors[0].message


def test_pairs_references_and_duplicates(tmp_path):
    root = write_workspace(tmp_path)
    pairs = pd.DataFrame(
        [["0001", "S_BB1", "5000000000", ""], ["0001", "S_BB1", "", "4000"],
         ["0009", "S_BB2", "", ""], ["0002", "S_BB2", "1.5", "-1"]],
        columns=["firm_id", "site_id", "cost_vnd", "required_area_m2"],
    )
    write_csv(root / "pairs.csv", pairs)
    errors = _errors(root)
    got = {(i.row, i.column) for i in errors}
    assert got == {(2, "firm_id, site_id"), (3, "firm_id, site_id"), (4, "firm_id"),
                   (5, "cost_vnd"), (5, "required_area_m2")}


def test_valid_pairs_are_normalised(tmp_path):
    root = write_workspace(tmp_path)
    pairs = pd.DataFrame([["0001", "S_BB1", "5000000000", ""], ["0002", "S_BB1", "", "4000"]],
                         columns=["firm_id", "site_id", "cost_vnd", "required_area_m2"])
    write_csv(root / "pairs.csv", pairs)
    ws = read_workspace(root)
    assert str(ws.pairs["cost_vnd"].dtype) == "Int64"
    assert ws.pairs["cost_vnd"].iloc[0] == 5_000_000_000 and pd.isna(ws.pairs["cost_vnd"][1])
    assert pd.isna(ws.pairs["required_area_m2"][0]) and ws.pairs["required_area_m2"][1] == 4000


def test_warnings_do_not_stop_the_read(tmp_path):
    data = tables()
    data["firms"].loc[0, "land_area_m2"] = "600000"  # 60 ha: possible, unusual
    data["firms"].loc[1, "employees"] = "25000"
    data["firms"].loc[3, "earliest_year"] = "2031"
    data["firms"]["spelling_mistake"] = ""
    ws = read_workspace(write_workspace(tmp_path, overrides=data))
    got = {(w.row, w.column) for w in ws.warnings}
    assert {(2, "land_area_m2"), (3, "employees"), (5, "earliest_year"),
            (None, "spelling_mistake")} <= got
    # 60 ha of mandatory demand against 9 ha of land: a hint, not an error.
    assert any("a plan may be infeasible" in w.message for w in ws.warnings)
    assert all(w.severity == "warning" for w in ws.warnings)


def test_row_limit_is_enforced(tmp_path, monkeypatch):
    monkeypatch.setitem(T.MAX_ROWS, "sites", 1)
    errors = _errors(write_workspace(tmp_path))
    assert any(i.file == "sites.csv" and "at most 1 sites rows" in i.message for i in errors)


def test_file_size_limit_is_enforced(tmp_path, monkeypatch):
    monkeypatch.setattr(T, "MAX_FILE_BYTES", 100)
    errors = _errors(write_workspace(tmp_path))
    assert any(i.file == "firms.csv" and "the limit is" in i.message for i in errors)


def test_geojson_features_are_numbered(tmp_path):
    root = write_workspace(tmp_path, "geojson")
    sites = gpd.read_file(root / "sites.geojson")
    sites.loc[1, "geometry"] = shapely.box(106.6, 11.2, 106.61, 11.21)
    sites.to_file(root / "sites.geojson")
    errors = _errors(root)
    assert [(i.file, i.row, i.column) for i in errors] == [("sites.geojson", 2, "geometry")]
    assert "expected Point" in errors[0].message


def test_swapped_projected_coordinates_are_named(tmp_path):
    from pyproj import Transformer

    data = tables()
    to_vn = Transformer.from_crs(4326, 9210, always_xy=True)
    for name in ("firms", "sites", "stations"):
        frame = data[name]
        x, y = to_vn.transform(frame["lon"].astype(float), frame["lat"].astype(float))
        frame = frame.drop(columns=["lon", "lat"])
        frame["x"], frame["y"] = [f"{v:.2f}" for v in x], [f"{v:.2f}" for v in y]
        data[name] = frame
    data["firms"].loc[0, ["x", "y"]] = data["firms"].loc[0, ["y", "x"]].to_numpy()
    scenario = SCENARIO_TOML + '[crs]\ninput = "EPSG:9210"\n'
    errors = _errors(write_workspace(tmp_path, overrides=data, scenario=scenario))
    assert [(i.file, i.row, i.column) for i in errors] == [("firms.csv", 2, "x/y")]
    assert "y/x look swapped" in errors[0].message


def test_site_with_zero_free_land_is_a_warning(tmp_path):
    ws = read_workspace(write_workspace(tmp_path, overrides=_with_cell("sites", 1, "free_area_m2",
                                                                       "0")))
    assert [(w.file, w.row, w.column) for w in ws.warnings] == [("sites.csv", 3, "free_area_m2")]
