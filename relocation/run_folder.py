"""The run folder: a :class:`PlanResult` and the one :func:`write_run` that writes it.

:func:`relocation.workflow.plan_scenario` computes the result without touching a file.

The folder is written into a hidden staging folder next to ``out`` and renamed into place
when complete (:func:`geodata.outputs.staged_folder`): it appears whole or not at all, and a
stop requested while writing leaves a previous folder of the same name as it was. Its files
are listed in the README ("The run folder").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from geodata.outputs import (
    staged_folder,
    summary_rows,
    workbook_sheets,
    write_csv,
    write_json,
    write_plan_gpkg,
    write_schedule_xlsx,
    write_text,
)
from geodata.workspace import Workspace
from maps.charts import render_charts
from models.solve import SolveParams, SolveResult, Status, StopToken
from relocation.domain.costs import weighted_total
from relocation.domain.labels import fixed_code, fixed_label
from relocation.domain.problem import MOVE_TERMS, Plan, Problem
from relocation.domain.scenario import Scenario
from relocation.freed_land import render_run_map
from relocation.phases import check_stop, enter_phase

SCHEDULE_COLUMNS = (
    "firm_id",
    "firm_name",
    "origin_zone_id",
    "site_id",
    "site_name",
    "year",
    *(f"{t}_vnd" for t in MOVE_TERMS),
    "total_vnd",
    "distance_km",
    "employees",
    "area_m2",
    "action",
    "fixed",  # last: the earlier columns keep their places for scripts that read them so
)

#: The outputs that take most of a run's writing time (the workbook, the GeoPackage and the
#: map): written by every ``plan``, and by a sweep only on request (``--outputs all``) or
#: afterwards by ``relocation outputs RUN`` (:func:`write_outputs`), from the run's files.
DEFERRED_FILES = ("schedule.xlsx", "plan.gpkg", "map.html")

#: ``outputs`` settings: ``all`` writes every file of the README's table; ``plans`` leaves
#: out :data:`DEFERRED_FILES`.
OUTPUT_CHOICES = ("all", "plans")


@dataclass(frozen=True)
class PlanResult:
    """A run's outcome, computed and not yet written (frozen).

    Attributes
    ----------
    workspace : Workspace
        The workspace planned.
    scenario : Scenario
        The scenario as used.
    problem : Problem
    params : SolveParams
    solve : SolveResult or None
        ``None`` when the pre-solve checks proved the scenario infeasible.
    plan : Plan or None
        The checked plan; ``None`` when infeasible or when no plan was found in time.
    site_load : pandas.DataFrame or None
        See :func:`relocation.workflow.site_load`.
    freed_land : mapping or None
        :func:`relocation.freed_land.freed_land_outputs` of the plan.
    summary : mapping
        The run's ``summary.json`` (read-only), built once by
        :func:`relocation.workflow.build_summary`.
    explanation : tuple of str
        Why there is no plan (infeasible, or no plan in time); empty with a plan.
    best_share : float or None
        Highest achievable share of the first window, for an infeasible scenario.
    """

    workspace: Workspace
    scenario: Scenario
    problem: Problem
    params: SolveParams
    solve: SolveResult | None
    plan: Plan | None
    site_load: pd.DataFrame | None
    freed_land: Mapping[str, Any] | None
    summary: Mapping[str, Any]
    explanation: tuple[str, ...] = ()
    best_share: float | None = None

    @property
    def status(self) -> str:
        """``OPTIMAL``, ``FEASIBLE``, ``INFEASIBLE`` or ``UNKNOWN`` (no plan in time)."""
        return str(self.summary["status"])

    @property
    def infeasible(self) -> bool:
        """True when no plan exists (proved)."""
        return self.status == Status.INFEASIBLE.value


def write_run(
    result: PlanResult,
    out: Path,
    force: bool = False,
    render_map: bool = True,
    lang: str = "vi",
    token: StopToken | None = None,
    extra_tables: Mapping[str, tuple[str, pd.DataFrame]] | None = None,
    outputs: str = "all",
) -> Path:
    """Write ``result`` as the run folder ``out`` (staged, then renamed into place).

    A plan gives every file of the README's table (``outputs="plans"``: all but
    :data:`DEFERRED_FILES`); an infeasible scenario or a run without a plan in time gives
    ``summary.json`` only.

    Parameters
    ----------
    result : PlanResult
        From :func:`relocation.workflow.plan_scenario`.
    out : pathlib.Path
        The run folder.
    force : bool
        Replace an existing run folder (never anything else).
    render_map : bool
        Write ``map.html``.
    lang : str
        Map language, ``vi`` or ``en``.
    token : StopToken, optional
        Checked before and after writing, before the rename: a stop writes nothing.
    extra_tables : mapping, optional
        ``file name → (workbook sheet name, table)`` written beside the plan's files and
        as sheets of ``schedule.xlsx`` (the replan's ``changes.csv``).
    outputs : str
        ``all`` (default) or ``plans`` (:data:`OUTPUT_CHOICES`).

    Returns
    -------
    pathlib.Path
        ``out``.

    Raises
    ------
    InputError
        ``out`` cannot be replaced.
    models.solve.Interrupted
        Stopped (``out`` untouched).
    """
    if outputs not in OUTPUT_CHOICES:
        raise ValueError(f"outputs must be one of {OUTPUT_CHOICES}, not {outputs!r}")
    enter_phase("writing", token)
    out = Path(out)
    with staged_folder(out, force) as tmp:
        if result.plan is not None:
            _write_plan_files(
                result, tmp, render_map, lang, token, extra_tables or {}, outputs
            )
        write_json(result.summary, tmp / "summary.json")
        check_stop(token)  # the last moment a stop can keep the previous folder
    return out


def _write_plan_files(
    result: PlanResult,
    tmp: Path,
    render_map: bool,
    lang: str,
    token: StopToken | None,
    extra_tables: Mapping[str, tuple[str, pd.DataFrame]],
    outputs: str = "all",
) -> None:
    ws, sc, plan = result.workspace, result.scenario, result.plan
    assert plan is not None and result.site_load is not None and result.freed_land is not None
    load, land = result.site_load, result.freed_land
    from relocation.explain import review_columns, with_fixed

    # Fixed marks for every schedule; the short explanations only for the map and layers.
    deferred = outputs == "all"
    moves = (review_columns(result.problem, plan.moves) if deferred
             else with_fixed(result.problem, plan.moves))
    schedule = schedule_table(moves, sc)
    write_csv(schedule, tmp / "schedule.csv")
    write_csv(load, tmp / "site_load.csv")
    for name, (_, table) in extra_tables.items():
        write_csv(table, tmp / name)
    write_csv(land["table"], tmp / "freed_land.csv")
    write_text(
        render_charts(
            moves=plan.moves,
            site_load=load,
            freed_by_zone_year=land["by_zone"],
            zones=ws.zones,
            years=sc.horizon.years,
            lang=lang,
        ),
        tmp / "charts.html",
    )
    write_text(scenario_toml(sc), tmp / "scenario.toml")
    check_stop(token)
    if outputs == "all":
        which = tuple(f for f in DEFERRED_FILES if render_map or f != "map.html")
        sheets = {sheet: table for sheet, table in extra_tables.values()}
        write_deferred_files(
            tmp, ws, sc, moves, load, land, result.summary, which, lang, sheets, token
        )


def schedule_table(moves: pd.DataFrame, sc: Scenario) -> pd.DataFrame:
    """``schedule.csv``: the plan's moves with their weighted total (``SCHEDULE_COLUMNS``).

    ``fixed`` (a :class:`relocation.domain.status.Fixed` code in ``moves``, ``""`` when
    absent) is written in both languages, "vi / en" (``relocation.domain.labels.FIXED``).
    """
    schedule = moves.copy()
    if "action" not in schedule:
        schedule["action"] = "move"
    if "conversion_vnd" not in schedule:
        schedule["conversion_vnd"] = 0
    schedule["total_vnd"] = weighted_total(schedule, sc)
    codes = schedule["fixed"] if "fixed" in schedule.columns else [""] * len(schedule)
    schedule["fixed"] = [fixed_label(str(c)) for c in codes]
    return schedule[list(SCHEDULE_COLUMNS)]


def write_deferred_files(
    folder: Path,
    ws: Workspace,
    sc: Scenario,
    moves: pd.DataFrame,
    load: pd.DataFrame,
    land: Mapping[str, Any],
    summary: Mapping[str, Any],
    which: tuple[str, ...] = ("schedule.xlsx", "plan.gpkg", "map.html"),
    lang: str = "vi",
    extra_sheets: Mapping[str, pd.DataFrame] | None = None,
    token: StopToken | None = None,
) -> list[Path]:
    """Write the slow outputs of a plan (:data:`DEFERRED_FILES`) into ``folder``.

    The plan's own files (``schedule.csv``, ``summary.json``, ``scenario.toml``…) are all
    these need: a run written with ``outputs="plans"`` gets them later through
    :func:`write_outputs`, exactly as a full run writes them.

    Parameters
    ----------
    folder : pathlib.Path
        Where to write (a staging folder, or a temporary folder of :func:`write_outputs`).
    ws, sc, moves, load, land, summary
        The workspace, scenario as used, the plan's moves (with
        :data:`relocation.explain.REVIEW_COLUMNS` for the map's fixed marks and short
        explanations, when known), its site load, its freed-land outputs
        (:func:`relocation.freed_land.freed_land_outputs`) and its summary.
    which : tuple of str
        A subset of :data:`DEFERRED_FILES`.
    lang : str
        Map language.
    extra_sheets : mapping, optional
        Further workbook sheets (the replan's changes).
    token : StopToken, optional

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    written = []
    if "schedule.xlsx" in which:
        sheets = workbook_sheets(load, land.get("by_zone"), land.get("by_ward"))
        sheets.update(extra_sheets or {})
        write_schedule_xlsx(
            folder / "schedule.xlsx",
            schedule_table(moves, sc),
            summary_rows(summary, sc.name, sc.horizon.years),
            extra_sheets=sheets,
            years=sc.horizon.years,
        )
        written.append(folder / "schedule.xlsx")
        check_stop(token)
    if "plan.gpkg" in which:
        write_plan_gpkg(folder / "plan.gpkg", ws, moves, load, land["parcels"], sc.crs.output)
        written.append(folder / "plan.gpkg")
        check_stop(token)
    if "map.html" in which:
        render_run_map(
            zones=ws.zones,
            sites=ws.sites,
            stations=ws.stations,
            firms=ws.firms,
            moves=moves,
            site_load=load,
            freed_land=land["parcels"],
            path=folder / "map.html",
            lang=lang,
            sc=sc,
            sectors=ws.sectors,
        )
        written.append(folder / "map.html")
    return written


def scenario_toml(sc: Scenario) -> str:
    """The scenario as used, as TOML (None values left out)."""

    def drop_none(o: Any) -> Any:
        if isinstance(o, dict):
            return {k: drop_none(v) for k, v in o.items() if v is not None}
        if isinstance(o, (list, tuple)):
            return [drop_none(v) for v in o]
        return o

    data = drop_none(sc.model_dump(mode="json"))
    return "# The scenario as used by this run (defaults and overrides applied).\n" + tomli_w.dumps(
        data
    )


def check_run_folder(
    run: Path, files: tuple[str, ...] = ("schedule.csv",), purpose: str = "read"
) -> tuple[dict[str, Any], Scenario]:
    """Refuse a run folder that cannot be used (exit 2), naming the file and what is wrong.

    Checks, in order: the folder exists; ``summary.json`` is there and is a JSON object;
    the run has a plan; ``scenario.toml`` is there, valid TOML and a valid scenario; each of
    ``files`` is there.

    Parameters
    ----------
    run : pathlib.Path
        The run folder.
    files : tuple of str
        Further files the caller needs (``schedule.csv``; ``plan.gpkg`` for a map).
    purpose : str
        What the caller does (``compare``, ``draw``), for messages.

    Returns
    -------
    tuple
        The summary and the scenario as used.

    Raises
    ------
    InputError
    """
    import json

    from geodata.tables import IssueLog
    from geodata.workspace import read_scenario
    from relocation.domain.errors import InputError, InputIssue

    run = Path(run)
    summary_name = f"cannot {purpose} the run"

    def fail(path: Path, message: str, row: int | None = None) -> InputError:
        return InputError([InputIssue(str(path), row, None, None, message)], summary=summary_name)

    if not run.is_dir():
        raise fail(run, "no such run folder")
    spath = run / "summary.json"
    try:
        summary = json.loads(spath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail(spath, "missing: not a run folder") from None
    except UnicodeDecodeError:
        raise fail(spath, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise fail(spath, f"bad JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(summary, dict):
        raise fail(spath, "not a run summary (expected a JSON object)")
    if not summary.get("terms"):
        status = summary.get("status")
        raise fail(run / "schedule.csv", f"the run has no plan to {purpose} (status {status})")
    tpath = run / "scenario.toml"
    log = IssueLog()
    sc = read_scenario(tpath, log)
    if sc is None:
        issues = [
            InputIssue(str(tpath), i.row, i.column, i.value, i.message) for i in log.errors
        ]
        raise InputError(issues, summary=summary_name)
    missing = [name for name in files if not (run / name).is_file()]
    if missing:
        raise InputError(
            [InputIssue(str(run / n), None, None, None, "missing") for n in missing],
            summary=summary_name,
        )
    return summary, sc


def write_outputs(
    run: Path,
    which: tuple[str, ...] = DEFERRED_FILES,
    lang: str = "vi",
    workspace: Path | None = None,
    only_missing: bool = False,
) -> list[Path]:
    """Write the deferred outputs of a run folder from its own files (``relocation outputs``).

    Reads ``summary.json``, ``scenario.toml``, ``schedule.csv`` and ``site_load.csv`` (and
    ``changes.csv`` of a replan), and the workspace recorded in the summary (or
    ``workspace``), whose input hashes must still match the run's; rebuilds the freed-land
    ledger of the plan and writes ``which`` exactly as a full run writes them. Each file is
    written to a temporary file, then renamed into place.

    Parameters
    ----------
    run : pathlib.Path
        A run folder with a plan.
    which : tuple of str
        A subset of :data:`DEFERRED_FILES`.
    lang : str
        Map language.
    workspace : pathlib.Path, optional
        The workspace folder, when it has moved since the run.
    only_missing : bool
        Write only the files of ``which`` that the folder lacks.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    InputError
        Not a run folder with a plan, a workspace that is gone or has changed.
    """
    import shutil
    import tempfile

    from geodata.workspace import read_workspace
    from relocation.domain.errors import InputError, InputIssue
    from relocation.freed_land import freed_land_outputs

    run = Path(run)
    bad = [w for w in which if w not in DEFERRED_FILES]
    if bad:
        raise ValueError(f"not a deferred output: {bad}")
    summary, sc = check_run_folder(
        run, ("schedule.csv", "site_load.csv"), "write the outputs of"
    )
    if only_missing:
        which = tuple(w for w in which if not (run / w).is_file())
    if not which:
        return []
    root = Path(workspace) if workspace is not None else Path(str(summary.get("workspace", "")))
    ws = read_workspace(root)
    recorded = summary.get("inputs") or {}
    changed = sorted(k for k, v in recorded.items() if ws.input_hashes.get(k) != v)
    if changed:
        raise InputError(
            [
                InputIssue(
                    str(root / name), None, None, None,
                    "changed since the run (its hash differs from the run's summary.json); "
                    "plan again",
                )
                for name in changed
            ],
            summary="cannot write the outputs of the run",
        )
    moves = _read_moves(run / "schedule.csv", ws)
    if "plan.gpkg" in which or "map.html" in which:
        moves = _with_review(moves, summary, sc, ws)
    load = pd.read_csv(run / "site_load.csv", dtype={"site_id": str, "site_name": str},
                       encoding="utf-8-sig")
    land = freed_land_outputs(ws.firms, ws.stations, ws.sites, moves, sc, ws.zones)
    sheets = {}
    if (run / "changes.csv").is_file():  # a replan's run folder
        sheets["Thay đổi - Changes"] = pd.read_csv(run / "changes.csv", encoding="utf-8-sig")
    tmp = Path(tempfile.mkdtemp(prefix=".outputs.partial-", dir=run))
    try:
        written = write_deferred_files(tmp, ws, sc, moves, load, land, summary, which, lang,
                                       sheets)
        out = []
        for path in written:
            os.replace(path, run / path.name)
            out.append(run / path.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _with_review(
    moves: pd.DataFrame, summary: Mapping[str, Any], sc: Scenario, ws: Workspace
) -> pd.DataFrame:
    """The moves with the map's review columns, from the run's problem rebuilt.

    A replan whose baseline run or actuals file has gone keeps the schedule's ``fixed``
    marks and loses the short explanations (a warning says so).
    """
    import logging

    from relocation.domain.errors import InputError
    from relocation.explain import review_columns, run_problem

    try:
        problem = run_problem(summary, sc, ws)
    except InputError as exc:
        logging.getLogger(__name__).warning(
            "the map's short explanations are left out: cannot rebuild the run's problem (%s)",
            exc,
        )
        return moves
    return review_columns(problem, moves)


def _read_moves(path: Path, ws: Workspace) -> pd.DataFrame:
    """The plan's moves from ``schedule.csv`` (names from the workspace, as decoded)."""
    text = {"firm_id": str, "firm_name": str, "origin_zone_id": str, "site_id": str,
            "site_name": str, "action": str}
    df = pd.read_csv(path, dtype=text, keep_default_na=False, encoding="utf-8-sig")
    firm_names = dict(zip(ws.firms["firm_id"].astype(str), ws.firms["name"], strict=True))
    site_names = dict(zip(ws.sites["site_id"].astype(str), ws.sites["name"], strict=True))
    df["firm_name"] = df["firm_id"].map(firm_names).fillna(df["firm_name"])
    df["site_name"] = df["site_id"].map(site_names).fillna(df["site_name"])
    if "action" not in df:  # written before conversions in place existed: moves only
        df["action"] = "move"
    if "conversion_vnd" not in df:
        df["conversion_vnd"] = 0
    df["fixed"] = [fixed_code(t) for t in df["fixed"]] if "fixed" in df.columns else ""
    return df.drop(columns=["total_vnd"]).reset_index(drop=True)
