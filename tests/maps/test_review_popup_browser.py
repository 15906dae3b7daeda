"""A real plan's and replan's map.html in headless Debian Chromium: fixed firms and the
popups' short explanation (issue 9), network refused.

The small test workspace locks firm 0001 to a site and year by a decision; its actuals record
that firm 0002 signed a lease (``committed``), which the replan honours and the baseline plan
does not know. Skips with a reason when /usr/bin/chromium or the playwright package is
missing. Never downloads a browser.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from browser import CHROMIUM, open_offline
from helpers_workspace import SCENARIO_TOML, write_workspace

from maps.text import fmt_dec
from relocation.domain.palettes import FIXED_COLOUR, SAFE_PALETTES
from relocation.explain import explain_firm, load_run
from relocation.replan import replan_workspace
from relocation.workflow import PlanOptions, plan_workspace

pytestmark = pytest.mark.browser

MAP_JS = "window[document.querySelector('.folium-map').id]"
SCENARIO = SCENARIO_TOML + "[solver]\ntime_limit_s = 20\nworkers = 1\nrelative_gap = 0.0\n"
TEXTILE = "Công ty Dệt Lái Thiêu"  # firm 0002


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("review_map")
    cols_a = ["firm_id", "status", "site_id", "year", "note"]
    cols_d = ["firm_id", "site_id", "year", "rule", "note"]
    ws = write_workspace(
        root / "ws",
        overrides={
            "actuals": pd.DataFrame([["0002", "committed", "S_BB1", "2027", ""]],
                                    columns=cols_a, dtype=str),
            "decisions": pd.DataFrame([["0001", "S_BB2", "2026", "lock", ""]],
                                      columns=cols_d, dtype=str),
        },
        scenario=SCENARIO,
    )
    opts = PlanOptions(force=True, lang="vi")
    plan_workspace(ws, root / "base", opts)
    replan_workspace(ws, root / "base", root / "review", opts)
    return root / "base", root / "review"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        yield p


def _open(p, run):
    browser, page, log = open_offline(p, (run / "map.html").resolve().as_uri(),
                                      ".leaflet-container")
    page.wait_for_selector("path.leaflet-interactive")
    return browser, page, log


def _popup(page, name: str) -> tuple[str, dict]:
    """Open the popup of the firm called ``name``; its text and its marker's style."""
    find = (f"let m = null; {MAP_JS}.eachLayer(l => {{ if (l instanceof L.MarkerClusterGroup) "
            f"m = l.getLayers().find(x => x.getTooltip().getContent() === {name!r}); }});")
    # Zoom past the clustering onto the firm and open its popup once the cluster draws the
    # marker. The page may still be settling (the cluster adds its markers in chunks, which
    # can reset the view and close a popup): try again until the popup stays open.
    was_open = False
    for _ in range(40):
        is_open = page.evaluate(
            f"""() => {{ {find}
                const map = {MAP_JS};
                if (m.isPopupOpen()) return true;
                if (map.getZoom() !== 17 || !map.getBounds().contains(m.getLatLng()))
                    map.setView(m.getLatLng(), 17, {{animate: false}});
                if (m._map) m.openPopup();
                return false; }}"""
        )
        if is_open and was_open:
            break
        was_open = is_open
        page.wait_for_timeout(250)
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    text = page.locator(".leaflet-popup-content").inner_text()
    style = page.evaluate(
        f"() => {{ {find} return {{weight: m.options.weight, color: m.options.color}}; }}"
    )
    page.evaluate(f"{MAP_JS}.closePopup()")
    return text, style


def test_a_fixed_firm_is_drawn_and_said_fixed(runs, browser):
    _, review = runs
    b, page, log = _open(browser, review)
    text, style = _popup(page, TEXTILE)
    assert "Cố định\tđã ký (cam kết)" in text, text
    assert style["weight"] == 3 and style["color"] == FIXED_COLOUR
    # Locked to its signed site and year: nothing else is possible; the nearest other site
    # takes neither its sector nor a polluting firm (the first rule that rules it out).
    assert "Phương án thay thế tốt nhất\tkhông có phương án thay thế khả thi" in text
    assert "KCN/CCN gần nhất không chọn\tCCN Lai Uyên — S_BB2 không nhận ngành textile" in text
    locked, _ = _popup(page, "Công ty Gỗ Thuận An")  # 0001, locked by the decision
    assert "Cố định\tkhóa nơi đến và năm (quyết định)" in locked, locked
    # The legend explains the outline, in a safe palette colour no other meaning uses.
    entries = page.evaluate(
        """() => [...document.querySelectorAll('#legend [data-meaning]')].map(e => {
            const s = e.querySelector('svg *');
            const fill = s.getAttribute('fill');
            return [e.dataset.meaning, e.dataset.colour,
                    fill && fill !== 'none' ? fill : s.getAttribute('stroke'), e.innerText];
        })"""
    )
    safe = {c for p in SAFE_PALETTES.values() for c in p}
    meanings: dict[str, set[str]] = {}
    for meaning, colour, drawn, _ in entries:
        assert colour in safe and drawn == colour, (meaning, colour, drawn)
        meanings.setdefault(colour, set()).add(meaning)
    assert all(len(ms) == 1 for ms in meanings.values()), meanings
    fixed = [e for e in entries if e[0] == "fixed"]
    assert len(fixed) == 1 and fixed[0][1] == FIXED_COLOUR
    assert "Cố định" in fixed[0][3]
    assert log["errors"] == [] and log["blocked"] == []
    b.close()


def test_a_popup_explains_the_move_in_short(runs, browser):
    base, _ = runs
    b, page, log = _open(browser, base)
    text, style = _popup(page, TEXTILE)
    # The baseline does not know the lease: 0002 is not fixed there.
    assert "Cố định" not in text and style["weight"] == 1
    # Its main cost terms, and its best alternative as `explain` computes it (the whole
    # plan's extra cost with the firm alone moved there), in the map's language.
    d = explain_firm(load_run(base), "0002", "vi")
    best = d["alternatives"][0]
    site = {"S_BB1": "KCN Bàu Bàng mở rộng", "S_BB2": "CCN Lai Uyên"}[best["site_id"]]
    extra = f"{fmt_dec(best['extra_vnd'] / 1e9, 'vi', 2)} tỷ đồng"
    assert (f"Phương án thay thế tốt nhất\t{site}, {best['year']}: cả kế hoạch tốn thêm {extra}"
            in text), text
    assert "Khoản chi phí chính\t" in text and "Tiền thuê đất" in text
    assert "KCN/CCN gần nhất không chọn\tCCN Lai Uyên — S_BB2 không nhận ngành textile" in text
    # No fixed firm in the baseline but 0001 (its decision): one thick outline.
    weights = page.evaluate(
        f"""() => {{ let out = []; {MAP_JS}.eachLayer(l => {{
            if (l instanceof L.MarkerClusterGroup)
                out = l.getLayers().map(m => m.options.weight); }}); return out; }}"""
    )
    assert sorted(weights) == [1, 1, 1, 3]  # the workspace's 4 firms
    assert log["errors"] == [] and log["blocked"] == []
    b.close()
