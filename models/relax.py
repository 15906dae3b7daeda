"""The LP relaxation of the relocation model, solved with HiGHS by column generation.

It serves three purposes: a valid lower bound on every plan's objective, the fractional
plan that guides the greedy heuristic, and reduced costs for *reduced-cost fixing*: a
move whose reduced cost exceeds ``UB - LB`` (UB = a known plan's objective) cannot be in
any plan better than that one, so it needs no CP-SAT variable.

The rows mirror the CP-SAT families of :mod:`models.build` (same rules, vectorised). They
are laid out once for all moves (:class:`_Layout`), so the same code that builds a
column also prices it: the LP starts from a few columns per firm, and columns with a
negative reduced cost are added until none is left — exact, and fast at 30,000 firms.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np

from models.build import ModelSpec, capacity_breakpoints, certain_min_moves
from relocation.domain.problem import Problem

log = logging.getLogger(__name__)

#: LP costs are in millions of VND: keeps HiGHS' tolerances meaningful for VND 1e13 totals.
SCALE = 1e6
#: Columns per firm in the first restricted LP, and added per firm per pricing round.
START_PER_FIRM = 4
ADD_PER_FIRM = 2
#: Column set-up time over row layout time (measured on the demo: 0.32 s / 0.10 s).
SETUP_PER_LAYOUT = 3.0
#: Up to this many columns the LP is solved whole; above it, by column generation.
FULL_LP_COLUMNS = 200_000


@dataclass(frozen=True)
class Relaxation:
    """Result of the LP relaxation.

    Attributes
    ----------
    status : str
        ``optimal``, ``infeasible`` or ``unknown`` (time limit or numerical trouble).
    bound : float
        A valid lower bound (VND) on every plan when ``status == "optimal"``: the LP's
        weak-duality bound ``L(y)`` at the final duals, minus an estimate of its floating
        error, so that it never exceeds the true LP optimum whatever the solver's
        tolerances (see :func:`dual_bound`). Callers round it up on integer objectives.
    value : numpy.ndarray
        LP value of every option row of the model (zero for columns never generated).
    reduced_cost : numpy.ndarray
        Reduced cost (VND) of every option row of the model (priced with the final duals).
    rows : numpy.ndarray
        ``problem.options`` rows of the model (``value`` and ``reduced_cost`` follow them).
    seconds : float
        Time spent.
    rounds : int
        Pricing rounds.
    """

    status: str
    bound: float
    value: np.ndarray
    reduced_cost: np.ndarray
    rows: np.ndarray
    seconds: float
    rounds: int = 0
    lp_value: float = float("nan")
    source: str = "lp"


class _Layout:
    """Every row of the LP, and the entries of any option column in them."""

    def __init__(
        self, problem: Problem, spec: ModelSpec, rows_sel: np.ndarray, scale: float = SCALE
    ) -> None:
        sc = problem.scenario
        self.scale = scale  # VND per unit of the LP's costs and budget rows
        opts = problem.options
        self.rows_sel = rows_sel
        self.firm = opts["firm"].to_numpy()[rows_sel]
        self.site = opts["site"].to_numpy()[rows_sel]
        self.year = opts["year"].to_numpy()[rows_sel]
        self.area = opts["area_m2"].to_numpy()[rows_sel].astype(float)
        self.support = opts["support_vnd"].to_numpy()[rows_sel] / scale
        coef = opts["weighted_vnd"].to_numpy() if spec.coefficients is None else spec.coefficients
        self.cost = np.asarray(coef, dtype=float)[rows_sel] / scale
        self.extra = [np.asarray(c, dtype=float)[rows_sel] / scale for c, _, _ in spec.extra_le]
        years = np.asarray(problem.years)
        self.y0, ny = int(years[0]), len(years)
        lo: list[float] = []
        hi: list[float] = []

        def new_rows(lows: np.ndarray, highs: np.ndarray) -> np.ndarray:
            start = len(lo)
            lo.extend(np.asarray(lows, dtype=float).tolist())
            hi.extend(np.asarray(highs, dtype=float).tolist())
            return np.arange(start, len(lo))

        # One move per firm (mandatory: exactly one, options end at the deadline).
        firms_with = np.unique(self.firm)
        mand = problem.must_move
        self.missing_mandatory = np.setdiff1d(np.flatnonzero(mand), firms_with)
        self.firm_row = np.full(len(problem.firms), -1, dtype=np.int64)
        self.firm_row[firms_with] = new_rows(
            mand[firms_with].astype(float), np.ones(len(firms_with))
        )

        # Quota windows (a soft minimum gets a shortfall column).
        n, before = problem.n_slated, problem.n_moved_before
        self.quota_rows: list[tuple[int, int]] = []  # (by_year, row)
        self.aux_cost: list[float] = []
        self.aux_upper: list[float] = []
        self.aux_entries: list[tuple[int, int, float]] = []  # (aux col, row, value)
        pen = sc.rules.quota_shortfall_vnd_per_firm / scale
        for q in sc.quota:
            lo_q, hi_q = q.min_count(n) - before, q.max_count(n) - before
            if sc.rules.soft_quota and lo_q > 0:
                r_min = new_rows(np.array([lo_q]), np.array([np.inf]))[0]
                self.quota_rows.append((q.by_year, r_min))
                self._aux(pen, float(lo_q), [(r_min, 1.0)])
                self.quota_rows.append(
                    (q.by_year, new_rows(np.array([-np.inf]), np.array([hi_q]))[0])
                )
            else:
                self.quota_rows.append((q.by_year, new_rows(np.array([lo_q]), np.array([hi_q]))[0]))

        # Site land by year: rows at each site's breakpoints.
        self.cap_rows: list[tuple[int, int, int]] = []  # (site, breakpoint offset, row)
        for s in range(len(problem.sites)):
            for k in capacity_breakpoints(problem.capacity_m2[s]):
                r = new_rows(np.array([-np.inf]), np.array([float(problem.capacity_m2[s, k])]))[0]
                self.cap_rows.append((s, int(k), r))

        lim = sc.limits
        self.moves_row = (
            new_rows(np.full(ny, -np.inf), np.full(ny, float(lim.max_moves_per_year)))
            if lim.max_moves_per_year is not None
            else None
        )
        # Least moves in the years where the rule is plain (see certain_min_moves); the
        # other years' disjunctive rule is left out (a relaxation: the bound stays valid).
        self.min_rows = {
            y: new_rows(np.array([float(m)]), np.array([np.inf]))[0]
            for y, m in certain_min_moves(problem).items()
        }
        # Move-together groups: each member moves in the first member's year (and site):
        # Σ_s x[f,s,t] − Σ_s x[f0,s,t] = 0 for every other member f and value t.
        self.tie_rows: dict[tuple[int, str, int], int] = {}  # (firm, "year"|"site", v) → row
        self.tie_lead: dict[int, list[int]] = {}  # first member → other members
        dims = ["year"] + (["site"] if sc.rules.move_group_same_site else [])
        for members in problem.move_groups().values():
            lead, others = int(members[0]), [int(f) for f in members[1:]]
            self.tie_lead[lead] = others
            in_g = np.isin(self.firm, members)
            for dim in dims:
                values = np.unique((self.year if dim == "year" else self.site)[in_g])
                for f in others:
                    for v in values.tolist():
                        self.tie_rows[(f, dim, int(v))] = new_rows(np.zeros(1), np.zeros(1))[0]
        self.tie_dims = dims
        self.budget_row = (
            new_rows(np.full(ny, -np.inf), np.full(ny, lim.budget_vnd_per_year / scale))
            if lim.budget_vnd_per_year is not None
            else None
        )

        # Supply groups: Σ_t x[f,s,t] − u[g,s] ≤ 0 and m[g] − Σ x ≤ 0; cost w·(Σ u − m).
        self.group_row: dict[tuple[int, int], int] = {}
        self.group_m_row = np.full(len(problem.firms), -1, dtype=np.int64)
        w = round(spec.split_weight * sc.costs.supply_split_vnd) / scale  # as CP-SAT's
        self.split_aux: list[tuple[int, float]] = []
        if w:
            for _g, members in problem.supply_groups().items():
                in_g = np.flatnonzero(np.isin(self.firm, members))
                if len(in_g) == 0:
                    continue
                r_m = new_rows(np.array([-np.inf]), np.array([0.0]))[0]
                self.group_m_row[members] = r_m
                col_m = self._aux(-w, 1.0, [(r_m, 1.0)])
                self.split_aux.append((col_m, -1.0))
                for s in np.unique(self.site[in_g]):
                    col_u = len(self.aux_cost)
                    self.aux_cost.append(w)
                    self.aux_upper.append(1.0)
                    self.split_aux.append((col_u, 1.0))
                    for f in np.unique(self.firm[in_g][self.site[in_g] == s]):
                        r = new_rows(np.array([-np.inf]), np.array([0.0]))[0]
                        self.group_row[(int(f), int(s))] = r
                        self.aux_entries.append((col_u, r, -1.0))

        self.extra_rows = []
        for _coef, sw, rhs in spec.extra_le:
            r = new_rows(np.array([-np.inf]), np.array([rhs / scale]))[0]
            self.extra_rows.append(r)
            if sw:
                ws = round(sw * sc.costs.supply_split_vnd) / scale
                for col, sign in self.split_aux:
                    self.aux_entries.append((col, r, ws * sign))
        self.row_lo = np.array(lo)
        self.row_hi = np.array(hi)

    def load_rows(self, h: highspy._Highs) -> int:
        """Add every row, then the auxiliary columns (shortfall, groups), to an empty ``h``.

        Option columns come after them (:meth:`entries`); returns the auxiliary count.
        """
        h.addRows(len(self.row_lo), self.row_lo, self.row_hi, 0, np.zeros(0, dtype=np.int32),
                  np.zeros(0, dtype=np.int32), np.zeros(0))
        n_aux = len(self.aux_cost)
        if n_aux:
            _add_columns(
                h,
                np.array(self.aux_cost),
                np.array(self.aux_upper),
                np.array([c for c, _, _ in self.aux_entries], dtype=np.int64),
                np.array([r for _, r, _ in self.aux_entries], dtype=np.int64),
                np.array([v for _, _, v in self.aux_entries]),
                n_aux,
            )
        return n_aux

    def _aux(self, cost: float, upper: float, entries: list[tuple[int, float]]) -> int:
        col = len(self.aux_cost)
        self.aux_cost.append(cost)
        self.aux_upper.append(upper)
        for r, v in entries:
            self.aux_entries.append((col, r, v))
        return col

    def entries(self, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """COO entries (local column index, row, value) of option columns ``cols``."""
        c_out, r_out, v_out = [], [], []
        idx = np.arange(len(cols))
        f, s, y = self.firm[cols], self.site[cols], self.year[cols]

        def put(mask: np.ndarray, rows: np.ndarray | int, vals: np.ndarray | float) -> None:
            c_out.append(idx[mask])
            r_out.append(
                np.broadcast_to(rows, idx.shape)[mask]
                if np.ndim(rows)
                else np.full(int(mask.sum()), rows)
            )
            v_out.append(np.broadcast_to(vals, idx.shape)[mask].astype(float))

        everyone = np.ones(len(cols), dtype=bool)
        put(everyone, self.firm_row[f], 1.0)
        for by_year, r in self.quota_rows:
            put(y <= by_year, r, 1.0)
        for site, k, r in self.cap_rows:
            put((s == site) & (y <= self.y0 + k), r, self.area[cols])
        if self.moves_row is not None:
            put(everyone, self.moves_row[y - self.y0], 1.0)
        if self.budget_row is not None:
            put(everyone, self.budget_row[y - self.y0], self.support[cols])
        for year, r in self.min_rows.items():
            put(y == year, r, 1.0)
        if self.tie_rows:
            self._tie_entries(idx, f, s, y, c_out, r_out, v_out)
        if self.group_row:
            g_rows = np.array(
                [self.group_row.get((int(a), int(b)), -1) for a, b in zip(f, s, strict=True)]
            )
            put(g_rows >= 0, g_rows, 1.0)
            m_rows = self.group_m_row[f]
            put(m_rows >= 0, m_rows, -1.0)
        for extra, r in zip(self.extra, self.extra_rows, strict=True):
            put(everyone, r, extra[cols])
        return np.concatenate(c_out), np.concatenate(r_out), np.concatenate(v_out)

    def _tie_entries(
        self,
        idx: np.ndarray,
        f: np.ndarray,
        s: np.ndarray,
        y: np.ndarray,
        c_out: list[np.ndarray],
        r_out: list[np.ndarray],
        v_out: list[np.ndarray],
    ) -> None:
        """Entries of the move-together rows: +1 for a member, −1 for the group's first."""
        members = set(self.tie_lead) | {g for gs in self.tie_lead.values() for g in gs}
        sel = np.flatnonzero(np.isin(f, list(members)))
        cs, rs, vs = [], [], []
        for i in sel.tolist():
            fi = int(f[i])
            for dim in self.tie_dims:
                v = int(y[i] if dim == "year" else s[i])
                if fi in self.tie_lead:
                    for other in self.tie_lead[fi]:
                        r = self.tie_rows.get((other, dim, v))
                        if r is not None:
                            cs.append(idx[i]); rs.append(r); vs.append(-1.0)  # noqa: E702
                else:
                    r = self.tie_rows.get((fi, dim, v))
                    if r is not None:
                        cs.append(idx[i]); rs.append(r); vs.append(1.0)  # noqa: E702
        c_out.append(np.asarray(cs, dtype=np.int64))
        r_out.append(np.asarray(rs, dtype=np.int64))
        v_out.append(np.asarray(vs, dtype=float))

    def reduced_costs(self, cols: np.ndarray, duals: np.ndarray) -> np.ndarray:
        """``c − Aᵀy`` of option columns ``cols`` (LP units), in chunks to bound memory."""
        out = np.empty(len(cols))
        for a in range(0, len(cols), 400_000):
            part = cols[a : a + 400_000]
            c, r, v = self.entries(part)
            out[a : a + len(part)] = self.cost[part] - np.bincount(
                c, weights=v * duals[r], minlength=len(part)
            )
        return out


