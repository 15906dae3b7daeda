"""``explain``'s alternatives agree with a CP-SAT solve of the plan with every move fixed."""

from __future__ import annotations

import numpy as np
import pytest

from models.build import ModelSpec
from models.decode import decode_plan
from models.solve import SolveParams, Status, solve
from relocation.explain import Explainer, explain_firm, explanations_table, format_explanation
from tests.factories import make_problem

PARAMS = SolveParams(time_limit_s=20, workers=1, seed=0, relative_gap=0.0)


def _problem(weights: dict | None = None, **rules: object):  # type: ignore[no-untyped-def]
    sc = {
        "weights": weights or {},
        "horizon": {"start": 2024, "end": 2026},
        "quota": [{"by_year": 2025, "min_share": 0.5, "max_share": 0.75},
                  {"by_year": 2026, "min_share": 1.0}],
        "limits": {"max_moves_per_year": 2},
        "rules": rules,
    }
    return make_problem(
        firms=[
            {"land_area_m2": 8000.0, "employees": 120, "supply_group": "G", "mandatory": True},
            {"land_area_m2": 4000.0, "lon": 106.75, "lat": 10.95, "supply_group": "G"},
            {"land_area_m2": 6000.0, "sector": "garment_footwear", "lon": 106.68},
            {"land_area_m2": 3000.0, "lon": 106.60, "lat": 11.00, "preferred_site_ids": "S2"},
        ],
        sites=[
            {"free_area_m2": 12000.0, "lon": 106.62, "lat": 11.25,
             "accepts_sectors": "wood_furniture"},
            {"free_area_m2": 9000.0, "available_from": 2025, "lon": 106.80, "lat": 11.13,
             "accepts_sectors": "garment_footwear;wood_furniture"},
            {"free_area_m2": 8000.0, "lon": 106.55, "lat": 11.05, "accepts_polluting": False},
        ],
        scenario=sc,
        deadline=2025,
    )


@pytest.mark.parametrize("soft", [False, True])
def test_alternatives_match_a_fixed_resolve(soft: bool) -> None:
    problem = _problem(soft_quota=soft)
    res = solve(problem, PARAMS)
    assert res.status == Status.OPTIMAL
    plan = decode_plan(problem, res.rows)
    opts = problem.options.iloc[res.rows]
    firm, site, year = (opts[c].to_numpy() for c in ("firm", "site", "year"))
    exp = Explainer(problem, firm, site, year)
    fixed = {int(f): (int(s), int(y)) for f, s, y in zip(firm, site, year, strict=True)}
    checked = feasible = 0
    for f in fixed:
        alts = exp.alternatives(f)
        assert len(alts) > 0
        for alt in alts.itertuples(index=False):
            spec = ModelSpec(fix={**fixed, f: (int(alt.site), int(alt.year))})
            other = solve(problem, PARAMS, spec=spec)
            checked += 1
            if alt.blocked:
                assert other.status == Status.INFEASIBLE, (f, alt)
            else:
                feasible += 1
                assert other.status == Status.OPTIMAL, (f, alt)
                assert other.objective - plan.objective == alt.extra_vnd, (f, alt)
                assert alt.extra_vnd >= 0  # the plan is optimal
    assert checked > 10 and feasible > 3 and checked > feasible  # both kinds occur


def test_explain_texts_and_table() -> None:
    # Without the freed-land value F2 waits for S1 (2025) rather than S2 (2024).
    problem = _problem(weights={"land_value": 0.0})
    res = solve(problem, PARAMS)
    opts = problem.options.iloc[res.rows]
    exp = Explainer(problem, *(opts[c].to_numpy() for c in ("firm", "site", "year")))
    d = explain_firm(exp, "F2", "en")
    assert d["chosen"]["site_id"] == "S1"  # the only site taking garment
    reasons = {r["site_id"]: r["reason"] for r in d["ruled_out"]}
    assert "does not accept sector garment_footwear" in reasons["S0"]
    text_vi = format_explanation(explain_firm(exp, "F2", "vi"), "vi")
    assert "không nhận ngành garment_footwear" in text_vi
    table = explanations_table(exp)
    assert list(table["firm_id"]) == ["F0", "F1", "F2", "F3"]
    assert np.all(table["alt1_extra_vnd"].dropna() >= 0)
    with pytest.raises(KeyError):
        explain_firm(exp, "NOPE")
