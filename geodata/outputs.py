"""Run folders: schedule (CSV, XLSX), site load, summary, GeoPackage layers.

A run folder is written into a hidden staging folder beside its destination and renamed
into place when complete, so it appears whole or not at all; an existing folder is only
replaced with ``force`` (and the old one is kept until the new one is in place).
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import to_output_crs
from geodata.styles import layer_qml, write_layer_styles
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.labels import COLUMNS, TERMS, label
from relocation.domain.land_ledger import summary_rows as freed_land_rows

if TYPE_CHECKING:
    from geodata.workspace import Workspace

log = logging.getLogger(__name__)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: GeoPackage version written: GDAL 3.6 / QGIS 3.22 (Debian 12) know 1.0–1.3 and warn that a
#: 1.4 file "may only be partially supported" (checked with Debian 12 ogrinfo, GDAL 3.6.2).
GPKG_VERSION = "1.2"


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet (no formula): prefix ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _neutral_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_destination(out: Path, force: bool) -> None:
    """Refuse an output path that cannot safely become the run folder (exit 2, nothing touched).

    An existing folder is replaced only with ``force``, and only if it is empty or a previous
    run folder (it holds ``summary.json``): ``--force`` must never delete a workspace, a home
    folder or the current folder because of a mistyped ``--out``.
    """
    out = Path(out)

    def refuse(message: str, summary: str = "bad output path") -> None:
        raise InputError([InputIssue(str(out), None, None, None, message)], summary=summary)

    if not out.exists():
        if out.is_symlink():
            refuse("is a dangling symbolic link; remove it or choose another --out")
        return
    if not out.is_dir():
        refuse("exists and is not a folder; choose another --out")
    if not force:
        refuse("the output folder exists; pass --force to replace it", "refusing to overwrite")
    resolved = out.resolve()
    cwd = Path.cwd().resolve()
    if resolved in {Path(resolved.anchor), Path.home().resolve(), cwd} or resolved in cwd.parents:
        refuse(
            "refusing to replace this folder (the root, home, the current folder or one of "
            "its parents)"
        )
    if any(resolved.iterdir()) and not (resolved / "summary.json").is_file():
        refuse(
            "the folder is not a run folder (it has no summary.json); --force only replaces "
            "a previous run's folder"
        )


@contextmanager
def staged_folder(out: Path, force: bool) -> Iterator[Path]:
    """Yield a staging folder; on success rename it to ``out`` (replacing it if ``force``)."""
    # Absolute and without "..", so that the staging folder is a true sibling named after it.
    out = Path(os.path.abspath(out))
    check_destination(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; a run folder is not
    try:
        yield staging
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.replace(out, old)
            os.replace(staging, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """CSV for Excel and QGIS: UTF-8 with BOM, text cells neutralised against formulas."""
    tmp = path.with_name(path.name + ".tmp")
    _neutral_frame(df).to_csv(tmp, index=False, encoding="utf-8-sig")
    os.replace(tmp, path)


def _json_default(o: Any) -> Any:
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return None if math.isnan(o) else float(o)
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, Mapping):
        return dict(o)
    raise TypeError(f"not JSON serialisable: {type(o)}")


def write_json(data: Mapping[str, Any], path: Path) -> None:
    """Write JSON (UTF-8, diacritics kept) atomically."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, default=_json_default), encoding="utf-8"
    )
    os.replace(tmp, path)


