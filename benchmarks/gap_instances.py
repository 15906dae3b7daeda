"""Generalized assignment (GAP) benchmark instances: reading them, and turning one into a workspace.

The instances are the OR-Library (Chu & Beasley 1997) and Yagiura C/D/E sets kept in
``../shared/benchmarks/gap`` (never copied into the repository). Format, whitespace-separated
integers: ``m n``, the m×n cost matrix (agent i, item j), the m×n weight matrix, the m
capacities.

:func:`write_gap_workspace` writes an instance as a one-year relocation workspace in which
every item is a mandatory firm and every agent a site, with ``pairs.csv`` carrying the GAP
costs and weights. Employees are 0 and the pairs replace every relocation-cost term, so the
relocation objective of a plan equals the GAP objective of the same assignment exactly.
"""

from __future__ import annotations

import json
import os
import re
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

# Run as a script from a checkout (``python benchmarks/gap_bench.py``) the project may not be
# installed: make its packages importable from the repository root (an installed copy wins).
REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.append(str(REPO_ROOT))

from relocation.domain.errors import InputError, InputIssue  # noqa: E402

SHARED_ENV = "RELOCATION_SHARED"
GAP_SUBDIR = Path("benchmarks") / "gap"
_UINT = re.compile(r"[0-9]+")
#: The one year of a GAP workspace.
GAP_YEAR = 2024
#: The zone (in WGS84 degrees) that holds every firm and site of a GAP workspace: a small
#: rectangle in Bình Dương. Distances do not matter (no employees, surveyed costs).
GAP_ZONE_BOUNDS = (106.60, 11.00, 106.70, 11.10)  # lon_min, lat_min, lon_max, lat_max
#: Land each GAP firm occupies now. It enters no objective term: the pairs replace every
#: relocation cost and the area needed at a site. (The validator warns about parcels under
#: 20 m²; a larger value would instead trip its land pre-check, which ignores pair areas.)
GAP_FIRM_LAND_M2 = 1


@dataclass(frozen=True)
class GapInstance:
    """One GAP instance (minimisation).

    Attributes
    ----------
    name : str
        File name, e.g. ``c05100``.
    cost : numpy.ndarray
        int64, shape (agents, items): cost of giving item j to agent i.
    weight : numpy.ndarray
        int64, shape (agents, items): capacity item j uses at agent i.
    capacity : numpy.ndarray
        int64, shape (agents,): capacity of each agent.
    """

    name: str
    cost: np.ndarray
    weight: np.ndarray
    capacity: np.ndarray

    @property
    def agents(self) -> int:
        """Number of agents (m)."""
        return int(self.cost.shape[0])

    @property
    def items(self) -> int:
        """Number of items (n)."""
        return int(self.cost.shape[1])

    def objective(self, agent_of_item: np.ndarray) -> int:
        """Total cost of an assignment (``agent_of_item[j]`` = agent of item j)."""
        return int(self.cost[agent_of_item, np.arange(self.items)].sum())

    def check_assignment(self, agent_of_item: np.ndarray) -> list[str]:
        """Return what is wrong with an assignment (an empty list when it is feasible)."""
        a = np.asarray(agent_of_item)
        if a.shape != (self.items,):
            return [f"expected one agent per item ({self.items}), got shape {a.shape}"]
        if a.min() < 0 or a.max() >= self.agents:
            return ["an agent index is out of range"]
        load = np.bincount(a, weights=self.weight[a, np.arange(self.items)], minlength=self.agents)
        return [
            f"agent {i}: load {int(load[i])} above capacity {int(self.capacity[i])}"
            for i in np.flatnonzero(load > self.capacity)
        ]


@dataclass(frozen=True)
class BestKnown:
    """A row of ``best_known.csv``.

    Attributes
    ----------
    name : str
        Instance name (the last part of ``Path``).
    path : str
        Path relative to the benchmark folder, e.g. ``yagiura2004/d801600``.
    dataset : str
        ``chu1997``, ``yagiura2004`` or ``cattrysse1994``.
    items, agents : int
        Instance size.
    bound : int
        Best known lower bound.
    optimum : int or None
        Proven optimum, where known.
    best_value : int
        Best known solution value (BKS).
    """

    name: str
    path: str
    dataset: str
    items: int
    agents: int
    bound: int
    optimum: int | None
    best_value: int

    @property
    def gap_class(self) -> str:
        """Instance type: the leading letter of the name in upper case (A–E), or ``other``."""
        first = self.name[:1].upper()
        return first if first in "ABCDE" and self.dataset != "cattrysse1994" else "other"


