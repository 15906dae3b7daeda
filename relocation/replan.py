"""The annual review: re-plan from what actually happened, keeping close to a baseline plan.

``relocation replan WORKSPACE --baseline RUN --as-of YEAR --out RUN2``:

1. The workspace's ``actuals`` (or ``--actuals FILE``) are checked against ``as_of``: what
   ``moved``, ``closed``, ``converted`` or became ``exempt`` happened by ``as_of``; a
   ``committed`` move is in a later year.
2. Quota windows with ``by_year ≤ as_of`` are history: they are reported met or missed
   from the recorded facts (:func:`history_windows`) and not planned. Planning starts in
   ``as_of + 1`` (the horizon's start moves there when ``as_of`` is inside the horizon).
3. Baseline moves dated ``≤ as_of`` without an actuals row did not happen: those firms are
   re-planned (a warning counts them).
4. The problem is assembled with the status rules (:mod:`relocation.domain.status`) and
   the baseline's site and year per firm, so that each move carries the stability term
   (:class:`relocation.domain.scenario.Stability`): changing a firm's site or year costs
   a documented penalty and the plan changes only what the facts force or what saves
   more than the penalty.
5. ``changes.csv`` lists every firm whose site or year differs from the baseline, with why
   (:func:`changes_table`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from relocation.domain.assemble import exempt_in_park
from relocation.domain.costs import move_terms, weighted_total, why_inadmissible
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.problem import MOVE_TERMS, Plan, Problem
from relocation.domain.scenario import QuotaWindow, Scenario
from relocation.domain.status import STATUS_RULES, FirmStatus, counts_as_history, in_quota_base
from relocation.messages import tn

if TYPE_CHECKING:  # imported lazily below: ``explain`` needs this module without the solver
    from geodata.workspace import Workspace
    from models.solve import StopToken
    from relocation.workflow import PlanOptions, RunOutcome

log = logging.getLogger(__name__)

#: Columns of ``changes.csv``.
CHANGES_COLUMNS = (
    "firm_id",
    "firm_name",
    "baseline_site_id",
    "baseline_year",
    "new_site_id",
    "new_year",
    "why",
    "rule",
    "saving_vnd",
)
#: Why a firm's move changed (``changes.csv``'s ``why``).
WHY = {
    "forced": "the baseline move is no longer possible (``rule`` names what forbids it)",
    "actual": "the actuals record another fact (moved, committed, closed, converted, exempt)",
    "improvement": "the new move saves ``saving_vnd`` (more than the stability penalty)",
    "displaced": "the firm's own move costs more (``saving_vnd`` < 0): it makes room for "
    "forced moves (site land, yearly capacity or a quota window)",
    "new": "the firm had no move in the baseline",
    "dropped": "the firm has no move in the new plan",
}


@dataclass(frozen=True)
class ReplanSetup:
    """Everything a replan solves and reports, before solving.

    Attributes
    ----------
    scenario : Scenario
        The scenario planned: horizon from ``as_of + 1``, future quota windows only.
    problem : Problem
        Assembled with the actuals and the baseline (stability terms).
    as_of : int
        The last year of recorded facts.
    history : list of dict
        The windows with ``by_year ≤ as_of``, met or missed (:func:`history_windows`).
    baseline : pandas.DataFrame
        The baseline's ``firm_id``, ``site_id``, ``year`` (every row of its schedule).
    unrecorded : tuple of str
        Firms whose baseline move was dated ``≤ as_of`` with no actuals row: re-planned.
    actuals : pandas.DataFrame
        The actuals applied.
    clearance : list of dict
        The park clearance targets with ``by_year ≤ as_of``, met or missed
        (:func:`history_clearance`).
    """

    scenario: Scenario
    problem: Problem
    as_of: int
    history: list[dict[str, Any]]
    baseline: pd.DataFrame
    unrecorded: tuple[str, ...]
    actuals: pd.DataFrame
    clearance: list[dict[str, Any]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """Planner-facing warnings of the setup (printed and kept in ``summary.json``)."""
        return self.warnings_in("en")

    def warnings_in(self, lang: str) -> list[str]:
        """:attr:`warnings` in ``lang`` (``vi`` or ``en``)."""
        out = []
        if self.unrecorded:
            out.append(tn(lang, "replan.unrecorded", n=len(self.unrecorded), year=self.as_of,
                          next=self.as_of + 1, ids=", ".join(self.unrecorded[:5])))
        for h in [*self.history, *self.clearance]:
            if not h["met"]:
                out.append(h["text" if lang == "en" else "text_vi"])
        return out


def default_as_of(sc: Scenario) -> int:
    """``--as-of``'s default: the year before the horizon's start (nothing has happened)."""
    return sc.horizon.start - 1


def replan_scenario(sc: Scenario, as_of: int) -> tuple[Scenario, tuple[QuotaWindow, ...]]:
    """The scenario to plan from ``as_of + 1`` and the windows that are history.

    Raises
    ------
    InputError
        When ``as_of`` leaves no planning year.
    """
    h = sc.horizon
    if as_of >= h.end:
        raise InputError(
            [InputIssue("--as-of", None, None, str(as_of),
                        f"leaves no year to plan: the horizon ends in {h.end}")],
            summary="bad option",
        )
    history = tuple(q for q in sc.quota if q.by_year <= as_of)
    if as_of < h.start:
        return sc, history
    future = [q.model_dump() for q in sc.quota if q.by_year > as_of]
    data = sc.model_dump(mode="json")
    data["horizon"]["start"] = as_of + 1
    data["quota"] = future
    return Scenario.model_validate(data), history


def check_actuals_as_of(actuals: pd.DataFrame, as_of: int, label: str) -> None:
    """Facts must have happened by ``as_of``; committed moves must lie after it (exit 2)."""
    issues = []
    for a in actuals.itertuples(index=False):
        happened = STATUS_RULES[FirmStatus(a.status)].happened
        if happened and a.year > as_of:
            issues.append(InputIssue(label, int(a.row), "year", str(a.year),
                                     f"a '{a.status}' row must be dated in or before the "
                                     f"review year {as_of} (--as-of)"))
        if not happened and a.year <= as_of:
            issues.append(InputIssue(label, int(a.row), "year", str(a.year),
                                     f"a committed move must be after the review year {as_of} "
                                     "(record it as 'moved' if it happened)"))
    if issues:
        last = int(actuals["year"].max())
        raise InputError(issues, summary=f"{label} does not fit --as-of {as_of} (its facts run "
                         f"to {last}: pass --as-of {last}?)")


def history_windows(
    firms: pd.DataFrame,
    actuals: pd.DataFrame,
    windows: tuple[QuotaWindow, ...],
    closed_counts: bool,
) -> list[dict[str, Any]]:
    """Each history window, met or missed, from the recorded facts alone.

    Parameters
    ----------
    firms : pandas.DataFrame
        The workspace's firms (``firm_id``, ``moved_year``).
    actuals : pandas.DataFrame
        The actuals (``firm_id``, ``status``, ``year``).
    windows : tuple of QuotaWindow
        The windows with ``by_year ≤ as_of``.
    closed_counts : bool
        ``rules.closed_counts_in_quota``.

    Returns
    -------
    list of dict
        ``by_year``, ``min_share``, ``max_share``, ``base`` (N), ``firms_moved``,
        ``share``, ``met`` (bool), ``short_by`` / ``over_by`` (firms) and ``text``.
    """
    status = dict(zip(actuals["firm_id"], actuals["status"], strict=True))
    year_of = dict(zip(actuals["firm_id"], actuals["year"], strict=True))
    n, years = 0, []
    for fid, moved in zip(firms["firm_id"], firms["moved_year"], strict=True):
        st = FirmStatus(status.get(fid, "moved" if pd.notna(moved) else "slated"))
        if not in_quota_base(st, closed_counts):
            continue
        n += 1
        if pd.notna(moved):
            years.append(int(moved))
        elif counts_as_history(st, closed_counts):
            years.append(int(year_of[fid]))
    arr = np.asarray(years, dtype=np.int64)
    out = []
    for q in windows:
        moved = int((arr <= q.by_year).sum())
        lo, hi = q.min_count(n), q.max_count(n)
        short, over = max(0, lo - moved), max(0, moved - hi)
        met = short == 0 and over == 0
        key = "replan.window_met" if met else (
            "replan.window_short" if short else "replan.window_over")
        figures = {"year": q.by_year, "lo_share": q.min_share, "hi_share": q.max_share,
                   "moved": moved, "n": n, "share": moved / max(n, 1), "short": short,
                   "over": over, "lo": lo, "hi": hi}
        out.append({"by_year": q.by_year, "min_share": q.min_share, "max_share": q.max_share,
                    "base": n, "firms_moved": moved, "share": round(moved / max(n, 1), 6),
                    "met": met, "short_by": short, "over_by": over,
                    "text": tn("en", key, **figures), "text_vi": tn("vi", key, **figures)})
    return out


def stability_baseline(
    baseline: pd.DataFrame, actuals: pd.DataFrame, as_of: int
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The baseline moves that set each firm's stability term, and the unrecorded firms.

    A firm with an actuals row keeps no baseline (the fact replaces it). A baseline move
    dated ``≤ as_of`` without an actuals row did not happen: the firm keeps its baseline
    site, and its year shift is counted from ``as_of + 1`` (the earliest it can move now).
    """
    recorded = set(actuals["firm_id"])
    b = baseline[~baseline["firm_id"].isin(recorded)].copy()
    late = b["year"] <= as_of
    unrecorded = tuple(sorted(b.loc[late, "firm_id"].astype(str)))
    b.loc[late, "year"] = as_of + 1
    return b[["firm_id", "site_id", "year"]].reset_index(drop=True), unrecorded


