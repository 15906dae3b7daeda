"""Solve a generalized assignment instance as a MIP with HiGHS (the comparison solver).

Model: binary x_ij (agent i takes item j); minimise Σ c_ij x_ij subject to Σ_i x_ij = 1 for
every item j and Σ_j w_ij x_ij ≤ b_i for every agent i. The matrix is passed column-wise in
one call (each column has two entries: its item's row and its agent's row).

Run alone: ``python benchmarks/gap_highs.py c05100 [--time-limit 20]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np
from gap_instances import (
    GapInstance,
    available_instances,
    find_shared_dir,
    gap_dir,
    read_gap_instance,
)


@dataclass(frozen=True)
class HighsResult:
    """Outcome of one HiGHS solve.

    Attributes
    ----------
    status : str
        ``OPTIMAL``, ``FEASIBLE`` (incumbent at the time limit), ``INFEASIBLE`` or
        ``UNKNOWN`` (no incumbent), the names the relocation ``summary.json`` uses.
    model_status : str
        HiGHS' own model status (``kOptimal``, ``kTimeLimit``, ...).
    objective : int or None
        Cost of the incumbent, recomputed from the assignment (None without one).
    bound : float or None
        Best proven lower bound.
    gap : float or None
        Proven relative gap ``(objective - bound) / objective``.
    wall_time_s : float
        Wall time of ``run()`` (model building excluded), seconds.
    assignment : numpy.ndarray or None
        Agent of each item in the incumbent.
    """

    status: str
    model_status: str
    objective: int | None
    bound: float | None
    gap: float | None
    wall_time_s: float
    assignment: np.ndarray | None


def build_lp(instance: GapInstance) -> highspy.HighsLp:
    """Build the GAP as a HiGHS model with binary columns.

    Columns are ordered agent-major (column ``i * n + j`` is x_ij); rows 0..n-1 are the
    assignment equalities, rows n..n+m-1 the capacity rows.

    Parameters
    ----------
    instance : GapInstance
        The instance.

    Returns
    -------
    highspy.HighsLp
        The model, ready for ``Highs.passModel``.
    """
    m, n = instance.agents, instance.items
    cols = m * n
    lp = highspy.HighsLp()
    lp.num_col_ = cols
    lp.num_row_ = n + m
    lp.col_cost_ = instance.cost.reshape(-1).astype(np.float64)
    lp.col_lower_ = np.zeros(cols)
    lp.col_upper_ = np.ones(cols)
    lp.row_lower_ = np.concatenate([np.ones(n), np.full(m, -highspy.kHighsInf)])
    lp.row_upper_ = np.concatenate([np.ones(n), instance.capacity.astype(np.float64)])
    item = np.tile(np.arange(n), m)
    agent = np.repeat(np.arange(m), n)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = cols
    lp.a_matrix_.num_row_ = n + m
    lp.a_matrix_.start_ = np.arange(0, 2 * cols + 1, 2, dtype=np.int32)
    lp.a_matrix_.index_ = np.column_stack([item, n + agent]).reshape(-1).astype(np.int32)
    lp.a_matrix_.value_ = np.column_stack(
        [np.ones(cols), instance.weight.reshape(-1).astype(np.float64)]
    ).reshape(-1)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * cols
    return lp


def solve_gap_highs(
    instance: GapInstance, time_limit_s: float, threads: int = 2, seed: int = 0
) -> HighsResult:
    """Solve a GAP instance with HiGHS' MIP solver to a zero relative gap or the time limit.

    Parameters
    ----------
    instance : GapInstance
        The instance.
    time_limit_s : float
        Wall-clock limit, seconds.
    threads : int, optional
        HiGHS threads (2 by default, like the CP-SAT side's workers).
    seed : int, optional
        HiGHS ``random_seed``.

    Returns
    -------
    HighsResult
        Status, incumbent value (recomputed and checked against the capacities), bound,
        proven gap and wall time.

    Raises
    ------
    RuntimeError
        If HiGHS returns an assignment that breaks a constraint (never expected).
    """
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    # HiGHS keeps one global thread pool per process; a different thread count needs a reset.
    highspy.Highs.resetGlobalScheduler(True)
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    h.setOptionValue("random_seed", int(seed))
    h.passModel(build_lp(instance))
    started = time.perf_counter()
    h.run()
    wall = time.perf_counter() - started
    model_status = h.getModelStatus()
    info = h.getInfo()
    has_incumbent = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    assignment = objective = None
    if has_incumbent:
        x = np.asarray(h.getSolution().col_value).reshape(instance.agents, instance.items)
        assignment = x.argmax(axis=0)
        # Recompute the value from the assignment rather than trusting the float objective.
        problems = instance.check_assignment(assignment)
        if problems or not np.allclose(x.sum(axis=0), 1.0, atol=1e-6):
            raise RuntimeError(f"HiGHS returned an infeasible assignment: {problems[:3]}")
        objective = instance.objective(assignment)
    bound = float(info.mip_dual_bound)
    bound_value = bound if np.isfinite(bound) else None
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = "OPTIMAL"
    elif model_status == highspy.HighsModelStatus.kInfeasible:
        status = "INFEASIBLE"
    else:
        status = "FEASIBLE" if has_incumbent else "UNKNOWN"
    gap = None
    if objective is not None and bound_value is not None:
        gap = max(0.0, (objective - bound_value) / max(1.0, abs(objective)))
    return HighsResult(
        status=status,
        model_status=h.modelStatusToString(model_status),
        objective=objective,
        bound=bound_value,
        gap=gap,
        wall_time_s=wall,
        assignment=assignment,
    )


def main(argv: list[str] | None = None) -> int:
    """Solve named instances with HiGHS and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="+", help="instance names, e.g. c05100")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--shared", help="the shared folder (default: ../shared)")
    args = parser.parse_args(argv)
    shared = find_shared_dir(args.shared)
    if shared is None:
        print("skipped: no shared/benchmarks/gap folder (pass --shared PATH)", file=sys.stderr)
        return 0
    known = available_instances(shared)
    for name in args.instances:
        if name not in known:
            print(f"{name}: no such instance file", file=sys.stderr)
            return 2
        inst = read_gap_instance(gap_dir(shared) / known[name].path)
        res = solve_gap_highs(inst, args.time_limit, threads=args.threads)
        print(
            f"{name}: {res.status} value {res.objective} bound {res.bound} "
            f"(best known {known[name].best_value}) in {res.wall_time_s:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