def find_shared_dir(override: str | os.PathLike[str] | None = None) -> Path | None:
    """Locate the read-only ``shared`` folder.

    Order: ``override`` (``--shared``), then the ``RELOCATION_SHARED`` environment variable,
    then ``../shared`` next to the repository. Returns None when the chosen folder does not
    hold ``benchmarks/gap``.

    Parameters
    ----------
    override : path-like, optional
        Explicit location.

    Returns
    -------
    pathlib.Path or None
        The shared folder, or None when absent.
    """
    if override is not None:
        candidate = Path(override)
    elif os.environ.get(SHARED_ENV):
        candidate = Path(os.environ[SHARED_ENV])
    else:
        candidate = Path(__file__).resolve().parents[2] / "shared"
    return candidate if (candidate / GAP_SUBDIR).is_dir() else None


def gap_dir(shared: Path) -> Path:
    """The GAP benchmark folder inside ``shared``."""
    return shared / GAP_SUBDIR


def _is_uint(token: str) -> bool:
    """Whether ``token`` is a non-negative integer in ASCII digits (``str.isdigit`` takes ²)."""
    return _UINT.fullmatch(token) is not None


def _section_of(k: int, m: int, n: int) -> str:
    """Name the token at position ``k`` of a GAP file (for error messages)."""
    if k < 2:
        return ("m", "n")[k]
    k -= 2
    for label in ("cost", "weight"):
        if k < m * n:
            return f"{label}[agent {k // n + 1}, item {k % n + 1}]"
        k -= m * n
    return f"capacity[agent {k + 1}]"


def read_gap_instance(path: str | os.PathLike[str]) -> GapInstance:
    """Read a GAP instance in the OR-Library format.

    Parameters
    ----------
    path : path-like
        The instance file.

    Returns
    -------
    GapInstance
        The instance.

    Raises
    ------
    InputError
        When the file is missing, a token is not a non-negative integer, or the number of
        tokens does not match ``m n``; the issue names the file, the line (as ``row``) and
        which entry (as ``column``).
    """
    path = Path(path)
    fname = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(
            [InputIssue(fname, None, None, None, f"cannot read the file: {reason}")],
            summary=f"cannot read GAP instance {path}",
        ) from exc
    tokens: list[str] = []
    lines: list[int] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        tokens += words
        lines += [lineno] * len(words)
    issues: list[InputIssue] = []
    if len(tokens) < 2:
        issues.append(InputIssue(fname, None, None, None, "expected 'm n' at the start"))
        raise InputError(issues, summary=f"bad GAP instance {path}")
    for k in range(2):
        if not _is_uint(tokens[k]) or int(tokens[k]) == 0:
            issues.append(
                InputIssue(
                    fname, lines[k], ("m", "n")[k], tokens[k][:40], "expected a positive integer"
                )
            )
    if issues:
        raise InputError(issues, summary=f"bad GAP instance {path}")
    m, n = int(tokens[0]), int(tokens[1])
    expected = 2 + 2 * m * n + m
    bad = [k for k in range(2, min(len(tokens), expected)) if not _is_uint(tokens[k])]
    for k in bad[:20]:
        issues.append(
            InputIssue(
                fname,
                lines[k],
                _section_of(k, m, n),
                tokens[k][:40],
                "expected a non-negative integer",
            )
        )
    if len(tokens) != expected:
        where = lines[-1] if len(tokens) > expected else None
        issues.append(
            InputIssue(
                fname,
                where,
                None,
                None,
                f"m={m}, n={n} needs {expected} numbers (2 + 2·m·n + m), "
                f"the file has {len(tokens)}",
            )
        )
    if issues:
        raise InputError(issues, summary=f"bad GAP instance {path}")
    values = np.array(tokens, dtype=np.int64)
    cost = values[2 : 2 + m * n].reshape(m, n)
    weight = values[2 + m * n : 2 + 2 * m * n].reshape(m, n)
    capacity = values[2 + 2 * m * n :]
    return GapInstance(name=fname, cost=cost, weight=weight, capacity=capacity)