def own_costs(problem: Problem, firm: np.ndarray, site: np.ndarray, year: np.ndarray,
              stability: bool = False) -> np.ndarray:
    """Weighted cost of each move (firm, site, year positions), NaN where not admissible.

    The same integer rule as the objective (:func:`relocation.domain.costs.move_terms`);
    the stability term is left out unless ``stability``.
    """
    pt = problem.pair_terms
    key = pd.MultiIndex.from_arrays([pt["firm"], pt["site"]])
    pair = key.get_indexer(pd.MultiIndex.from_arrays([firm, site]))
    out = np.full(len(firm), np.nan)
    ok = (pair >= 0) & (year >= problem.years[0]) & (year <= problem.years[-1])
    if ok.any():
        terms = move_terms(pt, pair[ok], year[ok] - problem.years[0], problem.scenario)
        if not stability:
            terms["stability_vnd"] = 0
        out[ok] = weighted_total(terms, problem.scenario)
    return out


def objective_without_stability(problem: Problem, plan: Plan) -> int:
    """The plan's objective less its weighted stability term (what the plan costs)."""
    w = problem.scenario.weights.stability
    return int(plan.objective - round(w * plan.terms.get("stability", 0)))


def changes_table(setup: ReplanSetup, plan: Plan, lang: str = "en") -> pd.DataFrame:
    """Every firm whose site or year differs from the baseline, and why (``changes.csv``).

    Returns
    -------
    pandas.DataFrame
        Columns ``CHANGES_COLUMNS``; years Int64 (blank = no move), ``saving_vnd`` Int64
        (baseline move's own weighted cost − the new one's, stability left out; blank
        where one of them does not exist).
    """
    problem = setup.problem
    firms = problem.firms
    fpos = {f: i for i, f in enumerate(firms["firm_id"])}
    spos = {s: j for j, s in enumerate(problem.sites["site_id"])}
    base = setup.baseline.set_index("firm_id")
    new = plan.moves.set_index("firm_id")
    facts = setup.actuals.set_index("firm_id")
    names = dict(zip(firms["firm_id"], firms["name"], strict=True))
    names.update(dict(zip(plan.moves["firm_id"], plan.moves["firm_name"], strict=True)))
    unrecorded = set(setup.unrecorded)
    rows: list[tuple[Any, ...]] = []
    for fid in sorted(set(base.index) | set(new.index) | set(facts.index)):
        b_site = str(base.at[fid, "site_id"]) if fid in base.index else ""
        b_year = int(base.at[fid, "year"]) if fid in base.index else None
        n_site = str(new.at[fid, "site_id"]) if fid in new.index else ""
        n_year = int(new.at[fid, "year"]) if fid in new.index else None
        if fid in facts.index:
            a = facts.loc[fid]
            n_site = str(a["site_id"])
            n_year = int(a["year"])
            if (n_site, n_year) == (b_site, b_year):
                continue
            rows.append((fid, b_site, b_year, n_site, n_year, "actual",
                         f"actuals: {a['status']} {n_site} {n_year}".replace("  ", " "), None))
            continue
        if (n_site, n_year) == (b_site, b_year):
            continue
        saving = None
        if b_year is None:
            why, rule = "new", ""
        elif fid in unrecorded:
            why = "forced"
            rule = (f"kế hoạch gốc năm {b_year} không có dòng thực tế: chưa di dời đến hết "
                    f"năm {setup.as_of}" if lang == "vi" else
                    f"the baseline move in {b_year} has no actuals row: it did not happen "
                    f"by {setup.as_of}")
        else:
            f, s = fpos.get(fid), spos.get(b_site)
            reason = None if s is None or f is None else why_inadmissible(problem, f, s, b_year)
            if reason is not None:
                why, rule = "forced", reason.text(lang)
            elif n_year is None or f is None or s is None:
                why, rule = "dropped", ""
            else:
                costs = own_costs(problem, np.array([f, f]), np.array([s, spos[n_site]]),
                                  np.array([b_year, n_year]))
                if not np.isnan(costs).any():
                    saving = int(costs[0] - costs[1])
                if saving is not None and saving > 0:
                    why, rule = "improvement", ""
                else:
                    why, rule = "displaced", "makes room for forced moves"
        rows.append((fid, b_site, b_year, n_site, n_year, why, rule, saving))
    out = pd.DataFrame(rows, columns=["firm_id", "baseline_site_id", "baseline_year",
                                      "new_site_id", "new_year", "why", "rule", "saving_vnd"])
    out.insert(1, "firm_name", [names.get(f, "") for f in out["firm_id"]])
    for col in ("baseline_year", "new_year", "saving_vnd"):
        out[col] = pd.array(out[col], dtype="Int64")
    return out[list(CHANGES_COLUMNS)]


