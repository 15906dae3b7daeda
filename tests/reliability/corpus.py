"""Broken (and a few valid) workspaces built in code, and a helper to run the CLI on them.

Every case starts from the small Bình Dương workspace of ``tests/helpers_workspace.py`` and
breaks one thing. Nothing binary is checked in: truncated workbooks, random bytes and
half GeoJSON files are produced here from real files.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import shapely
from cli_runner import run_cli  # noqa: F401 - re-exported for the corpus tests
from helpers_workspace import (
    SCENARIO_TOML,
    tables,
    write_csv,
    write_workspace,
    write_xlsx,
    zones_gdf,
)

REPO = Path(__file__).resolve().parents[2]


def base_tables() -> dict[str, pd.DataFrame]:
    """The helper tables, with firm 0003 moved before the horizon to a site open in 2024.

    (The helper's own choice, a site that opens in 2025, trips ``check_plan``: see the
    report of issue 6.)
    """
    data = tables()
    data["firms"].loc[2, "moved_site_id"] = "S_BB1"
    return data


def write_base(root: Path, data: dict[str, pd.DataFrame] | None = None,
               scenario: str = SCENARIO_TOML) -> Path:
    """Write the valid base workspace (optionally with changed tables) and return it."""
    return write_workspace(root, overrides=data or base_tables(), scenario=scenario)


@dataclass(frozen=True)
class Case:
    """One broken workspace.

    Attributes
    ----------
    id : str
        Test id.
    build : callable
        Writes the workspace into the folder it is given.
    expect : tuple of str
        Fragments the CLI's stderr must contain (file, ``row N``, ``column C``, reason); for
        a valid case, the warnings ``relocation validate`` must print.
    args : tuple of str
        Extra ``relocation plan`` arguments.
    """

    id: str
    build: Callable[[Path], object]
    expect: tuple[str, ...]
    args: tuple[str, ...] = field(default=())


def _cell(table: str, index: int, column: str, value: str) -> Callable[[Path], object]:
    def build(root: Path) -> object:
        data = base_tables()
        data[table].loc[index, column] = value
        return write_base(root, data)

    return build


def _drop_column(table: str, column: str) -> Callable[[Path], object]:
    def build(root: Path) -> object:
        data = base_tables()
        data[table] = data[table].drop(columns=column)
        return write_base(root, data)

    return build


def _file(name: str, content: bytes | Callable[[bytes], bytes] | None) -> Callable[[Path], object]:
    """Replace (bytes), transform (callable on the current bytes) or delete (None) a file."""

    def build(root: Path) -> object:
        write_base(root)
        path = root / name
        if content is None:
            path.unlink()
        elif callable(content):
            path.write_bytes(content(path.read_bytes()))
        else:
            path.write_bytes(content)
        return root

    return build


def _scenario(extra: str, base: str = SCENARIO_TOML) -> Callable[[Path], object]:
    def build(root: Path) -> object:
        return write_base(root, scenario=base + extra)

    return build


def _zone_geometry(index: int, geom: shapely.Geometry) -> Callable[[Path], object]:
    def build(root: Path) -> object:
        zones = zones_gdf()
        zones.loc[index, "geometry"] = geom
        return write_workspace(root, overrides=base_tables(), zones=zones)

    return build


def _firms_xlsx(mutate: Callable[[Path], None] | None = None,
                cell: tuple[int, str, str] | None = None) -> Callable[[Path], object]:
    def build(root: Path) -> object:
        data = base_tables()
        if cell is not None:
            data["firms"].loc[cell[0], cell[1]] = cell[2]
        write_base(root, data)
        (root / "firms.csv").unlink()
        write_xlsx(root / "firms.xlsx", data["firms"])
        if mutate is not None:
            mutate(root / "firms.xlsx")
        return root

    return build


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _latin1_firms(root: Path) -> object:
    write_base(root)
    frame = base_tables()["firms"]
    # Western European text without one Vietnamese letter: not UTF-8, not Windows-1258.
    frame["name"] = ["Café Müller", "Bäckerei Größe", "Société Générale", "Façade Noël"]
    write_csv(root / "firms.csv", frame, encoding="latin-1")
    return root


def _utf16_firms(root: Path) -> object:
    write_base(root)
    write_csv(root / "firms.csv", base_tables()["firms"], encoding="utf-16")
    return root


def _extra_xlsx(root: Path) -> object:
    write_base(root)
    write_xlsx(root / "firms.xlsx", base_tables()["firms"])
    return root


def _header_only(table: str) -> Callable[[Path], object]:
    def build(root: Path) -> object:
        data = base_tables()
        data[table] = data[table].iloc[0:0]
        return write_base(root, data)

    return build


def _swap_lonlat(root: Path) -> object:
    data = base_tables()
    firms = data["firms"]
    firms.loc[0, ["lon", "lat"]] = [firms.loc[0, "lat"], firms.loc[0, "lon"]]
    return write_base(root, data)


def _truncate_xlsx(path: Path) -> None:
    path.write_bytes(_half(path.read_bytes()))


BOWTIE = shapely.Polygon([(106.58, 11.20), (106.68, 11.32), (106.68, 11.20), (106.58, 11.32)])
RANDOM_BYTES = random.Random(6).randbytes(4096)

BAD_CASES: list[Case] = [
    Case("missing_firms_file", _file("firms.csv", None),
         ("firms.csv", "required table 'firms' is missing")),
    Case("missing_scenario", _file("scenario.toml", None),
         ("scenario.toml", "missing")),
    Case("missing_required_column", _drop_column("firms", "employees"),
         ("firms.csv, column employees", "missing required column")),
    Case("text_in_number_column", _cell("firms", 1, "land_area_m2", "năm nghìn"),
         ("firms.csv, row 3, column land_area_m2", "not a number")),
    Case("fractional_year", _cell("sites", 1, "available_from", "2025.5"),
         ("sites.csv, row 3, column available_from", "not a whole year")),
    Case("empty_file", _file("sectors.csv", b""),
         ("sectors.csv", "the file is empty")),
    Case("header_only_required_table", _header_only("sites"),
         ("sites.csv", "no rows")),
    Case("duplicate_id", _cell("firms", 1, "firm_id", "0001"),
         ("firms.csv, row 2, column firm_id", "firms.csv, row 3, column firm_id",
          "duplicate firm_id")),
    Case("dangling_zone", _cell("firms", 0, "zone_id", "Z_NOWHERE"),
         ("firms.csv, row 2, column zone_id", "unknown zone: Z_NOWHERE")),
    Case("dangling_phase_site", _cell("site_phases", 1, "site_id", "S_GONE"),
         ("site_phases.csv, row 3, column site_id", "unknown site: S_GONE")),
    Case("negative_area", _cell("firms", 2, "land_area_m2", "-800"),
         ("firms.csv, row 4, column land_area_m2", "must be > 0")),
    Case("negative_free_land", _cell("sites", 1, "free_area_m2", "-40000"),
         ("sites.csv, row 3, column free_area_m2", "must be ≥ 0")),
    Case("infinite_number", _cell("firms", 0, "land_area_m2", "1e309"),
         ("firms.csv, row 2, column land_area_m2", "too large")),
    Case("integer_overflow", _cell("firms", 0, "employees", "99999999999999999999"),
         ("firms.csv, row 2, column employees", "too large")),
    Case("missing_number", _cell("firms", 1, "employees", ""),
         ("firms.csv, row 3, column employees", "is required")),
    Case("swapped_lat_lon", _swap_lonlat,
         ("firms.csv, row 2, column lon/lat", "look swapped")),
    Case("station_far_outside_study_area", _cell("stations", 0, "lat", "21.03"),
         ("stations.csv, row 2, column lon/lat", "outside the study area")),
    Case("site_outside_vietnam", _cell("sites", 0, "lon", "2.35"),
         ("sites.csv, row 2, column lon/lat", "outside Vietnam")),
    Case("self_crossing_polygon", _zone_geometry(2, BOWTIE),
         ("zones.geojson, feature 3, column geometry", "invalid polygon")),
    Case("zone_is_a_point", _zone_geometry(0, shapely.Point(106.70, 10.90)),
         ("zones.geojson, feature 1, column geometry", "expected a Polygon or MultiPolygon")),
    Case("unknown_crs", _scenario('[crs]\ninput = "EPSG:999999"\n'),
         ("scenario.toml, column crs.input", "unknown or invalid CRS")),
    Case("legacy_code_page_not_vietnamese", _latin1_firms,
         ("firms.csv", "not valid UTF-8", "Windows-1258")),
    Case("utf16_file", _utf16_firms, ("firms.csv", "NUL bytes")),
    Case("truncated_xlsx", _firms_xlsx(_truncate_xlsx),
         ("firms.xlsx", "not a readable .xlsx workbook")),
    Case("xlsx_bad_cell", _firms_xlsx(cell=(1, "employees", "sáu mươi")),
         ("firms.xlsx, row 3, column employees", "not a whole number")),
    Case("random_bytes_as_csv", _file("firms.csv", RANDOM_BYTES), ("firms.csv",)),
    Case("geojson_cut_in_half", _file("zones.geojson", _half),
         ("zones.geojson", "cannot read the file")),
    Case("random_bytes_as_geopackage", _file("workspace.gpkg", RANDOM_BYTES),
         ("workspace.gpkg", "cannot read the GeoPackage")),
    Case("two_files_for_one_table", _extra_xlsx,
         ("two files for table 'firms'", "firms.csv and firms.xlsx")),
    Case("csv_row_too_long",
         _file("stations.csv", lambda b: b + b"ST3,Ga X,L1,2030,106.7,10.9,9\n"),
         ("stations.csv, row 4", "the row has 7 fields but the header has 6")),
    Case("malformed_toml", _scenario("[limits\nmax_moves_per_year = 5\n"),
         ("scenario.toml, line 9", "not valid TOML")),
    Case("share_above_one", _scenario("", SCENARIO_TOML.replace("max_share = 0.75",
                                                                "max_share = 1.5")),
         ("scenario.toml, column quota.0.max_share", "less than or equal to 1")),
    Case("negative_share", _scenario("", SCENARIO_TOML.replace("min_share = 0.25",
                                                               "min_share = -0.1")),
         ("scenario.toml, column quota.0.min_share", "greater than or equal to 0")),
    Case("min_share_above_max", _scenario("", SCENARIO_TOML.replace("min_share = 0.25",
                                                                    "min_share = 0.9")),
         ("scenario.toml, column quota.0", "above max_share")),
    Case("quota_year_outside_horizon", _scenario("", SCENARIO_TOML.replace("by_year = 2025",
                                                                           "by_year = 2040")),
         ("scenario.toml, column quota.0.by_year", "outside the horizon")),
    Case("horizon_end_before_start", _scenario("", SCENARIO_TOML.replace("end = 2030",
                                                                         "end = 2020")),
         ("scenario.toml, column horizon", "before start")),
    Case("unknown_scenario_key", _scenario("[solver]\ntime_limt_s = 5\n"),
         ("scenario.toml, column solver.time_limt_s", "unknown key")),
    Case("negative_time_limit", _scenario("[solver]\ntime_limit_s = -5\n"),
         ("scenario.toml, column solver.time_limit_s", "greater than 0")),
    Case("override_unknown_site", _scenario("[overrides.site_available_from]\nS_NOPE = 2026\n"),
         ("scenario.toml, column overrides.site_available_from.S_NOPE", "unknown site id")),
    Case("set_unknown_key", write_base, ("--set solver.time_limt_s", "unknown key"),
         ("--set", "solver.time_limt_s=5")),
    Case("set_bad_value", write_base, ("--set limits.max_moves_per_year", "valid integer"),
         ("--set", "limits.max_moves_per_year=many")),
    Case("set_missing_quota_window", write_base, ("--set quota.3.min_share", "no such list item"),
         ("--set", "quota.3.min_share=0.5")),
    Case("set_quota_share_above_one", write_base, ("--set quota.0.min_share", "less than or equal"),
         ("--set", "quota.0.min_share=2")),
    Case("set_without_equals", write_base, ("--set", "expected key=value"),
         ("--set", "solver.seed")),
    Case("negative_time_limit_option", write_base, ("--time-limit", "greater than 0"),
         ("--time-limit", "-1")),
]


def _bom(root: Path) -> object:
    write_base(root)
    path = root / "firms.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return root


def cp1258_bytes(text: str) -> bytes:
    """Encode Vietnamese text as Windows-1258 does: base letter (ă â ê ô ơ ư đ) + tone mark.

    Python's cp1258 codec has no precomposed toned letters, so each letter is decomposed,
    its vowel quality recomposed, and the tone kept as a combining mark.
    """
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    groups: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and groups:
            groups[-1].append(ch)
        else:
            groups.append([ch])
    out = []
    for base, *marks in groups:
        quality = "".join(m for m in marks if m not in tones)
        out.append(unicodedata.normalize("NFC", base + quality))
        out.extend(m for m in marks if m in tones)
    return "".join(out).encode("cp1258")


def _cp1258_firms(root: Path) -> object:
    write_base(root)
    frame = base_tables()["firms"]
    lines = [",".join(frame.columns)] + [",".join(r) for r in frame.astype(str).values.tolist()]
    (root / "firms.csv").write_bytes(cp1258_bytes("\r\n".join(lines) + "\r\n"))
    return root


#: Valid workspaces that look unusual: they plan (exit 0).
VALID_CASES: list[Case] = [
    Case("utf8_bom_as_excel_writes", _bom, ()),
    Case("windows_1258_vietnamese", _cp1258_firms, ("read as Windows-1258",)),
]