_BEST_KNOWN_COLUMNS = {
    "Path": "path",
    "Dataset": "dataset",
    "Item number": "items",
    "Agent number": "agents",
    "Best known bound": "bound",
    "Optimum": "optimum",
    "Best known solution value": "best_value",
}


def read_best_known(path: str | os.PathLike[str]) -> dict[str, BestKnown]:
    """Read ``best_known.csv`` into a mapping from instance name to its row.

    Parameters
    ----------
    path : path-like
        The CSV file.

    Returns
    -------
    dict of str to BestKnown
        Keyed by instance name (``c05100``), in file order.

    Raises
    ------
    InputError
        On a missing column or a non-integer value (file, row, column named).
    """
    path = Path(path)
    fname = path.name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in _BEST_KNOWN_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            [InputIssue(fname, 1, c, None, "missing column") for c in missing],
            summary=f"bad best-known table {path}",
        )
    issues: list[InputIssue] = []
    out: dict[str, BestKnown] = {}
    for pos, rec in enumerate(frame.to_dict("records")):
        row = pos + 2  # the header is row 1
        ints: dict[str, int | None] = {}
        for col, key in _BEST_KNOWN_COLUMNS.items():
            if key in ("path", "dataset"):
                continue
            raw = rec[col].strip()
            if raw == "" and key == "optimum":
                ints[key] = None  # not proven optimal
            elif _is_uint(raw):
                ints[key] = int(raw)
            else:
                issues.append(InputIssue(fname, row, col, raw[:40], "expected an integer"))
        if issues:
            continue
        name = rec["Path"].strip().rsplit("/", 1)[-1]
        out[name] = BestKnown(
            name=name,
            path=rec["Path"].strip(),
            dataset=rec["Dataset"].strip(),
            items=int(ints["items"] or 0),
            agents=int(ints["agents"] or 0),
            bound=int(ints["bound"] or 0),
            optimum=ints["optimum"],
            best_value=int(ints["best_value"] or 0),
        )
    if issues:
        raise InputError(issues, summary=f"bad best-known table {path}")
    return out


