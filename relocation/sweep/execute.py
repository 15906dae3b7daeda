"""Running a sweep: a local Dask cluster (or ``--scheduler``), resuming, the sweep folder.

Workers get the workspace *data* and return the run folder's files as bytes; only this
process writes to disk, so no shared filesystem is needed. Every run folder's
``summary.json`` records ``sweep.hash``, a digest of the scenario as solved, the input
files and the output settings: a rerun keeps the folders whose hash matches and that hold
a plan (or a proof of infeasibility), and solves the rest; ``force`` solves every point
again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geodata.adapter import to_problem
from geodata.outputs import staged_folder, write_json
from geodata.workspace import Workspace, read_workspace
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.scenario import Scenario
from relocation.phases import enter_phase
from relocation.sweep.report import write_comparison
from relocation.sweep.spec import (
    PointResult,
    SweepOutcome,
    SweepPoint,
    SweepSpec,
    has_outcome,
    safe_folder_name,
)
from relocation.workflow import apply_settings

log = logging.getLogger(__name__)

#: Bumped when the run-folder contents change, so old folders are not reused.
SWEEP_FORMAT = 2

#: What a sweep writes in each scenario's folder: ``plans`` (default) the plan's own files
#: (``schedule.csv``, ``summary.json``, ``scenario.toml``, ``site_load.csv``,
#: ``freed_land.csv``, ``charts.html``), so a sweep is bound by solving; ``all`` every file
#: of a run folder (the workbook, the GeoPackage and the map too). ``relocation outputs``
#: writes the rest afterwards.
SWEEP_OUTPUTS = ("plans", "all")


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
        Write each scenario's ``map.html`` when ``outputs`` is ``all``.
    outputs : str
        ``plans`` (default) or ``all`` (:data:`SWEEP_OUTPUTS`); a resumed sweep with
        ``all`` writes the outputs its kept folders lack, without solving them again.
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
    outputs: str = "plans"
    lang: str = "vi"
    connect_timeout_s: float = 5.0
    command: tuple[str, ...] = ()


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


def scenario_hash(sc: Scenario, inputs: Mapping[str, str]) -> str:
    """Digest of everything a scenario's plan depends on (resume key).

    The output settings are left out: a folder written with ``--outputs plans`` is kept by
    a rerun with ``--outputs all``, which only adds the missing files.
    """
    blob = json.dumps(
        {
            "format": SWEEP_FORMAT,
            "scenario": sc.model_dump(mode="json"),
            "inputs": dict(sorted(inputs.items())),
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
    # The quota base (firms still slated) of the base scenario: a --quota point changes
    # only the floor, never which firms are slated.
    n_slated = (
        to_problem(ws, base).n_slated if any(p.quota is not None for p in spec.points) else None
    )
    out: list[Scenario] = []
    for p in spec.points:
        try:
            sc = p.scenario(ws, base, spec.source, n_slated)
            out.append(sc.with_overrides({**cli, "name": p.name}, sources))
        except InputError as exc:
            note(exc.issues)
    if issues:
        raise InputError(list(issues.values()), summary="bad setting")
    return out


def solve_point(
    ws: Workspace, sc: Scenario, render_map: bool, lang: str, outputs: str = "plans"
) -> dict[str, Any]:
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
        write_run(plan_scenario(ws, sc), out, render_map=render_map, lang=lang, outputs=outputs)
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
    """The summary of a finished run folder whose hash is ``digest``, else None.

    Finished: see :func:`is_finished`.
    """
    path = _scenario_dir(out, point.folder) / "summary.json"
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sweep = summary.get("sweep") if isinstance(summary, dict) else None
    if isinstance(sweep, dict) and sweep.get("hash") == digest and is_finished(summary):
        return summary
    return None


def is_finished(summary: Mapping[str, Any]) -> bool:
    """True for a plan or a proof of infeasibility; False for no plan within the time limit.

    Only finished scenarios are kept by a rerun: one that found no plan in time is solved
    again.
    """
    return has_outcome(summary)


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
    opts = opts or SweepOptions()
    if opts.outputs not in SWEEP_OUTPUTS:
        raise InputError(
            [InputIssue("--outputs", None, None, opts.outputs, "must be plans or all")],
            summary="bad option",
        )
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
        hashes = [scenario_hash(sc, ws.input_hashes) for sc in scenarios]
        for i, (p, digest) in enumerate(zip(spec.points, hashes, strict=True)):
            kept = None if opts.force else read_finished(out, p, digest)
            if kept is None:
                todo.append(i)
            else:
                if opts.outputs == "all" and kept.get("terms"):
                    _complete_outputs(out, p, opts)
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
                    opts.outputs,
                    key=f"relocation-sweep-{spec.points[i].folder}-{hashes[i][:12]}",
                    priority=-rank,
                    pure=False,
                )
                futures[fut] = i
            enter_phase("sweep")
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


def _complete_outputs(out: Path, point: SweepPoint, opts: SweepOptions) -> None:
    """Write the deferred outputs a kept scenario folder lacks (``--outputs all`` on resume)."""
    from relocation.run_folder import DEFERRED_FILES, write_outputs

    which = tuple(f for f in DEFERRED_FILES if opts.render_map or f != "map.html")
    written = write_outputs(_scenario_dir(out, point.folder), which, opts.lang, only_missing=True)
    if written:
        log.info("scenario %s: wrote %s", point.name, ", ".join(p.name for p in written))


def _clean_staging(folder: Path) -> None:
    """Remove staging folders an earlier, killed run may have left (``.name.partial-*``)."""
    for p in folder.glob(".*.partial-*"):
        shutil.rmtree(p, ignore_errors=True)
