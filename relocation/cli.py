"""The ``relocation`` command line.

One function per command; each runs its work through :func:`run_guarded`, which turns the
project's errors into a message on stderr and an exit code (``relocation.domain.errors``: 2 bad
input, 3 infeasible, 130 interrupted, 143 terminated), never a traceback.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from relocation.domain.errors import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    EXIT_NO_PLAN,
    EXIT_OK,
    EXIT_SIGINT,
    EXIT_SIGTERM,
    InfeasibleError,
    InputError,
    InputIssue,
    RelocationError,
)

if TYPE_CHECKING:
    from geodata.workspace import Workspace
    from relocation.workflow import PlanOptions

logger = logging.getLogger(__name__)
EXIT_FAILURE = 1

app = typer.Typer(
    name="relocation",
    help="Plan enterprise relocation programmes (embedded Bình Dương demo).",
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
)


class _Terminated(BaseException):
    """Raised by the SIGTERM handler so that cleanup (temp folders) still runs."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated()


def format_issue(issue: InputIssue) -> str:
    """One line per issue (see :meth:`relocation.domain.errors.InputIssue.format`)."""
    return issue.format()


def _err(text: str) -> None:
    typer.echo(text, err=True)


def report_input_error(exc: InputError) -> None:
    """Print an ``InputError`` to stderr: a summary, then errors, then warnings."""

    def order(issue: InputIssue) -> tuple[str, int]:
        return issue.file, issue.row or 0

    # Sorted by file then row so that all problems of one row read together.
    errors = sorted((i for i in exc.issues if i.severity == "error"), key=order)
    warnings = sorted((i for i in exc.issues if i.severity != "error"), key=order)
    counts = f"{len(errors)} error(s)" + (f", {len(warnings)} warning(s)" if warnings else "")
    _err(f"error: {exc.summary}: {counts}")
    for issue in errors + warnings:
        _err("  " + format_issue(issue))


