"""The LP relaxation of the relocation model, solved with HiGHS.

It serves three purposes: a valid lower bound on every plan's objective, the fractional
plan that guides the greedy heuristic, and reduced costs for *reduced-cost fixing*: an
option whose reduced cost exceeds ``UB - LB`` (UB = a known plan's objective) cannot be in
any plan better than that one, so it gets no CP-SAT variable. The rows mirror the CP-SAT
families of :mod:`models.build` (same rules, vectorised for province-scale problems).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np

from models.build import ModelSpec, capacity_breakpoints
from relocation.problem import Problem

log = logging.getLogger(__name__)

#: LP costs are in millions of VND: keeps HiGHS' tolerances meaningful for VND 1e13 totals.
SCALE = 1e6


@dataclass(frozen=True)
class Relaxation:
    """Result of the LP relaxation.

    Attributes
    ----------
    status : str
        ``optimal``, ``infeasible`` or ``unknown`` (time limit or numerical trouble).
    bound : float
        Lower bound on the objective (VND), valid when ``status == "optimal"``.
    rows : numpy.ndarray
        ``problem.options`` rows of the columns.
    value : numpy.ndarray
        LP value of each column in ``rows``.
    reduced_cost : numpy.ndarray
        Reduced cost of each column in ``rows`` (VND).
    seconds : float
        Time spent in HiGHS.
    """

    status: str
    bound: float
    rows: np.ndarray
    value: np.ndarray
    reduced_cost: np.ndarray
    seconds: float


class _Rows:
    """Accumulates sparse rows (row index, column, value) and their bounds."""

    def __init__(self) -> None:
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def add(self, cols: np.ndarray, vals: np.ndarray, lo: float, hi: float) -> None:
        k = len(self.lo)
        self.r.append(np.full(len(cols), k, dtype=np.int64))
        self.c.append(np.asarray(cols, dtype=np.int64))
        self.v.append(np.asarray(vals, dtype=np.float64))
        self.lo.append(lo)
        self.hi.append(hi)

    def add_many(
        self,
        row_ids: np.ndarray,
        cols: np.ndarray,
        vals: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
    ) -> None:
        """Add rows given in COO form with local row ids 0..len(lo)-1."""
        base = len(self.lo)
        self.r.append(np.asarray(row_ids, dtype=np.int64) + base)
        self.c.append(np.asarray(cols, dtype=np.int64))
        self.v.append(np.asarray(vals, dtype=np.float64))
        self.lo.extend(np.asarray(lo, dtype=float).tolist())
        self.hi.extend(np.asarray(hi, dtype=float).tolist())


def solve_relaxation(
    problem: Problem, spec: ModelSpec | None = None, time_limit_s: float = 60.0, threads: int = 1
) -> Relaxation:
    """Solve the LP relaxation of the model described by ``spec``.

    Parameters
    ----------
    problem : Problem
    spec : ModelSpec, optional
        Option subset, objective coefficients and extra rows (fixes and assumptions are
        ignored).
    time_limit_s : float
        HiGHS time limit.
    threads : int
        HiGHS threads.

    Returns
    -------
    Relaxation
    """
    spec = spec or ModelSpec()
    opts = problem.options
    rows_sel = np.arange(len(opts)) if spec.option_rows is None else np.asarray(spec.option_rows)
    coef_all = opts["weighted_vnd"].to_numpy() if spec.coefficients is None else spec.coefficients
    firm = opts["firm"].to_numpy()[rows_sel]
    site = opts["site"].to_numpy()[rows_sel]
    year = opts["year"].to_numpy()[rows_sel]
    area = opts["area_m2"].to_numpy()[rows_sel]
    n = len(rows_sel)
    cost = [np.asarray(coef_all, dtype=float)[rows_sel] / SCALE]
    upper = [np.ones(n)]
    R = _Rows()
    ncol = n

    # One move per firm; mandatory firms exactly one (options end at the deadline).
    firms = problem.firms
    mand = firms["mandatory"].to_numpy() & problem.planned
    uniq, inv = np.unique(firm, return_inverse=True)
    R.add_many(inv, np.arange(n), np.ones(n), mand[uniq].astype(float), np.ones(len(uniq)))
    missing = np.setdiff1d(np.flatnonzero(mand), uniq)
    if len(missing):
        return Relaxation("infeasible", float("nan"), rows_sel, np.zeros(n), np.zeros(n), 0.0)

    # Quota windows.
    nslated, before = problem.n_slated, problem.n_moved_before
    pen = problem.scenario.rules.quota_shortfall_vnd_per_firm / SCALE
    for q in problem.scenario.quota:
        cols = np.flatnonzero(year <= q.by_year)
        lo, hi = q.min_count(nslated) - before, q.max_count(nslated) - before
        if problem.scenario.rules.soft_quota and lo > 0:
            R.add(np.append(cols, ncol), np.ones(len(cols) + 1), lo, np.inf)
            cost.append(np.array([pen]))
            upper.append(np.array([float(lo)]))
            ncol += 1
            R.add(cols, np.ones(len(cols)), -np.inf, hi)
        else:
            R.add(cols, np.ones(len(cols)), lo, hi)

    # Site land by year.
    start = problem.years[0]
    for s in np.unique(site):
        cap = problem.capacity_m2[s]
        on = np.flatnonzero(site == s)
        for k in capacity_breakpoints(cap):
            cols = on[year[on] <= start + k]
            if len(cols) and area[cols].sum() > cap[k]:
                R.add(cols, area[cols], -np.inf, float(cap[k]))

    # Yearly limits.
    lim = problem.scenario.limits
    support = opts["support_vnd"].to_numpy()[rows_sel]
    for y in problem.years:
        cols = np.flatnonzero(year == y)
        if lim.max_moves_per_year is not None and len(cols) > lim.max_moves_per_year:
            R.add(cols, np.ones(len(cols)), -np.inf, lim.max_moves_per_year)
        if lim.budget_vnd_per_year is not None and support[cols].sum() > lim.budget_vnd_per_year:
            R.add(cols, support[cols] / SCALE, -np.inf, lim.budget_vnd_per_year / SCALE)

    # Supply groups: Σ_t x[f,s,t] ≤ u[g,s]; m[g] ≤ Σ x; cost w·(Σ u − m).
    w_split = spec.split_weight * problem.scenario.costs.supply_split_vnd / SCALE
    split_cols: list[tuple[int, float]] = []
    if w_split:
        for _g, members in problem.supply_groups().items():
            in_g = np.flatnonzero(np.isin(firm, members))
            if len(in_g) == 0:
                continue
            m_col = ncol
            ncol += 1
            cost.append(np.array([-w_split]))
            upper.append(np.ones(1))
            split_cols.append((m_col, -1.0))
            R.add(np.append(in_g, m_col), np.append(-np.ones(len(in_g)), 1.0), -np.inf, 0.0)
            for s in np.unique(site[in_g]):
                u_col = ncol
                ncol += 1
                cost.append(np.array([w_split]))
                upper.append(np.ones(1))
                split_cols.append((u_col, 1.0))
                at = in_g[site[in_g] == s]
                for f in np.unique(firm[at]):
                    cols = at[firm[at] == f]
                    R.add(np.append(cols, u_col), np.append(np.ones(len(cols)), -1.0), -np.inf, 0.0)

    for coef, sw, rhs in spec.extra_le:
        vals = np.asarray(coef, dtype=float)[rows_sel] / SCALE
        cols = np.arange(n)
        if sw and split_cols:
            extra = sw * problem.scenario.costs.supply_split_vnd / SCALE
            cols = np.append(cols, [c for c, _ in split_cols])
            vals = np.append(vals, [extra * sgn for _, sgn in split_cols])
        R.add(cols, vals, -np.inf, rhs / SCALE)

    return _run_highs(
        rows_sel, n, np.concatenate(cost), np.concatenate(upper), R, ncol, time_limit_s, threads
    )


def _new_highs() -> highspy.Highs:
    """A silent HiGHS instance (the first one prints a banner on file descriptor 1)."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SHOWN = True
    h.setOptionValue("output_flag", False)
    return h


