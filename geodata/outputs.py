"""Run folders: schedule (CSV, XLSX), site load, summary, GeoPackage layers.

A run folder is written into a hidden staging folder beside its destination and renamed
into place when complete, so it appears whole or not at all; an existing folder is only
replaced with ``force`` (and the old one is kept until the new one is in place).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import to_output_crs
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.labels import label

if TYPE_CHECKING:
    from geodata.workspace import Workspace

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def write_schedule_xlsx(
    path: Path,
    schedule: pd.DataFrame,
    summary_rows: list[tuple[str, str, Any]],
    extra_sheets: Mapping[str, pd.DataFrame] | None = None,
) -> None:
    """The planners' workbook: a summary sheet, then one sheet per year.

    Headers are Vietnamese with English beneath; ids are stored as text; no cell becomes
    a formula.
    """
    tmp = path.with_name(path.name + ".tmp.xlsx")
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
        sub = wb.add_format({"italic": True, "font_color": "#555555", "bg_color": "#E8EEF4"})
        money = wb.add_format({"num_format": "#,##0"})
        text = wb.add_format({"num_format": "@"})

        ws = wb.add_worksheet("Tổng hợp - Summary")
        ws.write_row(0, 0, ["Chỉ tiêu", "Item", "Giá trị / Value"], head)
        for i, (vi, en, val) in enumerate(summary_rows, start=1):
            ws.write_string(i, 0, vi)
            ws.write_string(i, 1, en)
            if isinstance(val, (int, float, np.integer, np.floating)) and not isinstance(val, bool):
                ws.write_number(i, 2, float(val), money if abs(float(val)) >= 1000 else None)
            else:
                ws.write_string(i, 2, str(val))
        ws.set_column(0, 1, 42)
        ws.set_column(2, 2, 24)

        def sheet(name: str, df: pd.DataFrame) -> None:
            sh = wb.add_worksheet(name[:31])
            for j, col in enumerate(df.columns):
                sh.write_string(0, j, label(col, "vi"), head)
                sh.write_string(1, j, label(col, "en"), sub)
                values = df[col].tolist()
                is_text = df[col].dtype == object or pd.api.types.is_string_dtype(df[col])
                for i, v in enumerate(values, start=2):
                    if is_text or col.endswith("_id"):
                        sh.write_string(i, j, "" if v is None else str(v), text)
                    elif v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                        sh.write_blank(i, j, None)
                    else:
                        sh.write_number(i, j, float(v), money if col.endswith("_vnd") else None)
                sh.set_column(j, j, 30 if col.endswith("name") else 16)
            sh.freeze_panes(2, 0)
            if len(df):
                sh.autofilter(1, 0, 1 + len(df), max(0, len(df.columns) - 1))

        for year, part in schedule.groupby("year"):
            sheet(f"{int(year)}", part.reset_index(drop=True))
        for name, df in (extra_sheets or {}).items():
            sheet(name, df)
    os.replace(tmp, path)


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
) -> None:
    """GeoPackage for QGIS: the plan and the context needed to re-render its map.

    Layers: ``firms`` (points, with their assignment), ``sites`` (with their load in the
    last year and per year), ``moves`` (lines), ``freed_land`` (parcels, when given),
    ``zones`` and ``stations``. In ``crs`` (VN-2000 through the pinned operation).
    """
    firms, sites = ws.firms, ws.sites
    tmp = path.with_name(path.name + ".tmp.gpkg")
    if tmp.exists():
        tmp.unlink()
    m = moves.set_index("firm_id")
    f = gpd.GeoDataFrame(
        {
            "firm_id": firms["firm_id"].astype(str),
            "name": firms["name"].astype(str),
            "zone_id": firms["zone_id"].astype(str),
            "sector": firms["sector"].astype(str),
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
    geom = (
        _lines(
            fl.loc[moves["firm_id"], "lon"].to_numpy(),
            fl.loc[moves["firm_id"], "lat"].to_numpy(),
            sl.loc[moves["site_id"], "lon"].to_numpy(),
            sl.loc[moves["site_id"], "lat"].to_numpy(),
        )
        if len(moves)
        else []
    )
    mv = gpd.GeoDataFrame(moves.copy(), geometry=list(geom), crs="EPSG:4326")
    layers = [("firms", f), ("sites", s), ("moves", mv)]
    if freed_land is not None:
        layers.append(("freed_land", freed_land))
    layers += [("zones", ws.zones), ("stations", ws.stations)]
    for name, layer in layers:
        to_output_crs(layer, crs).to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")
    os.replace(tmp, path)


def read_run_layers(run: Path) -> dict[str, Any]:
    """Read back what re-rendering a run's map needs.

    Returns the GeoPackage layers (in WGS84) and ``site_load.csv``.
    """
    import pyogrio

    gpkg = Path(run) / "plan.gpkg"
    out: dict[str, Any] = {}
    for name in [n for n, _ in pyogrio.list_layers(gpkg)]:
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
