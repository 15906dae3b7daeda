"""``explain``'s alternatives agree with a CP-SAT solve of the plan with every move fixed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.build import ModelSpec
from models.decode import decode_plan
from models.solve import SolveParams, Status, solve
from relocation.explain import (
    _KINDS,
    Explainer,
    explain_firm,
    explanations_table,
    format_explanation,
)
from tests.factories import make_problem

PARAMS = SolveParams(time_limit_s=20, workers=1, seed=0, relative_gap=0.0)


def _problem(weights: dict | None = None, limits: dict | None = None,  # type: ignore[no-untyped-def]
             **rules: object):
    sc = {
        "weights": weights or {},
        "horizon": {"start": 2024, "end": 2026},
        "quota": [{"by_year": 2025, "min_share": 0.5, "max_share": 0.75},
                  {"by_year": 2026, "min_share": 1.0}],
        "limits": {"max_moves_per_year": 2, **(limits or {})},
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


def _check_short_against_explain_firm(exp: Explainer) -> set[str]:
    """Assert :meth:`Explainer.short_explanations` says what :func:`explain_firm` says.

    Returns the kinds of nearest-site answers met (``rule``, ``possible``).
    """
    short = exp.short_explanations()
    p = exp.problem
    assert list(short["firm_id"]) == list(p.firms["firm_id"].to_numpy()[exp.firm])
    # Every alternative of every firm at once: the same rule (and year) and extra cost.
    k_of = np.full(len(p.firms), -1)
    k_of[exp.firm] = np.arange(len(exp.firm))
    kk = k_of[p.options["firm"].to_numpy()]
    rows = np.flatnonzero(kk >= 0)
    rows = rows[rows != exp.row[kk[rows]]]
    kind, kyear, extra = exp._blocked_arrays(rows, kk[rows])
    codes = ["" if c == 0 else f"{_KINDS[c]}:{y}" for c, y in zip(kind, kyear, strict=True)]
    cols = p.options.iloc[rows]
    together = sorted(zip(kk[rows], cols["site"], cols["year"], extra, codes, strict=True))
    one_by_one = sorted(
        (k, s, y, x, b)
        for k, f in enumerate(exp.firm)
        for s, y, x, b in zip(*exp.alternative_arrays(int(f)), strict=True)
    )
    assert together == one_by_one
    kinds = set()
    for r in short.itertuples(index=False):
        d_en, d_vi = explain_firm(exp, r.firm_id, "en"), explain_firm(exp, r.firm_id, "vi")
        a = d_en["alternatives"][0] if d_en["alternatives"] else None
        want = None if a is None else (a["site_id"], a["year"], a["extra_vnd"])
        got = None if r.alt_site_id == "" else (r.alt_site_id, int(r.alt_year),
                                                int(r.alt_extra_vnd))
        assert got == want, r
        if r.near_site_id == "":  # the problem has no other site
            assert len(p.sites) == 1
            continue
        en = next(x["reason"] for x in d_en["ruled_out"] if x["site_id"] == r.near_site_id)
        vi = next(x["reason"] for x in d_vi["ruled_out"] if x["site_id"] == r.near_site_id)
        if r.near_reason_en:  # ruled out: the same rule, in both languages
            assert pd.isna(r.near_year) and pd.isna(r.near_extra_vnd)
            assert (r.near_reason_en, r.near_reason_vi) == (en, vi), r
            kinds.add("rule")
        else:  # possible: the same year and extra cost as explain's text
            extra = f"{abs(int(r.near_extra_vnd)) / 1e9:,.2f} bn VND ({int(r.near_year)})"
            assert en.endswith(extra), (r, en)
            kinds.add("possible")
    return kinds


@pytest.mark.parametrize("soft", [False, True])
def test_short_explanations_agree_with_explain_firm(soft: bool) -> None:
    problem = _problem(soft_quota=soft)
    res = solve(problem, PARAMS)
    assert res.status == Status.OPTIMAL
    opts = problem.options.iloc[res.rows]
    exp = Explainer(problem, *(opts[c].to_numpy() for c in ("firm", "site", "year")))
    assert _check_short_against_explain_firm(exp) == {"rule", "possible"}
    assert len(exp.short_explanations()) == 4


@st.composite
def _busy_problems(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    """Problems with room for alternatives: 3–6 firms, 2–3 sites, 2–3 years, tight rules."""
    end = 2024 + draw(st.integers(1, 2))
    firms = [
        {
            "sector": draw(st.sampled_from(("wood_furniture", "garment_footwear"))),
            "pollution": draw(st.sampled_from(("high", "low", "low"))),
            "land_area_m2": float(draw(st.integers(1, 6)) * 1000),
            "employees": draw(st.integers(0, 150)),
            "mandatory": draw(st.sampled_from((False, False, True))),
            "earliest_year": draw(st.sampled_from((2024, 2024, end))),
            "supply_group": draw(st.sampled_from(("", "G", "G"))),
            "lon": 106.6 + draw(st.integers(0, 20)) / 100,
        }
        for _ in range(draw(st.integers(3, 6)))
    ]
    sites = [
        {
            "free_area_m2": float(draw(st.integers(5, 16)) * 1000),
            "available_from": draw(st.sampled_from((2024, 2024, end))),
            "accepts_sectors": draw(st.sampled_from(("*", "*", "garment_footwear"))),
            "accepts_polluting": draw(st.booleans()),
            "lat": 11.1 + draw(st.integers(0, 20)) / 100,
        }
        for _ in range(draw(st.integers(2, 3)))
    ]
    lo = draw(st.sampled_from((0.0, 0.2)))
    hi = draw(st.sampled_from((0.67, 1.0, *((0.0,) if lo == 0 else ()))))
    sc: dict = {
        "horizon": {"start": 2024, "end": end},
        "quota": [{"by_year": 2024, "min_share": lo, "max_share": hi}],
        "limits": {"max_moves_per_year": draw(st.sampled_from((None, 2, 3))),
                   "budget_vnd_per_year": draw(st.sampled_from(
                       (None, 6_000_000_000, 9_000_000_000)))},
        "rules": {"soft_quota": draw(st.booleans())},
    }
    return make_problem(firms, sites, sc, deadline=draw(st.sampled_from((None, end))))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_busy_problems())
def test_short_explanations_agree_on_generated_problems(problem) -> None:  # type: ignore[no-untyped-def]
    # Sectors, pollution, land by year, yearly moves and budgets, hard and soft quotas and
    # supply groups, on any plan the solver finds (optimal or not).
    res = solve(problem, SolveParams(time_limit_s=5, workers=1, seed=0))
    if res.status not in (Status.OPTIMAL, Status.FEASIBLE):
        return
    opts = problem.options.iloc[res.rows]
    exp = Explainer(problem, *(opts[c].to_numpy() for c in ("firm", "site", "year")))
    _check_short_against_explain_firm(exp)
