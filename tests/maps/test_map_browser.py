"""Open the offline map in headless Debian Chromium with the network refused (issue 4).

Skips with a reason when /usr/bin/chromium or the playwright package is missing. Never
downloads a browser.
"""

from __future__ import annotations

import shutil

import pytest
from browser import CHROMIUM, open_offline

from maps.offline import save_map
from maps.render import render_map

pytestmark = pytest.mark.browser

MAP_JS = "window[document.querySelector('.folium-map').id]"


@pytest.fixture(scope="module")
def browser_page(world, tmp_path_factory):
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path = save_map(render_map(**world), tmp_path_factory.mktemp("map") / "map.html")
    with sync_api.sync_playwright() as p:
        browser, page, log = open_offline(p, path.resolve().as_uri(), ".leaflet-container")
        page.wait_for_selector("path.leaflet-interactive")
        yield page, log
        browser.close()


def test_map_draws_offline(browser_page, overlays):
    page, log = browser_page
    assert page.evaluate("L.version") == "1.9.3"
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [t.strip() for t in labels] == overlays
    assert page.locator("path.leaflet-interactive").count() > 20
    assert page.locator(".marker-cluster").count() >= 1
    legend = page.locator("#legend")
    assert legend.count() == 1 and "Nhà ở xã hội" in legend.inner_text()
    assert "gần đúng ±2–5 km" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator("#year-control button.active").inner_text() == "2027"
    # Every marker of the plan is in the cluster (moves by 2027 + firms that stay).
    n = page.evaluate(
        f"""() => {{ let n = 0; {MAP_JS}.eachLayer(l => {{
              if (l instanceof L.MarkerClusterGroup) n = l.getLayers().length; }}); return n; }}"""
    )
    assert n == 24
    # Scripts and stylesheets all loaded; nothing was refused (no tiles are configured).
    assert log["blocked"] == [] and log["failed"] == []
    assert log["errors"] == []


def test_hostile_names_never_run(browser_page):
    page, log = browser_page
    # Open every tooltip and popup of the map, and render every firm popup/tooltip.
    page.evaluate(
        f"""() => {{
        const map = {MAP_JS};
        map.eachLayer(l => {{
            if (l.getTooltip && l.getTooltip()) l.openTooltip();
            if (l.getPopup && l.getPopup() && !(l instanceof L.MarkerClusterGroup)) l.openPopup();
            if (l instanceof L.MarkerClusterGroup) {{
                l.getLayers().forEach(m => {{
                    for (let c of [m.getPopup().getContent(), m.getTooltip().getContent()]) {{
                        if (typeof c === 'function') c = c(m);
                        const d = document.createElement('div');
                        d.innerHTML = c;
                        document.body.appendChild(d);
                    }}
                }});
            }}
        }});
        }}"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    body = page.locator("body").inner_text()
    assert "<img src=x onerror=window.__xss=1>" in body
    assert "${window.__xss=2}" in body
    assert log["errors"] == []


def test_year_control_changes_layers(browser_page):
    page, log = browser_page
    count_js = f"""() => {{ let n = 0; {MAP_JS}.eachLayer(l => {{
        if (l instanceof L.MarkerClusterGroup) n = l.getLayers().length; }}); return n; }}"""
    paths_before = page.locator("path.leaflet-interactive").count()
    page.locator('#year-control button[data-year="2024"]').click()
    assert page.locator("#year-control button.active").inner_text() == "2024"
    assert page.locator(".relocation-years-label").inner_text() == "Năm 2024"
    # 2024: 6 moves (every 4th firm) + 2 firms that stay in the plan.
    assert page.evaluate(count_js) == 8
    assert page.locator("path.leaflet-interactive").count() < paths_before
    page.locator('#year-control button[data-year="2027"]').click()
    assert page.evaluate(count_js) == 24
    assert page.locator("path.leaflet-interactive").count() == paths_before
    assert log["errors"] == []
