"""Solve the relocation model: a sequence of small stages on one best plan and bound.

``STAGES`` is the pipeline's table of contents; each stage reads and improves a
:class:`_Pass` (the best plan, its objective ``UB`` and the bound ``LB``) and leaves a
frozen :class:`StageRecord`:

1. ``first-plan``: the greedy heuristic, repaired when it misses a move (no LP needed);
2. ``feasibility``: only without a plan, CP-SAT's first solution on every move;
3. ``relaxation``: the LP (HiGHS) or the Lagrangian gives a valid bound ``LB``, reduced
   costs and a fractional plan;
4. ``greedy-lp``: the greedy again, guided by the fractional plan;
5. ``neighbourhood`` and ``lns``: CP-SAT on neighbourhoods (their bounds are not global);
6. ``exact``: CP-SAT after reduced-cost fixing (a move whose reduced cost exceeds
   ``UB − LB`` cannot be in a better plan); its bound is global.

A candidate plan replaces the best one only when the model accepts it and it is better
(:func:`models.evaluate.evaluate_rows`), so no stage makes the plan worse. Stopping rule:
the time limit (wall clock, and CP-SAT's deterministic time when ``deterministic_time_s``
is set) or the relative gap, whichever comes first; no stage may take the whole budget.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import numpy as np
import ortools
from ortools.sat.python import cp_model

from models.build import BuildTimeout, BuiltModel, ModelSpec, build_model, new_solver
from models.evaluate import evaluate_rows, shortfall_by_window
from models.heuristic import greedy_plan
from models.lagrange import solve_lagrangian
from models.mip import MipResult, lp_year_rows, rins_rows, solve_mip, whole_problem_bound
from models.relax import Relaxation, solve_relaxation
from models.repair import repair_plan
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
    #: Relaxation for the bound: ``auto`` (the LP up to ``LP_MAX_OPTIONS`` moves, else the
    #: Lagrangian), ``lp`` (whole or by column generation, by size), ``full-lp``,
    #: ``column-generation`` or ``lagrangian``. Tests force each path on small problems.
    relaxation: str = "auto"

    def as_dict(self) -> dict[str, Any]:
        """Parameters as recorded in ``summary.json``."""
        return {
            "time_limit_s": self.time_limit_s,
            "deterministic_time_s": self.deterministic_time_s,
            "workers": self.workers,
            "seed": self.seed,
            "relative_gap": self.relative_gap,
            "relaxation": self.relaxation,
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
        Model sizes, LP bound and time, and ``stages``: each stage's name, time, status and
        the objective and bound after it (:class:`StageRecord`).
    bound_source : str or None
        What proved ``best_bound``: ``lp``, ``column-generation``, ``lagrangian``,
        ``cp-sat``, ``cp-sat-whole`` or ``mip`` (HiGHS on every option) (None without a bound).
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
    bound_source: str | None = None


def gap_of(objective: float, bound: float) -> float:
    """Relative gap ``(objective − bound) / |objective|``; 0 for a zero objective at its bound."""
    if objective == 0:
        return 0.0 if bound >= 0 else float("inf")
    return max(0.0, (objective - bound) / abs(objective))


@dataclass(frozen=True)
class StageRecord:
    """What one stage of the pipeline did.

    Attributes
    ----------
    name : str
        Stage name (``greedy``, ``lp``, ``greedy-lp``, ``neighbourhood``, ``lns``, ``exact``).
    seconds : float
        Wall time the stage took.
    status : str
        ``improved`` (a better plan or bound), ``no-gain``, ``cut-off`` (stopped by its time
        share before it finished), ``skipped`` (not applicable), ``infeasible``, ``optimal``.
    objective : int or None
        Best objective after the stage (VND).
    bound : float or None
        Best valid bound after the stage (VND).
    detail : mapping
        Stage-specific figures (model sizes, CP-SAT status, neighbourhoods tried).
    """

    name: str
    seconds: float
    status: str
    objective: int | None
    bound: float | None
    detail: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def as_dict(self) -> dict[str, Any]:
        """The record as recorded in ``summary.json``."""
        return {
            "name": self.name,
            "seconds": self.seconds,
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            **dict(self.detail),
        }


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
#: Share of a pass's time left for HiGHS on the LP-year neighbourhood, its relative gap
#: on that neighbourhood (at most), its node limit in deterministic mode, and the most
#: option columns it is tried on (the demo's neighbourhood has about 23,000).
LP_MIP_SHARE = 0.7
#: The share instead when the LP-year neighbourhood is the whole model (one year): HiGHS
#: then solves the model itself, and no later stage searches a larger space.
LP_MIP_WHOLE_SHARE = 0.9
#: Share of the stage's time for RINS, the first and smallest neighbourhood (the demo's
#: closes in 1-2 s).
RINS_SHARE = 0.4
#: RINS runs only when its neighbourhood has at most this share of the LP-year one's options
#: (the demo: 4,755 of 23,146).
RINS_MAX_PART = 0.5
LP_MIP_GAP = 1e-4
LP_MIP_NODES = 500
LP_MIP_MAX_OPTIONS = 300_000
#: Share of a pass's time for the relaxation (LP or Lagrangian).
RELAXATION_SHARE = 0.5
#: Seconds to build the CP-SAT model per variable (measured: 127,493 variables in 3.6 s on
#: the 2-core development machine under load). A solve whose model cannot be built in the
#: time left is not started, so that no stage overruns the limit by building.
BUILD_S_PER_VARIABLE = 2.8e-5
#: Share of a pass's time left for repairing a greedy plan that misses moves, and the
#: least time it gets (the first plan matters most; the demo's repair takes 0.03-0.5 s).
#: On tight one-year problems (GAP c15900) a repair that fails searched 7.5 s of 30 with a
#: share of 0.25, where the CP-SAT feasibility stage then found a plan in 1.5 s.
REPAIR_SHARE = 0.05
REPAIR_MIN_S = 1.0
#: Insertion attempts per planned firm that a repair may make in deterministic mode.
REPAIR_WORK_PER_FIRM = 20
#: Share of a pass's time left for the Lagrangian when the LP was cut off.
FALLBACK_SHARE = 0.4
#: Shortest CP-SAT solve worth starting (s); a stage with less time left is skipped.
MIN_SOLVE_S = 0.05
#: Share of a pass's remaining time for the CP-SAT feasibility stage (no plan yet).
FEASIBILITY_SHARE = 0.3
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
    st: _Pass,
    keep: np.ndarray | None,
    hint: np.ndarray | None,
    seconds: float,
    det_share: float,
    exact: bool,
    first_only: bool = False,
) -> tuple[int, np.ndarray | None, int | None, float | None, dict[str, Any]]:
    """Solve CP-SAT on the ``keep`` rows.

    Returns (cp status, rows, objective, bound, detail); rows, objective and bound are None
    without a solution.
    """
    problem, spec, run = st.problem, st.spec, st.run
    params = run.params
    end_s = run.elapsed() + seconds  # building the model counts against the stage's time
    n_vars = len(problem.options) if keep is None else len(keep)
    room = run.remaining() if params.deterministic_time_s is not None else seconds
    if n_vars * BUILD_S_PER_VARIABLE + MIN_SOLVE_S > min(room, run.remaining()):
        return cp_model.UNKNOWN, None, None, None, {"cp_status": "not started (no time)"}
    sub = replace(spec, option_rows=keep)
    try:
        # Leave the solve a tenth of the time at least.
        # In deterministic mode only the run's limit stops a build (the stage's wall-clock
        # share would make the run depend on the machine's speed).
        limit = params.time_limit_s
        if params.deterministic_time_s is None:
            limit = min(end_s, limit) - 0.1 * seconds
        bm = build_model(problem, sub, deadline=run.t0 + limit - MIN_SOLVE_S)
    except BuildTimeout as exc:
        return cp_model.UNKNOWN, None, None, None, {"cp_status": f"not started ({exc})"}
    if hint is not None:
        _add_hint(problem, bm, hint)
    solver = new_solver()
    p = solver.parameters
    p.num_workers = params.workers
    p.random_seed = params.seed
    p.relative_gap_limit = params.relative_gap
    p.linearization_level = 2
    p.stop_after_first_solution = first_only
    # The wall clock bounds every solve, in deterministic mode too (the run's limit).
    p.max_time_in_seconds = max(MIN_SOLVE_S, min(end_s - run.elapsed(), run.remaining()))
    if params.deterministic_time_s is not None:
        p.max_deterministic_time = params.deterministic_time_s * det_share
        p.max_time_in_seconds = max(MIN_SOLVE_S, run.remaining())
    tracker = _Tracker(run, st.lb if exact else -float("inf"), report=exact)
    run.token.attach(solver)
    try:
        code = solver.solve(bm.model, tracker)
    finally:
        run.token.attach(None)
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    detail = {
        "cp_status": solver.status_name(code),
        "variables": len(bm.x),
        "constraints": len(bm.model.proto.constraints),
        "deterministic_time": round(solver.deterministic_time, 3),
    }
    run.check_stop()
    if not found:
        return code, None, None, None, detail
    chosen = solver.boolean_values(bm.x).to_numpy(dtype=bool)
    rows = np.array(sorted(bm.x.index[chosen]), dtype=np.int64)
    obj, bound = int(round(solver.objective_value)), float(solver.best_objective_bound)
    return code, rows, obj, bound, detail


class _Pass:
    """One pass of the pipeline on one objective: the best plan and bound so far.

    Stages read the pass and hand their plans to :meth:`offer` and their bounds to
    :meth:`raise_bound`; only a plan the model accepts (:func:`models.evaluate.evaluate_rows`)
    and that beats the best one replaces it, so no stage can make the plan worse.
    """

    def __init__(self, problem: Problem, spec: ModelSpec, run: _Run, time_share: float) -> None:
        self.problem = problem
        self.spec = spec
        self.run = run
        self.time_share = time_share
        self.budget = run.remaining() * time_share
        self.end_s = run.elapsed() + self.budget
        self.rows: np.ndarray | None = None
        self.ub: int | None = None
        self.lb = -float("inf")
        self.bound_source: str | None = None
        self.rel: Relaxation | None = None
        self.outcome: Status | None = None  # set by a stage that settles the pass
        self.records: list[StageRecord] = []
        self.hints: tuple[np.ndarray, ...] = ()  # plans of earlier passes
        self.lns_end = self.end_s  # end of the neighbourhood search

    def offer(self, rows: np.ndarray | None, source: str) -> bool:
        """Take ``rows`` as the best plan when the model accepts them and they improve it."""
        if rows is None:
            return False
        ev = evaluate_rows(self.problem, rows, self.spec)
        if ev.feasible and (self.ub is None or ev.objective < self.ub):
            self.rows, self.ub = rows, ev.objective
            self.run.event(ev.objective, None, source)
            return True
        return False

    def raise_bound(self, bound: float | None, source: str) -> bool:
        """Raise the bound (a valid bound on the whole problem); True when it rose.

        ``source`` names what proved it (``lp``, ``column-generation``, ``lagrangian``,
        ``cp-sat``, ``cp-sat-whole``: a neighbourhood that was the whole problem; ``mip``:
        HiGHS with a column for every option).
        """
        if bound is None or bound <= self.lb:
            return False
        self.lb = bound
        self.bound_source = source
        return True

    def done(self) -> bool:
        """Whether the plan is proven within the relative gap."""
        return (
            self.ub is not None
            and self.lb > -float("inf")
            and gap_of(self.ub, self.lb) <= self.run.params.relative_gap
        )

    def left(self) -> float:
        """Seconds left of the pass's time share."""
        return self.end_s - self.run.elapsed()


