"""The progress line: it starts with the solve, fits 80 columns, and speaks both languages."""

from __future__ import annotations

import io
import re

import pytest
from cli_runner import run_cli
from helpers_workspace import write_workspace
from rich.console import Console

from relocation.progress import SolveProgress

ELAPSED = re.compile(r"\b\d:\d\d:\d\d\b")


def _console() -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, width=80, color_system=None, force_terminal=False), buf


@pytest.mark.parametrize(("lang", "word"), [("en", "solving"), ("vi", "đang giải")])
def test_the_line_fits_80_columns_with_the_whole_elapsed_time(lang, word):
    console, buf = _console()
    progress = SolveProgress(60, lang=lang, console=console)
    with progress:
        progress.on_phase("presolve")
        assert not progress.started
        progress.on_phase("solve")
        progress.update({"t": 1.0, "objective": 123_456_789_000_000.0,
                         "bound": 123_000_000_000_000.0, "source": "solution"})
    lines = [line for line in buf.getvalue().splitlines() if line.strip()]
    assert lines and all(len(line) <= 80 for line in lines), lines
    last = lines[-1]
    assert last.startswith(word) and ELAPSED.search(last), last
    assert ("123,456.8" if lang == "en" else "123.456,8") in last
    assert ("gap 0.37%" if lang == "en" else "sai số 0,37%") in last


def test_nothing_is_shown_before_the_solve():
    console, buf = _console()
    with SolveProgress(60, console=console) as progress:
        progress.on_phase("reading")
        progress.tick()
    assert not progress.started and buf.getvalue() == ""


def test_a_refused_output_folder_shows_no_progress(tmp_path):
    ws = write_workspace(tmp_path / "ws")
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    res = run_cli("--lang", "en", "plan", str(ws), "--out", str(out), env={"COLUMNS": "80"})
    assert res.returncode == 2
    assert "refusing to overwrite" in res.stderr and "solving" not in res.stderr
    vi = run_cli("--lang", "vi", "plan", str(ws), "--out", str(out))
    assert "từ chối ghi đè" in vi.stderr and "thêm --force để thay nó" in vi.stderr
    assert "đang giải" not in vi.stderr


def test_a_plan_at_80_columns_prints_a_whole_progress_line_and_a_vietnamese_report(tmp_path):
    ws = write_workspace(tmp_path / "ws")
    res = run_cli("--lang", "vi", "plan", str(ws), "--out", str(tmp_path / "run"),
                  "--workers", "1", "--time-limit", "20", env={"COLUMNS": "80"})
    assert res.returncode == 0, res.stderr
    progress = [line for line in res.stderr.splitlines() if line.startswith("đang giải")]
    assert progress and all(len(line) <= 80 and ELAPSED.search(line) for line in progress)
    assert res.stdout.startswith("Kế hoạch ")
    assert "số lượt di dời mỗi năm" in res.stdout and "kết quả trong " in res.stdout
