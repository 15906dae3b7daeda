"""The ``relocation`` command line.

One function per command; each runs its work through :func:`run_guarded`, which turns the
project's errors into a message on stderr and an exit code (``relocation.domain.errors``: 2 bad
input, 3 infeasible, 130 interrupted, 143 terminated), never a traceback.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
import typer.core

from relocation import messages
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


def _startup_language() -> str:
    lang = messages.choose_language(messages.argv_language(sys.argv[1:]))
    return lang if lang in messages.LANGUAGES else "en"


#: The language of help texts, known before the command line is parsed (``--lang``
#: anywhere on it, ``RELOCATION_LANG``, the locale): help is declared with the commands.
HELP_LANG = _startup_language()
#: The language of this command line's messages (set by ``--lang``; one process, one CLI)
#: and of the documents it writes (map, workbook labels, explanations): Vietnamese unless a
#: language is chosen explicitly (``--lang``, ``RELOCATION_LANG``), whatever the locale.
_state = {"lang": HELP_LANG, "output": "vi"}


def current_language() -> str:
    """The language the CLI answers in (``vi`` or ``en``)."""
    return _state["lang"]


def output_language() -> str:
    """The language of the documents written (map, workbook labels, explanations)."""
    return _state["output"]


def _t(key: str, **values: object) -> str:
    return messages.t(current_language(), key, **values)


def h(key: str) -> str:
    """Help text ``key`` of the catalogue, in the help language."""
    return messages.t(HELP_LANG, key)


def _framework_text(text: str) -> str:
    """The help framework's own words (headings, ``required``) in the help language."""
    key = messages.FRAMEWORK_KEYS.get(text)
    # Templates such as "default: {default}" are filled in by the caller.
    return text if key is None else messages.CATALOGUE[HELP_LANG][key]


# typer's help headings ("Options", "required", "default: …") go through gettext.
typer.core._ = _framework_text  # type: ignore[attr-defined]


class _Localised:
    """The ``Usage:`` prefix and ``--help``'s own help in the help language."""

    def format_usage(self, ctx: typer.Context, formatter: typing.Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=h("help.usage") + " ")

    def get_help_option(self, ctx: typer.Context) -> typing.Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = h("help.help")
        return option


class _Command(_Localised, typer.core.TyperCommand):
    pass


class _Group(_Localised, typer.core.TyperGroup):
    pass


app = typer.Typer(
    name="relocation",
    cls=_Group,
    help=h("app.help"),
    epilog=h("app.epilog"),
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    # Plain click help: no rich markup, so "[grid]" and "<name>" print as written, and
    # paragraphs re-wrap to the terminal's width.
    rich_markup_mode=None,
)


def command(name: str, key: str | None = None) -> Callable[[Callable[..., None]], object]:
    """Declare command ``name`` with its help and examples from the catalogue.

    ``cmd.KEY.help`` is the help and ``cmd.KEY.examples`` (optional) the examples, one a
    line; ``KEY`` is ``name`` with ``_`` for ``-`` unless given.
    """
    key = key or name.replace("-", "_")
    examples = messages.CATALOGUE[HELP_LANG].get(f"cmd.{key}.examples")
    # "\b" keeps click from re-wrapping the example lines into one paragraph.
    epilog = None if examples is None else f"{h('examples')}\n\n\b\n{examples}"
    return app.command(name, help=h(f"cmd.{key}.help"), epilog=epilog, cls=_Command)


def use_language(lang: str | None, explicit: bool = True) -> str:
    """Set the CLI's language (``None``: keep it) and return the documents' language.

    An ``explicit`` choice (``--lang``, ``RELOCATION_LANG``) also sets the documents'
    language; the locale sets the messages' only.

    Raises
    ------
    InputError
        ``lang`` is not ``vi`` or ``en`` (exit 2).
    """
    if lang is None:
        return output_language()
    if lang not in messages.LANGUAGES:
        raise InputError(
            [InputIssue("--lang", None, None, lang, "must be vi or en")], summary="bad option"
        )
    _state["lang"] = lang
    if explicit:
        _state["output"] = lang
    return output_language()


