"""A greedy, year-by-year construction heuristic (its plan is CP-SAT's hint).

Years are filled in order. Each year moves the firms that must move now (mandatory firms
at their last admissible year), the firms the LP relaxation moves in that year (when a
relaxation is given), and as many more as the quota windows and the yearly limit still
need, most constrained first (fewest options, earliest deadline). Each firm takes its
best option of the year (highest LP value, then least cost) among those whose site still
has land, within the yearly support budget. Moving later is cheaper (discounting), so no
firm moves earlier than something requires. Each year moves at least the yearly minimum
(``min_moves_rhs``), and a move-together group is placed whole, in one year.
"""

from __future__ import annotations

import numpy as np

from models.build import waiting_masks
from relocation.domain.problem import Problem


def _needed_by_year(problem: Problem, firm_last: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Least and most cumulative planned moves by the end of each year."""
    years = np.asarray(problem.years)
    m = problem.scenario.limits.max_moves_per_year
    big = 10**9 if m is None else m
    need = np.zeros(len(years), dtype=np.int64)
    allow = np.full(len(years), 10**9, dtype=np.int64)
    n, before = problem.n_slated, problem.n_moved_before
    for q in problem.scenario.quota:
        w = q.by_year - years[0]
        lo, hi = q.min_count(n) - before, q.max_count(n) - before
        for k in range(w + 1):
            need[k] = max(need[k], lo - big * (w - k))
            allow[k] = min(allow[k], hi)
    due = np.zeros(len(years), dtype=np.int64)
    mand = problem.must_move  # mandatory, committed or locked
    for f, last in firm_last.items():
        if mand[f]:
            due[last - years[0]] += 1
    due = np.cumsum(due)
    for k in range(len(years)):
        for k2 in range(k, len(years)):
            need[k] = max(need[k], due[k2] - big * (k2 - k))
    return np.maximum(need, 0), allow


def greedy_plan(problem: Problem, lp_value: np.ndarray | None = None) -> np.ndarray:
    """Build a plan greedily.

    Parameters
    ----------
    problem : Problem
    lp_value : numpy.ndarray, optional
        LP value of every row of ``problem.options`` (guides years and sites).

    Returns
    -------
    numpy.ndarray
        Chosen rows of ``problem.options``. The plan may break a rule when the greedy
        gets stuck (a partial hint is still useful); callers check it.
    """
    opts = problem.options
    firm = opts["firm"].to_numpy()
    site = opts["site"].to_numpy()
    year = opts["year"].to_numpy()
    area = opts["area_m2"].to_numpy()
    coef = opts["weighted_vnd"].to_numpy().astype(float)
    support = opts["support_vnd"].to_numpy()
    lpv = np.zeros(len(opts)) if lp_value is None else np.asarray(lp_value)
    years = problem.years

    order = np.lexsort((coef, -lpv, year, firm))
    by_firm: dict[int, np.ndarray] = {}
    bounds = np.flatnonzero(np.diff(firm[order])) + 1
    for chunk in np.split(order, bounds):
        if len(chunk):
            by_firm[int(firm[chunk[0]])] = chunk
    firm_last = {f: int(year[rows].max()) for f, rows in by_firm.items()}
    n_opts = {f: len(rows) for f, rows in by_firm.items()}
    # LP year of each firm: the year holding most of its LP mass (if it moves in the LP).
    lp_year: dict[int, int] = {}
    if lp_value is not None:
        for f, rows in by_firm.items():
            mass = lpv[rows]
            if mass.sum() > 0.5:
                ys = year[rows]
                best = max(set(ys.tolist()), key=lambda y: mass[ys == y].sum())
                lp_year[f] = best

    need, allow = _needed_by_year(problem, firm_last)
    lim = problem.scenario.limits
    max_moves = 10**9 if lim.max_moves_per_year is None else lim.max_moves_per_year
    budget = np.inf if lim.budget_vnd_per_year is None else float(lim.budget_vnd_per_year)
    # One extra row for conversions in place (reserved site index, no land).
    used = np.zeros(len(problem.sites) + 1, dtype=np.int64)
    cap = np.vstack([problem.capacity_m2, np.zeros((1, len(years)), dtype=np.int64)])
    mand = problem.must_move  # mandatory, committed or locked
    remaining = set(by_firm)
    chosen: list[int] = []
    count = 0
    waiting = waiting_masks(problem)
    least = problem.scenario.limits.min_moves_per_year or 0
    group_of: dict[int, np.ndarray] = {}
    for members in problem.move_groups().values():
        for f in members.tolist():
            group_of[int(f)] = members

    for k, y in enumerate(years):
        spent = 0.0
        moved_now = 0

        def place(f: int, y: int = y, k: int = k) -> bool:
            if f not in remaining:
                return True
            members = group_of.get(f)
            if members is None:
                return place_one(f)
            mark = len(chosen)
            for g in members.tolist():
                if g in by_firm and not place_one(int(g)):
                    undo(mark)
                    return False
            return True

        def undo(mark: int, k: int = k) -> None:
            nonlocal spent, moved_now
            while len(chosen) > mark:
                r = chosen.pop()
                used[site[r]] -= area[r]
                spent -= support[r]
                moved_now -= 1
                remaining.add(int(firm[r]))

        def place_one(f: int, y: int = y, k: int = k) -> bool:
            nonlocal spent, moved_now
            rows = by_firm[f]
            rows = rows[year[rows] == y]
            for r in rows:
                s = site[r]
                if used[s] + area[r] <= cap[s, k] and spent + support[r] <= budget:
                    used[s] += area[r]
                    spent += support[r]
                    moved_now += 1
                    chosen.append(int(r))
                    remaining.discard(f)
                    return True
            return False

        avail = sorted(f for f in remaining if (year[by_firm[f]] == y).any())
        mask = waiting.get(int(y))
        min_now = 0 if mask is None else min(least, sum(1 for f in remaining if mask[f]))
        forced = sorted(
            (f for f in avail if mand[f] and firm_last[f] == y), key=lambda f: n_opts[f]
        )
        suggested = sorted(
            (f for f in avail if lp_year.get(f) == y and not (mand[f] and firm_last[f] == y)),
            key=lambda f: (firm_last[f], n_opts[f]),
        )
        # Extra movers for the quota windows: the most urgent, then the smallest (quotas
        # count firms, and small firms leave early land for the firms of later years).
        rest = sorted(
            (f for f in avail if f not in lp_year or lp_year[f] > y),
            key=lambda f: (firm_last[f] > y + 1, int(area[by_firm[f][0]]), n_opts[f]),
        )
        rest = [f for f in rest if not (mand[f] and firm_last[f] == y)]
        limit = min(max_moves, int(allow[k] - count))
        for f in forced:
            if moved_now >= limit:
                break
            place(f)
        for f in suggested:
            if moved_now >= limit:
                break
            place(f)
        for f in rest:
            enough = count + moved_now >= need[k] and moved_now >= min_now
            if enough or moved_now >= limit:
                break
            place(f)
        count += moved_now
    return np.array(sorted(chosen), dtype=np.int64)