#: A stage: reads and improves the pass; returns (status, detail).
Stage = Callable[[_Pass], tuple[str, dict[str, Any]]]


def _gain(st: _Pass, before: tuple[int | None, float]) -> str:
    return "improved" if (st.ub, st.lb) != before else "no-gain"


def stage_fixed(st: _Pass) -> tuple[str, dict[str, Any]]:
    """Fixed moves (tests, what-ifs): the exact model on every move decides alone."""
    code, rows, obj, bound, detail = _cp_sat(st, None, None, st.left(), st.time_share, True)
    if code == cp_model.INFEASIBLE:
        st.outcome = Status.INFEASIBLE
        return "infeasible", detail
    if rows is None:
        st.outcome = Status.UNKNOWN
        return "cut-off", detail
    assert obj is not None and bound is not None
    st.rows, st.ub = rows, obj
    optimal = code == cp_model.OPTIMAL
    st.lb = float(obj) if optimal else bound
    st.bound_source = "cp-sat"
    st.outcome = Status.OPTIMAL if optimal else Status.FEASIBLE
    return ("optimal" if optimal else "cut-off"), detail


def first_plan(
    problem: Problem, spec: ModelSpec | None = None, deadline: float | None = None
) -> np.ndarray | None:
    """A plan without the LP: the greedy's, repaired when it misses a move.

    ``deadline`` (``time.monotonic()``) bounds the repair.

    Returns the chosen option rows, or None when neither keeps every rule of the model.
    """
    spec = spec or ModelSpec()
    greedy = greedy_plan(problem)
    if evaluate_rows(problem, greedy, spec).feasible:
        return greedy
    repaired = repair_plan(problem, greedy, spec.coefficients, deadline)
    return repaired if evaluate_rows(problem, repaired, spec).feasible else None