def dual_bound(lay: _Layout, duals: np.ndarray) -> tuple[float, np.ndarray]:
    """Weak-duality bound of the LP over *every* option column, at row duals ``y``.

    For any ``y``, ``L(y) = Σ_i (y_i·lo_i if y_i > 0 else y_i·hi_i) + Σ_j u_j·min(0, rc_j)``
    with ``rc = c − Aᵀy`` and columns in ``[0, u_j]`` is at most the LP optimum. A dual whose
    sign points at an infinite side of its row is set to 0 first, so ``L`` stays finite;
    columns never generated are priced too, so the bound holds under column generation.
    The result is lowered by a bound on its floating-point error (``1e-12`` of the sum of
    the absolute terms, far above double rounding over 10⁶ terms).

    Returns
    -------
    bound : float
        In LP units (``SCALE`` VND).
    reduced_cost : numpy.ndarray
        ``rc`` of every option column at the duals used (for reduced-cost fixing).
    """
    y = np.asarray(duals, dtype=float).copy()
    lo, hi = lay.row_lo, lay.row_hi
    y[(y > 0) & ~np.isfinite(lo)] = 0.0
    y[(y < 0) & ~np.isfinite(hi)] = 0.0
    row_terms = np.where(y > 0, y * np.where(np.isfinite(lo), lo, 0.0), 0.0) + np.where(
        y < 0, y * np.where(np.isfinite(hi), hi, 0.0), 0.0
    )
    rc = lay.reduced_costs(np.arange(len(lay.rows_sel)), y)
    aux_rc = np.asarray(lay.aux_cost, dtype=float)
    for col, r, v in lay.aux_entries:
        aux_rc[col] -= v * y[r]
    col_terms = np.concatenate([np.minimum(rc, 0.0), np.minimum(aux_rc, 0.0) * lay.aux_upper])
    total = float(row_terms.sum() + col_terms.sum())
    error = 1e-12 * float(np.abs(row_terms).sum() + np.abs(col_terms).sum() + np.abs(rc).sum())
    return total - error - 1e-9, rc


