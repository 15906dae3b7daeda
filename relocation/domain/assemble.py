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

from relocation.domain.costs import build_options, likely_land_class
from relocation.domain.problem import Problem
from relocation.domain.scenario import Scenario
from relocation.domain.status import FirmStatus, counts_as_history, in_quota_base


def _split_ids(value: object) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    return tuple(p.strip() for p in str(value).split(";") if p.strip())


def _text_col(firms: pd.DataFrame, name: str) -> np.ndarray:
    """An optional text column of the firms table (``""`` where absent or blank)."""
    if name not in firms:
        return np.full(len(firms), "", dtype=object)
    return firms[name].fillna("").astype(str).str.strip().to_numpy(dtype=object)


def exempt_in_park(origin_park: np.ndarray, scenario: Scenario) -> np.ndarray:
    """Firms exempt as tenants of an industrial park outside the scheme (``rules``)."""
    r = scenario.rules
    park = np.asarray(origin_park, dtype=object).astype(str)
    if not r.exempt_park_tenants:
        return np.zeros(len(park), dtype=bool)
    return (park != "") & ~np.isin(park, list(r.programme_parks))


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
    *,
    decisions: pd.DataFrame | None = None,
    actuals: pd.DataFrame | None = None,
    baseline: pd.DataFrame | None = None,
    stations: pd.DataFrame | None = None,
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
    decisions : pandas.DataFrame, optional
        Validated ``decisions`` (firm_id, site_id or ``"*"``, year (Int64, NA = any),
        rule ``lock``/``forbid``): locks and forbids become admissibility rules.
    actuals : pandas.DataFrame, optional
        Validated ``actuals`` (firm_id, status, site_id, year) applied by the status rules
        of :mod:`relocation.domain.status` (the replan passes them; ``plan`` does not).
    baseline : pandas.DataFrame, optional
        The baseline moves a replan keeps close to (firm_id, site_id, year): they set
        ``baseline_site_id``/``baseline_year`` and so the stability term.
    stations : pandas.DataFrame, optional
        Stations (``lon``, ``lat``, ``line``, ``line_kind``) for each parcel's likely
        freed-land class (the ``land_delay`` term).

    The programme's rules applied here: with ``rules.exempt_park_tenants`` a firm whose
    ``origin_park`` is not one of ``rules.programme_parks`` is ``exempt`` (out of the
    programme); a ``[[clearance]]`` target sets ``clear_by`` on its park's firms (they
    must move by that year).

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
    f["origin_park"] = _text_col(firms, "origin_park")
    f["move_group"] = _text_col(firms, "move_group")
    f["land_class"] = likely_land_class(f, stations, scenario).astype(str)
    f, keep = _apply_review(f, decisions, actuals, baseline, scenario)
    clear_by = np.zeros(len(f), dtype=np.int64)
    for c in scenario.clearance:
        if c.by_year < h.start:
            continue  # a target before the horizon (a replan's past) is not planned
        hit = (f["origin_park"] == c.park).to_numpy()
        clear_by[hit] = np.where(clear_by[hit] > 0, np.minimum(clear_by[hit], c.by_year),
                                 c.by_year)
    planned_now = f["moved_year"].isna().to_numpy()
    f["clear_by"] = np.where(planned_now, clear_by, 0).astype(np.int64)
    f["must_move"] = f["must_move"].to_numpy(dtype=bool) | (f["clear_by"] > 0).to_numpy()
    distance_km = np.asarray(distance_km, dtype=float)[keep]
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
    moved = f[f["moved_year"].notna() & (f["moved_site_id"] != "")]
    pos = {sid: j for j, sid in enumerate(s["site_id"])}
    years = np.asarray(h.years)
    for site_id, area, year in zip(
        moved["moved_site_id"], moved["required_area_m2"], moved["moved_year"], strict=True
    ):
        # Land is taken at the site from the year of the move on.
        capacity[pos[site_id], years >= int(year)] -= int(area)
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
        actuals=None if actuals is None or not len(actuals) else actuals.copy(),
        decisions=None if decisions is None or not len(decisions) else decisions.copy(),
        zones=pd.DataFrame(
            {
                "zone_id": zones["zone_id"].astype(str).to_numpy(),
                "deadline_year": pd.array(zones["deadline_year"], dtype="Int64"),
            }
        ),
        meta=MappingProxyType(dict(meta or {})),
    )


def _apply_review(
    f: pd.DataFrame,
    decisions: pd.DataFrame | None,
    actuals: pd.DataFrame | None,
    baseline: pd.DataFrame | None,
    scenario: Scenario,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Add the status, lock, forbid and baseline columns; drop firms out of the programme.

    Returns the firms table (RangeIndex) and the boolean mask of input rows kept.
    """
    n = len(f)
    status = np.where(f["moved_year"].notna(), FirmStatus.MOVED.value, FirmStatus.SLATED.value)
    status = status.astype(object)
    lock_site = np.full(n, "", dtype=object)
    lock_year = np.zeros(n, dtype=np.int64)
    forbidden: list[list[tuple[str, int]]] = [[] for _ in range(n)]
    moved_year = f["moved_year"].copy()
    moved_site = f["moved_site_id"].to_numpy(dtype=object).copy()
    pos = {fid: i for i, fid in enumerate(f["firm_id"])}
    closed_counts = scenario.rules.closed_counts_in_quota
    status[exempt_in_park(f["origin_park"].to_numpy(), scenario)] = FirmStatus.EXEMPT.value
    if actuals is not None and len(actuals):
        for row in actuals.itertuples(index=False):
            i = pos[row.firm_id]
            st = FirmStatus(row.status)
            status[i] = st.value
            if st is FirmStatus.COMMITTED:
                lock_site[i], lock_year[i] = row.site_id, int(row.year)
            elif counts_as_history(st, closed_counts):
                moved_year[i] = int(row.year)
                moved_site[i] = row.site_id if st is FirmStatus.MOVED else ""
    if decisions is not None and len(decisions):
        for row in decisions.itertuples(index=False):
            i = pos[row.firm_id]
            site = "" if row.site_id == "*" else str(row.site_id)
            year = 0 if pd.isna(row.year) else int(row.year)
            if row.rule == "lock":
                lock_site[i] = site or lock_site[i]
                lock_year[i] = year or lock_year[i]
            else:
                forbidden[i].append((site, year))
    base_site = np.full(n, "", dtype=object)
    base_year = np.zeros(n, dtype=np.int64)
    if baseline is not None and len(baseline):
        for fid, sid, year in zip(
            baseline["firm_id"], baseline["site_id"], baseline["year"], strict=True
        ):
            i = pos.get(str(fid))
            if i is not None:
                base_site[i], base_year[i] = str(sid), int(year)
    out = f.copy()
    out["moved_year"] = pd.array(moved_year, dtype="Int64")
    out["moved_site_id"] = moved_site.astype(str)
    out["status"] = status.astype(str)
    out["lock_site_id"] = lock_site.astype(str)
    out["lock_year"] = lock_year
    out["forbidden"] = [tuple(x) for x in forbidden]
    out["must_move"] = out["mandatory"].to_numpy(dtype=bool) | (lock_site != "") | (lock_year > 0)
    planned = out["moved_year"].isna().to_numpy()
    out["baseline_site_id"] = np.where(planned, base_site, "").astype(str)
    out["baseline_year"] = np.where(planned, base_year, 0).astype(np.int64)
    keep = np.array(
        [in_quota_base(FirmStatus(st), closed_counts) for st in out["status"]], dtype=bool
    )
    return out[keep].reset_index(drop=True), keep
