"""What the map's fixed marks and short explanations cost on the demo (issue 9).

Every plan writes ``map.html`` (``make demo``), and its firm popups now say whether the move
is fixed and explain it in short (best alternative, nearest site not chosen and its rule):
:func:`relocation.explain.review_columns` computes that for the whole plan at once. This
script plans the demo once (or takes ``--run``), rebuilds the run's problem as
``relocation outputs`` does, then times, interleaved and as the median of ``--repeats``:

- the review columns (the problem in hand, as in ``plan``), and the problem's rebuild
  (what ``relocation outputs RUN`` pays on top);
- rendering and saving ``map.html`` without and with the review columns;
- ``relocation explain RUN --all``'s per-firm path over the same firms, for comparison;

and prints the map's size both ways and how many popups show an alternative.

    .venv/bin/python benchmarks/popup_bench.py [--run RUN] [--repeats 5]
        [--out benchmarks/out/popup_bench]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geodata.workspace import read_workspace  # noqa: E402
from relocation.explain import (  # noqa: E402
    explain_firm,
    explainer_for,
    review_columns,
    run_problem,
)
from relocation.freed_land import freed_land_outputs, render_run_map  # noqa: E402
from relocation.run_folder import _read_moves, check_run_folder  # noqa: E402

DEMO = ROOT / "geodata" / "demo"


def _plan(out: Path) -> Path:
    run = out / "run"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "relocation.cli", "plan", str(DEMO), "--out", str(run),
                    "--force", "--quiet", "--time-limit", "10"], env=env, check=True, cwd=ROOT)
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, help="a demo run folder (default: plan the demo)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "popup_bench")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    run = a.run or _plan(a.out)

    summary, sc = check_run_folder(run, ("schedule.csv", "site_load.csv"))
    import pandas as pd

    ws = read_workspace(Path(summary["workspace"]))
    moves = _read_moves(run / "schedule.csv", ws)
    load = pd.read_csv(run / "site_load.csv", dtype={"site_id": str, "site_name": str},
                       encoding="utf-8-sig")
    land = freed_land_outputs(ws.firms, ws.stations, ws.sites, moves, sc, ws.zones)

    def timed(fn):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        value = fn()
        return time.perf_counter() - t0, value

    def render(mv: pd.DataFrame, path: Path) -> Path:
        return render_run_map(zones=ws.zones, sites=ws.sites, stations=ws.stations,
                              firms=ws.firms, moves=mv, site_load=load,
                              freed_land=land["parcels"], path=path, lang="vi", sc=sc,
                              sectors=ws.sectors)

    times: dict[str, list[float]] = {k: [] for k in ("problem", "review", "plain", "with")}
    with tempfile.TemporaryDirectory() as tmp:
        plain_path, with_path = Path(tmp) / "plain.html", Path(tmp) / "with.html"
        for _ in range(a.repeats):
            t, problem = timed(lambda: run_problem(summary, sc, ws))
            times["problem"].append(t)
            t, reviewed = timed(lambda: review_columns(problem, moves))  # noqa: B023
            times["review"].append(t)
            times["plain"].append(timed(lambda: render(moves, plain_path))[0])
            times["with"].append(timed(lambda: render(reviewed, with_path))[0])  # noqa: B023
        size_plain, size_with = plain_path.stat().st_size, with_path.stat().st_size
    med = {k: statistics.median(v) for k, v in times.items()}
    exp = explainer_for(problem, moves)
    t0 = time.perf_counter()
    for fid in moves["firm_id"]:
        explain_firm(exp, str(fid), "vi")
    per_firm = time.perf_counter() - t0
    n = len(moves)
    shown = int((reviewed["alt_site_id"] != "").sum())
    print(f"demo plan: {n:,} moves; {shown:,} popups show a best alternative, "
          f"{int((reviewed['fixed'] != '').sum()):,} firms fixed "
          f"(median of {a.repeats}, load average {os.getloadavg()[0]:.1f})")
    print(f"review columns (every firm at once): {med['review']:.3f} s; "
          f"rebuilding the run's problem (relocation outputs only): {med['problem']:.3f} s")
    print(f"explain's per-firm path over the same firms, once: {per_firm:.2f} s")
    extra = med["with"] - med["plain"] + med["review"]
    print(f"map.html render + save: {med['plain']:.2f} s without the review columns, "
          f"{med['with']:.2f} s with them; added per plan (review columns + rendering): "
          f"{extra:+.2f} s")
    print(f"map.html size: {size_plain / 1e6:.2f} MB without, {size_with / 1e6:.2f} MB with")


if __name__ == "__main__":
    main()