def _repair(st: _Pass, rows: np.ndarray) -> np.ndarray:
    """Repair ``rows`` within a share of the pass (a work budget in deterministic mode)."""
    if st.run.params.deterministic_time_s is not None:
        work = REPAIR_WORK_PER_FIRM * int(st.problem.planned.sum())
        return repair_plan(st.problem, rows, st.spec.coefficients, max_work=work)
    seconds = min(max(REPAIR_MIN_S, REPAIR_SHARE * st.left()), st.run.remaining())
    deadline = time.monotonic() + seconds
    return repair_plan(st.problem, rows, st.spec.coefficients, deadline)


def stage_first_plan(st: _Pass) -> tuple[str, dict[str, Any]]:
    """A first plan without the LP: earlier passes' plans, the greedy's, or its repair.

    The greedy can leave a move missing (a mandatory firm, a window's minimum); the
    repair (:func:`models.repair.repair_plan`) adds it by insertions and ejections.
    """
    for hint in st.hints:
        st.offer(hint, "hint")
    greedy = greedy_plan(st.problem)
    feasible = evaluate_rows(st.problem, greedy, st.spec).feasible
    detail: dict[str, Any] = {"greedy_feasible": feasible}
    if feasible:
        st.offer(greedy, "greedy")
    else:
        # The repair gets a share of the pass: on tight problems (GAP) it can search long.
        detail["repaired"] = st.offer(_repair(st, greedy), "repair")
    return ("improved" if st.rows is not None else "no-gain"), detail


