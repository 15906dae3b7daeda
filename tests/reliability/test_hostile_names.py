"""Hostile names reach the spreadsheets, CSVs and map as inert text; output paths stay put.

One real plan of a workspace whose firms, sites, stations, zones and scenario carry formula
starters, HTML/JS and path-like text. The map is opened in headless Debian Chromium with
the network refused and every popup and tooltip opened.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from browser import ARGS, CHROMIUM
from corpus import SCENARIO_TOML, base_tables, run_cli, write_base

FIRM_NAMES = [
    '=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)",
    "<script>window.__pwned=1</script>", "<img src=x onerror=window.__pwned=2>",
    "${window.__pwned=3}", "Công ty `backtick`", "C:\\du_lieu\\2019\\0221",
]
SITE_NAMES = ["<img src=x onerror=window.__pwned=4>", "=1+2 <b>CCN</b>"]
STATION_NAMES = ["<script>window.__pwned=5</script>", "@Ga"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def hostile_tables() -> dict[str, pd.DataFrame]:
    data = base_tables()
    firms = data["firms"]
    extra = []
    for i in range(5, len(FIRM_NAMES) + 1):
        row = firms.iloc[3].copy()
        row["firm_id"] = f"{i:04d}"
        row["lon"] = f"{106.69 + 0.004 * i:.3f}"
        extra.append(row)
    firms = pd.concat([firms, pd.DataFrame(extra)], ignore_index=True)
    firms["name"] = FIRM_NAMES
    data["firms"] = firms
    data["sites"]["name"] = SITE_NAMES
    data["stations"]["name"] = STATION_NAMES
    return data


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    scenario = SCENARIO_TOML.replace('name = "test"', 'name = "=cmd|\' /C calc\'!A0"')
    ws = write_base(root / "ws", hostile_tables(), scenario=scenario)
    out = root / "run"
    res = run_cli("plan", str(ws), "--out", str(out), "--quiet", "--workers", "1",
                  "--time-limit", "30")
    assert res.returncode == 0, res.stderr
    return ws, out


def test_plan_moves_the_hostile_firms(run):
    _, out = run
    schedule = pd.read_csv(out / "schedule.csv", encoding="utf-8-sig", dtype=str)
    assert len(schedule) >= 3


def test_no_formula_in_the_workbook_and_names_are_text(run):
    _, out = run
    book = openpyxl.load_workbook(out / "schedule.xlsx")
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    planned = set(pd.read_csv(out / "schedule.csv", encoding="utf-8-sig", dtype=str)["firm_id"])
    by_id = dict(zip([f"{i:04d}" for i in range(1, 10)], FIRM_NAMES, strict=True))
    for fid in planned:
        assert by_id[fid] in texts  # stored verbatim, as a string cell
    assert "=cmd|' /C calc'!A0" in texts


@pytest.mark.parametrize("name", ["schedule.csv", "site_load.csv", "freed_land.csv"])
def test_csv_cells_cannot_start_a_formula(run, name):
    _, out = run
    with (out / name).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert body
    numeric = {
        col for j, col in enumerate(header)
        if all(_is_number(r[j]) or r[j] == "" for r in body)
    }
    for r in body:
        for col, cell in zip(header, r, strict=True):
            if cell.startswith(FORMULA_START):
                # Only real numbers may start with '-' (free_m2 can be negative).
                assert col in numeric and _is_number(cell), (name, col, cell)
    if name == "schedule.csv":
        names = {r[header.index("firm_name")] for r in body}
        assert names & {"'=HYPERLINK(\"http://x\",\"click\")", "'+1+1", "'-2+3", "'@SUM(A1)"}
        assert all(not n.startswith(FORMULA_START) for n in names)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_script_in_a_name_never_runs_in_the_map(run):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    _, out = run
    blocked: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        ctx = browser.new_context()

        def handle(route):
            if route.request.url.startswith(("file:", "data:", "blob:")):
                return route.continue_()
            blocked.append(route.request.url)
            return route.abort()

        ctx.route("**/*", handle)
        page = ctx.new_page()
        page.goto((out / "map.html").resolve().as_uri())
        page.wait_for_selector(".leaflet-container")
        # Open every popup and tooltip the way Leaflet does (groups open theirs on each
        # member), and render the content of clustered markers, which are not on the map.
        texts = page.evaluate(
            """() => {
            const map = window[document.querySelector('.folium-map').id];
            const texts = [];
            const grab = () => document.querySelectorAll(
                '.leaflet-popup-content, .leaflet-tooltip').forEach(e => texts.push(e.innerText));
            const attempt = f => { try { f(); } catch (e) { texts.push('error: ' + e); } };
            const render = (c, layer) => {
                if (typeof c === 'function') c = c(layer);
                if (c instanceof HTMLElement) c = c.outerHTML;
                const d = document.createElement('div');
                d.innerHTML = c;
                document.body.appendChild(d);
                texts.push(d.innerText);
            };
            map.eachLayer(l => {
                const members = l.getLayers ? l.getLayers() : [];
                members.forEach(m => {
                    if (m.getPopup && m.getPopup())
                        attempt(() => render(m.getPopup().getContent(), m));
                    if (m.getTooltip && m.getTooltip())
                        attempt(() => render(m.getTooltip().getContent(), m));
                    if (l.getPopup && l.getPopup()) attempt(() => { l.openPopup(m); grab(); });
                    if (l.getTooltip && l.getTooltip())
                        attempt(() => { l.openTooltip(m); grab(); });
                });
                if (!members.length) {
                    if (l.getPopup && l.getPopup()) attempt(() => { l.openPopup(); grab(); });
                    if (l.getTooltip && l.getTooltip()) attempt(() => { l.openTooltip(); grab(); });
                }
            });
            return texts;
            }"""
        )
        page.wait_for_timeout(500)
        pwned = page.evaluate("typeof window.__pwned")
        body = page.locator("body").inner_text()
        ctx.close()
        browser.close()
    assert pwned == "undefined"
    seen = "\n".join(texts) + body
    # Shown as text, not run: the site, the firms and the stations.
    for name in (SITE_NAMES[0], FIRM_NAMES[4], FIRM_NAMES[5], FIRM_NAMES[6], STATION_NAMES[0]):
        assert name in seen, name
    assert blocked == []


def test_out_pointing_at_a_file_is_refused_and_the_file_kept(run, tmp_path):
    ws, _ = run
    target = tmp_path / "notes.txt"
    target.write_text("giữ nguyên", encoding="utf-8")
    for extra in ([], ["--force"]):
        res = run_cli("plan", str(ws), "--out", str(target), "--quiet", *extra)
        assert res.returncode == 2 and "not a folder" in res.stderr, res.stderr
        assert target.read_text(encoding="utf-8") == "giữ nguyên"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_force_never_replaces_the_workspace_or_the_current_folder(run, tmp_path):
    ws, _ = run
    copy = shutil.copytree(ws, tmp_path / "ws")
    before = {p.name: p.read_bytes() for p in copy.iterdir()}
    for out, cwd in ((copy, None), (Path("."), copy), (copy / "sub" / ".." / "..", copy)):
        res = run_cli("plan", str(copy), "--out", str(out), "--quiet", "--force", cwd=cwd)
        assert res.returncode == 2, res.stderr
        assert "Traceback" not in res.stderr
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["ws"]


def test_dotdot_in_out_lands_where_it_says(run, tmp_path):
    ws, _ = run
    (tmp_path / "a").mkdir()
    res = run_cli("plan", str(ws), "--out", str(tmp_path / "a" / ".." / "b"), "--quiet",
                  "--workers", "1", "--time-limit", "30")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "b" / "summary.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
    assert list((tmp_path / "a").iterdir()) == []
