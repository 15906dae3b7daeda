"""The run folder's workbook, GeoPackage and charts page, opened as their users open them.

One real plan of the small test workspace (real solver, real files); the workbook is read
back with openpyxl, the GeoPackage with sqlite3, pyogrio and (when installed) GDAL's own
``ogrinfo``, the charts page parsed as HTML.
"""

from __future__ import annotations

import math
import shutil
import sqlite3
import subprocess
import xml.dom.minidom
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pyogrio
import pytest
from helpers_workspace import write_workspace

from geodata.outputs import GPKG_VERSION, summary_rows, workbook_sheets, write_schedule_xlsx
from geodata.styles import layer_qml
from maps.offline import check_offline
from relocation.domain.labels import COLUMNS, TERMS
from relocation.domain.palettes import CLASS_COLOURS, year_colours
from relocation.workflow import PlanOptions, plan_workspace

YEARS = list(range(2024, 2031))  # the test workspace's horizon


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("outputs")
    ws = write_workspace(root / "ws")
    out = root / "run"
    plan_workspace(ws, out, PlanOptions(time_limit_s=20, workers=1, render_map=False))
    return out


# ---------------------------------------------------------------- workbook


def _headers(sheet):
    vi = [c.value for c in sheet[1]]
    en = [c.value for c in sheet[2]]
    return list(zip(vi, en, strict=True))


def test_every_sheet_has_two_header_rows_from_the_label_table(run):
    wb = openpyxl.load_workbook(run / "schedule.xlsx")
    pairs = set(COLUMNS.values())
    for sheet in wb.worksheets:
        heads = _headers(sheet)
        assert heads, sheet.title
        for vi, en in heads:
            assert (vi, en) in pairs, f"{sheet.title}: header {vi!r} / {en!r} not in the table"
        assert sheet.freeze_panes == "A3"
    summary = wb["Tổng hợp - Summary"]
    assert _headers(summary) == [COLUMNS["item_vi"], COLUMNS["item_en"], COLUMNS["value"]]
    # Cumulative sheets say "as of the end of year", never "move year".
    for name in ("Quỹ đất KCN - Site load", "Đất giải phóng - Freed land"):
        heads = _headers(wb[name])
        assert COLUMNS["end_of_year"] in heads and COLUMNS["year"] not in heads, name
    freed = _headers(wb["Đất giải phóng - Freed land"])
    assert ("Đất đã giải phóng (ha)", "Land freed (ha)") in freed
    assert COLUMNS["social_housing_ha"] in freed


def test_one_sheet_per_horizon_year_including_years_without_moves(run):
    wb = openpyxl.load_workbook(run / "schedule.xlsx")
    sched = pd.read_csv(run / "schedule.csv", encoding="utf-8-sig", dtype={"firm_id": str})
    year_sheets = [s for s in wb.sheetnames if s.isdigit()]
    assert year_sheets == [str(y) for y in YEARS]
    empty = [y for y in YEARS if y not in set(sched["year"])]
    assert empty, "the test plan should leave some horizon year without moves"
    for y in YEARS:
        rows = wb[str(y)].max_row - 2
        assert rows == int((sched["year"] == y).sum()), y


