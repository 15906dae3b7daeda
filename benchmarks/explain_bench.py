"""Wall time of ``relocation explain`` on the embedded demo (issue 9).

Targets: ``explain RUN FIRM_ID`` answers in under 2 s per firm; ``explain RUN --all`` on the
demo's 2,885 planned firms in under 60 s. Plans the demo once (``relocation plan``), then
times, end to end as a planner runs them (process start, reading the workspace and the run,
rebuilding the problem), ``--firms`` single explanations (median) and one ``--all``; also
the time per firm once the run is loaded (in process).

    .venv/bin/python benchmarks/explain_bench.py [--firms 5] [--out benchmarks/out/explain_bench]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "geodata" / "demo"


CPU: list[float] = []


def _run(args: list[str]) -> float:
    """Wall time of one command; its CPU time (user + system) goes to ``CPU``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "relocation.cli", *args], env=env,
                          capture_output=True, text=True, check=False, cwd=ROOT)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed (exit {proc.returncode}): {proc.stderr}")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=5, help="single explanations to time")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "explain_bench")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    run = a.out / "run"
    _run(["plan", str(DEMO), "--out", str(run), "--force", "--quiet"])

    sys.path.insert(0, str(ROOT))
    from relocation.diff import read_run
    from relocation.explain import explain_firm, load_run

    firms = read_run(run).schedule["firm_id"].tolist()
    picks = firms[:: max(1, len(firms) // a.firms)][: a.firms]
    CPU.clear()
    singles = [_run(["explain", str(run), f, "--lang", "en"]) for f in picks]
    print(f"explain FIRM (end to end, {len(singles)} firms): median "
          f"{statistics.median(singles):.2f} s wall, {statistics.median(CPU):.2f} s CPU, max "
          f"{max(singles):.2f} s wall (target < 2 s); load average {os.getloadavg()[0]:.1f}")
    CPU.clear()
    t_all = _run(["explain", str(run), "--all"])
    print(f"explain --all ({len(firms):,} firms, end to end): {t_all:.1f} s wall, "
          f"{CPU[0]:.1f} s CPU (target < 60 s); load average {os.getloadavg()[0]:.1f}")

    t0 = time.monotonic()
    exp = load_run(run)
    t_load = time.monotonic() - t0
    t0 = time.monotonic()
    for f in firms:
        explain_firm(exp, f)
    per = (time.monotonic() - t0) / len(firms)
    print(f"in process: loading the run {t_load:.2f} s, then {per * 1000:.1f} ms per firm")


if __name__ == "__main__":
    main()