def _initial_columns(lay: _Layout, hint: np.ndarray | None) -> np.ndarray:
    """A few cheap columns per firm, every year represented, plus the hint's."""
    if len(lay.firm) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((lay.cost, lay.firm))
    f_sorted = lay.firm[order]
    first = np.r_[0, np.flatnonzero(np.diff(f_sorted)) + 1]
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    chosen = order[rank < START_PER_FIRM]
    # The cheapest option of each firm in each year keeps early quotas reachable.
    key = lay.firm.astype(np.int64) * 10_000 + (lay.year - lay.y0)
    order_y = np.lexsort((lay.cost, key))
    k_sorted = key[order_y]
    first_y = order_y[np.r_[0, np.flatnonzero(np.diff(k_sorted)) + 1]]
    cols = np.union1d(chosen, first_y)
    if hint is not None and len(hint):
        cols = np.union1d(cols, hint)
    return cols


#: The last whole LP's optimal basis in this process, keyed by its shape and total cost: a
#: sweep's worker solves scenarios that differ in a few right-hand sides (quota floors,
#: budgets) one after another, and the simplex restarts from the previous optimum instead
#: of from scratch. Any basis of the right shape is a valid start (HiGHS repairs a singular
#: one), and the bound is computed from the final duals whatever the start, so a stale
#: entry costs time at worst, never validity.
_LAST_BASIS: dict[tuple[int, int, float], Any] = {}


