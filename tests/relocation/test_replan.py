"""The annual review: actuals of each status, history windows, locks, stability, changes.csv."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from geodata.workspace import read_workspace
from relocation.domain.check import check_plan
from relocation.domain.errors import InfeasibleError
from relocation.replan import check_actuals_hold, replan_workspace
from relocation.run_folder import write_run
from relocation.workflow import PlanOptions, plan_scenario
from tests.cli_runner import run_cli
from tests.helpers_workspace import SCENARIO_TOML, write_workspace

SCENARIO = SCENARIO_TOML + """\
[solver]
time_limit_s = 20
workers = 1
relative_gap = 0.0
"""
OPTS = PlanOptions(force=True, render_map=False, lang="en")
ACT = ["firm_id", "status", "site_id", "year", "note"]
DEC = ["firm_id", "site_id", "year", "rule", "note"]


def _workspace(root: Path, actuals: list[list[str]] | None = None,
               decisions: list[list[str]] | None = None, scenario: str = SCENARIO) -> Path:
    extra = {}
    if actuals:
        extra["actuals"] = pd.DataFrame(actuals, columns=ACT, dtype=str)
    if decisions:
        extra["decisions"] = pd.DataFrame(decisions, columns=DEC, dtype=str)
    return write_workspace(root, overrides=extra, scenario=scenario)


def _plan(root: Path, out: Path) -> pd.DataFrame:
    ws = read_workspace(root)
    result = plan_scenario(ws, ws.scenario)
    assert result.plan is not None
    write_run(result, out, force=True, render_map=False)
    return result.plan.moves


def _changes(run: Path) -> pd.DataFrame:
    return pd.read_csv(run / "changes.csv", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("base")
    # The baseline puts firm 0004 at S_BB2 in 2025 (a planners' lock of that year).
    root = _workspace(tmp / "ws", decisions=[["0004", "S_BB2", "2025", "lock", "baseline"]])
    moves = _plan(root, tmp / "run")
    return tmp / "run", moves


def test_unchanged_scenario_changes_no_firm(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    run, moves = baseline
    root = _workspace(tmp_path / "ws", decisions=[["0004", "S_BB2", "2025", "lock", "b"]])
    out = replan_workspace(root, run, tmp_path / "r", OPTS)
    assert out.summary["changes"]["changed_firms"] == 0
    assert _changes(tmp_path / "r").empty
    new = pd.read_csv(tmp_path / "r" / "schedule.csv", dtype={"firm_id": str})
    got = sorted(zip(new["firm_id"], new["year"], new["site_id"], strict=True))
    want = sorted(zip(moves["firm_id"], moves["year"], moves["site_id"], strict=True))
    assert got == want


def test_delayed_park_forces_its_firms(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    run, moves = baseline
    assert moves.set_index("firm_id").at["0004", "site_id"] == "S_BB2"
    root = _workspace(tmp_path / "ws")
    opts = dataclasses.replace(OPTS, overrides={"overrides.site_available_from.S_BB2": 2029})
    out = replan_workspace(root, run, tmp_path / "r", opts)
    ch = _changes(tmp_path / "r").set_index("firm_id")
    assert ch.at["0004", "why"] == "forced"
    assert ch.at["0004", "rule"] == "S_BB2 has no land for the firm before 2029"
    assert out.summary["changes"]["by_why"]["forced"] >= 1
    with pd.ExcelFile(tmp_path / "r" / "schedule.xlsx") as book:
        assert "Thay đổi - Changes" in book.sheet_names


def test_each_status_changes_the_plan(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    run, _ = baseline
    facts = [
        ["0001", "moved", "S_BB1", "2025", "moved early"],
        ["0002", "committed", "S_BB1", "2027", "lease signed"],
        ["0004", "exempt", "", "2025", "removed"],
    ]
    root = _workspace(tmp_path / "ws", facts)
    out = replan_workspace(root, run, tmp_path / "r", OPTS, as_of=2025)
    plan = out.plan
    assert plan is not None and check_actuals_hold(plan, read_workspace(root).actuals) == []
    sched = plan.moves.set_index("firm_id")
    assert set(sched.index) == {"0002"}  # moved and exempt firms are absent
    assert (sched.at["0002", "site_id"], int(sched.at["0002", "year"])) == ("S_BB1", 2027)
    s = json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))
    assert s["firms"]["slated"] == 3  # the exempt firm left the quota base
    assert s["firms"]["moved_before"] == 2  # 0003 (2023) and 0001 (2025) are history
    assert min(int(y) for y in s["moves_per_year"]) >= 2026  # planning starts after as_of
    # History: 2 of 3 firms had moved by 2025: the 25 %–75 % window was met.
    assert s["replan"]["history_windows"][0].startswith("the 2025 window (25%–75%) was met")
    ch = _changes(tmp_path / "r").set_index("firm_id")
    assert ch.at["0001", "why"] == "actual" and ch.at["0004", "why"] == "actual"
    # Land: 0001's 5,000 m² at S_BB1 is taken from 2025 on.
    problem = out.result.problem
    j = problem.sites.index[problem.sites["site_id"] == "S_BB1"][0]
    assert (problem.released_m2[j] - problem.capacity_m2[j]).min() >= 5000 + 0
    # The independent checker (its own rule code) confirms every actual holds.
    assert check_plan(problem, plan).ok, check_plan(problem, plan).violations
    # Freed land: the moved firm's parcel is freed in 2025; the exempt firm's is not.
    ledger = pd.read_csv(tmp_path / "r" / "freed_land.csv", dtype={"firm_id": str},
                         encoding="utf-8-sig").set_index("firm_id")
    assert int(ledger.at["0001", "move_year"]) == 2025
    assert ledger.at["0001", "status"] == "moved_before"
    assert "0004" not in ledger.index


def test_closed_counts_by_the_switch(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    run, _ = baseline
    facts = [["0004", "closed", "", "2024", "ceased trading"]]
    root = _workspace(tmp_path / "ws", facts)
    on = replan_workspace(root, run, tmp_path / "on", OPTS, as_of=2025)
    assert on.summary["firms"]["slated"] == 4 and on.summary["firms"]["moved_before"] == 2
    opts = dataclasses.replace(OPTS, overrides={"rules.closed_counts_in_quota": False})
    off = replan_workspace(root, run, tmp_path / "off", opts, as_of=2025)
    assert off.summary["firms"]["slated"] == 3 and off.summary["firms"]["moved_before"] == 1
    for r in (on, off):
        assert "0004" not in set(r.plan.moves["firm_id"])


def test_missed_history_window_is_reported_not_fatal(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    run, _ = baseline
    # Nothing recorded by 2025: 1 of 4 firms (the 2023 move) had moved, 25 % is 1 firm: met;
    # a 50 % window is missed by one firm, and the plan still goes on.
    scenario = SCENARIO.replace("min_share = 0.25", "min_share = 0.5")
    root = _workspace(tmp_path / "ws", scenario=scenario)
    out = replan_workspace(root, run, tmp_path / "r", OPTS, as_of=2025)
    text = out.summary["replan"]["history_windows"][0]
    assert text.startswith("the 2025 window was missed by 1 firms")
    assert out.plan is not None
    # The terminal says it in the run's language.
    from relocation.report import replan_report

    vi = replan_report(out.summary, "vi")
    assert "  lịch sử: cửa sổ 2025 còn thiếu 1 doanh nghiệp: 1 trên 4 (25,0%) đã di dời, " \
        "cần ít nhất 2 (50%)" in vi
    assert "  cảnh báo: cửa sổ 2025 còn thiếu" not in vi  # a history line is not repeated
    assert "history: the 2025 window was missed by 1 firms" in replan_report(out.summary, "en")


def test_locks_and_forbids_are_honoured(tmp_path: Path) -> None:
    decisions = [["0001", "S_BB2", "*", "lock", "planners"], ["0004", "*", "2026", "lock", ""],
                 ["0004", "S_BB2", "*", "forbid", ""], ["0002", "*", "2025", "forbid", ""]]
    root = _workspace(tmp_path / "ws", decisions=decisions)
    moves = _plan(root, tmp_path / "run").set_index("firm_id")
    assert moves.at["0001", "site_id"] == "S_BB2"
    assert (moves.at["0004", "site_id"], moves.at["0004", "year"]) == ("S_BB1", 2026)
    assert moves.at["0002", "year"] != 2025


def test_impossible_future_window_exits_3(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    run, _ = baseline
    root = _workspace(tmp_path / "ws", [["0002", "committed", "S_BB1", "2027", ""]])
    opts = dataclasses.replace(OPTS, overrides={"quota": [{"by_year": 2026, "min_share": 1.0}]})
    with pytest.raises(InfeasibleError):
        replan_workspace(root, run, tmp_path / "r", opts, as_of=2025)


def test_cli_replan_and_bad_actuals(tmp_path: Path, baseline) -> None:  # type: ignore[no-untyped-def]
    run, _ = baseline
    root = _workspace(tmp_path / "ws", [["0001", "moved", "S_BB1", "2026", ""]])
    bad = run_cli("replan", str(root), "--baseline", str(run), "--out", str(tmp_path / "r"),
                  "--quiet")
    assert bad.returncode == 2
    assert "actuals.csv, row 2, column year" in bad.stderr and "--as-of 2026" in bad.stderr
    assert not (tmp_path / "r").exists()
    ok = run_cli("replan", str(root), "--baseline", str(run), "--out", str(tmp_path / "r"),
                 "--as-of", "2026", "--quiet")
    assert ok.returncode == 0, ok.stderr
    assert "annual review as of 2026" in ok.stdout
    exp = run_cli("explain", str(tmp_path / "r"), "0002", "--lang", "en")
    assert exp.returncode == 0, exp.stderr
    assert "Chosen move" in exp.stdout


def test_contradicting_lock_exits_2(tmp_path: Path) -> None:
    # S_BB2 does not take polluting firms: locking the textile dyer 0002 there is refused.
    root = _workspace(tmp_path / "ws", decisions=[["0002", "S_BB2", "*", "lock", ""]])
    res = run_cli("plan", str(root), "--out", str(tmp_path / "run"), "--quiet")
    assert res.returncode == 2
    assert "decisions.csv, row 2, column site_id" in res.stderr
    assert "the lock contradicts a site rule" in res.stderr
    assert not (tmp_path / "run").exists()


def test_clearance_target_in_the_past_is_reported_met_or_missed() -> None:
    from relocation.domain.scenario import Scenario
    from relocation.replan import history_clearance

    firms = pd.DataFrame({
        "firm_id": ["A", "B", "C", "D", "E"],
        "origin_park": ["P", "P", "P", "P", "Q"],
        "moved_year": pd.array([2023, None, None, None, None], dtype="Int64"),
    })
    sc = Scenario.model_validate({"clearance": [{"park": "P", "by_year": 2025},
                                                {"park": "Q", "by_year": 2027}]})
    facts = pd.DataFrame({"firm_id": ["B", "C", "D"], "status": ["moved", "exempt", "closed"],
                          "year": [2025, 2024, 2026]})
    (p,) = history_clearance(firms, facts, sc, as_of=2026)  # Q's target is still ahead
    # A moved before the horizon, B in 2025, C left the list; D closed only in 2026.
    assert (p["park"], p["firms"], p["remaining"], p["met"]) == ("P", 3, 1, False)
    assert "missed: 1 of its 3 firms had not left" in p["text"]
    assert p["text_vi"] == ("chỉ tiêu giải toả khu P đến hết 2025 chưa đạt: 1 trên 3 doanh "
                            "nghiệp chưa rời đi (được lập kế hoạch từ 2027)")
    facts.loc[2, "year"] = 2025
    (p,) = history_clearance(firms, facts, sc, as_of=2026)
    assert p["met"] and p["remaining"] == 0
    assert p["text_vi"].endswith("đã đạt: cả 3 doanh nghiệp đã rời đi")
