"""One offline HTML page of charts for a run folder (``charts.html``): inline SVG, no script.

Three pictures where people would rather look than read:

1. moves per year by origin zone (small multiples on one scale, bars in the map's year
   colours);
2. each destination site's land over the years: land released (grey) against land used
   (ColorBrewer Purples, the map's site-use scheme), one small chart per site;
3. freed land by class and year (hectares, stacked in the map's land-class colours; land
   still awaiting remediation in grey).

Every text is escaped with :func:`maps.text.safe_text`; the page has no ``<script>`` and
refers to nothing outside itself, so it opens in any browser with no network.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from maps.text import fmt_dec, fmt_int, safe_text
from relocation.domain.land_use import LAND_CLASSES
from relocation.domain.palettes import (
    CLASS_COLOURS,
    GREYS_9,
    PURPLES_3,
    REMEDIATION_COLOUR,
    year_colours,
)

_T = {
    "title": ("Biểu đồ kế hoạch di dời", "Relocation plan charts"),
    "moves": (
        "Số doanh nghiệp di dời mỗi năm, theo khu vực đi",
        "Firms moved per year, by origin zone",
    ),
    "moves_note": (
        "Mỗi hàng một khu vực, cùng một thang đo; màu theo năm như trên bản đồ.",
        "One row per zone, all on one scale; colours by year as on the map.",
    ),
    "total": ("Tổng", "Total"),
    "sites": (
        "Quỹ đất từng KCN/CCN: đất đã giao và đất đã dùng (lũy kế cuối năm, ha)",
        "Each site's land: released and used (cumulative at year end, ha)",
    ),
    "released": ("Đất đã giao", "Land released"),
    "used": ("Đất đã dùng", "Land used"),
    "freed": (
        "Đất được giải phóng theo loại và năm (lũy kế cuối năm, ha)",
        "Freed land by class and year (cumulative at year end, ha)",
    ),
    "remediation": ("Đang chờ xử lý môi trường", "Awaiting remediation"),
    "no_data": ("Không có dữ liệu.", "No data."),
    "max": ("tối đa", "max"),
}


def _t(key: str, lang: str) -> str:
    return _T[key][0 if lang == "vi" else 1]


def _moves_chart(
    moves: pd.DataFrame, zone_names: dict[str, str], years: list[int], lang: str
) -> str:
    if len(moves) == 0:
        return f"<p>{safe_text(_t('no_data', lang))}</p>"
    yc = year_colours(years)
    counts = moves.groupby([moves["origin_zone_id"].astype(str), "year"]).size()
    zones = sorted({z for z, _ in counts.index}, key=lambda z: zone_names.get(z, z))
    rows = [(zone_names.get(z, z), {y: int(counts.get((z, y), 0)) for y in years}) for z in zones]
    total = moves.groupby("year").size()
    rows.append((_t("total", lang), {y: int(total.get(y, 0)) for y in years}))
    vmax = max(max(r.values()) for _, r in rows[:-1]) or 1
    tmax = max(rows[-1][1].values()) or 1
    bw, gap, h, left = 34, 8, 56, 170
    width = left + len(years) * (bw + gap)
    out = []
    for k, (name, vals) in enumerate(rows):
        is_total = k == len(rows) - 1
        scale = tmax if is_total else vmax
        bars = []
        for i, y in enumerate(years):
            v = vals[y]
            bh = round((h - 16) * v / scale, 1)
            x = left + i * (bw + gap)
            bars.append(
                f'<rect x="{x}" y="{h - 2 - bh}" width="{bw}" height="{bh}" fill="{yc[y]}">'
                f"<title>{safe_text(name)} {y}: {fmt_int(v, lang)}</title></rect>"
                f'<text x="{x + bw / 2}" y="{h - 5 - bh}" class="v">{fmt_int(v, lang)}</text>'
            )
        cls = "row total" if is_total else "row"
        out.append(
            f'<svg class="{cls}" width="{width}" height="{h}" role="img">'
            f'<text x="0" y="{h - 8}" class="name">{safe_text(name)}</text>'
            f'<line x1="{left}" y1="{h - 2}" x2="{width}" y2="{h - 2}" stroke="#000000"/>'
            f"{''.join(bars)}</svg>"
        )
    axis = "".join(
        f'<text x="{left + i * (bw + gap) + bw / 2}" y="12" class="v">{y}</text>'
        for i, y in enumerate(years)
    )
    out.append(f'<svg width="{width}" height="16">{axis}</svg>')
    return f'<p class="note">{safe_text(_t("moves_note", lang))}</p>' + "".join(out)


def _site_chart(name: str, df: pd.DataFrame, years: list[int], lang: str) -> str:
    w, h, pad_l, pad_b, pad_t = 250, 130, 8, 18, 32
    rel = {int(r.year): float(r.released_m2) / 10_000 for r in df.itertuples()}
    used = {int(r.year): float(r.used_m2) / 10_000 for r in df.itertuples()}
    vmax = max([*rel.values(), *used.values(), 0.0]) or 1.0
    n = len(years)
    step = (w - 2 * pad_l) / max(n, 1)

    def x(i: int) -> float:
        return round(pad_l + i * step, 1)

    def yv(v: float) -> float:
        return round(h - pad_b - (h - pad_b - pad_t) * v / vmax, 1)

    def steps(vals: dict[int, float]) -> str:
        pts = [f"{x(0)},{h - pad_b}"]
        for i, y in enumerate(years):
            v = vals.get(y, 0.0)
            pts += [f"{x(i)},{yv(v)}", f"{x(i + 1)},{yv(v)}"]
        pts.append(f"{x(n)},{h - pad_b}")
        return " ".join(pts)

    ticks = "".join(
        f'<text x="{x(i) + step / 2}" y="{h - 5}" class="v">{str(y)[2:]}</text>'
        for i, y in enumerate(years)
    )
    tips = "".join(
        f'<rect x="{x(i)}" y="{pad_t}" width="{step}" height="{h - pad_b - pad_t}" '
        f'fill="#ffffff" fill-opacity="0"><title>{y}: {safe_text(_t("released", lang))} '
        f"{fmt_dec(rel.get(y, 0.0), lang)} ha, {safe_text(_t('used', lang))} "
        f"{fmt_dec(used.get(y, 0.0), lang)} ha</title></rect>"
        for i, y in enumerate(years)
    )
    last = years[-1]
    share = used.get(last, 0.0) / rel[last] if rel.get(last) else 0.0
    return (
        f'<figure class="site"><svg width="{w}" height="{h}" role="img">'
        f'<text x="{pad_l}" y="12" class="name">{safe_text(name)}</text>'
        f'<text x="{pad_l}" y="25" class="max">{safe_text(_t("max", lang))} '
        f"{fmt_dec(vmax, lang)} ha</text>"
        f'<polygon points="{steps(rel)}" fill="{GREYS_9[2]}" stroke="{GREYS_9[5]}"/>'
        f'<polygon points="{steps(used)}" fill="{PURPLES_3[2]}" fill-opacity="0.85" '
        f'stroke="{PURPLES_3[2]}"/>'
        f'<line x1="{pad_l}" y1="{h - pad_b}" x2="{w - pad_l}" y2="{h - pad_b}" '
        f'stroke="#000000"/>{ticks}{tips}</svg>'
        f"<figcaption>{last}: {fmt_dec(used.get(last, 0.0), lang)} / "
        f"{fmt_dec(rel.get(last, 0.0), lang)} ha ({fmt_dec(100 * share, lang, 0)} %)"
        "</figcaption></figure>"
    )


def _freed_chart(by_zone_year: pd.DataFrame | None, years: list[int], lang: str) -> str:
    if by_zone_year is None or len(by_zone_year) == 0:
        return f"<p>{safe_text(_t('no_data', lang))}</p>"
    li = 0 if lang == "vi" else 1
    cols = [f"{c}_ha" for c in CLASS_COLOURS] + ["awaiting_remediation_ha"]
    colours = [*CLASS_COLOURS.values(), REMEDIATION_COLOUR]
    names = [LAND_CLASSES[c][li] for c in CLASS_COLOURS] + [_t("remediation", lang)]
    have = [c for c in cols if c in by_zone_year.columns]
    tot = by_zone_year.groupby("year")[have].sum()
    vmax = float(tot.sum(axis=1).max()) or 1.0
    bw, gap, h, top, left = 46, 14, 260, 20, 10
    width = left + len(years) * (bw + gap) + 10
    bars = []
    for i, y in enumerate(years):
        x = left + i * (bw + gap)
        base = float(h - 20)
        total = 0.0
        for col, colour, nm in zip(cols, colours, names, strict=True):
            v = float(tot.loc[y, col]) if y in tot.index and col in tot.columns else 0.0
            if v <= 0:
                continue
            bh = (h - 20 - top) * v / vmax
            base -= bh
            total += v
            bars.append(
                f'<rect x="{x}" y="{base:.1f}" width="{bw}" height="{bh:.1f}" fill="{colour}">'
                f"<title>{y}, {safe_text(nm)}: {fmt_dec(v, lang)} ha</title></rect>"
            )
        bars.append(
            f'<text x="{x + bw / 2}" y="{base - 4:.1f}" class="v">{fmt_dec(total, lang, 0)}</text>'
            f'<text x="{x + bw / 2}" y="{h - 5}" class="v">{y}</text>'
        )
    legend = "".join(
        f'<span class="key"><i style="background:{c}"></i>{safe_text(nm)}</span>'
        for c, nm in zip(colours, names, strict=True)
    )
    return (
        f'<svg width="{width}" height="{h}" role="img">{"".join(bars)}'
        f'<line x1="{left}" y1="{h - 20}" x2="{width}" y2="{h - 20}" stroke="#000000"/></svg>'
        f'<div class="keys">{legend}</div>'
    )


_CSS = """
body { font: 14px/1.4 sans-serif; margin: 16px 24px; color: #111; max-width: 1200px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.note { color: #444; margin: 4px 0 8px; }
svg text { font: 11px sans-serif; fill: #111; }
svg text.v { text-anchor: middle; } svg text.name { font-weight: bold; }
svg text.max { fill: #444; }
svg.row { display: block; } svg.total text.name { font-style: italic; }
.sites { display: flex; flex-wrap: wrap; gap: 10px 18px; }
figure.site { margin: 0; } figcaption { font-size: 12px; color: #333; }
.keys { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-top: 6px; }
.key i { display: inline-block; width: 12px; height: 12px; margin-right: 5px;
  vertical-align: -2px; border: 1px solid #000; }
"""


def render_charts(
    *,
    moves: pd.DataFrame,
    site_load: pd.DataFrame,
    freed_by_zone_year: pd.DataFrame | None,
    zones: pd.DataFrame,
    years: Sequence[int],
    lang: str = "vi",
    title: str | None = None,
) -> str:
    """Render the run's charts page as one self-contained HTML document.

    Parameters
    ----------
    moves : pandas.DataFrame
        The plan's moves: ``firm_id``, ``origin_zone_id``, ``year``.
    site_load : pandas.DataFrame
        ``site_id``, ``site_name``, ``year``, ``released_m2``, ``used_m2`` (cumulative).
    freed_by_zone_year : pandas.DataFrame, optional
        Freed land per zone and year end: ``year``, ``{class}_ha``,
        ``awaiting_remediation_ha`` (``summarise_freed_land(...).by_zone_year``).
    zones : pandas.DataFrame
        ``zone_id``, ``name`` (and ``name_en``): the origin zones' names.
    years : Sequence[int]
        The planning horizon (every year is shown, years without moves too).
    lang : str
        ``"vi"`` (default) or ``"en"``.
    title : str, optional
        Page heading.

    Returns
    -------
    str
        The HTML page (UTF-8 text).
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    ys = [int(y) for y in years]
    title = title or _t("title", lang)
    ncol = "name_en" if lang == "en" and "name_en" in zones.columns else "name"
    zone_names = {}
    for z, n, vi in zip(zones["zone_id"].astype(str), zones[ncol], zones["name"], strict=True):
        zone_names[z] = str(vi if pd.isna(n) or str(n) == "" else n)
    load = site_load.assign(site_id=site_load["site_id"].astype(str))
    names = (
        dict(zip(load["site_id"], load["site_name"].astype(str), strict=True))
        if "site_name" in load.columns
        else {}
    )
    sites = "".join(
        _site_chart(names.get(sid, sid), g, ys, lang)
        for sid, g in sorted(load.groupby("site_id"), key=lambda kv: names.get(kv[0], kv[0]))
    )
    key = (
        f'<div class="keys"><span class="key"><i style="background:{GREYS_9[2]}"></i>'
        f'{safe_text(_t("released", lang))}</span><span class="key"><i style="background:'
        f'{PURPLES_3[2]}"></i>{safe_text(_t("used", lang))}</span></div>'
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{safe_text(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{safe_text(title)}</h1>"
        f'<section id="moves"><h2>{safe_text(_t("moves", lang))}</h2>'
        f"{_moves_chart(moves, zone_names, ys, lang)}</section>"
        f'<section id="sites"><h2>{safe_text(_t("sites", lang))}</h2>{key}'
        f'<div class="sites">{sites}</div></section>'
        f'<section id="freed"><h2>{safe_text(_t("freed", lang))}</h2>'
        f"{_freed_chart(freed_by_zone_year, ys, lang)}</section>"
        "</body></html>\n"
    )