def solve_relaxation(
    problem: Problem,
    spec: ModelSpec | None = None,
    time_limit_s: float = 60.0,
    hint_rows: np.ndarray | None = None,
    column_generation: bool | None = None,
    warm_start: bool = False,
) -> Relaxation:
    """Solve the LP relaxation of the model described by ``spec`` by column generation.

    Parameters
    ----------
    problem : Problem
    spec : ModelSpec, optional
        Option subset, objective coefficients and extra rows (fixes are ignored).
    time_limit_s : float
        Overall time limit.
    hint_rows : numpy.ndarray, optional
        Option rows of a known plan (their columns start in the LP).
    column_generation : bool, optional
        Start from a few columns per firm and price the rest in (True) or solve the whole
        LP (False); by default, column generation above ``FULL_LP_COLUMNS`` columns.
    warm_start : bool
        Start the whole LP's simplex from the last whole LP of the same shape solved in
        this process (:data:`_LAST_BASIS`). The bound is as valid and as tight; the LP's
        solution may be another optimal vertex, so deterministic runs leave it off.

    Returns
    -------
    Relaxation
    """
    t0 = time.monotonic()
    spec = spec or ModelSpec()
    opts = problem.options
    rows_sel = np.arange(len(opts)) if spec.option_rows is None else np.asarray(spec.option_rows)
    lay = _Layout(problem, spec, rows_sel)
    layout_s = time.monotonic() - t0
    n = len(rows_sel)
    zeros = np.zeros(n)
    if len(lay.missing_mandatory):
        return Relaxation("infeasible", float("nan"), zeros, zeros, rows_sel, 0.0)
    hint_local = None
    if hint_rows is not None and len(hint_rows):
        pos = np.searchsorted(rows_sel, hint_rows)
        ok = (pos < n) & (rows_sel[np.minimum(pos, n - 1)] == hint_rows)
        hint_local = pos[ok]
    in_lp = np.zeros(n, dtype=bool)
    if column_generation is None:
        column_generation = n > FULL_LP_COLUMNS
    cols = _initial_columns(lay, hint_local) if column_generation else np.arange(n)
    in_lp[cols] = True

    # Laying out the columns takes about SETUP_PER_LAYOUT times the rows' layout: do not
    # start what cannot finish in time (numpy cannot be interrupted).
    if layout_s * (1 + SETUP_PER_LAYOUT) > time_limit_s:
        return Relaxation("unknown", float("nan"), zeros, zeros, rows_sel, layout_s)
    h = _new_highs()
    h.setOptionValue("random_seed", 0)
    n_aux = lay.load_rows(h)
    order = list(cols)  # LP column position → option index (after the aux columns)
    c, r, v = lay.entries(cols)
    _add_columns(h, lay.cost[cols], np.ones(len(cols)), c, r, v, len(cols))

    warm_key = None
    if warm_start and not column_generation:  # start from the last LP of the same shape
        warm_key = (h.getNumRow(), h.getNumCol(), round(float(lay.cost.sum()), 3))
        basis = _LAST_BASIS.get(warm_key)
        if basis is not None:
            h.setBasis(basis)
    rounds = 0
    while True:
        remaining = time_limit_s - (time.monotonic() - t0)
        if remaining <= 0:
            return Relaxation(
                "unknown", float("nan"), zeros, zeros, rows_sel, time.monotonic() - t0, rounds
            )
        h.setOptionValue("time_limit", float(max(remaining, 0.1)))
        h.run()
        st = h.getModelStatus()
        if st == highspy.HighsModelStatus.kModelEmpty:  # no column at all: the empty plan
            ok = bool(((lay.row_lo <= 0) & (lay.row_hi >= 0)).all())
            bound, rc = dual_bound(lay, np.zeros(len(lay.row_lo)))
            return Relaxation(
                "optimal" if ok else "infeasible",
                bound * SCALE if ok else float("nan"),
                zeros,
                rc * SCALE,
                rows_sel,
                time.monotonic() - t0,
                rounds,
                lp_value=0.0 if ok else float("nan"),
                source="column-generation" if column_generation else "lp",
            )
        if st != highspy.HighsModelStatus.kOptimal:
            if st == highspy.HighsModelStatus.kInfeasible and in_lp.all():
                return Relaxation(
                    "infeasible",
                    float("nan"),
                    zeros,
                    zeros,
                    rows_sel,
                    time.monotonic() - t0,
                    rounds,
                )
            if st != highspy.HighsModelStatus.kInfeasible:
                log.info("LP relaxation stopped: %s", h.modelStatusToString(st))
                return Relaxation(
                    "unknown", float("nan"), zeros, zeros, rows_sel, time.monotonic() - t0, rounds
                )
            # The restricted LP is infeasible: add every column and solve once more.
            rest = np.flatnonzero(~in_lp)
            c, r, v = lay.entries(rest)
            _add_columns(h, lay.cost[rest], np.ones(len(rest)), c, r, v, len(rest))
            order.extend(rest.tolist())
            in_lp[rest] = True
            rounds += 1
            continue
        sol = h.getSolution()
        duals = np.asarray(sol.row_dual)
        rc_all = lay.reduced_costs(np.arange(n), duals)
        tol = 1e-7 * max(1.0, np.abs(lay.cost).max(initial=0.0))
        cand = np.flatnonzero(~in_lp & (rc_all < -tol))
        if len(cand) == 0:
            break
        # The most negative few per firm.
        cand = cand[np.lexsort((rc_all[cand], lay.firm[cand]))]
        f_sorted = lay.firm[cand]
        first = np.r_[0, np.flatnonzero(np.diff(f_sorted)) + 1]
        rank = np.arange(len(cand)) - np.repeat(first, np.diff(np.r_[first, len(cand)]))
        add = cand[rank < ADD_PER_FIRM]
        c, r, v = lay.entries(add)
        _add_columns(h, lay.cost[add], np.ones(len(add)), c, r, v, len(add))
        order.extend(add.tolist())
        in_lp[add] = True
        rounds += 1
    if warm_key is not None:
        _LAST_BASIS.clear()
        _LAST_BASIS[warm_key] = h.getBasis()
    col_val = np.asarray(sol.col_value)[n_aux:]
    value = np.zeros(n)
    value[np.asarray(order, dtype=np.int64)] = col_val
    obj = float(h.getInfo().objective_function_value)
    bound, rc = dual_bound(lay, duals)
    return Relaxation(
        "optimal",
        bound * SCALE,
        value,
        rc * SCALE,
        rows_sel,
        time.monotonic() - t0,
        rounds,
        lp_value=obj * SCALE,
        source="column-generation" if column_generation else "lp",
    )


