"""Generalized assignment benchmark: ``relocation plan`` (CP-SAT) against HiGHS.

Each instance of ``../shared/benchmarks/gap`` is written as a one-year relocation workspace
(:mod:`gap_instances`) and planned with ``relocation plan`` in a child process (CP-SAT,
2 workers); the same instance is then solved as a MIP by HiGHS (2 threads), one after the
other on the same machine. The table gives each solver's value, its distance to the best
known solution (BKS) and its proven gap, then mean gaps per class and size.

    python benchmarks/gap_bench.py                       # quick subset, 10 s and 60 s
    python benchmarks/gap_bench.py --full --times 60     # every instance file
    python benchmarks/gap_bench.py --instances c05100,d10200 --times 5

The quick subset (:data:`QUICK`) covers classes C, D and E and every size from 100 to 1,600
items: c05100 (100×5), d10200 (200×10), e10400 (400×10), d20400 (400×20), c15900 (900×15),
d15900 (900×15), d801600 (1,600×80).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from gap_highs import solve_gap_highs
from gap_instances import (
    REPO_ROOT,
    BestKnown,
    available_instances,
    find_shared_dir,
    gap_dir,
    read_gap_instance,
    write_csv,
    write_gap_workspace,
    write_text,
)

#: The default subset: three classes, 100 to 1,600 items, easy (C) to hard (D).
QUICK = ("c05100", "d10200", "e10400", "d20400", "c15900", "d15900", "d801600")
DEFAULT_TIMES = (10.0, 60.0)
OUT_DIR = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class PlanRun:
    """One ``relocation plan`` child process and what its ``summary.json`` said.

    Attributes
    ----------
    exit_code : int
        The child's exit code (0 plan written, 2 bad input, 3 infeasible; -9 when killed
        at the safety timeout).
    status : str
        ``summary.json`` status (OPTIMAL/FEASIBLE/INFEASIBLE/UNKNOWN), or ``ERROR`` when the
        child wrote no summary, ``TIMEOUT`` when it had to be killed.
    objective : int or None
        Objective of the plan, whole VND.
    best_bound : float or None
        Best proven bound.
    gap : float or None
        Proven relative gap (fraction).
    wall_time_s : float or None
        The solver's wall time as reported in the summary.
    elapsed_s : float
        Wall time of the whole child (reading, building, solving, writing), measured here.
    peak_rss_mib : float or None
        Peak resident memory of the child (and its own children), MiB.
    progress : list of dict
        ``{"t", "objective", "bound"}`` events from the summary.
    message : str
        Last lines of the child's stderr when it failed.
    """

    exit_code: int
    status: str
    objective: int | None
    best_bound: float | None
    gap: float | None
    wall_time_s: float | None
    elapsed_s: float
    peak_rss_mib: float | None
    progress: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""


def _child_env() -> dict[str, str]:
    """The child's environment: the repository root importable even without an install."""
    env = os.environ.copy()
    paths = [str(REPO_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONUTF8", "1")
    return env


def run_relocation(
    args: Sequence[str], log_stem: Path, timeout_s: float
) -> tuple[int, float, float | None, str]:
    """Run ``python -m relocation.cli ARGS`` and measure it.

    The child is reaped with ``os.wait4`` so that its own peak memory (``ru_maxrss``) is
    read, not the running maximum over every child that ``RUSAGE_CHILDREN`` would give.

    Parameters
    ----------
    args : sequence of str
        Arguments after ``relocation``.
    log_stem : pathlib.Path
        stdout goes to ``<stem>.stdout.log``, stderr to ``<stem>.stderr.log``.
    timeout_s : float
        Safety limit: the child is killed after it.

    Returns
    -------
    tuple
        ``(exit_code, elapsed_s, peak_rss_mib, stderr_tail)``; exit code -9 when killed.
    """
    log_stem.parent.mkdir(parents=True, exist_ok=True)
    out_log = log_stem.with_name(log_stem.name + ".stdout.log")
    err_log = log_stem.with_name(log_stem.name + ".stderr.log")
    cmd = [sys.executable, "-m", "relocation.cli", *args]
    with out_log.open("wb") as out, err_log.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=_child_env())
        deadline = started + timeout_s
        while True:
            pid, wait_status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, wait_status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(wait_status)
    proc.returncode = code  # reaped here, so Popen must not wait for it again
    tail = err_log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
    return code, elapsed, usage.ru_maxrss / 1024.0, "\n".join(tail)


def _num(value: Any) -> float | None:
    """A finite number from JSON, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def run_plan(
    workspace: Path,
    run_dir: Path,
    time_limit_s: float,
    workers: int = 2,
    seed: int = 0,
    timeout_s: float | None = None,
) -> PlanRun:
    """Plan a workspace with ``relocation plan`` in a child process and read its summary.

    Parameters
    ----------
    workspace : pathlib.Path
        The workspace folder.
    run_dir : pathlib.Path
        The run folder (replaced: ``--force``).
    time_limit_s : float
        ``--time-limit``.
    workers : int, optional
        ``--workers`` (2: the machine's cores).
    seed : int, optional
        ``--seed``.
    timeout_s : float, optional
        Safety limit for the whole child; default ``3 × time limit + 300 s`` (reading and
        writing large workspaces takes time too).

    Returns
    -------
    PlanRun
        What happened.
    """
    args = [
        "plan", str(workspace), "--out", str(run_dir), "--time-limit", f"{time_limit_s:g}",
        "--workers", str(workers), "--seed", str(seed), "--quiet", "--force",
    ]  # fmt: skip
    limit = timeout_s if timeout_s is not None else 3 * time_limit_s + 300
    code, elapsed, rss, tail = run_relocation(args, run_dir, limit)
    summary_path = run_dir / "summary.json"
    summary: dict[str, Any] = {}
    if code in (0, 3) and summary_path.is_file():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    if code == -9:
        status = "TIMEOUT"
    elif summary:
        status = str(summary.get("status", "UNKNOWN"))
    elif code == 3:
        status = "INFEASIBLE"
    else:
        status = "ERROR"
    objective = summary.get("objective")
    return PlanRun(
        exit_code=code,
        status=status,
        objective=int(objective) if _num(objective) is not None else None,
        best_bound=_num(summary.get("best_bound")),
        gap=_num(summary.get("gap")),
        wall_time_s=_num(summary.get("wall_time_s")),
        elapsed_s=elapsed,
        peak_rss_mib=rss,
        progress=list(summary.get("progress") or []),
        message="" if code == 0 else tail,
    )


def pct_above(value: float | None, reference: float) -> float | None:
    """``100 · (value − reference) / reference``, or None without a value."""
    if value is None:
        return None
    return 100.0 * (value - reference) / reference


def size_group(items: int) -> str:
    """The size column of the means: up to 900 items, or 1,600."""
    return "≤900 items" if items <= 900 else f"{items} items"


def bench_instance(
    bk: BestKnown,
    shared: Path,
    times: Sequence[float],
    out_dir: Path,
    use_cpsat: bool,
) -> list[dict[str, Any]]:
    """Run both solvers on one instance for every time limit; one table row per limit."""
    inst = read_gap_instance(gap_dir(shared) / bk.path)
    ws = write_gap_workspace(inst, out_dir / "gap" / "workspaces" / bk.name) if use_cpsat else None
    rows = []
    for limit in times:
        row: dict[str, Any] = {
            "instance": bk.name,
            "class": bk.gap_class,
            "items": bk.items,
            "agents": bk.agents,
            "best_known": bk.best_value,
            "proven_optimum": bk.optimum is not None,
            "time_limit_s": limit,
        }
        if ws is not None:
            run = run_plan(ws, out_dir / "gap" / "runs" / f"{bk.name}-{limit:g}s", limit)
            row |= {
                "cpsat_status": run.status,
                "cpsat_value": run.objective,
                "cpsat_gap_bks_pct": pct_above(run.objective, bk.best_value),
                "cpsat_proven_gap_pct": None if run.gap is None else 100.0 * run.gap,
                "cpsat_time_s": run.wall_time_s,  # the solver's, as the summary reports it
                "cpsat_total_s": run.elapsed_s,  # the whole child: read, build, solve, write
            }
            if run.message:
                print(f"  relocation plan failed (exit {run.exit_code}):\n{run.message}")
        res = solve_gap_highs(inst, limit, threads=2)
        row |= {
            "highs_status": res.status,
            "highs_value": res.objective,
            "highs_gap_bks_pct": pct_above(res.objective, bk.best_value),
            "highs_proven_gap_pct": None if res.gap is None else 100.0 * res.gap,
            "highs_time_s": res.wall_time_s,
        }
        print(
            f"{bk.name:>9} {limit:>5g}s  BKS {bk.best_value:>7}  "
            f"CP-SAT {_fmt(row.get('cpsat_value')):>7} ({row.get('cpsat_status', 'n/a')})  "
            f"HiGHS {_fmt(res.objective):>7} ({res.status})",
            flush=True,
        )
        rows.append(row)
    return rows


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Mean gap to the BKS (and mean proven gap) per time limit, per class and per size."""
    gap_cols = [
        c
        for c in (
            "cpsat_gap_bks_pct", "cpsat_proven_gap_pct", "highs_gap_bks_pct",
            "highs_proven_gap_pct",
        )
        if c in table.columns
    ]  # fmt: skip
    parts = []
    for key in ("class", "size"):
        # Columns that are all None (every run failed) are object dtype: make them numbers.
        frame = table.assign(size=table["items"].map(size_group))
        frame[gap_cols] = frame[gap_cols].apply(pd.to_numeric, errors="coerce")
        grouped = frame.groupby(["time_limit_s", key], sort=True)[gap_cols]
        means = grouped.mean().reset_index().rename(columns={key: "group"})
        means.insert(2, "instances", grouped.size().to_numpy())
        parts.append(means)
    out = pd.concat(parts, ignore_index=True)
    return out.rename(columns={c: "mean_" + c for c in gap_cols})


def _fmt(value: Any, digits: int = 3) -> str:
    """Format one table cell: blanks for missing values, fixed digits for floats."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}" if not value.is_integer() else str(int(value))
    return str(value)


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured markdown table (numbers right-aligned)."""
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |"]
    lines.append(
        "|"
        + "|".join("---:" if pd.api.types.is_numeric_dtype(frame[c]) else "---" for c in cols)
        + "|"
    )
    for rec in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_fmt(v) for v in rec) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(
        description="GAP benchmark: relocation plan (CP-SAT) vs HiGHS",
        epilog=f"Quick subset: {', '.join(QUICK)}.",
    )
    parser.add_argument("--full", action="store_true", help="every instance file")
    parser.add_argument(
        "--times", default=",".join(f"{t:g}" for t in DEFAULT_TIMES),
        help="comma-separated time limits, seconds (default 10,60)",
    )  # fmt: skip
    parser.add_argument("--instances", help="comma-separated instance names (e.g. c05100,d10200)")
    parser.add_argument(
        "--shared", help="the shared folder (default: $RELOCATION_SHARED or ../shared)"
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (benchmarks/out)")
    parser.add_argument("--no-cpsat", action="store_true", help="HiGHS only (skip relocation plan)")
    args = parser.parse_args(argv)
    try:
        times = [float(t) for t in args.times.split(",") if t.strip()]
    except ValueError:
        parser.error(f"--times: expected numbers separated by commas, got {args.times!r}")
    if not times or min(times) <= 0:
        parser.error("--times: give at least one positive time limit")

    shared = find_shared_dir(args.shared)
    if shared is None:
        print(
            "skipped: the GAP instances are not available (no benchmarks/gap under "
            "--shared, $RELOCATION_SHARED or ../shared next to the repository)"
        )
        return 0
    known = available_instances(shared)
    if args.instances:
        names = [n.strip() for n in args.instances.split(",") if n.strip()]
    elif args.full:
        names = list(known)
    else:
        names = list(QUICK)
    unknown = [n for n in names if n not in known]
    if unknown:
        parser.error(f"no instance file for {', '.join(unknown)} in {gap_dir(shared)}")

    use_cpsat = not args.no_cpsat
    rows: list[dict[str, Any]] = []
    for name in names:
        rows += bench_instance(known[name], shared, times, args.out, use_cpsat)
    table = pd.DataFrame(rows)
    means = summarise(table)
    text = (
        f"# GAP benchmark: relocation plan (CP-SAT, 2 workers) vs HiGHS (2 threads)\n\n"
        f"Gaps in percent; BKS = best known solution value.\n\n"
        f"{to_markdown(table)}\n## Mean gaps\n\n{to_markdown(means)}"
    )
    print()
    print(text)
    write_csv(args.out / "gap_bench.csv", table)
    write_csv(args.out / "gap_bench_means.csv", means)
    write_text(args.out / "gap_bench.md", text)
    print(f"written: {args.out / 'gap_bench.csv'}, gap_bench_means.csv, gap_bench.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
