"""Shared test set-up: the tests folder is importable (``factories``, ``helpers_workspace``)."""

from __future__ import annotations

import sys
from pathlib import Path

# Appended, not prepended: tests/maps etc. must not shadow the packages of the same name.
sys.path.append(str(Path(__file__).resolve().parent))
