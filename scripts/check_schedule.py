"""Check a run's schedule.csv against its workspace, independently of the solver.

    python scripts/check_schedule.py WORKSPACE RUN [--actuals FILE] [--decisions FILE]

Reads the workspace with the project's readers and measures road distances with its
distance code, then hands the tables, the run's ``scenario.toml`` and ``schedule.csv`` to
the independent rule checker (``relocation.domain.check``, which shares no rule or cost
code with the model). Every hard rule is checked: one move per firm, the horizon, firms
moved before it, mandatory deadlines, sector and polluting-firm acceptance, the largest-firm
limit, pairs, strict preferences, readiness, land by year, quota windows, moves per year,
the yearly support budget, actuals and decisions. The run's stated objective and terms
(``summary.json``) are compared with the recomputed ones.

Prints every broken rule. Exit 0 when none is found, 1 when rules are broken, 2 for bad
input (a workspace, run folder or table that cannot be read).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pydantic

from geodata.adapter import road_distance_km
from geodata.workspace import read_workspace
from relocation.domain.check import (
    CheckInputError,
    RuleChecker,
    Violation,
    check_input_from_workspace,
    compare_totals,
)
from relocation.domain.errors import InputError
from relocation.domain.scenario import Scenario


class BadInput(Exception):
    """A file of the run or an option cannot be used."""


def _read_csv(path: Path, what: str) -> pd.DataFrame:
    if not path.is_file():
        raise BadInput(f"{path}: {what} not found")
    try:
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise BadInput(f"{path}: cannot read {what}: {exc}") from None


def _scenario(run: Path) -> Scenario:
    path = run / "scenario.toml"
    if not path.is_file():
        raise BadInput(f"{path}: the run's scenario not found")
    try:
        return Scenario.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, pydantic.ValidationError) as exc:
        raise BadInput(f"{path}: not a valid scenario: {exc}") from None


def _stated(run: Path) -> tuple[int | None, dict[str, int] | None]:
    """The objective and terms the run's summary.json states (None if it has none)."""
    path = run / "summary.json"
    if not path.is_file():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot read the run's summary: {exc}") from None
    return data.get("weighted_objective"), data.get("terms")


def check(
    workspace: Path,
    run: Path,
    actuals: Path | None = None,
    decisions: Path | None = None,
) -> list[Violation]:
    """Every rule the run's schedule breaks.

    Raises
    ------
    InputError, BadInput, CheckInputError
        The workspace, the run folder or a table cannot be used.
    """
    ws = read_workspace(workspace)
    sc = _scenario(run)
    schedule = _read_csv(run / "schedule.csv", "the run's schedule")
    dist = road_distance_km(
        ws.firms["lon"].to_numpy(),
        ws.firms["lat"].to_numpy(),
        ws.sites["lon"].to_numpy(),
        ws.sites["lat"].to_numpy(),
        sc.costs.road_factor,
    )
    inp = check_input_from_workspace(
        ws,
        sc,
        dist,
        actuals=None if actuals is None else _read_csv(actuals, "the actuals table"),
        decisions=None if decisions is None else _read_csv(decisions, "the decisions table"),
    )
    report = RuleChecker(inp).check(schedule)
    objective, terms = _stated(run)
    return list(report.violations) + compare_totals(report, objective, terms)


def main(argv: list[str] | None = None) -> int:
    """Command line: WORKSPACE RUN [--actuals FILE] [--decisions FILE]."""
    parser = argparse.ArgumentParser(
        prog="check_schedule.py",
        description="Check a run's schedule.csv against its workspace, independently of "
        "the solver. Exit 0: no broken rule; 1: broken rules listed; 2: bad input.",
    )
    parser.add_argument("workspace", type=Path)
    parser.add_argument("run", type=Path)
    parser.add_argument("--actuals", type=Path, help="an actuals CSV (replaces the workspace's)")
    parser.add_argument("--decisions", type=Path,
                        help="a decisions CSV (replaces the workspace's)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        bad = check(args.workspace, args.run, args.actuals, args.decisions)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except (BadInput, CheckInputError) as exc:
        print(f"bad input: {exc}", file=sys.stderr)
        return 2
    for v in bad:
        print(f"[{v.rule}] {v.text}")
    print(f"{len(bad)} broken rule(s)" if bad else "no broken rule")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
