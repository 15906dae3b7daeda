"""The relocation model as a MIP, solved by HiGHS on a neighbourhood of option rows.

The rows are the LP relaxation's (:class:`models.relax._Layout`: one move per firm, quota
windows, site land by year, yearly limits, least moves where every plan must meet them,
move-together groups, supply groups and the lexicographic cost cap), with the option
columns integer. Years whose least-moves rule is a disjunction (``min(m, W_t)``) are left
out, so a plan found here is judged by :func:`models.evaluate.evaluate_rows` like every
other stage's. HiGHS' branch and bound closes the small integrality gap of the LP (a few
firms split between two sites) far faster than CP-SAT on the same neighbourhood: on the
demo, the LP-year neighbourhood (:func:`lp_year_rows`) is solved to 0.007 % of the LP
bound in about ten seconds, where CP-SAT finds no plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np

from models.build import ModelSpec
from models.relax import SCALE, Relaxation, _add_columns, _Layout, _new_highs
from relocation.domain.problem import Problem

#: Largest cost coefficient (VND) that the MIP keeps in whole VND (scale 1): HiGHS then
#: sees an integer objective and rounds its bound up at every node. The generalized
#: assignment benchmarks' costs are 1–100; relocation costs (1e9–1e12 VND a move) are
#: solved in millions of VND, as in the LP, to keep HiGHS' absolute tolerances meaningful.
WHOLE_VND_MAX_COST = 1e6

#: HiGHS' cut pool size (``mip_pool_soft_limit``; HiGHS' default is 10,000).
MIP_POOL_SOFT_LIMIT = 100


#: HiGHS model statuses after which its MIP dual bound is a finished branch and bound's
#: bound (errors, "Unknown" and "Not Set" are not).
_BOUND_STATUSES = frozenset({
    "Optimal", "Time limit reached", "Iteration limit reached", "Solution limit reached",
    "Interrupted by user", "Interrupted by HiGHS", "Memory limit reached",
})


@dataclass(frozen=True)
class MipResult:
    """Outcome of one HiGHS MIP solve on a neighbourhood.

    Attributes
    ----------
    status : str
        HiGHS' model status (``Optimal``, ``Time limit reached``, ``Infeasible``, …).
    rows : numpy.ndarray or None
        Option rows of the best plan found (None without one).
    bound : float
        HiGHS' dual bound on the neighbourhood (VND); not a bound on the whole problem.
    seconds : float
        Wall time of the solve.
    """

    status: str
    rows: np.ndarray | None
    bound: float
    seconds: float


def lp_year_rows(problem: Problem, rel: Relaxation) -> tuple[np.ndarray, int]:
    """The LP-year neighbourhood: each firm keeps its LP year, fractional firms are free.

    A firm whose LP value is one move keeps that move's year, at any of its sites; a firm
    the LP leaves in place stays; a firm split by the LP keeps every option. Sites can
    still be exchanged, which is what the LP's fractional firms (splitting a site's land)
    need, while the counts by year (quota windows, yearly limits) stay as the LP set them.

    Returns
    -------
    rows : numpy.ndarray
        Option rows of the neighbourhood (``problem.options`` rows).
    free : int
        Firms split by the LP (free in every year).
    """
    opts = problem.options
    firm = opts["firm"].to_numpy()[rel.rows]
    year = opts["year"].to_numpy()[rel.rows]
    v = rel.value
    n_f = len(problem.firms)
    total = np.bincount(firm, weights=v, minlength=n_f)
    top = v >= 1.0 - 1e-6
    year_of = np.full(n_f, -1, dtype=np.int64)
    year_of[firm[top]] = year[top]
    stays = (total <= 1e-6) & (year_of < 0)
    split = (year_of < 0) & ~stays
    keep = split[firm] | (year_of[firm] == year)
    return rel.rows[keep], int((split & problem.planned).sum())


def rins_rows(problem: Problem, rel: Relaxation, best: np.ndarray) -> tuple[np.ndarray, int]:
    """RINS: a firm whose LP value is one move the best plan makes too keeps it.

    Relaxation-induced neighbourhood search (Danna, Rothberg and Le Pape, *Math. Program.*
    102, 2005): where the LP and the best plan agree the move is fixed, every other planned
    firm is free among all its LP options. On the demo the two agree on all but about 35 of
    2,770 firms, a MIP that HiGHS closes in 1–2 s where the LP-year neighbourhood (about
    23,000 options) is not closed in 20 s.

    Returns
    -------
    rows : numpy.ndarray
        Option rows of the neighbourhood (the best plan's among them).
    free : int
        Planned firms left free.
    """
    firm = problem.options["firm"].to_numpy()
    best = np.asarray(best, dtype=np.int64)
    whole = rel.rows[rel.value >= 1.0 - 1e-6]
    agree = np.zeros(len(problem.firms), dtype=bool)
    agree[firm[np.intersect1d(whole, best)]] = True
    free = problem.planned & ~agree
    rows = np.union1d(rel.rows[free[firm[rel.rows]]], best)
    return rows, int(free.sum())


def whole_problem_bound(problem: Problem, rows: np.ndarray, res: MipResult) -> float | None:
    """HiGHS' dual bound as a bound on the whole problem, or None where it is not one.

    When the MIP had a column for every option its rows are the model's or fewer (a
    disjunctive least-moves year is left out), so its dual bound bounds every plan. It is
    lowered by 1e-6 of its size (HiGHS' tolerances are relative; a whole VND is far larger
    on every objective the model has) before the caller rounds it up.
    """
    if len(rows) != len(problem.options) or not np.isfinite(res.bound):
        return None
    if res.status not in _BOUND_STATUSES:
        return None
    return res.bound - 1e-6 * max(1.0, abs(res.bound))


def _mip_scale(problem: Problem, spec: ModelSpec, rows: np.ndarray) -> float:
    """VND per MIP cost unit: 1 when every coefficient is a small whole number, else SCALE."""
    opts = problem.options
    coefs = [opts["weighted_vnd"].to_numpy() if spec.coefficients is None else spec.coefficients]
    coefs += [c for c, _, _ in spec.extra_le]
    sc = problem.scenario
    if sc.limits.budget_vnd_per_year is not None:  # the budget rows' coefficients too
        coefs.append(opts["support_vnd"].to_numpy())
    others = []  # the auxiliary columns' costs, where the model has them
    if sc.rules.soft_quota and sc.quota:
        others.append(sc.rules.quota_shortfall_vnd_per_firm)
    if spec.split_weight and problem.supply_groups():
        others.append(round(spec.split_weight * sc.costs.supply_split_vnd))
    values = np.concatenate([np.asarray(c, dtype=float)[rows] for c in coefs]
                            + [np.asarray(others, dtype=float)])
    small = np.abs(values).max(initial=0.0) <= WHOLE_VND_MAX_COST
    return 1.0 if small and bool((values == np.round(values)).all()) else SCALE


def solve_mip(
    problem: Problem,
    spec: ModelSpec,
    rows: np.ndarray,
    time_limit_s: float,
    relative_gap: float = 1e-4,
    max_nodes: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    start: np.ndarray | None = None,
) -> MipResult:
    """Solve the model restricted to option ``rows`` as a MIP with HiGHS.

    Parameters
    ----------
    problem : Problem
    spec : ModelSpec
        Objective coefficients and extra rows (``option_rows`` and fixes are ignored).
    rows : numpy.ndarray
        Sorted ``problem.options`` rows that get a column.
    time_limit_s : float
    relative_gap : float
        HiGHS' relative gap limit on the neighbourhood.
    max_nodes : int, optional
        Branch-and-bound node limit (deterministic mode: a work limit, not a clock).
    should_stop : callable, optional
        Polled by HiGHS' interrupt callback; True stops the solve (Ctrl-C, SIGTERM).
    start : numpy.ndarray, optional
        Option rows of a known plan, all among ``rows``: HiGHS' first incumbent (its
        sub-MIP heuristics improve on it).

    Returns
    -------
    MipResult
    """
    t0 = time.monotonic()
    rows = np.asarray(rows, dtype=np.int64)
    lay = _Layout(problem, spec, rows, _mip_scale(problem, spec, rows))
    if len(lay.missing_mandatory):
        return MipResult("Infeasible", None, float("inf"), 0.0)
    if len(rows) == 0 and not lay.aux_cost:  # no column: the empty plan, if rows admit it
        ok = bool(((lay.row_lo <= 0) & (lay.row_hi >= 0)).all())
        return MipResult("Optimal" if ok else "Infeasible", rows if ok else None,
                         0.0 if ok else float("inf"), time.monotonic() - t0)
    h = _new_highs()
    h.setOptionValue("presolve", "on")
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", float(max(time_limit_s, 0.05)))
    h.setOptionValue("mip_rel_gap", float(relative_gap))
    # A small cut pool: on the demo's neighbourhood the root's cut loop took 5 of 13 s
    # with the default (10,000); with 100 the solve ends in 8.6–9.5 s instead of
    # 12.2–14.6 s, at a plan as good or better (measured side by side, same machine).
    h.setOptionValue("mip_pool_soft_limit", MIP_POOL_SOFT_LIMIT)
    if max_nodes is not None:
        h.setOptionValue("mip_max_nodes", int(max_nodes))
    n = len(rows)
    n_aux = lay.load_rows(h)
    c, r, v = lay.entries(np.arange(n))
    _add_columns(h, lay.cost, np.ones(n), c, r, v, n)
    if n:
        h.changeColsIntegrality(
            n, np.arange(n_aux, n_aux + n, dtype=np.int32),
            np.full(n, highspy.HighsVarType.kInteger),
        )
    if start is not None and len(start):
        x0 = np.zeros(n_aux + n)
        x0[n_aux + np.searchsorted(rows, np.asarray(start, dtype=np.int64))] = 1.0
        sol = highspy.HighsSolution()
        sol.col_value = x0.tolist()
        sol.value_valid = True
        h.setSolution(sol)  # HiGHS completes the auxiliary columns
    if should_stop is not None:

        def interrupt(_kind, _msg, _out, data_in, _user) -> None:  # type: ignore[no-untyped-def]
            if data_in is not None and should_stop():
                data_in.user_interrupt = True

        h.setCallback(interrupt, None)
        for kind in (highspy.cb.HighsCallbackType.kCallbackMipInterrupt,
                     highspy.cb.HighsCallbackType.kCallbackSimplexInterrupt):
            h.startCallback(kind)
    h.run()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    found = None
    if info.primal_solution_status >= 2:  # kSolutionStatusFeasible
        x = np.asarray(h.getSolution().col_value)[n_aux:]
        found = rows[x > 0.5]
    bound = float(info.mip_dual_bound) * lay.scale
    return MipResult(status, found, bound, time.monotonic() - t0)
