"""Solve the relocation model: LP bound, greedy plan, reduced-cost fixing, then CP-SAT.

1. The LP relaxation (HiGHS) gives a lower bound ``LB``, the reduced cost of every move
   and a fractional plan.
2. The greedy heuristic, guided by the fractional plan, builds a plan (objective ``UB``):
   the first plan, usually within seconds, and CP-SAT's hint.
3. Reduced-cost fixing: a move whose reduced cost exceeds ``UB − LB`` cannot belong to a
   plan better than the greedy one, so it gets no variable. The kept model still holds
   the greedy plan, so CP-SAT's bound on it is a bound on the whole problem.
4. CP-SAT improves the plan and proves the gap. The reported bound is the better of the
   LP bound and CP-SAT's.

Stopping rule: the time limit (wall clock, or CP-SAT's deterministic time when
``deterministic_time_s`` is set) or the relative gap, whichever comes first.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import numpy as np
import ortools
from ortools.sat.python import cp_model

from models.build import BuiltModel, ModelSpec, build_model, new_solver
from models.heuristic import greedy_plan
from models.lagrange import solve_lagrangian
from models.relax import solve_relaxation
from relocation.domain.costs import option_coefficients
from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS, Problem

log = logging.getLogger(__name__)


class Status(StrEnum):
    """Outcome of a solve."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"


#: CP-SAT status -> ours (the one mapping table).
_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
    cp_model.MODEL_INVALID: Status.UNKNOWN,
}


@dataclass(frozen=True)
class SolveParams:
    """Solver settings (from ``[solver]`` and the command line)."""

    time_limit_s: float = 60.0
    deterministic_time_s: float | None = None
    workers: int = 2
    seed: int = 0
    relative_gap: float = 0.001

    def as_dict(self) -> dict[str, Any]:
        """Parameters as recorded in ``summary.json``."""
        return {
            "time_limit_s": self.time_limit_s,
            "deterministic_time_s": self.deterministic_time_s,
            "workers": self.workers,
            "seed": self.seed,
            "relative_gap": self.relative_gap,
            "ortools_version": ortools.__version__,
            "cp_sat": {
                "num_workers": self.workers,
                "random_seed": self.seed,
                "relative_gap_limit": self.relative_gap,
                "linearization_level": 2,
            },
        }


class StopToken:
    """Lets a signal handler stop a running solve (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requested: str | None = None
        self._solver: cp_model.CpSolver | None = None

    def stop(self, reason: str = "stop") -> None:
        """Ask the solve to stop as soon as it can."""
        with self._lock:
            self.requested = reason
            if self._solver is not None:
                self._solver.stop_search()

    def attach(self, solver: cp_model.CpSolver | None) -> None:
        """Register the running CP-SAT solver (None when it is done)."""
        with self._lock:
            self._solver = solver
            if solver is not None and self.requested:
                solver.stop_search()


class Interrupted(Exception):
    """The solve was stopped by a signal."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SolveResult:
    """A frozen solve outcome.

    Attributes
    ----------
    status : Status
    rows : numpy.ndarray
        Chosen rows of ``problem.options`` (empty when no plan was found).
    objective : int or None
        Objective of the plan (VND) as optimised (the last stage's, in lexicographic mode).
    best_bound : float or None
        Proven lower bound on that objective.
    gap : float or None
        ``(objective − best_bound) / objective`` (0 when the objective is 0).
    wall_time_s : float
        Seconds spent solving.
    progress : tuple of dict
        ``{"t", "objective", "bound", "source"}`` events, in time order.
    parameters : mapping
        Solver parameters as used.
    stats : mapping
        Model sizes, LP bound and time, greedy objective, stages.
    """

    status: Status
    rows: np.ndarray
    objective: int | None
    best_bound: float | None
    gap: float | None
    wall_time_s: float
    progress: tuple[Mapping[str, Any], ...]
    parameters: Mapping[str, Any]
    stats: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


def gap_of(objective: float, bound: float) -> float:
    """Relative gap ``(objective − bound) / |objective|``; 0 for a zero objective at its bound."""
    if objective == 0:
        return 0.0 if bound >= 0 else float("inf")
    return max(0.0, (objective - bound) / abs(objective))


