"""The planning workflow: workspace → problem → solve → plan → run folder.

Everything a run needs to be reproduced goes into ``summary.json``: input hashes, the
scenario as used, solver parameters and seed, status, objective, bound and gap.
"""

from __future__ import annotations

import logging
import platform
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from geodata.adapter import to_problem
from geodata.outputs import (
    check_destination,
    staged_folder,
    summary_rows,
    workbook_sheets,
    write_csv,
    write_json,
    write_plan_gpkg,
    write_schedule_xlsx,
    write_text,
)
from geodata.workspace import Workspace, read_workspace
from maps.charts import render_charts
from models.conflicts import best_share, conflicting_rules
from models.decode import decode_plan
from models.solve import SolveParams, SolveResult, Status, StopToken, solve
from relocation.domain.check import check_plan
from relocation.domain.costs import weighted_total
from relocation.domain.errors import InfeasibleError
from relocation.domain.problem import ALL_TERMS, MOVE_TERMS, Plan, Problem
from relocation.domain.scenario import Scenario
from relocation.freed_land import freed_land_outputs, render_run_map
from relocation.infeasibility import precheck, summarise_core

log = logging.getLogger(__name__)

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
class PlanOptions:
    """Command-line settings of a planning run (they override ``[solver]``)."""

    time_limit_s: float | None = None
    deterministic_time_s: float | None = None
    workers: int | None = None
    seed: int | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    force: bool = False
    render_map: bool = True
    lang: str = "vi"


@dataclass(frozen=True)
class RunOutcome:
    """What a run produced (the summary as written, and the plan if there is one)."""

    summary: dict[str, Any]
    plan: Plan | None
    out: Path


def effective_scenario(ws: Workspace, opts: PlanOptions) -> Scenario:
    """The workspace's scenario with overrides, then the command-line solver settings."""
    updates: dict[str, Any] = dict(opts.overrides)
    for key, val in (
        ("solver.time_limit_s", opts.time_limit_s),
        ("solver.deterministic_time_s", opts.deterministic_time_s),
        ("solver.workers", opts.workers),
        ("solver.seed", opts.seed),
    ):
        if val is not None:
            updates[key] = val
    return ws.scenario.with_overrides(updates) if updates else ws.scenario


def solve_params(sc: Scenario) -> SolveParams:
    """Solver parameters of a scenario."""
    s = sc.solver
    return SolveParams(
        time_limit_s=s.time_limit_s,
        deterministic_time_s=s.deterministic_time_s,
        workers=s.workers,
        seed=s.seed,
        relative_gap=s.relative_gap,
    )


def site_load(problem: Problem, plan: Plan) -> pd.DataFrame:
    """Land released, used and free at each site by the end of each year (m², cumulative).

    Used land includes firms moved before the horizon.
    """
    years = problem.years
    sites = problem.sites
    rows = []
    moves = plan.moves
    before = problem.released_m2[:, 0] - problem.capacity_m2[:, 0]
    for j, sid in enumerate(sites["site_id"]):
        at = moves[moves["site_id"] == sid]
        for k, y in enumerate(years):
            used = int(before[j] + at.loc[at["year"] <= y, "area_m2"].sum())
            rel = int(problem.released_m2[j, k])
            rows.append((sid, sites.at[j, "name"], y, rel, used, rel - used))
    return pd.DataFrame(
        rows, columns=["site_id", "site_name", "year", "released_m2", "used_m2", "free_m2"]
    )


def quota_report(problem: Problem, plan: Plan | None) -> list[dict[str, Any]]:
    """Each quota window with the share the plan reaches."""
    out = []
    for q in problem.scenario.quota:
        moved = problem.n_moved_before
        if plan is not None:
            moved += int((plan.moves["year"] <= q.by_year).sum())
        out.append(
            {
                "by_year": q.by_year,
                "min_share": q.min_share,
                "max_share": q.max_share,
                "share": None if plan is None else round(moved / problem.n_slated, 6),
                "firms_moved": None if plan is None else moved,
            }
        )
    return out


def _summary_base(
    ws: Workspace, sc: Scenario, problem: Problem, res: SolveResult | None, params: SolveParams
) -> dict[str, Any]:
    import ortools

    return {
        "scenario": sc.name,
        "status": res.status.value if res else Status.INFEASIBLE.value,
        "objective": None if res is None else res.objective,
        "terms": None,
        "best_bound": None if res is None or res.best_bound is None else round(res.best_bound, 3),
        "gap": None if res is None else res.gap,
        "wall_time_s": None if res is None else res.wall_time_s,
        "firms": {"slated": problem.n_slated, "moved_before": problem.n_moved_before, "planned": 0},
        "quota": quota_report(problem, None),
        "moves_per_year": {},
        "solver": {
            **params.as_dict(),
            "ortools_version": ortools.__version__,
            "python": platform.python_version(),
            "stats": {} if res is None else dict(res.stats),
        },
        "progress": [] if res is None else list(res.progress),
        "inputs": dict(ws.input_hashes),
        "input_warnings": [w.format() for w in ws.warnings],
        "workspace": str(ws.root),
        "command": sys.argv[1:],
    }


def plan_workspace(
    workspace: Path,
    out: Path,
    opts: PlanOptions | None = None,
    on_progress: Callable[[Mapping[str, Any]], None] | None = None,
    token: StopToken | None = None,
) -> RunOutcome:
    """Plan a workspace and write the run folder ``out``.

    Raises
    ------
    InputError
        Bad input (nothing written).
    InfeasibleError
        No plan exists; ``out`` then holds only ``summary.json`` with the explanation.
    models.solve.Interrupted
        Stopped by a signal (nothing written; a previous ``out`` is left intact).
    """
    opts = opts or PlanOptions()
    check_destination(Path(out), opts.force)
    ws = read_workspace(Path(workspace))
    sc = effective_scenario(ws, opts)
    return plan_scenario(ws, sc, Path(out), opts, on_progress, token)


