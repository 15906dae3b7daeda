"""Speed of the independent rule checker on a planned run (default: the embedded demo).

Plans the demo once (``relocation demo``, 20 s limit) unless ``--run`` names a run folder,
then times, over ``--repeats`` runs, building the checker from the problem
(``check_input_from_problem`` + ``RuleChecker``), checking the schedule, the whole
``check_plan`` adapter, and ``scripts/check_schedule.py``'s work (reading the workspace,
measuring distances, checking). Prints the median of each, in seconds.

    .venv/bin/python benchmarks/check_bench.py [--run RUN] [--workspace WS] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import pandas as pd  # noqa: E402
from check_schedule import check as check_run  # noqa: E402

from geodata.adapter import to_problem  # noqa: E402
from geodata.workspace import demo_dir, read_workspace  # noqa: E402
from relocation.domain.check import (  # noqa: E402
    RuleChecker,
    check_input_from_problem,
    check_plan,
)
from relocation.domain.problem import ALL_TERMS, Plan  # noqa: E402
from relocation.domain.scenario import Scenario  # noqa: E402


def _median(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, help="a run folder (default: plan the demo)")
    ap.add_argument("--workspace", type=Path, help="its workspace (default: the demo)")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    ws_path = args.workspace or demo_dir()
    run = args.run
    if run is None:
        run = ROOT / "benchmarks" / "out" / "check_bench" / "demo_run"
        run.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "relocation.cli", "demo", "--out", str(run),
                        "--force", "--quiet", "--time-limit", "20"], cwd=ROOT, check=True,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    ws = read_workspace(ws_path)
    sc = Scenario.model_validate(tomllib.loads((run / "scenario.toml").read_text("utf-8")))
    problem = to_problem(ws, sc)
    schedule = pd.read_csv(run / "schedule.csv", encoding="utf-8-sig",
                           dtype={"firm_id": str, "site_id": str})
    plan = Plan(schedule, {t: int(schedule[f"{t}_vnd"].sum()) for t in ALL_TERMS
                           if f"{t}_vnd" in schedule}, 0)
    print(f"{len(problem.firms):,} firms × {len(problem.sites)} sites × "
          f"{len(problem.years)} years, {len(schedule):,} moves")

    t_prep, rc = _median(lambda: RuleChecker(check_input_from_problem(problem)), args.repeats)
    t_check, rep = _median(lambda: rc.check(schedule), args.repeats)
    t_plan, _ = _median(lambda: check_plan(problem, plan), args.repeats)
    t_script, bad = _median(lambda: check_run(ws_path, run), args.repeats)
    print(f"prepare the checker      {t_prep:.4f} s")
    print(f"check the schedule       {t_check:.4f} s  ({len(rep.violations)} broken rules)")
    print(f"check_plan (both)        {t_plan:.4f} s")
    print(f"script: read+measure+check {t_script:.4f} s  ({len(bad)} broken rules)")


if __name__ == "__main__":
    main()
