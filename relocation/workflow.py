"""The planning workflow: workspace → problem → solve → plan, then the run folder.

:func:`plan_scenario` computes a frozen :class:`PlanResult` (no file is touched);
:func:`relocation.run_folder.write_run` writes it; :func:`plan_workspace` does both for a
workspace folder. Everything a run needs to be reproduced goes into its summary (built
once, by :func:`build_summary`): input hashes, the scenario as used, solver parameters and
seed, status, objective, bound and gap.

A stop token (Ctrl-C, SIGTERM) is honoured in every phase: the solve, the infeasibility
explanation, the freed-land outputs and the writing; a stopped run raises
:class:`models.solve.Interrupted` and writes nothing.
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from geodata.adapter import to_problem
from geodata.outputs import check_destination
from geodata.workspace import Workspace, read_workspace
from models.conflicts import best_share, conflicting_rules
from models.decode import decode_plan
from models.solve import SolveParams, SolveResult, Status, StopToken, solve
from relocation.domain.check import check_plan
from relocation.domain.errors import InfeasibleError, InputError
from relocation.domain.problem import ALL_TERMS, Plan, Problem
from relocation.domain.scenario import Scenario, unknown_override_ids
from relocation.freed_land import freed_land_outputs, with_history
from relocation.infeasibility import (
    Note,
    core_notes,
    explanation_lines,
    precheck,
    render,
)
from relocation.messages import LANGUAGES, format_issue
from relocation.phases import check_stop, enter_phase
from relocation.run_folder import SCHEDULE_COLUMNS, PlanResult, write_run

__all__ = ["SCHEDULE_COLUMNS", "PlanOptions", "PlanResult", "RunOutcome", "plan_scenario",
           "plan_workspace", "write_run"]

log = logging.getLogger(__name__)

#: Why a run without a plan in time has none (its explanation note, and in English).
NO_PLAN_NOTE = Note("infeas.no_plan")
NO_PLAN_MESSAGE = NO_PLAN_NOTE.text("en")


@dataclass(frozen=True)
class PlanOptions:
    """Command-line settings of a planning run (they override ``[solver]``).

    ``command`` is the command line as typed (recorded in ``summary.json``); the CLI passes
    it, library code never reads ``sys.argv``.
    """

    time_limit_s: float | None = None
    deterministic_time_s: float | None = None
    workers: int | None = None
    seed: int | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    force: bool = False
    render_map: bool = True
    lang: str = "vi"
    command: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunOutcome:
    """What a run produced (the summary as written, and the plan if there is one)."""

    summary: Mapping[str, Any]
    plan: Plan | None
    out: Path
    result: PlanResult | None = None


#: Command-line options that set a scenario key: key → (option, ``PlanOptions`` attribute).
OPTION_KEYS = {
    "solver.time_limit_s": ("--time-limit", "time_limit_s"),
    "solver.deterministic_time_s": ("--deterministic-time", "deterministic_time_s"),
    "solver.workers": ("--workers", "workers"),
    "solver.seed": ("--seed", "seed"),
}


def option_updates(opts: PlanOptions) -> tuple[dict[str, Any], dict[str, str]]:
    """The scenario updates the options make (``--set``, then solver options), and their source.

    Returns
    -------
    tuple of dict
        ``(dotted key → value, dotted key → option)``, for
        :meth:`~relocation.domain.scenario.Scenario.with_overrides`.
    """
    updates: dict[str, Any] = dict(opts.overrides)
    sources = {key: "--set" for key in updates}
    for key, (option, attr) in OPTION_KEYS.items():
        value = getattr(opts, attr)
        if value is not None:
            updates[key] = value
            sources[key] = option
    return updates, sources


def apply_settings(
    ws: Workspace, base: Scenario, updates: Mapping[str, Any], source: str | Mapping[str, str]
) -> Scenario:
    """``base`` with ``updates``, refusing ids the workspace lacks (plan and sweep alike).

    Raises
    ------
    InputError
        Unknown site or zone ids, bad keys or values (every problem at once).
    """
    issues = unknown_override_ids(updates, ws.sites["site_id"], ws.zones["zone_id"], source)
    try:
        sc = base.with_overrides(updates, source) if updates else base
    except InputError as exc:
        issues += exc.issues
    if issues:
        raise InputError(issues, summary="bad setting")
    return sc


def effective_scenario(ws: Workspace, opts: PlanOptions) -> Scenario:
    """The workspace's scenario with overrides, then the command-line solver settings."""
    updates, sources = option_updates(opts)
    return apply_settings(ws, ws.scenario, updates, sources)


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


