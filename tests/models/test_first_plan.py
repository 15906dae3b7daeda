"""A first plan without the LP: the greedy, repaired when it misses a move."""

from __future__ import annotations

import numpy as np
from factories import make_problem

from models.decode import decode_plan
from models.evaluate import evaluate_rows
from models.heuristic import greedy_plan
from models.repair import repair_plan
from models.solve import first_plan
from relocation.domain.check import check_plan


def test_demo_greedy_misses_moves_and_the_repair_restores_them(demo_problem):
    p = demo_problem
    greedy = greedy_plan(p)
    assert not evaluate_rows(p, greedy).feasible  # why the repair exists
    rows = first_plan(p)
    assert rows is not None
    assert len(rows) > len(greedy)
    assert check_plan(p, decode_plan(p, rows)).ok


def test_repair_makes_room_by_moving_a_small_firm_to_another_site():
    # The big firm fits only S0; the greedy puts the small one there first (smallest
    # first), so the big one finds no land until the small one moves to S1.
    firms = [
        {"land_area_m2": 8000.0, "sector": "garment_footwear", "mandatory": True},
        {"land_area_m2": 3000.0},
    ]
    sites = [
        {"free_area_m2": 10000.0},
        {"free_area_m2": 3000.0, "accepts_sectors": "wood_furniture"},
    ]
    sc = {"horizon": {"start": 2024, "end": 2024},
          "quota": [{"by_year": 2024, "min_share": 1.0, "max_share": 1.0}]}
    p = make_problem(firms, sites, sc, deadline=2024)
    site = p.options["site"].to_numpy()
    firm = p.options["firm"].to_numpy()
    small_at_s0 = np.flatnonzero((firm == 1) & (site == 0))
    assert not evaluate_rows(p, small_at_s0).feasible
    rows = repair_plan(p, small_at_s0)
    assert evaluate_rows(p, rows).feasible
    moves = zip(firm[rows].tolist(), site[rows].tolist(), strict=True)
    assert sorted(moves) == [(0, 0), (1, 1)]
    assert check_plan(p, decode_plan(p, rows)).ok


def test_repair_moves_a_split_group_whole_and_fills_a_short_year():
    # F1 and F2 move together; a plan with F1 in 2024 and F2 in 2025 is split, and 2024
    # lacks the least moves a year while F0 waits.
    firms = [
        {"land_area_m2": 3000.0, "mandatory": True},
        {"land_area_m2": 3000.0, "move_group": "G"},
        {"land_area_m2": 3000.0, "move_group": "G"},
    ]
    sc = {"horizon": {"start": 2024, "end": 2025},
          "quota": [{"by_year": 2025, "min_share": 1.0, "max_share": 1.0}],
          "limits": {"min_moves_per_year": 1}}
    p = make_problem(firms, [{"free_area_m2": 20000.0}], sc, deadline=2025)
    opt = p.options
    pick = {(0, 2025), (1, 2024), (2, 2025)}
    rows = np.array([i for i, (f, y) in enumerate(zip(opt["firm"], opt["year"], strict=True))
                     if (int(f), int(y)) in pick])
    assert set(evaluate_rows(p, rows).broken) == {"move_group:G"}
    fixed = repair_plan(p, rows)
    assert evaluate_rows(p, fixed).feasible, evaluate_rows(p, fixed).broken
    assert check_plan(p, decode_plan(p, fixed)).ok
    # All in 2025: 2024 is short while three firms wait; the repair moves one in.
    late = np.flatnonzero(opt["year"].to_numpy() == 2025)
    assert "min_moves:2024" in evaluate_rows(p, late).broken
    fixed = repair_plan(p, late)
    assert evaluate_rows(p, fixed).feasible, evaluate_rows(p, fixed).broken
