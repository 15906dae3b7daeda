"""Grid files are read into plain data; their shape errors name the file and the key."""

from __future__ import annotations

import pytest

from geodata.grid import GridFile, read_grid
from relocation.domain.errors import InputError


def test_grid_file_reads_into_plain_data(tmp_path):
    path = tmp_path / "lưới.toml"
    path.write_text(
        '[grid]\n"limits.max_moves_per_year" = [500, 650]\n[grid.quota.0]\nmin_share = 0.3\n'
        '[[scenarios]]\nname = "Muộn"\nset = { "overrides.zone_deadline.Z.1" = 2029 }\n',
        encoding="utf-8",
    )
    assert read_grid(path) == GridFile(
        "lưới.toml",
        (("limits.max_moves_per_year", (500, 650)), ("quota.0.min_share", (0.3,))),
        (("Muộn", {"overrides.zone_deadline.Z.1": 2029}),),
    )


def test_every_shape_error_at_once(tmp_path):
    path = tmp_path / "grid.toml"
    path.write_text(
        '[grids]\nx = 1\n[grid]\n"limits.max_moves_per_year" = []\n'
        '[[scenarios]]\nset = {}\n[[scenarios]]\nname = "a"\nsett = {}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        read_grid(path)
    got = {(i.file, i.column, i.message.split(" (")[0]) for i in exc.value.issues}
    assert got == {
        ("grid.toml", "grids", "unknown section"),
        ("grid.toml", "grid.limits.max_moves_per_year", "empty list of values"),
        ("grid.toml", "scenarios.0.name", "every [[scenarios]] entry needs a name"),
        ("grid.toml", "scenarios.1.sett", "unknown key"),
    }
    path.write_text("[grid\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_grid(path)
    assert exc.value.issues[0].row == 1 and "not valid TOML" in exc.value.issues[0].message