def build_summary(
    ws: Workspace,
    sc: Scenario,
    problem: Problem,
    params: SolveParams,
    res: SolveResult | None,
    *,
    plan: Plan | None = None,
    checked_objective: int | None = None,
    freed_land: Mapping[str, Any] | None = None,
    explanation: Sequence[Note] = (),
    best: tuple[int | None, float | None] | None = None,
    command: Sequence[str] = (),
) -> Mapping[str, Any]:
    """The run's ``summary.json`` (the one place it is built; keys in the README).

    Parameters
    ----------
    ws, sc, problem, params, res
        The run's inputs and solve result (``res`` None: infeasible before the solve).
    plan : Plan, optional
        The checked plan (terms, moves per year, shares).
    checked_objective : int, optional
        The objective recomputed by :func:`~relocation.domain.check.check_plan`.
    freed_land : mapping, optional
        The freed-land summary.
    explanation : sequence of Note
        Why there is no plan: written in English (``explanation``) and as notes
        (``explanation_notes``, rendered in either language when shown).
    best : tuple, optional
        ``(by_year, share)``: the highest achievable share (infeasible scenarios).
    command : sequence of str
        The command line.

    Returns
    -------
    mapping
        Read-only.
    """
    import ortools

    infeasible = best is not None or res is None or res.status == Status.INFEASIBLE
    status = Status.INFEASIBLE.value if infeasible or res is None else res.status.value
    summary: dict[str, Any] = {
        "scenario": sc.name,
        "status": status,
        "objective": None if res is None else res.objective,
        "terms": None if plan is None else {t: plan.terms[t] for t in ALL_TERMS},
        "best_bound": None if res is None or res.best_bound is None else round(res.best_bound, 3),
        "gap": None if res is None else res.gap,
        "wall_time_s": None if res is None else res.wall_time_s,
        "firms": {
            "slated": problem.n_slated,
            "moved_before": problem.n_moved_before,
            "planned": 0 if plan is None else len(plan.moves),
        },
        "quota": quota_report(problem, plan),
        "moves_per_year": {}
        if plan is None
        else {str(k): v for k, v in plan.moves_per_year.items()},
        "solver": {
            **params.as_dict(),
            "ortools_version": ortools.__version__,
            "python": platform.python_version(),
            "stats": {} if res is None else dict(res.stats),
        },
        "progress": [] if res is None else list(res.progress),
        "inputs": dict(ws.input_hashes),
        "input_warnings": [w.format() for w in ws.warnings],
        "input_warnings_vi": [format_issue(w, "vi") for w in ws.warnings],
        "workspace": str(ws.root),
        "command": list(command),
    }
    if plan is not None:
        summary["weighted_objective"] = plan.objective
        summary["check"] = {"ok": True, "objective": checked_objective}
        if freed_land is not None:
            summary["freed_land"] = dict(freed_land)
    else:
        summary["explanation"] = render(explanation, "en")
        summary["explanation_notes"] = [n.as_dict() for n in explanation]
    if best is not None:
        by_year, share = best
        summary["best_achievable_share"] = {
            "by_year": by_year,
            "share": None if share is None else round(share, 6),
        }
    return MappingProxyType(summary)


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
    enter_phase("reading", token)
    ws = read_workspace(Path(workspace))
    sc = effective_scenario(ws, opts)
    result = plan_scenario(ws, sc, on_progress, token, command=opts.command)
    write_run(
        result, Path(out), force=opts.force, render_map=opts.render_map, lang=opts.lang,
        token=token,
    )
    outcome = RunOutcome(result.summary, result.plan, Path(out), result)
    if result.infeasible:
        raise infeasible_error(result)
    return outcome


def infeasible_lines(result: PlanResult, lang: str = "en") -> list[str]:
    """The explanation of an infeasible result in ``lang``, with its highest achievable share."""
    return explanation_lines(result.summary, lang, best=True)


