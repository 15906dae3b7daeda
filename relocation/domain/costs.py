"""Admissible moves and their cost and disruption terms (whole VND).

A move is a (firm, site, year) triple. It is *admissible* when every rule that concerns the
firm and the site alone holds: the pairs restriction, strict preferences, sector and
polluting-firm acceptance, the site's largest-firm limit, land that exists by the year,
the firm's readiness (``earliest_year``) and, for a mandatory firm, its zone's deadline.
Only admissible triples become decision variables.

Terms per firm *f* and site *s* (undiscounted), with road distance *d* km, *E* employees,
land *L* m² now, area *A* m² needed at the site:

- ``permit``: ``permit_vnd`` (+ extra for medium / high pollution)
- ``dismantle_transport``: ``L·dismantle_vnd_per_m2 + L/10⁴·d·transport_vnd_per_ha_km``
- ``fitout``: ``A·fitout_vnd_per_m2``;  ``rent``: ``A·rent(s)``
- ``downtime``: ``E·(months + months_per_100km·d/100)·output_vnd_per_worker_month``
- ``surveyed``: a ``pairs.cost_vnd``; when given, the five terms above are zero
- ``support`` (public): ``E·support_vnd_per_worker·share`` (share by mandatory/encouraged)
  ``+ A·support_cluster_vnd_per_m2`` for a cluster (Decree 68/2017 support for clusters)
- ``commute``: ``E·d·commute_vnd_per_worker_km`` (workers' extra commute)
- ``attrition``: ``E·a(d)·replacement_vnd_per_worker`` with the brief's
  ``a(d) = base + span / (1 + exp(-(d - mid)/scale))``
- ``preference``: ``preference_penalty_vnd`` when the firm lists preferred sites and *s* is
  not one of them (``rules.preferred_sites = "penalty"``)
- ``land_delay`` (not discounted): ``L/10⁴ · land_value_vnd_per_ha_year[class] · (t − start)``,
  the value of the freed parcel lost by moving in year *t* rather than at the horizon's
  start, by the parcel's likely class (:func:`likely_land_class`)
- ``stability`` (replan only, not discounted): for a firm with a baseline move (*s₀*, *t₀*),
  ``site_change_vnd·[s ≠ s₀] + year_shift_vnd_per_year·|t − t₀|``; a conversion in place is a
  "site" of its own (``s₀ = ""`` for a baseline conversion)

Convert in place (issue 10, ``rules.allow_conversion``): an encouraged firm that is
planned, not locked or committed, in no move-together group and not in a park with a
clearance target may instead convert its parcel to a non-polluting use in a year *t* from
its ``earliest_year`` on (a decision forbidding year *t* forbids it too). It is one more
admissible (firm, site, year) row with ``convert = True`` and the reserved site index
``len(sites)`` (:func:`conversion_site`), land 0 and support 0. Its terms: ``permit`` =
``permit_vnd`` (the change of use; no pollution extra), ``conversion`` =
``L·conversion_vnd_per_m2``, ``land_delay`` = the parcel's value a year times the whole
horizon's length (the parcel is never freed), ``stability`` as for a move to another site;
every other term is zero (the firm keeps its workers and its place).

Decisions and committed actuals (firm columns ``lock_site_id``, ``lock_year``,
``forbidden``) restrict admissibility too, and so does a park clearance target (firm column
``clear_by``: no move after that year): a locked firm has options only at its site and/or
year, a forbidden site or year has none. A move in year *t* uses its land in every year from
*t* on, so it is admissible only when the site's land for planned moves holds it in every
year from *t* on (land taken by actual moves from their year on can make that land dip).

A move in year *t* costs each term rounded to whole VND after discounting by
``(1 + discount_rate) ** -(t - start)``. Its objective coefficient is
``round(Σ weight(term) · term)``. The yearly support budget counts support undiscounted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from relocation.domain.land_use import tod_station_mask
from relocation.domain.problem import MOVE_TERMS, RELOCATION_TERMS, TERM_WEIGHT, Problem
from relocation.domain.scenario import Scenario


def attrition_share(distance_km: np.ndarray, scenario: Scenario) -> np.ndarray:
    """Expected share of workers lost for a move of ``distance_km`` (brief §9 curve)."""
    c = scenario.costs
    return c.attrition_base + c.attrition_span / (
        1.0 + np.exp(-(distance_km - c.attrition_mid_km) / c.attrition_scale_km)
    )


EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def likely_land_class(
    firms: pd.DataFrame, stations: pd.DataFrame | None, scenario: Scenario
) -> np.ndarray:
    """Estimate each firm's freed-parcel class before any plan exists.

    The rules of :mod:`relocation.domain.land_use` without the plan-dependent ones: the
    parcel's point within ``tod_core_m`` / ``tod_transition_m`` of a station of a line
    that gets TOD rings is ``tod_core`` / ``tod_transition``; else a parcel of at least
    ``social_housing_min_m2`` is ``social_housing`` (the near-jobs test and the zone
    targets are not applied: an estimate); one of at most ``green_max_m2`` is
    ``green_public``; otherwise ``commerce_services``. Distances are great-circle.
    """
    cfg = scenario.freed_land
    land = firms["land_area_m2"].to_numpy(dtype=float)
    out = np.where(
        land >= cfg.social_housing_min_m2,
        "social_housing",
        np.where(land <= cfg.green_max_m2, "green_public", "commerce_services"),
    ).astype(object)
    if stations is None or not len(stations) or not len(firms):
        return out
    st = stations[tod_station_mask(stations, cfg)]
    if not len(st):
        return out
    lat1 = np.radians(firms["lat"].to_numpy(dtype=float))[:, None]
    lat2 = np.radians(st["lat"].to_numpy(dtype=float))[None, :]
    dlon = np.radians(st["lon"].to_numpy(dtype=float))[None, :] - np.radians(
        firms["lon"].to_numpy(dtype=float)
    )[:, None]
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    d_m = (2 * EARTH_RADIUS_KM * 1000 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))).min(axis=1)
    out = np.where(d_m <= cfg.tod_transition_m, "tod_transition", out)
    return np.where(d_m <= cfg.tod_core_m, "tod_core", out).astype(object)


def land_value_per_year(firms: pd.DataFrame, scenario: Scenario) -> np.ndarray:
    """VND per year of each firm's freed parcel (``land_class`` column, ``Costs`` values)."""
    values = scenario.costs.land_value_vnd_per_ha_year
    cls = _col(firms, "land_class", "commerce_services")
    per_ha = np.array([float(values.get(str(c), 0)) for c in cls], dtype=float)
    return firms["land_area_m2"].to_numpy(dtype=float) / 1e4 * per_ha


