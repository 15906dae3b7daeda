"""One override engine: ``plan``, ``sweep`` and ``replan`` accept and refuse the same keys.

Each key goes through every command as a user types them (a subprocess each); the exit code
and the whole error output must be the same.
"""

from __future__ import annotations

import pytest
from cli_runner import run_cli
from helpers_workspace import write_workspace

#: key=value → what the message says (None: accepted).
CASES = {
    "limits.max_moves_per_year=3": None,
    "limits.max_moves=5": "unknown key 'limits.max_moves'; [limits] has max_moves_per_year",
    "solver.time_limt_s=5": "[solver] has time_limit_s",
    "quota.0.min_share=2": "less than or equal to 1",
    "quota.0.min_share=0.8": "min_share (0.8) is above max_share (0.75)",
    "quota.1.by_year=2027": "quota.1: no such list item (quota has 1",
    "quota.first.min_share=0.3": "quota is a list",
    "horizon.start.year=2024": "horizon.start is a value, not a table",
    "limits.max_moves_per_year=many": "valid integer",
    "overrides.site_available_from.S_NOPE=2027": "unknown site id",
    "overrides.zone_deadline.Z_NOPE=2029": "unknown zone id",
}


@pytest.fixture(scope="module")
def ws_dir(tmp_path_factory):
    return write_workspace(tmp_path_factory.mktemp("ws"))


@pytest.fixture(scope="module")
def baseline(ws_dir, tmp_path_factory):
    run = tmp_path_factory.mktemp("base") / "run"
    done = run_cli("plan", str(ws_dir), "--out", str(run), "--workers", "1", "--quiet",
                   "--time-limit", "10")
    assert done.returncode == 0, done.stderr
    return run


@pytest.mark.parametrize("setting", list(CASES))
def test_plan_sweep_and_replan_agree_on_every_key(ws_dir, baseline, tmp_path, setting):
    common = ("--set", setting, "--time-limit", "10", "--quiet")
    plan = run_cli("plan", str(ws_dir), "--out", str(tmp_path / "run"), "--workers", "1",
                   *common)
    sweep = run_cli("sweep", str(ws_dir), "--quota", "0.5", "--out", str(tmp_path / "sweep"),
                    "--workers-total", "1", *common)
    replan = run_cli("replan", str(ws_dir), "--baseline", str(baseline),
                     "--out", str(tmp_path / "replan"), "--workers", "1", *common)
    words = CASES[setting]
    if words is None:
        codes = (plan.returncode, sweep.returncode, replan.returncode)
        assert codes == (0, 0, 0), plan.stderr + sweep.stderr + replan.stderr
        return
    assert plan.returncode == sweep.returncode == replan.returncode == 2, (
        plan.stderr + sweep.stderr + replan.stderr
    )
    key = setting.partition("=")[0]
    assert f"--set {key} (value " in plan.stderr, plan.stderr
    assert words in plan.stderr, plan.stderr
    assert "relocation/" not in plan.stderr  # no source file is named
    assert plan.stderr == sweep.stderr == replan.stderr
    for folder in ("run", "sweep", "replan"):
        assert not (tmp_path / folder).exists(), folder
