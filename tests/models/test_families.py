"""Each constraint family alone: feasible; infeasible with a forbidden value fixed; feasible
with an allowed one fixed. Every plan goes through check_plan."""

from __future__ import annotations

import pytest
from factories import make_problem, tiny_problem
from ortools.sat.python import cp_model

from models.build import ModelSpec, build_model
from models.decode import decode_plan
from models.solve import SolveParams, Status, solve
from relocation.domain.check import check_plan
from relocation.domain.problem import Problem
from relocation.domain.scenario import LAND_VALUE_SUGGESTED

PARAMS = SolveParams(time_limit_s=10, workers=1, seed=0, relative_gap=0.0)
ALL_BY_2025 = [{"by_year": 2025, "min_share": 1.0, "max_share": 1.0}]


def run(problem: Problem, fix: dict | None = None) -> Status:
    res = solve(problem, PARAMS, spec=ModelSpec(fix=fix or {}))
    if res.status in (Status.OPTIMAL, Status.FEASIBLE):
        plan = decode_plan(problem, res.rows)
        chk = check_plan(problem, plan)
        assert chk.ok, chk.violations
        assert chk.objective == res.objective == plan.objective
        if fix:
            got = {(r.firm_id, r.site_id, r.year) for r in plan.moves.itertuples()}
            for f, target in fix.items():
                fid = problem.firms.at[f, "firm_id"]
                if target is None:
                    assert all(m[0] != fid for m in got)
                else:
                    sid = problem.sites.at[target[0], "site_id"]
                    assert (fid, sid, target[1]) in got
    return res.status


def ok(status: Status) -> bool:
    return status in (Status.OPTIMAL, Status.FEASIBLE)


def test_tiny_problem_solves_to_optimality():
    p = tiny_problem(quota=ALL_BY_2025)
    assert run(p) == Status.OPTIMAL


def test_one_move_per_firm():
    p = tiny_problem()
    bm = build_model(p)
    rows = p.options.index[p.options["firm"] == 1]
    assert len(rows) >= 2
    bm.model.add(bm.x[rows[0]] == 1)
    bm.model.add(bm.x[rows[1]] == 1)
    assert cp_model.CpSolver().solve(bm.model) == cp_model.INFEASIBLE
    assert ok(run(p, {1: (0, 2025)}))


def test_mandatory_firm_moves_by_its_deadline():
    p = tiny_problem()  # firm 0 is mandatory, deadline 2025
    assert ok(run(p))
    assert run(p, {0: None}) == Status.INFEASIBLE
    assert ok(run(p, {1: None}))  # firm 1 is only encouraged
    early = make_problem(
        [{"mandatory": True}], [{"available_from": 2025}],
        {"horizon": {"start": 2024, "end": 2025}}, deadline=2024,
    )
    assert len(early.options) == 0
    assert run(early) == Status.INFEASIBLE


def test_quota_window_minimum_and_maximum():
    p = tiny_problem(quota=ALL_BY_2025)
    assert run(p, {2: None}) == Status.INFEASIBLE
    assert ok(run(p, {2: (0, 2025)}))
    capped = tiny_problem(quota=[{"by_year": 2024, "min_share": 0.0, "max_share": 0.34}])
    assert ok(run(capped, {1: (0, 2024)}))
    assert run(capped, {1: (0, 2024), 2: (0, 2024)}) == Status.INFEASIBLE


def test_quota_counts_firms_moved_before_the_horizon():
    firms = [{"moved_year": 2023, "moved_site_id": "S0"}, {}, {}]
    sc = {"horizon": {"start": 2024, "end": 2025},
          "quota": [{"by_year": 2024, "min_share": 0.6, "max_share": 0.7}]}
    p = make_problem(firms, [{"free_area_m2": 100000.0}], sc)
    assert p.n_moved_before == 1
    assert ok(run(p, {1: (0, 2024)}))  # 1 before + 1 = 2 of 3 ≥ 60 %
    assert run(p, {1: None, 2: None}) == Status.INFEASIBLE
    # Its land is taken: capacity starts at 100,000 − 5,000.
    assert p.capacity_m2[0, 0] == 95000
    # A firm moved before is never planned again.
    assert (p.options["firm"] != 0).all()
    assert run(p, {0: (0, 2024)}) == Status.INFEASIBLE


