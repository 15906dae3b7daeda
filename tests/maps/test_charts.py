"""The run's charts page (maps/charts.py): offline, escaped, every year, the map's colours."""

from __future__ import annotations

import pytest

from maps.charts import render_charts
from maps.offline import check_offline
from relocation.domain.land_ledger import summarise_freed_land
from relocation.domain.palettes import CLASS_COLOURS, year_colours
from relocation.domain.scenario import FreedLand

YEARS = [2024, 2025, 2026, 2027, 2028]  # 2028: a horizon year without moves


@pytest.fixture(scope="module")
def page(world):
    by_zone = summarise_freed_land(world["freed_land"], FreedLand(), YEARS).by_zone_year
    zones = world["zones"].assign(name=["Thuận An", "<script>x</script>", "Bàu Bàng", "Tân Uyên"])
    return render_charts(
        moves=world["moves"],
        site_load=world["site_load"],
        freed_by_zone_year=by_zone,
        zones=zones,
        years=YEARS,
    )


def test_offline_and_escaped(page):
    check_offline(page)
    assert "<script" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page  # a zone name is shown, not run


def test_moves_sites_and_freed_land(page, world):
    moves = world["moves"]
    for y in YEARS:
        n = int((moves["year"] == y).sum())
        assert f"<title>Tổng {y}: {n}</title>" in page, y  # 2028 too, with 0
    for name in world["sites"]["name"]:
        assert name in page
    for c in year_colours(YEARS).values():
        assert f'fill="{c}"' in page
    for c in CLASS_COLOURS.values():
        assert c in page


def test_english(world):
    html = render_charts(
        moves=world["moves"],
        site_load=world["site_load"],
        freed_by_zone_year=None,
        zones=world["zones"],
        years=YEARS,
        lang="en",
    )
    assert "Firms moved per year, by origin zone" in html and "Di An" in html
    assert "No data." in html
    with pytest.raises(ValueError, match="lang"):
        render_charts(
            moves=world["moves"],
            site_load=world["site_load"],
            freed_by_zone_year=None,
            zones=world["zones"],
            years=YEARS,
            lang="fr",
        )