def rows_objective(problem: Problem, rows: np.ndarray, spec: ModelSpec) -> int:
    """Objective of a set of option rows under ``spec`` (same rule as the CP-SAT model)."""
    opts = problem.options
    coef = opts["weighted_vnd"].to_numpy() if spec.coefficients is None else spec.coefficients
    total = int(np.asarray(coef)[rows].sum())
    w = int(round(spec.split_weight * problem.scenario.costs.supply_split_vnd))
    if w:
        firm = opts["firm"].to_numpy()[rows]
        site = opts["site"].to_numpy()[rows]
        where = dict(zip(firm.tolist(), site.tolist(), strict=True))
        for members in problem.supply_groups().values():
            used = {where[f] for f in members.tolist() if f in where}
            if used:
                total += w * (len(used) - 1)
    sc = problem.scenario
    if sc.rules.soft_quota:
        year = opts["year"].to_numpy()[rows]
        for q in sc.quota:
            need = q.min_count(problem.n_slated) - problem.n_moved_before
            total += (
                max(0, need - int((year <= q.by_year).sum()))
                * sc.rules.quota_shortfall_vnd_per_firm
            )
    return total


def rows_feasible(problem: Problem, rows: np.ndarray, spec: ModelSpec) -> bool:
    """Whether option rows form a plan that keeps every hard rule of the model."""
    opts = problem.options
    firm = opts["firm"].to_numpy()[rows]
    site = opts["site"].to_numpy()[rows]
    year = opts["year"].to_numpy()[rows]
    area = opts["area_m2"].to_numpy()[rows]
    if len(np.unique(firm)) != len(firm):
        return False
    mand = np.flatnonzero(problem.must_move)
    if not np.isin(mand, firm).all():
        return False
    sc = problem.scenario
    n, before = problem.n_slated, problem.n_moved_before
    for q in sc.quota:
        c = before + int((year <= q.by_year).sum())
        if c > q.max_count(n) or (not sc.rules.soft_quota and c < q.min_count(n)):
            return False
    for k, y in enumerate(problem.years):
        used = np.bincount(site[year <= y], weights=area[year <= y], minlength=len(problem.sites))
        if (used > problem.capacity_m2[:, k]).any():
            return False
        lim = sc.limits
        if lim.max_moves_per_year is not None and (year == y).sum() > lim.max_moves_per_year:
            return False
        if lim.budget_vnd_per_year is not None:
            spent = opts["support_vnd"].to_numpy()[rows][year == y].sum()
            if spent > lim.budget_vnd_per_year:
                return False
    for coef, sw, rhs in spec.extra_le:
        sub = ModelSpec(coefficients=coef, split_weight=sw)
        if rows_objective(problem, rows, sub) > rhs:
            return False
    return True


class _Tracker(cp_model.CpSolverSolutionCallback):
    """Records CP-SAT's improving plans, stops at the gap target, reports progress."""

    def __init__(self, run: _Run, lb: float, report: bool = True) -> None:
        super().__init__()
        self.run = run
        self.lb = lb
        self.report = report

    def on_solution_callback(self) -> None:
        obj = self.objective_value
        # A neighbourhood's own bound is not a bound on the whole problem.
        bound = max(self.best_objective_bound, self.lb) if self.report else self.lb
        self.run.event(obj, bound if bound > -float("inf") else None, "cp-sat")
        if bound > -float("inf") and gap_of(obj, bound) <= self.run.params.relative_gap:
            self.stop_search()


class _Run:
    """State shared by the stages of one solve: clock, progress events, stop token."""

    def __init__(
        self,
        params: SolveParams,
        on_progress: Callable[[Mapping[str, Any]], None] | None,
        token: StopToken | None,
    ) -> None:
        self.params = params
        self.t0 = time.monotonic()
        self.events: list[dict[str, Any]] = []
        self.on_progress = on_progress
        self.token = token or StopToken()
        self.best_bound = -float("inf")

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def remaining(self) -> float:
        return max(0.0, self.params.time_limit_s - self.elapsed())

    def event(self, objective: float | None, bound: float | None, source: str) -> None:
        if bound is not None:
            self.best_bound = max(self.best_bound, bound)
        ev = {
            "t": round(self.elapsed(), 3),
            "objective": objective,
            "bound": None if self.best_bound == -float("inf") else self.best_bound,
            "source": source,
        }
        self.events.append(ev)
        if self.on_progress is not None:
            self.on_progress(ev)

    def check_stop(self) -> None:
        if self.token.requested:
            raise Interrupted(self.token.requested)


