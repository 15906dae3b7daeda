"""Solver properties on small generated problems (the rule checks are in test_properties.py).

The model-side evaluation agrees with the decoded plan, every bound has its source and lies
below the brute-forced optimum, and the lexicographic second stage is never worse than the
weighted plan when that plan lies within the cost cap.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from problem_strategies import brute_force, problems

from models.build import ModelSpec
from models.decode import decode_plan
from models.evaluate import evaluate_rows
from models.solve import SolveParams, Status, solve
from relocation.domain.check import check_plan
from relocation.domain.costs import option_coefficients
from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS

PARAMS = SolveParams(time_limit_s=10, workers=1, seed=0, relative_gap=0.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_evaluation_and_bound_agree_with_brute_force(problem):
    res = solve(problem, PARAMS)
    best = brute_force(problem)
    if res.status == Status.INFEASIBLE:
        assert best is None, f"solver says infeasible, brute force found {best}"
        return
    assert res.status in (Status.OPTIMAL, Status.FEASIBLE)
    plan = decode_plan(problem, res.rows)
    chk = check_plan(problem, plan)
    assert chk.ok, chk.violations
    assert best is not None
    if res.status == Status.OPTIMAL:
        assert plan.objective == best
    assert res.best_bound is not None and res.best_bound <= best
    assert res.bound_source is not None
    assert evaluate_rows(problem, res.rows).objective == plan.objective


def _lexicographic(problem, tolerance: float):
    sc = problem.scenario
    weights = sc.weights.model_copy(update={"mode": "lexicographic", "cost_tolerance": tolerance})
    return problem.replace(scenario=sc.model_copy(update={"weights": weights}))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from((0.0, 0.05, 0.3)))
def test_lexicographic_second_stage_never_above_the_weighted_plan(problem, tolerance):
    weighted = solve(problem, PARAMS)
    lex_problem = _lexicographic(problem, tolerance)
    lex = solve(lex_problem, PARAMS)
    assert (weighted.status == Status.INFEASIBLE) == (lex.status == Status.INFEASIBLE)
    if lex.status == Status.INFEASIBLE:
        return
    assert check_plan(lex_problem, decode_plan(lex_problem, lex.rows)).ok
    sc = lex_problem.scenario
    cost = option_coefficients(lex_problem.pair_terms, lex_problem.options, sc, COST_TERMS)
    dis = option_coefficients(lex_problem.pair_terms, lex_problem.options, sc, DISRUPTION_TERMS)
    cap = lex.stats["stage2"]["cost_cap"]
    stage2 = ModelSpec(coefficients=dis, split_weight=sc.weights.supply_split,
                       extra_le=((cost, 0.0, cap),))
    w_eval = evaluate_rows(lex_problem, weighted.rows, stage2)
    if w_eval.feasible:  # the weighted plan lies within the cost cap
        assert lex.objective is not None and lex.objective <= w_eval.objective