def changes_summary(setup: ReplanSetup, plan: Plan, changes: pd.DataFrame) -> dict[str, Any]:
    """The changes block of ``summary.json``: counts by why, objective without stability."""
    problem = setup.problem
    moved = changes[changes["why"] != "actual"]
    return {
        "as_of": setup.as_of,
        "baseline_firms": int(len(setup.baseline)),
        "changed_firms": int(len(moved)),
        "by_why": {k: int(v) for k, v in changes["why"].value_counts().sort_index().items()},
        "unrecorded_baseline_moves": len(setup.unrecorded),
        "history_windows": [{k: v for k, v in h.items() if k not in ("text", "text_vi")}
                            for h in setup.history],
        "history_clearance": [{k: v for k, v in h.items() if k not in ("text", "text_vi")}
                              for h in setup.clearance],
        "stability_vnd": int(plan.terms.get("stability", 0)),
        "objective_without_stability": objective_without_stability(problem, plan),
        "stability": problem.scenario.stability.model_dump(),
        "terms_compared": [t for t in MOVE_TERMS if t != "stability"],
    }


def history_clearance(
    firms: pd.DataFrame, actuals: pd.DataFrame, sc: Scenario, as_of: int
) -> list[dict[str, Any]]:
    """Each park clearance target dated ``≤ as_of``, met or missed, from the facts alone.

    A firm of the park has left by the target year when it moved before the horizon or an
    actuals row records it ``moved``, ``closed`` or ``converted`` in or before that year
    (an ``exempt`` row removes it from the list). ``firms`` are the programme's firms
    (tenants of parks outside the scheme already left out).

    Returns
    -------
    list of dict
        ``park``, ``by_year``, ``firms`` (of the park on the list), ``remaining`` (not yet
        left by ``by_year``), ``met`` and ``text``.
    """
    if "origin_park" not in firms:
        return []
    status = dict(zip(actuals["firm_id"], actuals["status"], strict=True))
    year_of = dict(zip(actuals["firm_id"], actuals["year"], strict=True))
    gone = {FirmStatus.MOVED, FirmStatus.CLOSED, FirmStatus.CONVERTED}
    out = []
    for c in sc.clearance:
        if c.by_year > as_of:
            continue
        sel = firms[firms["origin_park"].fillna("").astype(str) == c.park]
        n = remaining = 0
        for fid, moved in zip(sel["firm_id"], sel["moved_year"], strict=True):
            st = FirmStatus(status.get(fid, "moved" if pd.notna(moved) else "slated"))
            if st == FirmStatus.EXEMPT:
                continue
            n += 1
            when = int(moved) if pd.notna(moved) else int(year_of.get(fid, 10**6))
            if not (st in gone and when <= c.by_year):
                remaining += 1
        met = remaining == 0
        key = "replan.clearance_met" if met else "replan.clearance_missed"
        figures = {"park": c.park, "year": c.by_year, "n": n, "remaining": remaining,
                   "next": as_of + 1}
        out.append({"park": c.park, "by_year": c.by_year, "firms": n, "remaining": remaining,
                    "met": met, "text": tn("en", key, **figures),
                    "text_vi": tn("vi", key, **figures)})
    return out


