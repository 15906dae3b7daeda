"""Every relaxation's bound is valid: at most the LP optimum and the brute-forced optimum.

Each path (whole LP, column generation, Lagrangian) is forced by a parameter on small
generated problems with soft quotas, budgets and history, so that no path is checked
only at the size that selects it.
"""

from __future__ import annotations

import math

import pytest
from factories import make_problem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from problem_strategies import brute_force, problems

from models.lagrange import solve_lagrangian
from models.relax import solve_relaxation
from models.solve import SolveParams, Status, solve

PARAMS = SolveParams(time_limit_s=10, workers=1, seed=0, relative_gap=0.0)


def _lp_tolerance(value: float) -> float:
    # HiGHS' own objective is exact to its tolerances only (1e-7 on LP costs in 1e6 VND).
    return 1e-6 * max(1.0, abs(value)) + 1.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_each_relaxation_bound_is_below_the_lp_bound_and_the_optimum(problem):
    best = brute_force(problem)
    full = solve_relaxation(problem, column_generation=False)
    if full.status == "infeasible":
        assert best is None, "the LP is infeasible but a plan exists"
        return
    assert full.status == "optimal"
    assert full.bound <= full.lp_value + _lp_tolerance(full.lp_value)
    for rel in (full, solve_relaxation(problem, column_generation=True),
                solve_lagrangian(problem)):
        if best is not None:
            assert rel.status == "optimal", f"{rel.source} says {rel.status}, a plan exists"
        if rel.status != "optimal":
            continue
        assert rel.bound <= full.lp_value + _lp_tolerance(full.lp_value), rel.source
        if best is not None:
            assert math.ceil(rel.bound) <= best, f"{rel.source}: {rel.bound} > optimum {best}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from(("full-lp", "column-generation", "lagrangian")))
def test_reported_bound_is_valid_whichever_relaxation_gives_it(problem, kind):
    best = brute_force(problem)
    res = solve(problem, SolveParams(**{**PARAMS.__dict__, "relaxation": kind}))
    if res.status == Status.INFEASIBLE:
        assert best is None
        return
    assert best is not None and res.best_bound is not None
    assert res.best_bound <= best
    source = {"full-lp": "lp"}.get(kind, kind)
    assert res.bound_source in (source, "cp-sat", "cp-sat-whole", "mip")


@pytest.mark.parametrize("earliest, penalty", [(2025, 10**9), (2024, 1)])
def test_soft_window_of_every_firm_does_not_make_the_lagrangian_force_moves(earliest, penalty):
    # Soft: every firm by 2024. Firm 1 can move from `earliest` only, or a shortfall of
    # `penalty` per firm is cheaper than moving at all: no firm is bound to move by 2024.
    firms = [{}, {"earliest_year": earliest}]
    sc = {"horizon": {"start": 2024, "end": 2025},
          "quota": [{"by_year": 2024, "min_share": 1.0, "max_share": 1.0}],
          "rules": {"soft_quota": True, "quota_shortfall_vnd_per_firm": penalty}}
    p = make_problem(firms, [{}], sc)
    best = brute_force(p)
    assert best is not None
    lp = solve_relaxation(p, column_generation=False)
    lag = solve_lagrangian(p)
    assert lag.status == "optimal", "the Lagrangian calls a feasible soft problem infeasible"
    assert lag.bound <= lp.lp_value + _lp_tolerance(lp.lp_value)
    assert math.ceil(lag.bound) <= best
    res = solve(p, SolveParams(**{**PARAMS.__dict__, "relaxation": "lagrangian"}))
    assert res.best_bound is not None and res.best_bound <= best


def test_integer_bound_rounds_up_to_an_integral_lp_optimum():
    # One firm, one site, one year, mandatory: the LP optimum is the plan's objective,
    # and the bound must reach it (not one VND below), so that the plan is proven optimal
    # by the LP alone.
    p = make_problem([{"mandatory": True}], [{}], {"horizon": {"start": 2024, "end": 2024}},
                     deadline=2024)
    rel = solve_relaxation(p, column_generation=False)
    res = solve(p, PARAMS)
    assert res.status == Status.OPTIMAL
    assert abs(rel.lp_value - res.objective) < 1.0
    assert math.ceil(rel.bound) == res.objective
    assert res.bound_source == "lp"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), problems())
def test_a_warm_started_lp_gives_the_cold_lps_bound(first, second):
    # The basis cache is keyed by the LP's shape: a basis from another problem of the same
    # shape (or none) is only a start; bound and status are those of the cold solve.
    from models import relax

    relax._LAST_BASIS.clear()
    cold = solve_relaxation(second, column_generation=False)
    solve_relaxation(first, column_generation=False, warm_start=True)
    warm = solve_relaxation(second, column_generation=False, warm_start=True)
    assert warm.status == cold.status
    if cold.status == "optimal":
        assert math.isclose(warm.bound, cold.bound, rel_tol=1e-7, abs_tol=1.0)
    relax._LAST_BASIS.clear()


def test_a_sweeps_next_quota_starts_from_the_last_basis_with_the_same_bound():
    from pathlib import Path

    from geodata.adapter import to_problem
    from geodata.workspace import read_workspace
    from models import relax

    ws = read_workspace(Path(__file__).resolve().parents[2] / "geodata" / "demo")
    base = to_problem(ws, ws.scenario)
    other = to_problem(ws, ws.scenario.with_quota_floor(2025, 0.35, base.n_slated))
    relax._LAST_BASIS.clear()
    cold = solve_relaxation(other, column_generation=False)
    solve_relaxation(base, column_generation=False, warm_start=True)
    assert len(relax._LAST_BASIS) == 1  # the same shape: the next LP starts from it
    warm = solve_relaxation(other, column_generation=False, warm_start=True)
    relax._LAST_BASIS.clear()
    assert cold.status == warm.status == "optimal"
    assert math.isclose(warm.bound, cold.bound, rel_tol=1e-9)