def infeasible_error(result: PlanResult) -> InfeasibleError:
    """The error an infeasible result raises: its explanation in English and translated."""
    return InfeasibleError(
        infeasible_lines(result), best_share=result.best_share,
        translations={lang: infeasible_lines(result, lang) for lang in LANGUAGES},
    )


def plan_scenario(
    ws: Workspace,
    sc: Scenario,
    on_progress: Callable[[Mapping[str, Any]], None] | None = None,
    token: StopToken | None = None,
    command: Sequence[str] = (),
    *,
    problem: Problem | None = None,
    hint_rows: np.ndarray | None = None,
) -> PlanResult:
    """Plan an already-read workspace under a fully merged scenario (nothing is written).

    :func:`plan_workspace` reads the workspace, applies the command-line settings, calls
    this, then :func:`relocation.run_folder.write_run`; a sweep reads the workspace once and
    calls this once per scenario (in a worker process).

    Parameters
    ----------
    ws : Workspace
    sc : Scenario
        The scenario as used (overrides and solver settings applied).
    on_progress : callable, optional
        Progress events of the solve.
    token : StopToken, optional
        Stops the run in any phase (raising :class:`~models.solve.Interrupted`).
    command : sequence of str
        The command line, recorded in the summary.
    problem : Problem, optional
        The problem to solve, when the caller assembled it (the replan: actuals and
        baseline applied); by default ``to_problem(ws, sc)``.
    hint_rows : numpy.ndarray, optional
        Option rows of a known plan handed to the solver (the replan's baseline).

    Returns
    -------
    PlanResult
        With a plan; infeasible with its explanation; or without a plan in time
        (status ``UNKNOWN``).

    Raises
    ------
    InputError
        The scenario does not fit the workspace.
    models.solve.Interrupted
        Stopped.
    """
    enter_phase("presolve", token)
    problem = to_problem(ws, sc) if problem is None else problem
    params = solve_params(sc)
    reasons = precheck(problem)
    res = None
    if not reasons:
        enter_phase("solve", token)
        res = solve(problem, params, on_progress=on_progress, token=token, hint_rows=hint_rows)
        check_stop(token)  # a stop during the last stage ends the run here, not in a write
    if reasons or res is None or res.status == Status.INFEASIBLE:
        return _infeasible(ws, sc, problem, params, res, reasons, token, command)

    plan = decode_plan(problem, res.rows) if len(res.rows) or res.status != Status.UNKNOWN else None
    if plan is None:
        summary = build_summary(
            ws, sc, problem, params, res, explanation=[NO_PLAN_NOTE], command=command
        )
        return PlanResult(ws, sc, problem, params, res, None, None, None, summary,
                          (NO_PLAN_MESSAGE,))

    chk = check_plan(problem, plan)
    if not chk.ok:  # a bug, never a user error: stop loudly rather than write a broken plan
        raise RuntimeError("plan breaks rules: " + "; ".join(chk.violations[:10]))
    enter_phase("outputs", token)
    load = site_load(problem, plan)
    firms = with_history(ws.firms, problem.firms)
    land = freed_land_outputs(firms, ws.stations, ws.sites, plan.moves, sc, ws.zones)
    check_stop(token)
    summary = build_summary(
        ws, sc, problem, params, res, plan=plan, checked_objective=chk.objective,
        freed_land=land["summary"], command=command,
    )
    return PlanResult(ws, sc, problem, params, res, plan, load, MappingProxyType(land), summary)


def _infeasible(
    ws: Workspace,
    sc: Scenario,
    problem: Problem,
    params: SolveParams,
    res: SolveResult | None,
    reasons: list[Note],
    token: StopToken | None,
    command: Sequence[str],
) -> PlanResult:
    """The explanation of an infeasible scenario (its solves honour ``token``)."""
    enter_phase("explanation", token)
    explanation = list(reasons)
    if not explanation:
        core = conflicting_rules(problem, time_limit_s=min(60.0, params.time_limit_s), token=token)
        explanation = core_notes(problem, core)
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
            token=token,
        )
    check_stop(token)
    summary = build_summary(
        ws, sc, problem, params, res, explanation=explanation, best=(first, share),
        command=command,
    )
    return PlanResult(ws, sc, problem, params, res, None, None, None, summary,
                      tuple(summary["explanation"]), share)