def test_numbers_are_numbers_stored_exactly_with_display_formats(run):
    wb = openpyxl.load_workbook(run / "schedule.xlsx")
    sched = pd.read_csv(run / "schedule.csv", encoding="utf-8-sig", dtype={"firm_id": str})
    first = str(int(sched["year"].min()))
    sh = wb[first]
    cols = [c for c, _ in zip(sched.columns, sh[1], strict=True)]
    row3 = dict(zip(cols, sh[3], strict=True))
    assert row3["firm_id"].data_type == "s" and row3["firm_id"].number_format == "@"
    for col in ("year", "rent_vnd", "total_vnd", "distance_km", "employees", "area_m2"):
        assert row3[col].data_type == "n", col
    assert row3["rent_vnd"].number_format == "#,##0"
    assert row3["distance_km"].number_format == "#,##0.0"
    # Hectares: exact in the cell, rounded only by the format.
    freed = wb["Đất giải phóng - Freed land"]
    heads = [c.value for c in freed[2]]
    j = heads.index("Land freed (ha)")
    cells = [r[j] for r in freed.iter_rows(min_row=3)]
    assert all(c.data_type == "n" and c.number_format == "#,##0.00" for c in cells)
    # The last year's rows add up to the ledger's land freed by then, to the m² (no rounding).
    ledger = pd.read_csv(run / "freed_land.csv", encoding="utf-8-sig")
    year_col = heads.index("As of the end of year")
    rows = [r for r in freed.iter_rows(min_row=3) if r[year_col].value == YEARS[-1]]
    csv_ha = ledger.loc[ledger["move_year"] <= YEARS[-1], "area_m2"].sum() / 1e4
    assert math.isclose(sum(r[j].value for r in rows), csv_ha, rel_tol=1e-9)


def test_summary_gap_and_shares_are_percent_numbers_with_correct_terms(run):
    wb = openpyxl.load_workbook(run / "schedule.xlsx")
    rows = {r[1].value: r for r in wb["Tổng hợp - Summary"].iter_rows(min_row=3)}
    gap = rows["Optimality gap"]
    assert gap[0].value == TERMS["gap"][0] == "Sai số tối ưu (gap)"
    assert "Khoảng cách" not in gap[0].value  # that word is a distance
    assert gap[2].data_type == "n" and gap[2].number_format == "0.00%"
    share = rows["Share moved by 2025"][2]
    assert share.data_type == "n" and 0 <= share.value <= 1 and share.number_format == "0.0%"
    assert rows["Minimum share by 2025"][2].value == 0.25
    assert rows["Maximum share by 2025"][2].value == 0.75
    # Every horizon year has its count of moves, 0 included.
    for y in YEARS:
        assert rows[f"Moves in {y}"][2].data_type == "n", y
    texts = [r[2].value for r in rows.values() if r[2].data_type == "s"]
    assert not any(isinstance(t, str) and t.endswith("%") for t in texts)


