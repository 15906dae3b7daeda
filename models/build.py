"""The CP-SAT relocation model: one boolean per admissible (firm, site, year) move.

``build_model`` calls the constraint families of ``FAMILIES`` in order; that tuple is the
model's table of contents. Each family states its rule, adds it for every index it
concerns, and returns its part of the objective (whole VND). Rules that concern a firm
and a site alone (sector and polluting acceptance, readiness, pairs, strict preferences,
opening years) are enforced by admissibility: no variable exists for a forbidden move
(:mod:`relocation.domain.costs`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from relocation.domain.problem import Problem

#: Objective weights that are not per-move coefficients.
Objective = list[tuple[cp_model.LinearExprT, int]]


@dataclass(frozen=True)
class ModelSpec:
    """What to build: which options, which objective, which extra rules.

    Attributes
    ----------
    option_rows : numpy.ndarray or None
        Rows of ``problem.options`` that get a variable (None = all). Reduced-cost fixing
        passes the rows that can still be part of an optimal plan.
    coefficients : numpy.ndarray or None
        Objective coefficient per option row of ``problem.options`` (None = ``weighted_vnd``).
    split_weight : float
        Weight of the supply-group split term.
    extra_le : tuple
        Extra rows ``(coefficients over problem.options rows, split weight, rhs)``: the
        lexicographic mode's cost bound.
    assumptions : bool
        Guard each rule by a named assumption literal (for infeasibility explanations).
    fix : mapping
        ``firm index -> (site index, year)`` that must be taken, or ``None`` to forbid any
        move of the firm (used by tests and explanations).
    """

    option_rows: np.ndarray | None = None
    coefficients: np.ndarray | None = None
    split_weight: float = 1.0
    extra_le: tuple[tuple[np.ndarray, float, int], ...] = ()
    assumptions: bool = False
    fix: Mapping[int, tuple[int, int] | None] = field(default_factory=dict)


@dataclass
class BuiltModel:
    """A CP-SAT model and its labelled variables.

    Attributes
    ----------
    model : cp_model.CpModel
    x : pandas.Series
        Boolean variables indexed by the ``problem.options`` row they stand for.
    options : pandas.DataFrame
        The option rows that have a variable (same index as ``x``).
    rules : dict
        Rule key (e.g. ``"capacity:D_VSIP3:2025"``) -> assumption literal, when
        ``spec.assumptions``.
    group_u, group_m : dict
        Supply-group indicator variables.
    shortfall : dict
        Soft-quota shortfall variables by window year.
    objective : list
        ``(expression, weight)`` parts of the objective.
    """

    model: cp_model.CpModel
    x: pd.Series
    options: pd.DataFrame
    coef: np.ndarray
    rules: dict[str, cp_model.IntVar] = field(default_factory=dict)
    group_u: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    group_m: dict[str, cp_model.IntVar] = field(default_factory=dict)
    shortfall: dict[int, cp_model.IntVar] = field(default_factory=dict)
    split_terms: list[tuple[cp_model.LinearExprT, int]] = field(default_factory=list)

    def guard(self, key: str, spec: ModelSpec) -> list[cp_model.IntVar]:
        """Return the enforcement literals of a rule (empty when not guarded)."""
        if not spec.assumptions:
            return []
        lit = self.rules.get(key)
        if lit is None:
            lit = self.model.new_bool_var(key)
            self.rules[key] = lit
        return [lit]


def _add(bm: BuiltModel, spec: ModelSpec, key: str, ct: cp_model.BoundedLinearExpression) -> None:
    c = bm.model.add(ct)
    lits = bm.guard(key, spec)
    if lits:
        c.only_enforce_if(lits)


def add_one_move_per_firm(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Each planned firm moves at most once: ``Σ_{s,t} x[f,s,t] ≤ 1``."""
    for _f, idx in bm.options.groupby("firm").groups.items():
        if len(idx) > 1:
            bm.model.add_at_most_one(bm.x[idx].tolist())


