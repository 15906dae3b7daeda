"""What a sweep runs: its points (``--quota`` floors or a grid file's), and its results.

Merge order of a point's scenario (as in :mod:`relocation.domain.scenario`): defaults,
``scenario.toml``, ``--set`` overrides, the point's own settings, then ``--time-limit``
and the solver workers the sweep gives each scenario. Grid points' settings go through the
one override engine (:meth:`~relocation.domain.scenario.Scenario.with_overrides`) exactly as
``--set`` does: ``quota.N`` must be an existing window, and a ``min_share`` above its
window's ``max_share`` is refused (set both). ``--quota`` points follow their own
documented rule (:meth:`~relocation.domain.scenario.Scenario.with_quota_floor`): the
window's ceiling is kept, or raised to the floor where it would fall below it, and a
``--by-year`` without a window adds one.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geodata.grid import GridFile, read_grid
from geodata.workspace import Workspace
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.scenario import Scenario
from relocation.workflow import apply_settings

#: Most points a sweep may hold (a typo in a grid should not launch a million solves).
MAX_POINTS = 1000
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

    def scenario(
        self, ws: Workspace, base: Scenario, source: str, n_slated: int | None = None
    ) -> Scenario:
        """The point's scenario on ``base``.

        A grid point's settings go through the one override engine
        (:meth:`Scenario.with_overrides`, as ``--set`` does); a ``--quota`` point applies
        its floor by the quota sweep's own rule
        (:meth:`Scenario.with_quota_floor`: the ceiling is kept, or raised to the floor,
        so that it admits the floor's firm count on the quota base ``n_slated`` — the
        firms still slated, exempt ones excluded).

        Raises
        ------
        InputError
        """
        if self.quota is not None:
            return base.with_quota_floor(*self.quota, n_slated=n_slated)
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

    @property
    def without_plan(self) -> tuple[PointResult, ...]:
        """The scenarios without a plan or a proof of infeasibility (out of time).

        A rerun solves them again.
        """
        return tuple(r for r in self.results if not has_outcome(r.summary))


def has_outcome(summary: Mapping[str, Any]) -> bool:
    """True when a scenario's summary holds a plan or a proof of infeasibility."""
    if summary.get("status") == "INFEASIBLE":
        return True
    return summary.get("status") in ("OPTIMAL", "FEASIBLE") and bool(summary.get("terms"))


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


def grid_points(grid: GridFile) -> SweepSpec:
    """The sweep of a grid file: the cartesian product of ``[grid]``, then the named points.

    Grid points are named ``g001``, ``g002``…; named points keep their name for display
    and get a filesystem-safe folder name. The report's x axis is the grid's one key when
    it is the only one, numeric and varying, and there are no named points.

    Raises
    ------
    InputError
        The file defines no scenario, or more than :data:`MAX_POINTS`.
    """
    label = grid.label
    axes = [(k, list(v)) for k, v in grid.axes]
    named = list(grid.named)
    n_grid = math.prod(len(v) for _, v in axes) if axes else 0
    if n_grid + len(named) == 0:
        raise InputError(
            [InputIssue(label, None, None, None, "the grid file defines no scenario")],
            summary="bad grid file",
        )
    if n_grid + len(named) > MAX_POINTS:
        raise InputError(
            [InputIssue(label, None, None, None,
                        f"{n_grid + len(named)} scenarios; at most {MAX_POINTS}")],
            summary="bad grid file",
        )
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
        spec = grid_points(read_grid(grid))
    else:
        assert quota is not None
        base = apply_settings(ws, ws.scenario, sets, "--set")
        spec = quota_points(base, parse_quota_list(quota), by_year)
    return SweepSpec(spec.points, spec.source, sets, spec.axis)