class _Terminated(BaseException):
    """Raised by the SIGTERM handler so that cleanup (temp folders) still runs."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated()


def format_issue(issue: InputIssue, lang: str | None = None) -> str:
    """One line per issue in the CLI's language (:func:`relocation.messages.format_issue`)."""
    return messages.format_issue(issue, lang or current_language())


def _err(text: str) -> None:
    typer.echo(text, err=True)


def report_input_error(exc: InputError) -> None:
    """Print an ``InputError`` to stderr: a summary, then errors, then warnings."""

    def order(issue: InputIssue) -> tuple[str, int]:
        return issue.file, issue.row or 0

    # Sorted by file then row so that all problems of one row read together.
    errors = sorted((i for i in exc.issues if i.severity == "error"), key=order)
    warnings = sorted((i for i in exc.issues if i.severity != "error"), key=order)
    counts = _t("err.errors", n=len(errors))
    if warnings:
        counts += ", " + _t("err.warnings", n=len(warnings))
    summary = messages.translate(exc.summary, current_language())
    _err(_t("err.summary", summary=summary, counts=counts))
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
        _err(_t("err.infeasible"))
        for line in exc.lines(current_language()):
            _err("  " + line)
        code = EXIT_INFEASIBLE
    except KeyboardInterrupt:
        _err(_t("err.interrupted"))
        code = EXIT_SIGINT
    except _Terminated:
        _err(_t("err.terminated"))
        code = EXIT_SIGTERM
    except RelocationError as exc:
        _err(_t("err.plain", text=exc))
        code = EXIT_FAILURE
    except OSError as exc:
        text = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
        _err(_t("err.plain", text=text))
        code = EXIT_FAILURE
    except Exception as exc:  # the CLI never shows a traceback; the log keeps it
        logger.debug("internal error", exc_info=True)
        _err(_t("err.internal", kind=type(exc).__name__, text=exc))
        code = EXIT_FAILURE
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    raise typer.Exit(code)


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help=h("opt.verbose"))] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help=h("opt.lang"), metavar="vi|en")
    ] = None,
) -> None:
    try:
        env = os.environ.get(messages.LANG_ENV, "").strip().lower()
        explicit = lang is not None or env in messages.LANGUAGES
        use_language(messages.choose_language(lang), explicit=explicit)
    except InputError as exc:
        report_input_error(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )


def workspace_summary(ws: Workspace) -> str:
    """``N firms, M sites, ...`` for a workspace."""
    tables = ["firms", "sites", "zones", "stations", "sectors", "site_phases"]
    if ws.pairs is not None:
        tables.append("pairs")
    return ", ".join(_t(f"out.count.{name}", n=len(getattr(ws, name))) for name in tables)


Workspace = Annotated[Path, typer.Argument(help=h("arg.workspace"), metavar="WORKSPACE")]


@command("validate")
def validate_command(
    workspace: Annotated[
        Path, typer.Argument(help=h("cmd.validate.arg"), metavar="WORKSPACE")
    ],
) -> None:
    """``relocation validate`` (help: the catalogue's ``cmd.validate.help``)."""

    def work() -> int:
        from geodata.workspace import read_workspace

        ws = read_workspace(workspace)
        typer.echo(_t("out.validate_ok", summary=workspace_summary(ws), name=ws.scenario.name))
        for issue in ws.warnings:
            _err(format_issue(issue))
        return EXIT_OK

    run_guarded(work)


