"""Solver side of infeasibility explanations: conflicting rules and the best achievable share."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from ortools.sat.python import cp_model

from models.build import ModelSpec, build_model, new_solver
from models.solve import Interrupted, SolveParams, Status, StopToken, solve
from relocation.domain.problem import Problem


def conflicting_rules(
    problem: Problem,
    time_limit_s: float = 30.0,
    workers: int = 1,
    token: StopToken | None = None,
) -> list[str] | None:
    """Rule keys that cannot all hold together (a core), or None when none was found in time.

    Every rule of the model is guarded by a named assumption literal; CP-SAT reports a
    subset of the assumptions that is infeasible by itself. ``token`` stops the search
    (raising :class:`~models.solve.Interrupted`).
    """
    bm = build_model(problem, ModelSpec(assumptions=True))
    names = list(bm.rules)
    lits = [bm.rules[k] for k in names]
    bm.model.add_assumptions(lits)
    bm.model.clear_objective()
    solver = new_solver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    if token is not None:
        if token.requested:
            raise Interrupted(token.requested)
        token.attach(solver)
    try:
        code = solver.solve(bm.model)
    finally:
        if token is not None:
            token.attach(None)
    if token is not None and token.requested:
        raise Interrupted(token.requested)
    if code != cp_model.INFEASIBLE:
        return None
    core = solver.sufficient_assumptions_for_infeasibility()
    index = {lit.index: k for k, lit in zip(names, lits, strict=True)}
    return sorted(index[i] for i in core if i in index)


def best_share(
    problem: Problem, by_year: int, params: SolveParams, token: StopToken | None = None
) -> float | None:
    """Highest share of slated firms that can have moved by ``by_year`` under every other rule.

    The minimum of the window ending in ``by_year`` is dropped (its ceiling and the other
    windows kept) and the number of moves by ``by_year`` is maximised. Returns None when
    even that has no plan. ``token`` stops the solve (raising
    :class:`~models.solve.Interrupted`).
    """
    sc = problem.scenario
    quota = tuple(
        q.model_copy(update={"min_share": 0.0}) if q.by_year == by_year else q for q in sc.quota
    )
    relaxed = problem.replace(scenario=sc.model_copy(update={"quota": quota}))
    # Most moves by by_year first, then least cost: a reward larger than any move's cost
    # keeps the LP well posed (a pure count objective is highly degenerate).
    cost = problem.options["weighted_vnd"].to_numpy()
    early = problem.options["year"].to_numpy() <= by_year
    reward = 4 * int(max(cost.max(initial=0), 1)) + 1
    coef = (cost - np.where(early, reward, 0)).astype(np.int64)
    # One firm more is worth `reward`; stop once the gap is below a fraction of that.
    gap = 0.5 * reward / max(1.0, float(reward) * problem.n_slated)
    res = solve(
        relaxed,
        replace(params, relative_gap=gap),
        spec=ModelSpec(coefficients=coef, split_weight=0.0),
        token=token,
    )
    if res.status not in (Status.OPTIMAL, Status.FEASIBLE) or res.objective is None:
        return None
    moved = int(early[res.rows].sum())
    return (problem.n_moved_before + moved) / problem.n_slated
