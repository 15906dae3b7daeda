"""Bad input through the real CLI: exit 2, a message naming file/row/column, no run folder.

Each case is a complete workspace on disk with one thing broken (``corpus.BAD_CASES``).
A well-formed scenario the data cannot satisfy is not bad input: it exits 3 with an
explanation and a run folder holding only ``summary.json``.
"""

from __future__ import annotations

import json

import pytest
from corpus import BAD_CASES, SCENARIO_TOML, VALID_CASES, run_cli, write_base


def _leftovers(parent, name):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def test_the_corpus_is_large_enough():
    assert len(BAD_CASES) >= 25
    assert len({c.id for c in BAD_CASES}) == len(BAD_CASES)


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.id for c in BAD_CASES])
def test_bad_input_is_refused_with_exit_2(tmp_path, case):
    ws = tmp_path / "ws"
    ws.mkdir()
    case.build(ws)
    out = tmp_path / "runs" / "run"
    res = run_cli("plan", str(ws), "--out", str(out), "--quiet", *case.args)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    for fragment in case.expect:
        assert fragment in res.stderr, f"{fragment!r} not in:\n{res.stderr}"
    assert not out.exists()
    parent = out.parent
    assert not parent.exists() or _leftovers(parent, out.name) == []


def test_validate_refuses_the_same_input(tmp_path):
    # The validate command shares the reader: one representative case is enough here.
    case = next(c for c in BAD_CASES if c.id == "duplicate_id")
    case.build(tmp_path)
    res = run_cli("validate", str(tmp_path))
    assert res.returncode == 2 and "duplicate firm_id" in res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("case", VALID_CASES, ids=[c.id for c in VALID_CASES])
def test_unusual_but_valid_input_plans(tmp_path, case):
    ws = tmp_path / "ws"
    ws.mkdir()
    case.build(ws)
    out = tmp_path / "run"
    res = run_cli("plan", str(ws), "--out", str(out), "--quiet", "--workers", "1")
    assert res.returncode == 0, res.stderr
    checked = run_cli("validate", str(ws))
    assert checked.returncode == 0 and checked.stdout.startswith("OK: 4 firms")
    for fragment in case.expect:
        assert fragment in checked.stderr
    schedule = (out / "schedule.csv").read_text(encoding="utf-8-sig")
    # Names arrive with their diacritics, whatever the input encoding was.
    assert "Công ty Gỗ Thuận An" in schedule


def test_infeasible_scenario_exits_3_with_only_a_summary(tmp_path):
    # Every firm moved by 2024 is impossible: firm 0002 is not ready before 2025.
    scenario = SCENARIO_TOML.replace("by_year = 2025", "by_year = 2024").replace(
        "min_share = 0.25\nmax_share = 0.75", "min_share = 1.0\nmax_share = 1.0"
    )
    ws = write_base(tmp_path / "ws", scenario=scenario)
    out = tmp_path / "run"
    res = run_cli("plan", str(ws), "--out", str(out), "--quiet", "--workers", "1",
                  "--time-limit", "20")
    assert res.returncode == 3, res.stderr
    assert "infeasible" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) >= 2  # an explanation follows the verdict
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "INFEASIBLE"
    assert summary["explanation"]
    assert _leftovers(tmp_path, "run") == []