def available_instances(shared: Path) -> dict[str, BestKnown]:
    """Best-known rows whose instance file exists under ``shared``, in table order."""
    folder = gap_dir(shared)
    rows = read_best_known(folder / "best_known.csv")
    return {name: bk for name, bk in rows.items() if (folder / bk.path).is_file()}


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file through a temporary sibling that is renamed into place.

    A reader never sees a half-written file, and an interrupted run leaves the old file.

    Parameters
    ----------
    path : pathlib.Path
        Final location.
    write : callable
        ``write(tmp_path)`` writes the content to the temporary path.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # A hidden sibling on the same file system, so that the rename is atomic; created by
    # ``write`` itself so it gets the usual permissions (mkstemp would make it 0600).
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write a table as UTF-8 CSV (no index), atomically."""
    atomic_write(
        path, lambda p: frame.to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
    )


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_geojson(path: Path, features: Sequence[dict[str, object]]) -> None:
    """Write a GeoJSON FeatureCollection (WGS84 lon/lat, RFC 7946), atomically."""
    doc = {"type": "FeatureCollection", "features": list(features)}
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


def write_toml(path: Path, data: dict[str, object]) -> None:
    """Write a TOML document atomically."""
    write_text(path, tomli_w.dumps(data))


def polygon_feature(
    ring: Sequence[tuple[float, float]], properties: dict[str, object]
) -> dict[str, object]:
    """A GeoJSON polygon feature from one exterior ring of (lon, lat) (closed here)."""
    coords = [[round(x, 7), round(y, 7)] for x, y in ring]
    if coords[0] != coords[-1]:
        coords.append(coords[0])
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [coords]},
    }


STATIONS_COLUMNS = ["station_id", "name", "line", "opening_year", "lon", "lat"]


def _grid_points(count: int, bounds: tuple[float, float, float, float]) -> np.ndarray:
    """``count`` distinct (lon, lat) points on a regular grid strictly inside ``bounds``."""
    lon0, lat0, lon1, lat1 = bounds
    side = int(np.ceil(np.sqrt(count)))
    k = np.arange(count)
    lon = lon0 + (lon1 - lon0) * ((k % side) + 1) / (side + 1)
    lat = lat0 + (lat1 - lat0) * ((k // side) + 1) / (side + 1)
    return np.column_stack([lon.round(6), lat.round(6)])


def write_gap_workspace(instance: GapInstance, folder: str | os.PathLike[str]) -> Path:
    """Write a GAP instance as a one-year relocation workspace.

    Items become mandatory firms ``F0001…`` (no employees, 1 m² of land, sector ``other``) and
    agents become industrial parks ``S01…`` with ``free_area_m2`` = capacity, open in 2024,
    taking every sector and polluting firms. ``pairs.csv`` lists every (firm, site) with
    ``cost_vnd`` = c_ij and ``required_area_m2`` = w_ij, so the relocation objective of a plan
    equals the GAP objective of its assignment. One zone of kind ``both`` with deadline 2024
    holds every firm and site; the scenario forces every firm to move in 2024
    (quota 100 %) and asks for a proven optimum (``relative_gap = 0``).

    Parameters
    ----------
    instance : GapInstance
        The instance.
    folder : path-like
        Workspace folder (created; existing files of the same names are replaced).

    Returns
    -------
    pathlib.Path
        The workspace folder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    m, n = instance.agents, instance.items
    zone_id = "Z_GAP"
    firm_ids = [f"F{j + 1:04d}" for j in range(n)]
    site_ids = [f"S{i + 1:02d}" for i in range(m)]
    lon0, lat0, lon1, lat1 = GAP_ZONE_BOUNDS
    # Firms in the lower half of the zone, sites in the upper half: distinct points, all
    # well inside the polygon so that no reprojection puts one on the boundary.
    firm_xy = _grid_points(n, (lon0, lat0, lon1, (lat0 + lat1) / 2))
    site_xy = _grid_points(m, (lon0, (lat0 + lat1) / 2, lon1, lat1))

    firms = pd.DataFrame(
        {
            "firm_id": firm_ids,
            "name": [f"Hạng mục {j + 1} của {instance.name}" for j in range(n)],
            "zone_id": zone_id,
            "sector": "other",
            "land_area_m2": GAP_FIRM_LAND_M2,
            "employees": 0,
            "mandatory": "true",
            "lon": firm_xy[:, 0],
            "lat": firm_xy[:, 1],
        }
    )
    sites = pd.DataFrame(
        {
            "site_id": site_ids,
            "name": [f"Tác nhân {i + 1} của {instance.name}" for i in range(m)],
            "zone_id": zone_id,
            "kind": "industrial_park",
            "free_area_m2": instance.capacity,
            "available_from": GAP_YEAR,
            "accepts_sectors": "*",
            "accepts_polluting": "true",
            "lon": site_xy[:, 0],
            "lat": site_xy[:, 1],
        }
    )
    # Agent-major order follows the file; every value stays an exact integer (whole VND).
    pairs = pd.DataFrame(
        {
            "firm_id": np.tile(firm_ids, m),
            "site_id": np.repeat(site_ids, n),
            "cost_vnd": instance.cost.reshape(-1).astype(np.int64),
            "required_area_m2": instance.weight.reshape(-1).astype(np.int64),
        }
    )
    sectors = pd.DataFrame(
        [{"code": "other", "name_vi": "Ngành khác", "name_en": "Other", "pollution": "low"}]
    )
    stations = pd.DataFrame(columns=STATIONS_COLUMNS)
    ring = [(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1)]
    zone = polygon_feature(
        ring,
        {
            "zone_id": zone_id,
            "name": f"Vùng GAP {instance.name}",
            "kind": "both",
            "deadline_year": GAP_YEAR,
        },
    )
    scenario = {
        "name": f"gap-{instance.name}",
        "description": (
            f"Generalized assignment instance {instance.name} ({n} items, {m} agents) "
            "as a one-year relocation: the objective equals the GAP cost."
        ),
        "horizon": {"start": GAP_YEAR, "end": GAP_YEAR},
        "quota": [{"by_year": GAP_YEAR, "min_share": 1.0, "max_share": 1.0}],
        "solver": {"relative_gap": 0.0},
    }
    write_csv(folder / "firms.csv", firms)
    write_csv(folder / "sites.csv", sites)
    write_csv(folder / "pairs.csv", pairs)
    write_csv(folder / "sectors.csv", sectors)
    write_csv(folder / "stations.csv", stations)
    write_geojson(folder / "zones.geojson", [zone])
    write_toml(folder / "scenario.toml", scenario)
    return folder