def discount_factors(scenario: Scenario) -> np.ndarray:
    """Discount factor of each planning year."""
    h = scenario.horizon
    t = np.arange(h.end - h.start + 1, dtype=float)
    return (1.0 + scenario.costs.discount_rate) ** (-t)


def _admissible_pairs(
    firms: pd.DataFrame,
    sites: pd.DataFrame,
    capacity_m2: np.ndarray,
    pairs: pd.DataFrame | None,
    scenario: Scenario,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return firm index, site index, area and surveyed cost (-1 = none) of admissible pairs."""
    planned = firms["moved_year"].isna().to_numpy()
    n_f, n_s = len(firms), len(sites)
    site_ids = sites["site_id"].to_numpy()
    req = firms["required_area_m2"].to_numpy(dtype=np.int64)
    area = np.broadcast_to(req[:, None], (n_f, n_s)).copy()
    surveyed = np.full((n_f, n_s), -1, dtype=np.int64)
    ok = np.broadcast_to(planned[:, None], (n_f, n_s)).copy()

    site_pos = {sid: i for i, sid in enumerate(sites["site_id"])}
    firm_pos = {fid: i for i, fid in enumerate(firms["firm_id"])}
    if pairs is not None and len(pairs):
        listed = np.zeros((n_f, n_s), dtype=bool)
        fi = pairs["firm_id"].map(firm_pos).to_numpy(dtype=np.int64)
        si = pairs["site_id"].map(site_pos).to_numpy(dtype=np.int64)
        listed[fi, si] = True
        has_pairs = listed.any(axis=1)
        ok &= listed | ~has_pairs[:, None]
        if "required_area_m2" in pairs:
            a = pairs["required_area_m2"].to_numpy(dtype=float)
            given = ~np.isnan(a)
            area[fi[given], si[given]] = np.ceil(a[given] - 1e-9).astype(np.int64)
        if "cost_vnd" in pairs:
            cost = pairs["cost_vnd"]
            given = cost.notna().to_numpy()
            surveyed[fi[given], si[given]] = cost[given].to_numpy(dtype=np.int64)

    # Sector and polluting acceptance, the largest-firm limit.
    sectors = firms["sector"].to_numpy()
    polluting = (firms["pollution"] == "high").to_numpy()
    for j, row in enumerate(sites.itertuples(index=False)):
        if row.accepts_sectors is not None:
            ok[:, j] &= np.isin(sectors, list(row.accepts_sectors))
        if not row.accepts_polluting:
            ok[:, j] &= ~polluting
        ok[:, j] &= area[:, j] <= row.max_firm_area_m2

    if scenario.rules.preferred_sites == "strict":
        for i, prefs in enumerate(firms["preferred_site_ids"]):
            if prefs:
                mask = np.zeros(n_s, dtype=bool)
                mask[[site_pos[p] for p in prefs if p in site_pos]] = True
                ok[i] &= mask

    # Locks to a site and whole-site forbids (decisions, committed actuals).
    lock_site = _col(firms, "lock_site_id", "")
    for k in np.flatnonzero(lock_site != ""):
        ok[k] &= site_ids == lock_site[k]
    for k, rules in enumerate(_col(firms, "forbidden", ())):
        for site_id, year in rules or ():
            if site_id and not year:
                ok[k] &= site_ids != site_id

    # Land that exists at the site by the last year (the suffix minimum's largest value).
    ok &= area <= capacity_m2[:, -1][None, :]
    f_idx, s_idx = np.nonzero(ok)
    return f_idx, s_idx, area[f_idx, s_idx], surveyed[f_idx, s_idx]


def _col(firms: pd.DataFrame, name: str, default: object) -> np.ndarray:
    """A firm column, or ``default`` for every firm where the table lacks it."""
    if name in firms:
        return firms[name].to_numpy()
    out = np.empty(len(firms), dtype=object)
    out[:] = [default] * len(firms)
    return out


def suffix_min(capacity_m2: np.ndarray) -> np.ndarray:
    """Land a move in year *t* can rely on: the least capacity of years *t* … end."""
    if capacity_m2.shape[1] == 0:
        return capacity_m2
    return np.minimum.accumulate(capacity_m2[:, ::-1], axis=1)[:, ::-1]


def conversion_site(sites: pd.DataFrame) -> int:
    """The reserved site index of conversion rows: one past the last site.

    Site-indexed arrays (land by site and year, distances) have no row for it, so code
    that reads them must skip ``convert`` rows (their land and support are zero anyway).
    """
    return len(sites)


def conversion_firms(firms: pd.DataFrame, scenario: Scenario) -> np.ndarray:
    """Positions of firms that may convert in place (empty unless ``rules.allow_conversion``).

    Planned encouraged firms with no lock (``lock_site_id``/``lock_year``, committed
    actuals), no ``move_group`` and no park clearance target (``clear_by``).
    """
    if not scenario.rules.allow_conversion or not len(firms):
        return np.zeros(0, dtype=np.int64)
    ok = firms["moved_year"].isna().to_numpy() & ~firms["mandatory"].to_numpy(dtype=bool)
    ok &= _col(firms, "lock_site_id", "") == ""
    ok &= np.asarray(_col(firms, "lock_year", 0), dtype=np.int64) == 0
    ok &= _col(firms, "move_group", "") == ""
    ok &= np.asarray(_col(firms, "clear_by", 0), dtype=np.int64) == 0
    return np.flatnonzero(ok).astype(np.int64)


def _conversion_terms(
    firms: pd.DataFrame, sites: pd.DataFrame, scenario: Scenario
) -> pd.DataFrame:
    """Pair rows of the conversions (``convert = True``): the module docstring's terms."""
    c = scenario.costs
    f_idx = conversion_firms(firms, scenario)
    n = len(f_idx)
    land = firms["land_area_m2"].to_numpy(dtype=float)[f_idx]
    out = pd.DataFrame(
        {
            "firm": f_idx,
            "site": np.full(n, conversion_site(sites), dtype=np.int64),
            "area_m2": np.zeros(n, dtype=np.int64),
            "distance_km": np.zeros(n, dtype=float),
        }
    )
    for name in MOVE_TERMS:
        out[name] = np.zeros(n, dtype=float)
    out["permit"] = float(c.permit_vnd)
    out["conversion"] = land * c.conversion_vnd_per_m2
    out["land_delay"] = land_value_per_year(firms, scenario)[f_idx]
    base_site = _col(firms, "baseline_site_id", "")[f_idx]
    has_base = (base_site != "") | (np.asarray(_col(firms, "baseline_year", 0))[f_idx] > 0)
    out["stability"] = np.where(
        has_base & (base_site != ""), float(scenario.stability.site_change_vnd), 0.0
    )
    out["support_nominal_vnd"] = np.zeros(n, dtype=np.int64)
    base_year = _col(firms, "baseline_year", 0)[f_idx]
    out["baseline_year"] = np.where(has_base, base_year, 0).astype(np.int64)
    out["convert"] = True
    return out


def build_options(
    firms: pd.DataFrame,
    sites: pd.DataFrame,
    capacity_m2: np.ndarray,
    distance_km: np.ndarray,
    pairs: pd.DataFrame | None,
    scenario: Scenario,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute the admissible (firm, site) pairs with their terms, and the admissible moves.

    Parameters
    ----------
    firms, sites : pandas.DataFrame
        As in :class:`relocation.domain.problem.Problem`.
    capacity_m2 : numpy.ndarray
        int64 (sites, years), cumulative land available for planned moves.
    distance_km : numpy.ndarray
        Road km (firms, sites).
    pairs : pandas.DataFrame or None
        Firm/site pairs with positional ``firm_id``/``site_id`` and optional
        ``cost_vnd``/``required_area_m2``.
    scenario : Scenario
        Cost coefficients and rules.

    Returns
    -------
    pair_terms : pandas.DataFrame
        One row per admissible (firm, site): ``firm``, ``site`` (int), ``area_m2`` (int),
        ``distance_km`` (float), ``support_nominal_vnd`` (int64, undiscounted), one
        float column per name in ``MOVE_TERMS`` (undiscounted VND), ``baseline_year``
        and ``convert`` (bool: a conversion in place, site ``len(sites)``).
    options : pandas.DataFrame
        One row per admissible move: ``pair`` (row of ``pair_terms``), ``firm``, ``site``,
        ``year`` (int), ``area_m2`` (int64), ``weighted_vnd`` (int64 objective coefficient),
        ``support_vnd`` (int64 nominal support, for the yearly budget) and ``convert``
        (bool).
    """
    c = scenario.costs
    f_idx, s_idx, area, surveyed = _admissible_pairs(firms, sites, capacity_m2, pairs, scenario)
    d = distance_km[f_idx, s_idx]
    emp = firms["employees"].to_numpy(dtype=float)[f_idx]
    land = firms["land_area_m2"].to_numpy(dtype=float)[f_idx]
    pollution = firms["pollution"].to_numpy()[f_idx]
    mandatory = firms["mandatory"].to_numpy(dtype=bool)[f_idx]
    rent = sites["rent_vnd_per_m2"].to_numpy(dtype=float)[s_idx]
    cluster = (sites["kind"] == "cluster").to_numpy()[s_idx]
    a = area.astype(float)

    terms: dict[str, np.ndarray] = {}
    terms["permit"] = c.permit_vnd + np.where(
        pollution == "high",
        c.permit_polluting_extra_vnd,
        np.where(pollution == "medium", c.permit_medium_extra_vnd, 0),
    ).astype(float)
    terms["dismantle_transport"] = land * c.dismantle_vnd_per_m2 + (
        land / 1e4 * d * c.transport_vnd_per_ha_km
    )
    terms["fitout"] = a * c.fitout_vnd_per_m2
    terms["rent"] = a * rent
    terms["downtime"] = (
        emp
        * (c.downtime_months + c.downtime_months_per_100km * d / 100.0)
        * c.output_vnd_per_worker_month
    )
    has_survey = surveyed >= 0
    for name in RELOCATION_TERMS[:-1]:
        terms[name] = np.where(has_survey, 0.0, terms[name])
    terms["surveyed"] = np.where(has_survey, surveyed, 0).astype(float)
    share = np.where(mandatory, c.support_share_mandatory, c.support_share_encouraged)
    terms["support"] = emp * c.support_vnd_per_worker * share + np.where(
        cluster, a * c.support_cluster_vnd_per_m2, 0.0
    )
    terms["commute"] = emp * d * c.commute_vnd_per_worker_km
    terms["attrition"] = emp * attrition_share(d, scenario) * c.replacement_vnd_per_worker
    pref = np.zeros(len(f_idx), dtype=float)
    if scenario.rules.preferred_sites == "penalty":
        site_ids = sites["site_id"].to_numpy()
        prefs = firms["preferred_site_ids"].to_numpy()
        for k, (fi, si) in enumerate(zip(f_idx, s_idx, strict=True)):
            if prefs[fi] and site_ids[si] not in prefs[fi]:
                pref[k] = c.preference_penalty_vnd
    terms["preference"] = pref
    terms["conversion"] = np.zeros(len(f_idx), dtype=float)
    terms["land_delay"] = land_value_per_year(firms, scenario)[f_idx]
    base_site = _col(firms, "baseline_site_id", "")[f_idx]
    site_ids = sites["site_id"].to_numpy()[s_idx]
    # A baseline conversion in place has the site id "" (and a year).
    has_base = (base_site != "") | (np.asarray(_col(firms, "baseline_year", 0))[f_idx] > 0)
    terms["stability"] = np.where(
        has_base & (base_site != site_ids), float(scenario.stability.site_change_vnd), 0.0
    )

    pair_terms = pd.DataFrame({"firm": f_idx, "site": s_idx, "area_m2": area, "distance_km": d})
    for name in MOVE_TERMS:
        pair_terms[name] = terms[name]
    pair_terms["support_nominal_vnd"] = np.rint(terms["support"]).astype(np.int64)
    base_year = _col(firms, "baseline_year", 0)[f_idx]
    pair_terms["baseline_year"] = np.where(has_base, base_year, 0).astype(np.int64)
    pair_terms["convert"] = False
    conv = _conversion_terms(firms, sites, scenario)
    if len(conv):
        pair_terms = pd.concat([pair_terms, conv[pair_terms.columns]], ignore_index=True)

    options = _expand_years(firms, pair_terms, capacity_m2, scenario, sites["site_id"].to_numpy())
    return pair_terms, options


def _int_terms(
    pair_terms: pd.DataFrame, pair: np.ndarray, year_offset: np.ndarray, scenario: Scenario
) -> dict[str, np.ndarray]:
    """Whole-VND terms of moves (pair row, year offset): the one rule every caller uses.

    Every term but ``stability`` and ``land_delay`` is discounted to the horizon's start and
    rounded; the stability term is the site-change part plus the year-shift part, and the
    land-delay term the parcel's value per year times the years waited, both undiscounted.
    """
    disc = discount_factors(scenario)[year_offset]
    out: dict[str, np.ndarray] = {}
    for name in MOVE_TERMS:
        if name in ("stability", "land_delay"):
            continue
        out[name] = np.rint(pair_terms[name].to_numpy()[pair] * disc)
    if "land_delay" in pair_terms:
        waited = np.asarray(year_offset, dtype=float)
        if "convert" in pair_terms:
            # A converted parcel is never freed: its value is lost for the whole horizon.
            n_years = float(len(scenario.horizon.years))
            waited = np.where(pair_terms["convert"].to_numpy(dtype=bool)[pair], n_years, waited)
        out["land_delay"] = np.rint(pair_terms["land_delay"].to_numpy()[pair] * waited)
    else:
        out["land_delay"] = np.zeros(len(pair), dtype=float)
    if "baseline_year" in pair_terms:
        base_year = pair_terms["baseline_year"].to_numpy()[pair]
        year = np.asarray(year_offset) + scenario.horizon.start
        shift = np.where(base_year > 0, np.abs(year - base_year), 0)
        site_part = pair_terms["stability"].to_numpy()[pair]
        out["stability"] = np.rint(
            site_part + shift * float(scenario.stability.year_shift_vnd_per_year)
        )
    else:
        out["stability"] = np.zeros(len(pair), dtype=float)
    return out


def _expand_years(
    firms: pd.DataFrame,
    pair_terms: pd.DataFrame,
    capacity_m2: np.ndarray,
    scenario: Scenario,
    site_ids: np.ndarray,
) -> pd.DataFrame:
    """Expand admissible pairs to admissible (pair, year) moves with objective coefficients."""
    years = np.asarray(scenario.horizon.years)
    start = scenario.horizon.start
    f = pair_terms["firm"].to_numpy()
    s = pair_terms["site"].to_numpy()
    area = pair_terms["area_m2"].to_numpy()
    earliest = firms["earliest_year"].to_numpy(dtype=np.int64)[f]
    mandatory = firms["mandatory"].to_numpy(dtype=bool)[f]
    deadline = firms["deadline_year"].to_numpy(dtype=np.int64)[f]
    last = np.where(mandatory, deadline, years[-1])
    clear_by = np.asarray(_col(firms, "clear_by", 0), dtype=np.int64)[f]
    last = np.where(clear_by > 0, np.minimum(last, clear_by), last)
    # First year from which the site holds the firm in every later year (a conversion
    # takes no site land: from the start).
    real = s < capacity_m2.shape[0]
    fits = np.ones((len(s), len(years)), dtype=bool)
    fits[real] = suffix_min(capacity_m2)[s[real]] >= area[real, None]
    first_fit = np.where(fits.any(axis=1), fits.argmax(axis=1) + start, years[-1] + 1)
    site_ids = np.append(site_ids, "")  # the conversion "site"
    lo = np.maximum(earliest, first_fit)
    keep = (years[None, :] >= lo[:, None]) & (years[None, :] <= last[:, None])
    lock_year = np.asarray(_col(firms, "lock_year", 0), dtype=np.int64)[f]
    locked = lock_year > 0
    keep &= ~locked[:, None] | (years[None, :] == lock_year[:, None])
    forbidden = _col(firms, "forbidden", ())
    for k in np.flatnonzero(np.array([bool(forbidden[i]) for i in f], dtype=bool)):
        for site_id, year in forbidden[f[k]]:
            if year and (not site_id or site_ids[s[k]] == site_id):
                keep[k] &= years != year
    pair_idx, year_idx = np.nonzero(keep)
    terms = _int_terms(pair_terms, pair_idx, year_idx, scenario)
    weighted = np.zeros(len(pair_idx), dtype=np.float64)
    w = scenario.weights
    for name in MOVE_TERMS:
        weighted += getattr(w, TERM_WEIGHT[name]) * terms[name]
    return pd.DataFrame(
        {
            "pair": pair_idx.astype(np.int64),
            "firm": f[pair_idx].astype(np.int64),
            "site": s[pair_idx].astype(np.int64),
            "year": years[year_idx].astype(np.int64),
            "area_m2": area[pair_idx].astype(np.int64),
            "weighted_vnd": np.rint(weighted).astype(np.int64),
            "support_vnd": pair_terms["support_nominal_vnd"].to_numpy()[pair_idx],
            "convert": (
                pair_terms["convert"].to_numpy(dtype=bool)[pair_idx]
                if "convert" in pair_terms
                else np.zeros(len(pair_idx), dtype=bool)
            ),
        }
    )


def move_term_values(
    pair_terms: pd.DataFrame, pair: np.ndarray, year_offset: np.ndarray, scenario: Scenario
) -> dict[str, np.ndarray]:
    """As :func:`move_terms`, as a dict of float arrays of whole VND (no DataFrame)."""
    return _int_terms(pair_terms, np.asarray(pair), np.asarray(year_offset), scenario)


def move_terms(
    pair_terms: pd.DataFrame, pair: np.ndarray, year_offset: np.ndarray, scenario: Scenario
) -> pd.DataFrame:
    """Integer terms (whole VND, discounted) of moves given by pair rows and year offsets."""
    terms = _int_terms(pair_terms, np.asarray(pair), np.asarray(year_offset), scenario)
    return pd.DataFrame({f"{n}_vnd": terms[n].astype(np.int64) for n in MOVE_TERMS})


def weighted_total(terms: pd.DataFrame, scenario: Scenario) -> np.ndarray:
    """Objective coefficient of each move from its integer terms (same rule as the model)."""
    w = scenario.weights
    total = np.zeros(len(terms), dtype=np.float64)
    for name in MOVE_TERMS:
        total += getattr(w, TERM_WEIGHT[name]) * terms[f"{name}_vnd"].to_numpy(dtype=np.float64)
    return np.rint(total).astype(np.int64)


def option_coefficients(
    pair_terms: pd.DataFrame, options: pd.DataFrame, scenario: Scenario, names: tuple[str, ...]
) -> np.ndarray:
    """Weighted sum of some terms for every option (the lexicographic mode's objectives)."""
    offset = options["year"].to_numpy() - scenario.horizon.start
    terms = _int_terms(pair_terms, options["pair"].to_numpy(), offset, scenario)
    total = np.zeros(len(options), dtype=np.float64)
    for name in names:
        if name in MOVE_TERMS:
            total += getattr(scenario.weights, TERM_WEIGHT[name]) * terms[name]
    return np.rint(total).astype(np.int64)


@dataclass(frozen=True)
class Reason:
    """Why a move is not admissible: a rule code and the rule in planner words.

    ``code`` is one of ``planned`` (the firm is not planned: history or left the
    programme), ``pairs``, ``sector``, ``polluting``, ``size``, ``preference``, ``lock``,
    ``forbid``, ``horizon``, ``ready``, ``deadline``, ``clearance``, ``opens`` (the site's land
    is not released yet), ``land`` (never enough land), ``full`` (land taken by then).
    """

    code: str
    en: str
    vi: str

    def text(self, lang: str = "en") -> str:
        """The rule in ``vi`` or ``en``."""
        return self.vi if lang == "vi" else self.en


def why_inadmissible(problem: Problem, f: int, s: int, year: int) -> Reason | None:
    """The first rule that forbids firm ``f`` moving to site ``s`` in ``year`` (None: allowed).

    The rules are checked in the order a planner reads them: the firm, the site's sector
    and size rules, decisions, the firm's years, then land by year.
    """
    firm = problem.firms.iloc[f]
    site = problem.sites.iloc[s]
    sid, years = str(site["site_id"]), problem.years
    if not problem.planned[f]:
        return Reason("planned", "the firm is not planned (it has moved or left the programme)",
                      "doanh nghiệp không còn trong kế hoạch (đã di dời hoặc ra khỏi chương trình)")
    pairs = problem.pairs
    if pairs is not None and len(pairs):
        mine = pairs[pairs["firm_id"] == firm["firm_id"]]
        if len(mine) and sid not in set(mine["site_id"]):
            return Reason("pairs", "the pairs table lists other sites for the firm",
                          "bảng cặp DN–KCN chỉ liệt kê KCN/CCN khác cho DN này")
    if site["accepts_sectors"] is not None and firm["sector"] not in site["accepts_sectors"]:
        return Reason("sector", f"{sid} does not accept sector {firm['sector']}",
                      f"{sid} không nhận ngành {firm['sector']}")
    if firm["pollution"] == "high" and not site["accepts_polluting"]:
        return Reason("polluting", f"{sid} does not accept polluting firms",
                      f"{sid} không nhận DN gây ô nhiễm")
    area = int(firm["required_area_m2"])
    if area > site["max_firm_area_m2"]:
        return Reason("size", f"the firm ({area:,} m²) is larger than {sid} accepts",
                      f"DN ({area:,} m²) lớn hơn mức {sid} nhận")
    prefs = firm["preferred_site_ids"]
    if problem.scenario.rules.preferred_sites == "strict" and prefs and sid not in prefs:
        return Reason("preference", "not one of the firm's preferred sites (strict)",
                      "không thuộc KCN/CCN DN chọn (bắt buộc)")
    lock_site = str(firm.get("lock_site_id", "") or "")
    lock_year = int(firm.get("lock_year", 0) or 0)
    if (lock_site and lock_site != sid) or (lock_year and lock_year != year):
        where = " ".join(p for p in (lock_site, str(lock_year) if lock_year else "") if p)
        return Reason("lock", f"locked to {where}", f"đã chốt: {where}")
    for f_site, f_year in firm.get("forbidden", ()) or ():
        if (not f_site or f_site == sid) and (not f_year or f_year == year):
            what = " ".join(p for p in (f_site, str(f_year) if f_year else "") if p)
            return Reason("forbid", f"forbidden by a decision ({what})",
                          f"bị cấm theo quyết định ({what})")
    if year < years[0] or year > years[-1]:
        return Reason("horizon", f"{year} is outside the planning years {years[0]}–{years[-1]}",
                      f"{year} ngoài kỳ kế hoạch {years[0]}–{years[-1]}")
    if year < int(firm["earliest_year"]):
        return Reason("ready", f"the firm is not ready before {firm['earliest_year']}",
                      f"DN chưa sẵn sàng trước năm {firm['earliest_year']}")
    if bool(firm["mandatory"]) and year > int(firm["deadline_year"]):
        return Reason("deadline", f"after the zone's deadline {firm['deadline_year']}",
                      f"sau hạn chót của vùng ({firm['deadline_year']})")
    clear_by = int(firm.get("clear_by", 0) or 0)
    if clear_by and year > clear_by:
        park = firm.get("origin_park", "")
        return Reason("clearance", f"after the clearance of {park} by {clear_by}",
                      f"sau hạn giải tỏa {park} ({clear_by})")
    k = year - years[0]
    released = problem.released_m2[s]
    if released[-1] < area:
        return Reason("land", f"{sid} never has {area:,} m² free in the horizon",
                      f"{sid} không bao giờ đủ {area:,} m² trong kỳ")
    if released[k] < area:
        opens = years[int(np.argmax(released >= area))]
        return Reason("opens", f"{sid} has no land for the firm before {opens}",
                      f"{sid} chưa có đất cho DN trước năm {opens}")
    tail = problem.capacity_m2[s, k:]
    if tail.min() < area:
        full = years[k + int(np.argmin(tail))]
        return Reason("full", f"{sid}'s land is full in {full} (firms already moved there)",
                      f"{sid} hết đất năm {full} (DN đã chuyển đến)")
    return None
