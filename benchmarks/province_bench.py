"""Scale benchmark: ``relocation plan`` on the demo and on synthetic provinces.

    python benchmarks/province_bench.py                      # demo, 1k, 3k, 10k, 30k firms
    python benchmarks/province_bench.py --sizes 1000,3000 --time-limit 30 --no-demo

For each workspace it runs ``relocation plan`` (CP-SAT, 2 workers) in a child process and
reports the time to the first plan and to a 1 % proven gap (from ``summary.json``'s
``progress`` events), the final gap, the solver's wall time, the child's total time (reading,
building, solving, writing) and the child's peak resident memory (``ru_maxrss`` of that child,
read with ``os.wait4``). Synthetic provinces come from :mod:`synthetic` (25 sites, 7 years,
seed 1 by default); the demo is exported with ``relocation export-demo``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from gap_bench import (
    OUT_DIR,
    PlanRun,
    run_plan,
    run_relocation,
    to_markdown,
)
from gap_instances import write_csv, write_text
from synthetic import generate_province, write_province

DEFAULT_SIZES = (1_000, 3_000, 10_000, 30_000)
TARGET_GAP = 0.01


def time_to_gap(progress: Sequence[dict[str, Any]], target: float) -> float | None:
    """First time at which the best plan so far is proven within ``target`` of the optimum.

    The gap at an event is ``(best objective − best bound) / |best objective|``, with the
    best (least) objective and best (greatest) bound seen up to that event, since an event
    may report only one of them.

    Parameters
    ----------
    progress : sequence of dict
        ``{"t", "objective", "bound"}`` events (``objective`` or ``bound`` may be missing).
    target : float
        Relative gap, e.g. 0.01.

    Returns
    -------
    float or None
        Seconds, or None if never reached.
    """
    best_obj = math.inf
    best_bound = -math.inf
    for event in sorted(progress, key=lambda e: float(e.get("t", math.inf))):
        obj, bound = event.get("objective"), event.get("bound")
        if isinstance(obj, int | float) and math.isfinite(obj):
            best_obj = min(best_obj, float(obj))
        if isinstance(bound, int | float) and math.isfinite(bound):
            best_bound = max(best_bound, float(bound))
        if math.isfinite(best_obj) and math.isfinite(best_bound):
            if (best_obj - best_bound) / max(1.0, abs(best_obj)) <= target + 1e-12:
                return float(event["t"])
    return None


def time_to_first_plan(progress: Sequence[dict[str, Any]]) -> float | None:
    """Time of the first event that carries a plan's objective, seconds (None if none)."""
    times = [
        float(e["t"]) for e in progress if isinstance(e.get("objective"), int | float) and "t" in e
    ]
    return min(times) if times else None


def row_for(label: str, firms: int | None, run: PlanRun | None, gen_s: float | None) -> dict:
    """One table row from a plan run (blank solver columns without one)."""
    row: dict[str, Any] = {"workspace": label, "firms": firms, "generate_s": gen_s}
    if run is None:
        return row | {"status": "not run"}
    return row | {
        "status": run.status,
        "objective_vnd": run.objective,
        "first_plan_s": time_to_first_plan(run.progress),
        "to_1pct_gap_s": time_to_gap(run.progress, TARGET_GAP),
        "final_gap_pct": None if run.gap is None else 100.0 * run.gap,
        "solver_wall_s": run.wall_time_s,
        "total_s": run.elapsed_s,
        "peak_rss_mib": run.peak_rss_mib,
    }


def export_demo(folder: Path) -> tuple[bool, str]:
    """Export the embedded demo with ``relocation export-demo`` (False and why on failure)."""
    code, _, _, tail = run_relocation(
        ["export-demo", str(folder), "--force"], folder.with_name(folder.name + "-export"), 300
    )
    if code != 0:
        return False, f"`relocation export-demo` failed (exit {code}): {tail}"
    return True, ""


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description="relocation plan at province scale")
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated firm counts of synthetic provinces (default 1000,3000,10000,30000)",
    )
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per plan")
    parser.add_argument("--sites", type=int, default=25)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-demo", action="store_true", help="skip the embedded demo")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (benchmarks/out)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: expected whole numbers separated by commas, got {args.sizes!r}")
    if args.time_limit <= 0:
        parser.error("--time-limit must be positive")

    base = args.out / "province"
    rows = []
    if not args.no_demo:
        demo = base / "workspaces" / "demo"
        ok, why = export_demo(demo)
        if not ok:
            print(f"skipped the demo: {why}")
        else:
            run = run_plan(demo, base / "runs" / "demo", args.time_limit)
            rows.append(row_for("demo", None, run, None))
            print(_line(rows[-1]), flush=True)
    for n in sizes:
        started = time.perf_counter()
        province = generate_province(n, args.sites, args.years, args.seed)
        ws = write_province(province, base / "workspaces" / f"synthetic-{n}")
        gen_s = time.perf_counter() - started
        run = run_plan(ws, base / "runs" / f"synthetic-{n}", args.time_limit)
        if run.message:
            print(f"  relocation plan failed (exit {run.exit_code}):\n{run.message}")
        rows.append(row_for(f"synthetic-{n}", n, run, gen_s))
        print(_line(rows[-1]), flush=True)

    table = pd.DataFrame(rows)
    text = (
        f"# relocation plan at scale (CP-SAT, 2 workers, time limit {args.time_limit:g} s)\n\n"
        f"Synthetic provinces: {args.sites} sites, {args.years} years, seed {args.seed}.\n\n"
        f"{to_markdown(table)}"
    )
    print()
    print(text)
    write_csv(args.out / "province_bench.csv", table)
    write_text(args.out / "province_bench.md", text)
    print(f"written: {args.out / 'province_bench.csv'}, province_bench.md")
    return 0


def _line(row: dict[str, Any]) -> str:
    """A progress line for one finished workspace."""
    parts = [f"{row['workspace']}: {row.get('status')}"]
    for key in ("first_plan_s", "to_1pct_gap_s", "final_gap_pct", "total_s", "peak_rss_mib"):
        value = row.get(key)
        if value is not None:
            parts.append(f"{key}={value:.2f}")
    return "  ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
