"""Convert in place (issue 10): encouraged firms may change the parcel's use instead of moving.

The model (options, CP-SAT, LP, heuristics, the model's own evaluation, decoding) against the
independent checker on small constructed problems.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import check, make_problem

from models.build import ModelSpec
from models.decode import decode_plan
from models.evaluate import evaluate_rows
from models.heuristic import greedy_plan
from models.lagrange import solve_lagrangian
from models.relax import solve_relaxation
from models.repair import repair_plan
from models.solve import SolveParams, Status, solve
from relocation.domain.check import check_plan
from relocation.domain.costs import conversion_site
from relocation.domain.problem import Problem

PARAMS = SolveParams(time_limit_s=10, workers=1, seed=0, relative_gap=0.0)
ALL_BY_2025 = [{"by_year": 2025, "min_share": 1.0, "max_share": 1.0}]


def scenario(allow: bool = True, **more: object) -> dict:
    return {
        "horizon": {"start": 2024, "end": 2025},
        "quota": ALL_BY_2025,
        "rules": {"allow_conversion": allow},
        **more,
    }


def two_firms(allow: bool = True, **more: object) -> Problem:
    """A mandatory firm and an encouraged one, one site with room for both."""
    return make_problem(
        firms=[
            {"mandatory": True, "land_area_m2": 6000.0, "employees": 80},
            {"land_area_m2": 9000.0, "employees": 200, "lon": 106.75},
        ],
        sites=[{"free_area_m2": 30000.0}],
        scenario=scenario(allow, **more),
        deadline=2025,
    )


def solved(problem: Problem) -> tuple[np.ndarray, int]:
    res = solve(problem, PARAMS)
    assert res.status == Status.OPTIMAL
    plan = decode_plan(problem, res.rows)
    chk = check_plan(problem, plan)
    assert chk.ok, chk.violations
    ev = evaluate_rows(problem, res.rows)
    assert ev.feasible, ev.broken
    assert chk.objective == res.objective == plan.objective == ev.objective
    assert chk.terms == plan.terms
    return res.rows, res.objective


def test_conversion_rows_only_for_encouraged_firms_under_the_switch():
    on, off = two_firms(True), two_firms(False)
    conv = on.options[on.options["convert"]]
    assert set(conv["firm"]) == {1}
    assert set(conv["site"]) == {conversion_site(on.sites)}
    assert (conv["area_m2"] == 0).all() and (conv["support_vnd"] == 0).all()
    assert sorted(conv["year"]) == [2024, 2025]
    assert not off.options["convert"].any()
    assert len(off.options) == len(on.options) - len(conv)


def test_a_conversion_cheaper_than_any_move_is_planned():
    p = two_firms()
    rows, objective = solved(p)
    plan = decode_plan(p, rows)
    by_firm = plan.moves.set_index("firm_id")
    assert by_firm.at["F1", "action"] == "convert"
    assert by_firm.at["F1", "site_id"] == "" and by_firm.at["F1", "area_m2"] == 0
    assert by_firm.at["F1", "distance_km"] == 0.0
    assert by_firm.at["F0", "action"] == "move"  # mandatory: moves
    assert plan.terms["conversion"] == int(by_firm.at["F1", "conversion_vnd"]) > 0
    # Cheaper than the same problem without the switch (where F1 must move).
    _, without = solved(two_firms(False))
    assert objective < without


def test_mandatory_firms_never_convert():
    p = make_problem(
        firms=[{"mandatory": True, "land_area_m2": 9000.0}, {"mandatory": True}],
        sites=[{"free_area_m2": 30000.0}],
        scenario=scenario(),
        deadline=2025,
    )
    assert not p.options["convert"].any()
    rows, _ = solved(p)
    assert (decode_plan(p, rows).moves["action"] == "move").all()


def test_locked_and_grouped_firms_get_no_conversion():
    p = make_problem(
        firms=[{"move_group": "G"}, {"move_group": "G"}, {}],
        sites=[{"free_area_m2": 30000.0}],
        scenario=scenario(),
    )
    assert set(p.options.loc[p.options["convert"], "firm"]) == {2}


def test_conversion_terms_and_land_value_for_the_whole_horizon():
    values = {"social_housing": 1_000_000_000, "commerce_services": 1_000_000_000,
              "green_public": 1_000_000_000}
    p = two_firms(costs={"land_value_vnd_per_ha_year": values})
    plan = decode_plan(p, p.options.index[p.options["convert"] & (p.options["year"] == 2024)])
    row = plan.moves.iloc[0]
    c = p.scenario.costs
    assert row["conversion_vnd"] == 9000 * c.conversion_vnd_per_m2
    assert row["permit_vnd"] == c.permit_vnd
    assert row["land_delay_vnd"] == round(0.9 * 1_000_000_000 * 2)  # 0.9 ha × 2 years
    for t in ("fitout", "rent", "dismantle_transport", "support", "commute", "attrition"):
        assert row[f"{t}_vnd"] == 0


def test_quota_windows_count_a_conversion_from_its_year():
    # A mandatory firm that can move only in 2025 (the site opens then) and an encouraged
    # one that converts: half by 2024 needs the conversion in 2024 (discounting alone
    # would put it in 2025).
    windows = [{"by_year": 2024, "min_share": 0.5, "max_share": 1.0}, *ALL_BY_2025]
    p = make_problem(
        firms=[{"mandatory": True, "land_area_m2": 9000.0},
               {"land_area_m2": 8000.0, "lon": 106.75}],
        sites=[{"free_area_m2": 9500.0, "available_from": 2025}],
        scenario=scenario(quota=windows),
        deadline=2025,
    )
    rows, _ = solved(p)
    plan = decode_plan(p, rows)
    assert plan.moves.loc[plan.converted, "firm_id"].tolist() == ["F1"]
    assert plan.moves.loc[plan.converted, "year"].tolist() == [2024]
    # The same conversion in 2025 leaves the 2024 window short, for the model and checker.
    opts = p.options
    move = int(rows[~opts["convert"].to_numpy()[rows]][0])
    late = opts.index[opts["convert"] & (opts["year"] == 2025)
                      & (opts["firm"] != opts.at[move, "firm"])]
    late_rows = np.array([move, late[0]])
    assert "quota:2024:min" in evaluate_rows(p, late_rows).broken
    rep = check(p, decode_plan(p, late_rows).moves)
    assert [v.rule for v in rep.violations] == ["quota_min"]


def test_lp_bound_holds_with_conversions():
    p = two_firms()
    rel = solve_relaxation(p, ModelSpec(), time_limit_s=10)
    _, objective = solved(p)
    assert rel.status == "optimal" and rel.bound <= objective + 1


def test_conversion_counts_in_the_yearly_number_of_moves():
    p = make_problem(
        firms=[{"land_area_m2": 9000.0}, {"land_area_m2": 8000.0, "lon": 106.75}],
        sites=[{"free_area_m2": 30000.0}],
        scenario=scenario(limits={"max_moves_per_year": 1}),
    )
    rows, _ = solved(p)
    assert sorted(decode_plan(p, rows).moves["year"]) == [2024, 2025]
    both_2024 = p.options.index[p.options["convert"] & (p.options["year"] == 2024)]
    assert len(both_2024) == 2
    assert "moves:2024" in evaluate_rows(p, both_2024.to_numpy()).broken
    assert "moves_per_year" in {v.rule for v in check(p, decode_plan(p, both_2024).moves)
                                .violations}


@pytest.mark.parametrize("allow, mandatory", [(False, False), (True, True)])
def test_checker_rejects_a_conversion_off_the_switch_or_of_a_mandatory_firm(allow, mandatory):
    p = make_problem(
        firms=[{"mandatory": mandatory, "land_area_m2": 9000.0}],
        sites=[{"free_area_m2": 30000.0}],
        scenario=scenario(allow),
        deadline=2025,
    )
    sched = pd.DataFrame({"firm_id": ["F0"], "site_id": [""], "year": [2025],
                          "action": ["convert"]})
    rep = check(p, sched)
    rules = [v.rule for v in rep.violations]
    assert rules == ["conversion"]
    assert ("allow_conversion" in rep.violations[0].text) == (not allow)
    assert ("mandatory" in rep.violations[0].text) == mandatory


def test_checker_rejects_a_conversion_that_names_a_site():
    p = two_firms()
    sched = pd.DataFrame({"firm_id": ["F0", "F1"], "site_id": ["S0", "S0"],
                          "year": [2025, 2025], "action": ["move", "convert"]})
    assert [v.rule for v in check(p, sched).violations] == ["unknown"]


def test_heuristics_and_bounds_take_conversion_rows():
    # Three encouraged firms, land for one: the greedy and the repair must convert two.
    p = make_problem(
        firms=[{"land_area_m2": 9000.0}, {"land_area_m2": 8000.0, "lon": 106.75},
               {"land_area_m2": 7000.0, "lon": 106.68}],
        sites=[{"free_area_m2": 9500.0}],
        scenario=scenario(costs={"conversion_vnd_per_m2": 20_000_000}),
    )
    _, optimum = solved(p)
    rows = repair_plan(p, greedy_plan(p))
    ev = evaluate_rows(p, rows)
    assert ev.feasible, ev.broken
    assert int(p.options["convert"].to_numpy()[rows].sum()) == 2
    assert ev.objective >= optimum
    lag = solve_lagrangian(p, ModelSpec(), time_limit_s=10, upper_bound=float(ev.objective))
    assert lag.status == "optimal" and lag.bound <= optimum + 1


def test_a_baseline_conversion_is_kept_or_paid_for_in_a_replan():
    baseline = pd.DataFrame({"firm_id": ["F0", "F1"], "site_id": ["S0", ""],
                             "year": [2025, 2025]})
    p = make_problem(
        firms=[{"mandatory": True, "land_area_m2": 6000.0, "employees": 80},
               {"land_area_m2": 9000.0, "employees": 200, "lon": 106.75}],
        sites=[{"free_area_m2": 30000.0}],
        scenario=scenario(),
        deadline=2025,
        baseline=baseline,
    )
    rows, _ = solved(p)  # the model, its evaluation and the checker agree on stability
    plan = decode_plan(p, rows)
    assert plan.terms["stability"] == 0  # the baseline holds: F1 converts in 2025
    # Moving F1 instead is a site change for both the model and the checker.
    f1_move = p.options.index[(p.options["firm"] == 1) & ~p.options["convert"]
                              & (p.options["year"] == 2025)]
    f0 = rows[p.options["firm"].to_numpy()[rows] == 0]
    moved = decode_plan(p, np.array([f0[0], f1_move[0]]))
    site_change = p.scenario.stability.site_change_vnd
    assert int(moved.moves.set_index("firm_id").at["F1", "stability_vnd"]) == site_change
    rep = check(p, moved.moves)
    assert rep.ok and rep.terms["stability"] == moved.terms["stability"] == site_change
