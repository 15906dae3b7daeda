"""The rendered map's HTML and folium object tree, without a browser."""

from __future__ import annotations

import json
import re

import folium
import pytest
from folium.plugins import MarkerCluster

from maps.controls import YearControl
from maps.offline import OfflineAssetError, check_offline, inline_assets, save_map
from maps.render import render_map


@pytest.fixture(scope="module")
def rendered(world):
    m = render_map(**world)
    return m, m.get_root().render()


def _overlays(m):
    return [
        c.layer_name
        for c in m._children.values()
        if isinstance(c, (folium.FeatureGroup, MarkerCluster)) and c.control
    ]


def test_layers_in_order_and_layer_control_last(rendered, overlays):
    m, _ = rendered
    assert _overlays(m) == overlays
    assert isinstance(list(m._children.values())[-1], folium.LayerControl)
    assert m.options["maxZoom"] == 18 and m.options["minZoom"] == 8
    assert m.control_scale


def test_english_labels(world):
    m = render_map(**world, lang="en")
    html = m.get_root().render()
    assert "Freed land" in _overlays(m)
    assert "Boundaries and locations are approximate" in html
    assert "Di An" in html  # zones use name_en in English
    with pytest.raises(ValueError, match="lang"):
        render_map(**world, lang="fr")


def test_year_control_groups(rendered, world):
    m, _ = rendered
    yc = next(c for c in m._children.values() if isinstance(c, YearControl))
    spec = yc.spec
    assert spec["years"] == [2024, 2025, 2026, 2027] and spec["initial"] == 2027
    # Site load and flows: one group per year; freed land: by class and first usable year.
    site_groups = [g for g in spec["groups"] if g["parent"].layer_name.startswith("Khu / cụm")]
    assert [(g["from"], g["to"]) for g in site_groups] == [(y, y) for y in spec["years"]]
    freed = [g for g in spec["groups"] if g["parent"].layer_name == "Đất được giải phóng"]
    # F007 is polluting (moves 2026, usable 2028 > 2027): a remediation group open to the end.
    assert any(g["from"] == 2026 and g["to"] is None for g in freed)
    # Every firm is a marker row; the last two stay (no year).
    rows = json.loads(spec["firms"].js_code)
    assert len(rows) == len(world["firms"])
    assert [r[2] for r in rows[-2:]] == [None, None]
    assert rows[0][4][0] == "&#36;{window.__xss=2}"  # F001: escaped, not evaluated
    # Name, id, sector name (from the sectors table, in the map's language), workers, move.
    f004 = rows[3][4]
    assert f004[:4] == ["Công ty Gỗ Mỹ Nghệ 04", "F004", "Dệt may, da giày", "80"]
    assert f004[4:6] == ["KCN Bàu Bàng", "2027"]
    # Cost summary: the cost terms' total (0.3 + 0.5 + 1 + 2 + 0.1 + 0.6 bn) and the support in it.
    assert f004[6] == "4,50 tỷ đồng" and f004[7] == "0,60 tỷ đồng"
    en = json.loads(
        next(
            c
            for c in render_map(**world, lang="en")._children.values()
            if isinstance(c, YearControl)
        )
        .spec["firms"]
        .js_code
    )
    assert en[3][4][2] == "Garments and footwear" and en[3][4][6] == "4.50 VND bn"


def test_popups_and_tooltips_escape_user_text(rendered):
    _, html = rendered
    assert "<img src=x onerror" not in html
    assert "${window.__xss" not in html
    assert "</script><script>window.__xss=3" not in html
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in html or (
        "\\u0026lt;img src=x onerror=window.__xss=1\\u0026gt;" in html
    )
    assert "&#36;{window.__xss=2}" in html or "\\u0026#36;{window.__xss=2}" in html
    # The zone name with markup is escaped in the GeoJSON tooltip data.
    assert "Tân Uyên <b>x</b>" not in html


