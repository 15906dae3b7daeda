"""The workspace: a folder of plain files describing one planning problem (README "Data formats").

``read_workspace`` reads and validates every table and ``scenario.toml`` and returns a frozen
``Workspace`` whose tables are normalised (EPSG:4326, defaults applied, documented dtypes), or
raises one ``InputError`` listing every problem. ``export_demo`` writes the embedded demo.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.resources
import logging
import os
import re
import shutil
import tomllib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pydantic
from pyproj import CRS

from geodata import actuals as A
from geodata import validate as V
from geodata.crs import parse_crs, transformer_to_wgs84
from geodata.tables import (
    MAX_FILE_BYTES,
    SCENARIO_FILE,
    TABLE_EXTENSIONS,
    IssueLog,
    RawTable,
    decode_text,
    discover_tables,
    read_table,
    toml_error_position,
)
from relocation.domain.errors import InputError, InputIssue, RelocationError, validation_issues
from relocation.domain.issue_text import issue_text
from relocation.domain.scenario import Scenario

logger = logging.getLogger(__name__)

#: Files of the embedded demo that ``export_demo`` copies.
DEMO_SUFFIXES = (".csv", ".geojson", ".toml", ".md")
DEMO_REQUIRED = ("firms.csv", "sites.csv", "zones.geojson", "stations.csv", "sectors.csv",
                 SCENARIO_FILE)


@dataclass(frozen=True)
class Workspace:
    """A validated workspace, every table normalised.

    Attributes
    ----------
    root : pathlib.Path
        The folder.
    scenario : Scenario
        ``scenario.toml`` (defaults applied; no overrides applied to the tables).
    firms : geopandas.GeoDataFrame
        EPSG:4326; geometry is the parcel polygon (given, or a square of ``land_area_m2``
        centred on the point, built in UTM). Columns: firm_id, name, zone_id, sector (str),
        land_area_m2 (float), employees (int64), mandatory (bool), pollution
        (high/medium/low; default the sector's), required_area_m2 (float; default
        land_area_m2), supply_group (str, "" for none), earliest_year (int64; default the
        horizon start), moved_year (Int64, NA if none), moved_site_id (str, "" if none),
        preferred_site_ids (str, ";"-joined, "" if none), lon, lat (float; a parcel's
        representative point), has_parcel (bool), geometry.
    sites : geopandas.GeoDataFrame
        EPSG:4326 points. site_id, name, zone_id, kind (industrial_park/cluster),
        free_area_m2 (float; NaN allowed for sites in ``site_phases``), available_from
        (Int64), accepts_sectors ("*" or ";"-list), accepts_polluting (bool),
        max_firm_area_m2 (float, inf default), rent_vnd_per_m2 (Int64, NA default), lon, lat,
        geometry.
    site_phases : pandas.DataFrame
        site_id (str), year (int64), released_area_m2 (float); empty if absent.
    zones : geopandas.GeoDataFrame
        EPSG:4326 polygons. zone_id, name, name_en ("" default), kind
        (origin/destination/both/other), deadline_year (Int64), ward_2025 and
        ward_2025_code (the wards/communes since 1 July 2025, "" default), geometry.
    stations : geopandas.GeoDataFrame
        EPSG:4326 points. station_id, name, line, line_kind ("metro" default),
        opening_year (int64), lon, lat, optional seq, geometry.
    sectors : pandas.DataFrame
        code, name_vi, name_en, pollution.
    pairs : pandas.DataFrame or None
        firm_id, site_id, cost_vnd (Int64, NA if blank), required_area_m2 (float, NaN if
        blank); ``None`` when the workspace has no pairs table.
    actuals : pandas.DataFrame
        The annual review's facts (``geodata.actuals``): firm_id, status, site_id (""
        if none), year (int64), note, row (the file's row, for messages); empty if absent.
        Applied by ``relocation replan`` only (``plan`` plans from the horizon's start).
    decisions : pandas.DataFrame
        Planners' locks and forbids: firm_id, site_id ("*" = any), year (Int64, NA =
        any), rule (lock/forbid), note, row; empty if absent. Honoured by every command.
    input_hashes : dict
        File name → SHA-256 hex digest of every input file read.
    warnings : tuple of InputIssue
        Unusual-but-possible values and capacity hints.
    """

    root: Path
    scenario: Scenario
    firms: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    site_phases: pd.DataFrame
    zones: gpd.GeoDataFrame
    stations: gpd.GeoDataFrame
    sectors: pd.DataFrame
    pairs: pd.DataFrame | None
    input_hashes: dict[str, str]
    warnings: tuple[InputIssue, ...]
    actuals: pd.DataFrame = dataclasses.field(default_factory=A.empty_actuals)
    decisions: pd.DataFrame = dataclasses.field(default_factory=A.empty_decisions)
    actuals_label: str = "actuals.csv"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def hash_inputs(root: Path, files: Iterable[Path] | None = None) -> dict[str, str]:
    """SHA-256 of a workspace's input files, for run records.

    Parameters
    ----------
    root : pathlib.Path
        The workspace folder.
    files : iterable of pathlib.Path, optional
        The files to hash; by default every table candidate and ``scenario.toml`` in
        ``root`` (not subfolders).

    Returns
    -------
    dict
        File name (relative to ``root``) → hex digest, sorted by name.
    """
    root = Path(root)
    if files is None:
        files = [
            p for p in root.iterdir()
            if p.is_file() and (p.suffix.lower() in TABLE_EXTENSIONS or p.name == SCENARIO_FILE)
        ]
    hashes = {}
    for path in files:
        path = Path(path)
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        hashes[name] = _sha256(root / name)
    return dict(sorted(hashes.items()))




def read_scenario(path: Path, log: IssueLog) -> Scenario | None:
    """Read and validate ``scenario.toml``; problems go to ``log``.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    log : IssueLog
        Receives a missing file, TOML syntax errors (with the line) and every schema error
        (column = dotted key path, e.g. ``quota.0.min_share``).

    Returns
    -------
    Scenario or None
        ``None`` if the file is missing or invalid.
    """
    label = path.name
    if not path.is_file():
        log.error(label, issue_text("no_scenario"))
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        log.error(label, issue_text("file_larger_than", limit_mb=MAX_FILE_BYTES // 2**20))
        return None
    text = decode_text(path.read_bytes(), label, log)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = toml_error_position(str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        message = (issue_text("bad_toml_col", col=col, why=reason) if col
                   else issue_text("bad_toml", why=reason))
        log.error(label, message, row=line)
        return None
    try:
        return Scenario.model_validate(data)
    except pydantic.ValidationError as exc:
        log.issues.extend(validation_issues(exc, Scenario, label))
        return None


def _read_crs(log: IssueLog, scenario: Scenario, key: str) -> CRS | None:
    text = getattr(scenario.crs, key)
    try:
        crs = parse_crs(text)
        transformer_to_wgs84(crs)  # a VN-2000 source without the pinned operation fails here
        return crs
    except ValueError as exc:
        log.error(SCENARIO_FILE, str(exc), column=f"crs.{key}", value=text)
        return None


def read_workspace(path: Path) -> Workspace:
    """Read, normalise and validate a workspace folder.

    Parameters
    ----------
    path : pathlib.Path
        The workspace folder.

    Returns
    -------
    Workspace
        Every table normalised to EPSG:4326 with defaults applied.

    Raises
    ------
    InputError
        With every problem found (and the warnings), if any error was found.
    """
    root = Path(path)
    if not root.exists():
        raise InputError([InputIssue(str(root), None, None, None, issue_text("no_folder"))],
                         summary="cannot read the workspace")
    if not root.is_dir():
        raise InputError([InputIssue(str(root), None, None, None, issue_text("not_folder"))],
                         summary="cannot read the workspace")
    log = IssueLog()
    scenario = read_scenario(root / SCENARIO_FILE, log)
    scenario_ok = scenario is not None
    sc = scenario if scenario is not None else Scenario()
    input_crs = _read_crs(log, sc, "input") if scenario_ok else None
    if scenario_ok:
        _read_crs(log, sc, "output")
    sources = discover_tables(root, log)
    raws: dict[str, RawTable | None] = {n: read_table(s, log) for n, s in sources.items()}
    for raw in raws.values():
        if raw is not None:
            V.check_unknown_columns(raw, log)
    tables = _normalise(raws, log, sc, scenario_ok, input_crs)
    files = sorted({s.path for s in sources.values()} | {root / SCENARIO_FILE})
    hashes = hash_inputs(root, [p for p in files if p.is_file()])
    if log.errors or tables is None:
        raise InputError(log.issues, summary=f"{root} is not a valid workspace")
    firms, sites, phases, zones, stations, sectors, pairs, actuals, decisions = tables
    firms, stations, phases = V.finalise_dtypes(firms, stations, phases)
    actuals = actuals.astype({"year": "int64"})
    warnings = collapse_warnings(log.warnings)
    for issue in warnings:
        logger.info("input warning: %s", issue.format())
    return Workspace(
        root=root,
        scenario=sc,
        firms=firms,
        sites=sites,
        site_phases=phases,
        zones=zones,
        stations=stations,
        sectors=sectors,
        pairs=pairs,
        input_hashes=hashes,
        warnings=warnings,
        actuals=actuals,
        decisions=decisions,
        actuals_label=sources["actuals"].label if "actuals" in sources else "actuals.csv",
    )


def read_actuals(ws: Workspace, path: Path) -> Workspace:
    """Replace the workspace's ``actuals`` by the table in ``path`` (``--actuals FILE``).

    Raises
    ------
    InputError
        Every problem of the file (file, row, column, value), or a missing file.
    """
    from geodata.tables import TableSource

    path = Path(path)
    log = IssueLog()
    if not path.is_file():
        raise InputError([InputIssue(str(path), None, None, None, issue_text("no_file"))],
                         summary="cannot read the actuals")
    raw = read_table(TableSource("actuals", path, None, path.name), log)
    if raw is not None:
        V.check_unknown_columns(raw, log)
    actuals = A.normalise_actuals(raw, log)
    A.check_actuals(raw, log, actuals, ws.firms, ws.sites, ws.site_phases, ws.scenario)
    A.check_decisions(_decisions_raw(ws), log, ws.decisions, actuals, ws.firms, ws.sites,
                      ws.scenario)
    if log.errors:
        raise InputError(log.issues, summary=f"{path} is not a valid actuals table")
    hashes = {**ws.input_hashes, path.name: _sha256(path)}
    return dataclasses.replace(ws, actuals=actuals.astype({"year": "int64"}),
                               input_hashes=hashes, actuals_label=path.name)


def _decisions_raw(ws: Workspace) -> RawTable | None:
    """A stand-in raw table for re-checking the decisions (row numbers are kept)."""
    if ws.decisions.empty:
        return None
    from geodata.tables import TableSource

    src = TableSource("decisions", ws.root / "decisions.csv", None, "decisions.csv")
    return RawTable(src, pd.DataFrame(index=range(len(ws.decisions))),
                    ws.decisions["row"].to_numpy())


def collapse_warnings(issues: list[InputIssue], keep: int = 5) -> tuple[InputIssue, ...]:
    """One line for a warning repeated on many rows (file, column and message alike).

    A value flagged on 1,600 rows is one warning naming the first rows and the count, not
    1,600 lines.
    """
    groups: dict[tuple[str, str | None, str], list[InputIssue]] = {}
    for issue in issues:
        groups.setdefault((issue.file, issue.column, issue.message), []).append(issue)
    out: list[InputIssue] = []
    for (file, column, message), items in groups.items():
        if len(items) <= keep:
            out.extend(items)
            continue
        rows = sorted(i.row for i in items if i.row is not None)
        first = ", ".join(str(r) for r in rows[:keep])
        out.append(InputIssue(file, None, column, None,
                              f"{message} ({len(items)} rows: {first}, …)", severity="warning"))
    return tuple(out)


def _normalise(
    raws: dict[str, RawTable | None],
    log: IssueLog,
    scenario: Scenario,
    scenario_ok: bool,
    input_crs: CRS | None,
) -> tuple[Any, ...] | None:
    """Normalise each table that could be read, then run the checks whose inputs exist."""
    r_sectors, r_zones, r_sites = raws.get("sectors"), raws.get("zones"), raws.get("sites")
    r_firms, r_stations = raws.get("firms"), raws.get("stations")
    r_phases, r_pairs = raws.get("site_phases"), raws.get("pairs")
    r_actuals, r_decisions = raws.get("actuals"), raws.get("decisions")
    actuals = A.normalise_actuals(r_actuals, log)
    decisions = A.normalise_decisions(r_decisions, log)
    sectors = V.normalise_sectors(r_sectors, log) if r_sectors is not None else None
    zones = V.normalise_zones(r_zones, log) if r_zones is not None else None
    sites = V.normalise_sites(r_sites, log, input_crs) if r_sites is not None else None
    phases = V.normalise_phases(r_phases, log)
    firms = None
    if r_firms is not None:
        lookup = sectors if sectors is not None else pd.DataFrame(
            {"code": pd.Series([], dtype=str), "pollution": pd.Series([], dtype=str)}
        )
        firms = V.normalise_firms(r_firms, log, input_crs, lookup, scenario)
    stations = (
        V.normalise_stations(r_stations, log, input_crs) if r_stations is not None else None
    )
    pairs = V.normalise_pairs(r_pairs, log)

    if r_firms is not None and firms is not None and all(
        t is not None for t in (zones, sectors, sites)
    ):
        V.check_firms(r_firms, log, firms, zones, sectors, sites, scenario, scenario_ok)
    if r_zones is not None and zones is not None and firms is not None:
        V.check_zones(r_zones, log, zones, firms, scenario, scenario_ok)
    if r_sites is not None and sites is not None and zones is not None and sectors is not None:
        V.check_sites(r_sites, log, sites, zones, sectors, phases, scenario)
    if sites is not None:
        V.check_refs(r_phases, log, phases, {"site_id": (sites["site_id"], "site")})
    if firms is not None and sites is not None:
        V.check_refs(r_pairs, log, pairs, {"firm_id": (firms["firm_id"], "firm"),
                                           "site_id": (sites["site_id"], "site")})
    if r_stations is not None and stations is not None and zones is not None:
        V.check_stations(r_stations, log, stations, zones)
    if scenario_ok and sites is not None and zones is not None:
        V.check_scenario_refs(log, scenario, sites, zones)
    if firms is not None and sites is not None and scenario_ok:
        A.check_actuals(r_actuals, log, actuals, firms, sites, phases, scenario)
        A.check_decisions(r_decisions, log, decisions, actuals, firms, sites, scenario)
    parts = (firms, sites, phases, zones, stations, sectors)
    if any(p is None for p in parts):
        return None
    if not log.errors and r_firms is not None:
        V.capacity_hints(log, r_firms.label, firms, sites, phases, scenario)
    return (*parts, pairs, actuals, decisions)


def _demo_dir() -> Any:
    return importlib.resources.files("geodata") / "demo"


def demo_dir() -> Path:
    """Folder of the embedded demo workspace (it is itself a workspace)."""
    return Path(str(_demo_dir()))


def _guard_destination(dest: Path, force: bool) -> None:
    def refuse(message: str) -> None:
        raise InputError([InputIssue(str(dest), None, None, None, message)],
                         summary="cannot export the demo")

    if dest.exists() and not dest.is_dir():
        refuse("exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        if not force:
            refuse("the folder exists and is not empty; pass --force to replace it")
        resolved = dest.resolve()
        protected = {Path.home().resolve(), Path(resolved.anchor), Path.cwd().resolve()}
        if resolved in protected or resolved in Path.cwd().resolve().parents:
            refuse("refusing to replace this folder (home, root, or the current folder)")


def export_demo(dest: Path, force: bool = False) -> None:
    """Write the embedded Bình Dương demo as a workspace folder.

    The files are copied into a temporary sibling folder which is then renamed to ``dest``,
    so ``dest`` is either the complete demo or untouched.

    Parameters
    ----------
    dest : pathlib.Path
        Folder to create.
    force : bool
        Replace an existing non-empty ``dest``.

    Raises
    ------
    InputError
        If ``dest`` is a file, or a non-empty folder and ``force`` is false.
    RelocationError
        If the installed package lacks the demo files.
    """
    dest = Path(dest)
    _guard_destination(dest, force)
    demo = _demo_dir()
    files = sorted(
        (f for f in demo.iterdir() if f.is_file() and f.name.endswith(DEMO_SUFFIXES)),
        key=lambda f: f.name,
    )
    missing = sorted(set(DEMO_REQUIRED) - {f.name for f in files})
    if missing:
        raise RelocationError(
            f"the installed package's embedded demo is incomplete (missing {', '.join(missing)})"
        )
    parent = dest.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:8]
    tmp = parent / f".{dest.name}.tmp-{token}"
    old = parent / f".{dest.name}.old-{token}"
    tmp.mkdir()
    try:
        for item in files:
            (tmp / item.name).write_bytes(item.read_bytes())
        if dest.exists():
            os.replace(dest, old)
        try:
            os.replace(tmp, dest)
        except OSError:
            if old.exists():
                os.replace(old, dest)  # put the previous folder back
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    logger.info("exported the demo workspace to %s (%d files)", dest, len(files))
