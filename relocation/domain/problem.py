"""Domain types: the frozen planning ``Problem`` and the ``Plan`` that answers it.

These modules import nothing from ``geodata``, ``models`` or ``maps``: geometry has been
turned into plain numbers (lon/lat, road km) before a ``Problem`` exists.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from relocation.domain.scenario import Scenario

#: Per-move cost and disruption terms, whole VND discounted to the horizon's start.
#: ``relocation`` is the sum of the first six; ``surveyed`` is a ``pairs.cost_vnd`` that
#: replaces the five computed relocation terms of that move.
RELOCATION_TERMS = ("permit", "dismantle_transport", "fitout", "rent", "downtime", "surveyed")
#: ``stability`` is the replan's penalty for changing a baseline move (zero without a
#: baseline; not discounted): see :class:`relocation.domain.scenario.Stability`.
#: ``land_delay`` is the value of the freed land lost by moving later (issue 10):
#: ``ha × land_value_vnd_per_ha_year[likely class] × (t − start)``, not discounted.
#: ``conversion`` is the cost of converting the parcel in place (issue 10, encouraged firms
#: under ``rules.allow_conversion``): zero for a move.
MOVE_TERMS = (
    *RELOCATION_TERMS, "conversion", "support", "commute", "attrition", "preference",
    "stability", "land_delay",
)
#: Plan-level terms: the move terms and the supply-group split (not discounted).
ALL_TERMS = (*MOVE_TERMS, "supply_split")
#: Which weight of ``[weights]`` applies to which term.
TERM_WEIGHT = {
    **{t: "relocation" for t in RELOCATION_TERMS},
    "conversion": "relocation",
    "support": "support",
    "commute": "commute",
    "attrition": "attrition",
    "preference": "preference",
    "stability": "stability",
    "land_delay": "land_value",
    "supply_split": "supply_split",
}
#: The lexicographic mode's two groups.
COST_TERMS = (*RELOCATION_TERMS, "conversion", "support", "land_delay")
DISRUPTION_TERMS = ("commute", "attrition", "preference", "stability", "supply_split")


@dataclass(frozen=True)
class Problem:
    """A validated planning problem, the only input to modelling.

    Attributes
    ----------
    scenario : Scenario
        Settings of the run (overrides already applied).
    firms : pandas.DataFrame
        One row per slated firm (RangeIndex = firm index). Columns: ``firm_id`` (str),
        ``name`` (str), ``zone_id`` (str), ``sector`` (str), ``pollution``
        (``high``/``medium``/``low``), ``land_area_m2`` (float, m²), ``required_area_m2``
        (int, whole m², rounded up), ``employees`` (int), ``mandatory`` (bool),
        ``supply_group`` (str, ``""`` for none), ``earliest_year`` (int),
        ``deadline_year`` (int; the origin zone's deadline, overrides applied; the horizon
        end + 1 where the zone has none), ``moved_year`` (Int64, NA if not moved),
        ``moved_site_id`` (str, ``""`` if not moved), ``preferred_site_ids`` (tuple of str),
        ``lon``, ``lat`` (float, WGS84 degrees); and the annual review's columns (see
        :mod:`relocation.domain.status`): ``status`` (str: slated, moved, committed,
        closed, converted — exempt firms are not in the table), ``lock_site_id`` (str,
        ``""`` for none) and ``lock_year`` (int, 0 for none) from a ``committed`` actual or
        a ``lock`` decision, ``forbidden`` (tuple of ``(site_id or "", year or 0)`` from
        ``forbid`` decisions), ``must_move`` (bool: mandatory or locked),
        ``baseline_site_id`` (str) and ``baseline_year`` (int, 0 for none) of the
        baseline plan a replan keeps close to; ``origin_park`` (str, ``""`` outside an
        old industrial park), ``move_group`` (str, ``""`` for none: firms of a group move
        in the same year) and ``land_class`` (str: the parcel's likely freed-land class,
        :func:`relocation.domain.costs.likely_land_class`). A closed or converted firm has a
        ``moved_year`` and ``moved_site_id == ""`` (it counts in quotas, takes no land).
    sites : pandas.DataFrame
        One row per destination (RangeIndex = site index). Columns: ``site_id``, ``name``,
        ``zone_id``, ``kind`` (``industrial_park``/``cluster``), ``accepts_sectors``
        (frozenset of codes, or None for any), ``accepts_polluting`` (bool),
        ``max_firm_area_m2`` (float, inf for no limit), ``rent_vnd_per_m2`` (int),
        ``lon``, ``lat``, and as given in the workspace (for the independent checker)
        ``free_area_m2`` (float, NaN allowed for phased sites) and ``available_from``
        (Int64, overrides not applied).
    capacity_m2 : numpy.ndarray
        int64, shape (sites, years): land released at each site by the end of each year,
        cumulative, minus the land taken by firms moved before the horizon (whole m²,
        rounded down), never below zero.
    released_m2 : numpy.ndarray
        int64, shape (sites, years): cumulative land released (before deduction).
    distance_km : numpy.ndarray
        float, shape (firms, sites): road km from the firm's parcel to the site.
    pair_terms : pandas.DataFrame
        One row per admissible (firm, site): ``firm``, ``site`` (int positions),
        ``area_m2`` (int), ``distance_km`` (float), one float column per name in
        ``MOVE_TERMS`` (undiscounted VND) and ``support_nominal_vnd`` (int64).
        See :mod:`relocation.domain.costs`.
    options : pandas.DataFrame
        The admissible moves, one row per (firm, site, year): ``pair`` (row of
        ``pair_terms``), ``firm``, ``site`` (int positions), ``year`` (int), ``area_m2``
        (int64, land needed at the site), ``weighted_vnd`` (int64, the objective
        coefficient: weighted sum of the discounted integer terms), ``support_vnd``
        (int64, nominal public support, for the yearly budget) and ``convert`` (bool: a
        conversion in place of an encouraged firm under ``rules.allow_conversion``; its
        ``site`` is the reserved index ``len(sites)``, its land and support are 0; see
        :mod:`relocation.domain.costs`). Firms moved before the horizon have no options.
    pairs : pandas.DataFrame or None
        The workspace's ``pairs`` table (``firm_id``, ``site_id``, ``cost_vnd``,
        ``required_area_m2``), if any.
    phases : pandas.DataFrame or None
        The workspace's ``site_phases`` table (``site_id``, ``year``, ``released_area_m2``)
        as given, if any: the independent checker recomputes the land from it.
    zones : pandas.DataFrame or None
        ``zone_id`` and ``deadline_year`` (Int64, NA for none) of the workspace's zones as
        given (overrides not applied), for the independent checker.
    actuals, decisions : pandas.DataFrame or None
        The ``actuals`` applied (a replan's facts) and the workspace's ``decisions``, as
        given: the independent checker verifies them against the plan.
    meta : mapping
        Provenance (input hashes, workspace path) kept for reports.
    """

    scenario: Scenario
    firms: pd.DataFrame
    sites: pd.DataFrame
    capacity_m2: np.ndarray
    released_m2: np.ndarray
    distance_km: np.ndarray
    pair_terms: pd.DataFrame
    options: pd.DataFrame
    pairs: pd.DataFrame | None = None
    phases: pd.DataFrame | None = None
    zones: pd.DataFrame | None = None
    actuals: pd.DataFrame | None = None
    decisions: pd.DataFrame | None = None
    meta: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def years(self) -> tuple[int, ...]:
        """Planning years."""
        return self.scenario.horizon.years

    @property
    def n_slated(self) -> int:
        """All slated firms, those moved before the horizon included (the quota base N)."""
        return len(self.firms)

    @property
    def planned(self) -> np.ndarray:
        """Boolean mask of firms still to plan (not moved before the horizon)."""
        return self.firms["moved_year"].isna().to_numpy()

    @property
    def must_move(self) -> np.ndarray:
        """Boolean mask of planned firms that must move (mandatory, committed or locked)."""
        col = self.firms["must_move"] if "must_move" in self.firms else self.firms["mandatory"]
        return self.planned & col.to_numpy(dtype=bool)

    @property
    def n_moved_before(self) -> int:
        """Firms moved before the horizon (they count in every quota window)."""
        return int((~self.planned).sum())

    def supply_groups(self) -> dict[str, np.ndarray]:
        """Planned firms by supply group (groups of two or more planned firms only)."""
        sel = self.firms[self.planned & (self.firms["supply_group"] != "")]
        groups = {str(g): idx.to_numpy() for g, idx in sel.groupby("supply_group").groups.items()}
        return {g: ix for g, ix in groups.items() if len(ix) >= 2}

    def move_groups(self) -> dict[str, np.ndarray]:
        """Planned firms by move-together group (groups of two or more planned firms)."""
        if "move_group" not in self.firms:
            return {}
        sel = self.firms[self.planned & (self.firms["move_group"] != "")]
        groups = {str(g): idx.to_numpy() for g, idx in sel.groupby("move_group").groups.items()}
        return {g: ix for g, ix in groups.items() if len(ix) >= 2}

    def clearance_firms(self) -> dict[tuple[str, int], np.ndarray]:
        """Planned firms that a park clearance target ``(park, by_year)`` requires to move."""
        out: dict[tuple[str, int], np.ndarray] = {}
        if "origin_park" not in self.firms:
            return out
        park = self.firms["origin_park"].to_numpy()
        for c in self.scenario.clearance:
            if c.by_year < self.years[0]:
                continue  # before the horizon: not planned
            out[(c.park, c.by_year)] = np.flatnonzero(self.planned & (park == c.park))
        return out

    def replace(self, **changes: Any) -> Problem:
        """Return a copy with some fields replaced (the problem itself never changes)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Plan:
    """A relocation plan decoded from a solve (or read back from a run folder).

    Attributes
    ----------
    moves : pandas.DataFrame
        One row per planned move (firms moved before the horizon excluded), sorted by
        year then firm_id. Columns: ``firm_id``, ``firm_name``, ``origin_zone_id``,
        ``site_id``, ``site_name`` (str), ``year`` (int), then ``<term>_vnd`` (int64 VND,
        discounted) for each name in ``MOVE_TERMS``, ``distance_km`` (float),
        ``employees`` (int), ``area_m2`` (int, land taken at the site) and ``action``
        (``move``, or ``convert`` for a conversion in place: ``site_id`` and
        ``site_name`` are ``""``, distance and land 0). A table without ``action`` holds
        moves only.
    terms : dict
        Plan totals per term in ``ALL_TERMS`` (int VND; ``supply_split`` included).
    objective : int
        The weighted objective of the plan, VND.
    """

    moves: pd.DataFrame
    terms: dict[str, int]
    objective: int

    @property
    def converted(self) -> pd.Series:
        """Boolean mask of the rows of ``moves`` that convert in place (``action``)."""
        if "action" not in self.moves:
            return pd.Series(False, index=self.moves.index)
        return self.moves["action"].astype(str) == "convert"

    @property
    def moves_per_year(self) -> dict[int, int]:
        """Planned moves per year (conversions in place included: a case a year each)."""
        return {int(y): int(n) for y, n in self.moves.groupby("year").size().items()}
