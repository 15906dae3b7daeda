"""Scenario sweeps: one full planning run per quota floor or grid point, in parallel.

A sweep reads the workspace once, builds one :class:`~relocation.domain.scenario.Scenario` per
point (merge order as in :mod:`relocation.domain.scenario`: defaults, ``scenario.toml``, then
``--set`` overrides, then the point's own settings, then ``--time-limit`` and the solver
workers the sweep gives each scenario), and solves the points on ``dask.distributed``
workers: a local cluster of processes, or an existing cluster (``--scheduler``). Workers
get the workspace *data* and return the run folder's files as bytes; only this process
writes to disk, so no shared filesystem is needed.

Sweep folder::

    SWEEP/sweep.json                  the sweep definition (points, overrides, workspace)
    SWEEP/scenarios/<name>/           a full run folder per point (summary.json only
                                      when infeasible), written atomically
    SWEEP/comparison.csv, .xlsx       one row per point
    SWEEP/report.html                 trade-off chart, comparison table, links to maps

Resuming: every run folder's ``summary.json`` records ``sweep.hash``, a digest of the
scenario as solved, the input files and the output settings. A rerun keeps the folders
whose hash matches and solves the rest; ``force`` solves every point again.

Grid file (``--grid grid.toml``)::

    [grid]                                  # the cartesian product, first key slowest
    "limits.max_moves_per_year" = [500, 650]
    "quota.0.min_share" = [0.30, 0.35]

    [[scenarios]]                           # optional named points, after the grid's
    name = "VSIP III opens late"
    set = { "overrides.site_available_from.D_VSIP3" = 2027 }

Keys are dotted ``scenario.toml`` paths (quoted, or as nested tables), applied by the
one override engine (:meth:`~relocation.domain.scenario.Scenario.with_overrides`), exactly
as ``--set`` is: ``quota.N`` must be an existing window, and a ``min_share`` above its
window's ``max_share`` is refused (set both). Grid points are named ``g001``, ``g002``…;
named points keep their name for display and get a filesystem-safe folder name.

``--quota`` points are the one exception, by their own documented rule
(:meth:`~relocation.domain.scenario.Scenario.with_quota_floor`): the window's ceiling is
kept, or raised to the floor where it would fall below it, and a ``--by-year`` without a
window adds one.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
import os
import re
import shutil
import tempfile
import time
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geodata.outputs import staged_folder, write_json
from geodata.workspace import Workspace, read_workspace
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.scenario import Scenario
from relocation.workflow import apply_settings

log = logging.getLogger(__name__)

#: Bumped when the run-folder contents change, so old folders are not reused.
SWEEP_FORMAT = 1
#: Most points a sweep may hold (a typo in a grid should not launch a million solves).
MAX_POINTS = 1000
#: Dotted prefixes whose last part is an id (which may itself contain dots).
_ID_MAPS = (
    "overrides.site_available_from",
    "overrides.zone_deadline",
    "freed_land.social_housing_target_ha",
)
_MIN_SHARE = re.compile(r"^quota\.(\d+)\.min_share$")
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}


@dataclass(frozen=True)
class SweepPoint:
    """One scenario of a sweep.

    Attributes
    ----------
    name : str
        Display name (``q030``, ``g001`` or as given in the grid file; may be any text).
    folder : str
        Filesystem-safe folder name under ``SWEEP/scenarios/``.
    params : dict
        The point's own settings, dotted ``scenario.toml`` path → value (as recorded in
        ``summary.json`` and the comparison).
    quota : tuple or None
        ``(by_year, floor)`` of a ``--quota`` point, applied by
        :meth:`Scenario.with_quota_floor`; ``None`` for a grid point.
    """

    name: str
    folder: str
    params: dict[str, Any]
    quota: tuple[int, float] | None = None

    def scenario(self, ws: Workspace, base: Scenario, source: str) -> Scenario:
        """The point's scenario on ``base``.

        A grid point's settings go through the one override engine
        (:meth:`Scenario.with_overrides`, as ``--set`` does); a ``--quota`` point applies
        its floor by the quota sweep's own rule
        (:meth:`Scenario.with_quota_floor`: the ceiling is kept, or raised to the floor).

        Raises
        ------
        InputError
        """
        if self.quota is not None:
            return base.with_quota_floor(*self.quota, n_slated=len(ws.firms))
        return apply_settings(ws, base, self.params, source)


@dataclass(frozen=True)
class SweepSpec:
    """What to sweep.

    Attributes
    ----------
    points : tuple of SweepPoint
        In order.
    source : str
        Where the points' settings come from (``--quota`` or the grid file's name), for
        error messages.
    sets : dict
        ``--set`` overrides shared by every point.
    axis : str or None
        The parameter on the report's x axis (the one numeric parameter that varies), or
        ``None`` to show the points side by side.
    """

    points: tuple[SweepPoint, ...]
    source: str
    sets: dict[str, Any] = field(default_factory=dict)
    axis: str | None = None


@dataclass(frozen=True)
class SweepOptions:
    """How to run a sweep.

    Attributes
    ----------
    time_limit_s : float or None
        Each scenario's solver time limit (default: the scenario's).
    workers_total : int or None
        CP-SAT threads for the whole sweep (default: this machine's cores, or the remote
        cluster's threads); divided between the scenarios that run at once.
    scheduler : str or None
        ``tcp://HOST:PORT`` of an existing dask scheduler; ``None`` starts a local cluster.
    force : bool
        Solve every point again (finished folders are replaced).
    render_map : bool
        Write each scenario's ``map.html``.
    lang : str
        Map language.
    connect_timeout_s : float
        How long to try reaching ``scheduler``.
    command : tuple of str
        The command line, recorded in each scenario's ``summary.json`` (the CLI passes it).
    """

    time_limit_s: float | None = None
    workers_total: int | None = None
    scheduler: str | None = None
    force: bool = False
    render_map: bool = True
    lang: str = "vi"
    connect_timeout_s: float = 5.0
    command: tuple[str, ...] = ()


@dataclass(frozen=True)
class PointResult:
    """A point's outcome as recorded in its run folder.

    Attributes
    ----------
    point : SweepPoint
    summary : dict
        Its ``summary.json``.
    skipped : bool
        True when a previous run's folder was kept.
    """

    point: SweepPoint
    summary: dict[str, Any]
    skipped: bool


@dataclass(frozen=True)
class SweepOutcome:
    """The sweep as written: every point's result, in point order, and the folder."""

    results: tuple[PointResult, ...]
    out: Path
    spec: SweepSpec


# ------------------------------------------------------------------------------ points


def safe_folder_name(name: str) -> str:
    """A folder name made of ``A–Z a–z 0–9 . _ -`` that cannot leave its parent folder.

    Diacritics are dropped (``Đồng Nai`` → ``Dong_Nai``), path separators and other
    characters become ``_``, leading and trailing dots are removed (so ``..`` and hidden
    names are impossible), and the result is at most 60 characters.

    Parameters
    ----------
    name : str
        Any text.

    Returns
    -------
    str
        A non-empty safe name (``scenario`` when nothing is left).
    """
    text = str(name).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text)
    text = re.sub(r"\.{2,}", ".", text).strip("._-")[:60].strip("._-")
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = "s_" + text
    return text or "scenario"


