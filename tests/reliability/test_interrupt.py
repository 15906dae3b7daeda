"""Nothing lost: a run folder appears whole or not at all, whatever stops the run.

The demo is planned with ``relative_gap = 0`` so that CP-SAT keeps solving; the run is
stopped with SIGINT or SIGTERM once the progress line shows a first plan (the solver is
then working). The previous run folder of the same name must be left byte for byte.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from corpus import REPO, run_cli, write_base

pytestmark = pytest.mark.slow
SOLVING = re.compile(r"best \d")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    res = run_cli("export-demo", str(root / "ws"))
    assert res.returncode == 0, res.stderr
    return root / "ws"


@pytest.fixture
def previous_run(tmp_path):
    """A complete earlier run folder named ``run`` (of a small workspace)."""
    ws = write_base(tmp_path / "small")
    out = tmp_path / "runs" / "run"
    out.parent.mkdir()
    out.mkdir()
    (out / "summary.json").write_text("{}", encoding="utf-8")  # an old run to replace
    res = run_cli("plan", str(ws), "--out", str(out), "--force", "--quiet", "--workers", "1")
    assert res.returncode == 0, res.stderr
    return out


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_solve_and_keeps_the_previous_run(demo, previous_run, sig, code):
    before = _snapshot(previous_run)
    env = {**os.environ, "PYTHONPATH": str(REPO), "FORCE_COLOR": "1", "COLUMNS": "160"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "relocation.cli", "plan", str(demo), "--out", str(previous_run),
         "--force", "--time-limit", "60", "--set", "solver.relative_gap=0"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    err = bytearray()
    solving = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        while chunk := proc.stderr.read1(4096):
            err.extend(chunk)
            if SOLVING.search(err.decode("utf-8", "replace")):
                solving.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert solving.wait(60), err.decode("utf-8", "replace")[-2000:]
        time.sleep(2.0)  # past the greedy plan, into the LP and CP-SAT
        assert proc.poll() is None, "the solve ended before it could be interrupted"
        proc.send_signal(sig)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(5)
    assert proc.stderr is not None
    proc.stderr.close()
    text = err.decode("utf-8", "replace")
    assert proc.returncode == code, text[-2000:]
    assert "Traceback" not in text
    assert re.search(r"stopped|interrupted|terminated", text)
    assert _snapshot(previous_run) == before
    assert sorted(p.name for p in previous_run.parent.iterdir()) == ["run"]


def test_existing_run_folder_is_not_overwritten_without_force(previous_run, tmp_path):
    before = _snapshot(previous_run)
    ws = tmp_path / "small"
    res = run_cli("plan", str(ws), "--out", str(previous_run), "--quiet")
    assert res.returncode == 2 and "--force" in res.stderr
    assert _snapshot(previous_run) == before


def test_force_replaces_a_run_folder_whole(previous_run, tmp_path):
    ws = tmp_path / "small"
    old = _snapshot(previous_run)
    res = run_cli("plan", str(ws), "--out", str(previous_run), "--force", "--quiet",
                  "--workers", "1", "--seed", "7")
    assert res.returncode == 0, res.stderr
    new = _snapshot(previous_run)
    assert set(new) == set(old) and new["summary.json"] != old["summary.json"]
    assert sorted(p.name for p in previous_run.parent.iterdir()) == ["run"]


def test_force_refuses_a_folder_that_is_not_a_run(tmp_path):
    ws = write_base(tmp_path / "small")
    keep = tmp_path / "documents"
    keep.mkdir()
    (keep / "báo cáo.docx").write_bytes(b"quan trong")
    res = run_cli("plan", str(ws), "--out", str(keep), "--force", "--quiet")
    assert res.returncode == 2 and "not a run folder" in res.stderr
    assert _snapshot(keep) == {"báo cáo.docx": b"quan trong"}


# ------------------------------------------------------------ every phase, by the hook

#: Phase → extra arguments that make the run reach it (an infeasible scenario reaches the
#: explanation: no firm may move, yet mandatory firms have deadlines).
PHASE_ARGS = {
    "reading": (),
    "presolve": (),
    "solve": (),
    "explanation": ("--set", "limits.max_moves_per_year=0"),
    "outputs": (),
    "writing": (),
}


def _wait_for_line(path: Path, line: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and line in path.read_text(encoding="utf-8").split():
            return
        assert proc.poll() is None, f"the run ended before the {line!r} phase"
        time.sleep(0.02)
    raise AssertionError(f"the {line!r} phase never started")


@pytest.mark.parametrize("phase", list(PHASE_ARGS))
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_in_each_phase_writes_nothing(previous_run, tmp_path, phase, sig, code):
    """The run is held at the start of ``phase`` by the test hook (RELOCATION_PHASE_HOLD,
    documented in relocation/phases.py); the signal must stop it within 5 s, the previous
    run folder left byte for byte."""
    before = _snapshot(previous_run)
    phases = tmp_path / "phases.txt"
    env = {**os.environ, "PYTHONPATH": str(REPO), "RELOCATION_PHASE_FILE": str(phases),
           "RELOCATION_PHASE_HOLD": phase}
    proc = subprocess.Popen(
        [sys.executable, "-m", "relocation.cli", "plan", str(tmp_path / "small"), "--out",
         str(previous_run), "--force", "--quiet", "--workers", "1", "--time-limit", "20",
         *PHASE_ARGS[phase]],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_for_line(phases, phase, proc, 120)
        proc.send_signal(sig)
        t0 = time.monotonic()
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code, err
    assert took < 5, f"{took:.1f} s to stop in {phase}"
    assert "Traceback" not in err and "nothing written" in err, err
    assert _snapshot(previous_run) == before
    assert sorted(p.name for p in previous_run.parent.iterdir()) == ["run"]


@pytest.fixture(scope="module")
def remote_scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster:
        yield cluster.scheduler_address


@pytest.mark.parametrize("where", ["local", "remote"])
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_a_sweep_runs(request, tmp_path, where, sig, code):
    ws = write_base(tmp_path / "small")
    phases = tmp_path / "phases.txt"
    out = tmp_path / "sweep"
    env = {**os.environ, "PYTHONPATH": str(REPO), "RELOCATION_PHASE_FILE": str(phases),
           "RELOCATION_PHASE_HOLD": "sweep"}
    cluster = ()
    if where == "remote":
        cluster = ("--scheduler", request.getfixturevalue("remote_scheduler"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "relocation.cli", "sweep", str(ws), "--quota", "0.25,0.5",
         "--out", str(out), "--workers-total", "1", "--time-limit", "20", "--quiet", *cluster],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_for_line(phases, "sweep", proc, 120)
        proc.send_signal(sig)
        t0 = time.monotonic()
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code, err
    assert took < 5, f"{took:.1f} s to stop the sweep"
    assert "Traceback" not in err and "run the same command again to resume" in err, err
    assert not list((out / "scenarios").glob(".*")), "no half-written folder is left"
    assert not (out / "comparison.csv").exists()