@command("export-demo")
def export_demo_command(
    dest: Annotated[Path, typer.Argument(help=h("cmd.export_demo.dest"), metavar="DEST")],
    force: Annotated[bool, typer.Option("--force", help=h("cmd.export_demo.force"))] = False,
) -> None:
    """``relocation export-demo`` (help: the catalogue's ``cmd.export_demo.help``)."""

    def work() -> int:
        from geodata.workspace import export_demo

        export_demo(dest, force=force)
        count = sum(1 for p in dest.iterdir() if p.is_file())
        typer.echo(_t("out.exported", dest=dest, count=count))
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
    progress = SolveProgress(opts.time_limit_s, enabled=not quiet, lang=current_language())
    # The display starts when the solve does (relocation.phases), not before the checks
    # that may refuse the run (an existing --out, bad input).
    token.on_phase = progress.on_phase  # type: ignore[attr-defined]

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
            _err(_t("out.stopped", reason=exc.reason, out=out))
            return EXIT_SIGINT if exc.reason == "SIGINT" else EXIT_SIGTERM
        raise exc  # type: ignore[misc]
    outcome = box["outcome"]
    from relocation.report import plan_report, replan_report

    lang = current_language()
    typer.echo(plan_report(outcome.summary, out, lang))  # type: ignore[attr-defined]
    if runner is not None:
        typer.echo(replan_report(outcome.summary, lang))  # type: ignore[attr-defined]
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
    typer.Option("--time-limit", help=h("opt.time_limit"), metavar="SECONDS"),
]
Workers = Annotated[int | None, typer.Option("--workers", help=h("opt.workers"), metavar="N")]
Seed = Annotated[int | None, typer.Option("--seed", help=h("opt.seed"), metavar="N")]
DetTime = Annotated[
    float | None,
    typer.Option("--deterministic-time", help=h("opt.det_time"), metavar="SECONDS"),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help=h("opt.quiet"))]
Force = Annotated[bool, typer.Option("--force", help=h("opt.force"))]
Sets = Annotated[
    list[str] | None, typer.Option("--set", help=h("opt.set"), metavar="KEY=VALUE")
]
OutRun = Annotated[Path, typer.Option("--out", help=h("opt.out_run"), metavar="OUT")]
#: ``COMMAND --lang``: the global ``--lang`` given after the command (older scripts).
Lang = Annotated[
    str | None, typer.Option("--lang", help=h("opt.lang_alias"), metavar="vi|en")
]


def _options(
    time_limit: float | None,
    det: float | None,
    workers: int | None,
    seed: int | None,
    sets: list[str] | None,
    force: bool,
    lang: str | None,
) -> PlanOptions:
    lang = use_language(lang)
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


@command("plan")
def plan_command(
    workspace: Workspace,
    out: OutRun,
    time_limit: TimeLimit = None,
    deterministic_time: DetTime = None,
    workers: Workers = None,
    seed: Seed = None,
    sets: Sets = None,
    quiet: Quiet = False,
    force: Force = False,
    lang: Lang = None,
) -> None:
    """``relocation plan`` (help: the catalogue's ``cmd.plan.help``)."""
    def work() -> int:
        opts = _options(time_limit, deterministic_time, workers, seed, sets, force, lang)
        check_options(workspace, opts)
        return _plan_and_report(workspace, out, opts, quiet)

    run_guarded(work)


@command("demo")
def demo_command(
    out: Annotated[
        Path, typer.Option("--out", help=h("opt.out_run"), metavar="OUT")
    ] = Path("runs/demo"),
    time_limit: TimeLimit = None,
    workers: Workers = None,
    seed: Seed = None,
    quiet: Quiet = False,
    force: Force = False,
    lang: Lang = None,
) -> None:
    """``relocation demo`` (help: the catalogue's ``cmd.demo.help``)."""
    def work() -> int:
        from geodata.workspace import demo_dir

        opts = _options(time_limit, None, workers, seed, None, force, lang)
        check_options(demo_dir(), opts)
        typer.echo(_t("out.demo", path=demo_dir()))
        return _plan_and_report(demo_dir(), out, opts, quiet)

    run_guarded(work)


# ----------------------------------------------------------------- sweep and diff (issue 5)


