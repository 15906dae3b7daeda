"""Run the ``relocation`` command line as a user does: a subprocess, text output captured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, timeout: float = 120, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m relocation.cli ARGS`` from the repository, capturing text output."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "relocation.cli", *args],
        cwd=cwd or REPO, env=full_env, capture_output=True, text=True, encoding="utf-8",
        timeout=timeout, check=False,
    )
