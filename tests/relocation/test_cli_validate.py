"""The ``validate`` and ``export-demo`` commands and the CLI's error-to-exit-code mapping."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import typer
from cli_runner import run_cli
from helpers_workspace import tables, write_workspace
from typer.testing import CliRunner

import geodata.workspace as W
from relocation import cli
from relocation.domain.errors import InfeasibleError, InputError, InputIssue

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, timeout=120)


def test_validate_ok_prints_counts(tmp_path):
    result = _run("validate", str(write_workspace(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 4 firms, 2 sites, 3 zones, 2 stations, 3 sectors")
    assert result.stderr == ""


def test_acceptance_duplicate_negative_and_non_numeric_refused_in_one_message(tmp_path):
    data = tables()
    data["firms"].loc[1, "firm_id"] = "0001"
    data["firms"].loc[2, "land_area_m2"] = "-800"
    data["firms"].loc[3, "employees"] = "sáu mươi"
    result = _run("validate", str(write_workspace(tmp_path, overrides=data)))
    assert result.returncode == 2
    assert result.stdout == ""
    err = result.stderr
    assert "Traceback" not in err
    assert err.startswith("error: ") and "4 error(s)" in err
    lines = err.splitlines()[1:]
    assert lines == [
        "  firms.csv, row 2, column firm_id (value '0001'): duplicate firm_id (rows 2, 3)",
        "  firms.csv, row 3, column firm_id (value '0001'): duplicate firm_id (rows 2, 3)",
        "  firms.csv, row 4, column land_area_m2 (value '-800'): must be > 0",
        "  firms.csv, row 5, column employees (value 'sáu mươi'): not a whole number",
    ]


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_validate_needs_a_folder(tmp_path, kind):
    target = tmp_path / "nowhere"
    if kind == "file":
        target.write_text("x", encoding="utf-8")
    result = runner.invoke(cli.app, ["validate", str(target)])
    assert result.exit_code == 2
    assert ("no such folder" if kind == "missing" else "not a folder") in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_validate_prints_warnings_and_exits_0(tmp_path):
    data = tables()
    data["firms"].loc[1, "employees"] = "25000"
    result = runner.invoke(cli.app, ["validate", str(write_workspace(tmp_path, overrides=data))])
    assert result.exit_code == 0
    assert "OK: 4 firms" in result.stdout
    assert "warning: firms.csv, row 3, column employees (value '25000')" in result.stderr


def test_issue_format_names_features_and_lines():
    geo = InputIssue("zones.geojson", 3, "geometry", None, "invalid polygon")
    layer = InputIssue("workspace.gpkg:firms", 7, "zone_id", "Z", "unknown zone: Z")
    toml = InputIssue("scenario.toml", 4, None, None, "not valid TOML")
    assert cli.format_issue(geo) == "zones.geojson, feature 3, column geometry: invalid polygon"
    assert cli.format_issue(layer).startswith("workspace.gpkg:firms, feature 7, column zone_id")
    assert cli.format_issue(toml) == "scenario.toml, line 4: not valid TOML"


@pytest.mark.parametrize(
    ("exc", "code", "text"),
    [
        (InputError([InputIssue("f.csv", 2, "c", "v", "bad")]), 2, "f.csv, row 2, column c"),
        (InfeasibleError(["2025 needs 870 moves; capacity admits 612"], 0.21), 3, "612"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (RuntimeError("boom"), 1, "internal error: RuntimeError: boom"),
    ],
)
def test_run_guarded_maps_outcomes_to_exit_codes(exc, code, text, capsys):
    def work() -> int:
        raise exc

    with pytest.raises(typer.Exit) as info:
        cli.run_guarded(work)
    assert info.value.exit_code == code
    err = capsys.readouterr().err
    assert text in err and "Traceback" not in err


# --- export-demo -----------------------------------------------------------------------------


@pytest.fixture
def fake_demo(tmp_path, monkeypatch):
    """Point export_demo at a real workspace folder standing in for the package's demo."""
    source = write_workspace(tmp_path / "demo_source")
    monkeypatch.setattr(W, "_demo_dir", lambda: source)
    return source


def test_export_demo_writes_a_valid_workspace(tmp_path, fake_demo):
    dest = tmp_path / "out" / "ws"
    result = runner.invoke(cli.app, ["export-demo", str(dest)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in dest.iterdir()) == sorted(p.name for p in fake_demo.iterdir())
    for p in fake_demo.iterdir():
        assert (dest / p.name).read_bytes() == p.read_bytes()
    assert not [p for p in dest.parent.iterdir() if p.name.startswith(".")]  # no temp left
    assert runner.invoke(cli.app, ["validate", str(dest)]).exit_code == 0


def test_export_demo_refuses_a_non_empty_folder_without_force(tmp_path, fake_demo):
    dest = tmp_path / "ws"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(cli.app, ["export-demo", str(dest)])
    assert result.exit_code == 2
    assert "--force" in result.stderr
    assert (dest / "keep.txt").read_text(encoding="utf-8") == "mine"
    result = runner.invoke(cli.app, ["export-demo", str(dest), "--force"])
    assert result.exit_code == 0
    assert not (dest / "keep.txt").exists() and (dest / "firms.csv").is_file()


def test_export_demo_into_an_empty_existing_folder(tmp_path, fake_demo):
    dest = tmp_path / "empty"
    dest.mkdir()
    assert runner.invoke(cli.app, ["export-demo", str(dest)]).exit_code == 0
    assert (dest / "scenario.toml").is_file()


def test_export_of_the_embedded_demo_validates(tmp_path):
    dest = tmp_path / "demo"
    W.export_demo(dest)
    result = _run("validate", str(dest))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