def prepare_replan(
    ws: Workspace, sc: Scenario, baseline: pd.DataFrame, as_of: int | None = None
) -> ReplanSetup:
    """Check the actuals against ``as_of`` and assemble the replan's problem.

    Parameters
    ----------
    ws : geodata.workspace.Workspace
        The validated workspace (its ``actuals`` are the facts).
    sc : Scenario
        The scenario with every override applied (before the horizon moves).
    baseline : pandas.DataFrame
        The baseline run's schedule (``firm_id``, ``site_id``, ``year``).
    as_of : int, optional
        Last year of recorded facts (default :func:`default_as_of`).

    Raises
    ------
    InputError
        Actuals that do not fit ``as_of``; an ``as_of`` that leaves no year to plan.
    """
    from geodata.adapter import to_problem

    as_of = default_as_of(sc) if as_of is None else int(as_of)
    actuals = ws.actuals
    check_actuals_as_of(actuals, as_of, ws.actuals_label)
    planned_sc, windows = replan_scenario(sc, as_of)
    # Tenants of parks outside the scheme are exempt (issue 10): out of every window's base.
    park = ws.firms["origin_park"] if "origin_park" in ws.firms else pd.Series("", ws.firms.index)
    in_scheme = ws.firms[~exempt_in_park(park.fillna("").astype(str).to_numpy(), sc)]
    history = history_windows(in_scheme, actuals, windows, sc.rules.closed_counts_in_quota)
    base = baseline[["firm_id", "site_id", "year"]].astype({"year": "int64"})
    stab, unrecorded = stability_baseline(base, actuals, as_of)
    problem = to_problem(ws, planned_sc, actuals=actuals, baseline=stab)
    clearance = history_clearance(in_scheme, actuals, sc, as_of)
    setup = ReplanSetup(planned_sc, problem, as_of, history, base, unrecorded, actuals,
                        clearance)
    for w in setup.warnings:
        log.info("%s", w)  # the CLI prints them in its report
    return setup