def run_guarded(work: Callable[[], int | None]) -> None:
    """Run a command's work and exit with the code its outcome maps to.

    Parameters
    ----------
    work : callable
        The command body; returns an exit code (``None`` means 0).

    Raises
    ------
    typer.Exit
        Always, with the exit code.
    """
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (e.g. under a test runner's worker thread)
        previous = None
    try:
        code = work() or EXIT_OK
    except InputError as exc:
        report_input_error(exc)
        code = EXIT_BAD_INPUT
    except InfeasibleError as exc:
        _err("infeasible: the scenario cannot be satisfied by the data")
        for line in exc.explanation:
            _err("  " + line)
        code = EXIT_INFEASIBLE
    except KeyboardInterrupt:
        _err("interrupted")
        code = EXIT_SIGINT
    except _Terminated:
        _err("terminated")
        code = EXIT_SIGTERM
    except RelocationError as exc:
        _err(f"error: {exc}")
        code = EXIT_FAILURE
    except OSError as exc:
        _err(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        code = EXIT_FAILURE
    except Exception as exc:  # the CLI never shows a traceback; the log keeps it
        logger.debug("internal error", exc_info=True)
        _err(f"internal error: {type(exc).__name__}: {exc} (please report it)")
        code = EXIT_FAILURE
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    raise typer.Exit(code)


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
) -> None:
    """Plan enterprise relocation programmes (embedded Bình Dương demo)."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )


def workspace_summary(ws: Workspace) -> str:
    """``N firms, M sites, ...`` for a workspace."""
    parts = [
        f"{len(ws.firms)} firms",
        f"{len(ws.sites)} sites",
        f"{len(ws.zones)} zones",
        f"{len(ws.stations)} stations",
        f"{len(ws.sectors)} sectors",
        f"{len(ws.site_phases)} site phases",
    ]
    if ws.pairs is not None:
        parts.append(f"{len(ws.pairs)} pairs")
    return ", ".join(parts)


@app.command("validate")
def validate_command(
    workspace: Annotated[Path, typer.Argument(help="Workspace folder to check.")],
) -> None:
    """Check a workspace; print a summary and warnings, or every problem (exit 2)."""

    def work() -> int:
        from geodata.workspace import read_workspace

        ws = read_workspace(workspace)
        typer.echo(f"OK: {workspace_summary(ws)} (scenario {ws.scenario.name!r})")
        for issue in ws.warnings:
            _err(format_issue(issue))
        return EXIT_OK

    run_guarded(work)


@app.command("export-demo")
def export_demo_command(
    dest: Annotated[Path, typer.Argument(help="Folder to create.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace DEST if it exists and is not empty.")
    ] = False,
) -> None:
    """Write the embedded Bình Dương demo as a workspace folder."""

    def work() -> int:
        from geodata.workspace import export_demo

        export_demo(dest, force=force)
        count = sum(1 for p in dest.iterdir() if p.is_file())
        typer.echo(f"Wrote the demo workspace to {dest} ({count} files)")
        return EXIT_OK

    run_guarded(work)


def _plan_and_report(
    workspace: Path,
    out: Path,
    opts: PlanOptions,
    quiet: bool,
    runner: Callable[..., object] | None = None,
) -> int:
    """Plan in a worker thread so that Ctrl-C and SIGTERM stop the solver promptly.

    ``runner(on_progress, token)`` replaces :func:`relocation.workflow.plan_workspace`
    (the replan passes its own).
    """
    import threading

    from models.solve import Interrupted, StopToken
    from relocation.progress import SolveProgress
    from relocation.workflow import plan_workspace

    token = StopToken()
    box: dict[str, object] = {}
    progress = SolveProgress(opts.time_limit_s, enabled=not quiet)

    def target() -> None:
        try:
            if runner is not None:
                box["outcome"] = runner(progress.update, token)
            else:
                box["outcome"] = plan_workspace(workspace, out, opts, progress.update, token)
        except BaseException as exc:  # re-raised in the main thread
            box["error"] = exc

    def on_signal(signum: int, frame: FrameType | None) -> None:
        token.stop("SIGINT" if signum == signal.SIGINT else "SIGTERM")

    worker = threading.Thread(target=target, name="solve", daemon=True)
    signals = {signal.SIGINT, signal.SIGTERM}
    old = {sig: signal.getsignal(sig) for sig in signals}
    for sig in old:
        signal.signal(sig, on_signal)
    # CP-SAT installs a C-level SIGINT handler while it solves (catch_sigint_signal) that
    # aborts the process when it fires outside the solving thread. Blocking the signals
    # before the worker starts (its threads inherit the mask) and taking them synchronously
    # here keeps them away from that handler; the Python handlers above stay as a fallback.
    masked = hasattr(signal, "pthread_sigmask")
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, signals) if masked else set()
    try:
        with progress:
            worker.start()
            while worker.is_alive():
                if masked:
                    got = signal.sigtimedwait(signals, 0.2)
                    if got is not None:
                        on_signal(got.si_signo, None)
                else:
                    worker.join(0.2)
                progress.tick()
        # A signal that arrives once the run is written changes nothing: drop it.
        while masked and signal.sigtimedwait(signals, 0) is not None:
            pass
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        for sig, handler in old.items():
            signal.signal(sig, handler)
    if "error" in box:
        exc = box["error"]
        if isinstance(exc, Interrupted):
            _err(f"stopped by {exc.reason}: nothing written, {out} left as it was")
            return EXIT_SIGINT if exc.reason == "SIGINT" else EXIT_SIGTERM
        raise exc  # type: ignore[misc]
    outcome = box["outcome"]
    from relocation.report import plan_report

    typer.echo(plan_report(outcome.summary, out))  # type: ignore[attr-defined]
    if runner is not None:
        from relocation.replan import replan_report

        typer.echo(replan_report(outcome.summary))  # type: ignore[attr-defined]
    return EXIT_OK if outcome.plan is not None else EXIT_NO_PLAN  # type: ignore[attr-defined]


def _parse_sets(values: list[str] | None) -> dict[str, object]:
    import tomllib

    out: dict[str, object] = {}
    for item in values or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise InputError(
                [
                    InputIssue(
                        "--set",
                        None,
                        None,
                        item,
                        "expected key=value, e.g. limits.max_moves_per_year=500",
                    )
                ],
                summary="bad --set option",
            )
        try:
            out[key.strip()] = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            out[key.strip()] = raw.strip()
    return out


TimeLimit = Annotated[
    float | None,
    typer.Option("--time-limit", help="Solver time limit, seconds (default: scenario, 60)."),
]
Workers = Annotated[
    int | None, typer.Option("--workers", help="CP-SAT workers (default: scenario, 2).")
]
Seed = Annotated[int | None, typer.Option("--seed", help="Random seed (default: scenario, 0).")]
DetTime = Annotated[
    float | None,
    typer.Option(
        "--deterministic-time",
        help="Stop on CP-SAT's deterministic time instead of the clock "
        "(with --workers 1 and a seed: reproducible).",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]
Force = Annotated[bool, typer.Option("--force", help="Replace the output folder if it exists.")]
Sets = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a scenario.toml setting: dotted.key=value (repeatable)."),
]
Lang = Annotated[str, typer.Option("--lang", help="Map language: vi or en.")]


def _options(
    time_limit: float | None,
    det: float | None,
    workers: int | None,
    seed: int | None,
    sets: list[str] | None,
    force: bool,
    lang: str,
) -> PlanOptions:
    if lang not in ("vi", "en"):
        raise InputError(
            [InputIssue("--lang", None, None, lang, "must be vi or en")], summary="bad option"
        )
    # Imported here: the workflow pulls in the solver and the map renderer, which commands
    # such as ``explain`` and ``validate`` do not need (they answer in about a second).
    from relocation.workflow import PlanOptions

    return PlanOptions(
        time_limit_s=time_limit,
        deterministic_time_s=det,
        workers=workers,
        seed=seed,
        overrides=_parse_sets(sets),
        force=force,
        lang=lang,
        command=tuple(sys.argv[1:]),
    )


def check_options(workspace: Path, opts: PlanOptions) -> None:
    """Refuse ``--set`` overrides and solver options the scenario does not accept (exit 2).

    They are applied to the workspace's ``scenario.toml`` before anything is read or written,
    so that a misspelt key or an out-of-range value names its option instead of surfacing as
    an internal error. A missing or invalid ``scenario.toml`` is left to the workspace reader;
    ids the workspace lacks are refused once it is read.

    Raises
    ------
    InputError
        Naming each bad option and what is wrong with it.
    """
    from geodata.tables import SCENARIO_FILE, IssueLog
    from geodata.workspace import read_scenario
    from relocation.workflow import option_updates

    updates, sources = option_updates(opts)
    path = Path(workspace) / SCENARIO_FILE
    base = read_scenario(path, IssueLog()) if updates and path.is_file() else None
    if base is not None:
        base.with_overrides(updates, sources)


@app.command("plan")
def plan_command(
    workspace: Annotated[Path, typer.Argument(help="Workspace folder.")],
    out: Annotated[Path, typer.Option("--out", help="Run folder to write.")],
    time_limit: TimeLimit = None,
    deterministic_time: DetTime = None,
    workers: Workers = None,
    seed: Seed = None,
    sets: Sets = None,
    quiet: Quiet = False,
    force: Force = False,
    lang: Lang = "vi",
) -> None:
    """Plan a workspace: which firm moves where and when. Writes the run folder OUT."""

    def work() -> int:
        opts = _options(time_limit, deterministic_time, workers, seed, sets, force, lang)
        check_options(workspace, opts)
        return _plan_and_report(workspace, out, opts, quiet)

    run_guarded(work)


@app.command("demo")
def demo_command(
    out: Annotated[Path, typer.Option("--out", help="Run folder to write.")] = Path("runs/demo"),
    time_limit: TimeLimit = None,
    workers: Workers = None,
    seed: Seed = None,
    quiet: Quiet = False,
    force: Force = False,
    lang: Lang = "vi",
) -> None:
    """Plan the embedded Bình Dương demo end to end (export it with export-demo to edit it)."""

    def work() -> int:
        from geodata.workspace import demo_dir

        opts = _options(time_limit, None, workers, seed, None, force, lang)
        check_options(demo_dir(), opts)
        typer.echo(f"Planning the embedded Bình Dương demo ({demo_dir()}) …")
        return _plan_and_report(demo_dir(), out, opts, quiet)

    run_guarded(work)


# ----------------------------------------------------------------- sweep and diff (issue 5)


def _sweep_line(result: object, done: int, total: int) -> str:
    from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS

    s = result.summary  # type: ignore[attr-defined]
    name = result.point.name  # type: ignore[attr-defined]
    kept = " (kept from an earlier run)" if result.skipped else ""  # type: ignore[attr-defined]
    terms = s.get("terms")
    if terms:
        cost = sum(terms[t] for t in COST_TERMS) / 1e9
        dis = sum(terms[t] for t in DISRUPTION_TERMS) / 1e9
        what = f"cost {cost:,.1f} bn VND, disruption {dis:,.1f} bn VND"
    elif s.get("status") == "INFEASIBLE":
        best = (s.get("best_achievable_share") or {}).get("share")
        what = "infeasible" + ("" if best is None else f"; highest achievable share {best:.1%}")
    else:
        what = "no plan within the time limit (a rerun tries again)"
    return f"[{done}/{total}] {name}: {s.get('status')}, {what}{kept}"


@app.command("map")
def map_command(
    run: Annotated[Path, typer.Argument(help="Run folder written by plan.")],
    lang: Lang = "vi",
    tiles: Annotated[
        str | None,
        typer.Option(
            "--tiles",
            help="Base layer fetched from the internet when the map is opened: osm "
            "(OpenStreetMap). Default: none, the map needs no network.",
        ),
    ] = None,
) -> None:
    """Re-render a run folder's map.html from its own files (e.g. --lang en)."""

    def work() -> int:
        from relocation.freed_land import rerender_map
        from relocation.run_folder import check_run_folder

        if lang not in ("vi", "en"):
            raise InputError(
                [InputIssue("--lang", None, None, lang, "must be vi or en")], summary="bad option"
            )
        if tiles not in (None, "osm"):
            raise InputError(
                [InputIssue("--tiles", None, None, tiles, "must be osm")], summary="bad option"
            )
        check_run_folder(run, ("plan.gpkg", "site_load.csv"), "draw")
        path = rerender_map(run, lang, tiles=tiles)
        typer.echo(f"Wrote {path}")
        return EXIT_OK

    run_guarded(work)


SweepOutputs = Annotated[
    str,
    typer.Option(
        "--outputs",
        help="plans: each scenario's plan files only (fast, the default); all: also its "
        "workbook, GeoPackage and map (or later: relocation outputs RUN).",
    ),
]


@app.command("sweep")
def sweep_command(
    workspace: Annotated[Path, typer.Argument(help="Workspace folder.")],
    out: Annotated[Path, typer.Option("--out", help="Sweep folder to write (or resume).")],
    quota: Annotated[
        str | None,
        typer.Option("--quota", help="Quota floors to sweep, e.g. 0.25,0.30,0.35."),
    ] = None,
    by_year: Annotated[
        int | None,
        typer.Option("--by-year", help="Quota window swept by --quota (default: the first)."),
    ] = None,
    grid: Annotated[
        Path | None,
        typer.Option(
            "--grid", help="Grid file ([grid] dotted.key = [values]; see the README)."
        ),
    ] = None,
    sets: Sets = None,
    workers_total: Annotated[
        int | None,
        typer.Option(
            "--workers-total",
            min=1,
            help="CP-SAT threads for the whole sweep (default: all cores).",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Existing dask scheduler, tcp://HOST:PORT (default: a local cluster).",
        ),
    ] = None,
    time_limit: TimeLimit = None,
    quiet: Quiet = False,
    force: Annotated[
        bool, typer.Option("--force", help="Solve every scenario again (no resuming).")
    ] = False,
    lang: Lang = "vi",
    outputs: SweepOutputs = "plans",
) -> None:
    """Plan one scenario per quota floor or grid point, in parallel, and compare them.

    Writes OUT/scenarios/<name>/ (a run folder each), OUT/comparison.csv, .xlsx and
    OUT/report.html. Infeasible scenarios are recorded (their summary.json explains why)
    and the sweep goes on. Exits 4 when some scenario found no plan within its time limit
    (named); a rerun keeps the finished scenarios and solves those again.
    """
    finished = [0]

    def work() -> int:
        from geodata.workspace import read_workspace
        from relocation.sweep import SweepOptions, define_sweep, run_sweep

        if lang not in ("vi", "en"):
            raise InputError(
                [InputIssue("--lang", None, None, lang, "must be vi or en")],
                summary="bad option",
            )
        ws = read_workspace(workspace)
        spec = define_sweep(ws, quota=quota, by_year=by_year, grid=grid, sets=_parse_sets(sets))
        opts = SweepOptions(
            time_limit_s=time_limit,
            workers_total=workers_total,
            scheduler=scheduler,
            force=force,
            lang=lang,
            outputs=outputs,
            command=tuple(sys.argv[1:]),
        )

        def on_result(result: object, done: int, total: int) -> None:
            finished[0] = done
            if not quiet:
                _err(_sweep_line(result, done, total))

        try:
            outcome = run_sweep(ws, out, spec, opts, on_result=on_result)
        except (KeyboardInterrupt, _Terminated):
            _err(
                f"{finished[0]} scenario(s) are finished in {out}/scenarios; "
                "run the same command again to resume"
            )
            raise
        n_bad = sum(1 for r in outcome.results if not r.summary.get("terms"))
        typer.echo(
            f"Sweep of {len(outcome.results)} scenarios in {out}/ "
            f"({n_bad} without a plan): comparison.csv, comparison.xlsx, report.html"
        )
        starved = [r.point.name for r in outcome.without_plan]
        if starved:
            _err(
                f"no plan within the time limit for {len(starved)} scenario(s): "
                + ", ".join(starved)
                + "; run the same command again to retry them (or allow more time, "
                "--time-limit)"
            )
            return EXIT_NO_PLAN
        return EXIT_OK

    run_guarded(work)


# --------------------------------------------------- deferred outputs and Pareto (issue 14)

#: Every message of the ``outputs`` and ``pareto`` commands (plain English, in one place so
#: that they can move to the message catalogue).
PARETO_MESSAGES = {
    "outputs_none": "{run}: every output is already there ({files})",
    "outputs_wrote": "Wrote {files} in {run}",
    "outputs_bad_which": "must be a comma-separated list of: {choices}",
    "outputs_not_run": "neither a run folder (summary.json) nor a sweep folder (sweep.json)",
    "pareto_point": "[{done}/{total}] {name} (ε = {tol:.2%}): {status}, {what}{kept}",
    "pareto_kept": " (kept from an earlier run)",
    "pareto_plan": "cost {cost:,.1f} bn VND, disruption {dis:,.1f} bn VND, gap {gap}",
    "pareto_no_plan": "no plan",
    "pareto_done": "Pareto front of {n} points in {out}/: {front} non-dominated, "
    "{unproven} not proven within {gap:.2%}: pareto.csv, pareto.html",
    "pareto_starved": "no plan within the time limit for {n} point(s): {names}; run the same "
    "command again to retry them (or allow more time, --time-limit)",
    "pareto_stopped": "{n} point(s) are finished in {out}/scenarios; run the same command "
    "again to resume",
}


@app.command("outputs")
def outputs_command(
    run: Annotated[Path, typer.Argument(help="Run folder, or a sweep or Pareto folder.")],
    which: Annotated[
        str,
        typer.Option(
            "--which", help="Outputs to write: schedule.xlsx,plan.gpkg,map.html (default all)."
        ),
    ] = "schedule.xlsx,plan.gpkg,map.html",
    lang: Lang = "vi",
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", help="The workspace, when it has moved since the run."),
    ] = None,
    missing: Annotated[
        bool, typer.Option("--missing", help="Write only the outputs a folder lacks.")
    ] = False,
) -> None:
    """Write the deferred outputs (workbook, GeoPackage, map) of a run from its own files.

    A sweep writes each scenario's plan only (--outputs plans); this writes the rest for
    one run folder, or for every scenario with a plan of a sweep or Pareto folder.
    """
    msg = PARETO_MESSAGES

    def work() -> int:
        from relocation.run_folder import DEFERRED_FILES, write_outputs

        if lang not in ("vi", "en"):
            raise InputError(
                [InputIssue("--lang", None, None, lang, "must be vi or en")], summary="bad option"
            )
        files = tuple(f.strip() for f in which.split(",") if f.strip())
        if not files or any(f not in DEFERRED_FILES for f in files):
            raise InputError(
                [InputIssue("--which", None, None, which,
                            msg["outputs_bad_which"].format(choices=", ".join(DEFERRED_FILES)))],
                summary="bad option",
            )
        if (run / "sweep.json").is_file():
            runs = sorted(
                p for p in (run / "scenarios").iterdir()
                if p.is_dir() and not p.name.startswith(".") and _has_plan(p)
            )
        elif (run / "summary.json").is_file():
            runs = [run]
        else:
            raise InputError(
                [InputIssue(str(run), None, None, None, msg["outputs_not_run"])],
                summary="cannot write the outputs of the run",
            )
        for r in runs:
            written = write_outputs(r, files, lang, workspace, only_missing=missing)
            if written:
                typer.echo(msg["outputs_wrote"].format(
                    files=", ".join(p.name for p in written), run=r))
            else:
                typer.echo(msg["outputs_none"].format(run=r, files=", ".join(files)))
        return EXIT_OK

    run_guarded(work)