def stage_feasibility(st: _Pass) -> tuple[str, dict[str, Any]]:
    """No plan yet: CP-SAT on every move, stopped at its first plan (a share of the time)."""
    if st.rows is not None:
        return "skipped", {}
    code, rows, _obj, _bound, detail = _cp_sat(
        st, None, None, FEASIBILITY_SHARE * st.left(), FEASIBILITY_SHARE * st.time_share,
        True, first_only=True,
    )
    if code == cp_model.INFEASIBLE:
        st.outcome = Status.INFEASIBLE
        return "infeasible", detail
    st.offer(rows, "cp-sat-first")
    return ("improved" if st.rows is not None else "cut-off"), detail


def stage_relaxation(st: _Pass) -> tuple[str, dict[str, Any]]:
    """LP relaxation (column generation) or, above ``LP_MAX_OPTIONS``, the Lagrangian."""
    problem, params = st.problem, st.run.params
    # At most half the pass's time (the whole run's left in deterministic mode, where a
    # wall-clock cut would make the run depend on the machine): a starved LP costs
    # quality only, the first plan is already there.
    lp_limit = (
        min(max(1.0, RELAXATION_SHARE * st.budget), st.run.remaining())
        if params.deterministic_time_s is None
        else st.run.remaining()
    )
    detail: dict[str, Any] = {}
    kind = params.relaxation
    if kind == "auto":
        kind = "lp" if len(problem.options) <= LP_MAX_OPTIONS else "lagrangian"
    if kind == "lagrangian":
        rel = solve_lagrangian(
            problem, st.spec, time_limit_s=min(lp_limit, 0.3 * st.budget), upper_bound=st.ub
        )
    else:
        colgen = {"lp": None, "column-generation": True, "full-lp": False}[kind]
        rel = solve_relaxation(
            problem, st.spec, time_limit_s=lp_limit, hint_rows=st.rows, column_generation=colgen,
            warm_start=params.deterministic_time_s is None,
        )
    detail.update(lp_status=rel.status, lp_rounds=rel.rounds)
    if rel.status == "unknown" and params.deterministic_time_s is None and st.left() > 1.0:
        # The LP was cut off (a busy machine): the Lagrangian, vectorised, still gives a
        # valid bound and reduced costs in part of the time left.
        rel = solve_lagrangian(
            problem, st.spec, time_limit_s=FALLBACK_SHARE * st.left(), upper_bound=st.ub
        )
        detail["fallback"] = rel.source
    detail["relaxation"] = rel.source
    st.rel = rel
    if rel.status == "infeasible":
        st.outcome = Status.INFEASIBLE
        return "infeasible", detail
    if rel.status != "optimal":
        return "cut-off", detail
    detail["lp_bound"] = rel.bound
    # The objective is integer (whole VND), so no plan lies below the bound rounded up;
    # the relaxation's bound already allows for its floating error.
    st.raise_bound(float(math.ceil(rel.bound)), rel.source)
    st.run.event(st.ub, st.lb, "lp")
    return "improved", detail