def baseline_hint(setup: ReplanSetup) -> np.ndarray:
    """A plan close to the baseline for the solver to start from (option rows).

    Baseline moves that are still admissible are kept; the other firms (forced, unrecorded,
    committed, locked) take, one by one in id order, their cheapest admissible move (the
    stability term included) that the land left at the site in every later year, the
    yearly move limit and the support budget still allow. The solver checks the result and
    ignores it if a rule is broken; the hint never changes what is optimal.
    """
    p = setup.problem
    opts = p.options
    spos = {s: j for j, s in enumerate(p.sites["site_id"])}
    start = p.years[0]
    b = p.firms[(p.firms["baseline_site_id"] != "") | (p.firms["baseline_year"] > 0)]
    # A baseline conversion in place ("" site) is the reserved site len(sites).
    spos[""] = len(p.sites)
    s = np.array([spos.get(x, -1) for x in b["baseline_site_id"]], dtype=np.int64)
    key = pd.MultiIndex.from_arrays([opts["firm"], opts["site"], opts["year"]])
    rows = key.get_indexer(pd.MultiIndex.from_arrays(
        [b.index.to_numpy(), s, b["baseline_year"].to_numpy(dtype=np.int64)]))
    # Locked firms keep their lock: a baseline move elsewhere is not admissible anyway.
    kept = rows[rows >= 0]
    placed = set(opts["firm"].to_numpy()[kept].tolist())
    slack = np.vstack([p.capacity_m2.astype(np.int64),  # + the conversions' row (no land)
                       np.zeros((1, len(p.years)), dtype=np.int64)])
    count = np.zeros(len(p.years), dtype=np.int64)
    spent = np.zeros(len(p.years), dtype=np.int64)
    for r in kept.tolist():
        slack[opts["site"].iat[r], opts["year"].iat[r] - start:] -= opts["area_m2"].iat[r]
        count[opts["year"].iat[r] - start] += 1
        spent[opts["year"].iat[r] - start] += opts["support_vnd"].iat[r]
    lim = p.scenario.limits
    by_firm = opts.groupby("firm").indices
    todo = [f for f in np.flatnonzero(p.planned) if f not in placed and f in by_firm]
    extra = []
    for f in todo:
        cand = opts.iloc[by_firm[f]].sort_values("weighted_vnd", kind="stable")
        for r, row in zip(by_firm[f][np.argsort(opts["weighted_vnd"].to_numpy()[by_firm[f]],
                                                kind="stable")], cand.itertuples(), strict=True):
            k = row.year - start
            if slack[row.site, k:].min() < row.area_m2:
                continue
            if lim.max_moves_per_year is not None and count[k] + 1 > lim.max_moves_per_year:
                continue
            if (lim.budget_vnd_per_year is not None
                    and spent[k] + row.support_vnd > lim.budget_vnd_per_year):
                continue
            slack[row.site, k:] -= row.area_m2
            count[k] += 1
            spent[k] += row.support_vnd
            extra.append(r)
            break
    return np.unique(np.concatenate([kept, np.asarray(extra, dtype=np.int64)]))