def test_site_capacity_over_time_with_phases():
    firms = [{"land_area_m2": 6000.0}, {"land_area_m2": 6000.0}]
    sites = [{"free_area_m2": 0.0}, {"free_area_m2": 50000.0}]
    phases = [{"site_id": "S0", "year": 2024, "released_area_m2": 7000.0},
              {"site_id": "S0", "year": 2025, "released_area_m2": 6000.0}]
    p = make_problem(firms, sites, {"horizon": {"start": 2024, "end": 2025}}, phases=phases)
    assert p.capacity_m2[0].tolist() == [7000, 13000]
    assert ok(run(p, {0: (0, 2024), 1: (0, 2025)}))
    assert run(p, {0: (0, 2024), 1: (0, 2024)}) == Status.INFEASIBLE
    assert ok(run(p, {0: (0, 2024), 1: (1, 2024)}))


def test_sector_and_polluting_acceptance():
    firms = [{"sector": "chemicals_paint", "pollution": "high"}, {"sector": "garment_footwear"}]
    sites = [{"accepts_sectors": "garment_footwear", "accepts_polluting": False},
             {"accepts_sectors": "*", "accepts_polluting": True}]
    p = make_problem(firms, sites)
    assert run(p, {0: (0, 2024)}) == Status.INFEASIBLE  # sector and polluting both refuse
    assert ok(run(p, {0: (1, 2024), 1: (0, 2024)}))
    only_polluting = make_problem(
        [{"sector": "garment_footwear", "pollution": "high"}],
        [{"accepts_sectors": "*", "accepts_polluting": False}],
    )
    assert run(only_polluting, {0: (0, 2024)}) == Status.INFEASIBLE


def test_earliest_year_and_site_opening():
    p = make_problem([{"earliest_year": 2025}], [{"available_from": 2024}])
    assert run(p, {0: (0, 2024)}) == Status.INFEASIBLE
    assert ok(run(p, {0: (0, 2025)}))
    late = make_problem([{}], [{"available_from": 2025}])
    assert run(late, {0: (0, 2024)}) == Status.INFEASIBLE
    override = make_problem(
        [{}], [{"available_from": 2025}],
        {"horizon": {"start": 2024, "end": 2025},
         "overrides": {"site_available_from": {"S0": 2024}}},
    )
    assert ok(run(override, {0: (0, 2024)}))


def test_pairs_restrict_sites_and_replace_costs():
    pairs = [{"firm_id": "F0", "site_id": "S1", "cost_vnd": 123_456_789, "required_area_m2": 100.0}]
    p = make_problem([{}, {}], [{}, {}], pairs=pairs)
    assert run(p, {0: (0, 2024)}) == Status.INFEASIBLE
    assert ok(run(p, {0: (1, 2024)}))
    res = solve(p, PARAMS, spec=ModelSpec(fix={0: (1, 2024)}))
    plan = decode_plan(p, res.rows)
    row = plan.moves.set_index("firm_id").loc["F0"]
    assert row["surveyed_vnd"] == 123_456_789
    assert row["permit_vnd"] == row["rent_vnd"] == row["fitout_vnd"] == 0
    assert row["area_m2"] == 100
    assert row["commute_vnd"] > 0  # disruption still applies