def stage_guided_greedy(st: _Pass) -> tuple[str, dict[str, Any]]:
    """The greedy again, guided by the fractional plan."""
    if st.rel is None or st.rel.status != "optimal":
        return "skipped", {}
    before = (st.ub, st.lb)
    guided = greedy_plan(st.problem, st.rel.value)
    if evaluate_rows(st.problem, guided, st.spec).feasible:
        st.offer(guided, "greedy-lp")
    else:
        st.offer(_repair(st, guided), "repair-lp")
    return _gain(st, before), {}


def stage_lp_mip(st: _Pass) -> tuple[str, dict[str, Any]]:
    """HiGHS' branch and bound on two neighbourhoods of the LP: RINS, then the LP years.

    The LP of the relocation model is nearly integral: a few firms split between two
    sites fill a site's land (or the lexicographic cost cap). First RINS
    (:func:`models.mip.rins_rows`): the moves on which the LP and the best plan agree are
    fixed, the few other firms are free — a MIP HiGHS closes in a second or two. Then every
    firm keeps its LP year and may change site, the split firms are free
    (:func:`models.mip.lp_year_rows`). The best plan is HiGHS' first incumbent each time.
    A neighbourhood's bound covers the neighbourhood only and is not reported — except when
    the LP-year neighbourhood holds every option (one year, as in the generalized assignment
    benchmarks): then HiGHS solves the whole model and its bound, rounded up, is the
    problem's (``bound_source`` ``mip``). In deterministic mode a node limit, not the
    clock, ends each solve.
    """
    rel = st.rel
    if rel is None or rel.status != "optimal" or st.done():
        return "skipped", {}
    before = (st.ub, st.lb)
    rows, split = lp_year_rows(st.problem, rel)
    if st.rows is not None:  # the best plan is HiGHS' first incumbent
        rows = np.union1d(rows, st.rows)
    whole = len(rows) == len(st.problem.options)
    detail: dict[str, Any] = {"split_firms": split, "options": int(len(rows))}
    seconds = min((LP_MIP_WHOLE_SHARE if whole else LP_MIP_SHARE) * st.left(),
                  st.run.remaining())
    if seconds <= 4 * MIN_SOLVE_S or len(rows) > LP_MIP_MAX_OPTIONS:
        return "skipped", detail
    det = st.run.params.deterministic_time_s is not None
    end = st.run.elapsed() + seconds

    def mip(nb: np.ndarray, limit: float) -> MipResult:
        res = solve_mip(
            st.problem, st.spec, nb, limit,
            relative_gap=min(st.run.params.relative_gap, LP_MIP_GAP),
            max_nodes=LP_MIP_NODES if det else None,
            should_stop=lambda: st.run.token.requested is not None,
            start=st.rows,
        )
        st.run.check_stop()
        st.offer(res.rows, "mip")
        return res

    if st.rows is not None and not whole:
        nb, free = rins_rows(st.problem, rel, st.rows)
        detail.update(rins_free_firms=free, rins_options=int(len(nb)))
        # RINS pays only when the plan is close to the LP: a start far from it (stage 2 of
        # a lexicographic run starts from the weighted plan: 1,433 firms free, 67,437
        # options) gives a MIP larger than the LP-year one, which gets the time instead.
        if len(nb) <= RINS_MAX_PART * len(rows):
            res = mip(nb, RINS_SHARE * seconds)
            detail.update(rins_status=res.status, rins_seconds=round(res.seconds, 3))
    left = end - st.run.elapsed()
    if left > 4 * MIN_SOLVE_S and not st.done():
        res = mip(rows, left)
        detail.update(mip_status=res.status, mip_seconds=round(res.seconds, 3))
        bound = whole_problem_bound(st.problem, rows, res)
        if bound is not None:
            st.raise_bound(float(math.ceil(bound)), "mip")
    return _gain(st, before), detail