_BANNER_SHOWN = False


def _run_highs(
    rows_sel: np.ndarray,
    n: int,
    cost: np.ndarray,
    upper: np.ndarray,
    R: _Rows,
    ncol: int,
    time_limit_s: float,
    threads: int,
) -> Relaxation:
    r = np.concatenate(R.r) if R.r else np.zeros(0, dtype=np.int64)
    c = np.concatenate(R.c) if R.c else np.zeros(0, dtype=np.int64)
    v = np.concatenate(R.v) if R.v else np.zeros(0)
    order = np.lexsort((r, c))  # column-wise
    c, r, v = c[order], r[order], v[order]
    start = np.zeros(ncol + 1, dtype=np.int64)
    np.add.at(start, c + 1, 1)
    start = np.cumsum(start)

    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = len(R.lo)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = upper
    lp.row_lower_ = np.array(R.lo, dtype=float)
    lp.row_upper_ = np.array(R.hi, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start.astype(np.int32)
    lp.a_matrix_.index_ = r.astype(np.int32)
    lp.a_matrix_.value_ = v
    h = _new_highs()
    h.setOptionValue("time_limit", float(max(time_limit_s, 0.1)))
    # HiGHS keeps one global thread pool per process; a different thread count needs a reset.
    highspy.Highs.resetGlobalScheduler(True)
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("random_seed", 0)
    h.passModel(lp)
    h.run()
    st = h.getModelStatus()
    secs = float(h.getRunTime())
    if st == highspy.HighsModelStatus.kInfeasible:
        return Relaxation("infeasible", float("nan"), rows_sel, np.zeros(n), np.zeros(n), secs)
    if st != highspy.HighsModelStatus.kOptimal:
        log.info("LP relaxation stopped: %s", h.modelStatusToString(st))
        return Relaxation("unknown", float("nan"), rows_sel, np.zeros(n), np.zeros(n), secs)
    sol = h.getSolution()
    info = h.getInfo()
    obj = float(info.objective_function_value)
    col_val = np.asarray(sol.col_value)[:n]
    rc = np.asarray(sol.col_dual)[:n] * SCALE
    return Relaxation("optimal", obj * SCALE, rows_sel, col_val, rc, secs)
