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
        ``"OPTIMAL"`` (within ``relative_gap`` for the land value), ``"FEASIBLE"`` (a time
        limit was reached first) or ``"DEGRADED"`` (CP-SAT found nothing in time: the
        greedy choice of :func:`greedy_allocation`).
    warning : str
        Empty, or why the answer is degraded (English, for the log).
    time_limit_s : float
        The search's time limit (the application words a degraded answer from it and
        ``solver_status``, in the run's language).
    solver_status : str
        CP-SAT's status name at the end of the first stage.
    """

    chosen: np.ndarray
    allocated_m2: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    shortfall_m2: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    lost_value: int = 0
    status: str = "OPTIMAL"
    warning: str = ""
    time_limit_s: float = 0.0
    solver_status: str = ""

    @property
    def degraded(self) -> bool:
        """True when CP-SAT found no allocation in time and the greedy one was used."""
        return self.status == "DEGRADED"


def greedy_allocation(
    areas: Sequence[int], zones: Sequence[str], values: Sequence[int], targets: Mapping[str, int]
) -> np.ndarray:
    """The fallback choice: per zone, parcels by least value per m² until the target is met.

    Meets every target the eligible land can meet (it stops at the first parcel that
    reaches the target), so its shortfall is the least possible; it may give up more
    valuable land than the optimum.
    """
    chosen = np.zeros(len(areas), dtype=bool)
    for z, t in targets.items():
        members = [i for i in range(len(areas)) if zones[i] == z and areas[i] > 0]
        members.sort(key=lambda i: (values[i] / areas[i], i))
        got = 0
        for i in members:
            if got >= t:
                break
            chosen[i] = True
            got += areas[i]
    return chosen


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

        When CP-SAT finds nothing within the time limit (a busy machine), the answer is
        :func:`greedy_allocation`'s, with ``status == "DEGRADED"`` and a ``warning``;
        when only the second stage finds nothing, the first stage's allocation is kept.

    Raises
    ------
    ValueError
        If the sequences differ in length or hold negative numbers.
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
    warning = ""
    first_status = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = greedy_allocation(areas, zones, values, targets)
        status_name = "DEGRADED"
        warning = (
            f"social-housing land: CP-SAT found no allocation within {time_limit_s:g} s "
            f"(status {solver.status_name(status)}); parcels chosen greedily by least value "
            "per m² (targets met as far as the land allows, more valuable land may be used)"
        )
        logger.warning(warning)
    else:
        chosen = np.zeros(n, dtype=bool)
        for i, var in x.items():
            chosen[i] = bool(solver.boolean_value(var))
        best_short = round(solver.objective_value)
        model.add(total_short <= best_short)
        for var in x.values():
            model.add_hint(var, solver.boolean_value(var))
        # Stage 2: the least valuable land at that shortfall. A covering knapsack: proving
        # the last m² optimal can take long, hence the relative gap (1e-4 ≈ 5 m² on 5 ha).
        model.minimize(sum(values[i] * x[i] for i in x))
        solver.parameters.relative_gap_limit = float(relative_gap)
        status2 = solver.solve(model)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for i, var in x.items():
                chosen[i] = bool(solver.boolean_value(var))
            status = status2 if status == cp_model.OPTIMAL else status
        else:  # the first stage's allocation stands: same shortfall, land value unproven
            status = cp_model.FEASIBLE
        status_name = solver.status_name(status)
    allocated = {z: int(sum(areas[i] for i in x if zones[i] == z and chosen[i])) for z in targets}
    short = {z: max(0, targets[z] - allocated[z]) for z in targets}
    lost = int(sum(values[i] for i in range(n) if chosen[i]))
    logger.debug("social-housing allocation: %s, shortfall %s m²", status_name, short)
    return LandAllocation(
        chosen=chosen,
        allocated_m2=MappingProxyType(allocated),
        shortfall_m2=MappingProxyType(short),
        lost_value=lost,
        status=status_name,
        warning=warning,
        time_limit_s=float(time_limit_s),
        solver_status=first_status,
    )
