"""Fuzzing the readers and the validator: any input validates or is refused as bad input.

Random bytes, random CSV text, random cell values in otherwise valid tables and random
TOML go through ``read_workspace``; the only acceptable outcomes are a ``Workspace`` or an
``InputError`` (exit 2) whose every issue names a file. Any other exception is a bug.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from corpus import SCENARIO_TOML, base_tables, write_base
from helpers_workspace import write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata.workspace import Workspace, read_workspace
from relocation.domain.errors import InputError

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
TABLE_FILES = ("firms.csv", "sites.csv", "site_phases.csv", "stations.csv", "sectors.csv")
#: Text that looks like what people type into these tables, and worse.
CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "0", "-1", "1e309", "nan", "inf", "2025.0", "2025.5", "1,5", "có",
                     "không", "*", ";", "S_BB1;;S_BB2", "Z_THUANAN", "wood", "high",
                     "106.7", "10.9", "999999999999999999999", "\x00", "\ufeff", "=1+1"]),
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return write_base(tmp_path_factory.mktemp("fuzz") / "ws")


def _outcome(base: Path, change: Callable[[Path], None]) -> Workspace | InputError:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(shutil.copytree(base, Path(tmp) / "ws"))
        change(ws)
        try:
            return read_workspace(ws)
        except InputError as exc:
            errors = [i for i in exc.issues if i.severity == "error"]
            assert errors, "an InputError without any error"
            assert all(i.file and i.message for i in exc.issues)
            str(exc)  # the message itself must be printable
            return exc


@FUZZ
@given(name=st.sampled_from([*TABLE_FILES, "zones.geojson", "scenario.toml"]),
       data=st.binary(max_size=2048))
def test_random_bytes_in_any_file(base, name, data):
    def change(ws: Path) -> None:
        (ws / name).write_bytes(data)

    _outcome(base, change)


@FUZZ
@given(name=st.sampled_from(["firms.xlsx", "workspace.gpkg", "pairs.geojson"]),
       data=st.binary(max_size=1024))
def test_random_bytes_as_binary_formats(base, name, data):
    def change(ws: Path) -> None:
        (ws / name).write_bytes(data)

    # Random bytes are never a valid spreadsheet, GeoPackage or GeoJSON (and a second file
    # for a table is refused): always an error that names the file.
    outcome = _outcome(base, change)
    assert isinstance(outcome, InputError)
    assert any(name == i.file or name in i.message for i in outcome.issues)


@FUZZ
@given(name=st.sampled_from(TABLE_FILES),
       text=st.text(alphabet=st.sampled_from(list('ab,;"\n\r\t 0.-éữ\ufeff=')), max_size=300))
def test_random_csv_text(base, name, text):
    def change(ws: Path) -> None:
        (ws / name).write_text(text, encoding="utf-8")

    assert isinstance(_outcome(base, change), InputError)  # never a valid table by chance


@FUZZ
@given(table=st.sampled_from(["firms", "sites", "site_phases", "stations", "sectors"]),
       cells=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 20), CELL),
                      min_size=1, max_size=4))
def test_random_cells_in_valid_tables(base, table, cells):
    data = base_tables()
    frame = data[table]
    for row, col, value in cells:
        frame.iloc[row % len(frame), col % frame.shape[1]] = value

    def change(ws: Path) -> None:
        write_csv(ws / f"{table}.csv", frame)

    _outcome(base, change)


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=18), max_size=6))
def test_random_rows_under_a_real_header(base, rows):
    header = list(base_tables()["firms"].columns)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)

    def change(ws: Path) -> None:
        (ws / "firms.csv").write_text(buf.getvalue(), encoding="utf-8")

    _outcome(base, change)


SCALAR = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.booleans(),
                   st.text(max_size=10), st.sampled_from(["EPSG:9210", "EPSG:4326", "x"]))
KEYS = st.sampled_from(["start", "end", "by_year", "min_share", "max_share", "time_limit_s",
                        "workers", "seed", "input", "output", "mode", "S_BB1", "Z_TDM", "name",
                        "max_moves_per_year", "relative_gap", "deterministic_time_s", "x"])
SECTIONS = st.sampled_from(["horizon", "solver", "crs", "limits", "weights", "rules", "costs",
                            "freed_land", "overrides", "quota", "name", "nope"])
TOML_VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)), max_leaves=8)


@FUZZ
@given(doc=st.dictionaries(SECTIONS, TOML_VALUE, max_size=4))
def test_random_scenario_documents(base, doc):
    def change(ws: Path) -> None:
        (ws / "scenario.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")

    _outcome(base, change)


@FUZZ
@given(extra=st.text(alphabet=st.sampled_from(list('[]=".\n =0123456789abcxyz_-{},#\'')),
                     max_size=80))
def test_random_toml_text(base, extra):
    def change(ws: Path) -> None:
        (ws / "scenario.toml").write_text(SCENARIO_TOML + extra, encoding="utf-8")

    _outcome(base, change)
