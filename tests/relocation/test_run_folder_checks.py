"""``map`` and ``diff`` refuse bad run folders with exit 2, naming the file (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relocation import cli
from relocation.domain.problem import ALL_TERMS
from relocation.domain.scenario import Scenario
from relocation.run_folder import SCHEDULE_COLUMNS, scenario_toml

runner = CliRunner()


def _fake_run(folder: Path) -> Path:
    """A run folder's summary, scenario and schedule (enough for the checks)."""
    folder.mkdir(parents=True)
    terms = dict.fromkeys(ALL_TERMS, 0)
    (folder / "summary.json").write_text(
        json.dumps({"status": "OPTIMAL", "terms": terms, "weighted_objective": 0}),
        encoding="utf-8",
    )
    (folder / "scenario.toml").write_text(scenario_toml(Scenario()), encoding="utf-8")
    (folder / "schedule.csv").write_text(",".join(SCHEDULE_COLUMNS) + "\n", encoding="utf-8")
    return folder


BREAKAGES = {
    "malformed scenario.toml": (
        lambda r: (r / "scenario.toml").write_text("[limits\n", encoding="utf-8"),
        "scenario.toml, line 1", "not valid TOML",
    ),
    "invalid scenario.toml": (
        lambda r: (r / "scenario.toml").write_text("[limits]\nmax_moves = 3\n", "utf-8"),
        "scenario.toml, column limits.max_moves", "unknown key",
    ),
    "missing scenario.toml": (
        lambda r: (r / "scenario.toml").unlink(),
        "scenario.toml", "required file scenario.toml is missing",
    ),
    "malformed summary.json": (
        lambda r: (r / "summary.json").write_text('{"status": ', encoding="utf-8"),
        "summary.json, row 1", "bad JSON",
    ),
    "summary.json not an object": (
        lambda r: (r / "summary.json").write_text("[1, 2]", encoding="utf-8"),
        "summary.json", "not a run summary",
    ),
    "missing summary.json": (
        lambda r: (r / "summary.json").unlink(),
        "summary.json", "missing: not a run folder",
    ),
    "missing schedule": (
        lambda r: (r / "schedule.csv").unlink(),
        "schedule.csv", "missing",
    ),
}


@pytest.mark.parametrize("command", ["map", "diff"])
@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_bad_run_folder_is_exit_2_naming_the_file(tmp_path, command, breakage):
    good = _fake_run(tmp_path / "good")
    bad = _fake_run(tmp_path / "bad")
    if command == "map":
        for name in ("plan.gpkg", "site_load.csv"):
            (bad / name).write_bytes(b"")
    if command == "map" and breakage == "missing schedule":
        breakage_fn = BREAKAGES[breakage][0]
        where, words = "plan.gpkg", "missing"
        (bad / "plan.gpkg").unlink()
    else:
        breakage_fn, where, words = BREAKAGES[breakage]
        breakage_fn(bad)
    args = ["map", str(bad)] if command == "map" else ["diff", str(good), str(bad)]
    res = runner.invoke(cli.app, args)
    assert res.exit_code == 2, (res.exit_code, res.stderr)
    assert str(bad / where.split(",")[0]) in res.stderr, res.stderr
    assert where.split(",", 1)[-1].strip() in res.stderr and words in res.stderr, res.stderr
    assert "internal error" not in res.stderr


def test_map_of_an_infeasible_run_is_exit_2(tmp_path):
    run = tmp_path / "inf"
    run.mkdir()
    (run / "summary.json").write_text(json.dumps({"status": "INFEASIBLE", "terms": None}),
                                      encoding="utf-8")
    res = runner.invoke(cli.app, ["map", str(run)])
    assert res.exit_code == 2 and "has no plan to draw (status INFEASIBLE)" in res.stderr
