"""Wall time of a 9-scenario quota sweep against one plan, on the embedded demo (issue 14).

Target: the sweep of 9 quota floors (0.25, 0.275, …, 0.45 by 2025), each scenario with the
same stopping rule as a single plan (the same ``--time-limit`` and the demo's relative
gap), takes at most 2.5× the median wall time of 3 single plans, on 2 cores. Both are
measured end to end as the commands a consultant runs (``relocation plan`` and
``relocation sweep --force``, process start, cluster start and the output files each
writes by default included: every file of the run folder for ``plan``, each scenario's
plan files and the comparison for the sweep), side by side in one run: the single plan
``--runs`` times (median), then the sweep ``--sweep-runs`` times (median); with
``--also-all`` the sweep with ``--outputs all`` (workbooks, GeoPackages and maps too) is
timed as well.

    .venv/bin/python benchmarks/sweep_bench.py [--runs 3] [--sweep-runs 1]
        [--time-limit S] [--workers-total 2] [--also-all] [--out benchmarks/out/sweep_bench]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "geodata" / "demo"
FLOORS = [0.25 + 0.025 * k for k in range(9)]


def _run(args: list[str], log: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.monotonic()
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.run(
            [sys.executable, "-m", "relocation.cli", *args],
            stdout=fh, stderr=subprocess.STDOUT, env=env, check=False,
        )
    wall = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed (exit {proc.returncode}); see {log}")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="single plans to time (median)")
    ap.add_argument("--sweep-runs", type=int, default=1, help="sweeps to time (median)")
    ap.add_argument("--workers-total", type=int, default=2, help="cores the sweep may use")
    ap.add_argument("--time-limit", type=float, default=None,
                    help="solver time limit of every plan and scenario, s (default: the "
                    "demo scenario's)")
    ap.add_argument("--also-all", action="store_true",
                    help="also time the sweep with --outputs all")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "sweep_bench")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    quota = ",".join(f"{f:.3f}" for f in FLOORS)
    limit = [] if a.time_limit is None else ["--time-limit", f"{a.time_limit:g}"]

    singles = []
    for i in range(a.runs):
        t = _run(["plan", str(DEMO), "--out", str(a.out / "single"), "--force", "--quiet",
                  *limit],
                 a.out / f"single_{i}.log")
        singles.append(t)
        print(f"single plan {i + 1}/{a.runs}: {t:.1f} s", flush=True)
    sweeps = []
    for i in range(a.sweep_runs):
        t = _run(["sweep", str(DEMO), "--quota", quota, "--out", str(a.out / "sweep"),
                  "--force", "--quiet", "--workers-total", str(a.workers_total), *limit],
                 a.out / f"sweep_{i}.log")
        sweeps.append(t)
        print(f"sweep {i + 1}/{a.sweep_runs} (9 scenarios, --outputs plans): {t:.1f} s",
              flush=True)
    sweep_all = None
    if a.also_all:
        sweep_all = _run(["sweep", str(DEMO), "--quota", quota, "--out",
                          str(a.out / "sweep_all"), "--force", "--quiet", "--outputs", "all",
                          "--workers-total", str(a.workers_total), *limit],
                         a.out / "sweep_all.log")
        print(f"sweep (9 scenarios, --outputs all): {sweep_all:.1f} s", flush=True)

    single, sweep = statistics.median(singles), statistics.median(sweeps)
    comp = pd.read_csv(a.out / "sweep" / "comparison.csv", encoding="utf-8-sig")
    summary = json.loads((a.out / "single" / "summary.json").read_text(encoding="utf-8"))
    print()
    print(f"cores: {os.cpu_count()}, sweep workers total: {a.workers_total}")
    print(f"one plan (median of {a.runs}):        {single:7.1f} s "
          f"(solve {summary['wall_time_s']:.1f} s, gap {summary['gap']:.3%})")
    print(f"sweep of 9 (median of {a.sweep_runs}):       {sweep:7.1f} s")
    print(f"ratio sweep / plan:               {sweep / single:7.2f}  (target ≤ 2.5)")
    if sweep_all is not None:
        print(f"sweep --outputs all:              {sweep_all:7.1f} s "
              f"(ratio {sweep_all / single:.2f})")
    print()
    cols = ["scenario", "status", "gap", "wall_time_s", "share_2025", "cost_vnd"]
    show = comp[cols].copy()
    show["cost_vnd"] = (show["cost_vnd"] / 1e9).round(1)
    print(show.rename(columns={"cost_vnd": "cost_bn_vnd"}).to_string(index=False))
    result = {
        "cores": os.cpu_count(),
        "workers_total": a.workers_total,
        "single_s": singles,
        "sweep_s": sweeps,
        "single_median_s": single,
        "sweep_median_s": sweep,
        "ratio": sweep / single,
        "target_ratio": 2.5,
        "time_limit_s": a.time_limit,
        "sweep_outputs_all_s": sweep_all,
    }
    (a.out / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
