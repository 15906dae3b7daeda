"""Infeasible scenarios are explained in planner words, with numbers."""

from __future__ import annotations

from factories import make_problem

from models.conflicts import best_share, conflicting_rules
from models.solve import SolveParams, Status, solve
from relocation.infeasibility import Note, precheck, render, summarise_core

PARAMS = SolveParams(time_limit_s=10, workers=1, relative_gap=0.0)


def test_precheck_quotes_the_processing_capacity():
    firms = [{} for _ in range(10)]
    sc = {"horizon": {"start": 2024, "end": 2026},
          "quota": [{"by_year": 2025, "min_share": 0.5, "max_share": 1.0}],
          "limits": {"max_moves_per_year": 2}}
    p = make_problem(firms, [{"free_area_m2": 1e6}], sc)
    reasons = render(precheck(p), "en")
    assert any("50% by 2025 needs 5 moves" in r and "2 × 2 = 4" in r for r in reasons), reasons
    vi = render(precheck(p), "vi")
    assert any("50% đến hết 2025 cần 5 lượt di dời" in r and "2 × 2 = 4" in r for r in vi), vi
    share = best_share(p, 2025, PARAMS)
    assert share == 0.4  # 2 moves a year, 2 years, 10 firms


def test_land_shortfall_is_found_as_conflicting_rules():
    # Two mandatory firms of 6,000 m² due in 2024; the only site has 10,000 m².
    firms = [{"mandatory": True, "land_area_m2": 6000.0} for _ in range(2)]
    p = make_problem(firms, [{"free_area_m2": 10000.0}],
                     {"horizon": {"start": 2024, "end": 2024}}, deadline=2024)
    assert precheck(p) == []
    assert solve(p, PARAMS).status == Status.INFEASIBLE
    core = conflicting_rules(p)
    assert core is not None
    assert any(k.startswith("capacity:S0") for k in core)
    assert any(k.startswith("deadline:") for k in core)
    text = " ".join(render(summarise_core(p, core), "en"))
    assert "Site 0 (S0)" in text and "1.0 ha" in text and "deadline 2024" in text
    vi = " ".join(render(summarise_core(p, core), "vi"))
    assert "đất của Site 0 (S0)" in vi and "1,0 ha" in vi and "hạn chót 2024" in vi


def test_mandatory_firm_without_any_site_is_named():
    firms = [{"mandatory": True, "sector": "chemicals_paint", "pollution": "high"}]
    p = make_problem(firms, [{"accepts_polluting": False}], deadline=2025)
    reasons = render(precheck(p), "en")
    assert reasons and "F0" in reasons[0] and "no compatible site" in reasons[0]
    assert "không có địa điểm phù hợp" in precheck(p)[0].text("vi")


def test_a_note_renders_numbers_in_the_language_style_and_survives_json():
    import json

    many = Note("rule.many_capacity", {
        "n": 6, "ha": 1234.5, "years": "2025, 2026",
        "sample": [Note("rule.moves", {"year": "2025", "cap": 1650})] * 2})
    back = Note.from_dict(json.loads(json.dumps(many.as_dict())))
    assert back == many
    assert back.text("en") == ("6 capacity rules, e.g. the yearly processing capacity in 2025: "
                               "1,650 moves; the yearly processing capacity in 2025: 1,650 "
                               "moves (together 1,234.5 ha in 2025, 2026)")
    assert back.text("vi") == ("6 quy định về quỹ đất, ví dụ năng lực xử lý hằng năm trong năm "
                               "2025: 1.650 lượt di dời; năng lực xử lý hằng năm trong năm 2025: "
                               "1.650 lượt di dời (tổng cộng 1.234,5 ha trong các năm 2025, 2026)")


def test_a_degraded_search_is_a_code_the_application_words():
    from models.conflicts import find_conflicts, search_best_share
    from relocation.infeasibility import search_note

    p = make_problem([{} for _ in range(3)], [{"free_area_m2": 1e6}],
                     {"horizon": {"start": 2024, "end": 2025}})
    found = find_conflicts(p, time_limit_s=10)
    assert found.rules is None and found.reason == "search.feasible"
    assert search_note(found).text("vi") == (
        "các quy định được bảo vệ cùng được đáp ứng: không có mâu thuẫn")
    share = search_best_share(p, 2025, PARAMS)
    assert share.proven and search_note(share) is None