def write_text(text: str, path: Path) -> None:
    """Write a UTF-8 text file atomically."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


#: A summary row: (Vietnamese item, English item, value) or with a format key of
#: :data:`NUMBER_FORMATS` as a fourth element (default: by the value's type).
SummaryRow = tuple[str, str, Any] | tuple[str, str, Any, str]

#: Display formats; the cells store the exact numbers, only their display is rounded.
NUMBER_FORMATS = {
    "vnd": "#,##0",
    "m2": "#,##0",
    "ha": "#,##0.00",
    "km": "#,##0.0",
    "count": "#,##0",
    "year": "0",
    "percent": "0.0%",
    "gap": "0.00%",
    "number": "#,##0.###",
}


def _column_format(col: str) -> str:
    if col.endswith("_vnd"):
        return "vnd"
    if col.endswith("_m2"):
        return "m2"
    if col.endswith("_ha"):
        return "ha"
    if col.endswith("_km"):
        return "km"
    if col in ("year", "end_of_year") or col.endswith("_year"):
        return "year"
    if col.startswith("share") or col.endswith("_share"):
        return "percent"
    if col in ("employees", "moves", "social_housing_units"):
        return "count"
    return "number"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def write_schedule_xlsx(
    path: Path,
    schedule: pd.DataFrame,
    summary_rows: list[SummaryRow],
    extra_sheets: Mapping[str, pd.DataFrame] | None = None,
    years: Sequence[int] | None = None,
) -> None:
    """The planners' workbook: a summary sheet, one sheet per year, then ``extra_sheets``.

    Every sheet has two header rows, Vietnamese over English, from
    ``relocation.domain.labels.COLUMNS``. Numbers are stored exactly and shown rounded
    (:data:`NUMBER_FORMATS`: VND and m² whole, hectares to 0.01, shares and the gap as
    percentages); ids and names are text; no cell becomes a formula.

    Parameters
    ----------
    path : pathlib.Path
        The ``.xlsx`` file (written to a temporary file, then renamed).
    schedule : pandas.DataFrame
        The moves, with a ``year`` column.
    summary_rows : list
        :data:`SummaryRow` tuples.
    extra_sheets : Mapping, optional
        Sheet name → table, written after the year sheets.
    years : Sequence[int], optional
        The horizon: one sheet per year, years without moves included. Default: the
        schedule's years.
    """
    tmp = path.with_name(path.name + ".tmp.xlsx")
    unknown = sorted(
        {
            c
            for df in [schedule, *(extra_sheets or {}).values()]
            for c in df.columns
            if c not in COLUMNS
        }
    )
    if unknown:
        log.warning("workbook columns without a label: %s", ", ".join(unknown))
    with pd.ExcelWriter(
        tmp,
        engine="xlsxwriter",
        engine_kwargs={
            "options": {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            }
        },
    ) as xw:
        wb = xw.book
        head = wb.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF4"}
        )
        sub = wb.add_format(
            {"italic": True, "text_wrap": True, "font_color": "#555555", "bg_color": "#E8EEF4"}
        )
        fmt = {k: wb.add_format({"num_format": v}) for k, v in NUMBER_FORMATS.items()}
        text = wb.add_format({"num_format": "@"})

        def headers(sh: Any, cols: Sequence[str]) -> None:
            for j, col in enumerate(cols):
                sh.write_string(0, j, label(col, "vi"), head)
                sh.write_string(1, j, label(col, "en"), sub)
            sh.freeze_panes(2, 0)

        ws = wb.add_worksheet("Tổng hợp - Summary")
        headers(ws, ("item_vi", "item_en", "value"))
        for i, row in enumerate(summary_rows, start=2):
            vi, en, val = row[0], row[1], row[2]
            ws.write_string(i, 0, vi)
            ws.write_string(i, 1, en)
            if val is None or (isinstance(val, float) and math.isnan(val)):
                ws.write_blank(i, 2, None)
            elif _is_number(val):
                key = row[3] if len(row) > 3 else ("vnd" if abs(float(val)) >= 1000 else "number")
                ws.write_number(i, 2, float(val), fmt[key])
            else:
                ws.write_string(i, 2, str(val))
        ws.set_column(0, 1, 44)
        ws.set_column(2, 2, 24)

        def sheet(name: str, df: pd.DataFrame) -> None:
            sh = wb.add_worksheet(name[:31])
            headers(sh, list(df.columns))
            for j, col in enumerate(df.columns):
                values = df[col].tolist()
                is_text = df[col].dtype == object or pd.api.types.is_string_dtype(df[col])
                cf = fmt[_column_format(col)]
                for i, v in enumerate(values, start=2):
                    if is_text or col.endswith("_id") or col.endswith("name"):
                        if (v is None or v is pd.NA or v == ""
                                or (isinstance(v, float) and math.isnan(v))):
                            sh.write_blank(i, j, None)  # an empty text is an empty cell
                        else:
                            sh.write_string(i, j, str(v), text)
                    elif v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                        sh.write_blank(i, j, None)
                    else:
                        sh.write_number(i, j, float(v), cf)
                sh.set_column(j, j, 30 if col.endswith("name") else 16)
            if len(df):
                sh.autofilter(1, 0, 1 + len(df), max(0, len(df.columns) - 1))

        sheet_years = (
            [int(y) for y in years]
            if years is not None
            else sorted(int(y) for y in schedule["year"].unique())
        )
        for year in sheet_years:
            part = schedule[schedule["year"] == year].reset_index(drop=True)
            sheet(f"{year}", part)
        for name, df in (extra_sheets or {}).items():
            sheet(name, df)
    os.replace(tmp, path)


def summary_rows(
    summary: Mapping[str, Any], scenario_name: str, years: Sequence[int]
) -> list[SummaryRow]:
    """Rows of the workbook's summary sheet from a run's ``summary.json`` content.

    Numbers stay numbers: the gap and the shares are fractions shown as percentages, the
    required share window is two rows of its own, and every year of the horizon has its
    count of moves (0 included).

    Parameters
    ----------
    summary : Mapping
        As written to ``summary.json`` (``status``, ``weighted_objective``, ``best_bound``,
        ``gap``, ``firms``, ``quota``, ``moves_per_year``, ``terms``, ``freed_land``).
    scenario_name : str
        The scenario's name.
    years : Sequence[int]
        The planning horizon.

    Returns
    -------
    list
        :data:`SummaryRow` tuples.
    """
    rows: list[SummaryRow] = [
        ("Kịch bản", "Scenario", scenario_name),
        ("Trạng thái lời giải", "Solver status", summary["status"]),
        ("Hàm mục tiêu (VND)", "Objective (VND)", summary.get("weighted_objective"), "vnd"),
        (*TERMS["best_bound"], summary.get("best_bound"), "vnd"),
        (*TERMS["gap"], summary.get("gap"), "gap"),
        ("Số DN thuộc diện di dời", "Slated firms", summary["firms"]["slated"], "count"),
        (
            "Đã di dời trước kỳ",
            "Moved before the horizon",
            summary["firms"]["moved_before"],
            "count",
        ),
        ("Số DN di dời theo kế hoạch", "Planned moves", summary["firms"]["planned"], "count"),
    ]
    for q in summary["quota"]:
        y = q["by_year"]
        rows += [
            (f"Tỷ lệ đã di dời đến {y}", f"Share moved by {y}", q["share"], "percent"),
            (
                f"Tỷ lệ tối thiểu phải đạt đến {y}",
                f"Minimum share by {y}",
                q["min_share"],
                "percent",
            ),
            (f"Tỷ lệ tối đa cho phép đến {y}", f"Maximum share by {y}", q["max_share"], "percent"),
        ]
    per_year = {str(k): v for k, v in (summary.get("moves_per_year") or {}).items()}
    for y in years:
        rows.append((f"Số DN di dời năm {y}", f"Moves in {y}", per_year.get(str(y), 0), "count"))
    for t, v in (summary.get("terms") or {}).items():
        rows.append((label(f"{t}_vnd", "vi"), label(f"{t}_vnd", "en"), v, "vnd"))
    changes = summary.get("changes")
    if changes:  # a re-plan against a baseline
        rows += [
            ("Năm rà soát (as-of)", "Review year (as of)", changes["as_of"], "count"),
            (
                "Số DN thay đổi so với kế hoạch gốc",
                "Firms changed from the baseline",
                changes["changed_firms"],
                "count",
            ),
            *(
                (f"Thay đổi: {why}", f"Changes: {why}", n, "count")
                for why, n in changes["by_why"].items()
            ),
            (
                "Hàm mục tiêu không tính ổn định (VND)",
                "Objective without stability (VND)",
                changes["objective_without_stability"],
                "vnd",
            ),
        ]
    land = summary.get("freed_land")
    if land:
        rows += freed_land_rows(dict(land))
    return rows


def workbook_sheets(
    site_load: pd.DataFrame,
    freed_by_zone: pd.DataFrame | None,
    freed_by_ward: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The workbook's cumulative sheets: site load, freed land by zone and by 2025 ward.

    Their ``year`` is the state at the end of that year, so it is written as
    ``end_of_year`` ("Tính đến hết năm"), not as a move year.
    """
    sheets = {"Quỹ đất KCN - Site load": site_load.rename(columns={"year": "end_of_year"})}
    if freed_by_zone is not None:
        sheets["Đất giải phóng - Freed land"] = freed_by_zone.rename(
            columns={"year": "end_of_year"}
        )
    if freed_by_ward is not None:
        sheets["Theo phường 2025 - By ward"] = freed_by_ward.rename(
            columns={"year": "end_of_year"}
        )
    return sheets


