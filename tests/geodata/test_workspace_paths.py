"""A workspace given by a relative path reads like the same folder given absolutely."""

from __future__ import annotations

import os
from pathlib import Path

from geodata.workspace import demo_dir, read_workspace


def test_relative_workspace_path(tmp_path: Path) -> None:
    root = demo_dir()
    cwd = os.getcwd()
    try:
        os.chdir(root.parent)
        ws = read_workspace(Path(root.name))
    finally:
        os.chdir(cwd)
    assert len(ws.firms) == len(read_workspace(root).firms)
    assert "firms.csv" in ws.input_hashes


def test_repeated_warnings_are_collapsed_into_one_line() -> None:
    from geodata.workspace import collapse_warnings
    from relocation.domain.errors import InputIssue

    many = [InputIssue("firms.csv", r, "land_area_m2", "1", "unusually small", "warning")
            for r in range(2, 102)]
    few = [InputIssue("sites.csv", 2, "free_area_m2", "0", "no free land", "warning")]
    out = collapse_warnings(many + few)
    assert len(out) == 2
    assert out[0].row is None and "100 rows: 2, 3, 4, 5, 6" in out[0].message
    assert out[1] == few[0]
