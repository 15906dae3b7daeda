"""The schedule's Fixed column: committed actuals and lock decisions, in the CSV and workbook.

A real baseline plan and a real replan of the small test workspace (real solver, real
files): the workspace locks firm 0001 to a site and year and firm 0004 to a year, and its
actuals record a signed lease of firm 0002. The workbook is read back with openpyxl.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from relocation.domain.labels import COLUMNS, FIXED, fixed_code, fixed_label
from relocation.domain.status import Fixed, fixed_kinds
from relocation.replan import replan_workspace
from relocation.run_folder import SCHEDULE_COLUMNS, write_outputs
from relocation.workflow import PlanOptions, plan_workspace
from tests.helpers_workspace import SCENARIO_TOML, write_workspace

SCENARIO = SCENARIO_TOML + """\
[solver]
time_limit_s = 20
workers = 1
relative_gap = 0.0
"""
ACTUALS = [["0002", "committed", "S_BB1", "2027", "lease signed"]]
DECISIONS = [["0001", "S_BB2", "2026", "lock", "council"], ["0004", "*", "2025", "lock", ""]]
EXPECTED = {
    "0001": "khóa nơi đến và năm (quyết định) / site and year locked (decision)",
    "0002": "đã ký (cam kết) / committed",
    "0004": "khóa năm (quyết định) / year locked (decision)",
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("fixed")
    ws = write_workspace(
        root / "ws",
        overrides={
            "actuals": pd.DataFrame(ACTUALS, columns=["firm_id", "status", "site_id", "year",
                                                      "note"], dtype=str),
            "decisions": pd.DataFrame(DECISIONS, columns=["firm_id", "site_id", "year", "rule",
                                                          "note"], dtype=str),
        },
        scenario=SCENARIO,
    )
    opts = PlanOptions(force=True, render_map=False, lang="en")
    plan_workspace(ws, root / "base", opts)  # `plan` ignores the actuals: 0002 is free
    replan_workspace(ws, root / "base", root / "review", opts)
    return root / "base", root / "review"


def _schedule(run: Path) -> pd.DataFrame:
    return pd.read_csv(run / "schedule.csv", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig").set_index("firm_id")


def _workbook_fixed(run: Path) -> dict[str, object]:
    """Firm id → its Fixed cell in the year sheets, after checking the two header rows."""
    wb = openpyxl.load_workbook(run / "schedule.xlsx")
    out: dict[str, object] = {}
    for sheet in (wb[s] for s in wb.sheetnames if s.isdigit()):
        vi = [c.value for c in sheet[1]]
        en = [c.value for c in sheet[2]]
        j = vi.index(COLUMNS["fixed"][0])
        assert (vi[j], en[j]) == COLUMNS["fixed"] == ("Cố định", "Fixed")
        assert j == len(vi) - 1  # the last column
        ids = vi.index(COLUMNS["firm_id"][0])
        for row in sheet.iter_rows(min_row=3):
            out[str(row[ids].value)] = row[j].value
    return out


def test_committed_and_locked_firms_are_marked_in_the_schedule_and_workbook(runs) -> None:  # type: ignore[no-untyped-def]
    base, review = runs
    sched = _schedule(review)
    assert list(sched.reset_index().columns) == list(SCHEDULE_COLUMNS)
    assert sched["fixed"].to_dict() == EXPECTED
    assert (sched.at["0002", "site_id"], sched.at["0002", "year"]) == ("S_BB1", "2027")
    assert sched.at["0004", "year"] == "2025"
    assert _workbook_fixed(review) == EXPECTED  # one column, the same text in both files
    # The baseline plan knows the locks but not the lease: 0002 is not fixed there.
    base_sched = _schedule(base)
    assert base_sched.at["0002", "fixed"] == ""
    assert base_sched.at["0001", "fixed"] == EXPECTED["0001"]
    assert _workbook_fixed(base)["0002"] is None  # a blank cell, not a text


def test_outputs_rewrites_the_workbook_from_the_schedule(runs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, review = runs
    run = tmp_path / "run"
    shutil.copytree(review, run)
    (run / "schedule.xlsx").unlink()
    write_outputs(run, ("schedule.xlsx",))
    assert _workbook_fixed(run) == EXPECTED


def test_fixed_kinds_and_labels() -> None:
    kinds = fixed_kinds(
        np.array(["slated", "committed", "slated", "slated", "slated", "committed"]),
        np.array(["", "S1", "S1", "S1", "", "S1"]),
        np.array([0, 2027, 2026, 0, 2026, 2027]),
    )
    assert list(kinds) == ["", "committed", "locked_site_year", "locked_site", "locked_year",
                           "committed"]
    assert set(FIXED) == {k.value for k in Fixed} - {""}
    for code in FIXED:
        both = fixed_label(code)
        assert both == f"{fixed_label(code, 'vi')} / {fixed_label(code, 'en')}"
        assert fixed_code(both) == code == fixed_code(code)
    assert fixed_label("") == "" and fixed_code("") == ""
    assert fixed_label("locked_site", "vi") == "khóa nơi đến (quyết định)"
    with pytest.raises(KeyError):
        fixed_code("locked somehow")