def _sweep_line(result: object, done: int, total: int) -> str:
    from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS

    lang = current_language()
    s = result.summary  # type: ignore[attr-defined]
    name = result.point.name  # type: ignore[attr-defined]
    kept = _t("out.sweep_kept") if result.skipped else ""  # type: ignore[attr-defined]
    terms = s.get("terms")
    if terms:
        cost = messages.number(f"{sum(terms[t] for t in COST_TERMS) / 1e9:,.1f}", lang)
        dis = messages.number(f"{sum(terms[t] for t in DISRUPTION_TERMS) / 1e9:,.1f}", lang)
        what = _t("out.sweep_costs", cost=cost, disruption=dis)
    elif s.get("status") == "INFEASIBLE":
        best = (s.get("best_achievable_share") or {}).get("share")
        what = (
            _t("out.sweep_infeasible")
            if best is None
            else _t("out.sweep_best", share=messages.number(f"{best:.1%}", lang))
        )
    else:
        what = _t("out.sweep_no_plan")
    return _t(
        "out.sweep_line", done=done, total=total, name=name, status=s.get("status"),
        what=what, kept=kept,
    )


@command("map")
def map_command(
    run: Annotated[Path, typer.Argument(help=h("cmd.map.run"), metavar="RUN")],
    lang: Lang = None,
    tiles: Annotated[
        str | None, typer.Option("--tiles", help=h("cmd.map.tiles"), metavar="osm")
    ] = None,
) -> None:
    """``relocation map`` (help: the catalogue's ``cmd.map.help``)."""
    def work() -> int:
        from relocation.freed_land import rerender_map
        from relocation.run_folder import check_run_folder

        language = use_language(lang)
        if tiles not in (None, "osm"):
            raise InputError(
                [InputIssue("--tiles", None, None, tiles, "must be osm")], summary="bad option"
            )
        check_run_folder(run, ("plan.gpkg", "site_load.csv"), "draw")
        path = rerender_map(run, language, tiles=tiles)
        typer.echo(_t("out.wrote", path=path))
        return EXIT_OK

    run_guarded(work)


SweepOutputs = Annotated[
    str, typer.Option("--outputs", help=h("opt.outputs"), metavar="plans|all")
]