def test_preferred_sites_penalty_and_strict():
    firms = [{"preferred_site_ids": "S1"}]
    p = make_problem(firms, [{}, {}])
    assert ok(run(p, {0: (0, 2024)}))
    res = solve(p, PARAMS, spec=ModelSpec(fix={0: (0, 2024)}))
    assert decode_plan(p, res.rows).terms["preference"] > 0
    strict = make_problem(firms, [{}, {}], {"horizon": {"start": 2024, "end": 2025},
                                            "rules": {"preferred_sites": "strict"}})
    assert run(strict, {0: (0, 2024)}) == Status.INFEASIBLE
    assert ok(run(strict, {0: (1, 2024)}))


def test_yearly_move_limit_and_budget():
    lim = tiny_problem(limits={"max_moves_per_year": 1})
    assert run(lim, {1: (0, 2025), 2: (0, 2025)}) == Status.INFEASIBLE
    assert ok(run(lim, {1: (0, 2024)}))
    budget = tiny_problem(limits={"budget_vnd_per_year": 8_000_000_000})
    # Support: firm 0 (mandatory, 120 workers) 7.2 bn, firm 1 1.5 bn: together over 8 bn.
    assert run(budget, {0: (0, 2025), 1: (0, 2025)}) == Status.INFEASIBLE
    assert ok(run(budget, {0: (0, 2025), 1: (0, 2024)}))


def test_supply_group_split_is_charged_once_per_extra_site():
    firms = [{"supply_group": "G"}, {"supply_group": "G"}]
    sc = {"horizon": {"start": 2024, "end": 2024},
          "quota": [{"by_year": 2024, "min_share": 1.0, "max_share": 1.0}]}
    p = make_problem(firms, [{}, {}], sc)
    res = solve(p, PARAMS, spec=ModelSpec(fix={0: (0, 2024), 1: (1, 2024)}))
    plan = decode_plan(p, res.rows)
    assert plan.terms["supply_split"] == p.scenario.costs.supply_split_vnd
    assert check_plan(p, plan).ok
    together = solve(p, PARAMS)
    assert decode_plan(p, together.rows).terms["supply_split"] == 0


def test_soft_quota_reports_shortfall_instead_of_infeasible():
    rules = {"soft_quota": True, "quota_shortfall_vnd_per_firm": 10**12}
    sc = {"quota": ALL_BY_2025, "rules": rules}
    p = tiny_problem(**sc)
    res = solve(p, PARAMS, spec=ModelSpec(fix={2: None}))
    assert res.status in (Status.OPTIMAL, Status.FEASIBLE)
    plan = decode_plan(p, res.rows)
    assert plan.objective >= 10**12
    assert check_plan(p, plan).ok


@pytest.mark.parametrize("mode", ["weighted", "lexicographic"])
def test_objective_modes(mode):
    p = tiny_problem(quota=ALL_BY_2025, weights={"mode": mode, "cost_tolerance": 0.05})
    res = solve(p, PARAMS)
    assert res.status in (Status.OPTIMAL, Status.FEASIBLE)
    plan = decode_plan(p, res.rows)
    assert check_plan(p, plan).ok
    if mode == "lexicographic":
        assert "stage1" in res.stats and "stage2" in res.stats


def test_least_moves_per_year_while_firms_wait():
    p = tiny_problem(limits={"min_moves_per_year": 1})
    assert ok(run(p))
    # No move in 2024 while three ready firms wait.
    assert run(p, {0: (0, 2025), 1: None, 2: (1, 2025)}) == Status.INFEASIBLE
    assert ok(run(p, {1: (0, 2024)}))
    # A year with fewer firms waiting than the minimum needs only those: one in 2025.
    done = tiny_problem(limits={"min_moves_per_year": 2})
    assert ok(run(done, {0: (0, 2024), 1: (0, 2024), 2: (1, 2025)}))
    assert run(done, {0: (0, 2025), 1: (0, 2024), 2: (1, 2025)}) == Status.INFEASIBLE