def add_mandatory_deadlines(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """A mandatory firm moves by its zone's deadline: ``Σ_{s, t ≤ deadline} x[f,s,t] = 1``.

    Options after the deadline do not exist, so the rule is ``Σ x[f,·,·] ≥ 1``. A firm
    fixed by a committed actual or locked by a decision must move too: its options are
    only the locked site and/or year, so the same row fixes its move.
    """
    firms = problem.firms
    groups = bm.options.groupby("firm").groups
    clear = firms["clear_by"].to_numpy() if "clear_by" in firms else np.zeros(len(firms))
    locked = (firms["lock_site_id"] != "") | (firms["lock_year"] > 0) if "lock_year" in firms \
        else pd.Series(False, index=firms.index)
    for f in np.flatnonzero(problem.must_move):
        if firms.at[f, "mandatory"]:
            kind = "deadline"
        elif clear[f] and not locked.iat[f]:
            continue  # a park clearance target: add_park_clearance states it
        else:
            kind = "lock"
        key = f"{kind}:{firms.at[f, 'firm_id']}"
        idx = groups.get(f)
        expr = cp_model.LinearExpr.sum(bm.x[idx].tolist()) if idx is not None else 0
        _add(bm, spec, key, expr >= 1)


def add_quota_windows(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Quota windows: ``ceil(min·N) ≤ moved_before + Σ_{t ≤ Y} x ≤ floor(max·N)``.

    N counts every slated firm; firms moved before the horizon count in every window. In
    soft mode a shortfall variable (penalised per firm) may cover the minimum.
    """
    n = problem.n_slated
    before = problem.n_moved_before
    year = bm.options["year"].to_numpy()
    rules = problem.scenario.rules
    for q in problem.scenario.quota:
        sel = bm.x[year <= q.by_year].tolist()
        moved = cp_model.LinearExpr.sum(sel) + before if sel else before
        lo, hi = q.min_count(n), q.max_count(n)
        if rules.soft_quota and lo > before:
            short = bm.model.new_int_var(0, lo, f"shortfall_{q.by_year}")
            bm.shortfall[q.by_year] = short
            _add(bm, spec, f"quota:{q.by_year}:min", moved + short >= lo)
        else:
            _add(bm, spec, f"quota:{q.by_year}:min", moved >= lo)
        _add(bm, spec, f"quota:{q.by_year}:max", moved <= hi)


def capacity_breakpoints(capacity_row: np.ndarray) -> np.ndarray:
    """Year offsets at which a site's cumulative land rule can bind.

    Capacity is cumulative, so the rule for year Y is implied by the rule for a later
    year with the same capacity: only the last year before each increase (and the last
    year) are needed.
    """
    n = len(capacity_row)
    keep = [k for k in range(n - 1) if capacity_row[k + 1] != capacity_row[k]]
    return np.array([*keep, n - 1], dtype=int)


def add_site_capacity(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Site land by year: ``Σ_{f, t ≤ Y} area[f,s]·x[f,s,t] ≤ capacity[s, Y]`` (m²).

    Capacity is the land released by Y (phases included) minus the land taken by firms
    moved before the horizon.
    """
    start = problem.years[0]
    year = bm.options["year"].to_numpy()
    area = bm.options["area_m2"].to_numpy()
    for s, idx in bm.options.groupby("site").groups.items():
        if s >= len(problem.sites):
            continue  # conversions in place take no site land
        pos = bm.options.index.get_indexer(idx)
        cap = problem.capacity_m2[s]
        sid = problem.sites.at[s, "site_id"]
        for k in capacity_breakpoints(cap):
            y = start + int(k)
            sel = pos[year[pos] <= y]
            if len(sel) == 0 or area[sel].sum() <= cap[k]:
                continue
            expr = cp_model.LinearExpr.weighted_sum(bm.x.iloc[sel].tolist(), area[sel].tolist())
            _add(bm, spec, f"capacity:{sid}:{y}", expr <= int(cap[k]))


def add_yearly_limits(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Yearly throughput and support budget: ``Σ_{f,s} x[f,s,t] ≤ M`` and ``Σ support·x ≤ B``.

    Support is counted in nominal VND of the year it is paid.
    """
    lim = problem.scenario.limits
    year = bm.options["year"].to_numpy()
    for y in problem.years:
        sel = np.flatnonzero(year == y)
        if lim.max_moves_per_year is not None and len(sel) > lim.max_moves_per_year:
            _add(
                bm,
                spec,
                f"moves:{y}",
                cp_model.LinearExpr.sum(bm.x.iloc[sel].tolist()) <= lim.max_moves_per_year,
            )
        if lim.budget_vnd_per_year is not None and len(sel):
            sup = bm.options["support_vnd"].to_numpy()[sel]
            if sup.sum() > lim.budget_vnd_per_year:
                expr = cp_model.LinearExpr.weighted_sum(bm.x.iloc[sel].tolist(), sup.tolist())
                _add(bm, spec, f"budget:{y}", expr <= lim.budget_vnd_per_year)


def waiting_masks(problem: Problem) -> dict[int, np.ndarray]:
    """Planned firms whose own dates allow a move in each year t (``E_t``), by year.

    A firm is in ``E_t`` when it is ready (``earliest_year ≤ t``) and not past its deadline
    (mandatory firms) or its park's clearance year. Empty without ``min_moves_per_year``.
    """
    if not problem.scenario.limits.min_moves_per_year:
        return {}
    f = problem.firms
    last = np.where(f["mandatory"].to_numpy(bool), f["deadline_year"].to_numpy(), 10**6)
    if "clear_by" in f:
        cb = f["clear_by"].to_numpy()
        last = np.where(cb > 0, np.minimum(last, cb), last)
    early = f["earliest_year"].to_numpy()
    return {int(y): problem.planned & (early <= y) & (last >= y) for y in problem.years}


def most_moves_before(problem: Problem, year: int) -> int | None:
    """Most planned moves any plan can make before ``year`` (None: no limit known).

    Bounded by the yearly throughput (``limits.max_moves_per_year`` for each earlier year)
    and by each quota window's maximum: by window year ``Y < year`` at most
    ``floor(max·N) − moved_before`` planned moves, then the throughput for the years after.
    """
    start = problem.years[0]
    cap = problem.scenario.limits.max_moves_per_year
    best: int | None = None if cap is None else int(cap) * (year - start)
    n, before = problem.n_slated, problem.n_moved_before
    for q in problem.scenario.quota:
        if start <= q.by_year < year and (cap is not None or q.by_year == year - 1):
            most = max(0, q.max_count(n) - before) + (int(cap) * (year - 1 - q.by_year) if cap
                                                       else 0)
            best = most if best is None else min(best, most)
    return best


def certain_min_moves(problem: Problem) -> dict[int, int]:
    """Years in which the least-moves rule is a plain ``M_t ≥ m`` for every plan.

    ``W_t ≥ |E_t| − most_moves_before(t)``: when that is at least ``m`` in year t, the
    minimum ``min(m, W_t)`` is ``m`` whatever the plan, so the disjunction of
    :func:`add_min_moves_per_year` is not needed (and its linear relaxation, which is
    weak, is replaced by the exact row). Returns ``{year: m}`` for those years.
    """
    m = problem.scenario.limits.min_moves_per_year
    out: dict[int, int] = {}
    if not m:
        return out
    for y, mask in waiting_masks(problem).items():
        most = most_moves_before(problem, y)
        if most is not None and int(mask.sum()) - most >= m:
            out[y] = int(m)
    return out


def add_min_moves_per_year(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Least moves a year while firms wait: ``M_t ≥ min(m, W_t)`` for every year t.

    ``M_t = Σ_{f,s} x[f,s,t]``; ``W_t = Σ_{f ∈ E_t} (1 − Σ_{s, t' < t} x[f,s,t'])`` counts
    the firms of :func:`waiting_masks` not moved before t; ``m`` is
    ``limits.min_moves_per_year``. Stated as ``M_t ≥ m`` in the years of
    :func:`certain_min_moves`, else as ``b_t ⇒ M_t ≥ m``, ``¬b_t ⇒ M_t ≥ W_t``.
    """
    m = problem.scenario.limits.min_moves_per_year
    opt = bm.options
    year = opt["year"].to_numpy()
    firm = opt["firm"].to_numpy()
    certain = certain_min_moves(problem)
    for y, mask in waiting_masks(problem).items():
        if not mask.any():
            continue
        now = bm.x.iloc[np.flatnonzero(year == y)].tolist()
        moves = cp_model.LinearExpr.sum(now) if now else 0
        lits = bm.guard(f"min_moves:{y}", spec)
        if y in certain:
            bm.model.add(moves >= int(m)).only_enforce_if(lits)
            continue
        before = bm.x.iloc[np.flatnonzero((year < y) & mask[firm])].tolist()
        waiting = int(mask.sum()) - (cp_model.LinearExpr.sum(before) if before else 0)
        b = bm.model.new_bool_var(f"min_moves_{y}")
        bm.model.add(moves >= int(m)).only_enforce_if([b, *lits])
        bm.model.add(moves >= waiting).only_enforce_if([~b, *lits])


def min_moves_need(problem: Problem, firm: np.ndarray, year: np.ndarray) -> dict[int, int]:
    """Least moves each year for a plan of planned moves (firm positions, years)."""
    m = problem.scenario.limits.min_moves_per_year
    out: dict[int, int] = {}
    for y, mask in waiting_masks(problem).items():
        moved_before = np.zeros(len(mask), dtype=bool)
        moved_before[firm[year < y]] = True
        out[y] = min(int(m), int((mask & ~moved_before).sum()))
    return out


def add_move_groups(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Move-together groups: one year (and with ``move_group_same_site`` one site) per group.

    ``Σ_s x[f,s,t] = y[g,t]`` for every member f and year t, ``Σ_t y[g,t] ≤ 1``; with the
    switch also ``Σ_t x[f,s,t] = z[g,s]`` for every member f and site s.
    """
    opt = bm.options
    same_site = problem.scenario.rules.move_group_same_site
    for g, members in problem.move_groups().items():
        sub = opt[opt["firm"].isin(members)]
        by_firm = {int(f): sub.loc[idx] for f, idx in sub.groupby("firm").groups.items()}
        dims = [("year", "y")] + ([("site", "s")] if same_site else [])
        for col, tag in dims:
            values = sorted(set(sub[col].tolist()))
            ind = {v: bm.model.new_bool_var(f"group_{g}_{tag}{v}") for v in values}
            bm.model.add(cp_model.LinearExpr.sum(list(ind.values())) <= 1)
            for f in members.tolist():
                rows = by_firm.get(int(f))
                for v, lit in ind.items():
                    idx = [] if rows is None else rows.index[rows[col] == v].tolist()
                    expr = cp_model.LinearExpr.sum(bm.x[idx].tolist()) if idx else 0
                    _add(bm, spec, f"move_group:{g}", expr == lit)


def add_park_clearance(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Park clearance: every planned firm of park P moves by Y: ``Σ_{s, t ≤ Y} x[f,s,t] = 1``.

    Options after Y do not exist (admissibility, ``clear_by``), so the rule is
    ``Σ x[f,·,·] ≥ 1`` for each firm of the park (a firm with no option makes it infeasible).
    """
    groups = bm.options.groupby("firm").groups
    for (park, by_year), members in problem.clearance_firms().items():
        for f in members.tolist():
            idx = groups.get(f)
            expr = cp_model.LinearExpr.sum(bm.x[idx].tolist()) if idx is not None else 0
            _add(bm, spec, f"clearance:{park}:{by_year}", expr >= 1)


def add_supply_groups(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Supply groups split: ``supply_split_vnd · (Σ_s u[g,s] − m[g])`` for each group g.

    ``u[g,s] = 1`` when a firm of g moves to s; ``m[g] = 1`` when any firm of g moves. The
    term is zero when the movers of a group share one site.
    """
    if problem.scenario.costs.supply_split_vnd == 0:
        return
    opt = bm.options
    for g, members in problem.supply_groups().items():
        sub = opt[opt["firm"].isin(members)]
        if sub.empty:
            continue
        m = bm.model.new_bool_var(f"group_{g}")
        bm.group_m[g] = m
        bm.model.add(m <= cp_model.LinearExpr.sum(bm.x[sub.index].tolist()))
        for s, idx in sub.groupby("site").groups.items():
            u = bm.model.new_bool_var(f"group_{g}_{s}")
            bm.group_u[(g, int(s))] = u
            for _f, fidx in sub.loc[idx].groupby("firm").groups.items():
                bm.model.add(cp_model.LinearExpr.sum(bm.x[fidx].tolist()) <= u)
        bm.split_terms.append((sum(bm.group_u[(g, int(s))] for s in sub["site"].unique()) - m, 1))


def add_fixed_moves(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Moves fixed by the caller: ``x[f,s,t] = 1`` for a given (s, t), or no move at all."""
    opt = bm.options
    for f, target in spec.fix.items():
        idx = opt.index[opt["firm"] == f]
        if target is None:
            for v in bm.x[idx]:
                bm.model.add(v == 0)
            continue
        s, t = target
        hit = opt.index[(opt["firm"] == f) & (opt["site"] == s) & (opt["year"] == t)]
        if len(hit) == 0:
            bm.model.add_bool_or([])  # not admissible: the fix cannot hold
        else:
            bm.model.add(bm.x[hit[0]] == 1)


def add_extra_bounds(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Extra rows ``Σ c·x + w·split + penalty·shortfall ≤ rhs`` (the lexicographic cost bound).

    The soft-quota shortfall penalty is counted as in the first stage's objective, whose
    value sets ``rhs`` (and as :func:`models.solve.rows_feasible` counts it).
    """
    pen = problem.scenario.rules.quota_shortfall_vnd_per_firm
    for coef, split_w, rhs in spec.extra_le:
        c = coef[bm.options.index.to_numpy()]
        expr = cp_model.LinearExpr.weighted_sum(bm.x.tolist(), c.tolist())
        if split_w and bm.split_terms:
            w = int(round(split_w * problem.scenario.costs.supply_split_vnd))
            expr = expr + sum(e * w for e, _ in bm.split_terms)
        for short in bm.shortfall.values():
            expr = expr + pen * short
        bm.model.add(expr <= int(rhs))


FAMILIES: tuple[Callable[[Problem, BuiltModel, ModelSpec], None], ...] = (
    add_one_move_per_firm,
    add_mandatory_deadlines,
    add_quota_windows,
    add_site_capacity,
    add_yearly_limits,
    add_min_moves_per_year,
    add_move_groups,
    add_park_clearance,
    add_supply_groups,
    add_fixed_moves,
    add_extra_bounds,
)


def new_solver() -> cp_model.CpSolver:
    """A CP-SAT solver that leaves SIGINT to the application.

    CP-SAT installs its own SIGINT handler while solving, which aborts the process when the
    solve runs outside the main thread; the CLI stops solves through ``stop_search``.
    """
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    return solver


class BuildTimeout(Exception):
    """Building the model would pass the caller's deadline (see :func:`build_model`)."""


#: Share of the build time spent creating the variables (measured on the demo: 2.1 s of
#: 12.5 s); used to foresee whether the rest of a build fits before a deadline.
VARIABLES_SHARE = 0.15


def build_model(
    problem: Problem, spec: ModelSpec | None = None, deadline: float | None = None
) -> BuiltModel:
    """Build the CP-SAT model of ``problem`` (a pure function of its inputs).

    Parameters
    ----------
    problem : Problem
    spec : ModelSpec, optional
        Subset of options, objective and switches (default: the full weighted model).
    deadline : float, optional
        ``time.monotonic()`` by which the model must be built. The build stops with
        :class:`BuildTimeout` once the variables show that it cannot finish in time, or
        after any family that ends past the deadline.

    Returns
    -------
    BuiltModel
    """
    spec = spec or ModelSpec()
    opts = problem.options if spec.option_rows is None else problem.options.iloc[spec.option_rows]
    coef_all = (
        problem.options["weighted_vnd"].to_numpy()
        if spec.coefficients is None
        else np.asarray(spec.coefficients)
    )
    t0 = time.monotonic()
    model = cp_model.CpModel()
    x = model.new_bool_var_series("x", opts.index)
    bm = BuiltModel(model=model, x=x, options=opts, coef=coef_all)
    if deadline is not None:
        now = time.monotonic()
        if now + (now - t0) * (1 - VARIABLES_SHARE) / VARIABLES_SHARE > deadline:
            raise BuildTimeout("the model cannot be built before the deadline")
    for family in FAMILIES:
        family(problem, bm, spec)
        if deadline is not None and time.monotonic() > deadline:
            raise BuildTimeout(f"building stopped after {family.__name__}")
    objective_expr(problem, bm, spec)
    return bm


def objective_expr(problem: Problem, bm: BuiltModel, spec: ModelSpec) -> None:
    """Set the objective: ``Σ coef·x + split_weight·supply_split_vnd·split + penalty·shortfall``."""
    coef = bm.coef[bm.options.index.to_numpy()]
    expr = cp_model.LinearExpr.weighted_sum(bm.x.tolist(), coef.tolist())
    w_split = int(round(spec.split_weight * problem.scenario.costs.supply_split_vnd))
    if w_split and bm.split_terms:
        expr = expr + sum(e * w_split for e, _ in bm.split_terms)
    pen = problem.scenario.rules.quota_shortfall_vnd_per_firm
    for short in bm.shortfall.values():
        expr = expr + pen * short
    bm.model.minimize(expr)
