"""Solver side of infeasibility explanations: conflicting rules and the best achievable share.

Both searches are bounded by a time limit. When it runs out they return a documented
degraded answer, never an error: :func:`find_conflicts` and :func:`search_best_share`
give the answer (or None) with the reason; :func:`conflicting_rules` and
:func:`best_share` give the answer alone. A reason is a code with its figures (seconds,
solver status), never a sentence: the application words it (``search.*`` keys of
``relocation/messages.py``) in the run's language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from models.build import ModelSpec, build_model, new_solver
from models.solve import Interrupted, SolveParams, Status, StopToken, solve
from relocation.domain.problem import Problem


@dataclass(frozen=True)
class ConflictSearch:
    """Answer of :func:`find_conflicts`.

    Attributes
    ----------
    rules : list of str or None
        Rule keys that cannot all hold together, or None when none was found.
    reason : str
        Empty when ``rules`` is set; otherwise why not: ``search.time_limit`` (none found
        within ``seconds``; the solver ended with ``status``) or ``search.feasible`` (the
        model is feasible once its rules are guarded).
    seconds : float
        The search's time limit.
    status : str
        CP-SAT's status name at the end of the search.
    """

    rules: list[str] | None
    reason: str = ""
    seconds: float = 0.0
    status: str = ""


@dataclass(frozen=True)
class ShareSearch:
    """Answer of :func:`search_best_share`.

    Attributes
    ----------
    share : float or None
        Highest share found, or None when no plan was found.
    proven : bool
        True when the share is proven the highest (the solve was optimal); a share that is
        not proven is achievable but maybe not the highest.
    reason : str
        Empty when proven; otherwise why the answer is degraded:
        ``search.no_plan_relaxed`` (no plan even without the window's minimum),
        ``search.share_time_limit`` (no plan within ``seconds``) or
        ``search.share_unproven`` (a share found, maybe not the highest).
    seconds : float
        The solve's time limit.
    status : str
        The solve's status.
    """

    share: float | None
    proven: bool
    reason: str = ""
    seconds: float = 0.0
    status: str = ""


def find_conflicts(
    problem: Problem,
    time_limit_s: float = 30.0,
    workers: int = 1,
    token: StopToken | None = None,
) -> ConflictSearch:
    """Find rule keys that cannot all hold together (a core), within ``time_limit_s``.

    Every rule of the model is guarded by a named assumption literal; CP-SAT reports a
    subset of the assumptions that is infeasible by itself.
    """
    bm = build_model(problem, ModelSpec(assumptions=True))
    names = list(bm.rules)
    lits = [bm.rules[k] for k in names]
    bm.model.add_assumptions(lits)
    bm.model.clear_objective()
    solver = new_solver()
    solver.parameters.max_time_in_seconds = max(0.0, time_limit_s)
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
    if code == cp_model.INFEASIBLE:
        core = solver.sufficient_assumptions_for_infeasibility()
        index = {lit.index: k for k, lit in zip(names, lits, strict=True)}
        return ConflictSearch(sorted(index[i] for i in core if i in index))
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ConflictSearch(None, "search.feasible", time_limit_s, solver.status_name(code))
    return ConflictSearch(None, "search.time_limit", time_limit_s, solver.status_name(code))


def conflicting_rules(
    problem: Problem,
    time_limit_s: float = 30.0,
    workers: int = 1,
    token: StopToken | None = None,
) -> list[str] | None:
    """Rule keys that cannot all hold together, or None when none was found in time.

    See :func:`find_conflicts` for the reason when None. ``token`` stops the search
    (raising :class:`~models.solve.Interrupted`).
    """
    return find_conflicts(problem, time_limit_s, workers, token).rules


def search_best_share(
    problem: Problem, by_year: int, params: SolveParams, token: StopToken | None = None
) -> ShareSearch:
    """Highest share of slated firms that can have moved by ``by_year`` under every other rule.

    The minimum of the window ending in ``by_year`` is dropped (its ceiling and the other
    windows kept) and the number of moves by ``by_year`` is maximised, within the time
    limit of ``params``.
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
    if res.status == Status.INFEASIBLE:
        return ShareSearch(None, True, "search.no_plan_relaxed", params.time_limit_s,
                           res.status.value)
    if res.status not in (Status.OPTIMAL, Status.FEASIBLE) or res.objective is None:
        return ShareSearch(None, False, "search.share_time_limit", params.time_limit_s,
                           res.status.value)
    share = (problem.n_moved_before + int(early[res.rows].sum())) / problem.n_slated
    if res.status == Status.OPTIMAL or (res.gap is not None and res.gap <= gap):
        return ShareSearch(share, True)
    return ShareSearch(share, False, "search.share_unproven", params.time_limit_s,
                       res.status.value)


def best_share(
    problem: Problem, by_year: int, params: SolveParams, token: StopToken | None = None
) -> float | None:
    """Highest share found by :func:`search_best_share`; None when it found no plan.

    ``token`` stops the solve (raising :class:`~models.solve.Interrupted`).
    """
    return search_best_share(problem, by_year, params, token).share
