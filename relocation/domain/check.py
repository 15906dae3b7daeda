"""The independent rule checker: every hard rule and every objective term, recomputed.

It is the oracle of the tests and runs after every solve (``check_plan``) and on a written
``schedule.csv`` (``scripts/check_schedule.py``). On purpose it shares **no rule code** with
the model: it imports nothing from ``models/``, :mod:`relocation.domain.costs` or
:mod:`relocation.domain.assemble`, and restates their formulas (land by year, deadlines,
admissibility, every cost term, discounting, rounding, weights). A rule dropped from the
model's code then shows as a broken rule here.

Its input, :class:`CheckInput`, is the workspace's normalised tables as plain DataFrames,
the scenario, the firm × site road-distance matrix (a measurement, taken as given) and
optionally the ``actuals`` and ``decisions`` tables. :func:`check_input_from_problem` and
:func:`check_input_from_workspace` build it.

Rules (key: what must hold), each broken one named with firm, site, year and figures:

- ``unknown``: the schedule names firms and sites of the workspace, years are whole;
- ``one_move``: a firm moves at most once;
- ``horizon``: every move is inside the horizon;
- ``history``: a firm moved before the horizon is not planned again;
- ``deadline``: a mandatory firm moves by its zone's deadline (``overrides.zone_deadline``
  applied; no deadline: by the horizon's end);
- ``sector``, ``polluting``: the site accepts the firm's sector, and polluting firms
  (pollution ``high``) only where ``accepts_polluting``;
- ``largest_firm``: the land needed (the pair's ``required_area_m2`` if given, else the
  firm's, whole m² rounded up) is at most the site's ``max_firm_area_m2``;
- ``pairs``: a firm listed in ``pairs`` moves only to a listed site;
- ``preference``: with ``rules.preferred_sites = "strict"``, a firm that lists preferred
  sites moves only to one of them;
- ``readiness``: no move before the firm's ``earliest_year``;
- ``land``: at each site, the land of planned moves by the end of each year is at most the
  land released by then (``site_phases``, else ``free_area_m2`` from ``available_from``;
  ``overrides.site_available_from`` shifts a phased site's phases by its first phase's
  offset; each release rounded down) minus the land of firms moved before (from their move
  year on), never below zero;
- ``quota_min``, ``quota_max``: at least ``ceil(min_share·N)`` and at most
  ``floor(max_share·N)`` firms moved by ``by_year`` (firms moved before included; N = every
  firm of the table); the minimum is a cost, not a rule, under ``rules.soft_quota``;
- ``moves_per_year``: ``limits.max_moves_per_year``;
- ``budget``: nominal (undiscounted) support of the year's moves at most
  ``limits.budget_vnd_per_year``;
- ``conversion``: a schedule row with ``action = "convert"`` (no ``site_id``) converts the
  firm's parcel in place (issue 10). It is allowed only under ``rules.allow_conversion``,
  only for an encouraged firm outside any move-together group and any park with a
  clearance target; it counts as a move in the quota windows and the yearly numbers of
  moves (least and most), takes no site land and no support; its terms are ``permit_vnd``
  plus ``land_area_m2 · conversion_vnd_per_m2``, and the parcel's land value for every
  year of the horizon (it is never freed); in a supply group it counts as one more place;
- ``actual``: a ``moved`` or ``committed`` actuals row holds exactly (site and year) in the
  schedule or in the firm's history; a ``closed``, ``converted`` or ``exempt`` firm is not
  in the schedule;
- ``decision``: a ``lock`` holds (the firm moves to its site and/or in its year), a
  ``forbid`` is not broken (``*`` stands for any site or year);
- ``objective``, ``term`` (plans only): the plan's stated objective and terms equal the
  recomputed ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from relocation.domain.problem import Plan, Problem
from relocation.domain.scenario import Scenario

# The checker's own statement of the terms and of the weight each takes (restated, not
# imported from the cost code: a test compares the names with relocation.domain.problem).
_FIVE = ("permit", "dismantle_transport", "fitout", "rent", "downtime")
_MOVE_TERMS = (*_FIVE, "surveyed", "conversion", "support", "commute", "attrition", "preference",
               "land_delay")
_WEIGHT_OF = {
    "land_delay": "land_value",
    **{t: "relocation" for t in (*_FIVE, "surveyed", "conversion")},
    "support": "support",
    "commute": "commute",
    "attrition": "attrition",
    "preference": "preference",
}
#: The lexicographic mode's first objective (cost); the rest is disruption.
COST_GROUP = (*_FIVE, "surveyed", "conversion", "support", "land_delay")
#: A schedule row's ``action`` for a conversion in place (any other value is a move).
CONVERT = "convert"
#: Statuses of an ``actuals`` row; the first two must hold in the plan, the rest keep the
#: firm out of it.
PLACED_STATUSES = ("moved", "committed")
ABSENT_STATUSES = ("closed", "converted", "exempt")
#: What each rule asks, in planner words (the keys of :attr:`Violation.rule`).
RULES = MappingProxyType(
    {
        "unknown": "the schedule names firms, sites and years of the workspace",
        "one_move": "one move per firm",
        "horizon": "moves inside the horizon",
        "history": "firms moved before the horizon are not planned again",
        "deadline": "mandatory firms move by their zone's deadline",
        "sector": "the site accepts the firm's sector",
        "polluting": "polluting firms only where the site accepts them",
        "largest_firm": "the site's largest-firm limit",
        "pairs": "only listed firm/site pairs",
        "preference": "only preferred sites (strict preferences)",
        "readiness": "no move before the firm is ready",
        "land": "land by year at each site",
        "quota_min": "quota windows: least share moved",
        "quota_max": "quota windows: largest share moved",
        "moves_per_year": "moves per year",
        "min_moves_per_year": "least moves per year while firms wait",
        "exempt": "tenants of parks outside the scheme are exempt (not planned)",
        "move_group": "a move-together group moves in one year (and to one site if set)",
        "clearance": "park clearance targets (park empty by a year)",
        "budget": "yearly support budget",
        "conversion": "only encouraged firms convert in place, where the scenario allows it",
        "actual": "what actually happened (actuals)",
        "decision": "planners' decisions (locks and forbids)",
        "objective": "the stated objective",
        "term": "the stated cost terms",
    }
)


class CheckInputError(ValueError):
    """The checker's input is not well formed (a missing column, a year that is not whole)."""


@dataclass(frozen=True)
class Violation:
    """One broken rule: its key in :data:`RULES`, the sentence, and what it concerns."""

    rule: str
    text: str
    firm_id: str = ""
    site_id: str = ""
    year: int | None = None


