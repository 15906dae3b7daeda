"""Lexicographic mode on the demo: the second stage starts from the best plans it knows."""

from __future__ import annotations

import pytest

from models.build import ModelSpec
from models.evaluate import evaluate_rows
from models.solve import SolveParams, Status, solve
from relocation.domain.costs import option_coefficients
from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS

PARAMS = SolveParams(time_limit_s=120, deterministic_time_s=3, workers=1, seed=11)


@pytest.mark.slow
def test_demo_stage_two_disruption_not_above_the_weighted_plan(demo_problem):
    p = demo_problem
    weighted = solve(p, PARAMS)
    sc = p.scenario
    lex_p = p.replace(scenario=sc.model_copy(
        update={"weights": sc.weights.model_copy(update={"mode": "lexicographic"})}))
    lex = solve(lex_p, PARAMS)
    assert lex.status in (Status.OPTIMAL, Status.FEASIBLE)
    s = lex_p.scenario
    cost = option_coefficients(lex_p.pair_terms, lex_p.options, s, COST_TERMS)
    dis = option_coefficients(lex_p.pair_terms, lex_p.options, s, DISRUPTION_TERMS)
    cap = lex.stats["stage2"]["cost_cap"]
    spec = ModelSpec(coefficients=dis, split_weight=s.weights.supply_split,
                     extra_le=((cost, 0.0, cap),))
    w_eval = evaluate_rows(lex_p, weighted.rows, spec)
    assert w_eval.feasible, "the demo's weighted plan lies within the cost tolerance"
    assert lex.objective is not None and lex.objective <= w_eval.objective
