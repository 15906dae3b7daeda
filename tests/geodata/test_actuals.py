"""The ``actuals`` and ``decisions`` tables: read, normalised, and every bad row named."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geodata.workspace import read_actuals, read_workspace
from relocation.domain.errors import InputError
from tests.helpers_workspace import write_workspace

ACTUALS_COLUMNS = ["firm_id", "status", "site_id", "year", "note"]
DECISIONS_COLUMNS = ["firm_id", "site_id", "year", "rule", "note"]


def _ws(tmp_path: Path, actuals: list[list[str]] | None = None,
        decisions: list[list[str]] | None = None) -> Path:
    extra = {}
    if actuals is not None:
        extra["actuals"] = pd.DataFrame(actuals, columns=ACTUALS_COLUMNS, dtype=str)
    if decisions is not None:
        extra["decisions"] = pd.DataFrame(decisions, columns=DECISIONS_COLUMNS, dtype=str)
    return write_workspace(tmp_path / "ws", overrides=extra)


def _errors(root: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        read_workspace(root)
    return [i.format() for i in exc.value.issues if i.severity == "error"]


def test_valid_tables_are_read(tmp_path: Path) -> None:
    root = _ws(tmp_path, [["0001", "committed", "S_BB1", "2027", "lease signed"],
                          ["0004", "closed", "", "2025", ""]],
               [["0002", "*", "2026", "forbid", ""], ["0002", "S_BB1", "*", "lock", ""]])
    ws = read_workspace(root)
    assert list(ws.actuals["status"]) == ["committed", "closed"]
    assert ws.actuals["year"].tolist() == [2027, 2025]
    assert ws.decisions["year"].isna().tolist() == [False, True]
    assert ws.decisions["site_id"].tolist() == ["*", "S_BB1"]


def test_absent_tables_are_empty(tmp_path: Path) -> None:
    ws = read_workspace(write_workspace(tmp_path / "ws"))
    assert ws.actuals.empty and ws.decisions.empty


def test_bad_actuals_rows_are_named(tmp_path: Path) -> None:
    root = _ws(tmp_path, [
        ["9999", "moved", "S_BB1", "2025", ""],      # unknown firm
        ["0002", "moved", "S_BB2", "2025", ""],      # S_BB2 refuses textile / polluting
        ["0001", "committed", "S_BB1", "2035", ""],  # after the horizon
        ["0004", "gone", "", "2025", ""],            # unknown status
        ["0003", "closed", "", "2025", ""],          # already moved in firms.csv
    ])
    errors = "\n".join(_errors(root))
    assert "actuals.csv, row 2, column firm_id" in errors and "unknown firm" in errors
    assert "row 3, column site_id" in errors and "does not accept" in errors
    assert "row 4, column year" in errors and "after the horizon end 2030" in errors
    assert "row 5, column status" in errors
    assert "row 6, column firm_id" in errors and "already moved" in errors


def test_over_full_site_is_refused(tmp_path: Path) -> None:
    # S_BB2 releases 40,000 m² from 2025 and takes firms of at most 10,000 m².
    big = [["0001", "moved", "S_BB2", "2025", ""]]
    root = _ws(tmp_path, big)
    read_workspace(root)  # 5,000 m²: fits
    firms = pd.read_csv(root / "firms.csv", dtype=str, keep_default_na=False)
    firms.loc[firms["firm_id"] == "0001", "required_area_m2"] = "9000"
    firms.loc[firms["firm_id"] == "0004", "required_area_m2"] = "9000"
    extra = pd.DataFrame([["0001", "moved", "S_BB2", "2025", ""],
                          ["0004", "committed", "S_BB2", "2026", ""]],
                         columns=ACTUALS_COLUMNS)
    phases = pd.DataFrame([["S_BB1", "2024", "30000"], ["S_BB2", "2025", "12000"]],
                          columns=["site_id", "year", "released_area_m2"])
    root = write_workspace(tmp_path / "ws2", overrides={"firms": firms, "actuals": extra,
                                                         "site_phases": phases})
    errors = "\n".join(_errors(root))
    assert "S_BB2 is over-full in 2026" in errors


def test_contradicting_lock_is_refused(tmp_path: Path) -> None:
    root = _ws(tmp_path, [["0001", "committed", "S_BB1", "2027", ""]],
               [["0002", "S_BB2", "*", "lock", "textile at a wood cluster"],
                ["0001", "S_BB1", "2028", "lock", "contradicts the committed year"],
                ["0004", "*", "*", "forbid", ""]])
    errors = "\n".join(_errors(root))
    assert "decisions.csv, row 2, column site_id" in errors and "contradicts a site rule" in errors
    assert "row 3, column firm_id" in errors and "committed move" in errors
    assert "row 4" in errors and "both *" in errors


def test_actuals_file_option_replaces_the_table(tmp_path: Path) -> None:
    ws = read_workspace(_ws(tmp_path))
    other = tmp_path / "facts.csv"
    other.write_text("firm_id,status,site_id,year,note\n0004,exempt,,2025,removed\n",
                     encoding="utf-8")
    ws2 = read_actuals(ws, other)
    assert ws2.actuals["status"].tolist() == ["exempt"]
    assert "facts.csv" in ws2.input_hashes
    bad = tmp_path / "bad.csv"
    bad.write_text("firm_id,status,site_id,year,note\n0004,moved,,2025,\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_actuals(ws, bad)
    assert "bad.csv, row 2, column site_id" in exc.value.issues[0].format()