def test_writer_leaves_missing_values_blank_and_ids_as_text(tmp_path):
    schedule = pd.DataFrame(
        {"firm_id": ["007"], "year": [2025], "rent_vnd": [1.5e9], "distance_km": [float("nan")]}
    )
    load = pd.DataFrame(
        {
            "site_id": ["S1"],
            "site_name": ["=HYPERLINK(1)"],
            "year": [2025],
            "released_m2": [10_000.5],
            "used_m2": [0.0],
            "free_m2": [10_000.5],
        }
    )
    summary = {
        "status": "OPTIMAL",
        "weighted_objective": 1.0,
        "best_bound": None,
        "gap": None,
        "firms": {"slated": 1, "moved_before": 0, "planned": 1},
        "quota": [],
        "moves_per_year": {"2025": 1},
        "terms": {},
    }
    path = tmp_path / "w.xlsx"
    write_schedule_xlsx(
        path, schedule, summary_rows(summary, "s", [2025, 2026]), workbook_sheets(load, None),
        years=[2025, 2026],
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tổng hợp - Summary", "2025", "2026", "Quỹ đất KCN - Site load"]
    assert wb["2025"]["A3"].value == "007" and wb["2025"]["D3"].value is None
    assert wb["2026"].max_row == 2
    site = wb["Quỹ đất KCN - Site load"]
    assert site["B3"].data_type == "s" and site["B3"].value == "=HYPERLINK(1)"
    assert site["D3"].value == 10_000.5
    rows = {r[1].value: r[2] for r in wb["Tổng hợp - Summary"].iter_rows(min_row=3)}
    assert rows["Optimality gap"].value is None and rows["Best bound (VND)"].value is None
    assert rows["Moves in 2026"].value == 0


# ---------------------------------------------------------------- GeoPackage


def test_geopackage_version_opens_in_gdal_3_6(run):
    gpkg = run / "plan.gpkg"
    con = sqlite3.connect(gpkg)
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        user_version = con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()
    assert app_id == 0x47504B47  # "GPKG"
    major, minor = (int(p) for p in GPKG_VERSION.split("."))
    assert user_version == 10000 + 100 * minor and major == 1
    assert user_version <= 10300  # GDAL 3.6 (QGIS 3.22, Debian 12) warns above 1.3
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo:  # Debian's GDAL, when installed: the warning QGIS users saw
        res = subprocess.run(
            [ogrinfo, "-ro", "-q", str(gpkg)], capture_output=True, text=True, check=False
        )
        assert res.returncode == 0, res.stderr
        assert "partially supported" not in res.stderr + res.stdout


def test_geopackage_layer_styles_match_the_map(run):
    gpkg = run / "plan.gpkg"
    spatial = [n for n, g in pyogrio.list_layers(gpkg) if g is not None]
    assert {"firms", "sites", "moves", "freed_land", "zones", "stations"} <= set(spatial)
    info = pyogrio.read_info(gpkg, layer="layer_styles")
    assert info["geometry_type"] is None and info["features"] == len(spatial)
    con = sqlite3.connect(gpkg)
    try:
        rows = con.execute(
            "SELECT f_table_name, f_geometry_column, styleName, styleQML, useAsDefault "
            "FROM layer_styles"
        ).fetchall()
        geom = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        registered = con.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"
        ).fetchone()
    finally:
        con.close()
    assert registered == ("attributes",)
    styles = {r[0]: r for r in rows}
    assert set(styles) == set(spatial)
    for name, (_, gcol, style_name, qml, default) in styles.items():
        assert gcol == geom[name] and style_name == name and default == 1
        doc = xml.dom.minidom.parseString(qml.split("'SYSTEM'>", 1)[1])
        assert doc.getElementsByTagName("renderer-v2"), name

    def rgb(hex_colour):
        h = hex_colour.lstrip("#")
        return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},"

    freed = styles["freed_land"][3]
    for cls, colour in CLASS_COLOURS.items():
        assert f'value="{cls}"' in freed and rgb(colour) in freed
    firms = styles["firms"][3]
    for y, colour in year_colours(YEARS).items():
        assert f'value="{y}"' in firms and rgb(colour) in firms
    assert layer_qml(YEARS)["freed_land"] == freed


def test_geopackage_has_no_infinite_values(run):
    gpkg = run / "plan.gpkg"
    for name in [n for n, g in pyogrio.list_layers(gpkg) if g is not None]:
        df = pyogrio.read_dataframe(gpkg, layer=name, read_geometry=False)
        for col in df.select_dtypes("number").columns:
            assert not df[col].isin([math.inf, -math.inf]).any(), (name, col)
    sites = pyogrio.read_dataframe(gpkg, layer="sites", read_geometry=False)
    assert sites["max_firm_area_m2"].isna().any()  # "no limit" is NULL, not inf
    firms = pyogrio.read_dataframe(gpkg, layer="firms", read_geometry=False)
    assert firms["sector_vi"].notna().all() and firms["sector_en"].notna().all()


# ---------------------------------------------------------------- charts page


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.ids += [v for k, v in attrs if k == "id"]


def test_charts_page_is_offline_and_complete(run):
    html = (run / "charts.html").read_text(encoding="utf-8")
    check_offline(html)
    p = _Tags()
    p.feed(html)
    assert "script" not in p.tags and "svg" in p.tags
    assert {"moves", "sites", "freed"} <= set(p.ids)
    sched = pd.read_csv(run / "schedule.csv", encoding="utf-8-sig", dtype={"firm_id": str})
    for y in YEARS:
        assert f">{y}</text>" in html, y  # every horizon year, years without moves too
    for name in pd.read_csv(run / "site_load.csv", encoding="utf-8-sig")["site_name"].unique():
        assert name in html
    # Each move year's total is drawn (the "Tổng" row's bar tooltips).
    for y, n in sched.groupby("year").size().items():
        assert f"<title>Tổng {y}: {n}</title>" in html, y
