"""Read a sweep's grid file (``--grid grid.toml``) into plain data.

Format::

    [grid]                                  # the cartesian product, first key slowest
    "limits.max_moves_per_year" = [500, 650]
    "quota.0.min_share" = [0.30, 0.35]

    [[scenarios]]                           # optional named points, after the grid's
    name = "VSIP III opens late"
    set = { "overrides.site_available_from.D_VSIP3" = 2027 }

Keys are dotted ``scenario.toml`` paths, quoted or as nested tables. This module checks the
file's shape only; what the keys mean is the scenario's business (the application applies
them through the one override engine).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geodata.tables import MAX_FILE_BYTES
from relocation.domain.errors import InputError, InputIssue
from relocation.domain.issue_text import issue_text


@dataclass(frozen=True)
class GridFile:
    """A grid file's contents.

    Attributes
    ----------
    label : str
        The file's name, for messages (``grid.toml``).
    axes : tuple of (str, tuple)
        Each ``[grid]`` key (dotted) with its values, in file order.
    named : tuple of (str, dict)
        Each ``[[scenarios]]`` entry: its name and its settings (dotted key → value).
    """

    label: str
    axes: tuple[tuple[str, tuple[Any, ...]], ...]
    named: tuple[tuple[str, dict[str, Any]], ...]


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in table.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _fail(issues: list[InputIssue]) -> InputError:
    return InputError(issues, summary="bad grid file")


def read_grid(path: Path) -> GridFile:
    """Read and check a grid file.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    GridFile

    Raises
    ------
    InputError
        Missing or unreadable file, bad TOML (with its line), unknown section, an empty
        list of values, a ``[[scenarios]]`` entry without a name or with an unknown key —
        every problem at once, each naming the file and the key.
    """
    label = Path(path).name
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise _fail([InputIssue(label, None, None, None,
                                    issue_text("file_larger_than",
                                               limit_mb=MAX_FILE_BYTES // 2**20))])
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(
            [InputIssue(str(path), None, None, None, exc.strerror or str(exc))],
            summary="cannot read the grid file",
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            [InputIssue(label, None, None, None, issue_text("not_utf8"))],
            summary="cannot read the grid file",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else None
        message = issue_text("bad_toml", why=exc)
        raise _fail([InputIssue(label, line, None, None, message)]) from None
    issues: list[InputIssue] = []
    for key in data:
        if key not in ("grid", "scenarios"):
            issues.append(InputIssue(
                label, None, key, None, issue_text("grid_section")
            ))
    raw_grid = data.get("grid", {})
    if not isinstance(raw_grid, dict):
        issues.append(InputIssue(label, None, "grid", None, issue_text("grid_table")))
        raw_grid = {}
    axes: list[tuple[str, tuple[Any, ...]]] = []
    for key, values in _flatten(raw_grid).items():
        vals = tuple(values) if isinstance(values, list) else (values,)
        if not vals:
            issues.append(InputIssue(label, None, f"grid.{key}", None, issue_text("grid_empty")))
        axes.append((key, vals))
    named: list[tuple[str, dict[str, Any]]] = []
    raw = data.get("scenarios", [])
    for i, entry in enumerate(raw if isinstance(raw, list) else [raw]):
        where = f"scenarios.{i}"
        if not isinstance(entry, dict):
            issues.append(InputIssue(label, None, where, None,
                                     issue_text("grid_scenarios_table")))
            continue
        extra = sorted(set(entry) - {"name", "set"})
        if extra:
            issues.append(InputIssue(
                label, None, f"{where}.{extra[0]}", None, issue_text("grid_unknown_key")
            ))
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            issues.append(InputIssue(
                label, None, f"{where}.name", None, issue_text("grid_needs_name")
            ))
            continue
        sets = entry.get("set", {})
        if not isinstance(sets, dict):
            issues.append(InputIssue(label, None, f"{where}.set", None,
                                     issue_text("grid_expected_table")))
            continue
        named.append((name, _flatten(sets)))
    if issues:
        raise _fail(issues)
    return GridFile(label, tuple(axes), tuple(named))