def plan_scenario(
    ws: Workspace,
    sc: Scenario,
    out: Path,
    opts: PlanOptions | None = None,
    on_progress: Callable[[Mapping[str, Any]], None] | None = None,
    token: StopToken | None = None,
) -> RunOutcome:
    """Plan an already-read workspace under a given scenario and write the run folder ``out``.

    :func:`plan_workspace` reads the workspace and applies the command-line settings, then
    calls this; a sweep reads the workspace once and calls this once per scenario (in a
    worker process, with ``sc`` fully merged). ``opts`` only supplies ``force``,
    ``render_map`` and ``lang`` here: its solver settings and overrides are not applied
    again.

    Raises
    ------
    InputError, InfeasibleError, models.solve.Interrupted
        As :func:`plan_workspace`.
    """
    opts = opts or PlanOptions()
    check_destination(Path(out), opts.force)
    problem = to_problem(ws, sc)
    params = solve_params(sc)

    reasons = precheck(problem)
    res = None if reasons else solve(problem, params, on_progress=on_progress, token=token)
    if reasons or res is None or res.status == Status.INFEASIBLE:
        return _write_infeasible(ws, sc, problem, res, params, reasons, Path(out), opts, token)

    plan = decode_plan(problem, res.rows) if len(res.rows) or res.status != Status.UNKNOWN else None
    summary = _summary_base(ws, sc, problem, res, params)
    if plan is None:
        summary["explanation"] = ["no plan was found within the time limit; allow more time"]
        with staged_folder(Path(out), opts.force) as tmp:
            write_json(summary, tmp / "summary.json")
        return RunOutcome(summary, None, Path(out))

    chk = check_plan(problem, plan)
    if not chk.ok:  # a bug, never a user error: stop loudly rather than write a broken plan
        raise RuntimeError("plan breaks rules: " + "; ".join(chk.violations[:10]))
    load = site_load(problem, plan)
    summary.update(
        terms={t: plan.terms[t] for t in ALL_TERMS},
        firms={**summary["firms"], "planned": len(plan.moves)},
        quota=quota_report(problem, plan),
        moves_per_year={str(k): v for k, v in plan.moves_per_year.items()},
        weighted_objective=plan.objective,
        check={"ok": True, "objective": chk.objective},
    )
    schedule = plan.moves.copy()
    schedule["total_vnd"] = weighted_total(schedule, sc)
    schedule = schedule[list(SCHEDULE_COLUMNS)]
    land = freed_land_outputs(ws.firms, ws.stations, ws.sites, plan.moves, sc)
    summary["freed_land"] = land["summary"]
    with staged_folder(Path(out), opts.force) as tmp:
        write_csv(schedule, tmp / "schedule.csv")
        write_csv(load, tmp / "site_load.csv")
        write_schedule_xlsx(
            tmp / "schedule.xlsx",
            schedule,
            summary_rows(summary, sc.name, problem.years),
            extra_sheets=workbook_sheets(load, land.get("by_zone")),
            years=problem.years,
        )
        write_plan_gpkg(tmp / "plan.gpkg", ws, plan.moves, load, land["parcels"], sc.crs.output)
        write_csv(land["table"], tmp / "freed_land.csv")
        write_text(
            render_charts(
                moves=plan.moves,
                site_load=load,
                freed_by_zone_year=land["by_zone"],
                zones=ws.zones,
                years=problem.years,
                lang=opts.lang,
            ),
            tmp / "charts.html",
        )
        write_text(scenario_toml(sc), tmp / "scenario.toml")
        if opts.render_map:
            render_run_map(
                zones=ws.zones,
                sites=ws.sites,
                stations=ws.stations,
                firms=ws.firms,
                moves=plan.moves,
                site_load=load,
                freed_land=land["parcels"],
                path=tmp / "map.html",
                lang=opts.lang,
                sc=sc,
                sectors=ws.sectors,
            )
        write_json(summary, tmp / "summary.json")
    return RunOutcome(summary, plan, Path(out))


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


def _write_infeasible(
    ws: Workspace,
    sc: Scenario,
    problem: Problem,
    res: SolveResult | None,
    params: SolveParams,
    reasons: list[str],
    out: Path,
    opts: PlanOptions,
    token: StopToken | None,
) -> RunOutcome:
    explanation = list(reasons)
    if not explanation:
        core = conflicting_rules(problem, time_limit_s=min(60.0, params.time_limit_s))
        if core:
            explanation = ["these rules cannot all hold together:"] + summarise_core(problem, core)
        else:
            explanation = [
                "the solver proved that no plan keeps every rule "
                "(no short set of conflicting rules was found in time)"
            ]
    first = sc.quota[0].by_year if sc.quota else None
    share = None
    if first is not None:
        share = best_share(
            problem,
            first,
            SolveParams(
                time_limit_s=min(30.0, params.time_limit_s),
                workers=params.workers,
                seed=params.seed,
                relative_gap=0.0,
            ),
        )
    summary = _summary_base(ws, sc, problem, res, params)
    summary.update(
        status=Status.INFEASIBLE.value,
        explanation=explanation,
        best_achievable_share={
            "by_year": first,
            "share": None if share is None else round(share, 6),
        },
    )
    with staged_folder(out, opts.force) as tmp:
        write_json(summary, tmp / "summary.json")
    if share is not None:
        explanation = [*explanation, f"the highest share achievable by {first} is {share:.1%}"]
    raise InfeasibleError(explanation, best_share=share)
