"""Scenario sweeps: one full planning run per quota floor or grid point, in parallel.

A sweep reads the workspace once, builds one scenario per point (:mod:`.spec`), solves the
points on ``dask.distributed`` workers — a local cluster of processes, or an existing
cluster (``--scheduler``) — and writes the sweep folder (:mod:`.execute`), then the
comparison and the report (:mod:`.report`). Imports run one way: ``spec`` ← ``report`` ←
``execute``.

Sweep folder::

    SWEEP/sweep.json                  the sweep definition (points, overrides, workspace)
    SWEEP/scenarios/<name>/           a run folder per point (summary.json only without
                                      a plan), written atomically; the workbook, the
                                      GeoPackage and the map only with ``--outputs all``
    SWEEP/comparison.csv, .xlsx       one row per point
    SWEEP/report.html                 trade-off chart, comparison table, links to maps

Grid files are read by :func:`geodata.grid.read_grid` (format there and in the README).
"""

from relocation.sweep.execute import (
    SWEEP_FORMAT,
    SWEEP_OUTPUTS,
    SweepOptions,
    build_scenarios,
    read_finished,
    run_sweep,
    scenario_hash,
    solve_point,
    sweep_parallelism,
)
from relocation.sweep.spec import (
    MAX_POINTS,
    PointResult,
    SweepOutcome,
    SweepPoint,
    SweepSpec,
    define_sweep,
    grid_points,
    parse_quota_list,
    quota_name,
    quota_points,
    safe_folder_name,
)

__all__ = [
    "MAX_POINTS",
    "SWEEP_FORMAT",
    "SWEEP_OUTPUTS",
    "PointResult",
    "SweepOptions",
    "SweepOutcome",
    "SweepPoint",
    "SweepSpec",
    "build_scenarios",
    "define_sweep",
    "grid_points",
    "parse_quota_list",
    "quota_name",
    "quota_points",
    "read_finished",
    "run_sweep",
    "safe_folder_name",
    "scenario_hash",
    "solve_point",
    "sweep_parallelism",
]
