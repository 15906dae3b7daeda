"""Social-housing land allocation: a small CP-SAT covering model (issue 4).

Freed parcels compete for a use. Where a zone has a social-housing land target, this model
chooses which *eligible* parcels become social housing so that every zone's target is met,
or its shortfall is as small as possible, while giving up as little valuable land (station
cores first, then transition rings, then ordinary commerce land) as it can.

Pure function: plain sequences in, a frozen result out. No IO, no geometry.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from ortools.sat.python import cp_model

from models.build import new_solver

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LandAllocation:
    """Answer of :func:`allocate_social_housing`.

    Attributes
    ----------
    chosen : numpy.ndarray
        bool, one per candidate parcel: True where the parcel becomes social housing.
    allocated_m2 : Mapping[str, int]
        Area chosen per zone with a target, whole m².
    shortfall_m2 : Mapping[str, int]
        Target minus allocated area per zone, floored at 0, whole m².
    lost_value : int
        Sum of ``value`` over the chosen parcels (the second objective term).
    status : str
        ``"OPTIMAL"`` (within ``relative_gap`` for the land value) or ``"FEASIBLE"``
        (a time limit was reached first).
    """

    chosen: np.ndarray
    allocated_m2: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    shortfall_m2: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    lost_value: int = 0
    status: str = "OPTIMAL"


def allocate_social_housing(
    area_m2: Sequence[int],
    zone_id: Sequence[str],
    value: Sequence[int],
    target_m2: Mapping[str, int],
    *,
    time_limit_s: float = 10.0,
    workers: int = 1,
    seed: int = 0,
    relative_gap: float = 1e-4,
) -> LandAllocation:
    """Choose candidate parcels for social housing, zone by zone.

    Indices: parcel ``i`` in zone ``z(i)``; ``x_i ∈ {0, 1}`` (1 = social housing);
    shortfall ``s_z ≥ T_z − Σ_{i: z(i)=z} a_i x_i``, ``s_z ≥ 0`` (m²).
    Objective, lexicographic: first minimise ``Σ_z s_z`` (targets come first), then, at
    that shortfall, minimise ``Σ_i v_i x_i`` (the least valuable land is used and targets
    are not overshot without need), the second stage to within ``relative_gap``.

    Parameters
    ----------
    area_m2 : Sequence[int]
        Area of each candidate parcel, whole m² (≥ 0).
    zone_id : Sequence[str]
        Zone of each candidate. Candidates in zones without a target are never chosen.
    value : Sequence[int]
        Value given up when the parcel becomes social housing (≥ 1; e.g. area × weight of
        its default class).
    target_m2 : Mapping[str, int]
        Social-housing land target per zone, whole m² (≥ 0).
    time_limit_s : float
        CP-SAT wall-clock limit, shared by the two stages.
    workers : int
        CP-SAT workers (1 with a fixed seed is reproducible).
    seed : int
        CP-SAT random seed.
    relative_gap : float
        Relative gap at which the second stage stops.

    Returns
    -------
    LandAllocation
        The chosen parcels and each targeted zone's allocated area and shortfall.

    Raises
    ------
    ValueError
        If the sequences differ in length or hold negative numbers.
    RuntimeError
        If CP-SAT returns no solution (it always has one: choose nothing).
    """
    n = len(area_m2)
    if not len(zone_id) == len(value) == n:
        raise ValueError("area_m2, zone_id and value must have the same length")
    areas = [int(a) for a in area_m2]
    values = [int(v) for v in value]
    zones = [str(z) for z in zone_id]
    targets = {str(z): int(t) for z, t in target_m2.items()}
    if any(a < 0 for a in areas) or any(v < 0 for v in values):
        raise ValueError("areas and values must be non-negative")
    if any(t < 0 for t in targets.values()):
        raise ValueError("targets must be non-negative")

    model = cp_model.CpModel()
    x: dict[int, cp_model.IntVar] = {}
    for i in range(n):
        if zones[i] in targets and areas[i] > 0:
            x[i] = model.new_bool_var(f"x_{i}")
    shortfall: dict[str, cp_model.IntVar] = {}
    for z, t in sorted(targets.items()):
        s = model.new_int_var(0, t, f"s_{z}")
        members = [i for i in x if zones[i] == z]
        model.add(s + sum(areas[i] * x[i] for i in members) >= t)
        shortfall[z] = s

    solver = new_solver()
    solver.parameters.max_time_in_seconds = float(time_limit_s) / 2
    solver.parameters.num_workers = int(workers)
    solver.parameters.random_seed = int(seed)
    # Stage 1: the least total shortfall. Easy in practice: either the eligible land
    # covers the target (bound 0) or taking everything is optimal.
    total_short = sum(shortfall.values())
    model.minimize(total_short)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT found no allocation (status {solver.status_name(status)})")
    best_short = round(solver.objective_value)
    model.add(total_short <= best_short)
    first = {i: bool(solver.boolean_value(var)) for i, var in x.items()}
    for i, var in x.items():
        model.add_hint(var, first[i])
    # Stage 2: the least valuable land at that shortfall. A covering knapsack: proving
    # the last m² optimal can take long, hence the relative gap (1e-4 ≈ 5 m² on 5 ha).
    model.minimize(sum(values[i] * x[i] for i in x))
    solver.parameters.relative_gap_limit = float(relative_gap)
    status2 = solver.solve(model)
    chosen = np.zeros(n, dtype=bool)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = status2 if status == cp_model.OPTIMAL else status
        for i, var in x.items():
            chosen[i] = bool(solver.boolean_value(var))
    else:
        # Stage 2 found nothing in its time: stage 1's allocation (same least shortfall,
        # not the least valuable land) is still a valid answer.
        status = cp_model.FEASIBLE
        for i, v in first.items():
            chosen[i] = v
    allocated = {z: int(sum(areas[i] for i in x if zones[i] == z and chosen[i])) for z in targets}
    short = {z: max(0, targets[z] - allocated[z]) for z in targets}
    lost = int(sum(values[i] for i in range(n) if chosen[i]))
    logger.debug(
        "social-housing allocation: %s, shortfall %s m²", solver.status_name(status), short
    )
    return LandAllocation(
        chosen=chosen,
        allocated_m2=MappingProxyType(allocated),
        shortfall_m2=MappingProxyType(short),
        lost_value=lost,
        status=solver.status_name(status),
    )