def _lines(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
    coords = np.stack([np.stack([x0, y0], axis=1), np.stack([x1, y1], axis=1)], axis=1)
    return shapely.linestrings(coords)


def write_plan_gpkg(
    path: Path,
    ws: Workspace,
    moves: pd.DataFrame,
    site_load: pd.DataFrame,
    freed_land: gpd.GeoDataFrame | None,
    crs: str,
    years: Sequence[int] | None = None,
    lang: str = "vi",
) -> None:
    """GeoPackage for QGIS: the plan and the context needed to re-render its map.

    Layers: ``firms`` (points, with their assignment and sector names), ``sites`` (with
    their load in the last year and per year), ``moves`` (lines), ``freed_land`` (parcels,
    when given), ``zones`` and ``stations``. In ``crs`` (VN-2000 through the pinned
    operation).

    Written as GeoPackage 1.2 (:data:`GPKG_VERSION`), which GDAL 3.6 / QGIS 3.22 open
    without a warning; infinite numbers (e.g. a site with no ``max_firm_area_m2`` limit)
    are stored as NULL; a ``layer_styles`` table gives QGIS each layer's style in the
    map's colours (``geodata/styles.py``).
    """
    firms, sites = ws.firms, ws.sites
    tmp = path.with_name(path.name + ".tmp.gpkg")
    if tmp.exists():
        tmp.unlink()
    m = moves.set_index("firm_id")
    sectors = getattr(ws, "sectors", None)
    sector_vi: dict[str, str] = {}
    sector_en: dict[str, str] = {}
    if sectors is not None and len(sectors):
        codes = sectors["code"].astype(str)
        sector_vi = dict(zip(codes, sectors["name_vi"].astype(str), strict=True))
        if "name_en" in sectors.columns:
            en = sectors["name_en"].where(sectors["name_en"].notna(), sectors["name_vi"])
            sector_en = dict(zip(codes, en.astype(str), strict=True))
    f = gpd.GeoDataFrame(
        {
            "firm_id": firms["firm_id"].astype(str),
            "name": firms["name"].astype(str),
            "zone_id": firms["zone_id"].astype(str),
            "sector": firms["sector"].astype(str),
            "sector_vi": firms["sector"].astype(str).map(sector_vi).astype(object),
            "sector_en": firms["sector"].astype(str).map(sector_en).astype(object),
            "employees": firms["employees"].astype("int64"),
            "land_area_m2": firms["land_area_m2"].astype(float),
            "mandatory": firms["mandatory"].astype(bool),
            "pollution": firms["pollution"].astype(str),
            "site_id": firms["firm_id"]
            .map(m["site_id"])
            .astype(object)
            .where(firms["firm_id"].isin(m.index), firms["moved_site_id"])
            .astype(str),
            "move_year": pd.array(firms["firm_id"].map(m["year"]), dtype="Int64").fillna(
                pd.array(firms["moved_year"], dtype="Int64")
            ),
            "status": np.where(
                firms["firm_id"].isin(m.index),
                "planned",
                np.where(firms["moved_year"].notna(), "moved_before", "not_moved"),
            ),
            "lon": firms["lon"].astype(float),
            "lat": firms["lat"].astype(float),
        },
        geometry=gpd.points_from_xy(firms["lon"], firms["lat"]),
        crs="EPSG:4326",
    )
    last = site_load[site_load["year"] == site_load["year"].max()].set_index("site_id")
    s = gpd.GeoDataFrame(
        sites.drop(columns="geometry").assign(
            accepts_sectors=sites["accepts_sectors"].astype(str),
            released_m2=sites["site_id"].map(last["released_m2"]).astype(float),
            used_m2=sites["site_id"].map(last["used_m2"]).astype(float),
            free_m2=sites["site_id"].map(last["free_m2"]).astype(float),
            firms_planned=sites["site_id"]
            .map(moves.groupby("site_id").size())
            .fillna(0)
            .astype(int),
        ),
        geometry=sites.geometry.to_numpy(),
        crs="EPSG:4326",
    )
    for year, part in site_load.groupby("year"):
        s[f"used_{int(year)}_m2"] = (
            s["site_id"].map(part.set_index("site_id")["used_m2"]).astype(float)
        )
    fl = firms.set_index("firm_id")
    sl = sites.set_index("site_id")
    # A conversion in place (no site_id) is a zero-length line on its own parcel.
    here = (moves["site_id"].astype(str) == "").to_numpy() if len(moves) else np.zeros(0, bool)
    to = moves["site_id"].where(~here, sl.index[0] if len(sl) else "")
    geom = (
        _lines(
            fl.loc[moves["firm_id"], "lon"].to_numpy(),
            fl.loc[moves["firm_id"], "lat"].to_numpy(),
            np.where(here, fl.loc[moves["firm_id"], "lon"].to_numpy(),
                     sl.loc[to, "lon"].to_numpy()),
            np.where(here, fl.loc[moves["firm_id"], "lat"].to_numpy(),
                     sl.loc[to, "lat"].to_numpy()),
        )
        if len(moves)
        else []
    )
    mv = gpd.GeoDataFrame(moves.copy(), geometry=list(geom), crs="EPSG:4326")
    layers = [("firms", f), ("sites", s), ("moves", mv)]
    if freed_land is not None:
        layers.append(("freed_land", freed_land))
    layers += [("zones", ws.zones), ("stations", ws.stations)]
    for k, (name, layer) in enumerate(layers):
        options = {"dataset_options": {"VERSION": GPKG_VERSION}} if k == 0 else {}
        _finite(to_output_crs(layer, crs)).to_file(
            tmp, layer=name, driver="GPKG", engine="pyogrio", **options
        )
    write_layer_styles(tmp, layer_qml(years if years is not None else _years(site_load), lang))
    os.replace(tmp, path)


def _years(site_load: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in site_load["year"].unique())


def _finite(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """±inf → NaN (NULL in the file) in every float column: GIS tools misread infinities."""
    out = gdf
    for col in gdf.columns:
        if col != gdf.geometry.name and pd.api.types.is_float_dtype(gdf[col].dtype):
            vals = gdf[col].to_numpy(dtype=float, na_value=np.nan)
            if np.isinf(vals).any():
                if out is gdf:
                    out = gdf.copy()
                out[col] = np.where(np.isinf(vals), np.nan, vals)
    return out


def read_run_layers(run: Path) -> dict[str, Any]:
    """Read back what re-rendering a run's map needs.

    Returns the GeoPackage layers (in WGS84) and ``site_load.csv``.
    """
    import pyogrio

    gpkg = Path(run) / "plan.gpkg"
    out: dict[str, Any] = {}
    # Spatial layers only: ``layer_styles`` (QGIS styles) is an attributes table.
    for name in [n for n, g in pyogrio.list_layers(gpkg) if g is not None]:
        out[name] = gpd.read_file(gpkg, layer=name, engine="pyogrio").to_crs("EPSG:4326")
    out["site_load"] = pd.read_csv(
        Path(run) / "site_load.csv", encoding="utf-8-sig", dtype={"site_id": str, "site_name": str}
    )
    return out


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
