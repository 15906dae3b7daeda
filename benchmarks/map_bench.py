"""Size and speed of the offline map on the embedded demo (issue 4).

Builds a plausible plan from ``geodata/demo`` (no solver: each firm goes to the first
compatible site with land left, in a year between its earliest year and its deadline;
about 90 % of firms move), classifies the freed land, renders and saves ``map.html``, then
opens it three times in headless Chromium with the network refused and prints the HTML
size and the median time to ``.leaflet-container`` and to the layers drawn.

    .venv/bin/python benchmarks/map_bench.py [--out benchmarks/out/map_bench] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "tests"))  # the browser launch recipe the tests use

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
from browser import ARGS, CHROMIUM  # noqa: E402

from geodata.parcels import freed_parcels  # noqa: E402
from maps.offline import save_map  # noqa: E402
from maps.render import render_map  # noqa: E402
from models.housing import allocate_social_housing  # noqa: E402
from relocation.domain.land_ledger import summarise_freed_land  # noqa: E402
from relocation.domain.land_use import classify_freed_land  # noqa: E402
from relocation.domain.scenario import FreedLand  # noqa: E402

DEMO = ROOT / "geodata" / "demo"
YEARS = tuple(range(2024, 2031))


def _points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=4326)


def demo_world() -> dict[str, object]:
    """Demo tables plus a constructed plan (moves, site load) and classified freed land."""
    firms = pd.read_csv(DEMO / "firms.csv", dtype={"firm_id": str, "zone_id": str})
    sites = pd.read_csv(DEMO / "sites.csv", dtype={"site_id": str})
    stations = _points(pd.read_csv(DEMO / "stations.csv", dtype={"station_id": str}))
    zones = gpd.read_file(DEMO / "zones.geojson")
    phases = pd.read_csv(DEMO / "site_phases.csv", dtype={"site_id": str})
    firms = firms[firms["moved_year"].isna()].reset_index(drop=True)

    # Capacity by site and year (phases replace free_area/available_from, README).
    cap = {}
    for _, s in sites.iterrows():
        ph = phases[phases["site_id"] == s["site_id"]]
        for y in YEARS:
            if len(ph):
                cap[(s["site_id"], y)] = float(ph.loc[ph["year"] <= y, "released_area_m2"].sum())
            else:
                ok = y >= int(s["available_from"])
                cap[(s["site_id"], y)] = float(s["free_area_m2"]) if ok else 0.0
    deadline = dict(zip(zones["zone_id"], zones["deadline_year"], strict=True))
    used = {k: 0.0 for k in cap}
    moves = []
    for i, f in firms.iterrows():
        if i % 10 == 9:
            continue  # about 10 % stay: remaining jobs for the near-jobs distance
        last = int(deadline.get(f["zone_id"]) or YEARS[-1])
        year = max(int(f["earliest_year"]), YEARS[0] + i % (min(last, YEARS[-1]) - YEARS[0] + 1))
        for _, s in sites.iterrows():
            acc = str(s["accepts_sectors"])
            if acc != "*" and f["sector"] not in acc.split(";"):
                continue
            if f["pollution"] == "high" and str(s["accepts_polluting"]).lower() != "true":
                continue
            if pd.notna(s["max_firm_area_m2"]) and f["land_area_m2"] > s["max_firm_area_m2"]:
                continue
            if all(
                used[(s["site_id"], y)] + f["land_area_m2"] <= cap[(s["site_id"], y)]
                for y in YEARS
                if y >= year
            ):
                for y in YEARS:
                    if y >= year:
                        used[(s["site_id"], y)] += f["land_area_m2"]
                moves.append(
                    {
                        "firm_id": f["firm_id"],
                        "firm_name": f["name"],
                        "origin_zone_id": f["zone_id"],
                        "site_id": s["site_id"],
                        "site_name": s["name"],
                        "year": year,
                        "employees": int(f["employees"]),
                        "permit_vnd": 300_000_000,
                        "rent_vnd": int(f["land_area_m2"]) * 2_600_000,
                        "support_vnd": int(f["employees"]) * 60_000_000,
                    }
                )
                break
    moves_df = pd.DataFrame(moves)
    load = pd.DataFrame(
        [
            {
                "site_id": sid,
                "site_name": sites.set_index("site_id").loc[sid, "name"],
                "year": y,
                "released_m2": cap[(sid, y)],
                "used_m2": used[(sid, y)],
                "free_m2": cap[(sid, y)] - used[(sid, y)],
            }
            for (sid, y) in cap
        ]
    )
    firms_g = _points(firms)
    sites_g = _points(sites)
    parcels = freed_parcels(firms_g, moves_df[["firm_id", "site_id", "year"]], stations, sites_g)
    # Per-city 2024–25 social-housing land targets (brief §6), as targets on the freed land.
    targets = {
        "old:thu_dau_mot": 54,
        "old:thuan_an": 13,
        "old:di_an": 12,
        "old:tan_uyen": 27,
        "old:ben_cat": 33,
    }
    cfg = FreedLand(social_housing_target_ha={z: t for z, t in targets.items() if z in deadline})
    t0 = time.perf_counter()
    freed = classify_freed_land(parcels, cfg, YEARS, allocate=allocate_social_housing)
    t_cls = time.perf_counter() - t0
    summary = summarise_freed_land(freed, cfg, YEARS)
    return {
        "tables": {
            "zones": zones,
            "sites": sites_g,
            "stations": stations,
            "firms": firms_g,
            "moves": moves_df,
            "site_load": load,
            "freed_land": freed,
        },
        "classify_s": t_cls,
        "summary": summary,
    }


def browser_times(path: Path, runs: int) -> list[tuple[float, float]]:
    """(s to .leaflet-container, s to layers drawn) for each run, network refused."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for _ in range(runs):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            ctx.route(
                "**/*",
                lambda r: (
                    r.continue_()
                    if r.request.url.startswith(("file:", "data:", "blob:"))
                    else r.abort()
                ),
            )
            page = ctx.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            t0 = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="commit")
            page.wait_for_selector(".leaflet-container", timeout=30_000)
            t1 = time.perf_counter() - t0
            page.wait_for_selector("path.leaflet-interactive", timeout=30_000)
            page.wait_for_selector(".marker-cluster", timeout=30_000)
            page.wait_for_selector("#year-control button.active", timeout=30_000)
            t2 = time.perf_counter() - t0
            if errors:
                raise RuntimeError(f"page errors: {errors}")
            out.append((t1, t2))
            ctx.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "map_bench")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    world = demo_world()
    t_world = time.perf_counter() - t0
    tables = world["tables"]
    t0 = time.perf_counter()
    m = render_map(**tables)
    path = save_map(m, args.out / "map.html")
    t_render = time.perf_counter() - t0
    size = path.stat().st_size
    print(
        f"firms {len(tables['firms'])}, moves {len(tables['moves'])}, "
        f"freed parcels {len(tables['freed_land'])}"
    )
    print(tables["freed_land"]["land_class"].value_counts().to_string())
    print(world["summary"].targets.to_string(index=False))
    print(
        f"plan + parcels + classification: {t_world:.2f} s "
        f"(classification {world['classify_s']:.2f} s)"
    )
    print(f"render + save: {t_render:.2f} s")
    print(f"map.html: {size / 1e6:.2f} MB ({path})")
    times = browser_times(path, args.runs)
    c = statistics.median(t for t, _ in times)
    d = statistics.median(t for _, t in times)
    print(f"chromium, median of {args.runs}: .leaflet-container {c:.2f} s, layers drawn {d:.2f} s")


if __name__ == "__main__":
    main()