def stage_reduced_neighbourhood(st: _Pass) -> tuple[str, dict[str, Any]]:
    """CP-SAT on the few best moves of each firm by reduced cost, the LP's and the plan's.

    Its bound covers the neighbourhood only and is not reported.
    """
    rel = st.rel
    if rel is None or rel.status != "optimal":
        return "skipped", {}
    before = (st.ub, st.lb)
    near = _lowest_per_firm(st.problem, rel.rows, rel.reduced_cost, NEIGHBOURHOOD_PER_FIRM)
    near = np.union1d(near, rel.rows[rel.value > 1e-6])
    if st.rows is not None:
        near = np.union1d(near, st.rows)
    budget = LNS_SHARE * st.left()
    first = min(budget, max(2.0, FIRST_NEIGHBOURHOOD_SHARE * budget))
    _code, rows, _obj, _bound, detail = _cp_sat(
        st, near, st.rows, first, 0.2 * st.time_share, False
    )
    st.lns_end = st.run.elapsed() + budget - first
    st.offer(rows, "cp-sat")
    return _gain(st, before), detail


def stage_site_lns(st: _Pass) -> tuple[str, dict[str, Any]]:
    """CP-SAT on site neighbourhoods: the firms of a few sites move freely among them.

    Every other firm keeps its move. Neighbourhoods are drawn with the run's seed, so
    their sequence is reproducible. When a neighbourhood is the whole problem and CP-SAT
    proves it optimal, the plan is optimal.
    """
    if st.rel is None or st.rel.status != "optimal" or st.rows is None:
        return "skipped", {}
    before = (st.ub, st.lb)
    problem, spec, run = st.problem, st.spec, st.run
    params = run.params
    det_budget = 0.3 * st.time_share * (params.deterministic_time_s or 0.0)
    opts = problem.options
    firm = opts["firm"].to_numpy()
    site = opts["site"].to_numpy()
    # Conversions in place have the reserved site len(sites): drawn like a site, so that
    # converted firms can be freed too.
    n_sites = int(site.max(initial=-1)) + 1 if len(site) else len(problem.sites)
    rng = np.random.default_rng(params.seed)
    k = min(n_sites, 3)
    planned_firms = np.flatnonzero(problem.planned)
    tries = improved = 0
    det_used = 0.0
    proved = False
    while not st.done() and run.remaining() > 2 * MIN_SOLVE_S:
        if params.deterministic_time_s is not None:
            if det_used >= det_budget:
                break
        elif st.lns_end - run.elapsed() < 0.5:
            break
        run.check_stop()
        best = st.rows
        assert best is not None
        chosen = rng.choice(n_sites, size=k, replace=False)
        at = np.isin(site[best], chosen)
        moved = firm[best]
        free = np.union1d(moved[at], np.setdiff1d(planned_firms, moved))
        rows = np.flatnonzero(np.isin(firm, free) & np.isin(site, chosen))
        rows = np.union1d(rows, best[~at])
        try:
            bm = build_model(
                problem,
                replace(spec, option_rows=rows, fix={}),
                deadline=run.t0 - MIN_SOLVE_S + (
                    params.time_limit_s
                    if params.deterministic_time_s is not None
                    else min(st.lns_end, params.time_limit_s)
                ),
            )
        except BuildTimeout:
            break
        _add_hint(problem, bm, best)
        solver = new_solver()
        p = solver.parameters
        p.num_workers = params.workers
        p.random_seed = params.seed + tries
        if params.deterministic_time_s is not None:
            p.max_deterministic_time = max(0.05, min(0.3, det_budget - det_used))
        else:
            p.max_time_in_seconds = max(MIN_SOLVE_S, min(0.5, st.lns_end - run.elapsed()))
        p.max_time_in_seconds = min(p.max_time_in_seconds, max(MIN_SOLVE_S, run.remaining()))
        run.token.attach(solver)
        try:
            code = solver.solve(bm.model)
        finally:
            run.token.attach(None)
        det_used += solver.deterministic_time
        tries += 1
        whole = k == n_sites and len(free) == len(planned_firms)
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        cand = None
        if found:
            chosen_x = solver.boolean_values(bm.x).to_numpy(dtype=bool)
            cand = np.array(sorted(bm.x.index[chosen_x]), dtype=np.int64)
        if whole and code == cp_model.OPTIMAL:
            # The neighbourhood was the whole problem (the lexicographic cost cap included,
            # shortfall penalty and all): its optimum is the optimum.
            improved += st.offer(cand, "cp-sat-lns")
            proved = True
            if st.ub is not None:
                st.raise_bound(float(st.ub), "cp-sat-whole")
            break
        if code == cp_model.OPTIMAL and k < n_sites:
            k += 1  # solved whole: try a larger neighbourhood
        elif code != cp_model.OPTIMAL and k > 2:
            k -= 1
        if found and int(round(solver.objective_value)) < (st.ub or 0):
            improved += st.offer(cand, "cp-sat-lns")
    detail = {"neighbourhoods": tries, "improved": improved, "proved": proved}
    return _gain(st, before), detail


