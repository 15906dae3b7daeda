"""The geo adapter: a workspace's geometry in, a plain ``Problem`` out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from relocation.domain.assemble import assemble_problem
from relocation.domain.problem import Problem
from relocation.domain.scenario import Scenario

if TYPE_CHECKING:
    from geodata.workspace import Workspace

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def road_distance_km(
    f_lon: np.ndarray, f_lat: np.ndarray, s_lon: np.ndarray, s_lat: np.ndarray, road_factor: float
) -> np.ndarray:
    """Road km between every firm and every site: great-circle km × ``road_factor``.

    The brief (§9) estimates road distance as about 1.3 × the great-circle distance.
    """
    lat1 = np.radians(np.asarray(f_lat, dtype=float))[:, None]
    lat2 = np.radians(np.asarray(s_lat, dtype=float))[None, :]
    dlat = lat2 - lat1
    dlon = (
        np.radians(np.asarray(s_lon, dtype=float))[None, :]
        - np.radians(np.asarray(f_lon, dtype=float))[:, None]
    )
    a = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))) * road_factor


def to_problem(
    ws: Workspace,
    scenario: Scenario | None = None,
    *,
    actuals: pd.DataFrame | None = None,
    baseline: pd.DataFrame | None = None,
) -> Problem:
    """Build the planning problem of a validated workspace.

    The workspace's ``decisions`` always apply; its ``actuals`` only when passed (the
    replan passes them, with the baseline plan it keeps close to).

    Parameters
    ----------
    ws : Workspace
        As returned by :func:`geodata.workspace.read_workspace`.
    scenario : Scenario, optional
        Replaces the workspace's scenario (sweeps pass their variants).
    actuals, baseline : pandas.DataFrame, optional
        See :func:`relocation.domain.assemble.assemble_problem`.

    Returns
    -------
    Problem
    """
    sc = scenario or ws.scenario
    firms, sites = ws.firms, ws.sites
    dist = road_distance_km(
        firms["lon"].to_numpy(),
        firms["lat"].to_numpy(),
        sites["lon"].to_numpy(),
        sites["lat"].to_numpy(),
        sc.costs.road_factor,
    )
    return assemble_problem(
        firms=firms.drop(columns="geometry"),
        sites=sites.drop(columns="geometry"),
        zones=ws.zones.drop(columns="geometry"),
        phases=ws.site_phases,
        pairs=ws.pairs,
        distance_km=dist,
        scenario=sc,
        meta={"workspace": str(ws.root), "inputs": dict(ws.input_hashes)},
        decisions=getattr(ws, "decisions", None),
        actuals=actuals,
        baseline=baseline,
        stations=None if ws.stations is None else pd.DataFrame(ws.stations).drop(
            columns="geometry", errors="ignore"
        ),
    )