def _unique_folders(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        base = safe_folder_name(name)
        cand, k = base, 2
        while cand.lower() in seen:  # case-insensitive filesystems
            cand, k = f"{base}-{k}", k + 1
        seen.add(cand.lower())
        out.append(cand)
    return out


def parse_quota_list(text: str) -> list[float]:
    """Parse ``--quota 0.25,0.30,…`` into floors in [0, 1] (duplicates dropped).

    Raises
    ------
    InputError
        A value that is not a number in [0, 1], or an empty list.
    """
    floors: list[float] = []
    issues = []
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        try:
            v = float(item)
        except ValueError:
            issues.append(InputIssue("--quota", None, None, item, "not a number"))
            continue
        if not 0.0 <= v <= 1.0 or math.isnan(v):
            issues.append(InputIssue("--quota", None, None, item, "must be a share in 0–1"))
        elif v not in floors:
            floors.append(v)
    if not floors and not issues:
        issues.append(InputIssue("--quota", None, None, text, "no quota floor given"))
    if issues:
        raise InputError(issues, summary="bad --quota option")
    return floors


def quota_name(floor: float) -> str:
    """``q030`` for 0.30, ``q027_5`` for 0.275 (percent, stable and sortable)."""
    pct = round(floor * 100, 6)
    if pct == int(pct):
        return f"q{int(pct):03d}"
    return f"q{int(pct):03d}_" + f"{pct:.6f}".split(".")[1].rstrip("0")


def quota_points(base: Scenario, floors: Sequence[float], by_year: int | None) -> SweepSpec:
    """One point per quota floor: the window of ``by_year`` gets ``min_share = floor``.

    The window's ceiling is kept, raised to the floor where it would fall below. Without
    ``by_year`` the first window is swept; a ``by_year`` with no window adds one (ceiling
    100 %).

    Raises
    ------
    InputError
        The scenario has no quota window and no ``by_year`` is given.
    """
    years = [q.by_year for q in base.quota]
    if by_year is None:
        if not years:
            raise InputError(
                [
                    InputIssue(
                        "--quota",
                        None,
                        None,
                        None,
                        "the scenario has no quota window: pass --by-year",
                    )
                ],
                summary="bad --quota option",
            )
        by_year = years[0]
    idx = years.index(by_year) if by_year in years else len(years)
    points = []
    for f in floors:
        params: dict[str, Any] = {}
        if idx == len(years):
            params[f"quota.{idx}.by_year"] = by_year
        params[f"quota.{idx}.min_share"] = f
        points.append(SweepPoint(quota_name(f), quota_name(f), params, quota=(by_year, f)))
    return SweepSpec(tuple(points), "--quota", axis=f"quota.{idx}.min_share")


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in table.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def read_grid(path: Path) -> SweepSpec:
    """Read a grid file (format in the module docstring) into sweep points.

    Raises
    ------
    InputError
        Missing file, bad TOML (with its line), empty or malformed grid.
    """
    label = Path(path).name
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(
            [InputIssue(str(path), None, None, None, exc.strerror or str(exc))],
            summary="cannot read the grid file",
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            [InputIssue(label, None, None, None, "not UTF-8 text")],
            summary="cannot read the grid file",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(
            [
                InputIssue(
                    label, int(m.group(1)) if m else None, None, None, f"not valid TOML: {exc}"
                )
            ],
            summary="bad grid file",
        ) from None
    issues: list[InputIssue] = []
    for key in data:
        if key not in ("grid", "scenarios"):
            issues.append(
                InputIssue(
                    label, None, key, None, "unknown section (expected [grid] or [[scenarios]])"
                )
            )
    grid = _flatten(data.get("grid", {})) if isinstance(data.get("grid", {}), dict) else {}
    axes: list[tuple[str, list[Any]]] = []
    for key, values in grid.items():
        vals = values if isinstance(values, list) else [values]
        if not vals:
            issues.append(InputIssue(label, None, f"grid.{key}", None, "empty list of values"))
        axes.append((key, vals))
    named: list[tuple[str, dict[str, Any]]] = []
    raw = data.get("scenarios", [])
    for i, entry in enumerate(raw if isinstance(raw, list) else [raw]):
        where = f"scenarios.{i}"
        if not isinstance(entry, dict):
            issues.append(InputIssue(label, None, where, None, "expected a [[scenarios]] table"))
            continue
        extra = set(entry) - {"name", "set"}
        if extra:
            issues.append(
                InputIssue(
                    label,
                    None,
                    f"{where}.{sorted(extra)[0]}",
                    None,
                    "unknown key (expected name and set)",
                )
            )
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            issues.append(
                InputIssue(
                    label, None, f"{where}.name", None, "every [[scenarios]] entry needs a name"
                )
            )
            continue
        sets = entry.get("set", {})
        if not isinstance(sets, dict):
            issues.append(InputIssue(label, None, f"{where}.set", None, "expected a table"))
            continue
        named.append((name, _flatten(sets)))
    n_grid = math.prod(len(v) for _, v in axes) if axes else 0
    if not issues and n_grid + len(named) == 0:
        issues.append(InputIssue(label, None, None, None, "the grid file defines no scenario"))
    if n_grid + len(named) > MAX_POINTS:
        issues.append(
            InputIssue(
                label, None, None, None, f"{n_grid + len(named)} scenarios; at most {MAX_POINTS}"
            )
        )
    if issues:
        raise InputError(issues, summary="bad grid file")
    params_list: list[tuple[str, dict[str, Any]]] = []
    if axes:
        width = max(3, len(str(n_grid)))
        keys = [k for k, _ in axes]
        for i, combo in enumerate(itertools.product(*(v for _, v in axes)), start=1):
            params_list.append((f"g{i:0{width}d}", dict(zip(keys, combo, strict=True))))
    params_list += named
    folders = _unique_folders([n for n, _ in params_list])
    points = tuple(
        SweepPoint(name, folder, params)
        for (name, params), folder in zip(params_list, folders, strict=True)
    )
    varying = [
        k
        for k, v in axes
        if len(v) > 1 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)
    ]
    axis = varying[0] if len(axes) == 1 and len(varying) == 1 and not named else None
    return SweepSpec(points, label, axis=axis)


# ------------------------------------------------------------------------ run settings


def sweep_parallelism(n_points: int, threads: int, workers_total: int | None) -> tuple[int, int]:
    """How many scenarios run at once and how many CP-SAT workers each gets.

    Parameters
    ----------
    n_points : int
        Points in the sweep (all of them, so a resumed sweep divides the same way and its
        scenarios keep their hashes).
    threads : int
        Task slots: local cores, or the remote cluster's threads.
    workers_total : int or None
        CP-SAT threads for the whole sweep (default ``threads``).

    Returns
    -------
    tuple of int
        ``(scenarios at once, workers per scenario)``; e.g. 9 points on 2 cores → (2, 1).
    """
    total = max(1, workers_total or threads)
    at_once = max(1, min(n_points, threads, total))
    return at_once, max(1, total // at_once)


def scenario_hash(sc: Scenario, inputs: Mapping[str, str], render_map: bool, lang: str) -> str:
    """Digest of everything a scenario's run folder depends on (resume key)."""
    blob = json.dumps(
        {
            "format": SWEEP_FORMAT,
            "scenario": sc.model_dump(mode="json"),
            "inputs": dict(sorted(inputs.items())),
            "outputs": {"map": render_map, "lang": lang},
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def build_scenarios(
    ws: Workspace, spec: SweepSpec, opts: SweepOptions, workers: int
) -> list[Scenario]:
    """Every point's scenario, fully merged; every bad setting reported at once.

    Raises
    ------
    InputError
    """
    issues: dict[tuple[Any, ...], InputIssue] = {}

    def note(found: Sequence[InputIssue]) -> None:
        for i in found:  # one line per key and problem, not one per grid point
            issues.setdefault((i.file, i.column, i.message), i)

    base = apply_settings(ws, ws.scenario, spec.sets, "--set")
    cli: dict[str, Any] = {"solver.workers": workers}
    sources = {"solver.workers": "--workers-total", "name": spec.source}
    if opts.time_limit_s is not None:
        cli["solver.time_limit_s"] = opts.time_limit_s
        sources["solver.time_limit_s"] = "--time-limit"
    out: list[Scenario] = []
    for p in spec.points:
        try:
            sc = p.scenario(ws, base, spec.source)
            out.append(sc.with_overrides({**cli, "name": p.name}, sources))
        except InputError as exc:
            note(exc.issues)
    if issues:
        raise InputError(list(issues.values()), summary="bad setting")
    return out


# --------------------------------------------------------------------------- execution


def solve_point(ws: Workspace, sc: Scenario, render_map: bool, lang: str) -> dict[str, Any]:
    """Plan one scenario (runs on a dask worker) and return its run folder's contents.

    The folder is written to a private temporary folder on the worker by the ordinary
    workflow, then read back as bytes: the client writes the real folder.

    Returns
    -------
    dict
        ``summary`` (dict) and ``files`` (file name → bytes, ``summary.json`` excluded).
    """
    from relocation.run_folder import write_run
    from relocation.workflow import plan_scenario

    with tempfile.TemporaryDirectory(prefix="relocation-sweep-") as tmp:
        out = Path(tmp) / "run"
        write_run(plan_scenario(ws, sc), out, render_map=render_map, lang=lang)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        files = {
            p.name: p.read_bytes()
            for p in sorted(out.iterdir())
            if p.is_file() and p.name != "summary.json"
        }
    return {"summary": summary, "files": files}


def _scenario_dir(out: Path, folder: str) -> Path:
    root = (out / "scenarios").resolve()
    target = (root / folder).resolve()
    # Names are sanitised already; this guards against a future caller that forgets.
    if target.parent != root or folder != safe_folder_name(folder):
        raise ValueError(f"scenario folder {folder!r} would leave {root}")
    return out / "scenarios" / folder


def read_finished(out: Path, point: SweepPoint, digest: str) -> dict[str, Any] | None:
    """The summary of a finished run folder whose hash is ``digest``, else None."""
    path = _scenario_dir(out, point.folder) / "summary.json"
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sweep = summary.get("sweep") if isinstance(summary, dict) else None
    if isinstance(sweep, dict) and sweep.get("hash") == digest:
        return summary
    return None


def _write_point(
    out: Path,
    point: SweepPoint,
    result: Mapping[str, Any],
    meta: dict[str, Any],
    command: Sequence[str],
) -> dict[str, Any]:
    summary = dict(result["summary"])
    summary["command"] = list(command)
    summary["sweep"] = meta
    with staged_folder(_scenario_dir(out, point.folder), force=True) as tmp:
        for name, data in result["files"].items():
            if Path(name).name != name or name.startswith("."):
                raise ValueError(f"unexpected file name from a worker: {name!r}")
            (tmp / name).write_bytes(data)
        write_json(summary, tmp / "summary.json")
    return summary


def _prepare_out(out: Path, spec: SweepSpec, ws: Workspace, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(
            [InputIssue(str(out), None, None, None, "exists and is not a folder")],
            summary="bad output path",
        )
    marker = out / "sweep.json"
    if out.is_dir() and any(out.iterdir()) and not marker.exists() and not force:
        raise InputError(
            [
                InputIssue(
                    str(out),
                    None,
                    None,
                    None,
                    "the folder exists and is not a sweep folder (no sweep.json); "
                    "pass --force to write into it",
                )
            ],
            summary="refusing to overwrite",
        )
    (out / "scenarios").mkdir(parents=True, exist_ok=True)
    write_json(
        {
            "format": SWEEP_FORMAT,
            "source": spec.source,
            "axis": spec.axis,
            "sets": spec.sets,
            "points": [
                {"name": p.name, "folder": p.folder, "params": p.params} for p in spec.points
            ],
            "workspace": str(ws.root),
            "inputs": dict(ws.input_hashes),
        },
        marker,
    )


class _Cluster:
    """A dask client on a local cluster (started here) or on an existing scheduler."""

    def __init__(self, scheduler: str | None, timeout_s: float) -> None:
        self.scheduler = scheduler
        self.timeout_s = timeout_s
        self.client: Any = None
        self.local: Any = None
        import distributed  # noqa: F401  (its import configures its loggers: do it first)

        # dask logs every connection at INFO (and a traceback when a cluster closes):
        # noise for a consultant, so only its warnings are shown while the sweep runs.
        self._logger = logging.getLogger("distributed")
        self._level = self._logger.level
        self._logger.setLevel(max(logging.WARNING, self._level))

    def connect(self) -> None:
        from distributed import Client

        assert self.scheduler is not None
        if not re.match(r"^(tcp|tls)://[^/\s]+:\d+/?$", self.scheduler):
            raise InputError(
                [InputIssue("--scheduler", None, None, self.scheduler, "expected tcp://HOST:PORT")],
                summary="bad --scheduler option",
            )
        try:
            self.client = Client(self.scheduler, timeout=f"{self.timeout_s}s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise InputError(
                [
                    InputIssue(
                        "--scheduler",
                        None,
                        None,
                        self.scheduler,
                        f"cannot reach the dask scheduler within {self.timeout_s:g} s ({exc})",
                    )
                ],
                summary="bad --scheduler option",
            ) from None

    def threads(self) -> int:
        if self.client is None:
            return os.cpu_count() or 1
        return max(1, sum(self.client.nthreads().values()))

    def start_local(self, n_workers: int) -> None:
        from distributed import Client, LocalCluster

        # One task per process, each solving with its share of the cores. Loopback only, and
        # a random dashboard port: several sweeps (or users) on one machine never collide.
        self.local = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.CRITICAL,  # task errors reach the client anyway
        )
        self.client = Client(self.local, set_as_default=False)

    def close(self) -> None:
        # Tearing down (perhaps after Ctrl-C) makes dask log closed connections as errors,
        # with tracebacks; a failed task has already reached us as an exception.
        self._logger.setLevel(logging.CRITICAL)
        try:
            if self.client is not None:
                self.client.close()
            if self.local is not None:
                self.local.close()
        finally:
            self._logger.setLevel(self._level)


def define_sweep(
    ws: Workspace,
    *,
    quota: str | None = None,
    by_year: int | None = None,
    grid: Path | None = None,
    sets: Mapping[str, Any] | None = None,
) -> SweepSpec:
    """The sweep of the command line: quota floors (``--quota``) or a grid file (``--grid``).

    Parameters
    ----------
    ws : Workspace
        The workspace (its scenario, with ``sets`` applied, says which window is swept).
    quota : str, optional
        ``"0.25,0.30,…"``.
    by_year : int, optional
        The quota window to sweep (default: the first).
    grid : pathlib.Path, optional
        A grid file.
    sets : mapping, optional
        ``--set`` overrides shared by every point.

    Returns
    -------
    SweepSpec

    Raises
    ------
    InputError
        Neither or both of ``quota`` and ``grid``, or a bad value.
    """
    sets = dict(sets or {})
    if (quota is None) == (grid is None):
        raise InputError(
            [
                InputIssue(
                    "--quota/--grid", None, None, None, "give exactly one of --quota and --grid"
                )
            ],
            summary="bad sweep options",
        )
    if grid is not None:
        if by_year is not None:
            raise InputError(
                [
                    InputIssue(
                        "--by-year",
                        None,
                        None,
                        str(by_year),
                        "--by-year goes with --quota (a grid names its windows)",
                    )
                ],
                summary="bad sweep options",
            )
        spec = read_grid(grid)
    else:
        assert quota is not None
        base = apply_settings(ws, ws.scenario, sets, "--set")
        spec = quota_points(base, parse_quota_list(quota), by_year)
    return SweepSpec(spec.points, spec.source, sets, spec.axis)


def run_sweep(
    workspace: Path | Workspace,
    out: Path,
    spec: SweepSpec,
    opts: SweepOptions | None = None,
    on_result: Callable[[PointResult, int, int], None] | None = None,
) -> SweepOutcome:
    """Run every point of ``spec`` and write the sweep folder ``out``.

    Parameters
    ----------
    workspace : pathlib.Path or Workspace
        The workspace folder, or the workspace already read.
    out : pathlib.Path
        The sweep folder (created; an existing sweep folder is resumed).
    spec : SweepSpec
        The points.
    opts : SweepOptions, optional
    on_result : callable, optional
        Called as ``on_result(result, done, total)`` after each point is written or kept.

    Returns
    -------
    SweepOutcome

    Raises
    ------
    InputError
        Bad workspace, settings or scheduler address (nothing solved).
    KeyboardInterrupt
        Interrupted: the scenarios written so far are kept; those in flight are lost.
    """
    from relocation.sweep_report import write_comparison

    opts = opts or SweepOptions()
    out = Path(out)
    ws = workspace if isinstance(workspace, Workspace) else read_workspace(Path(workspace))
    cluster = _Cluster(opts.scheduler, opts.connect_timeout_s)
    try:
        # Settings are checked before connecting: a typo should not wait for a network.
        build_scenarios(ws, spec, opts, 1)
        if opts.scheduler:
            cluster.connect()
        at_once, per = sweep_parallelism(len(spec.points), cluster.threads(), opts.workers_total)
        scenarios = build_scenarios(ws, spec, opts, per)
        _prepare_out(out, spec, ws, opts.force)
        results: dict[int, PointResult] = {}
        todo: list[int] = []
        hashes = [
            scenario_hash(sc, ws.input_hashes, opts.render_map, opts.lang) for sc in scenarios
        ]
        for i, (p, digest) in enumerate(zip(spec.points, hashes, strict=True)):
            kept = None if opts.force else read_finished(out, p, digest)
            if kept is None:
                todo.append(i)
            else:
                results[i] = PointResult(p, kept, skipped=True)
                if on_result:
                    on_result(results[i], len(results), len(spec.points))
        if todo:
            if cluster.client is None:
                cluster.start_local(min(at_once, len(todo)))
            client = cluster.client
            ws_data = client.scatter(ws, broadcast=True, hash=False)
            futures = {}
            for rank, i in enumerate(todo):
                fut = client.submit(
                    solve_point,
                    ws_data,
                    scenarios[i],
                    opts.render_map,
                    opts.lang,
                    key=f"relocation-sweep-{spec.points[i].folder}-{hashes[i][:12]}",
                    priority=-rank,
                    pure=False,
                )
                futures[fut] = i
            try:
                while futures:
                    done = [f for f in futures if f.done()]
                    if not done:
                        time.sleep(0.1)  # polling keeps the main thread open to signals
                        continue
                    for fut in done:
                        i = futures.pop(fut)
                        p = spec.points[i]
                        meta = {
                            "name": p.name,
                            "folder": p.folder,
                            "params": p.params,
                            "sets": spec.sets,
                            "hash": hashes[i],
                        }
                        summary = _write_point(out, p, fut.result(), meta, opts.command)
                        results[i] = PointResult(p, summary, skipped=False)
                        log.info("scenario %s: %s", p.name, summary.get("status"))
                        if on_result:
                            on_result(results[i], len(results), len(spec.points))
            finally:
                if futures:
                    client.cancel(list(futures))
    finally:
        cluster.close()
    outcome = SweepOutcome(tuple(results[i] for i in range(len(spec.points))), out, spec)
    write_comparison(outcome, ws.scenario)
    _clean_staging(out / "scenarios")
    return outcome


def _clean_staging(folder: Path) -> None:
    """Remove staging folders an earlier, killed run may have left (``.name.partial-*``)."""
    for p in folder.glob(".*.partial-*"):
        shutil.rmtree(p, ignore_errors=True)