def stage_exact(st: _Pass) -> tuple[str, dict[str, Any]]:
    """Exact CP-SAT after reduced-cost fixing against the best plan: its bound is global.

    A move whose reduced cost exceeds ``UB − LB`` cannot be in a plan better than the
    best one, so it gets no variable; the kept model still holds the best plan. Without
    a plan, the exact model on every move decides.
    """
    before = (st.ub, st.lb)
    rel = st.rel
    n_all = len(st.problem.options)
    if st.rows is None or st.ub is None:
        code, rows, obj, bound, detail = _cp_sat(
            st, None, None, st.left(), st.time_share, True
        )
        if code == cp_model.INFEASIBLE:
            st.outcome = Status.INFEASIBLE
            return "infeasible", detail
        st.offer(rows, "cp-sat")
        if code == cp_model.OPTIMAL and st.ub is not None:
            st.raise_bound(float(st.ub), "cp-sat")
        else:
            st.raise_bound(bound, "cp-sat")
        return _gain(st, before), detail
    keep = None
    if rel is not None and rel.status == "optimal":
        slack = (st.ub - st.lb) + 1e-6 * abs(st.ub) + 1000.0
        keep = np.union1d(rel.rows[rel.reduced_cost <= slack], st.rows)
    n_keep = n_all if keep is None else len(keep)
    secs = st.left()
    if n_keep > MAX_EXACT_VARIABLES or secs <= 0.5:
        return "skipped", {"options_kept": int(n_keep)}
    ub = st.ub
    code, rows, obj, bound, detail = _cp_sat(st, keep, st.rows, secs, 0.5 * st.time_share, True)
    detail["options_kept"] = int(n_keep)
    st.offer(rows, "cp-sat")
    if code == cp_model.OPTIMAL and obj is not None and obj <= ub:
        # Optimal on the kept moves is optimal overall: dropped ones cannot beat UB.
        st.raise_bound(float(st.ub), "cp-sat")
    else:
        st.raise_bound(bound, "cp-sat")
    return _gain(st, before), detail


#: The pipeline, in order (fixed moves take ``stage_fixed`` alone).
STAGES: tuple[tuple[str, Stage], ...] = (
    ("first-plan", stage_first_plan),
    ("feasibility", stage_feasibility),
    ("relaxation", stage_relaxation),
    ("greedy-lp", stage_guided_greedy),
    ("lp-mip", stage_lp_mip),
    ("neighbourhood", stage_reduced_neighbourhood),
    ("lns", stage_site_lns),
    ("exact", stage_exact),
)

#: The stages that need no CP-SAT: a quick plan guided by the LP.
QUICK_STAGES: tuple[tuple[str, Stage], ...] = STAGES[:4]


def _run_pass(
    problem: Problem,
    spec: ModelSpec,
    run: _Run,
    time_share: float,
    hints: tuple[np.ndarray, ...] = (),
    stages: tuple[tuple[str, Stage], ...] = STAGES,
) -> _Pass:
    """Run the stages in order until one settles the pass or the gap is proven."""
    st = _Pass(problem, spec, run, time_share)
    st.hints = hints
    stages = (("fixed", stage_fixed),) if spec.fix else stages
    for name, stage in stages:
        if st.outcome is not None or st.done():
            break
        if run.remaining() < MIN_SOLVE_S:
            st.records.append(StageRecord(name, 0.0, "cut-off", st.ub, _bound_or_none(st.lb)))
            break
        t0 = run.elapsed()
        status, detail = stage(st)
        st.records.append(
            StageRecord(
                name=name,
                seconds=round(run.elapsed() - t0, 3),
                status=status,
                objective=st.ub,
                bound=_bound_or_none(st.lb),
                detail=MappingProxyType(detail),
            )
        )
        run.check_stop()
    if st.outcome is None:
        if st.rows is None:
            st.outcome = Status.UNKNOWN
        else:
            bound = st.lb if st.lb > -float("inf") else None
            run.event(st.ub, bound, "final")
            proven = bound is not None and st.ub is not None and gap_of(st.ub, bound) <= 0
            st.outcome = Status.OPTIMAL if proven else Status.FEASIBLE
    return st


