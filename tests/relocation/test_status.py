"""The one firm-status model: every status has one quota, land and planning rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from relocation.domain.assemble import assemble_problem
from relocation.domain.problem import Problem
from relocation.domain.scenario import Scenario
from relocation.domain.status import (
    ACTUAL_STATUSES,
    STATUS_RULES,
    FirmStatus,
    counts_as_history,
    in_quota_base,
)
from tests.factories import FIRM_DEFAULTS, SITE_DEFAULTS


def test_every_status_has_a_rule() -> None:
    assert set(STATUS_RULES) == set(FirmStatus)
    assert set(ACTUAL_STATUSES) == {"moved", "committed", "closed", "converted", "exempt"}


def test_quota_rules() -> None:
    for closed_counts in (True, False):
        assert in_quota_base(FirmStatus.SLATED, closed_counts)
        assert in_quota_base(FirmStatus.MOVED, closed_counts)
        assert in_quota_base(FirmStatus.CONVERTED, closed_counts)
        assert not in_quota_base(FirmStatus.EXEMPT, closed_counts)
        assert in_quota_base(FirmStatus.CLOSED, closed_counts) is closed_counts
        assert counts_as_history(FirmStatus.CLOSED, closed_counts) is closed_counts
    assert not counts_as_history(FirmStatus.COMMITTED, True)
    assert not STATUS_RULES[FirmStatus.CLOSED].takes_site_land
    assert STATUS_RULES[FirmStatus.MOVED].takes_site_land


def _with_actuals(actuals: pd.DataFrame, closed_counts: bool = True) -> Problem:
    """Five 5,000 m² firms, one 40,000 m² site open from 2024, horizon 2025–2027."""
    sc = Scenario.model_validate({"horizon": {"start": 2025, "end": 2027},
                                  "rules": {"closed_counts_in_quota": closed_counts}})
    f = pd.DataFrame([{**FIRM_DEFAULTS, "firm_id": f"F{i}", "name": f"F{i}",
                       "required_area_m2": 5000.0, "earliest_year": 2025} for i in range(5)])
    f["moved_year"] = pd.array([None] * 5, dtype="Int64")
    s = pd.DataFrame([{**SITE_DEFAULTS, "site_id": "S0", "name": "S0", "free_area_m2": 40000.0,
                       "available_from": 2024}])
    s["rent_vnd_per_m2"] = pd.array([None], dtype="Int64")
    zones = pd.DataFrame({"zone_id": ["Z_SOUTH", "Z_NORTH"],
                          "deadline_year": pd.array([None, None], dtype="Int64")})
    return assemble_problem(f, s, zones, None, None, np.full((5, 1), 20.0), sc, actuals=actuals)


def test_assembled_statuses() -> None:
    actuals = pd.DataFrame({
        "firm_id": ["F0", "F1", "F2", "F3", "F4"],
        "status": ["moved", "committed", "closed", "converted", "exempt"],
        "site_id": ["S0", "S0", "", "", ""],
        "year": [2024, 2026, 2024, 2024, 2024],
    })
    p = _with_actuals(actuals)
    f = p.firms.set_index("firm_id")
    assert "F4" not in f.index  # exempt: out of the base
    assert p.n_slated == 4 and p.n_moved_before == 3  # moved, closed, converted count
    assert (f.at["F1", "lock_site_id"], f.at["F1", "lock_year"]) == ("S0", 2026)
    assert bool(f.at["F1", "must_move"])
    opts = p.options[p.options["firm"] == f.index.get_loc("F1")]
    assert opts[["site", "year"]].values.tolist() == [[0, 2026]]
    # Only the moved firm takes land (5,000 m² from 2024 on: every planning year).
    assert (p.released_m2[0] - p.capacity_m2[0]).tolist() == [5000, 5000, 5000]


def test_closed_without_the_switch_leaves_the_base() -> None:
    actuals = pd.DataFrame({"firm_id": ["F2"], "status": ["closed"], "site_id": [""],
                            "year": [2024]})
    on = _with_actuals(actuals)
    assert on.n_slated == 5 and on.n_moved_before == 1
    off = _with_actuals(actuals, closed_counts=False)
    assert off.n_slated == 4 and off.n_moved_before == 0
    assert "F2" not in set(off.firms["firm_id"])
