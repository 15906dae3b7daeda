"""The model's own evaluation of a candidate plan given as rows of ``problem.options``.

One place states, for a set of chosen option rows, what the CP-SAT model of
:mod:`models.build` would say about it: whether it keeps every rule of the model (one
move per firm, mandatory moves, quota windows, site land by year, yearly moves (least
and most) and budget, move-together groups, park clearance, the caller's fixed moves and
extra rows) and its objective

    ``Σ coef·x + split_weight · supply_split_vnd · split + penalty · Σ_windows shortfall``

(the last term in soft-quota mode only). Every stage of :mod:`models.solve` judges its
plans with it. The independent rule checker (:mod:`relocation.domain.check`) shares no
code with it, on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from models.build import ModelSpec, min_moves_need
from relocation.domain.problem import Problem


@dataclass(frozen=True)
class Evaluation:
    """What the model says about a candidate plan.

    Attributes
    ----------
    feasible : bool
        True when the rows keep every rule of the model.
    objective : int
        Objective of the rows under the spec (VND, whole), shortfall penalty included.
    shortfall : Mapping[int, int]
        Firms missing from each quota window's minimum (window year -> firms, ≥ 0).
    broken : tuple of str
        The rules broken (short keys such as ``"quota:2030:min"``), empty when feasible.
    """

    feasible: bool
    objective: int
    shortfall: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))
    broken: tuple[str, ...] = ()


def window_need(problem: Problem, by_year: int) -> int:
    """Planned moves the minimum of the window ending in ``by_year`` still needs (may be ≤ 0)."""
    need = -(10**9)
    for q in problem.scenario.quota:
        if q.by_year == by_year:
            need = max(need, q.min_count(problem.n_slated) - problem.n_moved_before)
    return need


def shortfall_by_window(problem: Problem, move_years: np.ndarray) -> dict[int, int]:
    """Firms missing from each window's minimum, for planned moves in ``move_years``."""
    out: dict[int, int] = {}
    for q in problem.scenario.quota:
        need = q.min_count(problem.n_slated) - problem.n_moved_before
        out[q.by_year] = max(out.get(q.by_year, 0), need - int((move_years <= q.by_year).sum()))
    return {y: max(0, s) for y, s in out.items()}


def linear_value(
    problem: Problem, rows: np.ndarray, coefficients: np.ndarray | None, split_weight: float
) -> int:
    """``Σ coef·x + split_weight · supply_split_vnd · split`` of the rows (no shortfall term)."""
    opts = problem.options
    coef = opts["weighted_vnd"].to_numpy() if coefficients is None else coefficients
    total = int(np.asarray(coef)[rows].sum())
    w = int(round(split_weight * problem.scenario.costs.supply_split_vnd))
    if w:
        firm = opts["firm"].to_numpy()[rows]
        site = opts["site"].to_numpy()[rows]
        where = dict(zip(firm.tolist(), site.tolist(), strict=True))
        for members in problem.supply_groups().values():
            used = {where[f] for f in members.tolist() if f in where}
            if used:
                total += w * (len(used) - 1)
    return total


def evaluate_rows(problem: Problem, rows: np.ndarray, spec: ModelSpec | None = None) -> Evaluation:
    """Evaluate chosen option rows against the model described by ``spec``.

    Parameters
    ----------
    problem : Problem
    rows : numpy.ndarray
        Chosen rows of ``problem.options`` (int).
    spec : ModelSpec, optional
        Objective coefficients, split weight, extra rows and fixed moves (default: the full
        weighted model). ``option_rows`` is not a rule: a plan outside it is still judged.

    Returns
    -------
    Evaluation
    """
    spec = spec or ModelSpec()
    rows = np.asarray(rows, dtype=np.int64)
    opts = problem.options
    sc = problem.scenario
    firm = opts["firm"].to_numpy()[rows]
    site = opts["site"].to_numpy()[rows]
    year = opts["year"].to_numpy()[rows]
    area = opts["area_m2"].to_numpy()[rows]
    broken: list[str] = []

    if len(np.unique(firm)) != len(firm):
        broken.append("one-move")
    mand = np.flatnonzero(problem.must_move)
    if not np.isin(mand, firm).all():
        broken.append("deadline")
    n, before = problem.n_slated, problem.n_moved_before
    for q in sc.quota:
        c = before + int((year <= q.by_year).sum())
        if c > q.max_count(n):
            broken.append(f"quota:{q.by_year}:max")
        if not sc.rules.soft_quota and c < q.min_count(n):
            broken.append(f"quota:{q.by_year}:min")
    lim = sc.limits
    support = opts["support_vnd"].to_numpy()[rows]
    for k, y in enumerate(problem.years):
        by = year <= y
        # Conversion rows (site len(sites), land 0) fall in the extra last bin.
        used = np.bincount(site[by], weights=area[by], minlength=len(problem.sites) + 1)
        used = used[: len(problem.sites)]
        if (used > problem.capacity_m2[:, k]).any():
            broken.append(f"capacity:{y}")
        now = year == y
        if lim.max_moves_per_year is not None and now.sum() > lim.max_moves_per_year:
            broken.append(f"moves:{y}")
        if lim.budget_vnd_per_year is not None and support[now].sum() > lim.budget_vnd_per_year:
            broken.append(f"budget:{y}")
    for y, rhs in min_moves_need(problem, firm, year).items():
        if int((year == y).sum()) < rhs:
            broken.append(f"min_moves:{y}")
    where = dict(zip(firm.tolist(), zip(site.tolist(), year.tolist(), strict=True), strict=True))
    for g, members in problem.move_groups().items():
        got = [where.get(int(f)) for f in members.tolist()]
        moved_any = [m for m in got if m is not None]
        if not moved_any:
            continue
        if len(moved_any) < len(got) or len({m[1] for m in moved_any}) > 1 or (
            sc.rules.move_group_same_site and len({m[0] for m in moved_any}) > 1
        ):
            broken.append(f"move_group:{g}")
    for (park, by_year), members in problem.clearance_firms().items():
        if any(where.get(int(f), (0, 10**6))[1] > by_year for f in members.tolist()):
            broken.append(f"clearance:{park}:{by_year}")
    chosen = set(zip(firm.tolist(), site.tolist(), year.tolist(), strict=True))
    moved = set(firm.tolist())
    for f, target in spec.fix.items():
        if (target is None and f in moved) or (
            target is not None and (f, target[0], target[1]) not in chosen
        ):
            broken.append(f"fix:{f}")
    for i, (coef, sw, rhs) in enumerate(spec.extra_le):
        # The model's extra rows carry no shortfall term (models.build.add_extra_bounds).
        if linear_value(problem, rows, coef, sw) > rhs:
            broken.append(f"extra:{i}")

    short = shortfall_by_window(problem, year)
    objective = linear_value(problem, rows, spec.coefficients, spec.split_weight)
    if sc.rules.soft_quota:
        objective += sum(short.values()) * sc.rules.quota_shortfall_vnd_per_firm
    return Evaluation(
        feasible=not broken,
        objective=objective,
        shortfall=MappingProxyType(short),
        broken=tuple(broken),
    )