def _bound_or_none(bound: float) -> float | None:
    return bound if bound > -float("inf") else None


def _pass_stats(st: _Pass) -> dict[str, Any]:
    """Statistics of a pass, as recorded in ``summary.json``."""
    out: dict[str, Any] = {
        "options": len(st.problem.options),
        "bound_source": st.bound_source,
        "stages": [r.as_dict() for r in st.records],
    }
    if st.rel is not None:
        out["lp_status"] = st.rel.status
        out["lp_seconds"] = round(st.rel.seconds, 3)
        if st.rel.status == "optimal":
            out["lp_bound"] = st.rel.bound
    return out


def _add_hint(problem: Problem, bm: BuiltModel, rows: np.ndarray) -> None:
    """Hint a complete assignment: the moves and the supply-group and shortfall variables."""
    hinted = set(rows.tolist())
    for r, var in bm.x.items():
        bm.model.add_hint(var, 1 if r in hinted else 0)
    opts = problem.options
    firm = opts["firm"].to_numpy()[rows]
    site = opts["site"].to_numpy()[rows]
    where = dict(zip(firm.tolist(), site.tolist(), strict=True))
    groups = problem.supply_groups()
    for g, m in bm.group_m.items():
        bm.model.add_hint(m, int(any(f in where for f in groups[g].tolist())))
    for (g, s), u in bm.group_u.items():
        bm.model.add_hint(u, int(any(where.get(f) == s for f in groups[g].tolist())))
    short = shortfall_by_window(problem, opts["year"].to_numpy()[rows])
    for y, var in bm.shortfall.items():
        bm.model.add_hint(var, short.get(y, 0))


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
        ``stats["stages"]`` lists each stage's :class:`StageRecord` (as dicts).
    """
    params = params or SolveParams()
    run = _Run(params, on_progress, token)
    base = spec or ModelSpec()
    known = () if hint_rows is None else (np.asarray(hint_rows, dtype=np.int64),)
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
        st = _run_pass(problem, s1, run, 0.5, known)
        stats["stage1"] = _pass_stats(st)
        if st.outcome in (Status.OPTIMAL, Status.FEASIBLE) and st.ub is not None:
            # The weighted plan, quickly: when it lies within the cost cap, the second
            # stage starts from it too and so never ends above its disruption.
            run.best_bound = -float("inf")
            wp = _run_pass(problem, replace(base, option_rows=None), run, 0.3, (), QUICK_STAGES)
            stats["weighted_start"] = _pass_stats(wp)
            cap = int(np.floor(st.ub * (1.0 + w.cost_tolerance)))
            s2 = ModelSpec(
                coefficients=dis,
                split_weight=w.supply_split,
                extra_le=((cost, 0.0, cap),),
                fix=base.fix,
            )
            stats["stage1"]["objective"] = st.ub
            run.best_bound = -float("inf")
            hints = (*known, *(p.rows for p in (st, wp) if p.rows is not None))
            st = _run_pass(problem, s2, run, 1.0, hints)
            stats["stage2"] = {"cost_cap": cap, **_pass_stats(st)}
    else:
        st = _run_pass(problem, base, run, 1.0, known)
        stats.update(_pass_stats(st))
    plan_found = st.outcome in (Status.OPTIMAL, Status.FEASIBLE)
    rows = st.rows if plan_found and st.rows is not None else np.zeros(0, dtype=np.int64)
    obj = st.ub if plan_found else None
    bound = st.lb if st.lb > -float("inf") and st.outcome != Status.INFEASIBLE else None
    gap = None if obj is None or bound is None else gap_of(obj, bound)
    return SolveResult(
        status=st.outcome or Status.UNKNOWN,
        rows=rows,
        objective=obj,
        best_bound=bound,
        gap=gap,
        wall_time_s=round(run.elapsed(), 3),
        progress=tuple(run.events),
        parameters=MappingProxyType(params.as_dict()),
        stats=MappingProxyType(stats),
        bound_source=st.bound_source if bound is not None else None,
    )