def _add_columns(
    h: highspy._Highs,
    cost: np.ndarray,
    upper: np.ndarray,
    c: np.ndarray,
    r: np.ndarray,
    v: np.ndarray,
    ncols: int,
) -> None:
    """Add columns given in COO form (local column index, row, value)."""
    order = np.lexsort((r, c))
    c, r, v = c[order], r[order], v[order]
    start = np.zeros(ncols + 1, dtype=np.int64)
    np.add.at(start, c + 1, 1)
    start = np.cumsum(start)[:-1]
    h.addCols(
        ncols,
        np.asarray(cost, dtype=float),
        np.zeros(ncols),
        np.asarray(upper, dtype=float),
        len(v),
        start.astype(np.int32),
        r.astype(np.int32),
        v.astype(float),
    )


def _new_highs() -> highspy._Highs:
    """A silent HiGHS instance, with no process-wide side effect.

    ``highspy.Highs()`` (the Python wrapper) enables its callbacks in its constructor,
    which prints HiGHS' banner before any option can be set (highspy 1.16). The core
    binding it wraps (``highspy._Highs``, exported by highspy) does nothing until called,
    so ``output_flag`` is off before anything can log. The thread count is left to HiGHS:
    it keeps one scheduler per process, and an instance asking for another count fails.
    """
    h = highspy._Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    # HiGHS' presolve does not look at the time limit (on the demo it ran 1.1 s past a
    # 0.66 s limit); without it the simplex stops in time, and the demo's LP solves in 60%
    # of the time with the same optimum.
    h.setOptionValue("presolve", "off")
    return h