@command("sweep")
def sweep_command(
    workspace: Workspace,
    out: Annotated[Path, typer.Option("--out", help=h("cmd.sweep.out"), metavar="OUT")],
    quota: Annotated[
        str | None, typer.Option("--quota", help=h("cmd.sweep.quota"), metavar="SHARES")
    ] = None,
    by_year: Annotated[
        int | None, typer.Option("--by-year", help=h("cmd.sweep.by_year"), metavar="YEAR")
    ] = None,
    grid: Annotated[
        Path | None, typer.Option("--grid", help=h("cmd.sweep.grid"), metavar="FILE")
    ] = None,
    sets: Sets = None,
    workers_total: Annotated[
        int | None,
        typer.Option("--workers-total", min=1, help=h("cmd.sweep.workers_total"), metavar="N"),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help=h("cmd.sweep.scheduler"), metavar="ADDRESS"),
    ] = None,
    time_limit: TimeLimit = None,
    quiet: Quiet = False,
    force: Annotated[bool, typer.Option("--force", help=h("cmd.sweep.force"))] = False,
    lang: Lang = None,
    outputs: SweepOutputs = "plans",
) -> None:
    """``relocation sweep`` (help: the catalogue's ``cmd.sweep.help``)."""
    finished = [0]

    def work() -> int:
        from geodata.workspace import read_workspace
        from relocation.sweep import SweepOptions, define_sweep, run_sweep

        language = use_language(lang)
        ws = read_workspace(workspace)
        spec = define_sweep(ws, quota=quota, by_year=by_year, grid=grid, sets=_parse_sets(sets))
        opts = SweepOptions(
            time_limit_s=time_limit,
            workers_total=workers_total,
            scheduler=scheduler,
            force=force,
            lang=language,
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
            _err(_t("out.sweep_resume", n=finished[0], path=f"{out}/scenarios"))
            raise
        n_bad = sum(1 for r in outcome.results if not r.summary.get("terms"))
        typer.echo(_t("out.sweep_done", n=len(outcome.results), out=out, bad=n_bad))
        starved = [r.point.name for r in outcome.without_plan]
        if starved:
            _err(_t("out.sweep_starved", n=len(starved), names=", ".join(starved)))
            return EXIT_NO_PLAN
        return EXIT_OK

    run_guarded(work)


# --------------------------------------------------- deferred outputs and Pareto (issue 14)

def _tn(key: str, **values: object) -> str:
    """Message ``key`` in the CLI's language, its numbers in the language's style."""
    return messages.tn(current_language(), key, **values)


@command("outputs")
def outputs_command(
    run: Annotated[Path, typer.Argument(help=h("cmd.outputs.run"), metavar="RUN")],
    which: Annotated[
        str,
        typer.Option(
            "--which", help=h("cmd.outputs.which"), metavar="FILES"
        ),
    ] = "schedule.xlsx,plan.gpkg,map.html",
    lang: Lang = None,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", help=h("cmd.outputs.workspace"),
                     metavar="WORKSPACE"),
    ] = None,
    missing: Annotated[
        bool, typer.Option("--missing", help=h("cmd.outputs.missing"))
    ] = False,
) -> None:
    """Write the deferred outputs (workbook, GeoPackage, map) of a run from its own files.

    A sweep writes each scenario's plan only (--outputs plans); this writes the rest for
    one run folder, or for every scenario with a plan of a sweep or Pareto folder.
    """
    def work() -> int:
        from relocation.domain.issue_text import issue_text
        from relocation.run_folder import DEFERRED_FILES, write_outputs

        language = use_language(lang)
        files = tuple(f.strip() for f in which.split(",") if f.strip())
        if not files or any(f not in DEFERRED_FILES for f in files):
            raise InputError(
                [InputIssue("--which", None, None, which,
                            issue_text("outputs_bad_which", choices=", ".join(DEFERRED_FILES)))],
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
                [InputIssue(str(run), None, None, None, issue_text("outputs_not_run"))],
                summary="cannot write the outputs of the run",
            )
        for r in runs:
            written = write_outputs(r, files, language, workspace, only_missing=missing)
            if written:
                typer.echo(_t("out.outputs_wrote", files=", ".join(p.name for p in written), run=r))
            else:
                typer.echo(_t("out.outputs_none", run=r, files=", ".join(files)))
        return EXIT_OK

    run_guarded(work)


def _has_plan(run: Path) -> bool:
    import json

    try:
        return bool(json.loads((run / "summary.json").read_text(encoding="utf-8")).get("terms"))
    except (OSError, ValueError, AttributeError):
        return False