def test_least_moves_above_most_is_refused():
    with pytest.raises(ValueError, match="min_moves_per_year 3 is above"):
        tiny_problem(limits={"min_moves_per_year": 3, "max_moves_per_year": 2})


def _grouped(**rules):
    return make_problem(
        firms=[
            {"mandatory": True, "land_area_m2": 8000.0, "employees": 120},
            {"land_area_m2": 4000.0, "move_group": "G"},
            {"land_area_m2": 6000.0, "sector": "garment_footwear", "move_group": "G"},
        ],
        sites=[
            {"free_area_m2": 12000.0},
            {"free_area_m2": 9000.0, "available_from": 2025,
             "accepts_sectors": "garment_footwear;wood_furniture"},
        ],
        scenario={"horizon": {"start": 2024, "end": 2025}, "rules": rules},
        deadline=2025,
    )


def test_move_group_moves_in_one_year():
    p = _grouped()
    assert ok(run(p))
    assert run(p, {1: (0, 2024), 2: (1, 2025)}) == Status.INFEASIBLE
    assert run(p, {1: (0, 2024), 2: None}) == Status.INFEASIBLE  # the group moves whole
    assert ok(run(p, {1: (0, 2024), 2: (0, 2024)}))
    assert ok(run(p, {1: (0, 2025), 2: (1, 2025)}))  # one year, two sites


def test_move_group_to_one_site_when_the_scenario_says_so():
    p = _grouped(move_group_same_site=True)
    assert ok(run(p))
    assert run(p, {1: (0, 2025), 2: (1, 2025)}) == Status.INFEASIBLE
    assert ok(run(p, {1: (0, 2025), 2: (0, 2025)}))


def test_park_clearance_empties_the_park_by_its_year():
    sc = {"horizon": {"start": 2024, "end": 2025},
          "rules": {"programme_parks": ["P"]}, "clearance": [{"park": "P", "by_year": 2024}]}
    p = make_problem([{"mandatory": True}, {"origin_park": "P"}, {}], [{}], sc, deadline=2025)
    assert ok(run(p))
    assert run(p, {1: None}) == Status.INFEASIBLE
    assert run(p, {1: (0, 2025)}) == Status.INFEASIBLE
    assert ok(run(p, {1: (0, 2024)}))


def test_tenants_of_parks_outside_the_scheme_are_exempt():
    firms = [{"mandatory": True}, {"origin_park": "Q"}, {"origin_park": "P"}]
    sc = {"horizon": {"start": 2024, "end": 2025}, "rules": {"programme_parks": ["P"]}}
    p = make_problem(firms, [{}], sc, deadline=2025)
    assert list(p.firms["firm_id"]) == ["F0", "F2"]  # F1 (park Q) is exempt
    off = make_problem(firms, [{}], {**sc, "rules": {"exempt_park_tenants": False}}, deadline=2025)
    assert list(off.firms["firm_id"]) == ["F0", "F1", "F2"]


def test_land_delay_values_land_freed_earlier():
    # Off by default: the suggested values turn it on.
    assert tiny_problem().pair_terms["land_delay"].eq(0).all()
    p = tiny_problem(costs={"land_value_vnd_per_ha_year": LAND_VALUE_SUGGESTED})
    res = solve(p, PARAMS, spec=ModelSpec(fix={1: (0, 2025)}))
    plan = decode_plan(p, res.rows)
    row = plan.moves.set_index("firm_id").loc["F1"]
    # 0.4 ha of commerce land (between green_max_m2 and social_housing_min_m2), one year late.
    value = p.scenario.costs.land_value_vnd_per_ha_year["commerce_services"]
    assert row["land_delay_vnd"] == round(0.4 * value * 1)
    assert check_plan(p, plan).ok
    early = decode_plan(p, solve(p, PARAMS, spec=ModelSpec(fix={1: (0, 2024)})).rows)
    assert early.moves.set_index("firm_id").loc["F1", "land_delay_vnd"] == 0
