"""Open a real sweep's report.html in headless Debian Chromium, network refused (issue 5).

Skips with a reason when /usr/bin/chromium or the playwright package is missing. Never
downloads a browser.
"""

from __future__ import annotations

import shutil

import pytest
from browser import CHROMIUM, open_offline
from helpers_workspace import tables, write_workspace

from geodata.workspace import read_workspace
from relocation.sweep import SweepOptions, define_sweep, run_sweep

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=window.__x=1>"
GRID = f"""\
[[scenarios]]
name = "Cơ sở"
set = {{}}

[[scenarios]]
name = "{HOSTILE}"
set = {{ "quota.0.min_share" = 0.5 }}

[[scenarios]]
name = "${{window.__x=2}}"
set = {{ "quota.0.min_share" = 0.75 }}

[[scenarios]]
name = "Tất cả trong 2024"
set = {{ "quota.0.by_year" = 2024, "quota.0.min_share" = 1.0, "quota.0.max_share" = 1.0 }}
"""


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    firms = tables()["firms"]
    firms.loc[2, ["moved_year", "moved_site_id"]] = ""
    ws_dir = write_workspace(root / "ws", overrides={"firms": firms})
    (root / "grid.toml").write_text(GRID, encoding="utf-8")
    ws = read_workspace(ws_dir)
    spec = define_sweep(ws, grid=root / "grid.toml")
    # Every output (the default writes the plans only): the report links each map.
    run_sweep(ws, root / "sweep", spec,
              SweepOptions(time_limit_s=20, workers_total=2, outputs="all"))
    return root / "sweep"


@pytest.fixture(scope="module")
def page(sweep_dir):
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        url = (sweep_dir / "report.html").resolve().as_uri()
        browser, pg, log = open_offline(p, url, "#comparison")
        yield pg, log
        browser.close()


def test_chart_and_table_render_offline(page):
    pg, log = page
    assert pg.locator("#tradeoff svg.chart").count() == 2
    # Three scenarios have a plan (a point each per panel), one is infeasible (a cross).
    assert pg.locator("svg.cost circle.point").count() == 3
    assert pg.locator("svg.disruption circle.point").count() == 3
    assert pg.locator("svg.cost g.infeasible").count() == 1
    assert pg.locator("svg.cost polyline.line").count() == 1
    box = pg.locator("svg.cost").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    rows = pg.locator("#comparison tbody tr")
    assert rows.count() == 4
    assert pg.locator("#comparison tbody tr.infeasible").count() == 1
    first = [t.strip() for t in rows.nth(0).locator("td").all_inner_texts()]
    # A plan: FEASIBLE, or OPTIMAL when the solver also closes the gap (in words, Vietnamese
    # over English).
    assert first[0] == "Cơ sở" and ({"Khả thi\nFeasible", "Tối ưu\nOptimal"} & set(first))
    assert "Không khả thi\nInfeasible" in rows.nth(3).locator("td").all_inner_texts()
    assert "Tất cả trong 2024" in rows.nth(3).inner_text()
    assert "needs 4 moves" in rows.nth(3).inner_text()
    # The explanation: Vietnamese over English, each sentence its own line.
    why = rows.nth(3).locator("ul.why li").all_inner_texts()
    assert any("cần 4 lượt di dời" in t for t in why) and any("needs 4 moves" in t for t in why)
    assert log["blocked"] == [] and log["failed"] == [] and log["errors"] == []


def test_hostile_names_are_shown_not_run(page):
    pg, log = page
    pg.wait_for_timeout(300)
    assert pg.evaluate("typeof window.__x") == "undefined"
    body = pg.locator("body").inner_text()
    assert HOSTILE in body and "${window.__x=2}" in body
    assert pg.locator("#comparison img").count() == 0
    # Chart tooltips carry the names as text too.
    tips = pg.locator("svg.cost circle.point title").all_text_contents()
    assert any(HOSTILE in t for t in tips)
    assert log["errors"] == []


def test_map_links_are_relative_and_open(page, sweep_dir):
    pg, log = page
    links = pg.locator("#comparison a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == [
        "scenarios/Co_so/map.html",
        "scenarios/img_src_x_onerror_window.__x_1/map.html",
        "scenarios/window.__x_2/map.html",
    ]
    for h in hrefs:
        assert (sweep_dir / h).is_file()
    links.nth(1).click()
    pg.wait_for_selector(".leaflet-container")
    assert pg.url.endswith("/scenarios/img_src_x_onerror_window.__x_1/map.html")
    assert pg.locator("path.leaflet-interactive").count() > 0
    assert log["blocked"] == [] and log["errors"] == []
