"""The run folder: a :class:`PlanResult` and the one :func:`write_run` that writes it.

:func:`relocation.workflow.plan_scenario` computes the result without touching a file.

The folder is written into a hidden staging folder next to ``out`` and renamed into place
when complete (:func:`geodata.outputs.staged_folder`): it appears whole or not at all, and a
stop requested while writing leaves a previous folder of the same name as it was. Its files
are listed in the README ("The run folder").
"""

from __future__ import annotations

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
)


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
) -> Path:
    """Write ``result`` as the run folder ``out`` (staged, then renamed into place).

    A plan gives every file of the README's table; an infeasible scenario or a run without
    a plan in time gives ``summary.json`` only.

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
    enter_phase("writing", token)
    out = Path(out)
    with staged_folder(out, force) as tmp:
        if result.plan is not None:
            _write_plan_files(result, tmp, render_map, lang, token, extra_tables or {})
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
) -> None:
    ws, sc, plan = result.workspace, result.scenario, result.plan
    assert plan is not None and result.site_load is not None and result.freed_land is not None
    load, land = result.site_load, result.freed_land
    schedule = plan.moves.copy()
    schedule["total_vnd"] = weighted_total(schedule, sc)
    schedule = schedule[list(SCHEDULE_COLUMNS)]
    write_csv(schedule, tmp / "schedule.csv")
    write_csv(load, tmp / "site_load.csv")
    sheets = workbook_sheets(load, land.get("by_zone"), land.get("by_ward"))
    for name, (sheet, table) in extra_tables.items():
        write_csv(table, tmp / name)
        sheets[sheet] = table
    write_schedule_xlsx(
        tmp / "schedule.xlsx",
        schedule,
        summary_rows(result.summary, sc.name, sc.horizon.years),
        extra_sheets=sheets,
        years=sc.horizon.years,
    )
    check_stop(token)
    write_plan_gpkg(tmp / "plan.gpkg", ws, plan.moves, load, land["parcels"], sc.crs.output)
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
    if render_map:
        render_run_map(
            zones=ws.zones,
            sites=ws.sites,
            stations=ws.stations,
            firms=ws.firms,
            moves=plan.moves,
            site_load=load,
            freed_land=land["parcels"],
            path=tmp / "map.html",
            lang=lang,
            sc=sc,
            sectors=ws.sectors,
        )


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