def check_actuals_hold(plan: Plan, actuals: pd.DataFrame) -> list[str]:
    """Independent check that the plan honours every actuals row (empty list: it does).

    Committed rows must be planned at their site and year; moved, closed, converted and
    exempt firms must be absent from the schedule.
    """
    moves = plan.moves.set_index("firm_id")
    out = []
    for a in actuals.itertuples(index=False):
        if a.status == FirmStatus.COMMITTED:
            if a.firm_id not in moves.index:
                out.append(f"committed firm {a.firm_id} is not in the schedule")
            elif (moves.at[a.firm_id, "site_id"], int(moves.at[a.firm_id, "year"])) != (
                a.site_id, int(a.year)
            ):
                out.append(f"committed firm {a.firm_id} is planned at "
                           f"{moves.at[a.firm_id, 'site_id']} {moves.at[a.firm_id, 'year']}, "
                           f"not {a.site_id} {a.year}")
        elif a.firm_id in moves.index:
            out.append(f"{a.status} firm {a.firm_id} is in the schedule")
    return out


def replan_workspace(
    workspace: Path,
    baseline_run: Path,
    out: Path,
    opts: PlanOptions | None = None,
    as_of: int | None = None,
    actuals_file: Path | None = None,
    on_progress: Callable[[Mapping[str, Any]], None] | None = None,
    token: StopToken | None = None,
) -> RunOutcome:
    """Re-plan a workspace against a baseline run and write the run folder ``out``.

    Parameters
    ----------
    workspace, baseline_run, out : pathlib.Path
        The workspace, the baseline run folder, the run folder to write.
    opts : relocation.workflow.PlanOptions, optional
        Every ``plan`` option (``--set``, solver settings, ``--force``, ``--lang``).
    as_of : int, optional
        The last year of recorded facts (default: the year before the horizon's start).
    actuals_file : pathlib.Path, optional
        Replaces the workspace's ``actuals`` table.

    Returns
    -------
    relocation.workflow.RunOutcome

    Raises
    ------
    InputError
        Bad input or options (nothing written).
    InfeasibleError
        A future window or a deadline cannot be met (``out`` holds ``summary.json``).
    """
    import dataclasses
    from types import MappingProxyType

    from geodata.outputs import check_destination
    from geodata.workspace import read_actuals, read_workspace
    from relocation.diff import read_run
    from relocation.phases import enter_phase
    from relocation.run_folder import write_run
    from relocation.workflow import (
        PlanOptions,
        RunOutcome,
        effective_scenario,
        infeasible_error,
        plan_scenario,
    )

    opts = opts or PlanOptions()
    out = Path(out)
    check_destination(out, opts.force)
    enter_phase("reading", token)
    ws = read_workspace(Path(workspace))
    if actuals_file is not None:
        ws = read_actuals(ws, Path(actuals_file))
    sc = effective_scenario(ws, opts)
    base = read_run(Path(baseline_run))
    setup = prepare_replan(ws, sc, base.schedule, as_of)
    result = plan_scenario(ws, setup.scenario, on_progress, token, command=opts.command,
                           problem=setup.problem, hint_rows=baseline_hint(setup))
    info = {
        "baseline": str(Path(baseline_run).resolve()),
        "as_of": setup.as_of,
        "actuals": None if actuals_file is None else str(Path(actuals_file).resolve()),
        "actuals_rows": int(len(ws.actuals)),
        "workspace": str(Path(workspace).resolve()),
        "history_windows": [h["text"] for h in setup.history],
        "history_windows_vi": [h["text_vi"] for h in setup.history],
        "history_clearance": [h["text"] for h in setup.clearance],
        "history_clearance_vi": [h["text_vi"] for h in setup.clearance],
        "warnings": setup.warnings,
        "warnings_vi": setup.warnings_in("vi"),
    }
    summary = {**result.summary, "replan": info}
    extra = {}
    if result.plan is not None:
        broken = check_actuals_hold(result.plan, setup.actuals)
        if broken:  # a bug, never a user error
            raise RuntimeError("plan breaks actuals: " + "; ".join(broken[:10]))
        changes = changes_table(setup, result.plan, opts.lang if opts.lang == "vi" else "en")
        summary["changes"] = changes_summary(setup, result.plan, changes)
        summary["check"] = {**summary.get("check", {}), "actuals_ok": True}
        extra = {"changes.csv": ("Thay đổi - Changes", changes)}
    result = dataclasses.replace(result, summary=MappingProxyType(summary))
    write_run(result, out, force=opts.force, render_map=opts.render_map, lang=opts.lang,
              token=token, extra_tables=extra)
    outcome = RunOutcome(result.summary, result.plan, out, result)
    if result.infeasible:
        raise infeasible_error(result)
    return outcome