@command("pareto")
def pareto_command(
    workspace: Annotated[Path, typer.Argument(help=h("arg.workspace"), metavar="WORKSPACE")],
    out: Annotated[Path, typer.Option("--out", help=h("cmd.pareto.out"), metavar="OUT")],
    tolerances: Annotated[
        str | None,
        typer.Option(
            "--tolerances",
            help=h("cmd.pareto.tolerances"),
            metavar="SHARES",
        ),
    ] = None,
    gap: Annotated[
        float | None,
        typer.Option(
            "--gap", help=h("cmd.pareto.gap"), metavar="SHARE"
        ),
    ] = None,
    sets: Sets = None,
    workers_total: Annotated[
        int | None,
        typer.Option("--workers-total", min=1,
                     help=h("cmd.pareto.workers_total"), metavar="N"),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help=h("cmd.sweep.scheduler"), metavar="ADDRESS"),
    ] = None,
    time_limit: TimeLimit = None,
    quiet: Quiet = False,
    force: Annotated[
        bool, typer.Option("--force", help=h("cmd.pareto.force"))
    ] = False,
    lang: Lang = None,
    outputs: SweepOutputs = "plans",
) -> None:
    """The cost–disruption front: one lexicographic plan per cost tolerance ε.

    Each point minimises cost, then disruption among plans within ε of the least cost.
    Writes OUT/scenarios/<point>/ (a run folder each), OUT/pareto.csv and OUT/pareto.html
    (the non-dominated points drawn, each linked to its plan; points not proven within
    --gap marked), and the sweep's comparison. Exits 4 when a point found no plan in time.
    """
    finished = [0]

    def work() -> int:
        from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS
        from relocation.pareto import DEFAULT_TOLERANCES, parse_tolerances, run_pareto
        from relocation.sweep import SweepOptions

        language = use_language(lang)
        tols = DEFAULT_TOLERANCES if tolerances is None else parse_tolerances(tolerances)
        opts = SweepOptions(
            time_limit_s=time_limit, workers_total=workers_total, scheduler=scheduler,
            force=force, lang=language, outputs=outputs, command=tuple(sys.argv[1:]),
        )

        def on_result(result: object, done: int, total: int) -> None:
            finished[0] = done
            if quiet:
                return
            s = result.summary  # type: ignore[attr-defined]
            terms = s.get("terms")
            if terms:
                g = s.get("gap")
                what = _tn("out.pareto_plan",
                    cost=sum(terms[t] for t in COST_TERMS) / 1e9,
                    dis=sum(terms[t] for t in DISRUPTION_TERMS) / 1e9,
                    gap="—" if g is None else messages.number(f"{g:.3%}", current_language()),
                )
            else:
                what = _t("out.pareto_no_plan")
            point = result.point  # type: ignore[attr-defined]
            _err(_tn("out.pareto_point",
                done=done, total=total, name=point.name,
                tol=point.params["weights.cost_tolerance"], status=s.get("status"), what=what,
                kept=_t("out.sweep_kept") if result.skipped else "",  # type: ignore[attr-defined]
            ))

        try:
            res = run_pareto(workspace, out, tols, opts, _parse_sets(sets), gap, on_result)
        except (KeyboardInterrupt, _Terminated):
            _err(_t("out.pareto_stopped", n=finished[0], out=out))
            raise
        t = res.table
        has = t["cost_vnd"].notna()
        typer.echo(_tn("out.pareto_done",
            n=len(t), out=out, front=int((has & ~t["dominated"]).sum()),
            unproven=int((has & ~t["proven"]).sum()), gap=res.relative_gap,
        ))
        starved = [r.point.name for r in res.sweep.without_plan]
        if starved:
            _err(_t("out.pareto_starved", n=len(starved), names=", ".join(starved)))
            return EXIT_NO_PLAN
        return EXIT_OK

    run_guarded(work)


@command("diff")
def diff_command(
    run_a: Annotated[Path, typer.Argument(help=h("cmd.diff.a"), metavar="RUN_A")],
    run_b: Annotated[Path, typer.Argument(help=h("cmd.diff.b"), metavar="RUN_B")],
    out: Annotated[
        Path | None, typer.Option("--out", help=h("cmd.diff.out"), metavar="FILE")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help=h("cmd.diff.limit"), metavar="N")
    ] = None,
) -> None:
    """``relocation diff`` (help: the catalogue's ``cmd.diff.help``)."""
    def work() -> int:
        from relocation.diff import diff_runs, format_diff, read_run, write_diff_csv

        a, b = read_run(run_a), read_run(run_b)
        d = diff_runs(a, b)
        typer.echo(format_diff(d, str(run_a), str(run_b), limit, current_language()))
        if out is not None:
            write_diff_csv(d, out)
            typer.echo(_t("out.wrote", path=out))
        return EXIT_OK

    run_guarded(work)