def _has_plan(run: Path) -> bool:
    import json

    try:
        return bool(json.loads((run / "summary.json").read_text(encoding="utf-8")).get("terms"))
    except (OSError, ValueError, AttributeError):
        return False


@app.command("pareto")
def pareto_command(
    workspace: Annotated[Path, typer.Argument(help="Workspace folder.")],
    out: Annotated[Path, typer.Option("--out", help="Pareto folder to write (or resume).")],
    tolerances: Annotated[
        str | None,
        typer.Option(
            "--tolerances",
            help="Cost tolerances ε, shares or percentages, e.g. 0,0.5%,1%,2% "
            "(default 0,0.25%,0.5%,1%,2%,4%,8%).",
        ),
    ] = None,
    gap: Annotated[
        float | None,
        typer.Option(
            "--gap", help="A point is proven when its gap is at most this share "
            "(default: the scenario's solver.relative_gap, 0.001)."
        ),
    ] = None,
    sets: Sets = None,
    workers_total: Annotated[
        int | None,
        typer.Option("--workers-total", min=1,
                     help="CP-SAT threads for the whole run (default: all cores)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Existing dask scheduler, tcp://HOST:PORT."),
    ] = None,
    time_limit: TimeLimit = None,
    quiet: Quiet = False,
    force: Annotated[
        bool, typer.Option("--force", help="Solve every point again (no resuming).")
    ] = False,
    lang: Lang = "vi",
    outputs: SweepOutputs = "plans",
) -> None:
    """The cost–disruption front: one lexicographic plan per cost tolerance ε.

    Each point minimises cost, then disruption among plans within ε of the least cost.
    Writes OUT/scenarios/<point>/ (a run folder each), OUT/pareto.csv and OUT/pareto.html
    (the non-dominated points drawn, each linked to its plan; points not proven within
    --gap marked), and the sweep's comparison. Exits 4 when a point found no plan in time.
    """
    msg = PARETO_MESSAGES
    finished = [0]

    def work() -> int:
        from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS
        from relocation.pareto import DEFAULT_TOLERANCES, parse_tolerances, run_pareto
        from relocation.sweep import SweepOptions

        if lang not in ("vi", "en"):
            raise InputError(
                [InputIssue("--lang", None, None, lang, "must be vi or en")], summary="bad option"
            )
        tols = DEFAULT_TOLERANCES if tolerances is None else parse_tolerances(tolerances)
        opts = SweepOptions(
            time_limit_s=time_limit, workers_total=workers_total, scheduler=scheduler,
            force=force, lang=lang, outputs=outputs, command=tuple(sys.argv[1:]),
        )

        def on_result(result: object, done: int, total: int) -> None:
            finished[0] = done
            if quiet:
                return
            s = result.summary  # type: ignore[attr-defined]
            terms = s.get("terms")
            if terms:
                g = s.get("gap")
                what = msg["pareto_plan"].format(
                    cost=sum(terms[t] for t in COST_TERMS) / 1e9,
                    dis=sum(terms[t] for t in DISRUPTION_TERMS) / 1e9,
                    gap="—" if g is None else f"{g:.3%}",
                )
            else:
                what = msg["pareto_no_plan"]
            point = result.point  # type: ignore[attr-defined]
            _err(msg["pareto_point"].format(
                done=done, total=total, name=point.name,
                tol=point.params["weights.cost_tolerance"], status=s.get("status"), what=what,
                kept=msg["pareto_kept"] if result.skipped else "",  # type: ignore[attr-defined]
            ))

        try:
            res = run_pareto(workspace, out, tols, opts, _parse_sets(sets), gap, on_result)
        except (KeyboardInterrupt, _Terminated):
            _err(msg["pareto_stopped"].format(n=finished[0], out=out))
            raise
        t = res.table
        has = t["cost_vnd"].notna()
        typer.echo(msg["pareto_done"].format(
            n=len(t), out=out, front=int((has & ~t["dominated"]).sum()),
            unproven=int((has & ~t["proven"]).sum()), gap=res.relative_gap,
        ))
        starved = [r.point.name for r in res.sweep.without_plan]
        if starved:
            _err(msg["pareto_starved"].format(n=len(starved), names=", ".join(starved)))
            return EXIT_NO_PLAN
        return EXIT_OK

    run_guarded(work)


