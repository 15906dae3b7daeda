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

A move in year *t* costs each term rounded to whole VND after discounting by
``(1 + discount_rate) ** -(t - start)``. Its objective coefficient is
``round(Σ weight(term) · term)``. The yearly support budget counts support undiscounted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from relocation.domain.problem import MOVE_TERMS, RELOCATION_TERMS, TERM_WEIGHT
from relocation.domain.scenario import Scenario


def attrition_share(distance_km: np.ndarray, scenario: Scenario) -> np.ndarray:
    """Expected share of workers lost for a move of ``distance_km`` (brief §9 curve)."""
    c = scenario.costs
    return c.attrition_base + c.attrition_span / (
        1.0 + np.exp(-(distance_km - c.attrition_mid_km) / c.attrition_scale_km)
    )


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

    # Land that ever exists at the site.
    ok &= area <= capacity_m2[:, -1][None, :]
    f_idx, s_idx = np.nonzero(ok)
    return f_idx, s_idx, area[f_idx, s_idx], surveyed[f_idx, s_idx]


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
        ``distance_km`` (float), ``support_nominal_vnd`` (int64, undiscounted) and one
        float column per name in ``MOVE_TERMS`` (undiscounted VND).
    options : pandas.DataFrame
        One row per admissible move: ``pair`` (row of ``pair_terms``), ``firm``, ``site``,
        ``year`` (int), ``area_m2`` (int64), ``weighted_vnd`` (int64 objective coefficient),
        ``support_vnd`` (int64 nominal support, for the yearly budget).
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

    pair_terms = pd.DataFrame({"firm": f_idx, "site": s_idx, "area_m2": area, "distance_km": d})
    for name in MOVE_TERMS:
        pair_terms[name] = terms[name]
    pair_terms["support_nominal_vnd"] = np.rint(terms["support"]).astype(np.int64)

    options = _expand_years(firms, pair_terms, capacity_m2, scenario)
    return pair_terms, options


def _expand_years(
    firms: pd.DataFrame, pair_terms: pd.DataFrame, capacity_m2: np.ndarray, scenario: Scenario
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
    # First year the site alone holds the firm (cumulative land is non-decreasing).
    fits = capacity_m2[s] >= area[:, None]
    first_fit = np.where(fits.any(axis=1), fits.argmax(axis=1) + start, years[-1] + 1)
    lo = np.maximum(earliest, first_fit)
    pair_idx, year_idx = np.nonzero(
        (years[None, :] >= lo[:, None]) & (years[None, :] <= last[:, None])
    )
    disc = discount_factors(scenario)[year_idx]
    weighted = np.zeros(len(pair_idx), dtype=np.float64)
    w = scenario.weights
    for name in MOVE_TERMS:
        term = np.rint(pair_terms[name].to_numpy()[pair_idx] * disc)
        weighted += getattr(w, TERM_WEIGHT[name]) * term
    return pd.DataFrame(
        {
            "pair": pair_idx.astype(np.int64),
            "firm": f[pair_idx].astype(np.int64),
            "site": s[pair_idx].astype(np.int64),
            "year": years[year_idx].astype(np.int64),
            "area_m2": area[pair_idx].astype(np.int64),
            "weighted_vnd": np.rint(weighted).astype(np.int64),
            "support_vnd": pair_terms["support_nominal_vnd"].to_numpy()[pair_idx],
        }
    )


def move_terms(
    pair_terms: pd.DataFrame, pair: np.ndarray, year_offset: np.ndarray, scenario: Scenario
) -> pd.DataFrame:
    """Integer terms (whole VND, discounted) of moves given by pair rows and year offsets."""
    disc = discount_factors(scenario)[year_offset]
    out = {}
    for name in MOVE_TERMS:
        out[f"{name}_vnd"] = np.rint(pair_terms[name].to_numpy()[pair] * disc).astype(np.int64)
    return pd.DataFrame(out)


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
    disc = discount_factors(scenario)[options["year"].to_numpy() - scenario.horizon.start]
    pair = options["pair"].to_numpy()
    total = np.zeros(len(options), dtype=np.float64)
    for name in names:
        if name in MOVE_TERMS:
            term = np.rint(pair_terms[name].to_numpy()[pair] * disc)
            total += getattr(scenario.weights, TERM_WEIGHT[name]) * term
    return np.rint(total).astype(np.int64)