@dataclass(frozen=True)
class CheckInput:
    """What the checker reads: the workspace's tables, the scenario and the road distances.

    Attributes
    ----------
    scenario : Scenario
        The scenario as used (overrides applied).
    firms : pandas.DataFrame
        ``firm_id``, ``zone_id``, ``sector``, ``pollution``, ``land_area_m2``,
        ``required_area_m2`` (float, rounded up here), ``employees``, ``mandatory``,
        ``supply_group``, ``earliest_year``, ``moved_year`` (NA if none),
        ``moved_site_id``, ``preferred_site_ids`` (``;``-joined text or a tuple).
    sites : pandas.DataFrame
        ``site_id``, ``kind``, ``free_area_m2``, ``available_from``, ``accepts_sectors``
        (``*``, ``;``-joined text, a frozenset or None), ``accepts_polluting``,
        ``max_firm_area_m2`` (NaN or inf for none), ``rent_vnd_per_m2`` (NA: the kind's
        default).
    zones : pandas.DataFrame
        ``zone_id``, ``deadline_year`` (NA for none).
    distance_km : numpy.ndarray
        Road km, firms × sites, in the tables' row order.
    site_phases, pairs, actuals, decisions : pandas.DataFrame or None
        ``site_phases`` (``site_id``, ``year``, ``released_area_m2``); ``pairs``
        (``firm_id``, ``site_id``, optional ``cost_vnd`` and ``required_area_m2``);
        ``actuals`` (``firm_id``, ``status``, ``site_id``, ``year``, ``note``);
        ``decisions`` (``firm_id``, ``site_id`` or ``*``, ``year`` or ``*``, ``rule``
        ``lock``/``forbid``, ``note``).
    stations : pandas.DataFrame or None
        ``lon``, ``lat``, ``line``, ``line_kind``: the checker's own estimate of each parcel's
        likely class (the ``land_delay`` term) where the firms carry no ``land_class``.
    """

    scenario: Scenario
    firms: pd.DataFrame
    sites: pd.DataFrame
    zones: pd.DataFrame
    distance_km: np.ndarray
    site_phases: pd.DataFrame | None = None
    pairs: pd.DataFrame | None = None
    actuals: pd.DataFrame | None = None
    decisions: pd.DataFrame | None = None
    stations: pd.DataFrame | None = None


@dataclass(frozen=True)
class CheckReport:
    """What the checker found in one schedule.

    Attributes
    ----------
    violations : tuple of Violation
        Empty when the schedule keeps every hard rule.
    terms : dict
        Total per term (whole VND, discounted; ``supply_split`` undiscounted).
    objective : int
        The weighted objective (soft-quota shortfall penalty included).
    move_terms : mapping
        Per schedule row (unknown rows dropped): ``<term>`` int64 arrays, ``weighted`` (the
        row's objective coefficient) and ``support_nominal`` (undiscounted support).
    """

    violations: tuple[Violation, ...]
    terms: dict[str, int]
    objective: int
    move_terms: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no rule is broken."""
        return not self.violations

    @property
    def lines(self) -> tuple[str, ...]:
        """The broken rules, one sentence each."""
        return tuple(v.text for v in self.violations)


@dataclass(frozen=True)
class CheckResult:
    """Violations found (empty = the plan keeps every hard rule) and recomputed totals."""

    violations: tuple[str, ...]
    objective: int
    terms: dict[str, int]
    broken: tuple[Violation, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no rule is broken."""
        return not self.violations


# --------------------------------------------------------------------------- input


def _frame(table: Any) -> pd.DataFrame | None:
    if table is None:
        return None
    frame = pd.DataFrame(table)
    return frame.drop(columns="geometry") if "geometry" in frame else frame


def check_input_from_problem(
    problem: Problem,
    actuals: pd.DataFrame | None = None,
    decisions: pd.DataFrame | None = None,
) -> CheckInput:
    """The checker's input from a :class:`Problem`'s tables as given (none of its options).

    ``actuals``/``decisions`` default to the problem's attributes of those names, if any.
    """
    zones = problem.zones
    if zones is None:  # a problem built without its zones: deadlines are per firm already
        f = problem.firms
        dl = f["deadline_year"].where(f["deadline_year"] <= problem.years[-1])
        zones = pd.DataFrame({"zone_id": f["zone_id"], "deadline_year": dl}).drop_duplicates(
            "zone_id"
        )
    return CheckInput(
        scenario=problem.scenario,
        firms=problem.firms,
        sites=problem.sites,
        zones=zones,
        distance_km=np.asarray(problem.distance_km, dtype=float),
        site_phases=problem.phases,
        pairs=problem.pairs,
        actuals=actuals if actuals is not None else getattr(problem, "actuals", None),
        decisions=decisions if decisions is not None else getattr(problem, "decisions", None),
    )


def check_input_from_workspace(
    ws: Any,
    scenario: Scenario,
    distance_km: np.ndarray,
    actuals: pd.DataFrame | None = None,
    decisions: pd.DataFrame | None = None,
) -> CheckInput:
    """The checker's input from a read workspace (``geodata.workspace.Workspace``).

    Parameters
    ----------
    ws : Workspace
        Anything with ``firms``, ``sites``, ``zones``, ``site_phases`` and ``pairs`` tables
        (and optionally ``actuals``/``decisions``).
    scenario : Scenario
        The scenario as used by the run.
    distance_km : numpy.ndarray
        Road km, firms × sites.
    actuals, decisions : pandas.DataFrame, optional
        Replace the workspace's tables of those names.
    """
    return CheckInput(
        scenario=scenario,
        firms=_frame(ws.firms),
        sites=_frame(ws.sites),
        zones=_frame(ws.zones),
        distance_km=np.asarray(distance_km, dtype=float),
        site_phases=_frame(ws.site_phases),
        pairs=_frame(ws.pairs),
        actuals=_frame(actuals if actuals is not None else getattr(ws, "actuals", None)),
        decisions=_frame(decisions if decisions is not None else getattr(ws, "decisions", None)),
        stations=_frame(getattr(ws, "stations", None)),
    )


