"""scripts/check_schedule.py: the solver-independent check of a schedule against its workspace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
from helpers_workspace import write_workspace

from relocation.workflow import PlanOptions, plan_workspace

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "check_schedule.py"


def _check(ws: Path, run: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(ws), str(run)], capture_output=True,
                          text=True, timeout=120, check=False, cwd=REPO,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_script_imports_no_model_code():
    text = SCRIPT.read_text(encoding="utf-8")
    assert "models" not in {line.split()[1].split(".")[0] for line in text.splitlines()
                            if line.startswith(("import ", "from "))}
    assert "relocation.domain.check" not in text and "relocation.domain.costs" not in text


def test_plan_passes_and_broken_schedules_are_caught(tmp_path):
    ws = write_workspace(tmp_path / "ws")
    run = tmp_path / "run"
    plan_workspace(ws, run, PlanOptions(time_limit_s=20, workers=1, render_map=False))
    ok = _check(ws, run)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "no broken rule" in ok.stdout

    sched = pd.read_csv(run / "schedule.csv", encoding="utf-8-sig", dtype=str)
    broken = pd.concat([sched, sched.iloc[[0]]])  # one firm moves twice
    broken.loc[broken.index[0], "year"] = "1999"  # and one moves outside the horizon
    broken.to_csv(run / "schedule.csv", index=False, encoding="utf-8-sig")
    bad = _check(ws, run)
    assert bad.returncode == 1
    assert "moves twice" in bad.stdout and "outside the horizon" in bad.stdout
