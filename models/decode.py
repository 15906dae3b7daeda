"""Decode chosen option rows into a :class:`~relocation.domain.problem.Plan`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.evaluate import shortfall_by_window
from relocation.domain.costs import move_terms, weighted_total
from relocation.domain.problem import ALL_TERMS, MOVE_TERMS, Plan, Problem


def decode_plan(problem: Problem, rows: np.ndarray) -> Plan:
    """Turn chosen rows of ``problem.options`` into a plan with its terms (whole VND).

    Parameters
    ----------
    problem : Problem
    rows : numpy.ndarray
        Chosen option rows.

    Returns
    -------
    Plan
        Moves sorted by year then firm id; the objective is the weighted objective
        (supply split and soft-quota shortfall included). A conversion in place has
        ``action = "convert"``, ``site_id = site_name = ""``, distance 0 and land 0.
    """
    sc = problem.scenario
    opts = problem.options.iloc[np.asarray(rows, dtype=np.int64)]
    firm = opts["firm"].to_numpy()
    site = opts["site"].to_numpy()
    year = opts["year"].to_numpy()
    terms = move_terms(problem.pair_terms, opts["pair"].to_numpy(), year - sc.horizon.start, sc)
    f, s = problem.firms, problem.sites
    convert = (
        opts["convert"].to_numpy(dtype=bool) if "convert" in opts else np.zeros(len(opts), bool)
    )
    real = np.where(convert, 0, site)  # conversions: the reserved site has no row
    moves = pd.DataFrame(
        {
            "firm_id": f["firm_id"].to_numpy()[firm],
            "firm_name": f["name"].to_numpy()[firm],
            "origin_zone_id": f["zone_id"].to_numpy()[firm],
            "site_id": np.where(convert, "", s["site_id"].to_numpy()[real] if len(s) else ""),
            "site_name": np.where(convert, "", s["name"].to_numpy()[real] if len(s) else ""),
            "year": year.astype(np.int64),
        }
    )
    for name in MOVE_TERMS:
        moves[f"{name}_vnd"] = terms[f"{name}_vnd"].to_numpy()
    dist = problem.distance_km[firm, real].round(3) if len(s) else np.zeros(len(firm))
    moves["distance_km"] = np.where(convert, 0.0, dist)
    moves["employees"] = f["employees"].to_numpy()[firm]
    moves["area_m2"] = opts["area_m2"].to_numpy()
    moves["action"] = np.where(convert, "convert", "move")
    order = np.lexsort((moves["firm_id"].to_numpy(), moves["year"].to_numpy()))
    moves = moves.iloc[order].reset_index(drop=True)

    split = _split_count(problem, firm, site) * sc.costs.supply_split_vnd
    totals = {t: int(terms[f"{t}_vnd"].sum()) for t in ALL_TERMS if t != "supply_split"}
    totals["supply_split"] = int(split)
    objective = int(weighted_total(terms, sc).sum()) + int(round(sc.weights.supply_split * split))
    if sc.rules.soft_quota:
        short = sum(shortfall_by_window(problem, year).values())
        objective += short * sc.rules.quota_shortfall_vnd_per_firm
    return Plan(moves=moves, terms=totals, objective=objective)


def _split_count(problem: Problem, firm: np.ndarray, site: np.ndarray) -> int:
    """Σ over supply groups of (distinct destination sites of its movers − 1, if any moved)."""
    where = dict(zip(firm.tolist(), site.tolist(), strict=True))
    total = 0
    for members in problem.supply_groups().values():
        used = {where[f] for f in members.tolist() if f in where}
        if used:
            total += len(used) - 1
    return total