def test_offline_html_has_no_network_reference(rendered, tmp_path):
    m, html = rendered
    with pytest.raises(OfflineAssetError):
        check_offline(html)  # folium's own output links CDNs
    out = save_map(m, tmp_path / "map.html")
    text = out.read_text(encoding="utf-8")
    check_offline(text)
    assert not re.search(r"<script[^>]+src=", text)
    assert not re.search(r"<link[^>]+href=", text)
    # Unused assets are dropped, not inlined.
    assert "Bootstrap v5" not in text and "Font Awesome" not in text
    assert "data:image/png;base64," in text  # Leaflet's CSS images inlined
    assert 't.version="1.9.3"' in text  # Leaflet itself
    assert "MarkerClusterGroup" in text and "jQuery" in text
    # Our controls' strings are embedded as JSON (\\u escapes).
    assert json.dumps("Ranh giới và vị trí mang tính minh hoạ (gần đúng ±2–5 km)") in text
    assert 'div.id = "legend"' in text
    assert not list(tmp_path.glob(".map.html.*.tmp"))  # the temp file was renamed


def test_unknown_remote_asset_is_refused():
    html = '<html><head><script src="https://example.com/x.js"></script></head></html>'
    with pytest.raises(OfflineAssetError, match="no local copy"):
        inline_assets(html)
    with pytest.raises(OfflineAssetError, match="remote"):
        check_offline('<div style="background:url(//evil.example/a.png)"></div>')
    with pytest.raises(OfflineAssetError, match="remote"):
        check_offline("<style>.a{background:url('http://x/y.png')}</style>")
    # A link in text (as inlined Leaflet has) is not a resource.
    check_offline('<a href="https://leafletjs.com">Leaflet</a>')


def test_missing_column_is_a_clear_error(world):
    from relocation.domain.errors import InputError

    bad = dict(world, site_load=world["site_load"].drop(columns="free_m2"))
    with pytest.raises(InputError, match="site_load, column free_m2"):
        render_map(**bad)


def test_base_tiles_only_when_asked(world, tmp_path):
    default = render_map(**world).get_root().render()
    assert "tile.openstreetmap.org" not in default
    m = render_map(**world, tiles="osm")
    html = m.get_root().render()
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    # The attribution (JSON-escaped in the page): the copyright link and "contributors".
    assert 'https://www.openstreetmap.org/copyright\\"\\u003eOpenStreetMap' in html
    assert "OpenStreetMap\\u003c/a\\u003e contributors" in html
    # Still one file with every script inlined; only the tiles come from the network.
    text = save_map(m, tmp_path / "map.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", text)
    with pytest.raises(ValueError, match="tiles"):
        render_map(**world, tiles="google")


def test_palettes_one_colour_per_meaning():
    from relocation.domain.palettes import SAFE_PALETTES, SCHEME, year_colours

    safe = {c for p in SAFE_PALETTES.values() for c in p}
    seen: dict[str, str] = {}
    for meaning, colours in SCHEME.items():
        for c in colours:
            assert c in safe, (meaning, c)
            assert seen.setdefault(c, meaning) == meaning, (c, seen[c], meaning)
    ys = year_colours(range(2024, 2031))
    assert ys[2024] == "#440154" and ys[2030] == "#fde725"  # viridis, first to last
    assert len(set(ys.values())) == 7


def test_stylesheet_zoom_classes_match_the_thresholds():
    from importlib import resources

    from maps.render import LABEL_ZOOM, PARCEL_ZOOM

    css = resources.files("maps").joinpath("assets", "map.css").read_text(encoding="utf-8")
    assert f".rz-{LABEL_ZOOM['site']} .relocation-label-site" in css
    assert f".rz-{LABEL_ZOOM['station']} .relocation-label-station" in css
    assert f":not(.rz-{PARCEL_ZOOM}) path.relocation-parcel" in css
    assert f".rz-{PARCEL_ZOOM} .relocation-freed-agg" in css