# ----------------------------------------------------------- replan and explain (issue 9)


@command("replan")
def replan_command(
    workspace: Annotated[
        Path, typer.Argument(help=h("cmd.replan.workspace"), metavar="WORKSPACE")
    ],
    baseline: Annotated[
        Path, typer.Option("--baseline", help=h("cmd.replan.baseline"), metavar="RUN")
    ],
    out: OutRun,
    as_of: Annotated[
        int | None, typer.Option("--as-of", help=h("cmd.replan.as_of"), metavar="YEAR")
    ] = None,
    actuals: Annotated[
        Path | None, typer.Option("--actuals", help=h("cmd.replan.actuals"), metavar="FILE")
    ] = None,
    time_limit: TimeLimit = None,
    deterministic_time: DetTime = None,
    workers: Workers = None,
    seed: Seed = None,
    sets: Sets = None,
    quiet: Quiet = False,
    force: Force = False,
    lang: Lang = None,
) -> None:
    """``relocation replan`` (help: the catalogue's ``cmd.replan.help``)."""
    def work() -> int:
        from relocation.replan import replan_workspace

        opts = _options(time_limit, deterministic_time, workers, seed, sets, force, lang)
        check_options(workspace, opts)

        def runner(on_progress: object, token: object) -> object:
            return replan_workspace(workspace, baseline, out, opts, as_of, actuals,
                                    on_progress, token)

        return _plan_and_report(workspace, out, opts, quiet, runner=runner)

    run_guarded(work)


@command("explain")
def explain_command(
    run: Annotated[Path, typer.Argument(help=h("cmd.explain.run"), metavar="RUN")],
    firm_id: Annotated[
        str | None, typer.Argument(help=h("cmd.explain.firm"), metavar="FIRM_ID")
    ] = None,
    all_firms: Annotated[bool, typer.Option("--all", help=h("cmd.explain.all"))] = False,
    lang: Lang = None,
) -> None:
    """``relocation explain`` (help: the catalogue's ``cmd.explain.help``)."""
    def work() -> int:
        from geodata.outputs import write_csv
        from relocation.explain import explain_firm, explanations_table, format_explanation
        from relocation.explain import load_run as load_explainer

        language = use_language(lang)
        if (firm_id is None) == (not all_firms):
            raise InputError([InputIssue("explain", None, None, None,
                                         "give a FIRM_ID or --all (one of them)")],
                             summary="bad option")
        exp = load_explainer(run)
        if all_firms:
            table = explanations_table(exp, language)
            write_csv(table, run / "explanations.csv")
            typer.echo(_t("out.explained", n=len(table), path=run / "explanations.csv"))
            return EXIT_OK
        assert firm_id is not None
        try:  # printed: the messages' language
            d = explain_firm(exp, firm_id, current_language())
        except KeyError:
            raise InputError([InputIssue("FIRM_ID", None, None, firm_id,
                                         "the run has no such firm")],
                             summary="bad option") from None
        typer.echo(format_explanation(d, current_language()))
        return EXIT_OK

    run_guarded(work)


@command("keys")
def keys_command(
    prefix: Annotated[
        str | None, typer.Argument(help=h("cmd.keys.prefix"), metavar="PREFIX")
    ] = None,
) -> None:
    """``relocation keys`` (help: the catalogue's ``cmd.keys.help``)."""
    def work() -> int:
        from relocation.keys import format_keys, scenario_keys

        lang = current_language()
        rows = [k for k in scenario_keys() if prefix is None or k.key.startswith(prefix)]
        if not rows:
            raise InputError([InputIssue("PREFIX", None, None, prefix,
                                         _t("keys.no_match", prefix=prefix))],
                             summary="bad option")
        typer.echo(format_keys(rows, lang))
        return EXIT_OK

    run_guarded(work)


def main() -> None:
    """Entry point of the ``relocation`` console script."""
    app()


if __name__ == "__main__":
    main()
