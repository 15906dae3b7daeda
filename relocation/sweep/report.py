"""A sweep's comparison: ``comparison.csv``, ``comparison.xlsx`` and ``report.html``.

One row per scenario, read from the scenarios' ``summary.json``. The report is one
self-contained page: an inline SVG trade-off chart drawn here (no JavaScript at all, so
nothing on the page can run), the comparison table and relative links to each scenario's
``map.html``. Every name shown is escaped with :func:`maps.text.safe_text`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from geodata.outputs import write_csv, write_text
from maps.offline import check_offline
from maps.text import safe_text
from relocation.domain.labels import TERMS, label, status_word
from relocation.domain.land_use import LAND_CLASSES
from relocation.domain.problem import ALL_TERMS, COST_TERMS, DISRUPTION_TERMS
from relocation.domain.scenario import Scenario
from relocation.infeasibility import explanation_lines
from relocation.sweep.spec import SweepOutcome

#: Fixed columns: name → (Vietnamese, English).
_FIXED = {
    "scenario": ("Kịch bản", "Scenario"),
    "folder": ("Thư mục", "Folder"),
    "status": ("Trạng thái lời giải", "Solver status"),
    "objective_vnd": ("Hàm mục tiêu (VND)", "Objective (VND)"),
    "cost_vnd": ("Chi phí (VND)", "Cost (VND)"),
    "disruption_vnd": ("Xáo trộn (VND)", "Disruption (VND)"),
    "gap": TERMS["gap"],
    "planned_moves": ("Số DN di dời theo kế hoạch", "Planned moves"),
    "social_housing_units": ("Số căn nhà ở xã hội ước tính", "Estimated social-housing units"),
    "best_share": ("Tỷ lệ cao nhất có thể đạt", "Highest achievable share"),
    "best_share_by_year": ("Năm của tỷ lệ cao nhất", "Year of the highest share"),
    "explanation": ("Giải thích (tiếng Anh)", "Explanation"),
    "explanation_vi": ("Giải thích", "Explanation (Vietnamese)"),
    "wall_time_s": ("Thời gian giải (giây)", "Solve time (s)"),
}


def column_label(col: str) -> tuple[str, str]:
    """Vietnamese and English header of a comparison column."""
    if col in _FIXED:
        return _FIXED[col]
    if col.startswith("param:"):
        key = col.removeprefix("param:")
        return f"Tham số: {key}", f"Parameter: {key}"
    if col.startswith("moves_"):
        y = col.removeprefix("moves_")
        return f"Số DN di dời năm {y}", f"Moves in {y}"
    if col.startswith("share_"):
        y = col.removeprefix("share_")
        return f"Tỷ lệ đã di dời đến {y}", f"Share moved by {y}"
    if col.startswith("freed_") and col.endswith("_ha"):
        cls = col.removeprefix("freed_").removesuffix("_ha")
        vi, en = LAND_CLASSES.get(cls, (cls, cls))
        # summary.json freed_land.hectares_by_class: land usable by the horizon's end.
        return (
            f"Đất giải phóng sử dụng được cuối kỳ: {vi} (ha)",
            f"Freed land usable by the end: {en} (ha)",
        )
    return label(col, "vi"), label(col, "en")


def _row(res: Any, params: Sequence[str], years: Sequence[int], windows: Sequence[int]) -> dict:
    s = res.summary
    row: dict[str, Any] = {"scenario": res.point.name, "folder": res.point.folder}
    for k in params:
        v = res.point.params.get(k)
        row[f"param:{k}"] = v if isinstance(v, (int, float, str, bool)) or v is None else str(v)
    row["status"] = s.get("status")
    terms = s.get("terms") or None
    row["objective_vnd"] = s.get("weighted_objective") if terms else None
    row["cost_vnd"] = sum(terms[t] for t in COST_TERMS) if terms else None
    row["disruption_vnd"] = sum(terms[t] for t in DISRUPTION_TERMS) if terms else None
    row["gap"] = s.get("gap") if terms else None
    for t in ALL_TERMS:
        row[f"{t}_vnd"] = terms.get(t) if terms else None
    row["planned_moves"] = (s.get("firms") or {}).get("planned") if terms else None
    per_year = s.get("moves_per_year") or {}
    for y in years:
        row[f"moves_{y}"] = per_year.get(str(y), 0) if terms else None
    shares = {q.get("by_year"): q.get("share") for q in s.get("quota") or []}
    for y in windows:
        row[f"share_{y}"] = shares.get(y)
    land = s.get("freed_land") or {}
    for cls in LAND_CLASSES:
        row[f"freed_{cls}_ha"] = (land.get("hectares_by_class") or {}).get(cls) if land else None
    row["social_housing_units"] = land.get("social_housing_units") if land else None
    best = s.get("best_achievable_share") or {}
    row["best_share"] = best.get("share")
    row["best_share_by_year"] = best.get("by_year")
    row["explanation"] = " ".join(explanation_lines(s, "en")) or None
    row["explanation_vi"] = " ".join(explanation_lines(s, "vi")) or None
    row["wall_time_s"] = s.get("wall_time_s")
    return row


def comparison_frame(outcome: SweepOutcome) -> pd.DataFrame:
    """One row per scenario: its parameters, status, moves, shares, cost terms and land.

    Columns: ``scenario``, ``folder``, ``param:<dotted key>`` per swept setting,
    ``status``, ``objective_vnd``, ``cost_vnd`` (relocation + support), ``disruption_vnd``
    (commute, attrition, preference, supply split), ``gap``, ``<term>_vnd`` per plan term,
    ``planned_moves``, ``moves_<year>``, ``share_<by_year>`` per quota window,
    ``freed_<class>_ha``, ``social_housing_units``, ``best_share`` and
    ``best_share_by_year`` (infeasible scenarios), ``explanation`` (English) and
    ``explanation_vi`` (Vietnamese: a summary written before explanations were translated
    gives its English), ``wall_time_s``.
    Money in whole VND (discounted as in the plans); blank where a scenario has no plan.
    """
    params: list[str] = []
    years: set[int] = set()
    windows: set[int] = set()
    for res in outcome.results:
        params += [k for k in res.point.params if k not in params]
        years |= {int(y) for y in (res.summary.get("moves_per_year") or {})}
        windows |= {int(q["by_year"]) for q in res.summary.get("quota") or []}
    rows = [_row(r, params, sorted(years), sorted(windows)) for r in outcome.results]
    df = pd.DataFrame(rows)
    # Whole numbers stay whole (VND up to 1e17) with blanks for scenarios without a plan.
    for col in df.columns:
        if col.endswith("_vnd") or col.startswith("moves_") or col in _INT_COLUMNS:
            df[col] = pd.array([None if _missing(v) else int(v) for v in df[col]], dtype="Int64")
    return df


_INT_COLUMNS = ("planned_moves", "social_housing_units", "best_share_by_year")


def _missing(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def write_comparison_xlsx(df: pd.DataFrame, path: Path) -> None:
    """The comparison as a workbook: Vietnamese header, English beneath, no formulas."""
    import xlsxwriter

    tmp = path.with_name(path.name + ".tmp.xlsx")
    wb = xlsxwriter.Workbook(
        str(tmp),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    try:
        head = wb.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF4"}
        )
        sub = wb.add_format({"italic": True, "font_color": "#555555", "bg_color": "#E8EEF4"})
        money = wb.add_format({"num_format": "#,##0"})
        pct = wb.add_format({"num_format": "0.0%"})
        sh = wb.add_worksheet("So sánh - Comparison")
        for j, col in enumerate(df.columns):
            vi, en = column_label(col)
            sh.write_string(0, j, vi, head)
            sh.write_string(1, j, en, sub)
            fmt = money if col.endswith("_vnd") else pct if col.startswith("share_") else None
            for i, v in enumerate(df[col].tolist(), start=2):
                if _missing(v):
                    sh.write_blank(i, j, None)
                elif isinstance(v, bool) or isinstance(v, str):
                    sh.write_string(i, j, str(v))
                elif isinstance(v, (int, float)):
                    sh.write_number(i, j, float(v), fmt)
                else:
                    sh.write_string(i, j, str(v))
            wide = col.startswith("explanation")
            width = 60 if wide else 22 if col in ("scenario", "folder") else 16
            sh.set_column(j, j, width)
        sh.freeze_panes(2, 1)
        if len(df):
            sh.autofilter(1, 0, 1 + len(df), len(df.columns) - 1)
    finally:
        wb.close()
    os.replace(tmp, path)


# ------------------------------------------------------------------------------ chart


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering ``lo``–``hi``."""
    if not math.isfinite(lo) or not math.isfinite(hi):
        return [0.0]
    if hi <= lo:
        pad = abs(lo) * 0.05 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(v: float, as_pct: bool) -> str:
    if as_pct:
        return f"{v * 100:.4g} %"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.4g}"


