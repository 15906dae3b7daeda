"""scripts/check_schedule.py: the solver-independent check of a run folder against its workspace."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from helpers_workspace import write_workspace

from relocation.workflow import PlanOptions, plan_workspace

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "check_schedule.py"


def _check(ws: Path, run: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(ws), str(run), *extra],
                          capture_output=True, text=True, timeout=120, check=False, cwd=REPO,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("check_script")
    ws = write_workspace(root / "ws")
    run = root / "run"
    plan_workspace(ws, run, PlanOptions(time_limit_s=20, workers=1, render_map=False))
    return ws, run


@pytest.fixture
def run_copy(planned, tmp_path) -> tuple[Path, Path]:
    ws, run = planned
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    return ws, copy


def _schedule(run: Path) -> pd.DataFrame:
    return pd.read_csv(run / "schedule.csv", encoding="utf-8-sig", dtype=str)


def _write_schedule(run: Path, frame: pd.DataFrame) -> None:
    frame.to_csv(run / "schedule.csv", index=False, encoding="utf-8-sig")


def test_script_imports_no_model_or_rule_code():
    text = SCRIPT.read_text(encoding="utf-8")
    imported = re.findall(r"^(?:from|import) ([\w.]+)", text, flags=re.M)
    assert not [m for m in imported if m.split(".")[0] == "models"], imported
    assert "relocation.domain.costs" not in imported
    assert "relocation.domain.assemble" not in imported
    assert "relocation.domain.check" in imported  # the one independent checker


def test_plan_passes(planned):
    ok = _check(*planned)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "no broken rule" in ok.stdout


def test_broken_schedules_are_caught(run_copy):
    ws, run = run_copy
    sched = _schedule(run)
    broken = pd.concat([sched, sched.iloc[[0]]])  # one firm moves twice
    broken.loc[broken.index[0], "year"] = "1999"  # and one moves outside the horizon
    _write_schedule(run, broken)
    bad = _check(ws, run)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "[one_move]" in bad.stdout and "outside the horizon 2024–2030" in bad.stdout


def test_budget_rule_is_checked(run_copy):
    ws, run = run_copy
    sched = _schedule(run)
    per_year = sched.assign(s=sched["support_vnd"].astype(int)).groupby("year")["s"].sum()
    # The support column is discounted; the budget counts nominal support, so a budget of
    # the largest discounted year less one VND is broken in that year or an earlier one.
    budget = int(per_year.max()) - 1
    scenario = tomllib.loads((run / "scenario.toml").read_text(encoding="utf-8"))
    text = (run / "scenario.toml").read_text(encoding="utf-8")
    if "limits" in scenario:
        text = text.replace("[limits]", f"[limits]\nbudget_vnd_per_year = {budget}")
    else:
        text += f"\n[limits]\nbudget_vnd_per_year = {budget}\n"
    (run / "scenario.toml").write_text(text, encoding="utf-8")
    bad = _check(ws, run)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "[budget]" in bad.stdout and "over the yearly budget" in bad.stdout


def test_stated_objective_is_compared(run_copy):
    ws, run = run_copy
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    summary["weighted_objective"] += 1000
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    bad = _check(ws, run)
    assert bad.returncode == 1
    assert "[objective] the stated objective" in bad.stdout


def test_actuals_and_decisions_files(run_copy, tmp_path):
    ws, run = run_copy
    first = _schedule(run).iloc[0]
    actuals = tmp_path / "actuals.csv"
    actuals.write_text(f"firm_id,status,site_id,year,note\n{first.firm_id},closed,,2024,\n",
                       encoding="utf-8")
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(f"firm_id,site_id,year,rule,note\n{first.firm_id},{first.site_id},*,"
                         "forbid,\n", encoding="utf-8")
    bad = _check(ws, run, "--actuals", str(actuals), "--decisions", str(decisions))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert f"firm {first.firm_id} is closed (actuals)" in bad.stdout
    assert f"firm {first.firm_id} may not move to {first.site_id} (decisions)" in bad.stdout


@pytest.mark.parametrize("damage", ["no_schedule", "bad_year", "no_column", "bad_status"])
def test_bad_input_exits_2(run_copy, tmp_path, damage):
    ws, run = run_copy
    extra: list[str] = []
    if damage == "no_schedule":
        (run / "schedule.csv").unlink()
    elif damage == "bad_year":
        sched = _schedule(run)
        sched.loc[0, "year"] = "next year"
        _write_schedule(run, sched)
    elif damage == "no_column":
        _write_schedule(run, _schedule(run).drop(columns="site_id"))
    else:
        path = tmp_path / "actuals.csv"
        path.write_text("firm_id,status,site_id,year,note\n0001,sold,,2024,\n", encoding="utf-8")
        extra = ["--actuals", str(path)]
    bad = _check(ws, run, *extra)
    assert bad.returncode == 2, bad.stdout + bad.stderr
    assert bad.stderr.startswith("bad input: ")


def test_bad_workspace_exits_2(planned, tmp_path):
    _, run = planned
    bad = _check(tmp_path / "missing", run)
    assert bad.returncode == 2
