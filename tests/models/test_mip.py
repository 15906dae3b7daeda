"""The MIP of :mod:`models.mip` is the model: on small generated problems HiGHS' optimum
over every option equals the brute-forced optimum (or stays below it where a year's
least-moves rule is a disjunction, which the MIP leaves out), and its plans keep every rule.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from problem_strategies import brute_force, problems

from models.build import ModelSpec, certain_min_moves, waiting_masks
from models.evaluate import evaluate_rows
from models.mip import lp_year_rows, rins_rows, solve_mip, whole_problem_bound
from models.relax import solve_relaxation
from relocation.domain.check import RuleChecker, check_input_from_problem


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_mip_over_every_option_is_the_model(problem):
    best = brute_force(problem)
    rows = np.arange(len(problem.options))
    res = solve_mip(problem, ModelSpec(), rows, time_limit_s=10, relative_gap=0.0)
    exact = set(certain_min_moves(problem)) >= {
        y for y, m in waiting_masks(problem).items() if m.any()
    }
    if res.rows is None:
        assert res.status == "Infeasible", res.status
        assert best is None or not exact, f"the MIP finds no plan, the optimum is {best}"
        return
    assert res.status == "Optimal"
    ev = evaluate_rows(problem, res.rows)
    if exact:
        assert best is not None and ev.feasible, ev.broken
        assert ev.objective == best
    bound = whole_problem_bound(problem, rows, res)
    assert bound is not None  # every option has a column: HiGHS' bound is the problem's
    if best is not None:
        assert np.ceil(bound) <= best, f"bound {np.ceil(bound)} above the optimum {best}"
    if ev.feasible:
        checker = RuleChecker(check_input_from_problem(problem))
        opts = problem.options.iloc[res.rows]
        rep = checker.check_positions(opts["firm"].to_numpy(), opts["site"].to_numpy(),
                                      opts["year"].to_numpy())
        assert rep.ok and rep.objective == ev.objective


def _optimal_lp(problem):
    """The whole LP of ``problem`` when it is optimal, else None (nothing to test then)."""
    rel = solve_relaxation(problem, column_generation=False)
    return rel if rel.status == "optimal" else None


#: The neighbourhood tests' hypothesis settings.
NEIGHBOURHOODS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@NEIGHBOURHOODS
@given(problems())
def test_lp_year_neighbourhood_keeps_each_firm_in_its_lp_year(problem):
    rel = _optimal_lp(problem)
    if rel is None:
        return
    rows, split = lp_year_rows(problem, rel)
    opts = problem.options
    firm, year = opts["firm"].to_numpy(), opts["year"].to_numpy()
    v = np.zeros(len(opts))
    v[rel.rows] = rel.value
    for f in np.flatnonzero(problem.planned):
        mine = np.flatnonzero(firm == f)
        kept = np.intersect1d(mine, rows)
        whole = mine[v[mine] >= 1 - 1e-6]
        if len(whole):  # one LP move: every option of its year, no other
            assert set(year[kept]) == {int(year[whole[0]])}
            assert set(kept) == set(mine[year[mine] == year[whole[0]]])
        elif v[mine].sum() <= 1e-6:  # the LP leaves it in place
            assert len(kept) == 0
        else:  # split by the LP: free
            assert set(kept) == set(mine)
    assert split <= int(problem.planned.sum())


@NEIGHBOURHOODS
@given(problems())
def test_rins_fixes_the_moves_the_lp_and_the_plan_agree_on(problem):
    rel = _optimal_lp(problem)
    if rel is None:
        return
    every = np.arange(len(problem.options))
    best = solve_mip(problem, ModelSpec(), every, time_limit_s=10, relative_gap=0.0).rows
    if best is None:
        return
    rows, free = rins_rows(problem, rel, best)
    assert set(best.tolist()) <= set(rows.tolist())
    firm = problem.options["firm"].to_numpy()
    whole = set(rel.rows[rel.value >= 1 - 1e-6].tolist())
    agreed = [int(firm[r]) for r in best.tolist() if r in whole]
    for f in agreed:  # an agreed move is the firm's only option
        assert (firm[rows] == f).sum() == 1
    planned = set(np.flatnonzero(problem.planned).tolist())
    assert free == len(planned - set(agreed))
    # a neighbourhood's bound is not the problem's
    res = solve_mip(problem, ModelSpec(), rows, time_limit_s=10, relative_gap=0.0, start=best)
    if len(rows) < len(problem.options):
        assert whole_problem_bound(problem, rows, res) is None
