"""Lagrangian relaxation of the relocation model, for province-scale problems.

The rules that couple firms (quota windows, site land by year, yearly moves and budget)
are moved into the objective with multipliers; what is left splits by firm: each firm
takes its cheapest move under the multiplied costs (or none, if it may stay and every
move costs more than nothing). Any multipliers give a lower bound on every plan; a
subgradient method raises it. At 30,000 firms an iteration is a few vectorised passes
over the moves, where an LP would take minutes.

The supply-group split term is left out of the bound (it is never negative), so the
bound stays valid. Reduced costs ``rc = c̃ − (the firm's chosen c̃)`` allow the same
reduced-cost fixing as the LP's: a move with ``rc > UB − LB`` is in no better plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from models.build import ModelSpec, capacity_breakpoints
from models.evaluate import evaluate_rows
from models.relax import Relaxation
from relocation.domain.problem import Problem


@dataclass
class _Coupling:
    quota: list[tuple[int, float, float]]  # (year offset of by_year, lo, hi)
    caps: list[tuple[int, int, float]]  # (site, breakpoint offset, capacity)
    moves: float | None
    budget: float | None


def solve_lagrangian(
    problem: Problem,
    spec: ModelSpec | None = None,
    time_limit_s: float = 60.0,
    upper_bound: float | None = None,
    iterations: int = 600,
) -> Relaxation:
    """Raise the Lagrangian bound by subgradient steps (Polyak steps towards ``upper_bound``).

    Parameters
    ----------
    problem : Problem
    spec : ModelSpec, optional
        Objective coefficients (extra rows are left out: still a valid bound).
    time_limit_s : float
        Time limit.
    upper_bound : float, optional
        Objective of a known plan (sets the step length).
    iterations : int
        Most subgradient iterations.

    Returns
    -------
    Relaxation
        ``bound`` is the best Lagrangian bound; ``value`` marks each firm's cheapest move
        under the best multipliers; ``reduced_cost`` as described in the module docstring.
    """
    t0 = time.monotonic()
    spec = spec or ModelSpec()
    sc = problem.scenario
    opts = problem.options
    rows = np.arange(len(opts)) if spec.option_rows is None else np.asarray(spec.option_rows)
    coef = opts["weighted_vnd"].to_numpy() if spec.coefficients is None else spec.coefficients
    scale = 1e6
    c = np.asarray(coef, dtype=float)[rows] / scale
    firm = opts["firm"].to_numpy()[rows]
    site = opts["site"].to_numpy()[rows]
    y0 = problem.years[0]
    t = opts["year"].to_numpy()[rows] - y0
    # Rows scaled so that their coefficients are of order one: hectares and bn VND.
    area = opts["area_m2"].to_numpy()[rows].astype(float) / 1e4
    sup = opts["support_vnd"].to_numpy()[rows] / 1e9
    ny, ns = len(problem.years), len(problem.sites)

    if len(rows) == 0:  # no move at all: the empty plan is the only one
        ev = evaluate_rows(problem, np.zeros(0, dtype=np.int64), replace(spec, extra_le=()))
        z = np.zeros(0)
        if not ev.feasible:
            return Relaxation("infeasible", float("nan"), z, z, rows, 0.0, source="lagrangian")
        return Relaxation(
            "optimal", float(ev.objective), z, z, rows, 0.0,
            lp_value=float(ev.objective), source="lagrangian",
        )
    mand_all = problem.must_move
    order = np.argsort(firm, kind="stable")
    f_sorted = firm[order]
    starts = np.r_[0, np.flatnonzero(np.diff(f_sorted)) + 1]
    firms_with = f_sorted[starts]
    if np.setdiff1d(np.flatnonzero(mand_all), firms_with).size:
        z = np.zeros(len(rows))
        return Relaxation("infeasible", float("nan"), z, z, rows, 0.0, source="lagrangian")
    mand = mand_all[firms_with]
    # A hard window that needs every planned firm makes them all mandatory, by its year:
    # a valid tightening that the count multipliers alone would find only slowly. Not in
    # soft mode: a shortfall may cover the window, so no firm is bound to move by it.
    n_need = len(firms_with)
    for q in sc.quota:
        if (
            not sc.rules.soft_quota
            and q.min_count(problem.n_slated) - problem.n_moved_before >= n_need
        ):
            mand = np.ones(len(firms_with), dtype=bool)
            c = np.where(t > q.by_year - y0, np.inf, c)
    sizes = np.diff(np.r_[starts, len(order)])
    group_of = np.repeat(np.arange(len(starts)), sizes)
    inverse = np.argsort(order)

    n, before = problem.n_slated, problem.n_moved_before
    cp = _Coupling(
        quota=[
            (q.by_year - y0, q.min_count(n) - before, q.max_count(n) - before) for q in sc.quota
        ],
        caps=[
            (s, int(k), float(problem.capacity_m2[s, k]) / 1e4)
            for s in range(ns)
            for k in capacity_breakpoints(problem.capacity_m2[s])
        ],
        moves=None if sc.limits.max_moves_per_year is None else float(sc.limits.max_moves_per_year),
        budget=None
        if sc.limits.budget_vnd_per_year is None
        else sc.limits.budget_vnd_per_year / 1e9,
    )
    soft_pen = sc.rules.quota_shortfall_vnd_per_firm / scale if sc.rules.soft_quota else None
    mu_lo = np.zeros(len(cp.quota))
    mu_hi = np.zeros(len(cp.quota))
    lam = np.zeros(len(cp.caps))
    nu = np.zeros(ny)
    beta = np.zeros(ny)
    cap_site = np.array([s for s, _, _ in cp.caps], dtype=np.int64)
    cap_k = np.array([k for _, k, _ in cp.caps], dtype=np.int64)
    cap_b = np.array([b for _, _, b in cp.caps])
    q_k = np.array([k for k, _, _ in cp.quota], dtype=np.int64)
    q_lo = np.array([lo for _, lo, _ in cp.quota], dtype=float)
    q_hi = np.array([hi for _, _, hi in cp.quota], dtype=float)

    def evaluate() -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        # Multiplied cost of every move.
        qy = np.zeros(ny)
        for i, k in enumerate(q_k):
            qy[: k + 1] += mu_hi[i] - mu_lo[i]
        d = np.zeros((ns + 1, ny))  # + the conversions' reserved site (no land row)
        for i in range(len(lam)):
            d[cap_site[i], : cap_k[i] + 1] += lam[i]
        mc = c + qy[t] + area * d[site, t] + nu[t] + sup * beta[t]
        mins = np.minimum.reduceat(mc[order], starts)
        if not np.isfinite(mins[mand]).all():
            return np.inf, np.zeros(0, dtype=np.int64), mc, mc
        take = mand | (mins < 0)
        value_f = np.where(take, mins, 0.0)
        const = (mu_lo * q_lo).sum() - (mu_hi * np.minimum(q_hi, 1e12)).sum() - (lam * cap_b).sum()
        if cp.moves is not None:
            const -= nu.sum() * cp.moves
        if cp.budget is not None:
            const -= beta.sum() * cp.budget
        if soft_pen is not None:
            const += np.minimum(0.0, soft_pen - mu_lo) @ np.maximum(q_lo, 0)
        lval = value_f.sum() + const
        # The chosen move of each firm that moves (first minimum).
        is_min = mc[order] <= np.repeat(mins, sizes)
        first = np.full(len(starts), -1, dtype=np.int64)
        idx = np.flatnonzero(is_min)
        g = group_of[idx]
        keep = np.r_[True, g[1:] != g[:-1]]
        first[g[keep]] = order[idx[keep]]
        chosen = first[take]
        rc = mc - np.repeat(value_f, sizes)[inverse]
        return lval, chosen, rc, mc

    best = -np.inf
    best_state = None
    theta = 2.0
    stall = 0
    it = 0
    ub = upper_bound / scale if upper_bound is not None else None
    while it < iterations and time.monotonic() - t0 < time_limit_s:
        lval, chosen, rc, _ = evaluate()
        if not np.isfinite(lval):  # a firm that must move has no move left: no plan
            z = np.zeros(len(rows))
            return Relaxation(
                "infeasible", float("nan"), z, z, rows, time.monotonic() - t0, it,
                source="lagrangian",
            )
        if lval > best + 1e-9 * abs(lval):
            best, best_state, stall = lval, (chosen, rc), 0
        else:
            stall += 1
            if stall >= 15:
                theta, stall = theta / 2, 0
        # Subgradients (how much each relaxed rule is broken by the firms' choices).
        ct, cs, ca = t[chosen], site[chosen], area[chosen]
        per_year = np.bincount(ct, minlength=ny).astype(float)
        cum = np.cumsum(per_year)
        g_lo = q_lo - cum[q_k]
        if soft_pen is not None:
            g_lo = np.where(mu_lo >= soft_pen, np.minimum(g_lo, 0.0), g_lo)
        g_hi = cum[q_k] - q_hi
        use = np.zeros((ns + 1, ny))
        np.add.at(use, (cs, ct), ca)
        use = np.cumsum(use, axis=1)
        g_cap = use[cap_site, cap_k] - cap_b
        g_nu = per_year - cp.moves if cp.moves is not None else np.zeros(ny)
        g_beta = (
            np.bincount(ct, weights=sup[chosen], minlength=ny) - cp.budget
            if cp.budget is not None
            else np.zeros(ny)
        )
        norm = g_lo @ g_lo + g_hi @ g_hi + g_cap @ g_cap + g_nu @ g_nu + g_beta @ g_beta
        if norm <= 1e-12:
            break  # the firms' choices keep every rule: the bound is optimal
        target = ub if ub is not None and ub > lval else lval + max(1.0, 0.01 * abs(lval))
        step = theta * (target - lval) / norm
        mu_lo = np.maximum(0.0, mu_lo + step * g_lo)
        mu_hi = np.maximum(0.0, mu_hi + step * g_hi)
        lam = np.maximum(0.0, lam + step * g_cap)
        if cp.moves is not None:
            nu = np.maximum(0.0, nu + step * g_nu)
        if cp.budget is not None:
            beta = np.maximum(0.0, beta + step * g_beta)
        it += 1
        if theta < 1e-4:
            break
    assert best_state is not None
    chosen, rc = best_state
    value = np.zeros(len(rows))
    value[chosen] = 1.0
    # Any multipliers give a valid bound; lower it by a bound on its floating error.
    bound = best * scale - 1e-12 * abs(best * scale) * max(1, len(rows)) ** 0.5 - 1e-3
    return Relaxation(
        "optimal",
        bound,
        value,
        np.maximum(rc, 0.0) * scale,
        rows,
        time.monotonic() - t0,
        it,
        lp_value=best * scale,
        source="lagrangian",
    )
