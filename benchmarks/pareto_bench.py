"""The cost–disruption front of the embedded demo: points, proofs and wall time (issue 14).

Target: ``relocation pareto`` on the demo gives at least 7 non-dominated points within
5 minutes end to end (process start, cluster start and outputs included), each proven
within 0.1 % (its last stage's gap). Runs the command as a consultant does, with the
default cost tolerances (or ``--tolerances``), then reads ``pareto.csv`` and prints each
point and the figures against the target.

    .venv/bin/python benchmarks/pareto_bench.py [--time-limit 60] [--workers-total 2]
        [--tolerances 0,0.25%,...] [--out benchmarks/out/pareto_bench]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "geodata" / "demo"
TARGET_POINTS = 7
TARGET_WALL_S = 300.0
TARGET_GAP = 0.001


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=60.0, help="solver limit per point, s")
    ap.add_argument("--workers-total", type=int, default=2, help="cores the run may use")
    ap.add_argument("--tolerances", default=None, help="cost tolerances (default: the CLI's)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "pareto_bench")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    folder = a.out / "front"
    args = [sys.executable, "-m", "relocation.cli", "pareto", str(DEMO), "--out", str(folder),
            "--force", "--quiet", "--time-limit", f"{a.time_limit:g}",
            "--workers-total", str(a.workers_total), "--gap", str(TARGET_GAP)]
    if a.tolerances:
        args += ["--tolerances", a.tolerances]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = a.out / "pareto.log"
    t0 = time.monotonic()
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.run(args, stdout=fh, stderr=subprocess.STDOUT, env=env, check=False)
    wall = time.monotonic() - t0
    if proc.returncode not in (0, 4):
        raise SystemExit(f"pareto failed (exit {proc.returncode}); see {log}")
    df = pd.read_csv(folder / "pareto.csv", encoding="utf-8-sig")
    solve_s = [
        json.loads((folder / f / "summary.json").read_text(encoding="utf-8")).get("wall_time_s")
        for f in df["folder"]
    ]
    show = df[["point", "cost_tolerance", "status", "cost_vnd", "disruption_vnd", "gap",
               "least_cost_gap", "proven", "dominated"]].copy()
    show["cost_bn"] = (show.pop("cost_vnd") / 1e9).round(1)
    show["disruption_bn"] = (show.pop("disruption_vnd") / 1e9).round(1)
    show["solve_s"] = solve_s
    print(show.to_string(index=False))
    has = df["cost_vnd"].notna()
    front = df[has & ~df["dominated"]]
    proven_front = front[front["proven"]]
    print()
    print(f"cores: {os.cpu_count()}, workers total: {a.workers_total}, "
          f"time limit per point: {a.time_limit:g} s, exit {proc.returncode}")
    print(f"wall time end to end:          {wall:7.1f} s  (target ≤ {TARGET_WALL_S:.0f} s)")
    print(f"points with a plan:            {int(has.sum()):3d} of {len(df)}")
    print(f"non-dominated points:          {len(front):3d}  (target ≥ {TARGET_POINTS})")
    print(f"  of them proven within {TARGET_GAP:.1%}: {len(proven_front):3d}  "
          f"(target: all, ≥ {TARGET_POINTS})")
    gaps = front["gap"].dropna()
    if len(gaps):
        print(f"  gap of the front: max {gaps.max():.3%}, median {gaps.median():.3%}")
    met = wall <= TARGET_WALL_S and len(proven_front) >= TARGET_POINTS and len(front) == len(
        proven_front)
    print(f"target met: {'yes' if met else 'no'}")
    result = {
        "wall_s": wall,
        "exit": proc.returncode,
        "points": len(df),
        "non_dominated": len(front),
        "non_dominated_proven": len(proven_front),
        "max_front_gap": None if not len(gaps) else float(gaps.max()),
        "time_limit_s": a.time_limit,
        "workers_total": a.workers_total,
        "target_met": met,
    }
    (a.out / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
