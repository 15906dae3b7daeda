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


def _set_zoom(page, zoom, center=None):
    where = f"[{center[0]}, {center[1]}]" if center else f"{MAP_JS}.getCenter()"
    page.evaluate(f"{MAP_JS}.setView({where}, {zoom}, {{animate: false}})")
    page.wait_for_timeout(150)


def test_labels_and_freed_land_follow_the_zoom(browser_page):
    page, log = browser_page
    start = page.evaluate(
        f"(() => {{ const m = {MAP_JS}; const c = m.getCenter(); "
        "return [c.lat, c.lng, m.getZoom()]; })()"
    )
    zones = page.locator(".relocation-label-zone span").all_text_contents()
    assert sorted(zones) == sorted(["Thuận An", "Dĩ An", "Bàu Bàng", "Tân Uyên <b>x</b>"])
    sites = page.locator(".relocation-label-site span")
    stations = page.locator(".relocation-label-station span")
    assert sorted(sites.all_text_contents()) == ["KCN Bàu Bàng", "KCN Tân Bình", "VSIP III"]
    assert sorted(stations.all_text_contents()) == sorted(
        ["Ga Lái Thiêu", "Ga Bình Chuẩn", "Ga Thuận Giao", "Ga Dĩ An"]
    )
    parcels = page.locator("path.relocation-parcel")
    bars = page.locator(".relocation-freed-agg .bar")
    assert parcels.count() > 0 and bars.count() > 0
    _set_zoom(page, 10)
    assert page.locator(".relocation-label-zone span").first.is_visible()
    assert not sites.first.is_visible() and not stations.first.is_visible()
    assert not parcels.first.is_visible()  # city zoom: the zone bars instead
    assert bars.first.is_visible()
    assert page.locator(".relocation-freed-agg b").first.inner_text().endswith(" ha")
    _set_zoom(page, 12)
    assert sites.first.is_visible() and not stations.first.is_visible()
    _set_zoom(page, 15, (10.89, 106.69))
    assert stations.first.is_visible()
    assert parcels.first.is_visible() and not bars.first.is_visible()
    page.evaluate(f"{MAP_JS}.setView([{start[0]}, {start[1]}], {start[2]}, {{animate: false}})")
    assert log["errors"] == []


def test_legend_collapses_and_uses_one_colour_per_meaning(browser_page):
    from relocation.domain.palettes import SAFE_PALETTES

    page, log = browser_page
    legend = page.locator("#legend")
    body = legend.locator(".relocation-legend-body")
    assert body.is_visible() and legend.locator("details").get_attribute("open") is not None
    before = legend.bounding_box()
    legend.locator("summary").click()
    assert not body.is_visible()
    after = legend.bounding_box()
    assert after["height"] < 40 and after["height"] < before["height"] / 4
    legend.locator("summary").click()
    assert body.is_visible()

    entries = page.evaluate(
        """() => [...document.querySelectorAll('#legend [data-meaning]')].map(e => {
            const s = e.querySelector('svg *');
            const fill = s.getAttribute('fill');
            const drawn = fill && fill !== 'none' ? fill : s.getAttribute('stroke');
            return [e.dataset.meaning, e.dataset.colour, drawn];
        })"""
    )
    safe = {c for p in SAFE_PALETTES.values() for c in p}
    meanings: dict[str, set[str]] = {}
    for meaning, colour, drawn in entries:
        assert colour in safe, (meaning, colour)
        assert drawn == colour, (meaning, colour, drawn)
        meanings.setdefault(colour, set()).add(meaning)
    assert {m for ms in meanings.values() for m in ms} >= {
        "land_class",
        "move_year",
        "site_use",
        "zone",
        "line",
        "flow",
        "remediation",
        "cluster",
    }
    assert all(len(ms) == 1 for ms in meanings.values()), meanings
    # What the map draws uses the legend's colours: parcels, firm markers, cluster bubbles.
    legend_of = {c: next(iter(ms)) for c, ms in meanings.items()}
    fills = set(
        page.evaluate(
            "() => [...document.querySelectorAll('path.relocation-parcel')]"
            ".map(p => p.getAttribute('fill'))"
        )
    )
    assert fills and {legend_of[f] for f in fills} <= {"land_class", "remediation"}
    markers = set(
        page.evaluate(
            f"""() => {{ let out = []; {MAP_JS}.eachLayer(l => {{
                if (l instanceof L.MarkerClusterGroup)
                    out = l.getLayers().map(m => m.options.fillColor); }}); return out; }}"""
        )
    )
    assert {legend_of[c] for c in markers} <= {"move_year", "not_moved"}
    bubble = page.locator(".marker-cluster div").first
    assert bubble.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    assert log["errors"] == []


def test_firm_popup_shows_id_sector_name_move_and_cost(browser_page):
    page, log = browser_page
    # Zoom past the clustering (zoom 16) onto the firm, then open its popup.
    found = page.evaluate(
        f"""() => {{
            let found = false;
            {MAP_JS}.eachLayer(l => {{
                if (!(l instanceof L.MarkerClusterGroup)) return;
                const m = l.getLayers().find(
                    x => x.getTooltip().getContent() === 'Công ty Gỗ Mỹ Nghệ 04');
                if (!m) return;
                {MAP_JS}.setView(m.getLatLng(), 17, {{animate: false}});
                found = true;
            }});
            return found;
        }}"""
    )
    assert found
    page.wait_for_timeout(300)
    page.evaluate(
        f"""() => {MAP_JS}.eachLayer(l => {{
            if (!(l instanceof L.MarkerClusterGroup)) return;
            l.getLayers().find(
                x => x.getTooltip().getContent() === 'Công ty Gỗ Mỹ Nghệ 04').openPopup();
        }})"""
    )
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    text = page.locator(".leaflet-popup-content").inner_text()
    for expected in (
        "Mã doanh nghiệp\tF004",
        "Ngành\tDệt may, da giày",  # the sector's name, not its code
        "Nơi đến\tKCN Bàu Bàng",
        "Năm di dời\t2027",
        "Chi phí\t4,50 tỷ đồng",
        "Trong đó hỗ trợ từ ngân sách\t0,60 tỷ đồng",
    ):
        assert expected in text, (expected, text)
    assert "garment_footwear" not in text
    page.evaluate(f"{MAP_JS}.closePopup()")
    assert log["errors"] == []
