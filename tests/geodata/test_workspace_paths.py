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
