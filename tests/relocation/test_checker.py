"""The independent rule checker (relocation/domain/check.py).

Each case injects one kind of broken rule into a small problem: the good schedule keeps
every rule, the bad one (or the same schedule on inputs changed in one place) breaks the
named rule, and the checker must name it in planner words.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from factories import actuals, check, decisions, make_problem, schedule

from models.decode import decode_plan
from models.solve import SolveParams, Status, solve
from relocation.domain.check import CheckInputError, check_plan
from relocation.domain.problem import Plan

REPO = Path(__file__).resolve().parents[2]

FIRMS: list[dict[str, Any]] = [
    {"mandatory": True, "land_area_m2": 8000.0, "employees": 120},  # F0, zone deadline 2025
    {"land_area_m2": 4000.0},  # F1
    {"land_area_m2": 6000.0, "sector": "garment_footwear"},  # F2
]
SITES: list[dict[str, Any]] = [{"free_area_m2": 50000.0}, {"free_area_m2": 50000.0}]
VALID = [("F0", "S0", 2024), ("F1", "S1", 2025), ("F2", "S1", 2025)]


def build(inputs: dict[str, Any]):
    """The base problem (horizon 2024–2025, F0 mandatory by 2025) with some inputs changed."""
    firms = [dict(f) for f in FIRMS]
    sites = [dict(s) for s in SITES]
    for i, change in inputs.get("firms", {}).items():
        firms[i].update(change)
    for j, change in inputs.get("sites", {}).items():
        sites[j].update(change)
    sc = {"horizon": {"start": 2024, "end": 2025}, **inputs.get("scenario", {})}
    return make_problem(firms, sites, sc, phases=inputs.get("phases"),
                        pairs=inputs.get("pairs"), deadline=2025)


def without(firm_id: str) -> list[tuple[str, str, int]]:
    return [m for m in VALID if m[0] != firm_id]


def moved(firm_id: str, site_id: str, year: int) -> list[tuple[str, str, int]]:
    return [*without(firm_id), (firm_id, site_id, year)]


BUDGET = 120 * 60_000_000  # F0's support (mandatory: full share), VND
CASES: list[dict[str, Any]] = [
    dict(id="unknown_firm", bad=[*VALID, ("F9", "S0", 2024)], rule="unknown", words="F9"),
    dict(id="one_move", bad=[*VALID, ("F1", "S0", 2024)], rule="one_move",
         words="firm F1 is scheduled 2 times"),
    dict(id="horizon", bad=moved("F1", "S1", 2027), rule="horizon",
         words="firm F1 moves in 2027, outside the horizon 2024–2025"),
    dict(id="history", inputs={"firms": {1: {"moved_year": 2022, "moved_site_id": "S0"}}},
         good=without("F1"), bad=VALID, rule="history",
         words="firm F1 already moved to S0 in 2022"),
    dict(id="deadline_missing", bad=without("F0"), rule="deadline",
         words="mandatory firm F0 must move by 2025 (its zone's deadline); it is not scheduled"),
    dict(id="deadline_override",
         inputs={"scenario": {"overrides": {"zone_deadline": {"Z_SOUTH": 2024}}}},
         bad=moved("F0", "S0", 2025), rule="deadline",
         words="mandatory firm F0 must move by 2024 (its zone's deadline); "
               "it is scheduled in 2025"),
    dict(id="sector", inputs={"sites": {1: {"accepts_sectors": "garment_footwear"}}},
         good=moved("F1", "S0", 2025), bad=VALID, rule="sector",
         words="firm F1 (sector wood_furniture) is sent to S1, which accepts only garment"),
    dict(id="polluting", inputs={"firms": {1: {"pollution": "high"}},
                                 "sites": {1: {"accepts_polluting": False}}},
         good=moved("F1", "S0", 2025), bad=VALID, rule="polluting",
         words="firm F1 is polluting; S1 does not accept polluting firms"),
    dict(id="largest_firm", inputs={"sites": {1: {"max_firm_area_m2": 5000.0}}},
         good=moved("F2", "S0", 2025), bad=VALID, rule="largest_firm",
         words="firm F2 needs 6,000 m² at S1; S1 takes firms of at most 5,000 m²"),
    dict(id="largest_firm_pair_area",
         inputs={"sites": {1: {"max_firm_area_m2": 5000.0}},
                 "pairs": [{"firm_id": "F1", "site_id": "S0"},
                           {"firm_id": "F1", "site_id": "S1", "required_area_m2": 5500.0}]},
         good=[("F0", "S0", 2024), ("F1", "S0", 2025), ("F2", "S0", 2025)],
         bad=[("F0", "S0", 2024), ("F1", "S1", 2025), ("F2", "S0", 2025)],
         rule="largest_firm", words="firm F1 needs 5,500 m² at S1"),
    dict(id="pairs", inputs={"pairs": [{"firm_id": "F1", "site_id": "S0"}]},
         good=moved("F1", "S0", 2025), bad=VALID, rule="pairs",
         words="firm F1 → S1 is not a listed pair (its pairs: S0)"),
    dict(id="pairs_required_area",
         inputs={"sites": {1: {"free_area_m2": 9000.0}},
                 "pairs": [{"firm_id": "F1", "site_id": "S1", "required_area_m2": 2500.0}]},
         bad_inputs={"pairs": [{"firm_id": "F1", "site_id": "S1", "required_area_m2": 3500.0}]},
         rule="land", words="site S1 holds 9,500 m² of planned moves by 2025, only 9,000 m²"),
    dict(id="strict_preference",
         inputs={"firms": {1: {"preferred_site_ids": "S0"}},
                 "scenario": {"rules": {"preferred_sites": "strict"}}},
         good=moved("F1", "S0", 2025), bad=VALID, rule="preference",
         words="firm F1 is sent to S1, not one of its preferred sites (S0)"),
    dict(id="readiness", inputs={"firms": {1: {"earliest_year": 2025}}},
         bad=moved("F1", "S1", 2024), rule="readiness",
         words="firm F1 moves in 2024, before it is ready (2025)"),
    dict(id="land", inputs={"sites": {0: {"free_area_m2": 10000.0}}},
         bad=moved("F1", "S0", 2024), rule="land",
         words="site S0 holds 12,000 m² of planned moves by 2024, only 10,000 m² free"),
    dict(id="land_phases",
         inputs={"phases": [{"site_id": "S0", "year": 2024, "released_area_m2": 5000.0},
                            {"site_id": "S0", "year": 2025, "released_area_m2": 5000.0}]},
         good=moved("F0", "S0", 2025), bad=VALID, rule="land",
         words="site S0 holds 8,000 m² of planned moves by 2024, only 5,000 m² free"),
    dict(id="land_phases_shifted",
         inputs={"phases": [{"site_id": "S0", "year": 2024, "released_area_m2": 9000.0}]},
         bad_inputs={"scenario": {"overrides": {"site_available_from": {"S0": 2025}}}},
         rule="land", words="site S0 holds 8,000 m² of planned moves by 2024, only 0 m² free"),
    dict(id="land_available_from_override",
         bad_inputs={"scenario": {"overrides": {"site_available_from": {"S0": 2025}}}},
         rule="land", words="site S0 holds 8,000 m² of planned moves by 2024, only 0 m² free"),
    dict(id="land_history",
         inputs={"firms": {2: {"moved_year": 2022, "moved_site_id": "S0"}},
                 "sites": {0: {"free_area_m2": 12000.0}}},
         good=[("F0", "S1", 2024), ("F1", "S0", 2025)],
         bad=[("F0", "S0", 2024), ("F1", "S1", 2025)], rule="land",
         words="only 6,000 m² free (released 12,000 m², 6,000 m² taken by firms moved before)"),
    dict(id="quota_min",
         inputs={"scenario": {"quota": [{"by_year": 2024, "min_share": 0.34}]}},
         good=moved("F1", "S1", 2024), bad=VALID, rule="quota_min",
         words="quota by 2024: 1 of 3 firms moved (0 before), at least 2 needed"),
    dict(id="quota_min_history",
         inputs={"scenario": {"quota": [{"by_year": 2024, "min_share": 0.67}]},
                 "firms": {2: {"moved_year": 2022, "moved_site_id": "S0"}}},
         good=[("F0", "S0", 2024), ("F1", "S1", 2024)],
         bad=[("F0", "S0", 2024), ("F1", "S1", 2025)], rule="quota_min",
         words="quota by 2024: 2 of 3 firms moved (1 before), at least 3 needed"),
    dict(id="quota_max",
         inputs={"scenario": {"quota": [{"by_year": 2024, "max_share": 0.34}]}},
         bad=moved("F1", "S1", 2024), rule="quota_max",
         words="quota by 2024: 2 of 3 firms moved (0 before), at most 1 allowed"),
    dict(id="quota_max_soft",
         inputs={"scenario": {"quota": [{"by_year": 2024, "max_share": 0.34}],
                              "rules": {"soft_quota": True}}},
         bad=moved("F1", "S1", 2024), rule="quota_max", words="at most 1 allowed"),
    dict(id="moves_per_year", inputs={"scenario": {"limits": {"max_moves_per_year": 2}}},
         bad=moved("F0", "S0", 2025), rule="moves_per_year",
         words="3 moves in 2025, the limit is 2 a year"),
    dict(id="budget", inputs={"scenario": {"limits": {"budget_vnd_per_year": BUDGET}}},
         bad=moved("F0", "S0", 2025), rule="budget",
         words="support paid in 2025 is 10,200,000,000 VND, over the yearly budget of "
               "7,200,000,000 VND"),
    dict(id="min_moves_per_year",
         inputs={"scenario": {"limits": {"min_moves_per_year": 1}}},
         bad=moved("F0", "S0", 2025), rule="min_moves_per_year",
         words="0 moves in 2024, at least 1 needed"),
    dict(id="move_group_year",
         inputs={"firms": {1: {"move_group": "G"}, 2: {"move_group": "G"}}},
         bad=moved("F1", "S1", 2024), rule="move_group",
         words="move group G moves in 2024, 2025; it moves in one year"),
    dict(id="move_group_whole",
         inputs={"firms": {1: {"move_group": "G"}, 2: {"move_group": "G"}}},
         bad=without("F1"), rule="move_group",
         words="move group G: 1 of 2 firms scheduled"),
    dict(id="move_group_site",
         inputs={"firms": {1: {"move_group": "G"}, 2: {"move_group": "G"}},
                 "scenario": {"rules": {"move_group_same_site": True}}},
         bad=moved("F1", "S0", 2025), rule="move_group",
         words="move group G goes to S0, S1; it goes to one site"),
    dict(id="clearance",
         inputs={"firms": {1: {"origin_park": "P"}},
                 "scenario": {"rules": {"programme_parks": ["P"]},
                              "clearance": [{"park": "P", "by_year": 2024}]}},
         good=moved("F1", "S1", 2024), bad=VALID, rule="clearance",
         words="P must be empty by 2024; its firm F1 moves in 2025"),
    dict(id="actual_moved_elsewhere", tables={"actuals": actuals(("F1", "moved", "S1", 2025))},
         bad=moved("F1", "S0", 2025), rule="actual",
         words="firm F1 moved to S1 in 2025 (actuals); it is scheduled to S0 in 2025"),
    dict(id="actual_committed_missing",
         tables={"actuals": actuals(("F1", "committed", "S1", "2025"))},
         bad=without("F1"), rule="actual",
         words="firm F1 committed to S1 in 2025 (actuals); it is not scheduled"),
    dict(id="actual_history_differs",
         inputs={"firms": {1: {"moved_year": 2022, "moved_site_id": "S0"}}},
         tables={"actuals": actuals(("F1", "moved", "S0", 2022))},
         bad_tables={"actuals": actuals(("F1", "moved", "S1", 2022))},
         good=without("F1"), rule="actual", words="firm F1 moved to S1 in 2022 (actuals)"),
    dict(id="actual_closed", tables={"actuals": actuals(("F1", "closed", "", 2024))},
         good=without("F1"), bad=VALID, rule="actual",
         words="firm F1 is closed (actuals); it is scheduled to S1 in 2025"),
    dict(id="actual_exempt_mandatory", tables={"actuals": actuals(("F0", "exempt", "", None))},
         good=without("F0"), bad=VALID, rule="actual",
         words="firm F0 is exempt (actuals); it is scheduled to S0 in 2024"),
    dict(id="lock_site_year", tables={"decisions": decisions(("F1", "S1", 2025, "lock"))},
         bad=moved("F1", "S1", 2024), rule="decision",
         words="firm F1 is locked to S1 in 2025 (decisions); it is scheduled to S1 in 2024"),
    dict(id="lock_site", tables={"decisions": decisions(("F1", "S0", "*", "lock"))},
         good=moved("F1", "S0", 2025), bad=VALID, rule="decision",
         words="firm F1 is locked to S0 (decisions)"),
    dict(id="lock_year", tables={"decisions": decisions(("F1", "*", "2024", "lock"))},
         good=moved("F1", "S1", 2024), bad=VALID, rule="decision",
         words="firm F1 is locked to any site in 2024 (decisions)"),
    dict(id="lock_unscheduled", tables={"decisions": decisions(("F1", "S1", "*", "lock"))},
         bad=without("F1"), rule="decision", words="it is not scheduled"),
    dict(id="forbid_site", tables={"decisions": decisions(("F1", "S1", "*", "forbid"))},
         good=moved("F1", "S0", 2025), bad=VALID, rule="decision",
         words="firm F1 may not move to S1 (decisions); it is scheduled to S1 in 2025"),
    dict(id="forbid_year", tables={"decisions": decisions(("F1", "*", 2025, "forbid"))},
         good=moved("F1", "S1", 2024), bad=VALID, rule="decision",
         words="firm F1 may not move to any site in 2025"),
]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_each_broken_rule_is_named(case):
    inputs = case.get("inputs", {})
    tables = case.get("tables", {})
    good = check(build(inputs), schedule(*case.get("good", VALID)), **tables)
    assert good.ok, good.lines

    bad_inputs = {**inputs, **case.get("bad_inputs", {})}
    bad_tables = {**tables, **case.get("bad_tables", {})}
    bad = check(build(bad_inputs), schedule(*case.get("bad", case.get("good", VALID))),
                **bad_tables)
    assert case["rule"] in {v.rule for v in bad.violations}, bad.lines
    assert any(case["words"] in line for line in bad.lines), bad.lines


def test_mandatory_firm_without_deadline_moves_by_the_horizon_end():
    p = make_problem([{"mandatory": True}], [{}], {"horizon": {"start": 2024, "end": 2025}})
    assert check(p, schedule(("F0", "S0", 2025))).ok
    rep = check(p, schedule())
    assert rep.lines == ("mandatory firm F0 must move by 2025 (the horizon's end); "
                         "it is not scheduled",)


def test_closed_mandatory_firm_is_not_due():
    rep = check(build({}), schedule(*without("F0")),
                actuals=actuals(("F0", "closed", "", 2024)))
    assert rep.ok, rep.lines


def test_terms_surveyed_cost_replaces_five_terms_and_is_discounted():
    p = build({"pairs": [{"firm_id": "F1", "site_id": "S1", "cost_vnd": 1_000_000_000}]})
    rep = check(p, schedule(("F1", "S1", 2025)))
    assert rep.terms["surveyed"] == round(1_000_000_000 / 1.08)
    for t in ("permit", "dismantle_transport", "fitout", "rent", "downtime"):
        assert rep.terms[t] == 0
    assert rep.terms["support"] > 0 and rep.terms["commute"] > 0


def test_terms_preference_penalty_split_shortfall_and_weights():
    p = build({"firms": {1: {"preferred_site_ids": "S0", "supply_group": "G"},
                         2: {"supply_group": "G"}},
               "scenario": {"quota": [{"by_year": 2024, "min_share": 1.0}],
                            "rules": {"soft_quota": True}}})
    rep = check(p, schedule(("F0", "S0", 2024), ("F1", "S1", 2024), ("F2", "S0", 2025)))
    assert rep.ok, rep.lines
    assert rep.terms["preference"] == 1_000_000_000  # F1 is not at its preferred S0
    assert rep.terms["supply_split"] == 2_000_000_000  # group G uses two sites
    moves = int(rep.move_terms["weighted"].sum())
    assert rep.objective == moves + 2_000_000_000 + 1 * 100_000_000_000  # F2 is late
    heavy = build({"scenario": {"weights": {"commute": 2.0, "preference": 0.0}}})
    light = build({})
    one = schedule(("F1", "S1", 2024))
    diff = check(heavy, one).objective - check(light, one).objective
    assert abs(diff - check(light, one).terms["commute"]) <= 1


def test_rent_default_and_cluster_support():
    p = build({"sites": {1: {"kind": "cluster", "rent_vnd_per_m2": None}}})
    rep = check(p, schedule(("F1", "S1", 2024)))
    c = p.scenario.costs
    assert rep.terms["rent"] == 4000 * c.rent_cluster_vnd_per_m2
    assert rep.terms["support"] == round(50 * c.support_vnd_per_worker * 0.5
                                         + 4000 * c.support_cluster_vnd_per_m2)


def _plan(problem) -> Plan:
    res = solve(problem, SolveParams(time_limit_s=10, workers=1, seed=0, relative_gap=0.0))
    assert res.status == Status.OPTIMAL
    return decode_plan(problem, res.rows)


def test_check_plan_agrees_with_the_plan_and_reports_stated_totals_that_differ():
    problem = build({"pairs": [{"firm_id": "F2", "site_id": "S1", "cost_vnd": 5 * 10**9,
                                "required_area_m2": 7000.0}]})
    plan = _plan(problem)
    chk = check_plan(problem, plan)
    assert chk.ok, chk.violations
    assert chk.objective == plan.objective and chk.terms == plan.terms
    off = Plan(plan.moves, {**plan.terms, "rent": plan.terms["rent"] + 1}, plan.objective + 1)
    lines = check_plan(problem, off).violations
    assert any(line.startswith("the stated objective") for line in lines), lines
    assert any(line.startswith("term rent: stated") for line in lines), lines


def test_check_plan_names_a_broken_rule_of_the_plan():
    # Without the freed-land value the plan keeps a move at S0 (what the check is about).
    flat = {"weights": {"land_value": 0.0}}
    problem = build({"sites": {0: {"accepts_polluting": False}}, "scenario": flat})
    plan = _plan(problem)
    polluting = build({"sites": {0: {"accepts_polluting": False}},
                       "firms": {i: {"pollution": "high"} for i in range(3)}, "scenario": flat})
    at_s0 = plan.moves["site_id"].eq("S0").any()
    assert at_s0
    res = check_plan(polluting, plan)
    assert at_s0 != res.ok
    if at_s0:
        assert any("does not accept polluting firms" in v for v in res.violations)


@pytest.mark.parametrize(
    ("tables", "words"),
    [
        ({"actuals": actuals(("F1", "sold", "S0", 2024))}, "unknown status 'sold'"),
        ({"decisions": decisions(("F1", "S0", 2024, "prefer"))}, "unknown rule 'prefer'"),
        ({"decisions": decisions(("F1", "S0", "2024.5", "lock"))}, "not a whole year"),
        ({"actuals": actuals(("F1", "moved", "S0", 2024)).drop(columns="site_id")},
         "missing column(s) site_id"),
    ],
)
def test_bad_tables_are_refused(tables, words):
    with pytest.raises(CheckInputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        check(build({}), schedule(*VALID), **tables)


def test_checker_loads_no_model_or_admissibility_code():
    code = ("import sys, relocation.domain.check\n"
            "bad = [m for m in sys.modules if m.split('.')[0] == 'models' or m in "
            "('relocation.domain.costs', 'relocation.domain.assemble', 'ortools')]\n"
            "assert not bad, bad\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=60, env={"PYTHONPATH": str(REPO)}, check=False)
    assert out.returncode == 0, out.stderr



def test_a_scheduled_tenant_of_an_exempt_park_is_named():
    """From tables as given (the workspace's), the checker applies the exemption itself."""
    import dataclasses

    from relocation.domain.check import RuleChecker, check_input_from_problem

    firms = [dict(f) for f in FIRMS]
    firms[0]["origin_park"] = firms[1]["origin_park"] = "KCN_SONGTHAN1"  # F0 is mandatory
    off = {"horizon": {"start": 2024, "end": 2025}, "rules": {"exempt_park_tenants": False}}
    p = make_problem(firms, SITES, off, deadline=2025)
    inp = check_input_from_problem(p)
    on = p.scenario.model_copy(update={"rules": p.scenario.rules.model_copy(
        update={"exempt_park_tenants": True})})
    rep = RuleChecker(dataclasses.replace(inp, scenario=on)).check(schedule(*VALID))
    assert {v.rule for v in rep.violations} == {"exempt"}, rep.lines
    assert any("F1 is a tenant of KCN_SONGTHAN1" in line for line in rep.lines)
    only_f2 = [m for m in VALID if m[0] == "F2"]
    rep = RuleChecker(dataclasses.replace(inp, scenario=on)).check(schedule(*only_f2))
    assert rep.ok, rep.lines  # an exempt mandatory firm is not due either