#: Above this many moves the bound comes from the Lagrangian relaxation instead of the LP.
LP_MAX_OPTIONS = 400_000
#: Share of a stage's remaining time for the neighbourhood search (the rest: exact model).
LNS_SHARE = 0.85
#: Share of that time for the first (reduced-cost) neighbourhood.
FIRST_NEIGHBOURHOOD_SHARE = 0.15
#: Options per firm (lowest reduced cost first) in the restricted CP-SAT neighbourhood.
NEIGHBOURHOOD_PER_FIRM = 4
#: Most variables the exact (reduced-cost-fixed) CP-SAT model may have.
MAX_EXACT_VARIABLES = 400_000


def _lowest_per_firm(problem: Problem, rows: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` rows with the lowest score for each firm."""
    firm = problem.options["firm"].to_numpy()[rows]
    order = np.lexsort((score, firm))
    f_sorted = firm[order]
    first = np.r_[0, np.flatnonzero(np.diff(f_sorted)) + 1]
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    return rows[order[rank < k]]


def _cp_sat(
    problem: Problem,
    spec: ModelSpec,
    keep: np.ndarray | None,
    hint: np.ndarray | None,
    run: _Run,
    lb: float,
    seconds: float,
    det_share: float,
    stats: dict[str, Any],
    exact: bool,
) -> tuple[int, np.ndarray | None, int | None, float | None]:
    """Solve CP-SAT on the ``keep`` rows; returns (cp status, rows, objective, bound)."""
    params = run.params
    sub = ModelSpec(
        option_rows=keep,
        coefficients=spec.coefficients,
        split_weight=spec.split_weight,
        extra_le=spec.extra_le,
        fix=spec.fix,
    )
    bm = build_model(problem, sub)
    if hint is not None:
        _add_hint(problem, bm, hint)
    solver = new_solver()
    p = solver.parameters
    p.num_workers = params.workers
    p.random_seed = params.seed
    p.relative_gap_limit = params.relative_gap
    p.linearization_level = 2
    if params.deterministic_time_s is not None:
        p.max_deterministic_time = params.deterministic_time_s * det_share
        p.max_time_in_seconds = 10 * params.time_limit_s
    else:
        p.max_time_in_seconds = max(0.5, seconds)
    tracker = _Tracker(run, lb if exact else -float("inf"), report=exact)
    run.token.attach(solver)
    try:
        code = solver.solve(bm.model, tracker)
    finally:
        run.token.attach(None)
    stats["exact" if exact else "neighbourhood"] = {
        "status": solver.status_name(code),
        "variables": len(bm.x),
        "constraints": len(bm.model.proto.constraints),
        "wall_time_s": round(solver.wall_time, 3),
        "deterministic_time": round(solver.deterministic_time, 3),
        "objective": solver.objective_value
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else None,
        "bound": solver.best_objective_bound
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else None,
    }
    run.check_stop()
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return code, None, None, None
    chosen = solver.boolean_values(bm.x).to_numpy(dtype=bool)
    rows = np.array(sorted(bm.x.index[chosen]), dtype=np.int64)
    return code, rows, int(round(solver.objective_value)), float(solver.best_objective_bound)


def _site_neighbourhoods(
    problem: Problem,
    spec: ModelSpec,
    run: _Run,
    lb: float,
    incumbent: np.ndarray,
    end_s: float,
    det_budget: float,
    stats: dict[str, Any],
) -> Iterator[np.ndarray]:
    """Yield improving plans from CP-SAT runs on site neighbourhoods.

    Neighbourhoods are drawn with the run's seed, so their sequence is reproducible.
    """
    params = run.params
    opts = problem.options
    firm = opts["firm"].to_numpy()
    site = opts["site"].to_numpy()
    n_sites = len(problem.sites)
    rng = np.random.default_rng(params.seed)
    k = min(n_sites, 3)
    best = incumbent
    best_obj = rows_objective(problem, best, spec)
    planned_firms = np.flatnonzero(problem.planned)
    tries = improved = 0
    det_used = 0.0
    while True:
        if params.deterministic_time_s is not None:
            if det_used >= det_budget:
                break
        elif end_s - run.elapsed() < 0.5:
            break
        run.check_stop()
        chosen = rng.choice(n_sites, size=k, replace=False)
        at = np.isin(site[best], chosen)
        moved = firm[best]
        free = np.union1d(moved[at], np.setdiff1d(planned_firms, moved))
        rows = np.flatnonzero(np.isin(firm, free) & np.isin(site, chosen))
        rows = np.union1d(rows, best[~at])
        sub = ModelSpec(
            option_rows=rows,
            coefficients=spec.coefficients,
            split_weight=spec.split_weight,
            extra_le=spec.extra_le,
        )
        bm = build_model(problem, sub)
        _add_hint(problem, bm, best)
        solver = new_solver()
        p = solver.parameters
        p.num_workers = params.workers
        p.random_seed = params.seed + tries
        if params.deterministic_time_s is not None:
            p.max_deterministic_time = max(0.05, min(0.3, det_budget - det_used))
        else:
            p.max_time_in_seconds = max(0.2, min(0.5, end_s - run.elapsed()))
        run.token.attach(solver)
        try:
            code = solver.solve(bm.model)
        finally:
            run.token.attach(None)
        det_used += solver.deterministic_time
        tries += 1
        whole = k == n_sites and len(free) == len(planned_firms)
        if whole and code == cp_model.OPTIMAL and not spec.extra_le:
            # The neighbourhood was the whole problem: its optimum is the optimum.
            chosen_x = solver.boolean_values(bm.x).to_numpy(dtype=bool)
            cand = np.array(sorted(bm.x.index[chosen_x]), dtype=np.int64)
            stats["lns"] = {"neighbourhoods": tries, "improved": improved, "proved": True}
            if rows_objective(problem, cand, spec) < best_obj:
                yield cand
            return
        if code == cp_model.OPTIMAL and k < n_sites:
            k += 1  # solved whole: try a larger neighbourhood
        elif code != cp_model.OPTIMAL and k > 2:
            k -= 1
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            obj = int(round(solver.objective_value))
            if obj < best_obj:
                chosen_x = solver.boolean_values(bm.x).to_numpy(dtype=bool)
                cand = np.array(sorted(bm.x.index[chosen_x]), dtype=np.int64)
                if rows_feasible(problem, cand, spec):
                    best, best_obj = cand, obj
                    improved += 1
                    stats["lns"] = {"neighbourhoods": tries, "improved": improved}
                    yield best
    stats["lns"] = {"neighbourhoods": tries, "improved": improved}


def _solve_stage(
    problem: Problem,
    spec: ModelSpec,
    run: _Run,
    time_share: float,
    hint: np.ndarray | None,
    stats: dict[str, Any],
) -> tuple[Status, np.ndarray, int | None, float | None]:
    params = run.params
    stage_budget = run.remaining() * time_share
    stage_end = run.elapsed() + stage_budget
    n_all = len(problem.options)
    stats["options"] = n_all
    lb = -float("inf")
    best_rows: np.ndarray | None = None
    ub: int | None = None

    def consider(rows: np.ndarray | None, source: str) -> None:
        nonlocal best_rows, ub
        if rows is not None and rows_feasible(problem, rows, spec):
            val = rows_objective(problem, rows, spec)
            if ub is None or val < ub:
                best_rows, ub = rows, val
                run.event(val, None, source)

    def done() -> bool:
        return ub is not None and lb > -float("inf") and gap_of(ub, lb) <= params.relative_gap

    if spec.fix:  # fixed moves (tests, what-ifs) go straight to the exact model
        code, rows, obj, bound = _cp_sat(
            problem, spec, None, None, run, lb, stage_end - run.elapsed(), time_share, stats, True
        )
        if code == cp_model.INFEASIBLE:
            return Status.INFEASIBLE, np.zeros(0, dtype=np.int64), None, None
        if rows is None:
            return Status.UNKNOWN, np.zeros(0, dtype=np.int64), None, None
        assert obj is not None and bound is not None
        st = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE
        return st, rows, obj, (float(obj) if st == Status.OPTIMAL else bound)

    # 0. A first plan in a second: the greedy alone (or the previous stage's plan).
    consider(hint, "hint")
    consider(greedy_plan(problem), "greedy")
    run.check_stop()

    # 1. LP relaxation (column generation): bound, reduced costs, fractional plan.
    lp_limit = max(1.0, 0.5 * stage_budget) if params.deterministic_time_s is None else 3600.0
    if len(problem.options) <= LP_MAX_OPTIONS:
        rel = solve_relaxation(problem, spec, time_limit_s=lp_limit, threads=1, hint_rows=best_rows)
    else:
        rel = solve_lagrangian(
            problem, spec, time_limit_s=min(lp_limit, 0.3 * stage_budget), upper_bound=ub
        )
        stats["relaxation"] = "lagrangian"
    stats.update(lp_status=rel.status, lp_seconds=round(rel.seconds, 3), lp_rounds=rel.rounds)
    run.check_stop()
    if rel.status == "infeasible":
        stats["infeasible_by"] = "lp"
        return Status.INFEASIBLE, np.zeros(0, dtype=np.int64), None, None
    if rel.status == "optimal":
        lb = rel.bound - 1e-7 * abs(rel.bound) - 1.0
        stats["lp_bound"] = rel.bound
        run.event(ub, lb, "lp")
        # 2. The greedy again, guided by the fractional plan.
        consider(greedy_plan(problem, rel.value), "greedy-lp")
    stats["greedy_objective"] = ub
    run.check_stop()

    # 3. CP-SAT on neighbourhoods (large-neighbourhood search): first the few best moves
    #    of each firm by reduced cost with the LP's and the plan's; then, in turn, the
    #    firms of a few sites, free to move among those sites in any year while every
    #    other firm keeps its move. Improves the plan; these bounds are not global.
    if not done() and rel.status == "optimal":
        near = _lowest_per_firm(problem, rel.rows, rel.reduced_cost, NEIGHBOURHOOD_PER_FIRM)
        near = np.union1d(near, rel.rows[rel.value > 1e-6])
        if best_rows is not None:
            near = np.union1d(near, best_rows)
        budget = LNS_SHARE * (stage_end - run.elapsed())
        first = min(budget, max(2.0, FIRST_NEIGHBOURHOOD_SHARE * budget))
        code, rows, obj, _ = _cp_sat(
            problem, spec, near, best_rows, run, lb, first, 0.2 * time_share, stats, False
        )
        consider(rows, "cp-sat")
        if best_rows is not None and not done():
            lns_end = run.elapsed() + budget - first
            det_budget = 0.3 * time_share * (params.deterministic_time_s or 0.0)
            for rows in _site_neighbourhoods(
                problem, spec, run, lb, best_rows, lns_end, det_budget, stats
            ):
                consider(rows, "cp-sat-lns")
                if done():
                    break
            if stats.get("lns", {}).get("proved") and ub is not None:
                lb = max(lb, float(ub))

    # 4. Exact CP-SAT after reduced-cost fixing against the best plan: its bound is global.
    if not done() and best_rows is not None and ub is not None:
        keep = None
        if rel.status == "optimal":
            slack = (ub - lb) + 1e-6 * abs(ub) + 1000.0
            keep = np.union1d(rel.rows[rel.reduced_cost <= slack], best_rows)
        n_keep = n_all if keep is None else len(keep)
        stats["options_kept"] = int(n_keep)
        secs = stage_end - run.elapsed()
        if n_keep <= MAX_EXACT_VARIABLES and secs > 0.5:
            code, rows, obj, bound = _cp_sat(
                problem, spec, keep, best_rows, run, lb, secs, 0.5 * time_share, stats, True
            )
            consider(rows, "cp-sat")
            if code == cp_model.OPTIMAL and obj is not None and ub is not None and obj <= ub:
                # Optimal on the kept moves is optimal overall: dropped ones cannot beat UB.
                lb = max(lb, float(ub))
            elif bound is not None:
                lb = max(lb, bound)
    elif not done() and best_rows is None:
        # No plan yet: the exact model on every move decides.
        code, rows, obj, bound = _cp_sat(
            problem, spec, None, None, run, lb, stage_end - run.elapsed(), time_share, stats, True
        )
        if code == cp_model.INFEASIBLE:
            stats["infeasible_by"] = "cp-sat"
            return Status.INFEASIBLE, np.zeros(0, dtype=np.int64), None, None
        consider(rows, "cp-sat")
        if code == cp_model.OPTIMAL and ub is not None:
            lb = max(lb, float(ub))
        elif bound is not None:
            lb = max(lb, bound)

    bound_out = lb if lb > -float("inf") else None
    if best_rows is None or ub is None:
        return Status.UNKNOWN, np.zeros(0, dtype=np.int64), None, bound_out
    run.event(ub, bound_out, "final")
    st = Status.OPTIMAL if bound_out is not None and gap_of(ub, bound_out) <= 0 else Status.FEASIBLE
    return st, best_rows, ub, bound_out


def _add_hint(problem: Problem, bm: BuiltModel, rows: np.ndarray) -> None:
    """Hint a complete assignment: the moves and the supply-group and shortfall variables."""
    hinted = set(rows.tolist())
    for r, var in bm.x.items():
        bm.model.add_hint(var, 1 if r in hinted else 0)
    opts = problem.options
    firm = opts["firm"].to_numpy()[rows]
    site = opts["site"].to_numpy()[rows]
    year = opts["year"].to_numpy()[rows]
    where = dict(zip(firm.tolist(), site.tolist(), strict=True))
    groups = problem.supply_groups()
    for g, m in bm.group_m.items():
        bm.model.add_hint(m, int(any(f in where for f in groups[g].tolist())))
    for (g, s), u in bm.group_u.items():
        bm.model.add_hint(u, int(any(where.get(f) == s for f in groups[g].tolist())))
    for y, short in bm.shortfall.items():
        need = 0
        for q in problem.scenario.quota:
            if q.by_year == y:
                need = q.min_count(problem.n_slated) - problem.n_moved_before
        bm.model.add_hint(short, max(0, need - int((year <= y).sum())))


def solve(
    problem: Problem,
    params: SolveParams | None = None,
    on_progress: Callable[[Mapping[str, Any]], None] | None = None,
    token: StopToken | None = None,
    spec: ModelSpec | None = None,
    hint_rows: np.ndarray | None = None,
) -> SolveResult:
    """Solve ``problem`` and return a frozen :class:`SolveResult`.

    Parameters
    ----------
    problem : Problem
    params : SolveParams, optional
    on_progress : callable, optional
        Called with each progress event (elapsed time, best objective, bound).
    token : StopToken, optional
        Lets a signal handler stop the solve; a stopped solve raises :class:`Interrupted`.
    spec : ModelSpec, optional
        Model variant (tests fix moves with it).
    hint_rows : numpy.ndarray, optional
        Option rows of a known plan (the replan's baseline): the first incumbent when it
        keeps every rule, ignored otherwise.

    Returns
    -------
    SolveResult
    """
    params = params or SolveParams()
    run = _Run(params, on_progress, token)
    base = spec or ModelSpec()
    stats: dict[str, Any] = {"mode": problem.scenario.weights.mode}
    w = problem.scenario.weights
    if w.mode == "lexicographic":
        cost = option_coefficients(
            problem.pair_terms, problem.options, problem.scenario, COST_TERMS
        )
        dis = option_coefficients(
            problem.pair_terms, problem.options, problem.scenario, DISRUPTION_TERMS
        )
        s1 = ModelSpec(coefficients=cost, split_weight=0.0, fix=base.fix)
        stats["stage1"] = {}
        st, rows, obj, bound = _solve_stage(problem, s1, run, 0.5, None, stats["stage1"])
        if st in (Status.OPTIMAL, Status.FEASIBLE) and obj is not None:
            cap = int(np.floor(obj * (1.0 + w.cost_tolerance)))
            s2 = ModelSpec(
                coefficients=dis,
                split_weight=w.supply_split,
                extra_le=((cost, 0.0, cap),),
                fix=base.fix,
            )
            stats["stage1"]["objective"] = obj
            stats["stage2"] = {"cost_cap": cap}
            run.best_bound = -float("inf")
            st, rows, obj, bound = _solve_stage(problem, s2, run, 1.0, rows, stats["stage2"])
    else:
        st, rows, obj, bound = _solve_stage(problem, base, run, 1.0, hint_rows, stats)
    gap = None if obj is None or bound is None else gap_of(obj, bound)
    return SolveResult(
        status=st,
        rows=rows,
        objective=obj,
        best_bound=bound,
        gap=gap,
        wall_time_s=round(run.elapsed(), 3),
        progress=tuple(run.events),
        parameters=MappingProxyType(params.as_dict()),
        stats=MappingProxyType(stats),
    )