def _need(frame: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise CheckInputError(f"{name}: missing column(s) {', '.join(missing)}")


def _ids(value: object) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ()
    if isinstance(value, (tuple, list, frozenset, set)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(p.strip() for p in str(value).split(";") if p.strip())


def _accepts(value: object) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, (frozenset, set)):
        return frozenset(value)
    if str(value).strip() == "*":
        return None
    return frozenset(_ids(value))


def _up(values: Any) -> np.ndarray:
    """Whole m², rounded up (a float error of 1e-9 m² does not round up)."""
    return np.ceil(np.asarray(values, dtype=float) - 1e-9).astype(np.int64)


def _whole(value: object, what: str) -> int | None:
    """A year or ``*``/blank (None); anything else is bad input."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    if text in ("", "*"):
        return None
    try:
        number = float(text)
    except ValueError:
        raise CheckInputError(f"{what}: {text!r} is not a year") from None
    if not number.is_integer():
        raise CheckInputError(f"{what}: {text!r} is not a whole year")
    return int(number)


# --------------------------------------------------------------------------- checker


class RuleChecker:
    """The rules of one :class:`CheckInput`, prepared once, applied to any schedule.

    Parameters
    ----------
    inp : CheckInput

    Raises
    ------
    CheckInputError
        A table lacks a column the rules need, or a value cannot be read.
    """

    def __init__(self, inp: CheckInput) -> None:
        sc = inp.scenario
        self.scenario = sc
        self.start, self.end = sc.horizon.start, sc.horizon.end
        self.years = np.arange(self.start, self.end + 1)
        firms, sites = inp.firms, inp.sites
        _need(firms, "firms", (
            "firm_id", "zone_id", "sector", "pollution", "land_area_m2", "required_area_m2",
            "employees", "mandatory", "supply_group", "earliest_year", "moved_year",
            "moved_site_id", "preferred_site_ids",
        ))
        _need(sites, "sites", (
            "site_id", "kind", "free_area_m2", "available_from", "accepts_sectors",
            "accepts_polluting", "max_firm_area_m2", "rent_vnd_per_m2",
        ))
        _need(inp.zones, "zones", ("zone_id", "deadline_year"))
        self.fid = firms["firm_id"].astype(str).to_numpy()
        self.sid = sites["site_id"].astype(str).to_numpy()
        # Site position len(sid) stands for a conversion in place: "" to compare with a
        # baseline's site, a label in messages.
        self.sid_x = np.append(self.sid, "")
        self.sid_label = np.append(self.sid, "(convert in place)")
        self.fpos = {f: i for i, f in enumerate(self.fid)}
        self.spos = {s: j for j, s in enumerate(self.sid)}
        n_f, n_s = len(self.fid), len(self.sid)
        self.dist = np.asarray(inp.distance_km, dtype=float).reshape(n_f, n_s)

        # Firms.
        self.sector = firms["sector"].astype(str).to_numpy()
        self.pollution = firms["pollution"].astype(str).to_numpy()
        self.land = firms["land_area_m2"].to_numpy(dtype=float)
        self.req = _up(firms["required_area_m2"])
        self.emp = firms["employees"].to_numpy(dtype=float)
        self.mandatory = firms["mandatory"].to_numpy(dtype=bool)
        self.group = firms["supply_group"].fillna("").astype(str).to_numpy()
        earliest = pd.array(firms["earliest_year"], dtype="Int64")
        self.earliest = earliest.fillna(self.start).to_numpy(dtype=np.int64)
        moved = pd.array(firms["moved_year"], dtype="Int64")
        self.history = ~np.asarray(pd.isna(moved))
        self.moved_year = moved.fillna(0).to_numpy(dtype=np.int64)
        self.moved_site = firms["moved_site_id"].fillna("").astype(str).to_numpy()
        self.prefs = [_ids(v) for v in firms["preferred_site_ids"]]
        zone = firms["zone_id"].astype(str).to_numpy()
        deadlines: dict[str, int] = {}
        for z, d in zip(inp.zones["zone_id"].astype(str), inp.zones["deadline_year"],
                        strict=True):
            year = _whole(d, f"zones: deadline_year of {z}")
            if year is not None:
                deadlines[z] = year
        deadlines.update({str(k): int(v) for k, v in sc.overrides.zone_deadline.items()})
        self.deadline = np.array([deadlines.get(z, self.end) for z in zone], dtype=np.int64)
        self.has_deadline = np.array([z in deadlines for z in zone], dtype=bool)

        # Sites.
        self.cluster = (sites["kind"].astype(str) == "cluster").to_numpy()
        self.accepts = [_accepts(v) for v in sites["accepts_sectors"]]
        self.accepts_polluting = sites["accepts_polluting"].to_numpy(dtype=bool)
        self.max_area = pd.to_numeric(sites["max_firm_area_m2"], errors="coerce").fillna(
            np.inf
        ).to_numpy(dtype=float)
        c = sc.costs
        rent = pd.array(pd.to_numeric(sites["rent_vnd_per_m2"], errors="coerce"), dtype="Int64")
        default = np.where(self.cluster, c.rent_cluster_vnd_per_m2, c.rent_park_vnd_per_m2)
        self.rent = np.where(pd.isna(rent), default, rent.fillna(0)).astype(float)
        codes = {s: k for k, s in enumerate(sorted(set(self.sector)))}
        self.sector_code = np.array([codes[s] for s in self.sector], dtype=np.int64)
        self.sector_ok = np.ones((n_s, len(codes)), dtype=bool)
        for j, acc in enumerate(self.accepts):
            if acc is not None:
                self.sector_ok[j] = [s in acc for s in sorted(codes)]

        self._land(sites, inp.site_phases)
        self._pairs(inp.pairs, n_s)
        pref_keys = [i * n_s + self.spos[p] for i, ps in enumerate(self.prefs) for p in ps
                     if p in self.spos]
        self.pref_key = np.unique(np.array(pref_keys, dtype=np.int64))
        self.has_pref = np.array([bool(p) for p in self.prefs], dtype=bool)
        # A replan's baseline (issue 9), where the firms carry one: the stability term.
        self.baseline: tuple[np.ndarray, np.ndarray] | None = None
        if {"baseline_site_id", "baseline_year"} <= set(firms.columns):
            self.baseline = (
                firms["baseline_site_id"].fillna("").astype(str).to_numpy(),
                pd.array(firms["baseline_year"], dtype="Int64").fillna(0).to_numpy(np.int64),
            )
        self.actuals = self._read_actuals(inp.actuals)
        self.decisions = self._read_decisions(inp.decisions)
        self._programme(firms, inp.stations)

    def _programme(self, firms: pd.DataFrame, stations: pd.DataFrame | None) -> None:
        """The programme's rules of issue 10, restated from the scenario and firm columns."""
        n_f = len(self.fid)

        def text(name: str) -> np.ndarray:
            if name not in firms:
                return np.full(n_f, "", dtype=object)
            return firms[name].fillna("").astype(str).str.strip().to_numpy(dtype=object)

        r = self.scenario.rules
        self.park = text("origin_park")
        self.move_group = text("move_group")
        self.exempt = (
            (self.park != "") & ~np.isin(self.park.astype(str), list(r.programme_parks))
            if r.exempt_park_tenants else np.zeros(n_f, dtype=bool)
        )
        self.n_base = n_f - int(self.exempt.sum())
        # The parcel's likely class as the problem states it; tables as given (no
        # ``land_class``) get the checker's own estimate from the stations.
        cls = text("land_class")
        if (cls == "").any():
            own = self._land_class(firms, stations)
            cls = np.where(cls == "", own, cls)
        values = self.scenario.costs.land_value_vnd_per_ha_year
        self.land_value = self.land / 10_000.0 * np.array(
            [float(values.get(str(c), 0)) for c in cls], dtype=float)

    def _land(self, sites: pd.DataFrame, phases: pd.DataFrame | None) -> None:
        """Released land by year and the land of firms moved before (m², cumulative)."""
        n_s, n_y = len(self.sid), len(self.years)
        add = np.zeros((n_s, n_y + 1), dtype=np.int64)  # additions at year offsets

        def release(j: int, year: int, amount: float) -> None:
            k = min(max(year - self.start, 0), n_y)
            add[j, k] += int(math.floor(amount))

        override = self.scenario.overrides.site_available_from
        phased: set[str] = set()
        if phases is not None and len(phases):
            _need(phases, "site_phases", ("site_id", "year", "released_area_m2"))
            ph_site = phases["site_id"].astype(str).to_numpy()
            ph_year = np.array([_whole(y, "site_phases: year") for y in phases["year"]])
            ph_area = phases["released_area_m2"].to_numpy(dtype=float)
            for s in set(ph_site):
                if s not in self.spos:
                    continue
                phased.add(s)
                on = ph_site == s
                shift = int(override[s]) - int(min(ph_year[on])) if s in override else 0
                for y, a in zip(ph_year[on], ph_area[on], strict=True):
                    release(self.spos[s], int(y) + shift, float(a))
        free = pd.to_numeric(sites["free_area_m2"], errors="coerce").to_numpy(dtype=float)
        avail = sites["available_from"].to_numpy(dtype=object)
        for j, s in enumerate(self.sid):
            if s in phased:
                continue
            start = override.get(s)
            if start is None:
                start = _whole(avail[j], f"sites: available_from of {s}")
            if start is None or math.isnan(free[j]):
                raise CheckInputError(
                    f"sites: {s} has no site_phases, so it needs free_area_m2 and "
                    "available_from"
                )
            release(j, int(start), float(free[j]))
        self.released = np.cumsum(add, axis=1)[:, :n_y]
        taken = np.zeros((n_s, n_y + 1), dtype=np.int64)
        for i in np.flatnonzero(self.history):
            j = self.spos.get(self.moved_site[i])
            if j is not None:  # a closed firm took no site land
                k = min(max(int(self.moved_year[i]) - self.start, 0), n_y)
                taken[j, k] += int(self.req[i])
        self.taken = np.cumsum(taken, axis=1)[:, :n_y]
        self.capacity = np.maximum(self.released - self.taken, 0)

    def _pairs(self, pairs: pd.DataFrame | None, n_s: int) -> None:
        """Listed pairs by key ``firm·n_sites + site``, with their area and surveyed cost."""
        self.has_pairs = np.zeros(len(self.fid), dtype=bool)
        self.pair_key = np.zeros(0, dtype=np.int64)
        self.pair_area = np.zeros(0, dtype=np.int64)
        self.pair_cost = np.zeros(0, dtype=np.int64)
        if pairs is None or not len(pairs):
            return
        _need(pairs, "pairs", ("firm_id", "site_id"))
        fi = pairs["firm_id"].astype(str).map(self.fpos)
        si = pairs["site_id"].astype(str).map(self.spos)
        known = (fi.notna() & si.notna()).to_numpy()
        fi = fi[known].to_numpy(dtype=np.int64)
        si = si[known].to_numpy(dtype=np.int64)
        self.has_pairs[fi] = True
        key = fi * n_s + si
        area = np.full(len(key), -1, dtype=np.int64)
        if "required_area_m2" in pairs:
            a = pd.to_numeric(pairs["required_area_m2"], errors="coerce").to_numpy(float)[known]
            area = np.where(np.isnan(a), -1, _up(np.nan_to_num(a)))
        cost = np.full(len(key), -1, dtype=np.int64)
        if "cost_vnd" in pairs:
            c = pd.array(pd.to_numeric(pairs["cost_vnd"], errors="coerce"), dtype="Int64")[known]
            cost = np.where(pd.isna(c), -1, c.fillna(0)).astype(np.int64)
        order = np.argsort(key, kind="stable")
        self.pair_key, self.pair_area, self.pair_cost = key[order], area[order], cost[order]

    def _read_actuals(self, actuals: pd.DataFrame | None) -> list[tuple[str, str, str, int | None]]:
        if actuals is None or not len(actuals):
            return []
        _need(actuals, "actuals", ("firm_id", "status", "site_id", "year"))
        out = []
        for r in actuals.itertuples(index=False):
            status = str(r.status).strip().lower()
            if status not in PLACED_STATUSES + ABSENT_STATUSES:
                raise CheckInputError(f"actuals: firm {r.firm_id}: unknown status {r.status!r}")
            site = "" if pd.isna(r.site_id) else str(r.site_id).strip()
            out.append((str(r.firm_id), status, site, _whole(r.year, f"actuals: {r.firm_id}")))
        return out

    def _read_decisions(
        self, decisions: pd.DataFrame | None
    ) -> list[tuple[str, str, str | None, int | None]]:
        if decisions is None or not len(decisions):
            return []
        _need(decisions, "decisions", ("firm_id", "site_id", "year", "rule"))
        out = []
        for r in decisions.itertuples(index=False):
            rule = str(r.rule).strip().lower()
            if rule not in ("lock", "forbid"):
                raise CheckInputError(f"decisions: firm {r.firm_id}: unknown rule {r.rule!r}")
            site = None if pd.isna(r.site_id) or str(r.site_id).strip() in ("", "*") else str(
                r.site_id
            ).strip()
            out.append((str(r.firm_id), rule, site, _whole(r.year, f"decisions: {r.firm_id}")))
        return out

    # ----------------------------------------------------------------------- entry points

    def check(self, schedule: pd.DataFrame) -> CheckReport:
        """Check a schedule given by ids: ``firm_id``, ``site_id``, ``year`` (and ``action``)."""
        _need(schedule, "schedule", ("firm_id", "site_id", "year"))
        bad: list[Violation] = []
        f_ids = schedule["firm_id"].astype(str).to_numpy()
        s_ids = schedule["site_id"].fillna("").astype(str).to_numpy()
        conv = (
            (schedule["action"].fillna("").astype(str).str.strip() == CONVERT).to_numpy()
            if "action" in schedule else np.zeros(len(schedule), dtype=bool)
        )
        firm = np.array([self.fpos.get(f, -1) for f in f_ids], dtype=np.int64)
        site = np.array([self.spos.get(s, -1) for s in s_ids], dtype=np.int64)
        for k in np.flatnonzero(conv & (s_ids != "")):
            bad.append(Violation("unknown", f"firm {f_ids[k]} converts in place and names site "
                                 f"{s_ids[k]}; a conversion names no site", f_ids[k], s_ids[k]))
        site = np.where(conv & (s_ids == ""), len(self.sid), site)
        years = [_whole(y, "schedule: year") for y in schedule["year"]]
        no_year = np.array([y is None for y in years], dtype=bool)
        year = np.array([0 if y is None else y for y in years], dtype=np.int64)
        for k in np.flatnonzero(firm < 0):
            bad.append(Violation("unknown", f"firm {f_ids[k]} is not in the firms table",
                                 f_ids[k]))
        for k in np.flatnonzero(site < 0):
            bad.append(Violation("unknown", f"site {s_ids[k]} is not in the sites table",
                                 f_ids[k], s_ids[k]))
        for k in np.flatnonzero(no_year):
            bad.append(Violation("unknown", f"firm {f_ids[k]} has no move year", f_ids[k]))
        keep = (firm >= 0) & (site >= 0) & ~no_year
        rep = self.check_positions(firm[keep], site[keep], year[keep])
        return CheckReport(tuple(bad) + rep.violations, rep.terms, rep.objective, rep.move_terms)

    def check_positions(self, firm: np.ndarray, site: np.ndarray, year: np.ndarray) -> CheckReport:
        """Check moves given by firm and site positions (table rows) and years.

        Site position ``len(sites)`` stands for a conversion in place.
        """
        firm, site, year = (np.asarray(a, dtype=np.int64) for a in (firm, site, year))
        v: list[Violation] = []
        conv = site == len(self.sid)
        area = np.zeros(len(firm), dtype=np.int64)
        area[~conv] = self._area(firm[~conv], site[~conv])
        self._conversion_rules(firm[conv], year[conv], v)
        self._firm_rules(firm, site, year, area, v)
        self._programme_rules(firm, site, year, area, v)
        self._facts(firm, site, year, v)
        terms, objective, per_move = self._objective(firm, site, year, area)
        nominal = per_move["support_nominal"]
        budget = self.scenario.limits.budget_vnd_per_year
        if budget is not None:
            for y in self.years:
                spent = int(nominal[year == y].sum())
                if spent > budget:
                    v.append(Violation(
                        "budget",
                        f"support paid in {y} is {spent:,} VND, over the yearly budget of "
                        f"{budget:,} VND ({int((year == y).sum())} moves)", year=int(y)))
        return CheckReport(tuple(v), terms, objective, per_move)

    # ----------------------------------------------------------------------- rules

    def _area(self, firm: np.ndarray, site: np.ndarray) -> np.ndarray:
        """Land needed at the site: the pair's surveyed area if given, else the firm's."""
        area = self.req[firm].copy()
        row = self._pair_row(firm, site)
        hit = row >= 0
        given = np.zeros(len(firm), dtype=bool)
        given[hit] = self.pair_area[row[hit]] >= 0
        area[given] = self.pair_area[row[given]]
        return area

    def _pair_row(self, firm: np.ndarray, site: np.ndarray) -> np.ndarray:
        """Row of each move's pair in the sorted pair arrays, -1 where not listed."""
        key = firm * len(self.sid) + site
        pos = np.searchsorted(self.pair_key, key)
        pos = np.minimum(pos, max(len(self.pair_key) - 1, 0))
        found = len(self.pair_key) > 0
        hit = (self.pair_key[pos] == key) if found else np.zeros(len(key), dtype=bool)
        return np.where(hit, pos, -1)

    def _conversion_rules(self, firm: np.ndarray, year: np.ndarray, v: list[Violation]) -> None:
        """Who may convert in place: the switch, encouraged firms, no group or clearance."""
        fid = self.fid
        allowed = self.scenario.rules.allow_conversion
        clear = self._clear_by()
        for f, y in zip(firm.tolist(), year.tolist(), strict=True):
            why = []
            if not allowed:
                why.append("the scenario does not allow conversions "
                           "(rules.allow_conversion = false)")
            if self.mandatory[f]:
                why.append("the firm must move (mandatory)")
            if self.move_group[f]:
                why.append(f"the firm moves with its group {self.move_group[f]}")
            if clear[f]:
                why.append(f"its park {self.park[f]} must be empty by {clear[f]}")
            if why:
                v.append(Violation("conversion", f"firm {fid[f]} converts in place in {y}, but "
                                   + "; ".join(why), fid[f], year=int(y)))

    def _firm_rules(self, firm: np.ndarray, site: np.ndarray, year: np.ndarray,
                    area: np.ndarray, v: list[Violation]) -> None:
        """Rules of one move: once, horizon, history, deadline, site acceptance, readiness."""
        fid, sid = self.fid, self.sid_label
        uniq, counts = np.unique(firm, return_counts=True)
        for f, n in zip(uniq[counts > 1], counts[counts > 1], strict=True):
            v.append(Violation("one_move", f"firm {fid[f]} is scheduled {n} times; a firm "
                               "moves once", fid[f]))
        for k in np.flatnonzero((year < self.start) | (year > self.end)):
            v.append(Violation("horizon", f"firm {fid[firm[k]]} moves in {year[k]}, outside the "
                               f"horizon {self.start}–{self.end}", fid[firm[k]], sid[site[k]],
                               int(year[k])))
        for k in np.flatnonzero(self.history[firm]):
            f = firm[k]
            v.append(Violation("history", f"firm {fid[f]} already moved to "
                               f"{self.moved_site[f] or '(closed)'} in {self.moved_year[f]} and "
                               f"is planned again ({sid[site[k]]}, {year[k]})", fid[f],
                               sid[site[k]], int(year[k])))
        absent = {a[0] for a in self.actuals if a[1] in ABSENT_STATUSES}
        first = {}
        for f, y in zip(firm.tolist(), year.tolist(), strict=True):
            first[f] = min(y, first.get(f, y))
        for f in np.flatnonzero(self.mandatory & ~self.history & ~self.exempt):
            if fid[f] in absent:
                continue
            dl = int(self.deadline[f])
            why = "its zone's deadline" if self.has_deadline[f] else "the horizon's end"
            if f not in first:
                v.append(Violation("deadline", f"mandatory firm {fid[f]} must move by {dl} "
                                   f"({why}); it is not scheduled", fid[f], year=dl))
            elif first[f] > dl:
                v.append(Violation("deadline", f"mandatory firm {fid[f]} must move by {dl} "
                                   f"({why}); it is scheduled in {first[f]}", fid[f],
                                   year=first[f]))
        for k in np.flatnonzero(year < self.earliest[firm]):
            f = firm[k]
            v.append(Violation("readiness", f"firm {fid[f]} moves in {year[k]}, before it is "
                               f"ready ({self.earliest[f]})", fid[f], sid[site[k]],
                               int(year[k])))
        # The site's rules concern moves only (a conversion has no site).
        mv = site < len(self.sid)
        firm, site, year, area = firm[mv], site[mv], year[mv], area[mv]

        bad = ~self.sector_ok[site, self.sector_code[firm]]
        for k in np.flatnonzero(bad):
            f, s = firm[k], site[k]
            v.append(Violation("sector", f"firm {fid[f]} (sector {self.sector[f]}) is sent to "
                               f"{sid[s]}, which accepts only "
                               f"{', '.join(sorted(self.accepts[s] or ()))}", fid[f], sid[s],
                               int(year[k])))
        bad = (self.pollution[firm] == "high") & ~self.accepts_polluting[site]
        for k in np.flatnonzero(bad):
            f, s = firm[k], site[k]
            v.append(Violation("polluting", f"firm {fid[f]} is polluting; {sid[s]} does not "
                               "accept polluting firms", fid[f], sid[s], int(year[k])))
        for k in np.flatnonzero(area > self.max_area[site]):
            f, s = firm[k], site[k]
            v.append(Violation("largest_firm", f"firm {fid[f]} needs {area[k]:,} m² at {sid[s]}; "
                               f"{sid[s]} takes firms of at most {self.max_area[s]:,.0f} m²",
                               fid[f], sid[s], int(year[k])))
        unlisted = self.has_pairs[firm] & (self._pair_row(firm, site) < 0)
        for k in np.flatnonzero(unlisted):
            f, s = firm[k], site[k]
            n_s = len(self.sid)
            listed = sid[self.pair_key[self.pair_key // n_s == f] % n_s]
            v.append(Violation("pairs", f"firm {fid[f]} → {sid[s]} is not a listed pair (its "
                               f"pairs: {', '.join(listed)})", fid[f], sid[s], int(year[k])))
        if self.scenario.rules.preferred_sites == "strict":
            off = self.has_pref[firm] & ~np.isin(firm * len(self.sid) + site, self.pref_key)
            for k in np.flatnonzero(off):
                f, s = firm[k], site[k]
                v.append(Violation("preference", f"firm {fid[f]} is sent to {sid[s]}, not one of "
                                   f"its preferred sites ({', '.join(self.prefs[f])})", fid[f],
                                   sid[s], int(year[k])))

    def _programme_rules(self, firm: np.ndarray, site: np.ndarray, year: np.ndarray,
                         area: np.ndarray, v: list[Violation]) -> None:
        """Rules over many moves: land by year, quota windows, moves per year."""
        n_y = len(self.years)
        inside = (year >= self.start) & (year <= self.end) & (site < len(self.sid))
        use = np.zeros((len(self.sid), n_y), dtype=np.int64)
        np.add.at(use, (site[inside], year[inside] - self.start), area[inside])
        use = np.cumsum(use, axis=1)
        for j, k in zip(*np.nonzero(use > self.capacity), strict=True):
            if k > 0 and use[j, k - 1] > self.capacity[j, k - 1]:
                continue  # reported from its first year over
            later = int((use[j, k:] > self.capacity[j, k:]).sum()) - 1
            y = int(self.years[k])
            more = f"; over in {later} later year(s) too" if later else ""
            v.append(Violation(
                "land", f"site {self.sid[j]} holds {use[j, k]:,} m² of planned moves by {y}, "
                f"only {self.capacity[j, k]:,} m² free (released {self.released[j, k]:,} m², "
                f"{self.taken[j, k]:,} m² taken by firms moved before){more}",
                site_id=self.sid[j], year=y))

        sc = self.scenario
        n = self.n_base
        for q in sc.quota:
            moved = int((year <= q.by_year).sum())
            before = int((self.history & (self.moved_year <= q.by_year)).sum())
            lo, hi = _min_count(q.min_share, n), _max_count(q.max_share, n)
            c = before + moved
            if c < lo and not sc.rules.soft_quota:
                v.append(Violation("quota_min", f"quota by {q.by_year}: {c} of {n} firms moved "
                                   f"({before} before), at least {lo} needed "
                                   f"({q.min_share:.0%})", year=q.by_year))
            if c > hi:
                v.append(Violation("quota_max", f"quota by {q.by_year}: {c} of {n} firms moved "
                                   f"({before} before), at most {hi} allowed "
                                   f"({q.max_share:.0%})", year=q.by_year))
        cap = sc.limits.max_moves_per_year
        if cap is not None:
            for y in self.years:
                m = int((year == y).sum())
                if m > cap:
                    v.append(Violation("moves_per_year", f"{m} moves in {y}, the limit is {cap} "
                                       "a year", year=int(y)))
        self._issue10_rules(firm, site, year, v)

    def _issue10_rules(self, firm: np.ndarray, site: np.ndarray, year: np.ndarray,
                       v: list[Violation]) -> None:
        """Exempt tenants, least moves per year, move-together groups, park clearance."""
        sc = self.scenario
        fid, sid = self.fid, self.sid_label
        for k in np.flatnonzero(self.exempt[firm]):
            f = firm[k]
            v.append(Violation("exempt", f"firm {fid[f]} is a tenant of {self.park[f]}, a park "
                               f"outside the scheme (exempt), and is scheduled to "
                               f"{sid[site[k]]} in {year[k]}", fid[f], sid[site[k]],
                               int(year[k])))
        waiting = ~self.history & ~self.exempt
        lo = sc.limits.min_moves_per_year
        if lo:
            last = np.where(self.mandatory & self.has_deadline, self.deadline, 10**6)
            clear = self._clear_by()
            last = np.where(clear > 0, np.minimum(last, clear), last)
            for y in self.years:
                before = np.zeros(len(self.fid), dtype=bool)
                before[firm[year < y]] = True
                able = int((waiting & ~before & (self.earliest <= y) & (last >= y)).sum())
                need, m = min(int(lo), able), int((year == y).sum())
                if m < need:
                    v.append(Violation("min_moves_per_year", f"{m} moves in {y}, at least "
                                       f"{need} needed ({lo} a year; {able} ready firms were "
                                       "still waiting)", year=int(y)))
        when: dict[int, tuple[int, int]] = {}
        for f, s_, y in zip(firm.tolist(), site.tolist(), year.tolist(), strict=True):
            when.setdefault(f, (s_, y))
        groups: dict[str, list[int]] = {}
        for i in np.flatnonzero(waiting & (self.move_group != "")):
            groups.setdefault(str(self.move_group[i]), []).append(int(i))
        for g, members in sorted(groups.items()):
            got = [when.get(i) for i in members]
            placed = [m for m in got if m is not None]
            if len(members) < 2 or not placed:
                continue
            years = sorted({m[1] for m in placed})
            sites = sorted({sid[m[0]] for m in placed})
            if len(placed) < len(members):
                v.append(Violation("move_group", f"move group {g}: {len(placed)} of "
                                   f"{len(members)} firms scheduled; the group moves together"))
            if len(years) > 1:
                v.append(Violation("move_group", f"move group {g} moves in "
                                   f"{', '.join(map(str, years))}; it moves in one year"))
            if sc.rules.move_group_same_site and len(sites) > 1:
                v.append(Violation("move_group", f"move group {g} goes to {', '.join(sites)}; "
                                   "it goes to one site"))
        for c in sc.clearance:
            if c.by_year < self.start:
                continue  # a target before the horizon (a replan's past) is not planned
            for i in np.flatnonzero(waiting & (self.park == c.park)):
                got = when.get(int(i))
                if got is None or got[1] > c.by_year:
                    what = "is not scheduled" if got is None else f"moves in {got[1]}"
                    v.append(Violation("clearance", f"{c.park} must be empty by {c.by_year}; "
                                       f"its firm {fid[i]} {what}", fid[i], year=c.by_year))

    def _land_class(self, firms: pd.DataFrame, stations: pd.DataFrame | None) -> np.ndarray:
        """Each parcel's likely class: TOD rings around ringed stations, else by size."""
        fl = self.scenario.freed_land
        land = self.land
        out = np.where(land >= fl.social_housing_min_m2, "social_housing",
                       np.where(land <= fl.green_max_m2, "green_public", "commerce_services"))
        if stations is None or not len(stations) or not len(land):
            return out.astype(object)
        kind = (stations["line_kind"].fillna("").astype(str).str.strip()
                if "line_kind" in stations else pd.Series("", index=stations.index))
        kind = kind.where(kind != "", "metro")
        line = stations["line"].astype(str) if "line" in stations else kind
        ringed = kind.isin(list(fl.tod_line_kinds)) | line.isin(list(fl.tod_lines))
        st = stations[ringed.to_numpy()]
        if not len(st):
            return out.astype(object)
        r = 6_371_008.8  # metres, the mean Earth radius
        p1 = np.radians(firms["lat"].to_numpy(dtype=float))[:, None]
        p2 = np.radians(st["lat"].to_numpy(dtype=float))[None, :]
        dl = np.radians(st["lon"].to_numpy(dtype=float))[None, :] - np.radians(
            firms["lon"].to_numpy(dtype=float))[:, None]
        h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        d = (2 * r * np.arcsin(np.sqrt(np.clip(h, 0, 1)))).min(axis=1)
        out = np.where(d <= fl.tod_transition_m, "tod_transition", out)
        return np.where(d <= fl.tod_core_m, "tod_core", out).astype(object)

    def _clear_by(self) -> np.ndarray:
        """Each firm's clearance year (0: none), the earliest target of its park."""
        out = np.zeros(len(self.fid), dtype=np.int64)
        for c in self.scenario.clearance:
            if c.by_year < self.start:
                continue
            hit = self.park == c.park
            out[hit] = np.where(out[hit] > 0, np.minimum(out[hit], c.by_year), c.by_year)
        return out

    def _facts(self, firm: np.ndarray, site: np.ndarray, year: np.ndarray,
               v: list[Violation]) -> None:
        """Actuals and decisions."""
        fid, sid = self.fid, self.sid_label
        where: dict[str, list[tuple[str, int]]] = {}
        for f, s, y in zip(firm.tolist(), site.tolist(), year.tolist(), strict=True):
            where.setdefault(fid[f], []).append((sid[s], y))

        def told(f: str) -> str:
            got = where.get(f)
            return "not scheduled" if not got else "scheduled " + ", ".join(
                f"to {s} in {y}" for s, y in got)

        for f, status, s, y in self.actuals:
            if status in PLACED_STATUSES:
                i = self.fpos.get(f)
                hist = i is not None and self.history[i] and (
                    self.moved_site[i] == s and int(self.moved_year[i]) == y)
                if not hist and (s, y) not in where.get(f, []):
                    v.append(Violation("actual", f"firm {f} {status} to {s} in {y} (actuals); "
                                       f"it is {told(f)}", f, s, y))
            elif f in where:
                v.append(Violation("actual", f"firm {f} is {status} (actuals); it is {told(f)}",
                                   f, where[f][0][0], where[f][0][1]))

        for f, rule, s, y in self.decisions:
            target = f"{s or 'any site'}{'' if y is None else f' in {y}'}"
            got = where.get(f, [])
            hit = [m for m in got if (s is None or m[0] == s) and (y is None or m[1] == y)]
            if rule == "lock" and (not hit or len(hit) < len(got)):
                i = self.fpos.get(f)
                if i is not None and self.history[i] and not got and (
                    (s is None or self.moved_site[i] == s)
                    and (y is None or int(self.moved_year[i]) == y)
                ):
                    continue
                v.append(Violation("decision", f"firm {f} is locked to {target} (decisions); "
                                   f"it is {told(f)}", f, s or "", y))
            elif rule == "forbid" and hit:
                v.append(Violation("decision", f"firm {f} may not move to {target} (decisions); "
                                   f"it is {told(f)}", f, hit[0][0], hit[0][1]))

    # ----------------------------------------------------------------------- objective

    def _objective(self, firm: np.ndarray, site: np.ndarray, year: np.ndarray,
                   area: np.ndarray) -> tuple[dict[str, int], int, dict[str, np.ndarray]]:
        """Every term of every move (see :mod:`relocation.domain.costs` for the formulas)."""
        sc = self.scenario
        c, w = sc.costs, sc.weights
        conv = site == len(self.sid)
        site_all, site = site, np.where(conv, 0, site)  # site-indexed terms, masked below
        d = np.where(conv, 0.0, self.dist[firm, site]) if len(self.sid) else np.zeros(len(firm))
        emp, land, a = self.emp[firm], self.land[firm], area.astype(float)
        pollution = self.pollution[firm]
        raw: dict[str, np.ndarray] = {}
        extra = np.where(pollution == "high", c.permit_polluting_extra_vnd,
                         np.where(pollution == "medium", c.permit_medium_extra_vnd, 0))
        raw["permit"] = c.permit_vnd + extra.astype(float)
        raw["dismantle_transport"] = land * c.dismantle_vnd_per_m2 + (
            land / 1e4 * d * c.transport_vnd_per_ha_km)
        raw["fitout"] = a * c.fitout_vnd_per_m2
        raw["rent"] = a * self.rent[site]
        raw["downtime"] = emp * (
            c.downtime_months + c.downtime_months_per_100km * d / 100.0
        ) * c.output_vnd_per_worker_month
        row = np.where(conv, -1, self._pair_row(firm, site))
        cost = np.full(len(firm), -1, dtype=np.int64)
        cost[row >= 0] = self.pair_cost[row[row >= 0]]
        surveyed = cost >= 0
        for name in _FIVE:
            raw[name] = np.where(surveyed, 0.0, raw[name])
        raw["surveyed"] = np.where(surveyed, cost, 0).astype(float)
        share = np.where(self.mandatory[firm], c.support_share_mandatory,
                         c.support_share_encouraged)
        raw["support"] = emp * c.support_vnd_per_worker * share + np.where(
            self.cluster[site], a * c.support_cluster_vnd_per_m2, 0.0)
        raw["commute"] = emp * d * c.commute_vnd_per_worker_km
        lost = c.attrition_base + c.attrition_span / (
            1.0 + np.exp(-(d - c.attrition_mid_km) / c.attrition_scale_km))
        raw["attrition"] = emp * lost * c.replacement_vnd_per_worker
        pref = np.zeros(len(firm), dtype=float)
        if sc.rules.preferred_sites == "penalty":
            off = self.has_pref[firm] & ~np.isin(firm * len(self.sid) + site, self.pref_key)
            pref[off] = c.preference_penalty_vnd
        raw["preference"] = pref
        # A conversion in place: the change-of-use permit and the parcel's conversion only.
        raw["conversion"] = np.where(conv, self.land[firm] * c.conversion_vnd_per_m2, 0.0)
        for name in raw:
            if name not in ("permit", "conversion"):
                raw[name] = np.where(conv, 0.0, raw[name])
        raw["permit"] = np.where(conv, float(c.permit_vnd), raw["permit"])

        disc = (1.0 + c.discount_rate) ** (-(year - self.start).astype(float))
        per_move: dict[str, np.ndarray] = {}
        weighted = np.zeros(len(firm), dtype=np.float64)
        # Land value lost by waiting: value a year × years after the start, not discounted.
        # A converted parcel is never freed: its value is lost for every year of the horizon.
        waited = np.where(conv, float(len(self.years)), (year - self.start).astype(float))
        raw["land_delay"] = self.land_value[firm] * waited
        for name in _MOVE_TERMS:
            factor = 1.0 if name == "land_delay" else disc
            per_move[name] = np.rint(raw[name] * factor).astype(np.int64)
            weighted += getattr(w, _WEIGHT_OF[name]) * per_move[name].astype(np.float64)
        stability = self._stability(firm, site_all, year)
        if stability is not None:
            per_move["stability"] = stability
            weighted += getattr(w, "stability", 1.0) * stability.astype(np.float64)
        per_move["weighted"] = np.rint(weighted).astype(np.int64)
        per_move["support_nominal"] = np.rint(raw["support"]).astype(np.int64)
        terms = {t: int(per_move[t].sum()) for t in per_move
                 if t not in ("weighted", "support_nominal")}

        split = self.split_count(firm, site_all) * c.supply_split_vnd
        terms["supply_split"] = int(split)
        objective = int(per_move["weighted"].sum()) + int(round(w.supply_split * split))
        objective += self.shortfall(year) * sc.rules.quota_shortfall_vnd_per_firm
        return terms, objective, per_move

    def _stability(self, firm: np.ndarray, site: np.ndarray, year: np.ndarray
                   ) -> np.ndarray | None:
        """The replan's stability penalty, where the scenario and the firms carry one."""
        st = getattr(self.scenario, "stability", None)
        if st is None or self.baseline is None:
            return None
        base_site, base_year = self.baseline
        has = base_year[firm] > 0
        change = has & (base_site[firm] != self.sid_x[site])
        shift = np.where(has, np.abs(year - base_year[firm]), 0)
        return (change * st.site_change_vnd + shift * st.year_shift_vnd_per_year).astype(
            np.int64)

    def split_count(self, firm: np.ndarray, site: np.ndarray) -> int:
        """Σ over supply groups of (distinct destination sites of its planned movers − 1)."""
        used: dict[str, set[int]] = {}
        for f, s in zip(firm.tolist(), site.tolist(), strict=True):
            if self.group[f] and not self.history[f]:
                used.setdefault(self.group[f], set()).add(s)
        return sum(len(u) - 1 for u in used.values())

    def shortfall(self, year: np.ndarray) -> int:
        """Firms missing from the soft quota windows' minimums (0 under hard quotas)."""
        sc = self.scenario
        if not sc.rules.soft_quota:
            return 0
        n = self.n_base
        total = 0
        for q in sc.quota:
            before = int((self.history & (self.moved_year <= q.by_year)).sum())
            total += max(0, _min_count(q.min_share, n) - before - int((year <= q.by_year).sum()))
        return total


def _min_count(share: float, n: int) -> int:
    return math.ceil(round(share * n, 9))


def _max_count(share: float, n: int) -> int:
    return math.floor(round(share * n, 9))


def compare_totals(report: CheckReport, objective: int | None,
                   terms: Mapping[str, Any] | None) -> list[Violation]:
    """The stated objective and terms that differ from the recomputed ones."""
    out = []
    if objective is not None and int(objective) != report.objective:
        out.append(Violation("objective", f"the stated objective {int(objective):,} VND differs "
                             f"from the recomputed {report.objective:,} VND"))
    for t, val in sorted((terms or {}).items()):
        mine = report.terms.get(t, 0)
        if val is not None and int(val) != mine:
            out.append(Violation("term", f"term {t}: stated {int(val):,} VND, recomputed "
                                 f"{mine:,} VND"))
    for t, mine in report.terms.items():
        if terms is not None and t not in terms and mine:
            out.append(Violation("term", f"term {t}: not stated, recomputed {mine:,} VND"))
    return out


def check_schedule(inp: CheckInput, schedule: pd.DataFrame) -> CheckReport:
    """Check a schedule (``firm_id``, ``site_id``, ``year``) against ``inp``.

    Parameters
    ----------
    inp : CheckInput
    schedule : pandas.DataFrame

    Returns
    -------
    CheckReport

    Raises
    ------
    CheckInputError
        A table lacks a column the rules need, or a value cannot be read.
    """
    return RuleChecker(inp).check(schedule)


def check_plan(
    problem: Problem,
    plan: Plan,
    *,
    actuals: pd.DataFrame | None = None,
    decisions: pd.DataFrame | None = None,
) -> CheckResult:
    """Re-verify every hard rule of ``plan`` and recompute its objective, independently.

    Parameters
    ----------
    problem : Problem
        Only its input tables, scenario and distances are read (not its options).
    plan : Plan
    actuals, decisions : pandas.DataFrame, optional
        Default to the problem's attributes of those names, if any.

    Returns
    -------
    CheckResult
        Violations in planner words; a plan whose stated objective or terms differ from the
        recomputed ones is reported too.
    """
    report = check_schedule(check_input_from_problem(problem, actuals, decisions), plan.moves)
    broken = report.violations + tuple(compare_totals(report, plan.objective, plan.terms))
    return CheckResult(tuple(b.text for b in broken), report.objective, report.terms, broken)
