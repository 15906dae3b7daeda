"""``check_plan``: re-verify every hard rule and recompute the objective without a solver.

It reads the rules from the problem's tables (not from the solver's variables): it is the
oracle of the tests and runs after every solve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from relocation.domain.costs import build_options, move_terms, weighted_total
from relocation.domain.problem import ALL_TERMS, Plan, Problem


@dataclass(frozen=True)
class CheckResult:
    """Violations found (empty = the plan keeps every hard rule) and recomputed totals."""

    violations: tuple[str, ...]
    objective: int
    terms: dict[str, int]

    @property
    def ok(self) -> bool:
        """True when no rule is broken."""
        return not self.violations


def supply_split_count(problem: Problem, firm: np.ndarray, site: np.ndarray) -> int:
    """Σ over supply groups of (distinct destination sites of its movers − 1, if any moved)."""
    groups = problem.supply_groups()
    if not groups:
        return 0
    where = dict(zip(firm.tolist(), site.tolist(), strict=True))
    total = 0
    for members in groups.values():
        used = {where[f] for f in members.tolist() if f in where}
        if used:
            total += len(used) - 1
    return total


def check_moves(
    problem: Problem, firm: np.ndarray, site: np.ndarray, year: np.ndarray
) -> CheckResult:
    """Check moves given as firm/site positions and years; recompute terms and objective."""
    v: list[str] = []
    firms, sites, sc = problem.firms, problem.sites, problem.scenario
    fid = firms["firm_id"].to_numpy()
    sid = sites["site_id"].to_numpy()
    years = np.asarray(problem.years)
    firm, site, year = (np.asarray(a, dtype=np.int64) for a in (firm, site, year))

    uniq, counts = np.unique(firm, return_counts=True)
    for f in uniq[counts > 1]:
        v.append(f"firm {fid[f]} moves more than once")
    for f in firm[~problem.planned[firm]]:
        v.append(f"firm {fid[f]} was moved before the horizon and is planned again")
    out = (year < years[0]) | (year > years[-1])
    for f, y in zip(firm[out], year[out], strict=True):
        v.append(f"firm {fid[f]} moves in {y}, outside the horizon")

    # Admissibility, recomputed from the tables with the cost module's own rules.
    pairs = problem.pairs
    pair_terms, options = build_options(
        firms, sites, problem.capacity_m2, problem.distance_km, pairs, sc
    )
    key = pd.MultiIndex.from_arrays([options["firm"], options["site"], options["year"]])
    idx = key.get_indexer(pd.MultiIndex.from_arrays([firm, site, year]))
    for k in np.flatnonzero(idx < 0):
        f, s, y = firm[k], site[k], year[k]
        why = _why_not_admissible(problem, f, s, y)
        v.append(f"firm {fid[f]} → {sid[s]} in {y} is not allowed: {why}")

    moved = set(firm.tolist())
    for f in np.flatnonzero(problem.must_move):
        if f not in moved:
            if firms.at[f, "mandatory"]:
                v.append(f"mandatory firm {fid[f]} does not move by {firms.at[f, 'deadline_year']}")
            else:
                v.append(f"locked firm {fid[f]} does not move")

    n, before = problem.n_slated, problem.n_moved_before
    if not sc.rules.soft_quota:
        for q in sc.quota:
            c = before + int((year <= q.by_year).sum())
            if c < q.min_count(n):
                v.append(f"quota {q.by_year}: {c} firms moved, at least {q.min_count(n)} needed")
            if c > q.max_count(n):
                v.append(f"quota {q.by_year}: {c} firms moved, at most {q.max_count(n)} allowed")

    req = pd.Series(0, index=range(len(firm)), dtype=np.int64)
    if len(idx):
        ok = idx >= 0
        req[ok] = options["area_m2"].to_numpy()[idx[ok]]
        req[~ok] = firms["required_area_m2"].to_numpy()[firm[~ok]]
    for j in range(len(sites)):
        on = site == j
        for k, y in enumerate(years):
            used = int(req[on & (year <= y)].sum())
            if used > problem.capacity_m2[j, k]:
                v.append(
                    f"site {sid[j]} holds {used:,} m² by {y}, "
                    f"only {problem.capacity_m2[j, k]:,} m² free"
                )
    lim = sc.limits
    for y in years:
        at = year == y
        if lim.max_moves_per_year is not None and at.sum() > lim.max_moves_per_year:
            v.append(f"{at.sum()} moves in {y}, limit {lim.max_moves_per_year}")
        if lim.budget_vnd_per_year is not None and len(idx):
            ok = at & (idx >= 0)
            spent = int(options["support_vnd"].to_numpy()[idx[ok]].sum())
            if spent > lim.budget_vnd_per_year:
                v.append(f"support {spent:,} VND in {y}, budget {lim.budget_vnd_per_year:,}")

    ok = idx >= 0
    terms_df = move_terms(pair_terms, options["pair"].to_numpy()[idx[ok]], year[ok] - years[0], sc)
    terms = {t: int(terms_df[f"{t}_vnd"].sum()) for t in ALL_TERMS if t != "supply_split"}
    split = supply_split_count(problem, firm, site) * sc.costs.supply_split_vnd
    terms["supply_split"] = int(split)
    objective = int(weighted_total(terms_df, sc).sum()) + int(
        round(sc.weights.supply_split * split)
    )
    if sc.rules.soft_quota:
        for q in sc.quota:
            short = max(0, q.min_count(n) - before - int((year <= q.by_year).sum()))
            objective += short * sc.rules.quota_shortfall_vnd_per_firm
    return CheckResult(tuple(v), objective, terms)


def _why_not_admissible(problem: Problem, f: int, s: int, y: int) -> str:
    firm = problem.firms.iloc[f]
    site = problem.sites.iloc[s]
    if site["accepts_sectors"] is not None and firm["sector"] not in site["accepts_sectors"]:
        return f"the site does not accept sector {firm['sector']}"
    if firm["pollution"] == "high" and not site["accepts_polluting"]:
        return "the site does not accept polluting firms"
    if firm["required_area_m2"] > site["max_firm_area_m2"]:
        return "the firm is larger than the site accepts"
    if y < firm["earliest_year"]:
        return f"the firm is not ready before {firm['earliest_year']}"
    if firm["mandatory"] and y > firm["deadline_year"]:
        return f"after the zone's deadline {firm['deadline_year']}"
    return "pairs, preferences or land not yet released"


def check_plan(problem: Problem, plan: Plan) -> CheckResult:
    """Re-verify every hard rule of ``plan`` and recompute its objective.

    Parameters
    ----------
    problem : Problem
    plan : Plan

    Returns
    -------
    CheckResult
        Violations in planner words; a plan whose stated objective differs from the
        recomputed one is reported too.
    """
    fpos = {k: i for i, k in enumerate(problem.firms["firm_id"])}
    spos = {k: i for i, k in enumerate(problem.sites["site_id"])}
    m = plan.moves
    firm = np.array([fpos[f] for f in m["firm_id"]], dtype=np.int64)
    site = np.array([spos[s] for s in m["site_id"]], dtype=np.int64)
    res = check_moves(problem, firm, site, m["year"].to_numpy(dtype=np.int64))
    extra = []
    if res.objective != plan.objective:
        extra.append(f"objective {plan.objective:,} differs from recomputed {res.objective:,}")
    for t, val in res.terms.items():
        if plan.terms.get(t) != val:
            extra.append(f"term {t} {plan.terms.get(t)} differs from recomputed {val}")
    return CheckResult(res.violations + tuple(extra), res.objective, res.terms)
