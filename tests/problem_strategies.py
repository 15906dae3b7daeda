"""Small generated planning problems for property tests (hypothesis), and a brute force.

The problems cover mandatory firms, deadlines, supply groups, move-together groups (one
year, optionally one site), quota windows (hard or soft), yearly move limits (least and
most) and budgets, and history (a firm moved before the horizon).
"""

from __future__ import annotations

import itertools

import numpy as np
from factories import make_problem
from hypothesis import strategies as st

from relocation.domain.check import RuleChecker, check_input_from_problem

SECTORS = ("wood_furniture", "garment_footwear")


@st.composite
def problems(draw: st.DrawFn):
    years = draw(st.integers(1, 2))
    end = 2024 + years - 1
    n_f = draw(st.integers(1, 3))
    n_s = draw(st.integers(1, 2))
    firms = []
    for _ in range(n_f):
        firms.append({
            "sector": draw(st.sampled_from(SECTORS)),
            "pollution": draw(st.sampled_from(("high", "low"))),
            "land_area_m2": float(draw(st.integers(1, 6)) * 1000),
            "employees": draw(st.integers(0, 300)),
            "mandatory": draw(st.booleans()),
            "earliest_year": draw(st.integers(2024, end)),
            "supply_group": draw(st.sampled_from(("", "G"))),
            "move_group": draw(st.sampled_from(("", "", "M"))),
            "lon": 106.6 + draw(st.integers(0, 20)) / 100,
        })
    if draw(st.booleans()):  # history: one more firm moved before the horizon
        firms.append({"moved_year": 2023, "moved_site_id": "S0", "land_area_m2": 1000.0})
    sites = []
    for _ in range(n_s):
        sites.append({
            "free_area_m2": float(draw(st.integers(0, 10)) * 1000),
            "available_from": draw(st.integers(2024, end)),
            "accepts_sectors": draw(st.sampled_from(("*", "garment_footwear"))),
            "accepts_polluting": draw(st.booleans()),
            "lat": 11.1 + draw(st.integers(0, 20)) / 100,
        })
    sc: dict = {"horizon": {"start": 2024, "end": end}}
    if draw(st.booleans()):
        lo = draw(st.sampled_from((0.0, 0.34, 0.5, 1.0)))
        hi = draw(st.sampled_from((lo, 1.0)))
        sc["quota"] = [{"by_year": draw(st.integers(2024, end)), "min_share": lo, "max_share": hi}]
    limits = {}
    if draw(st.booleans()):
        limits["max_moves_per_year"] = draw(st.integers(0, 2))
    if draw(st.booleans()):
        least = draw(st.integers(1, 2))
        limits["min_moves_per_year"] = min(least, limits.get("max_moves_per_year", least))
    if draw(st.booleans()):
        limits["budget_vnd_per_year"] = draw(st.sampled_from((2_000_000_000, 20_000_000_000)))
    if limits:
        sc["limits"] = limits
    rules: dict = {}
    if draw(st.booleans()):
        rules = {"soft_quota": True,
                 "quota_shortfall_vnd_per_firm": draw(st.sampled_from((10**9, 10**12)))}
    if draw(st.booleans()):
        rules["move_group_same_site"] = True
    if rules:
        sc["rules"] = rules
    deadline = draw(st.sampled_from((None, 2024, end)))
    return make_problem(firms, sites, sc, deadline=deadline)


def brute_force(problem) -> int | None:
    """Least objective over every assignment (None when no assignment keeps the rules)."""
    checker = RuleChecker(check_input_from_problem(problem))
    planned = np.flatnonzero(problem.planned)
    choices = [None] + [(s, y) for s in range(len(problem.sites)) for y in problem.years]
    best = None
    for combo in itertools.product(choices, repeat=len(planned)):
        moves = [(f, c) for f, c in zip(planned, combo, strict=True) if c is not None]
        firm = np.array([f for f, _ in moves], dtype=np.int64)
        site = np.array([c[0] for _, c in moves], dtype=np.int64)
        year = np.array([c[1] for _, c in moves], dtype=np.int64)
        res = checker.check_positions(firm, site, year)
        if res.ok and (best is None or res.objective < best):
            best = res.objective
    return best