def svg_panel(
    title: str,
    xs: Sequence[float],
    ys: Sequence[float | None],
    tips: Sequence[str],
    x_ticks: Sequence[tuple[float, str]],
    css_class: str,
    x_title: str = "",
    width: int = 760,
    height: int = 250,
    links: Sequence[str | None] | None = None,
    point_classes: Sequence[str] | None = None,
    connect: Sequence[bool] | None = None,
) -> str:
    """One line chart as inline SVG; a ``None`` value is an infeasible scenario (✕ mark).

    Parameters
    ----------
    title : str
        Panel title (escaped here).
    xs, ys : sequence
        Point positions (x in data units; y in bn VND, or None).
    tips : sequence of str
        Hover text per point (escaped here).
    x_ticks : sequence of (float, str)
        Tick positions and labels (labels escaped here).
    css_class : str
        Class of the series (``cost`` or ``disruption``).
    x_title : str
        Title of the x axis (escaped here).
    width, height : int
        Pixels.
    links : sequence of str or None, optional
        Relative link of each point (escaped here); the marker becomes a link.
    point_classes : sequence of str, optional
        Extra CSS class of each point's marker (e.g. ``dominated``, ``unproven``).
    connect : sequence of bool, optional
        Which points the line joins, in x order (default: all; the Pareto front joins its
        non-dominated points only).

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    left, right, top, bottom = 90, 20, 30, 48
    pw, ph = width - left - right, height - top - bottom
    xmin, xmax = min(xs), max(xs)
    if xmax == xmin:
        xmin, xmax = xmin - 1, xmax + 1
    pad = 0.05 * (xmax - xmin)  # keeps the first and last markers off the axes
    xmin, xmax = xmin - pad, xmax + pad
    vals = [y for y in ys if y is not None]
    yt = nice_ticks(min(vals), max(vals)) if vals else [0.0, 1.0]
    ymin, ymax = yt[0], yt[-1]

    def sx(x: float) -> float:
        return left + (x - xmin) / (xmax - xmin) * pw

    def sy(y: float) -> float:
        return top + ph - (y - ymin) / ((ymax - ymin) or 1.0) * ph

    out = [
        f'<svg class="chart {css_class}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{safe_text(title)}">',
        f'<text class="title" x="{left}" y="18">{safe_text(title)}</text>',
        f'<line class="axis" x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}"/>',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}"/>',
    ]
    for t in yt:
        ty = sy(t)
        out.append(f'<line class="grid" x1="{left}" y1="{ty:.1f}" x2="{left + pw}" y2="{ty:.1f}"/>')
        out.append(
            f'<text class="tick" x="{left - 6}" y="{ty + 4:.1f}" '
            f'text-anchor="end">{safe_text(_fmt(t, False))}</text>'
        )
    for x, text in x_ticks:
        out.append(
            f'<text class="tick" x="{sx(x):.1f}" y="{top + ph + 18}" '
            f'text-anchor="middle">{safe_text(text)}</text>'
        )
    if x_title:
        out.append(
            f'<text class="tick" x="{left + pw / 2:.1f}" y="{height - 4}" '
            f'text-anchor="middle">{safe_text(x_title)}</text>'
        )
    joined = connect if connect is not None else [True] * len(xs)
    pts = sorted(
        (x, y) for x, y, j in zip(xs, ys, joined, strict=True) if y is not None and j
    )
    if len(pts) > 1:
        path = " ".join(f"{sx(px):.1f},{sy(py):.1f}" for px, py in pts)
        out.append(f'<polyline class="line" points="{path}"/>')
    hrefs = links if links is not None else [None] * len(xs)
    extra = point_classes if point_classes is not None else [""] * len(xs)
    for x, y, tip, href, cls in zip(xs, ys, tips, hrefs, extra, strict=True):
        if href is not None:
            out.append(f'<a href="{safe_text(href)}">')
        if y is None:
            cx, cy = sx(x), top + ph - 8
            out.append(
                f'<g class="infeasible"><title>{safe_text(tip)}</title>'
                f'<path d="M{cx - 5:.1f},{cy - 5:.1f}L{cx + 5:.1f},{cy + 5:.1f}'
                f'M{cx - 5:.1f},{cy + 5:.1f}L{cx + 5:.1f},{cy - 5:.1f}"/></g>'
            )
        else:
            out.append(
                f'<circle class="{safe_text(("point " + cls).strip())}" cx="{sx(x):.1f}" '
                f'cy="{sy(y):.1f}" r="4"><title>{safe_text(tip)}</title></circle>'
            )
        if href is not None:
            out.append("</a>")
    out.append("</svg>")
    return "".join(out)


def _axis(outcome: SweepOutcome) -> tuple[list[float], list[tuple[float, str]], str, bool]:
    """The x positions, ticks, axis title and whether x is a share."""
    key = outcome.spec.axis
    vals = [r.point.params.get(key) for r in outcome.results] if key else []
    numeric = key is not None and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals
    )
    if numeric and vals:
        xs = [float(v) for v in vals]  # type: ignore[arg-type]
        as_pct = key is not None and key.endswith("share")
        ticks = [(x, _fmt(x, as_pct)) for x in sorted(set(xs))]
        return xs, ticks, _axis_title(outcome, str(key)), as_pct
    xs = [float(i) for i in range(len(outcome.results))]
    ticks = [(float(i), r.point.name) for i, r in enumerate(outcome.results)]
    return xs, ticks, "Kịch bản / Scenario", False


def _axis_title(outcome: SweepOutcome, key: str) -> str:
    m = re.match(r"^quota\.(\d+)\.min_share$", key)
    if m:
        for r in outcome.results:
            windows = r.summary.get("quota") or []
            if int(m.group(1)) < len(windows):
                y = windows[int(m.group(1))].get("by_year")
                return f"Tỷ lệ tối thiểu đến {y} / quota floor by {y} ({key})"
    return key


_CSS = """
body{font-family:system-ui,'Segoe UI',Roboto,Arial,sans-serif;margin:24px;color:#1d2733}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
.en{color:#5b6570;font-weight:normal}
svg.chart{display:block;margin:8px 0;background:#fff}
svg .axis{stroke:#333;stroke-width:1} svg .grid{stroke:#e3e7eb;stroke-width:1}
svg .tick{font-size:11px;fill:#444} svg .title{font-size:13px;font-weight:600;fill:#1d2733}
svg.cost .line{fill:none;stroke:#1f6fb2;stroke-width:2} svg.cost .point{fill:#1f6fb2}
svg.disruption .line{fill:none;stroke:#c2571a;stroke-width:2}
svg.disruption .point{fill:#c2571a}
svg .infeasible path{stroke:#b00020;stroke-width:2}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #d5dbe1;padding:4px 8px;text-align:right;vertical-align:top}
th{background:#e8eef4} td.text{text-align:left} tr.infeasible td{background:#fdecee}
tr.no-plan td{background:#fff4e0}
.note{font-size:12px;color:#5b6570}
ul.why{margin:0;padding-left:16px;text-align:left} ul.why li{margin:2px 0}
ul.why.en{margin-top:4px;color:#5b6570}
"""


def _bn(v: Any) -> str:
    return "—" if _missing(v) else f"{float(v) / 1e9:,.1f}"


def _pct(v: Any) -> str:
    return "—" if _missing(v) else f"{float(v):.1%}"


def _no_plan_words(summary: dict[str, Any]) -> str:
    """Why a scenario has no plan, in both languages."""
    status = "INFEASIBLE" if summary.get("status") == "INFEASIBLE" else "UNKNOWN"
    return f"{status_word(status, 'vi').lower()} / {status_word(status, 'en').lower()}"


def _status_words(status: Any) -> str:
    """A solver status as Vietnamese over English (escaped)."""
    if _missing(status):
        return "—"
    vi, en = status_word(str(status), "vi"), status_word(str(status), "en")
    return f'{safe_text(vi)}<br><span class="en">{safe_text(en)}</span>'


def explanation_html(summary: dict[str, Any]) -> str:
    """Why a scenario has no plan: Vietnamese over English, one element per sentence.

    Each sentence of the explanation, and the highest achievable share, is its own list
    item, so that no sentence runs into the next one or into the other language.
    """
    blocks = []
    for lang in ("vi", "en"):
        lines = explanation_lines(summary, lang, best=True)
        if not lines:
            continue
        items = "".join(f"<li>{safe_text(line)}</li>" for line in lines)
        cls = "why" if lang == "vi" else "why en"
        blocks.append(f'<ul class="{cls}" lang="{lang}">{items}</ul>')
    return "".join(blocks) or "—"


def render_report_html(outcome: SweepOutcome, df: pd.DataFrame, title: str) -> str:
    """The sweep report page (self-contained; no script, no network reference).

    Parameters
    ----------
    outcome : SweepOutcome
        The sweep (its results give the chart's points and the links).
    df : pandas.DataFrame
        :func:`comparison_frame` of ``outcome``.
    title : str
        Shown in the page heading (escaped).

    Returns
    -------
    str
        The HTML page.
    """
    xs, ticks, x_title, _ = _axis(outcome)
    cost = [None if _missing(v) else float(v) / 1e9 for v in df["cost_vnd"]]
    dis = [None if _missing(v) else float(v) / 1e9 for v in df["disruption_vnd"]]
    tips = []
    for i, r in enumerate(outcome.results):
        status = r.summary.get("status")
        status = f"{status_word(str(status), 'vi')} / {status_word(str(status), 'en')}"
        extra = "" if cost[i] is not None else f" — {_no_plan_words(r.summary)}"
        tips.append(f"{r.point.name} ({status}){extra}")
    cost_tips = [f"{t}: {_bn(df['cost_vnd'][i])} tỷ đồng / bn VND" for i, t in enumerate(tips)]
    dis_tips = [f"{t}: {_bn(df['disruption_vnd'][i])} tỷ đồng / bn VND" for i, t in enumerate(tips)]
    if any(c is not None for c in cost):
        charts = svg_panel(
            "Chi phí / Cost (tỷ đồng / bn VND)", xs, cost, cost_tips, ticks, "cost", x_title
        ) + svg_panel(
            "Xáo trộn / Disruption (tỷ đồng / bn VND)", xs, dis, dis_tips, ticks, "disruption",
            x_title,
        )
    else:  # nothing to draw: say why instead of showing empty axes
        charts = '<p class="note" id="no-plan">Không kịch bản nào có phương án / no scenario ' \
            "has a plan: " + "; ".join(safe_text(t) for t in tips) + "</p>"
    share_cols = [c for c in df.columns if c.startswith("share_")]
    param_cols = [c for c in df.columns if c.startswith("param:")]
    head = [
        "scenario",
        *param_cols,
        "status",
        *share_cols,
        "cost_vnd",
        "disruption_vnd",
        "objective_vnd",
        "gap",
        "social_housing_units",
    ]

    def header(c: str) -> tuple[str, str]:
        vi, en = column_label(c)
        if c.endswith("_vnd"):  # the page shows billions
            vi, en = vi.replace("(VND)", "(tỷ đồng)"), en.replace("(VND)", "(bn VND)")
        return vi, en

    th = (
        "".join(
            f'<th>{safe_text(header(c)[0])}<br><span class="en">'
            f"{safe_text(header(c)[1])}</span></th>"
            for c in head
        )
        + '<th>Bản đồ hoặc giải thích<br><span class="en">Map or explanation</span></th>'
    )
    body = []
    for i, r in enumerate(outcome.results):
        row = df.iloc[i]
        cells = []
        for c in head:
            v = row[c]
            if c == "status":
                cells.append(f'<td class="text">{_status_words(v)}</td>')
            elif c == "scenario" or c.startswith("param:"):
                shown = "—" if _missing(v) else v
                cells.append(f'<td class="text">{safe_text(shown)}</td>')
            elif c.startswith("share_"):
                cells.append(f"<td>{_pct(v)}</td>")
            elif c == "gap":
                cells.append(f"<td>{'—' if _missing(v) else f'{float(v):.3%}'}</td>")
            elif c == "social_housing_units":
                cells.append(f"<td>{'—' if _missing(v) else f'{int(v):,}'}</td>")
            else:
                cells.append(f"<td>{_bn(v)}</td>")
        map_file = outcome.out / "scenarios" / r.point.folder / "map.html"
        if map_file.is_file():
            href = f"scenarios/{quote(r.point.folder)}/map.html"
            cells.append(f'<td class="text"><a href="{safe_text(href)}">bản đồ / map</a></td>')
        elif cost[i] is not None:  # a plan without its map (--outputs plans)
            href = f"scenarios/{quote(r.point.folder)}/summary.json"
            cells.append(
                f'<td class="text"><a href="{safe_text(href)}">summary.json</a> '
                '(bản đồ: relocation outputs / map: relocation outputs)</td>'
            )
        else:
            cells.append(f'<td class="text">{explanation_html(r.summary)}</td>')
        cls = ""
        if cost[i] is None:
            cls = ' class="infeasible"' if r.summary.get("status") == "INFEASIBLE" else (
                ' class="no-plan"'
            )
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{safe_text(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{safe_text(title)}</h1>"
        f'<p class="note">{len(outcome.results)} kịch bản / scenarios; '
        f"trục ngang / x axis: {safe_text(x_title)}. Chi phí = di dời + hỗ trợ; xáo trộn = đi "
        "lại, mất lao động, nguyện vọng, chia tách chuỗi cung ứng (chiết khấu về năm đầu) / "
        "cost = relocation + support; disruption = commute, attrition, preference, supply "
        "split (discounted to the horizon start).</p>"
        '<h2>Đánh đổi <span class="en">/ Trade-off</span></h2>'
        f'<div id="tradeoff">{charts}</div>'
        '<h2>So sánh <span class="en">/ Comparison</span></h2>'
        f'<table id="comparison"><thead><tr>{th}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
        '<p class="note">Số liệu đầy đủ / full figures: comparison.csv, comparison.xlsx</p>'
        "</body></html>\n"
    )


def write_comparison(outcome: SweepOutcome, base: Scenario) -> pd.DataFrame:
    """Write ``comparison.csv``, ``comparison.xlsx`` and ``report.html`` into the sweep folder.

    Parameters
    ----------
    outcome : SweepOutcome
        The finished sweep.
    base : Scenario
        The workspace's scenario (its name and description title the report).

    Returns
    -------
    pandas.DataFrame
        The comparison table.
    """
    df = comparison_frame(outcome)
    out = Path(outcome.out)
    write_csv(df, out / "comparison.csv")
    write_comparison_xlsx(df, out / "comparison.xlsx")
    title = f"So sánh kịch bản / Scenario sweep — {base.name}"
    html = render_report_html(outcome, df, title)
    check_offline(html)
    write_text(html, out / "report.html")
    return df