@app.command("diff")
def diff_command(
    run_a: Annotated[Path, typer.Argument(help="Run folder A (the reference).")],
    run_b: Annotated[Path, typer.Argument(help="Run folder B (compared with A).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the firm table as CSV.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help="Print at most N firms.")
    ] = None,
) -> None:
    """List firms that move earlier, later, elsewhere, no longer or newly in B than in A."""

    def work() -> int:
        from relocation.diff import diff_runs, format_diff, read_run, write_diff_csv

        a, b = read_run(run_a), read_run(run_b)
        d = diff_runs(a, b)
        typer.echo(format_diff(d, str(run_a), str(run_b), limit))
        if out is not None:
            write_diff_csv(d, out)
            typer.echo(f"wrote {out}")
        return EXIT_OK

    run_guarded(work)


# ----------------------------------------------------------- replan and explain (issue 9)


@app.command("replan")
def replan_command(
    workspace: Annotated[Path, typer.Argument(help="Workspace folder (its actuals: the facts).")],
    baseline: Annotated[Path, typer.Option("--baseline", help="The baseline run folder.")],
    out: Annotated[Path, typer.Option("--out", help="Run folder to write.")],
    as_of: Annotated[
        int | None,
        typer.Option("--as-of", help="Last year of recorded facts (default: the year before "
                     "the horizon's start)."),
    ] = None,
    actuals: Annotated[
        Path | None, typer.Option("--actuals", help="Actuals table replacing the workspace's.")
    ] = None,
    time_limit: TimeLimit = None,
    deterministic_time: DetTime = None,
    workers: Workers = None,
    seed: Seed = None,
    sets: Sets = None,
    quiet: Quiet = False,
    force: Force = False,
    lang: Lang = "vi",
) -> None:
    """Re-plan from what happened, keeping close to a baseline run (the annual review)."""

    def work() -> int:
        from relocation.replan import replan_workspace

        opts = _options(time_limit, deterministic_time, workers, seed, sets, force, lang)
        check_options(workspace, opts)

        def runner(on_progress: object, token: object) -> object:
            return replan_workspace(workspace, baseline, out, opts, as_of, actuals,
                                    on_progress, token)

        return _plan_and_report(workspace, out, opts, quiet, runner=runner)

    run_guarded(work)


@app.command("explain")
def explain_command(
    run: Annotated[Path, typer.Argument(help="A run folder with a plan.")],
    firm_id: Annotated[str | None, typer.Argument(help="The firm to explain.")] = None,
    all_firms: Annotated[
        bool, typer.Option("--all", help="Explain every firm into RUN/explanations.csv.")
    ] = False,
    lang: Lang = "vi",
) -> None:
    """Explain a firm's move: its terms, its three best alternatives, the sites ruled out."""

    def work() -> int:
        from geodata.outputs import write_csv
        from relocation.explain import explain_firm, explanations_table, format_explanation
        from relocation.explain import load_run as load_explainer

        if lang not in ("vi", "en"):
            raise InputError([InputIssue("--lang", None, None, lang, "must be vi or en")],
                             summary="bad option")
        if (firm_id is None) == (not all_firms):
            raise InputError([InputIssue("explain", None, None, None,
                                         "give a FIRM_ID or --all (one of them)")],
                             summary="bad option")
        exp = load_explainer(run)
        if all_firms:
            table = explanations_table(exp, lang)
            write_csv(table, run / "explanations.csv")
            typer.echo(f"{len(table):,} firms explained: {run / 'explanations.csv'}")
            return EXIT_OK
        assert firm_id is not None
        try:
            d = explain_firm(exp, firm_id, lang)
        except KeyError:
            raise InputError([InputIssue("FIRM_ID", None, None, firm_id,
                                         "the run has no such firm")],
                             summary="bad option") from None
        typer.echo(format_explanation(d, lang))
        return EXIT_OK

    run_guarded(work)


def main() -> None:
    """Entry point of the ``relocation`` console script."""
    app()


if __name__ == "__main__":
    main()
