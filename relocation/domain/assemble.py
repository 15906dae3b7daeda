"""Assemble a frozen :class:`~relocation.domain.problem.Problem` from plain, validated tables.

The geo adapter (:mod:`geodata.adapter`) turns geometry into numbers (lon/lat, road km)
and calls :func:`assemble_problem`; nothing here touches files or CRS.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from relocation.domain.costs import build_options
from relocation.domain.problem import Problem
from relocation.domain.scenario import Scenario


def _split_ids(value: object) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    return tuple(p.strip() for p in str(value).split(";") if p.strip())


def released_by_year(
    sites: pd.DataFrame, phases: pd.DataFrame | None, scenario: Scenario
) -> np.ndarray:
    """Cumulative land released at each site by the end of each planning year (m², int64).

    A site listed in ``phases`` takes its capacity from its phases only (releases with
    year ≤ Y, releases before the horizon counted in its first year); otherwise its
    ``free_area_m2`` is available from ``available_from`` on (``overrides`` applied).
    """
    years = np.asarray(scenario.horizon.years)
    out = np.zeros((len(sites), len(years)), dtype=np.int64)
    phased = set() if phases is None or phases.empty else set(phases["site_id"])
    override = scenario.overrides.site_available_from
    for j, row in enumerate(sites.itertuples(index=False)):
        if row.site_id in phased:
            ph = phases[phases["site_id"] == row.site_id]
            for year, amount in zip(ph["year"], ph["released_area_m2"], strict=True):
                shift = (
                    int(override[row.site_id]) - int(ph["year"].min())
                    if row.site_id in override
                    else 0
                )
                out[j, years >= int(year) + shift] += int(math.floor(float(amount)))
        else:
            start = int(override.get(row.site_id, row.available_from))
            out[j, years >= start] += int(math.floor(float(row.free_area_m2)))
    return out


def assemble_problem(
    firms: pd.DataFrame,
    sites: pd.DataFrame,
    zones: pd.DataFrame,
    phases: pd.DataFrame | None,
    pairs: pd.DataFrame | None,
    distance_km: np.ndarray,
    scenario: Scenario,
    meta: Mapping[str, Any] | None = None,
) -> Problem:
    """Build the frozen planning problem.

    Parameters
    ----------
    firms, sites, zones : pandas.DataFrame
        The workspace's normalised tables (geometry columns, if any, are ignored).
    phases, pairs : pandas.DataFrame or None
        ``site_phases`` and ``pairs`` tables, if present.
    distance_km : numpy.ndarray
        Road km between each firm and each site (firms × sites).
    scenario : Scenario
        The scenario (overrides of opening years and deadlines are applied here).
    meta : mapping, optional
        Provenance kept on the problem.

    Returns
    -------
    Problem
    """
    h = scenario.horizon
    deadlines = dict(zip(zones["zone_id"], zones["deadline_year"], strict=True))
    deadlines.update(scenario.overrides.zone_deadline)

    f = pd.DataFrame(
        {
            "firm_id": firms["firm_id"].astype(str).to_numpy(),
            "name": firms["name"].astype(str).to_numpy(),
            "zone_id": firms["zone_id"].astype(str).to_numpy(),
            "sector": firms["sector"].astype(str).to_numpy(),
            "pollution": firms["pollution"].astype(str).to_numpy(),
            "land_area_m2": firms["land_area_m2"].astype(float).to_numpy(),
            "required_area_m2": np.ceil(
                firms["required_area_m2"].astype(float).to_numpy() - 1e-9
            ).astype(np.int64),
            "employees": firms["employees"].astype(np.int64).to_numpy(),
            "mandatory": firms["mandatory"].astype(bool).to_numpy(),
            "supply_group": firms["supply_group"].fillna("").astype(str).to_numpy(),
            "earliest_year": firms["earliest_year"].astype(np.int64).to_numpy(),
            "moved_year": pd.array(firms["moved_year"], dtype="Int64"),
            "moved_site_id": firms["moved_site_id"].fillna("").astype(str).to_numpy(),
            "lon": firms["lon"].astype(float).to_numpy(),
            "lat": firms["lat"].astype(float).to_numpy(),
        }
    )
    f["preferred_site_ids"] = [_split_ids(v) for v in firms["preferred_site_ids"]]
    dl = [deadlines.get(z) for z in f["zone_id"]]
    f["deadline_year"] = np.array(
        [h.end + 1 if d is None or pd.isna(d) else int(d) for d in dl], dtype=np.int64
    )

    s = pd.DataFrame(
        {
            "site_id": sites["site_id"].astype(str).to_numpy(),
            "name": sites["name"].astype(str).to_numpy(),
            "zone_id": sites["zone_id"].astype(str).to_numpy(),
            "kind": sites["kind"].astype(str).to_numpy(),
            "accepts_polluting": sites["accepts_polluting"].astype(bool).to_numpy(),
            "max_firm_area_m2": sites["max_firm_area_m2"].astype(float).fillna(np.inf).to_numpy(),
            "lon": sites["lon"].astype(float).to_numpy(),
            "lat": sites["lat"].astype(float).to_numpy(),
        }
    )
    s["accepts_sectors"] = [
        None if str(v).strip() == "*" else frozenset(_split_ids(v))
        for v in sites["accepts_sectors"]
    ]
    c = scenario.costs
    default_rent = np.where(
        s["kind"] == "cluster", c.rent_cluster_vnd_per_m2, c.rent_park_vnd_per_m2
    )
    rent = pd.array(sites["rent_vnd_per_m2"], dtype="Int64")
    s["rent_vnd_per_m2"] = np.where(pd.isna(rent), default_rent, rent.fillna(0)).astype(np.int64)
    # As given, for the independent checker (it recomputes the land itself).
    s["free_area_m2"] = pd.to_numeric(sites["free_area_m2"], errors="coerce").to_numpy(float)
    s["available_from"] = pd.array(sites["available_from"], dtype="Int64")

    released = released_by_year(sites, phases, scenario)
    capacity = released.copy()
    moved = f[f["moved_year"].notna()]
    pos = {sid: j for j, sid in enumerate(s["site_id"])}
    for site_id, area in zip(moved["moved_site_id"], moved["required_area_m2"], strict=True):
        capacity[pos[site_id], :] -= int(area)
    # Where history already exceeds the land released (a firm moved in before the official
    # release), planned moves get none of it, and nothing more: history is a fact.
    np.maximum(capacity, 0, out=capacity)

    pp = None
    if pairs is not None and len(pairs):
        pp = pairs.copy()
    pair_terms, options = build_options(f, s, capacity, distance_km, pp, scenario)
    return Problem(
        scenario=scenario,
        firms=f,
        sites=s,
        capacity_m2=capacity,
        released_m2=released,
        distance_km=np.asarray(distance_km, dtype=float),
        pair_terms=pair_terms,
        options=options,
        pairs=pp,
        phases=None if phases is None else phases.copy(),
        zones=pd.DataFrame(
            {
                "zone_id": zones["zone_id"].astype(str).to_numpy(),
                "deadline_year": pd.array(zones["deadline_year"], dtype="Int64"),
            }
        ),
        meta=MappingProxyType(dict(meta or {})),
    )
