"""Tiny planning problems built in code (no files): firms, sites and years as plain rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from geodata.adapter import road_distance_km
from relocation.domain.assemble import assemble_problem
from relocation.domain.check import CheckReport, RuleChecker, check_input_from_problem
from relocation.domain.problem import Problem
from relocation.domain.scenario import Scenario

FIRM_DEFAULTS: dict[str, Any] = {
    "zone_id": "Z_SOUTH",
    "sector": "wood_furniture",
    "pollution": "low",
    "land_area_m2": 5000.0,
    "required_area_m2": None,
    "employees": 50,
    "mandatory": False,
    "supply_group": "",
    "earliest_year": None,
    "moved_year": None,
    "moved_site_id": "",
    "preferred_site_ids": "",
    "lon": 106.70,
    "lat": 10.90,
}
SITE_DEFAULTS: dict[str, Any] = {
    "zone_id": "Z_NORTH",
    "kind": "industrial_park",
    "free_area_m2": 20000.0,
    "available_from": None,
    "accepts_sectors": "*",
    "accepts_polluting": True,
    "max_firm_area_m2": np.inf,
    "rent_vnd_per_m2": None,
    "lon": 106.65,
    "lat": 11.25,
}


def make_problem(
    firms: list[dict[str, Any]],
    sites: list[dict[str, Any]],
    scenario: dict[str, Any] | None = None,
    phases: list[dict[str, Any]] | None = None,
    pairs: list[dict[str, Any]] | None = None,
    deadline: int | None = None,
    baseline: pd.DataFrame | None = None,
) -> Problem:
    """Build a Problem from row dicts; missing columns take the defaults above.

    Firms are ``F0``, ``F1``, … in zone ``Z_SOUTH`` (whose deadline is ``deadline``);
    sites ``S0``, ``S1``, … in ``Z_NORTH`` (no deadline).
    """
    sc = Scenario.model_validate(scenario or {"horizon": {"start": 2024, "end": 2025}})
    f = pd.DataFrame(
        [
            {**FIRM_DEFAULTS, "firm_id": f"F{i}", "name": f"Firm {i}", **r}
            for i, r in enumerate(firms)
        ]
    )
    f["required_area_m2"] = f["required_area_m2"].fillna(f["land_area_m2"])
    f["earliest_year"] = f["earliest_year"].fillna(sc.horizon.start).astype(int)
    f["moved_year"] = pd.array(f["moved_year"], dtype="Int64")
    s = pd.DataFrame(
        [
            {**SITE_DEFAULTS, "site_id": f"S{j}", "name": f"Site {j}", **r}
            for j, r in enumerate(sites)
        ]
    )
    s["available_from"] = s["available_from"].fillna(sc.horizon.start).astype(int)
    s["rent_vnd_per_m2"] = pd.array(s["rent_vnd_per_m2"], dtype="Int64")
    zones = pd.DataFrame(
        {
            "zone_id": ["Z_SOUTH", "Z_NORTH"],
            "deadline_year": pd.array([deadline, None], dtype="Int64"),
        }
    )
    dist = road_distance_km(f["lon"], f["lat"], s["lon"], s["lat"], sc.costs.road_factor)
    ph = pd.DataFrame(phases) if phases else None
    pp = pd.DataFrame(pairs) if pairs else None
    if pp is not None:
        for col in ("cost_vnd", "required_area_m2"):
            if col not in pp:
                pp[col] = None
        pp["cost_vnd"] = pd.array(pp["cost_vnd"], dtype="Int64")
        pp["required_area_m2"] = pp["required_area_m2"].astype(float)
    return assemble_problem(f, s, zones, ph, pp, dist, sc, baseline=baseline)


def tiny_problem(**scenario: Any) -> Problem:
    """Three firms, two sites, two years."""
    sc = {"horizon": {"start": 2024, "end": 2025}, **scenario}
    return make_problem(
        firms=[
            {"mandatory": True, "land_area_m2": 8000.0, "employees": 120},
            {"land_area_m2": 4000.0, "lon": 106.75, "lat": 10.95},
            {"land_area_m2": 6000.0, "sector": "garment_footwear", "lon": 106.68},
        ],
        sites=[
            {"free_area_m2": 12000.0, "lon": 106.62, "lat": 11.25},
            {
                "free_area_m2": 9000.0,
                "available_from": 2025,
                "lon": 106.80,
                "lat": 11.13,
                "accepts_sectors": "garment_footwear;wood_furniture",
            },
        ],
        scenario=sc,
        deadline=2025,
    )


def schedule(*moves: tuple[str, str, int]) -> pd.DataFrame:
    """A schedule from ``(firm_id, site_id, year)`` tuples."""
    return pd.DataFrame(list(moves), columns=["firm_id", "site_id", "year"])


def actuals(*rows: tuple[str, str, str, object]) -> pd.DataFrame:
    """An ``actuals`` table from ``(firm_id, status, site_id, year)`` tuples."""
    return pd.DataFrame(
        [(*r, "") for r in rows], columns=["firm_id", "status", "site_id", "year", "note"]
    )


def decisions(*rows: tuple[str, str, object, str]) -> pd.DataFrame:
    """A ``decisions`` table from ``(firm_id, site_id or "*", year or "*", rule)`` tuples."""
    return pd.DataFrame(
        [(*r, "") for r in rows], columns=["firm_id", "site_id", "year", "rule", "note"]
    )


def check(problem: Problem, moves: pd.DataFrame, **tables: pd.DataFrame) -> CheckReport:
    """The independent checker's report on ``moves`` (``actuals=``, ``decisions=`` optional)."""
    return RuleChecker(check_input_from_problem(problem, **tables)).check(moves)
