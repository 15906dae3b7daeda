"""The layers hold: every import in the tree runs one way (``../shared/CONVENTIONS.md``).

``relocation/domain/`` is the core (numpy, pandas, pydantic and the standard library only);
``geodata/``, ``models/`` and ``maps/`` take from ``relocation`` nothing but the core and
not each other's work; the application (the rest of ``relocation/``) sits on top and nothing
below imports it. Imports are read from the source (``ast``), function-local ones included,
so a lazy import cannot hide a crossing.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("relocation", "geodata", "models", "maps")

#: Third-party packages the domain core may import (besides the standard library).
DOMAIN_THIRD_PARTY = {"numpy", "pandas", "pydantic", "pydantic_core"}
#: What each lower package must never import (top-level names or dotted prefixes).
FORBIDDEN = {
    "geodata": ("models", "maps", "ortools", "highspy", "folium"),
    "models": ("geodata", "maps", "folium", "geopandas", "shapely", "pyogrio", "pyproj"),
    "maps": ("geodata", "models", "ortools", "highspy"),
}


def module_name(path: Path, root: Path) -> str:
    """Dotted module name of a source file below ``root``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Every module a file imports, absolute (relative imports resolved), anywhere in it.

    ``from pkg import name`` counts as importing ``pkg.name`` where that is a module of the
    tree (``known``), else as importing ``pkg``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            for alias in node.names:
                sub = f"{mod}.{alias.name}"
                found.add(sub if sub in known else mod)
    return found


def _layer(mod: str) -> str:
    if mod == "relocation.domain" or mod.startswith("relocation.domain."):
        return "domain"
    if mod == "relocation" or mod.startswith("relocation."):
        return "application"
    return mod.split(".")[0]


def _under(mod: str, prefix: str) -> bool:
    return mod == prefix or mod.startswith(prefix + ".")


def layer_violations(root: Path) -> list[str]:
    """Every import below ``root`` that runs the wrong way, as ``module → import: why``."""
    stdlib = set(sys.stdlib_module_names)
    paths = {
        module_name(path, root): path
        for pkg in PACKAGES
        for path in sorted((root / pkg).rglob("*.py"))
    }
    known = set(paths)
    modules = {name: imports_of(path, name, known) for name, path in paths.items()}
    bad: list[str] = []
    for mod, deps in sorted(modules.items()):
        layer = _layer(mod)
        for dep in sorted(deps):
            top = dep.split(".")[0]
            why = None
            if layer == "domain":
                if _under(dep, "relocation") and not _under(dep, "relocation.domain"):
                    why = "the domain core imports the application"
                elif top in ("geodata", "models", "maps"):
                    why = f"the domain core imports {top}/"
                elif top not in stdlib and top not in DOMAIN_THIRD_PARTY and top != "relocation":
                    why = f"the domain core may use only numpy, pandas, pydantic (not {top})"
            elif layer in FORBIDDEN:
                if _under(dep, "relocation") and not _under(dep, "relocation.domain"):
                    if dep != "relocation":
                        why = f"{layer}/ imports the application (only relocation.domain)"
                elif any(_under(dep, f) for f in FORBIDDEN[layer]):
                    why = f"{layer}/ must not import {top}"
            if why:
                bad.append(f"{mod} → {dep}: {why}")
    # No two modules import each other (a circle of two).
    names = set(modules)
    for mod, deps in sorted(modules.items()):
        for dep in sorted(deps & names):
            if dep != mod and mod in modules.get(dep, set()) and mod < dep:
                bad.append(f"{mod} ↔ {dep}: the two modules import each other")
    return bad


def test_the_tree_keeps_its_layers() -> None:
    assert layer_violations(REPO) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for pkg in PACKAGES:
        (tmp_path / pkg).mkdir(parents=True, exist_ok=True)
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "relocation" / "domain").mkdir(exist_ok=True)
    (tmp_path / "relocation" / "domain" / "__init__.py").write_text("")
    for rel, text in files.items():
        (tmp_path / rel).write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("rel", "text", "why"),
    [
        ("maps/render.py", "from relocation.workflow import plan\n", "imports the application"),
        ("maps/render.py", "def f():\n    import ortools\n", "must not import ortools"),
        ("models/solve.py", "import geopandas as gpd\n", "must not import geopandas"),
        ("geodata/io.py", "from models.build import build_model\n", "must not import models"),
        ("relocation/domain/x.py", "from geodata import outputs\n", "imports geodata/"),
        ("relocation/domain/x.py", "from ..cli import main\n", "imports the application"),
        ("relocation/domain/x.py", "import shapely\n", "only numpy, pandas, pydantic"),
    ],
)
def test_a_wrong_import_is_caught(tmp_path: Path, rel: str, text: str, why: str) -> None:
    root = _tree(tmp_path, {rel: text})
    found = layer_violations(root)
    assert len(found) == 1 and why in found[0], found


def test_a_circle_of_two_is_caught(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "relocation/a.py": "from relocation import b\n",
            "relocation/b.py": "import relocation.a\n",
        },
    )
    expected = "relocation.a ↔ relocation.b: the two modules import each other"
    assert layer_violations(root) == [expected]


def test_allowed_imports_pass(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "maps/render.py": "import folium\nfrom relocation.domain.labels import label\n",
            "models/build.py": "from ortools.sat.python import cp_model\n",
            "relocation/domain/x.py": "import numpy\nimport pandas\nfrom . import y\n",
            "relocation/domain/y.py": "import math\n",
            "relocation/cli.py": "from models.build import cp_model\nfrom maps import render\n",
        },
    )
    assert layer_violations(root) == []


@pytest.mark.parametrize(
    ("module", "absent"),
    [
        ("maps.render", ("ortools", "highspy", "models")),
        ("relocation.domain.check", ("ortools", "highspy", "geopandas", "shapely", "folium")),
        ("relocation.domain.land_use", ("ortools", "highspy", "geopandas", "folium")),
        ("models.solve", ("folium", "geopandas", "geodata", "maps")),
    ],
)
def test_importing_a_layer_loads_nothing_it_must_not(module: str, absent: tuple[str, ...]) -> None:
    code = (
        f"import sys, {module}\n"
        f"bad = [m for m in {absent!r} if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
